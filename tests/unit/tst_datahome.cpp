// SPDX-License-Identifier: GPL-3.0-or-later
// DataHome: the window and the command line keep profiles and recordings in one folder, and what earlier versions
// kept per program is moved in.
#include "core/home/DataHome.h"
#include "core/profiles/ProfileStore.h"
#include "core/recordings/RecordingPaths.h"
#include "core/recordings/RecordingWriter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTest>

using namespace wsi;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The names each program runs under (app/gui/main.cpp, app/cli/main.cpp).
void runAsTheWindow()
{
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector"));
    QCoreApplication::setApplicationName(QStringLiteral("WS Inspector"));
}

void runAsTheCommandLine()
{
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setApplicationName(QStringLiteral("wsinspector-cli"));
}

} // namespace

class tst_DataHome : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup() { init(); } // nothing left in ~/.qttest for the next run
    void oneFolderWhateverTheProgram();
    void aProfileSavedInTheWindowIsListedByTheCommandLine();
    void earlierFoldersAreMovedIn();
    void recordingsAndTheirFolderArePrivate();
};

void tst_DataHome::init()
{
    QStandardPaths::setTestModeEnabled(true); // ~/.qttest: never the user's own folders
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    QVERIFY(data.contains(QLatin1String(".qttest")));
    for (const QString &folder :
         {QStringLiteral("/wsinspector"), QStringLiteral("/WS Inspector"), QStringLiteral("/wsinspector-cli")})
        QDir(data + folder).removeRecursively();
}

void tst_DataHome::oneFolderWhateverTheProgram()
{
    runAsTheWindow();
    const QString window = DataHome::directory();
    const QString windowProfiles = ProfileStore::defaultDirectory();
    const QString windowRecordings = RecordingPaths::defaultDirectory();
    runAsTheCommandLine();
    QCOMPARE(DataHome::directory(), window);
    QCOMPARE(ProfileStore::defaultDirectory(), windowProfiles);
    QCOMPARE(RecordingPaths::defaultDirectory(), windowRecordings);
    QCOMPARE(windowProfiles, window + QStringLiteral("/profiles"));
    QVERIFY(window.endsWith(QLatin1String("/wsinspector")));
}

void tst_DataHome::aProfileSavedInTheWindowIsListedByTheCommandLine()
{
    runAsTheWindow();
    SessionProfile profile;
    profile.name = QStringLiteral("staging feed");
    profile.options.url = QUrl(QStringLiteral("wss://staging.example/feed"));
    QString error;
    ProfileStore windowStore;
    QVERIFY2(windowStore.save(profile, &error), qPrintable(error));

    runAsTheCommandLine();
    const ProfileStore cliStore;
    QCOMPARE(cliStore.list(), QStringList{QStringLiteral("staging feed")});
    const std::optional<SessionProfile> loaded = cliStore.load(QStringLiteral("staging feed"), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->options.url, profile.options.url);
}

void tst_DataHome::earlierFoldersAreMovedIn()
{
    const QStringList earlier = DataHome::earlierLocations(QStringLiteral("recordings"));
    QCOMPARE(earlier.size(), 2);
    writeFile(earlier.at(0) + QStringLiteral("/window.wsirec"), "from the window");
    writeFile(earlier.at(1) + QStringLiteral("/cli.wsirec"), "from the command line");
    writeFile(earlier.at(1) + QStringLiteral("/same.wsirec"), "the command line's");
    writeFile(earlier.at(0) + QStringLiteral("/same.wsirec"), "the window's");

    const QString home = DataHome::part(QStringLiteral("recordings"));
    QCOMPARE(readFile(home + QStringLiteral("/window.wsirec")), QByteArray("from the window"));
    QCOMPARE(readFile(home + QStringLiteral("/cli.wsirec")), QByteArray("from the command line"));
    QVERIFY(!QFile::exists(earlier.at(0) + QStringLiteral("/window.wsirec")));
    QVERIFY(!QFile::exists(earlier.at(1) + QStringLiteral("/cli.wsirec")));
    // Two files of one name: the first moved in is kept, the other stays where it was, never overwritten.
    QCOMPARE(readFile(home + QStringLiteral("/same.wsirec")), QByteArray("the window's"));
    QCOMPARE(readFile(earlier.at(1) + QStringLiteral("/same.wsirec")), QByteArray("the command line's"));

    // Once the home has the part, earlier folders are left alone.
    writeFile(earlier.at(0) + QStringLiteral("/later.wsirec"), "written by an older version afterwards");
    QCOMPARE(DataHome::part(QStringLiteral("recordings")), home);
    QVERIFY(!QFile::exists(home + QStringLiteral("/later.wsirec")));
}

// A recording holds every header and payload: only its owner may read it, its WAL included, and the folders made
// for it are the owner's alone. Folders that existed keep their permissions.
void tst_DataHome::recordingsAndTheirFolderArePrivate()
{
#ifdef Q_OS_UNIX
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    const QString existing = data + QStringLiteral("/wsinspector");
    QVERIFY(QDir().mkpath(existing));
    QVERIFY(QFile::setPermissions(existing, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                QFileDevice::ReadGroup | QFileDevice::ExeGroup));
    const QString folder = existing + QStringLiteral("/recordings/2026");
    QVERIFY(DataHome::makePrivateFolder(folder));
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                        QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    for (const QString &made : QStringList{folder, existing + QStringLiteral("/recordings")}) {
        const QFileDevice::Permissions permissions = QFileInfo(made).permissions();
        QVERIFY2((permissions & ownerOnly) == ownerOnly && !(permissions & others), qPrintable(made));
    }
    QVERIFY(QFileInfo(existing).permissions() & QFileDevice::ReadGroup); // left as it was

    const QString path = folder + QStringLiteral("/session.wsirec");
    QString error;
    {
        RecordingWriter writer;
        QVERIFY2(writer.create(path, {QUrl(QStringLiteral("ws://127.0.0.1:1/")), QDateTime::currentDateTime(), {}, {}},
                               &error),
                 qPrintable(error));
        for (const QString &file : QStringList{path, path + QStringLiteral("-wal")}) {
            QVERIFY2(QFile::exists(file), qPrintable(file));
            const QFileDevice::Permissions permissions = QFileInfo(file).permissions();
            QVERIFY2(!(permissions & others), qPrintable(file));
            QVERIFY(permissions & QFileDevice::ReadOwner);
        }
    }
#else
    QSKIP("Unix permissions");
#endif
}

QTEST_GUILESS_MAIN(tst_DataHome)
#include "tst_datahome.moc"
