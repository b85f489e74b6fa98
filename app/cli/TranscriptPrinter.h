// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CloseRecord.h"
#include "FrameLog.h"
#include "HandshakeRecord.h"

#include <QByteArray>
#include <QString>

#include <cstdio>

namespace wsi::cli {

// Where `connect` writes what happened on the connection: a human transcript or JSON lines. The command calls
// these in the order things happened; times are seconds since the session started.
class TranscriptPrinter
{
public:
    TranscriptPrinter() = default;
    virtual ~TranscriptPrinter() = default;
    Q_DISABLE_COPY_MOVE(TranscriptPrinter)

    virtual void handshake(const HandshakeRecord &record, double t) = 0;
    virtual void frame(const FrameLog &log, qsizetype index) = 0;
    // Called right after the frame that completed the message.
    virtual void message(const FrameLog &log, qsizetype index) = 0;
    virtual void error(const QString &message, double t) = 0;
    virtual void close(const CloseRecord &record) = 0;

    // Once per batch, so a reader at the other end of a pipe sees events as they happen.
    static void flush() { std::fflush(stdout); }

protected:
    static void write(const QByteArray &bytes) { std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout); }
};

} // namespace wsi::cli
