// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/KeepaliveResources.h"

#include <QFile>
#include <QJsonDocument>
#include <QtGlobal>

#include <mutex>

// Q_INIT_RESOURCE declares a function in the global namespace, so it cannot be used inside namespace wsi.
static void initKeepaliveResources()
{
    Q_INIT_RESOURCE(wsi_keepalive_resources);
}

namespace wsi::KeepaliveResources {

QByteArray read(const QString &resourcePath)
{
    static std::once_flag registered;
    std::call_once(registered, initKeepaliveResources);
    QFile file(resourcePath);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("keepalive resource %s is missing from wsi_core: %s", qPrintable(resourcePath),
               qPrintable(file.errorString()));
    return file.readAll();
}

std::optional<QJsonObject> rootOf(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    QString problem;
    if (parseError.error != QJsonParseError::NoError)
        problem = QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
    else if (document.object().value(QStringLiteral("schema_version")).toInt() != 1)
        problem = QStringLiteral("schema_version must be 1");
    if (problem.isEmpty())
        return document.object();
    if (error)
        *error = problem;
    return std::nullopt;
}

} // namespace wsi::KeepaliveResources
