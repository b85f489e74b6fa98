// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace wsi::test {

// A program a test starts on 127.0.0.1: a WebSocket peer script or a proxy. It is killed when stopped or destroyed,
// and every wait is bounded. A missing program is an error naming the Debian package to install, never a skip:
// CI installs them all.
class PeerProcess final
{
public:
    PeerProcess() = default;
    ~PeerProcess();
    Q_DISABLE_COPY_MOVE(PeerProcess)

    // Peer scripts (tests/integration/peers): starts one and waits until it prints "PORT <n>".
    enum class Peer : quint8 { Python, Node };
    bool startPeer(Peer peer, const QStringList &arguments, int timeoutMs = 20000);
    static QString peerName(Peer peer);
    // A Node script of tests/integration/peers that uses the npm packages pinned in tests/integration/node (NODE_PATH
    // is set to its node_modules, which must hold `modules`: `npm ci` there); waits until it prints "PORT <n>".
    bool startNodeScript(const QString &script, const QStringList &arguments, const QStringList &modules,
                         int timeoutMs = 20000);

    // Any program that listens on a port it was told: waits until that port accepts TCP connections.
    bool startListening(const QString &program, const QString &debianPackage, const QStringList &arguments,
                        quint16 port, int timeoutMs = 20000);

    // The environment the next start gives the program (the system's by default).
    void setEnvironment(const QProcessEnvironment &environment) { m_process.setProcessEnvironment(environment); }

    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    // Why start failed, with the program's output.
    QString errorString() const { return m_error; }
    // Everything the program wrote so far (stdout and stderr merged).
    QByteArray output();

    // A port nothing listens on right now (the kernel's choice for port 0, released again).
    static quint16 freePort();
    // The full path of `program`, or empty with *error naming the Debian package that provides it.
    static QString findProgram(const QStringList &candidates, const QString &debianPackage, QString *error);
    // Node, with tests/integration/node's packages (each of `modules` checked to be installed) and Debian's on the
    // NODE_PATH of `environment`; empty with *error saying what is missing.
    static QString nodeWithModules(const QStringList &modules, QProcessEnvironment *environment, QString *error);

private:
    bool start(const QString &program, const QStringList &arguments);
    bool fail(const QString &what);
    bool waitForPort(const QString &name, int timeoutMs);

    QProcess m_process;
    QByteArray m_output;
    QString m_error;
    quint16 m_port = 0;
};

} // namespace wsi::test
