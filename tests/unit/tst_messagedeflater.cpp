// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/MessageDeflater.h"
#include "core/protocol/MessageInflater.h"

#include <QList>
#include <QRandomGenerator>
#include <QTest>

using namespace wsi;
using Status = MessageInflater::Status;

namespace {

QByteArray inflated(MessageInflater &inflater, const QByteArray &payload)
{
    QByteArray out;
    QString error;
    if (inflater.inflate(payload, out, 64 * 1024 * 1024, &error) != Status::Ok ||
        inflater.finishMessage(out, 64 * 1024 * 1024, &error) != Status::Ok) {
        qWarning("%s", qPrintable(error));
        return QByteArrayLiteral("<inflate failed>");
    }
    return out;
}

// Walks a payload (tail restored) that should consist of stored blocks only, collecting their contents. Fails on
// any compressed block, since those may refer to earlier bytes.
bool storedBlocksOnly(QByteArray payload, QByteArray *contents)
{
    payload += test::hex("00 00 ff ff");
    const auto *bytes = reinterpret_cast<const unsigned char *>(payload.constData());
    qsizetype at = 0;
    while (at < payload.size()) {
        if (bytes[at] & 0xfe) // BTYPE must be 00 and the padding up to the byte boundary 0
            return false;
        if (at + 5 > payload.size())
            return false;
        const int length = bytes[at + 1] | bytes[at + 2] << 8;
        const int complement = bytes[at + 3] | bytes[at + 4] << 8;
        if ((length ^ 0xffff) != complement || at + 5 + length > payload.size())
            return false;
        contents->append(payload.sliced(at + 5, length));
        at += 5 + length;
    }
    return true;
}

QByteArray randomText(QRandomGenerator &random, qsizetype size)
{
    QByteArray text;
    text.reserve(size);
    while (text.size() < size) {
        text += "{\"event\":\"tick\",\"n\":" + QByteArray::number(random.bounded(100000)) + "}";
        if (random.bounded(3) == 0)
            text += char('A' + random.bounded(26));
    }
    text.truncate(size);
    return text;
}

QByteArray randomBytes(QRandomGenerator &random, qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(random.bounded(256));
    return bytes;
}

} // namespace

class tst_MessageDeflater : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcHello();
    void rfcHelloTwiceSharesWindow();
    void noContextTakeoverStartsAfresh();
    void window8WritesRfcStoredBlock();
    void window8WritesStoredBlocksOnly_data();
    void window8WritesStoredBlocksOnly();
    void emptyMessage_data();
    void emptyMessage();
    void levels();
    void largeMessages();
};

// RFC 7692 §7.2.3.1, which is what zlib's default level gives from a fresh state, whatever the window.
void tst_MessageDeflater::rfcHello()
{
    for (int windowBits = 9; windowBits <= 15; ++windowBits) {
        MessageDeflater deflater(windowBits, false);
        QCOMPARE(test::toHex(deflater.compress("Hello")), test::toHex(test::hex("f2 48 cd c9 c9 07 00")));
    }
}

// RFC 7692 §7.2.3.2: the second "Hello" is a reference into the first.
void tst_MessageDeflater::rfcHelloTwiceSharesWindow()
{
    MessageDeflater deflater(15, false);
    MessageInflater inflater(15, false);
    const QByteArray first = deflater.compress("Hello");
    const QByteArray second = deflater.compress("Hello");
    QCOMPARE(test::toHex(first), test::toHex(test::hex("f2 48 cd c9 c9 07 00")));
    QCOMPARE(test::toHex(second), test::toHex(test::hex("f2 00 11 00 00")));
    QCOMPARE(inflated(inflater, first), QByteArray("Hello"));
    QCOMPARE(inflated(inflater, second), QByteArray("Hello"));
}

void tst_MessageDeflater::noContextTakeoverStartsAfresh()
{
    MessageDeflater deflater(15, true);
    MessageInflater inflater(15, true);
    for (int i = 0; i < 3; ++i) {
        const QByteArray payload = deflater.compress("Hello");
        QCOMPARE(test::toHex(payload), test::toHex(test::hex("f2 48 cd c9 c9 07 00")));
        QCOMPARE(inflated(inflater, payload), QByteArray("Hello"));
    }
}

// RFC 7692 §7.2.3.3: with an 8-bit window the deflater writes stored blocks.
void tst_MessageDeflater::window8WritesRfcStoredBlock()
{
    MessageDeflater deflater(8, false);
    QCOMPARE(test::toHex(deflater.compress("Hello")), test::toHex(test::hex("00 05 00 fa ff 48 65 6c 6c 6f 00")));
    QCOMPARE(test::toHex(deflater.compress("Hello")), test::toHex(test::hex("00 05 00 fa ff 48 65 6c 6c 6f 00")));
}

void tst_MessageDeflater::window8WritesStoredBlocksOnly_data()
{
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addColumn<int>("level");
    QTest::newRow("context takeover") << false << -1;
    QTest::newRow("no context takeover") << true << -1;
    QTest::newRow("level 9 asked for") << false << 9;
}

// Stored blocks never refer back, so a peer with a 256-byte window can inflate them, even when the same text
// repeats within the message and across messages.
void tst_MessageDeflater::window8WritesStoredBlocksOnly()
{
    QFETCH(bool, noContextTakeover);
    QFETCH(int, level);
    QRandomGenerator random(8);
    MessageDeflater deflater(8, noContextTakeover, level);
    MessageInflater inflater(8, noContextTakeover);
    const QByteArray repeated = randomText(random, 1000);
    for (const QByteArray &message :
         QList<QByteArray>{repeated, repeated, randomText(random, 200000), repeated + repeated}) {
        const QByteArray payload = deflater.compress(message);
        QByteArray contents;
        QVERIFY(storedBlocksOnly(payload, &contents));
        QCOMPARE(contents, message);
        QCOMPARE(inflated(inflater, payload), message);
    }
}

void tst_MessageDeflater::emptyMessage_data()
{
    QTest::addColumn<int>("windowBits");
    QTest::addColumn<bool>("noContextTakeover");
    QTest::newRow("window 15") << 15 << false;
    QTest::newRow("window 15, no context takeover") << 15 << true;
    QTest::newRow("window 8") << 8 << false;
    QTest::newRow("window 8, no context takeover") << 8 << true;
}

// RFC 7692 §7.2.3.6: an empty message is the single byte 00 (an empty stored block's header), from a fresh
// state and after other messages alike, and it leaves the window alone.
void tst_MessageDeflater::emptyMessage()
{
    QFETCH(int, windowBits);
    QFETCH(bool, noContextTakeover);
    MessageDeflater deflater(windowBits, noContextTakeover);
    MessageInflater inflater(windowBits, noContextTakeover);
    for (const QByteArray &message :
         {QByteArray(), QByteArray("Hello"), QByteArray(), QByteArray(), QByteArray("Hello"), QByteArray()}) {
        const QByteArray payload = deflater.compress(message);
        if (message.isEmpty())
            QCOMPARE(test::toHex(payload), test::toHex(test::hex("00")));
        QCOMPARE(inflated(inflater, payload), message);
    }
}

void tst_MessageDeflater::levels()
{
    QRandomGenerator random(9);
    const QByteArray text = randomText(random, 50000);
    qsizetype fastest = 0;
    qsizetype best = 0;
    for (int level = 0; level <= 9; ++level) {
        MessageDeflater deflater(15, false, level);
        MessageInflater inflater(15, false);
        const QByteArray first = deflater.compress(text);
        QCOMPARE(inflated(inflater, first), text);
        QCOMPARE(inflated(inflater, deflater.compress(text)), text);
        if (level == 1)
            fastest = first.size();
        if (level == 9)
            best = first.size();
    }
    QVERIFY(best <= fastest);
}

// Large and incompressible messages, where zlib needs more output space than the first estimate in some calls.
void tst_MessageDeflater::largeMessages()
{
    QRandomGenerator random(10);
    MessageDeflater deflater(15, false);
    MessageInflater inflater(15, false);
    for (const QByteArray &message : {randomBytes(random, 1024 * 1024), randomText(random, 3 * 1024 * 1024),
                                      randomBytes(random, 70000), QByteArray(5 * 1024 * 1024, 'x')}) {
        const QByteArray payload = deflater.compress(message);
        QVERIFY(payload.size() <= message.size() + message.size() / 100 + 64);
        // Payloads are kept in frame logs: no buffer sized for the worst case may stay behind a small payload.
        QVERIFY(payload.capacity() - payload.size() <= 4096);
        QCOMPARE(inflated(inflater, payload), message);
    }
}

QTEST_GUILESS_MAIN(tst_MessageDeflater)
#include "tst_messagedeflater.moc"
