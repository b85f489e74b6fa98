// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConnectArguments.h"
#include "Session.h"
#include "TranscriptPrinter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace wsi::cli {

class SignalWatcher;

// `wsinspector-cli connect URL ...`: one Session on the main thread's event loop. It sends the requested
// traffic once the connection is open, prints what the session recorded as the session reports it (one coalesced
// framesAppended per batch, never by polling), and ends the event loop with the exit status when the session
// closes.
class ConnectCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectCommand)

public:
    // arguments: what follows "connect" on the command line. Returns the exit status.
    static int run(const QStringList &arguments);

private:
    explicit ConnectCommand(ConnectArguments arguments, QObject *parent = nullptr);
    ~ConnectCommand() override;

    void start();
    void onHandshakeFinished(bool accepted);
    void onClosed();
    void onDurationElapsed();
    void onTerminationRequested();
    // Prints the frames recorded since the last call, each followed by the message it completed, if any.
    void printNewFrames();
    int exitStatus() const;
    double elapsedSeconds() const { return double(m_clock.nsecsElapsed()) / 1e9; }

    ConnectArguments m_arguments;
    std::unique_ptr<TranscriptPrinter> m_printer;
    Session m_session;
    std::shared_ptr<const FrameLog> m_log;
    SignalWatcher *m_signals;
    QTimer m_durationTimer;
    QElapsedTimer m_clock; // for events without a recorded time (the handshake, errors): started with the session
    qsizetype m_printedFrames = 0;
    qsizetype m_printedMessages = 0;
    bool m_handshakePrinted = false;
    bool m_durationReached = false;
    int m_terminationRequests = 0;
};

} // namespace wsi::cli
