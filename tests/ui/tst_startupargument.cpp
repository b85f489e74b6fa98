// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/StartupArgument.h"

#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

class tst_StartupArgument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data()
    {
        QTest::addColumn<QString>("argument");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("target"); // the URL, the path, or a part of the problem
        const int url = int(StartupArgument::Kind::Url);
        const int file = int(StartupArgument::Kind::File);
        const int invalid = int(StartupArgument::Kind::Invalid);
        QTest::newRow("ws URL") << QStringLiteral("ws://127.0.0.1:9001/chat") << url
                                << QStringLiteral("ws://127.0.0.1:9001/chat");
        QTest::newRow("wss URL") << QStringLiteral("wss://example.test/feed") << url
                                 << QStringLiteral("wss://example.test/feed");
        QTest::newRow("host:port") << QStringLiteral("localhost:8080") << url << QStringLiteral("ws://localhost:8080");
        QTest::newRow("host") << QStringLiteral("example.test") << url << QStringLiteral("ws://example.test");
        QTest::newRow("a variable, asked for when connecting") << QStringLiteral("ws://h.test/rooms/{{room}}") << url
                                                               << QStringLiteral("ws://h.test/rooms/%7B%7Broom%7D%7D");
        QTest::newRow("IPv6 and port") << QStringLiteral("[::1]:9001") << url << QStringLiteral("ws://[::1]:9001");
        QTest::newRow("missing absolute path")
            << QStringLiteral("/path/missing.har") << file << QStringLiteral("/path/missing.har");
        QTest::newRow("missing file by its name")
            << QStringLiteral("capture.har") << file << QStringLiteral("capture.har");
        QTest::newRow("missing recording")
            << QStringLiteral("session.wsirec") << file << QStringLiteral("session.wsirec");
        QTest::newRow("relative path") << QStringLiteral("./notes") << file << QStringLiteral("./notes");
        QTest::newRow("file URL") << QStringLiteral("file:///tmp/a.har") << file << QStringLiteral("/tmp/a.har");
        QTest::newRow("bad port") << QStringLiteral("ws://127.0.0.1:99999") << invalid
                                  << QStringLiteral("port 99999 is out of range 1-65535");
        QTest::newRow("bad port without scheme") << QStringLiteral("127.0.0.1:99999") << invalid
                                                 << QStringLiteral("127.0.0.1:99999: port 99999 is out of range");
        QTest::newRow("http") << QStringLiteral("http://example.test/") << invalid
                              << QStringLiteral("a WebSocket URL starts with ws:// or wss://");
        QTest::newRow("neither") << QStringLiteral("what is this?") << invalid
                                 << QStringLiteral("neither a ws:// or wss:// URL, host[:port], nor a file");
    }
    void classify()
    {
        QFETCH(QString, argument);
        QFETCH(int, kind);
        QFETCH(QString, target);
        const StartupArgument classified = StartupArgument::classify(argument);
        QCOMPARE(int(classified.kind), kind);
        switch (classified.kind) {
        case StartupArgument::Kind::Url:
            QCOMPARE(classified.url, QUrl(target));
            break;
        case StartupArgument::Kind::File:
            QCOMPARE(classified.path, target);
            break;
        case StartupArgument::Kind::Invalid:
            QVERIFY2(classified.problem.contains(target), qPrintable(classified.problem));
            QVERIFY(!classified.problem.contains(QLatin1StringView("scheme = ")));
            break;
        }
    }
    void anExistingFileIsAFileWhateverItsName()
    {
        QTemporaryDir dir;
        QVERIFY(QDir::setCurrent(dir.path()));
        QFile file(QStringLiteral("localhost"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QCOMPARE(StartupArgument::classify(QStringLiteral("localhost")).kind, StartupArgument::Kind::File);
    }
};

QTEST_GUILESS_MAIN(tst_StartupArgument)
#include "tst_startupargument.moc"
