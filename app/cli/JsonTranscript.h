// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/TranscriptPrinter.h"
#include "core/exchange/MessageDecoding.h"

#include <QJsonObject>

#include <optional>

namespace wsi::cli {

// `connect --json`: one compact JSON object per line, the fields of CaptureJson plus "event" and "t"; message events of
// a recognised application protocol also carry "decoded" (MessageDecoding), each connection decoded on its own.
class JsonTranscript final : public TranscriptPrinter
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
    static void writeEvent(const QString &event, QJsonObject object);
    // Moves a recorded "t" onto the first connection's clock (see setTimeOffset).
    QJsonObject shifted(QJsonObject object) const;
    // "rule": {"name", "action"} of the rule that acted on a frame, as the relays' events carry it.
    static void addRule(QJsonObject &object, const Rule *rule);

    std::optional<MessageDecoding> m_decoding; // the current connection's, from its handshake on
};

} // namespace wsi::cli
