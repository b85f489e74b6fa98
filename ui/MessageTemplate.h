// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Composer.h"

#include <QString>

namespace wsi {

// A message the user saved to send again: what the composer held (format, text, fragment count) under a name.
struct MessageTemplate {
    QString name;
    Composer::Format format = Composer::Format::Text;
    QString body;
    int fragments = 1;

    friend bool operator==(const MessageTemplate &, const MessageTemplate &) = default;
};

} // namespace wsi
