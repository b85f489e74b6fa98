// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace wsi::test {

// How one run of the built wsinspector-cli ended, for the command-line tests.
struct CliRun {
    bool finished = false; // false: it ran past the timeout and was killed
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;
};

constexpr int cliTimeoutMs = 20000;

// The built wsinspector-cli (for a test that starts a long-running `serve` itself).
QString cliPath();

// Runs the CLI to its end while this thread's event loop keeps running, so the test's own servers can answer.
CliRun runCli(const QStringList &arguments, int timeoutMs = cliTimeoutMs,
              const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
// The same, started through `launcher` (a program and its arguments, e.g. unshare ... sh -c ...), which gets the
// CLI's path and then `arguments` after its own.
CliRun runCliVia(const QStringList &launcher, const QStringList &arguments, int timeoutMs = cliTimeoutMs);
// Exit code, whether it finished, and both outputs: the message of a failed check.
QString describe(const CliRun &run);
// The objects of a --json transcript, one per non-empty line.
QList<QJsonObject> jsonLines(const QByteArray &out);
// Reads `process`'s stdout into `out` until it holds `needle`, at most timeoutMs; whether it came.
bool readOutputUntil(QProcess &process, QByteArray &out, QByteArrayView needle, int timeoutMs);
// Those of `events` whose "event" is `event` ("close", "diagnosis" ...), in order.
QList<QJsonObject> eventsNamed(const QList<QJsonObject> &events, const QString &event);

} // namespace wsi::test
