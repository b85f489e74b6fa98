// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FrameFilter.h"

#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/protocol/Opcode.h"
#include "core/protocol/Violation.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FrameText.h"

#include <algorithm>

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

bool FrameFilter::matchesDecoded(qsizetype message) const
{
    if (!decoded || message < 0 || message >= decoded->summarisedMessages())
        return false;
    const DecodedMessageIndex::Summary &summary = decoded->summary(message);
    if (!summary.has(DecodedMessageIndex::Summary::Decoded))
        return false;
    // A message that carries several protocol messages matches when one of them does, kind and subject together.
    const auto partMatches = [this](quint16 partKind, quint32 partSubject) {
        return (kind.isEmpty() || decoded->kindText(partKind) == kind) &&
               (subject.isEmpty() || decoded->text(partSubject).contains(subject, Qt::CaseInsensitive));
    };
    if (partMatches(summary.kind, summary.subject))
        return true;
    if (!summary.has(DecodedMessageIndex::Summary::Several))
        return false;
    const QList<DecodedMessageIndex::Part> parts = decoded->parts(message);
    return std::any_of(parts.cbegin(), parts.cend(),
                       [&](const DecodedMessageIndex::Part &part) { return partMatches(part.kind, part.subject); });
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
    if (readsDecoded() && !matchesDecoded(message))
        return false;
    if (!readsPayloads())
        return true;
    const QByteArrayView payload = FrameText::shownPayload(log, frame, message);
    // An uncompressed text message of one frame was checked as UTF-8 when it was received: no violation means its
    // bytes are valid, and the regex need not check them again.
    const bool validUtf8 = record.opcode == Opcodes::value(Opcode::Text) && record.has(FrameRecord::Fin) &&
                           !record.has(FrameRecord::Compressed) && !record.has(FrameRecord::PayloadTruncated) &&
                           (record.violationMask & Violations::bit(ViolationRule::InvalidUtf8)) == 0;
    if (m_payloadMatcher)
        return m_payloadMatcher->matches(payload, validUtf8);
    return PayloadMatcher(text, regex).matches(payload, validUtf8);
}

} // namespace wsi
