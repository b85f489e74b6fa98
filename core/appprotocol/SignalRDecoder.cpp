// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/SignalRDecoder.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString reference = QStringLiteral("SignalR Hub Protocol (HubProtocol.md)");
constexpr char recordSeparator = '\x1e';

QString typeName(int type)
{
    static const char *const names[] = {"Invocation",       "StreamItem", "Completion", "StreamInvocation",
                                        "CancelInvocation", "Ping",       "Close",      "Ack",
                                        "Sequence"};
    return type >= 1 && type <= 9 ? QString::fromLatin1(names[type - 1]) : QString();
}

} // namespace

DecodedMessages SignalRDecoder::decode(const AppMessage &message)
{
    if (message.binary) {
        return {broken(QString(), {QStringLiteral("signalr-binary-message"), reference,
                                   QStringLiteral("the JSON hub protocol sends text; binary messages are the "
                                                  "MessagePack protocol, which this decoder does not read")})};
    }
    const QByteArrayView data = message.payload;
    if (data.isEmpty() || data.back() != recordSeparator) {
        return {broken(QString(), {QStringLiteral("signalr-record-separator"), reference,
                                   QStringLiteral("a message ends with the record separator 0x1E; this one ends with "
                                                  "\"%1\"")
                                       .arg(PayloadJson::excerpt(data.last(std::min<qsizetype>(data.size(), 10))))})};
    }
    DecodedMessages records;
    qsizetype at = 0;
    while (at < data.size()) {
        const qsizetype end = data.indexOf(recordSeparator, at);
        records.append(decodeRecord(data.sliced(at, end - at), message.sender));
        at = end + 1;
    }
    return records;
}

DecodedMessage SignalRDecoder::decodeRecord(QByteArrayView record, Endpoint sender)
{
    auto fail = [&](QString kind, QString rule, QString detail, QJsonObject fields = {}) {
        return broken(std::move(kind), {std::move(rule), reference, std::move(detail)}, std::move(fields));
    };
    DecodedMessage failure;
    const std::optional<QJsonObject> object = parseJsonObject(record, QStringLiteral("signalr"), reference, &failure);
    if (!object)
        return failure;
    QJsonObject fields = *object;

    bool &handshakeDone = handshakeDoneFor(sender);
    if (!fields.contains(QStringLiteral("type"))) {
        // Only the handshake has no type. A capture that starts mid-connection never sees one; then typed records
        // simply come first.
        if (handshakeDone)
            return fail(QString(), QStringLiteral("signalr-type-missing"),
                        QStringLiteral("a record after the handshake needs a \"type\""), fields);
        handshakeDone = true;
        if (sender == Endpoint::Client) {
            if (!fields.value(QStringLiteral("protocol")).isString() ||
                !fields.value(QStringLiteral("version")).isDouble())
                return fail(QStringLiteral("HandshakeRequest"), QStringLiteral("signalr-handshake-request"),
                            QStringLiteral("the handshake request names a \"protocol\" and a \"version\""), fields);
            return decoded(QStringLiteral("HandshakeRequest"), fields);
        }
        DecodedMessage response = decoded(QStringLiteral("HandshakeResponse"), fields);
        return response;
    }
    handshakeDone = true;
    const QJsonValue typeValue = fields.value(QStringLiteral("type"));
    const int type = typeValue.isDouble() ? typeValue.toInt() : 0;
    const QString kind = typeName(type);
    if (kind.isEmpty())
        return fail(QString(), QStringLiteral("signalr-unknown-type"),
                    QStringLiteral("type %1 is not 1-9")
                        .arg(PayloadJson::excerpt(QJsonDocument(QJsonArray{typeValue}).toJson(QJsonDocument::Compact))),
                    fields);
    const QJsonValue invocationId = fields.value(QStringLiteral("invocationId"));
    const bool needsTarget = type == 1 || type == 4;
    const bool needsId = type == 2 || type == 3 || type == 4 || type == 5;
    if (needsTarget &&
        (!fields.value(QStringLiteral("target")).isString() || !fields.value(QStringLiteral("arguments")).isArray()))
        return fail(kind, QStringLiteral("signalr-invocation-fields"),
                    QStringLiteral("%1 needs a string \"target\" and an \"arguments\" array").arg(kind), fields);
    if ((needsId || (type == 1 && !invocationId.isUndefined())) && !invocationId.isString())
        return fail(kind, QStringLiteral("signalr-invocation-id"),
                    QStringLiteral("%1 needs a string \"invocationId\"").arg(kind), fields);
    if (type == 3 && fields.contains(QStringLiteral("result")) && fields.contains(QStringLiteral("error")))
        return fail(kind, QStringLiteral("signalr-completion-result-and-error"),
                    QStringLiteral("a Completion carries a result or an error, not both"), fields);

    DecodedMessage result = decoded(kind, fields);
    const QString key = QStringLiteral("invocation ") + invocationId.toString();
    if ((type == 1 || type == 4) && invocationId.isString())
        result.correlation = Correlation::request(key);
    else if (type == 2 || type == 3)
        result.correlation = Correlation::reply(key);
    return result;
}

} // namespace wsi
