#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A WebSocket client built on Node's `ws` (Debian node-ws) that reaches its server through an HTTP proxy with
// `https-proxy-agent` (npm, pinned in tests/integration/node/package.json), which tunnels ws:// through CONNECT as
// browsers and most proxy agents do. For the capture proxy's tests:
//   node node_proxy_client.js PROXY_URL WS_URL [--hold | --lines]
// It offers permessage-deflate, sends a few messages (text, a large compressible text, binary), checks that each
// comes back unchanged from an echo server, closes with 1000 and prints one JSON line: {"ok", "sent", "echoed",
// "error"}. Exits 0 when every message came back intact, 1 otherwise; gives up after 20 s.
// With --hold it sends one message and, once it is back, stays silent (no message, no ping) until the connection
// ends, then prints {"ok": true, "echoed": 1, "code", "silentMs"}: how long the silence lasted and how it ended.
// With --lines it is driven by the test: it prints {"open": true} once connected, sends each line of its stdin as a
// text message, prints each message it receives as {"received": TEXT}, and closes with 1000 when stdin ends, then
// prints {"ok": true, "code"}; no time limit but the test's own.
'use strict';

const { HttpsProxyAgent } = require('https-proxy-agent');
const WebSocket = require('ws');

const [proxyUrl, wsUrl, mode] = process.argv.slice(2);
const hold = mode === '--hold';
const lines = mode === '--lines';
const messages = hold ? [{ text: 'hello, then silence' }] : [
    { text: 'hello through the capture proxy' },
    { text: 'compressible '.repeat(5000) },
    { binary: Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 254, 255]) },
    { text: 'caf\u00e9 \u2603 last' },
];

function finish(result) {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(result.ok ? 0 : 1);
}

if (!lines)
    setTimeout(() => finish({ ok: false, error: 'timed out after 20 s' }), 20000).unref();

const socket = new WebSocket(wsUrl, { agent: new HttpsProxyAgent(proxyUrl), perMessageDeflate: true });
if (lines) {
    socket.on('open', () => {
        process.stdout.write(JSON.stringify({ open: true }) + '\n');
        let pending = '';
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', (chunk) => {
            pending += chunk;
            let end;
            while ((end = pending.indexOf('\n')) >= 0) {
                socket.send(pending.slice(0, end));
                pending = pending.slice(end + 1);
            }
        });
        process.stdin.on('end', () => socket.close(1000, 'done'));
    });
    socket.on('message', (data) => process.stdout.write(JSON.stringify({ received: data.toString() }) + '\n'));
    socket.on('close', (code) => finish({ ok: code === 1000, code }));
    socket.on('error', (error) => finish({ ok: false, error: String(error) }));
    return;
}
let echoed = 0;
socket.on('open', () => {
    for (const message of messages)
        socket.send(message.text !== undefined ? message.text : message.binary, { binary: message.binary !== undefined });
});
let silentSince = 0;
socket.on('message', (data, isBinary) => {
    const expected = messages[echoed];
    const same = expected.binary !== undefined ? isBinary && Buffer.compare(Buffer.from(data), expected.binary) === 0
                                              : !isBinary && data.toString() === expected.text;
    if (!same)
        finish({ ok: false, error: `message ${echoed} came back changed`, echoed });
    if (++echoed === messages.length) {
        if (hold)
            silentSince = Date.now();
        else
            socket.close(1000, 'done');
    }
});
socket.on('close', (code) => {
    if (hold)
        finish({ ok: echoed === 1, echoed, code, silentMs: Date.now() - silentSince });
    finish({ ok: echoed === messages.length && code === 1000, sent: messages.length, echoed,
             extensions: socket.extensions, code });
});
socket.on('error', (error) => finish({ ok: false, error: String(error), echoed }));
