// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ImportCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/ImportArguments.h"
#include "core/exchange/HarReader.h"
#include "core/exchange/SessionFileFormat.h"
#include "core/protocol/Opcode.h"
#include "core/text/DurationText.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTextStream>

namespace wsi::cli::ImportCommand {
namespace {

// What the summary says of one session, counted from its log.
struct Counts {
    qint64 messagesSent = 0;
    qint64 messagesReceived = 0;
    quint64 bytesSent = 0;
    quint64 bytesReceived = 0;
    qint64 controlFrames = 0;
    std::optional<qint64> firstNs;
    qint64 lastNs = 0;
    qint64 endNs = 0; // the close, or the last frame
};

Counts countsOf(const SessionRecords &session)
{
    Counts c;
    const FrameLog &log = *session.log;
    for (qsizetype i = 0; i < log.messageCount(); ++i) {
        const MessageRecord &m = log.message(i);
        const bool sent = m.direction == Direction::Outgoing;
        (sent ? c.messagesSent : c.messagesReceived) += 1;
        (sent ? c.bytesSent : c.bytesReceived) += m.length;
    }
    for (qsizetype i = 0; i < log.frameCount(); ++i) {
        const FrameRecord &f = log.frame(i);
        if (Opcodes::isControl(f.opcode))
            ++c.controlFrames;
        if (!c.firstNs)
            c.firstNs = f.timeNs;
        c.lastNs = std::max(c.lastNs, f.timeNs);
    }
    c.endNs = std::max(c.lastNs, session.close ? session.close->atNs : 0);
    return c;
}

qint64 nsToMs(qint64 ns)
{
    return (ns + 500'000) / 1'000'000; // to the nearest: times read from files are rounded either way
}

QString wallTime(const SessionRecords &session, qint64 ns)
{
    return session.startedAt.isValid() ? session.startedAt.addMSecs(nsToMs(ns)).toUTC().toString(Qt::ISODateWithMs)
                                       : QString();
}

QString bytesText(quint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

QString statusText(const HandshakeRecord &h)
{
    if (!h.responseReceived)
        return QStringLiteral("no response recorded");
    return QStringLiteral("%1 %2").arg(h.response.statusCode).arg(QString::fromUtf8(h.response.reasonPhrase)).trimmed();
}

QString closeText(const CloseRecord &close)
{
    QString text;
    if (close.closeSent || close.closeReceived) {
        text = QStringLiteral("by the %1, code %2").arg(CloseRecord::initiatorName(close.initiator)).arg(close.code);
        if (!close.reason.isEmpty())
            text += QStringLiteral(" \"%1\"").arg(close.reason);
        text += close.clean ? QStringLiteral(", clean") : QStringLiteral(", one Close frame only");
    } else {
        text = QStringLiteral("failed");
    }
    if (!close.error.isEmpty())
        text += QStringLiteral(" (%1)").arg(close.error);
    return text;
}

QJsonObject sessionJson(const SessionRecords &session, qsizetype index)
{
    const Counts c = countsOf(session);
    const HandshakeRecord &h = session.handshake;
    QJsonObject object{
        {QStringLiteral("event"), QStringLiteral("har_session")},
        {QStringLiteral("index"), int(index + 1)},
        {QStringLiteral("url"), session.url.toString()},
        {QStringLiteral("status"), h.responseReceived ? QJsonValue(h.response.statusCode) : QJsonValue()},
        {QStringLiteral("accepted"), h.accepted},
        {QStringLiteral("started"), session.startedAt.isValid()
                                        ? QJsonValue(session.startedAt.toUTC().toString(Qt::ISODateWithMs))
                                        : QJsonValue()},
        {QStringLiteral("messages_sent"), c.messagesSent},
        {QStringLiteral("messages_received"), c.messagesReceived},
        {QStringLiteral("bytes_sent"), qint64(c.bytesSent)},
        {QStringLiteral("bytes_received"), qint64(c.bytesReceived)},
        {QStringLiteral("control_frames"), c.controlFrames},
        {QStringLiteral("first_frame"), c.firstNs ? QJsonValue(wallTime(session, *c.firstNs)) : QJsonValue()},
        {QStringLiteral("last_frame"), c.firstNs ? QJsonValue(wallTime(session, c.lastNs)) : QJsonValue()},
        {QStringLiteral("duration_s"), DurationText::seconds(nsToMs(c.endNs))},
        {QStringLiteral("closed"), session.close.has_value()},
    };
    if (session.close) {
        const CloseRecord &close = *session.close;
        QJsonObject closeObject{
            {QStringLiteral("initiator"), CloseRecord::initiatorName(close.initiator)},
            {QStringLiteral("code"), close.code},
            {QStringLiteral("reason"), close.reason},
            {QStringLiteral("clean"), close.clean},
            {QStringLiteral("at_s"), DurationText::seconds(nsToMs(close.atNs))},
        };
        if (!close.error.isEmpty())
            closeObject.insert(QStringLiteral("error"), close.error);
        object.insert(QStringLiteral("close"), closeObject);
    }
    return object;
}

void printHuman(QTextStream &out, const SessionRecords &session, qsizetype index)
{
    const Counts c = countsOf(session);
    out << '\n' << index + 1 << ". " << session.url.toString() << '\n';
    out << "   handshake  " << statusText(session.handshake) << '\n';
    if (session.startedAt.isValid())
        out << "   started    " << session.startedAt.toUTC().toString(Qt::ISODateWithMs) << '\n';
    out << "   messages   " << c.messagesSent << " sent (" << bytesText(c.bytesSent) << "), " << c.messagesReceived
        << " received (" << bytesText(c.bytesReceived) << ")";
    if (c.controlFrames > 0)
        out << "; " << c.controlFrames << " control frame" << (c.controlFrames == 1 ? "" : "s");
    out << '\n';
    if (c.firstNs)
        out << "   frames     first " << wallTime(session, *c.firstNs) << ", last " << wallTime(session, c.lastNs)
            << '\n';
    out << "   duration   " << DurationText::format(nsToMs(c.endNs)) << '\n';
    out << "   closed     "
        << (session.close ? closeText(*session.close)
                          : QStringLiteral("no (the file does not say "
                                           "how it ended)"))
        << '\n';
}

} // namespace

int run(const QStringList &arguments)
{
    const ImportParseResult parsed = parseImportArguments(arguments);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parsed.arguments) {
        err << "wsinspector-cli import: " << parsed.error << "\nTry 'wsinspector-cli import --help'.\n";
        return ExitUsage;
    }
    const ImportArguments &args = *parsed.arguments;
    if (args.help) {
        out << importHelpText();
        return ExitOk;
    }
    QString error;
    const SessionFileFormat format = SessionFileFormats::detectFile(args.file, &error);
    if (format == SessionFileFormat::Unreadable) {
        err << "wsinspector-cli import: " << error << '\n';
        return ExitUsage;
    }
    const QString name = QFileInfo(args.file).fileName();
    if (format != SessionFileFormat::Har && format != SessionFileFormat::Empty) {
        err << "wsinspector-cli import: " << name << " is " << SessionFileFormats::name(format)
            << ", not a HAR file; import reads HAR files ("
            << (format == SessionFileFormat::Recording ? "'export', 'diagnose' and 'simulate --from' read recordings"
                                                       : "'diagnose' and 'simulate --from' read transcripts")
            << ")\n";
        return ExitUsage;
    }
    // The summary counts lengths, which records keep whatever the budget: no payload needs to be kept.
    HarReader reader(HarReader::Options{FrameLog::Budget{0, 0}, HarReader::Options{}.maxValueBytes});
    const std::optional<QList<SessionRecords>> sessions = reader.readFile(args.file);
    if (!sessions) {
        err << "wsinspector-cli import: " << reader.errorString() << '\n';
        return ExitUsage;
    }
    if (args.json) {
        for (qsizetype i = 0; i < sessions->size(); ++i)
            out << QString::fromUtf8(QJsonDocument(sessionJson(sessions->at(i), i)).toJson(QJsonDocument::Compact))
                << '\n';
        const QJsonObject summary{{QStringLiteral("event"), QStringLiteral("har_summary")},
                                  {QStringLiteral("file"), name},
                                  {QStringLiteral("entries"), qint64(reader.entryCount())},
                                  {QStringLiteral("websocket_sessions"), qint64(sessions->size())}};
        out << QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact)) << '\n';
        return ExitOk;
    }
    out << name << ": " << reader.entryCount() << (reader.entryCount() == 1 ? " entry, " : " entries, ")
        << sessions->size() << " WebSocket session" << (sessions->size() == 1 ? "" : "s") << '\n';
    for (qsizetype i = 0; i < sessions->size(); ++i)
        printHuman(out, sessions->at(i), i);
    return ExitOk;
}

} // namespace wsi::cli::ImportCommand
