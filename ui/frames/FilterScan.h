// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/frames/FrameFilter.h"

#include <QtGlobal>

#include <functional>
#include <memory>
#include <vector>

class QThreadPool;

namespace wsi {

class FrameLog;

// One run of a payload-reading filter over a whole log, off the GUI thread: the frames present when it starts are
// cut into slices scanned in parallel on a thread pool (one per core, each with its own copy of the filter, since a
// compiled regular expression serves one thread), then the last slice to finish catches up with the frames that
// arrived meanwhile and hands over the visible frame indices, in order.
//
// Callbacks run on pool threads. Every slice asks `isStale` between chunks of frames and stops when a newer
// filter made this scan pointless; a stale scan never calls `finished`.
class FilterScan final
{
public:
    struct Callbacks {
        std::function<bool()> isStale;
        std::function<void(int percent)> progressed;
        std::function<void(std::vector<qint32> visible, qsizetype scannedFrames)> finished;
    };

    static constexpr qsizetype chunkFrames = 16384;    // frames between checks of isStale
    static constexpr qsizetype minSliceFrames = 65536; // smaller logs are not worth another thread

    static void start(QThreadPool &pool, std::shared_ptr<const FrameLog> log, const FrameFilter &filter,
                      Callbacks callbacks);
};

} // namespace wsi
