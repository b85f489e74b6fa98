// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace wsi {

// Bytes written in hex as people write and paste them: "deadbeef", "de ad be ef", "de:ad:be:ef" (spaces, tabs,
// newlines and colons between digits are skipped). nullopt for anything else, with *why saying what and where
// ("'g' is not a hexadecimal digit (position 2)", "odd number of hexadecimal digits (3); each byte needs two").
// The one reading of hex for the composer, connect's flags, rule files and held-message decisions.
std::optional<QByteArray> parseHexBytes(QStringView text, QString *why = nullptr);

} // namespace wsi
