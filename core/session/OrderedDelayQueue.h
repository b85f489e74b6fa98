// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTimer>

#include <deque>
#include <functional>

namespace wsi {

// Work held back in order, as a slow path holds what crosses it: each item runs when its time has come and every
// item before it has run, so a delayed message keeps the ones after it behind it and nothing is reordered. A hold
// (a stall) keeps everything waiting until it ends. Items count their bytes, so that their owner can bound what waits.
//
// The owner's thread only: its timer is a child of the owner, so it moves with it to the thread the owner runs on
// (the window's sessions run on a network thread).
class OrderedDelayQueue final
{
public:
    using Clock = std::function<qint64()>; // ns, the owner's clock

    OrderedDelayQueue(QObject *owner, Clock clock);
    Q_DISABLE_COPY_MOVE(OrderedDelayQueue)

    // Runs `work` delayMs from now, after everything already waiting: at once (before returning, late = false) when
    // nothing waits, nothing holds and delayMs is 0; else later from the event loop (late = true).
    using Work = std::function<void(bool late)>;
    void add(int delayMs, qint64 bytes, Work work);
    // Holds everything for ms (-1: until release()); a longer hold already running stands.
    void hold(int ms);
    // Ends a hold; what is due runs on the event loop's next turn.
    void release();
    // Forgets everything waiting and any hold.
    void clear();
    // Runs everything waiting at once, in order (late = true), whatever holds it: the owner is ending.
    void runAllNow();

    bool isHeld() const noexcept { return m_heldForever || m_heldUntilNs > m_clock(); }
    bool isHeldUntilReleased() const noexcept { return m_heldForever; }
    bool isEmpty() const noexcept { return m_items.empty(); }
    qint64 bytesWaiting() const noexcept { return m_bytes; }

private:
    struct Item {
        qint64 dueNs = 0;
        qint64 bytes = 0;
        Work work;
    };
    void runDue();
    void schedule();

    Clock m_clock;
    std::deque<Item> m_items;
    QTimer m_timer;
    qint64 m_bytes = 0;
    qint64 m_heldUntilNs = 0;
    bool m_heldForever = false;
    bool m_running = false;
};

} // namespace wsi
