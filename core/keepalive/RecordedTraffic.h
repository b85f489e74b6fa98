// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace wsi {

// The frames each end sent in a real session, as the simulator replays them: only when, and whether they were
// data or control frames, matters to an intermediary's timers.
struct RecordedTraffic {
    struct Frame {
        enum class Kind : quint8 { Data, Ping, Pong };
        qint64 atMs = 0;
        Kind kind = Kind::Data;
    };

    QList<Frame> client; // sent by the client, in time order
    QList<Frame> server; // sent by the server, in time order
    QString source;      // "transcript.jsonl (wsinspector-cli connect --json)"
    qint64 endMs = 0;    // time of the last recorded event (a Close frame, the close)
};

} // namespace wsi
