// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/JsonLinesWriter.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace wsi;

namespace {

constexpr qint64 msNs = 1000000;

FrameRecord frameAt(qint64 ms, quint8 opcode, quint64 length, Direction direction)
{
    FrameHeader header;
    header.opcode = opcode;
    header.fin = true;
    header.payloadLength = length;
    header.headerLength = 2;
    return FrameRecord::fromHeader(header, ms * msNs, direction);
}

MessageRecord messageOf(qsizetype frame, qint64 ms, quint64 length, Direction direction)
{
    MessageRecord message;
    message.type = MessageType::Text;
    message.direction = direction;
    message.timeNs = ms * msNs;
    message.firstFrame = quint64(frame);
    message.lastFrame = quint64(frame);
    message.frameCount = 1;
    message.length = length;
    message.wireLength = length;
    return message;
}

HeartbeatEvent heartbeatAt(qint64 ms, HeartbeatEvent::Kind kind)
{
    HeartbeatEvent event;
    event.timeNs = ms * msNs;
    event.kind = kind;
    event.sequence = 1;
    return event;
}

// A session with a heartbeat: "hi" out at 1 s with its ping, the pong at 1.2 s, a missed reply at 5 s, "hello
// world" in at 6 s, then the connection dropped at 70 s.
SessionRecords session(const FrameLog::Budget &budget = FrameLog::Budget{})
{
    SessionRecords s;
    s.url = QUrl(QStringLiteral("ws://example.test/feed"));
    s.startedAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    s.handshake.accepted = true;
    s.handshake.responseReceived = true;
    s.handshake.response.statusCode = 101;
    s.handshake.timings.connectNs = 2 * msNs;
    s.handshake.timings.upgradeNs = 3 * msNs;
    const auto log = std::make_shared<FrameLog>(budget);
    s.log = log;
    log->appendFrame(frameAt(1000, 1, 2, Direction::Outgoing), QByteArray("hi"));
    log->appendMessage(messageOf(0, 1000, 2, Direction::Outgoing), QByteArray("hi"));
    log->appendFrame(frameAt(1000, 9, 0, Direction::Outgoing), QByteArray());
    log->appendFrame(frameAt(1200, 10, 0, Direction::Incoming), QByteArray());
    log->appendFrame(frameAt(6000, 1, 11, Direction::Incoming), QByteArray("hello world"));
    log->appendMessage(messageOf(3, 6000, 11, Direction::Incoming), QByteArray("hello world"));
    const auto heartbeat = std::make_shared<HeartbeatHistory>(HeartbeatSettings{});
    s.heartbeat = heartbeat;
    heartbeat->append(heartbeatAt(1000, HeartbeatEvent::Kind::Sent));
    heartbeat->append(heartbeatAt(1200, HeartbeatEvent::Kind::Reply));
    heartbeat->append(heartbeatAt(5000, HeartbeatEvent::Kind::Missed));
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Transport;
    close.code = 1006;
    close.atNs = 70000 * msNs;
    s.close = close;
    return s;
}

QList<QJsonObject> linesOf(const QByteArray &bytes)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : bytes.split('\n')) {
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

QStringList eventNames(const QList<QJsonObject> &lines)
{
    QStringList names;
    for (const QJsonObject &line : lines)
        names.append(line.value(QStringLiteral("event")).toString());
    return names;
}

} // namespace

class tst_JsonLinesWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The order connect --json prints: heartbeats sent are their frames; a reply after its pong, a miss in time
    // order; each message after its frame; the close and, after an abnormal end, the diagnosis.
    void eventsInConnectOrder()
    {
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        JsonLinesWriter writer(&buffer);
        QVERIFY(writer.write({session()}));
        const QList<QJsonObject> lines = linesOf(buffer.data());
        QCOMPARE(eventNames(lines),
                 (QStringList{QStringLiteral("handshake"), QStringLiteral("frame"), QStringLiteral("message"),
                              QStringLiteral("frame"), QStringLiteral("frame"), QStringLiteral("heartbeat"),
                              QStringLiteral("heartbeat"), QStringLiteral("frame"), QStringLiteral("message"),
                              QStringLiteral("close"), QStringLiteral("diagnosis")}));
        const QJsonObject handshake = lines.constFirst();
        QCOMPARE(handshake.value(QStringLiteral("t")).toDouble(), 0.005);
        QCOMPARE(handshake.value(QStringLiteral("url")).toString(), QStringLiteral("ws://example.test/feed"));
        QCOMPARE(handshake.value(QStringLiteral("started")).toString(), QStringLiteral("2026-01-02T03:04:05.000Z"));
        QCOMPARE(lines.at(5).value(QStringLiteral("what")).toString(), QStringLiteral("reply"));
        QCOMPARE(lines.at(6).value(QStringLiteral("what")).toString(), QStringLiteral("missed"));
        QCOMPARE(lines.at(8).value(QStringLiteral("payload")).toString(), QStringLiteral("hello world"));
        QCOMPARE(lines.at(10).value(QStringLiteral("t")).toDouble(), 70.0);
        for (const QJsonObject &line : lines)
            QCOMPARE(line.value(QStringLiteral("session")).toInt(), 1);
        QCOMPARE(writer.unreadPayloadCount(), 0);
    }

    // The handshake event carries no credential unless asked: URL, parsed headers and raw request alike.
    void secretsLeftOutUnlessAsked()
    {
        SessionRecords s = session();
        s.url = QUrl(QStringLiteral("ws://example.test/feed?token=xyz"));
        s.handshake.requestHeaders.append("Authorization", "Bearer abc");
        s.handshake.requestBytes = "GET /feed?token=xyz HTTP/1.1\r\nAuthorization: Bearer abc\r\n\r\n";
        QBuffer redacted;
        QVERIFY(redacted.open(QIODevice::WriteOnly));
        QVERIFY(JsonLinesWriter(&redacted).write({s}));
        const QJsonObject handshake = linesOf(redacted.data()).constFirst();
        QCOMPARE(handshake.value(QStringLiteral("url")).toString(),
                 QStringLiteral("ws://example.test/feed?token=[redacted]"));
        const QJsonObject request = handshake.value(QStringLiteral("request")).toObject();
        QCOMPARE(request.value(QStringLiteral("raw")).toString(),
                 QStringLiteral("GET /feed?token=[redacted] HTTP/1.1\r\nAuthorization: Bearer [redacted]\r\n\r\n"));
        QVERIFY(!redacted.data().contains("abc") && !redacted.data().contains("xyz"));

        QBuffer kept;
        QVERIFY(kept.open(QIODevice::WriteOnly));
        JsonLinesWriter writer(&kept);
        writer.setRedaction(SecretRedaction::keepingSecrets());
        QVERIFY(writer.write({s}));
        QVERIFY(kept.data().contains("Bearer abc") && kept.data().contains("token=xyz"));
    }

    void sessionsNumberedInOrder()
    {
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        JsonLinesWriter writer(&buffer);
        SessionRecords clean = session();
        clean.close->clean = true;
        clean.close->code = 1000;
        QVERIFY(writer.write({session(), clean}));
        const QList<QJsonObject> lines = linesOf(buffer.data());
        QCOMPARE(lines.size(), 11 + 10); // no diagnosis after a clean close
        QCOMPARE(lines.at(11).value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
        QCOMPARE(lines.at(11).value(QStringLiteral("session")).toInt(), 2);
        QCOMPARE(lines.constLast().value(QStringLiteral("event")).toString(), QStringLiteral("close"));
        QCOMPARE(lines.constLast().value(QStringLiteral("session")).toInt(), 2);
    }

    void payloadLimitCuts()
    {
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        JsonLinesWriter writer(&buffer, 5);
        QVERIFY(writer.write({session()}));
        const QJsonObject message = linesOf(buffer.data()).at(8);
        QCOMPARE(message.value(QStringLiteral("payload")).toString(), QStringLiteral("hello"));
        QVERIFY(message.value(QStringLiteral("truncated")).toBool());
        QCOMPARE(message.value(QStringLiteral("length")).toInt(), 11);
    }

    // Without a recording, what the log's budget cut is lost: written as far as it goes, marked and counted.
    void cutPayloadWithoutRecordingIsMarked()
    {
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        JsonLinesWriter writer(&buffer);
        QVERIFY(writer.write({session(FrameLog::Budget{1024, 4})}));
        const QList<QJsonObject> lines = linesOf(buffer.data());
        QCOMPARE(lines.at(7).value(QStringLiteral("payload")).toString(), QStringLiteral("hell"));
        QVERIFY(lines.at(7).value(QStringLiteral("truncated")).toBool());
        QVERIFY(lines.at(8).value(QStringLiteral("truncated")).toBool());
        QCOMPARE(writer.unreadPayloadCount(), 2);
    }

    // Messages of a recognised application protocol carry "decoded" as connect --json prints them (an array, one
    // object per protocol message); those of a connection no protocol claims carry none.
    void recognisedProtocolIsDecoded()
    {
        SessionRecords socketIo;
        socketIo.url = QUrl(QStringLiteral("ws://example.test/socket.io/?EIO=4&transport=websocket"));
        socketIo.handshake.requestBytes =
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: example.test\r\n\r\n";
        socketIo.handshake.requestHeaders.append("Host", "example.test");
        socketIo.handshake.accepted = socketIo.handshake.responseReceived = true;
        socketIo.handshake.response.statusCode = 101;
        const auto log = std::make_shared<FrameLog>();
        socketIo.log = log;
        const QList<std::pair<Direction, QByteArray>> messages{
            {Direction::Incoming, R"(0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000})"},
            {Direction::Outgoing, "40"},
            {Direction::Incoming, R"(42["news",{"id":7}])"},
        };
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const auto &[direction, payload] = messages.at(i);
            const qsizetype frame =
                log->appendFrame(frameAt(1000 * (i + 1), 1, quint64(payload.size()), direction), payload);
            log->appendMessage(messageOf(frame, 1000 * (i + 1), quint64(payload.size()), direction), payload);
        }

        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        JsonLinesWriter writer(&buffer);
        QVERIFY(writer.write({session(), socketIo}));
        QStringList kinds;
        for (const QJsonObject &line : linesOf(buffer.data())) {
            if (line.value(QStringLiteral("event")).toString() != QLatin1StringView("message"))
                continue;
            if (line.value(QStringLiteral("session")).toInt() == 1) {
                QVERIFY(!line.contains(QStringLiteral("decoded")));
                continue;
            }
            const QJsonArray decoded = line.value(QStringLiteral("decoded")).toArray();
            QCOMPARE(decoded.size(), 1);
            QCOMPARE(decoded.first()[u"protocol"].toString(), QStringLiteral("socket.io"));
            kinds.append(decoded.first()[u"kind"].toString());
            if (kinds.last() == QLatin1StringView("EVENT")) {
                QCOMPARE(decoded.first()[u"namespace"].toString(), QStringLiteral("/"));
                QCOMPARE(decoded.first()[u"event"].toString(), QStringLiteral("news"));
                QCOMPARE(decoded.first()[u"args"].toArray().first()[u"id"].toInt(), 7);
            }
        }
        QCOMPARE(kinds, (QStringList{QStringLiteral("open"), QStringLiteral("CONNECT"), QStringLiteral("EVENT")}));
    }

    void refusedWriteIsReported()
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        JsonLinesWriter writer(&buffer);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("ReadOnly device")));
        QVERIFY(!writer.write({session()}));
        QVERIFY(!writer.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_JsonLinesWriter)
#include "tst_jsonlineswriter.moc"
