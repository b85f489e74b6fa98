// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ServeCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/ServeArguments.h"
#include "app/cli/SignalWatcher.h"
#include "core/protocol/HostPort.h"
#include "core/server/EchoServer.h"

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
    const ServeParseResult parsed = parseServeArguments(arguments);
    if (!parsed.arguments)
        return usageError(parsed.error);
    if (parsed.arguments->help) {
        QTextStream(stdout) << serveHelpText();
        return ExitOk;
    }
    const QHostAddress &address = parsed.arguments->address;
    const QString &hostText = parsed.arguments->host;
    const quint16 portNumber = parsed.arguments->port;

    EchoServer server;
    if (!server.listen(address, portNumber)) {
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
