// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PeerProcess.h"

#include <QString>
#include <QtGlobal>

namespace wsi::test {

// The real RabbitMQ (Debian rabbitmq-server 3.10) as a STOMP broker over WebSocket: its rabbitmq_web_stomp plugin on
// 127.0.0.1 (ws://127.0.0.1:PORT/ws), as a private node a test starts and stops. Everything is its own: the node
// name, the Erlang cookie (HOME), the database and logs in `directory`, the distribution port and an epmd on a port
// of its own, all on loopback; AMQP and plain STOMP listen nowhere. So it neither needs nor touches a system broker
// (which Debian's package starts where systemd runs) or the system's epmd. The broker's user is guest/guest, allowed
// from loopback. Stopping kills the node (nothing in it is worth a clean shutdown) and then its epmd.
class RealRabbitMq final
{
public:
    // Startup takes 5-10 s on an idle machine (Erlang boot, the plugins, an empty database).
    static constexpr int startTimeoutMs = 60000;

    RealRabbitMq() = default;
    ~RealRabbitMq();
    Q_DISABLE_COPY_MOVE(RealRabbitMq)

    // False with errorString() when it does not start within startTimeoutMs.
    bool start(const QString &directory);
    void stop();

    quint16 webStompPort() const { return m_webStompPort; }
    QString webStompUrl() const { return QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_webStompPort); }
    QString errorString() const { return m_broker.errorString(); }
    // The broker's log (it logs to its standard output here).
    QByteArray output() { return m_broker.output(); }

private:
    PeerProcess m_broker;
    quint16 m_webStompPort = 0;
    quint16 m_epmdPort = 0;
};

} // namespace wsi::test
