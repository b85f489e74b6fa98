#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Records the messages real client and server libraries exchange, for the unit tests of core/appprotocol's
// decoders (tests/data/appprotocol/*.jsonl). Each transcript runs a real server and its real client on 127.0.0.1
// with a relay between them that writes every message, in order, as one JSON line:
//   {"from": "client"|"server", "binary": false, "text": "..."}  or  {"from": ..., "binary": true, "base64": "..."}
// Run from the project root after `npm ci` in tests/integration/node:
//   NODE_PATH=tests/integration/node/node_modules node tests/integration/peers/record_app_transcripts.js tests/data/appprotocol
// Packages (pinned in tests/integration/node/package.json): socket.io, socket.io-client (4, and 2 as
// socket.io-client-v2), graphql, graphql-ws, aedes,
// websocket-stream, mqtt, ws, sockjs, subscriptions-transport-ws, @stomp/stompjs, phoenix, @microsoft/signalr,
// @rails/actioncable, autobahn, rpc-websockets.
// For STOMP, Phoenix, SignalR, Action Cable and WAMP no server runs here: their official client libraries talk to a scripted server
// written from the protocol's specification (scriptedServer below), so the client half of those transcripts is
// the real library's and the server half is the script's.
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

// A WebSocket server that answers each client message with what respond(text, reply) sends, writing both
// directions to lines[].
async function scriptedServer(lines, respond, subprotocol) {
    const server = http.createServer();
    const wss = new WebSocket.Server({server, handleProtocols: (protocols) => (subprotocol && protocols.has(subprotocol) ? subprotocol : false)});
    wss.on('connection', (socket) => {
        // A string goes out as text, a Buffer as binary; respond() gets binary messages as Buffers.
        const reply = (data) => {
            lines.push(Buffer.isBuffer(data) ? {from: 'server', binary: true, base64: data.toString('base64')}
                                             : {from: 'server', binary: false, text: data});
            socket.send(data);
        };
        socket.on('message', (data, isBinary) => {
            lines.push(isBinary ? {from: 'client', binary: true, base64: data.toString('base64')}
                                : {from: 'client', binary: false, text: data.toString('utf8')});
            respond(isBinary ? data : data.toString('utf8'), reply, socket);
        });
        respond(null, reply, socket);
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

// socket.io-client 2.5 (Engine.IO 3, Socket.IO protocol 4: the client pings) against the socket.io 4.8 server with
// allowEIO3, pingInterval 300 ms: a CONNECT, an event with an ack, a binary event, two heartbeats.
async function recordSocketIoEio3() {
    const {Server} = require('socket.io');
    const ioV2 = require('socket.io-client-v2');
    const httpServer = http.createServer();
    const server = new Server(httpServer, {pingInterval: 300, pingTimeout: 200, transports: ['websocket'], allowEIO3: true});
    server.on('connection', (socket) => {
        socket.on('chat', (text, ack) => ack({ok: true, length: text.length}));
        socket.on('upload', (name, data, ack) => ack(name, data.length));
    });
    const serverPort = await listen(httpServer);
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const client = ioV2(`http://127.0.0.1:${relay.port}`, {transports: ['websocket'], reconnection: false});
    await new Promise((resolve) => client.on('connect', resolve));
    await new Promise((resolve) => client.emit('chat', 'hello', resolve));
    await new Promise((resolve) => client.emit('upload', 'blob.bin', Buffer.from([9, 8, 7]), resolve));
    await sleep(700); // the client's pings every 300 ms and the server's pongs
    client.close();
    await sleep(100);
    relay.close();
    server.close();
    write('socketio2-eio3.jsonl', lines);
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

// subscriptions-transport-ws 0.11 (the legacy graphql-ws subprotocol), its server with keepAlive 200 ms and its
// client: a query, a subscription to its end, an invalid query.
async function recordLegacyGraphqlWs() {
    const {buildSchema, execute, subscribe} = require('graphql');
    const {SubscriptionServer, SubscriptionClient} = require('subscriptions-transport-ws');
    const schema = buildSchema('type Query { hello: String } type Subscription { countdown(from: Int!): Int }');
    const rootValue = {
        hello: () => 'world',
        countdown: async function* (args) {
            for (let i = args.from; i >= 0; --i)
                yield {countdown: i};
        },
    };
    const httpServer = http.createServer();
    const server = SubscriptionServer.create({schema, execute, subscribe, rootValue, keepAlive: 200},
                                             {server: httpServer, path: '/graphql'});
    const serverPort = await listen(httpServer);
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const client = new SubscriptionClient(`ws://127.0.0.1:${relay.port}/graphql`, {reconnect: false}, WebSocket);
    const run = (request) => new Promise((resolve) => {
        const results = [];
        client.request(request).subscribe({next: (r) => results.push(r), error: () => resolve(results),
                                           complete: () => resolve(results)});
    });
    await run({query: '{ hello }'});
    await run({query: 'subscription Count($from: Int!) { countdown(from: $from) }', operationName: 'Count',
               variables: {from: 2}});
    await run({query: '{ nope }'});
    await sleep(450); // keep-alive "ka" messages
    client.close();
    await sleep(100);
    relay.close();
    server.close();
    httpServer.close();
    write('graphql-ws-legacy.jsonl', lines);
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

// sockjs-node 0.3.24 (a real server, heartbeat_delay 200 ms) echoing, read by a plain ws client on its
// SockJS-framed WebSocket transport.
async function recordSockJs() {
    const sockjs = require('sockjs');
    const echo = sockjs.createServer({heartbeat_delay: 200, log: () => {}});
    echo.on('connection', (conn) => conn.on('data', (data) => {
        if (data === 'bye')
            conn.close(3000, 'Go away!');
        else
            conn.write(data);
    }));
    const httpServer = http.createServer();
    echo.installHandlers(httpServer, {prefix: '/echo'});
    const serverPort = await listen(httpServer);
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const socket = new WebSocket(`ws://127.0.0.1:${relay.port}/echo/123/k3j2h1g0/websocket`);
    await new Promise((resolve) => socket.on('message', resolve)); // "o"
    socket.send('["hello"]');
    socket.send('["two","messages"]');
    await sleep(450); // heartbeats
    socket.send('["bye"]');
    await new Promise((resolve) => socket.on('close', resolve));
    relay.close();
    httpServer.close();
    write('sockjs.jsonl', lines);
}

// @stomp/stompjs 7.5 against a scripted STOMP 1.2 server (stomp-specification-1.2.md): heart-beats of 300 ms both
// ways, a SUBSCRIBE with a receipt, a SEND answered by a MESSAGE, and DISCONNECT with a receipt.
async function recordStomp() {
    const {Client} = require('@stomp/stompjs');
    const lines = [];
    let beat = null;
    const server = await scriptedServer(lines, (text, reply, socket) => {
        if (text === null || /^\r?\n$/.test(text))
            return;
        const [head] = text.split('\n\n');
        const [command, ...headerLines] = head.split('\n');
        const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
        if (command === 'CONNECT' || command === 'STOMP') {
            reply('CONNECTED\nversion:1.2\nheart-beat:300,300\nserver:scripted/1.0\n\n\0');
            beat = setInterval(() => { lines.push({from: 'server', binary: false, text: '\n'}); socket.send('\n'); }, 300);
        } else if (command === 'SEND') {
            const body = text.slice(text.indexOf('\n\n') + 2, text.lastIndexOf('\0'));
            reply(`MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:${headers.destination}\ncontent-type:text/plain\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`);
        }
        if (headers.receipt)
            reply(`RECEIPT\nreceipt-id:${headers.receipt}\n\n\0`);
        if (command === 'DISCONNECT') {
            clearInterval(beat);
            setTimeout(() => socket.close(), 50);
        }
    }, 'v12.stomp');
    const client = new Client({
        webSocketFactory: () => new WebSocket(`ws://127.0.0.1:${server.port}/ws`, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
        heartbeatIncoming: 300, heartbeatOutgoing: 300, reconnectDelay: 0, debug: () => {},
    });
    const connected = new Promise((resolve) => { client.onConnect = resolve; });
    client.activate();
    await connected;
    const received = new Promise((resolve) => client.subscribe('/topic/prices', resolve, {id: 'sub-0', receipt: 'r-sub'}));
    client.publish({destination: '/topic/prices', body: 'eur 1.0841', headers: {'content-type': 'text/plain'}});
    await received;
    await sleep(700);
    await client.deactivate();
    await sleep(100);
    server.close();
    write('stomp-stompjs.jsonl', lines);
}

// The phoenix 1.8 JavaScript client (serializer 2.0.0, heartbeat every 200 ms) against a scripted server that
// answers as Phoenix.Channel does: phx_reply to every push that carries a ref, a broadcast of new_msg.
async function recordPhoenix() {
    const {Socket} = require('phoenix');
    const lines = [];
    const server = await scriptedServer(lines, (text, reply) => {
        if (text === null)
            return;
        if (Buffer.isBuffer(text)) {
            // A binary push [0, join_ref, ref, topic, event sizes] ...: answer with a binary reply (kind 1) and
            // broadcast the bytes (kind 2), as Phoenix.Socket.V2.JSONSerializer encodes them.
            const sizes = [...text.subarray(1, 5)];
            const parts = [];
            let at = 5;
            for (const size of sizes) {
                parts.push(text.subarray(at, at + size));
                at += size;
            }
            const [joinRef, ref, topic, event] = parts;
            const payload = text.subarray(at);
            const status = Buffer.from('ok');
            reply(Buffer.concat([Buffer.from([1, joinRef.length, ref.length, topic.length, status.length]), joinRef, ref, topic,
                                 status, payload]));
            reply(Buffer.concat([Buffer.from([2, topic.length, event.length]), topic, event, payload]));
            return;
        }
        const [joinRef, ref, topic, event, payload] = JSON.parse(text);
        reply(JSON.stringify([joinRef, ref, topic, 'phx_reply', {status: 'ok', response: {}}]));
        if (event === 'new_msg')
            reply(JSON.stringify([null, null, topic, 'new_msg', payload]));
    });
    const socket = new Socket(`ws://127.0.0.1:${server.port}/socket`, {transport: WebSocket, heartbeatIntervalMs: 200});
    socket.connect();
    const channel = socket.channel('room:lobby', {token: 'abc'});
    await new Promise((resolve) => channel.join().receive('ok', resolve));
    await new Promise((resolve) => channel.push('new_msg', {body: 'hi'}).receive('ok', resolve));
    await new Promise((resolve) => channel.push('upload', new Uint8Array([1, 2, 3, 254]).buffer).receive('ok', resolve));
    await sleep(450);
    await new Promise((resolve) => channel.leave().receive('ok', resolve));
    socket.disconnect();
    await sleep(100);
    server.close();
    write('phoenix-v2.jsonl', lines);
}

// @microsoft/signalr 10 (JSON hub protocol, keep-alive every 200 ms, no negotiation) against a scripted hub that
// answers as HubProtocol.md says: the handshake response, a Completion for each Invocation with an id, an
// Invocation of its own and a Ping.
async function recordSignalR() {
    const signalR = require('@microsoft/signalr');
    const lines = [];
    const server = await scriptedServer(lines, (text, reply) => {
        if (text === null)
            return;
        for (const record of text.split('\x1e').filter(Boolean)) {
            const message = JSON.parse(record);
            if (message.protocol) {
                reply('{}\x1e');
                reply(JSON.stringify({type: 1, target: 'notify', arguments: ['welcome']}) + '\x1e');
            } else if (message.type === 1 && message.invocationId) {
                reply(JSON.stringify({type: 6}) + '\x1e' +
                      JSON.stringify({type: 3, invocationId: message.invocationId, result: message.arguments.reduce((a, b) => a + b, 0)}) + '\x1e');
            }
        }
    });
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(`http://127.0.0.1:${server.port}/chathub`, {skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets})
        .configureLogging(signalR.LogLevel.None)
        .build();
    connection.keepAliveIntervalInMilliseconds = 200;
    const notified = new Promise((resolve) => connection.on('notify', resolve));
    await connection.start();
    await notified;
    await connection.invoke('Add', 1, 2);
    await connection.send('Log', 'no reply wanted');
    await sleep(450);
    await connection.stop();
    await sleep(100);
    server.close();
    write('signalr-json.jsonl', lines);
}

// @rails/actioncable 8.1 (the browser client, given ws and stubs of the two browser objects it touches) against a
// scripted Action Cable server (actioncable/lib/action_cable/connection): welcome, pings every 300 ms, a
// confirmed subscription, a broadcast for each perform.
async function recordActionCable() {
    globalThis.addEventListener = globalThis.addEventListener || (() => {});
    globalThis.removeEventListener = globalThis.removeEventListener || (() => {});
    globalThis.document = globalThis.document || {visibilityState: 'visible'};
    const ActionCable = require('@rails/actioncable');
    ActionCable.adapters.WebSocket = WebSocket;
    const lines = [];
    let pinger = null;
    const server = await scriptedServer(lines, (text, reply) => {
        if (text === null) {
            reply(JSON.stringify({type: 'welcome'}));
            pinger = setInterval(() => reply(JSON.stringify({type: 'ping', message: Math.floor(Date.now() / 1000)})), 300);
            return;
        }
        const message = JSON.parse(text);
        if (message.command === 'subscribe')
            reply(JSON.stringify({identifier: message.identifier, type: 'confirm_subscription'}));
        else if (message.command === 'message')
            reply(JSON.stringify({identifier: message.identifier, message: JSON.parse(message.data)}));
    }, 'actioncable-v1-json');
    const consumer = ActionCable.createConsumer(`ws://127.0.0.1:${server.port}/cable`);
    const received = new Promise((resolve) => {
        const subscription = consumer.subscriptions.create({channel: 'ChatChannel', room: '1'}, {
            connected() { subscription.perform('speak', {body: 'hi'}); },
            received: resolve,
        });
    });
    await received;
    await sleep(700);
    consumer.subscriptions.subscriptions.forEach((subscription) => subscription.unsubscribe());
    await sleep(100);
    consumer.disconnect();
    clearInterval(pinger);
    await sleep(100);
    server.close();
    write('actioncable.jsonl', lines);
}

// autobahn 26 (the JavaScript WAMP client, JSON serialization) against a scripted router written from the WAMP
// specification: a session, a subscription and an acknowledged publish with its event, a call answered with a
// RESULT and one with an ERROR, and the goodbye.
async function recordWamp() {
    globalThis.WebSocket = globalThis.WebSocket || WebSocket; // autobahn's Node path expects the browser's global
    const autobahn = require('autobahn');
    const lines = [];
    const server = await scriptedServer(lines, (text, reply) => {
        if (text === null)
            return;
        const message = JSON.parse(text);
        const send = (value) => reply(JSON.stringify(value));
        switch (message[0]) {
        case 1: send([2, 5512315355, {roles: {broker: {}, dealer: {}}}]); break;
        case 32: send([33, message[1], 7001]); break;
        case 16:
            if (message[2].acknowledge)
                send([17, message[1], 9001]);
            send([36, 7001, 9001, {}, message[4] || []]);
            break;
        case 48:
            if (message[3] === 'com.example.add')
                send([50, message[1], {}, [message[4].reduce((a, b) => a + b, 0)]]);
            else
                send([8, 48, message[1], {}, 'wamp.error.no_such_procedure', ['no procedure ' + message[3]]]);
            break;
        case 6: send([6, {}, 'wamp.close.goodbye_and_out']); break;
        }
    }, 'wamp.2.json');
    const connection = new autobahn.Connection({url: `ws://127.0.0.1:${server.port}/ws`, realm: 'realm1',
                                                protocols: ['wamp.2.json'], max_retries: 0,
                                                serializers: [new autobahn.serializer.JSONSerializer()]});
    const session = await new Promise((resolve) => { connection.onopen = resolve; connection.open(); });
    let eventArrived;
    const event = new Promise((resolve) => { eventArrived = resolve; });
    await session.subscribe('com.example.topic', eventArrived);
    await session.publish('com.example.topic', ['hello'], {}, {acknowledge: true, exclude_me: false});
    await event;
    await session.call('com.example.add', [1, 2]);
    await session.call('com.example.missing', []).catch(() => {});
    await new Promise((resolve) => { connection.onclose = () => { resolve(); return true; }; connection.close(); });
    server.close();
    write('wamp-autobahn.jsonl', lines);
}

// rpc-websockets 10 (a JSON-RPC 2.0 server and client for WebSocket): a call, a notification, a call to a method
// that does not exist, a subscription to a server event and that event.
async function recordJsonRpc() {
    const {Server, Client} = require('rpc-websockets');
    const httpServer = http.createServer();
    const serverPort = await listen(httpServer);
    httpServer.close();
    const server = new Server({port: serverPort, host: '127.0.0.1'});
    server.register('sum', (params) => params[0] + params[1]);
    server.register('log', () => true);
    server.event('prices');
    await new Promise((resolve) => server.on('listening', resolve));
    const lines = [];
    const relay = await startRelay(serverPort, lines);
    const client = new Client(`ws://127.0.0.1:${relay.port}`, {autoconnect: true, reconnect: false});
    await new Promise((resolve) => client.on('open', resolve));
    await client.call('sum', [1, 2]);
    await client.notify('log', ['no answer wanted']);
    await client.call('missing', []).catch(() => {});
    const update = new Promise((resolve) => client.on('prices', resolve));
    await client.subscribe('prices');
    server.emit('prices', {eur: 1.0841});
    await update;
    client.close();
    await sleep(100);
    relay.close();
    await server.close();
    write('jsonrpc-rpc-websockets.jsonl', lines);
}

(async () => {
    fs.mkdirSync(outDir, {recursive: true});
    await recordJsonRpc();
    await recordWamp();
    await recordActionCable();
    await recordSockJs();
    await recordStomp();
    await recordPhoenix();
    await recordSignalR();
    await recordSocketIo();
    await recordSocketIoEio3();
    await recordGraphqlWs();
    await recordLegacyGraphqlWs();
    await recordMqtt();
    recordMqtt5Packets();
    process.exit(0);
})().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
});
