// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ConnectionDecoder.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/appprotocol/MessageDecoder.h"
#include "core/appprotocol/Recognition.h"
#include "core/records/AppendOnlyLog.h"

#include <QHash>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>

namespace wsi {

class FrameLog;

// What the application protocol makes of every message of one connection, kept small enough for millions of
// messages: per message a 16-byte summary (its headline, kind and subject as ids of strings kept once, whether it
// breaks the protocol, and for a reply the message that asked), never the decoded fields. The whole decoded message
// is made again when someone looks at it (decodeFull()), from a copy of the decoder kept every checkpointEvery
// messages, so showing message 900,000 replays at most that many messages.
//
// One thread writes (advance()); any thread reads what it published, without locks (AppendOnlyLog's contract).
// Recognition follows ConnectionDecoder: the handshake when it is sure enough, else the first messages; once the
// protocol is known, every message from the first on is decoded.
//
// Pairing: a request waits under its key (and its direction) until a reply with that key travels the other way; each
// such reply names the request. At most maxWaitingRequests wait at once (the oldest go first), so a connection
// that never answers cannot grow the table.
class DecodedMessageIndex final
{
public:
    struct Summary {
        enum Flag : quint8 {
            Decoded = 1 << 0,   // the protocol read it (possibly with a violation)
            Violation = 1 << 1, // it breaks the protocol
            Request = 1 << 2,
            Reply = 1 << 3,
            Several = 1 << 4, // the message carries more than one protocol message: the first is summarised
                              // here, the others' kinds and subjects are parts() (for filters)
        };
        quint32 headline = 0; // string id: "socket.io EVENT \"chat\" (2 args)"; 0 when not decoded
        quint32 subject = 0;  // string id: the event, topic or method; 0 when none
        qint32 request = -1;  // a reply: the message index of the request it answers, when seen
        quint16 kind = 0;     // the kind ("EVENT") as 1 + its place in kinds(); 0 when not decoded
        quint8 flags = 0;

        bool has(Flag flag) const noexcept { return (flags & flag) != 0; }
    };

    // One of the protocol messages after the first of a message that carries several.
    struct Part {
        qint32 message = -1; // the WebSocket message
        quint32 subject = 0; // string id, 0 when none
        quint16 kind = 0;    // as Summary::kind
    };

    static constexpr qsizetype checkpointEvery = 1024;
    // Parts kept per message: past it (a message of thousands of MQTT packets) the rest are in the detail only.
    static constexpr qsizetype maxPartsPerMessage = 1024;
    static constexpr qsizetype maxWaitingRequests = 65536;
    // Distinct strings (headlines, subjects, kinds) kept at most; past it a headline falls back to protocol and
    // kind, and a subject is not kept (the detail view still decodes it whole).
    static constexpr qsizetype maxStrings = 1 << 20;
    static constexpr qsizetype maxKinds = 4096;

    // `forced`: the protocol the session was told to speak (SessionRecords::protocol); no recognition then.
    explicit DecodedMessageIndex(ConnectionFacts facts, std::optional<AppProtocol> forced = std::nullopt);
    ~DecodedMessageIndex();
    Q_DISABLE_COPY_MOVE(DecodedMessageIndex)

    // Writer: reads the log's messages from nextMessage() up to `upTo` (exclusive). Messages held while the protocol
    // is not known yet are summarised once it is, or as not decoded once recognition gives up.
    void advance(const FrameLog &log, qsizetype upTo);
    // Writer: the next message advance() will read (held messages included).
    qsizetype nextMessage() const noexcept { return m_next.load(std::memory_order_acquire); }

    // Readers, any thread.
    qsizetype summarisedMessages() const noexcept { return m_summaries.size(); }
    // Frames below this have their messages summarised (control frames between them included).
    qsizetype summarisedFrames(const FrameLog &log) const;
    const Summary &summary(qsizetype message) const noexcept { return m_summaries.at(message); }
    // The protocol, once known; nullptr before (and when the connection speaks none we know).
    const Recognition *recognition() const noexcept
    {
        return m_recognised.load(std::memory_order_acquire) ? &*m_recognition : nullptr;
    }
    QString text(quint32 id) const { return id < quint32(m_strings.size()) ? m_strings.at(id) : QString(); }
    QString kindText(quint16 kind) const
    {
        return kind > 0 && kind <= m_kinds.size() ? m_strings.at(m_kinds.at(kind - 1)) : QString();
    }
    // The protocol messages after the first of a Several message (at most maxPartsPerMessage), in order; empty
    // for others. Kept only for those messages, so the 16 bytes a message stay 16.
    QList<Part> parts(qsizetype message) const;
    // The kinds seen so far, in the order they first came: what the kind filter offers.
    QStringList kinds() const;
    // The first reply to the request `message`, or -1 (none yet, or it is no request).
    qsizetype firstReplyTo(qsizetype message) const;
    // `message` decoded whole, from the nearest kept decoder state; `payload` replaces the log's bytes of that
    // message when given (the whole payload read back from a recording). Empty when no protocol is known.
    DecodedMessages decodeFull(const FrameLog &log, qsizetype message,
                               const std::optional<QByteArray> &payload = std::nullopt) const;

private:
    void startDecoding(const Recognition &recognition, const FrameLog &log);
    void summarise(const FrameLog &log, qsizetype message, const DecodedMessages &decoded);
    quint32 intern(const QString &text);
    quint16 kindOf(const QString &kind);
    qint32 pair(const FrameLog &log, qsizetype message, const Correlation &correlation);

    ConnectionDecoder m_recogniser;
    std::unique_ptr<MessageDecoder> m_decoder; // writer only
    std::optional<Recognition> m_recognition;  // set once, before m_recognised
    std::atomic<bool> m_recognised{false};
    std::atomic<qsizetype> m_next{0};

    AppendOnlyLog<Summary> m_summaries;
    AppendOnlyLog<QString, 10> m_strings;
    AppendOnlyLog<quint32, 6> m_kinds;
    AppendOnlyLog<Part, 10> m_parts; // by message, appended before that message's summary
    // Decoder state before message i * checkpointEvery.
    AppendOnlyLog<std::shared_ptr<const MessageDecoder>, 8> m_checkpoints;

    // Writer only.
    QHash<QString, quint32> m_ids;
    QHash<QString, qint32> m_waiting; // direction + key -> request message
    std::deque<std::pair<QString, qint32>> m_waitingOrder;
};

} // namespace wsi
