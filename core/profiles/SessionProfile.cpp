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

} // namespace wsi
