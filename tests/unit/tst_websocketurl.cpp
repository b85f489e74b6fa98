// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/WebSocketUrl.h"

#include <QTest>

using namespace wsi;

class tst_WebSocketUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void plainSentences_data();
    void plainSentences();
};

void tst_WebSocketUrl::accepted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("host and port") << QStringLiteral("ws://127.0.0.1:9001/chat") << QStringLiteral("127.0.0.1") << 9001;
    QTest::newRow("no port") << QStringLiteral("wss://example.test/feed?x=1") << QStringLiteral("example.test") << -1;
    QTest::newRow("IPv6") << QStringLiteral("ws://[::1]:80/") << QStringLiteral("::1") << 80;
    QTest::newRow("upper-case scheme, spaces around")
        << QStringLiteral("  WS://h.test:1  ") << QStringLiteral("h.test") << 1;
    QTest::newRow("user info") << QStringLiteral("ws://me:pw@h.test:65535/") << QStringLiteral("h.test") << 65535;
    QTest::newRow("placeholder encoded") << QStringLiteral("ws://h.test/%7B%7Broom%7D%7D") << QStringLiteral("h.test")
                                         << -1;
}

void tst_WebSocketUrl::accepted()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString problem;
    const auto url = WebSocketUrl::parse(text, &problem);
    QVERIFY2(url, qPrintable(problem));
    QCOMPARE(url->host(), host);
    QCOMPARE(url->port(), port);
    QVERIFY(WebSocketUrl::problem(text).isEmpty());
}

void tst_WebSocketUrl::plainSentences_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem");
    QTest::newRow("empty") << QString() << QStringLiteral("enter a ws:// or wss:// URL, e.g. ws://127.0.0.1:9001/");
    QTest::newRow("port out of range") << QStringLiteral("ws://127.0.0.1:99999/")
                                       << QStringLiteral("port 99999 is out of range 1-65535");
    QTest::newRow("port 0") << QStringLiteral("ws://h.test:0") << QStringLiteral("port 0 is out of range 1-65535");
    QTest::newRow("port not a number") << QStringLiteral("ws://h.test:http/")
                                       << QStringLiteral("port 'http' is not a number");
    QTest::newRow("port missing") << QStringLiteral("ws://h.test:/") << QStringLiteral("the port after ':' is missing");
    QTest::newRow("IPv6 unclosed") << QStringLiteral("ws://[::1:80/")
                                   << QStringLiteral("the IPv6 address has no closing ']'");
    QTest::newRow("no host") << QStringLiteral("ws:///chat")
                             << QStringLiteral("it has no host: write ws://host[:port]/path");
    QTest::newRow("port without host") << QStringLiteral("ws://:9001/")
                                       << QStringLiteral("it has no host before the port");
    QTest::newRow("no scheme") << QStringLiteral("127.0.0.1:9001")
                               << QStringLiteral(
                                      "'127.0.0.1:9001' has no scheme: a WebSocket URL starts with ws:// or wss://");
    QTest::newRow("https") << QStringLiteral("https://h.test/")
                           << QStringLiteral("the scheme is https: a WebSocket URL starts with ws:// or wss:// (wss:// "
                                             "for https://)");
    QTest::newRow("space") << QStringLiteral("ws://h.test/a b")
                           << QStringLiteral("a URL cannot contain spaces (write %20 for one in the path)");
    QTest::newRow("bad host") << QStringLiteral("ws://h_<x>.test/")
                              << QStringLiteral("the host 'h_<x>.test' holds characters a host name cannot have");
}

void tst_WebSocketUrl::plainSentences()
{
    QFETCH(QString, text);
    QFETCH(QString, problem);
    QString why;
    QVERIFY(!WebSocketUrl::parse(text, &why));
    QCOMPARE(why, problem);
    QVERIFY(!why.contains(QLatin1StringView("scheme = ")));
}

QTEST_GUILESS_MAIN(tst_WebSocketUrl)
#include "tst_websocketurl.moc"
