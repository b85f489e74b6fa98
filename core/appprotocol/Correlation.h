// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// How a decoded message takes part in a request and its reply, so that a later step can pair them: a request and
// its replies carry the same key, and a reply travels the other way from its request. The key already holds the
// protocol's scope (Socket.IO namespace, MQTT packet identifier kind), never the direction.
struct Correlation {
    enum class Role : quint8 { None, Request, Reply };

    Role role = Role::None;
    QString key; // "ack /chat 12", "id 7", "operation 1b3c", "receipt 77", "packet 12"

    bool isRequest() const noexcept { return role == Role::Request; }
    bool isReply() const noexcept { return role == Role::Reply; }
    friend bool operator==(const Correlation &, const Correlation &) = default;

    static Correlation request(QString key) { return {Role::Request, std::move(key)}; }
    static Correlation reply(QString key) { return {Role::Reply, std::move(key)}; }
};

} // namespace wsi
