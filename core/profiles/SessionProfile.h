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

// Everything needed to reopen a session, as plain data that ProfileJson writes and reads and ProfileStore keeps: the
// session's own options (SessionOptions, the one options type: what the connection bar, the command line and a
// recording's info hold, secret header names included) and what only a profile adds around them (the simulator
// chain, message templates, variables).
//
// Secrets: header values whose names are in options.secretHeaders, cookie values and the password of the proxy URL are
// kept in memory only. ProfileJson writes them as the placeholder "{{secret}}" (for the proxy, "user:{{secret}}@")
// unless explicitly asked for an export with secrets; the window keeps them in the OS keychain (SecretStore,
// ProfileSecrets). Values of secret variables are treated the same way.
// "{{name}}" placeholders in the URL, header values, Origin and cookie values are filled in from `variables` (or
// asked for) when connecting: see ProfileVariables. `options` holds them as written.
struct SessionProfile {
    static constexpr QLatin1StringView secretPlaceholder{"{{secret}}"};

    QString name;
    SessionOptions options;

    // The simulator's chain, outermost first, as command-line link strings ("nginx:proxy_read_timeout=30s"): they
    // stay readable in the file and are parsed against whatever catalog is current when the chain is used.
    QStringList simulatorChain;
    QList<MessageTemplate> messageTemplates;
    QList<ProfileVariable> variables;

    bool isSecretHeader(QByteArrayView headerName) const;
    // Whether it holds any value that belongs in the keychain rather than in its file (or the placeholder of one).
    bool hasSecrets() const;
    // Whether a header or query parameter of this name most likely carries a secret (Authorization, cookies, API
    // keys, tokens, passwords, sessions): what the window marks secret before the user says otherwise.
    static bool looksSecret(QStringView name);
};

} // namespace wsi
