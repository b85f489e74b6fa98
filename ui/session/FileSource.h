// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/session/SessionSource.h"

namespace wsi {

// A session read from a file (a recording, or one WebSocket entry of a HAR file): complete, read-only; payloads
// its log did not keep are read back from the recording by the views.
class FileSource final : public SessionSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileSource)

public:
    explicit FileSource(SessionRecords records, QObject *parent = nullptr);
    ~FileSource() override;

    std::optional<SessionRecords> records() const override { return m_records; }
    Session::State state() const override { return Session::State::Closed; }
    QString title() const override;
    QString origin() const override;
    QUrl serverUrl() const override { return m_records.url; }

private:
    SessionRecords m_records;
};

} // namespace wsi
