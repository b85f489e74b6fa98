// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/TranscriptPrinter.h"

#include <array>

namespace wsi::cli {

// `connect` without --json: a transcript for people. The handshake's status line and the headers that matter,
// then one line per frame ("  0.012s -> text   FIN 5 B  \"hello\""), violations indented below their frame, a
// line for each message that took several frames or was compressed (what the frames alone do not show), and a
// summary of how the connection ended.
class HumanTranscript final : public TranscriptPrinter
{
public:
    void handshake(const HandshakeRecord &record, double t) override;
    void frame(const FrameLog &log, qsizetype index) override;
    void message(const FrameLog &log, qsizetype index) override;
    void error(const QString &message, double t) override;
    void close(const CloseRecord &record) override;
    void heartbeat(const HeartbeatEvent &event, const HeartbeatHistory &history) override;
    void reconnect(int attempt, qint64 delayMs, int connection, int maxAttempts, double t) override;
    void diagnosis(const DisconnectDiagnosis &diagnosis, double t) override;
    void unsent(const SessionRules::Unsent &unsent) override;

private:
    void protocolHeartbeat(const HeartbeatEvent &event, const ProtocolHeartbeat &heartbeat);
    void writeHealth(QString line, const HeartbeatEvent &event);
    static void writeLine(const QString &line);
    // " [rule NAME: ACTION]" after a line a rule acted on, as the relays write it.
    static QString ruleSuffix(const Rule *rule);

    // Per direction: whether the message being received in fragments is binary or compressed, since its
    // continuation frames do not say.
    struct OpenMessage {
        bool binary = false;
        bool compressed = false;
    };
    std::array<OpenMessage, 2> m_openMessage{};
};

} // namespace wsi::cli
