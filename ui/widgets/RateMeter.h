// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <deque>

namespace wsi {

// A rate over the last few seconds from samples of a running total (messages so far, at a time in ms): what a
// status bar shows as "messages/s". Samples come as often as the caller likes; a quiet stretch with samples
// brings the rate down to zero.
class RateMeter final
{
public:
    static constexpr qint64 windowMs = 2000; // long enough to be steady, short enough to follow a change

    void sample(qint64 nowMs, qint64 total);
    void reset() { m_samples.clear(); }
    // Per second over the window; 0 until two samples at least 250 ms apart exist.
    double perSecond() const;

private:
    struct Sample {
        qint64 ms;
        qint64 total;
    };
    std::deque<Sample> m_samples;
};

} // namespace wsi
