// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ServeCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/SignalWatcher.h"
#include "core/protocol/HostPort.h"
#include "core/server/EchoServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTextStream>

#include <cstdio>

namespace wsi::cli {
namespace {

int usageError(const QString &message)
{
    QTextStream(stderr) << "wsinspector-cli serve: " << message << "\nTry 'wsinspector-cli serve --help'.\n";
    return ExitUsage;
}

} // namespace

int ServeCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs the built-in WebSocket echo server: every text and binary message is sent back, pings "
                       "are answered.\n\n"
                       "Prints \"listening ws://HOST:PORT\" on stdout as soon as it accepts connections (with the "
                       "real port when --port is 0), then runs until SIGINT or SIGTERM.\n\n"
                       "Exit status: 0 stopped by a signal, 1 cannot listen, 2 usage error."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption host(QStringLiteral("host"),
                                  QStringLiteral("Address to listen on: an IP address or localhost (default "
                                                 "127.0.0.1)."),
                                  QStringLiteral("H"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port to listen on; 0 picks a free one (default 0)."),
                                  QStringLiteral("P"), QStringLiteral("0"));
    parser.addOptions({help, host, port});

    // QCommandLineParser skips the first argument as the program name.
    if (!parser.parse(QStringList{QStringLiteral("serve")} + arguments))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        // helpText() names the program from argv[0], without the command: give it the usage line it lacks.
        const QString text = parser.helpText();
        QTextStream(stdout) << "Usage: wsinspector-cli serve [--host H] [--port P]\n"
                            << QStringView(text).sliced(text.indexOf(u'\n') + 1);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));

    const QString hostText = parser.value(host);
    QHostAddress address;
    if (hostText.compare(QLatin1StringView("localhost"), Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(hostText))
        return usageError(QStringLiteral("--host '%1' is not an IP address (or localhost)").arg(hostText));

    bool portOk = false;
    const uint portNumber = parser.value(port).toUInt(&portOk);
    if (!portOk || portNumber > 65535)
        return usageError(QStringLiteral("--port '%1' is not a port number (0-65535)").arg(parser.value(port)));

    EchoServer server;
    if (!server.listen(address, quint16(portNumber))) {
        QTextStream(stderr) << "wsinspector-cli serve: cannot listen on " << hostText << ':' << portNumber << ": "
                            << server.errorString() << '\n';
        return ExitHandshakeFailed;
    }

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &server, [&server](int) {
        server.close();
        QCoreApplication::exit(ExitOk);
    });

    const QUrl url = server.url();
    const QByteArray line = "listening ws://" + HostPort::format(url.host(), server.port()).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);

    return QCoreApplication::exec();
}

} // namespace wsi::cli
