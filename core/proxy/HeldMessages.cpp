// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/HeldMessages.h"

#include <QMetaObject>
#include <QMutexLocker>
#include <QObject>

namespace wsi {

quint64 HeldMessages::hold(HeldMessage message, QObject *relay, Decided decided)
{
    QMutexLocker lock(&m_mutex);
    const quint64 id = m_nextId++;
    message.id = id;
    m_entries.emplace(id, Entry{std::move(message), relay, std::move(decided)});
    notifyLocked();
    return id;
}

bool HeldMessages::withdraw(quint64 id)
{
    QMutexLocker lock(&m_mutex);
    if (m_entries.erase(id) == 0)
        return false;
    notifyLocked();
    return true;
}

bool HeldMessages::decide(quint64 id, const HoldDecision &decision)
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_entries.find(id);
    if (found == m_entries.end())
        return false;
    Entry entry = std::move(found->second);
    m_entries.erase(found);
    // Queued while the lock is held: the relay withdraws under this lock before it goes, so it is alive now, and a
    // call queued on it is discarded if it goes before the call runs.
    QMetaObject::invokeMethod(
        entry.relay, [decided = std::move(entry.decided), id, decision] { decided(id, decision); },
        Qt::QueuedConnection);
    notifyLocked();
    return true;
}

QList<HeldMessage> HeldMessages::messages() const
{
    QMutexLocker lock(&m_mutex);
    QList<HeldMessage> held;
    held.reserve(qsizetype(m_entries.size()));
    for (const auto &[id, entry] : m_entries)
        held.append(entry.message);
    return held;
}

std::optional<HeldMessage> HeldMessages::message(quint64 id) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_entries.find(id);
    if (found == m_entries.end())
        return std::nullopt;
    return found->second.message;
}

qsizetype HeldMessages::size() const
{
    QMutexLocker lock(&m_mutex);
    return qsizetype(m_entries.size());
}

void HeldMessages::setListener(QObject *context, std::function<void()> changed)
{
    QMutexLocker lock(&m_mutex);
    m_listenerContext = context;
    m_listener = context ? std::move(changed) : std::function<void()>();
    // A call queued for the previous listener may still run (or be discarded with its context); the new one starts
    // with a call of its own, so it sees what is held now.
    m_notifyQueued = std::make_shared<std::atomic<bool>>(false);
    if (context)
        notifyLocked();
}

void HeldMessages::notifyLocked()
{
    if (!m_listenerContext || m_notifyQueued->exchange(true))
        return;
    QMetaObject::invokeMethod(
        m_listenerContext,
        [queued = m_notifyQueued, listener = m_listener] {
            queued->store(false);
            listener();
        },
        Qt::QueuedConnection);
}

} // namespace wsi
