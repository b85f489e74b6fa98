// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"

#include <QByteArray>

namespace wsi {

// One whole WebSocket data message as a decoder sees it: who sent it, text or binary, and its payload after
// reassembly and inflation.
struct AppMessage {
    Endpoint sender = Endpoint::Server;
    bool binary = false;
    QByteArray payload;

    static AppMessage text(Endpoint sender, QByteArray payload) { return {sender, false, std::move(payload)}; }
    static AppMessage bytes(Endpoint sender, QByteArray payload) { return {sender, true, std::move(payload)}; }
};

} // namespace wsi
