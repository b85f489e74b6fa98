#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Records the messages real client and server libraries exchange, for the unit tests of core/appprotocol's
// decoders (tests/data/appprotocol/*.jsonl). Each transcript runs a real server and its real client on 127.0.0.1
// with a relay between them that writes every message, in order, as one JSON line:
//   {"from": "client"|"server", "binary": false, "text": "..."}  or  {"from": ..., "binary": true, "base64": "..."}
// Run from the project root after `npm ci` in tests/integration/node:
//   NODE_PATH=tests/integration/node/node_modules node tests/integration/peers/record_app_transcripts.js tests/data/appprotocol
// Packages (pinned in tests/integration/node/package.json): socket.io, socket.io-client, graphql, graphql-ws, aedes,
// websocket-stream, mqtt, ws.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const WebSocket = require('ws');

const outDir = process.argv[2] || 'tests/data/appprotocol';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function listen(server) {
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// A WebSocket relay on its own port: each client connection opens one to ws://127.0.0.1:<target> with the same
// path and subprotocols, and both directions are written to lines[] as they pass.
async function startRelay(targetPort, lines) {
    const server = http.createServer();
    const wss = new WebSocket.Server({
        server,
        handleProtocols: (protocols) => (protocols.size ? [...protocols][0] : false),
    });
    wss.on('connection', (client, request) => {
        const offered = (request.headers['sec-websocket-protocol'] || '').split(',').map((s) => s.trim()).filter(Boolean);
        const upstream = new WebSocket(`ws://127.0.0.1:${targetPort}${request.url}`, offered);
        const pending = [];
        const record = (from, data, isBinary) => {
            const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data);
            lines.push(isBinary ? {from, binary: true, base64: buffer.toString('base64')}
                                : {from, binary: false, text: buffer.toString('utf8')});
        };
        client.on('message', (data, isBinary) => {
            record('client', data, isBinary);
            if (upstream.readyState === WebSocket.OPEN)
                upstream.send(data, {binary: isBinary});
            else
                pending.push([data, isBinary]);
        });
        upstream.on('open', () => {
            for (const [data, isBinary] of pending)
                upstream.send(data, {binary: isBinary});
        });
        upstream.on('message', (data, isBinary) => {
            record('server', data, isBinary);
            client.send(data, {binary: isBinary});
        });
        upstream.on('close', () => client.close());
        client.on('close', () => upstream.close());
        upstream.on('error', () => client.terminate());
    });
    const port = await listen(server);
    return {port, close: () => { wss.close(); server.close(); }};
}

function write(name, lines) {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    process.stdout.write(`${file}: ${lines.length} messages\n`);
}

async function recordSocketIo() {
    const {Server} = require('socket.io');
    const {io} = require('socket.io-client');
    const httpServer = http.createServer();
    const server = new Server(httpServer, {pingInterval: 300, pingTimeout: 200, transports: ['websocket']});
    server.on('connection', (socket) => {
        socket.on('chat', (text, ack) => {
            socket.emit('chat', `echo: ${text}`, {from: 'server'});
            if (ack) ack({ok: true, length: text.length});
        });
        socket.on('upload', (name, data, ack) => ack(name, data.length));
    });
    server.of('/admin').on('connection', (socket) => socket.emit('status', {users: 1}));
    const serverPort = await listen(httpServer);
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const url = `http://127.0.0.1:${relay.port}`;
    const client = io(url, {transports: ['websocket'], reconnection: false});
    await new Promise((resolve) => client.on('connect', resolve));
    await client.emitWithAck('chat', 'hello');
    client.emit('chat', 'no ack wanted');
    await client.emitWithAck('upload', 'blob.bin', Buffer.from([0, 1, 2, 3, 254, 255]));
    const admin = io(`${url}/admin`, {transports: ['websocket'], reconnection: false, forceNew: false});
    await new Promise((resolve) => admin.on('status', resolve));
    await sleep(700); // two Engine.IO heartbeats (pingInterval 300 ms)
    admin.disconnect();
    client.disconnect();
    await sleep(100);
    relay.close();
    server.close();
    write('socketio4.jsonl', lines);
}

async function recordGraphqlWs() {
    const {buildSchema} = require('graphql');
    const {useServer} = require('graphql-ws/use/ws');
    const {createClient} = require('graphql-ws');
    const schema = buildSchema('type Query { hello: String } type Subscription { countdown(from: Int!): Int }');
    const roots = {
        query: {hello: () => 'world'},
        subscription: {
            countdown: async function* (args) {
                for (let i = args.from; i >= 0; --i)
                    yield {countdown: i};
            },
        },
    };
    const httpServer = http.createServer();
    const wss = new WebSocket.Server({server: httpServer});
    const disposable = useServer({schema, roots}, wss);
    const serverPort = await listen(httpServer);
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const client = createClient({url: `ws://127.0.0.1:${relay.port}/graphql`, webSocketImpl: WebSocket,
                                 keepAlive: 200, lazy: false});
    const run = (payload) => new Promise((resolve, reject) => {
        const results = [];
        client.subscribe(payload, {next: (r) => results.push(r), error: reject, complete: () => resolve(results)});
    });
    await run({query: '{ hello }'});
    await run({query: 'subscription Count($from: Int!) { countdown(from: $from) }', operationName: 'Count',
               variables: {from: 2}});
    await run({query: '{ nope }'}).catch(() => {});
    await sleep(300); // one client ping and the server's pong
    await client.dispose();
    await sleep(100);
    relay.close();
    await disposable.dispose();
    httpServer.close();
    write('graphql-transport-ws.jsonl', lines);
}

async function recordMqtt() {
    const {Aedes} = require('aedes');
    const websocketStream = require('websocket-stream');
    const mqtt = require('mqtt');
    const broker = await Aedes.createBroker();
    const httpServer = http.createServer();
    websocketStream.createServer({server: httpServer}, broker.handle);
    const serverPort = await listen(httpServer);
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const client = mqtt.connect(`ws://127.0.0.1:${relay.port}/mqtt`, {
        protocolVersion: 4, keepalive: 1, clientId: 'inspector-transcript', reconnectPeriod: 0,
        will: {topic: 'clients/gone', payload: 'bye', qos: 1},
    });
    await new Promise((resolve) => client.on('connect', resolve));
    await client.subscribeAsync({'prices/#': {qos: 1}, 'news': {qos: 2}});
    await client.publishAsync('prices/eur', '1.0841', {qos: 1});
    await client.publishAsync('news', Buffer.from([0xde, 0xad, 0xbe, 0xef]), {qos: 2});
    await client.publishAsync('prices/usd', 'one', {qos: 0, retain: true});
    await sleep(1300); // one PINGREQ at the 1 s keepalive, and its PINGRESP
    await client.unsubscribeAsync('news');
    await client.endAsync();
    await sleep(100);
    relay.close();
    broker.close();
    httpServer.close();
    write('mqtt311-aedes.jsonl', lines);
}

// MQTT 5 packets as the mqtt client library's own encoder (mqtt-packet) writes them: aedes speaks 3.1.1 only. The
// last PUBLISH is cut in two messages, as a WebSocket sender may do (MQTT 5.0 §6.0).
function recordMqtt5Packets() {
    const mqttPacket = require('mqtt-packet');
    const opts = {protocolVersion: 5};
    const gen = (packet) => mqttPacket.generate(packet, opts);
    const client = (buffer) => ({from: 'client', binary: true, base64: buffer.toString('base64')});
    const server = (buffer) => ({from: 'server', binary: true, base64: buffer.toString('base64')});
    const publish = gen({cmd: 'publish', topic: 'sensors/t', qos: 1, messageId: 7, payload: Buffer.from('21.5'),
                         properties: {contentType: 'text/plain', userProperties: {unit: 'C'}, messageExpiryInterval: 60}});
    const lines = [
        client(gen({cmd: 'connect', protocolVersion: 5, clientId: 'v5-client', keepalive: 30, clean: true,
                    properties: {sessionExpiryInterval: 120, receiveMaximum: 10}})),
        server(gen({cmd: 'connack', sessionPresent: false, reasonCode: 0,
                    properties: {serverKeepAlive: 20, assignedClientIdentifier: 'v5-client'}})),
        client(gen({cmd: 'subscribe', messageId: 3, properties: {subscriptionIdentifier: 5},
                    subscriptions: [{topic: 'sensors/#', qos: 1, nl: true, rap: false, rh: 0}]})),
        server(gen({cmd: 'suback', messageId: 3, granted: [1]})),
        client(Buffer.concat([publish, gen({cmd: 'pingreq'})])),
        server(gen({cmd: 'puback', messageId: 7, reasonCode: 0})),
        server(publish.subarray(0, 9)),
        server(publish.subarray(9)),
        client(gen({cmd: 'puback', messageId: 7})),
        server(gen({cmd: 'pingresp'})),
        client(gen({cmd: 'disconnect', reasonCode: 0, properties: {sessionExpiryInterval: 0}})),
    ];
    write('mqtt5-packets.jsonl', lines);
}

(async () => {
    fs.mkdirSync(outDir, {recursive: true});
    await recordSocketIo();
    await recordGraphqlWs();
    await recordMqtt();
    recordMqtt5Packets();
    process.exit(0);
})().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
});
