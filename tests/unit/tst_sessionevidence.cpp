// SPDX-License-Identifier: GPL-3.0-or-later
// SessionEvidence and SessionEvidenceReader: the silences per direction and kind of frame, the heartbeat history
// and the unanswered send, built from frames, from a FrameLog and from the JSON lines of `connect --json`; and the
// reader's refusals, which name what it accepts.
#include "core/exchange/CaptureJson.h"
#include "core/exchange/SessionEvidenceReader.h"
#include "core/keepalive/SessionEvidence.h"
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "core/records/HandshakeRecord.h"

#include <QTest>

using namespace wsi;

namespace {

using Kind = SessionEvidence::FrameKind;
using Way = SessionEvidence::Way;

QByteArray transcript(const QList<QByteArray> &lines)
{
    QByteArray bytes;
    for (const QByteArray &line : lines)
        bytes += line + '\n';
    return bytes;
}

const QByteArray handshakeLine =
    R"({"event":"handshake","t":0.031,"accepted":true,"request":{"headers":[["Host","feed.example.com:8443"]]},"response":{"status":101,"headers":[["Upgrade","websocket"],["Server","nginx/1.22.1"]]},"timing_ms":{"dns":null,"connect":10.2,"tls":null,"upgrade":19.8},"violations":[]})";

} // namespace

class tst_SessionEvidence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void silencesPerDirectionAndKind();
    void heartbeatHistory();
    void unansweredSend();
    void closeFramesAreNotTraffic();
    void fromFrameLogMatchesTranscript();
    void readerRefusals_data();
    void readerRefusals();
    void readerKeepsOurOwnEnd();
    void readerWithoutClose();
    void readerOneEvidencePerConnection();
};

void tst_SessionEvidence::silencesPerDirectionAndKind()
{
    SessionEvidence e;
    e.openedMs = 100;
    e.addFrame(1000, Direction::Outgoing, Kind::Data);
    e.addFrame(5000, Direction::Incoming, Kind::Data);
    e.addFrame(30000, Direction::Outgoing, Kind::Ping);
    e.addFrame(30010, Direction::Incoming, Kind::Pong);
    e.finish(std::nullopt, 90010);
    QCOMPARE(e.ageMs(), 89910);
    QCOMPARE(e.silenceMs(Way::Either, false), 60000);
    QCOMPARE(e.silenceMs(Way::Either, true), 85010); // since the server's message
    QCOMPARE(e.silenceMs(Way::FromClient, false), 60010);
    QCOMPARE(e.silenceMs(Way::FromServer, false), 60000);
    QCOMPARE(e.silenceMs(Way::FromClient, true), 89010);
    QCOMPARE(e.silenceMs(ResetRule::PayloadEither), 60000);
    QCOMPARE(e.silenceMs(ResetRule::DataEither), 85010);
    QCOMPARE(e.silenceMs(ResetRule::ReadsFromServer), 60000);
    QCOMPARE(e.longestEarlierSilenceMs(ResetRule::PayloadEither), 25000);
    QCOMPARE(e.longestEarlierSilenceMs(ResetRule::DataEither), 4000);
    QCOMPARE(e.any[size_t(Way::FromClient)].frames, 2);
}

void tst_SessionEvidence::heartbeatHistory()
{
    SessionEvidence e;
    e.addFrame(30000, Direction::Outgoing, Kind::Ping);
    e.addFrame(30005, Direction::Incoming, Kind::Pong);
    e.addFrame(60000, Direction::Outgoing, Kind::Ping);
    e.addFrame(60001, Direction::Incoming, Kind::Ping);
    e.addFrame(60002, Direction::Outgoing, Kind::Pong);
    e.addFrame(135000, Direction::Outgoing, Kind::Ping);
    e.finish(std::nullopt, 140000);
    QCOMPARE(e.pingsSent, 3);
    QCOMPARE(e.pongsReceived, 1);
    QCOMPARE(e.pingsReceived, 1);
    QCOMPARE(e.pongsSent, 1);
    QCOMPARE(e.lastPingSentMs, std::optional<qint64>(135000));
    QVERIFY(!e.lastPingAnswered);
    QCOMPARE(e.longestPingIntervalMs, 75000);
}

void tst_SessionEvidence::unansweredSend()
{
    SessionEvidence e;
    // The server's ping answered at once, then a long silence, then our ping: the ping is what nothing answered.
    e.addFrame(1000, Direction::Incoming, Kind::Ping);
    e.addFrame(1001, Direction::Outgoing, Kind::Pong);
    e.addFrame(361001, Direction::Outgoing, Kind::Ping);
    e.addFrame(361500, Direction::Outgoing, Kind::Data);
    e.finish(std::nullopt, 362000);
    QCOMPARE(e.unansweredSendMs, std::optional<qint64>(361001));
    QCOMPARE(e.unansweredSendKind, Kind::Ping);
    QCOMPARE(e.silenceBeforeUnansweredMs, 360000);
    QCOMPARE(e.longestSurvivedSilenceMs, 1000);

    // Anything from the server afterwards answers it.
    e = SessionEvidence();
    e.addFrame(1000, Direction::Outgoing, Kind::Ping);
    e.addFrame(1001, Direction::Incoming, Kind::Pong);
    e.finish(std::nullopt, 2000);
    QVERIFY(!e.unansweredSendMs);
    QCOMPARE(e.longestSurvivedSilenceMs, 1000);
}

void tst_SessionEvidence::closeFramesAreNotTraffic()
{
    SessionEvidence e;
    e.addFrame(1000, Direction::Incoming, Kind::Data);
    e.addFrame(61000, Direction::Outgoing, Kind::Close);
    e.finish(std::nullopt, 61000);
    QCOMPARE(e.silenceMs(ResetRule::PayloadEither), 60000);
    QCOMPARE(e.unansweredSendKind, Kind::Close);
}

void tst_SessionEvidence::fromFrameLogMatchesTranscript()
{
    HandshakeRecord handshake;
    handshake.accepted = true;
    handshake.responseReceived = true;
    handshake.response.statusCode = 101;
    handshake.response.headers = {{"Upgrade", "websocket"}, {"Server", "nginx/1.22.1"}};
    handshake.timings.connectNs = 10200000;
    handshake.timings.upgradeNs = 19800000;
    FrameLog log;
    const auto append = [&](qint64 ns, Direction direction, Opcode opcode) {
        FrameRecord record;
        record.timeNs = ns;
        record.opcode = Opcodes::value(opcode);
        record.flags = FrameRecord::Fin | (direction == Direction::Outgoing ? FrameRecord::Outgoing : 0);
        log.appendFrame(record, {});
    };
    append(1000000000, Direction::Outgoing, Opcode::Text);
    append(1002000000, Direction::Incoming, Opcode::Text);
    append(20000000000, Direction::Outgoing, Opcode::Ping);
    append(20001000000, Direction::Incoming, Opcode::Pong);
    CloseRecord close;
    close.atNs = 80001000000;
    SessionRecords records;
    records.handshake = handshake;
    records.log = std::shared_ptr<const FrameLog>(&log, [](const FrameLog *) {}); // the test's own, on its stack
    records.close = close;
    records.url = QUrl(QStringLiteral("ws://feed.example.com:8443/feed"));
    const SessionEvidence live = SessionEvidence::fromRecords(records);

    const std::optional<QList<SessionEvidence>> connections = SessionEvidenceReader::readTranscript(
        transcript(
            {handshakeLine, R"({"event":"frame","t":1.0,"dir":"out","opcode":"text","violations":[]})",
             R"({"event":"message","t":1.0,"dir":"out","type":"text"})",
             R"({"event":"frame","t":1.002,"dir":"in","opcode":"text","violations":[]})",
             R"({"event":"frame","t":20.0,"dir":"out","opcode":"ping","violations":[]})",
             R"({"event":"frame","t":20.001,"dir":"in","opcode":"pong","violations":[]})",
             R"({"event":"error","t":80.001,"message":"the connection ended"})",
             R"({"event":"close","t":80.001,"initiator":"transport","code":1006,"reason":"","clean":false,"close_sent":false,"close_received":false,"idle_in_s":60,"idle_out_s":60.001})",
             R"({"event":"diagnosis","t":80.001,"cause":"unexplained"})"}),
        QStringLiteral("t.jsonl"), nullptr);
    QVERIFY(connections);
    QCOMPARE(connections->size(), 1);
    const SessionEvidence &read = connections->constFirst();
    for (const SessionEvidence *e : {&live, &read}) {
        QCOMPARE(e->openedMs, 30);
        QVERIFY(e->accepted);
        QVERIFY(e->ended());
        QCOMPARE(e->close->initiator, CloseRecord::Initiator::Transport);
        QCOMPARE(e->endMs, 80001);
        QCOMPARE(e->silenceMs(ResetRule::PayloadEither), 60000);
        QCOMPARE(e->silenceMs(ResetRule::DataEither), 78999);
        QCOMPARE(e->pingsSent, 1);
        QCOMPARE(e->pongsReceived, 1);
        QVERIFY(e->lastPingAnswered);
        // The upgrade response's fields, where intermediaries name themselves, reach the diagnosis.
        QCOMPARE(e->responseHeaders.value("Server"), QByteArray("nginx/1.22.1"));
        QCOMPARE(e->responseHeaders.size(), 2);
        // The server's host (a transcript's from the request's Host field), for what a suggested chain says.
        QCOMPARE(e->host, QStringLiteral("feed.example.com"));
    }
    QCOMPARE(read.source, QStringLiteral("t.jsonl (wsinspector-cli connect --json)"));
}

void tst_SessionEvidence::readerRefusals_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("named");

    QTest::newRow("empty") << QByteArray("\n") << QStringLiteral("empty");
    QTest::newRow("HAR") << QByteArray("{\n  \"log\": {\"entries\": []}\n}\n") << QStringLiteral("HAR");
    QTest::newRow("recording") << QByteArray("SQLite format 3\0rest", 20) << QStringLiteral("recording");
    QTest::newRow("not JSON") << QByteArray("hello\n") << QStringLiteral("line 1");
    QTest::newRow("no event") << QByteArray("{\"t\":1}\n") << QStringLiteral("no \"event\"");
    QTest::newRow("no handshake") << transcript({R"({"event":"close","t":1,"initiator":"transport"})"})
                                  << QStringLiteral("no handshake");
    QTest::newRow("backwards") << transcript({handshakeLine, R"({"event":"frame","t":2,"dir":"in","opcode":"text"})",
                                              R"({"event":"frame","t":1,"dir":"in","opcode":"text"})"})
                               << QStringLiteral("line 3: frame times go backwards");
    QTest::newRow("bad dir") << transcript({handshakeLine, R"({"event":"frame","t":2,"dir":"up","opcode":"text"})"})
                             << QStringLiteral("\"dir\"");
    QTest::newRow("bad initiator") << transcript({handshakeLine, R"({"event":"close","t":2,"initiator":"proxy"})"})
                                   << QStringLiteral("\"initiator\"");
    QTest::newRow("bad ended_by")
        << transcript(
               {handshakeLine, R"({"event":"close","t":2,"initiator":"client","ended_by":{"reason":"boredom"}})"})
        << QStringLiteral("\"ended_by\"");
}

void tst_SessionEvidence::readerRefusals()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, named);
    QString error;
    QVERIFY(!SessionEvidenceReader::readTranscript(bytes, QStringLiteral("x.jsonl"), &error));
    QVERIFY2(error.contains(named), qPrintable(error));
    QVERIFY2(error.startsWith(QLatin1StringView("x.jsonl")), qPrintable(error));
    if (named != QLatin1StringView("\"dir\"") && named != QLatin1StringView("\"initiator\"") &&
        named != QLatin1StringView("\"ended_by\"") && !named.contains(QLatin1StringView("backwards")))
        QVERIFY2(error.contains(QLatin1StringView("connect --json")), qPrintable(error));
}

void tst_SessionEvidence::readerKeepsOurOwnEnd()
{
    // The close event's "ended_by", as connect --json prints it (CaptureJson::close), comes back as the record's.
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Client;
    close.code = 1001;
    close.atNs = 2000000000;
    close.ownEnd = OwnEnd{OwnEnd::Reason::RecordingFailed, QStringLiteral("No space left on device")};
    QString error;
    const auto e = SessionEvidenceReader::readTranscript(
        transcript({handshakeLine, R"({"event":"frame","t":1.0,"dir":"in","opcode":"text"})",
                    CaptureJson::eventLine(QStringLiteral("close"), CaptureJson::close(close)).trimmed()}),
        QStringLiteral("full.jsonl"), &error);
    QVERIFY2(e && e->size() == 1, qPrintable(error));
    const std::optional<CloseRecord> &read = e->constFirst().close;
    QVERIFY(read && read->ownEnd);
    QCOMPARE(read->ownEnd->reason, OwnEnd::Reason::RecordingFailed);
    QCOMPARE(read->ownEnd->detail, QStringLiteral("No space left on device"));
}

void tst_SessionEvidence::readerWithoutClose()
{
    // A transcript cut short (the process was killed): no close, ending at the last event.
    QString error;
    const auto e = SessionEvidenceReader::readTranscript(
        transcript({handshakeLine, R"({"event":"frame","t":1.0,"dir":"in","opcode":"text"})",
                    R"({"event":"error","t":351.0,"message":"interrupted"})"}),
        QStringLiteral("cut.jsonl"), &error);
    QVERIFY2(e && e->size() == 1, qPrintable(error));
    QVERIFY(!e->constFirst().ended());
    QCOMPARE(e->constFirst().endMs, 351000);
    QCOMPARE(e->constFirst().silenceMs(ResetRule::PacketsEither), 350000);
}

void tst_SessionEvidence::readerOneEvidencePerConnection()
{
    // connect --reconnect: each connection has its own handshake; times run on the first connection's clock.
    QString error;
    const auto e = SessionEvidenceReader::readTranscript(
        transcript(
            {handshakeLine, R"({"event":"frame","t":1.0,"dir":"in","opcode":"text"})",
             R"({"event":"close","t":61.0,"initiator":"transport","code":1006,"clean":false})",
             R"({"event":"reconnect","t":61.0,"attempt":1,"delay_ms":100,"connection":2})",
             R"({"event":"handshake","t":61.2,"accepted":true,"response":{"status":101},"timing_ms":{"connect":1,"upgrade":2}})",
             R"({"event":"frame","t":62.0,"dir":"out","opcode":"text"})",
             R"({"event":"close","t":64.0,"initiator":"client","code":1000,"clean":true,"close_sent":true,"close_received":true})"}),
        QStringLiteral("r.jsonl"), &error);
    QVERIFY2(e, qPrintable(error));
    QCOMPARE(e->size(), 2);
    QCOMPARE(e->at(0).silenceMs(ResetRule::PayloadEither), 60000);
    QCOMPARE(e->at(0).close->initiator, CloseRecord::Initiator::Transport);
    QCOMPARE(e->at(1).openedMs, 61200);
    QCOMPARE(e->at(1).ageMs(), 2800);
    QCOMPARE(e->at(1).silenceMs(ResetRule::PayloadEither), 2000);
    QVERIFY(e->at(1).close->clean);
    QCOMPARE(e->at(1).source, QStringLiteral("r.jsonl (wsinspector-cli connect --json), connection 2"));
}

QTEST_GUILESS_MAIN(tst_SessionEvidence)
#include "tst_sessionevidence.moc"
