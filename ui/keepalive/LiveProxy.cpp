// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/keepalive/LiveProxy.h"

#include "core/proxy/TimeoutProxy.h"

namespace wsi {

LiveProxy::LiveProxy(QThread *networkThread, QObject *parent)
    : ProxyRunner(networkThread, parent)
{}

LiveProxy::~LiveProxy() = default;

void LiveProxy::start(const ProxyOptions &options)
{
    stop();
    QStringList chain;
    for (const ChainLink &link : options.models)
        chain << link.describe();
    m_description = tr("%1 → %2, time ÷ %3")
                        .arg(chain.isEmpty() ? tr("recording only") : chain.join(QStringLiteral(" → ")),
                             options.upstream.toString())
                        .arg(options.timeScale);
    auto *proxy = new TimeoutProxy(options);
    proxy->setRemoveClosedConnections(false);
    connect(proxy, &TimeoutProxy::connectionAccepted, this, &LiveProxy::connectionAccepted);
    run(proxy);
}

} // namespace wsi
