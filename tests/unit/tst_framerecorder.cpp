// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/MessageDeflater.h"
#include "core/records/FrameRecorder.h"

#include <QTest>

using namespace wsi;

// FrameRecorder is the one path from parsed and written frames to records, for sessions and relayed connections
// alike: these tests feed it real wire bytes through the real parser.
class tst_FrameRecorder : public QObject
{
    Q_OBJECT

private:
    // Parses `wire` as frames from `sender` and records each one at time 1000 * (its index + 1).
    static QList<qsizetype> recordAll(FrameRecorder &recorder, FrameParser &parser, QByteArrayView wire)
    {
        QList<qsizetype> indices;
        FrameEvent event;
        while (parser.next(wire, event))
            indices.append(recorder.recordParsed(event, 1000 * (indices.size() + 1)));
        return indices;
    }

private Q_SLOTS:
    void directionFollowsTheSender_data()
    {
        QTest::addColumn<Endpoint>("sender");
        QTest::addColumn<Direction>("direction");
        QTest::newRow("client frames are outgoing") << Endpoint::Client << Direction::Outgoing;
        QTest::newRow("server frames are incoming") << Endpoint::Server << Direction::Incoming;
    }
    void directionFollowsTheSender()
    {
        QFETCH(Endpoint, sender);
        QFETCH(Direction, direction);
        FrameLog log;
        FrameRecorder recorder(log, sender);
        FrameParser parser(sender);
        FrameWriter writer(sender);
        recordAll(recorder, parser, writer.text("hello"));
        QCOMPARE(log.frameCount(), 1);
        QCOMPARE(log.frame(0).direction(), direction);
        QCOMPARE(log.frame(0).timeNs, 1000);
        QCOMPARE(log.framePayload(0), QByteArrayView("hello"));
        QCOMPARE(log.messageCount(), 1);
        QCOMPARE(log.message(0).direction, direction);
        QVERIFY(log.message(0).sharesFramePayload);
        QCOMPARE(log.messagePayload(0), QByteArrayView("hello"));
    }

    void fragmentedMessageSpansItsFrames()
    {
        FrameLog log;
        FrameRecorder recorder(log, Endpoint::Server);
        FrameParser parser(Endpoint::Server);
        FrameWriter writer(Endpoint::Server);
        const QByteArray wire = writer.ping("p") + writer.fragmented(Opcode::Text, "one two three", 3);
        const QList<qsizetype> frames = recordAll(recorder, parser, wire);
        QCOMPARE(frames, (QList<qsizetype>{0, 1, 2, 3}));
        QCOMPARE(log.messageCount(), 1);
        const MessageRecord &message = log.message(0);
        QCOMPARE(message.firstFrame, 1u);
        QCOMPARE(message.lastFrame, 3u);
        QCOMPARE(message.frameCount, 3u);
        QCOMPARE(message.timeNs, 4000);
        QVERIFY(!message.sharesFramePayload);
        QCOMPARE(log.messagePayload(0), QByteArrayView("one two three"));
        QCOMPARE(log.messageContaining(2), 0);
        QCOMPARE(log.messageContaining(0), -1); // the ping
    }

    void violationsOfParserAssemblerAndCallerAreKept()
    {
        FrameLog log;
        FrameRecorder recorder(log, Endpoint::Server);
        FrameParser parser(Endpoint::Server);
        FrameWriter writer(Endpoint::Server);
        // A continuation with no message started (assembler, §5.4) that is also masked by a server (parser, §5.1).
        FrameSpec spec;
        spec.opcode = Opcodes::value(Opcode::Continuation);
        spec.masked = true;
        QByteArrayView wire = writer.frame(spec, "x");
        FrameEvent event;
        QVERIFY(parser.next(wire, event));
        const ViolationList extra{{ViolationRule::PongPayloadMismatch, QStringLiteral("the caller's own finding")}};
        const qsizetype index = recorder.recordParsed(event, 5, &extra);
        const ViolationList recorded = log.frameViolations(index);
        QVERIFY2(recorded.size() >= 3, qPrintable(QString::number(recorded.size())));
        QList<ViolationRule> rules;
        for (const Violation &v : recorded)
            rules.append(v.rule);
        QVERIFY(rules.contains(ViolationRule::PongPayloadMismatch));
        QCOMPARE(rules.constLast(), ViolationRule::PongPayloadMismatch); // the caller's come last
        QCOMPARE(rules.size(), event.violations.size() + recorder.output().violations.size() + 1);
        QCOMPARE(log.messageCount(), 0);
    }

    void closeFrameIsReportedThroughOutput()
    {
        FrameLog log;
        FrameRecorder recorder(log, Endpoint::Server);
        FrameParser parser(Endpoint::Server);
        FrameWriter writer(Endpoint::Server);
        recordAll(recorder, parser, writer.close(1001, "going away"));
        QVERIFY(recorder.output().close.has_value());
        QCOMPARE(recorder.output().close->code, std::optional<quint16>(1001));
        QCOMPARE(recorder.output().close->reason, QStringLiteral("going away"));
        QCOMPARE(log.frame(0).opcode, Opcodes::value(Opcode::Close));
    }

    void compressedMessagesAreInflatedAndMarked()
    {
        FrameLog log;
        FrameRecorder recorder(log, Endpoint::Server);
        recorder.enableDeflate(15, false);
        QVERIFY(recorder.deflateEnabled());
        FrameParser parser(Endpoint::Server);
        parser.setAllowedReservedBits(0x4);
        MessageDeflater deflater(15, false);
        const QByteArray text = QByteArray("compress me, compress me, compress me");
        FrameWriter writer(Endpoint::Server);
        recordAll(recorder, parser, writer.fragmented(Opcode::Text, deflater.compress(text), 2, true));
        QCOMPARE(log.frameCount(), 2);
        QVERIFY(log.frame(0).has(FrameRecord::Compressed));
        QVERIFY(!log.frame(1).has(FrameRecord::Compressed)); // RSV1 marks the first frame only (RFC 7692 §6)
        QCOMPARE(log.messageCount(), 1);
        QVERIFY(log.message(0).compressed);
        QCOMPARE(log.messagePayload(0), QByteArrayView(text));
        QCOMPARE(log.message(0).length, quint64(text.size()));
    }

    void writtenFramesAndSentMessages()
    {
        FrameLog log;
        FrameRecorder recorder(log, Endpoint::Client);
        FrameWriter writer(Endpoint::Client);
        QByteArray wire;
        FrameSpec first;
        first.opcode = Opcodes::value(Opcode::Binary);
        first.fin = false;
        const qsizetype a = recorder.recordWritten(writer.append(wire, first, "ab"), "ab", 10, false, true);
        FrameSpec last;
        last.opcode = Opcodes::value(Opcode::Continuation);
        last.rsv2 = true;
        const qsizetype b = recorder.recordWritten(writer.append(wire, last, "cd"), "cd", 20, true, false);
        AssembledMessage message;
        message.type = MessageType::Binary;
        message.payload = "abcd";
        message.wireLength = 4;
        message.frameCount = 2;
        recorder.recordMessage(message, a, b, 20);

        QCOMPARE(log.frameCount(), 2);
        QCOMPARE(log.frame(a).direction(), Direction::Outgoing);
        QVERIFY(log.frame(a).has(FrameRecord::Masked));
        QVERIFY(log.frame(a).has(FrameRecord::Compressed));
        QVERIFY(!log.frame(a).has(FrameRecord::Fin));
        QVERIFY(log.frame(b).has(FrameRecord::Deliberate));
        QVERIFY(log.frame(b).has(FrameRecord::Rsv2));
        QCOMPARE(log.framePayload(b), QByteArrayView("cd"));
        QCOMPARE(log.messageCount(), 1);
        QCOMPARE(log.message(0).firstFrame, quint64(a));
        QCOMPARE(log.message(0).lastFrame, quint64(b));
        QCOMPARE(log.message(0).type, MessageType::Binary);
        QCOMPARE(log.messagePayload(0), QByteArrayView("abcd"));
    }
};

QTEST_GUILESS_MAIN(tst_FrameRecorder)
#include "tst_framerecorder.moc"
