#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A graphql-transport-ws server (npm graphql-ws over ws, pinned in tests/integration/node) for WS Inspector's
// integration tests:
//   NODE_PATH=tests/integration/node/node_modules node graphql_peer.js CONNECTION_INIT_WAIT_MS
// It listens on 127.0.0.1 and a free port at /graphql, prints "PORT <n>", and exits when its stdin closes. The
// schema has `hello` and a subscription `countdown(from: Int!)` that yields from..0 every 50 ms. Once a connection is
// acknowledged the server sends a protocol ping ({"type":"ping"}) after 100 ms, and prints "PONG" when the client's
// pong arrives, so a test can see that the real server received it.
'use strict';

const http = require('http');
const {WebSocketServer} = require('ws');
const {useServer} = require('graphql-ws/use/ws');
const {buildSchema} = require('graphql');

const schema = buildSchema(`
  type Query { hello: String }
  type Subscription { countdown(from: Int!): Int }
`);
const roots = {
    query: {hello: () => 'world'},
    subscription: {
        countdown: async function* ({from}) {
            for (let i = from; i >= 0; --i) {
                await new Promise((resolve) => setTimeout(resolve, 50));
                yield {countdown: i};
            }
        },
    },
};

const connectionInitWaitTimeout = Number(process.argv[2] || 3000);
const httpServer = http.createServer();
const wsServer = new WebSocketServer({server: httpServer, path: '/graphql'});
useServer({
    schema,
    roots,
    connectionInitWaitTimeout,
    onConnect: (ctx) => {
        setTimeout(() => ctx.extra.socket.send(JSON.stringify({type: 'ping'})), 100);
        return true;
    },
    onPong: () => process.stdout.write('PONG\n'),
}, wsServer);
httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${httpServer.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
