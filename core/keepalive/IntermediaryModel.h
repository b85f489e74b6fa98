// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryKnob.h"
#include "core/keepalive/IntermediaryTimer.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// One intermediary of the catalog (resources/intermediaries.json): its knobs with their defaults, its timers
// (what resets each, what happens on expiry), timing precision, the source, and whether this project's tests check
// it against the real software. Plain data, so the simulator, the diagnosis and the live timeout proxy read the
// same definition.
struct IntermediaryModel {
    // L7 proxies terminate TCP: they see WebSocket bytes, never the TCP keepalive probes of either end, and a TCP
    // keepalive probe stops at them. L4 boxes see every packet of the one TCP connection crossing them.
    enum class Layer : quint8 { L4, L7 };

    QString id; // "nginx", "aws-alb" ...
    QString name;
    Layer layer = Layer::L7;
    // A re-armed deadline that moves by less than this keeps its old value (nginx: 300 ms, NGX_TIMER_LAZY_DELAY).
    qint64 precisionMs = 0;
    QString precisionNote;
    QString source;
    bool verifiedByTests = false;
    QStringList verifiedKnobs; // command-line names of the knobs the truth tests cover
    bool unverified = false;   // the whole entry's values are unverified in the reference
    QStringList notes;
    QList<IntermediaryKnob> knobs;
    QList<IntermediaryTimer> timers;

    bool isL4() const { return layer == Layer::L4; }
    // By real name, exactly as the timers refer to it.
    const IntermediaryKnob *knob(QStringView realName) const;
    qsizetype knobIndex(QStringView realName) const;
    // By command-line name or alias, case-insensitive.
    const IntermediaryKnob *knobForCli(QStringView written) const;
    QStringList cliKnobNames() const;

    // Reads one entry of the catalog; nullopt with a message naming the entry and field when something is missing
    // or unknown.
    static std::optional<IntermediaryModel> fromJson(const QJsonObject &object, QString *error);
};

} // namespace wsi
