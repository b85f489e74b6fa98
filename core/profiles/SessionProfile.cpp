// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/SessionProfile.h"

namespace wsi {

bool SessionProfile::isSecretHeader(QByteArrayView headerName) const
{
    for (const QString &secret : options.secretHeaders) {
        if (HttpSyntax::equalsIgnoringCase(secret.toUtf8(), headerName))
            return true;
    }
    return false;
}

bool SessionProfile::hasSecrets() const
{
    if (!options.cookies.isEmpty() || !options.proxy.password().isEmpty())
        return true;
    for (const HttpHeader &header : options.headers) {
        if (isSecretHeader(header.name))
            return true;
    }
    for (const ProfileVariable &variable : variables) {
        if (variable.secret)
            return true;
    }
    return false;
}

bool SessionProfile::looksSecret(QStringView name)
{
    static constexpr QLatin1StringView words[] = {QLatin1StringView("auth"),     QLatin1StringView("cookie"),
                                                  QLatin1StringView("token"),    QLatin1StringView("secret"),
                                                  QLatin1StringView("password"), QLatin1StringView("key"),
                                                  QLatin1StringView("session")};
    for (const QLatin1StringView word : words) {
        if (name.contains(word, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace wsi
