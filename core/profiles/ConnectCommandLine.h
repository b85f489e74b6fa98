// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/session/SessionOptions.h"

#include <QString>
#include <QStringList>

namespace wsi {

// The `wsinspector-cli connect` command line that opens a session with the same options as the window's: URL,
// headers, subprotocols, Origin, cookies, deflate, TLS files, proxy, strictness, auto-pong, heartbeat, reconnect,
// size limit and on-connect messages, for a POSIX shell (each argument quoted as it needs).
//
// Secrets never appear as themselves: the values of headers named in `options.secretHeaders` or whose names look secret
// (SessionProfile::looksSecret), cookie values, query values with such names and a proxy's password are written
// as shell variables ("Authorization: ${AUTHORIZATION}") that the user sets before running it, and so are the
// "{{name}}" variables still in the options ("${name}"). The options' rules are `--rules "${RULES_FILE}"`: the file of
// their document (SessionOptions::rulesDocument), which the user saves or names. Fields the command line has no flag
// for (handshake and close timeouts, a heartbeat's receive timeout, the capture budget) are left at its defaults.
namespace ConnectCommandLine {

QString build(const SessionOptions &options);
// The shell variable that names the rules file.
inline constexpr char rulesFileVariable[] = "RULES_FILE";
// One argument as a POSIX shell reads it back: as is when it holds only safe characters, else in single quotes.
QString shellQuote(const QString &argument);

} // namespace ConnectCommandLine
} // namespace wsi
