// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace wsi {

// What someone decided about a held message (HeldMessages::decide()).
struct HoldDecision {
    enum class Kind : quint8 {
        Forward,       // as it came
        ForwardEdited, // `opcode` and `payload` instead, as one frame of the relay's own
        Drop,          // nothing goes on
        Answer,        // `opcode` and `payload` go back to its sender instead; nothing goes on
    };

    Kind kind = Kind::Forward;
    quint8 opcode = 1; // text (1) or binary (2): ForwardEdited, Answer
    QByteArray payload;

    static HoldDecision forward() { return {}; }
    static HoldDecision drop() { return {Kind::Drop, 1, {}}; }
    static HoldDecision edited(quint8 opcode, QByteArray payload) { return {Kind::ForwardEdited, opcode, payload}; }
    static HoldDecision answer(quint8 opcode, QByteArray payload) { return {Kind::Answer, opcode, payload}; }
};

} // namespace wsi
