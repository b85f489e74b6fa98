// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/SessionProfile.h"

namespace wsi {

bool SessionProfile::isSecretHeader(QByteArrayView headerName) const
{
    for (const QString &secret : secretHeaders) {
        if (HttpSyntax::equalsIgnoringCase(secret.toUtf8(), headerName))
            return true;
    }
    return false;
}

SessionOptions SessionProfile::toSessionOptions() const
{
    SessionOptions options;
    options.url = url;
    options.headers = headers;
    options.subprotocols = subprotocols;
    options.origin = origin;
    options.cookies = cookies;
    options.offerDeflate = offerDeflate;
    options.tls = tls;
    options.proxy = proxy;
    options.limits = limits;
    options.handshakeTimeoutMs = handshakeTimeoutMs;
    options.closeTimeoutMs = closeTimeoutMs;
    options.autoPong = autoPong;
    options.strict = strict;
    options.budget = budget;
    options.heartbeat = heartbeat;
    options.onConnectMessages = onConnectMessages;
    options.reconnect = reconnect;
    return options;
}

SessionProfile SessionProfile::fromSessionOptions(const SessionOptions &options, const QString &name)
{
    SessionProfile profile;
    profile.name = name;
    profile.url = options.url;
    profile.headers = options.headers;
    profile.subprotocols = options.subprotocols;
    profile.origin = options.origin;
    profile.cookies = options.cookies;
    profile.offerDeflate = options.offerDeflate;
    profile.tls = options.tls;
    profile.proxy = options.proxy;
    profile.limits = options.limits;
    profile.handshakeTimeoutMs = options.handshakeTimeoutMs;
    profile.closeTimeoutMs = options.closeTimeoutMs;
    profile.autoPong = options.autoPong;
    profile.strict = options.strict;
    profile.budget = options.budget;
    profile.heartbeat = options.heartbeat;
    profile.onConnectMessages = options.onConnectMessages;
    profile.reconnect = options.reconnect;
    return profile;
}

} // namespace wsi
