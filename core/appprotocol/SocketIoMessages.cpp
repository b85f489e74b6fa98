// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/SocketIoMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray SocketIoMessages::namespacePrefix(const QString &nsp)
{
    // The main namespace is left out; any other is followed by a comma, even with nothing after it (the
    // socket.io-parser encoder does so).
    if (nsp.isEmpty() || nsp == QLatin1StringView("/"))
        return {};
    return nsp.toUtf8() + ',';
}

QByteArray SocketIoMessages::connect(const QString &nsp, const QByteArray &auth)
{
    return "40" + namespacePrefix(nsp) + auth.trimmed();
}

QByteArray SocketIoMessages::event(const QString &nsp, const QString &name, const QList<QByteArray> &args,
                                   std::optional<quint64> ackId)
{
    QByteArray message = "42" + namespacePrefix(nsp);
    if (ackId)
        message += QByteArray::number(*ackId);
    message += '[' + PayloadJson::quoted(name);
    for (const QByteArray &arg : args)
        message += ',' + arg.trimmed();
    return message + ']';
}

QByteArray SocketIoMessages::disconnect(const QString &nsp)
{
    return "41" + namespacePrefix(nsp);
}

QString SocketIoMessages::namespaceProblem(const QString &nsp)
{
    return nsp.startsWith(u'/') && !nsp.contains(u',') ? QString()
                                                       : QStringLiteral("a namespace starts with '/' and has no ','");
}

} // namespace wsi
