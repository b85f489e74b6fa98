// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace wsi {

// When a session's views take in new frames. While frames trickle in, at every notification (Session's 16 ms
// framesAppended): the table shows each frame as it comes. While they flood (the last refresh brought more than
// floodFramesPerRefresh), at most every floodIntervalMs: a repaint of the table and the timeline costs the same
// however many frames it brings (8-14 ms on the offscreen raster here), so repainting at 60 Hz during a flood would
// keep the GUI thread busy most of the time for rows nobody can read at that speed. Wireshark's live packet list
// makes the same choice (an update every 500 ms). Rows are never dropped, only taken in fewer, larger batches.
class RefreshPacer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RefreshPacer)

public:
    static constexpr qsizetype floodFramesPerRefresh = 1000; // above 60,000 frames/s at one refresh per 16 ms
    static constexpr int floodIntervalMs = 250;

    // `refresh` brings the views up to date with the log (model, timeline, status).
    explicit RefreshPacer(std::function<void()> refresh, QObject *parent = nullptr);

    // The log holds `frameCount` frames now: refresh at once, or at the flood pace's next slot.
    void framesArrived(qsizetype frameCount);
    // Refresh now, whatever the pace (the session ended, the view was switched to another log).
    void flush();
    // A new log: its first frames are shown at once.
    void reset();
    bool isRefreshPending() const noexcept { return m_deferred.isActive(); }

private:
    void refreshNow();

    std::function<void()> m_refresh;
    QTimer m_deferred;
    QElapsedTimer m_sinceRefresh;
    qsizetype m_shownFrames = 0;
    qsizetype m_latestFrames = 0;
    qsizetype m_lastBatch = 0;
};

} // namespace wsi
