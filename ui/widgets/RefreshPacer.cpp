// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/RefreshPacer.h"

namespace wsi {

RefreshPacer::RefreshPacer(std::function<void()> refresh, QObject *parent)
    : QObject(parent)
    , m_refresh(std::move(refresh))
{
    m_deferred.setSingleShot(true);
    connect(&m_deferred, &QTimer::timeout, this, &RefreshPacer::refreshNow);
}

void RefreshPacer::framesArrived(qsizetype frameCount)
{
    m_latestFrames = frameCount;
    if (m_deferred.isActive())
        return; // the next slot takes these too
    const bool flooding = m_lastBatch > floodFramesPerRefresh && m_sinceRefresh.isValid();
    const qint64 waitMs = flooding ? floodIntervalMs - m_sinceRefresh.elapsed() : 0;
    if (waitMs > 0)
        m_deferred.start(int(waitMs));
    else
        refreshNow();
}

void RefreshPacer::flush()
{
    m_deferred.stop();
    refreshNow();
}

void RefreshPacer::reset()
{
    m_deferred.stop();
    m_sinceRefresh.invalidate();
    m_shownFrames = 0;
    m_latestFrames = 0;
    m_lastBatch = 0;
}

void RefreshPacer::refreshNow()
{
    m_lastBatch = m_latestFrames - m_shownFrames;
    m_shownFrames = m_latestFrames;
    m_sinceRefresh.start();
    m_refresh();
}

} // namespace wsi
