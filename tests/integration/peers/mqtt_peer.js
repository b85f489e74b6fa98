#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A stock MQTT broker over WebSocket (npm aedes with websocket-stream, pinned in tests/integration/node) for WS
// Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node mqtt_peer.js
// It listens on 127.0.0.1 and a free port, prints "PORT <n>", then "CONNECTED <client id>" when a client's CONNECT
// is accepted and "KEEPALIVE_TIMEOUT <client id>" when aedes drops a client for its Keep Alive (1.5 x keepalive), and
// exits when its stdin closes. A client subscribed to "prices/#" gets what is published there, as any broker does.
'use strict';

const http = require('http');
const {Aedes} = require('aedes');
const websocketStream = require('websocket-stream');

(async () => {
    const broker = await Aedes.createBroker();
    const httpServer = http.createServer();
    websocketStream.createServer({server: httpServer}, broker.handle);
    broker.on('client', (client) => process.stdout.write(`CONNECTED ${client.id}\n`));
    broker.on('keepaliveTimeout', (client) => process.stdout.write(`KEEPALIVE_TIMEOUT ${client.id}\n`));
    httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${httpServer.address().port}\n`));
})();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
