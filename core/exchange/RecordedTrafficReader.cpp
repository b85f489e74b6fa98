// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/RecordedTrafficReader.h"

#include "core/exchange/SessionFileFormat.h"
#include "core/exchange/SessionFileReader.h"
#include "core/keepalive/SessionTraffic.h"
#include "core/records/FrameLog.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace wsi::RecordedTrafficReader {
namespace {

// The simulator needs when each frame crossed and its kind, never its payload.
const FrameLog::Budget replayBudget{0, 0};

} // namespace

std::optional<RecordedTraffic> fromSessions(const QList<SessionRecords> &sessions, const QString &sourceName,
                                            QString *error)
{
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        const SessionRecords &session = sessions.at(i);
        if (session.log->frameCount() == 0)
            continue;
        QString source = QStringLiteral("%1 (%2").arg(sourceName, session.url.toString());
        if (sessions.size() > 1)
            source += QStringLiteral(", session %1 of %2").arg(i + 1).arg(sessions.size());
        RecordedTraffic traffic = SessionTraffic::fromFrameLog(*session.log, source + u')');
        if (session.close)
            traffic.endMs = std::max(traffic.endMs, session.close->atNs / 1'000'000);
        return traffic;
    }
    if (error)
        *error = sessions.isEmpty()
                     ? QStringLiteral("%1: no WebSocket session in it; nothing to replay").arg(sourceName)
                     : QStringLiteral("%1: its %2 WebSocket session(s) hold no messages; nothing to replay "
                                      "(Firefox writes the upgrade of a WebSocket to HAR files, not its messages)")
                           .arg(sourceName)
                           .arg(sessions.size());
    return std::nullopt;
}

std::optional<RecordedTraffic> readFile(const QString &path, QString *error)
{
    const SessionFileReader::Result captured = SessionFileReader::read(path, replayBudget);
    switch (captured.format) {
    case SessionFileFormat::Unreadable:
        if (error)
            *error = captured.error;
        return std::nullopt;
    case SessionFileFormat::Har:
    case SessionFileFormat::Recording:
        if (!captured.sessions) {
            if (error)
                *error = captured.error;
            return std::nullopt;
        }
        return fromSessions(*captured.sessions, QFileInfo(path).fileName(), error);
    case SessionFileFormat::Transcript:
    case SessionFileFormat::Empty:
        break; // the transcript reader names what it is and what is accepted
    }
    return readTranscript(captured.transcript, QFileInfo(path).fileName(), error);
}

std::optional<RecordedTraffic> readTranscript(const QByteArray &bytes, const QString &sourceName, QString *error)
{
    const auto fail = [&](qsizetype line, const QString &why) -> std::optional<RecordedTraffic> {
        if (error)
            *error = line > 0 ? QStringLiteral("%1 line %2: %3").arg(sourceName).arg(line).arg(why)
                              : QStringLiteral("%1: %2").arg(sourceName, why);
        return std::nullopt;
    };
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.startsWith("{\n") || trimmed.startsWith("{\r") || trimmed.contains("\"log\":"))
        if (trimmed.contains("\"entries\""))
            return fail(0, QStringLiteral("looks like a HAR file, but could not be read as one; give a HAR file "
                                          "or the JSON lines of 'wsinspector-cli connect --json'"));

    RecordedTraffic traffic;
    traffic.source = sourceName + QStringLiteral(" (wsinspector-cli connect --json)");
    qsizetype lineNumber = 0;
    qsizetype frames = 0;
    double lastT = -1;
    for (const QByteArray &rawLine : bytes.split('\n')) {
        ++lineNumber;
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return fail(lineNumber, QStringLiteral("not a JSON object (%1); expected the JSON lines of "
                                                   "'wsinspector-cli connect --json'")
                                        .arg(parseError.errorString()));
        const QJsonObject object = document.object();
        const QString event = object.value(QStringLiteral("event")).toString();
        if (event.isEmpty())
            return fail(lineNumber, QStringLiteral("no \"event\" field; expected the JSON lines of "
                                                   "'wsinspector-cli connect --json'"));
        const QJsonValue t = object.value(QStringLiteral("t"));
        if (t.isDouble())
            traffic.endMs = std::max(traffic.endMs, qint64(std::llround(t.toDouble() * 1000.0)));
        if (event != QLatin1StringView("frame"))
            continue;
        if (!t.isDouble() || t.toDouble() < 0)
            return fail(lineNumber, QStringLiteral("a frame without a valid \"t\" (seconds)"));
        if (t.toDouble() < lastT)
            return fail(lineNumber, QStringLiteral("frame times go backwards"));
        lastT = t.toDouble();
        const QString dir = object.value(QStringLiteral("dir")).toString();
        if (dir != QLatin1StringView("out") && dir != QLatin1StringView("in"))
            return fail(lineNumber, QStringLiteral("a frame's \"dir\" must be \"out\" or \"in\""));
        const QString opcode = object.value(QStringLiteral("opcode")).toString();
        if (opcode == QLatin1StringView("close"))
            continue; // the end of the session, not traffic that keeps it alive
        RecordedTraffic::Frame frame;
        frame.atMs = qint64(std::llround(t.toDouble() * 1000.0));
        frame.kind = opcode == QLatin1StringView("ping")   ? RecordedTraffic::Frame::Kind::Ping
                     : opcode == QLatin1StringView("pong") ? RecordedTraffic::Frame::Kind::Pong
                                                           : RecordedTraffic::Frame::Kind::Data;
        (dir == QLatin1StringView("out") ? traffic.client : traffic.server).append(frame);
        ++frames;
    }
    if (frames == 0)
        return fail(0, QStringLiteral("no frame events; expected the JSON lines of 'wsinspector-cli connect "
                                      "--json'"));
    return traffic;
}

} // namespace wsi::RecordedTrafficReader
