// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wsi {

// The MQTT 3.1.1 control packets a client sends (OASIS MQTT 3.1.1 §3), each whole in one binary message (mqtt.js
// writes a packet's fields as messages of their own; brokers read a byte stream either way).
class MqttPackets final
{
public:
    MqttPackets() = delete;

    // CONNECT, protocol level 4, with the client id, Keep Alive in seconds (0-65535) and the user name and
    // password when not empty.
    static QByteArray connect(const QString &clientId, int keepAliveSeconds, const QString &username,
                              const QString &password, bool cleanSession = true);
    // SUBSCRIBE to one topic filter at `qos`.
    static QByteArray subscribe(quint16 packetId, const QString &topicFilter, int qos = 0);
    // PUBLISH at `qos` 0 (no packet id), 1 or 2 (with `packetId`, which must not be 0: §2.3.1), retained when asked.
    static QByteArray publish(const QString &topic, const QByteArray &payload, int qos = 0, bool retain = false,
                              quint16 packetId = 0);
    // PUBACK of a QoS 1 PUBLISH the broker delivered (§3.4).
    static QByteArray publishAck(quint16 packetId)
    {
        return QByteArray("\x40\x02", 2) + char(packetId >> 8) + char(packetId & 0xFF);
    }
    // Why PUBLISH cannot go to `topic` (a topic name has no wildcards: §4.7.1), or empty.
    static QString publishTopicProblem(const QString &topic);
    static QByteArray pingRequest() { return QByteArray("\xC0\x00", 2); }
    static QByteArray disconnect() { return QByteArray("\xE0\x00", 2); }

private:
    static QByteArray packet(quint8 firstByte, const QByteArray &rest);
    static QByteArray string(const QByteArray &utf8);
};

} // namespace wsi
