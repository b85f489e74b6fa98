// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameLog.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/FileSource.h"
#include "ui/session/SessionSource.h"
#include "ui/session/SessionView.h"

#include <QLabel>
#include <QTest>

using namespace wsi;

// What every source shares (the tab's icon, the session's clock) and how a session view takes a source it cannot
// control: a session read from a file.
class tst_SessionSource : public QObject
{
    Q_OBJECT

private:
    static SessionRecords fileRecords(std::optional<CloseRecord> close, bool accepted = true)
    {
        SessionRecords records;
        records.source = SessionRecords::Source::Recording;
        records.sourcePath = QStringLiteral("/tmp/feed.wsirec");
        records.url = QUrl(QStringLiteral("ws://[::1]:9001/feed"));
        records.startedAt = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
        records.handshake.accepted = accepted;
        records.handshake.responseReceived = true;
        records.handshake.response.statusCode = accepted ? 101 : 403;
        auto log = std::make_shared<FrameLog>();
        FrameRecord frame;
        frame.timeNs = 2'500'000'000;
        frame.flags = FrameRecord::Fin;
        frame.opcode = 1;
        log->appendFrame(frame, "hi");
        records.log = log;
        records.close = close;
        return records;
    }
    static CloseRecord closed(bool clean)
    {
        CloseRecord close;
        close.clean = clean;
        close.code = clean ? 1000 : 1006;
        close.atNs = 9'000'000'000;
        return close;
    }

private Q_SLOTS:
    void stateIconOfAnEndedSession_data()
    {
        QTest::addColumn<bool>("hasClose");
        QTest::addColumn<bool>("clean");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<Icons::Name>("icon");
        QTest::newRow("clean close") << true << true << true << Icons::Name::StateClosed;
        QTest::newRow("abnormal close") << true << false << true << Icons::Name::StateFailed;
        QTest::newRow("refused handshake") << false << false << false << Icons::Name::StateFailed;
        QTest::newRow("a file that does not say how it ended") << false << false << true << Icons::Name::StateClosed;
    }
    void stateIconOfAnEndedSession()
    {
        QFETCH(bool, hasClose);
        QFETCH(bool, clean);
        QFETCH(bool, accepted);
        QFETCH(Icons::Name, icon);
        FileSource source(fileRecords(hasClose ? std::optional<CloseRecord>(closed(clean)) : std::nullopt, accepted));
        QCOMPARE(source.state(), Session::State::Closed);
        QCOMPARE(source.stateIcon(), icon);
    }

    void clockOfAnEndedSessionStopsAtItsEnd()
    {
        QCOMPARE(FileSource(fileRecords(closed(true))).nowNs(), 9'000'000'000);
        QCOMPARE(FileSource(fileRecords(std::nullopt)).nowNs(), 2'500'000'000); // its last frame
    }

    void fileSourceSaysWhatItIs()
    {
        FileSource source(fileRecords(closed(true)));
        // The tab tells a recording from a live session of the same URL, and from a HAR file's.
        QCOMPARE(source.title(), QStringLiteral("[::1]:9001/feed · recording"));
        SessionRecords fromHar = fileRecords(closed(true));
        fromHar.source = SessionRecords::Source::Har;
        QCOMPARE(FileSource(fromHar).title(), QStringLiteral("[::1]:9001/feed · HAR"));
        QVERIFY2(source.origin().startsWith(QStringLiteral("Recording feed.wsirec of ws://[::1]:9001/feed")),
                 qPrintable(source.origin()));
        QCOMPARE(source.serverUrl(), QUrl(QStringLiteral("ws://[::1]:9001/feed")));
        QVERIFY(!source.control());
    }

    void viewOfASourceWithoutControlHasNoBarNorComposer()
    {
        SessionView view;
        view.resize(1000, 700);
        view.setSource(new FileSource(fileRecords(closed(false))));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.connectionBar()->isVisible());
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("origin"))->isVisible());
        QCOMPARE(view.title(), QStringLiteral("[::1]:9001/feed · recording"));
        QCOMPARE(view.stateIcon(), Icons::Name::StateFailed);
        QCOMPARE(view.records()->log->frameCount(), 1);
        // The abnormal end is diagnosed off the GUI thread, then shown.
        auto *diagnosis = view.findChild<QLabel *>(QStringLiteral("diagnosis"));
        QTRY_VERIFY_WITH_TIMEOUT(diagnosis->isVisible(), 5000);
        QVERIFY(!diagnosis->text().isEmpty());
        // No intermediary named itself in this recording's upgrade response: no clue line.
        QVERIFY(!diagnosis->text().contains(QLatin1StringView("in the upgrade response\n")));
    }

    void diagnosisShowsTheIntermediarysOwnClue()
    {
        // Cut 5 s after its last frame, behind an nginx that named itself in the 101.
        SessionRecords records = fileRecords(std::nullopt);
        records.handshake.response.headers.append("Server", "nginx/1.22.1");
        CloseRecord close;
        close.initiator = CloseRecord::Initiator::Transport;
        close.code = 1006;
        close.atNs = 7'500'000'000;
        records.close = close;
        SessionView view;
        view.resize(1000, 700);
        view.setSource(new FileSource(records));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *diagnosis = view.findChild<QLabel *>(QStringLiteral("diagnosis"));
        QTRY_VERIFY_WITH_TIMEOUT(diagnosis->isVisible(), 5000);
        const QStringList lines = diagnosis->text().split(QLatin1Char('\n'));
        QVERIFY2(lines.contains(QStringLiteral("Server: nginx/1.22.1 in the upgrade response")),
                 qPrintable(diagnosis->text()));
        QVERIFY2(diagnosis->text().contains(QLatin1StringView("nginx's proxy_read_timeout, set to about 5.0 s here")),
                 qPrintable(diagnosis->text()));
    }
};

QTEST_MAIN(tst_SessionSource)
#include "tst_sessionsource.moc"
