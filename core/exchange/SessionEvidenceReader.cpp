// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/SessionEvidenceReader.h"

#include "core/exchange/SessionFileFormat.h"
#include "core/exchange/SessionFileReader.h"
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

namespace wsi::SessionEvidenceReader {
namespace {

const QString accepted = QStringLiteral("diagnose reads the JSON lines written by 'wsinspector-cli connect --json' "
                                        "or a HAR file (recordings are not supported yet)");

qint64 secondsToMs(double seconds)
{
    return qint64(std::llround(seconds * 1000.0));
}

std::optional<SessionEvidence::FrameKind> kindOf(const QJsonValue &opcode)
{
    if (opcode.isDouble())
        return SessionEvidence::FrameKind::Data; // a reserved opcode: bytes on the wire all the same
    const QString name = opcode.toString();
    if (name == QLatin1StringView("ping"))
        return SessionEvidence::FrameKind::Ping;
    if (name == QLatin1StringView("pong"))
        return SessionEvidence::FrameKind::Pong;
    if (name == QLatin1StringView("close"))
        return SessionEvidence::FrameKind::Close;
    if (name == QLatin1StringView("text") || name == QLatin1StringView("binary") ||
        name == QLatin1StringView("continuation"))
        return SessionEvidence::FrameKind::Data;
    return std::nullopt;
}

std::optional<CloseRecord::Initiator> initiatorOf(const QString &name)
{
    for (const CloseRecord::Initiator initiator :
         {CloseRecord::Initiator::Client, CloseRecord::Initiator::Server, CloseRecord::Initiator::Transport}) {
        if (name == CloseRecord::initiatorName(initiator))
            return initiator;
    }
    return std::nullopt;
}

// The frames' times, directions and kinds, and the messages an application protocol's heartbeat is read from
// (Engine.IO's open packet, MQTT's CONNECT, STOMP's CONNECT and CONNECTED: all short); a HAR's Close frames are
// read whatever the budget.
const FrameLog::Budget diagnosisBudget{64ll * 1024 * 1024, 64 * 1024};

// ConnectionFacts from a transcript's handshake event: the request line's target, Host and the subprotocols.
ConnectionFacts factsOf(const QJsonObject &handshake)
{
    ConnectionFacts facts;
    const QJsonObject request = handshake.value(QStringLiteral("request")).toObject();
    const QString raw = request.value(QStringLiteral("raw")).toString();
    const QStringList words = raw.left(raw.indexOf(u'\n')).trimmed().split(u' ');
    QString host;
    for (const QJsonValue &field : request.value(QStringLiteral("headers")).toArray()) {
        const QJsonArray pair = field.toArray();
        if (pair.size() != 2)
            continue;
        const QString name = pair.at(0).toString();
        if (name.compare(u"Host", Qt::CaseInsensitive) == 0)
            host = pair.at(1).toString();
        if (name.compare(u"Sec-WebSocket-Protocol", Qt::CaseInsensitive) == 0) {
            for (const QString &offered : pair.at(1).toString().split(u','))
                if (!offered.trimmed().isEmpty())
                    facts.offeredSubprotocols.append(offered.trimmed());
        }
    }
    const QString target = words.size() >= 2 ? words.at(1) : QStringLiteral("/");
    facts.url = target.startsWith(u'/') ? QUrl(QStringLiteral("ws://") + host + target) : QUrl(target);
    facts.subprotocol = handshake.value(QStringLiteral("subprotocol")).toString();
    return facts;
}

// A transcript's message event as a decoder takes it; nullopt when its payload cannot be read.
std::optional<ProtocolEvidence::TimedMessage> messageOf(const QJsonObject &object, qint64 atMs)
{
    const QString dir = object.value(QStringLiteral("dir")).toString();
    if (dir != QLatin1StringView("out") && dir != QLatin1StringView("in"))
        return std::nullopt;
    const QString payload = object.value(QStringLiteral("payload")).toString();
    const bool base64 = object.value(QStringLiteral("payload_encoding")).toString() == QLatin1StringView("base64");
    const QByteArray bytes = base64 ? QByteArray::fromBase64(payload.toLatin1()) : payload.toUtf8();
    const Endpoint sender = dir == QLatin1StringView("out") ? Endpoint::Client : Endpoint::Server;
    const bool binary = object.value(QStringLiteral("type")).toString() == QLatin1StringView("binary");
    return ProtocolEvidence::TimedMessage{atMs, AppMessage{sender, binary, bytes}};
}

// A recording or a HAR file: one evidence per session in it.
std::optional<QList<SessionEvidence>> readCaptured(const SessionFileReader::Result &file, const QString &path,
                                                   QString *error)
{
    if (!file.sessions) {
        if (error)
            *error = file.error;
        return std::nullopt;
    }
    if (file.sessions->isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: a HAR file without a WebSocket entry among its %2 entries; nothing to "
                                    "diagnose. ")
                         .arg(QFileInfo(path).fileName())
                         .arg(file.entries) +
                     accepted;
        return std::nullopt;
    }
    return fromSessions(*file.sessions, QFileInfo(path).fileName());
}

} // namespace

QList<SessionEvidence> fromSessions(const QList<SessionRecords> &sessions, const QString &sourceName)
{
    QList<SessionEvidence> connections;
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        const SessionRecords &session = sessions.at(i);
        SessionEvidence evidence = SessionEvidence::fromRecords(session);
        evidence.source = sessions.size() > 1 ? QStringLiteral("%1, session %2 of %3 (%4)")
                                                    .arg(sourceName)
                                                    .arg(i + 1)
                                                    .arg(sessions.size())
                                                    .arg(session.url.toString())
                                              : QStringLiteral("%1 (%2)").arg(sourceName, session.url.toString());
        // A file keeps no TLS details of its own; the scheme says whether there was TLS.
        evidence.secure = evidence.secure || session.url.scheme() == QLatin1StringView("wss");
        connections.append(evidence);
    }
    return connections;
}

std::optional<QList<SessionEvidence>> readFile(const QString &path, QString *error)
{
    const SessionFileReader::Result captured = SessionFileReader::read(path, diagnosisBudget);
    switch (captured.format) {
    case SessionFileFormat::Unreadable:
        if (error)
            *error = captured.error;
        return std::nullopt;
    case SessionFileFormat::Har:
    case SessionFileFormat::Recording:
        return readCaptured(captured, path, error);
    case SessionFileFormat::Transcript:
    case SessionFileFormat::Empty:
        break; // the transcript reader names what it is and what is accepted
    }
    return readTranscript(captured.transcript, QFileInfo(path).fileName(), error);
}

std::optional<QList<SessionEvidence>> readTranscript(const QByteArray &bytes, const QString &sourceName, QString *error)
{
    const auto fail = [&](qsizetype line, const QString &why) -> std::optional<QList<SessionEvidence>> {
        if (error)
            *error = line > 0 ? QStringLiteral("%1 line %2: %3").arg(sourceName).arg(line).arg(why)
                              : QStringLiteral("%1: %2").arg(sourceName, why);
        return std::nullopt;
    };
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.isEmpty())
        return fail(0, QStringLiteral("the file is empty; ") + accepted);
    if (bytes.startsWith("SQLite format 3"))
        return fail(0, QStringLiteral("this is a recording (SQLite); ") + accepted);
    if ((trimmed.startsWith("{\n") || trimmed.startsWith("{\r") || trimmed.contains("\"log\":")) &&
        trimmed.contains("\"entries\""))
        return fail(0, QStringLiteral("this looks like a HAR file, but could not be read as one; ") + accepted);

    QList<SessionEvidence> connections;
    SessionEvidence evidence;
    bool handshakeSeen = false;
    std::optional<CloseRecord> close;
    ConnectionFacts facts;
    QList<ProtocolEvidence::TimedMessage> messages;
    qint64 closeAtMs = 0;
    qint64 lastMs = 0;
    qint64 lastFrameMs = -1;
    const auto finishConnection = [&] {
        evidence.protocol = ProtocolEvidence::fromMessages(facts, messages);
        messages.clear();
        evidence.finish(close, close ? closeAtMs : lastMs);
        connections.append(evidence);
        evidence = SessionEvidence();
        close.reset();
        // Times run on one clock across --reconnect's connections, but each session of an export (`export
        // --jsonl`, "session": N) has its own: the order of frames is checked within a connection.
        lastFrameMs = -1;
        lastMs = 0;
    };
    qsizetype lineNumber = 0;
    for (const QByteArray &rawLine : bytes.split('\n')) {
        ++lineNumber;
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return fail(lineNumber,
                        QStringLiteral("not a JSON object (%1); ").arg(parseError.errorString()) + accepted);
        const QJsonObject object = document.object();
        const QString event = object.value(QStringLiteral("event")).toString();
        if (event.isEmpty())
            return fail(lineNumber, QStringLiteral("no \"event\" field; ") + accepted);
        // With --reconnect every connection starts with its own handshake event.
        if (event == QLatin1StringView("handshake") && handshakeSeen)
            finishConnection();
        const QJsonValue t = object.value(QStringLiteral("t"));
        if (t.isDouble())
            lastMs = std::max(lastMs, secondsToMs(t.toDouble()));

        if (event == QLatin1StringView("handshake")) {
            handshakeSeen = true;
            facts = factsOf(object);
            evidence.source = QStringLiteral("%1 (wsinspector-cli connect --json)").arg(sourceName);
            if (!connections.isEmpty())
                evidence.source += QStringLiteral(", connection %1").arg(connections.size() + 1);
            evidence.accepted = object.value(QStringLiteral("accepted")).toBool();
            const QJsonValue response = object.value(QStringLiteral("response"));
            if (response.isObject()) {
                evidence.status = response.toObject().value(QStringLiteral("status")).toInt();
                // [[name, value], ...] as CaptureJson writes them: intermediaries name themselves there.
                for (const QJsonValue &field : response.toObject().value(QStringLiteral("headers")).toArray()) {
                    const QJsonArray pair = field.toArray();
                    if (pair.size() == 2 && pair.at(0).isString() && pair.at(1).isString())
                        evidence.responseHeaders.append(pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8());
                }
            }
            evidence.handshakeExplanation = object.value(QStringLiteral("explanation")).toString();
            evidence.secure = object.contains(QStringLiteral("tls"));
            // The transcript names the server by the request's Host field ("example.com:8443").
            const QJsonArray requestHeaders =
                object.value(QStringLiteral("request")).toObject().value(QStringLiteral("headers")).toArray();
            for (const QJsonValue &field : requestHeaders) {
                const QJsonArray pair = field.toArray();
                if (pair.size() == 2 && pair.at(0).toString().compare(u"Host", Qt::CaseInsensitive) == 0)
                    evidence.host = QUrl(QStringLiteral("//") + pair.at(1).toString()).host();
            }
            // The phase durations run back to back from open(), as SessionEvidence::fromRecords counts them.
            const QJsonObject timing = object.value(QStringLiteral("timing_ms")).toObject();
            double openedMs = 0;
            for (const char *phase : {"dns", "connect", "tls", "upgrade"}) {
                const QJsonValue ms = timing.value(QLatin1StringView(phase));
                if (ms.isDouble() && ms.toDouble() > 0)
                    openedMs += ms.toDouble();
            }
            // A later connection's times run on the first one's clock (connect shifts them), which the phase
            // durations know nothing of: its handshake's own time says when it opened.
            if ((openedMs <= 0 || !connections.isEmpty()) && t.isDouble())
                openedMs = t.toDouble() * 1000.0;
            evidence.openedMs = qint64(std::llround(openedMs));
        } else if (event == QLatin1StringView("frame")) {
            if (!handshakeSeen)
                return fail(lineNumber, QStringLiteral("a frame before the handshake event; ") + accepted);
            if (close)
                continue; // nothing crosses after the end; never read as traffic
            if (!t.isDouble() || t.toDouble() < 0)
                return fail(lineNumber, QStringLiteral("a frame without a valid \"t\" (seconds)"));
            const qint64 atMs = secondsToMs(t.toDouble());
            if (atMs < lastFrameMs)
                return fail(lineNumber, QStringLiteral("frame times go backwards"));
            lastFrameMs = atMs;
            const QString dir = object.value(QStringLiteral("dir")).toString();
            if (dir != QLatin1StringView("out") && dir != QLatin1StringView("in"))
                return fail(lineNumber, QStringLiteral("a frame's \"dir\" must be \"out\" or \"in\""));
            const std::optional<SessionEvidence::FrameKind> kind = kindOf(object.value(QStringLiteral("opcode")));
            if (!kind)
                return fail(lineNumber,
                            QStringLiteral("unknown opcode %1")
                                .arg(QString::fromUtf8(QJsonDocument(QJsonArray{object.value(QStringLiteral("opcode"))})
                                                           .toJson(QJsonDocument::Compact))));
            evidence.addFrame(atMs, dir == QLatin1StringView("out") ? Direction::Outgoing : Direction::Incoming, *kind,
                              !object.value(QStringLiteral("violations")).toArray().isEmpty());
        } else if (event == QLatin1StringView("close")) {
            if (!t.isDouble())
                return fail(lineNumber, QStringLiteral("a close event without a valid \"t\" (seconds)"));
            const std::optional<CloseRecord::Initiator> initiator =
                initiatorOf(object.value(QStringLiteral("initiator")).toString());
            if (!initiator)
                return fail(lineNumber, QStringLiteral("a close event's \"initiator\" must be \"client\", \"server\" "
                                                       "or \"transport\""));
            CloseRecord record;
            record.initiator = *initiator;
            record.code = quint16(object.value(QStringLiteral("code")).toInt(1006));
            record.reason = object.value(QStringLiteral("reason")).toString();
            record.clean = object.value(QStringLiteral("clean")).toBool();
            record.closeSent = object.value(QStringLiteral("close_sent")).toBool();
            record.closeReceived = object.value(QStringLiteral("close_received")).toBool();
            record.atNs = qint64(std::llround(t.toDouble() * 1e9));
            record.idleInNs = qint64(std::llround(object.value(QStringLiteral("idle_in_s")).toDouble() * 1e9));
            record.idleOutNs = qint64(std::llround(object.value(QStringLiteral("idle_out_s")).toDouble() * 1e9));
            record.error = object.value(QStringLiteral("error")).toString();
            const QJsonObject endedBy = object.value(QStringLiteral("ended_by")).toObject();
            if (!endedBy.isEmpty()) {
                const std::optional<OwnEnd::Reason> reason =
                    OwnEnd::reasonNamed(endedBy.value(QStringLiteral("reason")).toString());
                if (!reason)
                    return fail(lineNumber, QStringLiteral("a close event's \"ended_by\" has an unknown \"reason\""));
                record.ownEnd = OwnEnd{*reason, endedBy.value(QStringLiteral("detail")).toString()};
            }
            close = record;
            closeAtMs = secondsToMs(t.toDouble());
        } else if (event == QLatin1StringView("message") && handshakeSeen && !close && t.isDouble()) {
            // What the application protocol inside says of its heartbeat.
            if (std::optional<ProtocolEvidence::TimedMessage> message = messageOf(object, secondsToMs(t.toDouble())))
                messages.append(std::move(*message));
        }
        // Other events (error, diagnosis, heartbeat ...) add nothing the frames and the close do not say.
    }
    if (!handshakeSeen)
        return fail(0, QStringLiteral("no handshake event; ") + accepted);
    finishConnection();
    return connections;
}

} // namespace wsi::SessionEvidenceReader
