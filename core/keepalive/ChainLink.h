// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryModel.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

class IntermediaryCatalog;

// One intermediary in a chain: a catalog model plus the knob values the user changed. Resolves the model's timers
// into what actually runs (which knob applies, its value, what resets it, what happens on expiry), so the
// simulator and the live timeout proxy make the same decisions from the same data.
class ChainLink
{
public:
    // A timer of this link as configured: only timers with a value appear (HAProxy's are all unset by default).
    struct ActiveTimer {
        qsizetype timerIndex = -1; // into model().timers
        qsizetype knobIndex = -1;  // into model().knobs: the knob that set the value
        TimerKind kind = TimerKind::Idle;
        qint64 valueMs = 0;
        ResetRule resetBy = ResetRule::PayloadEither;
        ExpiryAction action = ExpiryAction::Fin;
        bool rstOnNextPacket = false;
    };

    ChainLink() = default;
    explicit ChainLink(IntermediaryModel model);

    const IntermediaryModel &model() const { return m_model; }
    // The value in effect (override, else default), by real knob name; nullopt when unset.
    std::optional<qint64> value(const QString &knobName) const;
    bool isOverridden(const QString &knobName) const { return m_overrides.contains(knobName); }
    // nullopt unsets the knob ("none").
    void setValue(const QString &knobName, std::optional<qint64> value) { m_overrides.insert(knobName, value); }

    QList<ActiveTimer> activeTimers() const;
    // Knobs the model needs but has no value for (the generic NAT's mapping timeout).
    QStringList missingRequiredKnobs() const;
    // "nginx" or "nginx:proxy_read_timeout=30 s" as written back for people.
    QString describe() const;

    // "MODEL[:knob=value,...]". Knob names are the command-line names (real names with spaces, dashes and dots
    // written as underscores), case-insensitive; values are durations (2s, 500ms, 5m, plain seconds), "none" to
    // unset, or 0/1/on/off/yes/no/true/false for flags. Errors list the valid models or knobs.
    static std::optional<ChainLink> parse(QStringView text, const IntermediaryCatalog &catalog, QString *error);

private:
    IntermediaryModel m_model;
    QHash<QString, std::optional<qint64>> m_overrides;
};

} // namespace wsi
