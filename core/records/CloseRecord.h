// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/OwnEnd.h"

#include <QString>

#include <optional>

namespace wsi {

// How a session ended.
struct CloseRecord {
    enum class Initiator : quint8 {
        Client,    // we sent the first Close frame or failed the connection
        Server,    // the server sent the first Close frame
        Transport, // the TCP/TLS connection ended (or never worked) without any Close frame
    };

    Initiator initiator = Initiator::Transport;
    quint16 code = 1006; // the server's code; 1005 when its Close had none; 1006 when none arrived
    QString reason;
    bool clean = false; // both Close frames exchanged before the TCP connection ended
    bool closeSent = false;
    bool closeReceived = false;
    qint64 atNs = 0;      // session clock when the connection ended
    qint64 idleInNs = 0;  // time since the last frame from the server (or since the connection opened)
    qint64 idleOutNs = 0; // time since the last frame we sent (or since the connection opened)
    QString error;        // transport or protocol error in words, when there was one
    // Why we ended it, when the client did (initiator Client) for a reason of its own; nullopt for the server's
    // and the transport's ends, and in records that predate it.
    std::optional<OwnEnd> ownEnd;

    static QString initiatorName(Initiator initiator)
    {
        switch (initiator) {
        case Initiator::Client:
            return QStringLiteral("client");
        case Initiator::Server:
            return QStringLiteral("server");
        case Initiator::Transport:
            break;
        }
        return QStringLiteral("transport");
    }
};

} // namespace wsi
