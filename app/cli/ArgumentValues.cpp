// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ArgumentValues.h"

#include "core/keepalive/IntermediaryCatalog.h"
#include "core/rules/RuleFile.h"

#include <QFileInfo>

namespace wsi::cli::ArgumentValues {

QString checkReadableFile(const QString &written, const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1 '%2': no such file").arg(written, path);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("%1 '%2': not a readable file").arg(written, path);
    return {};
}

std::optional<ChainLink> chainLink(const QString &written, const QString &text, QString *error)
{
    std::optional<ChainLink> link = ChainLink::parse(text, IntermediaryCatalog::builtIn(), error);
    if (!link) {
        *error = written + QStringLiteral(": ") + *error;
        return std::nullopt;
    }
    const QStringList missing = link->missingRequiredKnobs();
    if (!missing.isEmpty()) {
        // The model's first note says what the knob is for.
        const QString note = link->model().notes.value(0);
        *error = QStringLiteral("%1 %2: %3 has no default for %4%5: give one, e.g. %1 %3:%4=5m")
                     .arg(written, text, link->model().id, missing.constFirst(),
                          note.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(note));
        return std::nullopt;
    }
    return link;
}

std::optional<QHostAddress> hostAddress(const QString &text)
{
    if (text.compare(QLatin1StringView("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    const bool bracketed = text.startsWith(u'[') && text.endsWith(u']');
    QHostAddress address;
    if (!address.setAddress(bracketed ? text.sliced(1, text.size() - 2) : text))
        return std::nullopt;
    return address;
}

QString listenEndpoint(const QString &written, const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    bool portOk = false;
    const uint number = colon < 0 ? 0 : QStringView(text).sliced(colon + 1).toUInt(&portOk);
    if (colon < 0 || !portOk || number > 65535)
        return QStringLiteral("%1 '%2': expected HOST:PORT (e.g. 127.0.0.1:9000)").arg(written, text);
    const QString host = text.first(colon);
    const std::optional<QHostAddress> parsed = hostAddress(host);
    if (!parsed)
        return QStringLiteral("%1 '%2': '%3' is not an IP address (or localhost)").arg(written, text, host);
    *address = *parsed;
    *port = quint16(number);
    return {};
}

QString timeScale(const QString &written, const QString &text, double *scale)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !(value > 0) || value > 1e6)
        return QStringLiteral("%1 '%2': expected a number greater than 0 (20 turns 60 s into 3 s)").arg(written, text);
    *scale = value;
    return {};
}

QString rules(const QString &written, const QString &path, std::shared_ptr<RuleSet> *rules)
{
    QString error;
    std::shared_ptr<RuleSet> read = RuleFile::read(path, &error);
    if (!read)
        return QStringLiteral("%1 %2").arg(written, error);
    *rules = std::move(read);
    return {};
}

QString rulesHelp()
{
    return QStringLiteral(
        "Apply the rules in FILE (JSON) to every relayed message: {\"rules\": [{\"name\", \"from\": "
        "\"client\"|\"server\", \"opcode\", \"match\": REGEX, \"protocol\", \"kind\", \"subject\" (or "
        "\"event\", \"topic\", \"destination\", \"operation\"; the decoded application protocol's: "
        "\"socket.io\", \"EVENT\", \"chat\"), \"action\", ...}]}, in order, first match wins. "
        "Actions: pass, drop, replace (\"with\", \\1 for a group; or \"path\": \"$.a.b[0]\" with \"value\" or "
        "\"delete\": true, on JSON), delay (\"ms\"), duplicate, close (\"to\", \"code\", \"reason\"; one side "
        "closed, the other goes on), abort (\"to\"), blackhole, no-pong, delay-pong (\"ms\"; pongs and the "
        "protocol's heartbeat answers: Engine.IO 3, PINGRESP, a STOMP EOL ...), inject (\"to\", \"text\" or \"hex\"; "
        "after a match, "
        "or \"after_ms\" / \"every_ms\" from the upgrade), stall (\"to\", \"ms\" or until the end, \"after_ms\"), "
        "throttle (\"to\", \"bytes_per_second\", \"after_ms\"), pause (\"timeout_ms\": forwarded as it came when "
        "nobody decides in time; held messages are printed as \"held\" events with an id, and decided by lines on "
        "stdin: {\"forward\": ID}, {\"forward\": ID, \"text\": \"...\"} (edited; \"hex\" for binary), "
        "{\"drop\": ID}, {\"answer\": ID, \"text\": \"...\"} (sent back to the sender instead); later messages "
        "from its sender wait behind it). A bad file is refused before anything listens. "
        "With rules the client's permessage-deflate offer is not forwarded.");
}

} // namespace wsi::cli::ArgumentValues
