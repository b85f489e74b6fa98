// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace wsi {

// A message of the protocol's own that the session sends: once the protocol's handshake has been answered
// (`connect --emit`, `--subscribe`, `--send-to`, `--publish`, `--graphql-subscribe`, `--invoke`, `--push`,
// `--perform`, `--wamp-subscribe`, `--wamp-call`), on every connection, or when the composer sends it
// (AppProtocolSpeaker::sendMessage), numbered by the speaker (ack ids, packet ids, operation ids, refs, request ids)
// in one sequence with its own.
struct ProtocolMessage {
    enum class Kind : quint8 {
        Emit,      // Socket.IO EVENT: target is the event name, args the JSON arguments; ack asks for an ACK
        Subscribe, // STOMP SUBSCRIBE to the destination, MQTT SUBSCRIBE to the topic filter (at qos), WAMP
                   // SUBSCRIBE to the topic
        Send,      // STOMP SEND: target the destination, body the body, headers the extra headers
        Publish,   // MQTT PUBLISH: target the topic, body the payload, at qos (1: with a packet id), retain
        Query,     // GraphQL subscribe (legacy: start): body the query, variables its variables
        Invoke,    // SignalR Invocation: target the hub method, args its arguments; ack asks for a Completion
        Push,      // Phoenix push: target the topic, event the event, body the payload (a JSON object)
        Perform,   // Action Cable perform: target the action, body its data (a JSON object), on the channel
                   // identifier (empty: the one the handshake subscribed to)
        Call,      // WAMP CALL: target the procedure, args its positional arguments (JSON values)
    };
    Kind kind = Kind::Emit;
    QString target;
    QByteArray body;
    QList<QByteArray> args; // Emit, Invoke, Call: each a JSON value
    bool ack = false;
    // Set after the first five (brace-initialised from those alone).
    QString event = {};                          // Push
    QList<QPair<QString, QString>> headers = {}; // Send
    QByteArray variables = {};                   // Query: a JSON object; empty: none
    QByteArray identifier = {};                  // Perform
    int qos = 0;                                 // Publish, Subscribe: 0 or 1
    bool retain = false;                         // Publish

    friend bool operator==(const ProtocolMessage &, const ProtocolMessage &) = default;
};

// Which application protocol a session speaks (`connect --protocol`), its handshake settings, and whether it
// answers the protocol's heartbeats. Part of SessionOptions, and so of profiles.
struct AppProtocolSettings {
    enum class Mode : quint8 {
        None,  // the session sends only what it is told; decoding still happens when the protocol is recognised
        Auto,  // speak the protocol the handshake shows (URL shape, negotiated subprotocol), if one is sure enough
        Speak, // speak `protocol`
    };
    Mode mode = Mode::None;
    AppProtocol protocol = AppProtocol::SocketIo; // Speak only

    // Answer the protocol's heartbeats and send its own (Engine.IO pong, STOMP beats, MQTT PINGREQ, graphql pong);
    // off plays a client that hangs while its connection stays up, as autoPong does for WebSocket pings.
    bool heartbeats = true;

    // Socket.IO: the namespace to CONNECT to and the CONNECT packet's auth payload (a JSON object; empty: none).
    QString socketIoNamespace = QStringLiteral("/");
    QByteArray socketIoAuth;

    // STOMP: CONNECT's host header (empty: the URL's host), credentials, and heart-beat cx,cy in ms (the
    // specification's defaults are 0,0; @stomp/stompjs sends 10000,10000, which is what a user expects).
    QString stompHost;
    QString stompLogin;
    QString stompPasscode; // a secret: profiles keep it in the keychain
    qint64 stompHeartbeatSendMs = 10000;
    qint64 stompHeartbeatReceiveMs = 10000;

    // MQTT 3.1.1: CONNECT's client id (empty: one is made up, as mqtt.js does), Keep Alive in seconds (mqtt.js's
    // default 60; 0 turns it off), credentials, clean session.
    QString mqttClientId;
    int mqttKeepAliveSeconds = 60;
    QString mqttUsername;
    QString mqttPassword; // a secret
    bool mqttCleanSession = true;

    // GraphQL (both protocols): connection_init's payload, a JSON object; empty: none.
    QByteArray graphqlInitPayload;

    // Phoenix: the topic to join (empty: none) and the join payload (JSON object).
    QString phoenixTopic;
    QByteArray phoenixJoinPayload;
    // Action Cable: the channel identifier to subscribe to, a JSON object such as {"channel":"ChatChannel"}.
    QByteArray actionCableIdentifier;
    // WAMP: the realm HELLO joins (empty: no HELLO; the session is decoded only).
    QString wampRealm;

    // Sent in order once the handshake has been answered.
    QList<ProtocolMessage> messages;

    bool speaks() const noexcept { return mode != Mode::None; }

    friend bool operator==(const AppProtocolSettings &, const AppProtocolSettings &) = default;
};

} // namespace wsi
