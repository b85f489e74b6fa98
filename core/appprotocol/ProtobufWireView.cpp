// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ProtobufWireView.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>
#include <QJsonObject>

namespace wsi {

namespace {

const QString reference = QStringLiteral("protobuf.dev, Encoding (wire format)");

struct Parse {
    int fields = 0;
    std::optional<DecodeViolation> violation;
};

std::optional<quint64> readVarint(QByteArrayView data, qsizetype *at)
{
    quint64 value = 0;
    for (int shift = 0; shift < 64 && *at < data.size(); shift += 7) {
        const quint8 byte = quint8(data[(*at)++]);
        value |= quint64(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return value;
    }
    return std::nullopt; // ran out of bytes, or more than 10 bytes
}

QJsonValue number(quint64 value)
{
    // JSON numbers are doubles: beyond 2^53 the exact value is kept as text.
    return value <= (quint64(1) << 53) ? QJsonValue(double(value)) : QJsonValue(QString::number(value));
}

// Reads fields until the end of data, or until the EGROUP of endGroup; nullopt with parse->violation on error.
std::optional<QJsonArray> readMessage(QByteArrayView data, qsizetype *at, int depth, Parse *parse,
                                      std::optional<quint64> endGroup = std::nullopt)
{
    QJsonArray fields;
    auto fail = [&](QString rule, QString detail) {
        parse->violation = DecodeViolation{std::move(rule), reference, std::move(detail)};
        return std::nullopt;
    };
    while (*at < data.size()) {
        const qsizetype fieldStart = *at;
        const std::optional<quint64> tag = readVarint(data, at);
        if (!tag)
            return fail(QStringLiteral("protobuf-tag"),
                        QStringLiteral("the tag at byte %1 is not a varint").arg(fieldStart));
        const quint64 fieldNumber = *tag >> 3;
        const int wireType = int(*tag & 7);
        if (fieldNumber == 0 || fieldNumber > 536870911)
            return fail(
                QStringLiteral("protobuf-field-number"),
                QStringLiteral("field number %1 at byte %2 is outside 1 to 2^29-1").arg(fieldNumber).arg(fieldStart));
        if (++parse->fields > ProtobufWireView::maxFields)
            return fail(QStringLiteral("protobuf-too-many-fields"),
                        QStringLiteral("more than %1 fields").arg(ProtobufWireView::maxFields));
        QJsonObject field{{QStringLiteral("field"), double(fieldNumber)}};
        switch (wireType) {
        case 0: {
            const std::optional<quint64> value = readVarint(data, at);
            if (!value)
                return fail(QStringLiteral("protobuf-varint"),
                            QStringLiteral("field %1's varint runs past the end").arg(fieldNumber));
            field.insert(QStringLiteral("wireType"), QStringLiteral("VARINT"));
            field.insert(QStringLiteral("value"), number(*value));
            break;
        }
        case 1:
        case 5: {
            const int size = wireType == 1 ? 8 : 4;
            if (data.size() - *at < size)
                return fail(QStringLiteral("protobuf-fixed"), QStringLiteral("field %1 needs %2 bytes, %3 left")
                                                                  .arg(fieldNumber)
                                                                  .arg(size)
                                                                  .arg(data.size() - *at));
            quint64 value = 0;
            for (int i = size - 1; i >= 0; --i)
                value = value << 8 | quint8(data[*at + i]);
            *at += size;
            field.insert(QStringLiteral("wireType"), wireType == 1 ? QStringLiteral("I64") : QStringLiteral("I32"));
            field.insert(QStringLiteral("value"), number(value));
            break;
        }
        case 2: {
            const std::optional<quint64> length = readVarint(data, at);
            if (!length || *length > quint64(data.size() - *at))
                return fail(QStringLiteral("protobuf-length"),
                            QStringLiteral("field %1's length runs past the end of the payload").arg(fieldNumber));
            const QByteArrayView bytes = data.sliced(*at, qsizetype(*length));
            *at += qsizetype(*length);
            field.insert(QStringLiteral("wireType"), QStringLiteral("LEN"));
            // A nested message, when the bytes parse as one to their end; a failed attempt costs nothing else.
            if (depth < ProtobufWireView::maxDepth && !bytes.isEmpty()) {
                Parse nested{parse->fields, std::nullopt};
                qsizetype nestedAt = 0;
                if (const std::optional<QJsonArray> message = readMessage(bytes, &nestedAt, depth + 1, &nested)) {
                    parse->fields = nested.fields;
                    field.insert(QStringLiteral("message"), *message);
                    fields.append(field);
                    continue;
                }
            }
            field.insert(QStringLiteral("value"), PayloadJson::bytesValue(bytes));
            break;
        }
        case 3: {
            if (depth >= ProtobufWireView::maxDepth)
                return fail(QStringLiteral("protobuf-depth"),
                            QStringLiteral("groups nested deeper than %1").arg(ProtobufWireView::maxDepth));
            const std::optional<QJsonArray> group = readMessage(data, at, depth + 1, parse, fieldNumber);
            if (!group)
                return std::nullopt;
            field.insert(QStringLiteral("wireType"), QStringLiteral("SGROUP"));
            field.insert(QStringLiteral("group"), *group);
            break;
        }
        case 4:
            if (endGroup != fieldNumber)
                return fail(QStringLiteral("protobuf-group-end"),
                            QStringLiteral("EGROUP of field %1 at byte %2 closes no open group")
                                .arg(fieldNumber)
                                .arg(fieldStart));
            return fields;
        default:
            return fail(QStringLiteral("protobuf-wire-type"),
                        QStringLiteral("wire type %1 of field %2 at byte %3 is not 0-5")
                            .arg(wireType)
                            .arg(fieldNumber)
                            .arg(fieldStart));
        }
        fields.append(field);
    }
    if (endGroup)
        return fail(QStringLiteral("protobuf-group-end"),
                    QStringLiteral("the group of field %1 never ends").arg(*endGroup));
    return fields;
}

} // namespace

PayloadView ProtobufWireView::read(QByteArrayView payload)
{
    Parse parse;
    qsizetype at = 0;
    const std::optional<QJsonArray> fields = readMessage(payload, &at, 0, &parse);
    return PayloadView{QStringLiteral("protobuf"), fields ? QJsonValue(*fields) : QJsonValue(), parse.violation};
}

} // namespace wsi
