// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ActionCableMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray ActionCableMessages::subscribe(const QByteArray &identifier)
{
    return "{\"command\":\"subscribe\",\"identifier\":" + PayloadJson::quoted(QString::fromUtf8(identifier.trimmed())) +
           '}';
}

} // namespace wsi
