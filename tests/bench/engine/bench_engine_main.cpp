// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_engine: how fast one Session receives and records messages from a local server, against a QWebSocket
// client reading the same server in the same run. Prints one figure per line as `name: value unit`.
//
//   wsi_bench_engine [--tiny] [--rounds N] [--case 16B|1KiB|1MiB]
//
// For each message size (16 B, 1 KiB, 1 MiB) the server (BlastServer, on its own thread) sends N binary messages
// right after the handshake. A run is timed from the end of the handshake to the arrival of the N-th message;
// rounds alternate between the clients and the best round of each is reported. Two baselines: a QWebSocket client
// that drops each message once received, and one that keeps every message (the same bytes the session keeps).
#include "BlastServer.h"
#include "PayloadStore.h"
#include "Session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>
#include <memory>

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

// How fast this machine hands out fresh memory through the session's own allocator: the floor under any client that
// keeps every byte it receives. Each page is touched once (the kernel zeroes it on that first touch).
double freshMemoryBytesPerSecond(qint64 bytes)
{
    PayloadStore store;
    QElapsedTimer clock;
    clock.start();
    constexpr qsizetype block = PayloadStore::maxChunkBytes;
    for (qint64 done = 0; done < bytes; done += block) {
        const PayloadStore::ReadRegion region = store.reserve(block, bytes);
        for (qsizetype offset = 0; offset < region.size; offset += 4096)
            region.data[offset] = 1;
    }
    return double(bytes) / (double(clock.nsecsElapsed()) / 1e9);
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
        double bestSession = 0;
        double bestQt = 0;
        double bestQtKeeping = 0;
        for (int round = 0; round < rounds; ++round) {
            const RunResult ours = runSession(port, c);
            const RunResult qt = runQWebSocket(port, c, false);
            const RunResult qtKeeping = runQWebSocket(port, c, true);
            if (!ours.ok || !qt.ok || !qtKeeping.ok) {
                std::fprintf(stderr,
                             "wsi_bench_engine: %s round %d did not complete (session %d, qwebsocket %d, "
                             "qwebsocket keeping %d)\n",
                             c.name, round, int(ours.ok), int(qt.ok), int(qtKeeping.ok));
                ++failures;
                continue;
            }
            bestSession = std::max(bestSession, double(c.count) / ours.seconds);
            bestQt = std::max(bestQt, double(c.count) / qt.seconds);
            bestQtKeeping = std::max(bestQtKeeping, double(c.count) / qtKeeping.seconds);
        }
        const QByteArray size(c.name);
        const double mb = double(c.size) / 1e6;
        print("session_" + size + "_messages", double(c.count), "messages");
        print("session_" + size + "_frames_per_s", bestSession, "frames/s");
        print("session_" + size + "_throughput", bestSession * mb, "MB/s");
        print("qwebsocket_" + size + "_frames_per_s", bestQt, "frames/s");
        print("qwebsocket_" + size + "_throughput", bestQt * mb, "MB/s");
        print("qwebsocket_keeping_" + size + "_frames_per_s", bestQtKeeping, "frames/s");
        print("qwebsocket_keeping_" + size + "_throughput", bestQtKeeping * mb, "MB/s");
        print("ratio_" + size + "_session_vs_qwebsocket", bestQt > 0 ? bestSession / bestQt : 0, "x");
        print("ratio_" + size + "_session_vs_qwebsocket_keeping", bestQtKeeping > 0 ? bestSession / bestQtKeeping : 0,
              "x");
        std::fflush(stdout);
    }

    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return failures == 0 ? 0 : 1;
}
