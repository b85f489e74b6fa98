// SPDX-License-Identifier: GPL-3.0-or-later
//
// What every Node test peer of tests/integration/peers does the same way: read its `--name value` options, listen
// on 127.0.0.1 and a free port, print "PORT <n>" (what PeerProcess waits for), print what the real server saw as
// lines a test can wait for, and exit when its stdin closes (PeerProcess closes it, or the test died).
'use strict';

// `--name value` options over `defaults`: a number default makes the value a number, a boolean one makes `--name` a
// switch without a value. An unknown option or a missing value ends the peer with its usage, so a test never runs
// against settings it did not ask for.
function options(defaults, usage) {
    const out = {...defaults};
    const args = process.argv.slice(2);
    for (let i = 0; i < args.length; ++i) {
        const name = args[i].startsWith('--') ? args[i].slice(2) : '';
        const isSwitch = typeof defaults[name] === 'boolean';
        if (!(name in defaults) || (!isSwitch && i + 1 >= args.length)) {
            process.stderr.write(`unknown option or missing value: ${args[i]}\nusage: ${usage}\n`);
            process.exit(2);
        }
        if (isSwitch)
            out[name] = true;
        else
            out[name] = typeof defaults[name] === 'number' ? Number(args[++i]) : args[++i];
    }
    return out;
}

function say(line) {
    process.stdout.write(`${line}\n`);
}

function serve(httpServer) {
    httpServer.listen(0, '127.0.0.1', () => say(`PORT ${httpServer.address().port}`));
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
}

module.exports = {options, say, serve};
