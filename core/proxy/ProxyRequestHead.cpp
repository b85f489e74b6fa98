// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyRequestHead.h"

#include <algorithm>

namespace wsi {
namespace {

// "host:port", "[::1]:port" or "host" (then `defaultPort`). False when the port is not a number in 1..65535 or
// the host is empty.
bool splitAuthority(QByteArrayView authority, quint16 defaultPort, QString *host, quint16 *port)
{
    QByteArrayView hostPart = authority;
    QByteArrayView portPart;
    if (authority.startsWith('[')) {
        const qsizetype close = authority.indexOf(']');
        if (close < 0)
            return false;
        hostPart = authority.sliced(1, close - 1);
        const QByteArrayView rest = authority.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(':'))
                return false;
            portPart = rest.sliced(1);
        }
    } else if (const qsizetype colon = authority.lastIndexOf(':'); colon >= 0) {
        hostPart = authority.first(colon);
        portPart = authority.sliced(colon + 1);
    }
    if (hostPart.isEmpty())
        return false;
    if (portPart.isEmpty()) {
        *port = defaultPort;
    } else {
        bool ok = false;
        const uint value = portPart.toUInt(&ok);
        if (!ok || value == 0 || value > 65535)
            return false;
        *port = quint16(value);
    }
    *host = QString::fromLatin1(hostPart).toLower();
    return true;
}

bool isProxyOnlyField(QByteArrayView name)
{
    return HttpSyntax::equalsIgnoringCase(name, "Proxy-Connection") ||
           HttpSyntax::equalsIgnoringCase(name, "Proxy-Authorization");
}

} // namespace

qsizetype ProxyRequestHead::endOf(QByteArrayView buffer, qsizetype searchedBefore)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n", std::max<qsizetype>(0, searchedBefore - 3));
    return end < 0 ? -1 : end + 4;
}

std::optional<ProxyRequestHead> ProxyRequestHead::parse(QByteArrayView head, QString *error)
{
    const auto fail = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    if (head.size() > maxBytes)
        return fail(QStringLiteral("the request head is longer than %1 bytes").arg(maxBytes));
    if (!head.endsWith("\r\n\r\n"))
        return fail(QStringLiteral("the request head does not end with an empty line"));
    ProxyRequestHead request;
    request.m_raw = head.toByteArray();
    const QList<QByteArray> lines = head.first(head.size() - 4).toByteArray().split('\n');
    const QByteArray requestLine = lines.constFirst().chopped(lines.constFirst().endsWith('\r') ? 1 : 0);
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !HttpSyntax::isToken(parts.at(0)) || parts.at(1).isEmpty())
        return fail(QStringLiteral("the request line '%1' is not METHOD TARGET HTTP/1.x")
                        .arg(QString::fromLatin1(requestLine.left(200))));
    if (!parts.at(2).startsWith("HTTP/1."))
        return fail(QStringLiteral("the request line '%1' is not METHOD TARGET HTTP/1.x")
                        .arg(QString::fromLatin1(requestLine.left(200))));
    request.m_method = parts.at(0);
    request.m_target = parts.at(1);
    request.m_version = parts.at(2);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).chopped(lines.at(i).endsWith('\r') ? 1 : 0);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !HttpSyntax::isToken(line.first(colon)))
            return fail(QStringLiteral("header line %1 '%2' is not NAME: VALUE")
                            .arg(i)
                            .arg(QString::fromLatin1(line.left(200))));
        request.m_headers.append(line.first(colon), HttpSyntax::trimmed(line.sliced(colon + 1)).toByteArray());
    }

    if (request.m_method == "CONNECT") {
        request.m_form = Form::Connect;
        if (!splitAuthority(request.m_target, 0, &request.m_host, &request.m_port) || request.m_port == 0)
            return fail(QStringLiteral("CONNECT needs host:port, not '%1'")
                            .arg(QString::fromLatin1(request.m_target.left(200))));
        return request;
    }
    QByteArrayView authority;
    if (request.m_target.startsWith('/')) {
        request.m_form = Form::Origin;
        request.m_originTarget = request.m_target;
        authority = request.m_headers.value("Host");
        if (authority.isEmpty())
            return fail(QStringLiteral("a request for '%1' without a Host field names no server")
                            .arg(QString::fromLatin1(request.m_target.left(200))));
    } else {
        request.m_form = Form::Absolute;
        const QByteArray lower = request.m_target.toLower();
        if (!lower.startsWith("http://"))
            return fail(QStringLiteral("the target '%1' is neither http://host/path nor /path (https:// goes "
                                       "through CONNECT)")
                            .arg(QString::fromLatin1(request.m_target.left(200))));
        const QByteArrayView rest = QByteArrayView(request.m_target).sliced(7);
        qsizetype pathStart = rest.size();
        for (const char c : {'/', '?', '#'}) {
            if (const qsizetype at = rest.indexOf(c); at >= 0)
                pathStart = std::min(pathStart, at);
        }
        authority = rest.first(pathStart);
        if (authority.contains('@'))
            return fail(QStringLiteral("the target '%1' carries user information, which a proxy does not forward")
                            .arg(QString::fromLatin1(request.m_target.left(200))));
        request.m_originTarget = rest.sliced(pathStart).toByteArray();
        if (const qsizetype fragment = request.m_originTarget.indexOf('#'); fragment >= 0)
            request.m_originTarget.truncate(fragment);
        if (!request.m_originTarget.startsWith('/'))
            request.m_originTarget.prepend('/');
    }
    if (!splitAuthority(authority, 80, &request.m_host, &request.m_port))
        return fail(QStringLiteral("'%1' is not a host with an optional port")
                        .arg(QString::fromLatin1(authority.first(std::min<qsizetype>(authority.size(), 200)))));
    return request;
}

bool ProxyRequestHead::isWebSocketUpgrade() const
{
    return m_form != Form::Connect && m_method == "GET" && m_headers.containsToken("Connection", "upgrade") &&
           m_headers.containsToken("Upgrade", "websocket");
}

QUrl ProxyRequestHead::webSocketUrl(bool secure) const
{
    QUrl url(QString::fromLatin1(originTarget()), QUrl::TolerantMode);
    url.setScheme(secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(m_host);
    if (m_port != (secure ? 443 : 80))
        url.setPort(m_port);
    return url;
}

QByteArray ProxyRequestHead::forwarded() const
{
    if (m_form == Form::Connect)
        return m_raw;
    QByteArray out;
    out.reserve(m_raw.size());
    const QList<QByteArray> lines = m_raw.first(m_raw.size() - 2).split('\n'); // the blank line is added back
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.isEmpty())
            continue; // after the last "\r\n"
        if (i == 0) {
            if (m_form == Form::Absolute) {
                out += m_method + ' ' + m_originTarget + ' ' + m_version + "\r\n";
                continue;
            }
        } else if (const qsizetype colon = line.indexOf(':'); colon > 0 && isProxyOnlyField(line.first(colon))) {
            continue;
        }
        out += line + '\n';
    }
    out += "\r\n";
    return out;
}

} // namespace wsi
