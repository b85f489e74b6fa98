// SPDX-License-Identifier: GPL-3.0-or-later
// The relay's rules on the wire: a relay with a RuleSet between a Node `ws` client (peers/node_rules_client.js, which
// reports everything it received) and a Node `ws` server (peers/node_peer.js: echo, or ping, which reports whether its
// ping was answered), on 127.0.0.1. Each action is checked by what the other end really received, and by what the
// relay recorded (the frames received, the frames it wrote itself flagged Injected, and the rule that acted). Then the
// command line: a bad rule file refused with exit 2 before anything listens, and the --json marks and the recording's
// flags of a relayed connection.
#include "CaptureProcess.h"
#include "CliProcess.h"
#include "PeerProcess.h"
#include "core/protocol/ClosePayload.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/TimeoutProxy.h"
#include "core/recordings/RecordingReader.h"
#include "core/rules/RuleFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int waitMs = 20000;

std::shared_ptr<RuleSet> rulesFrom(const QByteArray &json)
{
    QString error;
    std::shared_ptr<RuleSet> rules = RuleFile::parse(json, &error);
    if (!rules)
        qFatal("%s", qPrintable(error));
    return rules;
}

// `json` as rules.json in `dir`; its path, or empty when it cannot be written.
QString writeRulesFile(const QTemporaryDir &dir, const QByteArray &json)
{
    const QString path = dir.filePath(QStringLiteral("rules.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
        return {};
    return path;
}

int receivedAt(const QJsonObject &report, qsizetype index)
{
    return report.value(QStringLiteral("received")).toArray().at(index).toObject().value(QStringLiteral("t")).toInt();
}

QStringList receivedTexts(const QJsonObject &report)
{
    QStringList texts;
    for (const QJsonValue &value : report.value(QStringLiteral("received")).toArray()) {
        const QJsonObject message = value.toObject();
        texts.append(message.contains(QStringLiteral("text"))
                         ? message.value(QStringLiteral("text")).toString()
                         : QStringLiteral("binary:") + message.value(QStringLiteral("binary")).toString());
    }
    return texts;
}

// The code of the Close the server sent (not one the relay wrote), or -1.
int serverCloseCode(const FrameLog &log)
{
    for (qsizetype i = 0; i < log.frameCount(); ++i) {
        const FrameRecord &frame = log.frame(i);
        if (frame.opcode == Opcodes::value(Opcode::Close) && frame.direction() == Direction::Incoming &&
            !frame.has(FrameRecord::Injected))
            return ClosePayload::decode(log.framePayload(i)).code.value_or(-1);
    }
    return -1;
}

} // namespace

class tst_RelayRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void replaceAndDrop();
    void firstMatchWinsAndRulesSwitchLive();
    void delayKeepsTheOrder();
    void pongsDoNotWaitBehindDelayedMessages();
    void duplicate();
    void closeToTheClient();
    void closeToBothEndsCleanly();
    void closeToTheClientKeepsTheServer();
    void closeToTheServerKeepsTheClient();
    void abortResetsTheClient();
    void blackholeLeavesBothOpen();
    void noPongAndDelayPong();
    void noPongStarvesASocketIoServer();
    void deflateOfferedAndDeclinedUpstream();
    void injectOnceEveryAndOnAMatch();
    void stallHoldsThenResumesInOrder();
    void stallPausesReadingInsteadOfQueueing();
    void throttleSpreadsTheBytes();
    void stallAndThrottleSwitchedOffEndAtOnce();
    void replaceAtAJsonPath();
    void matchOnTheSocketIoEvent();
    void overTheBudgetFailsClearly();
    void badRuleFilesExitTwo();
    void jsonAndRecordingMarkWhatRulesDid();
    void captureAppliesRulesThroughConnect();
    void proxyCommandInjectsAndEditsJson();
    void pauseEditsDropsAndAnswers();
    void pauseHoldsLaterMessagesInOrderButNotPingsOrOtherConnections();
    void pauseTimesOutUnchanged();
    void pausedMessagesGoWithTheirConnection();
    void pauseCountsAgainstTheBudget();
    void proxyCommandDecidesHeldMessagesOnStdin();

private:
    bool startRelay(const QByteArray &rulesJson, const QStringList &peerArguments = {QStringLiteral("echo")},
                    qint64 budget = 64 * 1024 * 1024, std::shared_ptr<HeldMessages> held = nullptr);
    // Starts the client through the relay; finishClient() waits for it and returns its report.
    void startClient(QProcess &client, const QStringList &steps, const QStringList &options = {});
    QJsonObject finishClient(QProcess &client);
    // Runs the client through the relay with `steps` and returns its report.
    QJsonObject runClient(const QStringList &steps, const QStringList &options = {});
    ProxyConnection *onlyConnection() const;

    PeerProcess m_server;
    std::shared_ptr<RuleSet> m_rules;
    std::unique_ptr<TimeoutProxy> m_proxy;
    QString m_node;
};

void tst_RelayRules::init()
{
    QString error;
    m_node = PeerProcess::findProgram({QStringLiteral("node"), QStringLiteral("nodejs")},
                                      QStringLiteral("nodejs (and node-ws)"), &error);
    QVERIFY2(!m_node.isEmpty(), qPrintable(error));
}

void tst_RelayRules::cleanup()
{
    m_proxy.reset();
    m_server.stop();
    m_rules.reset();
}

bool tst_RelayRules::startRelay(const QByteArray &rulesJson, const QStringList &peerArguments, qint64 budget,
                                std::shared_ptr<HeldMessages> held)
{
    if (!m_server.startPeer(PeerProcess::Peer::Node, peerArguments)) {
        qWarning("%s", qPrintable(m_server.errorString()));
        return false;
    }
    m_rules = rulesFrom(rulesJson);
    ProxyOptions options;
    options.upstream = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()));
    options.rules = m_rules;
    options.rulesBudgetBytes = budget;
    options.heldMessages = std::move(held);
    m_proxy = std::make_unique<TimeoutProxy>(options);
    if (!m_proxy->listen()) {
        qWarning("%s", qPrintable(m_proxy->errorString()));
        return false;
    }
    return true;
}

QJsonObject tst_RelayRules::runClient(const QStringList &steps, const QStringList &options)
{
    QProcess client;
    startClient(client, steps, options);
    return finishClient(client);
}

void tst_RelayRules::startClient(QProcess &client, const QStringList &steps, const QStringList &options)
{
    client.start(m_node, QStringList{QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_rules_client.js"),
                                     m_proxy->url().toString()} +
                             options + steps);
}

QJsonObject tst_RelayRules::finishClient(QProcess &client)
{
    // The relay runs on this thread: its event loop must keep turning while the client runs.
    if (!QTest::qWaitFor([&] { return client.state() == QProcess::NotRunning; }, waitMs)) {
        client.kill();
        client.waitForFinished();
        qWarning("the client did not finish within %d ms", waitMs);
        return {};
    }
    const QByteArray out = client.readAllStandardOutput();
    const QJsonObject report = QJsonDocument::fromJson(out.trimmed()).object();
    if (report.isEmpty())
        qWarning("client printed %s; stderr %s", out.constData(), client.readAllStandardError().constData());
    return report;
}

ProxyConnection *tst_RelayRules::onlyConnection() const
{
    const QList<ProxyConnection *> connections = m_proxy->connections();
    return connections.size() == 1 ? connections.constFirst() : nullptr;
}

void tst_RelayRules::replaceAndDrop()
{
    QVERIFY(startRelay(R"json({"rules": [
        {"name": "redact", "from": "client", "opcode": "text", "match": "secret-(\\d+)", "action": "replace",
         "with": "public-\\1"},
        {"name": "quiet", "from": "client", "match": "^drop", "action": "drop"}]})json"));
    const QJsonObject report = runClient({QStringLiteral("send:my secret-42 and secret-7"),
                                          QStringLiteral("send:drop me"), QStringLiteral("send:café stays")});
    // The echo server sends back what it got: the replacement (both matches, with their groups), never the dropped
    // message.
    QCOMPARE(receivedTexts(report),
             QStringList({QStringLiteral("my public-42 and public-7"), QStringLiteral("café stays")}));

    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    // Received and written: the original (marked with its rule), the relay's own frame (Injected, masked toward the
    // server with a key of its own), the dropped one (marked), the plain one, and the server's echoes.
    QList<qsizetype> fromClient;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        if (log->frame(i).direction() == Direction::Outgoing)
            fromClient.append(i);
    }
    QCOMPARE(fromClient.size(), 4);
    QCOMPARE(log->framePayload(fromClient[0]), QByteArrayView("my secret-42 and secret-7"));
    QVERIFY(!log->frame(fromClient[0]).has(FrameRecord::Injected));
    QCOMPARE(connection->ruleOfFrame(fromClient[0])->name, QStringLiteral("redact"));
    QCOMPARE(log->framePayload(fromClient[1]), QByteArrayView("my public-42 and public-7"));
    QVERIFY(log->frame(fromClient[1]).has(FrameRecord::Injected));
    QVERIFY(log->frame(fromClient[1]).has(FrameRecord::Masked));
    QVERIFY(log->frame(fromClient[1]).maskingKey != log->frame(fromClient[0]).maskingKey);
    QCOMPARE(connection->ruleOfFrame(fromClient[1])->name, QStringLiteral("redact"));
    QCOMPARE(log->framePayload(fromClient[2]), QByteArrayView("drop me"));
    QCOMPARE(connection->ruleOfFrame(fromClient[2])->action, Rule::Action::Drop);
    QVERIFY(!connection->ruleOfFrame(fromClient[3]));
}

void tst_RelayRules::firstMatchWinsAndRulesSwitchLive()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "let", "match": "^x", "action": "pass"},
                                     {"name": "stop", "match": "^x", "action": "drop"}]})"));
    // The first rule lets x1 through although the second matches it too; switched off while the connection runs,
    // it no longer does, and the second drops x2.
    QTimer::singleShot(700, this, [this] { m_rules->setEnabled(0, false); });
    const QJsonObject report = runClient(
        {QStringLiteral("send:x1"), QStringLiteral("wait:1400"), QStringLiteral("send:x2"), QStringLiteral("send:y")});
    QCOMPARE(receivedTexts(report), QStringList({QStringLiteral("x1"), QStringLiteral("y")}));
}

void tst_RelayRules::delayKeepsTheOrder()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "slow", "from": "server", "match": "^slow", "action": "delay",
                                      "ms": 500}]})"));
    const QJsonObject report = runClient({QStringLiteral("send:slow one"), QStringLiteral("send:fast one")});
    QCOMPARE(receivedTexts(report), QStringList({QStringLiteral("slow one"), QStringLiteral("fast one")}));
    const QJsonArray received = report.value(QStringLiteral("received")).toArray();
    // Held for its delay, and the message after it waited behind it rather than overtaking it.
    QVERIFY2(received.at(0).toObject().value(QStringLiteral("t")).toInt() >= 490,
             QJsonDocument(report).toJson().constData());
    QVERIFY(received.at(1).toObject().value(QStringLiteral("t")).toInt() >=
            received.at(0).toObject().value(QStringLiteral("t")).toInt());
}

void tst_RelayRules::pongsDoNotWaitBehindDelayedMessages()
{
    QVERIFY(startRelay(R"({"rules": [{"from": "server", "match": "^slow", "action": "delay", "ms": 1500}]})"));
    const QJsonObject report =
        runClient({QStringLiteral("send:slow"), QStringLiteral("wait:100"), QStringLiteral("ping:here")});
    const QJsonArray pongs = report.value(QStringLiteral("pongs")).toArray();
    QCOMPARE(pongs.size(), 1);
    QCOMPARE(receivedTexts(report), QStringList{QStringLiteral("slow")});
    // The server's pong went on at once, while its earlier message waited out its delay.
    QVERIFY2(pongs.at(0).toObject().value(QStringLiteral("t")).toInt() <
                 report.value(QStringLiteral("received")).toArray().at(0).toObject().value(QStringLiteral("t")).toInt(),
             QJsonDocument(report).toJson().constData());
}

void tst_RelayRules::duplicate()
{
    QVERIFY(
        startRelay(R"({"rules": [{"name": "twice", "from": "server", "opcode": "binary", "action": "duplicate"}]})"));
    const QJsonObject report = runClient({QStringLiteral("binary:abc"), QStringLiteral("send:abc")});
    QCOMPARE(receivedTexts(report),
             QStringList({QStringLiteral("binary:abc"), QStringLiteral("binary:abc"), QStringLiteral("abc")}));
}

void tst_RelayRules::closeToTheClient()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "bye", "from": "server", "match": "^bye$", "action": "close",
                                      "to": "client", "code": 4000, "reason": "injected"}]})"));
    const QJsonObject report = runClient({QStringLiteral("send:hello"), QStringLiteral("send:bye"),
                                          QStringLiteral("wait:300"), QStringLiteral("send:never")});
    QCOMPARE(receivedTexts(report), QStringList{QStringLiteral("hello")});
    const QJsonObject close = report.value(QStringLiteral("close")).toObject();
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 4000);
    QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("injected"));
}

void tst_RelayRules::closeToBothEndsCleanly()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "end", "from": "client", "match": "^end$", "action": "close",
                                      "code": 4001, "reason": "both"}]})"));
    const QJsonObject report = runClient({QStringLiteral("send:end")});
    QCOMPARE(report.value(QStringLiteral("close")).toObject().value(QStringLiteral("code")).toInt(), 4001);
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY(QTest::qWaitFor([&] { return connection->state() == ProxyConnection::State::Closed; }, waitMs));
    // The server got the relay's Close and answered it (ws echoes the code): its closing handshake completed.
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    bool relaySentBoth[2] = {false, false};
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        const FrameRecord &frame = log->frame(i);
        if (frame.opcode == Opcodes::value(Opcode::Close) && frame.has(FrameRecord::Injected))
            relaySentBoth[frame.direction() == Direction::Outgoing ? 1 : 0] =
                ClosePayload::decode(log->framePayload(i)).code == 4001;
    }
    QVERIFY(relaySentBoth[0] && relaySentBoth[1]);
    QCOMPARE(serverCloseCode(*log), 4001);
    QCOMPARE(connection->endedBy(), QStringLiteral("rule"));
}

void tst_RelayRules::closeToTheClientKeepsTheServer()
{
    // The relay closes the client when the server echoes "bye"; its own beat goes on to the server every 150 ms, and
    // the server's echoes of it, toward the closed client, are read, recorded and dropped.
    QVERIFY(startRelay(R"({"rules": [{"name": "bye", "from": "server", "match": "^bye$", "action": "close",
                                      "to": "client", "code": 4000, "reason": "half"},
                                     {"name": "beat", "action": "inject", "to": "server", "text": "beat",
                                      "every_ms": 150}]})"));
    const QJsonObject report =
        runClient({QStringLiteral("send:bye")}, {QStringLiteral("--linger"), QStringLiteral("3000")});
    QCOMPARE(report.value(QStringLiteral("close")).toObject().value(QStringLiteral("code")).toInt(), 4000);
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    // The client is gone; the server's side is still relayed.
    QVERIFY(QTest::qWaitFor([&] { return connection->droppedAfterClose(Endpoint::Client) >= 3; }, waitMs));
    QCOMPARE(connection->state(), ProxyConnection::State::Open);
    qsizetype clientClose = -1;
    qsizetype echoesAfter = 0;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        const FrameRecord &frame = log->frame(i);
        if (frame.opcode == Opcodes::value(Opcode::Close) && frame.direction() == Direction::Outgoing &&
            !frame.has(FrameRecord::Injected))
            clientClose = i; // the client's answer to the relay's Close
        else if (clientClose >= 0 && frame.direction() == Direction::Incoming &&
                 log->framePayload(i) == QByteArrayView("beat"))
            ++echoesAfter;
    }
    QVERIFY(clientClose >= 0);
    QVERIFY2(echoesAfter >= 3, qPrintable(QString::number(echoesAfter)));
    // When the server goes, the connection ends.
    m_server.stop();
    QVERIFY(QTest::qWaitFor([&] { return connection->state() == ProxyConnection::State::Closed; }, waitMs));
    QCOMPARE(connection->endedBy(), QStringLiteral("rule"));
}

void tst_RelayRules::closeToTheServerKeepsTheClient()
{
    // The relay closes the server when the client says "bye"; the client keeps getting the relay's own messages, what
    // it sends then is dropped and counted, and its Close is answered in the server's place.
    QVERIFY(startRelay(R"({"rules": [{"name": "bye", "from": "client", "match": "^bye$", "action": "close",
                                      "to": "server", "code": 4001, "reason": "half"},
                                     {"name": "still", "action": "inject", "to": "client", "text": "still here",
                                      "every_ms": 150}]})"));
    const QJsonObject report =
        runClient({QStringLiteral("send:bye"), QStringLiteral("wait:600"), QStringLiteral("send:after 1"),
                   QStringLiteral("send:after 2"), QStringLiteral("wait:200"), QStringLiteral("close:4002")});
    const QStringList texts = receivedTexts(report);
    QVERIFY2(!texts.isEmpty() && texts.count(QStringLiteral("still here")) == texts.size(),
             QJsonDocument(report).toJson().constData());
    QVERIFY2(receivedAt(report, texts.size() - 1) >= 600, QJsonDocument(report).toJson().constData());
    // Answered with the code it sent: its closing handshake completed although the server was gone.
    QVERIFY2(report.value(QStringLiteral("close")).toObject().value(QStringLiteral("code")).toInt() == 4002,
             QJsonDocument(report).toJson().constData());
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY(QTest::qWaitFor([&] { return connection->state() == ProxyConnection::State::Closed; }, waitMs));
    QCOMPARE(connection->droppedAfterClose(Endpoint::Server), 2);
    // The server answered the relay's Close (ws echoes the code).
    QCOMPARE(serverCloseCode(*connection->frameLog()), 4001);
}

void tst_RelayRules::abortResetsTheClient()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "cut", "from": "server", "match": "^cut", "action": "abort",
                                      "to": "client"}]})"));
    const QJsonObject report = runClient({QStringLiteral("send:cut now")});
    QCOMPARE(report.value(QStringLiteral("socket_error")).toString(), QStringLiteral("ECONNRESET"));
    QCOMPARE(report.value(QStringLiteral("close")).toObject().value(QStringLiteral("code")).toInt(), 1006);
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QCOMPARE(connection->error(), QStringLiteral("the rule \"cut\" reset client"));
}

void tst_RelayRules::blackholeLeavesBothOpen()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "void", "from": "client", "match": "^void", "action": "blackhole"}]})"));
    const QJsonObject report = runClient({QStringLiteral("send:before"), QStringLiteral("wait:200"),
                                          QStringLiteral("send:void"), QStringLiteral("send:after")},
                                         {QStringLiteral("--linger"), QStringLiteral("1000")});
    // Nothing after the rule, and no close either: the client's connection is still open when it gives up.
    QCOMPARE(receivedTexts(report), QStringList{QStringLiteral("before")});
    QVERIFY(report.value(QStringLiteral("close")).isNull());
    QVERIFY(report.value(QStringLiteral("error")).isNull());
    QVERIFY(report.value(QStringLiteral("socket_error")).isNull());
}

void tst_RelayRules::noPongAndDelayPong()
{
    // The server pings when the client connects and says whether the pong came within 5 s.
    QVERIFY(startRelay(R"({"rules": [{"name": "late", "from": "client", "action": "delay-pong", "ms": 400}]})",
                       {QStringLiteral("ping")}));
    QJsonObject report = runClient({QStringLiteral("wait:600")});
    QCOMPARE(receivedTexts(report), QStringList{QStringLiteral("pong ok: peer ping")});
    QVERIFY2(report.value(QStringLiteral("received")).toArray().at(0).toObject().value(QStringLiteral("t")).toInt() >=
                 390,
             QJsonDocument(report).toJson().constData());
    cleanup();

    QVERIFY(startRelay(R"({"rules": [{"name": "mute", "from": "client", "action": "no-pong"}]})",
                       {QStringLiteral("ping")}));
    report = runClient({QStringLiteral("wait:5400")});
    QCOMPARE(receivedTexts(report), QStringList{QStringLiteral("no pong")});
}

void tst_RelayRules::noPongStarvesASocketIoServer()
{
    // A stock socket.io 4 server pings ("2") every 300 ms and gives a client 200 ms to answer ("3"). The client answers
    // each ping; the rule drops its answers (Engine.IO pongs, as the decoder reads them), so the server gives up on it
    // after pingInterval + pingTimeout: "ping timeout".
    QVERIFY2(m_server.startNodeScript(QStringLiteral("socketio_peer.js"),
                                      {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                       QStringLiteral("--ping-timeout"), QStringLiteral("200")},
                                      {QStringLiteral("socket.io")}),
             qPrintable(m_server.errorString()));
    m_rules = rulesFrom(R"({"rules": [{"name": "mute", "from": "client", "action": "no-pong"}]})");
    ProxyOptions options;
    options.upstream = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()));
    options.rules = m_rules;
    m_proxy = std::make_unique<TimeoutProxy>(options);
    QVERIFY2(m_proxy->listen(), qPrintable(m_proxy->errorString()));

    QProcess client;
    client.start(m_node, {QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_rules_client.js"),
                          m_proxy->url().toString() + QStringLiteral("socket.io/?EIO=4&transport=websocket"),
                          QStringLiteral("--answer"), QStringLiteral("2=3"), QStringLiteral("--linger"),
                          QStringLiteral("3000"), QStringLiteral("send:40")});
    QVERIFY(QTest::qWaitFor([&] { return client.state() == QProcess::NotRunning; }, waitMs));
    const QJsonObject report = QJsonDocument::fromJson(client.readAllStandardOutput().trimmed()).object();
    // The server ended the connection, after at least one ping went unanswered.
    QVERIFY2(!report.value(QStringLiteral("close")).isNull(), QJsonDocument(report).toJson().constData());
    QVERIFY2(receivedTexts(report).contains(QStringLiteral("2")), QJsonDocument(report).toJson().constData());
    QVERIFY(QTest::qWaitFor([&] { return m_server.output().contains("disconnect ping timeout"); }, waitMs));
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    int mutedPongs = 0;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        if (log->frame(i).direction() == Direction::Outgoing && log->framePayload(i) == QByteArrayView("3")) {
            QCOMPARE(connection->ruleOfFrame(i)->name, QStringLiteral("mute"));
            ++mutedPongs;
        }
    }
    QVERIFY(mutedPongs >= 1);
    // The namespace's connect went through and was answered: only heartbeat answers are dropped.
    QVERIFY2(receivedTexts(report).filter(QRegularExpression(QStringLiteral("^40\\{"))).size() == 1,
             QJsonDocument(report).toJson().constData());
}

void tst_RelayRules::deflateOfferedAndDeclinedUpstream()
{
    // The server would compress (and the client offers to): with rules the offer never reaches it.
    QVERIFY(startRelay(R"({"rules": [{"from": "server", "match": "secret", "action": "replace", "with": "xxx"}]})",
                       {QStringLiteral("echo"), QStringLiteral("--deflate")}));
    const QJsonObject report =
        runClient({QStringLiteral("send:a secret word"), QStringLiteral("send:") + QString(3000, u'z')},
                  {QStringLiteral("--deflate")});
    QCOMPARE(report.value(QStringLiteral("extensions")).toString(), QString());
    QCOMPARE(receivedTexts(report), QStringList({QStringLiteral("a xxx word"), QString(3000, u'z')}));
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY(connection->deflateDeclined());
    QVERIFY(connection->clientRequest().toLower().contains("permessage-deflate"));
    QVERIFY(!connection->forwardedRequest().toLower().contains("permessage-deflate"));
    QVERIFY(connection->response().headers.values("Sec-WebSocket-Extensions").isEmpty());
}

void tst_RelayRules::injectOnceEveryAndOnAMatch()
{
    QVERIFY(startRelay(R"({"rules": [
        {"name": "hello", "action": "inject", "to": "client", "text": "hello from the relay", "after_ms": 200},
        {"name": "beat", "action": "inject", "to": "server", "text": "beat", "every_ms": 300},
        {"name": "follow", "from": "server", "match": "^ask$", "action": "inject", "to": "client", "hex": "6f6b"}]})"));
    const QJsonObject report = runClient({QStringLiteral("wait:400"), QStringLiteral("send:ask")},
                                         {QStringLiteral("--linger"), QStringLiteral("1100")});
    const QStringList texts = receivedTexts(report);
    // Once, after 200 ms; the beat went to the server every 300 ms, which echoed each; the match let the echo of
    // "ask" through and the binary "ok" after it.
    QCOMPARE(texts.count(QStringLiteral("hello from the relay")), 1);
    QVERIFY2(receivedAt(report, texts.indexOf(QStringLiteral("hello from the relay"))) >= 150,
             QJsonDocument(report).toJson().constData());
    const qsizetype ask = texts.indexOf(QStringLiteral("ask"));
    QVERIFY2(ask >= 0 && texts.value(ask + 1) == QStringLiteral("binary:ok"),
             QJsonDocument(report).toJson().constData());
    const qsizetype beats = texts.count(QStringLiteral("beat"));
    // About 1.5 s / 300 ms = 5; generous bounds, whatever the machine's load.
    QVERIFY2(beats >= 2 && beats <= 7, QJsonDocument(report).toJson().constData());
    QVERIFY(receivedAt(report, texts.indexOf(QStringLiteral("beat"))) >= 250);

    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY(QTest::qWaitFor([&] { return connection->state() == ProxyConnection::State::Closed; }, waitMs));
    // Each message the relay sent is recorded as its own, with the rule that sent it.
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    int injectedBeats = 0;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        if (!log->frame(i).has(FrameRecord::Injected) || log->framePayload(i) != QByteArrayView("beat"))
            continue;
        ++injectedBeats;
        QCOMPARE(log->frame(i).direction(), Direction::Outgoing);
        QVERIFY(log->frame(i).has(FrameRecord::Masked));
        QCOMPARE(connection->ruleOfFrame(i)->name, QStringLiteral("beat"));
    }
    // (One more may have gone out as the client was leaving, its echo never read.)
    QVERIFY(injectedBeats == beats || injectedBeats == beats + 1);
    // The heartbeat stopped with the connection.
    const qsizetype frames = log->frameCount();
    QTest::qWait(700);
    QCOMPARE(log->frameCount(), frames);
}

void tst_RelayRules::stallHoldsThenResumesInOrder()
{
    QVERIFY(startRelay(R"({"rules": [{"name": "hold", "from": "client", "match": "^hold", "action": "stall",
                                      "ms": 1000}]})"));
    const QJsonObject report = runClient({QStringLiteral("send:hold 1"), QStringLiteral("send:then 2"),
                                          QStringLiteral("ping:p"), QStringLiteral("send:then 3")});
    // Nothing reached the server for the stall's second, the ping neither; then all of it, in the order sent.
    QCOMPARE(receivedTexts(report),
             QStringList({QStringLiteral("hold 1"), QStringLiteral("then 2"), QStringLiteral("then 3")}));
    QVERIFY2(receivedAt(report, 0) >= 900, QJsonDocument(report).toJson().constData());
    const QJsonArray pongs = report.value(QStringLiteral("pongs")).toArray();
    QCOMPARE(pongs.size(), 1);
    QVERIFY(pongs.at(0).toObject().value(QStringLiteral("t")).toInt() >= 900);
}

void tst_RelayRules::stallPausesReadingInsteadOfQueueing()
{
    // 6 MiB sent during a stall through a relay that may hold 1 MiB: it stops reading the client, whose bytes wait in
    // TCP, instead of holding them (which would fail the connection over its budget); afterwards all of it flows.
    QVERIFY(startRelay(R"({"rules": [{"name": "hold", "from": "client", "match": "^hold$", "action": "stall",
                                      "ms": 1500}]})",
                       {QStringLiteral("echo")}, 1024 * 1024));
    const QJsonObject report =
        runClient({QStringLiteral("send:hold"), QStringLiteral("wait:300"), QStringLiteral("bulk:48:131072:m")},
                  {QStringLiteral("--brief"), QStringLiteral("--linger"), QStringLiteral("4000")});
    const QJsonArray received = report.value(QStringLiteral("received")).toArray();
    QCOMPARE(received.size(), 49);
    QVERIFY2(receivedAt(report, 0) >= 1400, QJsonDocument(report).toJson().constData());
    for (qsizetype i = 1; i < received.size(); ++i) {
        const QJsonObject message = received.at(i).toObject();
        QVERIFY(message.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("m%1.").arg(i - 1)));
        QCOMPARE(message.value(QStringLiteral("size")).toInt(), 131072);
    }
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY2(connection->error().isEmpty(), qPrintable(connection->error()));
}

void tst_RelayRules::throttleSpreadsTheBytes()
{
    // From the server's first message on, toward the client at 20 000 bytes/s: the 40 000-byte echo takes about 2 s
    // to reach the client, and the message after it comes after it.
    QVERIFY(startRelay(R"({"rules": [{"name": "slow link", "from": "server", "action": "throttle",
                                      "bytes_per_second": 20000}]})"));
    const QJsonObject report =
        runClient({QStringLiteral("send:small"), QStringLiteral("wait:200"),
                   QStringLiteral("send:") + QString(40000, u'x'), QStringLiteral("send:last")},
                  {QStringLiteral("--brief"), QStringLiteral("--linger"), QStringLiteral("3500")});
    const QJsonArray received = report.value(QStringLiteral("received")).toArray();
    QCOMPARE(received.size(), 3);
    QCOMPARE(received.at(0).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("small"));
    QCOMPARE(received.at(1).toObject().value(QStringLiteral("size")).toInt(), 40000);
    QCOMPARE(received.at(2).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("last"));
    QVERIFY2(receivedAt(report, 1) - 200 >= 1500, QJsonDocument(report).toJson().constData());
    QVERIFY(receivedAt(report, 2) >= receivedAt(report, 1));
}

void tst_RelayRules::stallAndThrottleSwitchedOffEndAtOnce()
{
    // A 5 s stall, switched off 800 ms in: what it held goes on at once.
    QVERIFY(startRelay(R"({"rules": [{"name": "hold", "from": "client", "match": "^hold", "action": "stall",
                                      "ms": 5000}]})"));
    QTimer::singleShot(800, this, [this] { m_rules->setEnabled(0, false); });
    QJsonObject report = runClient({QStringLiteral("send:hold"), QStringLiteral("send:then")});
    QCOMPARE(receivedTexts(report), QStringList({QStringLiteral("hold"), QStringLiteral("then")}));
    QVERIFY2(receivedAt(report, 1) < 3000, QJsonDocument(report).toJson().constData());
    cleanup();

    // 2000 bytes a second would take 20 s for the 40 000-byte echo; switched off 800 ms in, the rest comes at once.
    QVERIFY(startRelay(R"({"rules": [{"name": "slow", "from": "server", "action": "throttle",
                                      "bytes_per_second": 2000}]})"));
    QTimer::singleShot(800, this, [this] { m_rules->setEnabled(0, false); });
    report = runClient({QStringLiteral("send:") + QString(40000, u'x'), QStringLiteral("send:after")},
                       {QStringLiteral("--brief")});
    const QJsonArray received = report.value(QStringLiteral("received")).toArray();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).toObject().value(QStringLiteral("size")).toInt(), 40000);
    QCOMPARE(received.at(1).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("after"));
    QVERIFY2(receivedAt(report, 0) < 3000, QJsonDocument(report).toJson().constData());
}

void tst_RelayRules::replaceAtAJsonPath()
{
    QVERIFY(startRelay(R"({"rules": [
        {"name": "anon", "from": "client", "match": "\"user\"", "action": "replace", "path": "$.user.name",
         "value": "anon"},
        {"name": "no token", "from": "client", "action": "replace", "path": "$.token", "delete": true}]})"));
    const QJsonObject report =
        runClient({QStringLiteral(R"(send:{"op":"hi", "user":{"name":"ann","id":12345678901234567890},"n":1.50})"),
                   QStringLiteral(R"(send:{"token":"s3cret","op":"x"})"), QStringLiteral(R"(send:"user" but not JSON)"),
                   QStringLiteral(R"(send:{"op":"no token here"})")});
    // The echo server got the edited texts: member order, spacing and numbers as the client wrote them.
    QCOMPARE(receivedTexts(report),
             QStringList({QStringLiteral(R"({"op":"hi", "user":{"name":"anon","id":12345678901234567890},"n":1.50})"),
                          QStringLiteral(R"({"op":"x"})"), QStringLiteral(R"("user" but not JSON)"),
                          QStringLiteral(R"({"op":"no token here"})")}));
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    int injected = 0;
    for (qsizetype i = 0; i < log->frameCount(); ++i)
        injected += log->frame(i).has(FrameRecord::Injected) ? 1 : 0;
    QCOMPARE(injected, 2); // the two edited messages; what could not be edited went on as it came
}

void tst_RelayRules::matchOnTheSocketIoEvent()
{
    // A stock socket.io 4 server (peers/socketio_peer.js) emits "welcome" on each connection and acknowledges "hello"
    // with "hi NAME". The client speaks the protocol's text frames itself; the rules name events, not patterns.
    QVERIFY2(m_server.startNodeScript(QStringLiteral("socketio_peer.js"), {}, {QStringLiteral("socket.io")}),
             qPrintable(m_server.errorString()));
    // (Plain strings: moc misreads raw strings here.)
    m_rules = rulesFrom("{\"rules\": ["
                        "{\"name\": \"no welcome\", \"from\": \"server\", \"protocol\": \"socket.io\", "
                        "\"kind\": \"EVENT\", \"subject\": \"welcome\", \"action\": \"drop\"}, "
                        "{\"name\": \"typing\", \"from\": \"server\", \"protocol\": \"socket.io\", "
                        "\"subject\": \"typing\", \"action\": \"drop\"}, "
                        "{\"name\": \"rename\", \"from\": \"client\", \"protocol\": \"socket.io\", "
                        "\"subject\": \"hello\", \"match\": \"ann\", \"action\": \"replace\", "
                        "\"with\": \"bob\"}]}");
    ProxyOptions options;
    options.upstream = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()));
    options.rules = m_rules;
    m_proxy = std::make_unique<TimeoutProxy>(options);
    QVERIFY2(m_proxy->listen(), qPrintable(m_proxy->errorString()));

    QProcess client;
    client.start(m_node, {QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_rules_client.js"),
                          m_proxy->url().toString() + QStringLiteral("socket.io/?EIO=4&transport=websocket"),
                          QStringLiteral("--linger"), QStringLiteral("800"), QStringLiteral("wait:300"),
                          QStringLiteral("send:40"), QStringLiteral("wait:300"),
                          QStringLiteral("send:421[\"hello\",\"ann\"]")});
    QVERIFY(QTest::qWaitFor([&] { return client.state() == QProcess::NotRunning; }, waitMs));
    const QByteArray out = client.readAllStandardOutput();
    const QStringList texts = receivedTexts(QJsonDocument::fromJson(out.trimmed()).object());
    // Engine.IO's open, the namespace's connect, then the acknowledgement of the renamed hello: no welcome.
    QCOMPARE(texts.size(), 3);
    QVERIFY2(texts.at(0).startsWith(QStringLiteral("0{")) && texts.at(1).startsWith(QStringLiteral("40{")),
             out.constData());
    QCOMPARE(texts.at(2), QStringLiteral("431[\"hi bob\"]"));
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    bool welcomeDropped = false;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        if (log->framePayload(i).startsWith("42[\"welcome\"")) {
            QCOMPARE(connection->ruleOfFrame(i)->name, QStringLiteral("no welcome"));
            welcomeDropped = true;
        }
    }
    QVERIFY(welcomeDropped);
}

void tst_RelayRules::overTheBudgetFailsClearly()
{
    QVERIFY(startRelay(R"({"rules": [{"action": "delay", "ms": 2000}]})", {QStringLiteral("echo")}, 4096));
    const QJsonObject report =
        runClient({QStringLiteral("send:") + QString(3000, u'a'), QStringLiteral("send:") + QString(3000, u'b')});
    // The second held message would take the relay over its 4 KiB: the connection ends, and both ends are told.
    const QJsonObject close = report.value(QStringLiteral("close")).toObject();
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1011);
    QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("relay rules: over their memory budget"));
    QVERIFY(receivedTexts(report).isEmpty());
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY2(connection->error().startsWith(QStringLiteral("the rules would hold ")), qPrintable(connection->error()));
    QVERIFY(connection->error().endsWith(QStringLiteral("over the budget of 4096 bytes")));
}

void tst_RelayRules::badRuleFilesExitTwo()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeRulesFile(dir, R"({"rules": [{"match": "a", "action": "delay"}]})");
    QVERIFY(!path.isEmpty());
    const quint16 port = PeerProcess::freePort();
    const QString listen = QStringLiteral("127.0.0.1:%1").arg(port);
    for (const QStringList &command :
         {QStringList{QStringLiteral("proxy"), QStringLiteral("--upstream"), QStringLiteral("ws://127.0.0.1:9/")},
          QStringList{QStringLiteral("capture")}}) {
        const CliRun run =
            runCli(command + QStringList{QStringLiteral("--listen"), listen, QStringLiteral("--rules"), path});
        QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
        QCOMPARE(QString::fromUtf8(run.err),
                 QStringLiteral("wsinspector-cli %1: --rules %2: rules[0].ms: missing (delay needs the delay in "
                                "milliseconds)\nTry 'wsinspector-cli %1 --help'.\n")
                     .arg(command.constFirst(), path));
        QVERIFY(run.out.isEmpty()); // nothing listened
    }
}

void tst_RelayRules::jsonAndRecordingMarkWhatRulesDid()
{
    QVERIFY(m_server.startPeer(PeerProcess::Peer::Node, {QStringLiteral("echo")}));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rulesPath =
        writeRulesFile(dir, R"({"rules": [{"name": "redact", "from": "client", "match": "secret", "action": "replace",
                              "with": "public"}]})");
    QVERIFY(!rulesPath.isEmpty());
    const QString records = dir.filePath(QStringLiteral("records"));
    QProcess relay;
    relay.start(cliPath(), {QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--upstream"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()),
                            QStringLiteral("--rules"), rulesPath, QStringLiteral("--json"),
                            QStringLiteral("--record-dir"), records});
    QByteArray out;
    QVERIFY2(readOutputUntil(relay, out, "\n", waitMs), out.constData());
    const QJsonObject listening = jsonLines(out).constFirst();
    const QString url = listening.value(QStringLiteral("url")).toString();
    QVERIFY2(!url.isEmpty(), out.constData());
    QCOMPARE(listening.value(QStringLiteral("rules")).toArray(),
             QJsonArray({QJsonObject{{QStringLiteral("name"), QStringLiteral("redact")},
                                     {QStringLiteral("action"), QStringLiteral("replace")},
                                     {QStringLiteral("enabled"), true}}}));

    QProcess client;
    client.start(m_node,
                 {QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_rules_client.js"), url, QStringLiteral("--deflate"),
                  QStringLiteral("--linger"), QStringLiteral("300"), QStringLiteral("send:my secret")});
    QVERIFY(client.waitForFinished(waitMs));
    QVERIFY(client.readAllStandardOutput().contains(R"("text":"my public")"));
    QVERIFY2(readOutputUntil(relay, out, R"("event":"closed")", waitMs), out.constData());
    relay.terminate();
    QVERIFY(relay.waitForFinished(waitMs));

    const QList<QJsonObject> events = jsonLines(out);
    const QList<QJsonObject> upgrades = eventsNamed(events, QStringLiteral("upgrade"));
    QCOMPARE(upgrades.size(), 1);
    QCOMPARE(upgrades.constFirst().value(QStringLiteral("deflate_declined")), QJsonValue(true));
    const QJsonObject rule{{QStringLiteral("name"), QStringLiteral("redact")},
                           {QStringLiteral("action"), QStringLiteral("replace")}};
    int received = 0;
    int injected = 0;
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("from")).toString() != QLatin1StringView("client") ||
            frame.value(QStringLiteral("opcode")).toString() != QLatin1StringView("text"))
            continue;
        QCOMPARE(frame.value(QStringLiteral("rule")).toObject(), rule);
        if (frame.value(QStringLiteral("injected")).toBool()) {
            ++injected;
            QCOMPARE(frame.value(QStringLiteral("payload")).toString(), QStringLiteral("my public"));
        } else {
            ++received;
            QCOMPARE(frame.value(QStringLiteral("payload")).toString(), QStringLiteral("my secret"));
        }
    }
    QCOMPARE(received, 1);
    QCOMPARE(injected, 1);

    // The recording keeps both, the relay's own frame flagged, and says why compression is off.
    const QStringList files = QDir(records).entryList({QStringLiteral("*.wsirec")}, QDir::Files);
    QCOMPARE(files.size(), 1);
    QString error;
    const std::optional<SessionRecords> recorded =
        RecordingReader::readFile(QDir(records).filePath(files.constFirst()), &error);
    QVERIFY2(recorded, qPrintable(error));
    QStringList outgoing;
    for (qsizetype i = 0; i < recorded->log->frameCount(); ++i) {
        const FrameRecord &frame = recorded->log->frame(i);
        if (frame.direction() == Direction::Outgoing && frame.opcode == Opcodes::value(Opcode::Text))
            outgoing.append(QString::fromUtf8(recorded->log->framePayload(i)) +
                            (frame.has(FrameRecord::Injected) ? QStringLiteral(" (injected)") : QString()));
    }
    QCOMPARE(outgoing, QStringList({QStringLiteral("my secret"), QStringLiteral("my public (injected)")}));

    // Reopened, the recording says which rule acted on which frame (the received one and the relay's own, not the
    // server's echo), and that the relay declined compression.
    QVERIFY(recorded->ruleMarks);
    QCOMPARE(recorded->ruleMarks->rules(),
             QList<FrameRuleMarks::RuleName>({{QStringLiteral("redact"), QStringLiteral("replace")}}));
    QVERIFY(recorded->handshake.relayDeclinedDeflate);
    QStringList marked;
    for (qsizetype i = 0; i < recorded->log->frameCount(); ++i) {
        if (const std::optional<FrameRuleMarks::RuleName> marks = recorded->ruleMarks->ruleOf(i))
            marked.append(QString::fromUtf8(recorded->log->framePayload(i)) + QStringLiteral(": ") + marks->name +
                          QStringLiteral(" (") + marks->action + u')');
    }
    QCOMPARE(marked, QStringList({QStringLiteral("my secret: redact (replace)"),
                                  QStringLiteral("my public: redact (replace)")}));

    // export --jsonl carries the rule on the frames and messages as proxy --json did.
    const QString recording = QDir(records).filePath(files.constFirst());
    const CliRun exported =
        runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), QStringLiteral("-")});
    QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
    QStringList exportedRules;
    for (const QJsonObject &line : jsonLines(exported.out)) {
        const QString event = line.value(QStringLiteral("event")).toString();
        if (event == QLatin1StringView("handshake"))
            QCOMPARE(line.value(QStringLiteral("deflate_declined")), QJsonValue(true));
        if (line.contains(QStringLiteral("rule"))) {
            QCOMPARE(line.value(QStringLiteral("rule")).toObject(), rule);
            exportedRules.append(event + u':' + line.value(QStringLiteral("payload")).toString());
        }
    }
    QCOMPARE(exportedRules, QStringList({QStringLiteral("frame:my secret"), QStringLiteral("message:my secret"),
                                         QStringLiteral("frame:my public"), QStringLiteral("message:my public")}));
}

void tst_RelayRules::captureAppliesRulesThroughConnect()
{
    // The capture proxy's relay takes the same rules: Node ws through CONNECT (https-proxy-agent), offering
    // permessage-deflate to a server that would take it. A rule that passes the client's first message changes
    // nothing on the wire but marks it; the offer does not reach the server, and the client still gets every echo.
    QVERIFY(m_server.startPeer(PeerProcess::Peer::Node, {QStringLiteral("echo"), QStringLiteral("--deflate")}));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rulesPath = writeRulesFile(
        dir, R"({"rules": [{"name": "seen", "from": "client", "match": "^hello through", "action": "pass"}]})");
    QVERIFY(!rulesPath.isEmpty());
    CaptureProcess capture;
    QVERIFY2(capture.start({QStringLiteral("--rules"), rulesPath, QStringLiteral("--ca-dir"),
                            dir.filePath(QStringLiteral("ca")), QStringLiteral("--no-intercept"),
                            QStringLiteral("localhost")}),
             qPrintable(capture.errorString()));
    QString error;
    const QJsonObject result =
        capture.runNodeClient(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()), {}, &error);
    QVERIFY2(result.value(QStringLiteral("ok")).toBool(),
             qPrintable(error + QString::fromUtf8(QJsonDocument(result).toJson())));
    QCOMPARE(result.value(QStringLiteral("extensions")).toString(), QString());
    const QJsonObject upgrade = capture.waitForEvent("upgrade", [](const QJsonObject &) { return true; });
    QCOMPARE(upgrade.value(QStringLiteral("deflate_declined")), QJsonValue(true));
    const QJsonObject marked = capture.waitForEvent("message", [](const QJsonObject &e) {
        return e.value(QStringLiteral("from")) == QLatin1StringView("client") && e.contains(QStringLiteral("rule"));
    });
    QCOMPARE(marked.value(QStringLiteral("payload")).toString(), QStringLiteral("hello through the capture proxy"));
    QCOMPARE(marked.value(QStringLiteral("rule")).toObject().value(QStringLiteral("action")).toString(),
             QStringLiteral("pass"));
    QVERIFY(capture.stop());
}

void tst_RelayRules::proxyCommandInjectsAndEditsJson()
{
    // `proxy --rules` with the new actions: a timed inject toward the client and a JSON path edit toward the server,
    // each marked in --json with its rule, the relay's own frames "injected".
    QVERIFY(m_server.startPeer(PeerProcess::Peer::Node, {QStringLiteral("echo")}));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rulesPath =
        writeRulesFile(dir, "{\"rules\": [{\"name\": \"hello\", \"action\": \"inject\", \"to\": \"client\", "
                            "\"text\": \"from the relay\", \"after_ms\": 100}, "
                            "{\"name\": \"anon\", \"from\": \"client\", \"action\": \"replace\", "
                            "\"path\": \"$.user\", \"value\": null}]}");
    QVERIFY(!rulesPath.isEmpty());
    QProcess relay;
    relay.start(cliPath(), {QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--upstream"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()),
                            QStringLiteral("--rules"), rulesPath, QStringLiteral("--json")});
    QByteArray out;
    QVERIFY2(readOutputUntil(relay, out, "\n", waitMs), out.constData());
    const QString url = jsonLines(out).constFirst().value(QStringLiteral("url")).toString();
    QVERIFY2(!url.isEmpty(), out.constData());

    QProcess client;
    client.start(m_node, {QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_rules_client.js"), url,
                          QStringLiteral("--linger"), QStringLiteral("500"), QStringLiteral("wait:300"),
                          QStringLiteral("send:{\"user\":\"ann\",\"op\":1}")});
    QVERIFY(client.waitForFinished(waitMs));
    const QStringList texts = receivedTexts(QJsonDocument::fromJson(client.readAllStandardOutput().trimmed()).object());
    QCOMPARE(texts, QStringList({QStringLiteral("from the relay"), QStringLiteral("{\"user\":null,\"op\":1}")}));
    QVERIFY2(readOutputUntil(relay, out, R"("event":"closed")", waitMs), out.constData());
    relay.terminate();
    QVERIFY(relay.waitForFinished(waitMs));

    QStringList marked;
    for (const QJsonObject &frame : eventsNamed(jsonLines(out), QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("injected")).toBool())
            marked.append(frame.value(QStringLiteral("rule")).toObject().value(QStringLiteral("name")).toString() +
                          u':' + frame.value(QStringLiteral("payload")).toString());
    }
    QCOMPARE(marked,
             QStringList({QStringLiteral("hello:from the relay"), QStringLiteral("anon:{\"user\":null,\"op\":1}")}));
}

namespace {

// The held messages' ids, oldest first, once `count` are held (empty if they are not within waitMs).
QList<quint64> heldIds(const HeldMessages &held, qsizetype count)
{
    if (!QTest::qWaitFor([&] { return held.size() >= count; }, waitMs))
        return {};
    QList<quint64> ids;
    for (const HeldMessage &message : held.messages())
        ids.append(message.id);
    return ids;
}

QList<HoldRecord::Outcome> outcomes(const ProxyConnection &connection)
{
    QList<HoldRecord::Outcome> all;
    for (const HoldRecord &hold : connection.holds())
        all.append(hold.outcome);
    return all;
}

} // namespace

void tst_RelayRules::pauseEditsDropsAndAnswers()
{
    auto held = std::make_shared<HeldMessages>();
    QVERIFY(startRelay(R"({"rules": [{"name": "bp", "from": "client", "match": "^hold", "action": "pause"}]})",
                       {QStringLiteral("echo")}, 64 * 1024 * 1024, held));
    QProcess client;
    startClient(client,
                {QStringLiteral("send:hold-a"), QStringLiteral("send:plain-b"), QStringLiteral("send:hold-c"),
                 QStringLiteral("binary:hold-d")},
                {QStringLiteral("--linger"), QStringLiteral("1000")});
    const QList<quint64> ids = heldIds(*held, 3);
    QCOMPARE(ids.size(), 3);
    // What the window lists: each held message whole, with its connection, sender and rule.
    const QList<HeldMessage> listed = held->messages();
    QCOMPARE(listed.at(0).payload, QByteArray("hold-a"));
    QCOMPARE(listed.at(0).rule, QStringLiteral("bp"));
    QCOMPARE(listed.at(0).from, Endpoint::Client);
    QCOMPARE(listed.at(0).url.port(), int(m_server.port()));
    QCOMPARE(listed.at(2).opcode, Opcodes::value(Opcode::Binary));
    QCOMPARE(listed.at(2).payload, QByteArray("hold-d"));

    QVERIFY(held->decide(ids[0], HoldDecision::edited(Opcodes::value(Opcode::Text), "edited-a")));
    QVERIFY(held->decide(ids[1], HoldDecision::drop()));
    QVERIFY(held->decide(ids[2], HoldDecision::answer(Opcodes::value(Opcode::Text), "answer-d")));
    QVERIFY(!held->decide(ids[2], HoldDecision::drop())); // decided once
    QCOMPARE(held->size(), 0);
    const QJsonObject report = finishClient(client);
    // The echo server got the edit and the message behind it; the answer came from the relay; nothing of c or d
    // reached the server.
    QStringList texts = receivedTexts(report);
    texts.sort();
    QCOMPARE(texts, QStringList({QStringLiteral("answer-d"), QStringLiteral("edited-a"), QStringLiteral("plain-b")}));

    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QCOMPARE(outcomes(*connection),
             QList<HoldRecord::Outcome>(
                 {HoldRecord::Outcome::Edited, HoldRecord::Outcome::Dropped, HoldRecord::Outcome::Answered}));
    const std::shared_ptr<const FrameLog> log = connection->frameLog();
    QStringList injected;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        if (log->frame(i).has(FrameRecord::Injected))
            injected.append((log->frame(i).direction() == Direction::Outgoing ? u"to server:"_s : u"to client:"_s) +
                            QString::fromUtf8(log->framePayload(i).toByteArray()));
    }
    QCOMPARE(injected, QStringList({QStringLiteral("to server:edited-a"), QStringLiteral("to client:answer-d")}));
    for (const HoldRecord &hold : connection->holds()) {
        QVERIFY(hold.decidedAtNs >= hold.heldAtNs);
        QCOMPARE(connection->ruleOfFrame(hold.frameIndex)->name, QStringLiteral("bp"));
        QCOMPARE(connection->records().holds.size(), 3);
    }
}

void tst_RelayRules::pauseHoldsLaterMessagesInOrderButNotPingsOrOtherConnections()
{
    auto held = std::make_shared<HeldMessages>();
    QVERIFY(startRelay(R"({"rules": [{"from": "client", "match": "^first$", "action": "pause"}]})",
                       {QStringLiteral("echo")}, 64 * 1024 * 1024, held));
    QProcess first;
    startClient(first, {QStringLiteral("send:first"), QStringLiteral("send:second"), QStringLiteral("ping:p")},
                {QStringLiteral("--linger"), QStringLiteral("1500")});
    QCOMPARE(heldIds(*held, 1).size(), 1);
    // Another connection through the same relay is not held up by it.
    const QJsonObject other = runClient({QStringLiteral("send:other")}, {QStringLiteral("--linger"), u"200"_s});
    QCOMPARE(receivedTexts(other), QStringList({QStringLiteral("other")}));
    QCOMPARE(held->size(), 1);
    const QList<HeldMessage> listed = held->messages();
    const qint64 heldForMs = listed.constFirst().heldAt.msecsTo(QDateTime::currentDateTimeUtc());
    QVERIFY(held->decide(listed.constFirst().id, HoldDecision::forward()));
    const QJsonObject report = finishClient(first);
    // In order, after the decision; the ping went by while they were held.
    QCOMPARE(receivedTexts(report), QStringList({QStringLiteral("first"), QStringLiteral("second")}));
    QVERIFY2(receivedAt(report, 0) >= heldForMs - 100, qPrintable(QString::number(receivedAt(report, 0))));
    const QJsonArray pongs = report.value(QStringLiteral("pongs")).toArray();
    QCOMPARE(pongs.size(), 1);
    QVERIFY2(pongs.at(0).toObject().value(QStringLiteral("t")).toInt() < receivedAt(report, 0),
             "the pong waited behind the held message");
}

void tst_RelayRules::pauseTimesOutUnchanged()
{
    auto held = std::make_shared<HeldMessages>();
    QVERIFY(startRelay(R"({"rules": [{"from": "client", "match": "^slow", "action": "pause", "timeout_ms": 700}]})",
                       {QStringLiteral("echo")}, 64 * 1024 * 1024, held));
    const QJsonObject report = runClient({QStringLiteral("send:slow one")}, {QStringLiteral("--linger"), u"2000"_s});
    QCOMPARE(receivedTexts(report), QStringList({QStringLiteral("slow one")}));
    QVERIFY2(receivedAt(report, 0) >= 650, qPrintable(QString::number(receivedAt(report, 0))));
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QCOMPARE(outcomes(*connection), QList<HoldRecord::Outcome>({HoldRecord::Outcome::TimedOut}));
    QCOMPARE(held->size(), 0);
}

void tst_RelayRules::pausedMessagesGoWithTheirConnection()
{
    auto held = std::make_shared<HeldMessages>();
    QVERIFY(startRelay(R"({"rules": [{"from": "client", "action": "pause"}]})", {QStringLiteral("echo")},
                       64 * 1024 * 1024, held));
    QProcess client;
    startClient(client, {QStringLiteral("send:never"), QStringLiteral("send:nor this")},
                {QStringLiteral("--linger"), QStringLiteral("300")});
    const QList<quint64> ids = heldIds(*held, 2);
    QCOMPARE(ids.size(), 2);
    QVERIFY(receivedTexts(finishClient(client)).isEmpty());
    // The client went: its held messages leave the list, recorded as such, and a late decision finds nothing.
    QVERIFY(QTest::qWaitFor([&] { return held->size() == 0; }, waitMs));
    QVERIFY(!held->decide(ids[0], HoldDecision::forward()));
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY(QTest::qWaitFor([&] { return connection->state() == ProxyConnection::State::Closed; }, waitMs));
    QCOMPARE(outcomes(*connection),
             QList<HoldRecord::Outcome>({HoldRecord::Outcome::ConnectionEnded, HoldRecord::Outcome::ConnectionEnded}));
}

void tst_RelayRules::pauseCountsAgainstTheBudget()
{
    auto held = std::make_shared<HeldMessages>();
    QVERIFY(startRelay(R"({"rules": [{"from": "client", "match": "^a", "action": "pause"}]})", {QStringLiteral("echo")},
                       12000, held));
    // The held message and what waits behind it are over the budget (one message alone passes through it): the
    // connection fails clearly instead of growing.
    const QJsonObject report = runClient({QStringLiteral("send:") + QString(3000, u'a'), QStringLiteral("wait:300"),
                                          QStringLiteral("send:") + QString(3000, u'b')});
    const QJsonObject close = report.value(QStringLiteral("close")).toObject();
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1011);
    QVERIFY(receivedTexts(report).isEmpty());
    ProxyConnection *connection = onlyConnection();
    QVERIFY(connection);
    QVERIFY2(connection->error().endsWith(QStringLiteral("over the budget of 12000 bytes")),
             qPrintable(connection->error()));
    QCOMPARE(outcomes(*connection), QList<HoldRecord::Outcome>({HoldRecord::Outcome::ConnectionEnded}));
    QCOMPARE(held->size(), 0);
}

void tst_RelayRules::proxyCommandDecidesHeldMessagesOnStdin()
{
    // `proxy --rules` with a pause rule: each held message is a "held" event with its id, decided by a JSON line on
    // stdin; a line that is not a decision is refused with why.
    QVERIFY(m_server.startPeer(PeerProcess::Peer::Node, {QStringLiteral("echo")}));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rulesPath =
        writeRulesFile(dir, R"({"rules": [{"name": "bp", "from": "client", "match": "^q", "action": "pause"}]})");
    QVERIFY(!rulesPath.isEmpty());
    QProcess relay;
    relay.start(cliPath(), {QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--upstream"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()),
                            QStringLiteral("--rules"), rulesPath, QStringLiteral("--json"),
                            QStringLiteral("--record-dir"), dir.path()});
    QByteArray out;
    QVERIFY2(readOutputUntil(relay, out, "\n", waitMs), out.constData());
    const QString url = jsonLines(out).constFirst().value(QStringLiteral("url")).toString();
    QVERIFY2(!url.isEmpty(), out.constData());

    QProcess client;
    client.start(m_node,
                 {QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_rules_client.js"), url, QStringLiteral("--linger"),
                  QStringLiteral("1500"), QStringLiteral("send:q1"), QStringLiteral("send:q2")});
    QVERIFY2(readOutputUntil(relay, out, R"("event":"held")", waitMs), out.constData());
    QVERIFY(QTest::qWaitFor(
        [&] {
            relay.waitForReadyRead(50);
            out += relay.readAllStandardOutput();
            return eventsNamed(jsonLines(out), QStringLiteral("held")).size() == 2;
        },
        waitMs));
    const QList<QJsonObject> holds = eventsNamed(jsonLines(out), QStringLiteral("held"));
    const qint64 first = holds.at(0).value(QStringLiteral("id")).toInteger();
    const qint64 second = holds.at(1).value(QStringLiteral("id")).toInteger();
    QCOMPARE(holds.at(0).value(QStringLiteral("rule")).toString(), QStringLiteral("bp"));
    QCOMPARE(holds.at(0).value(QStringLiteral("from")).toString(), QStringLiteral("client"));
    relay.write(QStringLiteral("{\"drop\": %1, \"text\": \"x\"}\n").arg(first).toUtf8());
    relay.write(QStringLiteral("{\"forward\": %1, \"text\": \"q1 edited\"}\n").arg(first).toUtf8());
    relay.write(QStringLiteral("{\"answer\": %1, \"text\": \"not now\"}\n").arg(second).toUtf8());
    QVERIFY(relay.waitForBytesWritten(waitMs));
    QVERIFY(client.waitForFinished(waitMs));
    QStringList texts = receivedTexts(QJsonDocument::fromJson(client.readAllStandardOutput().trimmed()).object());
    texts.sort();
    QCOMPARE(texts, QStringList({QStringLiteral("not now"), QStringLiteral("q1 edited")}));
    QVERIFY2(readOutputUntil(relay, out, R"("event":"recorded")", waitMs), out.constData());
    relay.terminate();
    QVERIFY(relay.waitForFinished(waitMs));

    const QList<QJsonObject> events = jsonLines(out);
    const QList<QJsonObject> refused = eventsNamed(events, QStringLiteral("decision_refused"));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).value(QStringLiteral("error")).toString(), QStringLiteral("\"drop\" takes no \"text\""));
    QStringList decided;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("hold_decided")))
        decided.append(QString::number(event.value(QStringLiteral("id")).toInteger()) + u':' +
                       event.value(QStringLiteral("outcome")).toString());
    QCOMPARE(decided, QStringList({QStringLiteral("%1:edited").arg(first), QStringLiteral("%1:answered").arg(second)}));

    // The recording keeps the holds, for the timeline of the reopened file.
    const QList<QJsonObject> recorded = eventsNamed(events, QStringLiteral("recorded"));
    QCOMPARE(recorded.size(), 1);
    QString error;
    const std::optional<SessionRecords> session =
        RecordingReader::readFile(recorded.at(0).value(QStringLiteral("file")).toString(), &error);
    QVERIFY2(session, qPrintable(error));
    QCOMPARE(session->holds.size(), 2);
    QCOMPARE(session->holds.at(0).outcome, HoldRecord::Outcome::Edited);
    QCOMPARE(session->holds.at(1).outcome, HoldRecord::Outcome::Answered);
    QCOMPARE(session->holds.at(1).rule, QStringLiteral("bp"));
    QVERIFY(session->holds.at(1).decidedAtNs > session->holds.at(1).heldAtNs);
    QCOMPARE(QString::fromUtf8(session->log->framePayload(session->holds.at(0).frameIndex).toByteArray()),
             QStringLiteral("q1"));
}

QTEST_GUILESS_MAIN(tst_RelayRules)
#include "tst_relayrules.moc"
