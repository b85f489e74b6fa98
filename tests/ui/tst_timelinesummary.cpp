// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Opcode.h"
#include "ui/frames/TimelineSummary.h"

#include <QTest>

using namespace wsi;

namespace {

constexpr qint64 ms = 1'000'000;

FrameRecord record(qint64 timeNs, Direction direction, Opcode opcode, quint64 length, quint64 violations = 0)
{
    FrameHeader header;
    header.opcode = Opcodes::value(opcode);
    header.payloadLength = length;
    FrameRecord r = FrameRecord::fromHeader(header, timeNs, direction);
    r.violationMask = violations;
    return r;
}

} // namespace

class tst_TimelineSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kindsOfFrames();
    void levelForPixelWidth();
    void bucketsMergeFramesPerLane();
    void olderRecordIsInsertedInOrder();
    void firstBucketAfterAndClear();
};

void tst_TimelineSummary::kindsOfFrames()
{
    QCOMPARE(TimelineSummary::kindsOf(record(0, Direction::Incoming, Opcode::Text, 1)), quint16(TimelineSummary::Data));
    QCOMPARE(TimelineSummary::kindsOf(record(0, Direction::Incoming, Opcode::Continuation, 1)),
             quint16(TimelineSummary::Data));
    QCOMPARE(TimelineSummary::kindsOf(record(0, Direction::Incoming, Opcode::Ping, 0)), quint16(TimelineSummary::Ping));
    QCOMPARE(TimelineSummary::kindsOf(record(0, Direction::Incoming, Opcode::Pong, 0)), quint16(TimelineSummary::Pong));
    QCOMPARE(TimelineSummary::kindsOf(record(0, Direction::Incoming, Opcode::Close, 2, 1)),
             quint16(TimelineSummary::Close | TimelineSummary::Violation));
    FrameRecord reserved = record(0, Direction::Incoming, Opcode::Close, 0);
    reserved.opcode = 0xB;
    QCOMPARE(TimelineSummary::kindsOf(reserved), quint16(TimelineSummary::OtherControl));
}

void tst_TimelineSummary::levelForPixelWidth()
{
    QCOMPARE(TimelineSummary::levelFor(0.5 * ms), -1);
    QCOMPARE(TimelineSummary::levelFor(1.0 * ms), 0);
    QCOMPARE(TimelineSummary::levelFor(3.9 * ms), 0);
    QCOMPARE(TimelineSummary::levelFor(4.0 * ms), 1);
    QCOMPARE(TimelineSummary::levelFor(1e18), TimelineSummary::levelCount - 1);
}

void tst_TimelineSummary::bucketsMergeFramesPerLane()
{
    TimelineSummary summary;
    summary.add(record(100'000, Direction::Outgoing, Opcode::Text, 10));       // bucket 0 at level 0
    summary.add(record(900'000, Direction::Outgoing, Opcode::Ping, 0));        // bucket 0 too
    summary.add(record(1'500'000, Direction::Outgoing, Opcode::Binary, 5000)); // bucket 1
    summary.add(record(2 * ms, Direction::Incoming, Opcode::Text, 7, 1));      // the other lane
    const int out = TimelineSummary::laneOf(Direction::Outgoing);
    const int in = TimelineSummary::laneOf(Direction::Incoming);
    QCOMPARE_NE(out, in);

    const auto &level0 = summary.buckets(out, 0);
    QCOMPARE(level0.size(), size_t(2));
    QCOMPARE(level0[0].index, 0u);
    QCOMPARE(level0[0].count, 2u);
    QCOMPARE(level0[0].maxSize, 10u);
    QCOMPARE(level0[0].kinds, quint16(TimelineSummary::Data | TimelineSummary::Ping));
    QCOMPARE(level0[1].index, 1u);
    QCOMPARE(level0[1].maxSize, 5000u);

    const auto &level1 = summary.buckets(out, 1); // 4 ms buckets: all three in one
    QCOMPARE(level1.size(), size_t(1));
    QCOMPARE(level1[0].count, 3u);
    QCOMPARE(level1[0].maxSize, 5000u);

    QCOMPARE(summary.buckets(in, 0).size(), size_t(1));
    QCOMPARE(summary.buckets(in, 0)[0].index, 2u);
    QCOMPARE(summary.buckets(in, 0)[0].kinds, quint16(TimelineSummary::Data | TimelineSummary::Violation));
    QCOMPARE(summary.maxPayloadLength(), quint64(5000));
}

void tst_TimelineSummary::olderRecordIsInsertedInOrder()
{
    TimelineSummary summary;
    summary.add(record(10 * ms, Direction::Incoming, Opcode::Text, 1));
    summary.add(record(30 * ms, Direction::Incoming, Opcode::Text, 1));
    summary.add(record(20 * ms, Direction::Incoming, Opcode::Text, 1)); // out of order
    summary.add(record(10 * ms, Direction::Incoming, Opcode::Text, 3)); // into an existing bucket
    const auto &level0 = summary.buckets(TimelineSummary::laneOf(Direction::Incoming), 0);
    QCOMPARE(level0.size(), size_t(3));
    QCOMPARE(level0[0].index, 10u);
    QCOMPARE(level0[0].count, 2u);
    QCOMPARE(level0[0].maxSize, 3u);
    QCOMPARE(level0[1].index, 20u);
    QCOMPARE(level0[2].index, 30u);
}

void tst_TimelineSummary::firstBucketAfterAndClear()
{
    TimelineSummary summary;
    for (int i = 0; i < 10; ++i)
        summary.add(record(i * 10 * ms, Direction::Outgoing, Opcode::Text, 1));
    const int lane = TimelineSummary::laneOf(Direction::Outgoing);
    QCOMPARE(summary.firstBucketAfter(lane, 0, 0), 0);
    QCOMPARE(summary.firstBucketAfter(lane, 0, 10 * ms), 1);
    QCOMPARE(summary.firstBucketAfter(lane, 0, 10 * ms + 500'000), 1); // the bucket holding that time
    QCOMPARE(summary.firstBucketAfter(lane, 0, 15 * ms), 2);
    QCOMPARE(summary.firstBucketAfter(lane, 0, 1000 * ms), 10);
    QCOMPARE(summary.firstBucketAfter(lane, 0, -5), 0);
    summary.clear();
    QVERIFY(summary.buckets(lane, 0).empty());
    QCOMPARE(summary.maxPayloadLength(), quint64(0));
}

QTEST_MAIN(tst_TimelineSummary)
#include "tst_timelinesummary.moc"
