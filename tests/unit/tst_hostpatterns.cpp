// SPDX-License-Identifier: GPL-3.0-or-later
// HostPatterns: globs on host names, and the intercept / no-intercept decision.
#include "core/proxy/HostPatterns.h"

#include <QTest>

using namespace wsi;

class tst_HostPatterns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("expected");
        const auto row = [](const char *name, const char *pattern, const char *host, bool expected) {
            QTest::newRow(name) << QString::fromUtf8(pattern) << QString::fromUtf8(host) << expected;
        };
        row("exact", "example.test", "example.test", true);
        row("exact, other case", "Example.TEST", "example.test", true);
        row("exact, another host", "example.test", "api.example.test", false);
        row("star subdomain", "*.example.test", "api.example.test", true);
        row("star subdomain, deeper", "*.example.test", "a.b.example.test", true);
        row("star subdomain, not the bare domain", "*.example.test", "example.test", false);
        row("star subdomain, not a suffix of another name", "*.example.test", "badexample.test", false);
        row("star alone", "*", "anything.at.all", true);
        row("question mark one character", "api?.example.test", "api1.example.test", true);
        row("question mark not zero characters", "api?.example.test", "api.example.test", false);
        row("star in the middle", "api.*.test", "api.eu.example.test", true);
        row("star backtracks", "*a*b", "xaxxab", true);
        row("star backtracks, no match", "*a*b", "xaxxa", false);
        row("IP address", "127.0.0.1", "127.0.0.1", true);
        row("IP glob", "127.*", "127.0.0.1", true);
        row("many stars stay linear", "*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false);
    }
    void matches()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, host);
        QFETCH(bool, expected);
        QCOMPARE(HostPatterns::matches(pattern, host), expected);
    }

    void decision_data()
    {
        QTest::addColumn<QStringList>("intercept");
        QTest::addColumn<QStringList>("noIntercept");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("intercepted");
        const QStringList none;
        QTest::newRow("default: every host") << none << none << QStringLiteral("example.test") << true;
        QTest::newRow("only the listed hosts, listed")
            << QStringList{QStringLiteral("*.example.test")} << none << QStringLiteral("api.example.test") << true;
        QTest::newRow("only the listed hosts, not listed")
            << QStringList{QStringLiteral("*.example.test")} << none << QStringLiteral("other.test") << false;
        QTest::newRow("no-intercept alone")
            << none << QStringList{QStringLiteral("pinned.test")} << QStringLiteral("pinned.test") << false;
        QTest::newRow("no-intercept alone, another host")
            << none << QStringList{QStringLiteral("pinned.test")} << QStringLiteral("api.test") << true;
        QTest::newRow("no-intercept wins over intercept")
            << QStringList{QStringLiteral("*.example.test")} << QStringList{QStringLiteral("pay.example.test")}
            << QStringLiteral("pay.example.test") << false;
    }
    void decision()
    {
        QFETCH(QStringList, intercept);
        QFETCH(QStringList, noIntercept);
        QFETCH(QString, host);
        QFETCH(bool, intercepted);
        QCOMPARE(HostPatterns(intercept, noIntercept).intercepts(host), intercepted);
    }

    void problems()
    {
        QCOMPARE(HostPatterns::problem(QStringLiteral("*.example.test")), QString());
        QCOMPARE(HostPatterns::problem(QStringLiteral("[::1]")), QString());
        QCOMPARE(HostPatterns::problem(QString()), QStringLiteral("a host pattern cannot be empty"));
        QCOMPARE(HostPatterns::problem(QStringLiteral("a b")),
                 QStringLiteral("'a b' is not a host pattern: ' ' cannot be part of a host name (use * and ?)"));
    }
};

QTEST_GUILESS_MAIN(tst_HostPatterns)
#include "tst_hostpatterns.moc"
