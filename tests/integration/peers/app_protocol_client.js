#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Official application-protocol clients from npm (pinned in tests/integration/node) running one short session, for
// WS Inspector's integration tests of decoded messages through its relays:
//   node app_protocol_client.js socketio URL PROXY_URL
//     socket.io-client through an HTTP proxy (https-proxy-agent, CONNECT): waits for the "welcome" event of
//     peers/socketio_peer.js, emits "hello" "inspector" with an ack, and disconnects when the ack comes.
//   node app_protocol_client.js stomp URL HEARTBEAT_MS STAY_MS
//     @stomp/stompjs (over Node's ws) as guest/guest with heart-beats HEARTBEAT_MS both ways: SUBSCRIBE to
//     /queue/wsi-inspector, SEND to it, and once its MESSAGE came, stays STAY_MS (heart-beats cross) and
//     deactivates (DISCONNECT with a receipt).
// Prints one JSON line {"ok", ...} and exits 0 when the session did what it should, 1 otherwise; gives up after 20 s.
'use strict';

const [kind, url, ...rest] = process.argv.slice(2);

function finish(result) {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(result.ok ? 0 : 1);
}
setTimeout(() => finish({ ok: false, error: 'timed out after 20 s' }), 20000).unref();

function socketIo(proxyUrl) {
    const { io } = require('socket.io-client');
    const { HttpsProxyAgent } = require('https-proxy-agent');
    const socket = io(url, { transports: ['websocket'], reconnection: false, agent: new HttpsProxyAgent(proxyUrl) });
    let welcome = null;
    socket.on('welcome', (data) => {
        welcome = data;
        socket.emit('hello', 'inspector', (reply) => {
            socket.disconnect();
            // The Close frame goes out after this turn; leave time for it to cross.
            setTimeout(() => finish({ ok: reply === 'hi inspector', welcome, reply }), 300);
        });
    });
    socket.on('connect_error', (error) => finish({ ok: false, error: String(error) }));
}

function stomp(heartBeatMs, stayMs) {
    const { Client } = require('@stomp/stompjs');
    const WebSocket = require('ws');
    const destination = '/queue/wsi-inspector';
    const body = 'hello from stompjs';
    let connected = null;
    let received = null;
    const client = new Client({
        webSocketFactory: () => new WebSocket(url, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
        connectHeaders: { login: 'guest', passcode: 'guest', host: '/' },
        heartbeatIncoming: heartBeatMs,
        heartbeatOutgoing: heartBeatMs,
        reconnectDelay: 0,
        debug: () => {},
    });
    client.onConnect = (frame) => {
        connected = frame.headers;
        client.subscribe(destination, (message) => {
            received = message.body;
            setTimeout(() => client.deactivate(), stayMs);
        });
        client.publish({ destination, body });
    };
    client.onStompError = (frame) => finish({ ok: false, error: frame.headers.message || 'ERROR frame' });
    client.onWebSocketClose = (event) =>
        finish({ ok: received === body, received, server: connected && connected.server,
                 heartBeat: connected && connected['heart-beat'], code: event.code });
    client.activate();
}

if (kind === 'socketio')
    socketIo(rest[0]);
else if (kind === 'stomp')
    stomp(Number(rest[0]), Number(rest[1]));
else
    finish({ ok: false, error: `unknown client ${kind}: socketio or stomp` });
