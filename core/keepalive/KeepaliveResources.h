// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace wsi::KeepaliveResources {

// Reads a file of the keepalive resources (the intermediary catalog, the heartbeat presets) compiled into
// wsi_core. Registers the resource first: wsi_core is a static library, and a linker may drop the object file
// whose static initialiser would otherwise register it. Aborts when the file is missing (a build defect).
QByteArray read(const QString &resourcePath);

// The root object of a keepalive resource document (the catalog, the fingerprints): nullopt and a message when it is
// not JSON or its schema_version is not 1.
std::optional<QJsonObject> rootOf(const QByteArray &json, QString *error);

} // namespace wsi::KeepaliveResources
