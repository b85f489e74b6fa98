#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A stock MQTT broker over WebSocket (npm aedes with websocket-stream, pinned in tests/integration/node), on any
// path, for WS Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node mqtt_peer.js
// It prints "CONNECTED <client id>" when a client's CONNECT is accepted and "KEEPALIVE_TIMEOUT <client id>" when
// aedes drops a client for its Keep Alive (1.5 x keepalive). A client subscribed to "prices/#" gets what is
// published there, as any broker does.
'use strict';

const http = require('http');
const {Aedes} = require('aedes');
const websocketStream = require('websocket-stream');
const {options, say, serve} = require('./peer_server');

options({}, 'mqtt_peer.js');
(async () => {
    const broker = await Aedes.createBroker();
    const httpServer = http.createServer();
    websocketStream.createServer({server: httpServer}, broker.handle);
    broker.on('client', (client) => say(`CONNECTED ${client.id}`));
    broker.on('keepaliveTimeout', (client) => say(`KEEPALIVE_TIMEOUT ${client.id}`));
    serve(httpServer);
})();
