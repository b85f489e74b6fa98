#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Stock servers of application protocols with short timeouts, for WS Inspector's protocol timeout truth tests
// (npm packages pinned in tests/integration/node):
//   NODE_PATH=tests/integration/node/node_modules node protocol_timeout_peer.js graphql INIT_WAIT_MS
//     graphql-ws (graphql-transport-ws) with connectionInitWaitTimeout INIT_WAIT_MS on /graphql
//   NODE_PATH=tests/integration/node/node_modules node protocol_timeout_peer.js mqtt
//     aedes over websocket-stream (MQTT 3.1.1 over WebSocket) on /mqtt
// Each listens on 127.0.0.1 and a free port, prints "PORT <n>", and exits when its stdin closes.
'use strict';

const http = require('http');

async function graphql(initWaitMs) {
    const {WebSocketServer} = require('ws');
    const {buildSchema} = require('graphql');
    const {useServer} = require('graphql-ws/use/ws');
    const schema = buildSchema('type Query { hello: String }');
    const httpServer = http.createServer();
    const wss = new WebSocketServer({server: httpServer, path: '/graphql'});
    useServer({schema, roots: {query: {hello: () => 'world'}}, connectionInitWaitTimeout: initWaitMs}, wss);
    return httpServer;
}

async function mqtt() {
    const {Aedes} = require('aedes');
    const websocketStream = require('websocket-stream');
    const broker = await Aedes.createBroker();
    const httpServer = http.createServer();
    websocketStream.createServer({server: httpServer, path: '/mqtt'}, broker.handle);
    return httpServer;
}

async function main() {
    const mode = process.argv[2];
    const httpServer = mode === 'graphql' ? await graphql(Number(process.argv[3] || 3000))
                       : mode === 'mqtt' ? await mqtt()
                                         : null;
    if (!httpServer) {
        process.stderr.write('usage: protocol_timeout_peer.js graphql INIT_WAIT_MS | mqtt\n');
        process.exit(2);
    }
    httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${httpServer.address().port}\n`));
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
}

main();
