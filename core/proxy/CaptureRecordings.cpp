// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/CaptureRecordings.h"

#include "core/home/DataHome.h"
#include "core/proxy/ProxyConnection.h"
#include "core/recordings/RecordingPaths.h"
#include "core/recordings/SessionRecorder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>

namespace wsi {

CaptureRecordings::CaptureRecordings(QString directory, QObject *parent)
    : QObject(parent)
    , m_directory(std::move(directory))
{}

// The recorders got their connections' ends queued: m_thread's destructor returns once they have written them.
CaptureRecordings::~CaptureRecordings() = default;

QString CaptureRecordings::reserveFile(const QUrl &url, QString *error) const
{
    if (!DataHome::makePrivateFolder(m_directory)) {
        *error = QStringLiteral("cannot create the recordings folder %1").arg(QDir::toNativeSeparators(m_directory));
        return {};
    }
    return RecordingPaths::reserveNewFileIn(m_directory, url, QDateTime::currentDateTime(), error);
}

void CaptureRecordings::record(ProxyConnection *connection, const QUrl &url)
{
    const int id = connection->id();
    QString error;
    const QString path = reserveFile(url, &error);
    if (path.isEmpty()) {
        Q_EMIT recordingFailed(id, error);
        return;
    }
    QJsonArray models;
    for (const ChainLink &link : connection->options().models)
        models.append(link.describe());
    QJsonObject options{{QStringLiteral("name"), url.toString()},
                        {QStringLiteral("captured_by"), QStringLiteral("capture proxy")},
                        {QStringLiteral("client"), connection->clientAddress()},
                        {QStringLiteral("models"), models},
                        {QStringLiteral("time_scale"), connection->options().timeScale}};
    if (const ProxyOptions &relay = connection->options(); relay.hasRules()) {
        // Frames flagged Injected are the relay's own; with rules the client's compression offer is not forwarded.
        options.insert(QStringLiteral("rules"), relay.rules->toJson());
        options.insert(QStringLiteral("permessage_deflate"),
                       QStringLiteral("a client's offer is not forwarded upstream: rules may rewrite messages"));
    }
    SessionRecorder *recorder = SessionRecorder::start(
        SessionRecorder::Source{connection->frameLog(), {}, url, options, connection->ruleMarks()}, path, &m_thread,
        QCoreApplication::applicationVersion());
    connection->setPayloadOverflow(recorder->payloadOverflow());
    Q_EMIT recordingStarted(id, path);
    connect(recorder, &SessionRecorder::failed, this,
            [this, id](const QString &why) { Q_EMIT recordingFailed(id, why); });
    connect(recorder, &SessionRecorder::finished, this,
            [this, id](const QString &written) { Q_EMIT recordingFinished(id, written); });
    // The records are copied on the connection's thread, where it is known to exist, and handed over queued.
    connect(
        connection, &ProxyConnection::upgraded, recorder,
        [connection, recorder](int status) {
            if (status == 101)
                recorder->recordHandshake(connection->records());
        },
        Qt::DirectConnection);
    auto ended = std::make_shared<bool>(false);
    connect(
        connection, &ProxyConnection::closed, recorder,
        [connection, recorder, ended] {
            *ended = true;
            recorder->recordEnd(connection->records());
        },
        Qt::DirectConnection);
    connect(
        connection, &QObject::destroyed, recorder,
        [recorder, ended] {
            if (!*ended)
                recorder->recordEnd(std::nullopt);
        },
        Qt::DirectConnection);
}

} // namespace wsi
