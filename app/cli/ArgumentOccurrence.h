// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace wsi::cli {

// One use of a flag on the command line, as a row's apply() receives it.
struct ArgumentOccurrence {
    QString written{};    // how the flag was written, for messages: "--header", "-H"
    QStringList values{}; // a flag without a value: none; a required value: one; optional ones: none or more

    QString value() const { return values.value(0); }
};

} // namespace wsi::cli
