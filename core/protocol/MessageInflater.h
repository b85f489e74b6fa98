// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

namespace wsi {

// Inflates the messages one peer compressed with permessage-deflate (RFC 7692 §7.2.2): raw DEFLATE, the
// 00 00 ff ff tail restored at the end of each message, the LZ77 window kept across messages unless the peer
// negotiated no_context_takeover. Output is bounded: a decompression bomb stops at the caller's limit without
// inflating past it.
class MessageInflater final
{
public:
    enum class Status { Ok, BadData, TooLarge };

    // windowBits: the peer's negotiated max_window_bits (8-15).
    MessageInflater(int windowBits, bool noContextTakeover);
    ~MessageInflater();
    Q_DISABLE_COPY_MOVE(MessageInflater)

    // Inflates one fragment's bytes and appends the output to `out`, never letting out.size() exceed maxOutput.
    // zlib writes straight into `out`, which grows geometrically with its capacity capped at maxOutput.
    // On BadData or TooLarge, *error (when given) says what happened; the message is lost (later calls for it
    // return the same failure) but the inflater stays usable for the next message after finishMessage() or
    // abortMessage().
    Status inflate(QByteArrayView compressed, QByteArray &out, qsizetype maxOutput, QString *error = nullptr);

    // Ends the message: inflates the 00 00 ff ff tail, fails with BadData if the message stops inside a DEFLATE
    // block (truncated), and drops the window when the peer uses no context takeover or the message failed.
    Status finishMessage(QByteArray &out, qsizetype maxOutput, QString *error = nullptr);

    // Drops a message that failed half-way; the window is reset, so later messages that reference it fail too,
    // as they would in any real endpoint.
    void abortMessage();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace wsi
