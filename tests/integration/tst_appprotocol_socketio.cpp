// SPDX-License-Identifier: GPL-3.0-or-later
// core/appprotocol against a real socket.io 4 server (npm socket.io, tests/integration/peers/socketio_peer.js) on
// 127.0.0.1: `wsinspector-cli connect --json` talks to it without answering Engine.IO pings, and what it received is
// recognised and decoded, by the command itself ("decoded" on its message events), by the JSONL export of its
// recording alike, and here again. The server, as stock Socket.IO does, closes after pingInterval + pingTimeout
// without a pong, with a Close frame that has no status (1005). socket.io-client (npm) through `capture --json`:
// the relay's message events carry the decoded packets both ways.
#include "AppProtocolClient.h"
#include "CaptureProcess.h"
#include "CliProcess.h"
#include "PeerProcess.h"
#include "core/appprotocol/AppProtocolRegistry.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::test;

class tst_AppProtocolSocketIo : public QObject
{
    Q_OBJECT

private slots:
    void cliSessionDecodes();
    void relayedClientSessionDecodes();

    void cleanup();

private:
    bool startServer(int pingIntervalMs, int pingTimeoutMs);

    PeerProcess m_server;
    quint16 m_port = 0;
};

bool tst_AppProtocolSocketIo::startServer(int pingIntervalMs, int pingTimeoutMs)
{
    if (!m_server.startNodeScript(QStringLiteral("socketio_peer.js"),
                                  {QStringLiteral("--ping-interval"), QString::number(pingIntervalMs),
                                   QStringLiteral("--ping-timeout"), QString::number(pingTimeoutMs)},
                                  {QStringLiteral("socket.io")})) {
        qWarning("%s", qPrintable(m_server.errorString()));
        return false;
    }
    m_port = m_server.port();
    return true;
}

void tst_AppProtocolSocketIo::cleanup()
{
    m_server.stop();
}

void tst_AppProtocolSocketIo::cliSessionDecodes()
{
    QVERIFY(startServer(400, 300));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString recording = dir.filePath(QStringLiteral("socketio.wsirec"));
    // CONNECT to "/", then every 0.2 s an event asking for an ack (ids 1, 2, ...); no pong is ever sent. The
    // events keep the client busy, yet only a pong answers Engine.IO's ping.
    const CliRun run = runCli(
        {QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--send"), QStringLiteral("40"),
         QStringLiteral("--heartbeat-message"), QStringLiteral("42{{seq}}[\"hello\",\"inspector\"]"),
         QStringLiteral("--heartbeat-interval"), QStringLiteral("0.2"), QStringLiteral("--duration"),
         QStringLiteral("5"), QStringLiteral("--record"), recording});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);

    // What the command decoded itself: every message, one Socket.IO packet each, the open packet's timers, the
    // server's event with its namespace and arguments, its pings.
    const QList<DecodedEvent> printed = decodedEvents(events);
    QCOMPARE(printed.size(), eventsNamed(events, QStringLiteral("message")).size());
    const QString server = QStringLiteral("server");
    const QJsonObject printedOpen = firstDecoded(printed, server, QStringLiteral("open"));
    QCOMPARE(printedOpen.value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
    QCOMPARE(printedOpen.value(QStringLiteral("pingInterval")).toInt(), 400);
    QVERIFY(!firstDecoded(printed, server, QStringLiteral("ping")).isEmpty());
    const QJsonObject printedWelcome = firstDecoded(printed, server, QStringLiteral("EVENT"));
    QCOMPARE(printedWelcome.value(QStringLiteral("namespace")).toString(), QStringLiteral("/"));
    QCOMPARE(printedWelcome.value(QStringLiteral("event")).toString(), QStringLiteral("welcome"));
    QCOMPARE(printedWelcome.value(QStringLiteral("args")).toArray().first().toObject().value(QStringLiteral("clients")),
             QJsonValue(1));
    const QJsonObject printedHello = firstDecoded(printed, QStringLiteral("client"), QStringLiteral("EVENT"));
    QCOMPARE(printedHello.value(QStringLiteral("args")).toArray(), QJsonArray{QStringLiteral("inspector")});

    // The JSONL export of the recording says the same of every message.
    const QString exported = dir.filePath(QStringLiteral("socketio.jsonl"));
    const CliRun exportRun = runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), exported});
    QVERIFY2(exportRun.finished && exportRun.exitCode == 0, qPrintable(describe(exportRun)));
    QFile exportedFile(exported);
    QVERIFY(exportedFile.open(QIODevice::ReadOnly));
    const QList<DecodedEvent> fromExport = decodedEvents(jsonLines(exportedFile.readAll()));
    QCOMPARE(fromExport.size(), printed.size());
    for (qsizetype i = 0; i < printed.size(); ++i) {
        QCOMPARE(fromExport[i].sender, printed[i].sender);
        QCOMPARE(fromExport[i].decoded, printed[i].decoded);
    }

    QList<AppMessage> messages;
    QList<double> times;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("message"))) {
        times.append(event.value(QStringLiteral("t")).toDouble());
        const bool in = event.value(QStringLiteral("dir")).toString() == QLatin1String("in");
        const bool binary = event.value(QStringLiteral("type")).toString() == QLatin1String("binary");
        const QByteArray payload =
            event.value(QStringLiteral("payload_encoding")).toString() == QLatin1String("base64")
                ? QByteArray::fromBase64(event.value(QStringLiteral("payload")).toString().toLatin1())
                : event.value(QStringLiteral("payload")).toString().toUtf8();
        messages.append(AppMessage{in ? Endpoint::Server : Endpoint::Client, binary, payload});
    }
    QVERIFY2(messages.size() >= 5, run.out.constData());

    const std::optional<Recognition> recognition =
        AppProtocolRegistry::recognize(ConnectionFacts{QUrl(url), {}, {}}, messages);
    QVERIFY(recognition.has_value());
    QCOMPARE(recognition->protocol, AppProtocol::SocketIo);
    QCOMPARE(recognition->engineIoVersion, 4);
    QVERIFY2(recognition->reason.contains(QLatin1String("open packet")), qPrintable(recognition->reason));

    const std::unique_ptr<MessageDecoder> decoder = AppProtocolRegistry::createDecoder(*recognition);
    DecodedMessages decoded;
    for (const AppMessage &message : messages) {
        const DecodedMessages some = decoder->decode(message);
        QCOMPARE(some.size(), 1);
        QVERIFY2(some.first().isValid(), qPrintable(some.first().violation.value_or(DecodeViolation{}).describe()));
        decoded.append(some);
    }
    double firstPingTime = -1;
    auto find = [&](const QString &kind, Endpoint sender) -> std::optional<DecodedMessage> {
        for (qsizetype i = 0; i < decoded.size(); ++i) {
            if (decoded[i].kind == kind && messages[i].sender == sender) {
                if (kind == QLatin1String("ping") && firstPingTime < 0)
                    firstPingTime = times[i];
                return decoded[i];
            }
        }
        return std::nullopt;
    };
    const std::optional<DecodedMessage> open = find(QStringLiteral("open"), Endpoint::Server);
    QVERIFY(open.has_value());
    QCOMPARE(open->fields.value(QStringLiteral("pingInterval")).toInt(), 400);
    QCOMPARE(open->fields.value(QStringLiteral("pingTimeout")).toInt(), 300);
    const std::optional<DecodedMessage> connected = find(QStringLiteral("CONNECT"), Endpoint::Server);
    QVERIFY(connected.has_value());
    QVERIFY(connected->fields.value(QStringLiteral("data")).toObject().contains(QStringLiteral("sid")));
    const std::optional<DecodedMessage> welcome = find(QStringLiteral("EVENT"), Endpoint::Server);
    QVERIFY(welcome.has_value());
    QCOMPARE(welcome->fields.value(QStringLiteral("event")).toString(), QStringLiteral("welcome"));
    const std::optional<DecodedMessage> hello = find(QStringLiteral("EVENT"), Endpoint::Client);
    const std::optional<DecodedMessage> ack = find(QStringLiteral("ACK"), Endpoint::Server);
    QVERIFY(hello && ack);
    QCOMPARE(hello->correlation, Correlation::request(QStringLiteral("ack / 1")));
    QCOMPARE(ack->correlation, Correlation::reply(QStringLiteral("ack / 1")));
    QCOMPARE(ack->fields.value(QStringLiteral("args")).toArray(), QJsonArray{QStringLiteral("hi inspector")});
    QVERIFY(find(QStringLiteral("ping"), Endpoint::Server).has_value());
    QVERIFY(!find(QStringLiteral("pong"), Endpoint::Client).has_value());

    // Nobody answered the ping: the server closed, not sooner than pingTimeout after its ping, with no status,
    // before our own --duration ran out.
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY2(!closes.isEmpty(), run.out.constData());
    QCOMPARE(closes.last().value(QStringLiteral("code")).toInt(), 1005);
    QCOMPARE(closes.last().value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    const double closeTime = closes.last().value(QStringLiteral("t")).toDouble();
    QVERIFY2(closeTime - firstPingTime >= 0.29,
             qPrintable(QStringLiteral("ping at %1 s, close at %2 s").arg(firstPingTime).arg(closeTime)));
    QVERIFY(closeTime < 5.0);
}

void tst_AppProtocolSocketIo::relayedClientSessionDecodes()
{
    QVERIFY(startServer(25000, 20000));
    CaptureProcess capture;
    QVERIFY2(capture.start({}), qPrintable(capture.errorString()));
    QString error;
    const QJsonObject result = runAppProtocolClient(
        {QStringLiteral("socketio"), QStringLiteral("http://127.0.0.1:%1").arg(m_port), capture.proxyUrl()}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonObject connection = capture.waitForEvent("connection", [](const QJsonObject &e) {
        return e.value(QStringLiteral("url")).toString().contains(QStringLiteral("/socket.io/?EIO=4"));
    });
    QVERIFY2(!connection.isEmpty(), "no WebSocket connection through the capture proxy");
    const int conn = connection.value(QStringLiteral("conn")).toInt();
    QVERIFY(!capture
                 .waitForEvent("closed",
                               [conn](const QJsonObject &e) { return e.value(QStringLiteral("conn")).toInt() == conn; })
                 .isEmpty());
    QVERIFY(capture.stop());

    const QList<QJsonObject> events = capture.eventsOf(conn);
    const QList<DecodedEvent> decoded = decodedEvents(events);
    QCOMPARE(decoded.size(), eventsNamed(events, QStringLiteral("message")).size());
    const QString client = QStringLiteral("client");
    const QString server = QStringLiteral("server");
    QCOMPARE(firstDecoded(decoded, server, QStringLiteral("open")).value(QStringLiteral("pingInterval")).toInt(),
             25000);
    QVERIFY(!firstDecoded(decoded, client, QStringLiteral("CONNECT")).isEmpty());
    QVERIFY(!firstDecoded(decoded, server, QStringLiteral("CONNECT")).isEmpty());
    const QJsonObject welcome = firstDecoded(decoded, server, QStringLiteral("EVENT"));
    QCOMPARE(welcome.value(QStringLiteral("event")).toString(), QStringLiteral("welcome"));
    const QJsonObject hello = firstDecoded(decoded, client, QStringLiteral("EVENT"));
    QCOMPARE(hello.value(QStringLiteral("event")).toString(), QStringLiteral("hello"));
    QCOMPARE(hello.value(QStringLiteral("args")).toArray(), QJsonArray{QStringLiteral("inspector")});
    const QJsonObject ack = firstDecoded(decoded, server, QStringLiteral("ACK"));
    QCOMPARE(ack.value(QStringLiteral("args")).toArray(), QJsonArray{QStringLiteral("hi inspector")});
    QCOMPARE(ack.value(QStringLiteral("correlation")).toObject().value(QStringLiteral("key")),
             hello.value(QStringLiteral("correlation")).toObject().value(QStringLiteral("key")));
    QVERIFY(!firstDecoded(decoded, client, QStringLiteral("DISCONNECT")).isEmpty());
}

QTEST_GUILESS_MAIN(tst_AppProtocolSocketIo)
#include "tst_appprotocol_socketio.moc"
