// SPDX-License-Identifier: GPL-3.0-or-later
// wsinspector-cli: the engine for scripts and CI. The protocol layer is in place; the connect, serve, proxy,
// simulate and diagnose commands arrive with the engine that uses it.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wsinspector-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("WS Inspector on the command line."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("No commands yet."));
    parser.process(app);

    if (!parser.positionalArguments().isEmpty()) {
        QTextStream(stderr) << "wsinspector-cli: unknown command '" << parser.positionalArguments().constFirst()
                            << "'\n";
        return 2;
    }
    parser.showHelp(0);
}
