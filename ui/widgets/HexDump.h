// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace wsi::HexDump {

// A classic hex dump, one line per 16 bytes, as `hexdump -C` prints it:
//   "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|\n"
// offset (at least 8 hex digits), the bytes in lower-case hex with an extra space after the eighth, and the
// printable ASCII (0x20-0x7e; '.' for anything else). Every line ends with '\n'; no bytes give an empty string.
// Only the first maxBytes bytes are dumped (a negative maxBytes means no limit); when some are left out a last
// line says how many, so a huge payload never looks shorter than it is.
QString format(QByteArrayView data, qsizetype maxBytes = -1);

// The bytes as lower-case hex pairs separated by single spaces ("48 65 6c"), for the clipboard.
QString spaced(QByteArrayView data);

} // namespace wsi::HexDump
