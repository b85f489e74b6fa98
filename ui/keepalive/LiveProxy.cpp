// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/keepalive/LiveProxy.h"

#include "core/proxy/TimeoutProxy.h"

#include <QThread>

namespace wsi {

LiveProxy::LiveProxy(QThread *networkThread, QObject *parent)
    : QObject(parent)
    , m_thread(networkThread)
{}

LiveProxy::~LiveProxy()
{
    stop();
}

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
    proxy->moveToThread(m_thread);
    m_proxy = proxy;
    connect(proxy, &TimeoutProxy::connectionAccepted, this, &LiveProxy::connectionAccepted);
    QPointer<LiveProxy> self(this);
    QMetaObject::invokeMethod(proxy, [proxy, self] {
        const bool listening = proxy->listen();
        const QString error = proxy->errorString();
        const QUrl url = proxy->url();
        QMetaObject::invokeMethod(
            self,
            [self, proxy, listening, error, url] {
                if (!self || self->m_proxy != proxy)
                    return; // replaced or stopped meanwhile
                if (listening) {
                    self->m_url = url;
                    Q_EMIT self->started(url);
                } else {
                    self->stop();
                    Q_EMIT self->failed(error);
                }
            },
            Qt::QueuedConnection);
    });
}

void LiveProxy::stop()
{
    if (!m_proxy)
        return;
    TimeoutProxy *proxy = m_proxy;
    m_proxy = nullptr;
    m_url = {};
    disconnect(proxy, nullptr, this, nullptr);
    // Closed and deleted on its own thread; the views keep the frame logs they show.
    QMetaObject::invokeMethod(proxy, [proxy] {
        proxy->close();
        proxy->deleteLater();
    });
    Q_EMIT stopped();
}

} // namespace wsi
