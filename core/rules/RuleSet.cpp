// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rules/RuleSet.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace wsi {

RuleSet::RuleSet(QList<Rule> rules)
    : m_rules(std::move(rules))
    , m_enabled(std::make_unique<std::atomic<bool>[]>(size_t(m_rules.size())))
    , m_matched(std::make_unique<std::atomic<quint64>[]>(size_t(m_rules.size())))
{
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        setEnabled(i, m_rules.at(i).enabledAtStart);
        // Pong rules take the protocol's heartbeat answers too: decoded, they can be told apart.
        m_needsDecoding |= m_rules.at(i).needsDecoding() || m_rules.at(i).actsOnPongs();
    }
}

QJsonArray RuleSet::toJson() const
{
    QJsonArray rules;
    for (qsizetype i = 0; i < m_rules.size(); ++i)
        rules.append(QJsonObject{{QStringLiteral("name"), m_rules.at(i).name},
                                 {QStringLiteral("action"), Rule::actionName(m_rules.at(i).action)},
                                 {QStringLiteral("enabled"), isEnabled(i)}});
    return rules;
}

QList<FrameRuleMarks::RuleName> RuleSet::markNames() const
{
    QList<FrameRuleMarks::RuleName> names;
    names.reserve(m_rules.size());
    for (const Rule &rule : m_rules)
        names.append({rule.name, Rule::actionName(rule.action)});
    return names;
}

QString RuleSet::describe() const
{
    QStringList each;
    for (qsizetype i = 0; i < m_rules.size(); ++i)
        each.append(QStringLiteral("%1 (%2%3)")
                        .arg(m_rules.at(i).name, Rule::actionName(m_rules.at(i).action),
                             isEnabled(i) ? QString() : QStringLiteral(", off")));
    return each.join(QStringLiteral(", "));
}

qsizetype RuleSet::firstMatch(Endpoint sender, quint8 opcode, const QString &text, const DecodedMessages *decoded) const
{
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        if (isEnabled(i) && m_rules.at(i).matches(sender, opcode, text, decoded)) {
            m_matched[size_t(i)].fetch_add(1, std::memory_order_relaxed);
            return i;
        }
    }
    return -1;
}

qsizetype RuleSet::firstMatchOfPayload(Endpoint sender, quint8 opcode, QByteArrayView payload,
                                       const DecodedMessages *decoded) const
{
    std::optional<QString> text;
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        if (!isEnabled(i))
            continue;
        const Rule &rule = m_rules.at(i);
        if (!text && !rule.match.pattern().isEmpty() && (!rule.from || *rule.from == sender))
            text = Rule::textOf(opcode, payload);
        if (rule.matches(sender, opcode, text ? *text : QString(), decoded)) {
            m_matched[size_t(i)].fetch_add(1, std::memory_order_relaxed);
            return i;
        }
    }
    return -1;
}

} // namespace wsi
