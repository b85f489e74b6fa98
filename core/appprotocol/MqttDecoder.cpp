// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MqttDecoder.h"

#include "core/appprotocol/MqttFieldReader.h"
#include "core/appprotocol/MqttFixedHeader.h"
#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString fixedHeaderReference = QStringLiteral("MQTT 5.0 §2.1 Structure of an MQTT Control Packet");

QString packetTypeName(int type)
{
    static const char *const names[] = {"Reserved", "CONNECT",  "CONNACK",    "PUBLISH", "PUBACK",      "PUBREC",
                                        "PUBREL",   "PUBCOMP",  "SUBSCRIBE",  "SUBACK",  "UNSUBSCRIBE", "UNSUBACK",
                                        "PINGREQ",  "PINGRESP", "DISCONNECT", "AUTH"};
    return QString::fromLatin1(names[type & 0xF]);
}

// MQTT 5 properties (§2.2.2.2): a length, then identifier and value pairs. The value's form follows the identifier.
QJsonObject readProperties(MqttFieldReader &reader)
{
    QJsonObject properties;
    const quint32 length = reader.varint("property length");
    if (!reader.ok())
        return properties;
    if (qsizetype(length) > reader.left()) {
        reader.fail(QStringLiteral("property length %1, %2 bytes left in the packet").arg(length).arg(reader.left()));
        return properties;
    }
    const qsizetype end = reader.left() - qsizetype(length); // bytes left after the properties
    QJsonArray userProperties;
    while (reader.ok() && reader.left() > end) {
        const quint32 id = reader.varint("property identifier");
        QString name;
        QJsonValue value;
        switch (id) {
        case 0x01:
            name = QStringLiteral("payloadFormatIndicator");
            value = reader.byte("property");
            break;
        case 0x02:
            name = QStringLiteral("messageExpiryInterval");
            value = double(reader.u32("property"));
            break;
        case 0x03:
            name = QStringLiteral("contentType");
            value = reader.string("property");
            break;
        case 0x08:
            name = QStringLiteral("responseTopic");
            value = reader.string("property");
            break;
        case 0x09:
            name = QStringLiteral("correlationData");
            value = PayloadJson::bytesValue(reader.binary("property"));
            break;
        case 0x0B:
            name = QStringLiteral("subscriptionIdentifier");
            value = double(reader.varint("property"));
            break;
        case 0x11:
            name = QStringLiteral("sessionExpiryInterval");
            value = double(reader.u32("property"));
            break;
        case 0x12:
            name = QStringLiteral("assignedClientIdentifier");
            value = reader.string("property");
            break;
        case 0x13:
            name = QStringLiteral("serverKeepAlive");
            value = reader.u16("property");
            break;
        case 0x15:
            name = QStringLiteral("authenticationMethod");
            value = reader.string("property");
            break;
        case 0x16:
            name = QStringLiteral("authenticationData");
            value = PayloadJson::bytesValue(reader.binary("property"));
            break;
        case 0x17:
            name = QStringLiteral("requestProblemInformation");
            value = reader.byte("property");
            break;
        case 0x18:
            name = QStringLiteral("willDelayInterval");
            value = double(reader.u32("property"));
            break;
        case 0x19:
            name = QStringLiteral("requestResponseInformation");
            value = reader.byte("property");
            break;
        case 0x1A:
            name = QStringLiteral("responseInformation");
            value = reader.string("property");
            break;
        case 0x1C:
            name = QStringLiteral("serverReference");
            value = reader.string("property");
            break;
        case 0x1F:
            name = QStringLiteral("reasonString");
            value = reader.string("property");
            break;
        case 0x21:
            name = QStringLiteral("receiveMaximum");
            value = reader.u16("property");
            break;
        case 0x22:
            name = QStringLiteral("topicAliasMaximum");
            value = reader.u16("property");
            break;
        case 0x23:
            name = QStringLiteral("topicAlias");
            value = reader.u16("property");
            break;
        case 0x24:
            name = QStringLiteral("maximumQoS");
            value = reader.byte("property");
            break;
        case 0x25:
            name = QStringLiteral("retainAvailable");
            value = reader.byte("property");
            break;
        case 0x26: {
            const QString key = reader.string("user property");
            const QString val = reader.string("user property");
            userProperties.append(QJsonArray{key, val});
            continue;
        }
        case 0x27:
            name = QStringLiteral("maximumPacketSize");
            value = double(reader.u32("property"));
            break;
        case 0x28:
            name = QStringLiteral("wildcardSubscriptionAvailable");
            value = reader.byte("property");
            break;
        case 0x29:
            name = QStringLiteral("subscriptionIdentifierAvailable");
            value = reader.byte("property");
            break;
        case 0x2A:
            name = QStringLiteral("sharedSubscriptionAvailable");
            value = reader.byte("property");
            break;
        default:
            if (reader.ok())
                reader.fail(QStringLiteral("unknown property identifier 0x%1").arg(id, 2, 16, QLatin1Char('0')));
            return properties;
        }
        properties.insert(name, value);
    }
    if (reader.ok() && reader.left() != end)
        reader.fail(QStringLiteral("the last property runs past the property length"));
    if (!userProperties.isEmpty())
        properties.insert(QStringLiteral("userProperties"), userProperties);
    return properties;
}

// The flags each packet type must carry (§2.1.3); PUBLISH's are its own (dup, QoS, retain).
std::optional<int> requiredFlags(int type)
{
    if (type == 3)
        return std::nullopt;
    return type == 6 || type == 8 || type == 10 ? 2 : 0;
}

} // namespace

DecodedMessages MqttDecoder::decode(const AppMessage &message)
{
    if (!message.binary) {
        return {
            broken(QString(), {QStringLiteral("mqtt-text-message"), QStringLiteral("MQTT 5.0 §6.0 WebSocket Transport"),
                               QStringLiteral("MQTT control packets travel in binary messages; this one is text")})};
    }
    QByteArray &held = heldFor(message.sender);
    const bool continued = !held.isEmpty();
    QByteArray joined;
    QByteArrayView data = message.payload;
    if (continued) {
        joined = held + message.payload;
        data = joined;
        held.clear();
    }
    if (data.isEmpty())
        return {broken(QString(), {QStringLiteral("mqtt-empty-message"), fixedHeaderReference,
                                   QStringLiteral("an empty binary message holds no control packet")})};

    DecodedMessages packets;
    qsizetype at = 0;
    while (at < data.size()) {
        const quint8 first = quint8(data[at]);
        const QString kind = packetTypeName(first >> 4);
        const MqttFixedHeader header = MqttFixedHeader::read(data, at);
        if (header.state == MqttFixedHeader::State::TooLong) {
            packets.append(broken(kind, {QStringLiteral("mqtt-remaining-length"), QStringLiteral("MQTT 5.0 §1.5.5"),
                                         QStringLiteral("the remaining length runs past 4 bytes")}));
            return packets;
        }
        const bool lengthComplete = header.state == MqttFixedHeader::State::Complete;
        const quint32 remaining = header.remainingLength;
        const qsizetype headerSize = header.size;
        if (!lengthComplete || qsizetype(remaining) > data.size() - at - headerSize) {
            // The packet continues in the sender's next message.
            const qsizetype have = data.size() - at;
            const qsizetype total = lengthComplete ? headerSize + qsizetype(remaining) : -1;
            QJsonObject fields{{QStringLiteral("partial"), true}, {QStringLiteral("received"), double(have)}};
            if (total >= 0)
                fields.insert(QStringLiteral("packetSize"), double(total));
            if (total > maxHeldPacket) {
                packets.append(broken(kind,
                                      {QStringLiteral("mqtt-packet-too-large"), fixedHeaderReference,
                                       QStringLiteral("a %1-byte packet split across messages is more than the "
                                                      "%2 bytes held")
                                           .arg(total)
                                           .arg(maxHeldPacket)},
                                      fields));
            } else {
                held = data.sliced(at).toByteArray();
                packets.append(decoded(kind, fields));
            }
            return packets;
        }
        DecodedMessage packet = decodePacket(first, data.sliced(at + headerSize, remaining), message.sender);
        if (continued && at == 0)
            packet.fields.insert(QStringLiteral("continued"), true);
        packets.append(std::move(packet));
        at += headerSize + qsizetype(remaining);
    }
    return packets;
}

DecodedMessage MqttDecoder::decodePacket(quint8 first, QByteArrayView body, Endpoint sender)
{
    const int type = first >> 4;
    const int flags = first & 0xF;
    const QString kind = packetTypeName(type);
    QJsonObject fields{{QStringLiteral("flags"), flags}, {QStringLiteral("remainingLength"), double(body.size())}};
    const bool v5 = m_protocolLevel == 5;
    auto fail = [&](QString rule, QString reference, QString detail) {
        return broken(kind, {std::move(rule), std::move(reference), std::move(detail)}, fields);
    };
    if (type == 0 || (type == 15 && !v5))
        return fail(QStringLiteral("mqtt-reserved-packet-type"), QStringLiteral("MQTT 5.0 §2.1.2"),
                    QStringLiteral("packet type %1 is reserved%2")
                        .arg(type)
                        .arg(type == 15 ? QStringLiteral(" before MQTT 5") : QString()));
    if (const std::optional<int> required = requiredFlags(type); required && flags != *required)
        return fail(QStringLiteral("mqtt-fixed-header-flags"), QStringLiteral("MQTT 5.0 §2.1.3"),
                    QStringLiteral("%1 flags are %2, must be %3").arg(kind).arg(flags).arg(*required));
    const bool fromClient = sender == Endpoint::Client;
    const bool clientOnly = type == 1 || type == 8 || type == 10 || type == 12;
    const bool serverOnly = type == 2 || type == 9 || type == 11 || type == 13;
    if ((clientOnly && !fromClient) || (serverOnly && fromClient))
        return fail(QStringLiteral("mqtt-packet-direction"), QStringLiteral("MQTT 5.0 §2.1.2"),
                    QStringLiteral("%1 is sent by the %2 only")
                        .arg(kind, clientOnly ? QStringLiteral("client") : QStringLiteral("server")));

    MqttFieldReader reader(body);
    std::optional<quint16> packetId;
    switch (type) {
    case 1: { // CONNECT
        const QString protocolName = reader.string("protocol name");
        const int level = reader.byte("protocol level");
        const int connectFlags = reader.byte("connect flags");
        const int keepAlive = reader.u16("keep alive");
        if (!reader.ok())
            break;
        fields.insert(QStringLiteral("protocolName"), protocolName);
        fields.insert(QStringLiteral("protocolLevel"), level);
        fields.insert(QStringLiteral("keepAlive"), keepAlive);
        fields.insert(QStringLiteral("cleanStart"), bool(connectFlags & 0x02));
        if (protocolName != QLatin1String("MQTT") && protocolName != QLatin1String("MQIsdp"))
            return fail(QStringLiteral("mqtt-protocol-name"), QStringLiteral("MQTT 5.0 §3.1.2.1"),
                        QStringLiteral("protocol name \"%1\", expected \"MQTT\"").arg(protocolName));
        if (level != 3 && level != 4 && level != 5)
            return fail(QStringLiteral("mqtt-protocol-level"), QStringLiteral("MQTT 5.0 §3.1.2.2"),
                        QStringLiteral("protocol level %1 is not 3, 4 or 5").arg(level));
        if (connectFlags & 0x01)
            return fail(QStringLiteral("mqtt-connect-reserved-flag"), QStringLiteral("MQTT 5.0 §3.1.2.3"),
                        QStringLiteral("the reserved connect flag is set"));
        m_protocolLevel = level;
        if (level == 5)
            fields.insert(QStringLiteral("properties"), readProperties(reader));
        fields.insert(QStringLiteral("clientId"), reader.string("client identifier"));
        if (connectFlags & 0x04) {
            QJsonObject will{{QStringLiteral("qos"), (connectFlags >> 3) & 3},
                             {QStringLiteral("retain"), bool(connectFlags & 0x20)}};
            if (level == 5)
                will.insert(QStringLiteral("properties"), readProperties(reader));
            will.insert(QStringLiteral("topic"), reader.string("will topic"));
            will.insert(QStringLiteral("payload"), PayloadJson::bytesValue(reader.binary("will payload")));
            fields.insert(QStringLiteral("will"), will);
        }
        if (connectFlags & 0x80)
            fields.insert(QStringLiteral("username"), reader.string("user name"));
        if (connectFlags & 0x40) {
            // The password itself stays out of the decoded fields: the recording holds the bytes.
            fields.insert(QStringLiteral("passwordLength"), double(reader.binary("password").size()));
        }
        break;
    }
    case 2: { // CONNACK
        const int ackFlags = reader.byte("acknowledge flags");
        const int code = reader.byte(v5 ? "reason code" : "return code");
        if (!reader.ok())
            break;
        fields.insert(QStringLiteral("sessionPresent"), bool(ackFlags & 1));
        fields.insert(v5 ? QStringLiteral("reasonCode") : QStringLiteral("returnCode"), code);
        if (v5)
            fields.insert(QStringLiteral("properties"), readProperties(reader));
        break;
    }
    case 3: { // PUBLISH
        const int qos = (flags >> 1) & 3;
        fields.insert(QStringLiteral("dup"), bool(flags & 8));
        fields.insert(QStringLiteral("qos"), qos);
        fields.insert(QStringLiteral("retain"), bool(flags & 1));
        if (qos == 3)
            return fail(QStringLiteral("mqtt-publish-qos"), QStringLiteral("MQTT 5.0 §3.3.1.2"),
                        QStringLiteral("QoS 3 is not a QoS level"));
        fields.insert(QStringLiteral("topic"), reader.string("topic name"));
        if (qos > 0)
            packetId = reader.u16("packet identifier");
        if (v5)
            fields.insert(QStringLiteral("properties"), readProperties(reader));
        if (reader.ok())
            fields.insert(QStringLiteral("payload"), PayloadJson::bytesValue(reader.rest()));
        break;
    }
    case 4:
    case 5:
    case 6:
    case 7:
    case 11: { // PUBACK PUBREC PUBREL PUBCOMP UNSUBACK
        packetId = reader.u16("packet identifier");
        if (v5 && type != 11 && !reader.atEnd()) {
            fields.insert(QStringLiteral("reasonCode"), reader.byte("reason code"));
            if (!reader.atEnd())
                fields.insert(QStringLiteral("properties"), readProperties(reader));
        } else if (v5 && type == 11) {
            fields.insert(QStringLiteral("properties"), readProperties(reader));
            QJsonArray codes;
            while (reader.ok() && !reader.atEnd())
                codes.append(reader.byte("reason code"));
            fields.insert(QStringLiteral("reasonCodes"), codes);
        }
        break;
    }
    case 8:
    case 10: { // SUBSCRIBE UNSUBSCRIBE
        packetId = reader.u16("packet identifier");
        if (v5)
            fields.insert(QStringLiteral("properties"), readProperties(reader));
        QJsonArray subscriptions;
        while (reader.ok() && !reader.atEnd()) {
            const QString filter = reader.string("topic filter");
            if (type == 10) {
                subscriptions.append(filter);
                continue;
            }
            const int options = reader.byte("subscription options");
            QJsonObject subscription{{QStringLiteral("topic"), filter}, {QStringLiteral("qos"), options & 3}};
            if (v5) {
                subscription.insert(QStringLiteral("noLocal"), bool(options & 4));
                subscription.insert(QStringLiteral("retainAsPublished"), bool(options & 8));
                subscription.insert(QStringLiteral("retainHandling"), (options >> 4) & 3);
            }
            subscriptions.append(subscription);
        }
        if (reader.ok() && subscriptions.isEmpty())
            return fail(QStringLiteral("mqtt-no-topic-filter"), QStringLiteral("MQTT 5.0 §3.8.3"),
                        QStringLiteral("%1 names no topic filter").arg(kind));
        fields.insert(type == 8 ? QStringLiteral("subscriptions") : QStringLiteral("topics"), subscriptions);
        break;
    }
    case 9: { // SUBACK
        packetId = reader.u16("packet identifier");
        if (v5)
            fields.insert(QStringLiteral("properties"), readProperties(reader));
        QJsonArray codes;
        while (reader.ok() && !reader.atEnd())
            codes.append(reader.byte("return code"));
        fields.insert(v5 ? QStringLiteral("reasonCodes") : QStringLiteral("returnCodes"), codes);
        break;
    }
    case 12:
    case 13: // PINGREQ PINGRESP
        if (!body.isEmpty())
            return fail(QStringLiteral("mqtt-ping-length"), QStringLiteral("MQTT 5.0 §3.12.1"),
                        QStringLiteral("%1 has remaining length %2, must be 0").arg(kind).arg(body.size()));
        break;
    case 14:
    case 15: // DISCONNECT AUTH
        if (v5 && !reader.atEnd()) {
            fields.insert(QStringLiteral("reasonCode"), reader.byte("reason code"));
            if (!reader.atEnd())
                fields.insert(QStringLiteral("properties"), readProperties(reader));
        } else if (!v5 && !body.isEmpty()) {
            return fail(QStringLiteral("mqtt-disconnect-length"), QStringLiteral("MQTT 3.1.1 §3.14.1"),
                        QStringLiteral("DISCONNECT has remaining length %1, must be 0").arg(body.size()));
        }
        break;
    }
    if (!reader.ok())
        return fail(QStringLiteral("mqtt-packet-truncated"), QStringLiteral("MQTT 5.0 §2 MQTT Control Packet format"),
                    reader.error());
    if (!reader.atEnd() && type != 3)
        return fail(QStringLiteral("mqtt-packet-trailing-bytes"),
                    QStringLiteral("MQTT 5.0 §2 MQTT Control Packet format"),
                    QStringLiteral("%1 bytes after the last field of %2").arg(reader.left()).arg(kind));

    DecodedMessage result = decoded(kind, fields);
    if (packetId) {
        if (*packetId == 0)
            return fail(QStringLiteral("mqtt-packet-identifier-zero"), QStringLiteral("MQTT 5.0 §2.2.1"),
                        QStringLiteral("packet identifier 0 is not allowed"));
        result.fields.insert(QStringLiteral("packetId"), *packetId);
        // A PUBLISH is answered by PUBACK (QoS 1) or PUBREC (QoS 2), a PUBREL by PUBCOMP, SUBSCRIBE by SUBACK,
        // UNSUBSCRIBE by UNSUBACK: each pair shares the identifier, and the answer goes the other way.
        const bool request = type == 3 || type == 6 || type == 8 || type == 10;
        const QString key = QStringLiteral("packet %1").arg(*packetId);
        result.correlation = request ? Correlation::request(key) : Correlation::reply(key);
    }
    return result;
}

} // namespace wsi
