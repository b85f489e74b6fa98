// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Protobuf payloads for tests, made by the real encoder: `protoc --encode` (Debian protobuf-compiler) reads a
// message in text format and writes its binary encoding, so the payloads under test are not hand-made.
namespace wsi::test {

// The encoding of `textFormat` as `messageType` of `protoFile` (imports read from its folder); empty with *error
// saying why (protoc missing, its own error).
QByteArray protocEncode(const QString &protoFile, const QString &messageType, const QByteArray &textFormat,
                        QString *error);

} // namespace wsi::test
