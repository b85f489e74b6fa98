// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/ProxyConnection.h"
#include "core/proxy/ProxyOptions.h"
#include "ui/keepalive/ProxyRunner.h"

namespace wsi {

// The window's timeout proxy: a TimeoutProxy run on the network thread by ProxyRunner. Every connection it relays is
// kept while it runs (the views read them); starting again replaces it (its connections are aborted; what they
// recorded stays with the views that show them).
class LiveProxy final : public ProxyRunner
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveProxy)

public:
    LiveProxy(QThread *networkThread, QObject *parent = nullptr);
    ~LiveProxy() override;

    // Asynchronous: started() or failed() follows.
    void start(const ProxyOptions &options);
    QString describe() const { return m_description; }

Q_SIGNALS:
    void connectionAccepted(wsi::ProxyConnection *connection);

private:
    QString m_description;
};

} // namespace wsi
