// SPDX-License-Identifier: GPL-3.0-or-later
// --proto FILE --proto-message TYPE end to end: a python websockets server (python_peer.py echo) sends back a
// protobuf message made by protoc --encode; `connect --json` shows its fields by name in "decoded", and the export
// of the recording (JSON lines and HAR) says the same, as does `proxy --json` relaying it. The argument errors: a
// missing file, a .proto with an error (its line and column), an unknown message type (the types the file declares),
// one flag without the other.
#include "CaptureProcess.h"
#include "CliProcess.h"
#include "PeerProcess.h"
#include "ProtocEncoder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::test;

namespace {

const QByteArray tradeProto = R"(syntax = "proto3";
package market;

enum Side {
  SIDE_UNSPECIFIED = 0;
  BUY = 1;
  SELL = 2;
}

message Trade {
  string symbol = 1;
  Side side = 2;
  repeated double prices = 3;
  map<string, string> tags = 4;
  Venue venue = 5;
}

message Venue {
  string name = 1;
}
)";

const QByteArray tradeText = R"(symbol: "ACME" side: SELL prices: 1.5 prices: 2.25
tags { key: "desk" value: "fx" } venue { name: "XPAR" })";

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

// The one decoded object of the event, checked against the trade sent.
void checkDecodedTrade(const QJsonObject &event, const QString &field = QStringLiteral("decoded"))
{
    const QJsonArray decoded = event.value(field).toArray();
    QCOMPARE(decoded.size(), 1);
    const QJsonObject trade = decoded.first().toObject();
    QCOMPARE(trade.value(QStringLiteral("protocol")).toString(), QStringLiteral("protobuf"));
    QCOMPARE(trade.value(QStringLiteral("kind")).toString(), QStringLiteral("market.Trade"));
    QVERIFY(!trade.contains(QStringLiteral("violation")));
    const QJsonObject message = trade.value(QStringLiteral("message")).toObject();
    QCOMPARE(message.value(QStringLiteral("symbol")).toString(), QStringLiteral("ACME"));
    QCOMPARE(message.value(QStringLiteral("side")).toString(), QStringLiteral("SELL"));
    QCOMPARE(message.value(QStringLiteral("prices")).toArray(), (QJsonArray{1.5, 2.25}));
    QCOMPARE(message.value(QStringLiteral("tags")).toObject(),
             (QJsonObject{{QStringLiteral("desk"), QStringLiteral("fx")}}));
    QCOMPARE(message.value(QStringLiteral("venue")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("XPAR"));
}

} // namespace

class tst_CliProtobuf : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_proto;
    QByteArray m_trade;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_proto = m_dir.filePath(QStringLiteral("trade.proto"));
        writeFile(m_proto, tradeProto);
        QString error;
        m_trade = protocEncode(m_proto, QStringLiteral("market.Trade"), tradeText, &error);
        QVERIFY2(!m_trade.isEmpty(), qPrintable(error));
    }

    void connectJsonDecodesBinaryMessages()
    {
        PeerProcess peer;
        QVERIFY2(peer.startPeer(PeerProcess::Peer::Python, {QStringLiteral("echo")}), qPrintable(peer.errorString()));
        const QString recording = m_dir.filePath(QStringLiteral("trade.wsirec"));
        const CliRun run =
            runCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(peer.port()),
                    QStringLiteral("--json"), QStringLiteral("--send"), QStringLiteral("hello"),
                    QStringLiteral("--send-hex"), QString::fromLatin1(m_trade.toHex()), QStringLiteral("--proto"),
                    m_proto, QStringLiteral("--proto-message"), QStringLiteral("market.Trade"),
                    QStringLiteral("--record"), recording, QStringLiteral("--duration"), QStringLiteral("1")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        const QList<QJsonObject> messages = eventsNamed(jsonLines(run.out), QStringLiteral("message"));
        QList<QJsonObject> binary;
        for (const QJsonObject &message : messages) {
            if (message.value(QStringLiteral("type")).toString() == QLatin1StringView("binary"))
                binary.append(message);
            else // text messages are not protobuf: no protocol speaks here, so nothing is decoded
                QVERIFY(!message.contains(QStringLiteral("decoded")));
        }
        // Ours and the server's echo.
        QVERIFY2(binary.size() == 2, run.out.constData());
        QCOMPARE(binary.last().value(QStringLiteral("dir")).toString(), QStringLiteral("in"));
        for (const QJsonObject &message : binary) {
            checkDecodedTrade(message);
            if (QTest::currentTestFailed())
                return;
        }

        // The export of the recording says the same.
        const CliRun jsonl = runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"),
                                     QStringLiteral("-"), QStringLiteral("--proto"), m_proto,
                                     QStringLiteral("--proto-message"), QStringLiteral("market.Trade")});
        QVERIFY2(jsonl.finished && jsonl.exitCode == 0, qPrintable(describe(jsonl)));
        int decoded = 0;
        for (const QJsonObject &message : eventsNamed(jsonLines(jsonl.out), QStringLiteral("message"))) {
            if (message.contains(QStringLiteral("decoded"))) {
                checkDecodedTrade(message);
                ++decoded;
            }
        }
        QCOMPARE(decoded, 2);
        const CliRun har = runCli({QStringLiteral("export"), recording, QStringLiteral("--har"), QStringLiteral("-"),
                                   QStringLiteral("--proto"), m_proto, QStringLiteral("--proto-message"),
                                   QStringLiteral("market.Trade")});
        QVERIFY2(har.finished && har.exitCode == 0, qPrintable(describe(har)));
        const QJsonArray harMessages = QJsonDocument::fromJson(har.out)
                                           .object()
                                           .value(QStringLiteral("log"))
                                           .toObject()
                                           .value(QStringLiteral("entries"))
                                           .toArray()
                                           .first()
                                           .toObject()
                                           .value(QStringLiteral("_webSocketMessages"))
                                           .toArray();
        decoded = 0;
        for (const QJsonValue &message : harMessages) {
            if (message.toObject().contains(QStringLiteral("_decoded"))) {
                checkDecodedTrade(message.toObject(), QStringLiteral("_decoded"));
                ++decoded;
            }
        }
        QCOMPARE(decoded, 2);
    }

    void proxyJsonDecodesRelayedBinaryMessages()
    {
        PeerProcess peer;
        QVERIFY2(peer.startPeer(PeerProcess::Peer::Python, {QStringLiteral("echo")}), qPrintable(peer.errorString()));
        CaptureProcess proxy;
        QVERIFY2(proxy.start({QStringLiteral("--upstream"), QStringLiteral("ws://127.0.0.1:%1/").arg(peer.port()),
                              QStringLiteral("--proto"), m_proto, QStringLiteral("--proto-message"),
                              QStringLiteral("market.Trade")},
                             QStringLiteral("proxy")),
                 qPrintable(proxy.errorString()));
        const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(proxy.port()),
                                   QStringLiteral("--send-hex"), QString::fromLatin1(m_trade.toHex()),
                                   QStringLiteral("--duration"), QStringLiteral("1")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY(!proxy.waitForEvent("closed", [](const QJsonObject &) { return true; }).isEmpty());
        QVERIFY(proxy.stop());
        QStringList senders;
        for (const QJsonObject &event : proxy.eventsOf(1)) {
            if (event.value(QStringLiteral("event")).toString() != QLatin1StringView("message"))
                continue;
            senders.append(event.value(QStringLiteral("from")).toString());
            checkDecodedTrade(event);
            if (QTest::currentTestFailed())
                return;
        }
        // The client's message and the server's echo, both read as market.Trade.
        QCOMPARE(senders, (QStringList{QStringLiteral("client"), QStringLiteral("server")}));
    }

    void argumentErrors_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("protoName");
        QTest::addColumn<QByteArray>("protoContent");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("error");
        QTest::newRow("missing file") << QStringLiteral("connect") << QStringLiteral("absent.proto") << QByteArray()
                                      << QStringLiteral("market.Trade")
                                      << QStringLiteral("--proto: %1/absent.proto: no such file");
        QTest::newRow("parse error") << QStringLiteral("proxy") << QStringLiteral("broken.proto")
                                     << QByteArray(
                                            "syntax = \"proto3\";\n\nmessage Trade {\n  string symbol = one;\n}\n")
                                     << QStringLiteral("Trade")
                                     << QStringLiteral("--proto: broken.proto:4:19: Expected field number.");
        QTest::newRow("unknown type") << QStringLiteral("export") << QStringLiteral("trade.proto") << tradeProto
                                      << QStringLiteral("market.Order")
                                      << QStringLiteral("--proto-message: %1/trade.proto declares no message type "
                                                        "market.Order; it declares: market.Trade, market.Venue");
        QTest::newRow("type without file")
            << QStringLiteral("capture") << QString() << QByteArray() << QStringLiteral("market.Trade")
            << QStringLiteral("--proto-message goes with --proto FILE");
        QTest::newRow("file without type") << QStringLiteral("connect") << QStringLiteral("trade.proto") << tradeProto
                                           << QString() << QStringLiteral("--proto goes with --proto-message TYPE");
    }

    void argumentErrors()
    {
        QFETCH(QString, command);
        QFETCH(QString, protoName);
        QFETCH(QByteArray, protoContent);
        QFETCH(QString, type);
        QFETCH(QString, error);
        QTemporaryDir dir;
        QStringList arguments{command};
        if (command == QLatin1StringView("connect"))
            arguments << QStringLiteral("ws://127.0.0.1:9/");
        else if (command == QLatin1StringView("proxy"))
            arguments << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0") << QStringLiteral("--upstream")
                      << QStringLiteral("ws://127.0.0.1:9/");
        else if (command == QLatin1StringView("capture"))
            arguments << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
        else
            arguments << m_dir.filePath(QStringLiteral("none.wsirec")) << QStringLiteral("--jsonl")
                      << QStringLiteral("-");
        if (!protoName.isEmpty()) {
            if (!protoContent.isEmpty())
                writeFile(dir.filePath(protoName), protoContent);
            arguments << QStringLiteral("--proto") << dir.filePath(protoName);
        }
        if (!type.isEmpty())
            arguments << QStringLiteral("--proto-message") << type;
        const CliRun run = runCli(arguments);
        QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
        const QString expected = error.contains(QLatin1StringView("%1")) ? error.arg(dir.path()) : error;
        QVERIFY2(QString::fromUtf8(run.err).contains(expected), qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(tst_CliProtobuf)
#include "tst_cli_protobuf.moc"
