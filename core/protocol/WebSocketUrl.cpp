// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/WebSocketUrl.h"

namespace wsi::WebSocketUrl {
namespace {

// RFC 3986 §3.2.3: the port follows the host's last ':' (an IPv6 literal's colons are inside its brackets).
QString portProblem(QStringView authority)
{
    const qsizetype at = authority.lastIndexOf(u'@');
    QStringView hostPort = at >= 0 ? authority.sliced(at + 1) : authority;
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return QStringLiteral("the IPv6 address has no closing ']'");
        hostPort = hostPort.sliced(close + 1);
        if (hostPort.isEmpty())
            return {};
        if (!hostPort.startsWith(u':'))
            return QStringLiteral("after the IPv6 address ']' comes ':port' or nothing");
    } else if (hostPort.startsWith(u':')) {
        return QStringLiteral("it has no host before the port");
    }
    const qsizetype colon = hostPort.lastIndexOf(u':');
    if (colon < 0)
        return {};
    const QStringView port = hostPort.sliced(colon + 1);
    if (port.isEmpty())
        return QStringLiteral("the port after ':' is missing");
    for (const QChar c : port) {
        if (!c.isDigit() || c.unicode() > u'9')
            return QStringLiteral("port '%1' is not a number").arg(port);
    }
    bool ok = false;
    const qulonglong value = port.toULongLong(&ok);
    if (!ok || value < 1 || value > 65535)
        return QStringLiteral("port %1 is out of range 1-65535").arg(port);
    return {};
}

} // namespace

QString problem(const QString &text)
{
    QString why;
    parse(text, &why);
    return why;
}

std::optional<QUrl> parse(const QString &text, QString *problem)
{
    const auto fail = [problem](const QString &why) -> std::optional<QUrl> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("enter a ws:// or wss:// URL, e.g. ws://127.0.0.1:9001/"));
    const qsizetype separator = trimmed.indexOf(QLatin1StringView("://"));
    if (separator < 0)
        return fail(QStringLiteral("'%1' has no scheme: a WebSocket URL starts with ws:// or wss://").arg(trimmed));
    const QString scheme = trimmed.first(separator).toLower();
    if (scheme != QLatin1StringView("ws") && scheme != QLatin1StringView("wss")) {
        const QString instead = scheme == QLatin1StringView("https")  ? QStringLiteral(" (wss:// for https://)")
                                : scheme == QLatin1StringView("http") ? QStringLiteral(" (ws:// for http://)")
                                                                      : QString();
        return fail(QStringLiteral("the scheme is %1: a WebSocket URL starts with ws:// or wss://%2")
                        .arg(scheme.isEmpty() ? QStringLiteral("empty") : scheme, instead));
    }
    for (const QChar c : trimmed) {
        if (c.isSpace())
            return fail(QStringLiteral("a URL cannot contain spaces (write %20 for one in the path)"));
    }
    const QStringView rest = QStringView(trimmed).sliced(separator + 3);
    qsizetype authorityEnd = rest.size();
    for (const char16_t end : {u'/', u'?', u'#'}) {
        if (const qsizetype at = rest.indexOf(QChar(end)); at >= 0)
            authorityEnd = std::min(authorityEnd, at);
    }
    const QStringView authority = rest.first(authorityEnd);
    if (authority.isEmpty())
        return fail(QStringLiteral("it has no host: write %1://host[:port]/path").arg(scheme));
    if (const QString why = portProblem(authority); !why.isEmpty())
        return fail(why);
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid()) {
        if (QUrl(scheme + QStringLiteral("://") + authority.toString(), QUrl::StrictMode).isValid())
            return fail(QStringLiteral("the path or query holds characters a URL cannot have (percent-encode them)"));
        return fail(QStringLiteral("the host '%1' holds characters a host name cannot have").arg(authority));
    }
    if (url.host().isEmpty())
        return fail(QStringLiteral("it has no host: write %1://host[:port]/path").arg(scheme));
    return url;
}

} // namespace wsi::WebSocketUrl
