#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A WebSocket server built on the `websockets` library (Debian: python3-websockets), for WS Inspector's
integration tests.

It listens on 127.0.0.1 and a free port, prints "PORT <n>" on one line of stdout, then behaves as the mode on the
command line says:
  echo   sends every text and binary message back as it came
  ping   pings each client at once with --ping-payload, then sends "pong ok: <payload>" when the matching pong
         arrived (or "no pong" after 5 s), then echoes
  close  closes with --close-code and --close-reason after the client's first message
  drop   ends the connection after the client's first message without a Close frame (TCP FIN; over TLS a
         close_notify, after which asyncio waits for the client's before it closes TCP)
Compression is off unless --deflate or one of the permessage-deflate options is given. --cert/--key serve wss://,
--client-ca also requires a client certificate signed by that CA.

It exits when its stdin closes (the test ended, even by a crash) or after --lifetime seconds.
"""
import argparse
import asyncio
import os
import ssl
import sys

try:
    import websockets
    from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
except ImportError as error:
    print(f"python_peer: {error}: install the Debian package python3-websockets", file=sys.stderr, flush=True)
    sys.exit(3)

# 16 MiB messages, plus room for an incompressible one that grows a little when deflated (the limit applies to the
# compressed frame as well as to the inflated message).
MAX_MESSAGE_SIZE = 16 * 1024 * 1024 + 64 * 1024


def parse_arguments():
    parser = argparse.ArgumentParser(description="WebSocket test peer (python websockets)")
    parser.add_argument("mode", choices=["echo", "ping", "close", "drop"])
    parser.add_argument("--deflate", action="store_true", help="permessage-deflate with the library's defaults")
    parser.add_argument("--server-no-context-takeover", action="store_true")
    parser.add_argument("--client-no-context-takeover", action="store_true")
    parser.add_argument("--server-max-window-bits", type=int)
    parser.add_argument("--client-max-window-bits", type=int)
    parser.add_argument("--ping-payload", default="peer ping")
    parser.add_argument("--close-code", type=int, default=1000)
    parser.add_argument("--close-reason", default="")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--lifetime", type=float, default=120.0)
    return parser.parse_args()


def compression_settings(args):
    """(compression, extensions) for websockets.serve()."""
    custom = (args.server_no_context_takeover or args.client_no_context_takeover
              or args.server_max_window_bits is not None or args.client_max_window_bits is not None)
    if custom:
        return "deflate", [ServerPerMessageDeflateFactory(
            server_no_context_takeover=args.server_no_context_takeover,
            client_no_context_takeover=args.client_no_context_takeover,
            server_max_window_bits=args.server_max_window_bits,
            client_max_window_bits=args.client_max_window_bits)]
    if args.deflate:
        return "deflate", None  # the library's defaults: 12-bit windows both ways, context takeover
    return None, None


def tls_context(args):
    if not args.cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=args.client_ca)
    return context


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


def make_handler(args):
    async def handler(websocket):
        try:
            if args.mode == "ping":
                pong = await websocket.ping(args.ping_payload.encode())
                try:
                    await asyncio.wait_for(pong, 5)
                    await websocket.send(f"pong ok: {args.ping_payload}")
                except asyncio.TimeoutError:
                    await websocket.send("no pong")
                await echo(websocket)
            elif args.mode == "close":
                await websocket.recv()
                await websocket.close(args.close_code, args.close_reason)
            elif args.mode == "drop":
                await websocket.recv()
                websocket.transport.close()
                await websocket.wait_closed()
            else:
                await echo(websocket)
        except websockets.ConnectionClosed:
            pass
    return handler


async def main():
    args = parse_arguments()
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def stop_once():
        if not stop.done():
            stop.set_result(None)

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.remove_reader(sys.stdin.fileno())
            stop_once()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    loop.call_later(args.lifetime, stop_once)

    compression, extensions = compression_settings(args)
    async with websockets.serve(make_handler(args), "127.0.0.1", 0, ssl=tls_context(args),
                                compression=compression, extensions=extensions,
                                max_size=MAX_MESSAGE_SIZE, ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
