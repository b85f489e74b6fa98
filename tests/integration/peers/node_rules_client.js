#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A WebSocket client built on Node's `ws` (Debian node-ws) for the relay rules' tests: it does what its steps say and
// reports everything it received, so a test can tell what a rule made of the traffic on the wire.
//   node node_rules_client.js URL [--deflate] [--linger MS] [--brief] [--answer TEXT=REPLY] STEP...
// Steps, in order: send:TEXT (a text message), binary:TEXT (the same bytes as a binary message), ping:TEXT,
// wait:MS, bulk:COUNT:BYTES:PREFIX (COUNT text messages of BYTES each: PREFIX and the message's number, then dots),
// close:CODE (a Close with CODE; the report's "close" then says the code the answer carried). With --answer every
// text message TEXT received is answered with REPLY (2=3: Engine.IO's pong to the server's ping).
// With --brief a text over 64 characters is reported as its first 16 and its "size". After the last step it waits --linger ms (default 1500) for what is still coming, or until the connection
// ends, then prints one JSON line: {"extensions", "received": [{"t", "text" | "binary"}], "pongs": [{"t", "data"}],
// "close": {"code", "reason"} or null, "error", "socket_error"}, t in ms since the connection opened; socket_error is
// the TCP connection's own error (ECONNRESET for an RST), which ws reports only as a close with 1006. Gives up after
// 20 s.
'use strict';

const loadWs = require('./load_ws.js');

const WebSocket = loadWs('node_rules_client');
const argv = process.argv.slice(2);
const url = argv.shift();
let deflate = false;
let linger = 1500;
let brief = false;
const answers = new Map();
let proxy = null; // through an HTTP proxy with CONNECT (https-proxy-agent, found through NODE_PATH)
const steps = [];
while (argv.length > 0) {
    const arg = argv.shift();
    if (arg === '--deflate')
        deflate = true;
    else if (arg === '--brief')
        brief = true;
    else if (arg === '--linger')
        linger = Number(argv.shift());
    else if (arg === '--answer') {
        const [text, reply] = argv.shift().split('=');
        answers.set(text, reply);
    }
    else if (arg === '--proxy')
        proxy = argv.shift();
    else
        steps.push(arg);
}

const report = { extensions: null, received: [], pongs: [], close: null, error: null, socket_error: null };
let opened = 0;
let done = false;
const elapsed = () => Date.now() - opened;
function finish() {
    if (done)
        return;
    done = true;
    process.stdout.write(JSON.stringify(report) + '\n');
    process.exit(0);
}
setTimeout(() => {
    report.error = report.error || 'gave up after 20 s';
    finish();
}, 20000);

const agent = proxy ? new (require('https-proxy-agent').HttpsProxyAgent)(proxy) : undefined;
const socket = new WebSocket(url, { perMessageDeflate: deflate ? {} : false, agent });
socket.on('open', async () => {
    opened = Date.now();
    report.extensions = socket.extensions || '';
    socket._socket.on('error', (error) => {
        report.socket_error = error.code || error.message;
    });
    for (const step of steps) {
        const colon = step.indexOf(':');
        const kind = step.slice(0, colon);
        const value = step.slice(colon + 1);
        if (kind === 'send')
            socket.send(value);
        else if (kind === 'binary')
            socket.send(Buffer.from(value), { binary: true });
        else if (kind === 'ping')
            socket.ping(Buffer.from(value));
        else if (kind === 'bulk') {
            const [count, bytes, prefix] = value.split(':');
            for (let i = 0; i < Number(count); ++i) {
                const head = prefix + i;
                socket.send(head + '.'.repeat(Math.max(0, Number(bytes) - head.length)));
            }
        } else if (kind === 'wait')
            await new Promise((resolve) => setTimeout(resolve, Number(value)));
        else if (kind === 'close')
            socket.close(Number(value));
        if (done || socket.readyState !== WebSocket.OPEN)
            return;
    }
    setTimeout(finish, linger);
});
socket.on('message', (data, isBinary) => {
    const text = data.toString();
    if (!isBinary && answers.has(text))
        socket.send(answers.get(text));
    if (isBinary)
        report.received.push({ t: elapsed(), binary: text });
    else if (brief && text.length > 64)
        report.received.push({ t: elapsed(), text: text.slice(0, 16), size: text.length });
    else
        report.received.push({ t: elapsed(), text });
});
socket.on('pong', (data) => report.pongs.push({ t: elapsed(), data: data.toString() }));
socket.on('error', (error) => {
    report.error = error.code || error.message;
});
socket.on('close', (code, reason) => {
    report.close = { code, reason: reason.toString() };
    // Whatever else is reported (an error, the last message) has been by now.
    setTimeout(finish, 50);
});
