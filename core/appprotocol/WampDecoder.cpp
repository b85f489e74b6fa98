// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/WampDecoder.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString reference = QStringLiteral("The WAMP Protocol (wamp-proto), Message Definitions");

enum class Pairing : quint8 { None, Request, Reply };

struct MessageLayout {
    int code;
    const char *name;
    // The elements after the code, "name:form" separated by spaces: a leading '?' marks an optional trailing
    // element; form i is an id, u a URI or string, d a dict, l a list, n an integer.
    const char *elements;
    Pairing pairing; // the request id is always the element named "request"
};

const QList<MessageLayout> &layouts()
{
    static const QList<MessageLayout> list{
        {1, "HELLO", "realm:u details:d", Pairing::None},
        {2, "WELCOME", "session:i details:d", Pairing::None},
        {3, "ABORT", "details:d reason:u", Pairing::None},
        {4, "CHALLENGE", "authMethod:u extra:d", Pairing::None},
        {5, "AUTHENTICATE", "signature:u extra:d", Pairing::None},
        {6, "GOODBYE", "details:d reason:u", Pairing::None},
        {8, "ERROR", "requestType:n request:i details:d error:u ?arguments:l ?argumentsKw:d", Pairing::Reply},
        {16, "PUBLISH", "request:i options:d topic:u ?arguments:l ?argumentsKw:d", Pairing::Request},
        {17, "PUBLISHED", "request:i publication:i", Pairing::Reply},
        {32, "SUBSCRIBE", "request:i options:d topic:u", Pairing::Request},
        {33, "SUBSCRIBED", "request:i subscription:i", Pairing::Reply},
        {34, "UNSUBSCRIBE", "request:i subscription:i", Pairing::Request},
        {35, "UNSUBSCRIBED", "request:i ?details:d", Pairing::Reply},
        {36, "EVENT", "subscription:i publication:i details:d ?arguments:l ?argumentsKw:d", Pairing::None},
        {48, "CALL", "request:i options:d procedure:u ?arguments:l ?argumentsKw:d", Pairing::Request},
        {49, "CANCEL", "request:i options:d", Pairing::None},
        {50, "RESULT", "request:i details:d ?arguments:l ?argumentsKw:d", Pairing::Reply},
        {64, "REGISTER", "request:i options:d procedure:u", Pairing::Request},
        {65, "REGISTERED", "request:i registration:i", Pairing::Reply},
        {66, "UNREGISTER", "request:i registration:i", Pairing::Request},
        {67, "UNREGISTERED", "request:i ?details:d", Pairing::Reply},
        {68, "INVOCATION", "request:i registration:i details:d ?arguments:l ?argumentsKw:d", Pairing::Request},
        {69, "INTERRUPT", "request:i options:d", Pairing::None},
        {70, "YIELD", "request:i options:d ?arguments:l ?argumentsKw:d", Pairing::Reply},
    };
    return list;
}

bool hasForm(const QJsonValue &value, char form)
{
    switch (form) {
    case 'i': // ids are integers in [1, 2^53]
        return value.isDouble() && value.toDouble() >= 1 && value.toDouble() <= 9007199254740992.0 &&
               value.toDouble() == std::floor(value.toDouble());
    case 'n':
        return value.isDouble();
    case 'u':
        return value.isString();
    case 'd':
        return value.isObject();
    case 'l':
        return value.isArray();
    }
    return false;
}

QString formName(char form)
{
    switch (form) {
    case 'i':
        return QStringLiteral("an id (integer 1 to 2^53)");
    case 'n':
        return QStringLiteral("an integer");
    case 'u':
        return QStringLiteral("a string");
    case 'd':
        return QStringLiteral("a dict");
    default:
        return QStringLiteral("a list");
    }
}

} // namespace

DecodedMessages WampDecoder::decode(const AppMessage &message)
{
    auto fail = [&](QString kind, QString rule, QString detail, QJsonObject fields = {}) {
        return DecodedMessages{
            broken(std::move(kind), {std::move(rule), reference, std::move(detail)}, std::move(fields))};
    };
    if (message.binary)
        return fail(
            QString(), QStringLiteral("wamp-binary-message"),
            QStringLiteral("wamp.2.json sends text; binary messages are another serialization (MessagePack, CBOR)"));
    DecodedMessage failure;
    const std::optional<QJsonDocument> json = parseJson(message.payload, QStringLiteral("wamp"), reference, &failure);
    if (!json)
        return {failure};
    const QJsonArray array = json->array();
    if (!json->isArray() || array.isEmpty() || !array.first().isDouble())
        return fail(QString(), QStringLiteral("wamp-not-message"),
                    QStringLiteral("a message is a JSON array starting with its type code"));
    const int code = array.first().toInt();
    const auto it = std::find_if(layouts().begin(), layouts().end(),
                                 [&](const MessageLayout &layout) { return layout.code == code; });
    if (it == layouts().end())
        return fail(QString(), QStringLiteral("wamp-unknown-code"),
                    QStringLiteral("message code %1 is not a WAMP message").arg(code));
    const QString kind = QString::fromLatin1(it->name);
    QJsonObject fields{{QStringLiteral("code"), code}};
    qsizetype index = 1;
    for (const QByteArray &element : QByteArray(it->elements).split(' ')) {
        const bool optional = element.startsWith('?');
        const char form = element.back();
        const QString name = QString::fromLatin1(element.sliced(optional ? 1 : 0, element.size() - (optional ? 3 : 2)));
        if (index >= array.size()) {
            if (optional)
                break;
            return fail(kind, QStringLiteral("wamp-missing-element"),
                        QStringLiteral("%1 has %2 elements; \"%3\" is missing").arg(kind).arg(array.size()).arg(name),
                        fields);
        }
        const QJsonValue value = array[index++];
        if (!hasForm(value, form))
            return fail(kind, QStringLiteral("wamp-element-type"),
                        QStringLiteral("%1's \"%2\" must be %3").arg(kind, name, formName(form)), fields);
        fields.insert(name, value);
    }
    if (index < array.size())
        return fail(kind, QStringLiteral("wamp-extra-elements"),
                    QStringLiteral("%1 has %2 elements, at most %3").arg(kind).arg(array.size()).arg(index), fields);

    DecodedMessage result = decoded(kind, fields);
    const QString key = QStringLiteral("request %1").arg(fields.value(QStringLiteral("request")).toDouble(), 0, 'f', 0);
    // A PUBLISH is answered only when it asks to be (options.acknowledge).
    const bool acknowledged =
        code != 16 || fields.value(QStringLiteral("options")).toObject().value(QStringLiteral("acknowledge")).toBool();
    if (it->pairing == Pairing::Request && acknowledged)
        result.correlation = Correlation::request(key);
    else if (it->pairing == Pairing::Reply)
        result.correlation = Correlation::reply(key);
    return {result};
}

} // namespace wsi
