// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/SessionSource.h"

namespace wsi {

SessionSource::SessionSource(QObject *parent)
    : QObject(parent)
{}

SessionSource::~SessionSource() = default;

Icons::Name SessionSource::stateIcon() const
{
    switch (state()) {
    case Session::State::Open:
        return Icons::Name::StateOpen;
    case Session::State::Connecting:
    case Session::State::Closing:
        return Icons::Name::StateConnecting;
    case Session::State::Idle:
        return Icons::Name::StateClosed;
    case Session::State::Closed:
        break;
    }
    const std::optional<SessionRecords> ended = records();
    if (!ended || !ended->close)
        return ended && !ended->handshake.accepted && ended->handshake.responseReceived ? Icons::Name::StateFailed
                                                                                        : Icons::Name::StateClosed;
    return ended->close->clean && ended->handshake.accepted ? Icons::Name::StateClosed : Icons::Name::StateFailed;
}

qint64 SessionSource::nowNs() const
{
    const std::optional<SessionRecords> now = records();
    return now ? nowNs(*now, state() != Session::State::Closed) : 0;
}

qint64 SessionSource::nowNs(const SessionRecords &records, bool running)
{
    if (!running || records.close || records.isFromFile())
        return records.endNs();
    return records.startedAt.isValid() ? records.startedAt.msecsTo(QDateTime::currentDateTimeUtc()) * 1'000'000 : 0;
}

void SessionSource::setKnownPath(const KnownPath &path)
{
    m_knownPath = path;
    Q_EMIT originChanged();
}

} // namespace wsi
