// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/HoldDecisionLine.h"

#include "core/protocol/Opcode.h"
#include "core/text/HexBytes.h"
#include "core/text/JsonTypeName.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace wsi::cli {
namespace {

constexpr const char *verbs[] = {"forward", "drop", "answer"};

} // namespace

std::optional<HoldDecisionLine> HoldDecisionLine::parse(const QByteArray &line, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("not a JSON object: expected {\"forward\": ID}, {\"forward\": ID, \"text\": \"...\"}, "
                                "{\"drop\": ID} or {\"answer\": ID, \"text\": \"...\"}");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    QString verb;
    for (const char *each : verbs) {
        if (!object.contains(QLatin1StringView(each)))
            continue;
        if (!verb.isEmpty()) {
            *error = QStringLiteral("\"%1\" and \"%2\": one decision a line").arg(verb, QLatin1StringView(each));
            return std::nullopt;
        }
        verb = QLatin1StringView(each);
    }
    if (verb.isEmpty()) {
        *error = QStringLiteral("missing the decision: \"forward\", \"drop\" or \"answer\" with the held message's id");
        return std::nullopt;
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != verb && it.key() != QLatin1StringView("text") && it.key() != QLatin1StringView("hex")) {
            *error = QStringLiteral("\"%1\": unknown field (a decision takes \"%2\", \"text\" or \"hex\")")
                         .arg(it.key(), verb);
            return std::nullopt;
        }
    }
    const QJsonValue idValue = object.value(verb);
    const double number = idValue.toDouble(-1);
    if (!idValue.isDouble() || number < 1 || number != std::floor(number) || number > 9007199254740992.0) {
        *error = QStringLiteral("\"%1\": expected the held message's id (a whole number from 1), not %2")
                     .arg(verb, idValue.isDouble() ? QString::number(number, 'g', 17) : jsonTypeName(idValue));
        return std::nullopt;
    }
    HoldDecisionLine decided;
    decided.id = quint64(number);
    const bool hasText = object.contains(QStringLiteral("text"));
    const bool hasHex = object.contains(QStringLiteral("hex"));
    if (hasText && hasHex) {
        *error = QStringLiteral("\"text\" and \"hex\": the message is one or the other");
        return std::nullopt;
    }
    if (verb == QLatin1StringView("drop")) {
        if (hasText || hasHex) {
            *error = QStringLiteral("\"drop\" takes no \"%1\"")
                         .arg(hasText ? QStringLiteral("text") : QStringLiteral("hex"));
            return std::nullopt;
        }
        decided.decision = HoldDecision::drop();
        return decided;
    }
    if (!hasText && !hasHex) {
        if (verb == QLatin1StringView("answer")) {
            *error = QStringLiteral("\"answer\" needs the message to send back: \"text\" or \"hex\"");
            return std::nullopt;
        }
        decided.decision = HoldDecision::forward();
        return decided;
    }
    const QString field = hasText ? QStringLiteral("text") : QStringLiteral("hex");
    const QJsonValue value = object.value(field);
    if (!value.isString()) {
        *error = QStringLiteral("\"%1\": expected a string, not %2").arg(field, jsonTypeName(value));
        return std::nullopt;
    }
    QByteArray payload;
    quint8 opcode = Opcodes::value(Opcode::Text);
    if (hasText) {
        payload = value.toString().toUtf8();
    } else {
        const std::optional<QByteArray> bytes = parseHexBytes(value.toString());
        if (!bytes) {
            *error = QStringLiteral("\"hex\": \"%1\" is not bytes in hex (two digits 0-9, a-f a byte)")
                         .arg(value.toString());
            return std::nullopt;
        }
        payload = *bytes;
        opcode = Opcodes::value(Opcode::Binary);
    }
    decided.decision = verb == QLatin1StringView("answer") ? HoldDecision::answer(opcode, std::move(payload))
                                                           : HoldDecision::edited(opcode, std::move(payload));
    return decided;
}

} // namespace wsi::cli
