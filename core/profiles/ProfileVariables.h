// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/SessionProfile.h"
#include "core/session/SessionOptions.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// The values a profile leaves open until it connects: "{{name}}" variables in the URL (path and query; a host must
// be real), header values, Origin and cookie values, and secret header and cookie values that are still
// SessionProfile::secretPlaceholder (the keychain had none), and so is the proxy URL's password. Other fields are never
// substituted: "{{seq}}" and
// "{{now_ms}}" in a heartbeat message belong to the heartbeat engine.
//
// A variable name is a letter or '_' followed by letters, digits, '_', '.' or '-'; "secret" is the placeholder's.
class ProfileVariables
{
public:
    // One value the user has to give before the profile can connect.
    struct Question {
        enum class Kind : quint8 { Header, Cookie, ProxyPassword, Variable };
        Kind kind = Kind::Variable;
        QString name;         // header name, cookie name, the proxy's user name, or variable name
        qsizetype index = -1; // into headers, cookies or variables; -1: a variable used but not declared, the proxy
        bool secret = false;

        friend bool operator==(const Question &, const Question &) = default;
    };

    static bool isValidName(QStringView name);
    // Names used in the substituted fields, in order of first use, each once; the secret placeholder is not one.
    static QStringList referencedNames(const SessionProfile &profile);
    // What is still open: secret header and cookie values equal to the placeholder, the proxy's password when it
    // is, then used variables that are undeclared or have no value.
    static QList<Question> unanswered(const SessionProfile &profile);
    // Puts answers[i] where questions[i] points (a variable that was not declared is added, not secret).
    static void answer(SessionProfile &profile, const QList<Question> &questions, const QStringList &answers);
    // The options with every variable replaced; fails with a sentence naming the first open value, or an invalid
    // URL after substitution. Values in the URL are percent-encoded, so any text is safe there.
    static std::optional<SessionOptions> resolve(const SessionProfile &profile, QString *error);

    // QUrl refuses '{' and '}': a profile's URL keeps its placeholders percent-encoded ("%7B%7Bname%7D%7D") and
    // files show them as written.
    static QString encodeUrlPlaceholders(QString url);
    static QString decodeUrlPlaceholders(QString url);
};

} // namespace wsi
