// SPDX-License-Identifier: GPL-3.0-or-later
//
// Node's `ws` module for the peer scripts: Debian installs node modules in /usr/share/nodejs, which a nodejs from
// elsewhere does not search. A missing module ends the script with exit status 3, naming the package, as `who`.
'use strict';

module.exports = function loadWs(who) {
    for (const name of ['ws', '/usr/share/nodejs/ws']) {
        try {
            return require(name);
        } catch (error) {
            if (error.code !== 'MODULE_NOT_FOUND')
                throw error;
        }
    }
    process.stderr.write(`${who}: cannot find module 'ws': install the Debian package node-ws\n`);
    process.exit(3);
};
