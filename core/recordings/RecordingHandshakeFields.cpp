// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingHandshakeFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wsi::RecordingHandshakeFields {

namespace {

QString json(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QJsonArray jsonArray(const QVariant &column)
{
    return QJsonDocument::fromJson(column.toString().toUtf8()).array();
}

QVariant nanoseconds(qint64 ns)
{
    return ns < 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(ns);
}

qint64 nanoseconds(const QVariant &column)
{
    return column.isNull() ? -1 : column.toLongLong();
}

} // namespace

HttpHeaders headersFromWire(QByteArrayView wire)
{
    HttpHeaders headers;
    for (const QByteArray &line : wire.toByteArray().split('\n')) {
        QByteArray field = line.endsWith('\r') ? line.chopped(1) : line;
        const qsizetype colon = field.indexOf(':');
        if (field.isEmpty() || colon < 0)
            continue;
        QByteArray value = field.mid(colon + 1);
        if (value.startsWith(' ')) // toWire() writes "Name: value"
            value.remove(0, 1);
        headers.append(field.left(colon), value);
    }
    return headers;
}

QVariantList toColumns(const HandshakeRecord &h)
{
    QJsonArray violations;
    for (const Violation &v : h.violations)
        violations.append(QJsonArray{int(v.rule), v.detail});
    QJsonArray extensions;
    for (const QByteArray &element : h.extensions)
        extensions.append(QString::fromLatin1(element));
    QVariant deflate(QMetaType::fromType<QString>());
    if (h.deflate) {
        const QJsonObject parameters{{QStringLiteral("serverNoContextTakeover"), h.deflate->serverNoContextTakeover},
                                     {QStringLiteral("clientNoContextTakeover"), h.deflate->clientNoContextTakeover},
                                     {QStringLiteral("serverMaxWindowBits"), h.deflate->serverMaxWindowBits},
                                     {QStringLiteral("clientMaxWindowBits"), h.deflate->clientMaxWindowBits}};
        deflate = QString::fromUtf8(QJsonDocument(parameters).toJson(QJsonDocument::Compact));
    }
    QByteArray certificates;
    for (const QSslCertificate &certificate : h.peerCertificateChain)
        certificates += certificate.toPem();
    return {
        h.requestBytes,
        h.requestHeaders.toWire(),
        int(h.responseReceived),
        h.response.raw,
        QString::fromLatin1(h.response.httpVersion),
        h.response.statusCode,
        h.response.reasonPhrase,
        h.response.headers.toWire(),
        h.response.body,
        int(h.response.bodyTruncated),
        int(h.accepted),
        h.subprotocol,
        json(extensions),
        deflate,
        json(violations),
        h.explanation,
        nanoseconds(h.timings.dnsNs),
        nanoseconds(h.timings.connectNs),
        nanoseconds(h.timings.tlsNs),
        nanoseconds(h.timings.upgradeNs),
        h.peerAddress,
        QString::fromLatin1(certificates),
        json(QJsonArray::fromStringList(h.tlsErrors)),
        h.tlsProtocol,
        h.tlsCipher,
        int(h.relayDeclinedDeflate),
    };
}

HandshakeRecord fromRow(const QSqlRecord &row)
{
    HandshakeRecord h;
    h.requestBytes = row.value(QStringLiteral("request")).toByteArray();
    h.requestHeaders = headersFromWire(row.value(QStringLiteral("request_headers")).toByteArray());
    h.responseReceived = row.value(QStringLiteral("response_received")).toBool();
    h.response.raw = row.value(QStringLiteral("response")).toByteArray();
    h.response.httpVersion = row.value(QStringLiteral("http_version")).toString().toLatin1();
    h.response.statusCode = row.value(QStringLiteral("status")).toInt();
    h.response.reasonPhrase = row.value(QStringLiteral("reason")).toByteArray();
    h.response.headers = headersFromWire(row.value(QStringLiteral("response_headers")).toByteArray());
    h.response.body = row.value(QStringLiteral("body")).toByteArray();
    h.response.bodyTruncated = row.value(QStringLiteral("body_truncated")).toBool();
    h.accepted = row.value(QStringLiteral("accepted")).toBool();
    h.subprotocol = row.value(QStringLiteral("subprotocol")).toString();
    for (const QJsonValue &element : jsonArray(row.value(QStringLiteral("extensions"))))
        h.extensions.append(element.toString().toLatin1());
    const QVariant deflate = row.value(QStringLiteral("deflate"));
    if (!deflate.isNull()) {
        const QJsonObject p = QJsonDocument::fromJson(deflate.toString().toUtf8()).object();
        DeflateParameters parameters;
        parameters.serverNoContextTakeover = p.value(QStringLiteral("serverNoContextTakeover")).toBool();
        parameters.clientNoContextTakeover = p.value(QStringLiteral("clientNoContextTakeover")).toBool();
        parameters.serverMaxWindowBits = p.value(QStringLiteral("serverMaxWindowBits")).toInt(15);
        parameters.clientMaxWindowBits = p.value(QStringLiteral("clientMaxWindowBits")).toInt(15);
        h.deflate = parameters;
    }
    for (const QJsonValue &v : jsonArray(row.value(QStringLiteral("violations")))) {
        const QJsonArray pair = v.toArray();
        const int rule = pair.at(0).toInt(-1);
        if (rule >= 0 && rule < int(ViolationRule::Count))
            h.violations.append(Violation{ViolationRule(rule), pair.at(1).toString()});
    }
    h.explanation = row.value(QStringLiteral("explanation")).toString();
    h.timings.dnsNs = nanoseconds(row.value(QStringLiteral("dns_ns")));
    h.timings.connectNs = nanoseconds(row.value(QStringLiteral("connect_ns")));
    h.timings.tlsNs = nanoseconds(row.value(QStringLiteral("tls_ns")));
    h.timings.upgradeNs = nanoseconds(row.value(QStringLiteral("upgrade_ns")));
    h.peerAddress = row.value(QStringLiteral("peer")).toString();
    h.peerCertificateChain =
        QSslCertificate::fromData(row.value(QStringLiteral("certificates")).toString().toLatin1(), QSsl::Pem);
    for (const QJsonValue &e : jsonArray(row.value(QStringLiteral("tls_errors"))))
        h.tlsErrors.append(e.toString());
    h.tlsProtocol = row.value(QStringLiteral("tls_protocol")).toString();
    h.tlsCipher = row.value(QStringLiteral("tls_cipher")).toString();
    // Since schema 3; absent before (false).
    h.relayDeclinedDeflate = row.value(QStringLiteral("relay_declined_deflate")).toBool();
    return h;
}

} // namespace wsi::RecordingHandshakeFields
