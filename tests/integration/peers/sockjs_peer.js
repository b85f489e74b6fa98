#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A stock SockJS server (npm sockjs 0.3.24, pinned in tests/integration/node) under the prefix /echo, for WS
// Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node sockjs_peer.js [--heartbeat-delay MS]
// --heartbeat-delay: sockjs's heartbeat_delay (its default 25000 ms). Both WebSocket endpoints sockjs serves are
// there: /echo/<server>/<session>/websocket (SockJS framing: o, h, a[...], c[...]) and /echo/websocket (raw: the
// application's messages unframed, no heartbeat). Each connection gets "welcome" first, then every message it sends
// comes back; "close CODE REASON" makes the server close the session with that code and reason. It prints "OPEN
// <transport>" (websocket or websocket-raw) per connection, "DATA <message>" per message received, and "CLOSE" when a
// session ends.
'use strict';

const http = require('http');
const sockjs = require('sockjs');
const {options, say, serve} = require('./peer_server');

const settings = options({'heartbeat-delay': 25000}, 'sockjs_peer.js [--heartbeat-delay MS]');
const server = sockjs.createServer({prefix: '/echo', heartbeat_delay: settings['heartbeat-delay'], log: () => {}});
server.on('connection', (connection) => {
    say(`OPEN ${connection.protocol}`);
    connection.write('welcome');
    connection.on('data', (message) => {
        say(`DATA ${message}`);
        const close = /^close (\d+) (.*)$/.exec(message);
        if (close)
            connection.close(Number(close[1]), close[2]);
        else
            connection.write(message);
    });
    connection.on('close', () => say('CLOSE'));
});
const httpServer = http.createServer();
server.installHandlers(httpServer);
serve(httpServer);
