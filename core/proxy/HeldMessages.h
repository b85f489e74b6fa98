// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/HeldMessage.h"
#include "core/proxy/HoldDecision.h"

#include <QList>
#include <QMutex>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QObject;

namespace wsi {

// The messages pause rules hold, from every connection of a relay (ProxyOptions::heldMessages, shared by all of them),
// waiting for someone to forward, edit, drop or answer them: the window's held-messages view, or the command line's
// decisions on stdin.
//
// Thread-safe. The relay's thread lists a message (hold()) and takes it back without a decision when its timeout
// comes or its connection ends (withdraw()); any thread decides (decide()), and the decision runs on the relay's
// thread by a queued call on the relay object, so a decision for a connection that has gone is simply never run
// (the relay withdraws what it holds before it is destroyed, and the event loop discards calls queued on a deleted
// object). Whoever takes a message off the list first decides it: a decision and a timeout never both act.
//
// The lock guards a map of small entries (payloads are shared, not copied), so a reader on the GUI thread never
// waits for long behind the network thread. Changes are announced to one listener coalesced: one queued call at a
// time however many messages come and go until it runs (a pause rule on a busy connection holds message after
// message), and the listener paces its own refresh.
class HeldMessages final
{
public:
    // Runs on the relay's thread with what was decided about the message `id`.
    using Decided = std::function<void(quint64 id, const HoldDecision &decision)>;

    HeldMessages() = default;
    Q_DISABLE_COPY_MOVE(HeldMessages)

    // The relay's thread: lists `message` under a new id (returned, also set in the listed copy); `decided` will run
    // on `relay`'s thread, once, if someone decides before it is withdrawn.
    quint64 hold(HeldMessage message, QObject *relay, Decided decided);
    // The relay's thread: takes `id` off the list undecided (a timeout, the connection's end). False when a decision
    // came first: it is on its way to the relay, which must wait for it.
    bool withdraw(quint64 id);

    // Any thread: decides `id`. False when it is no longer held (decided, timed out, or its connection ended).
    bool decide(quint64 id, const HoldDecision &decision);

    // Any thread: what is held, oldest first.
    QList<HeldMessage> messages() const;
    std::optional<HeldMessage> message(quint64 id) const;
    qsizetype size() const;

    // `changed` runs on `context`'s thread after the list changed, at most one call queued at a time. Null context: no
    // listener. Reset it (to null) before `context` is destroyed.
    void setListener(QObject *context, std::function<void()> changed);

private:
    struct Entry {
        HeldMessage message;
        QObject *relay = nullptr;
        Decided decided;
    };
    void notifyLocked();

    mutable QMutex m_mutex;
    std::map<quint64, Entry> m_entries;
    quint64 m_nextId = 1;
    QObject *m_listenerContext = nullptr;
    std::function<void()> m_listener;
    // Shared with the queued call, which may run after the listener changed.
    std::shared_ptr<std::atomic<bool>> m_notifyQueued = std::make_shared<std::atomic<bool>>(false);
};

} // namespace wsi
