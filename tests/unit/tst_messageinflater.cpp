// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/MessageDeflater.h"
#include "core/protocol/MessageInflater.h"

#include <QElapsedTimer>
#include <QList>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace wsi;
using Status = MessageInflater::Status;

namespace {

constexpr qsizetype kNoLimit = 64 * 1024 * 1024;

struct Inflated {
    Status status = Status::Ok;
    QByteArray payload;
    QString error;
};

// Inflates one message given as its frames' payloads, the way the message assembler does: stop at the first
// failure and abort the message.
Inflated inflateMessage(MessageInflater &inflater, const QList<QByteArray> &fragments, qsizetype limit = kNoLimit)
{
    Inflated result;
    for (const QByteArray &fragment : fragments) {
        result.status = inflater.inflate(fragment, result.payload, limit, &result.error);
        if (result.status != Status::Ok) {
            inflater.abortMessage();
            return result;
        }
    }
    result.status = inflater.finishMessage(result.payload, limit, &result.error);
    return result;
}

Inflated inflateMessage(MessageInflater &inflater, const QByteArray &payload, qsizetype limit = kNoLimit)
{
    return inflateMessage(inflater, QList<QByteArray>{payload}, limit);
}

QList<QByteArray> splitAt(const QByteArray &payload, qsizetype at)
{
    if (at <= 0 || at >= payload.size())
        return {payload};
    return {payload.first(at), payload.sliced(at)};
}

QList<QByteArray> bytewise(const QByteArray &payload)
{
    QList<QByteArray> fragments;
    for (qsizetype i = 0; i < payload.size(); ++i)
        fragments.append(payload.sliced(i, 1));
    return fragments;
}

// Messages like the ones WebSocket peers exchange: JSON-ish text that repeats itself (so that matches reach back
// into earlier messages), with some incompressible binary mixed in.
QByteArray randomMessage(QRandomGenerator &random, qsizetype size)
{
    static const QList<QByteArray> words{
        "{\"type\":", "\"update\"", ",\"id\":", "\"price\":",           "1234.5", ",", "\"symbol\":\"EURUSD\"",
        "}",          "[",          "]",        "\"ts\":1700000000123", " "};
    QByteArray message;
    message.reserve(size);
    const bool binary = random.bounded(4) == 0;
    while (message.size() < size) {
        if (binary) {
            message.append(char(random.bounded(256)));
        } else if (random.bounded(8) == 0) {
            message.append(char('a' + random.bounded(26)));
        } else {
            message.append(words.at(random.bounded(int(words.size()))));
        }
    }
    message.truncate(size);
    return message;
}

} // namespace

class tst_MessageInflater : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcExamples_data();
    void rfcExamples();
    void rfcExamplesBytewise_data() { rfcExamples_data(); }
    void rfcExamplesBytewise();
    void rfcSharedWindow();
    void rfcSharedWindowFailsWithoutContextTakeover();
    void finalBlockKeepsWindowForNextMessage_data();
    void finalBlockKeepsWindowForNextMessage();
    void blocksAfterFinalBlockInSameMessage();
    void emptyPayloadIsEmptyMessage();
    void appendsToExistingOutput();
    void roundTrip_data();
    void roundTrip();
    void roundTripSplitAtEveryByte_data() { roundTrip_data(); }
    void roundTripSplitAtEveryByte();
    void window8RefusesDistancesBeyond256Bytes();
    void badData_data();
    void badData();
    void usableAfterBadData();
    void finishAfterFailureRepeatsIt();
    void limitIsInclusive();
    void limitCountsExistingOutput();
    void bombStopsAtLimit_data();
    void bombStopsAtLimit();
};

// RFC 7692 §7.2.3: frame payloads that all carry "Hello".
void tst_MessageInflater::rfcExamples_data()
{
    QTest::addColumn<QList<QByteArray>>("fragments");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("7.2.3.1 one fixed block")
        << QList<QByteArray>{test::hex("f2 48 cd c9 c9 07 00")} << QByteArray("Hello");
    QTest::newRow("7.2.3.1 two fragments")
        << QList<QByteArray>{test::hex("f2 48 cd"), test::hex("c9 c9 07 00")} << QByteArray("Hello");
    QTest::newRow("7.2.3.3 stored block")
        << QList<QByteArray>{test::hex("00 05 00 fa ff 48 65 6c 6c 6f 00")} << QByteArray("Hello");
    QTest::newRow("7.2.3.4 BFINAL block")
        << QList<QByteArray>{test::hex("f3 48 cd c9 c9 07 00 00")} << QByteArray("Hello");
    QTest::newRow("7.2.3.4 BFINAL without padding block")
        << QList<QByteArray>{test::hex("f3 48 cd c9 c9 07 00")} << QByteArray("Hello");
    QTest::newRow("7.2.3.5 two blocks") << QList<QByteArray>{test::hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")}
                                        << QByteArray("Hello");
    QTest::newRow("7.2.3.6 empty stored block") << QList<QByteArray>{test::hex("00")} << QByteArray();
}

void tst_MessageInflater::rfcExamples()
{
    QFETCH(QList<QByteArray>, fragments);
    QFETCH(QByteArray, expected);
    for (int windowBits : {8, 9, 15}) {
        for (bool noContextTakeover : {false, true}) {
            MessageInflater inflater(windowBits, noContextTakeover);
            // Twice: the second run proves the first left the stream ready for another message.
            for (int round = 0; round < 2; ++round) {
                const Inflated result = inflateMessage(inflater, fragments);
                QCOMPARE(result.error, QString());
                QCOMPARE(result.status, Status::Ok);
                QCOMPARE(result.payload, expected);
            }
        }
    }
}

void tst_MessageInflater::rfcExamplesBytewise()
{
    QFETCH(QList<QByteArray>, fragments);
    QFETCH(QByteArray, expected);
    MessageInflater inflater(15, false);
    for (int round = 0; round < 2; ++round) {
        const Inflated result = inflateMessage(inflater, bytewise(fragments.join()));
        QCOMPARE(result.error, QString());
        QCOMPARE(result.status, Status::Ok);
        QCOMPARE(result.payload, expected);
    }
}

// RFC 7692 §7.2.3.2: the second "Hello" is a single match 5 bytes back, into the previous message.
void tst_MessageInflater::rfcSharedWindow()
{
    MessageInflater inflater(15, false);
    QCOMPARE(inflateMessage(inflater, test::hex("f2 48 cd c9 c9 07 00")).payload, QByteArray("Hello"));
    const Inflated second = inflateMessage(inflater, test::hex("f2 00 11 00 00"));
    QCOMPARE(second.status, Status::Ok);
    QCOMPARE(second.payload, QByteArray("Hello"));
}

// Without context takeover the window is gone after each message, so the same bytes must be refused.
void tst_MessageInflater::rfcSharedWindowFailsWithoutContextTakeover()
{
    MessageInflater inflater(15, true);
    QCOMPARE(inflateMessage(inflater, test::hex("f2 48 cd c9 c9 07 00")).payload, QByteArray("Hello"));
    const Inflated second = inflateMessage(inflater, test::hex("f2 00 11 00 00"));
    QCOMPARE(second.status, Status::BadData);
    QVERIFY2(second.error.contains(QStringLiteral("invalid distance too far back")), qPrintable(second.error));
    QVERIFY2(second.error.contains(QStringLiteral("RFC 7692")), qPrintable(second.error));
}

// A block with BFINAL=1 ends zlib's stream but not the connection's: the next message may still use the window.
void tst_MessageInflater::finalBlockKeepsWindowForNextMessage_data()
{
    QTest::addColumn<QList<QByteArray>>("first");
    QTest::newRow("7.2.3.4 with padding block") << QList<QByteArray>{test::hex("f3 48 cd c9 c9 07 00 00")};
    QTest::newRow("without padding block") << QList<QByteArray>{test::hex("f3 48 cd c9 c9 07 00")};
    QTest::newRow("padding block in its own fragment")
        << QList<QByteArray>{test::hex("f3 48 cd c9 c9 07 00"), test::hex("00")};
    QTest::newRow("bytewise") << bytewise(test::hex("f3 48 cd c9 c9 07 00 00"));
}

void tst_MessageInflater::finalBlockKeepsWindowForNextMessage()
{
    QFETCH(QList<QByteArray>, first);
    MessageInflater inflater(15, false);
    const Inflated hello = inflateMessage(inflater, first);
    QCOMPARE(hello.status, Status::Ok);
    QCOMPARE(hello.payload, QByteArray("Hello"));
    const Inflated second = inflateMessage(inflater, test::hex("f2 00 11 00 00"));
    QCOMPARE(second.error, QString());
    QCOMPARE(second.payload, QByteArray("Hello"));
    // And once more, with a BFINAL message referring to the window in turn.
    const Inflated third = inflateMessage(inflater, test::hex("f3 00 11 00 00"));
    QCOMPARE(third.error, QString());
    QCOMPARE(third.payload, QByteArray("Hello"));
}

// RFC 7692 §7.2.1: after a padded BFINAL block "the next DEFLATE block follows".
void tst_MessageInflater::blocksAfterFinalBlockInSameMessage()
{
    MessageInflater inflater(15, false);
    // "Hello" in a final fixed block, then a match 5 back (the "Hello" before it) in a non-final one.
    const Inflated result = inflateMessage(inflater, test::hex("f3 48 cd c9 c9 07 00 f2 00 11 00 00"));
    QCOMPARE(result.error, QString());
    QCOMPARE(result.payload, QByteArray("HelloHello"));
}

// A sender should write 00 for an empty message (§7.2.3.6); an empty payload is read as the empty message it
// obviously is, and the stream stays in step.
void tst_MessageInflater::emptyPayloadIsEmptyMessage()
{
    MessageInflater inflater(15, false);
    QCOMPARE(inflateMessage(inflater, test::hex("f2 48 cd c9 c9 07 00")).payload, QByteArray("Hello"));
    const Inflated empty = inflateMessage(inflater, QList<QByteArray>{});
    QCOMPARE(empty.status, Status::Ok);
    QVERIFY(empty.payload.isEmpty());
    const Inflated empty2 = inflateMessage(inflater, QList<QByteArray>{QByteArray(), QByteArray()});
    QCOMPARE(empty2.status, Status::Ok);
    QVERIFY(empty2.payload.isEmpty());
    QCOMPARE(inflateMessage(inflater, test::hex("f2 00 11 00 00")).payload, QByteArray("Hello"));
}

void tst_MessageInflater::appendsToExistingOutput()
{
    MessageInflater inflater(15, false);
    QByteArray out("Hi, ");
    QCOMPARE(inflater.inflate(test::hex("f2 48 cd"), out, 100), Status::Ok);
    QCOMPARE(inflater.inflate(test::hex("c9 c9 07 00"), out, 100), Status::Ok);
    QCOMPARE(inflater.finishMessage(out, 100), Status::Ok);
    QCOMPARE(out, QByteArray("Hi, Hello"));
}

void tst_MessageInflater::roundTrip_data()
{
    QTest::addColumn<int>("windowBits");
    QTest::addColumn<bool>("noContextTakeover");
    for (int windowBits = 8; windowBits <= 15; ++windowBits) {
        for (bool noContextTakeover : {false, true}) {
            const QByteArray name = "window " + QByteArray::number(windowBits) +
                                    (noContextTakeover ? ", no context takeover" : ", context takeover");
            QTest::newRow(name.constData()) << windowBits << noContextTakeover;
        }
    }
}

// Random messages of 0 B to 1 MiB through MessageDeflater and back, one fragment per message or several.
void tst_MessageInflater::roundTrip()
{
    QFETCH(int, windowBits);
    QFETCH(bool, noContextTakeover);
    QRandomGenerator random(7692 + quint32(windowBits));
    MessageDeflater deflater(windowBits, noContextTakeover);
    MessageInflater inflater(windowBits, noContextTakeover);
    const QList<qsizetype> sizes{0,    1,     5,     100,    257,         513, 1000, 4095, 4096,
                                 4097, 32768, 65536, 300000, 1024 * 1024, 0,   3,    1000, 20000};
    for (qsizetype size : sizes) {
        const QByteArray message = randomMessage(random, size);
        const QByteArray compressed = deflater.compress(message);
        QVERIFY(!compressed.isEmpty());
        // Fragments of random sizes, as a peer that fragments large messages would send them.
        QList<QByteArray> fragments;
        for (qsizetype at = 0; at < compressed.size();) {
            const qsizetype length = std::min(compressed.size() - at, qsizetype(1 + random.bounded(70000)));
            fragments.append(compressed.sliced(at, length));
            at += length;
        }
        const Inflated result = inflateMessage(inflater, fragments);
        QCOMPARE(result.error, QString());
        QCOMPARE(result.status, Status::Ok);
        if (result.payload != message)
            QFAIL(qPrintable(QStringLiteral("message of %1 bytes differs after the round trip").arg(size)));
    }
}

// Small messages, each split at every possible byte, and bytewise: the window must carry across any split.
void tst_MessageInflater::roundTripSplitAtEveryByte()
{
    QFETCH(int, windowBits);
    QFETCH(bool, noContextTakeover);
    QRandomGenerator random(6455 + quint32(windowBits));
    QList<QByteArray> messages;
    for (qsizetype size : {0, 1, 7, 40, 120, 300, 90, 600})
        messages.append(randomMessage(random, size));
    MessageDeflater deflater(windowBits, noContextTakeover);
    QList<QByteArray> compressed;
    qsizetype longest = 0;
    for (const QByteArray &message : messages) {
        compressed.append(deflater.compress(message));
        longest = std::max(longest, compressed.last().size());
    }
    // split == longest stands for "one byte per fragment".
    for (qsizetype split = 0; split <= longest; ++split) {
        MessageInflater inflater(windowBits, noContextTakeover);
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QList<QByteArray> fragments =
                split == longest ? bytewise(compressed.at(i)) : splitAt(compressed.at(i), split);
            const Inflated result = inflateMessage(inflater, fragments);
            if (result.status != Status::Ok || result.payload != messages.at(i)) {
                QFAIL(qPrintable(QStringLiteral("message %1 (%2 bytes) split at %3: %4")
                                     .arg(i)
                                     .arg(messages.at(i).size())
                                     .arg(split)
                                     .arg(result.error)));
            }
        }
    }
}

// The window is what the sender negotiated: with 8 bits, a message that refers 300 bytes back into the previous
// message is refused, while a 9-bit receiver accepts it.
void tst_MessageInflater::window8RefusesDistancesBeyond256Bytes()
{
    QRandomGenerator random(256);
    QByteArray first(300, Qt::Uninitialized);
    for (char &c : first)
        c = char(random.bounded(256));
    const QByteArray second = first.first(50);
    MessageDeflater deflater(15, false);
    const QByteArray firstCompressed = deflater.compress(first);
    const QByteArray secondCompressed = deflater.compress(second);
    QVERIFY(secondCompressed.size() < 10); // one match, 300 bytes back

    MessageInflater wide(9, false);
    QCOMPARE(inflateMessage(wide, firstCompressed).payload, first);
    QCOMPARE(inflateMessage(wide, secondCompressed).payload, second);

    MessageInflater narrow(8, false);
    QCOMPARE(inflateMessage(narrow, firstCompressed).payload, first);
    const Inflated refused = inflateMessage(narrow, secondCompressed);
    QCOMPARE(refused.status, Status::BadData);
    QVERIFY2(refused.error.contains(QStringLiteral("too far back")), qPrintable(refused.error));
}

void tst_MessageInflater::badData_data()
{
    QTest::addColumn<QList<QByteArray>>("fragments");
    QTest::addColumn<QString>("reason");

    QTest::newRow("garbage") << QList<QByteArray>{test::hex("5d 27 91 8e 3a 44 b0 c2 19 ef 73 08")}
                             << QStringLiteral("invalid code lengths set");
    QTest::newRow("invalid block type (BTYPE=11)")
        << QList<QByteArray>{test::hex("06 11 22")} << QStringLiteral("invalid block type");
    QTest::newRow("invalid block type after a valid block")
        << QList<QByteArray>{test::hex("f2 48 cd c9 c9 07 00 00 00 ff ff 07")} << QStringLiteral("invalid block type");
    QTest::newRow("distance too far back")
        << QList<QByteArray>{test::hex("f2 00 11 00 00")} << QStringLiteral("invalid distance too far back");
    QTest::newRow("stored block lengths disagree") << QList<QByteArray>{test::hex("00 05 00 fa fe 48 65 6c 6c 6f 00")}
                                                   << QStringLiteral("invalid stored block lengths");

    // A message cut short: the tail then lands inside a block, where it is either invalid or leaves the block
    // unfinished.
    MessageDeflater deflater(15, false);
    QByteArray text;
    for (int i = 0; i < 40; ++i)
        text += "{\"seq\":" + QByteArray::number(i * 7919) + ",\"text\":\"lorem ipsum dolor\"}";
    const QByteArray compressed = deflater.compress(text);
    QTest::newRow("truncated dynamic block") << QList<QByteArray>{compressed.first(compressed.size() / 2)} << QString();
    QTest::newRow("truncated stored block")
        << QList<QByteArray>{test::hex("00 0a 00 f5 ff 48 65")} << QStringLiteral("ends inside a DEFLATE block");
    QTest::newRow("truncated stored block header")
        << QList<QByteArray>{test::hex("00 05")} << QStringLiteral("invalid stored block lengths");
}

void tst_MessageInflater::badData()
{
    QFETCH(QList<QByteArray>, fragments);
    QFETCH(QString, reason);
    for (bool split : {false, true}) {
        MessageInflater inflater(15, false);
        const Inflated result = inflateMessage(inflater, split ? bytewise(fragments.join()) : fragments);
        QCOMPARE(result.status, Status::BadData);
        QVERIFY(!result.error.isEmpty());
        QVERIFY2(result.error.contains(reason), qPrintable(result.error));
    }
}

void tst_MessageInflater::usableAfterBadData()
{
    for (bool noContextTakeover : {false, true}) {
        MessageInflater inflater(15, noContextTakeover);
        QCOMPARE(inflateMessage(inflater, test::hex("06 11 22")).status, Status::BadData);
        const Inflated next = inflateMessage(inflater, test::hex("f2 48 cd c9 c9 07 00"));
        QCOMPARE(next.status, Status::Ok);
        QCOMPARE(next.payload, QByteArray("Hello"));
    }
}

// The assembler aborts a failed message, but a caller that goes on feeding it and then finishes it gets the
// failure again each time, and a fresh stream afterwards.
void tst_MessageInflater::finishAfterFailureRepeatsIt()
{
    MessageInflater inflater(15, false);
    QByteArray out;
    QString error;
    QCOMPARE(inflater.inflate(test::hex("06"), out, 100, &error), Status::BadData);
    const QString first = error;
    QVERIFY(first.contains(QStringLiteral("invalid block type")));
    error.clear();
    QCOMPARE(inflater.inflate(test::hex("f2 48 cd c9 c9 07 00"), out, 100, &error), Status::BadData);
    QCOMPARE(error, first);
    error.clear();
    QCOMPARE(inflater.finishMessage(out, 100, &error), Status::BadData);
    QCOMPARE(error, first);
    QCOMPARE(inflateMessage(inflater, test::hex("f2 48 cd c9 c9 07 00")).payload, QByteArray("Hello"));
}

// A message of exactly the limit is fine; one byte more is not, and the output then stops at the limit.
void tst_MessageInflater::limitIsInclusive()
{
    QRandomGenerator random(1);
    for (qsizetype size : {0, 1, 5, 4096, 100000}) {
        const QByteArray message = randomMessage(random, size);
        MessageDeflater deflater(15, true);
        const QByteArray compressed = deflater.compress(message);
        for (bool bytewiseFragments : {false, true}) {
            if (bytewiseFragments && compressed.size() > 5000)
                continue;
            const QList<QByteArray> fragments = bytewiseFragments ? bytewise(compressed) : QList{compressed};
            MessageInflater inflater(15, true);
            const Inflated exact = inflateMessage(inflater, fragments, size);
            QCOMPARE(exact.status, Status::Ok);
            QCOMPARE(exact.payload, message);
            if (size == 0)
                continue;
            const Inflated over = inflateMessage(inflater, fragments, size - 1);
            QCOMPARE(over.status, Status::TooLarge);
            QCOMPARE(over.payload, message.first(size - 1));
            QVERIFY2(over.error.contains(QString::number(size - 1)), qPrintable(over.error));
            // Still usable afterwards.
            QCOMPARE(inflateMessage(inflater, fragments, size).payload, message);
        }
    }
}

void tst_MessageInflater::limitCountsExistingOutput()
{
    MessageInflater inflater(15, false);
    QByteArray out("0123456789");
    QCOMPARE(inflater.inflate(test::hex("f2 48 cd c9 c9 07 00"), out, 14), Status::TooLarge);
    QCOMPARE(out, QByteArray("0123456789Hell"));
}

void tst_MessageInflater::bombStopsAtLimit_data()
{
    QTest::addColumn<qsizetype>("fragmentSize");
    QTest::newRow("one frame") << qsizetype(0);
    QTest::newRow("1000-byte frames") << qsizetype(1000);
}

// 10 GiB of zeros compressed to about 10 MB (DEFLATE cannot do better than about 1:1032): inflation must stop at
// the limit, without having allocated more than the limit, and quickly.
void tst_MessageInflater::bombStopsAtLimit()
{
    QFETCH(qsizetype, fragmentSize);
    constexpr qsizetype limit = 16 * 1024 * 1024;

    // 1 MiB of zeros compressed from a fresh state, with its sync-flush tail put back, is a self-contained run of
    // blocks ending on a byte boundary: repeating it repeats the output.
    MessageDeflater deflater(15, true);
    const QByteArray chunk = deflater.compress(QByteArray(1024 * 1024, '\0')) + test::hex("00 00 ff ff");
    QByteArray bomb;
    bomb.reserve(chunk.size() * 10240);
    for (int i = 0; i < 10240; ++i)
        bomb.append(chunk);
    bomb.chop(4);
    QVERIFY(bomb.size() < 12 * 1000 * 1000);

    QElapsedTimer timer;
    timer.start();
    MessageInflater inflater(15, false);
    QByteArray out;
    QString error;
    Status status = Status::Ok;
    const qsizetype step = fragmentSize > 0 ? fragmentSize : bomb.size();
    for (qsizetype at = 0; at < bomb.size(); at += step) {
        status =
            inflater.inflate(QByteArrayView(bomb).sliced(at, std::min(step, bomb.size() - at)), out, limit, &error);
        if (status != Status::Ok)
            break;
    }
    QCOMPARE(status, Status::TooLarge);
    QCOMPARE(out.size(), limit);
    QVERIFY2(out.capacity() <= limit + 64, qPrintable(QString::number(out.capacity())));
    QVERIFY(std::all_of(out.cbegin(), out.cend(), [](char c) { return c == '\0'; }));
    QVERIFY2(error.contains(QString::number(limit)), qPrintable(error));
    // The rest of the message is refused without being inflated.
    QCOMPARE(inflater.inflate(bomb, out, limit), Status::TooLarge);
    QCOMPARE(out.size(), limit);
    QCOMPARE(inflater.finishMessage(out, limit), Status::TooLarge);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));

    QCOMPARE(inflateMessage(inflater, test::hex("f2 48 cd c9 c9 07 00")).payload, QByteArray("Hello"));
}

QTEST_GUILESS_MAIN(tst_MessageInflater)
#include "tst_messageinflater.moc"
