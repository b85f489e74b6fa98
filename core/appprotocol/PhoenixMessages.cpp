// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/PhoenixMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray PhoenixMessages::join(const QString &topic, const QByteArray &payload, quint64 ref)
{
    const QByteArray quotedRef = PayloadJson::quoted(QString::number(ref));
    const QByteArray body = payload.trimmed().isEmpty() ? QByteArrayLiteral("{}") : payload.trimmed();
    return '[' + quotedRef + ',' + quotedRef + ',' + PayloadJson::quoted(topic) + ",\"phx_join\"," + body + ']';
}

QByteArray PhoenixMessages::push(const QString &topic, const QString &event, const QByteArray &payload,
                                 std::optional<quint64> joinRef, quint64 ref)
{
    const QByteArray body = payload.trimmed().isEmpty() ? QByteArrayLiteral("{}") : payload.trimmed();
    return '[' + (joinRef ? PayloadJson::quoted(QString::number(*joinRef)) : QByteArrayLiteral("null")) + ',' +
           PayloadJson::quoted(QString::number(ref)) + ',' + PayloadJson::quoted(topic) + ',' +
           PayloadJson::quoted(event) + ',' + body + ']';
}

QByteArray PhoenixMessages::heartbeat(quint64 ref)
{
    return "[null," + PayloadJson::quoted(QString::number(ref)) + ",\"phoenix\",\"heartbeat\",{}]";
}

} // namespace wsi
