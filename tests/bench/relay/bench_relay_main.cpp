// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_relay: the relay `wsinspector-cli proxy` (which parses and records both directions of every connection)
// against a real nginx doing the same job (proxy_pass with the Upgrade headers) and against no relay at all, side by
// side in one run, on 127.0.0.1:
// - throughput: a client sends N binary messages as fast as the path takes them to an echo server and counts the
//   echoes; messages/s per path (median and range over the rounds, each round running every path, in a different
//   order each round), and each relay's median against nginx's; and the CPU time each relaying process spent per
//   message (/proc/PID/schedstat), which a busy shared machine moves far less than the rates;
// - latency: 1 KiB messages paced at --rate a second; each echo's round trip, p50 / p99 / max per path, and what
//   each relay adds to the direct path's;
// - memory: a fresh relay process relays --rss-connections connections one after the other, each echoing
//   --rss-mb MB in 16 KiB messages; its resident memory (VmRSS) after they all closed, and its peak (VmHWM).
// Each --rules FILE adds each relay once more with `--rules FILE` (paths "relay1+r1", ...), to measure the relay with
// rules (tests/bench/relay/rules-*.json) against itself without, in the same run.
// The peers (tests/bench/relay: EchoPeer, WireClient) are plain sockets that never copy a payload more than the wire
// needs, so they are not what a run measures. The relay's output goes to /dev/null.
//
//   wsi_bench_relay [--tiny] [--rounds R] [--messages N] [--rate R] [--paced-seconds S] [--rss-connections C]
//                   [--rss-mb M] [--each] [--only 32|1024|65536|latency|memory]
//                   [--cli PATH]... [--rules FILE]...
//
// Defaults: 3 rounds of 1,000,000 x 32 B, 200,000 x 1 KiB and 4,000 x 64 KiB (N scales the first two), 10 s paced at
// 1,000 messages/s, 20 connections of 200 MB each, against the wsinspector-cli built with this program. Several --cli
// may be given: each is measured in the same run (e.g. an earlier build's as the baseline). --tiny: a few hundred
// messages and 2 connections of 1 MB, for CI. Linux only (/proc). Needs nginx (Debian nginx-light).
#include "BenchArguments.h"
#include "EchoPeer.h"
#include "PeerProcess.h"
#include "RealNginx.h"
#include "WireClient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using wsi::bench::EchoPeer;
using wsi::bench::WireClient;
using wsi::test::PeerProcess;

namespace {

struct Path {
    QString name;
    quint16 port = 0;
    qint64 pid = 0; // the relaying process, 0 for the direct path
};

// A process's CPU time so far and its time spent runnable but waiting for a CPU, in ns (/proc/PID/schedstat). On a
// shared machine a relay's messages/s move with everything else that runs; the CPU time it spends per message
// barely does, and the waiting says how much of a run the machine took from it.
struct SchedulerTimes {
    qint64 runNs = -1;
    qint64 waitNs = -1;
};

SchedulerTimes schedulerTimes(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/schedstat").arg(pid));
    if (pid <= 0 || !file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = file.readAll().split(' ');
    return {fields.value(0).toLongLong(), fields.value(1).toLongLong()};
}

// A `wsinspector-cli proxy` in front of the echo server, its output thrown away.
class RelayProcess final
{
public:
    // `extra`: more of the proxy's arguments (--rules FILE).
    bool start(const QString &program, quint16 upstreamPort, const QStringList &extra = {})
    {
        m_port = PeerProcess::freePort();
        m_process.setStandardOutputFile(QProcess::nullDevice());
        m_process.setStandardErrorFile(QProcess::nullDevice());
        m_process.start(program, QStringList{QStringLiteral("proxy"), QStringLiteral("--listen"),
                                             QStringLiteral("127.0.0.1:%1").arg(m_port), QStringLiteral("--upstream"),
                                             QStringLiteral("ws://127.0.0.1:%1/").arg(upstreamPort)} +
                                     extra);
        if (!m_process.waitForStarted(10000))
            return false;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 20000 && m_process.state() == QProcess::Running) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_port);
            if (probe.waitForConnected(500))
                return true;
            QThread::msleep(50);
        }
        return false;
    }
    ~RelayProcess()
    {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    // A field of /proc/PID/status in KiB ("VmRSS", "VmHWM"), or -1.
    qint64 statusKiB(const char *field)
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith(QByteArray(QByteArray(field) + ':')))
                return line.mid(qsizetype(qstrlen(field)) + 1).trimmed().split(' ').value(0).toLongLong();
        }
        return -1;
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n == 0 ? 0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double percentile(const std::vector<qint64> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const size_t at = std::min(sorted.size() - 1, size_t(p * double(sorted.size())));
    return double(sorted[at]) / 1000.0; // microseconds
}

bool throughput(const QList<Path> &paths, qsizetype size, qint64 count, int rounds, bool each)
{
    std::vector<std::vector<double>> rates(size_t(paths.size()));
    std::vector<std::vector<double>> cpuPerMessage(size_t(paths.size()));  // us
    std::vector<std::vector<double>> waitPerMessage(size_t(paths.size())); // us
    for (int round = 0; round < rounds; ++round) {
        for (qsizetype k = 0; k < paths.size(); ++k) {
            const qsizetype p = (k + round) % paths.size();
            WireClient client;
            double seconds = -1;
            const SchedulerTimes before = schedulerTimes(paths.at(p).pid);
            if (client.open(paths.at(p).port))
                seconds = client.blast(count, size, 4 * 1024 * 1024);
            const SchedulerTimes after = schedulerTimes(paths.at(p).pid);
            if (seconds < 0 || !client.close()) {
                std::fprintf(stderr, "%s, %lld B: %s\n", qPrintable(paths.at(p).name), static_cast<long long>(size),
                             qPrintable(client.error()));
                return false;
            }
            rates[size_t(p)].push_back(double(count) / seconds);
            if (before.runNs >= 0 && after.runNs >= 0) {
                cpuPerMessage[size_t(p)].push_back(double(after.runNs - before.runNs) / 1000.0 / double(count));
                waitPerMessage[size_t(p)].push_back(double(after.waitNs - before.waitNs) / 1000.0 / double(count));
            }
            if (each)
                std::printf("  round %d %s: %.0f msg/s\n", round + 1, qPrintable(paths.at(p).name),
                            double(count) / seconds);
        }
    }
    std::printf("throughput %lld x %lld B (echoed), messages/s, median [min-max] of %d:\n",
                static_cast<long long>(count), static_cast<long long>(size), rounds);
    const double nginx = median(rates[1]);
    for (qsizetype p = 0; p < paths.size(); ++p) {
        const std::vector<double> &r = rates[size_t(p)];
        const double mid = median(r);
        std::printf("  %-8s %10.0f [%.0f-%.0f]", qPrintable(paths.at(p).name), mid,
                    *std::min_element(r.begin(), r.end()), *std::max_element(r.begin(), r.end()));
        if (p >= 2) {
            std::vector<double> ratios;
            for (size_t i = 0; i < r.size(); ++i)
                ratios.push_back(r[i] / rates[1][i]);
            std::printf("  vs nginx %.2fx (rounds %.2f-%.2f)", mid / nginx,
                        *std::min_element(ratios.begin(), ratios.end()),
                        *std::max_element(ratios.begin(), ratios.end()));
        }
        if (const std::vector<double> &cpu = cpuPerMessage[size_t(p)]; !cpu.empty()) {
            std::printf("  CPU %.2f us/msg", median(cpu));
            if (p >= 2 && !cpuPerMessage[1].empty())
                std::printf(" (%.2fx nginx's)", median(cpu) / median(cpuPerMessage[1]));
            std::printf(", waited for a CPU %.2f us/msg", median(waitPerMessage[size_t(p)]));
        }
        std::printf("\n");
    }
    std::fflush(stdout);
    return true;
}

bool latency(const QList<Path> &paths, int rate, qint64 count)
{
    std::printf("latency, 1 KiB echoed at %d/s, %lld messages, round trip in us: p50 / p99 / max\n", rate,
                static_cast<long long>(count));
    double directP50 = 0;
    double directP99 = 0;
    double nginxP50 = 0;
    double nginxP99 = 0;
    for (qsizetype p = 0; p < paths.size(); ++p) {
        WireClient client;
        std::vector<qint64> trips;
        if (client.open(paths.at(p).port))
            trips = client.paced(count, rate, 1024);
        if (trips.empty() || !client.close()) {
            std::fprintf(stderr, "%s, paced: %s\n", qPrintable(paths.at(p).name), qPrintable(client.error()));
            return false;
        }
        std::sort(trips.begin(), trips.end());
        const double p50 = percentile(trips, 0.5);
        const double p99 = percentile(trips, 0.99);
        std::printf("  %-8s %7.0f / %7.0f / %7.0f", qPrintable(paths.at(p).name), p50, p99,
                    double(trips.back()) / 1000.0);
        if (p == 0) {
            directP50 = p50;
            directP99 = p99;
        } else {
            std::printf("   added vs direct: p50 %+.0f, p99 %+.0f", p50 - directP50, p99 - directP99);
        }
        if (p == 1) {
            nginxP50 = p50;
            nginxP99 = p99;
        } else if (p >= 2) {
            std::printf("; vs nginx: p50 %+.0f, p99 %+.0f", p50 - nginxP50, p99 - nginxP99);
        }
        std::printf("\n");
    }
    std::fflush(stdout);
    return true;
}

bool memory(const QString &name, const QString &program, quint16 echoPort, int connections, qint64 megabytes, bool tiny)
{
    RelayProcess relay;
    if (!relay.start(program, echoPort)) {
        std::fprintf(stderr, "%s: the relay did not start\n", qPrintable(name));
        return false;
    }
    const qint64 startKiB = relay.statusKiB("VmRSS");
    constexpr qsizetype size = 16 * 1024;
    const qint64 count = std::max<qint64>(1, megabytes * 1024 * 1024 / size);
    QElapsedTimer clock;
    clock.start();
    for (int c = 0; c < connections; ++c) {
        WireClient client;
        if (!client.open(relay.port()) || client.blast(count, size, 4 * 1024 * 1024) < 0 || !client.close()) {
            std::fprintf(stderr, "%s, connection %d: %s\n", qPrintable(name), c + 1, qPrintable(client.error()));
            return false;
        }
    }
    QThread::msleep(500); // the relay has seen the ends and let the connections go
    const qint64 afterKiB = relay.statusKiB("VmRSS");
    // Capture storage of closed connections is kept for reuse for 10 s (CaptureMemory), then given back.
    QThread::msleep(tiny ? 0 : 11000);
    std::printf(
        "memory %s: %d connections x %lld MB echoed (16 KiB messages) in %.1f s: RSS %lld MiB at start, %lld MiB "
        "after, %lld MiB 11 s later, peak %lld MiB\n",
        qPrintable(name), connections, static_cast<long long>(megabytes), double(clock.elapsed()) / 1000,
        static_cast<long long>(startKiB / 1024), static_cast<long long>(afterKiB / 1024),
        static_cast<long long>(relay.statusKiB("VmRSS") / 1024),
        static_cast<long long>(relay.statusKiB("VmHWM") / 1024));
    std::fflush(stdout);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const bool tiny = args.contains(QStringLiteral("--tiny"));
    const bool each = args.contains(QStringLiteral("--each"));
    auto option = [&](const char *name, qint64 fallback) {
        return wsi::bench::numberArgument(args, QLatin1StringView(name), fallback);
    };
    const int rounds = int(std::max<qint64>(1, option("--rounds", tiny ? 1 : 3)));
    const qint64 messages = std::max<qint64>(1, option("--messages", tiny ? 500 : 200000));
    const int rate = int(std::clamp<qint64>(option("--rate", 1000), 1, 100000));
    const qint64 pacedCount = std::max<qint64>(1, option("--paced-seconds", tiny ? 1 : 10) * rate);
    const int rssConnections = int(std::max<qint64>(0, option("--rss-connections", tiny ? 2 : 20)));
    const qint64 rssMegabytes = std::max<qint64>(1, option("--rss-mb", tiny ? 1 : 200));

    QStringList programs;
    QStringList ruleFiles; // --rules FILE: each program once more with these rules
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1StringView("--cli"))
            programs.append(args.at(i + 1));
        else if (args.at(i) == QLatin1StringView("--rules"))
            ruleFiles.append(args.at(i + 1));
    }
    if (programs.isEmpty())
        programs.append(QStringLiteral(WSI_CLI_PATH));

    EchoPeer echo;
    if (!echo.listen()) {
        std::fprintf(stderr, "the echo server cannot listen\n");
        return 1;
    }
    QTemporaryDir scratch;
    PeerProcess nginx;
    if (!wsi::test::RealNginx::start(nginx, scratch.path(), echo.port(), 600000)) {
        std::fprintf(stderr, "nginx: %s\n", qPrintable(nginx.errorString()));
        return 1;
    }
    // RealNginx runs one process, whose pid file is in its prefix.
    QFile nginxPid(QStringLiteral("%1/nginx-%2/nginx.pid").arg(scratch.path()).arg(nginx.port()));
    const qint64 nginxProcess = nginxPid.open(QIODevice::ReadOnly) ? nginxPid.readAll().trimmed().toLongLong() : 0;
    QList<Path> paths{{QStringLiteral("direct"), echo.port(), 0},
                      {QStringLiteral("nginx"), nginx.port(), nginxProcess}};
    std::vector<std::unique_ptr<RelayProcess>> relays;
    for (qsizetype i = 0; i < programs.size(); ++i) {
        const QString name = QStringLiteral("relay%1").arg(i + 1);
        std::printf("%s: %s proxy\n", qPrintable(name), qPrintable(programs.at(i)));
        relays.push_back(std::make_unique<RelayProcess>());
        if (!relays.back()->start(programs.at(i), echo.port())) {
            std::fprintf(stderr, "%s: the relay did not start\n", qPrintable(name));
            return 1;
        }
        paths.append({name, relays.back()->port(), relays.back()->pid()});
        for (qsizetype r = 0; r < ruleFiles.size(); ++r) {
            const QString ruled = QStringLiteral("%1+r%2").arg(name).arg(r + 1);
            std::printf("%s: %s proxy --rules %s\n", qPrintable(ruled), qPrintable(programs.at(i)),
                        qPrintable(ruleFiles.at(r)));
            relays.push_back(std::make_unique<RelayProcess>());
            if (!relays.back()->start(programs.at(i), echo.port(), {QStringLiteral("--rules"), ruleFiles.at(r)})) {
                std::fprintf(stderr, "%s: the relay did not start\n", qPrintable(ruled));
                return 1;
            }
            paths.append({ruled, relays.back()->port(), relays.back()->pid()});
        }
    }
    std::fflush(stdout);

    // --only SIZE runs that throughput case alone (32, 1024 or 65536), --only latency the paced run alone, --only
    // memory the memory runs alone.
    const qsizetype onlyAt = args.indexOf(QStringLiteral("--only"));
    const QString only = onlyAt >= 0 ? args.value(onlyAt + 1) : QString();
    const auto runs = [&](const QString &part) { return only.isEmpty() || only == part; };
    const bool ok = (!runs(QStringLiteral("1024")) || throughput(paths, 1024, messages, rounds, each)) &&
                    (!runs(QStringLiteral("32")) || throughput(paths, 32, messages * 5, rounds, each)) &&
                    (!runs(QStringLiteral("65536")) ||
                     throughput(paths, 64 * 1024, std::max<qint64>(1, messages / 50), rounds, each)) &&
                    (!runs(QStringLiteral("latency")) || latency(paths, rate, pacedCount));
    if (!ok)
        return 1;
    if (!runs(QStringLiteral("memory")))
        return 0;
    relays.clear(); // the memory runs start fresh processes
    for (qsizetype i = 0; i < programs.size() && rssConnections > 0; ++i) {
        if (!memory(QStringLiteral("relay%1").arg(i + 1), programs.at(i), echo.port(), rssConnections, rssMegabytes,
                    tiny))
            return 1;
    }
    return 0;
}
