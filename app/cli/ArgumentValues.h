// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"

#include <QHostAddress>
#include <QString>

#include <optional>

// Values that several commands' flags take, checked alike, with messages that name the flag as written.
namespace wsi::cli::ArgumentValues {

// Empty when path names a file this process can read, else "--ca 'PATH': no such file" or "... not a readable
// file": a TLS file that is not there is a usage error before anything connects, not a silent fallback.
QString checkReadableFile(const QString &written, const QString &path);

// An intermediary of the catalog with its knobs (nginx:proxy_read_timeout=30s), every knob that has no default
// given; else nothing and *error names the flag and what is wrong.
std::optional<ChainLink> chainLink(const QString &written, const QString &text, QString *error);

// An IP address (IPv6 in brackets or not) or localhost.
std::optional<QHostAddress> hostAddress(const QString &text);

} // namespace wsi::cli::ArgumentValues
