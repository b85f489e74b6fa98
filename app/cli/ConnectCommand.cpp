// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectCommand.h"

#include "ExitStatus.h"
#include "HumanTranscript.h"
#include "JsonTranscript.h"
#include "SignalWatcher.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cmath>

namespace wsi::cli {

int ConnectCommand::run(const QStringList &arguments)
{
    ConnectParseResult parsed = parseConnectArguments(arguments);
    if (!parsed.arguments) {
        QTextStream(stderr) << "wsinspector-cli connect: " << parsed.error
                            << "\nTry 'wsinspector-cli connect --help'.\n";
        return ExitUsage;
    }
    if (parsed.arguments->help) {
        QTextStream(stdout) << connectHelpText();
        return ExitOk;
    }
    ConnectCommand command(std::move(*parsed.arguments));
    // open() can fail synchronously (and emit closed()) before exec() runs, when exit() would be lost: start
    // from inside the event loop.
    QTimer::singleShot(0, &command, &ConnectCommand::start);
    return QCoreApplication::exec();
}

ConnectCommand::ConnectCommand(ConnectArguments arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_printer(m_arguments.json ? std::unique_ptr<TranscriptPrinter>(std::make_unique<JsonTranscript>())
                                 : std::unique_ptr<TranscriptPrinter>(std::make_unique<HumanTranscript>()))
    , m_session(m_arguments.session)
    , m_log(m_session.frameLog())
    , m_signals(new SignalWatcher(this))
    , m_durationTimer(this)
{
    m_durationTimer.setSingleShot(true);
    // A coarse timer may fire 5% early, and --duration promises at least that long.
    m_durationTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_durationTimer, &QTimer::timeout, this, &ConnectCommand::onDurationElapsed);
    connect(&m_session, &Session::handshakeFinished, this, &ConnectCommand::onHandshakeFinished);
    connect(&m_session, &Session::framesAppended, this, &ConnectCommand::printNewFrames);
    connect(&m_session, &Session::closed, this, &ConnectCommand::onClosed);
    connect(m_signals, &SignalWatcher::terminationRequested, this, &ConnectCommand::onTerminationRequested);
}

ConnectCommand::~ConnectCommand() = default;

void ConnectCommand::start()
{
    m_clock.start();
    m_session.open();
}

void ConnectCommand::onHandshakeFinished(bool accepted)
{
    m_printer->handshake(m_session.handshake(), elapsedSeconds());
    m_handshakePrinted = true;
    if (!accepted) {
        TranscriptPrinter::flush();
        return; // closed() follows with the failure
    }

    for (const ConnectArguments::Action &action : std::as_const(m_arguments.actions)) {
        switch (action.kind) {
        case ConnectArguments::Action::Kind::Text:
            m_session.sendMessage(MessageType::Text, action.payload);
            break;
        case ConnectArguments::Action::Kind::Binary:
            m_session.sendMessage(MessageType::Binary, action.payload);
            break;
        case ConnectArguments::Action::Kind::Ping:
            m_session.sendPing(action.payload);
            break;
        }
    }
    if (m_arguments.durationSeconds)
        m_durationTimer.start(int(std::lround(*m_arguments.durationSeconds * 1000.0)));
    else if (m_arguments.close)
        m_session.sendClose(m_arguments.closeCode, m_arguments.closeReason);
    TranscriptPrinter::flush();
}

void ConnectCommand::onDurationElapsed()
{
    // Reached only while the connection is still open; a close already under way decides the status itself.
    if (m_session.state() != Session::State::Open)
        return;
    m_durationReached = true;
    m_session.sendClose(m_arguments.closeCode, m_arguments.closeReason);
}

void ConnectCommand::onTerminationRequested()
{
    // The first request ends the connection the polite way; a second one, for a server that does not answer
    // the Close frame, does not wait for the close timeout.
    if (++m_terminationRequests > 1 || m_session.state() == Session::State::Connecting ||
        m_session.state() == Session::State::Idle) {
        m_session.abort();
        return;
    }
    if (m_session.state() == Session::State::Open)
        m_session.sendClose(quint16(1000));
}

void ConnectCommand::printNewFrames()
{
    const FrameLog &log = *m_log;
    const qsizetype frames = log.frameCount();
    for (; m_printedFrames < frames; ++m_printedFrames) {
        m_printer->frame(log, m_printedFrames);
        // Messages are appended in the order of their last frames, right after the last one.
        while (m_printedMessages < log.messageCount() &&
               log.message(m_printedMessages).lastFrame <= quint64(m_printedFrames)) {
            m_printer->message(log, m_printedMessages++);
        }
    }
    TranscriptPrinter::flush();
}

void ConnectCommand::onClosed()
{
    m_durationTimer.stop();
    printNewFrames();
    // A message record whose frames were all printed already (none are expected, but never drop one silently).
    while (m_printedMessages < m_log->messageCount())
        m_printer->message(*m_log, m_printedMessages++);

    const HandshakeRecord handshake = m_session.handshake();
    const std::optional<CloseRecord> close = m_session.closeRecord();
    if (!handshake.accepted) {
        if (!m_handshakePrinted)
            m_printer->handshake(handshake, elapsedSeconds());
        const QString why = !handshake.explanation.isEmpty()   ? handshake.explanation
                            : close && !close->error.isEmpty() ? close->error
                                                               : QStringLiteral("the handshake failed");
        m_printer->error(why, elapsedSeconds());
    } else if (close) {
        if (!close->clean) {
            const QString why =
                !close->error.isEmpty()
                    ? close->error
                    : QStringLiteral("the connection ended without a closing handshake (Close sent: %1, received: %2)")
                          .arg(close->closeSent ? QStringLiteral("yes") : QStringLiteral("no"),
                               close->closeReceived ? QStringLiteral("yes") : QStringLiteral("no"));
            m_printer->error(why, double(close->atNs) / 1e9);
        }
        m_printer->close(*close);
    }
    TranscriptPrinter::flush();
    QCoreApplication::exit(exitStatus());
}

int ConnectCommand::exitStatus() const
{
    const HandshakeRecord handshake = m_session.handshake();
    if (!handshake.accepted) {
        // The connection reached the server but TLS never completed: a TLS failure, which the issue counts
        // as an abnormal end rather than a refused handshake.
        const bool secure =
            m_arguments.session.url.scheme().compare(QLatin1StringView("wss"), Qt::CaseInsensitive) == 0;
        const bool tlsFailed = secure && handshake.timings.connectNs >= 0 && handshake.timings.tlsNs < 0;
        return tlsFailed ? ExitAbnormal : ExitHandshakeFailed;
    }
    const std::optional<CloseRecord> close = m_session.closeRecord();
    if ((close && close->clean) || m_durationReached)
        return ExitOk;
    return ExitAbnormal;
}

} // namespace wsi::cli
