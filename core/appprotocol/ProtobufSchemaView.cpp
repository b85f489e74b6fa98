// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ProtobufSchemaView.h"

#include "core/appprotocol/PayloadJson.h"
#include "core/appprotocol/ProtobufSchema.h"
#include "core/appprotocol/ProtobufWireView.h"

#include <QJsonArray>
#include <QJsonObject>

#if WSI_HAVE_PROTOBUF
#include <cmath>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/unknown_field_set.h>
#include <mutex>
#endif

namespace wsi {

namespace {

const QString wireReference = QStringLiteral("protobuf.dev, Encoding (wire format)");

} // namespace

ProtobufSchemaView::ProtobufSchemaView(std::shared_ptr<const ProtobufSchema> schema, QString messageType)
    : m_schema(std::move(schema))
    , m_messageType(std::move(messageType))
{}

#if WSI_HAVE_PROTOBUF
namespace pb = google::protobuf;

namespace {

// libprotobuf says why a parse failed (invalid UTF-8 in a string field, a missing required field) only in its log.
// The handler, installed once, keeps what is logged on this thread while a read listens, and drops the rest, which
// would otherwise go to the command line's standard error.
thread_local QString *listening = nullptr;

void keepLogged(pb::LogLevel, const char *, int, const std::string &message)
{
    if (listening) {
        if (!listening->isEmpty())
            listening->append(QLatin1StringView("; "));
        listening->append(QString::fromStdString(message));
    }
}

struct LogListener {
    explicit LogListener(QString *into)
    {
        static std::once_flag installed;
        std::call_once(installed, [] { pb::SetLogHandler(&keepLogged); });
        listening = into;
    }
    ~LogListener() { listening = nullptr; }
    Q_DISABLE_COPY_MOVE(LogListener)
};

QJsonValue number(quint64 value)
{
    // JSON numbers are doubles: beyond 2^53 the exact value is kept as text, as ProtobufWireView does.
    return value <= (quint64(1) << 53) ? QJsonValue(double(value)) : QJsonValue(QString::number(value));
}

QJsonValue number(qint64 value)
{
    return std::abs(double(value)) <= double(quint64(1) << 53) ? QJsonValue(double(value))
                                                               : QJsonValue(QString::number(value));
}

QJsonValue floating(double value)
{
    // JSON has no NaN or infinities; protobuf's JSON mapping writes them as these strings.
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    return value;
}

class TreeWalk
{
public:
    bool full() const noexcept { return m_values > ProtobufSchemaView::maxFields; }

    QJsonObject message(const pb::Message &message)
    {
        QJsonObject object;
        const pb::Reflection *reflection = message.GetReflection();
        std::vector<const pb::FieldDescriptor *> fields;
        reflection->ListFields(message, &fields);
        for (const pb::FieldDescriptor *field : fields) {
            if (full())
                return object;
            const QString name = QString::fromStdString(field->name());
            if (field->is_map())
                object.insert(name, map(message, field));
            else if (field->is_repeated())
                object.insert(name, repeated(message, field));
            else
                object.insert(name, value(message, field, -1));
        }
        addUnknown(reflection->GetUnknownFields(message), &object);
        return object;
    }

private:
    QJsonArray repeated(const pb::Message &message, const pb::FieldDescriptor *field)
    {
        QJsonArray array;
        const int size = message.GetReflection()->FieldSize(message, field);
        for (int i = 0; i < size && !full(); ++i)
            array.append(value(message, field, i));
        return array;
    }

    // A map field is a repeated entry message of key and value; shown as protobuf's JSON mapping shows it.
    QJsonObject map(const pb::Message &message, const pb::FieldDescriptor *field)
    {
        QJsonObject object;
        const pb::Reflection *reflection = message.GetReflection();
        const int size = reflection->FieldSize(message, field);
        for (int i = 0; i < size && !full(); ++i) {
            const pb::Message &entry = reflection->GetRepeatedMessage(message, field, i);
            const pb::FieldDescriptor *key = entry.GetDescriptor()->map_key();
            const pb::FieldDescriptor *mapped = entry.GetDescriptor()->map_value();
            const QJsonValue keyValue = value(entry, key, -1);
            object.insert(keyValue.isString() ? keyValue.toString() : keyValue.toVariant().toString(),
                          value(entry, mapped, -1));
        }
        return object;
    }

    // One value of a field: `index` -1 for a singular field.
    QJsonValue value(const pb::Message &message, const pb::FieldDescriptor *field, int index)
    {
        ++m_values;
        const pb::Reflection *r = message.GetReflection();
        const bool one = index < 0;
        switch (field->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_INT32:
            return one ? r->GetInt32(message, field) : r->GetRepeatedInt32(message, field, index);
        case pb::FieldDescriptor::CPPTYPE_UINT32:
            return double(one ? r->GetUInt32(message, field) : r->GetRepeatedUInt32(message, field, index));
        case pb::FieldDescriptor::CPPTYPE_INT64:
            return number(qint64(one ? r->GetInt64(message, field) : r->GetRepeatedInt64(message, field, index)));
        case pb::FieldDescriptor::CPPTYPE_UINT64:
            return number(quint64(one ? r->GetUInt64(message, field) : r->GetRepeatedUInt64(message, field, index)));
        case pb::FieldDescriptor::CPPTYPE_DOUBLE:
            return floating(one ? r->GetDouble(message, field) : r->GetRepeatedDouble(message, field, index));
        case pb::FieldDescriptor::CPPTYPE_FLOAT:
            return floating(one ? r->GetFloat(message, field) : r->GetRepeatedFloat(message, field, index));
        case pb::FieldDescriptor::CPPTYPE_BOOL:
            return one ? r->GetBool(message, field) : r->GetRepeatedBool(message, field, index);
        case pb::FieldDescriptor::CPPTYPE_ENUM: {
            const int number = one ? r->GetEnumValue(message, field) : r->GetRepeatedEnumValue(message, field, index);
            // An open enum keeps numbers the schema does not name: those stay numbers.
            if (const pb::EnumValueDescriptor *named = field->enum_type()->FindValueByNumber(number))
                return QString::fromStdString(named->name());
            return number;
        }
        case pb::FieldDescriptor::CPPTYPE_STRING: {
            std::string scratch;
            const std::string &bytes = one ? r->GetStringReference(message, field, &scratch)
                                           : r->GetRepeatedStringReference(message, field, index, &scratch);
            if (field->type() == pb::FieldDescriptor::TYPE_BYTES)
                return PayloadJson::bytesValue(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
            return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
        }
        case pb::FieldDescriptor::CPPTYPE_MESSAGE:
            return this->message(one ? r->GetMessage(message, field) : r->GetRepeatedMessage(message, field, index));
        }
        return QJsonValue();
    }

    // Fields the schema does not declare, by number, as the wire format reads them: {"wireType", "value"} (or
    // "message"), an array of those when the number repeats.
    void addUnknown(const pb::UnknownFieldSet &unknown, QJsonObject *object)
    {
        if (unknown.empty())
            return;
        std::string bytes;
        unknown.SerializeToString(&bytes);
        const PayloadView wire = ProtobufWireView::read(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
        const QJsonArray fields = wire.value.toArray();
        for (const QJsonValue &entry : fields) {
            if (full())
                return;
            ++m_values;
            QJsonObject field = entry.toObject();
            const QString key = QString::number(field.take(QStringLiteral("field")).toInteger());
            if (!object->contains(key)) {
                object->insert(key, field);
                continue;
            }
            QJsonValue earlier = object->value(key);
            QJsonArray all = earlier.isArray() ? earlier.toArray() : QJsonArray{earlier};
            all.append(field);
            object->insert(key, all);
        }
    }

    int m_values = 0;
};

} // namespace

PayloadView ProtobufSchemaView::read(QByteArrayView payload) const
{
    PayloadView view{formatPrefix + m_messageType, QJsonValue(), std::nullopt};
    const std::unique_ptr<pb::Message> message = m_schema ? m_schema->newMessage(m_messageType) : nullptr;
    if (!message) {
        view.violation = DecodeViolation{QStringLiteral("protobuf-unknown-type"), QStringLiteral("the .proto file"),
                                         QStringLiteral("no message type %1 in the schema").arg(m_messageType)};
        return view;
    }
    QString logged;
    bool parsed = false;
    {
        const LogListener listener(&logged);
        pb::io::CodedInputStream input(reinterpret_cast<const quint8 *>(payload.data()), int(payload.size()));
        input.SetRecursionLimit(maxDepth);
        parsed = payload.size() <= std::numeric_limits<int>::max() && message->ParsePartialFromCodedStream(&input) &&
                 input.ConsumedEntireMessage();
    }
    TreeWalk walk;
    view.value = walk.message(*message);
    if (!parsed) {
        // libprotobuf says nothing of a malformed wire format; the wire format reader says where it breaks.
        QString detail = logged;
        if (detail.isEmpty()) {
            const PayloadView wire = ProtobufWireView::read(payload);
            detail = wire.violation ? wire.violation->detail
                                    : QStringLiteral("libprotobuf could not parse it as %1 (messages nested deeper "
                                                     "than %2?)")
                                          .arg(m_messageType)
                                          .arg(maxDepth);
        }
        view.violation = DecodeViolation{QStringLiteral("protobuf-parse"), wireReference, detail};
    } else if (!message->IsInitialized()) {
        view.violation = DecodeViolation{QStringLiteral("protobuf-required-missing"),
                                         QStringLiteral("protobuf.dev, Language Guide (proto 2), required"),
                                         QStringLiteral("missing required fields: %1")
                                             .arg(QString::fromStdString(message->InitializationErrorString()))};
    } else if (walk.full()) {
        view.violation = DecodeViolation{QStringLiteral("protobuf-too-many-fields"), wireReference,
                                         QStringLiteral("more than %1 values; the rest is not shown").arg(maxFields)};
    }
    return view;
}

#else

PayloadView ProtobufSchemaView::read(QByteArrayView) const
{
    return PayloadView{formatPrefix + m_messageType, QJsonValue(),
                       DecodeViolation{QStringLiteral("protobuf-unavailable"), QStringLiteral("this build"),
                                       QStringLiteral("built without libprotobuf")}};
}

#endif

} // namespace wsi
