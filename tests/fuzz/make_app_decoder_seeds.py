#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the seed corpus of fuzz_app_decoders (corpus/app_decoders) from the recorded transcripts in
# tests/data/appprotocol and from messages of the protocols' specifications. Layout: see fuzz_app_decoders.cpp.
# Run from the project root: python3 tests/fuzz/make_app_decoder_seeds.py. Other files in that folder are inputs
# fuzzing once failed on, kept as regression seeds; the script leaves them alone.
import base64
import json
import os

PROTOCOLS = ['socket.io', 'stomp', 'mqtt', 'graphql-transport-ws', 'graphql-ws', 'signalr', 'phoenix',
             'actioncable', 'sockjs', 'wamp', 'jsonrpc', 'engine.io-3']
OUT = 'tests/fuzz/corpus/app_decoders'


def encode(protocol, messages):
    """messages: (from_client, binary, bytes) triples; long payloads are cut to 254 bytes."""
    out = bytearray([PROTOCOLS.index(protocol)])
    for client, binary, payload in messages:
        payload = payload[:254]
        out += bytes([(1 if client else 0) | (2 if binary else 0), len(payload)]) + payload
    return bytes(out)


def transcript(name, limit=24):
    messages = []
    with open(os.path.join('tests/data/appprotocol', name)) as f:
        for line in f:
            m = json.loads(line)
            payload = base64.b64decode(m['base64']) if m['binary'] else m['text'].encode()
            messages.append((m['from'] == 'client', m['binary'], payload))
    return messages[:limit]


def text(*pairs):
    return [(client, False, payload.encode('latin-1') if isinstance(payload, str) else payload) for client, payload in pairs]


seeds = {
    'socketio4-transcript': encode('socket.io', transcript('socketio4.jsonl')),
    'graphql-transcript': encode('graphql-transport-ws', transcript('graphql-transport-ws.jsonl')),
    'mqtt311-transcript': encode('mqtt', transcript('mqtt311-aedes.jsonl', 40)),
    'mqtt5-packets': encode('mqtt', transcript('mqtt5-packets.jsonl')),
    'sockjs-transcript': encode('sockjs', transcript('sockjs.jsonl')),
    'stomp-stompjs': encode('stomp', transcript('stomp-stompjs.jsonl')),
    'phoenix-js': encode('phoenix', transcript('phoenix-v2.jsonl')),
    'signalr-js': encode('signalr', transcript('signalr-json.jsonl')),
    'engineio3-transcript': encode('engine.io-3', transcript('socketio2-eio3.jsonl')),
    'engineio3': encode('engine.io-3', text((False, '0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":5000}'),
                                           (True, '2'), (False, '3'), (False, '451-["f",{"_placeholder":true,"num":0}]'))
                        + [(False, True, b'\x04\x01\x02')]),
    'stomp': encode('stomp', text((True, 'CONNECT\naccept-version:1.2\nheart-beat:10000,10000\n\n\0'),
                                  (False, 'CONNECTED\nversion:1.2\nheart-beat:10000,10000\n\n\0'),
                                  (True, 'SUBSCRIBE\nid:0\ndestination:/topic/a\nreceipt:1\n\n\0'),
                                  (False, 'MESSAGE\nsubscription:0\nx:a\\cb\ncontent-length:2\n\nhi\0\n'),
                                  (False, '\n'))),
    'graphql-ws-legacy-transcript': encode('graphql-ws', transcript('graphql-ws-legacy.jsonl')),
    'graphql-ws-legacy': encode('graphql-ws', text((True, '{"type":"connection_init"}'), (False, '{"type":"ka"}'),
                                                   (True, '{"id":"1","type":"start","payload":{"query":"{a}"}}'),
                                                   (False, '{"id":"1","type":"data","payload":{"data":{}}}'))),
    'signalr': encode('signalr', text((True, '{"protocol":"json","version":1}\x1e'), (False, '{}\x1e'),
                                      (True, '{"type":1,"invocationId":"1","target":"Send","arguments":[1]}\x1e'),
                                      (False, '{"type":6}\x1e{"type":3,"invocationId":"1","result":2}\x1e'))),
    'phoenix': encode('phoenix', text((True, '["1","1","room:lobby","phx_join",{}]'),
                                      (False, '["1","1","room:lobby","phx_reply",{"status":"ok","response":{}}]'),
                                      (True, '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"2"}'))),
    'actioncable-js': encode('actioncable', transcript('actioncable.jsonl')),
    'actioncable': encode('actioncable', text((False, '{"type":"welcome"}'),
                                              (True, '{"command":"subscribe","identifier":"{\\"channel\\":\\"C\\"}"}'),
                                              (False, '{"identifier":"{\\"channel\\":\\"C\\"}","type":"confirm_subscription"}'),
                                              (False, '{"type":"ping","message":1733580000}'))),
    'sockjs': encode('sockjs', text((False, 'o'), (False, 'h'), (False, 'a["x","y"]'), (True, '["z"]'),
                                    (False, 'c[3000,"Go away!"]'))),
    'wamp-autobahn': encode('wamp', transcript('wamp-autobahn.jsonl')),
    'wamp': encode('wamp', text((True, '[1,"realm1",{"roles":{"caller":{}}}]'), (False, '[2,1,{}]'),
                                (True, '[48,7,{},"com.echo",["hi"]]'), (False, '[50,7,{},["hi"]]'))),
    'jsonrpc-rpc-websockets': encode('jsonrpc', transcript('jsonrpc-rpc-websockets.jsonl')),
    'jsonrpc': encode('jsonrpc', text((True, '{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1}'),
                                      (False, '{"jsonrpc":"2.0","result":3,"id":1}'),
                                      (True, '[{"jsonrpc":"2.0","method":"n"},{"jsonrpc":"2.0","method":"m","id":"a"}]'))),
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)
print(f'{len(seeds)} seeds in {OUT}')
