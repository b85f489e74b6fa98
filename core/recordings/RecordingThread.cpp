// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingThread.h"

namespace wsi {

RecordingThread::RecordingThread(QObject *parent)
    : QThread(parent)
{
    setObjectName(QStringLiteral("wsi-recording"));
    start();
}

RecordingThread::~RecordingThread()
{
    // Events are delivered in order: once the probe is deleted there, what was queued before it has run.
    auto *probe = new QObject;
    probe->moveToThread(this);
    QMetaObject::invokeMethod(
        probe, [probe] { delete probe; }, Qt::BlockingQueuedConnection);
    quit();
    wait();
}

} // namespace wsi
