// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/HandshakeRecord.h"

#include <QSqlRecord>
#include <QVariantList>

namespace wsi {

// The handshake table's columns (see RecordingFormat) from a HandshakeRecord and back, in one place so the writer
// and the reader cannot drift apart. Headers are kept as their wire lines ("Name: value\r\n"), so nothing about
// them (order, repeats, bytes that are not UTF-8) is lost.
namespace RecordingHandshakeFields {

// In the order of the handshake table's columns after id.
QVariantList toColumns(const HandshakeRecord &handshake);
// From a row of `SELECT * FROM handshake`.
HandshakeRecord fromRow(const QSqlRecord &row);

// The reverse of HttpHeaders::toWire().
HttpHeaders headersFromWire(QByteArrayView wire);

} // namespace RecordingHandshakeFields
} // namespace wsi
