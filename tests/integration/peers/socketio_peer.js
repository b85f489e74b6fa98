#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A stock socket.io 4 server (npm socket.io, pinned in tests/integration/node) for WS Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node socketio_peer.js [--ping-interval MS] [--ping-timeout MS]
// (socket.io's defaults 25000 and 20000 ms). The WebSocket transport only; Engine.IO 3 clients (Socket.IO 2, URL
// ?EIO=3) are allowed too (allowEIO3). On each connection to "/" it emits "welcome" {"clients": N}; the event "hello"
// is acknowledged with "hi <argument>". Each socket's end is printed as "disconnect REASON" ("ping timeout", ...).
'use strict';

const http = require('http');
const {Server} = require('socket.io');
const {options, serve} = require('./peer_server');

const settings = options({'ping-interval': 25000, 'ping-timeout': 20000},
                         'socketio_peer.js [--ping-interval MS] [--ping-timeout MS]');
const httpServer = http.createServer();
const io = new Server(httpServer, {pingInterval: settings['ping-interval'], pingTimeout: settings['ping-timeout'],
                                   transports: ['websocket'], allowEIO3: true});
io.on('connection', (socket) => {
    socket.emit('welcome', {clients: io.engine.clientsCount});
    socket.on('disconnect', (reason) => process.stdout.write(`disconnect ${reason}\n`));
    socket.on('hello', (name, ack) => {
        if (typeof ack === 'function')
            ack(`hi ${name}`);
    });
});
serve(httpServer);
