// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocolSettings.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/protocol/HttpHeaders.h"
#include "core/protocol/ProtocolLimits.h"
#include "core/records/FrameLog.h"
#include "core/records/HeartbeatSettings.h"
#include "core/rules/RuleSet.h"
#include "core/session/OnConnectMessage.h"
#include "core/session/ReconnectPolicy.h"
#include "core/session/TlsOptions.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace wsi {

// Everything needed to open one session.
struct SessionOptions {
    QUrl url;            // ws:// or wss://
    HttpHeaders headers; // extra request headers, in order
    // Names of headers (ASCII case-insensitive) whose values are secrets beyond the built-in rules (a profile's
    // X-Tenant, say): they travel with the session into its records and recording, so every export leaves them out.
    QStringList secretHeaders;
    QStringList subprotocols;
    QString origin;
    QList<QPair<QByteArray, QByteArray>> cookies;
    bool offerDeflate = true; // offer permessage-deflate as browsers do
    TlsOptions tls;
    QUrl proxy; // empty: direct; http://[user:pass@]host:port or socks5://[user:pass@]host:port
    ProtocolLimits limits;
    int handshakeTimeoutMs = 15000; // from connect() to the server's 101, DNS and TLS included
    int closeTimeoutMs = 5000;      // how long to wait for the server's Close / TCP close before giving up
    bool autoPong = true;           // answer pings with a pong carrying the same payload (RFC 6455 §5.5.2)
    bool strict = true;             // fail the connection on any violation, like a browser; false: record and go on
    FrameLog::Budget budget;
    HeartbeatSettings heartbeat; // the heartbeat engine: none by default, like a browser
    // Sent in order as soon as the connection opens, on every connection (a Reconnector's too): auth, subscribe.
    QList<OnConnectMessage> onConnectMessages;
    ReconnectPolicy reconnect; // read by Reconnector, which makes one Session per connection
    // The application protocol the session speaks (AppProtocolSpeaker): its handshake, heartbeats and first
    // messages, on every connection. None by default: the session sends only what it is told.
    AppProtocolSettings protocol;
    // Rules on what the session sends and receives (SessionRules: drop, delay, no-pong, delay-pong, stall, replace,
    // inject), shared by every connection of a Reconnector, so that switching one (RuleSet::setEnabled()) holds for
    // them all; null: none. rulesDocument: the JSON they were read from (RuleFile's format), as profiles save it.
    std::shared_ptr<RuleSet> rules;
    QByteArray rulesDocument;

    bool hasRules() const { return rules && !rules->isEmpty(); }

    // What the opening handshake is built from.
    HandshakeRequestOptions handshakeRequestOptions() const
    {
        HandshakeRequestOptions request;
        request.url = url;
        request.extraHeaders = headers;
        // Speaking a protocol without subprotocols given offers those its official client offers: servers such as
        // graphql-ws refuse a handshake without them.
        request.subprotocols = subprotocols.isEmpty() && protocol.mode == AppProtocolSettings::Mode::Speak
                                   ? AppProtocols::offeredSubprotocols(protocol.protocol)
                                   : subprotocols;
        request.origin = origin;
        request.cookies = cookies;
        if (!offerDeflate)
            request.deflate.reset();
        return request;
    }
};

} // namespace wsi
