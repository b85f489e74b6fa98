// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FrameFilter.h"

#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FrameText.h"

namespace wsi {

void FrameFilter::prepare()
{
    m_payloadMatcher = readsPayloads() ? std::make_shared<const PayloadMatcher>(text, regex) : nullptr;
}

FrameFilter FrameFilter::detachedCopy() const
{
    FrameFilter copy = *this;
    // A copy of a QRegularExpression shares its compiled pattern; a new one owns its own.
    copy.regex = QRegularExpression(regex.pattern(), regex.patternOptions());
    copy.prepare();
    return copy;
}

bool FrameFilter::matches(const FrameLog &log, qsizetype frame, qsizetype message) const
{
    const FrameRecord &record = log.frame(frame);
    if (directions == Directions::Incoming && record.direction() != Direction::Incoming)
        return false;
    if (directions == Directions::Outgoing && record.direction() != Direction::Outgoing)
        return false;
    if (!showsOpcode(record.opcode))
        return false;
    if (foldPingPong &&
        (record.opcode == Opcodes::value(Opcode::Ping) || record.opcode == Opcodes::value(Opcode::Pong)))
        return false;
    if (!readsPayloads())
        return true;
    const QByteArrayView payload = FrameText::shownPayload(log, frame, message);
    if (m_payloadMatcher && m_payloadMatcher->isBuiltFor(text, regex))
        return m_payloadMatcher->matches(payload);
    return PayloadMatcher(text, regex).matches(payload);
}

} // namespace wsi
