#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A graphql-transport-ws server (npm graphql-ws over ws, pinned in tests/integration/node) on /graphql, for WS
// Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node graphql_peer.js [--init-wait MS] [--ping-after MS]
// --init-wait: connectionInitWaitTimeout (graphql-ws's default 3000 ms); a client that sends no connection_init in
// that time is closed with 4408. --ping-after: once a connection is acknowledged the server sends a protocol ping
// ({"type":"ping"}) after MS (0: never; default 100), and prints "PONG" when the client's pong arrives, so a test can
// see that the real server received it. The schema has `hello` and a subscription `countdown(from: Int!)` that
// yields from..0 every 50 ms.
'use strict';

const http = require('http');
const {WebSocketServer} = require('ws');
const {useServer} = require('graphql-ws/use/ws');
const {buildSchema} = require('graphql');
const {options, say, serve} = require('./peer_server');

const settings = options({'init-wait': 3000, 'ping-after': 100}, 'graphql_peer.js [--init-wait MS] [--ping-after MS]');
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

const httpServer = http.createServer();
const wsServer = new WebSocketServer({server: httpServer, path: '/graphql'});
useServer({
    schema,
    roots,
    connectionInitWaitTimeout: settings['init-wait'],
    onConnect: (ctx) => {
        if (settings['ping-after'] > 0)
            setTimeout(() => ctx.extra.socket.send(JSON.stringify({type: 'ping'})), settings['ping-after']);
        return true;
    },
    onPong: () => say('PONG'),
}, wsServer);
serve(httpServer);
