// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppProtocolClient.h"

#include "CaptureProcess.h"

namespace wsi::test {

QJsonObject runAppProtocolClient(const QStringList &arguments, QString *error)
{
    return CaptureProcess::runNodeScript(QStringLiteral("app_protocol_client.js"), arguments,
                                         QStringLiteral("@stomp/stompjs"), error);
}

QList<DecodedEvent> decodedEvents(const QList<QJsonObject> &events)
{
    QList<DecodedEvent> all;
    for (const QJsonObject &event : events) {
        if (event.value(QStringLiteral("event")).toString() != QLatin1StringView("message"))
            continue;
        QString sender = event.value(QStringLiteral("from")).toString();
        if (sender.isEmpty())
            sender = event.value(QStringLiteral("dir")).toString() == QLatin1StringView("out")
                         ? QStringLiteral("client")
                         : QStringLiteral("server");
        for (const QJsonValue &decoded : event.value(QStringLiteral("decoded")).toArray())
            all.append(DecodedEvent{sender, decoded.toObject()});
    }
    return all;
}

QJsonObject firstDecoded(const QList<DecodedEvent> &decoded, const QString &sender, const QString &kind)
{
    for (const DecodedEvent &event : decoded) {
        if (event.sender == sender && event.decoded.value(QStringLiteral("kind")).toString() == kind)
            return event.decoded;
    }
    return {};
}

} // namespace wsi::test
