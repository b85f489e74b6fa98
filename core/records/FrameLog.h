// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Violation.h"
#include "core/records/AppendOnlyLog.h"
#include "core/records/FrameRecord.h"
#include "core/records/MessageRecord.h"
#include "core/records/PayloadOverflow.h"
#include "core/records/PayloadStore.h"

#include <memory>

namespace wsi {

// Everything a session captured, frame by frame and message by message: written by the session on the network
// thread, read by views and exporters on any thread without locks (AppendOnlyLog's publish/acquire contract).
//
// Payloads are kept within a memory budget: each frame's payload up to maxStoredPerFrame bytes, and all payloads
// together up to maxStoredTotal. Whatever is not kept is marked on the record (PayloadTruncated) and the stored
// length says how much remains: never dropped silently. A session that is recorded hands the whole payload of
// every such frame and message to its recording through a PayloadOverflow (setOverflow()).
// A ping we sent and the pong that answered it (RFC 6455 §5.5.3: same payload), with the time between them.
struct RoundTrip {
    qsizetype pingFrame = -1;
    qsizetype pongFrame = -1;
    qint64 rttNs = 0;
};

class FrameLog final
{
public:
    struct Budget {
        qint64 maxStoredTotal = 512ll * 1024 * 1024;
        qint64 maxStoredPerFrame = 16ll * 1024 * 1024;
    };

    explicit FrameLog(const Budget &budget);
    FrameLog()
        : FrameLog(Budget{})
    {}
    Q_DISABLE_COPY_MOVE(FrameLog)

    // Writer side, before the first append: where payloads the log cannot keep in full go (the recording).
    void setOverflow(std::shared_ptr<PayloadOverflow> overflow) { m_overflow = std::move(overflow); }

    // Writer side (the session's thread). `record` has its header fields and time set; the log fills in the
    // payload reference, the stored length and the violation mask, and publishes the record. Returns its index.
    // A payload lying inside `readRegion` (bytes read with readSpace()) is referenced where it is, not copied.
    qsizetype appendFrame(FrameRecord record, QByteArrayView payload, const ViolationList &violations = {},
                          const PayloadStore::ReadRegion &readRegion = {});
    // Room to read socket bytes straight into the log's storage, within the budget (see PayloadStore); empty when
    // the budget has no room, and the caller reads into a buffer of its own instead.
    PayloadStore::ReadRegion readSpace(qsizetype wanted)
    {
        return m_payloads.readSpace(wanted, m_budget.maxStoredTotal);
    }
    PayloadStore::ReadRegion commitRead(const PayloadStore::ReadRegion &region, qsizetype used)
    {
        return m_payloads.commitRead(region, used);
    }
    // Storage for one large payload to be assembled in place (see FrameParser::redirectPayload), within the budget;
    // its first bytes `start` end the bytes just read into `readRegion` (see PayloadStore::reserveContinuing).
    PayloadStore::ReadRegion reservePayload(const PayloadStore::ReadRegion &readRegion, QByteArrayView start,
                                            qsizetype size)
    {
        return m_payloads.reserveContinuing(readRegion, start, size, m_budget.maxStoredTotal);
    }
    // `payload` is the message's (inflated) bytes; pass the frame index range it spans.
    qsizetype appendMessage(MessageRecord record, QByteArrayView payload);

    // Reader side (any thread).
    qsizetype frameCount() const noexcept { return m_frames.size(); }
    const FrameRecord &frame(qsizetype index) const noexcept { return m_frames.at(index); }
    QByteArrayView framePayload(qsizetype index) const noexcept;
    // The violations recorded for a frame, with their details; empty when it has none.
    ViolationList frameViolations(qsizetype index) const;

    qsizetype messageCount() const noexcept { return m_messages.size(); }
    // The message a data frame belongs to, or -1 (a control frame, a message still incomplete or dropped).
    // Messages are appended in the order of their last frames, and one direction's messages never overlap, so the
    // first message of the frame's direction ending at or after it is the only candidate: a binary search, then a
    // step over the other direction's messages.
    qsizetype messageContaining(qsizetype frame) const noexcept;
    const MessageRecord &message(qsizetype index) const noexcept { return m_messages.at(index); }
    QByteArrayView messagePayload(qsizetype index) const noexcept;

    // Writer side: a pong matched to its ping.
    void appendRoundTrip(const RoundTrip &roundTrip) { m_roundTrips.append(roundTrip); }
    // Reader side (any thread).
    qsizetype roundTripCount() const noexcept { return m_roundTrips.size(); }
    const RoundTrip &roundTrip(qsizetype index) const noexcept { return m_roundTrips.at(index); }

    // Memory held by records and payloads, for the status bar.
    qint64 memoryUsed() const noexcept;
    qint64 payloadBytesStored() const noexcept { return m_payloads.bytesStored(); }
    const Budget &budget() const noexcept { return m_budget; }

private:
    struct ViolationDetails {
        qsizetype frameIndex = -1;
        ViolationList violations;
    };

    quint32 storableLength(qsizetype size) const noexcept;

    Budget m_budget;
    PayloadStore m_payloads;
    AppendOnlyLog<FrameRecord> m_frames;
    AppendOnlyLog<MessageRecord> m_messages;
    AppendOnlyLog<ViolationDetails, 8> m_violationDetails; // sorted by frameIndex, for frames that have any
    AppendOnlyLog<RoundTrip, 8> m_roundTrips;
    std::shared_ptr<PayloadOverflow> m_overflow;
};

} // namespace wsi
