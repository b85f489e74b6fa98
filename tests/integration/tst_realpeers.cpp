// SPDX-License-Identifier: GPL-3.0-or-later
// Session against WebSocket implementations nobody here wrote: Python `websockets` and Node `ws`, started by the
// test on 127.0.0.1 (tests/integration/peers). Every row runs against both.
#include "PeerProcess.h"
#include "core/protocol/Opcode.h"
#include "core/session/Session.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace wsi;
using wsi::test::PeerProcess;
using Peer = PeerProcess::Peer;

Q_DECLARE_METATYPE(wsi::test::PeerProcess::Peer)
Q_DECLARE_METATYPE(wsi::DeflateParameters)

namespace {

constexpr int waitMs = 20000;
constexpr qsizetype largeSize = 16 * 1024 * 1024;

struct Message {
    MessageType type = MessageType::Text;
    QByteArray payload;
    bool compressed = false;
    quint64 wireLength = 0;
    quint32 frameCount = 0;
    qsizetype firstFrame = 0;
};

QList<Message> messages(const FrameLog &log, Direction direction)
{
    QList<Message> out;
    for (qsizetype i = 0; i < log.messageCount(); ++i) {
        const MessageRecord &r = log.message(i);
        if (r.direction != direction)
            continue;
        out.append({r.type, log.messagePayload(i).toByteArray(), r.compressed, r.wireLength, r.frameCount,
                    qsizetype(r.firstFrame)});
    }
    return out;
}

qsizetype countMessages(const FrameLog &log, Direction direction)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < log.messageCount(); ++i)
        n += log.message(i).direction == direction ? 1 : 0;
    return n;
}

// Frame indexes of one direction and opcode, in order.
QList<qsizetype> framesOf(const FrameLog &log, Direction direction, Opcode opcode)
{
    QList<qsizetype> out;
    for (qsizetype i = 0; i < log.frameCount(); ++i) {
        const FrameRecord &r = log.frame(i);
        if (r.direction() == direction && r.opcode == Opcodes::value(opcode))
            out.append(i);
    }
    return out;
}

// Random bytes from a fixed seed: incompressible, and the same on every run.
QByteArray pseudoRandomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        bytes[i] = char(generator.bounded(256));
    return bytes;
}

// Valid UTF-8 of exactly `size` bytes with one- to four-byte characters, compressible like real text.
QByteArray largeText(qsizetype size)
{
    const QByteArray line = QStringLiteral("ligne %1: héllo wörld, Ελληνικά, 漢字 ✓ 🎉\n").toUtf8();
    QByteArray text;
    text.reserve(size);
    for (int i = 0; text.size() + line.size() + 16 <= size; ++i)
        text += QByteArray::number(i) + ' ' + line;
    return text.leftJustified(size, 'x');
}

void addPeerColumn()
{
    QTest::addColumn<Peer>("peer");
}

void addPeerRow(Peer peer, const char *name)
{
    QTest::newRow(qPrintable(PeerProcess::peerName(peer) + QStringLiteral(": ") + QString::fromUtf8(name))) << peer;
}

} // namespace

class tst_RealPeers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void textRoundTrip_data();
    void textRoundTrip();
    void binaryRoundTrip_data();
    void binaryRoundTrip();
    void largeMessagesBothWays_data();
    void largeMessagesBothWays();
    void fragmentedMessages_data();
    void fragmentedMessages();
    void compressedMessages_data();
    void compressedMessages();
    void peerPingIsAnsweredByAutoPong_data();
    void peerPingIsAnsweredByAutoPong();
    void ourPingIsAnswered_data();
    void ourPingIsAnswered();
    void clientCloses_data();
    void clientCloses();
    void peerCloses_data();
    void peerCloses();
    void peerDropsConnection_data();
    void peerDropsConnection();

private:
    bool startPeer(Peer peer, const QStringList &arguments);
    // Opens a session to the peer and waits until it is open or has failed.
    Session *openSession(SessionOptions options = {});
    bool waitForIncomingMessages(qsizetype count);
    // For failure messages: how the session ended (if it did) and what the peer printed.
    QString whatHappened();

    PeerProcess m_peer;
    std::unique_ptr<Session> m_session;
};

void tst_RealPeers::cleanup()
{
    m_session.reset();
    m_peer.stop();
}

bool tst_RealPeers::startPeer(Peer peer, const QStringList &arguments)
{
    return m_peer.startPeer(peer, arguments, waitMs);
}

Session *tst_RealPeers::openSession(SessionOptions options)
{
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_peer.port()));
    m_session = std::make_unique<Session>(options);
    m_session->open();
    if (!QTest::qWaitFor([&] { return m_session->state() != Session::State::Connecting; }, waitMs))
        qWarning("session still connecting after %d ms", waitMs);
    return m_session.get();
}

bool tst_RealPeers::waitForIncomingMessages(qsizetype count)
{
    const auto log = m_session->frameLog();
    return QTest::qWaitFor(
               [&] {
                   return countMessages(*log, Direction::Incoming) >= count ||
                          m_session->state() == Session::State::Closed;
               },
               waitMs) &&
           countMessages(*log, Direction::Incoming) >= count;
}

QString tst_RealPeers::whatHappened()
{
    QString text;
    if (m_session) {
        const HandshakeRecord h = m_session->handshake();
        text = QStringLiteral("session %1").arg(Session::stateName(m_session->state()));
        if (!h.explanation.isEmpty())
            text += QStringLiteral(", handshake: ") + h.explanation;
        if (const auto close = m_session->closeRecord()) {
            text += QStringLiteral(", closed by %1 with %2 \"%3\" (%4)")
                        .arg(CloseRecord::initiatorName(close->initiator))
                        .arg(close->code)
                        .arg(close->reason, close->clean ? QStringLiteral("clean") : close->error);
        }
    }
    return text + QStringLiteral("\n--- peer output:\n") + QString::fromLocal8Bit(m_peer.output());
}

void tst_RealPeers::textRoundTrip_data()
{
    addPeerColumn();
    addPeerRow(Peer::Python, "echo");
    addPeerRow(Peer::Node, "echo");
}

void tst_RealPeers::textRoundTrip()
{
    QFETCH(Peer, peer);
    QVERIFY2(startPeer(peer, {QStringLiteral("echo")}), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
    const HandshakeRecord h = session->handshake();
    QVERIFY(h.accepted);
    QCOMPARE(h.response.statusCode, 101);
    QVERIFY2(!h.deflate, "the peer runs without compression: nothing may be negotiated");
    QVERIFY(h.violations.isEmpty());

    const QStringList texts{QStringLiteral("hello"), QStringLiteral("héllo wörld ✓ 🎉 漢字"), QString()};
    for (const QString &text : texts)
        session->sendText(text);
    QVERIFY2(waitForIncomingMessages(texts.size()), qPrintable(whatHappened()));

    const auto log = session->frameLog();
    const QList<Message> in = messages(*log, Direction::Incoming);
    QCOMPARE(in.size(), texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        QCOMPARE(in[i].type, MessageType::Text);
        QCOMPARE(QString::fromUtf8(in[i].payload), texts[i]);
        QVERIFY(!in[i].compressed);
    }
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        const FrameRecord &r = log->frame(i);
        QCOMPARE(r.has(FrameRecord::Masked), r.direction() == Direction::Outgoing);
        QVERIFY(!r.has(FrameRecord::Compressed));
        QCOMPARE(r.violationMask, quint64(0));
    }
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
}

void tst_RealPeers::binaryRoundTrip_data()
{
    addPeerColumn();
    addPeerRow(Peer::Python, "echo");
    addPeerRow(Peer::Node, "echo");
}

void tst_RealPeers::binaryRoundTrip()
{
    QFETCH(Peer, peer);
    QVERIFY2(startPeer(peer, {QStringLiteral("echo")}), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    QByteArray everyByte(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        everyByte[i] = char(i);
    // Lengths in all three encodings: 7-bit, 16-bit (126) and 64-bit (127).
    const QList<QByteArray> payloads{everyByte.left(125), QByteArray(), everyByte, pseudoRandomBytes(70000, 1)};
    for (const QByteArray &payload : payloads)
        session->sendMessage(MessageType::Binary, payload);
    QVERIFY2(waitForIncomingMessages(payloads.size()), qPrintable(whatHappened()));

    const auto log = session->frameLog();
    const QList<Message> in = messages(*log, Direction::Incoming);
    QCOMPARE(in.size(), payloads.size());
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        QCOMPARE(in[i].type, MessageType::Binary);
        QCOMPARE(in[i].payload, payloads[i]);
    }
    const auto outgoing = framesOf(*log, Direction::Outgoing, Opcode::Binary);
    QCOMPARE(outgoing.size(), payloads.size());
    QCOMPARE(log->frame(outgoing[0]).lengthEncoding(), LengthEncoding::Bits7);
    QCOMPARE(log->frame(outgoing[2]).lengthEncoding(), LengthEncoding::Bits16);
    QCOMPARE(log->frame(outgoing[3]).lengthEncoding(), LengthEncoding::Bits64);
}

void tst_RealPeers::largeMessagesBothWays_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<bool>("deflate");
    QTest::newRow("python websockets: uncompressed") << Peer::Python << false;
    QTest::newRow("python websockets: permessage-deflate") << Peer::Python << true;
    QTest::newRow("node ws: uncompressed") << Peer::Node << false;
    QTest::newRow("node ws: permessage-deflate") << Peer::Node << true;
}

void tst_RealPeers::largeMessagesBothWays()
{
    QFETCH(Peer, peer);
    QFETCH(bool, deflate);
    QStringList arguments{QStringLiteral("echo")};
    if (deflate)
        arguments << QStringLiteral("--deflate");
    QVERIFY2(startPeer(peer, arguments), qPrintable(m_peer.errorString()));

    SessionOptions options;
    // Room above the 16 MiB messages: an incompressible message grows a little when deflated.
    options.limits.maxFramePayload = 2 * largeSize;
    options.limits.maxMessageSize = 2 * largeSize;
    options.budget.maxStoredPerFrame = 2 * largeSize;
    Session *session = openSession(options);
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
    QCOMPARE(session->handshake().deflate.has_value(), deflate);

    const QByteArray binary = pseudoRandomBytes(largeSize, 42);
    const QByteArray text = largeText(largeSize);
    QCOMPARE(text.size(), largeSize);
    session->sendMessage(MessageType::Binary, binary);
    session->sendMessage(MessageType::Text, text);
    QVERIFY2(waitForIncomingMessages(2), qPrintable(whatHappened()));

    const auto log = session->frameLog();
    const QList<Message> in = messages(*log, Direction::Incoming);
    QCOMPARE(in.size(), 2);
    QCOMPARE(in[0].type, MessageType::Binary);
    QCOMPARE(in[0].payload.size(), largeSize);
    QVERIFY2(in[0].payload == binary, "the 16 MiB binary message came back changed");
    QCOMPARE(in[1].type, MessageType::Text);
    QCOMPARE(in[1].payload.size(), largeSize);
    QVERIFY2(in[1].payload == text, "the 16 MiB text message came back changed");
    QCOMPARE(in[0].compressed, deflate);
    QCOMPARE(in[1].compressed, deflate);
    if (deflate)
        QVERIFY2(in[1].wireLength < quint64(largeSize) / 4, "repetitive text must shrink when deflated");
    for (qsizetype i = 0; i < log->frameCount(); ++i)
        QCOMPARE(log->frame(i).violationMask, quint64(0));
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
}

void tst_RealPeers::fragmentedMessages_data()
{
    addPeerColumn();
    addPeerRow(Peer::Python, "echo");
    addPeerRow(Peer::Node, "echo");
}

void tst_RealPeers::fragmentedMessages()
{
    QFETCH(Peer, peer);
    QVERIFY2(startPeer(peer, {QStringLiteral("echo")}), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    // Multi-byte characters split across fragments: the peer must validate UTF-8 over the whole message.
    const QByteArray text = QStringLiteral("fragmenté ✓ 🎉 ").repeated(40).toUtf8();
    const QByteArray binary = pseudoRandomBytes(1000, 7);
    session->sendMessage(MessageType::Text, text, 7);
    session->sendMessage(MessageType::Binary, binary, 3);
    session->sendMessage(MessageType::Text, QByteArray("ab"), 2);
    QVERIFY2(waitForIncomingMessages(3), qPrintable(whatHappened()));

    const auto log = session->frameLog();
    const QList<Message> in = messages(*log, Direction::Incoming);
    QCOMPARE(in.size(), 3);
    QCOMPARE(in[0].type, MessageType::Text);
    QCOMPARE(in[0].payload, text);
    QCOMPARE(in[1].type, MessageType::Binary);
    QCOMPARE(in[1].payload, binary);
    QCOMPARE(in[2].payload, QByteArray("ab"));

    const QList<Message> out = messages(*log, Direction::Outgoing);
    QCOMPARE(out.size(), 3);
    const QList<quint32> expectedFrames{7, 3, 2};
    for (qsizetype m = 0; m < out.size(); ++m) {
        QCOMPARE(out[m].frameCount, expectedFrames[m]);
        for (quint32 f = 0; f < out[m].frameCount; ++f) {
            const FrameRecord &r = log->frame(out[m].firstFrame + f);
            QCOMPARE(r.direction(), Direction::Outgoing);
            QCOMPARE(r.has(FrameRecord::Fin), f + 1 == out[m].frameCount);
            if (f > 0)
                QCOMPARE(r.opcode, Opcodes::value(Opcode::Continuation));
        }
    }
    QCOMPARE(framesOf(*log, Direction::Outgoing, Opcode::Continuation).size(), 6 + 2 + 1);
}

void tst_RealPeers::compressedMessages_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<DeflateParameters>("expected");

    for (const Peer peer : {Peer::Python, Peer::Node}) {
        const QString name = PeerProcess::peerName(peer);
        // python websockets' defaults: 12-bit windows both ways (for a client that offers client_max_window_bits,
        // as we do); node ws's: 15-bit windows.
        const int defaultBits = peer == Peer::Python ? 12 : 15;
        QTest::newRow(qPrintable(name + QStringLiteral(": defaults, context takeover")))
            << peer << QStringList{QStringLiteral("echo"), QStringLiteral("--deflate")}
            << DeflateParameters{false, false, defaultBits, defaultBits};
        QTest::newRow(qPrintable(name + QStringLiteral(": server_no_context_takeover")))
            << peer << QStringList{QStringLiteral("echo"), QStringLiteral("--server-no-context-takeover")}
            << DeflateParameters{true, false, 15, 15};
        QTest::newRow(qPrintable(name + QStringLiteral(": client_no_context_takeover")))
            << peer << QStringList{QStringLiteral("echo"), QStringLiteral("--client-no-context-takeover")}
            << DeflateParameters{false, true, 15, 15};
        QTest::newRow(qPrintable(name + QStringLiteral(": both no_context_takeover")))
            << peer
            << QStringList{QStringLiteral("echo"), QStringLiteral("--server-no-context-takeover"),
                           QStringLiteral("--client-no-context-takeover")}
            << DeflateParameters{true, true, 15, 15};
        QTest::newRow(qPrintable(name + QStringLiteral(": 10-bit windows")))
            << peer
            << QStringList{QStringLiteral("echo"), QStringLiteral("--server-max-window-bits"), QStringLiteral("10"),
                           QStringLiteral("--client-max-window-bits"), QStringLiteral("10")}
            << DeflateParameters{false, false, 10, 10};
        // The smallest window: we cannot deflate with 256 bytes (zlib refuses), nor can python websockets 10.4,
        // whose server therefore gets 9 bits; node ws compresses with 9 bits, which zlib keeps within 256 bytes.
        const int serverBits = peer == Peer::Python ? 9 : 8;
        QTest::newRow(qPrintable(name + QStringLiteral(": %1-bit server window, 8-bit client window").arg(serverBits)))
            << peer
            << QStringList{QStringLiteral("echo"), QStringLiteral("--server-max-window-bits"),
                           QString::number(serverBits), QStringLiteral("--client-max-window-bits"), QStringLiteral("8")}
            << DeflateParameters{false, false, serverBits, 8};
    }
}

void tst_RealPeers::compressedMessages()
{
    QFETCH(Peer, peer);
    QFETCH(QStringList, arguments);
    QFETCH(DeflateParameters, expected);
    QVERIFY2(startPeer(peer, arguments), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    const HandshakeRecord h = session->handshake();
    QVERIFY2(h.deflate, "permessage-deflate was not negotiated");
    QCOMPARE(h.deflate->serverNoContextTakeover, expected.serverNoContextTakeover);
    QCOMPARE(h.deflate->clientNoContextTakeover, expected.clientNoContextTakeover);
    QCOMPARE(h.deflate->serverMaxWindowBits, expected.serverMaxWindowBits);
    QCOMPARE(h.deflate->clientMaxWindowBits, expected.clientMaxWindowBits);

    // 512 bytes of hex digits: compressible by itself, and a repeat fits in any window of 10 bits or more, so with
    // context takeover the second and third copies shrink to a back-reference.
    const QByteArray repeated = pseudoRandomBytes(256, 3).toHex();
    const QByteArray json = QByteArrayLiteral("{\"type\":\"update\",\"values\":[1,2,3,4,5,6,7,8,9,10]}").repeated(50);
    const QByteArray fragmented = QStringLiteral("fragmented and compressed ✓ ").repeated(30).toUtf8();
    const QList<QPair<MessageType, QByteArray>> sent{{MessageType::Text, repeated},
                                                     {MessageType::Text, repeated},
                                                     {MessageType::Text, repeated},
                                                     {MessageType::Binary, json},
                                                     {MessageType::Text, QByteArray("a")},
                                                     {MessageType::Text, QByteArray()},
                                                     {MessageType::Binary, pseudoRandomBytes(3000, 9)}};
    for (const auto &[type, payload] : sent)
        session->sendMessage(type, payload);
    session->sendMessage(MessageType::Text, fragmented, 3);
    QVERIFY2(waitForIncomingMessages(sent.size() + 1), qPrintable(whatHappened()));

    const auto log = session->frameLog();
    const QList<Message> in = messages(*log, Direction::Incoming);
    const QList<Message> out = messages(*log, Direction::Outgoing);
    QCOMPARE(in.size(), sent.size() + 1);
    QCOMPARE(out.size(), sent.size() + 1);
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QByteArray expectedPayload = i < sent.size() ? sent[i].second : fragmented;
        const MessageType expectedType = i < sent.size() ? sent[i].first : MessageType::Text;
        QCOMPARE(in[i].type, expectedType);
        // The peer echoing our message intact shows it inflated what we deflated.
        QCOMPARE(in[i].payload, expectedPayload);
        QVERIFY2(in[i].compressed, qPrintable(QStringLiteral("incoming message %1 not compressed").arg(i)));
        const FrameRecord &first = log->frame(in[i].firstFrame);
        QVERIFY(first.has(FrameRecord::Compressed));
        QVERIFY(first.has(FrameRecord::Rsv1));
        QVERIFY(out[i].compressed);
        QVERIFY(log->frame(out[i].firstFrame).has(FrameRecord::Compressed));
    }
    // Only the first frame of a compressed message has RSV1 (RFC 7692 §6.1).
    const Message &lastOut = out.constLast();
    QCOMPARE(lastOut.frameCount, 3u);
    QVERIFY(log->frame(lastOut.firstFrame).has(FrameRecord::Rsv1));
    QVERIFY(!log->frame(lastOut.firstFrame + 1).has(FrameRecord::Rsv1));
    QVERIFY(!log->frame(lastOut.firstFrame + 2).has(FrameRecord::Rsv1));
    for (qsizetype i = 0; i < log->frameCount(); ++i)
        QCOMPARE(log->frame(i).violationMask, quint64(0));

    // Context takeover, seen in the wire sizes of the three identical messages: the peer's echoes (server side) and
    // ours (client side). Without takeover each copy is compressed alone, to the same bytes.
    const auto checkTakeover = [](const QList<Message> &messages, bool noContextTakeover, int windowBits) {
        if (noContextTakeover) {
            QCOMPARE(messages[1].wireLength, messages[0].wireLength);
            QCOMPARE(messages[2].wireLength, messages[0].wireLength);
        } else if (windowBits >= 10) {
            QVERIFY2(
                messages[1].wireLength * 4 < messages[0].wireLength,
                qPrintable(QStringLiteral("%1 then %2 bytes").arg(messages[0].wireLength).arg(messages[1].wireLength)));
            QVERIFY(messages[2].wireLength * 4 < messages[0].wireLength);
        }
    };
    checkTakeover(in, expected.serverNoContextTakeover, expected.serverMaxWindowBits);
    if (QTest::currentTestFailed())
        return;
    checkTakeover(out, expected.clientNoContextTakeover, expected.clientMaxWindowBits);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
}

void tst_RealPeers::peerPingIsAnsweredByAutoPong_data()
{
    addPeerColumn();
    addPeerRow(Peer::Python, "ping");
    addPeerRow(Peer::Node, "ping");
}

void tst_RealPeers::peerPingIsAnsweredByAutoPong()
{
    QFETCH(Peer, peer);
    const QByteArray payload("are you there?");
    QVERIFY2(startPeer(peer, {QStringLiteral("ping"), QStringLiteral("--ping-payload"), QString::fromUtf8(payload)}),
             qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
    // The peer reports whether our automatic pong matched its ping.
    QVERIFY2(waitForIncomingMessages(1), qPrintable(whatHappened()));
    const auto log = session->frameLog();
    QCOMPARE(messages(*log, Direction::Incoming).constFirst().payload, "pong ok: " + payload);

    const auto pings = framesOf(*log, Direction::Incoming, Opcode::Ping);
    const auto pongs = framesOf(*log, Direction::Outgoing, Opcode::Pong);
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pongs.size(), 1);
    QVERIFY(pongs[0] > pings[0]);
    QCOMPARE(log->framePayload(pings[0]), QByteArrayView(payload));
    QCOMPARE(log->framePayload(pongs[0]), QByteArrayView(payload));
    QVERIFY(log->frame(pongs[0]).has(FrameRecord::Masked));
}

void tst_RealPeers::ourPingIsAnswered_data()
{
    addPeerColumn();
    addPeerRow(Peer::Python, "echo");
    addPeerRow(Peer::Node, "echo");
}

void tst_RealPeers::ourPingIsAnswered()
{
    QFETCH(Peer, peer);
    QVERIFY2(startPeer(peer, {QStringLiteral("echo")}), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    const QList<QByteArray> payloads{QByteArray("client ping 1"), QByteArray(), QByteArray(125, 'p')};
    for (const QByteArray &payload : payloads)
        session->sendPing(payload);
    const auto log = session->frameLog();
    QVERIFY(QTest::qWaitFor([&] { return framesOf(*log, Direction::Incoming, Opcode::Pong).size() >= payloads.size(); },
                            waitMs));
    const auto pongs = framesOf(*log, Direction::Incoming, Opcode::Pong);
    QCOMPARE(pongs.size(), payloads.size());
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        QCOMPARE(log->framePayload(pongs[i]), QByteArrayView(payloads[i]));
        // No PongPayloadMismatch: each pong was matched to its ping.
        QCOMPARE(log->frame(pongs[i]).violationMask, quint64(0));
    }
}

void tst_RealPeers::clientCloses_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    for (const Peer peer : {Peer::Python, Peer::Node}) {
        const QString name = PeerProcess::peerName(peer);
        QTest::newRow(qPrintable(name + QStringLiteral(": 1000"))) << peer << 1000 << QStringLiteral("bye");
        QTest::newRow(qPrintable(name + QStringLiteral(": 4001"))) << peer << 4001 << QStringLiteral("fin ✓ custom");
    }
}

void tst_RealPeers::clientCloses()
{
    QFETCH(Peer, peer);
    QFETCH(int, code);
    QFETCH(QString, reason);
    QVERIFY2(startPeer(peer, {QStringLiteral("echo")}), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
    session->sendText(QStringLiteral("before closing"));
    QVERIFY2(waitForIncomingMessages(1), qPrintable(whatHappened()));

    QSignalSpy closed(session, &Session::closed);
    session->sendClose(quint16(code), reason);
    QVERIFY(closed.wait(waitMs));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QCOMPARE(close->initiator, CloseRecord::Initiator::Client);
    QVERIFY2(close->clean, qPrintable(close->error));
    QVERIFY(close->closeSent);
    QVERIFY(close->closeReceived);
    // Both peers echo the code and the reason of our Close.
    QCOMPARE(close->code, quint16(code));
    QCOMPARE(close->reason, reason);
    QVERIFY(close->error.isEmpty());
    QCOMPARE(session->state(), Session::State::Closed);
}

void tst_RealPeers::peerCloses_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    for (const Peer peer : {Peer::Python, Peer::Node}) {
        const QString name = PeerProcess::peerName(peer);
        QTest::newRow(qPrintable(name + QStringLiteral(": 1001"))) << peer << 1001 << QStringLiteral("going away");
        QTest::newRow(qPrintable(name + QStringLiteral(": 4000"))) << peer << 4000 << QStringLiteral("rüde but clean");
    }
}

void tst_RealPeers::peerCloses()
{
    QFETCH(Peer, peer);
    QFETCH(int, code);
    QFETCH(QString, reason);
    QVERIFY2(startPeer(peer, {QStringLiteral("close"), QStringLiteral("--close-code"), QString::number(code),
                              QStringLiteral("--close-reason"), reason}),
             qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    QSignalSpy closed(session, &Session::closed);
    session->sendText(QStringLiteral("close now, please"));
    QVERIFY(closed.wait(waitMs));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QCOMPARE(close->initiator, CloseRecord::Initiator::Server);
    QCOMPARE(close->code, quint16(code));
    QCOMPARE(close->reason, reason);
    QVERIFY2(close->clean, qPrintable(close->error));
    QVERIFY(close->closeSent);
    QVERIFY(close->closeReceived);

    // Our answer echoes the peer's code (RFC 6455 §5.5.1).
    const auto log = session->frameLog();
    const auto ourCloses = framesOf(*log, Direction::Outgoing, Opcode::Close);
    QCOMPARE(ourCloses.size(), 1);
    const QByteArrayView answer = log->framePayload(ourCloses[0]);
    QVERIFY(answer.size() >= 2);
    QCOMPARE(quint16((quint8(answer[0]) << 8) | quint8(answer[1])), quint16(code));
    QVERIFY(ourCloses[0] > framesOf(*log, Direction::Incoming, Opcode::Close).constFirst());
}

void tst_RealPeers::peerDropsConnection_data()
{
    addPeerColumn();
    addPeerRow(Peer::Python, "drop");
    addPeerRow(Peer::Node, "drop");
}

void tst_RealPeers::peerDropsConnection()
{
    QFETCH(Peer, peer);
    QVERIFY2(startPeer(peer, {QStringLiteral("drop")}), qPrintable(m_peer.errorString()));
    Session *session = openSession();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    QSignalSpy closed(session, &Session::closed);
    session->sendText(QStringLiteral("the peer hangs up on this"));
    QVERIFY2(closed.wait(waitMs), qPrintable(whatHappened()));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QCOMPARE(close->code, quint16(1006));
    QCOMPARE(close->initiator, CloseRecord::Initiator::Transport);
    QVERIFY(!close->clean);
    QVERIFY(!close->closeSent);
    QVERIFY(!close->closeReceived);
}

QTEST_GUILESS_MAIN(tst_RealPeers)
#include "tst_realpeers.moc"
