// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameLog.h"

#include <QTest>

#include <cstring>

using namespace wsi;

class tst_FrameLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordIsCompact();
    void framesKeepHeaderFieldsAndPayload();
    void budgetTruncatesAndMarks();
    void violationsAreKeptPerFrame();
    void singleFrameMessageSharesThePayload();
    void largePayloadsGetTheirOwnChunk();
    void framesReadIntoStorageAreNotCopied();
    void readSpaceRespectsTheBudget();
    void reservedPayloadIsReferencedInPlace();
    void reservationsArePackedApartFromReads();
    void continuingReservationFreesTheReadTail();
    void messageContainingWithInterleavedDirections();
};

static FrameRecord recordFor(quint8 opcode, quint64 length, Direction direction = Direction::Incoming)
{
    FrameHeader header;
    header.opcode = opcode;
    header.payloadLength = length;
    header.lengthEncoding = length < 126 ? LengthEncoding::Bits7 : LengthEncoding::Bits16;
    header.headerLength = length < 126 ? 2 : 4;
    return FrameRecord::fromHeader(header, 1000, direction);
}

void tst_FrameLog::recordIsCompact()
{
    QVERIFY(sizeof(FrameRecord) <= 48);
}

void tst_FrameLog::framesKeepHeaderFieldsAndPayload()
{
    FrameLog log;
    FrameHeader header;
    header.fin = false;
    header.rsv2 = true;
    header.opcode = 0x2;
    header.masked = true;
    header.maskingKey = {1, 2, 3, 4};
    header.payloadLength = 300;
    header.lengthEncoding = LengthEncoding::Bits64;
    header.headerLength = 14;
    const QByteArray payload(300, 'p');
    const qsizetype index = log.appendFrame(FrameRecord::fromHeader(header, 42, Direction::Outgoing), payload);
    QCOMPARE(index, 0);
    QCOMPARE(log.frameCount(), 1);
    const FrameRecord &r = log.frame(0);
    QCOMPARE(r.header(), header);
    QCOMPARE(r.timeNs, qint64(42));
    QCOMPARE(r.direction(), Direction::Outgoing);
    QCOMPARE(log.framePayload(0), QByteArrayView(payload));
    QVERIFY(!r.has(FrameRecord::PayloadTruncated));
}

void tst_FrameLog::budgetTruncatesAndMarks()
{
    FrameLog::Budget budget;
    budget.maxStoredPerFrame = 100;
    budget.maxStoredTotal = 250;
    FrameLog log(budget);
    log.appendFrame(recordFor(1, 150), QByteArray(150, 'a')); // cut to 100 by the per-frame cap
    log.appendFrame(recordFor(1, 100), QByteArray(100, 'b')); // fits: 200 of 250
    log.appendFrame(recordFor(1, 100), QByteArray(100, 'c')); // only 50 left
    log.appendFrame(recordFor(1, 10), QByteArray(10, 'd'));   // nothing left
    QCOMPARE(log.frame(0).storedLength, 100u);
    QVERIFY(log.frame(0).has(FrameRecord::PayloadTruncated));
    QCOMPARE(log.frame(0).payloadLength, 150u);
    QCOMPARE(log.frame(1).storedLength, 100u);
    QVERIFY(!log.frame(1).has(FrameRecord::PayloadTruncated));
    QCOMPARE(log.frame(2).storedLength, 50u);
    QVERIFY(log.frame(2).has(FrameRecord::PayloadTruncated));
    QCOMPARE(log.framePayload(2), QByteArrayView(QByteArray(50, 'c')));
    QCOMPARE(log.frame(3).storedLength, 0u);
    QVERIFY(log.frame(3).has(FrameRecord::PayloadTruncated));
    QCOMPARE(log.payloadBytesStored(), qint64(250));
}

void tst_FrameLog::violationsAreKeptPerFrame()
{
    FrameLog log;
    for (int i = 0; i < 100; ++i) {
        ViolationList violations;
        if (i % 7 == 3)
            violations.append({ViolationRule::UnknownOpcode, QStringLiteral("frame %1").arg(i)});
        log.appendFrame(recordFor(3, 0), {}, violations);
    }
    for (int i = 0; i < 100; ++i) {
        const ViolationList v = log.frameViolations(i);
        if (i % 7 == 3) {
            QCOMPARE(v.size(), 1);
            QCOMPARE(v.first().detail, QStringLiteral("frame %1").arg(i));
            QCOMPARE(log.frame(i).violationMask, Violations::bit(ViolationRule::UnknownOpcode));
        } else {
            QVERIFY(v.isEmpty());
            QCOMPARE(log.frame(i).violationMask, quint64(0));
        }
    }
}

void tst_FrameLog::singleFrameMessageSharesThePayload()
{
    FrameLog log;
    const QByteArray payload("hello");
    log.appendFrame(recordFor(1, 5), payload);
    const qint64 before = log.payloadBytesStored();
    MessageRecord message;
    message.firstFrame = 0;
    message.lastFrame = 0;
    message.length = 5;
    message.wireLength = 5;
    message.frameCount = 1;
    message.sharesFramePayload = true;
    log.appendMessage(message, payload);
    QCOMPARE(log.payloadBytesStored(), before);
    QCOMPARE(log.messagePayload(0), QByteArrayView(payload));

    message.sharesFramePayload = false;
    log.appendMessage(message, QByteArray("inflated"));
    QCOMPARE(log.messagePayload(1), QByteArrayView("inflated"));
}

void tst_FrameLog::largePayloadsGetTheirOwnChunk()
{
    FrameLog log;
    const QByteArray big(3 * 1024 * 1024, 'x');
    const QByteArray small(10, 'y');
    log.appendFrame(recordFor(2, 10), small);
    log.appendFrame(recordFor(2, quint64(big.size())), big);
    log.appendFrame(recordFor(2, 10), small);
    QCOMPARE(log.framePayload(0), QByteArrayView(small));
    QCOMPARE(log.framePayload(1), QByteArrayView(big));
    QCOMPARE(log.framePayload(2), QByteArrayView(small));
    // The small payloads share one 1 MiB chunk; the big one has its own.
    QVERIFY(log.memoryUsed() < 3 * 1024 * 1024 + 1024 * 1024 + 4096);
}

// Bytes read straight into the log's storage: a payload inside them is referenced where it is.
void tst_FrameLog::framesReadIntoStorageAreNotCopied()
{
    FrameLog log;
    const QByteArray wire = QByteArray("\x81\x05"
                                       "hello"
                                       "\x82\x03"
                                       "abc",
                                       12);
    PayloadStore::ReadRegion region = log.readSpace(wire.size());
    QVERIFY(region.isValid());
    QVERIFY(region.size >= wire.size());
    std::memcpy(region.data, wire.constData(), size_t(wire.size()));
    region = log.commitRead(region, wire.size());
    QCOMPARE(region.size, wire.size());

    log.appendFrame(recordFor(1, 5), QByteArrayView(region.data + 2, 5), {}, region);
    log.appendFrame(recordFor(2, 3), QByteArrayView(region.data + 9, 3), {}, region);
    // The very bytes that were read (pointers compared: QCOMPARE on two char pointers compares C strings).
    QCOMPARE(static_cast<const void *>(log.framePayload(0).data()), static_cast<const void *>(region.data + 2));
    QCOMPARE(log.framePayload(0), QByteArrayView("hello"));
    QCOMPARE(log.framePayload(1), QByteArrayView("abc"));
    QCOMPARE(log.payloadBytesStored(), qint64(8));

    // A payload from elsewhere (the parser's own buffer) is copied as usual, after the read bytes.
    const QByteArray other("other");
    log.appendFrame(recordFor(1, 5), other, {}, region);
    QVERIFY(log.framePayload(2).data() != other.constData());
    QCOMPARE(log.framePayload(2), QByteArrayView("other"));
    QCOMPARE(log.framePayload(0), QByteArrayView("hello"));
}

void tst_FrameLog::readSpaceRespectsTheBudget()
{
    FrameLog::Budget budget;
    budget.maxStoredTotal = 32 * 1024; // below the first chunk's 64 KiB
    FrameLog log(budget);
    QVERIFY(!log.readSpace(1000).isValid());
}

void tst_FrameLog::reservedPayloadIsReferencedInPlace()
{
    FrameLog log;
    const PayloadStore::ReadRegion region = log.reservePayload({}, {}, 300000);
    QVERIFY(region.isValid());
    QCOMPARE(region.size, 300000);
    std::memset(region.data, 'r', 300000);
    log.appendFrame(recordFor(2, 300000), QByteArrayView(region.data, 300000), {}, region);
    QCOMPARE(static_cast<const void *>(log.framePayload(0).data()), static_cast<const void *>(region.data));
    QCOMPARE(log.frame(0).storedLength, 300000u);

    FrameLog::Budget budget;
    budget.maxStoredTotal = 1000;
    FrameLog small(budget);
    QVERIFY(!small.reservePayload({}, {}, 300000).isValid());
}

// Large payloads are packed back to back in chunks of their own: four 1 MiB payloads fill one 4 MiB chunk, however
// many frame headers were read in between.
void tst_FrameLog::reservationsArePackedApartFromReads()
{
    constexpr qsizetype oneMiB = 1024 * 1024;
    FrameLog log;
    QList<PayloadStore::ReadRegion> reservations;
    for (int i = 0; i < 11; ++i) {
        PayloadStore::ReadRegion read = log.readSpace(10);
        std::memset(read.data, 'h', 10);
        read = log.commitRead(read, 10); // a frame header, read before its payload
        const PayloadStore::ReadRegion reservation = log.reservePayload(read, {}, oneMiB);
        QVERIFY(reservation.isValid());
        QVERIFY(reservation.chunk != read.chunk);
        std::memset(reservation.data, 'a' + i, size_t(oneMiB));
        log.appendFrame(recordFor(2, quint64(oneMiB)), QByteArrayView(reservation.data, oneMiB), {}, reservation);
        reservations.append(reservation);
    }
    // Their chunks grow 1, 2, 4, 4 MiB: payloads 3-6 fill one 4 MiB chunk, 7-10 the next, back to back.
    for (int i : {3, 4, 5, 7, 8, 9})
        QCOMPARE(static_cast<const void *>(reservations[i + 1].data),
                 static_cast<const void *>(reservations[i].data + oneMiB));
    QCOMPARE(reservations[7].chunk, reservations[6].chunk + 1);
    for (int i = 0; i < 11; ++i)
        QCOMPARE(log.framePayload(i), QByteArray(oneMiB, char('a' + i)));
    QCOMPARE(log.payloadBytesStored(), 11 * oneMiB);
}

// When a large payload's first bytes were read with the bytes before it, the reservation takes them (the caller
// copies them) and their room in the read chunk is used again by the next read.
void tst_FrameLog::continuingReservationFreesTheReadTail()
{
    FrameLog log;
    PayloadStore::ReadRegion read = log.readSpace(4096);
    std::memset(read.data, 'x', 4096);
    read = log.commitRead(read, 4096);
    const QByteArrayView start(read.data + 4000, 96); // the payload's first 96 bytes
    const PayloadStore::ReadRegion reservation = log.reservePayload(read, start, 300000);
    QVERIFY(reservation.isValid());
    QVERIFY(!read.contains(QByteArrayView(reservation.data, 1)));
    QCOMPARE(static_cast<const void *>(log.readSpace(100).data), static_cast<const void *>(read.data + 4000));

    // Bytes that do not end the read keep their room.
    FrameLog other;
    PayloadStore::ReadRegion otherRead = other.readSpace(4096);
    otherRead = other.commitRead(otherRead, 4096);
    QVERIFY(other.reservePayload(otherRead, QByteArrayView(otherRead.data + 100, 96), 300000).isValid());
    QCOMPARE(static_cast<const void *>(other.readSpace(100).data), static_cast<const void *>(otherRead.data + 4096));
}

// Frames: 0 in text (no FIN), 1 out text (FIN), 2 in continuation (FIN), 3 in ping, 4 in text (FIN, dropped).
// Messages in order of their last frames: out [1], in [0..2].
void tst_FrameLog::messageContainingWithInterleavedDirections()
{
    FrameLog log;
    auto frame = [&](quint8 opcode, bool fin, Direction direction) {
        FrameHeader h;
        h.opcode = opcode;
        h.fin = fin;
        log.appendFrame(FrameRecord::fromHeader(h, 0, direction), {});
    };
    frame(1, false, Direction::Incoming);
    frame(1, true, Direction::Outgoing);
    frame(0, true, Direction::Incoming);
    frame(9, true, Direction::Incoming);
    frame(1, true, Direction::Incoming);
    auto message = [&](quint64 first, quint64 last, Direction direction) {
        MessageRecord m;
        m.firstFrame = first;
        m.lastFrame = last;
        m.direction = direction;
        m.frameCount = quint32(last - first + 1);
        log.appendMessage(m, {});
    };
    message(1, 1, Direction::Outgoing);
    message(0, 2, Direction::Incoming);
    QCOMPARE(log.messageContaining(0), 1);
    QCOMPARE(log.messageContaining(1), 0);
    QCOMPARE(log.messageContaining(2), 1);
    QCOMPARE(log.messageContaining(3), -1); // a ping belongs to no message
    QCOMPARE(log.messageContaining(4), -1); // its message was never recorded
    QCOMPARE(log.messageContaining(5), -1); // no such frame
    QCOMPARE(log.messageContaining(-1), -1);
}

QTEST_GUILESS_MAIN(tst_FrameLog)
#include "tst_framelog.moc"
