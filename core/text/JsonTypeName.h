// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QString>

namespace wsi {

// What a JSON value is, in the words of an error message: "a string", "an array", "null" ... ("expected a number,
// found a string"). Shared by the readers of profiles and of HAR files.
QString jsonTypeName(const QJsonValue &value);

} // namespace wsi
