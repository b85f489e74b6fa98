// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/ProtocolDecoding.h"

#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/records/FrameLog.h"

#include <QThread>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace wsi {

ProtocolDecoding::ProtocolDecoding(std::shared_ptr<const FrameLog> log, QObject *parent)
    : QObject(parent)
    , m_log(std::move(log))
{
    m_pool.setMaxThreadCount(1); // the index has one writer
    m_pool.setObjectName(QStringLiteral("wsi-protocol-decoding"));
}

ProtocolDecoding::~ProtocolDecoding()
{
    m_stopping.store(true, std::memory_order_relaxed);
    m_pool.waitForDone(); // its queued advanced() calls die with this object
}

void ProtocolDecoding::setConnectionFacts(const ConnectionFacts &facts, std::optional<AppProtocol> forced)
{
    if (m_index)
        return;
    m_index = std::make_shared<DecodedMessageIndex>(facts, forced);
    follow();
}

void ProtocolDecoding::follow()
{
    if (!m_index || m_index->nextMessage() >= m_log->messageCount())
        return;
    if (m_running.exchange(true, std::memory_order_acq_rel))
        return; // the running task looks for new messages before it ends
    m_pool.start([this] { run(); });
}

void ProtocolDecoding::run()
{
    // Decoding yields to the session's network thread and the GUI thread: on a busy machine the Protocol column
    // fills later rather than frames coming in slower. Linux gives SCHED_OTHER threads no Qt priority, but a nice
    // value of their own (idle scheduling would starve decoding behind any niced build).
#if defined(Q_OS_LINUX)
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
    for (;;) {
        while (!m_stopping.load(std::memory_order_relaxed)) {
            const qsizetype available = m_log->messageCount();
            const qsizetype next = m_index->nextMessage();
            if (next >= available)
                break;
            const qsizetype before = m_index->summarisedMessages();
            m_index->advance(*m_log, std::min(available, next + sliceMessages));
            const qsizetype after = m_index->summarisedMessages();
            if (after > before) {
                QMetaObject::invokeMethod(
                    this, [this, before, after] { Q_EMIT advanced(before, after); }, Qt::QueuedConnection);
            }
        }
        m_running.store(false, std::memory_order_release);
        // follow() may have come between the last look and the store above, seen the task running and left.
        if (m_stopping.load(std::memory_order_relaxed) || m_index->nextMessage() >= m_log->messageCount() ||
            m_running.exchange(true, std::memory_order_acq_rel))
            return;
    }
}

void ProtocolDecoding::waitUntilIdle()
{
    follow();
    m_pool.waitForDone();
}

} // namespace wsi
