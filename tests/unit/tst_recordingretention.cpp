// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingRetention.h"
#include "core/recordings/RecordingWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

// The recordings folder's clean-up: by age, then by total size oldest first; never a file that is not a recording,
// never one a session may still be writing.
class tst_RecordingRetention : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QDateTime m_now = QDateTime(QDate(2026, 11, 21), QTime(12, 0), Qt::UTC);

    QString recording(const QString &name, int ageDays, int ageMinutes = 0)
    {
        const QString path = m_dir.filePath(name);
        {
            RecordingWriter writer;
            QString error;
            if (!writer.create(path, {QUrl(QStringLiteral("ws://127.0.0.1:1/")), m_now, {}, {}}, &error))
                qFatal("%s", qPrintable(error));
        }
        setAge(path, ageDays, ageMinutes);
        return path;
    }
    void setAge(const QString &path, int ageDays, int ageMinutes = 0)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(m_now.addDays(-ageDays).addSecs(-60 * ageMinutes), QFileDevice::FileModificationTime));
    }

private slots:
    void removesByAgeAndKeepsOtherFiles()
    {
        const QString old = recording(QStringLiteral("old.wsirec"), 40);
        const QString recent = recording(QStringLiteral("recent.wsirec"), 2);
        const QString notes = m_dir.filePath(QStringLiteral("notes.wsirec"));
        QFile file(notes);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a recording, even with the suffix");
        file.close();
        setAge(notes, 90);

        const RecordingRetention::Result result = RecordingRetention::apply(m_dir.path(), {30, 1ll << 40}, m_now);
        QCOMPARE(result.removed, QStringList{old});
        QVERIFY(!QFileInfo::exists(old));
        QVERIFY(QFileInfo::exists(recent));
        QVERIFY(QFileInfo::exists(notes));
        QVERIFY(result.bytesFreed > 0);
        QFile::remove(recent);
        QFile::remove(notes);
    }

    void removesOldestFirstUntilTheFolderFits()
    {
        const QString a = recording(QStringLiteral("a.wsirec"), 5);
        const QString b = recording(QStringLiteral("b.wsirec"), 4);
        const QString c = recording(QStringLiteral("c.wsirec"), 3);
        const qint64 each = QFileInfo(a).size();
        QVERIFY(each > 0);
        // Room for two: the oldest goes.
        RecordingRetention::Result result = RecordingRetention::apply(m_dir.path(), {30, 2 * each + each / 2}, m_now);
        QCOMPARE(result.removed, QStringList{a});
        QCOMPARE(result.bytesKept, 2 * each);
        // A file written to within the hour stays even when the folder is over its size.
        const QString live = recording(QStringLiteral("live.wsirec"), 0, 10);
        result = RecordingRetention::apply(m_dir.path(), {30, 0}, m_now);
        QCOMPARE(result.removed, (QStringList{b, c}));
        QVERIFY(QFileInfo::exists(live));
        QFile::remove(live);
    }
};

QTEST_GUILESS_MAIN(tst_RecordingRetention)
#include "tst_recordingretention.moc"
