// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/StompDecoder.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString frameReference = QStringLiteral("STOMP 1.2, STOMP Frames");
const QString escapeReference = QStringLiteral("STOMP 1.2, Value Encoding");

bool isClientCommand(QByteArrayView command)
{
    for (const char *name : {"CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "BEGIN", "COMMIT", "ABORT", "ACK",
                             "NACK", "DISCONNECT"}) {
        if (command == QByteArrayView(name))
            return true;
    }
    return false;
}

bool isServerCommand(QByteArrayView command)
{
    for (const char *name : {"CONNECTED", "MESSAGE", "RECEIPT", "ERROR"}) {
        if (command == QByteArrayView(name))
            return true;
    }
    return false;
}

// The line at data[*at] without its LF or CR LF; *at moves past the end-of-line. nullopt when no LF follows.
std::optional<QByteArrayView> readLine(QByteArrayView data, qsizetype *at)
{
    const qsizetype lf = data.indexOf('\n', *at);
    if (lf < 0)
        return std::nullopt;
    qsizetype end = lf;
    if (end > *at && data[end - 1] == '\r')
        --end;
    const QByteArrayView line = data.sliced(*at, end - *at);
    *at = lf + 1;
    return line;
}

// Undoes STOMP 1.1/1.2 header escaping (\r \n \c \\); nullopt with *bad naming an undefined escape.
std::optional<QString> unescape(QByteArrayView text, bool allowCr, QString *bad)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out.append(text[i]);
            continue;
        }
        const char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (next == 'n')
            out.append('\n');
        else if (next == 'c')
            out.append(':');
        else if (next == '\\')
            out.append('\\');
        else if (next == 'r' && allowCr)
            out.append('\r');
        else {
            *bad =
                i + 1 < text.size() ? QStringLiteral("\\") + QChar::fromLatin1(next) : QStringLiteral("a trailing \\");
            return std::nullopt;
        }
        ++i;
    }
    return QString::fromUtf8(out);
}

} // namespace

DecodedMessages StompDecoder::decode(const AppMessage &message)
{
    const QByteArrayView data = message.payload;
    qsizetype at = 0;
    while (at < data.size() && (data[at] == '\n' || data[at] == '\r'))
        ++at;
    if (at == data.size()) {
        // End-of-lines only: a heart-beat. An empty message is not one (a beat is at least one EOL).
        if (data.isEmpty())
            return {broken(QString(), {QStringLiteral("stomp-empty-message"), frameReference,
                                       QStringLiteral("an empty message is neither a frame nor a heart-beat")})};
        return {decoded(QStringLiteral("heart-beat"), {{QStringLiteral("eols"), double(data.count('\n'))}})};
    }
    DecodedMessages frames;
    // A frame that fails stops the message: where its end is, is unknown.
    while (at < data.size()) {
        frames.append(decodeFrame(data, &at, message.sender));
        if (!frames.last().isValid())
            break;
        while (at < data.size() && (data[at] == '\n' || data[at] == '\r'))
            ++at;
    }
    return frames;
}

DecodedMessage StompDecoder::decodeFrame(QByteArrayView data, qsizetype *at, Endpoint sender)
{
    const std::optional<QByteArrayView> commandLine = readLine(data, at);
    if (!commandLine) {
        *at = data.size();
        return broken(QString(),
                      {QStringLiteral("stomp-command-line"), frameReference,
                       QStringLiteral("no end-of-line after the command \"%1\"").arg(PayloadJson::excerpt(data))});
    }
    const QString command = QString::fromUtf8(*commandLine);
    QJsonObject fields{{QStringLiteral("command"), command}};
    auto fail = [&](QString rule, QString reference, QString detail) {
        *at = data.size();
        return broken(command, {std::move(rule), std::move(reference), std::move(detail)}, fields);
    };
    const bool client = isClientCommand(*commandLine);
    if (!client && !isServerCommand(*commandLine))
        return fail(QStringLiteral("stomp-unknown-command"), frameReference,
                    QStringLiteral("\"%1\" is not a STOMP command").arg(PayloadJson::excerpt(*commandLine)));
    if (client != (sender == Endpoint::Client))
        return fail(QStringLiteral("stomp-command-direction"), frameReference,
                    QStringLiteral("%1 is sent by the %2")
                        .arg(command, client ? QStringLiteral("client") : QStringLiteral("server")));

    // CONNECT and CONNECTED are never escaped (for 1.0 peers); 1.0 frames are never escaped.
    const bool connectFrame = command == QLatin1String("CONNECT") || command == QLatin1String("STOMP") ||
                              command == QLatin1String("CONNECTED");
    const bool escaped = !connectFrame && m_version != QLatin1String("1.0");
    const bool version12 = m_version == QLatin1String("1.2");
    QJsonObject headers;
    QJsonArray headerOrder;
    while (true) {
        const std::optional<QByteArrayView> line = readLine(data, at);
        if (!line)
            return fail(QStringLiteral("stomp-headers-unterminated"), frameReference,
                        QStringLiteral("the headers do not end with an empty line"));
        if (line->isEmpty())
            break;
        const qsizetype colon = line->indexOf(':');
        if (colon < 0)
            return fail(QStringLiteral("stomp-header-without-colon"), frameReference,
                        QStringLiteral("header line \"%1\" has no ':'").arg(PayloadJson::excerpt(*line)));
        QString bad;
        std::optional<QString> name =
            escaped ? unescape(line->first(colon), version12, &bad) : QString::fromUtf8(line->first(colon));
        std::optional<QString> value = name && escaped ? unescape(line->sliced(colon + 1), version12, &bad)
                                                       : std::optional(QString::fromUtf8(line->sliced(colon + 1)));
        if (!name || !value)
            return fail(
                QStringLiteral("stomp-undefined-escape"), escapeReference,
                QStringLiteral("undefined escape sequence %1 in header \"%2\"").arg(bad, PayloadJson::excerpt(*line)));
        headerOrder.append(QJsonArray{*name, *value});
        // A repeated header: the first one counts.
        if (!headers.contains(*name))
            headers.insert(*name, *value);
    }
    fields.insert(QStringLiteral("headers"), headers);
    if (headerOrder.size() != headers.size())
        fields.insert(QStringLiteral("headerLines"), headerOrder);

    const QString lengthText = headers.value(QStringLiteral("content-length")).toString();
    QByteArrayView body;
    if (!lengthText.isEmpty()) {
        bool ok = false;
        const qlonglong length = lengthText.toLongLong(&ok);
        if (!ok || length < 0)
            return fail(QStringLiteral("stomp-content-length"), QStringLiteral("STOMP 1.2, Header content-length"),
                        QStringLiteral("content-length \"%1\" is not an octet count").arg(lengthText));
        if (length > data.size() - *at || data.size() - *at - length < 1 || data[*at + length] != '\0')
            return fail(QStringLiteral("stomp-content-length"), QStringLiteral("STOMP 1.2, Header content-length"),
                        QStringLiteral("content-length %1 does not end at a NULL octet (%2 bytes follow the headers)")
                            .arg(length)
                            .arg(data.size() - *at));
        body = data.sliced(*at, length);
        *at += length + 1;
    } else {
        const qsizetype nul = data.indexOf('\0', *at);
        if (nul < 0)
            return fail(QStringLiteral("stomp-frame-not-terminated"), frameReference,
                        QStringLiteral("no NULL octet after the body (%1 bytes)").arg(data.size() - *at));
        body = data.sliced(*at, nul - *at);
        *at = nul + 1;
    }
    if (!body.isEmpty())
        fields.insert(QStringLiteral("body"), PayloadJson::bytesValue(body));

    DecodedMessage result = decoded(command, fields);
    if (command == QLatin1String("CONNECTED")) {
        const QString version = headers.value(QStringLiteral("version")).toString();
        m_version = version.isEmpty() ? QStringLiteral("1.0") : version;
    }
    const QString heartBeat = headers.value(QStringLiteral("heart-beat")).toString();
    if (!heartBeat.isEmpty()) {
        const QStringList parts = heartBeat.split(QLatin1Char(','));
        bool okX = false;
        bool okY = false;
        const qlonglong x = parts.size() == 2 ? parts[0].trimmed().toLongLong(&okX) : 0;
        const qlonglong y = parts.size() == 2 ? parts[1].trimmed().toLongLong(&okY) : 0;
        if (!okX || !okY || x < 0 || y < 0) {
            result.violation =
                DecodeViolation{QStringLiteral("stomp-heart-beat-header"), QStringLiteral("STOMP 1.2, Heart-beating"),
                                QStringLiteral("heart-beat \"%1\" is not two non-negative integers").arg(heartBeat)};
        } else {
            result.fields.insert(QStringLiteral("heartBeat"), QJsonArray{double(x), double(y)});
        }
    }
    if (client) {
        const QString receipt = headers.value(QStringLiteral("receipt")).toString();
        if (!receipt.isEmpty())
            result.correlation = Correlation::request(QStringLiteral("receipt ") + receipt);
    } else {
        const QString receiptId = headers.value(QStringLiteral("receipt-id")).toString();
        if (!receiptId.isEmpty())
            result.correlation = Correlation::reply(QStringLiteral("receipt ") + receiptId);
    }
    return result;
}

} // namespace wsi
