// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryCatalog.h"

#include "core/keepalive/KeepaliveResources.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace wsi {

QString IntermediaryCatalog::builtInPath()
{
    return QStringLiteral(":/wsi/keepalive/intermediaries.json");
}

const IntermediaryCatalog &IntermediaryCatalog::builtIn()
{
    static const IntermediaryCatalog catalog = [] {
        const QByteArray json = KeepaliveResources::read(builtInPath());
        QString error;
        std::optional<IntermediaryCatalog> loaded = fromJson(json, &error);
        if (!loaded)
            qFatal("built-in intermediary catalog %s: %s", qPrintable(builtInPath()), qPrintable(error));
        return std::move(*loaded);
    }();
    return catalog;
}

std::optional<IntermediaryCatalog> IntermediaryCatalog::fromJson(const QByteArray &json, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<IntermediaryCatalog> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const std::optional<QJsonObject> document = KeepaliveResources::rootOf(json, error);
    if (!document)
        return std::nullopt;
    const QJsonObject &root = *document;

    IntermediaryCatalog catalog;
    const QJsonObject tcp = root.value(QStringLiteral("tcp")).toObject();
    const QJsonObject keepalive = tcp.value(QStringLiteral("keepalive_defaults")).toObject();
    const double rto = tcp.value(QStringLiteral("retransmission_timeout_s")).toDouble(-1);
    const double idle = keepalive.value(QStringLiteral("idle_s")).toDouble(-1);
    const double intvl = keepalive.value(QStringLiteral("intvl_s")).toDouble(-1);
    const int probes = keepalive.value(QStringLiteral("probes")).toInt(-1);
    if (rto <= 0 || idle <= 0 || intvl <= 0 || probes <= 0)
        return fail(QStringLiteral("tcp: retransmission_timeout_s and keepalive_defaults {idle_s, intvl_s, probes} "
                                   "must be positive numbers"));
    catalog.m_tcp.retransmissionTimeoutMs = qint64(std::llround(rto * 1000.0));
    catalog.m_tcp.retransmissionNote = tcp.value(QStringLiteral("retransmission_note")).toString();
    catalog.m_tcp.keepaliveIdleMs = qint64(std::llround(idle * 1000.0));
    catalog.m_tcp.keepaliveIntervalMs = qint64(std::llround(intvl * 1000.0));
    catalog.m_tcp.keepaliveProbes = probes;
    catalog.m_tcp.keepaliveNote = tcp.value(QStringLiteral("keepalive_note")).toString();
    catalog.m_tcp.source = tcp.value(QStringLiteral("source")).toString();

    const QJsonValue entries = root.value(QStringLiteral("intermediaries"));
    if (!entries.isArray() || entries.toArray().isEmpty())
        return fail(QStringLiteral("\"intermediaries\" must be a non-empty array"));
    for (const QJsonValue &entry : entries.toArray()) {
        QString entryError;
        std::optional<IntermediaryModel> model = IntermediaryModel::fromJson(entry.toObject(), &entryError);
        if (!model)
            return fail(entryError);
        if (catalog.find(model->id))
            return fail(QStringLiteral("intermediary '%1' appears twice").arg(model->id));
        catalog.m_models.append(std::move(*model));
    }
    return catalog;
}

const IntermediaryModel *IntermediaryCatalog::find(QStringView id) const
{
    for (const IntermediaryModel &model : m_models) {
        if (id.compare(model.id, Qt::CaseInsensitive) == 0)
            return &model;
    }
    return nullptr;
}

QStringList IntermediaryCatalog::ids() const
{
    QStringList ids;
    for (const IntermediaryModel &model : m_models)
        ids.append(model.id);
    return ids;
}

} // namespace wsi
