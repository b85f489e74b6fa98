// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli serve`'s arguments: --host and --port, every usage error, and the help generated from the table.
#include "ArgumentCases.h"
#include "app/cli/ServeArguments.h"

#include <QTest>

using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace {

QStringList summary(const ServeArguments &arguments)
{
    return {QStringLiteral("%1 (%2) port %3").arg(arguments.address.toString(), arguments.host).arg(arguments.port)};
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"defaults", {}, {s("127.0.0.1 (127.0.0.1) port 0")}},
        {"--port", {s("--port"), s("9001")}, {s("127.0.0.1 (127.0.0.1) port 9001")}},
        {"--host IPv6 and --port=", {s("--host"), s("::1"), s("--port=65535")}, {s("::1 (::1) port 65535")}},
        {"--host localhost", {s("--host=localhost")}, {s("127.0.0.1 (localhost) port 0")}},
        {"--host in brackets", {s("--host"), s("[::1]")}, {s("::1 ([::1]) port 0")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"port not a number", {s("--port"), s("x")}, s("--port 'x' is not a port number (0-65535)")},
        {"port too large", {s("--port=65536")}, s("--port '65536' is not a port number (0-65535)")},
        {"host not an address", {s("--host"), s("nohost")}, s("--host 'nohost' is not an IP address (or localhost)")},
        {"unknown flag", {s("--bogus")}, s("unknown option '--bogus'")},
        {"positional argument", {s("9001")}, s("unexpected argument '9001'")},
        {"value missing", {s("--port")}, s("option '--port' needs a value")},
    };
}

} // namespace

class tst_ServeArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help()
    {
        m_cases.checkHelp({QStringLiteral("--port"), QStringLiteral("x"), QStringLiteral("-h")}, serveHelpText(),
                          {"Usage: wsinspector-cli serve [--host H] [--port P]", "listening ws://HOST:PORT",
                           "\nOptions:\n", "  --host H", "  --port P", "  -h, --help", "\nExit status:\n"});
    }
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<ServeArguments>;
    Cases m_cases{parseServeArguments, summary, serveOptionNames()};
};

QTEST_GUILESS_MAIN(tst_ServeArguments)
#include "tst_servearguments.moc"
