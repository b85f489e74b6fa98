#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A stock socket.io 4 server (npm socket.io, pinned in tests/integration/node) for WS Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node socketio_peer.js PING_INTERVAL_MS PING_TIMEOUT_MS
// It listens on 127.0.0.1 and a free port with the WebSocket transport only, prints "PORT <n>", and exits when its
// stdin closes. On each connection to "/" it emits "welcome" {"clients": N}; the event "hello" is acknowledged with
// "hi <argument>". Engine.IO 3 clients (Socket.IO 2, URL ?EIO=3) are allowed too (allowEIO3).
'use strict';

const http = require('http');
const {Server} = require('socket.io');

const pingInterval = Number(process.argv[2] || 25000);
const pingTimeout = Number(process.argv[3] || 20000);
const httpServer = http.createServer();
const io = new Server(httpServer, {pingInterval, pingTimeout, transports: ['websocket'], allowEIO3: true});
io.on('connection', (socket) => {
    socket.emit('welcome', {clients: io.engine.clientsCount});
    socket.on('hello', (name, ack) => {
        if (typeof ack === 'function')
            ack(`hi ${name}`);
    });
});
httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${httpServer.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
