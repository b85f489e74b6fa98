// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/ChainLink.h"

#include "core/keepalive/IntermediaryCatalog.h"
#include "core/text/DurationText.h"

namespace wsi {
namespace {

std::optional<qint64> parseFlag(QStringView text)
{
    for (const char *yes : {"1", "on", "yes", "true"}) {
        if (text.compare(QLatin1StringView(yes), Qt::CaseInsensitive) == 0)
            return 1;
    }
    for (const char *no : {"0", "off", "no", "false"}) {
        if (text.compare(QLatin1StringView(no), Qt::CaseInsensitive) == 0)
            return 0;
    }
    return std::nullopt;
}

} // namespace

ChainLink::ChainLink(IntermediaryModel model)
    : m_model(std::move(model))
{}

std::optional<qint64> ChainLink::value(const QString &knobName) const
{
    const auto it = m_overrides.constFind(knobName);
    if (it != m_overrides.constEnd())
        return *it;
    const IntermediaryKnob *knob = m_model.knob(knobName);
    return knob ? knob->defaultValue : std::nullopt;
}

QList<ChainLink::ActiveTimer> ChainLink::activeTimers() const
{
    QList<ActiveTimer> active;
    for (qsizetype i = 0; i < m_model.timers.size(); ++i) {
        const IntermediaryTimer &timer = m_model.timers.at(i);
        ActiveTimer resolved;
        resolved.timerIndex = i;
        resolved.kind = timer.kind;
        for (const QString &knob : timer.knobs) {
            const std::optional<qint64> v = value(knob);
            if (v) {
                resolved.knobIndex = m_model.knobIndex(knob);
                resolved.valueMs = *v;
                break;
            }
        }
        if (resolved.knobIndex < 0)
            continue; // no knob of this timer is set: the timer is off
        resolved.resetBy = timer.resetBy;
        for (const IntermediaryTimer::ResetOverride &o : timer.resetOverrides) {
            if (value(o.when.knob) == o.when.equals)
                resolved.resetBy = o.resetBy;
        }
        resolved.action = timer.action;
        for (const IntermediaryTimer::ActionOverride &o : timer.actionOverrides) {
            if (value(o.when.knob) == o.when.equals)
                resolved.action = o.action;
        }
        resolved.rstOnNextPacket = resolved.action == ExpiryAction::Drop && timer.rstOnNextPacket;
        active.append(resolved);
    }
    return active;
}

QStringList ChainLink::missingRequiredKnobs() const
{
    QStringList missing;
    for (const IntermediaryKnob &knob : m_model.knobs) {
        if (knob.required && !value(knob.name))
            missing.append(knob.cliName);
    }
    return missing;
}

QString ChainLink::describe() const
{
    QStringList changed;
    for (const IntermediaryKnob &knob : m_model.knobs) {
        if (!isOverridden(knob.name))
            continue;
        const std::optional<qint64> v = value(knob.name);
        changed.append(knob.cliName + u'=' +
                       (!v              ? QStringLiteral("none")
                        : knob.isFlag() ? QString::number(*v)
                                        : DurationText::format(*v).remove(u' ')));
    }
    return changed.isEmpty() ? m_model.id : m_model.id + u':' + changed.join(u',');
}

std::optional<ChainLink> ChainLink::parse(QStringView text, const IntermediaryCatalog &catalog, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<ChainLink> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const qsizetype colon = text.indexOf(u':');
    const QStringView id = colon < 0 ? text : text.first(colon);
    const IntermediaryModel *model = catalog.find(id);
    if (!model)
        return fail(
            QStringLiteral("unknown model '%1'; valid models: %2").arg(id, catalog.ids().join(QStringLiteral(", "))));
    ChainLink link(*model);
    if (colon < 0 || colon + 1 == text.size())
        return link;

    const QString validKnobs =
        model->knobs.isEmpty()
            ? QStringLiteral("%1 has no knobs").arg(model->id)
            : QStringLiteral("valid knobs of %1: %2").arg(model->id, model->cliKnobNames().join(QStringLiteral(", ")));
    for (const QStringView assignment : text.sliced(colon + 1).split(u',')) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals <= 0)
            return fail(QStringLiteral("'%1' in '%2': expected knob=value; %3").arg(assignment, text, validKnobs));
        const QStringView name = assignment.first(equals);
        const QStringView written = assignment.sliced(equals + 1);
        const IntermediaryKnob *knob = model->knobForCli(name);
        if (!knob)
            return fail(QStringLiteral("unknown knob '%1' for %2; %3").arg(name, model->id, validKnobs));
        if (knob->isFlag()) {
            const auto flag = parseFlag(written);
            if (!flag)
                return fail(QStringLiteral("%1:%2 '%3': expected 0 or 1 (on/off, yes/no)")
                                .arg(model->id, knob->cliName, written));
            link.setValue(knob->name, *flag);
            continue;
        }
        if (written == QLatin1StringView("none")) {
            link.setValue(knob->name, std::nullopt);
            continue;
        }
        QString durationError;
        const auto ms = DurationText::parseMs(written, &durationError, knob->plainUnit);
        if (!ms)
            return fail(QStringLiteral("%1:%2 %3").arg(model->id, knob->cliName, durationError));
        if (*ms <= 0)
            return fail(QStringLiteral("%1:%2 must be greater than 0 (write none to turn it off)")
                            .arg(model->id, knob->cliName));
        if (!knob->rangeUnverified && ((knob->minMs && *ms < *knob->minMs) || (knob->maxMs && *ms > *knob->maxMs)))
            return fail(QStringLiteral("%1:%2 %3 is outside the documented range %4 to %5")
                            .arg(model->id, knob->cliName, DurationText::format(*ms),
                                 DurationText::format(knob->minMs.value_or(0)),
                                 knob->maxMs ? DurationText::format(*knob->maxMs) : QStringLiteral("unlimited")));
        link.setValue(knob->name, *ms);
    }
    return link;
}

} // namespace wsi
