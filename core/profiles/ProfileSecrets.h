// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/SessionProfile.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>

namespace wsi {

// The secret values of one profile, as SecretStore keeps them in the OS keychain: values of headers named in
// secretHeaders, cookie values, the proxy URL's password and values of secret variables. Each is keyed by what it
// belongs to ("header:authorization#1", "cookie:sid#1", "proxy:password", "variable:token"), counting repeats of a
// name in order, so that putting them back needs nothing but the profile file.
//
// One keychain entry per profile (this object as JSON) rather than one per value: one request, and one access
// prompt on systems that ask, whatever the number of secrets.
class ProfileSecrets
{
public:
    // The values the profile holds in memory; placeholders (values never known) are left out.
    static ProfileSecrets extract(const SessionProfile &profile);
    // Fills in every secret that is still the placeholder and has a value here; returns how many were filled.
    int applyTo(SessionProfile &profile) const;

    bool isEmpty() const noexcept { return m_values.isEmpty(); }
    qsizetype size() const noexcept { return m_values.size(); }
    const QMap<QString, QString> &values() const noexcept { return m_values; }

    QByteArray toBytes() const;
    static std::optional<ProfileSecrets> fromBytes(const QByteArray &bytes, QString *error);

    friend bool operator==(const ProfileSecrets &, const ProfileSecrets &) = default;

private:
    QMap<QString, QString> m_values;
};

} // namespace wsi
