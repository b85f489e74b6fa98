// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/recordings/RecordingThread.h"

#include <QObject>
#include <QString>
#include <QUrl>

namespace wsi {

class ProxyConnection;

// Records every WebSocket connection the relay carries into one folder, one recording each (the same
// SessionRecorder and file format as a session of our own, so File > Open, export, diagnose and simulate --from
// take it): the handshake as the client sent it and as the server answered, both ends' frames with their times,
// and the close. File names say the host the client asked for and when ("20261207-093012-example.test-80.wsirec");
// an existing file is never overwritten, even by two connections in the same second.
//
// Lives on the relay's thread; the files are written on a recording thread of its own. Destroyed after the relay's
// connections ended, it waits until their recordings are complete.
class CaptureRecordings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureRecordings)

public:
    explicit CaptureRecordings(QString directory, QObject *parent = nullptr);
    ~CaptureRecordings() override;

    QString directory() const { return m_directory; }
    // Starts recording `connection`, which must not be started yet. `url` is what its client asked for.
    void record(ProxyConnection *connection, const QUrl &url);

Q_SIGNALS:
    // A connection is recorded into `path` from now on (its file is complete once recordingFinished() came).
    void recordingStarted(int connection, const QString &path);
    void recordingFailed(int connection, const QString &error);
    // A connection ended and its recording is complete and closed.
    void recordingFinished(int connection, const QString &path);

private:
    QString reserveFile(const QUrl &url, QString *error) const;

    QString m_directory;
    RecordingThread m_thread;
};

} // namespace wsi
