// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameRuleMarks.h"
#include "core/rules/Rule.h"

#include <QJsonArray>
#include <QList>

#include <atomic>
#include <memory>

namespace wsi {

// The rules a relay applies to every message of every connection, in order: the first rule that is switched on and
// matches decides, and a message no rule matches passes. One set is shared by all the connections of a relay
// (through a shared_ptr): the rules never change once read, and whether each is on is a flag any thread may flip
// while connections run (the window's switches, a test), read by the connections' thread at each message.
class RuleSet final
{
public:
    explicit RuleSet(QList<Rule> rules);
    Q_DISABLE_COPY_MOVE(RuleSet)

    qsizetype size() const noexcept { return m_rules.size(); }
    bool isEmpty() const noexcept { return m_rules.isEmpty(); }
    const Rule &rule(qsizetype index) const { return m_rules.at(index); }

    // Any thread.
    bool isEnabled(qsizetype index) const noexcept { return m_enabled[size_t(index)].load(std::memory_order_relaxed); }
    void setEnabled(qsizetype index, bool enabled) noexcept
    {
        m_enabled[size_t(index)].store(enabled, std::memory_order_relaxed);
    }

    // Each rule as {"name", "action", "enabled"}: what the relays print and record of the rules they run.
    QJsonArray toJson() const;
    // Each rule by name and action, in order: the names of the marks of the frames the rules act on.
    QList<FrameRuleMarks::RuleName> markNames() const;
    // "redact (replace), rules[1] (delay, off)": the rules in a line for people.
    QString describe() const;

    // The index of the first enabled rule that matches, or -1, counted in its matchCount(). (Pong rules match only
    // pongs: RuleFile gives them the opcode pong.)
    qsizetype firstMatch(Endpoint sender, quint8 opcode, const QString &text,
                         const DecodedMessages *decoded = nullptr) const;
    // The same for a message's (or a control frame's) payload: its text (Rule::textOf()) is made only when a rule that
    // may match the sender has a regular expression, so rules without one cost no conversion.
    qsizetype firstMatchOfPayload(Endpoint sender, quint8 opcode, QByteArrayView payload,
                                  const DecodedMessages *decoded = nullptr) const;
    // How many messages (and control frames) firstMatch() gave to rule `index` since the set was read, over every
    // connection that runs it: what the window shows next to each rule, read from any thread whenever it likes, so
    // nothing is signalled per message.
    quint64 matchCount(qsizetype index) const noexcept
    {
        return m_matched[size_t(index)].load(std::memory_order_relaxed);
    }
    // Whether any rule matches on the decoded application protocol (or on pongs, which include its heartbeat
    // answers): only then does a relay decode its messages.
    bool needsDecoding() const noexcept { return m_needsDecoding; }

private:
    QList<Rule> m_rules;
    std::unique_ptr<std::atomic<bool>[]> m_enabled;
    std::unique_ptr<std::atomic<quint64>[]> m_matched; // counted by the const firstMatch(): the pointer stays const
    bool m_needsDecoding = false;
};

} // namespace wsi
