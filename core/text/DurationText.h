// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace wsi::DurationText {

// The unit of a number written without one: seconds everywhere, except knobs whose real name carries another
// unit (Azure's IdleTimeoutInMinutes).
enum class PlainUnit : quint8 { Seconds, Minutes };

// Parses "2s", "500ms", "5m", "1h", "1.5s" or a plain number (in plainUnit) into milliseconds. Rejects negative
// values, values that are not a whole number of milliseconds after conversion, and anything above 100 days, with
// a message that says what was expected.
std::optional<qint64> parseMs(QStringView text, QString *error, PlainUnit plainUnit = PlainUnit::Seconds);

// "60 s", "1.5 s", "300 ms", "2 h", "5 min": the shortest exact form, for people.
QString format(qint64 ms);
// "5.0 s", "60.3 s": a measured time to the tenth of a second, as diagnoses print what a session measured.
QString tenths(qint64 ms);
// Seconds as a JSON-friendly number (60, 60.3, 924.6).
double seconds(qint64 ms);

} // namespace wsi::DurationText
