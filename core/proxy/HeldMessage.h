// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

namespace wsi {

// A message a pause rule holds, as HeldMessages lists it for people to decide on: whose it is, what it says (unmasked,
// whole) and since when it waits.
struct HeldMessage {
    quint64 id = 0; // unique among the HeldMessages it is in; what decisions name
    int connectionId = 0;
    QUrl url; // the server's
    Endpoint from = Endpoint::Client;
    quint8 opcode = 1; // text or binary
    QByteArray payload;
    QString rule;       // the pause rule's name
    QDateTime heldAt;   // wall clock
    int timeoutMs = -1; // forwarded as it came this long after heldAt when nobody decides (-1: it waits)
};

} // namespace wsi
