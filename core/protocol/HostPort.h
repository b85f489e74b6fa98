// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace wsi {

// host:port written one way everywhere: an IPv6 literal in brackets (RFC 3986 §3.2.2), so "[::1]:9001" never reads
// as an address with a port glued on.
namespace HostPort {

// "127.0.0.1:9001", "[::1]:9001", "example.test:443".
QString format(const QString &host, quint16 port);
// The URL's host, and ":port" when the URL names one: "example.test", "[::1]:9001". For people (tab titles).
QString ofUrl(const QUrl &url);
// The Host header field for a ws:// or wss:// URL: the host in its ACE (punycode) form, an IPv6 literal in
// brackets, and the port only when it is not the scheme's default (RFC 6455 §4.1, RFC 9110 §7.2).
QByteArray hostField(const QUrl &url);

} // namespace HostPort
} // namespace wsi
