// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CloseRecord.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRuleMarks.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/HeartbeatHistory.h"
#include "core/records/HoldRecord.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace wsi {

// Everything recorded of one WebSocket connection, whatever produced it: a live Session of ours, a connection the
// timeout proxy relays, a recording, or one WebSocket entry of a HAR file. Every producer gives this one value and
// every consumer takes it: the views, the exports (HAR, JSON lines), the recorder and the diagnosis
// (DisconnectDiagnoser reads it through SessionEvidence::fromRecords; a diagnosis is computed from the records,
// never stored beside them, so it cannot disagree with them).
//
// A copy is cheap: the log and the heartbeat history are shared, and readable from any thread without locks; the
// handshake and the close are copies taken when the value was made. A live producer's log keeps growing after that.
struct SessionRecords {
    enum class Source : quint8 {
        Live,      // our own client's connection (Session)
        Relayed,   // a connection between someone's client and a server, relayed by the timeout proxy
        Recording, // read from a recording (.wsirec)
        Har,       // read from a HAR file
    };

    Source source = Source::Live;
    QString sourcePath;  // the file it was read from (Recording, Har)
    QUrl url;            // the server's
    QDateTime startedAt; // wall time of the log's time 0
    HandshakeRecord handshake;
    std::shared_ptr<const FrameLog> log;
    std::shared_ptr<const HeartbeatHistory> heartbeat; // null when there is none (relayed, a HAR file)
    std::optional<CloseRecord> close;                  // none while it runs, or when a file does not say
    // Which relay rule acted on which frames (a connection relayed with rules, or its recording); null otherwise.
    std::shared_ptr<const FrameRuleMarks> ruleMarks;
    // The session's recording, which keeps every payload in full: payloads the log cut (PayloadTruncated) are read
    // back from it on demand (RecordingReader::framePayload()). Empty when there is none (a HAR file: what it
    // lacks is lost).
    QString recordingPath;
    // Header names the session's profile marks secret (SessionOptions::secretHeaders; a recording keeps them in its
    // settings): every export leaves their values out, as it does the built-in ones (SecretRedaction).
    QStringList secretHeaders;
    // The application protocol the session was told to speak (`connect --protocol NAME`, SessionOptions::protocol in
    // Speak mode), by its AppProtocols::name(): every decoder of the session's messages (the exports, the diagnosis,
    // the simulator) takes it as said instead of recognising one from the URL, the subprotocol and the first
    // messages, as the live session did. Empty when the session spoke none or was left to recognise it (a recording
    // keeps it in its settings).
    QString protocol;
    // The messages a relay's pause rules held (breakpoints), in the order held, and how each was let go; empty for
    // every other producer.
    QList<HoldRecord> holds;

    bool isFromFile() const noexcept { return source == Source::Recording || source == Source::Har; }
    // When it ended on its own clock: the close, else its last frame, else 0.
    qint64 endNs() const noexcept
    {
        if (close)
            return close->atNs;
        const qsizetype frames = log ? log->frameCount() : 0;
        return frames > 0 ? log->frame(frames - 1).timeNs : 0;
    }
};

} // namespace wsi
