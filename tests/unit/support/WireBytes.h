// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/FrameHeader.h"

#include <QByteArray>
#include <QByteArrayView>

#include <initializer_list>

// Helpers that build wire bytes for tests, so each test reads like the RFC's examples.
namespace wsi::test {

// "81 05 48 65" -> bytes; spaces, newlines and "0x" prefixes are ignored.
QByteArray hex(QByteArrayView text);
// {0x81, 0x05, ...} -> bytes
QByteArray bytes(std::initializer_list<int> values);
// Bytes as "81 05 48 ..." for failure messages.
QByteArray toHex(QByteArrayView data);
// HTTP text written with "\n" line ends -> the same text with CRLF line ends, so handshakes read like the RFC's.
QByteArray crlf(QByteArrayView text);

// Bytes 0, 1, 2, ... wrapping at 256: a payload whose every byte is known.
QByteArray pattern(qsizetype size);
// The RFC 6455 §5.3 masking as a plain loop, independent of the code under test.
QByteArray masked(QByteArrayView payload, MaskingKey key);

} // namespace wsi::test
