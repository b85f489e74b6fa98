// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/SessionRules.h"

#include "core/protocol/Opcode.h"

namespace wsi {
namespace {

// Past this many, dropped messages are counted no more one by one (a rule dropping a flood).
constexpr qsizetype maxUnsentKept = 100000;

bool sessionTakes(Rule::Action action)
{
    switch (action) {
    case Rule::Action::Pass:
    case Rule::Action::Drop:
    case Rule::Action::Delay:
    case Rule::Action::NoPong:
    case Rule::Action::DelayPong:
    case Rule::Action::Stall:
    case Rule::Action::Replace:
    case Rule::Action::Inject:
        return true;
    default:
        return false;
    }
}

} // namespace

SessionRules::SessionRules(std::shared_ptr<RuleSet> rules, std::shared_ptr<const FrameLog> log)
    : m_rules(std::move(rules))
    , m_log(std::move(log))
    , m_marks(std::make_shared<FrameRuleMarks>(m_rules->markNames()))
    , m_constMarks(m_marks)
{}

QString SessionRules::sessionActions()
{
    return QStringLiteral("pass, drop, delay, no-pong, delay-pong, stall, replace (from the client), inject (to the "
                          "server)");
}

QString SessionRules::refusal(const RuleSet &rules)
{
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const Rule &rule = rules.rule(i);
        const QString where = QStringLiteral("rules[%1]").arg(i);
        if (!sessionTakes(rule.action))
            return QStringLiteral("%1.action: \"%2\" acts on a relay between two ends; a session can use %3")
                .arg(where, Rule::actionName(rule.action), sessionActions());
        // Our client writes what it sends, and nothing else: it can edit its own messages and add messages of its
        // own, but what the server sent has been sent.
        if (rule.action == Rule::Action::Replace && rule.from != Endpoint::Client)
            return QStringLiteral("%1.from: replace on a session edits what our client sends: it needs \"from\": "
                                  "\"client\"")
                .arg(where);
        if (rule.action == Rule::Action::Inject && rule.to != Rule::Target::Server)
            return QStringLiteral("%1.to: inject on a session sends a message of our client's own: it needs \"to\": "
                                  "\"server\"")
                .arg(where);
        if (rule.opcode == Opcodes::value(Opcode::Close))
            return QStringLiteral("%1.opcode: \"close\": a session's Close frames belong to its closing handshake; "
                                  "its rules act on messages, pings and pongs")
                .arg(where);
        if (rule.needsDecoding())
            return QStringLiteral("%1.%2: a session's rules match the message's text (\"match\"), not its decoded "
                                  "application protocol")
                .arg(where, rule.protocol         ? QStringLiteral("protocol")
                            : rule.kind.isEmpty() ? QStringLiteral("subject")
                                                  : QStringLiteral("kind"));
    }
    return {};
}

const Rule *SessionRules::ruleOfFrame(qsizetype frameIndex) const
{
    const qsizetype rule = m_marks->ruleIndexOf(frameIndex);
    return rule >= 0 ? &m_rules->rule(rule) : nullptr;
}

qsizetype SessionRules::unsentCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_unsent.size();
}

QList<SessionRules::Unsent> SessionRules::unsent(qsizetype from) const
{
    QMutexLocker lock(&m_mutex);
    return from >= m_unsent.size() ? QList<Unsent>() : m_unsent.sliced(std::max<qsizetype>(from, 0));
}

qsizetype SessionRules::firstMatch(Endpoint sender, quint8 opcode, QByteArrayView payload) const
{
    // The text rules match (Rule::matches()): a binary message's bytes as Latin-1, so \x00 matches a zero byte.
    const QString text =
        opcode == Opcodes::value(Opcode::Binary) ? QString::fromLatin1(payload) : QString::fromUtf8(payload);
    return m_rules->firstMatch(sender, opcode, text);
}

QByteArray SessionRules::replaced(const Rule &rule, quint8 opcode, const QByteArray &payload)
{
    if (rule.path) {
        // Not JSON, or not the place the path names: it goes as it was (marked with the rule that let it).
        const std::optional<QByteArray> edited =
            rule.value.isEmpty() ? rule.path->remove(payload) : rule.path->set(payload, rule.value);
        return edited.value_or(payload);
    }
    const bool binary = opcode == Opcodes::value(Opcode::Binary);
    QString text = binary ? QString::fromLatin1(payload) : QString::fromUtf8(payload);
    text.replace(rule.match, rule.with);
    return binary ? text.toLatin1() : text.toUtf8();
}

void SessionRules::markFrames(qsizetype first, qsizetype last, qsizetype rule)
{
    m_marks->markMessage(*m_log, first, last, rule);
}

void SessionRules::noteUnsent(const Unsent &unsent)
{
    QMutexLocker lock(&m_mutex);
    if (m_unsent.size() < maxUnsentKept)
        m_unsent.append(unsent);
}

} // namespace wsi
