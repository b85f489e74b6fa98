// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MessagePackView.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>
#include <QJsonObject>

#if WSI_HAVE_MSGPACK
#include <msgpack.h>
#endif

namespace wsi {

namespace {

const QString reference = QStringLiteral("MessagePack specification (msgpack/msgpack spec.md), Formats");

// Objects read from one payload: a longer run of back-to-back objects is shown cut.
constexpr int maxObjects = 1000;

#if WSI_HAVE_MSGPACK
// Walks the headers of every object in data and checks each declared length against the bytes left: an array or map
// needs at least one byte per element, a str, bin or ext all its bytes. Empty when plausible, else what is wrong.
QString implausibleLengths(QByteArrayView data)
{
    qsizetype at = 0;
    quint64 pending = 0; // elements announced by containers and not yet read
    auto big = [&](int bytes) -> std::optional<quint64> {
        if (data.size() - at < bytes)
            return std::nullopt;
        quint64 value = 0;
        for (int i = 0; i < bytes; ++i)
            value = value << 8 | quint8(data[at + i]);
        at += bytes;
        return value;
    };
    while (at < data.size()) {
        const qsizetype start = at;
        const quint8 type = quint8(data[at++]);
        if (pending > 0)
            --pending;
        std::optional<quint64> skip = 0;
        std::optional<quint64> elements = 0;
        if (type <= 0x7f || type >= 0xe0 || type == 0xc0 || type == 0xc2 || type == 0xc3) {
        } else if (type >= 0x80 && type <= 0x8f) {
            elements = quint64(type & 0x0f) * 2;
        } else if (type >= 0x90 && type <= 0x9f) {
            elements = type & 0x0f;
        } else if (type >= 0xa0 && type <= 0xbf) {
            skip = type & 0x1f;
        } else {
            switch (type) {
            case 0xc4:
            case 0xd9:
                skip = big(1);
                break; // bin 8, str 8
            case 0xc5:
            case 0xda:
                skip = big(2);
                break; // bin 16, str 16
            case 0xc6:
            case 0xdb:
                skip = big(4);
                break; // bin 32, str 32
            case 0xc7:
                skip = big(1);
                if (skip)
                    *skip += 1;
                break; // ext 8: length, type
            case 0xc8:
                skip = big(2);
                if (skip)
                    *skip += 1;
                break;
            case 0xc9:
                skip = big(4);
                if (skip)
                    *skip += 1;
                break;
            case 0xca:
            case 0xce:
            case 0xd2:
                skip = 4;
                break; // float 32, uint 32, int 32
            case 0xcb:
            case 0xcf:
            case 0xd3:
                skip = 8;
                break; // float 64, uint 64, int 64
            case 0xcc:
            case 0xd0:
                skip = 1;
                break;
            case 0xcd:
            case 0xd1:
                skip = 2;
                break;
            case 0xd4:
                skip = 2;
                break; // fixext 1: type + 1
            case 0xd5:
                skip = 3;
                break;
            case 0xd6:
                skip = 5;
                break;
            case 0xd7:
                skip = 9;
                break;
            case 0xd8:
                skip = 17;
                break;
            case 0xdc:
                elements = big(2);
                break; // array 16
            case 0xdd:
                elements = big(4);
                break; // array 32
            case 0xde:
                elements = big(2);
                if (elements)
                    *elements *= 2;
                break; // map 16
            case 0xdf:
                elements = big(4);
                if (elements)
                    *elements *= 2;
                break; // map 32
            default:
                return QStringLiteral("byte 0x%1 at offset %2 is never used")
                    .arg(type, 2, 16, QLatin1Char('0'))
                    .arg(start);
            }
        }
        if (!skip || !elements)
            return QStringLiteral("the length of the object at offset %1 runs past the end").arg(start);
        if (*skip > quint64(data.size() - at))
            return QStringLiteral("the object at offset %1 declares %2 bytes, %3 are left")
                .arg(start)
                .arg(*skip)
                .arg(data.size() - at);
        at += qsizetype(*skip);
        pending += *elements;
        if (pending > quint64(data.size() - at))
            return QStringLiteral("the object at offset %1 declares %2 elements, %3 bytes are left")
                .arg(start)
                .arg(*elements)
                .arg(data.size() - at);
    }
    return {};
}

QJsonValue toJson(const msgpack_object &object)
{
    switch (object.type) {
    case MSGPACK_OBJECT_NIL:
        return QJsonValue(QJsonValue::Null);
    case MSGPACK_OBJECT_BOOLEAN:
        return object.via.boolean;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return object.via.u64 <= (quint64(1) << 53) ? QJsonValue(double(object.via.u64))
                                                    : QJsonValue(QString::number(object.via.u64));
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return object.via.i64 >= -(qint64(1) << 53) ? QJsonValue(double(object.via.i64))
                                                    : QJsonValue(QString::number(object.via.i64));
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return object.via.f64;
    case MSGPACK_OBJECT_STR:
        return QString::fromUtf8(object.via.str.ptr, qsizetype(object.via.str.size));
    case MSGPACK_OBJECT_BIN:
        return PayloadJson::bytesValue(QByteArrayView(object.via.bin.ptr, qsizetype(object.via.bin.size)));
    case MSGPACK_OBJECT_EXT:
        return QJsonObject{
            {QStringLiteral("ext"), int(object.via.ext.type)},
            {QStringLiteral("base64"),
             QString::fromLatin1(QByteArray(object.via.ext.ptr, qsizetype(object.via.ext.size)).toBase64())}};
    case MSGPACK_OBJECT_ARRAY: {
        QJsonArray array;
        for (uint32_t i = 0; i < object.via.array.size; ++i)
            array.append(toJson(object.via.array.ptr[i]));
        return array;
    }
    case MSGPACK_OBJECT_MAP: {
        const msgpack_object_map &map = object.via.map;
        const bool stringKeys = std::all_of(
            map.ptr, map.ptr + map.size, [](const msgpack_object_kv &kv) { return kv.key.type == MSGPACK_OBJECT_STR; });
        if (stringKeys) {
            QJsonObject json;
            for (uint32_t i = 0; i < map.size; ++i)
                json.insert(QString::fromUtf8(map.ptr[i].key.via.str.ptr, qsizetype(map.ptr[i].key.via.str.size)),
                            toJson(map.ptr[i].val));
            return json;
        }
        QJsonArray pairs;
        for (uint32_t i = 0; i < map.size; ++i)
            pairs.append(QJsonArray{toJson(map.ptr[i].key), toJson(map.ptr[i].val)});
        return QJsonObject{{QStringLiteral("pairs"), pairs}};
    }
    }
    return {};
}
#endif

} // namespace

bool MessagePackView::isAvailable()
{
    return WSI_HAVE_MSGPACK != 0;
}

PayloadView MessagePackView::read(QByteArrayView payload)
{
    PayloadView view{QStringLiteral("msgpack"), {}, std::nullopt};
    auto fail = [&](QString rule, QString detail) {
        view.violation = DecodeViolation{std::move(rule), reference, std::move(detail)};
        return view;
    };
#if WSI_HAVE_MSGPACK
    if (payload.isEmpty())
        return fail(QStringLiteral("msgpack-empty"), QStringLiteral("an empty payload holds no MessagePack object"));
    if (const QString problem = implausibleLengths(payload); !problem.isEmpty())
        return fail(QStringLiteral("msgpack-malformed"), problem);
    QJsonArray objects;
    msgpack_unpacked unpacked;
    msgpack_unpacked_init(&unpacked);
    size_t offset = 0;
    while (offset < size_t(payload.size()) && objects.size() < maxObjects) {
        const size_t start = offset;
        const msgpack_unpack_return status =
            msgpack_unpack_next(&unpacked, payload.data(), size_t(payload.size()), &offset);
        if (status != MSGPACK_UNPACK_SUCCESS && status != MSGPACK_UNPACK_EXTRA_BYTES) {
            view.violation =
                DecodeViolation{QStringLiteral("msgpack-malformed"), reference,
                                status == MSGPACK_UNPACK_CONTINUE
                                    ? QStringLiteral("the object at offset %1 is cut short").arg(start)
                                    : QStringLiteral("the object at offset %1 does not parse (msgpack-c status %2)")
                                          .arg(start)
                                          .arg(int(status))};
            break;
        }
        objects.append(toJson(unpacked.data));
    }
    msgpack_unpacked_destroy(&unpacked);
    view.value = objects.size() == 1 && !view.violation
                     ? objects.first()
                     : QJsonValue(QJsonObject{{QStringLiteral("sequence"), objects}});
    return view;
#else
    Q_UNUSED(payload);
    return fail(QStringLiteral("msgpack-unavailable"),
                QStringLiteral("this build has no MessagePack support (msgpack-c)"));
#endif
}

} // namespace wsi
