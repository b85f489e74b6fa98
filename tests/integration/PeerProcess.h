// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
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

    // Peer scripts (tests/integration/peers): starts one and waits until it prints "PORT <n>". SocketIo is a stock
    // socket.io 4 server (socketio_peer.js, npm socket.io from tests/integration/node: `npm ci` there).
    enum class Peer : quint8 { Python, Node, SocketIo };
    bool startPeer(Peer peer, const QStringList &arguments, int timeoutMs = 20000);
    static QString peerName(Peer peer);

    // Any program that listens on a port it was told: waits until that port accepts TCP connections.
    bool startListening(const QString &program, const QString &debianPackage, const QStringList &arguments,
                        quint16 port, int timeoutMs = 20000);

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

private:
    bool start(const QString &program, const QStringList &arguments);
    bool fail(const QString &what);

    QProcess m_process;
    QByteArray m_output;
    QString m_error;
    quint16 m_port = 0;
};

} // namespace wsi::test
