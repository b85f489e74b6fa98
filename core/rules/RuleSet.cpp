// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rules/RuleSet.h"

namespace wsi {

RuleSet::RuleSet(QList<Rule> rules)
    : m_rules(std::move(rules))
    , m_enabled(std::make_unique<std::atomic<bool>[]>(size_t(m_rules.size())))
{
    for (qsizetype i = 0; i < m_rules.size(); ++i)
        setEnabled(i, m_rules.at(i).enabledAtStart);
}

qsizetype RuleSet::firstMatch(Endpoint sender, quint8 opcode, const QString &text) const
{
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        if (isEnabled(i) && m_rules.at(i).matches(sender, opcode, text))
            return i;
    }
    return -1;
}

} // namespace wsi
