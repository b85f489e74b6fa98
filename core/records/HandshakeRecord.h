// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/DeflateParameters.h"
#include "core/protocol/HandshakeResponse.h"
#include "core/protocol/Violation.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// Durations of the connection's phases in nanoseconds; -1 for a phase that did not happen (no DNS lookup for an IP
// literal or through a proxy, no TLS for ws://).
struct ConnectTimings {
    qint64 dnsNs = -1;
    qint64 connectNs = -1; // TCP connect (to the proxy, when one is used, including its CONNECT / SOCKS setup)
    qint64 tlsNs = -1;
    qint64 upgradeNs = -1; // request sent -> response complete
};

// What the opening handshake looked like, also when it failed.
struct HandshakeRecord {
    QByteArray requestBytes;
    HttpHeaders requestHeaders;
    bool responseReceived = false;
    HandshakeResponse response; // also for a refusal: status, headers and (capped) body
    bool accepted = false;
    QString subprotocol;
    QList<QByteArray> extensions; // negotiated extension elements as the server wrote them
    std::optional<DeflateParameters> deflate;
    ViolationList violations;
    QString explanation; // plain words: why it failed, or empty
    // A relay with rules took the client's permessage-deflate offer out of the request it forwarded, so that rules
    // see and rewrite plain messages (the request above is the client's, with the offer).
    bool relayDeclinedDeflate = false;
    ConnectTimings timings;
    QString peerAddress; // "127.0.0.1:8080" / "[::1]:8080"
    QList<QSslCertificate> peerCertificateChain;
    QStringList tlsErrors; // certificate errors seen (even when ignored)
    QString tlsProtocol;   // "TLS 1.3"
    QString tlsCipher;
};

} // namespace wsi
