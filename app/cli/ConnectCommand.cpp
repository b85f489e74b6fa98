// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ConnectCommand.h"

#include "app/cli/ConnectSecretsResolver.h"
#include "app/cli/ExitStatus.h"
#include "app/cli/HumanTranscript.h"
#include "app/cli/JsonTranscript.h"
#include "app/cli/SignalWatcher.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/recordings/RecordingFailure.h"
#include "core/recordings/RecordingPaths.h"
#include "core/recordings/SessionRecorder.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cmath>
#include <csignal>

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
    ConnectArguments &ready = *parsed.arguments;
    // Made once the options are complete; open() can fail synchronously (and emit closed()) before exec() runs,
    // when exit() would be lost: everything starts from inside the event loop.
    std::unique_ptr<ConnectCommand> command;
    const auto begin = [&command, &ready] {
        command.reset(new ConnectCommand(std::move(ready)));
        command->start();
    };
    if (!ready.profileAwaitingSecrets) {
        QTimer::singleShot(0, QCoreApplication::instance(), begin);
        return QCoreApplication::exec();
    }
    // Secrets the profile file does not keep and no flag gave: from the keychain first, as the window does.
    ConnectSecretsResolver secrets;
    QTimer::singleShot(0, &secrets, [&secrets, &ready, begin] {
        secrets.resolve(*ready.profileAwaitingSecrets,
                        [&ready, begin](const std::optional<SessionOptions> &options, const QString &error) {
                            const QString invalid = options ? checkHandshakeOptions(*options) : error;
                            if (!invalid.isEmpty()) {
                                QTextStream(stderr) << "wsinspector-cli connect: " << invalid
                                                    << "\nTry 'wsinspector-cli connect --help'.\n";
                                QCoreApplication::exit(ExitUsage);
                                return;
                            }
                            ready.session = *options;
                            ready.profileAwaitingSecrets.reset();
                            begin();
                        });
    });
    return QCoreApplication::exec();
}

ConnectCommand::ConnectCommand(ConnectArguments arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_printer(m_arguments.json ? std::unique_ptr<TranscriptPrinter>(std::make_unique<JsonTranscript>())
                                 : std::unique_ptr<TranscriptPrinter>(std::make_unique<HumanTranscript>()))
    , m_reconnector(
          m_arguments.session, [this](const SessionOptions &options) { return new Session(options, this); }, this)
    , m_signals(new SignalWatcher(this))
    , m_durationTimer(this)
{
    // A session that speaks a protocol the user named decodes as that protocol from its first message, whatever
    // the handshake shows.
    if (m_arguments.session.protocol.mode == AppProtocolSettings::Mode::Speak)
        m_printer->setForcedProtocol(m_arguments.session.protocol.protocol);
    m_printer->setBinarySchema(m_arguments.binarySchema);
    m_durationTimer.setSingleShot(true);
    // A coarse timer may fire 5% early, and --duration promises at least that long.
    m_durationTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_durationTimer, &QTimer::timeout, this, &ConnectCommand::onDurationElapsed);
    connect(&m_reconnector, &Reconnector::sessionStarted, this, &ConnectCommand::onSessionStarted);
    connect(&m_reconnector, &Reconnector::reconnectScheduled, this, &ConnectCommand::onReconnectScheduled);
    connect(&m_reconnector, &Reconnector::finished, this, &ConnectCommand::onFinished);
    connect(m_signals, &SignalWatcher::terminationRequested, this, &ConnectCommand::onTerminationRequested);
}

ConnectCommand::~ConnectCommand()
{
    if (m_recordingThread) {
        m_recordingThread->quit();
        m_recordingThread->wait();
    }
}

void ConnectCommand::startRecording(Session *session, int connection)
{
    if (!m_recordingThread) {
        m_recordingThread = new QThread(this);
        m_recordingThread->setObjectName(QStringLiteral("wsi-recording"));
        m_recordingThread->start();
    }
    const QString path = RecordingPaths::forConnection(m_arguments.recordFile, connection);
    SessionRecorder *recorder =
        SessionRecorder::start(session, path, m_recordingThread, QCoreApplication::applicationVersion());
    ++m_recordingsUnfinished;
    connect(recorder, &SessionRecorder::failed, this,
            [this, path](const QString &error) { onRecordingFailed(path, error); });
    connect(recorder, &SessionRecorder::finished, this, [this] {
        --m_recordingsUnfinished;
        exitWhenRecordingsAreWritten();
    });
}

void ConnectCommand::onRecordingFailed(const QString &path, const QString &error)
{
    --m_recordingsUnfinished;
    const QString reason = RecordingFailure::osReason(path, error);
    const QString what = QStringLiteral("recording failed: %1").arg(reason);
    // The transcript (stdout) says it in its own format; stderr says it for whoever watches the terminal or a log.
    m_printer->error(reason == error ? what : QStringLiteral("%1 (%2)").arg(what, error), elapsedSeconds());
    TranscriptPrinter::flush();
    const bool goOn = m_arguments.onRecordError == ConnectArguments::OnRecordError::Continue;
    QTextStream(stderr) << "wsinspector-cli connect: " << what << " ("
                        << (goOn ? QStringLiteral("going on unrecorded, as --on-record-error continue asks")
                                 : QStringLiteral("closing the connection; exit status 4"))
                        << ")\n";
    if (goOn) {
        exitWhenRecordingsAreWritten();
        return;
    }
    // The user asked for a recording: a session that cannot be recorded is not worth going on with. It ends the
    // polite way, and as ours: RFC 6455 §7.4.1's 1001 Going Away is the code of an endpoint that leaves for its own
    // reasons. 1011 is a server's code for an internal error in that section, and the others (1002, 1003, 1007,
    // 1008, 1009) say the peer did something wrong, which it did not.
    m_recordingFailed = true;
    m_reconnector.stop();
    if (m_session && m_session->state() != Session::State::Closed)
        m_session->closeBecause({OwnEnd::Reason::RecordingFailed, reason}, quint16(1001), what);
    exitWhenRecordingsAreWritten();
}

void ConnectCommand::exitWhenRecordingsAreWritten()
{
    if (m_exitRequested && m_recordingsUnfinished <= 0)
        QCoreApplication::exit(exitStatus());
}

void ConnectCommand::start()
{
    m_clock.start();
    m_reconnector.start();
}

void ConnectCommand::onSessionStarted(Session *session, int connection)
{
    if (m_session) {
        // Everything of the previous connection was printed when it closed.
        m_session->disconnect(this);
        m_session->deleteLater();
    }
    m_session = session;
    if (!m_arguments.recordFile.isEmpty())
        startRecording(session, connection);
    m_log = session->frameLog();
    m_heartbeats = session->heartbeatHistory();
    m_printed.reset();
    m_unsentPrinted = 0;
    m_printer->setRules(session->rules());
    m_handshakePrinted = false;
    // The session's clock starts when it opens, right after this.
    m_printer->setTimeOffset(connection == 1 ? 0.0 : elapsedSeconds());
    connect(session, &Session::handshakeFinished, this, &ConnectCommand::onHandshakeFinished);
    connect(session, &Session::framesAppended, this, &ConnectCommand::printNewFrames);
    connect(session, &Session::heartbeatUpdated, this, &ConnectCommand::printNewFrames);
    connect(session, &Session::closed, this, &ConnectCommand::onClosed);
}

void ConnectCommand::onReconnectScheduled(int attempt, qint64 delayMs, int connection)
{
    m_printer->reconnect(attempt, delayMs, connection, m_arguments.session.reconnect.maxAttempts, elapsedSeconds());
    TranscriptPrinter::flush();
}

void ConnectCommand::onFinished()
{
    // Giving up is worth saying; the other ends (stopped, our own close) explain themselves.
    if (m_reconnector.connectionCount() > 1 && m_reconnector.finishReason().startsWith(QLatin1StringView("gave up")))
        m_printer->error(QStringLiteral("reconnect: ") + m_reconnector.finishReason(), elapsedSeconds());
    TranscriptPrinter::flush();
    m_exitRequested = true;
    exitWhenRecordingsAreWritten();
}

void ConnectCommand::onHandshakeFinished(bool accepted)
{
    m_printer->handshake(m_session->handshake(), elapsedSeconds());
    m_handshakePrinted = true;
    if (!accepted) {
        TranscriptPrinter::flush();
        return; // closed() follows with the failure
    }

    // The session has sent --send, --send-hex and --ping already (its on-connect messages).
    if (m_arguments.durationSeconds) {
        // From the first connection's handshake: --reconnect does not extend the run.
        if (!m_durationTimer.isActive() && !m_durationReached)
            m_durationTimer.start(int(std::lround(*m_arguments.durationSeconds * 1000.0)));
    } else if (m_arguments.close) {
        m_reconnector.stop(); // our own close ends the run
        m_session->sendClose(m_arguments.closeCode, m_arguments.closeReason);
    }
    TranscriptPrinter::flush();
}

void ConnectCommand::onDurationElapsed()
{
    // Reached while the connection is open; a close already under way decides the status itself, unless
    // --reconnect keeps the run going from connection to connection: then the time is simply up.
    const OwnEnd why{OwnEnd::Reason::DurationReached,
                     QString::number(*m_arguments.durationSeconds) + QStringLiteral(" s")};
    if (m_session->state() == Session::State::Open) {
        m_durationReached = true;
        m_reconnector.stop();
        m_session->closeBecause(why, m_arguments.closeCode, m_arguments.closeReason);
        return;
    }
    if (!m_arguments.session.reconnect.enabled)
        return;
    m_durationReached = true;
    const Session::State state = m_session->state();
    m_reconnector.stop(); // between connections this finishes the run at once
    if (state == Session::State::Connecting || state == Session::State::Idle)
        m_session->abortBecause(why);
}

void ConnectCommand::onTerminationRequested(int signalNumber)
{
    // The first request ends the connection the polite way; a second one, for a server that does not answer
    // the Close frame, does not wait for the close timeout. No reconnect follows either way.
    const Session::State state = m_session->state();
    m_reconnector.stop();
    if (m_reconnector.isFinished())
        return; // it was waiting to reconnect: the run is over
    const OwnEnd why{OwnEnd::Reason::Interrupted,
                     signalNumber == SIGTERM ? QStringLiteral("SIGTERM") : QStringLiteral("SIGINT")};
    if (++m_terminationRequests > 1 || state == Session::State::Connecting || state == Session::State::Idle) {
        m_session->abortBecause(why);
        return;
    }
    if (state == Session::State::Open)
        m_session->closeBecause(why, quint16(1000), QString());
}

CaptureEventOrder::Visitor ConnectCommand::printingVisitor()
{
    return CaptureEventOrder::Visitor{
        [this](qsizetype frame) {
            m_printer->frame(*m_log, frame);
            return true;
        },
        [this](qsizetype message) {
            m_printer->message(*m_log, message);
            return true;
        },
        [this](const HeartbeatEvent &event) {
            m_printer->heartbeat(event, *m_heartbeats);
            return true;
        },
    };
}

void ConnectCommand::printNewFrames()
{
    if (const std::shared_ptr<const SessionRules> rules = m_session->rules()) {
        // What the rules kept from being sent happened before the frames that follow it were written.
        const QList<SessionRules::Unsent> unsent = rules->unsent(m_unsentPrinted);
        for (const SessionRules::Unsent &each : unsent)
            m_printer->unsent(each);
        m_unsentPrinted += unsent.size();
    }
    m_printed.advance(*m_log, m_heartbeats.get(), printingVisitor());
    TranscriptPrinter::flush();
}

void ConnectCommand::onClosed()
{
    printNewFrames();
    m_printed.finish(*m_log, printingVisitor());

    const SessionRecords records = m_session->records();
    const HandshakeRecord &handshake = records.handshake;
    const std::optional<CloseRecord> &close = records.close;
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
            m_printer->error(why, double(close->atNs) / 1e9 + m_printer->timeOffset());
        }
        m_printer->close(*close);
        // An abnormal end gets a diagnosis: which intermediary's timer most likely cut it, with the evidence; so
        // does an end we were forced into (a failed recording, a dead heartbeat), to say it was ours.
        if (!close->clean || (close->ownEnd && close->ownEnd->isFailure())) {
            m_printer->diagnosis(DisconnectDiagnoser::diagnose(SessionEvidence::fromRecords(records)),
                                 double(close->atNs) / 1e9 + m_printer->timeOffset());
        } else if (close->initiator == CloseRecord::Initiator::Server) {
            // A clean close from the server is its decision, unless its application protocol's own timer made it
            // (Engine.IO's pingTimeout, graphql-ws's 4408): that is worth saying.
            const DisconnectDiagnosis diagnosis = DisconnectDiagnoser::diagnose(SessionEvidence::fromRecords(records));
            if (diagnosis.cause == DisconnectDiagnosis::Cause::ProtocolTimeout)
                m_printer->diagnosis(diagnosis, double(close->atNs) / 1e9 + m_printer->timeOffset());
        }
    }
    TranscriptPrinter::flush();
    // The Reconnector decides next (it hears of the close after this): a reconnect, or finished() and the exit.
}

int ConnectCommand::exitStatus() const
{
    if (m_recordingFailed)
        return ExitRecordingFailed;
    const HandshakeRecord handshake = m_session->handshake();
    if (!handshake.accepted) {
        // The connection reached the server but TLS never completed: a TLS failure, which the issue counts
        // as an abnormal end rather than a refused handshake.
        const bool secure =
            m_arguments.session.url.scheme().compare(QLatin1StringView("wss"), Qt::CaseInsensitive) == 0;
        const bool tlsFailed = secure && handshake.timings.connectNs >= 0 && handshake.timings.tlsNs < 0;
        return tlsFailed ? ExitAbnormal : ExitHandshakeFailed;
    }
    const std::optional<CloseRecord> close = m_session->closeRecord();
    if ((close && close->clean) || m_durationReached)
        return ExitOk;
    return ExitAbnormal;
}

} // namespace wsi::cli
