// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HostPort.h"

namespace wsi::HostPort {
namespace {

QString bracketed(const QString &host)
{
    return host.contains(u':') ? u'[' + host + u']' : host;
}

} // namespace

QString format(const QString &host, quint16 port)
{
    return bracketed(host) + u':' + QString::number(port);
}

QString ofUrl(const QUrl &url)
{
    const QString host = bracketed(url.host());
    return url.port() >= 0 ? host + u':' + QString::number(url.port()) : host;
}

QByteArray hostField(const QUrl &url)
{
    const int defaultPort = url.scheme().compare(QLatin1StringView("wss"), Qt::CaseInsensitive) == 0 ? 443 : 80;
    QByteArray field = bracketed(url.host(QUrl::FullyEncoded)).toLatin1();
    const int port = url.port(defaultPort);
    if (port != defaultPort)
        field += ':' + QByteArray::number(port);
    return field;
}

} // namespace wsi::HostPort
