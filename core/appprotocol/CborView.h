// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/PayloadView.h"

#include <QByteArrayView>

namespace wsi {

// A payload as CBOR (RFC 8949) with Qt's own reader (QCborValue): one item, or a CBOR sequence (RFC 8742) of
// several, which becomes an array. The tree is QCborValue's JSON form (byte strings as base64url, tags dropped);
// "diagnostic" keeps RFC 8949 §8 diagnostic notation, which shows both.
class CborView final
{
public:
    CborView() = delete;

    static PayloadView read(QByteArrayView payload);
};

} // namespace wsi
