// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliProcess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

namespace wsi::test {

QString cliPath()
{
    return QStringLiteral(WSI_CLI_PATH);
}

namespace {

CliRun runProgram(const QString &program, const QStringList &arguments, int timeoutMs,
                  const QProcessEnvironment &environment)
{
    CliRun run;
    QProcess process;
    process.setProcessEnvironment(environment);
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    if (!process.waitForStarted(5000))
        return run;
    run.finished = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.elapsedMs = clock.elapsed();
    run.exitCode = process.exitCode();
    run.exitStatus = process.exitStatus();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

CliRun runCli(const QStringList &arguments, int timeoutMs, const QProcessEnvironment &environment)
{
    return runProgram(cliPath(), arguments, timeoutMs, environment);
}

CliRun runCliVia(const QStringList &launcher, const QStringList &arguments, int timeoutMs)
{
    return runProgram(launcher.constFirst(), launcher.mid(1) + QStringList{cliPath()} + arguments, timeoutMs,
                      QProcessEnvironment::systemEnvironment());
}

QString describe(const CliRun &run)
{
    return QStringLiteral("exit %1 (%2), stdout:\n%3\nstderr:\n%4")
        .arg(run.exitCode)
        .arg(run.finished ? QStringLiteral("finished") : QStringLiteral("TIMED OUT"))
        .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

bool readOutputUntil(QProcess &process, QByteArray &out, QByteArrayView needle, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            out += process.readAllStandardOutput();
            return out.contains(needle);
        },
        timeoutMs);
}

QList<QJsonObject> eventsNamed(const QList<QJsonObject> &events, const QString &event)
{
    QList<QJsonObject> named;
    for (const QJsonObject &object : events) {
        if (object.value(QStringLiteral("event")).toString() == event)
            named.append(object);
    }
    return named;
}

} // namespace wsi::test
