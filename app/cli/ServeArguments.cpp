// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ServeArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ArgumentValues.h"

namespace wsi::cli {
namespace {

// What serve's rows build.
struct ServeBuilder {
    ServeArguments out;
};

const ArgumentTable<ServeBuilder> &serveTable()
{
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<ServeBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli serve [--host H] [--port P]"),
        .description = QStringLiteral(
            R"(Runs the built-in WebSocket echo server: every text and binary message is sent back, pings are answered.

Prints "listening ws://HOST:PORT" on stdout as soon as it accepts connections (with the real port when --port is
0), then runs until SIGINT or SIGTERM.)"),
        .rows =
            {
                {.longName = QStringLiteral("host"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("H"),
                 .group = options,
                 .help = QStringLiteral("Address to listen on: an IP address or localhost (default 127.0.0.1)."),
                 .apply =
                     [](ServeBuilder &builder, const ArgumentOccurrence &flag) {
                         const std::optional<QHostAddress> address = ArgumentValues::hostAddress(flag.value());
                         if (!address)
                             return QStringLiteral("%1 '%2' is not an IP address (or localhost)")
                                 .arg(flag.written, flag.value());
                         builder.out.address = *address;
                         builder.out.host = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("port"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("P"),
                 .group = options,
                 .help = QStringLiteral("Port to listen on; 0 picks a free one (default 0)."),
                 .apply =
                     [](ServeBuilder &builder, const ArgumentOccurrence &flag) {
                         bool ok = false;
                         const uint port = flag.value().toUInt(&ok);
                         if (!ok || port > 65535)
                             return QStringLiteral("%1 '%2' is not a port number (0-65535)")
                                 .arg(flag.written, flag.value());
                         builder.out.port = quint16(port);
                         return QString();
                     }},
            },
        .epilogue = QStringLiteral(R"(Exit status:
  0  stopped by a signal
  1  cannot listen
  2  usage error)"),
    };
    return table;
}

} // namespace

ServeParseResult parseServeArguments(const QStringList &arguments)
{
    return serveTable().parseArguments(arguments);
}

QString serveHelpText()
{
    return serveTable().helpText();
}

QStringList serveOptionNames()
{
    return serveTable().longNames();
}

} // namespace wsi::cli
