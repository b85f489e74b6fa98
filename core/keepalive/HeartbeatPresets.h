// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/HeartbeatPreset.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <optional>

namespace wsi {

// The heartbeat presets of resources/heartbeats.json, compiled into wsi_core: "behave like a Socket.IO server".
class HeartbeatPresets
{
public:
    static const HeartbeatPresets &builtIn();
    static QString builtInPath();
    static std::optional<HeartbeatPresets> fromJson(const QByteArray &json, QString *error);

    const QList<HeartbeatPreset> &presets() const { return m_presets; }
    const HeartbeatPreset *find(QStringView id) const; // case-insensitive
    QStringList ids() const;
    // The presets that define a behaviour for this role.
    QStringList idsFor(Endpoint side) const;

private:
    QList<HeartbeatPreset> m_presets;
};

} // namespace wsi
