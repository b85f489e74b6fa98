// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wsi::KeepaliveResources {

// Reads a file of the keepalive resources (the intermediary catalog, the heartbeat presets) compiled into
// wsi_core. Registers the resource first: wsi_core is a static library, and a linker may drop the object file
// whose static initialiser would otherwise register it. Aborts when the file is missing (a build defect).
QByteArray read(const QString &resourcePath);

} // namespace wsi::KeepaliveResources
