// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace wsi::cli {

// Exit statuses of wsinspector-cli, the contract scripts and CI rely on (documented in each command's --help).
enum ExitStatus : int {
    ExitOk = 0,              // clean close, --duration reached, or a server stopped by a signal
    ExitHandshakeFailed = 1, // no connection or a refused / invalid opening handshake (serve: cannot listen)
    ExitUsage = 2,           // unknown option, bad URL, bad hex, bad close code ...
    ExitAbnormal = 3,        // no closing handshake, a protocol failure, or a TLS failure
    ExitRecordingFailed = 4, // connect --record: the recording file could not be created or written
    ExitOutputFailed = 4,    // export: OUT could not be written (the same status: a file we write failed)
};

} // namespace wsi::cli
