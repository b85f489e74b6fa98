// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FilterScan.h"

#include "core/records/FrameLog.h"

#include <QThreadPool>

#include <atomic>

namespace wsi {
namespace {

struct ScanState {
    std::shared_ptr<const FrameLog> log;
    FilterScan::Callbacks callbacks;
    FrameFilter catchUpFilter; // used by whichever slice finishes last
    qsizetype end = 0;         // frames present at the start, split between the slices
    std::vector<std::vector<qint32>> sliceResults;
    std::atomic<int> slicesRunning{0};
    std::atomic<qsizetype> framesDone{0};
    std::atomic<int> reportedPercent{-1};
    std::atomic<bool> stopped{false};
};

// The first message whose last frame is at or after `frame` (messages are logged in the order of their last frame).
qsizetype firstMessageEndingFrom(const FrameLog &log, qsizetype frame)
{
    qsizetype lo = 0;
    qsizetype hi = log.messageCount();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (log.message(mid).lastFrame < quint64(frame))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// Appends the frames of [from, to) that `filter` shows. Returns false when the scan went stale on the way.
bool scanRange(ScanState &state, const FrameFilter &filter, qsizetype from, qsizetype to, std::vector<qint32> &out,
               bool reportProgress)
{
    const FrameLog &log = *state.log;
    qsizetype message = firstMessageEndingFrom(log, from);
    for (qsizetype chunkStart = from; chunkStart < to; chunkStart += FilterScan::chunkFrames) {
        const qsizetype chunkEnd = std::min(to, chunkStart + FilterScan::chunkFrames);
        for (qsizetype i = chunkStart; i < chunkEnd; ++i) {
            // One cursor walks the messages along with the frames.
            const qsizetype messages = log.messageCount();
            while (message < messages && log.message(message).lastFrame < quint64(i))
                ++message;
            const bool ends = message < messages && log.message(message).lastFrame == quint64(i);
            if (filter.matches(log, i, ends ? message : -1))
                out.push_back(qint32(i));
        }
        if (state.stopped.load(std::memory_order_relaxed) || state.callbacks.isStale()) {
            state.stopped.store(true, std::memory_order_relaxed);
            return false;
        }
        if (!reportProgress)
            continue;
        const qsizetype done =
            state.framesDone.fetch_add(chunkEnd - chunkStart, std::memory_order_relaxed) + (chunkEnd - chunkStart);
        const int percent = int(done * 100 / std::max<qsizetype>(1, state.end));
        int reported = state.reportedPercent.load(std::memory_order_relaxed);
        if (percent < 100 && percent > reported &&
            state.reportedPercent.compare_exchange_strong(reported, percent, std::memory_order_relaxed))
            state.callbacks.progressed(percent);
    }
    return true;
}

void finishScan(ScanState &state)
{
    std::vector<qint32> visible;
    size_t total = 0;
    for (const auto &slice : state.sliceResults)
        total += slice.size();
    visible.reserve(total);
    for (auto &slice : state.sliceResults) {
        visible.insert(visible.end(), slice.cbegin(), slice.cend());
        slice = {};
    }
    // Frames keep arriving while the slices run: one catch-up pass over those; the model tests the few after
    // that itself when the result lands.
    const qsizetype caughtUpTo = state.log->frameCount();
    if (!scanRange(state, state.catchUpFilter, state.end, caughtUpTo, visible, false))
        return;
    state.callbacks.finished(std::move(visible), caughtUpTo);
}

} // namespace

void FilterScan::start(QThreadPool &pool, std::shared_ptr<const FrameLog> log, const FrameFilter &filter,
                       Callbacks callbacks)
{
    auto state = std::make_shared<ScanState>();
    state->end = log->frameCount();
    state->log = std::move(log);
    state->callbacks = std::move(callbacks);
    state->catchUpFilter = filter.detachedCopy();

    const qsizetype byCores = std::max(1, pool.maxThreadCount());
    const qsizetype bySize = std::max<qsizetype>(1, state->end / minSliceFrames);
    const qsizetype slices = std::min(byCores, bySize);
    state->sliceResults.resize(size_t(slices));
    state->slicesRunning.store(int(slices), std::memory_order_relaxed);
    for (qsizetype slice = 0; slice < slices; ++slice) {
        const qsizetype from = state->end * slice / slices;
        const qsizetype to = state->end * (slice + 1) / slices;
        pool.start([state, slice, from, to, sliceFilter = filter.detachedCopy()] {
            const bool completed = scanRange(*state, sliceFilter, from, to, state->sliceResults[size_t(slice)], true);
            // acq_rel: the last slice sees every other slice's results.
            const bool last = state->slicesRunning.fetch_sub(1, std::memory_order_acq_rel) == 1;
            if (completed && last && !state->stopped.load(std::memory_order_relaxed))
                finishScan(*state);
        });
    }
}

} // namespace wsi
