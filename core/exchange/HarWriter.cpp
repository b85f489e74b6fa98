// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/HarWriter.h"

#include "core/exchange/MessageDecoding.h"
#include "core/exchange/WholePayloads.h"
#include "core/records/FrameLog.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace wsi {
namespace {

QJsonArray headersJson(const HttpHeaders &headers)
{
    QJsonArray array;
    for (const HttpHeader &header : headers)
        array.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(header.name)},
                                 {QStringLiteral("value"), QString::fromLatin1(header.value)}});
    return array;
}

// HAR's "queryString": the URL's parameters, decoded, in order.
QJsonArray queryJson(const QUrl &url)
{
    QJsonArray array;
    const QList<QPair<QString, QString>> items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items)
        array.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return array;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// HAR timings are milliseconds, -1 where a phase did not happen.
double phaseMs(qint64 ns)
{
    return ns < 0 ? -1.0 : double(ns) / 1e6;
}

} // namespace

HarWriter::HarWriter(QIODevice *out)
    : m_out(out)
{}

bool HarWriter::put(const QByteArray &bytes)
{
    if (m_out->write(bytes) == bytes.size())
        return true;
    m_error = m_out->errorString();
    return false;
}

bool HarWriter::write(const QList<SessionRecords> &sessions, const QString &creatorVersion)
{
    const QJsonObject creator{{QStringLiteral("name"), QStringLiteral("WS Inspector")},
                              {QStringLiteral("version"), creatorVersion}};
    if (!put(QByteArrayLiteral(R"({"log":{"version":"1.2","creator":)") + compact(creator) +
             QByteArrayLiteral(R"(,"pages":[],"entries":[)")))
        return false;
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        if ((i > 0 && !put(QByteArrayLiteral(","))) || !writeEntry(sessions.at(i)))
            return false;
    }
    return put(QByteArrayLiteral("]}}\n"));
}

bool HarWriter::writeEntry(const SessionRecords &recorded)
{
    const SecretRedaction redaction = m_redaction.forSession(recorded);
    const SessionRecords session = m_redaction.session(recorded);
    const HandshakeRecord &h = session.handshake;
    const ConnectTimings &t = h.timings;
    const HandshakeResponse &r = h.response;
    const QJsonObject request{
        {QStringLiteral("method"), QStringLiteral("GET")},
        {QStringLiteral("url"), session.url.toString()},
        {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
        {QStringLiteral("headers"), headersJson(h.requestHeaders)},
        {QStringLiteral("queryString"), queryJson(session.url)},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headersSize"), h.requestBytes.isEmpty() ? -1 : qint64(h.requestBytes.size())},
        {QStringLiteral("bodySize"), 0},
    };
    const QJsonObject response{
        {QStringLiteral("status"), r.statusCode},
        {QStringLiteral("statusText"), QString::fromLatin1(r.reasonPhrase)},
        {QStringLiteral("httpVersion"),
         r.httpVersion.isEmpty() ? QStringLiteral("HTTP/1.1") : QString::fromLatin1(r.httpVersion)},
        {QStringLiteral("headers"), headersJson(r.headers)},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("content"),
         QJsonObject{{QStringLiteral("size"), qint64(r.body.size())},
                     {QStringLiteral("mimeType"), QString::fromLatin1(r.headers.value("content-type"))},
                     {QStringLiteral("text"), QString::fromUtf8(r.body)}}},
        {QStringLiteral("redirectURL"), QString()},
        {QStringLiteral("headersSize"), -1},
        {QStringLiteral("bodySize"), qint64(r.body.size())},
    };
    const QJsonObject timings{
        {QStringLiteral("blocked"), -1},
        {QStringLiteral("dns"), phaseMs(t.dnsNs)},
        {QStringLiteral("connect"), phaseMs(t.connectNs)},
        {QStringLiteral("ssl"), phaseMs(t.tlsNs)},
        {QStringLiteral("send"), 0},
        {QStringLiteral("wait"), phaseMs(t.upgradeNs)},
        {QStringLiteral("receive"), 0},
    };
    double totalMs = 0;
    for (const qint64 ns : {t.dnsNs, t.connectNs, t.tlsNs, t.upgradeNs})
        totalMs += ns > 0 ? double(ns) / 1e6 : 0;
    QJsonObject head{
        {QStringLiteral("startedDateTime"), session.startedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("time"), totalMs},
        {QStringLiteral("request"), request},
        {QStringLiteral("response"), response},
        {QStringLiteral("cache"), QJsonObject()},
        {QStringLiteral("timings"), timings},
        {QStringLiteral("_resourceType"), QStringLiteral("websocket")},
    };
    // The object without its closing brace, then the messages array streamed into it.
    QByteArray opening = compact(head);
    opening.chop(1);
    if (!put(opening + QByteArrayLiteral(R"(,"_webSocketMessages":[)")))
        return false;
    const double startSeconds = double(session.startedAt.toMSecsSinceEpoch()) / 1e3;
    const FrameLog &log = *session.log;
    WholePayloads payloads(log, session.recordingPath);
    // The handshake as recorded: redaction may have taken the URL parameters recognition reads.
    MessageDecoding decoding(recorded.handshake, AppProtocols::fromName(recorded.protocol), m_binarySchema);
    const auto noteUnread = [this, &payloads] {
        m_unreadPayloadCount += payloads.unreadCount();
        if (m_unreadPayloadError.isEmpty())
            m_unreadPayloadError = payloads.firstError();
    };
    for (qsizetype i = 0, n = log.messageCount(); i < n; ++i) {
        const MessageRecord &m = log.message(i);
        const QByteArrayView wire = payloads.message(i);
        MessageDecoding::Exported exported = decoding.decodeForExport(m, wire, redaction);
        const QByteArrayView payload = exported.redactedPayload ? QByteArrayView(*exported.redactedPayload) : wire;
        const bool text = m.type == MessageType::Text;
        QJsonObject message{
            {QStringLiteral("type"),
             m.direction == Direction::Outgoing ? QStringLiteral("send") : QStringLiteral("receive")},
            {QStringLiteral("time"), startSeconds + double(m.timeNs) / 1e9},
            {QStringLiteral("opcode"), text ? 1 : 2},
            {QStringLiteral("data"),
             text ? QString::fromUtf8(payload) : QString::fromLatin1(payload.toByteArray().toBase64())},
        };
        if (quint64(wire.size()) < m.length)
            message.insert(QStringLiteral("_truncated"), true); // kept within the memory budget: not all of it
        // Custom fields (HAR 1.2 allows those starting with "_"): a client's credentials replaced in the data, and
        // the "decoded" array of the JSON lines.
        if (exported.redactedPayload)
            message.insert(QStringLiteral("_redacted"), true);
        if (!exported.decoded.isEmpty())
            message.insert(QStringLiteral("_decoded"), std::move(exported.decoded));
        if ((i > 0 && !put(QByteArrayLiteral(","))) || !put(compact(message))) {
            noteUnread();
            return false;
        }
    }
    noteUnread();
    return put(QByteArrayLiteral("]}"));
}

} // namespace wsi
