// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_recording_io: what recording a slow feed costs the disk, measured on real processes: a local server sends
// a few small text messages a second, `wsinspector-cli connect URL --record FILE` (or the window, given a URL)
// records them, and this program reads the process's /proc/PID/io write_bytes and the recording's file sizes over
// the run. Then it ends the process with SIGTERM and checks that the WAL is gone, and records a connection attempt
// that is refused. Prints `name: value unit`, one block per program.
//
//   wsi_bench_recording_io [--tiny] [--seconds N] [--rate MESSAGES_PER_S] [--payload BYTES]
//                          [--cli PATH]... [--window PATH]...
//
// Defaults: 20 s of 5 messages/s of 100 bytes, against the wsinspector-cli built with this program. Several --cli and
// --window may be given: each is measured in turn in the same run, e.g. an earlier build's programs as the baseline.
// --tiny: 2 s, for CI. Linux only (/proc).
#include "BenchArguments.h"
#include "FeedServer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>
#include <cstdio>

using wsi::test::FeedServer;

namespace {

qint64 writeBytesOf(qint64 pid)
{
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("write_bytes:"))
            return line.mid(12).trimmed().toLongLong();
    }
    return -1;
}

void waitFor(qint64 ms)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

// The recordings in `dir`, and the largest of their WAL files.
struct FilesNow {
    qint64 recordingBytes = 0;
    qint64 walBytes = 0;
    int walFiles = 0;
};

FilesNow filesIn(const QString &dir)
{
    FilesNow now;
    QDir folder(dir);
    for (const QFileInfo &file : folder.entryInfoList({QStringLiteral("*.wsirec")}, QDir::Files))
        now.recordingBytes += file.size();
    for (const QFileInfo &file : folder.entryInfoList({QStringLiteral("*.wsirec-wal")}, QDir::Files)) {
        now.walBytes = std::max(now.walBytes, file.size());
        ++now.walFiles;
    }
    return now;
}

struct Run {
    QString program;
    bool window = false;
};

// One program recording the slow feed for `seconds`, then ended with SIGTERM.
bool measureFeed(const Run &run, const QString &name, qint64 seconds, FeedServer &server)
{
    QTemporaryDir home;
    const QString recordings = run.window ? home.filePath(QStringLiteral("share/wsinspector/recordings")) : home.path();
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The window records into its data home: a fresh one, so that only this run's recording is there.
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("share")));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    if (run.window)
        process.start(run.program, {server.url().toString()});
    else
        process.start(run.program, {QStringLiteral("connect"), server.url().toString(), QStringLiteral("--record"),
                                    home.filePath(QStringLiteral("feed.wsirec"))});
    if (!process.waitForStarted(10000)) {
        std::fprintf(stderr, "%s: cannot start %s\n", qPrintable(name), qPrintable(run.program));
        return false;
    }
    const qint64 pid = process.processId();
    waitFor(1500); // connected, recording created, the window drawn
    const qint64 startBytes = writeBytesOf(pid);
    const FilesNow start = filesIn(recordings);
    qint64 largestWal = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < seconds * 1000) {
        waitFor(100);
        largestWal = std::max(largestWal, filesIn(recordings).walBytes);
    }
    const double elapsed = double(clock.elapsed()) / 1000;
    const qint64 endBytes = writeBytesOf(pid);
    const FilesNow end = filesIn(recordings);
    ::kill(pid_t(pid), SIGTERM);
    const bool ended = process.waitForFinished(20000);
    if (!ended)
        process.kill();
    const FilesNow after = filesIn(recordings);

    std::printf("%s_write_bytes_per_s: %.0f B/s\n", qPrintable(name), double(endBytes - startBytes) / elapsed);
    std::printf("%s_file_growth_per_s: %.0f B/s\n", qPrintable(name),
                double(end.recordingBytes + end.walBytes - start.recordingBytes - start.walBytes) / elapsed);
    std::printf("%s_largest_wal: %lld bytes\n", qPrintable(name), static_cast<long long>(largestWal));
    const char *howItEnded = !ended                                         ? "none in 20 s (killed)"
                             : process.exitStatus() == QProcess::NormalExit ? "orderly"
                                                                            : "died of the signal";
    std::printf("%s_exit_on_sigterm: %s\n", qPrintable(name), howItEnded);
    std::printf("%s_wal_files_after_sigterm: %d\n", qPrintable(name), after.walFiles);
    std::printf("%s_recording_bytes_after_sigterm: %lld bytes\n", qPrintable(name),
                static_cast<long long>(after.recordingBytes));
    return true;
}

// A connection attempt to a port nobody listens on, recorded by the command line.
bool measureRefused(const Run &run, const QString &name)
{
    QTcpServer closed;
    if (!closed.listen(QHostAddress::LocalHost))
        return false;
    const quint16 port = closed.serverPort();
    closed.close(); // the port is now refused
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("refused.wsirec"));
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    process.start(run.program, {QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port),
                                QStringLiteral("--record"), path});
    if (!process.waitForFinished(20000))
        return false;
    std::printf("%s_refused_attempt_recording: %lld bytes\n", qPrintable(name),
                static_cast<long long>(QFileInfo(path).size()));
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const bool tiny = args.contains(QStringLiteral("--tiny"));
    auto option = [&](const char *name, qint64 fallback) {
        return wsi::bench::numberArgument(args, QLatin1StringView(name), fallback);
    };
    const qint64 seconds = option("--seconds", tiny ? 2 : 20);
    const int rate = int(std::clamp<qint64>(option("--rate", 5), 1, 1000));
    const qsizetype payloadBytes = qsizetype(option("--payload", 100));

    QList<Run> runs;
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1StringView("--cli") || args.at(i) == QLatin1StringView("--window"))
            runs.append(Run{args.at(i + 1), args.at(i) == QLatin1StringView("--window")});
    }
    if (runs.isEmpty())
        runs.append(Run{QStringLiteral(WSI_CLI_PATH), false});

    FeedServer server(1000 / rate, payloadBytes);
    if (!server.listen()) {
        std::fprintf(stderr, "cannot listen\n");
        return 1;
    }
    std::printf("feed: %d messages/s of %lld bytes, %lld s\n", rate, static_cast<long long>(payloadBytes),
                static_cast<long long>(seconds));
    int cliRuns = 0;
    int windowRuns = 0;
    for (const Run &run : std::as_const(runs)) {
        const QString name =
            run.window ? QStringLiteral("window%1").arg(++windowRuns) : QStringLiteral("cli%1").arg(++cliRuns);
        std::printf("%s: %s\n", qPrintable(name), qPrintable(run.program));
        if (!measureFeed(run, name, seconds, server) || (!run.window && !measureRefused(run, name)))
            return 1;
        std::fflush(stdout);
    }
    return 0;
}
