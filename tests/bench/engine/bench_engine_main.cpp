// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_engine: how fast one Session receives and records messages from a local server, against a QWebSocket
// client reading the same server in the same run. Prints one figure per line as `name: value unit`.
//
//   wsi_bench_engine [--tiny] [--rounds N] [--case 16B|1KiB|1MiB] [--each]
//
// For each message size (16 B, 1 KiB, 1 MiB) the server (BlastServer, on its own thread) sends N binary messages
// right after the handshake. A run is timed from the end of the handshake to the arrival of the N-th message. Each
// round runs every client once; each client's median over the rounds is its figure (its best round is printed too).
// Two baselines: a QWebSocket client that drops each message once received, and one that keeps every message (the
// same bytes the session keeps).
#include "BlastServer.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/records/CaptureMemory.h"
#include "core/session/Session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace wsi;

namespace {

struct Case {
    const char *name;
    qsizetype size;
    qint64 count;
};

struct RunResult {
    bool ok = false;
    double seconds = 0;
};

QUrl blastUrl(quint16 port, const Case &c)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/blast?count=%2&size=%3").arg(port).arg(c.count).arg(c.size));
}

RunResult runSession(quint16 port, const Case &c)
{
    SessionOptions options;
    options.url = blastUrl(port, c);
    options.offerDeflate = false;
    options.limits.maxFramePayload = 64 * 1024 * 1024;
    options.limits.maxMessageSize = 64 * 1024 * 1024;
    options.budget.maxStoredTotal = qEnvironmentVariableIsSet("WSI_BENCH_NO_STORE")
                                        ? 0
                                        : qint64(c.size) * c.count + 64 * 1024 * 1024; // keep every payload
    Session session(options);
    QEventLoop loop;
    QElapsedTimer clock;
    qint64 handshakeDoneNs = -1;
    QObject::connect(&session, &Session::handshakeFinished, &loop, [&](bool accepted) {
        handshakeDoneNs = clock.nsecsElapsed();
        if (!accepted)
            loop.quit();
    });
    const auto log = session.frameLog();
    auto checkDone = [&] {
        if (log->messageCount() >= c.count)
            loop.quit();
    };
    QObject::connect(&session, &Session::framesAppended, &loop, checkDone);
    QObject::connect(&session, &Session::closed, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    clock.start();
    session.open(); // the session's clock starts here too, within microseconds of ours
    loop.exec();
    if (handshakeDoneNs < 0 || log->messageCount() < c.count)
        return {};
    // The session stamps every message when it is recorded: the N-th message's stamp ends the run.
    const qint64 lastNs = log->message(qsizetype(c.count - 1)).timeNs;
    return {true, double(lastNs - handshakeDoneNs) / 1e9};
}

// The baseline client. With `keepMessages` it also keeps every message it receives (in a QList, as an application
// that records what it gets would), so that both sides of that comparison keep the same bytes: keeping 200 MB needs
// 200 MB of fresh pages, which a client that drops each message never touches.
RunResult runQWebSocket(quint16 port, const Case &c, bool keepMessages)
{
    QWebSocket socket;
    socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    socket.setMaxAllowedIncomingFrameSize(64 * 1024 * 1024);
    QEventLoop loop;
    QElapsedTimer clock;
    qint64 connectedNs = -1;
    qint64 lastNs = -1;
    qint64 received = 0;
    QList<QByteArray> kept;
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] { connectedNs = clock.nsecsElapsed(); });
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &loop, [&](const QByteArray &message) {
        if (keepMessages)
            kept.append(message);
        if (++received == c.count) {
            lastNs = clock.nsecsElapsed();
            loop.quit();
        }
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    clock.start();
    socket.open(blastUrl(port, c));
    loop.exec();
    socket.abort();
    if (connectedNs < 0 || lastNs < 0)
        return {};
    return {true, double(lastNs - connectedNs) / 1e9};
}

// The ceiling: a plain TCP reader that upgrades, then counts the bytes of the N frames and drops them, parsing
// nothing. No WebSocket client can receive faster from this server; when the clients come close to it, the server and
// the kernel's loopback are what bound them, not the client.
RunResult runTcpDrain(quint16 port, const Case &c)
{
    const qint64 headerBytes = c.size < 126 ? 2 : c.size <= 0xffff ? 4 : 10; // server frames are not masked
    const qint64 expected = c.count * (headerBytes + c.size);
    QTcpSocket socket;
    QEventLoop loop;
    QElapsedTimer clock;
    QByteArray response;
    qint64 upgradedNs = -1;
    qint64 lastNs = -1;
    qint64 received = 0;
    std::vector<char> sink(1024 * 1024);
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] {
        const QUrl url = blastUrl(port, c);
        socket.write("GET " + url.path(QUrl::FullyEncoded).toLatin1() + '?' + url.query(QUrl::FullyEncoded).toLatin1() +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: " +
                     HandshakeRequest::generateKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        if (upgradedNs < 0) {
            response += socket.readAll();
            const qsizetype end = response.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            upgradedNs = clock.nsecsElapsed();
            received = response.size() - (end + 4);
        }
        while (socket.bytesAvailable() > 0)
            received += socket.read(sink.data(), qint64(sink.size()));
        if (received >= expected && lastNs < 0) {
            lastNs = clock.nsecsElapsed();
            loop.quit();
        }
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    clock.start();
    socket.connectToHost(QHostAddress::LocalHost, port);
    loop.exec();
    socket.abort();
    if (upgradedNs < 0 || lastNs < 0)
        return {};
    return {true, double(lastNs - upgradedNs) / 1e9};
}

// How fast this machine hands out fresh memory, allocated as capture storage allocates a block it has no recycled
// one for: the floor under any client that keeps every byte it receives in memory it has not used before. Each page
// is touched once (the kernel zeroes it on that first touch).
double freshMemoryBytesPerSecond(qint64 bytes)
{
    constexpr std::size_t block = CaptureMemory::maxPooledBytes;
    std::vector<void *> blocks;
    QElapsedTimer clock;
    clock.start();
    for (qint64 done = 0; done < bytes; done += qint64(block)) {
        auto *data = static_cast<char *>(CaptureMemory::allocateFresh(block));
        for (std::size_t offset = 0; offset < block; offset += 4096)
            data[offset] = 1;
        blocks.push_back(data);
    }
    const double rate = double(bytes) / (double(clock.nsecsElapsed()) / 1e9);
    for (void *data : blocks)
        CaptureMemory::freeFresh(data);
    return rate;
}

// Every round counts, the first included: the median is steadier than the best on a shared machine, where one
// client's lucky round would otherwise decide the ratio.
double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double best(const std::vector<double> &values)
{
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

void print(const QByteArray &name, double value, const char *unit)
{
    std::printf("%s: %.6g %s\n", name.constData(), value, unit);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool tiny = args.contains(QStringLiteral("--tiny"));
    const bool eachRun = args.contains(QStringLiteral("--each")); // every run's figure on stderr
    int rounds = tiny ? 1 : 3;
    if (const qsizetype at = args.indexOf(QStringLiteral("--rounds")); at > 0 && at + 1 < args.size())
        rounds = std::max(1, args.at(at + 1).toInt());

    QThread serverThread;
    serverThread.start();
    auto *server = new bench::BlastServer;
    server->moveToThread(&serverThread);
    quint16 port = 0;
    QMetaObject::invokeMethod(
        server, [&] { port = server->listen(); }, Qt::BlockingQueuedConnection);
    if (port == 0) {
        std::fprintf(stderr, "wsi_bench_engine: the local server could not listen\n");
        return 1;
    }

    const Case cases[] = {
        {"16B", 16, tiny ? 2000 : 1000000},
        {"1KiB", 1024, tiny ? 500 : 200000},
        {"1MiB", 1024 * 1024, tiny ? 4 : 200},
    };
    QString only;
    if (const qsizetype at = args.indexOf(QStringLiteral("--case")); at > 0 && at + 1 < args.size())
        only = args.at(at + 1);
    print("fresh_memory_rate", freshMemoryBytesPerSecond(tiny ? 16ll << 20 : 256ll << 20) / 1e6, "MB/s");
    int failures = 0;
    for (const Case &c : cases) {
        if (!only.isEmpty() && only != QLatin1StringView(c.name))
            continue;
        // Each round runs the three clients, starting with a different one each time, so that none always follows
        // the same neighbour (a run that just freed 200 MB leaves the kernel busier for the next).
        enum Client { SessionClient, QtDropping, QtKeeping, TcpDrain, clientCount };
        const char *const clientNames[clientCount] = {"session", "qwebsocket", "qwebsocket_keeping", "tcp_drain"};
        std::vector<double> rates[clientCount];
        double sessionFirstRound = 0;
        for (int round = 0; round < rounds; ++round) {
            for (int step = 0; step < clientCount; ++step) {
                const auto client = Client((round + step) % clientCount);
                const RunResult result = client == SessionClient ? runSession(port, c)
                                         : client == TcpDrain    ? runTcpDrain(port, c)
                                                                 : runQWebSocket(port, c, client == QtKeeping);
                if (!result.ok) {
                    std::fprintf(stderr, "wsi_bench_engine: %s round %d: the %s run did not complete\n", c.name, round,
                                 clientNames[client]);
                    ++failures;
                    continue;
                }
                const double rate = double(c.count) / result.seconds;
                rates[client].push_back(rate);
                if (eachRun)
                    std::fprintf(stderr, "%s round %d %s: %.6g frames/s\n", c.name, round, clientNames[client], rate);
                if (client == SessionClient && round == 0)
                    sessionFirstRound = rate;
            }
        }
        const QByteArray size(c.name);
        const double mb = double(c.size) / 1e6;
        print("session_" + size + "_messages", double(c.count), "messages");
        // The first round records into memory the process never used before (see CaptureMemory); later rounds into
        // what earlier sessions gave back.
        print("session_" + size + "_first_round_frames_per_s", sessionFirstRound, "frames/s");
        for (int client = 0; client < clientCount; ++client) {
            const QByteArray name = QByteArray(clientNames[client]) + '_' + size;
            print(name + "_frames_per_s", median(rates[client]), "frames/s");
            print(name + "_throughput", median(rates[client]) * mb, "MB/s");
            print(name + "_best_frames_per_s", best(rates[client]), "frames/s");
        }
        auto ratio = [](double ours, double theirs) { return theirs > 0 ? ours / theirs : 0; };
        print("ratio_" + size + "_session_vs_qwebsocket",
              ratio(median(rates[SessionClient]), median(rates[QtDropping])), "x");
        print("ratio_" + size + "_session_vs_qwebsocket_keeping",
              ratio(median(rates[SessionClient]), median(rates[QtKeeping])), "x");
        print("ratio_" + size + "_best_session_vs_qwebsocket",
              ratio(best(rates[SessionClient]), best(rates[QtDropping])), "x");
        print("ratio_" + size + "_session_vs_tcp_drain", ratio(median(rates[SessionClient]), median(rates[TcpDrain])),
              "x");
        print("ratio_" + size + "_qwebsocket_vs_tcp_drain", ratio(median(rates[QtDropping]), median(rates[TcpDrain])),
              "x");
        std::fflush(stdout);
    }

    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return failures == 0 ? 0 : 1;
}
