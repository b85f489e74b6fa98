// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/FileSource.h"

#include "core/protocol/HostPort.h"

#include <QFileInfo>
#include <QLocale>

namespace wsi {

FileSource::FileSource(SessionRecords records, QObject *parent)
    : SessionSource(parent)
    , m_records(std::move(records))
{}

FileSource::~FileSource() = default;

QString FileSource::title() const
{
    // Beside a live session of the same URL, the tab says where this one comes from.
    return HostPort::ofUrl(m_records.url) + m_records.url.path() +
           (m_records.source == SessionRecords::Source::Har ? tr(" · HAR") : tr(" · recording"));
}

QString FileSource::origin() const
{
    const QString file = QFileInfo(m_records.sourcePath).fileName();
    const QString started = QLocale().toString(m_records.startedAt.toLocalTime(), QLocale::ShortFormat);
    if (m_records.source == SessionRecords::Source::Har)
        return tr("From the HAR file %1: %2, started %3. Read-only; HAR keeps data messages and their times, not the "
                  "frames' header bits.")
            .arg(file, m_records.url.toString(), started);
    return tr("Recording %1 of %2, started %3. Read-only.").arg(file, m_records.url.toString(), started);
}

} // namespace wsi
