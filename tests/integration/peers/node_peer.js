#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A WebSocket server built on Node's `ws` module (Debian: nodejs and node-ws), for WS Inspector's integration tests.
// Same command line and behaviour as python_peer.py:
//   node node_peer.js echo|ping|close|drop [--deflate] [--server-no-context-takeover]
//       [--client-no-context-takeover] [--server-max-window-bits N] [--client-max-window-bits N]
//       [--ping-payload S] [--close-code N] [--close-reason S] [--cert F --key F [--client-ca F]]
//       [--lifetime SECONDS]
// It listens on 127.0.0.1 and a free port, prints "PORT <n>" on one line of stdout, and exits when its stdin closes
// or after --lifetime seconds.
'use strict';

const fs = require('fs');
const https = require('https');

const loadWs = require('./load_ws.js');

const { WebSocketServer } = loadWs('node_peer');
// 16 MiB messages, plus room for an incompressible one that grows a little when deflated (maxPayload applies to the
// compressed frames as well as to the inflated message).
const maxMessageSize = 16 * 1024 * 1024 + 64 * 1024;

function parseArguments(argv) {
    const flags = new Set(['--deflate', '--server-no-context-takeover', '--client-no-context-takeover']);
    const args = { mode: argv[0], pingPayload: 'peer ping', closeCode: 1000, closeReason: '', lifetime: 120 };
    if (!['echo', 'ping', 'close', 'drop'].includes(args.mode)) {
        process.stderr.write(`node_peer: unknown mode '${args.mode}' (echo, ping, close or drop)\n`);
        process.exit(2);
    }
    for (let i = 1; i < argv.length; ++i) {
        const name = argv[i];
        const key = name.replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
        if (flags.has(name)) {
            args[key] = true;
        } else if (name.startsWith('--') && i + 1 < argv.length) {
            args[key] = argv[++i];
        } else {
            process.stderr.write(`node_peer: unexpected argument '${name}'\n`);
            process.exit(2);
        }
    }
    return args;
}

function deflateOptions(args) {
    const custom = args.serverNoContextTakeover || args.clientNoContextTakeover || args.serverMaxWindowBits
        || args.clientMaxWindowBits;
    if (!args.deflate && !custom)
        return false;
    const options = { threshold: 0 }; // compress every message, however small
    if (args.serverNoContextTakeover)
        options.serverNoContextTakeover = true;
    if (args.clientNoContextTakeover)
        options.clientNoContextTakeover = true;
    if (args.serverMaxWindowBits)
        options.serverMaxWindowBits = Number(args.serverMaxWindowBits);
    if (args.clientMaxWindowBits)
        options.clientMaxWindowBits = Number(args.clientMaxWindowBits);
    return options;
}

function echo(socket) {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
}

function onConnection(args, socket) {
    socket.on('error', () => socket.terminate());
    if (args.mode === 'ping') {
        const timer = setTimeout(() => socket.send('no pong'), 5000);
        socket.once('pong', (data) => {
            clearTimeout(timer);
            const text = data.toString();
            socket.send(text === args.pingPayload ? `pong ok: ${text}` : `pong wrong: ${text}`);
        });
        socket.ping(Buffer.from(args.pingPayload));
        echo(socket);
    } else if (args.mode === 'close') {
        socket.once('message', () => socket.close(Number(args.closeCode), args.closeReason));
    } else if (args.mode === 'drop') {
        // Ends the TCP (or TLS) connection without a Close frame; _socket is ws's underlying net/tls socket.
        socket.once('message', () => socket._socket.end());
    } else {
        echo(socket);
    }
}

function main() {
    const args = parseArguments(process.argv.slice(2));
    const options = { maxPayload: maxMessageSize, perMessageDeflate: deflateOptions(args) };
    let listener;
    if (args.cert) {
        const tls = { cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) };
        if (args.clientCa) {
            tls.ca = fs.readFileSync(args.clientCa);
            tls.requestCert = true;
            tls.rejectUnauthorized = true;
        }
        listener = https.createServer(tls);
        options.server = listener;
    } else {
        listener = null;
        options.host = '127.0.0.1';
        options.port = 0;
    }
    const server = new WebSocketServer(options);
    server.on('connection', (socket) => onConnection(args, socket));
    const announce = (address) => process.stdout.write(`PORT ${address.port}\n`);
    if (listener)
        listener.listen(0, '127.0.0.1', () => announce(listener.address()));
    else
        server.on('listening', () => announce(server.address()));

    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
    setTimeout(() => process.exit(0), Number(args.lifetime) * 1000);
}

main();
