// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUrl>

#include <optional>

namespace wsi {

// The head of one HTTP/1.1 request a client sends to the capture proxy (request line and header fields, up to the
// blank line): `CONNECT host:port`, an absolute-form request (`GET http://host:port/path HTTP/1.1`, what a client
// configured with an HTTP proxy sends for plain http:// and ws://), or, inside a CONNECT tunnel, an origin-form
// one (`GET /path HTTP/1.1` with Host). Parsing is strict enough to name what is wrong and no stricter: the proxy
// passes everything through, it does not police HTTP.
class ProxyRequestHead final
{
public:
    enum class Form : quint8 { Connect, Absolute, Origin };

    // A head longer than this without its blank line is refused (431): a proxy must not buffer without bound.
    static constexpr qsizetype maxBytes = 64 * 1024;

    // Where the head ends in `buffer` (the index just past "\r\n\r\n"), or -1 while it has not ended.
    // `searchedBefore`: how much of `buffer` an earlier call already searched in vain (its size then), so that only
    // the new bytes and the three before them are searched again: a client that sends its head a byte at a time
    // costs one pass over it, not one per byte.
    static qsizetype endOf(QByteArrayView buffer, qsizetype searchedBefore = 0);
    // Parses a complete head (ending with the blank line). nullopt with *error saying what is wrong.
    static std::optional<ProxyRequestHead> parse(QByteArrayView head, QString *error);

    Form form() const noexcept { return m_form; }
    const QByteArray &method() const noexcept { return m_method; }
    const QByteArray &target() const noexcept { return m_target; } // as the client wrote it
    const HttpHeaders &headers() const noexcept { return m_headers; }
    const QByteArray &raw() const noexcept { return m_raw; }
    // The server the request is for: CONNECT's authority, an absolute-form target's, else the Host field.
    const QString &host() const noexcept { return m_host; }
    quint16 port() const noexcept { return m_port; }
    // Path and query ("/chat?room=1"); "/" when the target names none. Empty for CONNECT.
    const QByteArray &originTarget() const noexcept { return m_originTarget; }

    // GET with "Connection: upgrade" and "Upgrade: websocket" (RFC 6455 §4.1): the relay takes it.
    bool isWebSocketUpgrade() const;
    // The URL the client asked for: ws:// (or wss:// when `secure`) host, port and origin target.
    QUrl webSocketUrl(bool secure) const;
    // The same request as it goes to the server: an absolute-form target in origin form, and the hop-by-hop
    // fields meant for the proxy (Proxy-Connection, Proxy-Authorization) removed. Every other byte, the Host field
    // and the order of the fields included, is the client's. An origin-form request without those fields comes
    // out identical.
    QByteArray forwarded() const;

private:
    Form m_form = Form::Origin;
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_version;
    HttpHeaders m_headers;
    QByteArray m_raw;
    QString m_host;
    quint16 m_port = 0;
    QByteArray m_originTarget;
};

} // namespace wsi
