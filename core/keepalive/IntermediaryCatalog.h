// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryModel.h"
#include "core/keepalive/TcpDefaults.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// The intermediary catalog: every model of resources/intermediaries.json, compiled into wsi_core as a Qt
// resource, plus the TCP defaults the simulator assumes for the ends.
class IntermediaryCatalog
{
public:
    // The catalog shipped with the application, loaded once. A broken built-in catalog is a build defect, so it
    // aborts with the loader's message rather than limping on.
    static const IntermediaryCatalog &builtIn();
    // The resource path of the built-in file (for tests and for showing it to users).
    static QString builtInPath();

    // Parses a catalog document; nullopt and a message naming the entry and field on any error.
    static std::optional<IntermediaryCatalog> fromJson(const QByteArray &json, QString *error);

    const QList<IntermediaryModel> &models() const { return m_models; }
    const IntermediaryModel *find(QStringView id) const; // case-insensitive
    QStringList ids() const;
    const TcpDefaults &tcp() const { return m_tcp; }

private:
    QList<IntermediaryModel> m_models;
    TcpDefaults m_tcp;
};

} // namespace wsi
