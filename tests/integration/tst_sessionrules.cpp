// SPDX-License-Identifier: GPL-3.0-or-later
// Rules on the app's own sessions (SessionRules): `connect --rules` against a Node `ws` server
// (peers/session_rules_peer.js) that reports what it received and when, what it sent and how much of it waits in its
// socket. Each action is checked by what the server really saw (a message later and in order, a message never, a pong
// late or never, writes that block while our client stalls) and by what the client's --json says of it (the frames a
// rule acted on carry "rule", a message of ours that a rule dropped is an "unsent" event). Then the rules switched
// while a session runs, bad rule files and rules a session cannot follow (exit 2 before connecting), and rules kept
// in a profile.
#include "CliProcess.h"
#include "PeerProcess.h"
#include "core/recordings/RecordingReader.h"
#include "core/rules/RuleFile.h"
#include "core/session/Session.h"
#include "core/session/SessionRules.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::test;

namespace {

constexpr int waitMs = 20000;
// The server counts whole milliseconds from its own start of the connection: its readings may be 1 ms short.
constexpr int clockSlackMs = 2;

// `contents` as `name` in `dir`; its path, or empty when it cannot be written.
QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &contents)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return {};
    return path;
}

// The server's report lines (JSON objects) whose "event" is `event`.
QList<QJsonObject> serverEvents(const QByteArray &output, const QString &event)
{
    QList<QJsonObject> events;
    for (const QByteArray &line : output.split('\n')) {
        if (!line.startsWith('{'))
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(QStringLiteral("event")).toString() == event)
            events.append(object);
    }
    return events;
}

QStringList texts(const QList<QJsonObject> &events)
{
    QStringList out;
    for (const QJsonObject &event : events)
        out.append(event.value(QStringLiteral("text")).toString());
    return out;
}

QString ruleAction(const QJsonObject &event)
{
    return event.value(QStringLiteral("rule")).toObject().value(QStringLiteral("action")).toString();
}

// Each frame event as "dir opcode payload:rule name", in order.
QStringList framesWithRules(const QList<QJsonObject> &events)
{
    QStringList frames;
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame")))
        frames.append(
            QStringLiteral("%1 %2 %3:%4")
                .arg(frame.value(QStringLiteral("dir")).toString(), frame.value(QStringLiteral("opcode")).toString(),
                     frame.value(QStringLiteral("payload")).toString(),
                     frame.value(QStringLiteral("rule")).toObject().value(QStringLiteral("name")).toString()));
    return frames;
}

} // namespace

class tst_SessionRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void delayedMessagesOfOursKeepTheirOrder();
    void droppedMessageOfOursIsUnsent();
    void receivedPingsDroppedOrDelayed();
    void noPongLetsTheServerCloseUs();
    void delayPongAnswersLate();
    void serversPongsUnheardKillOurHeartbeat();
    void stallFillsTheServersBuffers();
    void replaceAndInjectOurOwn();
    void ruleMarksRecordedAndExported();
    void protocolHeartbeatDroppedByARule();
    void rulesSwitchWhileTheSessionRuns();
    void badRuleFilesExitTwoBeforeConnecting();
    void profileCarriesItsRules();

private:
    bool startServer(const QStringList &arguments);
    // Runs `connect --json --rules FILE` with `rulesJson` and `arguments` against the server.
    CliRun connectWithRules(const QByteArray &rulesJson, const QStringList &arguments);
    // The server's output once it reported `count` events named `event` (or the wait ran out).
    QByteArray serverOutputWith(const QString &event, qsizetype count = 1);

    PeerProcess m_server;
    QTemporaryDir m_dir;
};

void tst_SessionRules::cleanup()
{
    m_server.stop();
}

bool tst_SessionRules::startServer(const QStringList &arguments)
{
    if (!m_server.startNodeScript(QStringLiteral("session_rules_peer.js"), arguments, {})) {
        qWarning("%s", qPrintable(m_server.errorString()));
        return false;
    }
    return true;
}

CliRun tst_SessionRules::connectWithRules(const QByteArray &rulesJson, const QStringList &arguments)
{
    const QString path = writeFile(m_dir, QStringLiteral("rules.json"), rulesJson);
    return runCli(QStringList{QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--rules"), path} +
                  arguments + QStringList{QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port())});
}

QByteArray tst_SessionRules::serverOutputWith(const QString &event, qsizetype count)
{
    QByteArray output;
    const bool came = QTest::qWaitFor(
        [&] {
            output = m_server.output();
            return serverEvents(output, event).size() >= count;
        },
        waitMs);
    if (!came)
        qWarning("the server reported fewer than %lld \"%s\" events", qlonglong(count), qPrintable(event));
    return output;
}

void tst_SessionRules::delayedMessagesOfOursKeepTheirOrder()
{
    QVERIFY(startServer({}));
    const CliRun run =
        connectWithRules(R"({"rules": [{"name": "slow", "from": "client", "match": "^slow-",
                                                       "action": "delay", "ms": 600}]})",
                         {QStringLiteral("--send"), QStringLiteral("slow-1"), QStringLiteral("--send"),
                          QStringLiteral("fast-2"), QStringLiteral("--duration"), QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> received =
        serverEvents(serverOutputWith(QStringLiteral("close")), QStringLiteral("message"));
    // fast-2 matched no rule, yet it waited behind slow-1: a delay never reorders what we send.
    QCOMPARE(texts(received), (QStringList{QStringLiteral("slow-1"), QStringLiteral("fast-2")}));
    QVERIFY2(received.at(0).value(QStringLiteral("t")).toInt() >= 600 - clockSlackMs,
             qPrintable(QString::fromUtf8(run.out)));
    QVERIFY(received.at(1).value(QStringLiteral("t")).toInt() >= received.at(0).value(QStringLiteral("t")).toInt());

    const QList<QJsonObject> events = jsonLines(run.out);
    const QJsonObject handshake = eventsNamed(events, QStringLiteral("handshake")).value(0);
    QCOMPARE(handshake.value(QStringLiteral("rules")).toArray().at(0).toObject().value(QStringLiteral("name")),
             QJsonValue(QStringLiteral("slow")));
    QStringList marked;
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("dir")) == QLatin1StringView("out") &&
            frame.value(QStringLiteral("opcode")) == QLatin1StringView("text"))
            marked.append(frame.value(QStringLiteral("payload")).toString() + u':' + ruleAction(frame));
    }
    QCOMPARE(marked, (QStringList{QStringLiteral("slow-1:delay"), QStringLiteral("fast-2:")}));
}

void tst_SessionRules::droppedMessageOfOursIsUnsent()
{
    QVERIFY(startServer({QStringLiteral("--echo")}));
    const CliRun run = connectWithRules(R"({"rules": [{"name": "no secrets", "from": "client", "match": "secret",
                                                       "action": "drop"}]})",
                                        {QStringLiteral("--send"), QStringLiteral("a secret"), QStringLiteral("--send"),
                                         QStringLiteral("public"), QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QByteArray output = serverOutputWith(QStringLiteral("close"));
    QCOMPARE(texts(serverEvents(output, QStringLiteral("message"))), QStringList{QStringLiteral("public")});

    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> unsent = eventsNamed(events, QStringLiteral("unsent"));
    QCOMPARE(unsent.size(), 1);
    QCOMPARE(unsent.at(0).value(QStringLiteral("payload")).toString(), QStringLiteral("a secret"));
    QCOMPARE(unsent.at(0).value(QStringLiteral("opcode")).toString(), QStringLiteral("text"));
    QCOMPARE(unsent.at(0).value(QStringLiteral("rule")).toObject(),
             (QJsonObject{{QStringLiteral("name"), QStringLiteral("no secrets")},
                          {QStringLiteral("action"), QStringLiteral("drop")}}));
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame")))
        QVERIFY(!frame.value(QStringLiteral("payload")).toString().contains(QLatin1StringView("secret")));
}

void tst_SessionRules::receivedPingsDroppedOrDelayed()
{
    QVERIFY(startServer({QStringLiteral("--ping-every-ms"), QStringLiteral("300")}));
    // The server's first ping is ignored, as if it never came; the second reaches our client 500 ms late, and the
    // third, though no rule names it, waits behind it.
    const CliRun run = connectWithRules(
        R"({"rules": [{"name": "deaf", "from": "server", "opcode": "ping", "match": "^p1$", "action": "drop"},
                      {"name": "slow", "from": "server", "opcode": "ping", "match": "^p2$", "action": "delay",
                       "ms": 500}]})",
        {QStringLiteral("--duration"), QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QByteArray output = serverOutputWith(QStringLiteral("close"));
    const QList<QJsonObject> pings = serverEvents(output, QStringLiteral("ping"));
    const QList<QJsonObject> pongs = serverEvents(output, QStringLiteral("pong"));
    QVERIFY2(pings.size() >= 4, output.constData());
    QVERIFY2(pongs.size() >= 2, output.constData());
    QCOMPARE(pongs.at(0).value(QStringLiteral("text")).toString(), QStringLiteral("p2"));
    QCOMPARE(pongs.at(1).value(QStringLiteral("text")).toString(), QStringLiteral("p3"));
    const int p2Sent = pings.at(1).value(QStringLiteral("t")).toInt();
    QVERIFY2(pongs.at(0).value(QStringLiteral("t")).toInt() >= p2Sent + 500 - clockSlackMs, output.constData());

    // The client recorded all the pings as they arrived, each with the rule that acted on it.
    QStringList received;
    for (const QJsonObject &frame : eventsNamed(jsonLines(run.out), QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("opcode")) == QLatin1StringView("ping"))
            received.append(frame.value(QStringLiteral("payload")).toString() + u':' + ruleAction(frame));
    }
    QVERIFY2(received.size() >= 3, run.out.constData());
    QCOMPARE(received.mid(0, 3),
             (QStringList{QStringLiteral("p1:drop"), QStringLiteral("p2:delay"), QStringLiteral("p3:")}));
}

void tst_SessionRules::noPongLetsTheServerCloseUs()
{
    QVERIFY(startServer({QStringLiteral("--ping-every-ms"), QStringLiteral("200"), QStringLiteral("--pong-deadline-ms"),
                         QStringLiteral("500")}));
    const CliRun run = connectWithRules(R"({"rules": [{"name": "hung", "from": "client", "action": "no-pong"}]})",
                                        {QStringLiteral("--duration"), QStringLiteral("10")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QByteArray output = serverOutputWith(QStringLiteral("close"));
    QCOMPARE(serverEvents(output, QStringLiteral("pong")).size(), 0);
    QCOMPARE(serverEvents(output, QStringLiteral("no-pong")).size(), 1);

    const QList<QJsonObject> events = jsonLines(run.out);
    // The cause, as the client saw it: the server's Close, well before --duration.
    const QJsonObject close = eventsNamed(events, QStringLiteral("close")).value(0);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 4000);
    QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("no pong within 500 ms"));
    QVERIFY(close.value(QStringLiteral("t")).toDouble() < 5.0);
    // And why it did: the pong our client meant to send, kept back by the rule.
    const QList<QJsonObject> unsent = eventsNamed(events, QStringLiteral("unsent"));
    QVERIFY2(!unsent.isEmpty(), run.out.constData());
    QCOMPARE(unsent.at(0).value(QStringLiteral("opcode")).toString(), QStringLiteral("pong"));
    QCOMPARE(unsent.at(0).value(QStringLiteral("payload")).toString(), QStringLiteral("p1"));
    QCOMPARE(ruleAction(unsent.at(0)), QStringLiteral("no-pong"));
}

void tst_SessionRules::delayPongAnswersLate()
{
    QVERIFY(startServer({QStringLiteral("--ping-every-ms"), QStringLiteral("10000")}));
    const CliRun run = connectWithRules(R"({"rules": [{"from": "client", "action": "delay-pong", "ms": 700}]})",
                                        {QStringLiteral("--duration"), QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QByteArray output = serverOutputWith(QStringLiteral("close"));
    const QList<QJsonObject> pongs = serverEvents(output, QStringLiteral("pong"));
    QCOMPARE(pongs.size(), 1);
    QCOMPARE(pongs.at(0).value(QStringLiteral("text")).toString(), QStringLiteral("p1"));
    QVERIFY2(pongs.at(0).value(QStringLiteral("t")).toInt() >= 700 - clockSlackMs, output.constData());
    bool marked = false;
    for (const QJsonObject &frame : eventsNamed(jsonLines(run.out), QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("opcode")) == QLatin1StringView("pong"))
            marked = ruleAction(frame) == QLatin1StringView("delay-pong");
    }
    QVERIFY2(marked, run.out.constData());
}

void tst_SessionRules::serversPongsUnheardKillOurHeartbeat()
{
    // The server answers every ping (ws does); the rule keeps its pongs from our heartbeat, which declares it dead.
    QVERIFY(startServer({}));
    const CliRun run =
        connectWithRules(R"({"rules": [{"name": "lossy", "from": "server", "action": "no-pong"}]})",
                         {QStringLiteral("--ping-interval"), QStringLiteral("0.2"), QStringLiteral("--pong-timeout"),
                          QStringLiteral("0.2"), QStringLiteral("--duration"), QStringLiteral("10")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    qsizetype pongsOnTheWire = 0;
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("opcode")) == QLatin1StringView("pong")) {
            ++pongsOnTheWire;
            QCOMPARE(ruleAction(frame), QStringLiteral("no-pong"));
        }
    }
    QVERIFY2(pongsOnTheWire >= 1, run.out.constData());
    const QJsonObject close = eventsNamed(events, QStringLiteral("close")).value(0);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    QCOMPARE(close.value(QStringLiteral("ended_by")).toObject().value(QStringLiteral("reason")).toString(),
             OwnEnd::reasonName(OwnEnd::Reason::HeartbeatDead));
}

void tst_SessionRules::stallFillsTheServersBuffers()
{
    constexpr int burstBytes = 32 * 1024 * 1024;
    QVERIFY(startServer({QStringLiteral("--burst-bytes"), QString::number(burstBytes)}));
    const CliRun run = connectWithRules(
        R"({"rules": [{"name": "slow reader", "action": "stall", "to": "client", "ms": 1500, "after_ms": 0}]})",
        {QStringLiteral("--duration"), QStringLiteral("3")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QByteArray output = serverOutputWith(QStringLiteral("close"));
    // While our client did not read, the server's writes stayed in its own buffers, well beyond what the kernel's
    // socket buffers take; they drained only once the stall was over.
    qint64 mostBuffered = 0;
    for (const QJsonObject &event : serverEvents(output, QStringLiteral("buffered")))
        mostBuffered = std::max(mostBuffered, qint64(event.value(QStringLiteral("bytes")).toDouble()));
    QVERIFY2(mostBuffered >= 8 * 1024 * 1024, output.constData());
    const QList<QJsonObject> drained = serverEvents(output, QStringLiteral("drained"));
    QCOMPARE(drained.size(), 1);
    QVERIFY2(drained.at(0).value(QStringLiteral("t")).toInt() >= 1400, output.constData());
    // All of it arrived afterwards, and was recorded.
    qint64 received = 0;
    for (const QJsonObject &frame : eventsNamed(jsonLines(run.out), QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("opcode")) == QLatin1StringView("binary"))
            received += qint64(frame.value(QStringLiteral("length")).toDouble());
    }
    QCOMPARE(received, qint64(burstBytes));
}

void tst_SessionRules::replaceAndInjectOurOwn()
{
    QVERIFY(startServer({QStringLiteral("--echo")}));
    const CliRun run = connectWithRules(
        R"({"rules": [{"name": "redact", "from": "client", "match": "secret", "action": "replace", "with": "public"},
                      {"name": "beat", "action": "inject", "to": "server", "text": "tick", "every_ms": 300},
                      {"name": "ack", "from": "server", "match": "^hello$", "action": "inject", "to": "server",
                       "text": "got it"}]})",
        {QStringLiteral("--send"), QStringLiteral("a secret"), QStringLiteral("--send"), QStringLiteral("hello"),
         QStringLiteral("--duration"), QStringLiteral("1.2")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QStringList received =
        texts(serverEvents(serverOutputWith(QStringLiteral("close")), QStringLiteral("message")));
    // The edit went out instead of what we wrote; the echoed "hello" made us say "got it"; "tick" every 300 ms.
    QCOMPARE(received.mid(0, 2), (QStringList{QStringLiteral("a public"), QStringLiteral("hello")}));
    QVERIFY2(!received.contains(QStringLiteral("a secret")), qPrintable(received.join(u',')));
    QCOMPARE(received.count(QStringLiteral("got it")), 1);
    QVERIFY2(received.count(QStringLiteral("tick")) >= 3, qPrintable(received.join(u',')));

    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> unsent = eventsNamed(events, QStringLiteral("unsent"));
    QCOMPARE(unsent.size(), 1);
    QCOMPARE(unsent.at(0).value(QStringLiteral("payload")).toString(), QStringLiteral("a secret"));
    QCOMPARE(ruleAction(unsent.at(0)), QStringLiteral("replace"));
    QStringList sent;
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame"))) {
        if (frame.value(QStringLiteral("dir")) == QLatin1StringView("out") &&
            frame.value(QStringLiteral("opcode")) == QLatin1StringView("text"))
            sent.append(
                QStringLiteral("%1:%2:%3")
                    .arg(frame.value(QStringLiteral("payload")).toString(), ruleAction(frame),
                         frame.value(QStringLiteral("injected")).toBool() ? QStringLiteral("injected") : QString()));
    }
    QVERIFY2(sent.size() >= 5, qPrintable(sent.join(u',')));
    QCOMPARE(sent.mid(0, 2), (QStringList{QStringLiteral("a public:replace:"), QStringLiteral("hello::")}));
    QVERIFY2(sent.contains(QStringLiteral("got it:inject:injected")), qPrintable(sent.join(u',')));
    QVERIFY2(sent.contains(QStringLiteral("tick:inject:injected")), qPrintable(sent.join(u',')));
}

void tst_SessionRules::ruleMarksRecordedAndExported()
{
    QVERIFY(startServer({QStringLiteral("--echo"), QStringLiteral("--ping-every-ms"), QStringLiteral("300")}));
    const QString recording = m_dir.filePath(QStringLiteral("marks.wsirec"));
    const CliRun run = connectWithRules(
        R"({"rules": [{"name": "deaf", "from": "server", "opcode": "ping", "match": "^p1$", "action": "drop"},
                      {"name": "late ping", "from": "server", "opcode": "ping", "match": "^p2$", "action": "delay",
                       "ms": 400},
                      {"name": "slow", "from": "client", "match": "^slow-", "action": "delay", "ms": 150}]})",
        {QStringLiteral("--record"), recording, QStringLiteral("--send"), QStringLiteral("slow-1"),
         QStringLiteral("--send"), QStringLiteral("fast-2"), QStringLiteral("--duration"), QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));

    // The recording reopened names the rules and the frames each acted on.
    QString error;
    const std::optional<SessionRecords> records = RecordingReader::readFile(recording, &error);
    QVERIFY2(records, qPrintable(error));
    QVERIFY(records->ruleMarks);
    QCOMPARE(records->ruleMarks->rules(),
             (QList<FrameRuleMarks::RuleName>{{QStringLiteral("deaf"), QStringLiteral("drop")},
                                              {QStringLiteral("late ping"), QStringLiteral("delay")},
                                              {QStringLiteral("slow"), QStringLiteral("delay")}}));
    const FrameLog &log = *records->log;
    QStringList marked;
    for (qsizetype i = 0; i < log.frameCount(); ++i) {
        const FrameRecord &frame = log.frame(i);
        const QString payload = QString::fromUtf8(log.framePayload(i));
        const bool ourText = frame.direction() == Direction::Outgoing && frame.opcode == Opcodes::value(Opcode::Text);
        const bool theirPing = frame.direction() == Direction::Incoming && frame.opcode == Opcodes::value(Opcode::Ping);
        if (ourText || (theirPing && payload != QLatin1StringView("p4") && payload != QLatin1StringView("p5")))
            marked.append(payload + u':' + records->ruleMarks->ruleOf(i).value_or(FrameRuleMarks::RuleName{}).name);
    }
    marked.sort(); // ours and the server's pings in whatever order they crossed
    QCOMPARE(marked, (QStringList{QStringLiteral("fast-2:"), QStringLiteral("p1:deaf"), QStringLiteral("p2:late ping"),
                                  QStringLiteral("p3:"), QStringLiteral("slow-1:slow")}));

    // export --jsonl marks the same frames as connect --json did while the session ran.
    const CliRun exported =
        runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), QStringLiteral("-")});
    QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
    const QStringList exportedFrames = framesWithRules(jsonLines(exported.out));
    QVERIFY2(exportedFrames.contains(QStringLiteral("in ping p1:deaf")), qPrintable(exportedFrames.join(u',')));
    QVERIFY2(exportedFrames.contains(QStringLiteral("out text slow-1:slow")), qPrintable(exportedFrames.join(u',')));
    QCOMPARE(exportedFrames, framesWithRules(jsonLines(run.out)));
}

void tst_SessionRules::protocolHeartbeatDroppedByARule()
{
    // A protocol's heartbeat is a message like any other: a rule on its text keeps the speaker's Engine.IO pong ("3")
    // from the wire, and a real socket.io 4 server cuts us pingTimeout after its unanswered ping.
    QVERIFY2(m_server.startNodeScript(QStringLiteral("socketio_peer.js"),
                                      {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                       QStringLiteral("--ping-timeout"), QStringLiteral("200")},
                                      {QStringLiteral("socket.io")}),
             qPrintable(m_server.errorString()));
    const QString path = writeFile(m_dir, QStringLiteral("rules.json"),
                                   R"({"rules": [{"name": "mute", "from": "client", "match": "^3$",
                                                  "action": "drop"}]})");
    const CliRun run = runCli(
        {QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--rules"), path,
         QStringLiteral("--protocol"), QStringLiteral("socketio"), QStringLiteral("--duration"), QStringLiteral("4"),
         QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_server.port())});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> unsent = eventsNamed(events, QStringLiteral("unsent"));
    QVERIFY2(!unsent.isEmpty(), run.out.constData());
    QCOMPARE(unsent.at(0).value(QStringLiteral("payload")).toString(), QStringLiteral("3"));
    QCOMPARE(ruleAction(unsent.at(0)), QStringLiteral("drop"));
    for (const QJsonObject &frame : eventsNamed(events, QStringLiteral("frame")))
        QVERIFY(!(frame.value(QStringLiteral("dir")) == QLatin1StringView("out") &&
                  frame.value(QStringLiteral("payload")) == QLatin1StringView("3")));
    const QJsonObject close = eventsNamed(events, QStringLiteral("close")).value(0);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QVERIFY2(close.value(QStringLiteral("t")).toDouble() < 3.0, run.out.constData());
}

void tst_SessionRules::rulesSwitchWhileTheSessionRuns()
{
    QVERIFY(startServer({}));
    QString error;
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.port()));
    options.rules = RuleFile::parse(R"({"rules": [{"from": "client", "match": "^x", "action": "drop"}]})", &error);
    QVERIFY2(options.rules, qPrintable(error));
    Session session(options);
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Open; }, waitMs));
    session.sendText(QStringLiteral("x1"));
    session.sendText(QStringLiteral("y1"));
    options.rules->setEnabled(0, false);
    session.sendText(QStringLiteral("x2"));
    options.rules->setEnabled(0, true);
    session.sendText(QStringLiteral("x3"));
    session.sendText(QStringLiteral("end"));
    const QByteArray output = serverOutputWith(QStringLiteral("message"), 3);
    QCOMPARE(texts(serverEvents(output, QStringLiteral("message"))),
             (QStringList{QStringLiteral("y1"), QStringLiteral("x2"), QStringLiteral("end")}));
    const QList<SessionRules::Unsent> unsent = session.rules()->unsent(0);
    QCOMPARE(unsent.size(), 2);
    QCOMPARE(unsent.at(0).preview, QByteArray("x1"));
    QCOMPARE(unsent.at(1).preview, QByteArray("x3"));
    session.sendClose();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, waitMs));
}

void tst_SessionRules::badRuleFilesExitTwoBeforeConnecting()
{
    // Nothing listens there: a run that tried to connect would exit 1.
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(PeerProcess::freePort());
    const struct {
        QByteArray json;
        QString error;
    } cases[] = {
        {R"({"rules": [{"match": "a", "action": "delay"}]})",
         QStringLiteral("rules[0].ms: missing (delay needs the delay in milliseconds)")},
        {R"({"rules": [{"action": "drop"}, {"action": "blackhole"}]})",
         QStringLiteral("rules[1].action: \"blackhole\" acts on a relay between two ends; a session can use pass, "
                        "drop, delay, no-pong, delay-pong, stall, replace (from the client), inject (to the server)")},
        {R"({"rules": [{"action": "replace", "match": "a", "with": "b"}]})",
         QStringLiteral("rules[0].from: replace on a session edits what our client sends: it needs \"from\": "
                        "\"client\"")},
        {R"({"rules": [{"action": "inject", "to": "both", "text": "x", "every_ms": 100}]})",
         QStringLiteral("rules[0].to: inject on a session sends a message of our client's own: it needs \"to\": "
                        "\"server\"")},
        {R"({"rules": [{"opcode": "close", "action": "drop"}]})",
         QStringLiteral("rules[0].opcode: \"close\": a session's Close frames belong to its closing handshake; its "
                        "rules act on messages, pings and pongs")},
    };
    for (const auto &each : cases) {
        const QString path = writeFile(m_dir, QStringLiteral("bad.json"), each.json);
        const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--rules"), path, url});
        QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
        QVERIFY2(QString::fromUtf8(run.err).contains(each.error), qPrintable(describe(run)));
        QVERIFY2(QString::fromUtf8(run.err).contains(path), qPrintable(describe(run)));
        QVERIFY(run.out.isEmpty());
    }
    const CliRun missing = runCli(
        {QStringLiteral("connect"), QStringLiteral("--rules"), m_dir.filePath(QStringLiteral("none.json")), url});
    QVERIFY2(missing.finished && missing.exitCode == 2, qPrintable(describe(missing)));
}

void tst_SessionRules::profileCarriesItsRules()
{
    QVERIFY(startServer({}));
    const QByteArray profile = QStringLiteral(R"({"schema": 1, "name": "quiet", "url": "ws://127.0.0.1:%1/",
        "rules": {"rules": [{"name": "no secrets", "from": "client", "match": "secret", "action": "drop"}]}})")
                                   .arg(m_server.port())
                                   .toUtf8();
    const QString path = writeFile(m_dir, QStringLiteral("quiet.json"), profile);
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--profile"), path,
                               QStringLiteral("--send"), QStringLiteral("secret"), QStringLiteral("--send"),
                               QStringLiteral("open"), QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QCOMPARE(texts(serverEvents(serverOutputWith(QStringLiteral("close")), QStringLiteral("message"))),
             QStringList{QStringLiteral("open")});
    QCOMPARE(eventsNamed(jsonLines(run.out), QStringLiteral("unsent")).size(), 1);

    // A profile whose rules a session cannot follow is refused like the file would be.
    const QString refused = writeFile(
        m_dir, QStringLiteral("refused.json"),
        QByteArray(
            R"({"schema": 1, "name": "x", "url": "ws://127.0.0.1:9/", "rules": {"rules": [{"action": "abort"}]}})"));
    const CliRun bad = runCli({QStringLiteral("connect"), QStringLiteral("--profile"), refused});
    QVERIFY2(bad.finished && bad.exitCode == 2, qPrintable(describe(bad)));
    QVERIFY2(QString::fromUtf8(bad.err).contains(QLatin1StringView("rules[0].action: \"abort\" acts on a relay")),
             qPrintable(describe(bad)));
}

QTEST_GUILESS_MAIN(tst_SessionRules)
#include "tst_sessionrules.moc"
