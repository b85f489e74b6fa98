// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

namespace wsi {

// What a client offers in "Sec-WebSocket-Extensions: permessage-deflate; ..." (RFC 7692 §7.1). The default is
// what browsers send: "permessage-deflate; client_max_window_bits".
struct DeflateOffer {
    bool serverNoContextTakeover = false;        // ask the server to reset its compressor after each message
    bool clientNoContextTakeover = false;        // announce that we reset ours after each message
    std::optional<int> serverMaxWindowBits;      // ask the server to use at most this window (8-15)
    bool clientMaxWindowBits = true;             // we accept a limit on our window from the server ...
    std::optional<int> clientMaxWindowBitsValue; // ... or announce our own (8-15)

    friend bool operator==(const DeflateOffer &, const DeflateOffer &) = default;
};

// What both ends agreed on; the server's response decides (RFC 7692 §7.1.1, §7.1.2).
struct DeflateParameters {
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    int serverMaxWindowBits = 15;
    int clientMaxWindowBits = 15;

    friend bool operator==(const DeflateParameters &, const DeflateParameters &) = default;
};

} // namespace wsi
