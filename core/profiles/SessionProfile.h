// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/MessageTemplate.h"
#include "core/profiles/ProfileVariable.h"
#include "core/session/SessionOptions.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace wsi {

// Everything needed to reopen a session, as plain data that ProfileJson writes and reads and ProfileStore keeps.
// The connection fields mirror SessionOptions one for one (see toSessionOptions / fromSessionOptions); the rest
// (simulator chain, message templates) is what the window and the CLI add around a session.
//
// Secrets: header values whose names are in secretHeaders, and cookie values, are kept in memory only. ProfileJson
// writes them as the placeholder "{{secret}}" unless explicitly asked for an export with secrets; the window keeps
// them in the OS keychain (SecretStore, ProfileSecrets). Values of secret variables are treated the same way.
// "{{name}}" placeholders in the URL, header values, Origin and cookie values are filled in from `variables` (or
// asked for) when connecting: see ProfileVariables. toSessionOptions() copies them as written.
struct SessionProfile {
    static constexpr QLatin1StringView secretPlaceholder{"{{secret}}"};

    QString name;

    QUrl url;
    HttpHeaders headers;
    QStringList secretHeaders; // header names (ASCII case-insensitive) whose values are secrets
    QStringList subprotocols;
    QString origin;
    QList<QPair<QByteArray, QByteArray>> cookies; // values are always secrets
    bool offerDeflate = true;
    TlsOptions tls;
    QUrl proxy;
    ProtocolLimits limits;
    int handshakeTimeoutMs = 15000;
    int closeTimeoutMs = 5000;
    bool autoPong = true;
    bool strict = true;
    FrameLog::Budget budget;
    HeartbeatSettings heartbeat;
    ReconnectPolicy reconnect;
    QList<OnConnectMessage> onConnectMessages;

    // The simulator's chain, outermost first, as command-line link strings ("nginx:proxy_read_timeout=30s"): they
    // stay readable in the file and are parsed against whatever catalog is current when the chain is used.
    QStringList simulatorChain;
    QList<MessageTemplate> messageTemplates;
    QList<ProfileVariable> variables;

    bool isSecretHeader(QByteArrayView headerName) const;

    SessionOptions toSessionOptions() const;
    static SessionProfile fromSessionOptions(const SessionOptions &options, const QString &name = {});
};

} // namespace wsi
