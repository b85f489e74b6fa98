// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/OpenSslErrors.h"

#include <QStringList>

#include <openssl/err.h>

namespace wsi {

QString OpenSslErrors::take(const QString &fallback)
{
    QStringList reasons;
    const char *data = nullptr;
    int flags = 0;
    while (const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        const char *reason = ERR_reason_error_string(code);
        QString text = reason ? QString::fromUtf8(reason) : QStringLiteral("error %1").arg(code, 0, 16);
        if (data && (flags & ERR_TXT_STRING) && *data)
            text += QStringLiteral(" (%1)").arg(QString::fromUtf8(data));
        if (!reasons.contains(text))
            reasons.append(text);
    }
    return reasons.isEmpty() ? fallback : reasons.join(QStringLiteral("; "));
}

void OpenSslErrors::clear()
{
    ERR_clear_error();
}

} // namespace wsi
