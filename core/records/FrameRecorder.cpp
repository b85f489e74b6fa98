// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameRecorder.h"

#include "core/protocol/Opcode.h"

#include <algorithm>

namespace wsi {

FrameRecorder::FrameRecorder(FrameLog &log, Endpoint sender, const ProtocolLimits &limits)
    : m_log(log)
    , m_direction(sender == Endpoint::Client ? Direction::Outgoing : Direction::Incoming)
    , m_assembler(sender, limits)
{
    // The log keeps each frame's payload already: a message of one uncompressed frame shares it.
    m_assembler.setCopySingleFramePayloads(false);
}

void FrameRecorder::enableDeflate(int senderWindowBits, bool senderNoContextTakeover)
{
    m_assembler.enableDeflate(senderWindowBits, senderNoContextTakeover);
}

qsizetype FrameRecorder::recordParsed(const FrameEvent &event, qint64 timeNs, const ViolationList *extraViolations,
                                      const PayloadStore::ReadRegion &storage)
{
    m_assembler.push(event, m_output);
    const quint8 opcode = event.header.opcode;
    FrameRecord record = FrameRecord::fromHeader(event.header, timeNs, m_direction);
    if (event.payloadDiscarded)
        record.flags |= FrameRecord::PayloadDiscarded;
    // RFC 7692 §6: RSV1 marks the first frame of a compressed message; on any other frame it is a violation.
    if (Opcodes::isData(opcode) && event.header.rsv1 && m_assembler.deflateEnabled())
        record.flags |= FrameRecord::Compressed;

    const ViolationList *violations = &event.violations;
    if (!m_output.violations.isEmpty() || (extraViolations && !extraViolations->isEmpty())) {
        m_violations = event.violations;
        m_violations += m_output.violations;
        if (extraViolations)
            m_violations += *extraViolations;
        violations = &m_violations;
    }
    const qsizetype index = m_log.appendFrame(record, event.payload, *violations, storage);
    if (Opcodes::isData(opcode))
        m_messageFirstFrame = index;
    if (m_output.message)
        recordMessage(*m_output.message, m_messageFirstFrame, index, timeNs);
    return index;
}

qsizetype FrameRecorder::recordWritten(const FrameHeader &header, QByteArrayView payload, qint64 timeNs,
                                       bool deliberate, bool compressed, bool injected)
{
    FrameRecord record = FrameRecord::fromHeader(header, timeNs, m_direction);
    if (injected)
        record.flags |= FrameRecord::Injected;
    if (deliberate)
        record.flags |= FrameRecord::Deliberate;
    if (compressed)
        record.flags |= FrameRecord::Compressed;
    return m_log.appendFrame(record, payload);
}

void FrameRecorder::recordMessage(const AssembledMessage &message, qsizetype firstFrame, qsizetype lastFrame,
                                  qint64 timeNs)
{
    MessageRecord record;
    record.timeNs = timeNs;
    record.firstFrame = quint64(std::max<qsizetype>(firstFrame, 0));
    record.lastFrame = quint64(lastFrame);
    record.wireLength = message.wireLength;
    record.length = message.payloadInFrame ? message.wireLength : quint64(message.payload.size());
    record.frameCount = quint32(message.frameCount);
    record.type = message.type;
    record.direction = m_direction;
    record.compressed = message.compressed;
    record.sharesFramePayload = message.payloadInFrame || (message.frameCount == 1 && !message.compressed);
    m_log.appendMessage(record, message.payload);
}

} // namespace wsi
