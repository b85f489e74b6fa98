// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli capture`: the capture proxy (core/proxy/CaptureProxy) until SIGINT or SIGTERM, printing every
// event and recording every WebSocket connection with --record-dir.
class CaptureCommand final
{
public:
    static int run(const QStringList &arguments);
};

} // namespace wsi::cli
