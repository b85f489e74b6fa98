// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/TimelineSummary.h"

#include "core/protocol/Opcode.h"

#include <algorithm>
#include <limits>

namespace wsi {

quint16 TimelineSummary::kindsOf(const FrameRecord &record) noexcept
{
    quint16 kinds = 0;
    switch (record.opcode) {
    case Opcodes::value(Opcode::Ping):
        kinds = Ping;
        break;
    case Opcodes::value(Opcode::Pong):
        kinds = Pong;
        break;
    case Opcodes::value(Opcode::Close):
        kinds = Close;
        break;
    default:
        kinds = Opcodes::isControl(record.opcode) ? OtherControl : Data;
        break;
    }
    if (record.violationMask != 0)
        kinds |= Violation;
    if (record.has(FrameRecord::Injected))
        kinds |= Injected;
    return kinds;
}

void TimelineSummary::addKinds(const FrameRecord &record, quint16 kinds)
{
    const int lane = laneOf(record.direction());
    const auto finest = quint64(std::max<qint64>(record.timeNs, 0) / baseWidthNs);
    for (int level = 0; level < levelCount; ++level) {
        const auto index = quint32(std::min<quint64>(finest >> (2 * level), std::numeric_limits<quint32>::max()));
        auto &buckets = m_levels[lane][level];
        const auto it = std::lower_bound(buckets.begin(), buckets.end(), index,
                                         [](const Bucket &b, quint32 i) { return b.index < i; });
        if (it != buckets.end() && it->index == index)
            it->kinds |= kinds;
    }
}

void TimelineSummary::add(const FrameRecord &record, quint16 extraKinds)
{
    const int lane = laneOf(record.direction());
    const quint16 kinds = kindsOf(record) | extraKinds;
    const auto size = quint32(std::min<quint64>(record.payloadLength, std::numeric_limits<quint32>::max()));
    m_maxPayload = std::max(m_maxPayload, record.payloadLength);
    // Level widths grow by 4, so a level's bucket number is the finest one's shifted right by 2 per level: one
    // division per frame, not one per level (a million frames a second pass through here).
    const auto finest = quint64(std::max<qint64>(record.timeNs, 0) / baseWidthNs);
    for (int level = 0; level < levelCount; ++level) {
        const auto index = quint32(std::min<quint64>(finest >> (2 * level), std::numeric_limits<quint32>::max()));
        auto &buckets = m_levels[lane][level];
        Bucket *bucket;
        if (!buckets.empty() && buckets.back().index == index) {
            bucket = &buckets.back(); // the usual case: frames arrive in time order
        } else if (buckets.empty() || buckets.back().index < index) {
            bucket = &buckets.emplace_back(Bucket{index, 0, 0, 0});
        } else {
            // A record older than the last one (clock quirk): rare, so a sorted insert is fine.
            auto it = std::lower_bound(buckets.begin(), buckets.end(), index,
                                       [](const Bucket &b, quint32 i) { return b.index < i; });
            if (it == buckets.end() || it->index != index)
                it = buckets.insert(it, Bucket{index, 0, 0, 0});
            bucket = &*it;
        }
        ++bucket->count;
        bucket->maxSize = std::max(bucket->maxSize, size);
        bucket->kinds |= kinds;
    }
}

void TimelineSummary::clear()
{
    for (auto &lane : m_levels)
        for (auto &level : lane)
            level = {};
    m_maxPayload = 0;
}

int TimelineSummary::levelFor(double nsPerPixel) noexcept
{
    int level = -1;
    while (level + 1 < levelCount && double(levelWidthNs(level + 1)) <= nsPerPixel)
        ++level;
    return level;
}

qsizetype TimelineSummary::firstBucketAfter(int lane, int level, qint64 timeNs) const
{
    const auto &buckets = m_levels[lane][level];
    const qint64 index = std::max<qint64>(timeNs, 0) / levelWidthNs(level);
    const auto it = std::lower_bound(buckets.begin(), buckets.end(), index,
                                     [](const Bucket &b, qint64 i) { return qint64(b.index) < i; });
    return it - buckets.begin();
}

} // namespace wsi
