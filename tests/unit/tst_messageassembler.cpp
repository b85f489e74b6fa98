// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtocolPrinters.h"
#include "ResidentMemory.h"
#include "WireBytes.h"
#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/MessageAssembler.h"
#include "core/protocol/MessageDeflater.h"
#include "core/protocol/Violation.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wsi;
using wsi::test::hex;
using wsi::test::masked;
using wsi::test::pattern;
using wsi::test::toHex;

namespace {

using Output = MessageAssembler::Output;

constexpr quint8 continuation = 0x0;
constexpr quint8 text = 0x1;
constexpr quint8 binary = 0x2;
constexpr quint8 closeOp = 0x8;
constexpr quint8 ping = 0x9;
constexpr quint8 pong = 0xA;

// A frame event built field by field, so most of these tests do not depend on the parser. The payload view must
// outlive the push: pass a local or a temporary that lives until the end of the full expression.
FrameEvent frame(quint8 opcode, QByteArrayView payload, bool fin = true, bool rsv1 = false, quint64 offset = 0)
{
    FrameEvent event;
    event.header.fin = fin;
    event.header.rsv1 = rsv1;
    event.header.opcode = opcode;
    event.header.payloadLength = quint64(payload.size());
    event.payload = payload;
    event.streamOffset = offset;
    return event;
}

Output push(MessageAssembler &assembler, const FrameEvent &event)
{
    Output out;
    assembler.push(event, out);
    return out;
}

QList<ViolationRule> rulesOf(const ViolationList &violations)
{
    QList<ViolationRule> rules;
    for (const Violation &v : violations)
        rules.append(v.rule);
    return rules;
}

QList<ViolationRule> none()
{
    return {};
}

// The outputs of pushing every frame of `wire` through a parser for `sender` and then the assembler. Frame-level
// violations found by the parser are collected in *frameRules.
QList<Output> feedWire(MessageAssembler &assembler, QByteArrayView wire, Endpoint sender, quint8 allowedReservedBits,
                       QList<ViolationRule> *frameRules = nullptr)
{
    FrameParser parser(sender);
    parser.setAllowedReservedBits(allowedReservedBits);
    QList<Output> outputs;
    FrameEvent event;
    Output out;
    while (parser.next(wire, event)) {
        if (frameRules)
            *frameRules += rulesOf(event.violations);
        assembler.push(event, out);
        outputs.append(out);
    }
    return outputs;
}

QByteArray utf8(const char16_t *characters)
{
    return QString::fromUtf16(characters).toUtf8();
}

} // namespace

Q_DECLARE_METATYPE(wsi::ViolationRule)

class tst_MessageAssembler final : public QObject
{
    Q_OBJECT

private slots:
    void singleFrame_data();
    void singleFrame();
    void fragmentedWithControlFrames_data();
    void fragmentedWithControlFrames();
    void continuationWithoutStart();
    void dataFrameInsideFragmentedMessage();
    void dataFrameInsideFragmentedMessageStartsAFragmentedOne();
    void undefinedOpcodesAreIgnored();
    void validUtf8SplitAtEveryPosition();
    void invalidUtf8ReportedAtEarliestFragment_data();
    void invalidUtf8ReportedAtEarliestFragment();
    void truncatedUtf8AtMessageEnd_data();
    void truncatedUtf8AtMessageEnd();
    void binaryIsNotValidated();
    void closePayload_data();
    void closePayload();
    void dataAfterClose();
    void messageTooLarge_data();
    void messageTooLarge();
    void droppedMessageReleasesItsMemory();
    void frameRefusedByParserDropsMessage();
    void deflateRfcExamples_data();
    void deflateRfcExamples();
    void deflateWithoutContextTakeover();
    void badCompressedData();
    void badCompressedDataInFirstFragment();
    void compressedMessageInterruptedByNewOne();
    void inflatedMessageTooLarge_data();
    void inflatedMessageTooLarge();
    void invalidUtf8AfterInflation();
    void compressedBitWithoutDeflateIsKeptRaw();
    void deflaterRoundTrip();
};

void tst_MessageAssembler::singleFrame_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("isText");
    QTest::newRow("text 'Hello'") << int(text) << QByteArrayLiteral("Hello") << true;
    QTest::newRow("text with multi-byte characters") << int(text) << utf8(u"h\u00e9llo \u20ac \U0001F600") << true;
    QTest::newRow("empty text") << int(text) << QByteArray() << true;
    QTest::newRow("binary") << int(binary) << hex("00 ff 80 c0 ed a0 80") << false;
    QTest::newRow("empty binary") << int(binary) << QByteArray() << false;
}

void tst_MessageAssembler::singleFrame()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(bool, isText);

    MessageAssembler assembler(Endpoint::Server);
    QVERIFY(!assembler.deflateEnabled());
    const Output out = push(assembler, frame(quint8(opcode), payload));
    QCOMPARE(rulesOf(out.violations), none());
    QVERIFY(!out.messageDropped);
    QVERIFY(!out.close);
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->type, isText ? MessageType::Text : MessageType::Binary);
    QCOMPARE(out.message->payload, payload);
    QCOMPARE(out.message->frameCount, 1);
    QCOMPARE(out.message->wireLength, quint64(payload.size()));
    QVERIFY(!out.message->compressed);
    QVERIFY(!assembler.inMessage());
    QVERIFY(!assembler.closeReceived());
}

void tst_MessageAssembler::fragmentedWithControlFrames_data()
{
    QTest::addColumn<int>("fragments");
    QTest::addColumn<bool>("isText");
    QTest::addColumn<QByteArrayList>("controlBetween"); // "ping", "pong" pushed after every non-final fragment

    QTest::newRow("3 text fragments") << 3 << true << QByteArrayList();
    QTest::newRow("3 text fragments, ping between") << 3 << true << QByteArrayList{"ping"};
    QTest::newRow("3 binary fragments, ping and pong between") << 3 << false << QByteArrayList{"ping", "pong"};
    QTest::newRow("100 text fragments") << 100 << true << QByteArrayList();
    QTest::newRow("100 text fragments, ping and pong between") << 100 << true << QByteArrayList{"ping", "pong"};
    QTest::newRow("100 binary fragments, pong between") << 100 << false << QByteArrayList{"pong"};
}

void tst_MessageAssembler::fragmentedWithControlFrames()
{
    QFETCH(int, fragments);
    QFETCH(bool, isText);
    QFETCH(QByteArrayList, controlBetween);

    // Fragments of different sizes (1 to 7 bytes) with multi-byte characters cut at varying places.
    const QByteArray unit = utf8(u"ab\u00e9\u20ac\U0001F600");
    QByteArrayList parts;
    QByteArray whole;
    qsizetype pos = 0;
    const QByteArray source = unit.repeated(fragments * 2);
    for (int i = 0; i < fragments; ++i) {
        const qsizetype size = 1 + i % 7;
        parts.append(source.sliced(pos, size));
        whole += parts.last();
        pos += size;
    }
    // End on a character boundary, so the message as a whole is valid.
    while (pos % unit.size() != 0) {
        parts.last() += source.at(pos);
        whole += source.at(pos);
        ++pos;
    }

    MessageAssembler assembler(Endpoint::Server);
    Output out; // reused on purpose: push() must clear it
    quint64 offset = 0;
    for (int i = 0; i < fragments; ++i) {
        const bool last = i == fragments - 1;
        assembler.push(frame(i == 0 ? (isText ? text : binary) : continuation, parts[i], last, false, offset), out);
        offset += 2 + quint64(parts[i].size());
        QCOMPARE(rulesOf(out.violations), none());
        QVERIFY(!out.messageDropped);
        QVERIFY(!out.close);
        if (last)
            break;
        QVERIFY2(!out.message, qPrintable(QStringLiteral("message completed early, at fragment %1").arg(i)));
        QVERIFY(assembler.inMessage());
        for (const QByteArray &control : controlBetween) {
            const QByteArray payload = QByteArrayLiteral("keepalive");
            assembler.push(frame(control == "ping" ? ping : pong, payload, true, false, offset), out);
            offset += 2 + quint64(payload.size());
            QCOMPARE(rulesOf(out.violations), none());
            QVERIFY(!out.message);
            QVERIFY(!out.close);
            QVERIFY(!out.messageDropped);
            QVERIFY(assembler.inMessage());
        }
    }
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->type, isText ? MessageType::Text : MessageType::Binary);
    QCOMPARE(out.message->payload, whole);
    QCOMPARE(out.message->frameCount, fragments);
    QCOMPARE(out.message->wireLength, quint64(whole.size()));
    QVERIFY(!assembler.inMessage());

    // The reused Output is cleared by the next push.
    assembler.push(frame(ping, {}), out);
    QVERIFY(!out.message);
}

void tst_MessageAssembler::continuationWithoutStart()
{
    MessageAssembler assembler(Endpoint::Client);
    const QByteArray payload = QByteArrayLiteral("orphan");
    Output out = push(assembler, frame(continuation, payload, true, false, 42));
    QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::ContinuationWithoutStart});
    QCOMPARE(Violations::rfcSection(out.violations[0].rule), QStringLiteral("RFC 6455 §5.4"));
    QVERIFY2(out.violations[0].detail.contains(QStringLiteral("42")), qPrintable(out.violations[0].detail));
    QVERIFY(!out.message);
    QVERIFY(!out.messageDropped);
    QVERIFY(!assembler.inMessage());

    // A non-final one too, and one right after a completed message.
    out = push(assembler, frame(continuation, payload, false));
    QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::ContinuationWithoutStart});
    QVERIFY(!assembler.inMessage());
    out = push(assembler, frame(text, QByteArrayLiteral("done")));
    QVERIFY(out.message);
    QCOMPARE(rulesOf(out.violations), none());
    out = push(assembler, frame(continuation, payload));
    QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::ContinuationWithoutStart});
    QVERIFY(!out.message);

    // The assembler is not confused afterwards.
    out = push(assembler, frame(binary, QByteArrayLiteral("ok")));
    QCOMPARE(rulesOf(out.violations), none());
    QVERIFY(out.message);
    QCOMPARE(out.message->payload, QByteArrayLiteral("ok"));
}

void tst_MessageAssembler::dataFrameInsideFragmentedMessage()
{
    MessageAssembler assembler(Endpoint::Server);
    Output out = push(assembler, frame(text, QByteArrayLiteral("abc"), false));
    QVERIFY(out.violations.isEmpty());
    out = push(assembler, frame(continuation, QByteArrayLiteral("def"), false));
    QVERIFY(out.violations.isEmpty());

    out = push(assembler, frame(binary, QByteArrayLiteral("xyz")));
    QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::DataFrameInsideFragmentedMessage});
    QCOMPARE(Violations::rfcSection(out.violations[0].rule), QStringLiteral("RFC 6455 §5.4"));
    QVERIFY2(out.violations[0].detail.contains(QStringLiteral("2 frames")), qPrintable(out.violations[0].detail));
    QVERIFY(out.messageDropped);
    // The new message proceeds on its own, without the old one's bytes.
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->type, MessageType::Binary);
    QCOMPARE(out.message->payload, QByteArrayLiteral("xyz"));
    QCOMPARE(out.message->frameCount, 1);
    QCOMPARE(out.message->wireLength, quint64(3));
    QVERIFY(!assembler.inMessage());
}

void tst_MessageAssembler::dataFrameInsideFragmentedMessageStartsAFragmentedOne()
{
    MessageAssembler assembler(Endpoint::Server);
    push(assembler, frame(binary, hex("01 02"), false));
    Output out = push(assembler, frame(text, QByteArrayLiteral("new "), false));
    QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::DataFrameInsideFragmentedMessage});
    QVERIFY(out.messageDropped);
    QVERIFY(!out.message);
    QVERIFY(assembler.inMessage());
    out = push(assembler, frame(continuation, QByteArrayLiteral("message")));
    QCOMPARE(rulesOf(out.violations), none());
    QVERIFY(!out.messageDropped);
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->type, MessageType::Text);
    QCOMPARE(out.message->payload, QByteArrayLiteral("new message"));
    QCOMPARE(out.message->frameCount, 2);
    QCOMPARE(out.message->wireLength, quint64(11));
}

void tst_MessageAssembler::undefinedOpcodesAreIgnored()
{
    // The parser reports reserved opcodes; they must not disturb a message in progress.
    MessageAssembler assembler(Endpoint::Server);
    push(assembler, frame(text, QByteArrayLiteral("He"), false));
    for (quint8 op : {quint8(0x3), quint8(0x7), quint8(0xB), quint8(0xF)}) {
        const Output out = push(assembler, frame(op, QByteArrayLiteral("??"), true));
        QCOMPARE(rulesOf(out.violations), none());
        QVERIFY(!out.message);
        QVERIFY(!out.messageDropped);
        QVERIFY(assembler.inMessage());
    }
    const Output out = push(assembler, frame(continuation, QByteArrayLiteral("llo")));
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->payload, QByteArrayLiteral("Hello"));
    QCOMPARE(out.message->frameCount, 2);
}

void tst_MessageAssembler::validUtf8SplitAtEveryPosition()
{
    // 1-, 2-, 3- and 4-byte characters: every cut falls somewhere inside or between them.
    const QByteArray message = utf8(u"a\u00e9\u20ac\U0001F600z\u07ff\uffff\U0010FFFF");
    MessageAssembler assembler(Endpoint::Server);
    for (qsizetype i = 0; i <= message.size(); ++i) {
        for (qsizetype j = i; j <= message.size(); ++j) {
            const QByteArray a = message.first(i);
            const QByteArray b = message.sliced(i, j - i);
            const QByteArray c = message.sliced(j);
            const Output first = push(assembler, frame(text, a, false));
            const Output second = push(assembler, frame(continuation, b, false));
            const Output third = push(assembler, frame(continuation, c, true));
            const QString where = QStringLiteral("cut at %1 and %2").arg(i).arg(j);
            QVERIFY2(first.violations.isEmpty() && second.violations.isEmpty() && third.violations.isEmpty(),
                     qPrintable(where));
            QVERIFY2(third.message.has_value(), qPrintable(where));
            QCOMPARE(third.message->payload, message);
        }
        // Two fragments as well.
        const Output first = push(assembler, frame(text, message.first(i), false));
        const Output second = push(assembler, frame(continuation, message.sliced(i), true));
        QVERIFY(first.violations.isEmpty());
        QVERIFY2(second.violations.isEmpty(), qPrintable(QStringLiteral("cut at %1").arg(i)));
        QVERIFY(second.message.has_value());
        QCOMPARE(second.message->payload, message);
    }
}

void tst_MessageAssembler::invalidUtf8ReportedAtEarliestFragment_data()
{
    QTest::addColumn<QByteArrayList>("fragments");
    QTest::addColumn<int>("reportedAt"); // index of the fragment whose Output must carry the violation
    QTest::addColumn<int>("offset");     // offset of the offending byte in the whole message
    QTest::addColumn<QString>("byte");

    QTest::newRow("surrogate ED A0 inside fragment 1 of 3")
        << QByteArrayList{hex("61 62 ed a0 80"), QByteArrayLiteral("cd"), QByteArrayLiteral("ef")} << 0 << 3
        << QStringLiteral("0xa0");
    QTest::newRow("ED A0 ending fragment 1 of 3")
        << QByteArrayList{hex("61 62 ed a0"), hex("80"), QByteArrayLiteral("x")} << 0 << 3 << QStringLiteral("0xa0");
    QTest::newRow("ED ending fragment 1, A0 starting fragment 2")
        << QByteArrayList{hex("61 62 ed"), hex("a0 80"), QByteArrayLiteral("x")} << 1 << 3 << QStringLiteral("0xa0");
    QTest::newRow("overlong C0 AF in fragment 2")
        << QByteArrayList{QByteArrayLiteral("hello "), hex("77 c0 af 72 6c 64"), QByteArrayLiteral("!")} << 1 << 7
        << QStringLiteral("0xc0");
    QTest::newRow("overlong E0 80 across fragments 1 and 2")
        << QByteArrayList{hex("41 e0"), hex("80 80"), QByteArrayLiteral("x")} << 1 << 2 << QStringLiteral("0x80");
    QTest::newRow("stray continuation byte starting fragment 3")
        << QByteArrayList{QByteArrayLiteral("abc"), QByteArrayLiteral("def"), hex("80 67 68")} << 2 << 6
        << QStringLiteral("0x80");
    QTest::newRow("above U+10FFFF: F4 90 across fragments")
        << QByteArrayList{hex("f4"), hex("90 80 80")} << 1 << 1 << QStringLiteral("0x90");
    QTest::newRow("F5 lead byte in a single frame") << QByteArrayList{hex("78 f5")} << 0 << 1 << QStringLiteral("0xf5");
    QTest::newRow("FF in fragment 1 of 3") << QByteArrayList{hex("ff"), QByteArrayLiteral("a"), QByteArrayLiteral("b")}
                                           << 0 << 0 << QStringLiteral("0xff");
    QTest::newRow("3-byte sequence interrupted by ASCII in the next fragment")
        << QByteArrayList{hex("61 62 63 e2 82"), QByteArrayLiteral("("), QByteArrayLiteral("x")} << 1 << 5
        << QStringLiteral("0x28");
    QTest::newRow("invalid byte in fragment 2 of 4, then more invalid bytes")
        << QByteArrayList{QByteArrayLiteral("ok"), hex("c1 bf"), hex("ff fe"), hex("ed a0 80")} << 1 << 2
        << QStringLiteral("0xc1");
}

void tst_MessageAssembler::invalidUtf8ReportedAtEarliestFragment()
{
    QFETCH(QByteArrayList, fragments);
    QFETCH(int, reportedAt);
    QFETCH(int, offset);
    QFETCH(QString, byte);

    MessageAssembler assembler(Endpoint::Server);
    QByteArray whole;
    for (qsizetype i = 0; i < fragments.size(); ++i) {
        const bool last = i == fragments.size() - 1;
        whole += fragments[i];
        const Output out = push(assembler, frame(i == 0 ? text : continuation, fragments[i], last));
        if (i != reportedAt) {
            QVERIFY2(out.violations.isEmpty(),
                     qPrintable(QStringLiteral("fragment %1: ").arg(i) + out.violations.value(0).detail));
        } else {
            QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::InvalidUtf8});
            const Violation &v = out.violations[0];
            QCOMPARE(Violations::rfcSection(v.rule), QStringLiteral("RFC 6455 §8.1"));
            QVERIFY2(v.detail.contains(QStringLiteral("offset %1").arg(offset)), qPrintable(v.detail));
            QVERIFY2(v.detail.contains(byte), qPrintable(v.detail));
        }
        if (last) {
            // Still delivered, bytes as received: the inspector shows what the peer sent.
            QVERIFY(out.message.has_value());
            QVERIFY(!out.messageDropped);
            QCOMPARE(out.message->payload, whole);
            QCOMPARE(out.message->frameCount, int(fragments.size()));
        } else {
            QVERIFY(!out.message);
        }
    }

    // The next message starts with a clean validator.
    const Output next = push(assembler, frame(text, utf8(u"\u00e9t\u00e9")));
    QCOMPARE(rulesOf(next.violations), none());
}

void tst_MessageAssembler::truncatedUtf8AtMessageEnd_data()
{
    QTest::addColumn<QByteArrayList>("fragments");
    QTest::newRow("E2 82 at the end of a single frame") << QByteArrayList{hex("61 62 e2 82")};
    QTest::newRow("lone C3 as the whole message") << QByteArrayList{hex("c3")};
    QTest::newRow("F0 9F at the end of fragment 2 of 2") << QByteArrayList{QByteArrayLiteral("ab"), hex("f0 9f")};
    QTest::newRow("F0 9F 98 then an empty final fragment")
        << QByteArrayList{QByteArrayLiteral("ab"), hex("f0 9f 98"), QByteArray()};
}

void tst_MessageAssembler::truncatedUtf8AtMessageEnd()
{
    QFETCH(QByteArrayList, fragments);
    MessageAssembler assembler(Endpoint::Server);
    for (qsizetype i = 0; i < fragments.size(); ++i) {
        const bool last = i == fragments.size() - 1;
        const Output out = push(assembler, frame(i == 0 ? text : continuation, fragments[i], last));
        if (!last) {
            QVERIFY(out.violations.isEmpty());
            continue;
        }
        QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::InvalidUtf8});
        QVERIFY2(out.violations[0].detail.contains(QStringLiteral("middle of a UTF-8 sequence")),
                 qPrintable(out.violations[0].detail));
        QVERIFY(out.message.has_value());
        QCOMPARE(out.message->payload, fragments.join());
    }
}

void tst_MessageAssembler::binaryIsNotValidated()
{
    MessageAssembler assembler(Endpoint::Server);
    push(assembler, frame(binary, hex("ed a0"), false));
    const Output out = push(assembler, frame(continuation, hex("ff c3")));
    QCOMPARE(rulesOf(out.violations), none());
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->payload, hex("ed a0 ff c3"));
}

void tst_MessageAssembler::closePayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("code"); // -1: no code
    QTest::addColumn<QList<ViolationRule>>("rules");
    QTest::addColumn<QStringList>("sections");
    QTest::addColumn<QString>("reason"); // checked when there is no reason violation

    QTest::newRow("empty: code absent") << QByteArray() << -1 << none() << QStringList() << QString();
    QTest::newRow("1-byte payload") << hex("03") << -1 << QList<ViolationRule>{ViolationRule::CloseOneBytePayload}
                                    << QStringList{QStringLiteral("RFC 6455 §5.5.1")} << QString();
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
        QTest::addRow("invalid code %d", code)
            << wsi::test::bytes({code >> 8, code}) << code << QList<ViolationRule>{ViolationRule::CloseCodeInvalid}
            << QStringList{QStringLiteral("RFC 6455 §7.4")} << QString();
    }
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        QTest::addRow("valid code %d", code)
            << wsi::test::bytes({code >> 8, code}) << code << none() << QStringList() << QString();
    QTest::newRow("1000 with a UTF-8 reason") << QByteArray(hex("03 e8") + utf8(u"bye \u00e9")) << 1000 << none()
                                              << QStringList() << QStringLiteral("bye \u00e9");
    QTest::newRow("1001 with an ASCII reason") << QByteArray(hex("03 e9") + QByteArrayLiteral("going away")) << 1001
                                               << none() << QStringList() << QStringLiteral("going away");
    QTest::newRow("invalid UTF-8 reason")
        << hex("03 e8 61 ff 62") << 1000 << QList<ViolationRule>{ViolationRule::CloseReasonInvalidUtf8}
        << QStringList{QStringLiteral("RFC 6455 §5.5.1")} << QString();
    QTest::newRow("reason with a surrogate")
        << hex("03 e8 ed a0 80") << 1000 << QList<ViolationRule>{ViolationRule::CloseReasonInvalidUtf8}
        << QStringList{QStringLiteral("RFC 6455 §5.5.1")} << QString();
    QTest::newRow("reason ending inside a sequence")
        << hex("03 e8 61 e2 82") << 1000 << QList<ViolationRule>{ViolationRule::CloseReasonInvalidUtf8}
        << QStringList{QStringLiteral("RFC 6455 §5.5.1")} << QString();
    QTest::newRow("invalid code and invalid reason")
        << hex("03 ed ff") << 1005
        << QList<ViolationRule>{ViolationRule::CloseCodeInvalid, ViolationRule::CloseReasonInvalidUtf8}
        << QStringList{QStringLiteral("RFC 6455 §7.4"), QStringLiteral("RFC 6455 §5.5.1")} << QString();
}

void tst_MessageAssembler::closePayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, code);
    QFETCH(QList<ViolationRule>, rules);
    QFETCH(QStringList, sections);
    QFETCH(QString, reason);

    MessageAssembler assembler(Endpoint::Server);
    QVERIFY(!assembler.closeReceived());
    const Output out = push(assembler, frame(closeOp, payload));
    QVERIFY(out.close.has_value());
    QVERIFY(!out.message);
    QVERIFY(!out.messageDropped);
    QVERIFY(assembler.closeReceived());
    QCOMPARE(out.close->code.has_value(), code >= 0);
    if (code < 0)
        QVERIFY(out.close->reason.isEmpty());
    else
        QCOMPARE(int(out.close->code.value_or(0)), code);
    QCOMPARE(rulesOf(out.violations), rules);
    QStringList actualSections;
    for (const Violation &v : out.violations) {
        actualSections.append(Violations::rfcSection(v.rule));
        QVERIFY(!v.detail.isEmpty());
    }
    QCOMPARE(actualSections, sections);
    if (rules.contains(ViolationRule::CloseCodeInvalid)) {
        QVERIFY2(out.violations[0].detail.contains(QString::number(code)), qPrintable(out.violations[0].detail));
    }
    if (!rules.contains(ViolationRule::CloseReasonInvalidUtf8))
        QCOMPARE(out.close->reason, reason);
}

void tst_MessageAssembler::dataAfterClose()
{
    {
        MessageAssembler assembler(Endpoint::Server);
        push(assembler, frame(closeOp, hex("03 e8")));
        // Control frames after a Close are not data.
        Output out = push(assembler, frame(ping, {}));
        QCOMPARE(rulesOf(out.violations), none());
        out = push(assembler, frame(text, QByteArrayLiteral("late")));
        QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::DataAfterClose});
        QCOMPARE(Violations::rfcSection(ViolationRule::DataAfterClose), QStringLiteral("RFC 6455 §5.5.1"));
        QVERIFY2(out.violations[0].detail.contains(QStringLiteral("server")), qPrintable(out.violations[0].detail));
        // Recorded, and the message is still shown.
        QVERIFY(out.message.has_value());
        QCOMPARE(out.message->payload, QByteArrayLiteral("late"));
    }
    {
        // A fragmented message interrupted by the Close: its continuation is data after Close.
        MessageAssembler assembler(Endpoint::Client);
        push(assembler, frame(binary, QByteArrayLiteral("ab"), false));
        Output out = push(assembler, frame(closeOp, {}));
        QVERIFY(out.close.has_value());
        QCOMPARE(rulesOf(out.violations), none());
        out = push(assembler, frame(continuation, QByteArrayLiteral("cd")));
        QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::DataAfterClose});
        QVERIFY2(out.violations[0].detail.contains(QStringLiteral("client")), qPrintable(out.violations[0].detail));
        QVERIFY(out.message.has_value());
        QCOMPARE(out.message->payload, QByteArrayLiteral("abcd"));
    }
    {
        // Both rules at once: an orphan continuation after the Close.
        MessageAssembler assembler(Endpoint::Server);
        push(assembler, frame(closeOp, {}));
        const Output out = push(assembler, frame(continuation, QByteArrayLiteral("x")));
        QCOMPARE(rulesOf(out.violations),
                 (QList<ViolationRule>{ViolationRule::DataAfterClose, ViolationRule::ContinuationWithoutStart}));
    }
}

void tst_MessageAssembler::messageTooLarge_data()
{
    QTest::addColumn<QByteArrayList>("fragments");
    QTest::addColumn<int>("violationAt"); // -1: the message fits
    QTest::addColumn<bool>("isText");

    QTest::newRow("single frame of 10 bytes, at the limit") << QByteArrayList{QByteArray(10, 'a')} << -1 << true;
    QTest::newRow("single frame of 11 bytes") << QByteArrayList{QByteArray(11, 'a')} << 0 << true;
    QTest::newRow("single binary frame of 1000 bytes") << QByteArrayList{QByteArray(1000, '\0')} << 0 << false;
    QTest::newRow("4 + 4 + 2 bytes, at the limit")
        << QByteArrayList{QByteArray(4, 'a'), QByteArray(4, 'b'), QByteArray(2, 'c')} << -1 << true;
    QTest::newRow("4 + 4 + 4 bytes: the last fragment breaks it")
        << QByteArrayList{QByteArray(4, 'a'), QByteArray(4, 'b'), QByteArray(4, 'c')} << 2 << true;
    QTest::newRow("6 + 6 + 1 bytes: the middle fragment breaks it")
        << QByteArrayList{QByteArray(6, 'a'), QByteArray(6, 'b'), QByteArray(1, 'c')} << 1 << false;
    QTest::newRow("20 bytes in the first of 4 fragments")
        << QByteArrayList{QByteArray(20, 'a'), QByteArray(1, 'b'), QByteArray(1, 'c'), QByteArray(1, 'd')} << 0 << true;
}

void tst_MessageAssembler::messageTooLarge()
{
    QFETCH(QByteArrayList, fragments);
    QFETCH(int, violationAt);
    QFETCH(bool, isText);

    ProtocolLimits limits;
    limits.maxMessageSize = 10;
    MessageAssembler assembler(Endpoint::Server, limits);
    for (int round = 0; round < 2; ++round) { // the same message twice: the assembler recovers after a drop
        for (qsizetype i = 0; i < fragments.size(); ++i) {
            const bool last = i == fragments.size() - 1;
            const Output out =
                push(assembler, frame(i == 0 ? (isText ? text : binary) : continuation, fragments[i], last));
            if (i == violationAt) {
                QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::MessageTooLarge});
                QCOMPARE(Violations::rfcSection(out.violations[0].rule), QStringLiteral("RFC 6455 §10.4"));
                QVERIFY2(out.violations[0].detail.contains(QStringLiteral("limit of 10 bytes")),
                         qPrintable(out.violations[0].detail));
            } else {
                QCOMPARE(rulesOf(out.violations), none());
            }
            // Dropped messages are said so by the frame that ends them.
            QCOMPARE(out.messageDropped, last && violationAt >= 0);
            QCOMPARE(out.message.has_value(), last && violationAt < 0);
            if (out.message)
                QCOMPARE(out.message->payload, fragments.join());
        }
        QVERIFY(!assembler.inMessage());

        // The next message is fine.
        const Output next = push(assembler, frame(text, QByteArrayLiteral("ok")));
        QCOMPARE(rulesOf(next.violations), none());
        QVERIFY(next.message.has_value());
        QCOMPARE(next.message->payload, QByteArrayLiteral("ok"));
        QCOMPARE(next.message->frameCount, 1);
    }
}

void tst_MessageAssembler::droppedMessageReleasesItsMemory()
{
    // 36 MiB are buffered, then the next fragment breaks the 40 MiB limit: the buffer must be freed right away, not
    // when the message ends. Blocks this large come straight from the kernel (above glibc's largest mmap
    // threshold), so freeing them shows in the resident set size.
    if (!test::residentMemoryIsMeaningful())
        QSKIP("resident memory says nothing here (no /proc, or a sanitizer build)");
    const auto resident = test::residentBytes;
    constexpr qsizetype mib = 1024 * 1024;
    ProtocolLimits limits;
    limits.maxMessageSize = 40 * mib;
    MessageAssembler assembler(Endpoint::Server, limits);
    const QByteArray first(36 * mib, 'a');
    const QByteArray second(8 * mib, 'b');

    Output out = push(assembler, frame(binary, first, false));
    QCOMPARE(rulesOf(out.violations), none());
    const qint64 holding = resident();
    out = push(assembler, frame(continuation, second, false));
    QCOMPARE(rulesOf(out.violations), QList<ViolationRule>{ViolationRule::MessageTooLarge});
    const qint64 released = resident();
    QVERIFY2(holding - released > 30 * mib,
             qPrintable(QStringLiteral("resident set went from %1 to %2 bytes").arg(holding).arg(released)));

    out = push(assembler, frame(continuation, QByteArrayLiteral("end")));
    QVERIFY(out.messageDropped);
    QVERIFY(!out.message);
    out = push(assembler, frame(text, QByteArrayLiteral("next")));
    QVERIFY(out.message.has_value());
    QCOMPARE(out.message->payload, QByteArrayLiteral("next"));
}

void tst_MessageAssembler::frameRefusedByParserDropsMessage()
{
    // A frame the parser refused at header time (payloadDiscarded) cannot be part of a delivered message.
    ProtocolLimits limits;
    limits.maxFramePayload = 100;
    FrameParser parser(Endpoint::Server, limits);
    MessageAssembler assembler(Endpoint::Server, limits);
    const QByteArray wire = hex("01 02 61 62") + hex("80 7e 00 c8") + QByteArray(200, 'x') + hex("81 02 6f 6b");
    QByteArrayView view(wire);
    FrameEvent event;
    QList<Output> outputs;
    while (parser.next(view, event)) {
        Output out;
        assembler.push(event, out);
        outputs.append(out);
    }
    QCOMPARE(outputs.size(), 3);
    QCOMPARE(rulesOf(outputs[0].violations), none());
    QCOMPARE(rulesOf(outputs[1].violations), QList<ViolationRule>{ViolationRule::MessageTooLarge});
    QVERIFY2(outputs[1].violations[0].detail.contains(QStringLiteral("200")),
             qPrintable(outputs[1].violations[0].detail));
    QVERIFY(outputs[1].messageDropped);
    QVERIFY(!outputs[1].message);
    QVERIFY(outputs[2].message.has_value());
    QCOMPARE(outputs[2].message->payload, QByteArrayLiteral("ok"));
}

void tst_MessageAssembler::deflateRfcExamples_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<QList<int>>("frameCounts");
    QTest::addColumn<QList<int>>("wireLengths");
    QTest::addColumn<QList<bool>>("compressed");

    const QByteArray hello = QByteArrayLiteral("Hello");
    QTest::newRow("RFC 7692 §7.2.3.1: one frame") << hex("c1 07 f2 48 cd c9 c9 07 00") << QByteArrayList{hello}
                                                  << QList<int>{1} << QList<int>{7} << QList<bool>{true};
    QTest::newRow("RFC 7692 §7.2.3.1: fragmented") << hex("41 03 f2 48 cd 80 04 c9 c9 07 00") << QByteArrayList{hello}
                                                   << QList<int>{2} << QList<int>{7} << QList<bool>{true};
    QTest::newRow("RFC 7692 §7.2.3.2: second message uses the first's window")
        << hex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00") << QByteArrayList{hello, hello} << QList<int>{1, 1}
        << QList<int>{7, 5} << QList<bool>{true, true};
    QTest::newRow("RFC 7692 §7.2.3.3: stored block")
        << hex("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00") << QByteArrayList{hello} << QList<int>{1} << QList<int>{11}
        << QList<bool>{true};
    QTest::newRow("RFC 7692 §7.2.3.4: BFINAL set") << hex("c1 08 f3 48 cd c9 c9 07 00 00") << QByteArrayList{hello}
                                                   << QList<int>{1} << QList<int>{8} << QList<bool>{true};
    QTest::newRow("RFC 7692 §7.2.3.5: two DEFLATE blocks")
        << hex("c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00") << QByteArrayList{hello} << QList<int>{1}
        << QList<int>{13} << QList<bool>{true};
    QTest::newRow("ping between compressed fragments")
        << hex("41 03 f2 48 cd 89 00 80 04 c9 c9 07 00") << QByteArrayList{hello} << QList<int>{2} << QList<int>{7}
        << QList<bool>{true};
    QTest::newRow("uncompressed message between compressed ones keeps the window")
        << hex("c1 07 f2 48 cd c9 c9 07 00 81 05 48 65 6c 6c 6f c1 05 f2 00 11 00 00")
        << QByteArrayList{hello, hello, hello} << QList<int>{1, 1, 1} << QList<int>{7, 5, 5}
        << QList<bool>{true, false, true};
    QTest::newRow("three fragments, one of them empty")
        << hex("41 03 f2 48 cd 00 00 80 04 c9 c9 07 00") << QByteArrayList{hello} << QList<int>{3} << QList<int>{7}
        << QList<bool>{true};
}

void tst_MessageAssembler::deflateRfcExamples()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArrayList, messages);
    QFETCH(QList<int>, frameCounts);
    QFETCH(QList<int>, wireLengths);
    QFETCH(QList<bool>, compressed);

    MessageAssembler assembler(Endpoint::Server);
    assembler.enableDeflate(15, false);
    QVERIFY(assembler.deflateEnabled());
    QList<ViolationRule> frameRules;
    const QList<Output> outputs = feedWire(assembler, wire, Endpoint::Server, 0x4, &frameRules);
    QCOMPARE(frameRules, none());
    QList<AssembledMessage> delivered;
    for (const Output &out : outputs) {
        QVERIFY2(out.violations.isEmpty(), qPrintable(out.violations.value(0).detail));
        QVERIFY(!out.messageDropped);
        if (out.message)
            delivered.append(*out.message);
    }
    QCOMPARE(delivered.size(), messages.size());
    for (qsizetype i = 0; i < delivered.size(); ++i) {
        QCOMPARE(delivered[i].payload, messages[i]);
        QCOMPARE(delivered[i].type, MessageType::Text);
        QCOMPARE(delivered[i].frameCount, frameCounts[i]);
        QCOMPARE(delivered[i].wireLength, quint64(wireLengths[i]));
        QCOMPARE(delivered[i].compressed, compressed[i]);
    }
}

void tst_MessageAssembler::deflateWithoutContextTakeover()
{
    // The §7.2.3.2 second message refers to the first one's bytes: a sender that promised no context takeover
    // cannot have produced it, and a receiver that resets its window cannot inflate it.
    MessageAssembler assembler(Endpoint::Server);
    assembler.enableDeflate(15, true);
    const QList<Output> outputs =
        feedWire(assembler, hex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"), Endpoint::Server, 0x4);
    QCOMPARE(outputs.size(), 2);
    QVERIFY(outputs[0].message.has_value());
    QCOMPARE(outputs[0].message->payload, QByteArrayLiteral("Hello"));
    QCOMPARE(rulesOf(outputs[1].violations), QList<ViolationRule>{ViolationRule::BadCompressedData});
    QVERIFY(outputs[1].messageDropped);
    QVERIFY(!outputs[1].message);

    // Each message on its own inflates fine.
    const QList<Output> again =
        feedWire(assembler, hex("c1 07 f2 48 cd c9 c9 07 00 c1 07 f2 48 cd c9 c9 07 00"), Endpoint::Server, 0x4);
    QCOMPARE(again.size(), 2);
    for (const Output &out : again) {
        QCOMPARE(rulesOf(out.violations), none());
        QVERIFY(out.message.has_value());
        QCOMPARE(out.message->payload, QByteArrayLiteral("Hello"));
    }
}

void tst_MessageAssembler::badCompressedData()
{
    MessageAssembler assembler(Endpoint::Server);
    assembler.enableDeflate(15, false);
    // ff: BFINAL=1 with the reserved block type 11.
    const QList<Output> outputs =
        feedWire(assembler, hex("c1 03 ff ff ff  c1 07 f2 48 cd c9 c9 07 00"), Endpoint::Server, 0x4);
    QCOMPARE(outputs.size(), 2);
    QCOMPARE(rulesOf(outputs[0].violations), QList<ViolationRule>{ViolationRule::BadCompressedData});
    QCOMPARE(Violations::rfcSection(ViolationRule::BadCompressedData), QStringLiteral("RFC 7692 §7.2.2"));
    QVERIFY(!outputs[0].violations[0].detail.isEmpty());
    QVERIFY(outputs[0].messageDropped);
    QVERIFY(!outputs[0].message);
    QVERIFY(!assembler.inMessage());
    // The inflater is usable again for a message that does not refer to the lost one.
    QCOMPARE(rulesOf(outputs[1].violations), none());
    QVERIFY(outputs[1].message.has_value());
    QCOMPARE(outputs[1].message->payload, QByteArrayLiteral("Hello"));
}

void tst_MessageAssembler::badCompressedDataInFirstFragment()
{
    MessageAssembler assembler(Endpoint::Server);
    assembler.enableDeflate(15, false);
    const QList<Output> outputs =
        feedWire(assembler, hex("41 02 ff ff  00 01 00  80 01 00  c1 07 f2 48 cd c9 c9 07 00"), Endpoint::Server, 0x4);
    QCOMPARE(outputs.size(), 4);
    // Reported once, where it was found; the message is dropped when it ends.
    QCOMPARE(rulesOf(outputs[0].violations), QList<ViolationRule>{ViolationRule::BadCompressedData});
    QVERIFY(!outputs[0].messageDropped);
    QCOMPARE(rulesOf(outputs[1].violations), none());
    QVERIFY(!outputs[1].messageDropped);
    QCOMPARE(rulesOf(outputs[2].violations), none());
    QVERIFY(outputs[2].messageDropped);
    QVERIFY(!outputs[2].message);
    QVERIFY(outputs[3].message.has_value());
    QCOMPARE(outputs[3].message->payload, QByteArrayLiteral("Hello"));
}

void tst_MessageAssembler::compressedMessageInterruptedByNewOne()
{
    // The first half of §7.2.3.1's fragmented "Hello", then a whole new compressed message: the inflater must forget
    // the half-inflated block, or the new message is read as its continuation.
    MessageAssembler assembler(Endpoint::Server);
    assembler.enableDeflate(15, false);
    const QList<Output> outputs =
        feedWire(assembler, hex("41 03 f2 48 cd  c1 07 f2 48 cd c9 c9 07 00"), Endpoint::Server, 0x4);
    QCOMPARE(outputs.size(), 2);
    QCOMPARE(rulesOf(outputs[0].violations), none());
    QCOMPARE(rulesOf(outputs[1].violations), QList<ViolationRule>{ViolationRule::DataFrameInsideFragmentedMessage});
    QVERIFY(outputs[1].messageDropped);
    QVERIFY(outputs[1].message.has_value());
    QVERIFY(outputs[1].message->compressed);
    QCOMPARE(outputs[1].message->payload, QByteArrayLiteral("Hello"));
}

void tst_MessageAssembler::inflatedMessageTooLarge_data()
{
    QTest::addColumn<int>("fragments");
    QTest::newRow("1 MiB of zeros in one frame") << 1;
    QTest::newRow("1 MiB of zeros in 8 fragments") << 8;
}

void tst_MessageAssembler::inflatedMessageTooLarge()
{
    QFETCH(int, fragments);

    // A small deflate bomb: 1 MiB of zeros compresses to about a kilobyte.
    MessageDeflater deflater(15, false);
    const QByteArray bomb = deflater.compress(QByteArray(1024 * 1024, '\0'));
    QVERIFY2(bomb.size() < 16 * 1024, qPrintable(QString::number(bomb.size())));

    ProtocolLimits limits;
    limits.maxMessageSize = 64 * 1024; // far above the compressed size, far below the inflated one
    MessageAssembler assembler(Endpoint::Client, limits);
    assembler.enableDeflate(15, false);
    FrameWriter writer(Endpoint::Client);
    FrameSpec compressedText;
    compressedText.rsv1 = true;
    const QByteArray wire = writer.fragmented(Opcode::Binary, bomb, fragments, true) +
                            writer.frame(compressedText, hex("f2 48 cd c9 c9 07 00"));
    const QList<Output> outputs = feedWire(assembler, wire, Endpoint::Client, 0x4);
    QCOMPARE(outputs.size(), fragments + 1);

    int reported = 0;
    for (int i = 0; i < fragments; ++i) {
        const Output &out = outputs[i];
        for (const Violation &v : out.violations) {
            QCOMPARE(v.rule, ViolationRule::InflatedMessageTooLarge);
            QVERIFY2(v.detail.contains(QStringLiteral("65536")), qPrintable(v.detail));
            ++reported;
        }
        QCOMPARE(out.messageDropped, i == fragments - 1);
        QVERIFY(!out.message);
    }
    QCOMPARE(reported, 1);
    QCOMPARE(Violations::rfcSection(ViolationRule::InflatedMessageTooLarge), QStringLiteral("RFC 7692 §8.1"));

    // The next message (one that does not refer to the dropped one) gets through.
    const Output &next = outputs.last();
    QCOMPARE(rulesOf(next.violations), none());
    QVERIFY(next.message.has_value());
    QCOMPARE(next.message->payload, QByteArrayLiteral("Hello"));
}

void tst_MessageAssembler::invalidUtf8AfterInflation()
{
    MessageDeflater deflater(15, false);
    const QByteArray compressedText = deflater.compress(hex("61 62 ed a0 80 63 64"));
    FrameWriter writer(Endpoint::Server);
    MessageAssembler assembler(Endpoint::Server);
    assembler.enableDeflate(15, false);
    const QList<Output> outputs =
        feedWire(assembler, writer.fragmented(Opcode::Text, compressedText, 1, true), Endpoint::Server, 0x4);
    QCOMPARE(outputs.size(), 1);
    QCOMPARE(rulesOf(outputs[0].violations), QList<ViolationRule>{ViolationRule::InvalidUtf8});
    QVERIFY2(outputs[0].violations[0].detail.contains(QStringLiteral("offset 3")),
             qPrintable(outputs[0].violations[0].detail));
    QVERIFY2(outputs[0].violations[0].detail.contains(QStringLiteral("inflated")),
             qPrintable(outputs[0].violations[0].detail));
    QVERIFY(outputs[0].message.has_value());
    QVERIFY(outputs[0].message->compressed);
    QCOMPARE(outputs[0].message->payload, hex("61 62 ed a0 80 63 64"));
}

void tst_MessageAssembler::compressedBitWithoutDeflateIsKeptRaw()
{
    // Without a negotiated extension RSV1 means nothing to the assembler (the parser reports the bit).
    MessageAssembler assembler(Endpoint::Server);
    const QByteArray payload = hex("f2 48 cd c9 c9 07 00");
    const Output out = push(assembler, frame(binary, payload, true, true));
    QCOMPARE(rulesOf(out.violations), none());
    QVERIFY(out.message.has_value());
    QVERIFY(!out.message->compressed);
    QCOMPARE(out.message->payload, payload);
}

void tst_MessageAssembler::deflaterRoundTrip()
{
    // Messages compressed with context takeover, masked, some fragmented, through parser and assembler.
    QRandomGenerator rng(7692);
    MessageDeflater deflater(15, false);
    FrameWriter writer(Endpoint::Client);
    QRandomGenerator keys(6455);
    writer.setKeyGenerator(&keys);
    const QByteArrayList words{"alpha ", "beta ", "gamma ", "\xc3\xa9t\xc3\xa9 ", "\xe2\x82\xac ", "{\"id\":"};
    QByteArrayList sent;
    QList<int> wireSizes;
    QByteArray wire;
    for (int i = 0; i < 200; ++i) {
        QByteArray message;
        const int count = int(rng.bounded(0u, 400u));
        for (int w = 0; w < count; ++w)
            message += words[qsizetype(rng.bounded(quint32(words.size())))];
        const QByteArray compressed = deflater.compress(message);
        wire += writer.fragmented(Opcode::Text, compressed, int(rng.bounded(1u, 5u)), true);
        sent.append(message);
        wireSizes.append(int(compressed.size()));
    }
    MessageAssembler assembler(Endpoint::Client);
    assembler.enableDeflate(15, false);
    QList<ViolationRule> frameRules;
    const QList<Output> outputs = feedWire(assembler, wire, Endpoint::Client, 0x4, &frameRules);
    QCOMPARE(frameRules, none());
    qsizetype received = 0;
    for (const Output &out : outputs) {
        QVERIFY2(out.violations.isEmpty(), qPrintable(out.violations.value(0).detail));
        QVERIFY(!out.messageDropped);
        if (!out.message)
            continue;
        QVERIFY(received < sent.size());
        QVERIFY(out.message->compressed);
        QCOMPARE(out.message->payload, sent[received]);
        QCOMPARE(out.message->wireLength, quint64(wireSizes[received]));
        ++received;
    }
    QCOMPARE(received, sent.size());
}

QTEST_GUILESS_MAIN(tst_MessageAssembler)
#include "tst_messageassembler.moc"
