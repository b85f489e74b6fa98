// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wsi {

// Phoenix Channels messages a client sends, in the 2.0.0 serializer's array form [join_ref, ref, topic, event,
// payload], as the phoenix client writes them (tests/data/appprotocol/phoenix-v2.jsonl).
class PhoenixMessages final
{
public:
    PhoenixMessages() = delete;

    // phx_join of topic, with join_ref = ref = `ref` and the payload (a JSON object; empty: {}).
    static QByteArray join(const QString &topic, const QByteArray &payload, quint64 ref);
    // The socket's heartbeat on topic "phoenix", every 30 s.
    static QByteArray heartbeat(quint64 ref);
};

} // namespace wsi
