// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli serve [--host H] [--port P]`: the built-in echo server on its own. Prints
// "listening ws://H:P" (the real port when P is 0) on stdout once it accepts connections, so a script or test can
// read the port, then echoes until SIGINT or SIGTERM and exits 0.
class ServeCommand final
{
public:
    // arguments: what follows "serve" on the command line. Returns the exit status.
    static int run(const QStringList &arguments);
};

} // namespace wsi::cli
