// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace wsi {

// WAMP v2 messages a client sends, JSON serialization (wamp.2.json), as autobahn-js 26 writes them
// (tests/data/appprotocol/wamp-autobahn.jsonl): [code, ...] with request ids the client counts from 1.
class WampMessages final
{
public:
    WampMessages() = delete;

    // HELLO [1, realm, details] announcing the roles and features autobahn-js announces (caller, callee,
    // publisher, subscriber).
    static QByteArray hello(const QString &realm);
    // SUBSCRIBE [32, request, {}, topic].
    static QByteArray subscribe(quint64 request, const QString &topic);
    // CALL [48, request, {}, procedure, [arguments...]]; each argument a JSON value. No arguments: no list, as
    // autobahn-js leaves it out.
    static QByteArray call(quint64 request, const QString &procedure, const QList<QByteArray> &arguments);
    // GOODBYE [6, {}, "wamp.close.goodbye_and_out"]: the answer to the router's GOODBYE (WAMP "Session Closing").
    static QByteArray goodbyeAndOut();
};

} // namespace wsi
