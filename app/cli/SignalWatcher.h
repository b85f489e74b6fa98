// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace wsi::cli {

// Turns SIGINT and SIGTERM (Ctrl-C / Ctrl-Break on Windows) into a Qt signal delivered by the event loop, so a
// command can end in an orderly way (close the session, stop the server) instead of dying mid-write.
//
// On Unix the handler only writes the signal number to a self-pipe, the one thing that is async-signal-safe; a
// QSocketNotifier on the pipe's other end brings it into the event loop. One watcher at a time.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override; // restores the default handlers

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void onPipeReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace wsi::cli
