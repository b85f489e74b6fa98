// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/rules/RuleSet.h"

#include <QHostAddress>
#include <QString>

#include <memory>
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

// HOST:PORT where to listen (port 0: a free one): empty with *address and *port set, else what is wrong, naming
// the flag.
QString listenEndpoint(const QString &written, const QString &text, QHostAddress *address, quint16 *port);

// --time-scale N: a number greater than 0 (at most a million); empty with *scale set, else what is wrong.
QString timeScale(const QString &written, const QString &text, double *scale);

// --rules FILE: the rule file read and checked (RuleFile); empty with *rules set, else what is wrong, naming the
// flag, the file, the rule's index, the field and the value.
QString rules(const QString &written, const QString &path, std::shared_ptr<RuleSet> *rules);
// The help of --rules, the same for every command that relays.
QString rulesHelp();

} // namespace wsi::cli::ArgumentValues
