// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtocolPrinters.h"
#include "ResidentMemory.h"
#include "WireBytes.h"
#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/Violation.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

using namespace wsi;
using wsi::test::hex;
using wsi::test::masked;
using wsi::test::pattern;
using wsi::test::toHex;

namespace {

constexpr MaskingKey rfcKey{0x37, 0xfa, 0x21, 0x3d};

// One frame as the parser reported it, with the payload copied out of the short-lived view.
struct Recorded {
    FrameHeader header;
    QByteArray payload;
    ViolationList violations;
    quint64 streamOffset = 0;
    bool payloadDiscarded = false;

    friend bool operator==(const Recorded &, const Recorded &) = default;
};

Recorded record(const FrameEvent &event)
{
    return Recorded{event.header, event.payload.toByteArray(), event.violations, event.streamOffset,
                    event.payloadDiscarded};
}

QList<ViolationRule> rulesOf(const ViolationList &violations)
{
    QList<ViolationRule> rules;
    for (const Violation &v : violations)
        rules.append(v.rule);
    return rules;
}

FrameHeader header(bool fin, quint8 opcode, quint64 length, LengthEncoding encoding,
                   std::optional<MaskingKey> key = std::nullopt)
{
    FrameHeader h;
    h.fin = fin;
    h.opcode = opcode;
    h.masked = key.has_value();
    h.maskingKey = key.value_or(MaskingKey{});
    h.payloadLength = length;
    h.lengthEncoding = encoding;
    const int extended = encoding == LengthEncoding::Bits7 ? 0 : (encoding == LengthEncoding::Bits16 ? 2 : 8);
    h.headerLength = quint8(2 + extended + (key ? 4 : 0));
    return h;
}

Recorded clean(const FrameHeader &h, const QByteArray &payload, quint64 offset)
{
    return Recorded{h, payload, {}, offset, false};
}

struct ParserSetup {
    Endpoint sender = Endpoint::Server;
    quint8 allowedReservedBits = 0;
    quint64 maxFramePayload = ProtocolLimits::defaultMaxFramePayload;
};

struct ParseRun {
    QList<Recorded> frames;
    bool returnedFalseWithInputLeft = false; // next() must use up the input before it says "need more"
    quint64 bytesConsumed = 0;
    bool atFrameBoundary = false;
};

// Feeds `input` in chunks of the sizes `nextChunkSize` returns. Every chunk is a copy that is overwritten once the
// parser is done with it, so a parser that kept pointing into an earlier chunk would produce different payloads.
ParseRun parseInChunks(const ParserSetup &setup, QByteArrayView input, const std::function<qsizetype()> &nextChunkSize)
{
    ProtocolLimits limits;
    limits.maxFramePayload = setup.maxFramePayload;
    FrameParser parser(setup.sender, limits);
    parser.setAllowedReservedBits(setup.allowedReservedBits);
    ParseRun run;
    FrameEvent event;
    qsizetype pos = 0;
    QByteArray chunk;
    while (pos < input.size()) {
        const qsizetype size = std::clamp<qsizetype>(nextChunkSize(), 1, input.size() - pos);
        chunk = input.sliced(pos, size).toByteArray();
        QByteArrayView view(chunk);
        while (parser.next(view, event))
            run.frames.append(record(event));
        if (!view.isEmpty())
            run.returnedFalseWithInputLeft = true;
        chunk.fill('\xee');
        pos += size;
    }
    run.bytesConsumed = parser.bytesConsumed();
    run.atFrameBoundary = parser.atFrameBoundary();
    return run;
}

ParseRun parseWhole(const ParserSetup &setup, QByteArrayView input)
{
    return parseInChunks(setup, input, [&] { return input.size(); });
}

// Where two runs differ, for a failure message; empty when they are identical.
QString difference(const QList<Recorded> &actual, const QList<Recorded> &expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 frames instead of %2").arg(actual.size()).arg(expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        const Recorded &a = actual[i];
        const Recorded &e = expected[i];
        auto where = [i](const char *what) {
            return QStringLiteral("frame %1: %2 differs").arg(i).arg(QLatin1String(what));
        };
        if (!(a.header == e.header)) {
            char *as = toString(a.header);
            char *es = toString(e.header);
            const QString text =
                where("header") + QStringLiteral(" (%1 vs %2)").arg(QLatin1String(as), QLatin1String(es));
            delete[] as;
            delete[] es;
            return text;
        }
        if (a.payload != e.payload)
            return where("payload");
        if (a.violations != e.violations)
            return where("violations");
        if (a.streamOffset != e.streamOffset)
            return where("streamOffset") + QStringLiteral(" (%1 vs %2)").arg(a.streamOffset).arg(e.streamOffset);
        if (a.payloadDiscarded != e.payloadDiscarded)
            return where("payloadDiscarded");
    }
    return {};
}

// ---- The cases: RFC examples, violations, clean frames. Shared by the field checks and the chunking test. ----

struct RfcCase {
    const char *name;
    Endpoint sender;
    QByteArray input;
    QList<Recorded> expected;
};

QList<RfcCase> rfcCases()
{
    const QByteArray hello = QByteArrayLiteral("Hello");
    return {
        {"single-frame unmasked text",
         Endpoint::Server,
         hex("81 05 48 65 6c 6c 6f"),
         {clean(header(true, 0x1, 5, LengthEncoding::Bits7), hello, 0)}},
        {"single-frame masked text",
         Endpoint::Client,
         hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
         {clean(header(true, 0x1, 5, LengthEncoding::Bits7, rfcKey), hello, 0)}},
        {"fragmented unmasked text",
         Endpoint::Server,
         hex("01 03 48 65 6c 80 02 6c 6f"),
         {clean(header(false, 0x1, 3, LengthEncoding::Bits7), QByteArrayLiteral("Hel"), 0),
          clean(header(true, 0x0, 2, LengthEncoding::Bits7), QByteArrayLiteral("lo"), 5)}},
        {"unmasked ping",
         Endpoint::Server,
         hex("89 05 48 65 6c 6c 6f"),
         {clean(header(true, 0x9, 5, LengthEncoding::Bits7), hello, 0)}},
        {"masked pong",
         Endpoint::Client,
         hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"),
         {clean(header(true, 0xA, 5, LengthEncoding::Bits7, rfcKey), hello, 0)}},
        {"256-byte binary",
         Endpoint::Server,
         hex("82 7e 01 00") + pattern(256),
         {clean(header(true, 0x2, 256, LengthEncoding::Bits16), pattern(256), 0)}},
        {"65536-byte binary",
         Endpoint::Server,
         hex("82 7f 00 00 00 00 00 01 00 00") + pattern(65536),
         {clean(header(true, 0x2, 65536, LengthEncoding::Bits64), pattern(65536), 0)}},
    };
}

struct ViolationCase {
    QByteArray name;
    ParserSetup setup;
    QByteArray input;
    int violatingFrame;         // index of the frame that carries the violations; the others must be clean
    QList<ViolationRule> rules; // exactly these, in this order
    QStringList sections;       // Violations::rfcSection of each rule
    QStringList detailContains; // substrings of the first violation's detail
    QByteArrayList payloads;    // every frame's payload, unmasked
    bool discarded = false;     // the violating frame's payload was refused
    bool complete = true;       // the parser ends between frames
};

QList<ViolationCase> violationCases()
{
    const QString s52 = QStringLiteral("RFC 6455 §5.2");
    const QString s51 = QStringLiteral("RFC 6455 §5.1");
    const QString s55 = QStringLiteral("RFC 6455 §5.5");
    const QString s104 = QStringLiteral("RFC 6455 §10.4");
    const QString s7692 = QStringLiteral("RFC 7692 §6.1");
    const ParserSetup server{Endpoint::Server, 0, ProtocolLimits::defaultMaxFramePayload};
    const ParserSetup client{Endpoint::Client, 0, ProtocolLimits::defaultMaxFramePayload};
    const ParserSetup serverDeflate{Endpoint::Server, 0x4, ProtocolLimits::defaultMaxFramePayload};
    const QByteArray hello = QByteArrayLiteral("Hello");

    QList<ViolationCase> cases;
    for (int op : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
        const QString opText = QStringLiteral("opcode 0x") + QString::number(op, 16).toUpper();
        cases.append({QByteArrayLiteral("unknown opcode 0x") + QByteArray::number(op, 16).toUpper(),
                      server,
                      wsi::test::bytes({0x80 | op, 0x01, 0x61}),
                      0,
                      {ViolationRule::UnknownOpcode},
                      {s52},
                      {opText},
                      {QByteArrayLiteral("a")}});
    }
    cases.append({"RSV1 without extension",
                  server,
                  hex("c1 02 68 69"),
                  0,
                  {ViolationRule::ReservedBitWithoutExtension},
                  {s52},
                  {QStringLiteral("RSV1 set")},
                  {QByteArrayLiteral("hi")}});
    cases.append({"RSV2 without extension",
                  server,
                  hex("a1 02 68 69"),
                  0,
                  {ViolationRule::ReservedBitWithoutExtension},
                  {s52},
                  {QStringLiteral("RSV2 set")},
                  {QByteArrayLiteral("hi")}});
    cases.append({"RSV3 without extension",
                  server,
                  hex("91 02 68 69"),
                  0,
                  {ViolationRule::ReservedBitWithoutExtension},
                  {s52},
                  {QStringLiteral("RSV3 set")},
                  {QByteArrayLiteral("hi")}});
    cases.append({"all three RSV bits without extension",
                  server,
                  hex("f2 01 00"),
                  0,
                  {ViolationRule::ReservedBitWithoutExtension},
                  {s52},
                  {QStringLiteral("RSV1, RSV2, RSV3")},
                  {hex("00")}});
    cases.append({"RSV2 with only RSV1 negotiated",
                  serverDeflate,
                  hex("a2 01 00"),
                  0,
                  {ViolationRule::ReservedBitWithoutExtension},
                  {s52},
                  {QStringLiteral("RSV2 set")},
                  {hex("00")}});
    cases.append({"RSV1 on a ping without extension",
                  server,
                  hex("c9 00"),
                  0,
                  {ViolationRule::ReservedBitWithoutExtension},
                  {s52},
                  {QStringLiteral("RSV1")},
                  {QByteArray()}});
    cases.append({"RSV1 allowed but set on a ping",
                  serverDeflate,
                  hex("c9 00"),
                  0,
                  {ViolationRule::CompressedBitOnControlOrContinuation},
                  {s7692},
                  {QStringLiteral("ping")},
                  {QByteArray()}});
    cases.append({"RSV1 allowed but set on a close",
                  serverDeflate,
                  hex("c8 02 03 e8"),
                  0,
                  {ViolationRule::CompressedBitOnControlOrContinuation},
                  {s7692},
                  {QStringLiteral("close")},
                  {hex("03 e8")}});
    cases.append({"RSV1 allowed but set on a continuation",
                  serverDeflate,
                  hex("41 01 61 c0 01 62"),
                  1,
                  {ViolationRule::CompressedBitOnControlOrContinuation},
                  {s7692},
                  {QStringLiteral("continuation")},
                  {QByteArrayLiteral("a"), QByteArrayLiteral("b")}});
    cases.append({"ping with a 126-byte payload",
                  server,
                  hex("89 7e 00 7e") + pattern(126),
                  0,
                  {ViolationRule::ControlFrameTooLong},
                  {s55},
                  {QStringLiteral("126 bytes")},
                  {pattern(126)}});
    cases.append({"close with a 126-byte payload",
                  server,
                  hex("88 7e 00 7e") + pattern(126),
                  0,
                  {ViolationRule::ControlFrameTooLong},
                  {s55},
                  {QStringLiteral("126 bytes")},
                  {pattern(126)}});
    cases.append({"fragmented ping (FIN clear)",
                  server,
                  hex("09 00"),
                  0,
                  {ViolationRule::FragmentedControlFrame},
                  {s55},
                  {QStringLiteral("FIN clear")},
                  {QByteArray()}});
    cases.append({"fragmented close (FIN clear)",
                  server,
                  hex("08 02 03 e8"),
                  0,
                  {ViolationRule::FragmentedControlFrame},
                  {s55},
                  {QStringLiteral("FIN clear")},
                  {hex("03 e8")}});
    cases.append({"length 5 in the 16-bit form",
                  server,
                  hex("81 7e 00 05") + hello,
                  0,
                  {ViolationRule::NonMinimalLength},
                  {s52},
                  {QStringLiteral("length 5 written in the 16-bit form")},
                  {hello}});
    cases.append({"length 125 in the 16-bit form",
                  server,
                  hex("82 7e 00 7d") + pattern(125),
                  0,
                  {ViolationRule::NonMinimalLength},
                  {s52},
                  {QStringLiteral("length 125 written in the 16-bit form")},
                  {pattern(125)}});
    cases.append({"length 300 in the 64-bit form",
                  server,
                  hex("82 7f 00 00 00 00 00 00 01 2c") + pattern(300),
                  0,
                  {ViolationRule::NonMinimalLength},
                  {s52},
                  {QStringLiteral("length 300 written in the 64-bit form"), QStringLiteral("16-bit form")},
                  {pattern(300)}});
    cases.append({"length 5 in the 64-bit form",
                  server,
                  hex("81 7f 00 00 00 00 00 00 00 05") + hello,
                  0,
                  {ViolationRule::NonMinimalLength},
                  {s52},
                  {QStringLiteral("length 5 written in the 64-bit form"), QStringLiteral("7-bit")},
                  {hello}});
    cases.append({"length 65535 in the 64-bit form",
                  server,
                  hex("82 7f 00 00 00 00 00 00 ff ff") + pattern(65535),
                  0,
                  {ViolationRule::NonMinimalLength},
                  {s52},
                  {QStringLiteral("length 65535 written in the 64-bit form")},
                  {pattern(65535)}});
    cases.append({"64-bit length with the top bit set",
                  server,
                  hex("82 7f 80 00 00 00 00 00 00 00"),
                  0,
                  {ViolationRule::LengthHighBitSet, ViolationRule::FrameTooLarge},
                  {s52, s104},
                  {QStringLiteral("8000000000000000")},
                  {QByteArray()},
                  true,
                  false});
    cases.append({"masked frame from the server",
                  server,
                  hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
                  0,
                  {ViolationRule::MaskedFrameFromServer},
                  {s51},
                  {QStringLiteral("37 fa 21 3d")},
                  {hello}});
    cases.append({"unmasked frame from the client",
                  client,
                  hex("81 05 48 65 6c 6c 6f"),
                  0,
                  {ViolationRule::UnmaskedFrameFromClient},
                  {s51},
                  {QStringLiteral("not masked")},
                  {hello}});
    cases.append({"unmasked ping from the client",
                  client,
                  hex("89 00"),
                  0,
                  {ViolationRule::UnmaskedFrameFromClient},
                  {s51},
                  {QStringLiteral("not masked")},
                  {QByteArray()}});
    cases.append({"frame above the limit, then a normal frame",
                  ParserSetup{Endpoint::Server, 0, 16},
                  hex("82 14") + pattern(20) + hex("81 05") + hello,
                  0,
                  {ViolationRule::FrameTooLarge},
                  {s104},
                  {QStringLiteral("declared payload length 20"), QStringLiteral("limit of 16 bytes")},
                  {QByteArray(), hello},
                  true,
                  true});
    cases.append(
        {"masked frame above the limit from the client, then a normal frame",
         ParserSetup{Endpoint::Client, 0, 100},
         hex("82 fe 00 c8 37 fa 21 3d") + masked(pattern(200), rfcKey) + hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
         0,
         {ViolationRule::FrameTooLarge},
         {s104},
         {QStringLiteral("200")},
         {QByteArray(), hello},
         true,
         true});
    cases.append({"ping above the limit",
                  ParserSetup{Endpoint::Server, 0, 100},
                  hex("89 7e 00 7e") + pattern(126),
                  0,
                  {ViolationRule::ControlFrameTooLong, ViolationRule::FrameTooLarge},
                  {s55, s104},
                  {QStringLiteral("126")},
                  {QByteArray()},
                  true,
                  true});
    return cases;
}

struct CleanCase {
    const char *name;
    ParserSetup setup;
    QByteArray input;
    QByteArrayList payloads;
};

QList<CleanCase> cleanCases()
{
    const ParserSetup server{Endpoint::Server, 0, ProtocolLimits::defaultMaxFramePayload};
    const ParserSetup client{Endpoint::Client, 0, ProtocolLimits::defaultMaxFramePayload};
    const ParserSetup serverDeflate{Endpoint::Server, 0x4, ProtocolLimits::defaultMaxFramePayload};
    const QByteArray hello = QByteArrayLiteral("Hello");
    QByteArray allRfcFromServer;
    QByteArrayList allRfcPayloads;
    for (const RfcCase &c : rfcCases()) {
        if (c.sender != Endpoint::Server)
            continue;
        allRfcFromServer += c.input;
        for (const Recorded &r : c.expected)
            allRfcPayloads.append(r.payload);
    }
    return {
        {"RSV1 on a text frame with permessage-deflate",
         serverDeflate,
         hex("c1 07 f2 48 cd c9 c9 07 00"),
         {hex("f2 48 cd c9 c9 07 00")}},
        {"RSV1 on the first fragment only",
         serverDeflate,
         hex("41 03 f2 48 cd 80 04 c9 c9 07 00"),
         {hex("f2 48 cd"), hex("c9 c9 07 00")}},
        {"all RSV bits with extensions defining them",
         ParserSetup{Endpoint::Server, 0x7, 64},
         hex("f2 01 00"),
         {hex("00")}},
        {"payload exactly at the frame limit",
         ParserSetup{Endpoint::Server, 0, 16},
         hex("82 10") + pattern(16),
         {pattern(16)}},
        {"126 bytes in the 16-bit form", server, hex("82 7e 00 7e") + pattern(126), {pattern(126)}},
        {"125-byte ping", server, hex("89 7d") + pattern(125), {pattern(125)}},
        {"empty close", server, hex("88 00"), {QByteArray()}},
        {"masked close 1000 from the client", client, hex("88 82 37 fa 21 3d 34 12"), {hex("03 e8")}},
        {"empty masked text from the client", client, hex("81 80 37 fa 21 3d"), {QByteArray()}},
        {"masked 126-byte binary from the client",
         client,
         hex("82 fe 00 7e 37 fa 21 3d") + masked(pattern(126), rfcKey),
         {pattern(126)}},
        {"masked 1000-byte binary with a zero key",
         client,
         hex("82 fe 03 e8 00 00 00 00") + pattern(1000),
         {pattern(1000)}},
        {"stream of every unmasked RFC example", server, allRfcFromServer, allRfcPayloads},
        {"masked text, ping, continuation from the client",
         client,
         hex("01 83 37 fa 21 3d 7f 9f 4d") + hex("89 80 01 02 03 04") + hex("80 82 37 fa 21 3d 5b 95"),
         {QByteArrayLiteral("Hel"), QByteArray(), QByteArrayLiteral("lo")}},
    };
}

struct ChunkCase {
    QByteArray name;
    ParserSetup setup;
    QByteArray input;
};

QList<ChunkCase> allFrameCases()
{
    QList<ChunkCase> all;
    for (const RfcCase &c : rfcCases())
        all.append({QByteArrayLiteral("RFC: ") + c.name,
                    ParserSetup{c.sender, 0, ProtocolLimits::defaultMaxFramePayload}, c.input});
    for (const ViolationCase &c : violationCases())
        all.append({QByteArrayLiteral("violation: ") + c.name, c.setup, c.input});
    for (const CleanCase &c : cleanCases())
        all.append({QByteArrayLiteral("clean: ") + c.name, c.setup, c.input});
    return all;
}

} // namespace

Q_DECLARE_METATYPE(wsi::Endpoint)
Q_DECLARE_METATYPE(wsi::ViolationRule)
Q_DECLARE_METATYPE(Recorded)
Q_DECLARE_METATYPE(ParserSetup)

class tst_FrameParser final : public QObject
{
    Q_OBJECT

private slots:
    void stopsBeforeALargePayloadForTheCallerToRedirect();
    void payloadAssembledInCallerMemory_data();
    void payloadAssembledInCallerMemory();
    void payloadWrittenDirectly_data();
    void payloadWrittenDirectly();
    void rfcExamples_data();
    void rfcExamples();
    void violations_data();
    void violations();
    void cleanFrames_data();
    void cleanFrames();
    void chunking_data();
    void chunking();
    void partialFrameState();
    void frameAboveLimitRefusedAtHeaderTime();
    void hostileDeclaredLength_data();
    void hostileDeclaredLength();
    void tenGigabytePayloadIsSkippedWithoutStoring();
    void roundTrip_data();
    void roundTrip();
};

void tst_FrameParser::rfcExamples_data()
{
    QTest::addColumn<Endpoint>("sender");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<Recorded>>("expected");
    for (const RfcCase &c : rfcCases())
        QTest::newRow(c.name) << c.sender << c.input << c.expected;
}

void tst_FrameParser::rfcExamples()
{
    QFETCH(Endpoint, sender);
    QFETCH(QByteArray, input);
    QFETCH(QList<Recorded>, expected);

    const ParseRun run = parseWhole(ParserSetup{sender, 0, ProtocolLimits::defaultMaxFramePayload}, input);
    QCOMPARE(run.frames.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const Recorded &actual = run.frames[i];
        QCOMPARE(actual.header, expected[i].header);
        QCOMPARE(actual.payload, expected[i].payload);
        QCOMPARE(actual.streamOffset, expected[i].streamOffset);
        QCOMPARE(actual.payloadDiscarded, false);
        QCOMPARE(rulesOf(actual.violations), QList<ViolationRule>());
    }
    QVERIFY(!run.returnedFalseWithInputLeft);
    QCOMPARE(run.bytesConsumed, quint64(input.size()));
    QVERIFY(run.atFrameBoundary);
}

void tst_FrameParser::violations_data()
{
    QTest::addColumn<ParserSetup>("setup");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("violatingFrame");
    QTest::addColumn<QList<ViolationRule>>("rules");
    QTest::addColumn<QStringList>("sections");
    QTest::addColumn<QStringList>("detailContains");
    QTest::addColumn<QByteArrayList>("payloads");
    QTest::addColumn<bool>("discarded");
    QTest::addColumn<bool>("complete");
    for (const ViolationCase &c : violationCases()) {
        QTest::newRow(c.name.constData()) << c.setup << c.input << c.violatingFrame << c.rules << c.sections
                                          << c.detailContains << c.payloads << c.discarded << c.complete;
    }
}

void tst_FrameParser::violations()
{
    QFETCH(ParserSetup, setup);
    QFETCH(QByteArray, input);
    QFETCH(int, violatingFrame);
    QFETCH(QList<ViolationRule>, rules);
    QFETCH(QStringList, sections);
    QFETCH(QStringList, detailContains);
    QFETCH(QByteArrayList, payloads);
    QFETCH(bool, discarded);
    QFETCH(bool, complete);

    const ParseRun run = parseWhole(setup, input);
    QCOMPARE(run.frames.size(), payloads.size());
    for (qsizetype i = 0; i < run.frames.size(); ++i) {
        const Recorded &frame = run.frames[i];
        QCOMPARE(frame.payload, payloads[i]);
        if (i != violatingFrame) {
            QCOMPARE(rulesOf(frame.violations), QList<ViolationRule>());
            QVERIFY(!frame.payloadDiscarded);
            continue;
        }
        QCOMPARE(rulesOf(frame.violations), rules);
        QStringList actualSections;
        for (const Violation &v : frame.violations) {
            actualSections.append(Violations::rfcSection(v.rule));
            QVERIFY2(!v.detail.isEmpty(), qPrintable(Violations::id(v.rule)));
        }
        QCOMPARE(actualSections, sections);
        for (const QString &part : detailContains)
            QVERIFY2(frame.violations.first().detail.contains(part),
                     qPrintable(frame.violations.first().detail + QStringLiteral(" lacks: ") + part));
        QCOMPARE(frame.payloadDiscarded, discarded);
    }
    QVERIFY(!run.returnedFalseWithInputLeft);
    QCOMPARE(run.bytesConsumed, quint64(input.size()));
    QCOMPARE(run.atFrameBoundary, complete);
}

void tst_FrameParser::cleanFrames_data()
{
    QTest::addColumn<ParserSetup>("setup");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("payloads");
    for (const CleanCase &c : cleanCases())
        QTest::newRow(c.name) << c.setup << c.input << c.payloads;
}

void tst_FrameParser::cleanFrames()
{
    QFETCH(ParserSetup, setup);
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, payloads);

    const ParseRun run = parseWhole(setup, input);
    QCOMPARE(run.frames.size(), payloads.size());
    quint64 offset = 0;
    for (qsizetype i = 0; i < run.frames.size(); ++i) {
        const Recorded &frame = run.frames[i];
        QCOMPARE(rulesOf(frame.violations), QList<ViolationRule>());
        QVERIFY(!frame.payloadDiscarded);
        QCOMPARE(frame.payload, payloads[i]);
        QCOMPARE(frame.streamOffset, offset);
        offset += frame.header.headerLength + frame.header.payloadLength;
    }
    QCOMPARE(offset, quint64(input.size()));
    QCOMPARE(run.bytesConsumed, quint64(input.size()));
    QVERIFY(run.atFrameBoundary);
}

void tst_FrameParser::chunking_data()
{
    QTest::addColumn<ParserSetup>("setup");
    QTest::addColumn<QByteArray>("input");
    for (const ChunkCase &c : allFrameCases())
        QTest::newRow(c.name.constData()) << c.setup << c.input;
}

void tst_FrameParser::chunking()
{
    QFETCH(ParserSetup, setup);
    QFETCH(QByteArray, input);

    const ParseRun reference = parseWhole(setup, input);
    QVERIFY(!reference.frames.isEmpty());
    auto check = [&](const ParseRun &run, const QString &how) {
        const QString diff = difference(run.frames, reference.frames);
        QVERIFY2(diff.isEmpty(), qPrintable(how + QStringLiteral(": ") + diff));
        QVERIFY2(!run.returnedFalseWithInputLeft, qPrintable(how));
        QCOMPARE(run.bytesConsumed, reference.bytesConsumed);
        QCOMPARE(run.atFrameBoundary, reference.atFrameBoundary);
    };

    // Two pieces, split at every byte boundary.
    for (qsizetype split = 1; split < input.size(); ++split) {
        bool first = true;
        check(parseInChunks(setup, input,
                            [&] {
                                const qsizetype size = first ? split : input.size();
                                first = false;
                                return size;
                            }),
              QStringLiteral("split at %1").arg(split));
        if (QTest::currentTestFailed())
            return;
    }

    check(parseInChunks(setup, input, [] { return qsizetype(1); }), QStringLiteral("byte by byte"));
    if (QTest::currentTestFailed())
        return;

    QRandomGenerator rng(0x5eed1234);
    for (int round = 0; round < 50; ++round) {
        const quint32 style = rng.bounded(3u);
        check(parseInChunks(setup, input,
                            [&] {
                                if (style == 0)
                                    return qsizetype(1 + rng.bounded(4u));
                                if (style == 1)
                                    return qsizetype(1 + rng.bounded(20u));
                                return qsizetype(1 + rng.bounded(70000u));
                            }),
              QStringLiteral("random chunking %1").arg(round));
        if (QTest::currentTestFailed())
            return;
    }
}

void tst_FrameParser::partialFrameState()
{
    // Masked "Hello" from the client, fed in pieces: header incomplete, payload incomplete, done.
    const QByteArray wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    FrameParser parser(Endpoint::Client);
    QCOMPARE(parser.sender(), Endpoint::Client);
    QVERIFY(parser.atFrameBoundary());
    QCOMPARE(parser.bytesConsumed(), quint64(0));
    FrameEvent event;

    QByteArrayView empty;
    QVERIFY(!parser.next(empty, event));
    QVERIFY(parser.atFrameBoundary());

    QByteArrayView piece = QByteArrayView(wire).first(3);
    QVERIFY(!parser.next(piece, event));
    QVERIFY(piece.isEmpty());
    QVERIFY(!parser.atFrameBoundary());
    QCOMPARE(parser.bytesConsumed(), quint64(3));

    piece = QByteArrayView(wire).sliced(3, 5);
    QVERIFY(!parser.next(piece, event));
    QVERIFY(piece.isEmpty());
    QVERIFY(!parser.atFrameBoundary());
    QCOMPARE(parser.bytesConsumed(), quint64(8));

    // The rest, plus the first byte of the next frame: the frame completes and that byte stays in the view.
    const QByteArray rest = wire.sliced(8) + hex("89");
    piece = QByteArrayView(rest);
    QVERIFY(parser.next(piece, event));
    QCOMPARE(event.payload.toByteArray(), QByteArrayLiteral("Hello"));
    QCOMPARE(piece.size(), qsizetype(1));
    QCOMPARE(parser.bytesConsumed(), quint64(11));
    QVERIFY(parser.atFrameBoundary());

    QVERIFY(!parser.next(piece, event));
    QVERIFY(piece.isEmpty());
    QVERIFY(!parser.atFrameBoundary());
    QCOMPARE(parser.bytesConsumed(), quint64(12));

    QCOMPARE(parser.allowedReservedBits(), quint8(0));
    parser.setAllowedReservedBits(0x4);
    QCOMPARE(parser.allowedReservedBits(), quint8(0x4));
}

void tst_FrameParser::frameAboveLimitRefusedAtHeaderTime()
{
    ProtocolLimits limits;
    limits.maxFramePayload = 1000;
    FrameParser parser(Endpoint::Server, limits);
    FrameEvent event;

    // 2000 bytes declared: the event must come with the last header byte, before any payload byte arrives.
    const QByteArray head = hex("82 7e 07 d0");
    for (qsizetype i = 0; i < head.size(); ++i) {
        QByteArrayView one = QByteArrayView(head).sliced(i, 1);
        const bool complete = parser.next(one, event);
        QCOMPARE(complete, i == head.size() - 1);
        QVERIFY(one.isEmpty());
    }
    QCOMPARE(event.header.payloadLength, quint64(2000));
    QCOMPARE(event.header.lengthEncoding, LengthEncoding::Bits16);
    QVERIFY(event.payloadDiscarded);
    QVERIFY(event.payload.isEmpty());
    QCOMPARE(rulesOf(event.violations), QList<ViolationRule>{ViolationRule::FrameTooLarge});
    QCOMPARE(event.streamOffset, quint64(0));
    QCOMPARE(parser.bytesConsumed(), quint64(4));
    QVERIFY(!parser.atFrameBoundary());

    // The declared payload is skipped as it comes, in odd pieces; nothing is reported for it.
    const QByteArray junk = pattern(2000);
    for (qsizetype pos = 0; pos < junk.size(); pos += 7) {
        QByteArrayView piece = QByteArrayView(junk).sliced(pos, std::min<qsizetype>(7, junk.size() - pos));
        QVERIFY(!parser.next(piece, event));
        QVERIFY(piece.isEmpty());
    }
    QVERIFY(parser.atFrameBoundary());
    QCOMPARE(parser.bytesConsumed(), quint64(2004));

    // The next frame is parsed as usual.
    const QByteArray next = hex("81 05 48 65 6c 6c 6f");
    QByteArrayView view(next);
    QVERIFY(parser.next(view, event));
    QCOMPARE(event.header, header(true, 0x1, 5, LengthEncoding::Bits7));
    QCOMPARE(event.payload.toByteArray(), QByteArrayLiteral("Hello"));
    QCOMPARE(event.streamOffset, quint64(2004));
    QVERIFY(event.violations.isEmpty());
    QVERIFY(!event.payloadDiscarded);
}

void tst_FrameParser::hostileDeclaredLength_data()
{
    QTest::addColumn<Endpoint>("sender");
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<quint64>("declared");
    QTest::addColumn<QList<ViolationRule>>("rules");

    QTest::newRow("2^63 from the server")
        << Endpoint::Server << hex("82 7f 80 00 00 00 00 00 00 00") << quint64(0x8000000000000000ull)
        << QList<ViolationRule>{ViolationRule::LengthHighBitSet, ViolationRule::FrameTooLarge};
    QTest::newRow("2^64-1 from the server")
        << Endpoint::Server << hex("82 7f ff ff ff ff ff ff ff ff") << std::numeric_limits<quint64>::max()
        << QList<ViolationRule>{ViolationRule::LengthHighBitSet, ViolationRule::FrameTooLarge};
    QTest::newRow("2^63 masked from the client")
        << Endpoint::Client << hex("82 ff 80 00 00 00 00 00 00 00 37 fa 21 3d") << quint64(0x8000000000000000ull)
        << QList<ViolationRule>{ViolationRule::LengthHighBitSet, ViolationRule::FrameTooLarge};
    QTest::newRow("10 GB from the server")
        << Endpoint::Server << hex("82 7f 00 00 00 02 54 0b e4 00") << quint64(10'000'000'000ull)
        << QList<ViolationRule>{ViolationRule::FrameTooLarge};
    QTest::newRow("10 GB masked from the client")
        << Endpoint::Client << hex("82 ff 00 00 00 02 54 0b e4 00 37 fa 21 3d") << quint64(10'000'000'000ull)
        << QList<ViolationRule>{ViolationRule::FrameTooLarge};
}

void tst_FrameParser::hostileDeclaredLength()
{
    QFETCH(Endpoint, sender);
    QFETCH(QByteArray, head);
    QFETCH(quint64, declared);
    QFETCH(QList<ViolationRule>, rules);

    FrameParser parser(sender);
    FrameEvent event;
    // Only the header, a byte at a time: the refusal must come with its last byte, not after payload bytes.
    for (qsizetype i = 0; i < head.size(); ++i) {
        QByteArrayView one = QByteArrayView(head).sliced(i, 1);
        QCOMPARE(parser.next(one, event), i == head.size() - 1);
        QVERIFY(one.isEmpty());
    }
    QCOMPARE(parser.bytesConsumed(), quint64(head.size()));
    QCOMPARE(event.header.payloadLength, declared);
    QCOMPARE(event.header.headerLength, quint8(head.size()));
    QVERIFY(event.payloadDiscarded);
    QVERIFY(event.payload.isEmpty());
    QCOMPARE(rulesOf(event.violations), rules);

    // 64 MiB more in 1 MiB chunks: all skipped, no frame, no memory kept for them.
    const QByteArray chunk(1024 * 1024, '\x5a');
    const qint64 residentBefore = test::residentBytes();
    for (int i = 0; i < 64; ++i) {
        QByteArrayView piece(chunk);
        QVERIFY2(!parser.next(piece, event), "a frame appeared inside the skipped payload");
        QVERIFY(piece.isEmpty());
    }
    QCOMPARE(parser.bytesConsumed(), quint64(head.size()) + 64ull * 1024 * 1024);
    QVERIFY(!parser.atFrameBoundary());
    const qint64 residentAfter = test::residentBytes();
    if (test::residentMemoryIsMeaningful()) {
        QVERIFY2(residentAfter - residentBefore < 8 * 1024 * 1024,
                 qPrintable(QStringLiteral("resident memory grew by %1 bytes").arg(residentAfter - residentBefore)));
    }
}

void tst_FrameParser::tenGigabytePayloadIsSkippedWithoutStoring()
{
    // Skipping costs nothing but arithmetic, so the whole 10 GB can go by, followed by a normal frame.
    constexpr quint64 declared = 10'000'000'000ull;
    constexpr qsizetype chunkSize = 1024 * 1024;
    FrameParser parser(Endpoint::Server);
    FrameEvent event;
    const QByteArray head = hex("82 7f 00 00 00 02 54 0b e4 00");
    QByteArrayView view(head);
    QVERIFY(parser.next(view, event));
    QVERIFY(event.payloadDiscarded);

    const QByteArray chunk(chunkSize, '\0');
    quint64 left = declared;
    while (left >= quint64(chunkSize)) {
        QByteArrayView piece(chunk);
        QVERIFY(!parser.next(piece, event));
        left -= quint64(chunkSize);
    }
    const QByteArray tail = QByteArray(qsizetype(left), '\0') + hex("81 05 48 65 6c 6c 6f");
    QByteArrayView piece(tail);
    QVERIFY(parser.next(piece, event));
    QVERIFY(piece.isEmpty());
    QCOMPARE(event.streamOffset, quint64(head.size()) + declared);
    QCOMPARE(event.header, header(true, 0x1, 5, LengthEncoding::Bits7));
    QCOMPARE(event.payload.toByteArray(), QByteArrayLiteral("Hello"));
    QVERIFY(event.violations.isEmpty());
    QVERIFY(parser.atFrameBoundary());
}

void tst_FrameParser::roundTrip_data()
{
    QTest::addColumn<Endpoint>("writerEnd");
    QTest::addColumn<Endpoint>("parserEnd");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("client frames, client parser") << Endpoint::Client << Endpoint::Client << 1u;
    QTest::newRow("server frames, server parser") << Endpoint::Server << Endpoint::Server << 2u;
    QTest::newRow("client frames, server parser") << Endpoint::Client << Endpoint::Server << 3u;
    QTest::newRow("server frames, client parser") << Endpoint::Server << Endpoint::Client << 4u;
}

void tst_FrameParser::roundTrip()
{
    QFETCH(Endpoint, writerEnd);
    QFETCH(Endpoint, parserEnd);
    QFETCH(quint32, seed);

    struct Written {
        FrameHeader header;
        QByteArray payload;
        quint64 offset;
        bool forcedEncoding;
    };

    QRandomGenerator content(seed);
    QRandomGenerator keys(seed + 1000);
    FrameWriter writer(writerEnd);
    writer.setKeyGenerator(&keys);

    constexpr int frameCount = 6000;
    QByteArray stream;
    QList<Written> written;
    written.reserve(frameCount);
    int large = 0;
    int forced = 0;
    int maskedCount = 0;
    for (int i = 0; i < frameCount; ++i) {
        FrameSpec spec;
        spec.fin = content.bounded(2u) != 0;
        spec.rsv1 = content.bounded(4u) == 0;
        spec.rsv2 = content.bounded(8u) == 0;
        spec.rsv3 = content.bounded(8u) == 0;
        spec.opcode = quint8(content.bounded(16u));
        if (content.bounded(6u) == 0)
            spec.masked = content.bounded(2u) != 0;
        const quint32 sizeClass = content.bounded(100u);
        qsizetype size;
        if (sizeClass < 90)
            size = qsizetype(content.bounded(126u));
        else if (sizeClass < 96)
            size = qsizetype(content.bounded(126u, 70001u));
        else
            size = qsizetype(content.bounded(0u, 65536u));
        const bool forceEncoding = sizeClass >= 96;
        if (forceEncoding)
            spec.lengthEncoding =
                size < 126 && content.bounded(2u) == 0 ? LengthEncoding::Bits16 : LengthEncoding::Bits64;
        large += size >= 126 ? 1 : 0;
        forced += forceEncoding ? 1 : 0;

        QList<quint32> words((size + 3) / 4);
        content.fillRange(words.data(), words.size());
        const QByteArray payload(reinterpret_cast<const char *>(words.constData()), size);
        const quint64 offset = quint64(stream.size());
        const FrameHeader h = writer.append(stream, spec, payload);
        maskedCount += h.masked ? 1 : 0;
        written.append({h, payload, offset, forceEncoding});
    }
    // The mix is what the test claims it is.
    QVERIFY(large > 200);
    QVERIFY(forced > 100);
    QVERIFY(maskedCount > 0 && maskedCount < frameCount);

    FrameParser parser(parserEnd);
    parser.setAllowedReservedBits(0x7);
    QRandomGenerator chunking(seed + 2000);
    FrameEvent event;
    qsizetype pos = 0;
    qsizetype parsed = 0;
    QByteArray chunk;
    const QSet<int> defined{0x0, 0x1, 0x2, 0x8, 0x9, 0xA};
    while (pos < stream.size()) {
        const quint32 style = chunking.bounded(10u);
        qsizetype size =
            style < 4 ? qsizetype(1 + chunking.bounded(16u))
                      : (style < 9 ? qsizetype(1 + chunking.bounded(2048u)) : qsizetype(1 + chunking.bounded(200000u)));
        size = std::min(size, stream.size() - pos);
        chunk = stream.sliced(pos, size);
        QByteArrayView view(chunk);
        while (parser.next(view, event)) {
            QVERIFY(parsed < written.size());
            const Written &w = written[parsed];
            QCOMPARE(event.header, w.header);
            QVERIFY2(event.payload.toByteArray() == w.payload,
                     qPrintable(QStringLiteral("payload of frame %1").arg(parsed)));
            QCOMPARE(event.streamOffset, w.offset);
            QVERIFY(!event.payloadDiscarded);

            // The violations a frame must carry, derived from how it was written.
            const quint8 op = w.header.opcode;
            const bool control = op >= 0x8;
            QList<ViolationRule> expected;
            if (!defined.contains(op))
                expected.append(ViolationRule::UnknownOpcode);
            if (w.header.rsv1 && (control || op == 0))
                expected.append(ViolationRule::CompressedBitOnControlOrContinuation);
            if (control && w.header.payloadLength > 125)
                expected.append(ViolationRule::ControlFrameTooLong);
            if (control && !w.header.fin)
                expected.append(ViolationRule::FragmentedControlFrame);
            if (w.forcedEncoding)
                expected.append(ViolationRule::NonMinimalLength);
            if (parserEnd == Endpoint::Server && w.header.masked)
                expected.append(ViolationRule::MaskedFrameFromServer);
            if (parserEnd == Endpoint::Client && !w.header.masked)
                expected.append(ViolationRule::UnmaskedFrameFromClient);
            QCOMPARE(rulesOf(event.violations), expected);
            ++parsed;
        }
        QVERIFY(view.isEmpty());
        chunk.fill('\xee');
        pos += size;
    }
    QCOMPARE(parsed, written.size());
    QCOMPARE(parser.bytesConsumed(), quint64(stream.size()));
    QVERIFY(parser.atFrameBoundary());
}

void tst_FrameParser::payloadWrittenDirectly_data()
{
    QTest::addColumn<bool>("masked");
    QTest::addColumn<int>("piece");
    QTest::newRow("server frame, 1000-byte pieces") << false << 1000;
    QTest::newRow("client frame, 777-byte pieces (key phase moves)") << true << 777;
    QTest::newRow("client frame, 1-byte pieces") << true << 1;
}

// A payload split across reads can be written straight into the parser's buffer (payloadSpace / payloadWritten):
// the frame that comes out is the same as when the bytes go through next().
void tst_FrameParser::payloadWrittenDirectly()
{
    QFETCH(bool, masked);
    QFETCH(int, piece);
    const Endpoint sender = masked ? Endpoint::Client : Endpoint::Server;
    const QByteArray payload = pattern(70000);
    FrameWriter writer(sender);
    FrameSpec spec;
    spec.opcode = 0x2;
    spec.maskingKey = MaskingKey{0x11, 0x22, 0x33, 0x44};
    const QByteArray wire = writer.frame(spec, payload);
    const qsizetype headerSize = masked ? 14 : 10;

    FrameParser parser(sender);
    FrameEvent event;
    qsizetype granted = 0;
    QVERIFY(!parser.payloadSpace(100, &granted)); // nothing is being assembled yet
    QCOMPARE(granted, 0);
    // The header and the first 5 payload bytes arrive through next().
    QByteArrayView head = QByteArrayView(wire).first(headerSize + 5);
    QVERIFY(!parser.next(head, event));
    QVERIFY(parser.insidePayload());
    qsizetype at = headerSize + 5;
    bool complete = false;
    while (!complete) {
        char *space = parser.payloadSpace(piece, &granted);
        QVERIFY(space);
        QVERIFY(granted > 0 && granted <= piece);
        QVERIFY(at + granted <= wire.size()); // never more than the payload still lacks
        std::memcpy(space, wire.constData() + at, size_t(granted));
        at += granted;
        complete = parser.payloadWritten(granted, event);
    }
    QCOMPARE(at, wire.size());
    QCOMPARE(event.payload.toByteArray(), payload);
    QCOMPARE(event.header.payloadLength, quint64(payload.size()));
    QVERIFY(event.violations.isEmpty());
    QCOMPARE(parser.bytesConsumed(), quint64(wire.size()));
    QVERIFY(parser.atFrameBoundary());
    QVERIFY(!parser.payloadSpace(100, &granted));

    // A short write (the socket gave less than granted) is fine too.
    QByteArrayView again = QByteArrayView(wire).first(headerSize);
    QVERIFY(!parser.next(again, event));
    char *space = parser.payloadSpace(payload.size(), &granted);
    QCOMPARE(granted, payload.size());
    std::memcpy(space, wire.constData() + headerSize, 10);
    QVERIFY(!parser.payloadWritten(10, event));
    QByteArrayView rest = QByteArrayView(wire).sliced(headerSize + 10);
    QVERIFY(parser.next(rest, event));
    QCOMPARE(event.payload.toByteArray(), payload);
}

void tst_FrameParser::payloadAssembledInCallerMemory_data()
{
    QTest::addColumn<bool>("masked");
    QTest::addColumn<bool>("directWrites");
    QTest::newRow("server frame through next()") << false << false;
    QTest::newRow("client frame through next()") << true << false;
    QTest::newRow("client frame, direct writes") << true << true;
}

// redirectPayload(): the rest of a split payload is assembled in the caller's memory, the bytes received before are
// moved there, and the frame's payload is a view of that memory.
void tst_FrameParser::payloadAssembledInCallerMemory()
{
    QFETCH(bool, masked);
    QFETCH(bool, directWrites);
    const Endpoint sender = masked ? Endpoint::Client : Endpoint::Server;
    const QByteArray payload = pattern(300000);
    FrameSpec spec;
    spec.opcode = 0x2;
    spec.maskingKey = MaskingKey{0xa0, 0xb1, 0xc2, 0xd3};
    const QByteArray wire = FrameWriter(sender).frame(spec, payload);

    FrameParser parser(sender);
    FrameEvent event;
    QCOMPARE(parser.payloadInProgressLength(), quint64(0));
    QVERIFY(!parser.redirectPayload(nullptr));
    QByteArrayView first = QByteArrayView(wire).first(1003);
    QVERIFY(!parser.next(first, event));
    QCOMPARE(parser.payloadInProgressLength(), quint64(payload.size()));

    QByteArray destination(payload.size(), '\0');
    QVERIFY(parser.redirectPayload(destination.data()));
    QVERIFY(parser.payloadRedirected());
    QVERIFY(!parser.redirectPayload(destination.data())); // once per frame

    qsizetype at = 1003;
    bool complete = false;
    while (!complete) {
        const qsizetype piece = std::min<qsizetype>(65536, wire.size() - at);
        if (directWrites) {
            qsizetype granted = 0;
            char *space = parser.payloadSpace(piece, &granted);
            QVERIFY(space >= destination.data() && space + granted <= destination.data() + destination.size());
            std::memcpy(space, wire.constData() + at, size_t(granted));
            at += granted;
            complete = parser.payloadWritten(granted, event);
        } else {
            QByteArrayView rest = QByteArrayView(wire).sliced(at, piece);
            at += piece;
            complete = parser.next(rest, event);
        }
    }
    // A view of the caller's memory (pointers compared: QCOMPARE on two char pointers compares C strings).
    QCOMPARE(static_cast<const void *>(event.payload.data()), static_cast<const void *>(destination.constData()));
    QCOMPARE(event.payload.toByteArray(), payload);
    QCOMPARE(destination, payload); // unmasked in place
    QVERIFY(!parser.payloadRedirected());

    // The next frame is assembled in the parser's own buffer again.
    const QByteArray small = FrameWriter(sender).frame(spec, "next");
    QByteArrayView rest(small);
    QVERIFY(parser.next(rest, event));
    QCOMPARE(event.payload, QByteArrayView("next"));
}

// setStopBeforePayloadsFrom(): where a large payload begins that the input holds only part of, next() returns with
// the payload's first bytes still in the input, so that they can go straight to the caller's memory.
void tst_FrameParser::stopsBeforeALargePayloadForTheCallerToRedirect()
{
    const QByteArray payload = pattern(300000);
    const QByteArray small = FrameWriter(Endpoint::Server).binary("small");
    const QByteArray large = FrameWriter(Endpoint::Server).binary(payload);
    const QByteArray wire = small + large + small;
    const qsizetype largeHeader = large.size() - payload.size();

    FrameParser parser(Endpoint::Server);
    parser.setStopBeforePayloadsFrom(256 * 1024);
    FrameEvent event;
    QByteArrayView input = QByteArrayView(wire).first(small.size() + largeHeader + 5000);
    QVERIFY(parser.next(input, event)); // frames before it come out as usual
    QCOMPARE(event.payload, QByteArrayView("small"));
    QVERIFY(!parser.next(input, event));
    QCOMPARE(input.size(), 5000); // the payload's first bytes, not consumed
    QCOMPARE(static_cast<const void *>(input.data()),
             static_cast<const void *>(wire.constData() + small.size() + largeHeader));
    QCOMPARE(parser.payloadInProgressLength(), quint64(payload.size()));

    QByteArray destination(payload.size(), '\0');
    QVERIFY(parser.redirectPayload(destination.data()));
    QVERIFY(!parser.next(input, event)); // now they are taken
    QVERIFY(input.isEmpty());
    QByteArrayView rest = QByteArrayView(wire).sliced(small.size() + largeHeader + 5000);
    QVERIFY(parser.next(rest, event));
    QCOMPARE(static_cast<const void *>(event.payload.data()), static_cast<const void *>(destination.constData()));
    QCOMPARE(event.payload.toByteArray(), payload);
    QVERIFY(parser.next(rest, event));
    QCOMPARE(event.payload, QByteArrayView("small"));

    // Not stopped: a large payload wholly in the input, and one below the threshold.
    FrameParser whole(Endpoint::Server);
    whole.setStopBeforePayloadsFrom(256 * 1024);
    QByteArrayView all(large);
    QVERIFY(whole.next(all, event));
    QCOMPARE(event.payload.size(), payload.size());
    FrameParser below(Endpoint::Server);
    below.setStopBeforePayloadsFrom(quint64(payload.size()) + 1);
    QByteArrayView part = QByteArrayView(large).first(largeHeader + 5000);
    QVERIFY(!below.next(part, event));
    QVERIFY(part.isEmpty());
}

QTEST_GUILESS_MAIN(tst_FrameParser)
#include "tst_frameparser.moc"
