// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/capture/LiveCapture.h"

#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/CaptureProxy.h"
#include "core/proxy/CaptureRecordings.h"
#include "core/proxy/ProxyConnection.h"

namespace wsi {

LiveCapture::LiveCapture(QThread *networkThread, QObject *parent)
    : ProxyRunner(networkThread, parent)
{
    // CaptureProxy::webSocketAccepted crosses threads with it (its header only declares the class).
    qRegisterMetaType<ProxyConnection *>();
}

LiveCapture::~LiveCapture() = default;

QString LiveCapture::webSocketsText(int count)
{
    return count == 1 ? tr("1 WebSocket connection") : tr("%1 WebSocket connections").arg(count);
}

void LiveCapture::start(const CaptureOptions &options, const QString &recordDirectory,
                        const UpstreamTlsOptions &upstream)
{
    stop();
    m_recordDirectory = recordDirectory;
    m_webSockets = m_passedThrough = m_refused = m_tlsFailures = 0;
    const int number = ++m_run;
    // On the GUI thread: two small files read, or on first use one EC key made and written (milliseconds).
    CaptureOptions intercepting = options;
    intercepting.relay.heldMessages = m_heldMessages;
    if (const QString problem =
            CaptureProxy::enableInterception(intercepting, CaptureAuthority::defaultFolder(), upstream, {});
        !problem.isEmpty()) {
        Q_EMIT interceptionFailed(problem);
        return;
    }
    auto *proxy = new CaptureProxy(intercepting);
    m_proxy = proxy;
    // The views read each relay from the GUI thread: it stays until the capture stops.
    proxy->setRemoveClosedConnections(false);
    if (!recordDirectory.isEmpty()) {
        // A child of the proxy, so it moves to the network thread with it, records each relay before it starts (a
        // direct call there, connected first), and goes after the relays ended.
        auto *recordings = new CaptureRecordings(recordDirectory, proxy);
        connect(proxy, &CaptureProxy::webSocketAccepted, recordings, &CaptureRecordings::record);
        // Said when each recording starts: the signals of recordings completed by a stop may never arrive, as the
        // proxy and its recordings are deleted soon after.
        connect(recordings, &CaptureRecordings::recordingStarted, this,
                [this, number](int id, const QString &path) { Q_EMIT recorded(number, id, path); });
        connect(recordings, &CaptureRecordings::recordingFailed, this,
                [this, number](int id, const QString &error) { Q_EMIT recordingFailed(number, id, error); });
    }
    // Queued to the GUI thread; a connection accepted just before a stop is not handed over.
    connect(proxy, &CaptureProxy::webSocketAccepted, this, [this, proxy](ProxyConnection *connection, const QUrl &url) {
        if (!runs(proxy))
            return;
        ++m_webSockets;
        Q_EMIT webSocketCaptured(connection, url);
        Q_EMIT countsChanged();
    });
    const auto passed = [this, proxy] {
        if (!runs(proxy))
            return;
        ++m_passedThrough;
        Q_EMIT countsChanged();
    };
    connect(proxy, &CaptureProxy::tunnelOpened, this, passed);
    connect(proxy, &CaptureProxy::httpPassed, this, passed);
    connect(proxy, &CaptureProxy::requestRefused, this, [this, proxy] {
        if (!runs(proxy))
            return;
        ++m_refused;
        Q_EMIT countsChanged();
    });
    connect(proxy, &CaptureProxy::tlsFailed, this,
            [this, proxy](int, const QString &host, quint16 port, const QString &side, const QString &reason) {
                if (!runs(proxy))
                    return;
                ++m_tlsFailures;
                Q_EMIT tlsFailed(host, port, side, reason);
                Q_EMIT countsChanged();
            });
    run(proxy);
}

void LiveCapture::setRules(std::shared_ptr<RuleSet> rules)
{
    if (!runs(m_proxy))
        return;
    // Queued behind listen(): a start still under way takes them too. Deleting the proxy (after a stop, on its
    // thread) drops the call if it has not run yet.
    QMetaObject::invokeMethod(
        m_proxy, [proxy = m_proxy, rules = std::move(rules)]() mutable { proxy->setRules(std::move(rules)); },
        Qt::QueuedConnection);
}

} // namespace wsi
