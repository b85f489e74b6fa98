// SPDX-License-Identifier: GPL-3.0-or-later
#include "FrameFilter.h"

#include "FrameLog.h"
#include "FrameText.h"
#include "Opcode.h"

namespace wsi {

FrameFilter FrameFilter::detachedCopy() const
{
    FrameFilter copy = *this;
    // A copy of a QRegularExpression shares its compiled pattern; a new one owns its own.
    copy.regex = QRegularExpression(regex.pattern(), regex.patternOptions());
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
    const QString payload = FrameText::payloadAsText(log, frame, message);
    if (!text.isEmpty() && !payload.contains(text, Qt::CaseInsensitive))
        return false;
    if (hasRegex() && !regex.match(payload).hasMatch())
        return false;
    return true;
}

} // namespace wsi
