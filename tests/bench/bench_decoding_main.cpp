// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_decoding: what decoding application protocols costs the engine's ingest. Prints `name: value unit`.
//
//   wsi_bench_decoding [--tiny] [--rounds N] [--messages N]
//
// For each protocol (Socket.IO events, STOMP MESSAGE frames, MQTT PUBLISH packets, and plain JSON text that no
// protocol claims) a server's stream of N small messages is built once, as it comes off the socket. Each run
// ingests it the way a Session does, in 64 KiB reads through FrameParser and FrameRecorder into a FrameLog, in
// three modes:
//   off          ingest only (what the engine does today);
//   decode       plus each completed message through the connection's ConnectionDecoder (decoding inline);
//   decode_json  plus MessageDecoding, the "decoded" JSON every JSON output writes;
//   print        plus each message's JSON line as connect --json writes it (CaptureJson), without "decoded";
//   print_decoded  the same line with "decoded": what decoding adds where it runs today.
// Each mode's figure is its median over the rounds, in frames (here: messages) per second; the slowdowns are ingest
// alone over ingest with decoding, and the JSON lines without over with "decoded". The decoded messages are checked
// (the kind expected, no violation), so that a broken decoder cannot look fast.
#include "BenchArguments.h"
#include "core/appprotocol/ConnectionDecoder.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "core/exchange/CaptureJson.h"
#include "core/exchange/MessageDecoding.h"
#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRecorder.h"
#include "core/records/HandshakeRecord.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace wsi;

namespace {

struct Case {
    const char *name;
    QByteArray target;      // the request target the connection was opened with
    QByteArray subprotocol; // the server's choice, when the protocol negotiates one
    QString expectedKind;   // what every message after the leading ones decodes as; empty: nothing
    qint64 leading = 0;     // the protocol's first messages (open, CONNECTED, CONNACK), of other kinds
    QByteArray stream;      // the server's frames
    qint64 messages = 0;
};

enum class Mode : quint8 { Off, Decode, DecodeJson, Print, PrintDecoded };

QByteArray mqttPublish(const QByteArray &topic, const QByteArray &payload)
{
    QByteArray variable;
    variable += char(topic.size() >> 8);
    variable += char(topic.size() & 0xff);
    variable += topic;
    variable += payload;
    QByteArray packet(1, char(0x30)); // PUBLISH, QoS 0
    qsizetype length = variable.size();
    do {
        char digit = char(length % 128);
        length /= 128;
        if (length > 0)
            digit = char(digit | 0x80);
        packet += digit;
    } while (length > 0);
    return packet + variable;
}

QByteArray quote(qint64 i)
{
    return R"({"symbol":"EURUSD","bid":1.08)" + QByteArray::number(100 + i % 900) + R"(,"ask":1.0844,"seq":)" +
           QByteArray::number(i) + '}';
}

std::vector<Case> buildCases(qint64 messages)
{
    FrameWriter writer(Endpoint::Server);
    std::vector<Case> cases;

    Case socketIo{"socketio", "/socket.io/?EIO=4&transport=websocket", {}, QStringLiteral("EVENT"), 2, {}, messages};
    socketIo.stream += writer.text(R"(0{"sid":"bench","upgrades":[],"pingInterval":25000,"pingTimeout":20000})");
    socketIo.stream += writer.text(R"(40{"sid":"bench-socket"})");
    for (qint64 i = 2; i < messages; ++i)
        socketIo.stream += writer.text(QByteArray(R"(42["price",)" + quote(i) + ']'));
    cases.push_back(std::move(socketIo));

    Case stomp{"stomp", "/ws", "v12.stomp", QStringLiteral("MESSAGE"), 1, {}, messages};
    stomp.stream +=
        writer.text(QByteArray(QByteArrayLiteral("CONNECTED\nversion:1.2\nheart-beat:10000,10000\n\n") + '\0'));
    for (qint64 i = 1; i < messages; ++i)
        stomp.stream += writer.text(
            QByteArray("MESSAGE\ndestination:/topic/prices\nmessage-id:T_sub-0@@session-1@@" + QByteArray::number(i) +
                       "\nsubscription:sub-0\ncontent-type:application/json\n\n" + quote(i) + '\0'));
    cases.push_back(std::move(stomp));

    Case mqtt{"mqtt", "/mqtt", "mqtt", QStringLiteral("PUBLISH"), 1, {}, messages};
    mqtt.stream += writer.binary(QByteArray("\x20\x02\x00\x00", 4)); // CONNACK
    for (qint64 i = 1; i < messages; ++i)
        mqtt.stream += writer.binary(mqttPublish("prices/EURUSD", quote(i)));
    cases.push_back(std::move(mqtt));

    Case plain{"plain", "/feed", {}, {}, 0, {}, messages};
    for (qint64 i = 0; i < messages; ++i)
        plain.stream += writer.text(quote(i));
    cases.push_back(std::move(plain));
    return cases;
}

HandshakeRecord handshakeOf(const Case &c)
{
    HandshakeRecord handshake;
    handshake.requestBytes = "GET " + c.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    handshake.requestHeaders.append("Host", "127.0.0.1");
    handshake.responseReceived = true;
    handshake.accepted = true;
    handshake.response.statusCode = 101;
    handshake.subprotocol = QString::fromLatin1(c.subprotocol);
    return handshake;
}

struct Run {
    double seconds = 0;
    qint64 messages = 0;
    qint64 decodedAsExpected = 0;
    qint64 printedBytes = 0;
};

Run ingest(const Case &c, Mode mode)
{
    constexpr qsizetype readSize = 64 * 1024;
    const HandshakeRecord handshake = handshakeOf(c);
    FrameLog::Budget budget;
    budget.maxStoredTotal = c.stream.size() * 2 + (64 << 20);
    Run run;
    QElapsedTimer clock;
    clock.start();
    FrameLog log(budget);
    FrameRecorder recorder(log, Endpoint::Server);
    FrameParser parser(Endpoint::Server);
    ConnectionDecoder decoder(ConnectionFacts::fromHandshake(handshake));
    MessageDecoding json(handshake);
    FrameEvent event;
    qint64 time = 0;
    for (qsizetype at = 0; at < c.stream.size(); at += readSize) {
        QByteArrayView input = QByteArrayView(c.stream).sliced(at, std::min(readSize, c.stream.size() - at));
        time += 1000;
        while (parser.next(input, event)) {
            recorder.recordParsed(event, time);
            if (!recorder.output().message || mode == Mode::Off)
                continue;
            const qsizetype index = log.messageCount() - 1;
            if (mode == Mode::Print || mode == Mode::PrintDecoded) {
                QJsonObject object = CaptureJson::message(log, index);
                if (mode == Mode::PrintDecoded) {
                    const QJsonArray decoded = json.decode(log.message(index), log.messagePayload(index));
                    if (!decoded.isEmpty() && decoded.first()[u"kind"].toString() == c.expectedKind)
                        ++run.decodedAsExpected;
                    if (!decoded.isEmpty())
                        object.insert(MessageDecoding::field, decoded);
                }
                run.printedBytes += CaptureJson::eventLine(QStringLiteral("message"), std::move(object)).size();
            } else if (mode == Mode::Decode) {
                const DecodedMessages decoded = decoder.decode(ConnectionDecoder::messageOf(log, index));
                if (!decoded.isEmpty() && decoded.first().kind == c.expectedKind && decoded.first().isValid())
                    ++run.decodedAsExpected;
            } else {
                const QJsonArray decoded = json.decode(log.message(index), log.messagePayload(index));
                if (!decoded.isEmpty() && decoded.first()[u"kind"].toString() == c.expectedKind &&
                    !decoded.first().toObject().contains(u"violation"))
                    ++run.decodedAsExpected;
            }
        }
    }
    run.seconds = double(clock.nsecsElapsed()) / 1e9;
    run.messages = log.messageCount();
    return run;
}

void print(const QByteArray &name, double value, const char *unit)
{
    std::printf("%s: %.6g %s\n", name.constData(), value, unit);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const bool tiny = args.contains(QStringLiteral("--tiny"));
    const int rounds = int(bench::numberArgument(args, QLatin1StringView("--rounds"), tiny ? 1 : 5));
    const qint64 messages = bench::numberArgument(args, QLatin1StringView("--messages"), tiny ? 2000 : 1000000);

    const std::vector<Case> cases = buildCases(messages);
    const std::pair<Mode, const char *> modes[] = {{Mode::Off, "off"},
                                                   {Mode::Decode, "decode"},
                                                   {Mode::DecodeJson, "decode_json"},
                                                   {Mode::Print, "print"},
                                                   {Mode::PrintDecoded, "print_decoded"}};
    int status = 0;
    for (const Case &c : cases) {
        double rate[std::size(modes)] = {};
        for (const auto &[mode, modeName] : modes) {
            std::vector<double> rates;
            for (int round = 0; round < rounds; ++round) {
                const Run run = ingest(c, mode);
                const bool decodes = mode == Mode::Decode || mode == Mode::DecodeJson || mode == Mode::PrintDecoded;
                const qint64 expected = !decodes || c.expectedKind.isEmpty() ? 0 : c.messages - c.leading;
                if (run.messages != c.messages || run.decodedAsExpected != expected) {
                    std::fprintf(stderr,
                                 "wsi_bench_decoding: %s %s: %lld messages, %lld decoded as %s (expected %lld)\n",
                                 c.name, modeName, static_cast<long long>(run.messages),
                                 static_cast<long long>(run.decodedAsExpected), qPrintable(c.expectedKind),
                                 static_cast<long long>(expected));
                    status = 1;
                }
                rates.push_back(double(run.messages) / run.seconds);
            }
            rate[int(mode)] = median(rates);
            print(QByteArray("ingest_") + c.name + '_' + modeName, rate[int(mode)], "frames/s");
        }
        print(QByteArray("ingest_") + c.name + "_slowdown_decode", rate[0] / rate[1], "x");
        print(QByteArray("ingest_") + c.name + "_slowdown_decode_json", rate[0] / rate[2], "x");
        print(QByteArray("ingest_") + c.name + "_slowdown_print_decoded", rate[3] / rate[4], "x");
    }
    return status;
}
