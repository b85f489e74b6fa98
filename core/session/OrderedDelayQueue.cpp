// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/OrderedDelayQueue.h"

#include <algorithm>

namespace wsi {
namespace {

constexpr qint64 nsPerMs = 1000000;

} // namespace

OrderedDelayQueue::OrderedDelayQueue(QObject *owner, Clock clock)
    : m_clock(std::move(clock))
    , m_timer(owner)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { runDue(); });
}

void OrderedDelayQueue::add(int delayMs, qint64 bytes, Work work)
{
    if (delayMs <= 0 && m_items.empty() && !isHeld() && !m_running) {
        work(false);
        return;
    }
    m_items.push_back({m_clock() + qint64(std::max(delayMs, 0)) * nsPerMs, bytes, std::move(work)});
    m_bytes += bytes;
    schedule();
}

void OrderedDelayQueue::hold(int ms)
{
    if (ms < 0)
        m_heldForever = true;
    else
        m_heldUntilNs = std::max(m_heldUntilNs, m_clock() + qint64(ms) * nsPerMs);
    schedule();
}

void OrderedDelayQueue::release()
{
    m_heldForever = false;
    m_heldUntilNs = 0;
    // Not at once: a release comes from inside the owner's own work (a frame being handled, a close under way).
    m_timer.start(0);
}

void OrderedDelayQueue::clear()
{
    m_items.clear();
    m_bytes = 0;
    m_heldForever = false;
    m_heldUntilNs = 0;
    m_timer.stop();
}

void OrderedDelayQueue::runAllNow()
{
    m_timer.stop();
    m_heldForever = false;
    m_heldUntilNs = 0;
    while (!m_items.empty()) {
        Item item = std::move(m_items.front());
        m_items.pop_front();
        m_bytes -= item.bytes;
        item.work(true);
    }
}

void OrderedDelayQueue::runDue()
{
    if (m_running)
        return;
    m_running = true;
    while (!m_items.empty() && !isHeld() && m_items.front().dueNs <= m_clock()) {
        Item item = std::move(m_items.front());
        m_items.pop_front();
        m_bytes -= item.bytes;
        // The work may add to this queue or clear it: it is off the queue before it runs.
        item.work(true);
    }
    m_running = false;
    schedule();
}

void OrderedDelayQueue::schedule()
{
    if (m_heldForever || (m_items.empty() && m_heldUntilNs <= m_clock())) {
        m_timer.stop();
        return;
    }
    const qint64 now = m_clock();
    qint64 dueNs = m_items.empty() ? m_heldUntilNs : std::max(m_items.front().dueNs, m_heldUntilNs);
    // Rounded up: a timer that fires a little early would find nothing due and go round again.
    m_timer.start(int(std::max<qint64>(0, (dueNs - now + nsPerMs - 1) / nsPerMs)));
}

} // namespace wsi
