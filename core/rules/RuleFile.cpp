// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rules/RuleFile.h"

#include "core/appprotocol/AppProtocol.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/Opcode.h"
#include "core/text/HexBytes.h"
#include "core/text/JsonTypeName.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <cmath>

namespace wsi {
namespace {

// The names a rule file may give the decoded subject: "subject", or the word of the protocol it is written for.
constexpr const char *subjectSpellings[] = {"subject", "event", "topic", "destination", "operation"};

constexpr qsizetype maxReasonBytes = 123; // a Close payload is at most 125 bytes, 2 of them the code

// Reads one rule object; every error names "rules[N].field".
class RuleReader
{
public:
    RuleReader(const QJsonObject &object, qsizetype index)
        : m_object(object)
        , m_where(QStringLiteral("rules[%1]").arg(index))
    {}

    std::optional<Rule> read(QString *error);

private:
    QString field(const QString &name) const { return m_where + u'.' + name; }
    QString wrongType(const QString &name, const char *expected) const
    {
        return QStringLiteral("%1: expected %2, not %3")
            .arg(field(name), QLatin1StringView(expected), jsonTypeName(m_object.value(name)));
    }
    // The string field `name`, or nullopt (absent, or *error set when it is not a string).
    std::optional<QString> string(const QString &name, QString *error) const;
    // The integer field `name` within [min, max], or nullopt (absent, or *error set).
    std::optional<qint64> integer(const QString &name, qint64 min, qint64 max, QString *error) const;
    std::optional<Rule::Target> target(QString *error) const;
    QStringList allowedFields(Rule::Action action) const;
    // "protocol", "kind", "subject": what the message carries, decoded.
    bool readProtocolFields(Rule &rule, QString *error) const;
    // Replace at a JSON path: "path" with "value" or "delete".
    bool readPathReplace(Rule &rule, QString *error) const;
    // Inject, stall and throttle: when (a match, or "after_ms" / "every_ms" from the upgrade), where and how much.
    bool readTimedAction(Rule &rule, QString *error) const;

    const QJsonObject &m_object;
    const QString m_where;
};

std::optional<QString> RuleReader::string(const QString &name, QString *error) const
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isString()) {
        *error = wrongType(name, "a string");
        return std::nullopt;
    }
    return value.toString();
}

std::optional<qint64> RuleReader::integer(const QString &name, qint64 min, qint64 max, QString *error) const
{
    const QJsonValue value = m_object.value(name);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isDouble()) {
        *error = wrongType(name, "a number");
        return std::nullopt;
    }
    const double number = value.toDouble();
    if (number != std::floor(number) || number < double(min) || number > double(max)) {
        *error = QStringLiteral("%1: %2 is not a whole number from %3 to %4")
                     .arg(field(name), QString::number(number, 'g', 17))
                     .arg(min)
                     .arg(max);
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<Rule::Target> RuleReader::target(QString *error) const
{
    const std::optional<QString> to = string(QStringLiteral("to"), error);
    if (!to)
        return error->isEmpty() ? std::optional(Rule::Target::Both) : std::nullopt;
    for (const Rule::Target target : {Rule::Target::Client, Rule::Target::Server, Rule::Target::Both}) {
        if (*to == Rule::targetName(target))
            return target;
    }
    *error =
        QStringLiteral("%1: \"%2\" is not \"client\", \"server\" or \"both\"").arg(field(QStringLiteral("to")), *to);
    return std::nullopt;
}

QStringList RuleReader::allowedFields(Rule::Action action) const
{
    QStringList fields{QStringLiteral("name"),     QStringLiteral("from"),   QStringLiteral("opcode"),
                       QStringLiteral("match"),    QStringLiteral("action"), QStringLiteral("enabled"),
                       QStringLiteral("protocol"), QStringLiteral("kind")};
    for (const char *spelling : subjectSpellings)
        fields << QLatin1StringView(spelling);
    switch (action) {
    case Rule::Action::Replace:
        fields << QStringLiteral("with") << QStringLiteral("path") << QStringLiteral("value")
               << QStringLiteral("delete");
        break;
    case Rule::Action::Inject:
        fields << QStringLiteral("to") << QStringLiteral("text") << QStringLiteral("hex") << QStringLiteral("after_ms")
               << QStringLiteral("every_ms");
        break;
    case Rule::Action::Stall:
        fields << QStringLiteral("to") << QStringLiteral("ms") << QStringLiteral("after_ms");
        break;
    case Rule::Action::Throttle:
        fields << QStringLiteral("to") << QStringLiteral("bytes_per_second") << QStringLiteral("after_ms");
        break;
    case Rule::Action::Delay:
    case Rule::Action::DelayPong:
        fields << QStringLiteral("ms");
        break;
    case Rule::Action::Close:
        fields << QStringLiteral("to") << QStringLiteral("code") << QStringLiteral("reason");
        break;
    case Rule::Action::Abort:
        fields << QStringLiteral("to");
        break;
    case Rule::Action::Pause:
        fields << QStringLiteral("timeout_ms");
        break;
    case Rule::Action::Pass:
    case Rule::Action::Drop:
    case Rule::Action::Duplicate:
    case Rule::Action::Blackhole:
    case Rule::Action::NoPong:
        break;
    }
    return fields;
}

std::optional<Rule> RuleReader::read(QString *error)
{
    Rule rule;
    error->clear();
    const QJsonValue actionValue = m_object.value(QStringLiteral("action"));
    if (actionValue.isUndefined()) {
        *error = QStringLiteral("%1: missing (what the rule does: pass, drop, replace, delay, duplicate, close, abort, "
                                "blackhole, no-pong, delay-pong, inject, stall, throttle or pause)")
                     .arg(field(QStringLiteral("action")));
        return std::nullopt;
    }
    if (!actionValue.isString()) {
        *error = wrongType(QStringLiteral("action"), "a string");
        return std::nullopt;
    }
    const std::optional<Rule::Action> action = Rule::actionNamed(actionValue.toString());
    if (!action) {
        *error =
            QStringLiteral("%1: unknown action \"%2\"").arg(field(QStringLiteral("action")), actionValue.toString());
        return std::nullopt;
    }
    rule.action = *action;
    const QString actionName = actionValue.toString();

    const QStringList allowed = allowedFields(rule.action);
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = QStringLiteral("%1: unknown field for a %2 rule (it takes %3)")
                         .arg(field(it.key()), actionName, allowed.join(QStringLiteral(", ")));
            return std::nullopt;
        }
    }

    if (const std::optional<QString> name = string(QStringLiteral("name"), error))
        rule.name = *name;
    if (!error->isEmpty())
        return std::nullopt;
    if (rule.name.isEmpty())
        rule.name = m_where;

    if (const std::optional<QString> from = string(QStringLiteral("from"), error)) {
        if (*from == QLatin1StringView("client")) {
            rule.from = Endpoint::Client;
        } else if (*from == QLatin1StringView("server")) {
            rule.from = Endpoint::Server;
        } else {
            *error =
                QStringLiteral("%1: \"%2\" is not \"client\" or \"server\"").arg(field(QStringLiteral("from")), *from);
            return std::nullopt;
        }
    }
    if (!error->isEmpty())
        return std::nullopt;

    if (const std::optional<QString> opcode = string(QStringLiteral("opcode"), error)) {
        for (const Opcode known : {Opcode::Text, Opcode::Binary, Opcode::Ping, Opcode::Pong, Opcode::Close}) {
            if (*opcode == Opcodes::name(Opcodes::value(known)))
                rule.opcode = Opcodes::value(known);
        }
        if (!rule.opcode) {
            *error = QStringLiteral("%1: \"%2\" is not \"text\", \"binary\", \"ping\", \"pong\" or \"close\"")
                         .arg(field(QStringLiteral("opcode")), *opcode);
            return std::nullopt;
        }
    }
    if (!error->isEmpty())
        return std::nullopt;
    const quint8 pong = Opcodes::value(Opcode::Pong);
    if (rule.actsOnPongs()) {
        if (rule.opcode && *rule.opcode != pong) {
            *error = QStringLiteral("%1: %2 acts on pongs, not \"%3\"")
                         .arg(field(QStringLiteral("opcode")), actionName, Opcodes::name(*rule.opcode));
            return std::nullopt;
        }
        rule.opcode = pong;
    }
    const bool dataOnly = rule.action == Rule::Action::Replace || rule.action == Rule::Action::Duplicate ||
                          rule.action == Rule::Action::Inject || rule.action == Rule::Action::Pause;
    if (dataOnly && rule.opcode && !Opcodes::isData(*rule.opcode)) {
        *error = QStringLiteral("%1: %2 acts on messages (text or binary), not \"%3\"")
                     .arg(field(QStringLiteral("opcode")), actionName, Opcodes::name(*rule.opcode));
        return std::nullopt;
    }

    if (const std::optional<QString> pattern = string(QStringLiteral("match"), error)) {
        rule.match = QRegularExpression(*pattern);
        if (!rule.match.isValid()) {
            *error = QStringLiteral("%1: bad regular expression \"%2\": %3 at offset %4")
                         .arg(field(QStringLiteral("match")), *pattern, rule.match.errorString())
                         .arg(rule.match.patternErrorOffset());
            return std::nullopt;
        }
    }
    if (!error->isEmpty())
        return std::nullopt;

    if (!readProtocolFields(rule, error))
        return std::nullopt;

    const QJsonValue enabled = m_object.value(QStringLiteral("enabled"));
    if (!enabled.isUndefined() && !enabled.isBool()) {
        *error = wrongType(QStringLiteral("enabled"), "true or false");
        return std::nullopt;
    }
    rule.enabledAtStart = enabled.toBool(true);

    switch (rule.action) {
    case Rule::Action::Replace: {
        if (m_object.contains(QStringLiteral("path"))) {
            if (!readPathReplace(rule, error))
                return std::nullopt;
            break;
        }
        if (rule.match.pattern().isEmpty()) {
            *error = QStringLiteral("%1: missing (replace needs the pattern to replace)")
                         .arg(field(QStringLiteral("match")));
            return std::nullopt;
        }
        const std::optional<QString> with = string(QStringLiteral("with"), error);
        if (!with) {
            if (error->isEmpty())
                *error = QStringLiteral("%1: missing (replace needs the text to put in, \\1 for a capture group)")
                             .arg(field(QStringLiteral("with")));
            return std::nullopt;
        }
        rule.with = *with;
        break;
    }
    case Rule::Action::Delay:
    case Rule::Action::DelayPong: {
        const std::optional<qint64> ms = integer(QStringLiteral("ms"), 0, RuleFile::maxDelayMs, error);
        if (!ms) {
            if (error->isEmpty())
                *error = QStringLiteral("%1: missing (%2 needs the delay in milliseconds)")
                             .arg(field(QStringLiteral("ms")), actionName);
            return std::nullopt;
        }
        rule.ms = int(*ms);
        break;
    }
    case Rule::Action::Close: {
        const std::optional<Rule::Target> to = target(error);
        if (!to)
            return std::nullopt;
        rule.to = *to;
        const std::optional<qint64> code = integer(QStringLiteral("code"), 0, 65535, error);
        if (!error->isEmpty())
            return std::nullopt;
        if (code) {
            if (!CloseCodes::isValidOnWire(quint16(*code))) {
                *error = QStringLiteral("%1: %2 is not a code a Close may carry (1000-1003, 1007-1014, 3000-4999)")
                             .arg(field(QStringLiteral("code")))
                             .arg(*code);
                return std::nullopt;
            }
            rule.code = quint16(*code);
        }
        if (const std::optional<QString> reason = string(QStringLiteral("reason"), error)) {
            if (reason->toUtf8().size() > maxReasonBytes) {
                *error = QStringLiteral("%1: %2 bytes of UTF-8, more than the %3 a Close frame has room for")
                             .arg(field(QStringLiteral("reason")))
                             .arg(reason->toUtf8().size())
                             .arg(maxReasonBytes);
                return std::nullopt;
            }
            rule.reason = *reason;
        }
        if (!error->isEmpty())
            return std::nullopt;
        break;
    }
    case Rule::Action::Abort: {
        const std::optional<Rule::Target> to = target(error);
        if (!to)
            return std::nullopt;
        rule.to = *to;
        break;
    }
    case Rule::Action::Inject:
    case Rule::Action::Stall:
    case Rule::Action::Throttle:
        if (!readTimedAction(rule, error))
            return std::nullopt;
        break;
    case Rule::Action::Pause: {
        const std::optional<qint64> timeout = integer(QStringLiteral("timeout_ms"), 1, RuleFile::maxDelayMs, error);
        if (!error->isEmpty())
            return std::nullopt;
        rule.timeoutMs = timeout ? int(*timeout) : -1;
        break;
    }
    case Rule::Action::Pass:
    case Rule::Action::Drop:
    case Rule::Action::Duplicate:
    case Rule::Action::Blackhole:
    case Rule::Action::NoPong:
        break;
    }
    return rule;
}

bool RuleReader::readProtocolFields(Rule &rule, QString *error) const
{
    if (const std::optional<QString> name = string(QStringLiteral("protocol"), error)) {
        rule.protocol = AppProtocols::fromName(*name);
        if (!rule.protocol) {
            QStringList names;
            for (const AppProtocol known : AppProtocols::all())
                names.append(AppProtocols::name(known));
            *error = QStringLiteral("%1: unknown protocol \"%2\" (one of %3)")
                         .arg(field(QStringLiteral("protocol")), *name, names.join(QStringLiteral(", ")));
            return false;
        }
    }
    if (!error->isEmpty())
        return false;
    if (const std::optional<QString> kind = string(QStringLiteral("kind"), error))
        rule.kind = *kind;
    if (!error->isEmpty())
        return false;
    // "subject" by any of its names, the protocol's word for it where that reads better ("event", "topic" ...), once.
    QString subjectField;
    for (const char *spelling : subjectSpellings) {
        const QString name = QLatin1StringView(spelling);
        if (!m_object.contains(name))
            continue;
        if (!subjectField.isEmpty()) {
            *error = QStringLiteral("%1: the rule names its subject already as \"%2\" (subject, event, topic, "
                                    "destination and operation are one field)")
                         .arg(field(name), subjectField);
            return false;
        }
        subjectField = name;
        if (const std::optional<QString> subject = string(name, error))
            rule.subject = *subject;
        if (!error->isEmpty())
            return false;
    }
    if (rule.needsDecoding() && rule.actsOnPongs()) {
        *error = QStringLiteral("%1: %2 acts on WebSocket pongs, which carry no application protocol")
                     .arg(field(rule.protocol         ? QStringLiteral("protocol")
                                : rule.kind.isEmpty() ? subjectField
                                                      : QStringLiteral("kind")),
                          Rule::actionName(rule.action));
        return false;
    }
    return true;
}

bool RuleReader::readPathReplace(Rule &rule, QString *error) const
{
    if (m_object.contains(QStringLiteral("with"))) {
        *error = QStringLiteral("%1: replace takes \"with\" (text for what \"match\" found) or \"path\" (a JSON "
                                "value to set), not both")
                     .arg(field(QStringLiteral("with")));
        return false;
    }
    const std::optional<QString> pathText = string(QStringLiteral("path"), error);
    if (!pathText)
        return false;
    QString pathError;
    rule.path = JsonPath::parse(*pathText, &pathError);
    if (!rule.path) {
        *error = field(QStringLiteral("path")) + QStringLiteral(": ") + pathError;
        return false;
    }
    const quint8 text = Opcodes::value(Opcode::Text);
    if (rule.opcode && *rule.opcode != text) {
        *error = QStringLiteral("%1: replace at a path acts on text messages (JSON), not \"%2\"")
                     .arg(field(QStringLiteral("opcode")), Opcodes::name(*rule.opcode));
        return false;
    }
    rule.opcode = text;
    const QJsonValue value = m_object.value(QStringLiteral("value"));
    const QJsonValue remove = m_object.value(QStringLiteral("delete"));
    if (!remove.isUndefined() && remove != QJsonValue(true)) {
        *error =
            QStringLiteral("%1: expected true (remove what the path names), not %2")
                .arg(field(QStringLiteral("delete")), remove.isBool() ? QStringLiteral("false") : jsonTypeName(remove));
        return false;
    }
    if (value.isUndefined() == remove.isUndefined()) {
        *error = value.isUndefined()
                     ? QStringLiteral("%1: missing (replace at a path needs the JSON value to set there, or "
                                      "\"delete\": true)")
                           .arg(field(QStringLiteral("value")))
                     : QStringLiteral("%1: replace at a path sets \"value\" or deletes, not both")
                           .arg(field(QStringLiteral("delete")));
        return false;
    }
    if (!value.isUndefined()) {
        // A value's JSON text, as it will be written into the message: an array of one, without its brackets.
        const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        rule.value = array.sliced(1, array.size() - 2);
    }
    return true;
}

bool RuleReader::readTimedAction(Rule &rule, QString *error) const
{
    const std::optional<qint64> after = integer(QStringLiteral("after_ms"), 0, RuleFile::maxDelayMs, error);
    if (!error->isEmpty())
        return false;
    const std::optional<qint64> every = integer(QStringLiteral("every_ms"), 1, RuleFile::maxDelayMs, error);
    if (!error->isEmpty())
        return false;
    rule.afterMs = after ? int(*after) : -1;
    rule.everyMs = every ? int(*every) : 0;
    if (rule.isTimed()) {
        for (const char *matching :
             {"from", "opcode", "match", "protocol", "kind", "subject", "event", "topic", "destination", "operation"}) {
            if (m_object.contains(QLatin1StringView(matching))) {
                *error =
                    QStringLiteral("%1: a rule timed by %2 acts on its own from the upgrade and matches no "
                                   "messages")
                        .arg(field(QLatin1StringView(matching)), QLatin1StringView(after ? "after_ms" : "every_ms"));
                return false;
            }
        }
    }
    const bool toGiven = m_object.contains(QStringLiteral("to"));
    const std::optional<Rule::Target> to = target(error);
    if (!to)
        return false;
    rule.to = *to;
    switch (rule.action) {
    case Rule::Action::Inject: {
        if (!toGiven) {
            *error = QStringLiteral("%1: missing (inject needs where its message goes: \"client\", \"server\" or "
                                    "\"both\")")
                         .arg(field(QStringLiteral("to")));
            return false;
        }
        const std::optional<QString> text = string(QStringLiteral("text"), error);
        if (!error->isEmpty())
            return false;
        const std::optional<QString> hex = string(QStringLiteral("hex"), error);
        if (!error->isEmpty())
            return false;
        if (text.has_value() == hex.has_value()) {
            *error = text ? QStringLiteral("%1: inject sends \"text\" or \"hex\" (binary), not both")
                                .arg(field(QStringLiteral("hex")))
                          : QStringLiteral("%1: missing (inject needs its message: \"text\", or \"hex\" for a "
                                           "binary one)")
                                .arg(field(QStringLiteral("text")));
            return false;
        }
        if (text) {
            rule.payload = text->toUtf8();
            rule.payloadOpcode = Opcodes::value(Opcode::Text);
        } else {
            const std::optional<QByteArray> bytes = parseHexBytes(*hex);
            if (!bytes) {
                *error = QStringLiteral("%1: \"%2\" is not bytes in hex (two digits 0-9, a-f a byte)")
                             .arg(field(QStringLiteral("hex")), *hex);
                return false;
            }
            rule.payload = *bytes;
            rule.payloadOpcode = Opcodes::value(Opcode::Binary);
        }
        return true;
    }
    case Rule::Action::Stall: {
        const std::optional<qint64> ms = integer(QStringLiteral("ms"), 1, RuleFile::maxDelayMs, error);
        if (!error->isEmpty())
            return false;
        rule.ms = ms ? int(*ms) : -1;
        break;
    }
    case Rule::Action::Throttle: {
        const std::optional<qint64> rate =
            integer(QStringLiteral("bytes_per_second"), 1, RuleFile::maxBytesPerSecond, error);
        if (!rate) {
            if (error->isEmpty())
                *error = QStringLiteral("%1: missing (throttle needs the most it forwards per second)")
                             .arg(field(QStringLiteral("bytes_per_second")));
            return false;
        }
        rule.bytesPerSecond = *rate;
        break;
    }
    default:
        break;
    }
    // Without "to": toward both ends when timed, else toward the end the matched message goes to.
    rule.towardsReceiver = !toGiven && !rule.isTimed();
    return true;
}

// Line and column (from 1) of a byte offset, for a parse error people can find in their editor.
std::pair<int, int> lineAndColumn(const QByteArray &text, qsizetype offset)
{
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < std::min(offset, text.size()); ++i) {
        if (text.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

} // namespace

std::shared_ptr<RuleSet> RuleFile::parse(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto [line, column] = lineAndColumn(json, parseError.offset);
        *error = QStringLiteral("not JSON: %1 at line %2, column %3 (offset %4)")
                     .arg(parseError.errorString())
                     .arg(line)
                     .arg(column)
                     .arg(parseError.offset);
        return nullptr;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("expected an object {\"rules\": [...]}, not an array");
        return nullptr;
    }
    const QJsonObject top = document.object();
    for (auto it = top.begin(); it != top.end(); ++it) {
        if (it.key() != QLatin1StringView("rules")) {
            *error = QStringLiteral("%1: unknown field (a rule file has only \"rules\")").arg(it.key());
            return nullptr;
        }
    }
    const QJsonValue rulesValue = top.value(QStringLiteral("rules"));
    if (rulesValue.isUndefined()) {
        *error = QStringLiteral("rules: missing (the list of rules)");
        return nullptr;
    }
    if (!rulesValue.isArray()) {
        *error = QStringLiteral("rules: expected an array, not %1").arg(jsonTypeName(rulesValue));
        return nullptr;
    }
    const QJsonArray array = rulesValue.toArray();
    QList<Rule> rules;
    rules.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue value = array.at(i);
        if (!value.isObject()) {
            *error = QStringLiteral("rules[%1]: expected an object, not %2").arg(i).arg(jsonTypeName(value));
            return nullptr;
        }
        const QJsonObject object = value.toObject();
        std::optional<Rule> rule = RuleReader(object, i).read(error);
        if (!rule)
            return nullptr;
        rules.append(std::move(*rule));
    }
    return std::make_shared<RuleSet>(std::move(rules));
}

std::shared_ptr<RuleSet> RuleFile::read(const QString &path, QString *error, QByteArray *document)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    constexpr qint64 maxFileBytes = 16 * 1024 * 1024;
    if (file.size() > maxFileBytes) {
        *error = QStringLiteral("%1 is %2 bytes, more than a rule file may be (%3)")
                     .arg(path)
                     .arg(file.size())
                     .arg(maxFileBytes);
        return nullptr;
    }
    const QByteArray json = file.readAll();
    if (document)
        *document = json;
    std::shared_ptr<RuleSet> rules = parse(json, error);
    if (!rules)
        *error = path + QStringLiteral(": ") + *error;
    return rules;
}

} // namespace wsi
