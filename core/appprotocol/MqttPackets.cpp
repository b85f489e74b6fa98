// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MqttPackets.h"

#include "core/appprotocol/MqttFixedHeader.h"

#include <algorithm>

namespace wsi {

QByteArray MqttPackets::packet(quint8 firstByte, const QByteArray &rest)
{
    return char(firstByte) + MqttFixedHeader::encodeRemainingLength(quint32(rest.size())) + rest;
}

QByteArray MqttPackets::string(const QByteArray &utf8)
{
    // §1.5.3: a two-byte length, then the bytes (at most 65535).
    const QByteArray bytes = utf8.left(0xFFFF);
    QByteArray out;
    out += char(bytes.size() >> 8);
    out += char(bytes.size() & 0xFF);
    return out + bytes;
}

QByteArray MqttPackets::connect(const QString &clientId, int keepAliveSeconds, const QString &username,
                                const QString &password, bool cleanSession)
{
    quint8 flags = cleanSession ? 0x02 : 0x00;
    if (!username.isEmpty())
        flags |= 0x80;
    if (!password.isEmpty())
        flags |= 0x40;
    const int keepAlive = std::clamp(keepAliveSeconds, 0, 0xFFFF);
    QByteArray rest = string("MQTT");
    rest += char(4); // protocol level: 3.1.1
    rest += char(flags);
    rest += char(keepAlive >> 8);
    rest += char(keepAlive & 0xFF);
    rest += string(clientId.toUtf8());
    if (!username.isEmpty())
        rest += string(username.toUtf8());
    if (!password.isEmpty())
        rest += string(password.toUtf8());
    return packet(0x10, rest);
}

QByteArray MqttPackets::subscribe(quint16 packetId, const QString &topicFilter, int qos)
{
    QByteArray rest;
    rest += char(packetId >> 8);
    rest += char(packetId & 0xFF);
    rest += string(topicFilter.toUtf8());
    rest += char(std::clamp(qos, 0, 2));
    return packet(0x82, rest); // §3.8.1: the flags are 0010
}

QByteArray MqttPackets::publish(const QString &topic, const QByteArray &payload, int qos, bool retain, quint16 packetId)
{
    // §3.3.1: DUP, QoS (2 bits), RETAIN in the low nibble; §3.3.2.2: the packet id only when QoS > 0.
    const int level = std::clamp(qos, 0, 2);
    QByteArray rest = string(topic.toUtf8());
    if (level > 0) {
        rest += char(packetId >> 8);
        rest += char(packetId & 0xFF);
    }
    return packet(quint8(0x30 | (level << 1) | (retain ? 0x01 : 0x00)), rest + payload);
}

QString MqttPackets::publishTopicProblem(const QString &topic)
{
    return topic.contains(u'#') || topic.contains(u'+')
               ? QStringLiteral("a topic to publish to has no wildcards '#' or '+' (MQTT 3.1.1 §4.7.1)")
               : QString();
}

} // namespace wsi
