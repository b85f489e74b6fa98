// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/keepalive/ProxyRunner.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace wsi {

ProxyRunner::ProxyRunner(QThread *networkThread, QObject *parent)
    : QObject(parent)
    , m_thread(networkThread)
{}

ProxyRunner::~ProxyRunner()
{
    if (!m_proxy)
        return;
    QObject *proxy = std::exchange(m_proxy, nullptr);
    disconnect(proxy, nullptr, this, nullptr);
    if (!m_thread->isRunning())
        return; // its thread is gone: so is every event that could reach it
    // Closed first, so each relay's queued closed() reaches its recording on that thread, then deleted.
    QMetaObject::invokeMethod(proxy, m_close, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        proxy, [proxy] { delete proxy; }, Qt::BlockingQueuedConnection);
}

void ProxyRunner::run(QObject *proxy, std::function<Listened()> listen, std::function<void()> close)
{
    stop();
    m_proxy = proxy;
    m_close = std::move(close);
    proxy->moveToThread(m_thread);
    const QPointer<ProxyRunner> self(this);
    QMetaObject::invokeMethod(proxy, [self, proxy, listen = std::move(listen)] {
        const Listened listened = listen();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, proxy, listened] {
                if (!self || !self->runs(proxy))
                    return; // replaced or stopped meanwhile
                if (listened.listening) {
                    self->m_url = listened.url;
                    Q_EMIT self->started(listened.url);
                } else {
                    self->stop();
                    Q_EMIT self->failed(listened.error);
                }
            },
            Qt::QueuedConnection);
    });
}

void ProxyRunner::stop()
{
    if (!m_proxy)
        return;
    QObject *proxy = std::exchange(m_proxy, nullptr);
    const std::function<void()> close = std::exchange(m_close, {});
    const bool wasRunning = isRunning();
    m_url = {};
    disconnect(proxy, nullptr, this, nullptr);
    if (wasRunning)
        Q_EMIT stopped();
    QMetaObject::invokeMethod(proxy, [proxy, close] {
        close();
        QMetaObject::invokeMethod(
            proxy,
            [proxy] {
                // Every closed() is emitted now; once what it queued toward the GUI thread was delivered there,
                // the relays may go.
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(), [proxy] { QMetaObject::invokeMethod(proxy, &QObject::deleteLater); },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    });
}

} // namespace wsi
