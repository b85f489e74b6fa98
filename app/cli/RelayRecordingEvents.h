// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <memory>

class QObject;

namespace wsi {
class CaptureRecordings;
}

namespace wsi::cli {

class RelayEventPrinter;

// `--record-dir DIR` of `proxy` and `capture`: one .wsirec per relayed WebSocket connection (CaptureRecordings),
// each said as it completes ("recorded" {conn, file}) or fails ("recording_failed" {conn, error}). The signals are
// delivered in `context`'s thread; the recordings wait for their files when the returned object is destroyed.
std::unique_ptr<CaptureRecordings> recordRelayedConnections(const QString &directory, RelayEventPrinter &printer,
                                                            QObject *context);

} // namespace wsi::cli
