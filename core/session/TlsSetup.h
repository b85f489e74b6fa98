// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/session/TlsOptions.h"

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace wsi {

// The one TLS setup for every client end of ours: a Session to a wss:// server and the timeout proxy to a wss://
// upstream read the same options the same way, and refuse the same files with the same words.
namespace TlsSetup {

// The system's trusted CAs plus the CA file's certificates, and the client certificate with its private key.
// nullopt with *error when a file cannot be read or holds nothing usable: the message names the file, its path and
// the reason ("the CA file /x/ca.pem cannot be read: No such file or directory").
std::optional<QSslConfiguration> configuration(const TlsOptions &options, QString *error);
// Empty when configuration() succeeds, else its message: to refuse options before anything connects (a usage
// error on the command line, a message in the window).
QString problem(const TlsOptions &options);

} // namespace TlsSetup
} // namespace wsi
