// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QThread>

namespace wsi {

// The thread SessionRecorders write on, started at construction. Its destructor first lets everything already
// queued to it run (the ends of the connections that were recorded), then stops it: whoever owns it returns from
// its own destructor with every recording complete.
class RecordingThread final : public QThread
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordingThread)

public:
    explicit RecordingThread(QObject *parent = nullptr);
    ~RecordingThread() override;
};

} // namespace wsi
