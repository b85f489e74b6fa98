#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A stock WAMP v2 router (npm wamp.rt 0.2.0, JSON serialization, subprotocol wamp.2.json) with autobahn-js
// (npm autobahn) as a second client in it, for WS Inspector's integration tests:
//   NODE_PATH=tests/integration/node/node_modules node wamp_peer.js [--realm REALM]
// The autobahn session joins REALM (default realm1; wamp.rt does not check realms) and registers com.example.add
// (returns the sum of its positional arguments). When any client subscribes to a topic, the autobahn session
// publishes ["hello from autobahn"] there 100 ms later, so a subscriber sees an EVENT from another peer. It prints
// "READY" once the procedure is registered, "SUBSCRIBE <topic>" and "PUBLISHED <topic>", and "AUTOBAHN CLOSED
// <reason>" if its own session ends.
'use strict';

const http = require('http');
const path = require('path');
const {options, say, serve} = require('./peer_server');

// wamp.rt's own ws 0.8 takes bufferutil and utf-8-validate when they resolve, and the ones installed here (for newer
// packages) are major versions whose API it predates: give it its own JavaScript fallbacks, which it uses wherever
// neither is installed.
const oldWs = path.join(path.dirname(require.resolve('wamp.rt/package.json')), 'node_modules', 'ws', 'lib');
for (const name of ['BufferUtil', 'Validation']) {
    const file = path.join(oldWs, `${name}.js`);
    require.cache[file] = {id: file, filename: file, loaded: true,
                           exports: require(path.join(oldWs, `${name}.fallback.js`))};
}
const Router = require('wamp.rt');
const autobahn = require('autobahn');

globalThis.WebSocket = globalThis.WebSocket || require('ws'); // autobahn's Node path expects the browser's global
const settings = options({realm: 'realm1'}, 'wamp_peer.js [--realm REALM]');
const httpServer = http.createServer();
const router = new Router({server: httpServer});

httpServer.on('listening', () => {
    const connection = new autobahn.Connection({url: `ws://127.0.0.1:${httpServer.address().port}/`,
                                                realm: settings.realm, protocols: ['wamp.2.json'], max_retries: 0,
                                                serializers: [new autobahn.serializer.JSONSerializer()]});
    connection.onopen = (session) => {
        router.on('Subscribe', (topic) => {
            say(`SUBSCRIBE ${topic}`);
            setTimeout(() => {
                session.publish(topic, ['hello from autobahn']);
                say(`PUBLISHED ${topic}`);
            }, 100);
        });
        session.register('com.example.add', (args) => args.reduce((sum, n) => sum + n, 0)).then(() => say('READY'));
    };
    connection.onclose = (reason) => say(`AUTOBAHN CLOSED ${reason}`);
    connection.open();
});
serve(httpServer);
