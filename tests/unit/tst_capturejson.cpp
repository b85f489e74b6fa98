// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/CaptureJson.h"
#include "core/protocol/FrameWriter.h"

#include <QJsonDocument>
#include <QTest>

using namespace wsi;

class tst_CaptureJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opcodeNames_data();
    void opcodeNames();
    void textPayloadIsUtf8AndBinaryIsBase64();
    void longPayloadIsCutAtACharacterBoundary();
    void violationsCarryRuleAndSection();
    void closeFrameShowsCodeAndReason();
    void fragmentedBinaryContinuationIsBase64();
    void closeRecord();
    void heartbeatEvent();
    void givenPayloadReplacesTheLogs();
};

static FrameRecord record(quint8 opcode, quint64 length, bool fin = true)
{
    FrameHeader h;
    h.opcode = opcode;
    h.fin = fin;
    h.payloadLength = length;
    h.headerLength = 2;
    return FrameRecord::fromHeader(h, 1'500'000'000, Direction::Incoming);
}

void tst_CaptureJson::opcodeNames_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("continuation") << 0 << QJsonValue(QStringLiteral("continuation"));
    QTest::newRow("text") << 1 << QJsonValue(QStringLiteral("text"));
    QTest::newRow("binary") << 2 << QJsonValue(QStringLiteral("binary"));
    QTest::newRow("close") << 8 << QJsonValue(QStringLiteral("close"));
    QTest::newRow("ping") << 9 << QJsonValue(QStringLiteral("ping"));
    QTest::newRow("pong") << 10 << QJsonValue(QStringLiteral("pong"));
    QTest::newRow("reserved 3 is a number") << 3 << QJsonValue(3);
    QTest::newRow("reserved 15 is a number") << 15 << QJsonValue(15);
}

void tst_CaptureJson::opcodeNames()
{
    QFETCH(int, opcode);
    QFETCH(QJsonValue, expected);
    const QJsonObject json = CaptureJson::frame(record(quint8(opcode), 0), {}, {}, false);
    QCOMPARE(json.value(QStringLiteral("opcode")), expected);
    QCOMPARE(json.value(QStringLiteral("t")).toDouble(), 1.5);
    QCOMPARE(json.value(QStringLiteral("dir")).toString(), QStringLiteral("in"));
    QCOMPARE(json.value(QStringLiteral("fin")).toBool(), true);
}

void tst_CaptureJson::textPayloadIsUtf8AndBinaryIsBase64()
{
    const QByteArray text = QStringLiteral("héllo").toUtf8();
    QJsonObject json = CaptureJson::frame(record(1, quint64(text.size())), text, {}, false);
    QCOMPARE(json.value(QStringLiteral("payload")).toString(), QStringLiteral("héllo"));
    QVERIFY(!json.contains(QStringLiteral("payload_encoding")));

    const QByteArray bytes("\x00\xff\x10", 3);
    json = CaptureJson::frame(record(2, 3), bytes, {}, true);
    QCOMPARE(json.value(QStringLiteral("payload")).toString(), QStringLiteral("AP8Q"));
    QCOMPARE(json.value(QStringLiteral("payload_encoding")).toString(), QStringLiteral("base64"));

    // Invalid UTF-8 in a text frame cannot be a JSON string: base64 too.
    json = CaptureJson::frame(record(1, 2), QByteArray("\xc3\x28", 2), {}, false);
    QCOMPARE(json.value(QStringLiteral("payload_encoding")).toString(), QStringLiteral("base64"));
}

void tst_CaptureJson::longPayloadIsCutAtACharacterBoundary()
{
    // 4095 ASCII bytes then a 2-byte character: cutting at 4096 would split it.
    const QByteArray text = QByteArray(4095, 'a') + QStringLiteral("é").toUtf8() + QByteArray(100, 'b');
    const QJsonObject json = CaptureJson::frame(record(1, quint64(text.size())), text, {}, false);
    QCOMPARE(json.value(QStringLiteral("truncated")).toBool(), true);
    QCOMPARE(json.value(QStringLiteral("payload")).toString(), QString(4095, u'a'));
    QCOMPARE(json.value(QStringLiteral("length")).toInteger(), text.size());
}

void tst_CaptureJson::violationsCarryRuleAndSection()
{
    const ViolationList list{{ViolationRule::UnknownOpcode, QStringLiteral("opcode 0x3 is reserved")}};
    const QJsonArray array = CaptureJson::violations(list);
    QCOMPARE(array.size(), 1);
    const QJsonObject v = array.first().toObject();
    QCOMPARE(v.value(QStringLiteral("rule")).toString(), QStringLiteral("unknown-opcode"));
    QCOMPARE(v.value(QStringLiteral("rfc")).toString(), QStringLiteral("RFC 6455 §5.2"));
    QCOMPARE(v.value(QStringLiteral("detail")).toString(), QStringLiteral("opcode 0x3 is reserved"));
}

void tst_CaptureJson::closeFrameShowsCodeAndReason()
{
    const QByteArray payload = FrameWriter::closePayload(4001, "bye");
    const QJsonObject json = CaptureJson::frame(record(8, quint64(payload.size())), payload, {}, false);
    QCOMPARE(json.value(QStringLiteral("close_code")).toInt(), 4001);
    QCOMPARE(json.value(QStringLiteral("close_reason")).toString(), QStringLiteral("bye"));
}

void tst_CaptureJson::fragmentedBinaryContinuationIsBase64()
{
    FrameLog log;
    log.appendFrame(record(2, 2, false), QByteArray("ab"));
    log.appendFrame(record(0, 2, true), QByteArray("cd"));
    MessageRecord message;
    message.type = MessageType::Binary;
    message.firstFrame = 0;
    message.lastFrame = 1;
    message.frameCount = 2;
    message.length = 4;
    message.wireLength = 4;
    log.appendMessage(message, QByteArray("abcd"));
    // The continuation's opcode says nothing; its message says binary.
    const QJsonObject json = CaptureJson::frame(log, 1);
    QCOMPARE(json.value(QStringLiteral("opcode")).toString(), QStringLiteral("continuation"));
    QCOMPARE(json.value(QStringLiteral("payload_encoding")).toString(), QStringLiteral("base64"));
    const QJsonObject messageJson = CaptureJson::message(log, 0);
    QCOMPARE(messageJson.value(QStringLiteral("type")).toString(), QStringLiteral("binary"));
    QCOMPARE(messageJson.value(QStringLiteral("frames")).toInt(), 2);
    QCOMPARE(QByteArray::fromBase64(messageJson.value(QStringLiteral("payload")).toString().toLatin1()),
             QByteArray("abcd"));
}

void tst_CaptureJson::closeRecord()
{
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Transport;
    close.code = 1006;
    close.atNs = 61'000'000'000;
    close.idleInNs = 60'000'000'000;
    close.idleOutNs = 60'500'000'000;
    const QJsonObject json = CaptureJson::close(close);
    QCOMPARE(json.value(QStringLiteral("initiator")).toString(), QStringLiteral("transport"));
    QCOMPARE(json.value(QStringLiteral("code")).toInt(), 1006);
    QCOMPARE(json.value(QStringLiteral("clean")).toBool(), false);
    QCOMPARE(json.value(QStringLiteral("idle_in_s")).toDouble(), 60.0);
    QCOMPARE(json.value(QStringLiteral("idle_out_s")).toDouble(), 60.5);
    QCOMPARE(json.value(QStringLiteral("t")).toDouble(), 61.0);
}

void tst_CaptureJson::heartbeatEvent()
{
    HeartbeatEvent event;
    event.timeNs = 2500000000;
    event.kind = HeartbeatEvent::Kind::Reply;
    event.rttNs = 1500000;
    event.sequence = 7;
    event.health = HeartbeatEvent::Health::Healthy;
    event.healthChanged = true;
    const QJsonObject json = CaptureJson::heartbeat(event);
    QCOMPARE(json.value(QStringLiteral("t")).toDouble(), 2.5);
    QCOMPARE(json.value(QStringLiteral("what")).toString(), QStringLiteral("reply"));
    QCOMPARE(json.value(QStringLiteral("rtt_ms")).toDouble(), 1.5);
    QCOMPARE(json.value(QStringLiteral("seq")).toInt(), 7);
    QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
    QVERIFY(json.value(QStringLiteral("state_changed")).toBool());
    event.kind = HeartbeatEvent::Kind::Missed;
    event.rttNs = -1;
    QVERIFY(CaptureJson::heartbeat(event).value(QStringLiteral("rtt_ms")).isNull());
    const QByteArray line = CaptureJson::eventLine(QStringLiteral("heartbeat"), json);
    QVERIFY(line.endsWith('\n') && !line.chopped(1).contains('\n'));
    QCOMPARE(QJsonDocument::fromJson(line).object().value(QStringLiteral("event")).toString(),
             QStringLiteral("heartbeat"));
}

// The exports pass the whole payload read back from a recording when the log kept only part of it.
void tst_CaptureJson::givenPayloadReplacesTheLogs()
{
    FrameLog log(FrameLog::Budget{1024, 4});
    log.appendFrame(record(1, 11), QByteArray("hello world"));
    QVERIFY(CaptureJson::frame(log, 0).value(QStringLiteral("truncated")).toBool());
    const QJsonObject whole = CaptureJson::frame(log, 0, QByteArray("hello world"), -1);
    QCOMPARE(whole.value(QStringLiteral("payload")).toString(), QStringLiteral("hello world"));
    QVERIFY(!whole.contains(QStringLiteral("truncated")));
}

QTEST_GUILESS_MAIN(tst_CaptureJson)
#include "tst_capturejson.moc"
