// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TranscriptPrinter.h"

#include <QJsonObject>

namespace wsi::cli {

// `connect --json`: one compact JSON object per line, the fields of CaptureJson plus "event" and "t".
class JsonTranscript final : public TranscriptPrinter
{
public:
    void handshake(const HandshakeRecord &record, double t) override;
    void frame(const FrameLog &log, qsizetype index) override;
    void message(const FrameLog &log, qsizetype index) override;
    void error(const QString &message, double t) override;
    void close(const CloseRecord &record) override;

private:
    static void writeEvent(const QString &event, QJsonObject object);
};

} // namespace wsi::cli
