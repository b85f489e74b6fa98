// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/ProxyConnection.h"
#include "core/proxy/ProxyOptions.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class QThread;

namespace wsi {

class TimeoutProxy;

// The window's timeout proxy: runs a TimeoutProxy on the network thread and reports back to the GUI thread, never
// waiting for it. Starting again replaces the running proxy (its connections are aborted; what they recorded stays
// with the views that show them).
class LiveProxy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveProxy)

public:
    LiveProxy(QThread *networkThread, QObject *parent = nullptr);
    ~LiveProxy() override;

    // Asynchronous: started() or failed() follows.
    void start(const ProxyOptions &options);
    void stop();
    bool isRunning() const noexcept { return m_url.isValid(); }
    QUrl url() const { return m_url; }
    QString describe() const { return m_description; }

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &error);
    void stopped();
    void connectionAccepted(wsi::ProxyConnection *connection);

private:
    QThread *m_thread;
    TimeoutProxy *m_proxy = nullptr; // lives on m_thread; deleted there
    QUrl m_url;
    QString m_description;
};

} // namespace wsi
