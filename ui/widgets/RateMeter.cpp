// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/RateMeter.h"

namespace wsi {

void RateMeter::sample(qint64 nowMs, qint64 total)
{
    if (!m_samples.empty() && total < m_samples.back().total)
        m_samples.clear(); // a new session's count: the old rate means nothing now
    m_samples.push_back({nowMs, total});
    // Keep one sample at or before the window's start, so the rate always spans the whole window.
    while (m_samples.size() > 2 && m_samples[1].ms <= nowMs - windowMs)
        m_samples.pop_front();
}

double RateMeter::perSecond() const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample &first = m_samples.front();
    const Sample &last = m_samples.back();
    const qint64 spanMs = last.ms - first.ms;
    if (spanMs < 250)
        return 0;
    return double(last.total - first.total) * 1000.0 / double(spanMs);
}

} // namespace wsi
