// SPDX-License-Identifier: GPL-3.0-or-later
// ProfileVariables: which "{{names}}" a profile uses, what is still open before it can connect, answering, and the
// substitution (URL values percent-encoded; engine placeholders and other fields left alone).
#include "core/profiles/ProfileVariables.h"

#include <QTest>

using namespace wsi;

namespace {

SessionProfile templated()
{
    SessionProfile p;
    p.name = QStringLiteral("api");
    p.options.url = QUrl(
        ProfileVariables::encodeUrlPlaceholders(QStringLiteral("wss://api.example.com/rooms/{{room}}?token={{token}}")),
        QUrl::StrictMode);
    p.options.headers.append("Authorization", "{{secret}}");
    p.options.headers.append("X-Tenant", "{{tenant}}-{{room}}");
    p.options.secretHeaders = {QStringLiteral("Authorization")};
    p.options.origin = QStringLiteral("https://{{tenant}}.example.com");
    p.options.cookies = {{"sid", "{{secret}}"}};
    p.options.heartbeat.appMessage = "{\"seq\":{{seq}}}";
    p.variables = {{QStringLiteral("tenant"), QStringLiteral("acme"), false},
                   {QStringLiteral("token"), QStringLiteral("{{secret}}"), true}};
    return p;
}

} // namespace

class tst_ProfileVariables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesFollowTheSyntax_data();
    void namesFollowTheSyntax();
    void referencedNamesInOrderOfUse();
    void unansweredListsSecretsThenVariables();
    void answeredProfileResolves();
    void resolveRefusesWhatIsStillOpen();
    void nothingToFillIsUnchanged();
    void urlPlaceholdersSurviveEncoding();
};

void tst_ProfileVariables::namesFollowTheSyntax_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("word") << QStringLiteral("token") << true;
    QTest::newRow("dots and dashes") << QStringLiteral("api.key-2") << true;
    QTest::newRow("underscore first") << QStringLiteral("_x") << true;
    QTest::newRow("digit first") << QStringLiteral("2fa") << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("the secret placeholder") << QStringLiteral("secret") << false;
}

void tst_ProfileVariables::namesFollowTheSyntax()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(ProfileVariables::isValidName(name), valid);
}

void tst_ProfileVariables::referencedNamesInOrderOfUse()
{
    // URL first, then headers, Origin, cookies; {{secret}} and the heartbeat's {{seq}} are not variables.
    QCOMPARE(ProfileVariables::referencedNames(templated()),
             (QStringList{QStringLiteral("room"), QStringLiteral("token"), QStringLiteral("tenant")}));
}

void tst_ProfileVariables::unansweredListsSecretsThenVariables()
{
    using Kind = ProfileVariables::Question::Kind;
    const QList<ProfileVariables::Question> open = ProfileVariables::unanswered(templated());
    const QList<ProfileVariables::Question> expected = {
        {Kind::Header, QStringLiteral("Authorization"), 0, true},
        {Kind::Cookie, QStringLiteral("sid"), 0, true},
        {Kind::Variable, QStringLiteral("room"), -1, false}, // used but not declared
        {Kind::Variable, QStringLiteral("token"), 1, true},  // declared secret, value not known
    };
    QCOMPARE(open.size(), expected.size());
    for (qsizetype i = 0; i < open.size(); ++i)
        QVERIFY2(open.at(i) == expected.at(i), qPrintable(open.at(i).name));
}

void tst_ProfileVariables::answeredProfileResolves()
{
    SessionProfile profile = templated();
    const auto open = ProfileVariables::unanswered(profile);
    ProfileVariables::answer(
        profile, open,
        {QStringLiteral("Bearer abc"), QStringLiteral("c00kie"), QStringLiteral("lobby 1"), QStringLiteral("t&k=n/?")});
    QVERIFY(ProfileVariables::unanswered(profile).isEmpty());
    QCOMPARE(profile.variables.size(), 3); // "room" was added

    QString error;
    const auto options = ProfileVariables::resolve(profile, &error);
    QVERIFY2(options, qPrintable(error));
    // Values in the URL are percent-encoded: a '&' or '/' in a token cannot change the URL's shape.
    QCOMPARE(options->url.toString(QUrl::FullyEncoded),
             QStringLiteral("wss://api.example.com/rooms/lobby%201?token=t%26k%3Dn%2F%3F"));
    QCOMPARE(options->url.query(QUrl::FullyDecoded), QStringLiteral("token=t&k=n/?"));
    QCOMPARE(options->headers.value("Authorization"), QByteArray("Bearer abc"));
    QCOMPARE(options->headers.value("X-Tenant"), QByteArray("acme-lobby 1"));
    QCOMPARE(options->origin, QStringLiteral("https://acme.example.com"));
    QCOMPARE(options->cookies.at(0).second, QByteArray("c00kie"));
    // The heartbeat engine's own placeholder is left for it.
    QCOMPARE(options->heartbeat.appMessage, QByteArray("{\"seq\":{{seq}}}"));
}

void tst_ProfileVariables::resolveRefusesWhatIsStillOpen()
{
    QString error;
    QVERIFY(!ProfileVariables::resolve(templated(), &error));
    QCOMPARE(error, QStringLiteral("profile 'api': header 'Authorization' is a secret with no value"));

    SessionProfile profile;
    profile.name = QStringLiteral("p");
    profile.options.url = QUrl(QStringLiteral("ws://h/"));
    profile.options.origin = QStringLiteral("{{site}}");
    QVERIFY(!ProfileVariables::resolve(profile, &error));
    QCOMPARE(error, QStringLiteral("profile 'p': variable 'site' has no value"));
}

void tst_ProfileVariables::nothingToFillIsUnchanged()
{
    SessionProfile profile;
    profile.name = QStringLiteral("plain");
    profile.options.url = QUrl(QStringLiteral("ws://127.0.0.1:9001/chat?x=1"));
    profile.options.headers.append("X-Literal", "{not a variable}");
    QVERIFY(ProfileVariables::unanswered(profile).isEmpty());
    QString error;
    const auto options = ProfileVariables::resolve(profile, &error);
    QVERIFY2(options, qPrintable(error));
    QCOMPARE(options->url, profile.options.url);
    QCOMPARE(options->headers, profile.options.headers);
}

void tst_ProfileVariables::urlPlaceholdersSurviveEncoding()
{
    const QString written = QStringLiteral("wss://h.example/a/{{x}}?q={{y.z}}");
    const QUrl url(ProfileVariables::encodeUrlPlaceholders(written), QUrl::StrictMode);
    QVERIFY(url.isValid());
    QCOMPARE(ProfileVariables::decodeUrlPlaceholders(url.toString()), written);
}

QTEST_GUILESS_MAIN(tst_ProfileVariables)
#include "tst_profilevariables.moc"
