// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace wsi {

// A message the session sends as soon as a connection opens, and again after every reconnect: what a real client
// does to authenticate and subscribe ("auth", "subscribe") before anything else happens on a new connection.
struct OnConnectMessage {
    enum class Kind : quint8 { Text, Binary, Ping };
    Kind kind = Kind::Text;
    QByteArray payload;

    friend bool operator==(const OnConnectMessage &, const OnConnectMessage &) = default;
};

} // namespace wsi
