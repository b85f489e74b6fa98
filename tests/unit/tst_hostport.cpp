// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HostPort.h"

#include <QTest>

using namespace wsi;

// HostPort writes host:port one way everywhere (peer addresses, error messages, tab titles, the Host field).
class tst_HostPort : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void format_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<quint16>("port");
        QTest::addColumn<QString>("expected");
        QTest::newRow("IPv4") << QStringLiteral("127.0.0.1") << quint16(9001) << QStringLiteral("127.0.0.1:9001");
        QTest::newRow("IPv6 in brackets") << QStringLiteral("::1") << quint16(9001) << QStringLiteral("[::1]:9001");
        QTest::newRow("name") << QStringLiteral("example.test") << quint16(443) << QStringLiteral("example.test:443");
    }
    void format()
    {
        QFETCH(QString, host);
        QFETCH(quint16, port);
        QFETCH(QString, expected);
        QCOMPARE(HostPort::format(host, port), expected);
    }

    void ofUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("port named") << QStringLiteral("ws://127.0.0.1:9001/chat") << QStringLiteral("127.0.0.1:9001");
        QTest::newRow("default port not named")
            << QStringLiteral("wss://example.test/feed") << QStringLiteral("example.test");
        QTest::newRow("IPv6") << QStringLiteral("ws://[::1]:9001/") << QStringLiteral("[::1]:9001");
    }
    void ofUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(HostPort::ofUrl(QUrl(url)), expected);
    }

    void hostField_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("ws default port left out")
            << QStringLiteral("ws://example.test:80/") << QByteArray("example.test");
        QTest::newRow("wss default port left out")
            << QStringLiteral("wss://example.test:443/") << QByteArray("example.test");
        QTest::newRow("other port kept") << QStringLiteral("wss://example.test:8443/")
                                         << QByteArray("example.test:8443");
        QTest::newRow("80 is not wss's default")
            << QStringLiteral("wss://example.test:80/") << QByteArray("example.test:80");
        QTest::newRow("IPv6 in brackets") << QStringLiteral("ws://[::1]:9001/") << QByteArray("[::1]:9001");
        QTest::newRow("internationalised name in ACE form")
            << QStringLiteral("ws://bücher.example/") << QByteArray("xn--bcher-kva.example");
    }
    void hostField()
    {
        QFETCH(QString, url);
        QFETCH(QByteArray, expected);
        QCOMPARE(HostPort::hostField(QUrl(url)), expected);
    }
};

QTEST_GUILESS_MAIN(tst_HostPort)
#include "tst_hostport.moc"
