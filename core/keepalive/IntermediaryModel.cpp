// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryModel.h"

#include <QJsonArray>

#include <cmath>

namespace wsi {
namespace {

// A small reader that remembers the first problem, so fromJson reads like the data it checks.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString where)
        : m_object(object)
        , m_where(std::move(where))
    {}

    QString string(const char *field, bool required = true)
    {
        const QJsonValue value = m_object.value(QLatin1StringView(field));
        if (value.isString())
            return value.toString();
        if (required || !value.isUndefined())
            fail(field, QStringLiteral("a string"));
        return {};
    }
    bool boolean(const char *field, bool fallback)
    {
        const QJsonValue value = m_object.value(QLatin1StringView(field));
        if (value.isUndefined())
            return fallback;
        if (!value.isBool())
            fail(field, QStringLiteral("true or false"));
        return value.toBool();
    }
    // Seconds as a JSON number -> milliseconds; null or absent -> nullopt.
    std::optional<qint64> secondsMs(const char *field, bool mustBePresent)
    {
        const QJsonValue value = m_object.value(QLatin1StringView(field));
        if (value.isNull() || (value.isUndefined() && !mustBePresent))
            return std::nullopt;
        if (!value.isDouble() || value.toDouble() < 0) {
            fail(field, QStringLiteral("a number of seconds or null"));
            return std::nullopt;
        }
        return qint64(std::llround(value.toDouble() * 1000.0));
    }
    QStringList strings(const char *field)
    {
        QStringList out;
        const QJsonValue value = m_object.value(QLatin1StringView(field));
        if (value.isUndefined())
            return out;
        if (!value.isArray()) {
            fail(field, QStringLiteral("an array of strings"));
            return out;
        }
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                fail(field, QStringLiteral("an array of strings"));
            out.append(item.toString());
        }
        return out;
    }
    void fail(const char *field, const QString &expected)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: field \"%2\" must be %3").arg(m_where, QLatin1StringView(field), expected);
    }
    void failWith(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = m_where + QStringLiteral(": ") + message;
    }
    // A nested reader's message, which already says where.
    void adopt(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }
    const QString &error() const { return m_error; }
    const QJsonObject &object() const { return m_object; }

private:
    QJsonObject m_object;
    QString m_where;
    QString m_error;
};

std::optional<KnobCondition> readCondition(const QJsonObject &object, const IntermediaryModel &model, FieldReader &r)
{
    KnobCondition condition;
    condition.knob = object.value(QStringLiteral("knob")).toString();
    if (!model.knob(condition.knob)) {
        r.failWith(QStringLiteral("a condition names the unknown knob '%1'").arg(condition.knob));
        return std::nullopt;
    }
    condition.equals = object.value(QStringLiteral("equals")).toInteger();
    return condition;
}

IntermediaryKnob readKnob(const QJsonObject &object, const QString &where, FieldReader &parent)
{
    FieldReader r(object, where);
    IntermediaryKnob knob;
    knob.name = r.string("name");
    knob.cliName = r.string("cli");
    knob.aliases = r.strings("aliases");
    const QString type = r.string("type");
    if (type == QLatin1StringView("flag")) {
        knob.type = IntermediaryKnob::Type::Flag;
        const QJsonValue value = object.value(QStringLiteral("default"));
        if (!value.isDouble())
            r.fail("default", QStringLiteral("0 or 1"));
        knob.defaultValue = value.toInteger();
    } else if (type == QLatin1StringView("duration")) {
        knob.type = IntermediaryKnob::Type::Duration;
        knob.defaultValue = r.secondsMs("default_s", true);
    } else {
        r.fail("type", QStringLiteral("\"duration\" or \"flag\""));
    }
    knob.minMs = r.secondsMs("min_s", false);
    knob.maxMs = r.secondsMs("max_s", false);
    knob.rangeUnverified = r.boolean("range_unverified", false);
    knob.defaultUnverified = r.boolean("default_unverified", false);
    knob.required = r.boolean("required", false);
    knob.afterUpgrade = r.boolean("after_upgrade", true);
    const QString plainUnit = r.string("plain_unit", false);
    if (plainUnit == QLatin1StringView("min"))
        knob.plainUnit = DurationText::PlainUnit::Minutes;
    else if (!plainUnit.isEmpty() && plainUnit != QLatin1StringView("s"))
        r.fail("plain_unit", QStringLiteral("\"s\" or \"min\""));
    const QJsonValue configurable = object.value(QStringLiteral("configurable"));
    knob.configurable = configurable.isString() ? configurable.toString()
                        : configurable.isBool() ? (configurable.toBool() ? QStringLiteral("yes") : QStringLiteral("no"))
                                                : QStringLiteral("yes");
    knob.configKey = r.string("config_key", false);
    knob.annotation = r.string("annotation", false);
    knob.description = r.string("description");
    if (knob.required && knob.defaultValue)
        r.failWith(QStringLiteral("a required knob has no default"));
    if (!r.error().isEmpty())
        parent.adopt(r.error());
    return knob;
}

} // namespace

const IntermediaryKnob *IntermediaryModel::knob(QStringView realName) const
{
    const qsizetype index = knobIndex(realName);
    return index < 0 ? nullptr : &knobs.at(index);
}

qsizetype IntermediaryModel::knobIndex(QStringView realName) const
{
    for (qsizetype i = 0; i < knobs.size(); ++i) {
        if (knobs.at(i).name == realName)
            return i;
    }
    return -1;
}

const IntermediaryKnob *IntermediaryModel::knobForCli(QStringView written) const
{
    for (const IntermediaryKnob &candidate : knobs) {
        if (candidate.answersTo(written))
            return &candidate;
    }
    return nullptr;
}

QStringList IntermediaryModel::cliKnobNames() const
{
    QStringList names;
    for (const IntermediaryKnob &candidate : knobs)
        names.append(candidate.cliName);
    return names;
}

std::optional<IntermediaryModel> IntermediaryModel::fromJson(const QJsonObject &object, QString *error)
{
    const QString id = object.value(QStringLiteral("id")).toString();
    FieldReader r(object, QStringLiteral("intermediary '%1'").arg(id.isEmpty() ? QStringLiteral("?") : id));
    IntermediaryModel model;
    model.id = r.string("id");
    model.name = r.string("name");
    const QString layer = r.string("layer");
    if (layer == QLatin1StringView("l4"))
        model.layer = Layer::L4;
    else if (layer == QLatin1StringView("l7"))
        model.layer = Layer::L7;
    else
        r.fail("layer", QStringLiteral("\"l4\" or \"l7\""));
    model.precisionMs = object.value(QStringLiteral("precision_ms")).toInteger(-1);
    if (model.precisionMs < 0)
        r.fail("precision_ms", QStringLiteral("a number of milliseconds (0 when exact)"));
    model.precisionNote = r.string("precision_note", false);
    model.source = r.string("source");
    if (!object.value(QStringLiteral("verified_by_tests")).isBool())
        r.fail("verified_by_tests", QStringLiteral("true or false"));
    model.verifiedByTests = r.boolean("verified_by_tests", false);
    model.verifiedKnobs = r.strings("verified_knobs");
    model.unverified = r.boolean("unverified", false);
    model.notes = r.strings("notes");

    const QJsonValue knobs = object.value(QStringLiteral("knobs"));
    const QJsonValue timers = object.value(QStringLiteral("timers"));
    if (!knobs.isArray())
        r.fail("knobs", QStringLiteral("an array"));
    if (!timers.isArray())
        r.fail("timers", QStringLiteral("an array"));
    for (const QJsonValue &value : knobs.toArray())
        model.knobs.append(readKnob(value.toObject(), QStringLiteral("intermediary '%1', knob").arg(model.id), r));

    for (const QJsonValue &value : timers.toArray()) {
        const QJsonObject t = value.toObject();
        FieldReader tr(
            t, QStringLiteral("intermediary '%1', timer '%2'").arg(model.id, t.value(QStringLiteral("id")).toString()));
        IntermediaryTimer timer;
        timer.id = tr.string("id");
        const auto kind = IntermediaryTimer::kindFromName(tr.string("kind"));
        if (!kind)
            tr.fail("kind", QStringLiteral("idle, lifetime, stall_to_client or stall_to_server"));
        timer.kind = kind.value_or(TimerKind::Idle);
        timer.knobs = tr.strings("knobs");
        if (timer.knobs.isEmpty())
            tr.fail("knobs", QStringLiteral("a non-empty array of knob names"));
        for (const QString &name : std::as_const(timer.knobs)) {
            const IntermediaryKnob *knob = model.knob(name);
            if (!knob || knob->isFlag())
                tr.failWith(QStringLiteral("'%1' is not a duration knob of this model").arg(name));
        }
        if (timer.kind == TimerKind::Idle) {
            const auto rule = IntermediaryTimer::resetRuleFromName(tr.string("reset_by"));
            if (!rule)
                tr.fail("reset_by", QStringLiteral("payload_either, data_either, packets_either, reads_from_client or "
                                                   "reads_from_server"));
            timer.resetBy = rule.value_or(ResetRule::PayloadEither);
        }
        const auto action = IntermediaryTimer::actionFromName(tr.string("action"));
        if (!action)
            tr.fail("action", QStringLiteral("fin, rst or drop"));
        timer.action = action.value_or(ExpiryAction::Fin);
        for (const QJsonValue &o : t.value(QStringLiteral("reset_by_if")).toArray()) {
            const auto condition = readCondition(o.toObject(), model, tr);
            const auto rule =
                IntermediaryTimer::resetRuleFromName(o.toObject().value(QStringLiteral("reset_by")).toString());
            if (!rule)
                tr.fail("reset_by_if", QStringLiteral("a list of {knob, equals, reset_by}"));
            if (condition && rule)
                timer.resetOverrides.append({*condition, *rule});
        }
        for (const QJsonValue &o : t.value(QStringLiteral("action_if")).toArray()) {
            const auto condition = readCondition(o.toObject(), model, tr);
            const auto overridden =
                IntermediaryTimer::actionFromName(o.toObject().value(QStringLiteral("action")).toString());
            if (!overridden)
                tr.fail("action_if", QStringLiteral("a list of {knob, equals, action}"));
            if (condition && overridden)
                timer.actionOverrides.append({*condition, *overridden});
        }
        const QString nextPacket = tr.string("on_next_packet", false);
        timer.rstOnNextPacket = nextPacket == QLatin1StringView("rst");
        if (!nextPacket.isEmpty() && !timer.rstOnNextPacket)
            tr.fail("on_next_packet", QStringLiteral("\"rst\""));
        timer.rstOnNextPacketUnverified = tr.boolean("on_next_packet_unverified", false);
        timer.logFlags = tr.string("log_flags", false);
        timer.onExpiry = tr.string("on_expiry");
        if (!tr.error().isEmpty())
            r.adopt(tr.error());
        model.timers.append(timer);
    }
    for (const QString &verified : std::as_const(model.verifiedKnobs)) {
        if (!model.knobForCli(verified))
            r.failWith(QStringLiteral("verified_knobs names the unknown knob '%1'").arg(verified));
    }
    if (!model.verifiedByTests && !model.verifiedKnobs.isEmpty())
        r.failWith(QStringLiteral("verified_knobs without verified_by_tests"));

    if (!r.error().isEmpty()) {
        if (error)
            *error = r.error();
        return std::nullopt;
    }
    return model;
}

} // namespace wsi
