#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A scripted STOMP 1.2 server over WebSocket (npm ws), for want of a STOMP broker in this environment:
//   NODE_PATH=tests/integration/node/node_modules node stomp_peer.js SERVER_BEAT_MS [mute]
// It listens on 127.0.0.1 and a free port, prints "PORT <n>", and exits when its stdin closes. It accepts the
// subprotocols v12.stomp, v11.stomp and v10.stomp, answers CONNECT with CONNECTED "heart-beat:SERVER_BEAT_MS,
// SERVER_BEAT_MS" and the client's login as "user-name", then sends "\n" every max(SERVER_BEAT_MS, client's cy) as the
// specification says, echoes SEND to the subscribers of its destination as MESSAGE, answers receipts, and prints
// "CONNECT <headers as JSON>", "BEAT <ms since the previous client frame>" for each client heart-beat, and "SILENT"
// when the client sent nothing for twice its promised period. With "mute" it promises beats in CONNECTED and never
// sends one: a server that hangs.
'use strict';

const http = require('http');
const {WebSocketServer} = require('ws');

const serverBeat = Number(process.argv[2] || 1000);
const mute = process.argv[3] === 'mute';
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
            silenceTimer = setTimeout(() => process.stdout.write('SILENT\n'), 2 * clientPeriod);
        }
    };
    socket.on('message', (data) => {
        const text = data.toString();
        if (/^\n+$/.test(text)) {
            process.stdout.write(`BEAT ${Date.now() - lastFrame}\n`);
            watch();
            return;
        }
        const frame = parseFrame(text.replace(/^\n+/, ''));
        if (frame.command === 'CONNECT' || frame.command === 'STOMP') {
            process.stdout.write(`CONNECT ${JSON.stringify(frame.headers)}\n`);
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
httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${httpServer.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
