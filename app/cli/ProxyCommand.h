// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli proxy`: runs a TimeoutProxy on the main thread (the command has no GUI to keep responsive)
// until SIGINT or SIGTERM, printing every connection, frame, cut and close (human lines or --json), and writing the
// same JSON lines to the --record file.
class ProxyCommand final
{
public:
    // arguments: what follows "proxy" on the command line. Returns the exit status.
    static int run(const QStringList &arguments);
};

} // namespace wsi::cli
