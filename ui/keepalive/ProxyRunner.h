// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QThread;

namespace wsi {

// What the window's proxies share (LiveProxy: the timeout proxy; LiveCapture: the capture proxy): one proxy at a
// time, living on the network thread, never the GUI thread, and never waited for. It listens there and the answer
// comes back queued (started() or failed()). Stopping closes it there and deletes it only after a round trip
// through the GUI thread: close() makes each relay queue its closed(), whose receivers on the GUI thread (the views)
// read the relay one last time, so the relay must outlive that. Starting again replaces the running proxy.
class ProxyRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyRunner)

public:
    // A running proxy goes with the window: closed and deleted on its thread before this returns, without a word
    // (quitting waits for recordings anyway, and nothing on the GUI thread reads the relays meanwhile).
    ~ProxyRunner() override;

    bool isRunning() const noexcept { return m_url.isValid(); }
    // What clients are pointed at; empty unless running.
    QUrl url() const { return m_url; }
    // stopped() first (when it ran): whoever holds its connections lets them go before the proxy can delete them.
    void stop();

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &error);
    void stopped();

protected:
    ProxyRunner(QThread *networkThread, QObject *parent);

    // Runs `proxy` (made on the GUI thread, without a parent; connect to its signals first): any proxy with
    // listen(), errorString(), url() and close().
    template<class Proxy>
    void run(Proxy *proxy)
    {
        run(
            proxy,
            [proxy] {
                return Listened{proxy->listen(), proxy->errorString(), proxy->url()};
            },
            [proxy] { proxy->close(); });
    }
    // Whether `proxy` is the one running or starting now (not one replaced or stopped since its signal was sent).
    bool runs(const QObject *proxy) const noexcept { return proxy && proxy == m_proxy; }

private:
    struct Listened {
        bool listening = false;
        QString error;
        QUrl url;
    };
    void run(QObject *proxy, std::function<Listened()> listen, std::function<void()> close);

    QThread *m_thread;
    QObject *m_proxy = nullptr; // lives on m_thread; deleted there
    std::function<void()> m_close;
    QUrl m_url;
};

} // namespace wsi
