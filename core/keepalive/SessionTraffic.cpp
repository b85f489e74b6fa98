// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/SessionTraffic.h"

#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"

namespace wsi::SessionTraffic {

RecordedTraffic fromFrameLog(const FrameLog &log, const QString &source)
{
    RecordedTraffic traffic;
    traffic.source = source;
    const qsizetype count = log.frameCount();
    for (qsizetype i = 0; i < count; ++i) {
        const FrameRecord &record = log.frame(i);
        RecordedTraffic::Frame frame;
        frame.atMs = record.timeNs / 1'000'000;
        traffic.endMs = std::max(traffic.endMs, frame.atMs); // a Close frame too: the session lasted until then
        if (record.opcode == Opcodes::value(Opcode::Ping))
            frame.kind = RecordedTraffic::Frame::Kind::Ping;
        else if (record.opcode == Opcodes::value(Opcode::Pong))
            frame.kind = RecordedTraffic::Frame::Kind::Pong;
        else if (Opcodes::isControl(record.opcode))
            continue; // Close and reserved control opcodes
        (record.direction() == Direction::Outgoing ? traffic.client : traffic.server).append(frame);
    }
    return traffic;
}

} // namespace wsi::SessionTraffic
