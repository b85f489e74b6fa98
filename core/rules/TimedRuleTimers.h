// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QtGlobal>

#include <functional>

class QObject;
class QTimer;

namespace wsi {

class RuleSet;

// The timers of a RuleSet's timed rules (Rule::isTimed(): "after_ms" once, "every_ms" again and again), counted from
// the moment they start (the upgrade), for a relay's connection and a session alike. Each turn calls `turn` with the
// rule's index; it acts or not (a rule switched off skips its turn) and says whether the rule's timer goes on (false
// once its connection has ended). The timers are children of `owner` and go with it.
class TimedRuleTimers final
{
public:
    TimedRuleTimers() = delete;

    static QList<QTimer *> start(const RuleSet &rules, QObject *owner, const std::function<bool(qsizetype)> &turn);
};

} // namespace wsi
