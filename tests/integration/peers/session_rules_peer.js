#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A Node `ws` server that reports, as JSON lines, what a client's rules did to it, for WS Inspector's integration
// tests of rules on its own sessions (connect --rules):
//   node session_rules_peer.js [--echo] [--ping-every-ms N [--pong-deadline-ms N]] [--burst-bytes N
//       [--burst-message-bytes N]]
// Each line has "event" and "t" (ms since the connection opened): "message" (each message received, its "text"),
// "ping" (each ping sent, "n"), "pong" (each pong received, "text"), "no-pong" (a ping unanswered by the deadline,
// after which it closes the connection with 4000 "no pong within N ms"), "buffered" (every 100 ms while a burst is
// waiting in its socket, "bytes": ws's bufferedAmount), "drained" (the burst is all written out to the kernel),
// "close" ("code", "reason"). --burst-bytes sends that much at once, in binary messages of --burst-message-bytes.
'use strict';

const http = require('http');
const {options, say, serve} = require('./peer_server');
const { WebSocketServer } = require('./load_ws.js')('session_rules_peer');

const settings = options({'echo': false, 'ping-every-ms': 0, 'pong-deadline-ms': 0, 'burst-bytes': 0,
                          'burst-message-bytes': 256 * 1024},
                         'session_rules_peer.js [--echo] [--ping-every-ms N [--pong-deadline-ms N]] '
                             + '[--burst-bytes N [--burst-message-bytes N]]');
const httpServer = http.createServer();
const server = new WebSocketServer({server: httpServer, perMessageDeflate: false});

server.on('connection', (socket) => {
    const start = Date.now();
    const report = (event, fields) => say(JSON.stringify({event, t: Date.now() - start, ...fields}));
    const timers = [];
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
        report('message', {text: isBinary ? `binary:${data.length}` : data.toString()});
        if (settings.echo)
            socket.send(data, {binary: isBinary});
    });
    let awaited = null; // the ping sent whose pong has not come
    socket.on('pong', (data) => {
        report('pong', {text: data.toString()});
        if (awaited !== null && data.toString() === `p${awaited}`)
            awaited = null;
    });
    socket.on('close', (code, reason) => {
        timers.forEach(clearInterval);
        report('close', {code, reason: reason.toString()});
    });
    if (settings['ping-every-ms'] > 0) {
        let n = 0;
        const ping = () => {
            if (settings['pong-deadline-ms'] > 0 && awaited !== null)
                return;
            awaited = ++n;
            socket.ping(Buffer.from(`p${n}`));
            report('ping', {n});
            if (settings['pong-deadline-ms'] > 0) {
                const sent = n;
                timers.push(setTimeout(() => {
                    if (awaited !== sent)
                        return;
                    report('no-pong', {n: sent});
                    socket.close(4000, `no pong within ${settings['pong-deadline-ms']} ms`);
                }, settings['pong-deadline-ms']));
            }
        };
        ping();
        timers.push(setInterval(ping, settings['ping-every-ms']));
    }
    if (settings['burst-bytes'] > 0) {
        const size = settings['burst-message-bytes'];
        for (let sent = 0; sent < settings['burst-bytes']; sent += size)
            socket.send(Buffer.alloc(Math.min(size, settings['burst-bytes'] - sent), 0x61), {binary: true});
        const poll = setInterval(() => {
            report('buffered', {bytes: socket.bufferedAmount});
            if (socket.bufferedAmount === 0) {
                clearInterval(poll);
                report('drained', {});
            }
        }, 100);
        timers.push(poll);
    }
});
serve(httpServer);
