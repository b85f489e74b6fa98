// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/KeyLogFile.h"
#include "core/proxy/OpenSslHandles.h"
#include "core/proxy/UpstreamTlsOptions.h"

#include <QString>

#include <memory>

namespace wsi {

// What every TlsStream of one side of the capture proxy shares: OpenSSL's SSL_CTX with TLS 1.2 and 1.3 only,
// renegotiation off, and the key log. Made once per proxy (loading the system CAs is not free), used from any
// thread.
class TlsContext final
{
public:
    enum class Role : quint8 {
        Intercepting, // the server the intercepted client sees: leaves from the CaptureAuthority, ALPN http/1.1
        Upstream,     // the client toward the real server: verified as a browser would, ALPN http/1.1
        Serving,      // a server with one given certificate (a reverse relay's TLS listener), ALPN http/1.1
    };

    static std::shared_ptr<TlsContext> intercepting(std::shared_ptr<const CaptureAuthority> authority,
                                                    std::shared_ptr<KeyLogFile> keyLog, QString *error);
    // The same with the capture CA kept in `caFolder`, made there on first use (CaptureAuthority::openOrCreate).
    static std::shared_ptr<TlsContext> interceptingWithCaIn(const QString &caFolder, std::shared_ptr<KeyLogFile> keyLog,
                                                            QString *error);
    // A server with the certificate (chain) in `certificateFile` and its key in `keyFile`, both PEM. Null with *error
    // naming the file when either cannot be used or they do not belong together.
    static std::shared_ptr<TlsContext> serving(const QString &certificateFile, const QString &keyFile,
                                               std::shared_ptr<KeyLogFile> keyLog, QString *error);
    // Null with *error when the extra CA file cannot be used.
    static std::shared_ptr<TlsContext> upstream(const UpstreamTlsOptions &options, std::shared_ptr<KeyLogFile> keyLog,
                                                QString *error);

    Role role() const { return m_role; }
    bool insecure() const { return m_options.insecure; }
    const UpstreamTlsOptions &upstreamOptions() const { return m_options; }
    const CaptureAuthority *authority() const { return m_authority.get(); }
    KeyLogFile *keyLog() const { return m_keyLog.get(); }
    SSL_CTX *handle() const { return m_context.get(); }

    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

private:
    TlsContext() = default;
    bool setUp(const SSL_METHOD *method, QString *error);

    Role m_role = Role::Intercepting;
    UpstreamTlsOptions m_options;
    std::shared_ptr<const CaptureAuthority> m_authority;
    std::shared_ptr<KeyLogFile> m_keyLog;
    SslContextHandle m_context;
};

} // namespace wsi
