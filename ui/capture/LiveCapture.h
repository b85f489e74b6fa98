// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/CaptureOptions.h"
#include "core/proxy/HeldMessages.h"
#include "core/proxy/UpstreamTlsOptions.h"
#include "ui/keepalive/ProxyRunner.h"

#include <memory>

namespace wsi {

class CaptureProxy;
class ProxyConnection;
class RuleSet;

// The window's capture proxy: a CaptureProxy (and, when asked, its CaptureRecordings) run on the network thread by
// ProxyRunner. Every WebSocket connection an application opens through it is handed to the GUI thread, where it
// stays readable until the capture stops and its last signals were delivered. Starting again replaces the capture.
class LiveCapture final : public ProxyRunner
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveCapture)

public:
    explicit LiveCapture(QThread *networkThread, QObject *parent = nullptr);
    ~LiveCapture() override;

    // Asynchronous: started() or failed() follows. `recordDirectory` empty: the connections are not recorded. TLS to
    // the hosts `options` intercepts is intercepted with the capture CA the command line shares
    // (CaptureAuthority::defaultFolder(), made there on first use), the real servers checked as `upstream` says; a
    // CA or a servers' CA file that cannot be used is said at once by interceptionFailed() and nothing starts.
    void start(const CaptureOptions &options, const QString &recordDirectory, const UpstreamTlsOptions &upstream = {});
    QString recordDirectory() const { return m_recordDirectory; }
    // The rules of the running capture's WebSocket connections from their next upgrade on (null: none), handed to
    // the proxy on the network thread; connections already relayed keep the set they started with (whose switches
    // still act on them at once). A capture started later takes the rules of its own options
    // (CaptureOptions::relay.rules).
    void setRules(std::shared_ptr<RuleSet> rules);
    // Which capture this is, counting from 1 with each start (connection ids start over with each).
    int captureNumber() const noexcept { return m_run; }
    // Since the last start: WebSocket connections captured, and other connections passed through (plain HTTP, TLS
    // to hosts not intercepted) or refused.
    int webSocketCount() const noexcept { return m_webSockets; }
    int passedThroughCount() const noexcept { return m_passedThrough; }
    int refusedCount() const noexcept { return m_refused; }
    // TLS handshakes that failed: an application that does not trust the CA, or a server whose certificate does not
    // verify (the application got a refusal).
    int tlsFailureCount() const noexcept { return m_tlsFailures; }
    // The messages the capture's pause rules hold, for the window to decide on: one list for every capture (passed to
    // each in ProxyOptions::heldMessages); a connection's messages leave it when the connection ends.
    // Shared, so that a view keeps it as long as it reads it, whatever goes first.
    std::shared_ptr<HeldMessages> heldMessages() const noexcept { return m_heldMessages; }
    // "1 WebSocket connection", "3 WebSocket connections": for the status bar and the Captured list.
    static QString webSocketsText(int count);

Q_SIGNALS:
    // A WebSocket connection, already relayed and (when recording) recorded; `url` is what the application asked for.
    void webSocketCaptured(wsi::ProxyConnection *connection, const QUrl &url);
    // One of the counts above changed.
    void countsChanged();
    // Connection `connection` of capture number `run` (captureNumber()) is recorded into `path` (complete once the
    // connection ended and, when the capture stopped, once its proxy is gone), or its recording failed.
    void recorded(int run, int connection, const QString &path);
    void recordingFailed(int run, int connection, const QString &error);
    // An intercepted TLS connection failed: `side` "client" (the application refused the CA's certificate) or
    // "server" (the real server's certificate did not verify).
    void tlsFailed(const QString &host, quint16 port, const QString &side, const QString &reason);
    // start() did not start: the capture CA or the servers' CA file cannot be used (`problem` names the file).
    void interceptionFailed(const QString &problem);

private:
    CaptureProxy *m_proxy = nullptr; // lives on the network thread; used only while runs() says it is the one
    QString m_recordDirectory;
    std::shared_ptr<HeldMessages> m_heldMessages = std::make_shared<HeldMessages>();
    int m_run = 0;
    int m_webSockets = 0;
    int m_passedThrough = 0;
    int m_refused = 0;
    int m_tlsFailures = 0;
};

} // namespace wsi
