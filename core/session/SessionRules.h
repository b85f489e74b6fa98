// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameRuleMarks.h"
#include "core/rules/RuleSet.h"

#include <QByteArrayView>
#include <QList>
#include <QMutex>

#include <memory>
#include <vector>

namespace wsi {

// The rules of one of our own sessions (SessionOptions::rules) and the record of what they did, readable from any
// thread. On a session a rule acts on what our client sends ("from": "client") before it reaches the socket, and on
// what it receives ("from": "server") after it was read and recorded, before the client acts on it:
// - drop: a message of ours is never written (kept here as an Unsent, since no frame records it); a received one
//   is recorded as it arrived and the client ignores it: no auto-pong for a ping, no reply for the heartbeat, nothing
//   for the protocol speaker;
// - delay: ours is written ms later, received ones reach the client ms later, each direction in order;
// - no-pong / delay-pong: our pongs (the answers to the server's pings) are not written or written late; the server's
//   pongs (answers to ours) are not seen by the heartbeat or seen late;
// - stall: toward the client, our client stops reading the socket for ms (or until the connection ends), so the
//   server's writes fill the TCP window and then its buffers; toward the server, nothing of ours is written meanwhile;
// - replace ("from": "client" only): our message goes out edited; what it was is kept as an Unsent with the rule;
// - inject ("to": "server" only): our client sends the rule's message, after a matched message or timed from the
//   upgrade, its frames flagged Injected.
// The other actions act on a relay between two ends and are refused (refusal()). Every frame a rule acted on is
// marked with it in the session's FrameRuleMarks (marks(), the same marks a relay keeps, which SessionRecords carry to
// the recording, the exports and the views; ruleOfFrame()): nothing a rule did is hidden from the records.
class SessionRules final
{
public:
    // A message (or ping, pong) our client meant to send that a rule dropped, or sent edited (replace).
    struct Unsent {
        qint64 timeNs = 0;
        qsizetype rule = -1;
        quint8 opcode = 0;
        qint64 length = 0;
        QByteArray preview; // its first previewBytes bytes
    };
    static constexpr qsizetype previewBytes = 64;

    // `log` is the session's: a message's marks cover its own frames only (FrameRuleMarks::markMessage()).
    SessionRules(std::shared_ptr<RuleSet> rules, std::shared_ptr<const FrameLog> log);
    Q_DISABLE_COPY_MOVE(SessionRules)

    // Why these rules cannot run on a session (the first rule that cannot, by index, field and reason), or empty.
    static QString refusal(const RuleSet &rules);
    // "pass, drop, delay, ...": the actions a session takes.
    static QString sessionActions();

    // Any thread.
    const RuleSet &set() const noexcept { return *m_rules; }
    const std::shared_ptr<const FrameRuleMarks> &marks() const noexcept { return m_constMarks; }
    const Rule *ruleOfFrame(qsizetype frameIndex) const;
    qsizetype unsentCount() const;
    QList<Unsent> unsent(qsizetype from) const;

    // The session's thread.
    // The first enabled rule that matches a message, ping or pong from `sender`, or -1.
    qsizetype firstMatch(Endpoint sender, quint8 opcode, QByteArrayView payload) const;
    void markFrames(qsizetype first, qsizetype last, qsizetype rule);
    // A replace rule's edit of a message (its `with` for each `match`, or its JSON path set or removed).
    static QByteArray replaced(const Rule &rule, quint8 opcode, const QByteArray &payload);
    void noteUnsent(const Unsent &unsent);

private:
    std::shared_ptr<RuleSet> m_rules;
    std::shared_ptr<const FrameLog> m_log;
    std::shared_ptr<FrameRuleMarks> m_marks;            // any thread (its own lock)
    std::shared_ptr<const FrameRuleMarks> m_constMarks; // the same, for readers
    mutable QMutex m_mutex;                             // guards m_unsent for readers on other threads
    QList<Unsent> m_unsent;
};

} // namespace wsi
