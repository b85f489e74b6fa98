// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wsi {

// The answer a proxy gives in its own name when it cannot pass a request on (400, 431, 502, 504 ...): the status,
// and the reason as a plain-text body a person reads in curl's output or a browser, with Connection: close.
namespace ProxyErrorResponse {

QByteArray make(int status, const QString &reason);

} // namespace ProxyErrorResponse
} // namespace wsi
