// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/MessageAssembler.h"
#include "core/session/SessionOptions.h"

#include <QByteArray>
#include <QString>

namespace wsi {

// What a user can do to a session of their own: connect (again), send, close. A SessionSource that has it
// (LiveSource) returns it from control(); the view shows the connection bar and the composer only then.
class SessionControl
{
public:
    virtual ~SessionControl();

    // Opens a new connection with these options (the previous one, if any, is dropped).
    virtual void connectTo(const SessionOptions &options) = 0;
    // The closing handshake when open, else an abort; no automatic reconnect follows.
    virtual void disconnect() = 0;
    virtual void sendMessage(MessageType type, const QByteArray &payload, int fragments) = 0;
    virtual void sendPing(const QByteArray &payload) = 0;
    virtual void sendPong(const QByteArray &payload) = 0;
    virtual void sendClose(quint16 code, const QString &reason) = 0;
    // One of the application protocol's messages, built and numbered by the session's speaker (Session::
    // sendProtocolMessage); `protocol` is the one recognised, for a session that speaks none of its own.
    virtual void sendProtocolMessage(const ProtocolMessage &message, AppProtocol protocol) = 0;
    // The options of the last connectTo(), for the connection bar and "Save as profile".
    virtual SessionOptions options() const = 0;

protected:
    SessionControl() = default;
    Q_DISABLE_COPY_MOVE(SessionControl)
};

} // namespace wsi
