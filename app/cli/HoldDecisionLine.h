// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/HoldDecision.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace wsi::cli {

// One decision about a held message as `proxy` and `capture` read it on stdin, a JSON object a line:
//   {"forward": ID}                       as it came
//   {"forward": ID, "text": "..."}        edited: this text instead ("hex": "..." for a binary message)
//   {"drop": ID}
//   {"answer": ID, "text": "..."}         this goes back to its sender instead ("hex" for binary)
// ID is the "id" of the "held" event.
struct HoldDecisionLine {
    quint64 id = 0;
    HoldDecision decision;

    // The decision in `line`, or nullopt with *error saying what is wrong with it ('"drop" takes no "text"').
    static std::optional<HoldDecisionLine> parse(const QByteArray &line, QString *error);
};

} // namespace wsi::cli
