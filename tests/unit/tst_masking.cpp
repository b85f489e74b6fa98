// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/Masking.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wsi;

class tst_Masking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcExample();
    void matchesBytewiseAtEveryLengthOffsetAndPhase();
    void copyMatchesInPlace();
    void piecewiseEqualsWhole_data();
    void piecewiseEqualsWhole();
    void maskingTwiceRestores();
};

// RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
void tst_Masking::rfcExample()
{
    QByteArray data("Hello");
    Masking::apply(data.data(), data.size(), MaskingKey{0x37, 0xfa, 0x21, 0x3d});
    QCOMPARE(test::toHex(data), test::toHex(test::hex("7f 9f 4d 51 58")));
}

// The wide kernels (SSE2/AVX2/words) must agree with the byte loop for every length around their block sizes, at
// every misalignment of the buffer, and for every starting phase of the key.
void tst_Masking::matchesBytewiseAtEveryLengthOffsetAndPhase()
{
    QRandomGenerator random(6455);
    QByteArray source(600, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(source.data()), source.size() / 4);
    const MaskingKey key{0xa1, 0x02, 0xf3, 0x84};
    for (qsizetype length = 0; length <= 300; ++length) {
        for (qsizetype offset = 0; offset < 33; offset += 1) {
            for (unsigned phase = 0; phase < 4; ++phase) {
                QByteArray fast = source;
                QByteArray slow = source;
                Masking::apply(fast.data() + offset, length, key, phase);
                Masking::applyBytewise(slow.data() + offset, length, key, phase);
                if (fast != slow) {
                    QFAIL(qPrintable(
                        QStringLiteral("mismatch at length %1 offset %2 phase %3").arg(length).arg(offset).arg(phase)));
                }
            }
        }
    }
}

void tst_Masking::copyMatchesInPlace()
{
    QRandomGenerator random(7692);
    for (qsizetype length : {0, 1, 7, 63, 64, 65, 127, 128, 129, 1000, 65536 + 3}) {
        QByteArray source(length + 5, Qt::Uninitialized);
        for (char &c : source)
            c = char(random.bounded(256));
        const MaskingKey key{0x10, 0x20, 0x30, 0x40};
        for (unsigned phase = 0; phase < 4; ++phase) {
            QByteArray inPlace = source;
            Masking::applyBytewise(inPlace.data() + 1, length, key, phase);
            QByteArray copied(source.size(), '\0');
            Masking::applyCopy(copied.data() + 3, source.constData() + 1, length, key, phase);
            QCOMPARE(copied.mid(3, length), inPlace.mid(1, length));
        }
    }
}

void tst_Masking::piecewiseEqualsWhole_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("piece");
    QTest::newRow("1-byte pieces") << 100 << 1;
    QTest::newRow("3-byte pieces") << 1000 << 3;
    QTest::newRow("odd pieces over a block") << 4099 << 77;
    QTest::newRow("one piece") << 64 << 64;
}

// A payload that arrives in pieces is unmasked piece by piece with the phase carried over.
void tst_Masking::piecewiseEqualsWhole()
{
    QFETCH(int, length);
    QFETCH(int, piece);
    QByteArray whole(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        whole[i] = char(i * 7 + 3);
    QByteArray pieces = whole;
    const MaskingKey key{0xde, 0xad, 0xbe, 0xef};
    Masking::applyBytewise(whole.data(), length, key);
    for (int at = 0; at < length; at += piece)
        Masking::apply(pieces.data() + at, std::min(piece, length - at), key, unsigned(at % 4));
    QCOMPARE(pieces, whole);
}

void tst_Masking::maskingTwiceRestores()
{
    QByteArray data(1 << 20, 'x');
    const QByteArray original = data;
    const MaskingKey key{1, 2, 3, 4};
    Masking::apply(data.data(), data.size(), key);
    QVERIFY(data != original);
    Masking::apply(data.data(), data.size(), key);
    QCOMPARE(data, original);
}

QTEST_GUILESS_MAIN(tst_Masking)
#include "tst_masking.moc"
