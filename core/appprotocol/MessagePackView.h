// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/PayloadView.h"

#include <QByteArrayView>

namespace wsi {

// A payload as MessagePack (msgpack spec) with msgpack-c: one object, or several back to back, which become an
// array. Maps with string keys become JSON objects, others a list of [key, value] pairs; bin and ext as base64.
// Before msgpack-c sees the bytes, a scan checks that no array, map, string or binary declares more than the
// payload holds, so a 5-byte payload cannot make the reader allocate for four billion elements.
class MessagePackView final
{
public:
    MessagePackView() = delete;

    // False in a build without msgpack-c: read() then answers with a violation saying so.
    static bool isAvailable();
    static PayloadView read(QByteArrayView payload);
};

} // namespace wsi
