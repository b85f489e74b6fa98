// SPDX-License-Identifier: GPL-3.0-or-later
// ProfileSecrets: what is taken out of a profile for the keychain, put back into the profile file's placeholders,
// and the keychain entry's own format.
#include "core/profiles/ProfileJson.h"
#include "core/profiles/ProfileSecrets.h"
#include "core/profiles/ProfileVariables.h"

#include <QTest>

#include <algorithm>

using namespace wsi;

namespace {

SessionProfile withSecrets()
{
    SessionProfile p;
    p.name = QStringLiteral("p");
    p.options.url = QUrl(QStringLiteral("wss://h/"));
    p.options.headers.append("Authorization", "Bearer one");
    p.options.headers.append("X-Plain", "visible");
    p.options.headers.append("authorization", "Bearer two");
    p.options.secretHeaders = {QStringLiteral("AUTHORIZATION")};
    p.options.cookies = {{"sid", "c1"}, {"sid", "c2"}};
    p.variables = {{QStringLiteral("token"), QStringLiteral("t0k"), true},
                   {QStringLiteral("tenant"), QStringLiteral("acme"), false}};
    return p;
}

} // namespace

class tst_ProfileSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void extractTakesSecretsOnly();
    void secretsGoBackIntoTheProfileFile();
    void placeholdersAreNotSecrets();
    void bytesRoundTrip();
    void unreadableEntryIsReported();
    void proxyPasswordGoesToTheKeychain();
};

void tst_ProfileSecrets::extractTakesSecretsOnly()
{
    const ProfileSecrets secrets = ProfileSecrets::extract(withSecrets());
    const QMap<QString, QString> expected = {
        {QStringLiteral("header:authorization#1"), QStringLiteral("Bearer one")},
        {QStringLiteral("header:authorization#2"), QStringLiteral("Bearer two")},
        {QStringLiteral("cookie:sid#1"), QStringLiteral("c1")},
        {QStringLiteral("cookie:sid#2"), QStringLiteral("c2")},
        {QStringLiteral("variable:token"), QStringLiteral("t0k")},
    };
    QCOMPARE(secrets.values(), expected);
}

void tst_ProfileSecrets::secretsGoBackIntoTheProfileFile()
{
    const SessionProfile original = withSecrets();
    QString error;
    auto fromFile = ProfileJson::fromBytes(ProfileJson::toBytes(original), QStringLiteral("p.json"), &error);
    QVERIFY2(fromFile, qPrintable(error));
    QCOMPARE(fromFile->options.headers.at(0).value, QByteArray("{{secret}}"));

    QCOMPARE(ProfileSecrets::extract(original).applyTo(*fromFile), 5);
    QCOMPARE(fromFile->options.headers, original.options.headers);
    QCOMPARE(fromFile->options.cookies, original.options.cookies);
    QCOMPARE(fromFile->variables, original.variables);
}

void tst_ProfileSecrets::placeholdersAreNotSecrets()
{
    SessionProfile profile = withSecrets();
    profile.options.headers = {};
    profile.options.headers.append("Authorization", "{{secret}}");
    profile.options.cookies = {};
    profile.variables = {{QStringLiteral("token"), QStringLiteral("{{secret}}"), true}};
    QVERIFY(ProfileSecrets::extract(profile).isEmpty());
    // And a value the user typed is never overwritten by the keychain's.
    SessionProfile typed = withSecrets();
    QCOMPARE(ProfileSecrets::extract(withSecrets()).applyTo(typed), 0);
}

void tst_ProfileSecrets::bytesRoundTrip()
{
    const ProfileSecrets secrets = ProfileSecrets::extract(withSecrets());
    QString error;
    const auto back = ProfileSecrets::fromBytes(secrets.toBytes(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, secrets);
}

void tst_ProfileSecrets::unreadableEntryIsReported()
{
    QString error;
    QVERIFY(!ProfileSecrets::fromBytes("not json", &error));
    QCOMPARE(error, QStringLiteral("the keychain entry is not readable: expected a JSON object"));
    QVERIFY(!ProfileSecrets::fromBytes(R"({"schema": 1, "values": {"a": 1}})", &error));
    QCOMPARE(error, QStringLiteral("the keychain entry is not readable: values.a: expected a string"));
}

// The proxy URL's password is a secret like a header's: the file holds "user:{{secret}}@", the keychain entry the
// password, and the two together give the URL back; an open placeholder is a question when connecting.
void tst_ProfileSecrets::proxyPasswordGoesToTheKeychain()
{
    SessionProfile original = withSecrets();
    original.options.proxy = QUrl(QStringLiteral("http://bob:s3cr%40t@proxy.example:3128"));
    const QByteArray file = ProfileJson::toBytes(original);
    QVERIFY2(!file.contains("s3cr"), file.constData());
    QVERIFY2(file.contains("\"proxy\": \"http://bob:{{secret}}@proxy.example:3128\""), file.constData());

    const ProfileSecrets secrets = ProfileSecrets::extract(original);
    QCOMPARE(secrets.values().value(QStringLiteral("proxy:password")), QStringLiteral("s3cr@t"));
    QString error;
    const auto keychainEntry = ProfileSecrets::fromBytes(secrets.toBytes(), &error);
    QVERIFY2(keychainEntry, qPrintable(error));
    auto fromFile = ProfileJson::fromBytes(file, QStringLiteral("p.json"), &error);
    QVERIFY2(fromFile, qPrintable(error));
    QCOMPARE(fromFile->options.proxy.password(), QStringLiteral("{{secret}}"));
    QVERIFY(fromFile->hasSecrets());
    const QList<ProfileVariables::Question> open = ProfileVariables::unanswered(*fromFile);
    QVERIFY(std::any_of(open.begin(), open.end(), [](const ProfileVariables::Question &question) {
        return question.kind == ProfileVariables::Question::Kind::ProxyPassword &&
               question.name == QStringLiteral("bob") && question.secret;
    }));

    QCOMPARE(keychainEntry->applyTo(*fromFile), 6);
    QCOMPARE(fromFile->options.proxy, original.options.proxy);
    QVERIFY(ProfileVariables::unanswered(*fromFile).isEmpty());
    // Exported with secrets on request, the password is in the file as it was.
    QVERIFY(ProfileJson::toBytes(original, ProfileJson::Secrets::Include).contains("bob:s3cr%40t@"));
}

QTEST_GUILESS_MAIN(tst_ProfileSecrets)
#include "tst_profilesecrets.moc"
