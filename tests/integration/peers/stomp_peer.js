#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A scripted STOMP 1.2 server over WebSocket (npm ws), for want of a STOMP broker in this environment:
//   NODE_PATH=tests/integration/node/node_modules node stomp_peer.js [--beat MS] [--mute]
// It accepts the subprotocols v12.stomp, v11.stomp and v10.stomp, answers CONNECT with CONNECTED "heart-beat:MS,MS"
// (default 1000) and the client's login as "user-name", then sends "\n" every max(MS, client's cy) as the
// specification says, echoes SEND to the subscribers of its destination as MESSAGE, answers receipts, and prints
// "CONNECT <headers as JSON>", "BEAT <ms since the previous client frame>" for each client heart-beat, and "SILENT"
// when the client sent nothing for twice its promised period. With --mute it promises beats in CONNECTED and never
// sends one: a server that hangs.
'use strict';

const http = require('http');
const {WebSocketServer} = require('ws');
const {options, say, serve} = require('./peer_server');

const settings = options({beat: 1000, mute: false}, 'stomp_peer.js [--beat MS] [--mute]');
const serverBeat = settings.beat;
const mute = settings.mute;
const httpServer = http.createServer();
const wss = new WebSocketServer({
    server: httpServer,
    handleProtocols: (protocols) => ['v12.stomp', 'v11.stomp', 'v10.stomp'].find((p) => protocols.has(p)) || false,
});

function parseFrame(text) {
    const [head, ...rest] = text.split('\n\n');
    const lines = head.split('\n');
    const headers = {};
    for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0 && !(line.slice(0, colon) in headers))
            headers[line.slice(0, colon)] = line.slice(colon + 1);
    }
    return {command: lines[0], headers, body: rest.join('\n\n').replace(/\0$/, '')};
}

wss.on('connection', (socket) => {
    let lastFrame = Date.now();
    let clientPeriod = 0;
    let silenceTimer = null;
    let beatTimer = null;
    const subscriptions = new Map();
    const watch = () => {
        lastFrame = Date.now();
        if (clientPeriod > 0) {
            clearTimeout(silenceTimer);
            silenceTimer = setTimeout(() => say('SILENT'), 2 * clientPeriod);
        }
    };
    socket.on('message', (data) => {
        const text = data.toString();
        if (/^\n+$/.test(text)) {
            say(`BEAT ${Date.now() - lastFrame}`);
            watch();
            return;
        }
        const frame = parseFrame(text.replace(/^\n+/, ''));
        if (frame.command === 'CONNECT' || frame.command === 'STOMP') {
            say(`CONNECT ${JSON.stringify(frame.headers)}`);
            const [cx, cy] = (frame.headers['heart-beat'] || '0,0').split(',').map(Number);
            clientPeriod = cx === 0 ? 0 : Math.max(cx, serverBeat);
            const serverPeriod = cy === 0 ? 0 : Math.max(serverBeat, cy);
            socket.send(`CONNECTED\nversion:1.2\nheart-beat:${serverBeat},${serverBeat}\n` +
                        `user-name:${frame.headers.login || ''}\n\n\0`);
            if (serverPeriod > 0 && !mute)
                beatTimer = setInterval(() => socket.send('\n'), serverPeriod);
        } else if (frame.command === 'SUBSCRIBE') {
            subscriptions.set(frame.headers.destination, frame.headers.id);
        } else if (frame.command === 'SEND') {
            const id = subscriptions.get(frame.headers.destination);
            if (id !== undefined)
                socket.send(`MESSAGE\nsubscription:${id}\nmessage-id:1\ndestination:${frame.headers.destination}\n` +
                            `content-length:${Buffer.byteLength(frame.body)}\n\n${frame.body}\0`);
        }
        if (frame.headers.receipt)
            socket.send(`RECEIPT\nreceipt-id:${frame.headers.receipt}\n\n\0`);
        watch();
    });
    socket.on('close', () => {
        clearInterval(beatTimer);
        clearTimeout(silenceTimer);
    });
});
serve(httpServer);
