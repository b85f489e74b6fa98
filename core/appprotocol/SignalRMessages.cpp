// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/SignalRMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray SignalRMessages::invocation(const QString &target, const QList<QByteArray> &arguments,
                                       const std::optional<QString> &invocationId)
{
    QByteArray message = "{\"target\":" + PayloadJson::quoted(target) + ",\"arguments\":[";
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        if (i > 0)
            message += ',';
        message += arguments.at(i).trimmed();
    }
    message += ']';
    if (invocationId)
        message += ",\"invocationId\":" + PayloadJson::quoted(*invocationId);
    return message + ",\"type\":1}\x1e";
}

} // namespace wsi
