// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace wsi {

// Phoenix Channels messages a client sends, in the 2.0.0 serializer's array form [join_ref, ref, topic, event,
// payload], as the phoenix client writes them (tests/data/appprotocol/phoenix-v2.jsonl).
class PhoenixMessages final
{
public:
    PhoenixMessages() = delete;

    // phx_join of topic, with join_ref = ref = `ref` and the payload (a JSON object; empty: {}).
    static QByteArray join(const QString &topic, const QByteArray &payload, quint64 ref);
    // A push of `event` on topic with the payload (a JSON object; empty: {}): join_ref is the ref of the topic's
    // join (null for a topic not joined), ref the message's own, which the server's phx_reply carries back.
    static QByteArray push(const QString &topic, const QString &event, const QByteArray &payload,
                           std::optional<quint64> joinRef, quint64 ref);
    // The socket's heartbeat on topic "phoenix", every 30 s.
    static QByteArray heartbeat(quint64 ref);
};

} // namespace wsi
