// SPDX-License-Identifier: GPL-3.0-or-later
// wsinspector-cli: the engine for scripts and CI. This file only picks the command; each command parses its own
// arguments and runs in its own class.
#include "app/cli/CaptureCommand.h"
#include "app/cli/ConnectCommand.h"
#include "app/cli/DiagnoseCommand.h"
#include "app/cli/ExitStatus.h"
#include "app/cli/ExportCommand.h"
#include "app/cli/ImportCommand.h"
#include "app/cli/ProfilesCommand.h"
#include "app/cli/ProxyCommand.h"
#include "app/cli/ServeCommand.h"
#include "app/cli/SimulateCommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

QString mainHelpText()
{
    return QStringLiteral(R"(Usage: wsinspector-cli COMMAND [options]

WS Inspector on the command line.

Commands:
  connect URL   Open a WebSocket connection, send messages, print the handshake and every frame
                (human transcript or --json lines).
  serve         Run the built-in echo server until SIGINT or SIGTERM.
  proxy         Relay WebSocket connections to a real server, recording every frame both ways and enforcing
                an intermediary's timeouts (nginx, HAProxy ...) in real time or faster (--time-scale).
  capture       An HTTP proxy that captures any application's WebSocket connections (plain ws://, absolute
                form or through CONNECT): relayed, recorded both ways (--record-dir); the rest passes through.
  simulate      Simulate a connection through a chain of proxies, load balancers and NATs in virtual time:
                which timeout cuts it first and when, what each end sees, why, and the fix.
  diagnose FILE Say what most likely ended a session in a 'connect --json' transcript, a recording or a HAR file
                (an intermediary's timeout, ranked with the evidence, or the server's Close, a failure ...), and
                the fix.
  import FILE   Summarise the WebSocket sessions of a HAR file (Chrome, Firefox, mitmproxy, Playwright):
                URL, status, messages and bytes each way, first and last frame, duration, how it closed.
  export FILE   Write the sessions of a recording or a HAR file as HAR (--har OUT) or as the JSON lines of
                'connect --json' (--jsonl OUT), with whole payloads.
  profiles      The saved session profiles: list, show NAME, export NAME FILE, import FILE
                ('connect --profile NAME' opens one).

Run 'wsinspector-cli COMMAND --help' for a command's options and exit statuses.

Options:
  -h, --help     Show this help.
  -v, --version  Show the version.
)");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wsinspector-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    const QStringList rest = arguments.mid(2);

    if (command == QLatin1StringView("connect"))
        return wsi::cli::ConnectCommand::run(rest);
    if (command == QLatin1StringView("serve"))
        return wsi::cli::ServeCommand::run(rest);
    if (command == QLatin1StringView("proxy"))
        return wsi::cli::ProxyCommand::run(rest);
    if (command == QLatin1StringView("capture"))
        return wsi::cli::CaptureCommand::run(rest);
    if (command == QLatin1StringView("simulate"))
        return wsi::cli::SimulateCommand::run(rest);
    if (command == QLatin1StringView("diagnose"))
        return wsi::cli::DiagnoseCommand::run(rest);
    if (command == QLatin1StringView("import"))
        return wsi::cli::ImportCommand::run(rest);
    if (command == QLatin1StringView("export"))
        return wsi::cli::ExportCommand::run(rest);
    if (command == QLatin1StringView("profiles"))
        return wsi::cli::ProfilesCommand::run(rest);
    if (command == QLatin1StringView("--version") || command == QLatin1StringView("-v")) {
        QTextStream(stdout) << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion()
                            << '\n';
        return wsi::cli::ExitOk;
    }
    if (command == QLatin1StringView("--help") || command == QLatin1StringView("-h") ||
        command == QLatin1StringView("help")) {
        QTextStream(stdout) << mainHelpText();
        return wsi::cli::ExitOk;
    }
    QTextStream err(stderr);
    if (command.isEmpty())
        err << "wsinspector-cli: missing command\n\n" << mainHelpText();
    else
        err << "wsinspector-cli: unknown command '" << command << "'\nTry 'wsinspector-cli --help'.\n";
    return wsi::cli::ExitUsage;
}
