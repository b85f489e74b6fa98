// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/ConnectionFacts.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace wsi {

class DecodedMessageIndex;
class FrameLog;

// Follows one connection's FrameLog with its application protocol, off the GUI thread: a task on a pool of one
// thread summarises new messages into a DecodedMessageIndex, a slice of sliceMessages at a time, and after each
// slice says on the GUI thread which messages it summarised (advanced()). The GUI thread only ever reads the
// index. Decoding starts once the connection's facts (its handshake) are known, since they may settle the protocol
// before the first message.
class ProtocolDecoding final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProtocolDecoding)

public:
    static constexpr qsizetype sliceMessages = 4096;

    explicit ProtocolDecoding(std::shared_ptr<const FrameLog> log, QObject *parent = nullptr);
    ~ProtocolDecoding() override;

    // The handshake's URL and subprotocols, and the protocol the session was told to speak if any (then it is
    // decoded as that, not recognised); the first call starts decoding, later ones change nothing (the recognition
    // has started from the first).
    void setConnectionFacts(const ConnectionFacts &facts, std::optional<AppProtocol> forced = std::nullopt);
    // The messages logged since the last call are decoded, unless a task is already at it (it takes them too).
    void follow();
    // Null until setConnectionFacts().
    std::shared_ptr<const DecodedMessageIndex> index() const { return m_index; }
    // Whether the task is running (for tests and the benchmark).
    bool isBusy() const noexcept { return m_running.load(std::memory_order_acquire); }
    // Blocks until everything logged so far is summarised (tests and the benchmark only).
    void waitUntilIdle();

Q_SIGNALS:
    // Messages [from, to) were summarised.
    void advanced(qsizetype from, qsizetype to);

private:
    void run();

    std::shared_ptr<const FrameLog> m_log;
    std::shared_ptr<DecodedMessageIndex> m_index;
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_stopping{false};
    QThreadPool m_pool;
};

} // namespace wsi
