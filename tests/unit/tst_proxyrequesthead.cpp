// SPDX-License-Identifier: GPL-3.0-or-later
// ProxyRequestHead: the three request forms a proxy gets, what is wrong with a bad head, and exactly what the
// forwarded request changes.
#include "core/proxy/ProxyRequestHead.h"

#include <QTest>

using namespace wsi;

class tst_ProxyRequestHead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connect()
    {
        QString error;
        const auto head =
            ProxyRequestHead::parse("CONNECT Example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n", &error);
        QVERIFY2(head, qPrintable(error));
        QCOMPARE(head->form(), ProxyRequestHead::Form::Connect);
        QCOMPARE(head->host(), QStringLiteral("example.test"));
        QCOMPARE(head->port(), quint16(443));
        QVERIFY(!head->isWebSocketUpgrade());
        const auto v6 = ProxyRequestHead::parse("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n", &error);
        QVERIFY2(v6, qPrintable(error));
        QCOMPARE(v6->host(), QStringLiteral("::1"));
        QCOMPARE(v6->port(), quint16(8443));
    }

    void absoluteUpgrade()
    {
        QString error;
        const QByteArray raw = "GET http://127.0.0.1:9001/chat?room=1 HTTP/1.1\r\n"
                               "Host: 127.0.0.1:9001\r\n"
                               "Proxy-Connection: keep-alive\r\n"
                               "Connection: Upgrade\r\n"
                               "Upgrade: websocket\r\n"
                               "proxy-authorization: Basic dTpw\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n";
        const auto head = ProxyRequestHead::parse(raw, &error);
        QVERIFY2(head, qPrintable(error));
        QCOMPARE(head->form(), ProxyRequestHead::Form::Absolute);
        QVERIFY(head->isWebSocketUpgrade());
        QCOMPARE(head->webSocketUrl(false), QUrl(QStringLiteral("ws://127.0.0.1:9001/chat?room=1")));
        QCOMPARE(head->forwarded(), QByteArray("GET /chat?room=1 HTTP/1.1\r\n"
                                               "Host: 127.0.0.1:9001\r\n"
                                               "Connection: Upgrade\r\n"
                                               "Upgrade: websocket\r\n"
                                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                               "Sec-WebSocket-Version: 13\r\n\r\n"));
    }

    void absoluteWithoutPath()
    {
        QString error;
        const auto head =
            ProxyRequestHead::parse("GET http://example.test HTTP/1.1\r\nHost: example.test\r\n\r\n", &error);
        QVERIFY2(head, qPrintable(error));
        QCOMPARE(head->port(), quint16(80));
        QCOMPARE(head->originTarget(), QByteArray("/"));
        QCOMPARE(head->forwarded(), QByteArray("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n"));
        QVERIFY(!head->isWebSocketUpgrade());
        QCOMPARE(head->webSocketUrl(false), QUrl(QStringLiteral("ws://example.test/")));
    }

    void originFormIsForwardedUnchanged()
    {
        QString error;
        const QByteArray raw = "GET /feed HTTP/1.1\r\nHost: example.test:8080\r\nX-Odd:  spaced \r\n\r\n";
        const auto head = ProxyRequestHead::parse(raw, &error);
        QVERIFY2(head, qPrintable(error));
        QCOMPARE(head->form(), ProxyRequestHead::Form::Origin);
        QCOMPARE(head->host(), QStringLiteral("example.test"));
        QCOMPARE(head->port(), quint16(8080));
        QCOMPARE(head->forwarded(), raw);
    }

    void endOf()
    {
        QCOMPARE(ProxyRequestHead::endOf("GET / HTTP/1.1\r\nHost: a\r\n"), -1);
        QCOMPARE(ProxyRequestHead::endOf("GET / HTTP/1.1\r\n\r\nbody"), 18);
    }

    // A head that comes a few bytes at a time is found where it ends, whatever the cut, searching only what is new
    // (and the three bytes before it, where the empty line may have begun).
    void endOfSearchesOnlyWhatIsNew()
    {
        const QByteArray head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nrest";
        for (qsizetype step = 1; step <= 5; ++step) {
            QByteArray buffer;
            qsizetype searched = 0;
            qsizetype end = -1;
            while (end < 0 && buffer.size() < head.size()) {
                buffer += head.mid(buffer.size(), step);
                end = ProxyRequestHead::endOf(buffer, searched);
                searched = buffer.size();
            }
            QCOMPARE(end, head.indexOf("rest"));
        }
        // Told that everything was searched, it looks at the last three bytes only: a head that ended earlier is
        // not found again.
        QCOMPARE(ProxyRequestHead::endOf("A\r\n\r\nrest", 10), -1);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("error");
        QTest::newRow("garbage") << QByteArray("hello there\r\n\r\n")
                                 << QStringLiteral("the request line 'hello there' is not METHOD TARGET HTTP/1.x");
        QTest::newRow("not HTTP/1") << QByteArray("GET / SPDY/3\r\n\r\n")
                                    << QStringLiteral("the request line 'GET / SPDY/3' is not METHOD TARGET HTTP/1.x");
        QTest::newRow("bad header line") << QByteArray("GET http://a/ HTTP/1.1\r\nno colon here\r\n\r\n")
                                         << QStringLiteral("header line 1 'no colon here' is not NAME: VALUE");
        QTest::newRow("CONNECT without a port") << QByteArray("CONNECT example.test HTTP/1.1\r\n\r\n")
                                                << QStringLiteral("CONNECT needs host:port, not 'example.test'");
        QTest::newRow("CONNECT port 0") << QByteArray("CONNECT example.test:0 HTTP/1.1\r\n\r\n")
                                        << QStringLiteral("CONNECT needs host:port, not 'example.test:0'");
        QTest::newRow("https absolute form")
            << QByteArray("GET https://example.test/ HTTP/1.1\r\n\r\n")
            << QStringLiteral("the target 'https://example.test/' is neither http://host/path nor /path (https:// "
                              "goes through CONNECT)");
        QTest::newRow("user information") << QByteArray("GET http://user:pw@example.test/ HTTP/1.1\r\n\r\n")
                                          << QStringLiteral("the target 'http://user:pw@example.test/' carries user "
                                                            "information, which a proxy does not forward");
        QTest::newRow("bad port") << QByteArray("GET http://example.test:99999/ HTTP/1.1\r\n\r\n")
                                  << QStringLiteral("'example.test:99999' is not a host with an optional port");
        QTest::newRow("origin form without Host")
            << QByteArray("GET /x HTTP/1.1\r\n\r\n")
            << QStringLiteral("a request for '/x' without a Host field names no server");
        QTest::newRow("not ended") << QByteArray("GET / HTTP/1.1\r\n")
                                   << QStringLiteral("the request head does not end with an empty line");
    }
    void errors()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!ProxyRequestHead::parse(head, &got));
        QCOMPARE(got, error);
    }

    void tooLong()
    {
        QByteArray head = "GET http://a/ HTTP/1.1\r\nX: " + QByteArray(ProxyRequestHead::maxBytes, 'x') + "\r\n\r\n";
        QString error;
        QVERIFY(!ProxyRequestHead::parse(head, &error));
        QCOMPARE(error, QStringLiteral("the request head is longer than 65536 bytes"));
    }
};

QTEST_GUILESS_MAIN(tst_ProxyRequestHead)
#include "tst_proxyrequesthead.moc"
