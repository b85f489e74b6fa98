// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ExportCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/ExportArguments.h"
#include "core/exchange/HarReader.h"
#include "core/exchange/HarWriter.h"
#include "core/exchange/JsonLinesWriter.h"
#include "core/exchange/SessionFileReader.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>
#include <memory>

namespace wsi::cli::ExportCommand {
namespace {

// What is kept in memory while exporting. A recording holds every payload: a payload above 1 MiB stays in the
// file and is read back when it is written (WholePayloads), so memory is bounded by this, not by the largest
// message; the total is large so that small frames, the bulk of any session, are not read back one query each.
// A HAR file has nothing to read back from: each session keeps whatever HarReader accepts as one value.
FrameLog::Budget budgetFor(SessionFileFormat format)
{
    FrameLog::Budget budget;
    budget.maxStoredPerFrame =
        format == SessionFileFormat::Recording ? 1024ll * 1024 : HarReader::Options{}.maxValueBytes;
    return budget;
}

// What FILE is when it is neither a recording nor a HAR file, for the message.
QString whatItIs(const QString &path, SessionFileFormat format)
{
    if (format != SessionFileFormat::Transcript)
        return SessionFileFormats::name(format);
    // Anything that is not SQLite or a HAR reads as a transcript by its first bytes; say so only when it is one.
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        const QJsonDocument line = QJsonDocument::fromJson(file.readLine(1024 * 1024).trimmed());
        if (line.isObject() && line.object().contains(QStringLiteral("event")))
            return SessionFileFormats::name(format);
    }
    return QStringLiteral("neither SQLite nor JSON with a \"log\"");
}

// OUT, or standard output for "-". A file is written beside OUT and renamed over it on commit(), so a failed
// export leaves OUT as it was.
class Output final
{
public:
    explicit Output(const QString &path)
        : m_path(path)
    {}

    bool open()
    {
        if (m_path == QLatin1StringView("-")) {
            auto out = std::make_unique<QFile>();
            if (!out->open(stdout, QIODevice::WriteOnly))
                return fail(out->errorString());
            m_device = std::move(out);
            return true;
        }
        auto out = std::make_unique<QSaveFile>(m_path);
        if (!out->open(QIODevice::WriteOnly))
            return fail(out->errorString());
        m_device = std::move(out);
        return true;
    }

    QIODevice *device() const { return m_device.get(); }

    bool commit()
    {
        if (auto *file = qobject_cast<QSaveFile *>(m_device.get()))
            return file->commit() || fail(file->errorString());
        auto *out = qobject_cast<QFile *>(m_device.get());
        return out->flush() || fail(out->errorString());
    }

    QString error() const { return m_error; }

private:
    bool fail(const QString &why)
    {
        m_error = m_path == QLatin1StringView("-") ? QStringLiteral("cannot write to standard output: %1").arg(why)
                                                   : QStringLiteral("cannot write '%1': %2").arg(m_path, why);
        return false;
    }

    QString m_path;
    std::unique_ptr<QIODevice> m_device;
    QString m_error;
};

} // namespace

int run(const QStringList &arguments)
{
    const ExportParseResult parsed = parseExportArguments(arguments);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parsed.arguments) {
        err << "wsinspector-cli export: " << parsed.error << "\nTry 'wsinspector-cli export --help'.\n";
        return ExitUsage;
    }
    const ExportArguments &args = *parsed.arguments;
    if (args.help) {
        out << exportHelpText();
        return ExitOk;
    }

    QString error;
    const SessionFileFormat format = SessionFileFormats::detectFile(args.file, &error);
    if (format == SessionFileFormat::Unreadable) {
        err << "wsinspector-cli export: " << error << '\n';
        return ExitUsage;
    }
    const QString name = QFileInfo(args.file).fileName();
    if (format != SessionFileFormat::Recording && format != SessionFileFormat::Har) {
        err << "wsinspector-cli export: " << name << " is " << whatItIs(args.file, format)
            << ", not a recording or a HAR file; export reads the recordings of 'connect --record' and the window, "
               "and HAR files\n";
        return ExitUsage;
    }
    if (args.output != QLatin1StringView("-") && QFileInfo::exists(args.output) &&
        QFileInfo(args.output).canonicalFilePath() == QFileInfo(args.file).canonicalFilePath()) {
        err << "wsinspector-cli export: OUT is FILE itself (" << args.output
            << "): the export would replace what it reads\n";
        return ExitUsage;
    }

    SessionFileReader::Result read = SessionFileReader::read(args.file, budgetFor(format));
    if (!read.sessions) {
        err << "wsinspector-cli export: " << read.error << '\n';
        return ExitUsage;
    }
    const QList<SessionRecords> &sessions = *read.sessions;

    Output output(args.output);
    if (!output.open()) {
        err << "wsinspector-cli export: " << output.error() << '\n';
        return ExitOutputFailed;
    }
    bool written = false;
    qsizetype unread = 0;
    QString unreadError;
    if (args.format == ExportArguments::Format::Har) {
        HarWriter writer(output.device());
        if (args.includeSecrets)
            writer.setRedaction(SecretRedaction::keepingSecrets());
        writer.setBinarySchema(args.binarySchema);
        written = writer.write(sessions, QCoreApplication::applicationVersion());
        error = writer.errorString();
        unread = writer.unreadPayloadCount();
        unreadError = writer.unreadPayloadError();
    } else {
        JsonLinesWriter writer(output.device(), args.payloadLimit);
        if (args.includeSecrets)
            writer.setRedaction(SecretRedaction::keepingSecrets());
        writer.setBinarySchema(args.binarySchema);
        written = writer.write(sessions);
        error = writer.errorString();
        unread = writer.unreadPayloadCount();
        unreadError = writer.unreadPayloadError();
    }
    if (!written) {
        err << "wsinspector-cli export: "
            << (args.output == QLatin1StringView("-") ? QStringLiteral("cannot write to standard output: %1").arg(error)
                                                      : QStringLiteral("cannot write '%1': %2").arg(args.output, error))
            << '\n';
        return ExitOutputFailed;
    }
    if (!output.commit()) {
        err << "wsinspector-cli export: " << output.error() << '\n';
        return ExitOutputFailed;
    }
    if (sessions.isEmpty())
        err << "wsinspector-cli export: " << name << " holds no WebSocket session (" << read.entries
            << (read.entries == 1 ? " entry" : " entries") << "): nothing to export\n";
    if (unread > 0) {
        err << "wsinspector-cli export: warning: " << unread << (unread == 1 ? " payload" : " payloads")
            << " could not be had whole and " << (unread == 1 ? "is" : "are") << " written cut, marked truncated";
        if (!unreadError.isEmpty())
            err << " (" << unreadError << ')';
        err << '\n';
    }
    return ExitOk;
}

} // namespace wsi::cli::ExportCommand
