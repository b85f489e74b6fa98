// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/StartupArgument.h"

#include "core/profiles/ProfileVariables.h"
#include "core/protocol/WebSocketUrl.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace wsi {
namespace {

StartupArgument file(const QString &path)
{
    StartupArgument argument;
    argument.kind = StartupArgument::Kind::File;
    argument.path = path;
    return argument;
}

StartupArgument invalid(const QString &problem)
{
    StartupArgument argument;
    argument.problem = problem;
    return argument;
}

StartupArgument address(const QString &text, const QString &argumentAsWritten)
{
    QString problem;
    // "{{name}}" is asked for before connecting, as in the connection bar.
    const std::optional<QUrl> parsed = WebSocketUrl::parse(ProfileVariables::encodeUrlPlaceholders(text), &problem);
    if (!parsed)
        return invalid(QStringLiteral("%1: %2").arg(argumentAsWritten, problem));
    StartupArgument argument;
    argument.kind = StartupArgument::Kind::Url;
    argument.url = *parsed;
    return argument;
}

bool looksLikeAFile(const QString &argument)
{
    static const QRegularExpression captureSuffix(QStringLiteral("\\.(har|wsirec|json|jsonl)$"),
                                                  QRegularExpression::CaseInsensitiveOption);
    return argument.contains(u'/') || argument.contains(u'\\') || argument.startsWith(u'.') ||
           argument.startsWith(u'~') || captureSuffix.match(argument).hasMatch();
}

} // namespace

StartupArgument StartupArgument::classify(const QString &argument)
{
    const QString trimmed = argument.trimmed();
    if (const qsizetype separator = trimmed.indexOf(QLatin1StringView("://")); separator > 0) {
        const QString scheme = trimmed.first(separator).toLower();
        if (scheme == QLatin1StringView("file"))
            return file(QUrl(trimmed).toLocalFile());
        return address(trimmed, trimmed); // ws://, wss://, or a sentence saying what a WebSocket URL is
    }
    if (QFileInfo::exists(trimmed) || looksLikeAFile(trimmed))
        return file(trimmed);
    // host, host:port, [v6]:port
    static const QRegularExpression hostPort(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:[^:]*)?$"));
    if (hostPort.match(trimmed).hasMatch())
        return address(QStringLiteral("ws://") + trimmed, trimmed);
    return invalid(QStringLiteral("%1: neither a ws:// or wss:// URL, host[:port], nor a file").arg(trimmed));
}

} // namespace wsi
