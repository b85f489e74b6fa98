// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/RelayRecordingEvents.h"

#include "app/cli/RelayEventPrinter.h"
#include "core/proxy/CaptureRecordings.h"

#include <QDir>

namespace wsi::cli {

std::unique_ptr<CaptureRecordings> recordRelayedConnections(const QString &directory, RelayEventPrinter &printer,
                                                            QObject *context)
{
    auto recordings = std::make_unique<CaptureRecordings>(directory);
    QObject::connect(
        recordings.get(), &CaptureRecordings::recordingFinished, context, [&printer](int id, const QString &path) {
            printer.event(QStringLiteral("recorded"), {{QStringLiteral("conn"), id}, {QStringLiteral("file"), path}},
                          QStringLiteral("#%1 recorded in %2").arg(id).arg(QDir::toNativeSeparators(path)));
        });
    QObject::connect(recordings.get(), &CaptureRecordings::recordingFailed, context,
                     [&printer](int id, const QString &error) {
                         printer.event(QStringLiteral("recording_failed"),
                                       {{QStringLiteral("conn"), id}, {QStringLiteral("error"), error}},
                                       QStringLiteral("#%1 not recorded: %2").arg(id).arg(error));
                     });
    return recordings;
}

} // namespace wsi::cli
