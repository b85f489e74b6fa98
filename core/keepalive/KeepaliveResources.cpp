// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/KeepaliveResources.h"

#include <QFile>
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

} // namespace wsi::KeepaliveResources
