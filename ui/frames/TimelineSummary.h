// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameRecord.h"

#include <QtGlobal>

#include <array>
#include <vector>

namespace wsi {

// A multi-resolution summary of a frame log for the timeline: per direction, levels of time buckets whose width
// grows by 4 from 1 ms, each bucket holding the frame count, the largest payload and which kinds of frame it has.
// Only non-empty buckets are stored (sorted by time), so memory follows the number of frames, not the session's
// length. Built incrementally with add(); a paint reads O(pixels) buckets from the level that fits the zoom.
class TimelineSummary final
{
public:
    enum Kind : quint16 {
        Data = 1 << 0,
        Ping = 1 << 1,
        Pong = 1 << 2,
        Close = 1 << 3,
        OtherControl = 1 << 4, // reserved opcodes
        Violation = 1 << 5,
        Injected = 1 << 6,  // written by the relay as a rule said (FrameRecord::Injected)
        RuleActed = 1 << 7, // a relay rule acted on it (FrameRuleMarks): not from the record, given to add()
    };
    struct Bucket {
        quint32 index = 0; // bucket number at its level: start time = index * levelWidthNs(level)
        quint32 count = 0;
        quint32 maxSize = 0; // payload length, clamped to 32 bits
        quint16 kinds = 0;
    };

    static constexpr int levelCount = 16;
    static constexpr qint64 baseWidthNs = 1'000'000;

    static constexpr qint64 levelWidthNs(int level) noexcept { return baseWidthNs << (2 * level); }
    static quint16 kindsOf(const FrameRecord &record) noexcept;
    static int laneOf(Direction direction) noexcept { return direction == Direction::Outgoing ? 0 : 1; }

    // `extraKinds`: what the record does not say itself (RuleActed).
    void add(const FrameRecord &record, quint16 extraKinds = 0);
    // Adds `kinds` to the buckets of a record add() took already (a rule's mark that came after its frame).
    void addKinds(const FrameRecord &record, quint16 kinds);
    void clear();

    // The coarsest level whose buckets are no wider than `nsPerPixel`, or -1 when even level 0 is wider.
    static int levelFor(double nsPerPixel) noexcept;
    const std::vector<Bucket> &buckets(int lane, int level) const { return m_levels[lane][level]; }
    // Index into buckets(lane, level) of the first bucket that ends after `timeNs`.
    qsizetype firstBucketAfter(int lane, int level, qint64 timeNs) const;

    quint64 maxPayloadLength() const noexcept { return m_maxPayload; }

private:
    std::array<std::array<std::vector<Bucket>, levelCount>, 2> m_levels;
    quint64 m_maxPayload = 0;
};

} // namespace wsi
