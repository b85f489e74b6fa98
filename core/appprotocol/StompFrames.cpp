// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/StompFrames.h"

namespace wsi {
namespace {

// STOMP 1.2 "Value Encoding": backslash, carriage return, line feed and colon are escaped in every frame but
// CONNECT and CONNECTED.
QByteArray escaped(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case ':':
            out += "\\c";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

QByteArray StompFrames::frame(const QByteArray &command, const QList<QPair<QString, QString>> &headers,
                              const QByteArray &body, bool escape)
{
    QByteArray out = command + '\n';
    for (const auto &[name, value] : headers)
        out += (escape ? escaped(name) : name.toUtf8()) + ':' + (escape ? escaped(value) : value.toUtf8()) + '\n';
    return out + '\n' + body + '\0';
}

QByteArray StompFrames::connect(const QString &host, const QString &login, const QString &passcode, qint64 sendMs,
                                qint64 receiveMs)
{
    QList<QPair<QString, QString>> headers{{QStringLiteral("accept-version"), QStringLiteral("1.2,1.1,1.0")}};
    if (!host.isEmpty())
        headers.append({QStringLiteral("host"), host});
    if (!login.isEmpty())
        headers.append({QStringLiteral("login"), login});
    if (!passcode.isEmpty())
        headers.append({QStringLiteral("passcode"), passcode});
    headers.append({QStringLiteral("heart-beat"), QStringLiteral("%1,%2").arg(sendMs).arg(receiveMs)});
    return frame("CONNECT", headers, {}, false);
}

QByteArray StompFrames::subscribe(const QString &id, const QString &destination)
{
    return frame("SUBSCRIBE", {{QStringLiteral("id"), id}, {QStringLiteral("destination"), destination}});
}

QByteArray StompFrames::send(const QString &destination, const QByteArray &body,
                             const QList<QPair<QString, QString>> &headers)
{
    // content-length lets the body hold NULs; content-type as stompjs writes for a text body.
    QList<QPair<QString, QString>> all{{QStringLiteral("destination"), destination}};
    bool typed = false;
    for (const auto &header : headers) {
        const QString name = header.first.toLower();
        if (name == QLatin1StringView("content-length") || name == QLatin1StringView("destination"))
            continue; // ours: the body's true length, the destination given
        typed = typed || name == QLatin1StringView("content-type");
        all.append(header);
    }
    if (!typed)
        all.append({QStringLiteral("content-type"), QStringLiteral("text/plain")});
    all.append({QStringLiteral("content-length"), QString::number(body.size())});
    return frame("SEND", all, body);
}

QByteArray StompFrames::disconnect(const QString &receipt)
{
    return frame("DISCONNECT", {{QStringLiteral("receipt"), receipt}});
}

QString StompFrames::checkHeaderValue(const QString &value)
{
    if (value.contains(u'\n') || value.contains(u'\r') || value.contains(QChar(0)))
        return QStringLiteral("a STOMP CONNECT header value cannot hold an end of line or NUL (CONNECT headers are "
                              "not escaped, STOMP 1.2 \"Value Encoding\")");
    return {};
}

} // namespace wsi
