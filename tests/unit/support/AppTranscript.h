// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/appprotocol/MessageDecoder.h"

#include <QList>
#include <QString>

namespace wsi {

class FrameLog;

// The messages of a recorded conversation between a real client and a real server (tests/data/appprotocol, written
// by tests/integration/peers/record_app_transcripts.js), one JSON object a line: {"from", "binary", "text" or
// "base64"}.
namespace AppTranscript {

QList<AppMessage> load(const QString &fileName); // a name inside tests/data/appprotocol
// Appends `messages` to a log as a session logs them: each a single unmasked frame, then its message, one every
// `stepNs` after the log's last frame.
void appendTo(FrameLog &log, const QList<AppMessage> &messages, qint64 stepNs = 1000);
// Every message through one decoder, in order: the decoded messages of each.
QList<DecodedMessages> decodeAll(MessageDecoder &decoder, const QList<AppMessage> &messages);
// The decoded messages, flattened, that have this kind.
DecodedMessages ofKind(const QList<DecodedMessages> &decoded, const QString &kind);
// Every violation's description, for a failure message ("" when there is none).
QString violations(const QList<DecodedMessages> &decoded);

} // namespace AppTranscript
} // namespace wsi
