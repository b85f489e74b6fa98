// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace wsi {

// Compresses outgoing messages for permessage-deflate (RFC 7692 §7.2.1): raw DEFLATE ending in a sync flush,
// with the 00 00 ff ff tail removed; the window is kept across messages unless we negotiated no context takeover.
class MessageDeflater final
{
public:
    // windowBits: our negotiated max_window_bits (8-15). zlib cannot compress with a 256-byte window, so with 8 the
    // deflater writes stored (uncompressed) blocks, which reference no earlier bytes and are valid for any window.
    MessageDeflater(int windowBits, bool noContextTakeover, int level = -1);
    ~MessageDeflater();
    Q_DISABLE_COPY_MOVE(MessageDeflater)

    QByteArray compress(QByteArrayView message);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace wsi
