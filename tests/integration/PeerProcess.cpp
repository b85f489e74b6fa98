// SPDX-License-Identifier: GPL-3.0-or-later
#include "PeerProcess.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace wsi::test {

PeerProcess::~PeerProcess()
{
    stop();
}

QString PeerProcess::peerName(Peer peer)
{
    return peer == Peer::Python ? QStringLiteral("python websockets") : QStringLiteral("node ws");
}

QString PeerProcess::findProgram(const QStringList &candidates, const QString &debianPackage, QString *error)
{
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isAbsolute()) {
            if (QFileInfo(candidate).isExecutable())
                return candidate;
            continue;
        }
        QString path = QStandardPaths::findExecutable(candidate);
        if (path.isEmpty()) // sbin is not always on a user's PATH
            path = QStandardPaths::findExecutable(candidate, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        if (!path.isEmpty())
            return path;
    }
    if (error) {
        *error = QStringLiteral("%1 was not found: install the Debian package %2")
                     .arg(candidates.join(QStringLiteral(" / ")), debianPackage);
    }
    return {};
}

QString PeerProcess::nodeWithModules(const QStringList &modules, QProcessEnvironment *environment, QString *error)
{
    const QString node =
        findProgram({QStringLiteral("node"), QStringLiteral("nodejs")}, QStringLiteral("nodejs"), error);
    if (node.isEmpty())
        return {};
    const QString nodeModules = QStringLiteral(WSI_TEST_DATA_DIR "/node/node_modules");
    for (const QString &module : modules) {
        if (!QFileInfo::exists(nodeModules + u'/' + module)) {
            *error = QStringLiteral("tests/integration/node/node_modules lacks %1: run npm ci there (./dev.sh test)")
                         .arg(module);
            return {};
        }
    }
    environment->insert(QStringLiteral("NODE_PATH"), nodeModules + QStringLiteral(":/usr/share/nodejs"));
    return node;
}

quint16 PeerProcess::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

bool PeerProcess::fail(const QString &what)
{
    m_error = what;
    const QByteArray out = output();
    if (!out.isEmpty())
        m_error += QStringLiteral("\n--- its output:\n") + QString::fromLocal8Bit(out);
    stop();
    return false;
}

bool PeerProcess::start(const QString &program, const QStringList &arguments)
{
    stop();
    m_output.clear();
    m_error.clear();
    m_port = 0;
    // Merged: a peer's traceback or a proxy's log ends up in the failure message.
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program, arguments);
    // Stdin stays open: the peer scripts exit when it closes, so they never outlive a crashed test.
    if (!m_process.waitForStarted(10000))
        return fail(QStringLiteral("could not start %1: %2").arg(program, m_process.errorString()));
    return true;
}

bool PeerProcess::startPeer(Peer peer, const QStringList &arguments, int timeoutMs)
{
    QString error;
    QString program;
    QString script;
    if (peer == Peer::Python) {
        // Debian's python3-websockets is installed for Debian's interpreter, which may not be first on PATH.
        program = findProgram({QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")},
                              QStringLiteral("python3-websockets"), &error);
        script = QStringLiteral(WSI_TEST_DATA_DIR "/peers/python_peer.py");
    } else {
        program = findProgram({QStringLiteral("node"), QStringLiteral("nodejs")},
                              QStringLiteral("nodejs (and node-ws)"), &error);
        script = QStringLiteral(WSI_TEST_DATA_DIR "/peers/node_peer.js");
    }
    if (program.isEmpty()) {
        m_error = error;
        return false;
    }
    m_process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    if (!start(program, QStringList{script} + arguments))
        return false;
    return waitForPort(peerName(peer), timeoutMs);
}

bool PeerProcess::startNodeScript(const QString &script, const QStringList &arguments, const QStringList &modules,
                                  int timeoutMs)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString node = nodeWithModules(modules, &environment, &m_error);
    if (node.isEmpty())
        return false;
    m_process.setProcessEnvironment(environment);
    if (!start(node, QStringList{QStringLiteral(WSI_TEST_DATA_DIR "/peers/") + script} + arguments))
        return false;
    return waitForPort(script, timeoutMs);
}

bool PeerProcess::waitForPort(const QString &name, int timeoutMs)
{
    static const QRegularExpression portLine(QStringLiteral("^PORT (\\d+)\\r?$"), QRegularExpression::MultilineOption);
    QRegularExpressionMatch match;
    const bool announced = QTest::qWaitFor(
        [&] {
            match = portLine.match(QString::fromLocal8Bit(output()));
            return match.hasMatch() || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (!match.hasMatch()) {
        return fail(
            announced
                ? QStringLiteral("%1 exited (code %2) before announcing its port").arg(name).arg(m_process.exitCode())
                : QStringLiteral("%1 announced no port within %2 ms").arg(name).arg(timeoutMs));
    }
    m_port = quint16(match.captured(1).toUInt());
    return true;
}

bool PeerProcess::startListening(const QString &program, const QString &debianPackage, const QStringList &arguments,
                                 quint16 port, int timeoutMs)
{
    QString error;
    const QString path = findProgram({program}, debianPackage, &error);
    if (path.isEmpty()) {
        m_error = error;
        return false;
    }
    if (!start(path, arguments))
        return false;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_process.state() == QProcess::NotRunning)
            return fail(QStringLiteral("%1 exited (code %2) before listening on port %3")
                            .arg(program)
                            .arg(m_process.exitCode())
                            .arg(port));
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        if (probe.waitForConnected(500)) {
            probe.abort();
            m_port = port;
            return true;
        }
        QTest::qWait(50);
    }
    return fail(QStringLiteral("%1 did not listen on port %2 within %3 ms").arg(program).arg(port).arg(timeoutMs));
}

void PeerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    output(); // kept for failure messages and log checks after the stop
    m_process.kill();
    m_process.waitForFinished(5000);
}

QByteArray PeerProcess::output()
{
    if (m_process.isOpen())
        m_output += m_process.readAll();
    return m_output;
}

} // namespace wsi::test
