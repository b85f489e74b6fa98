// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

namespace wsi {

class DecodedMessageIndex;
class FrameLog;
struct FrameRecord;

// The words a frame is shown with: built on demand by the views and never stored per frame.
namespace FrameText {

constexpr qsizetype previewChars = 100;

// Index of the message whose last frame is `frame`, or -1 (messages are logged in the order of their last frame).
qsizetype messageEndingAt(const FrameLog &log, qsizetype frame);

// "12.345678": seconds since the session started, to the microsecond.
QString relativeSeconds(qint64 timeNs);
// "14:03:27.512": the local time of day `timeNs` after `startedAt`; empty when the start is not known.
QString wallClock(const QDateTime &startedAt, qint64 timeNs);
// "↑ out" / "↓ in".
QString direction(const FrameRecord &record);
// "text", "ping", ... and reserved opcodes as "0x3".
QString opcode(quint8 opcode);
// The header bits that are set, in words: "FIN RSV1 MASK"; "–" when none is.
QString flags(const FrameRecord &record);
// "123 B"; for the last frame of a compressed message also the inflated size: "123 → 456 B".
QString length(const FrameLog &log, qsizetype frame, qsizetype message);
// The start of the payload on one line: text as text (control characters escaped), binary as hex, Close frames as
// "1000 Normal Closure: reason". A compressed message's last frame previews the inflated message.
QString preview(const FrameLog &log, qsizetype frame, qsizetype message);
// What the application protocol makes of the message `message` ends: its headline
// (`socket.io EVENT "chat" (2 args)`), and for a reply how long after its request it came ("… · 12.3 ms"); empty
// for a frame that ends no message, or before the message is decoded, or when no protocol is known.
QString protocol(const FrameLog &log, qsizetype message, const DecodedMessageIndex *decoded);
// "850 µs", "12.3 ms", "4.20 s": a request's latency.
QString latency(qint64 ns);
// The bytes a text filter looks at: on the last frame of a compressed or fragmented message the whole message
// (inflated, reassembled), so a filter finds text cut across fragments and the message table can follow the frame
// table's filter; otherwise the frame's own (unmasked) payload.
QByteArrayView shownPayload(const FrameLog &log, qsizetype frame, qsizetype message);

// Helpers, public for tests.
QString escapedLine(QStringView text, qsizetype maxChars);
QString hex(QByteArrayView bytes, qsizetype maxChars);
QString closePayload(QByteArrayView payload);

} // namespace FrameText
} // namespace wsi
