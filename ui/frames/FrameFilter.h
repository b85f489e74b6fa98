// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/frames/PayloadMatcher.h"

#include <QRegularExpression>
#include <QString>

#include <memory>

namespace wsi {

class DecodedMessageIndex;
class FrameLog;

// What the frame table shows: every criterion must hold. The default filter shows everything.
struct FrameFilter {
    enum class Directions : quint8 { Both, Incoming, Outgoing };
    static constexpr quint16 allOpcodes = 0xffff;

    Directions directions = Directions::Both;
    quint16 opcodes = allOpcodes; // bit n set: raw opcode n is shown (reserved ones included)
    bool foldPingPong = false;    // hide pings and pongs
    QString text;                 // case-insensitive substring of the payload as text
    QRegularExpression regex;     // on the payload as text; an empty pattern matches everything
    // What the application protocol made of the message a frame ends (a frame that ends none, or one not decoded,
    // is hidden by these): only decoded messages, only one kind ("EVENT"), or only those whose event, topic or
    // method contains `subject` (case-insensitive). They read `decoded`, which must be set for them to match.
    bool decodedOnly = false;
    QString kind;
    QString subject;
    std::shared_ptr<const DecodedMessageIndex> decoded;

    static constexpr quint16 opcodeBit(quint8 opcode) noexcept { return quint16(1u << (opcode & 0x0f)); }
    bool showsOpcode(quint8 opcode) const noexcept { return (opcodes & opcodeBit(opcode)) != 0; }
    bool hasRegex() const { return !regex.pattern().isEmpty(); }
    // Whether matching reads payloads (and so may be slow over a large log).
    bool readsPayloads() const { return !text.isEmpty() || hasRegex(); }
    // Whether matching reads the decoded summaries (and so can only decide decoded messages).
    bool readsDecoded() const { return decodedOnly || !kind.isEmpty() || !subject.isEmpty(); }
    bool isEmpty() const
    {
        return directions == Directions::Both && opcodes == allOpcodes && !foldPingPong && !readsPayloads() &&
               !readsDecoded();
    }

    // Builds what matching payloads needs once (see PayloadMatcher): call it after setting text or regex, before
    // matching many frames; matching uses what it built (changing text or regex afterwards needs another call).
    // Without it, matches() builds a matcher for each frame: right, but slow.
    void prepare();
    // A prepared copy safe to use on another thread: its own compiled regular expression, shared with nobody.
    FrameFilter detachedCopy() const;

    // Whether frame `frame` of `log` passes. `message` is the index of the message whose last frame it is, or -1;
    // a compressed or fragmented message's text is searched in the whole message, on its last frame.
    bool matches(const FrameLog &log, qsizetype frame, qsizetype message) const;

private:
    bool matchesDecoded(qsizetype message) const;

    std::shared_ptr<const PayloadMatcher> m_payloadMatcher;
};

} // namespace wsi
