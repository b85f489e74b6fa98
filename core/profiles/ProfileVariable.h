// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// A "{{name}}" placeholder a profile declares, with the value it fills in (see ProfileVariables). A secret
// variable's value is kept like a secret header's: in memory and in the OS keychain, never in the profile file.
// An empty value (or SessionProfile::secretPlaceholder) means "ask the user when connecting".
struct ProfileVariable {
    QString name;
    QString value;
    bool secret = false;

    friend bool operator==(const ProfileVariable &, const ProfileVariable &) = default;
};

} // namespace wsi
