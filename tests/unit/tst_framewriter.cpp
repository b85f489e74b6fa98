// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtocolPrinters.h"
#include "WireBytes.h"
#include "core/protocol/FrameWriter.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <cstring>
#include <limits>

using namespace wsi;
using wsi::test::hex;
using wsi::test::masked;
using wsi::test::pattern;
using wsi::test::toHex;

namespace {

constexpr MaskingKey rfcKey{0x37, 0xfa, 0x21, 0x3d};

FrameSpec spec(quint8 opcode, bool fin = true)
{
    FrameSpec s;
    s.opcode = opcode;
    s.fin = fin;
    return s;
}

FrameSpec maskedSpec(quint8 opcode, MaskingKey key, bool fin = true)
{
    FrameSpec s = spec(opcode, fin);
    s.maskingKey = key;
    return s;
}

// A frame decoded from the wire by the test itself (not by FrameParser), for well-formed writer output whose
// declared lengths match the payloads.
struct WireFrame {
    quint8 firstByte = 0;
    bool masked = false;
    int lengthBits = 7;
    quint64 length = 0;
    MaskingKey key{};
    QByteArray payload; // unmasked

    bool fin() const { return firstByte & 0x80; }
    bool rsv1() const { return firstByte & 0x40; }
    bool rsv2() const { return firstByte & 0x20; }
    bool rsv3() const { return firstByte & 0x10; }
    quint8 opcode() const { return firstByte & 0x0f; }
};

// Empty list (and a failed "ok") when the bytes do not split into whole frames.
QList<WireFrame> decode(QByteArrayView wire, bool *ok)
{
    QList<WireFrame> frames;
    *ok = false;
    qsizetype pos = 0;
    auto byteAt = [&](qsizetype i) { return quint8(wire[i]); };
    while (pos < wire.size()) {
        if (wire.size() - pos < 2)
            return {};
        WireFrame f;
        f.firstByte = byteAt(pos);
        f.masked = byteAt(pos + 1) & 0x80;
        const quint8 length7 = byteAt(pos + 1) & 0x7f;
        pos += 2;
        if (length7 < 126) {
            f.length = length7;
        } else {
            const int bytes = length7 == 126 ? 2 : 8;
            f.lengthBits = length7 == 126 ? 16 : 64;
            if (wire.size() - pos < bytes)
                return {};
            for (int i = 0; i < bytes; ++i)
                f.length = (f.length << 8) | byteAt(pos + i);
            pos += bytes;
        }
        if (f.masked) {
            if (wire.size() - pos < 4)
                return {};
            for (int i = 0; i < 4; ++i)
                f.key[size_t(i)] = byteAt(pos + i);
            pos += 4;
        }
        if (quint64(wire.size() - pos) < f.length)
            return {};
        f.payload = wire.sliced(pos, qsizetype(f.length)).toByteArray();
        if (f.masked)
            f.payload = masked(f.payload, f.key);
        pos += qsizetype(f.length);
        frames.append(f);
    }
    *ok = true;
    return frames;
}

quint32 keyWord(MaskingKey key)
{
    return (quint32(key[0]) << 24) | (quint32(key[1]) << 16) | (quint32(key[2]) << 8) | key[3];
}

} // namespace

Q_DECLARE_METATYPE(wsi::Endpoint)
Q_DECLARE_METATYPE(wsi::FrameSpec)
Q_DECLARE_METATYPE(wsi::LengthEncoding)
Q_DECLARE_METATYPE(wsi::Opcode)

class tst_FrameWriter final : public QObject
{
    Q_OBJECT

private slots:
    void rfcExamples_data();
    void rfcExamples();
    void conveniencesWriteRfcBytes();
    void fragmented_data();
    void fragmented();
    void close_data();
    void close();
    void closePayload_data();
    void closePayload();
    void clientKeysAreFreshPerFrame();
    void keyGeneratorIsUsedAndReproducible();
    void serverDoesNotMask();
    void appendKeepsExistingBytes();
    void deliberatelyInvalid_data();
    void deliberatelyInvalid();
    void breaksRules_data();
    void breaksRules();
    void headerSize_data();
    void headerSize();
    void minimalEncoding_data();
    void minimalEncoding();
};

void tst_FrameWriter::rfcExamples_data()
{
    QTest::addColumn<Endpoint>("writer");
    QTest::addColumn<FrameSpec>("spec");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<int>("headerLength");

    const QByteArray hello = QByteArrayLiteral("Hello");
    QTest::newRow("single-frame unmasked text")
        << Endpoint::Server << spec(0x1) << hello << hex("81 05 48 65 6c 6c 6f") << 2;
    QTest::newRow("single-frame masked text")
        << Endpoint::Client << maskedSpec(0x1, rfcKey) << hello << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << 6;
    QTest::newRow("fragmented: first frame 'Hel'")
        << Endpoint::Server << spec(0x1, false) << QByteArrayLiteral("Hel") << hex("01 03 48 65 6c") << 2;
    QTest::newRow("fragmented: last frame 'lo'")
        << Endpoint::Server << spec(0x0) << QByteArrayLiteral("lo") << hex("80 02 6c 6f") << 2;
    QTest::newRow("unmasked ping") << Endpoint::Server << spec(0x9) << hello << hex("89 05 48 65 6c 6c 6f") << 2;
    QTest::newRow("masked pong") << Endpoint::Client << maskedSpec(0xA, rfcKey) << hello
                                 << hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58") << 6;
    QTest::newRow("256-byte binary") << Endpoint::Server << spec(0x2) << pattern(256)
                                     << QByteArray(hex("82 7e 01 00") + pattern(256)) << 4;
    QTest::newRow("65536-byte binary") << Endpoint::Server << spec(0x2) << pattern(65536)
                                       << QByteArray(hex("82 7f 00 00 00 00 00 01 00 00") + pattern(65536)) << 10;
    QTest::newRow("256-byte binary, masked")
        << Endpoint::Client << maskedSpec(0x2, rfcKey) << pattern(256)
        << QByteArray(hex("82 fe 01 00 37 fa 21 3d") + masked(pattern(256), rfcKey)) << 8;
    QTest::newRow("65536-byte binary, masked")
        << Endpoint::Client << maskedSpec(0x2, rfcKey) << pattern(65536)
        << QByteArray(hex("82 ff 00 00 00 00 00 01 00 00 37 fa 21 3d") + masked(pattern(65536), rfcKey)) << 14;
    QTest::newRow("125 bytes, last 7-bit length")
        << Endpoint::Server << spec(0x2) << pattern(125) << QByteArray(hex("82 7d") + pattern(125)) << 2;
    QTest::newRow("65535 bytes, last 16-bit length")
        << Endpoint::Server << spec(0x2) << pattern(65535) << QByteArray(hex("82 7e ff ff") + pattern(65535)) << 4;
    QTest::newRow("empty masked text") << Endpoint::Client << maskedSpec(0x1, rfcKey) << QByteArray()
                                       << hex("81 80 37 fa 21 3d") << 6;
    QTest::newRow("masked text of odd length, key phase wraps")
        << Endpoint::Client << maskedSpec(0x1, MaskingKey{0x01, 0x02, 0x04, 0x08}) << QByteArrayLiteral("abcdefg")
        << hex("81 87 01 02 04 08 60 60 67 6c 64 64 63") << 6;
}

void tst_FrameWriter::rfcExamples()
{
    QFETCH(Endpoint, writer);
    QFETCH(FrameSpec, spec);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    QFETCH(int, headerLength);

    FrameWriter w(writer);
    QCOMPARE(w.writer(), writer);
    const QByteArray out = w.frame(spec, payload);
    if (expected.size() <= 64)
        QCOMPARE(toHex(out), toHex(expected));
    QCOMPARE(out.size(), expected.size());
    QVERIFY2(out == expected, "bytes differ");

    QByteArray appended;
    const FrameHeader h = w.append(appended, spec, payload);
    QCOMPARE(appended, expected);
    QCOMPARE(int(h.headerLength), headerLength);
    QCOMPARE(h.payloadLength, quint64(payload.size()));
    QCOMPARE(h.opcode, spec.opcode);
    QCOMPARE(h.fin, spec.fin);
    QCOMPARE(h.masked, writer == Endpoint::Client);
    if (h.masked)
        QCOMPARE(keyWord(h.maskingKey), keyWord(*spec.maskingKey));
}

void tst_FrameWriter::conveniencesWriteRfcBytes()
{
    FrameWriter server(Endpoint::Server);
    const QByteArray hello = QByteArrayLiteral("Hello");
    QCOMPARE(toHex(server.text(hello)), toHex(hex("81 05 48 65 6c 6c 6f")));
    QCOMPARE(toHex(server.binary(hex("00 ff"))), toHex(hex("82 02 00 ff")));
    QCOMPARE(toHex(server.ping(hello)), toHex(hex("89 05 48 65 6c 6c 6f")));
    QCOMPARE(toHex(server.ping()), toHex(hex("89 00")));
    QCOMPARE(toHex(server.pong(hello)), toHex(hex("8a 05 48 65 6c 6c 6f")));
    QCOMPARE(toHex(server.pong()), toHex(hex("8a 00")));
    // RFC 6455 §5.7: "Hello" as "Hel" + "lo".
    QCOMPARE(toHex(server.fragmented(Opcode::Text, hello, 2)), toHex(hex("01 03 48 65 6c 80 02 6c 6f")));
    QCOMPARE(toHex(server.binary(pattern(256)).first(4)), toHex(hex("82 7e 01 00")));

    // A client's conveniences are masked with some key; the payload unmasks to what was asked.
    FrameWriter client(Endpoint::Client);
    bool ok = false;
    const QList<WireFrame> ping = decode(client.ping(hello), &ok);
    QVERIFY(ok);
    QCOMPARE(ping.size(), 1);
    QCOMPARE(ping[0].firstByte, quint8(0x89));
    QVERIFY(ping[0].masked);
    QCOMPARE(ping[0].payload, hello);
    const QList<WireFrame> text = decode(client.text(hello), &ok);
    QVERIFY(ok);
    QCOMPARE(text[0].firstByte, quint8(0x81));
    QVERIFY(text[0].masked);
    QCOMPARE(text[0].payload, hello);
}

void tst_FrameWriter::fragmented_data()
{
    QTest::addColumn<Endpoint>("writer");
    QTest::addColumn<Opcode>("opcode");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("parts");
    QTest::addColumn<bool>("compressed");
    QTest::addColumn<QList<int>>("sizes");

    QTest::newRow("5 bytes in 2 parts (RFC 'Hel' + 'lo')")
        << Endpoint::Server << Opcode::Text << 5 << 2 << false << QList<int>{3, 2};
    QTest::newRow("10 bytes in 3 parts") << Endpoint::Server << Opcode::Text << 10 << 3 << false << QList<int>{4, 3, 3};
    QTest::newRow("9 bytes in 3 parts") << Endpoint::Server << Opcode::Binary << 9 << 3 << false << QList<int>{3, 3, 3};
    QTest::newRow("100 bytes in 7 parts")
        << Endpoint::Server << Opcode::Binary << 100 << 7 << false << QList<int>{15, 15, 14, 14, 14, 14, 14};
    QTest::newRow("300 bytes in 2 parts (16-bit lengths)")
        << Endpoint::Server << Opcode::Binary << 300 << 2 << false << QList<int>{150, 150};
    QTest::newRow("2 bytes asked in 5 parts: one byte each")
        << Endpoint::Server << Opcode::Text << 2 << 5 << false << QList<int>{1, 1};
    QTest::newRow("empty message: one frame") << Endpoint::Server << Opcode::Text << 0 << 3 << false << QList<int>{0};
    QTest::newRow("zero parts: one frame") << Endpoint::Server << Opcode::Binary << 6 << 0 << false << QList<int>{6};
    QTest::newRow("negative parts: one frame")
        << Endpoint::Server << Opcode::Binary << 6 << -2 << false << QList<int>{6};
    QTest::newRow("one part") << Endpoint::Server << Opcode::Text << 6 << 1 << false << QList<int>{6};
    QTest::newRow("compressed text in 3 parts")
        << Endpoint::Server << Opcode::Text << 7 << 3 << true << QList<int>{3, 2, 2};
    QTest::newRow("compressed single frame") << Endpoint::Server << Opcode::Binary << 7 << 1 << true << QList<int>{7};
    QTest::newRow("client: 10 bytes in 4 parts, masked")
        << Endpoint::Client << Opcode::Binary << 10 << 4 << false << QList<int>{3, 3, 2, 2};
    QTest::newRow("client: compressed in 2 parts, masked")
        << Endpoint::Client << Opcode::Text << 9 << 2 << true << QList<int>{5, 4};
}

void tst_FrameWriter::fragmented()
{
    QFETCH(Endpoint, writer);
    QFETCH(Opcode, opcode);
    QFETCH(int, size);
    QFETCH(int, parts);
    QFETCH(bool, compressed);
    QFETCH(QList<int>, sizes);

    FrameWriter w(writer);
    const QByteArray payload = pattern(size);
    bool ok = false;
    const QList<WireFrame> frames = decode(w.fragmented(opcode, payload, parts, compressed), &ok);
    QVERIFY(ok);
    QCOMPARE(frames.size(), sizes.size());
    QByteArray joined;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const WireFrame &f = frames[i];
        QCOMPARE(f.payload.size(), qsizetype(sizes[i]));
        QCOMPARE(f.opcode(), i == 0 ? Opcodes::value(opcode) : quint8(0));
        QCOMPARE(f.fin(), i == frames.size() - 1);
        QCOMPARE(f.rsv1(), compressed && i == 0);
        QVERIFY(!f.rsv2());
        QVERIFY(!f.rsv3());
        QCOMPARE(f.masked, writer == Endpoint::Client);
        joined += f.payload;
    }
    QCOMPARE(joined, payload);
}

void tst_FrameWriter::close_data()
{
    QTest::addColumn<bool>("hasCode");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("without code: empty payload") << false << 0 << QByteArray() << hex("88 00");
    QTest::newRow("without code, reason ignored") << false << 0 << QByteArrayLiteral("x") << hex("88 00");
    QTest::newRow("1000") << true << 1000 << QByteArray() << hex("88 02 03 e8");
    QTest::newRow("1001 with reason 'bye'") << true << 1001 << QByteArrayLiteral("bye") << hex("88 05 03 e9 62 79 65");
    QTest::newRow("4999 with UTF-8 reason") << true << 4999 << hex("c3 a9") << hex("88 04 13 87 c3 a9");
    QTest::newRow("1005, invalid on the wire, written as asked") << true << 1005 << QByteArray() << hex("88 02 03 ed");
    QTest::newRow("123-byte reason: 125-byte payload")
        << true << 1000 << QByteArray(123, 'r') << QByteArray(hex("88 7d 03 e8") + QByteArray(123, 'r'));
}

void tst_FrameWriter::close()
{
    QFETCH(bool, hasCode);
    QFETCH(int, code);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, expected);

    const std::optional<quint16> maybeCode = hasCode ? std::optional<quint16>(quint16(code)) : std::nullopt;
    FrameWriter server(Endpoint::Server);
    QCOMPARE(toHex(server.close(maybeCode, reason)), toHex(expected));

    // The client's Close carries the same payload, masked.
    FrameWriter client(Endpoint::Client);
    bool ok = false;
    const QList<WireFrame> frames = decode(client.close(maybeCode, reason), &ok);
    QVERIFY(ok);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames[0].firstByte, quint8(0x88));
    QVERIFY(frames[0].masked);
    QCOMPARE(toHex(frames[0].payload), toHex(expected.sliced(2)));
}

void tst_FrameWriter::closePayload_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("1000, no reason") << 1000 << QByteArray() << hex("03 e8");
    QTest::newRow("1002 'protocol'") << 1002 << QByteArrayLiteral("protocol") << hex("03 ea 70 72 6f 74 6f 63 6f 6c");
    QTest::newRow("0 'x'") << 0 << QByteArrayLiteral("x") << hex("00 00 78");
    QTest::newRow("65535") << 65535 << QByteArray() << hex("ff ff");
    QTest::newRow("3000 with a 4-byte character") << 3000 << hex("f0 9f 98 80") << hex("0b b8 f0 9f 98 80");
}

void tst_FrameWriter::closePayload()
{
    QFETCH(int, code);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, expected);
    QCOMPARE(toHex(FrameWriter::closePayload(quint16(code), reason)), toHex(expected));
}

void tst_FrameWriter::clientKeysAreFreshPerFrame()
{
    // The default key source: draws span several refills of the writer's batch of 64 keys.
    FrameWriter client(Endpoint::Client);
    const QByteArray hello = QByteArrayLiteral("Hello");
    QSet<quint32> keys;
    constexpr int frames = 1000;
    for (int i = 0; i < frames; ++i) {
        QByteArray out;
        const FrameHeader h = client.append(out, spec(0x1), hello);
        QCOMPARE(out.size(), 11);
        QCOMPARE(quint8(out[1]), quint8(0x85));
        MaskingKey key;
        std::memcpy(key.data(), out.constData() + 2, 4);
        QCOMPARE(keyWord(h.maskingKey), keyWord(key));
        QVERIFY(h.masked);
        QCOMPARE(masked(QByteArrayView(out).sliced(6), key), hello);
        keys.insert(keyWord(key));
    }
    // 1,000 draws from 2^32 values: a repeat is already unlikely (p ~ 1e-4); a handful means a broken source.
    QVERIFY2(keys.size() >= frames - 2, qPrintable(QStringLiteral("%1 distinct keys").arg(keys.size())));
}

void tst_FrameWriter::keyGeneratorIsUsedAndReproducible()
{
    QRandomGenerator first(42);
    QRandomGenerator second(42);
    QRandomGenerator other(43);
    FrameWriter a(Endpoint::Client);
    FrameWriter b(Endpoint::Client);
    FrameWriter c(Endpoint::Client);
    a.setKeyGenerator(&first);
    b.setKeyGenerator(&second);
    c.setKeyGenerator(&other);

    QByteArray streamA;
    QByteArray streamB;
    QByteArray streamC;
    QSet<quint32> keys;
    for (int i = 0; i < 200; ++i) {
        const FrameHeader h = a.append(streamA, spec(0x2), pattern(i));
        b.append(streamB, spec(0x2), pattern(i));
        c.append(streamC, spec(0x2), pattern(i));
        keys.insert(keyWord(h.maskingKey));
    }
    QCOMPARE(streamA, streamB);
    QVERIFY(streamA != streamC);
    QVERIFY(keys.size() >= 198);

    // An explicit key wins over the generator.
    const QByteArray fixed = a.frame(maskedSpec(0x1, rfcKey), QByteArrayLiteral("Hello"));
    QCOMPARE(toHex(fixed), toHex(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
}

void tst_FrameWriter::serverDoesNotMask()
{
    FrameWriter server(Endpoint::Server);
    QByteArray wire;
    QList<FrameHeader> headers;
    headers.append(server.append(wire, spec(0x1), QByteArrayLiteral("text")));
    headers.append(server.append(wire, spec(0x2), pattern(300)));
    headers.append(server.append(wire, spec(0x9), QByteArrayLiteral("ping")));
    headers.append(server.append(wire, spec(0xA), QByteArray()));
    for (const FrameHeader &h : headers)
        QVERIFY(!h.masked);
    wire += server.close(1000);
    wire += server.fragmented(Opcode::Binary, pattern(1000), 3);
    bool ok = false;
    const QList<WireFrame> frames = decode(wire, &ok);
    QVERIFY(ok);
    QCOMPARE(frames.size(), 8);
    for (const WireFrame &f : frames)
        QVERIFY(!f.masked);
    QCOMPARE(frames[1].payload, pattern(300));
    QCOMPARE(frames[0].payload, QByteArrayLiteral("text"));
}

void tst_FrameWriter::appendKeepsExistingBytes()
{
    FrameWriter server(Endpoint::Server);
    QByteArray out = hex("de ad");
    server.append(out, spec(0x1), QByteArrayLiteral("Hi"));
    server.append(out, spec(0x9), QByteArray());
    QCOMPARE(toHex(out), toHex(hex("de ad 81 02 48 69 89 00")));
}

void tst_FrameWriter::deliberatelyInvalid_data()
{
    QTest::addColumn<Endpoint>("writer");
    QTest::addColumn<FrameSpec>("spec");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");
    // What FrameSpec::breaksRules() says. It sees the spec, not the payload, so it cannot know that a control
    // frame's payload is too long.
    QTest::addColumn<bool>("specBreaksRules");

    const QByteArray hello = QByteArrayLiteral("Hello");
    const QByteArray hi = QByteArrayLiteral("hi");
    for (int op : {0x3, 0x7, 0xB, 0xF}) {
        QTest::addRow("reserved opcode 0x%X", op)
            << Endpoint::Server << spec(quint8(op)) << hi << wsi::test::bytes({0x80 | op, 0x02, 0x68, 0x69}) << true;
    }
    {
        FrameSpec s = spec(0x1);
        s.rsv1 = true;
        QTest::newRow("RSV1") << Endpoint::Server << s << hi << hex("c1 02 68 69") << true;
        s.rsv1 = false;
        s.rsv2 = true;
        QTest::newRow("RSV2") << Endpoint::Server << s << hi << hex("a1 02 68 69") << true;
        s.rsv2 = false;
        s.rsv3 = true;
        QTest::newRow("RSV3") << Endpoint::Server << s << hi << hex("91 02 68 69") << true;
        s.rsv1 = s.rsv2 = true;
        QTest::newRow("all RSV bits") << Endpoint::Server << s << hi << hex("f1 02 68 69") << true;
    }
    {
        FrameSpec s = spec(0x9, false);
        QTest::newRow("ping with FIN clear") << Endpoint::Server << s << QByteArray() << hex("09 00") << true;
        s.rsv1 = true;
        QTest::newRow("ping with RSV1 and FIN clear") << Endpoint::Server << s << QByteArray() << hex("49 00") << true;
    }
    QTest::newRow("ping with 126-byte payload")
        << Endpoint::Server << spec(0x9) << pattern(126) << QByteArray(hex("89 7e 00 7e") + pattern(126)) << false;
    {
        FrameSpec s = spec(0x1);
        s.lengthEncoding = LengthEncoding::Bits64;
        QTest::newRow("forced 64-bit length for 5 bytes")
            << Endpoint::Server << s << hello << QByteArray(hex("81 7f 00 00 00 00 00 00 00 05") + hello) << true;
        s.lengthEncoding = LengthEncoding::Bits16;
        QTest::newRow("forced 16-bit length for 5 bytes")
            << Endpoint::Server << s << hello << QByteArray(hex("81 7e 00 05") + hello) << true;
        s.lengthEncoding = LengthEncoding::Bits64;
        s.maskingKey = rfcKey;
        QTest::newRow("forced 64-bit length, masked client frame")
            << Endpoint::Client << s << hello << hex("81 ff 00 00 00 00 00 00 00 05 37 fa 21 3d 7f 9f 4d 51 58")
            << true;
        FrameSpec t = spec(0x2);
        t.lengthEncoding = LengthEncoding::Bits7;
        QTest::newRow("forced 7-bit length for 200 bytes: low 7 bits written")
            << Endpoint::Server << t << pattern(200) << QByteArray(hex("82 48") + pattern(200)) << true;
    }
    {
        FrameSpec s = spec(0x1);
        s.declaredLength = 10;
        QTest::newRow("declared 10, payload 5")
            << Endpoint::Server << s << hello << hex("81 0a 48 65 6c 6c 6f") << true;
        s.declaredLength = 0;
        QTest::newRow("declared 0, payload 5") << Endpoint::Server << s << hello << hex("81 00 48 65 6c 6c 6f") << true;
        s.declaredLength = 300;
        QTest::newRow("declared 300 (16-bit form), payload 5")
            << Endpoint::Server << s << hello << hex("81 7e 01 2c 48 65 6c 6c 6f") << true;
        FrameSpec t = spec(0x2);
        t.declaredLength = 0x8000000000000000ull;
        QTest::newRow("declared 2^63, empty payload")
            << Endpoint::Server << t << QByteArray() << hex("82 7f 80 00 00 00 00 00 00 00") << true;
        t.declaredLength = 10'000'000'000ull;
        t.maskingKey = rfcKey;
        QTest::newRow("declared 10 GB, masked, 2-byte payload")
            << Endpoint::Client << t << hi << hex("82 ff 00 00 00 02 54 0b e4 00 37 fa 21 3d 5f 93") << true;
    }
    {
        FrameSpec s = maskedSpec(0x1, rfcKey);
        s.masked = true;
        QTest::newRow("masked server frame")
            << Endpoint::Server << s << hello << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << true;
        FrameSpec t = spec(0x1);
        t.masked = false;
        QTest::newRow("unmasked client frame") << Endpoint::Client << t << hello << hex("81 05 48 65 6c 6c 6f") << true;
        FrameSpec u = maskedSpec(0x1, rfcKey);
        u.masked = false;
        QTest::newRow("unmasked client frame ignores the key")
            << Endpoint::Client << u << hello << hex("81 05 48 65 6c 6c 6f") << true;
    }
    {
        FrameSpec s = spec(0x0);
        s.rsv1 = true;
        QTest::newRow("continuation with RSV1") << Endpoint::Server << s << hi << hex("c0 02 68 69") << true;
    }
}

void tst_FrameWriter::deliberatelyInvalid()
{
    QFETCH(Endpoint, writer);
    QFETCH(FrameSpec, spec);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    QFETCH(bool, specBreaksRules);

    FrameWriter w(writer);
    const QByteArray out = w.frame(spec, payload);
    if (expected.size() <= 64)
        QCOMPARE(toHex(out), toHex(expected));
    QVERIFY2(out == expected, "bytes differ");
    QCOMPARE(spec.breaksRules(writer), specBreaksRules);
}

void tst_FrameWriter::breaksRules_data()
{
    QTest::addColumn<Endpoint>("writer");
    QTest::addColumn<int>("allowedReservedBits");
    QTest::addColumn<FrameSpec>("spec");
    QTest::addColumn<bool>("breaks");

    QTest::newRow("text from the client") << Endpoint::Client << 0 << spec(0x1) << false;
    QTest::newRow("text from the server") << Endpoint::Server << 0 << spec(0x1) << false;
    QTest::newRow("first fragment") << Endpoint::Server << 0 << spec(0x2, false) << false;
    QTest::newRow("continuation") << Endpoint::Server << 0 << spec(0x0, false) << false;
    QTest::newRow("close") << Endpoint::Client << 0 << spec(0x8) << false;
    QTest::newRow("ping") << Endpoint::Client << 0 << spec(0x9) << false;
    QTest::newRow("pong") << Endpoint::Server << 0 << spec(0xA) << false;
    QTest::newRow("explicit key from the client") << Endpoint::Client << 0 << maskedSpec(0x1, rfcKey) << false;
    {
        FrameSpec s = spec(0x1);
        s.masked = true;
        QTest::newRow("masked=true from the client") << Endpoint::Client << 0 << s << false;
        QTest::newRow("masked=true from the server") << Endpoint::Server << 0 << s << true;
        s.masked = false;
        QTest::newRow("masked=false from the client") << Endpoint::Client << 0 << s << true;
        QTest::newRow("masked=false from the server") << Endpoint::Server << 0 << s << false;
    }
    {
        FrameSpec s = spec(0x1);
        s.rsv1 = true;
        QTest::newRow("RSV1 without extension") << Endpoint::Client << 0 << s << true;
        QTest::newRow("RSV1 on text with permessage-deflate") << Endpoint::Client << 0x4 << s << false;
        QTest::newRow("RSV1 with RSV2/RSV3 negotiated only") << Endpoint::Client << 0x3 << s << true;
        FrameSpec c = spec(0x0);
        c.rsv1 = true;
        QTest::newRow("RSV1 on continuation with permessage-deflate") << Endpoint::Client << 0x4 << c << true;
        FrameSpec p = spec(0x9);
        p.rsv1 = true;
        QTest::newRow("RSV1 on ping with permessage-deflate") << Endpoint::Client << 0x4 << p << true;
        FrameSpec r2 = spec(0x2);
        r2.rsv2 = true;
        QTest::newRow("RSV2 with permessage-deflate only") << Endpoint::Server << 0x4 << r2 << true;
        QTest::newRow("RSV2 with an extension defining it") << Endpoint::Server << 0x2 << r2 << false;
        FrameSpec r3 = spec(0x2);
        r3.rsv3 = true;
        QTest::newRow("RSV3 without extension") << Endpoint::Server << 0 << r3 << true;
        QTest::newRow("RSV3 with all bits allowed") << Endpoint::Server << 0x7 << r3 << false;
    }
    QTest::newRow("reserved opcode 0x3") << Endpoint::Server << 0 << spec(0x3) << true;
    QTest::newRow("reserved opcode 0x7") << Endpoint::Server << 0 << spec(0x7) << true;
    QTest::newRow("reserved control opcode 0xB") << Endpoint::Server << 0 << spec(0xB) << true;
    QTest::newRow("reserved control opcode 0xF") << Endpoint::Server << 0 << spec(0xF) << true;
    QTest::newRow("ping with FIN clear") << Endpoint::Client << 0 << spec(0x9, false) << true;
    QTest::newRow("close with FIN clear") << Endpoint::Client << 0 << spec(0x8, false) << true;
    {
        FrameSpec s = spec(0x1);
        s.lengthEncoding = LengthEncoding::Bits64;
        QTest::newRow("forced 64-bit length") << Endpoint::Server << 0 << s << true;
        FrameSpec d = spec(0x1);
        d.declaredLength = 10;
        QTest::newRow("declared length") << Endpoint::Server << 0 << d << true;
    }
}

void tst_FrameWriter::breaksRules()
{
    QFETCH(Endpoint, writer);
    QFETCH(int, allowedReservedBits);
    QFETCH(FrameSpec, spec);
    QFETCH(bool, breaks);
    QCOMPARE(spec.breaksRules(writer, quint8(allowedReservedBits)), breaks);
}

void tst_FrameWriter::headerSize_data()
{
    QTest::addColumn<quint64>("length");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<LengthEncoding>("encoding");
    QTest::addColumn<int>("size");
    QTest::newRow("0, unmasked, 7-bit") << quint64(0) << false << LengthEncoding::Bits7 << 2;
    QTest::newRow("125, masked, 7-bit") << quint64(125) << true << LengthEncoding::Bits7 << 6;
    QTest::newRow("126, unmasked, 16-bit") << quint64(126) << false << LengthEncoding::Bits16 << 4;
    QTest::newRow("65535, masked, 16-bit") << quint64(65535) << true << LengthEncoding::Bits16 << 8;
    QTest::newRow("65536, unmasked, 64-bit") << quint64(65536) << false << LengthEncoding::Bits64 << 10;
    QTest::newRow("65536, masked, 64-bit") << quint64(65536) << true << LengthEncoding::Bits64 << 14;
    QTest::newRow("5, unmasked, forced 64-bit") << quint64(5) << false << LengthEncoding::Bits64 << 10;
}

void tst_FrameWriter::headerSize()
{
    QFETCH(quint64, length);
    QFETCH(bool, masked);
    QFETCH(LengthEncoding, encoding);
    QFETCH(int, size);
    QCOMPARE(FrameWriter::headerSize(length, masked, encoding), size);
}

void tst_FrameWriter::minimalEncoding_data()
{
    QTest::addColumn<quint64>("length");
    QTest::addColumn<LengthEncoding>("encoding");
    QTest::newRow("0") << quint64(0) << LengthEncoding::Bits7;
    QTest::newRow("125") << quint64(125) << LengthEncoding::Bits7;
    QTest::newRow("126") << quint64(126) << LengthEncoding::Bits16;
    QTest::newRow("65535") << quint64(65535) << LengthEncoding::Bits16;
    QTest::newRow("65536") << quint64(65536) << LengthEncoding::Bits64;
    QTest::newRow("2^63") << quint64(0x8000000000000000ull) << LengthEncoding::Bits64;
    QTest::newRow("2^64-1") << std::numeric_limits<quint64>::max() << LengthEncoding::Bits64;
}

void tst_FrameWriter::minimalEncoding()
{
    QFETCH(quint64, length);
    QFETCH(LengthEncoding, encoding);
    QCOMPARE(FrameWriter::minimalEncoding(length), encoding);
}

QTEST_GUILESS_MAIN(tst_FrameWriter)
#include "tst_framewriter.moc"
