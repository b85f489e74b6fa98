// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rules/TimedRuleTimers.h"

#include "core/rules/RuleSet.h"

#include <QTimer>

namespace wsi {

QList<QTimer *> TimedRuleTimers::start(const RuleSet &rules, QObject *owner, const std::function<bool(qsizetype)> &turn)
{
    QList<QTimer *> timers;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const Rule &rule = rules.rule(i);
        if (!rule.isTimed())
            continue;
        auto *timer = new QTimer(owner);
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer); // a fake heartbeat every_ms apart, not a coarse 5 % later
        const int everyMs = rule.everyMs;
        QObject::connect(timer, &QTimer::timeout, owner, [timer, i, everyMs, turn] {
            if (turn(i) && everyMs > 0)
                timer->start(everyMs);
        });
        timer->start(rule.afterMs >= 0 ? rule.afterMs : rule.everyMs);
        timers.append(timer);
    }
    return timers;
}

} // namespace wsi
