// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingReader.h"
#include "core/recordings/RecordingWriter.h"
#include "core/records/FrameLog.h"
#include "ui/keepalive/HeartbeatView.h"
#include "ui/widgets/RttChart.h"
#include "ui/widgets/Theme.h"

#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

class tst_HeartbeatView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noPingsIsNotMeasured();
    void answeredPingsAreHealthy();
    void unansweredPingTurnsLateThenDead();
    void aPongMayAnswerEarlierPings();
    void silencesPerDirection();
    void endedAfterTheClose_data();
    void endedAfterTheClose();
    void serverPingsAndTheirIntervals();
    void serverHeartbeatTurnsLateWhenItsPingsStop();
    void protocolHeartbeatOfAReopenedRecording();

private:
    static qsizetype frame(FrameLog &log, quint8 opcode, Direction direction, qint64 timeNs);
    static QString text(HeartbeatView &view, const char *name);
};

qsizetype tst_HeartbeatView::frame(FrameLog &log, quint8 opcode, Direction direction, qint64 timeNs)
{
    FrameHeader h;
    h.opcode = opcode;
    return log.appendFrame(FrameRecord::fromHeader(h, timeNs, direction), {});
}

QString tst_HeartbeatView::text(HeartbeatView &view, const char *name)
{
    return view.findChild<QLabel *>(QString::fromLatin1(name))->text();
}

constexpr qint64 ms = 1'000'000;
constexpr qint64 s = 1'000'000'000;

void tst_HeartbeatView::noPingsIsNotMeasured()
{
    auto log = std::make_shared<FrameLog>();
    frame(*log, 1, Direction::Incoming, 10 * ms);
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(20 * ms);
    QCOMPARE(view.health(), HeartbeatView::Health::Unknown);
    QCOMPARE(text(view, "rtt"), QStringLiteral("not measured"));
}

void tst_HeartbeatView::answeredPingsAreHealthy()
{
    auto log = std::make_shared<FrameLog>();
    for (int i = 0; i < 5; ++i) {
        const qint64 sent = i * s;
        const qsizetype ping = frame(*log, 9, Direction::Outgoing, sent);
        const qsizetype pong = frame(*log, 10, Direction::Incoming, sent + (10 + i) * ms);
        log->appendRoundTrip({ping, pong, (10 + i) * ms});
    }
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(5 * s);
    QCOMPARE(view.health(), HeartbeatView::Health::Healthy);
    QCOMPARE(view.lastRttNs(), 14 * ms);
    QCOMPARE(view.unansweredPings(), 0);
    QCOMPARE(text(view, "rtt"), QStringLiteral("14.00 ms"));
    QCOMPARE(view.findChild<RttChart *>()->samples().size(), 5);
}

void tst_HeartbeatView::unansweredPingTurnsLateThenDead()
{
    auto log = std::make_shared<FrameLog>();
    const qsizetype ping = frame(*log, 9, Direction::Outgoing, 0);
    const qsizetype pong = frame(*log, 10, Direction::Incoming, 20 * ms);
    log->appendRoundTrip({ping, pong, 20 * ms});
    frame(*log, 9, Direction::Outgoing, 10 * s); // never answered
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(10 * s + 500 * ms); // waited 0.5 s: under the 1 s minimum
    QCOMPARE(view.health(), HeartbeatView::Health::Healthy);
    QCOMPARE(view.unansweredPings(), 1);
    view.refresh(12 * s); // waited 2 s, far beyond 3 x 20 ms
    QCOMPARE(view.health(), HeartbeatView::Health::Late);
    view.refresh(41 * s); // waited 31 s
    QCOMPARE(view.health(), HeartbeatView::Health::Dead);
    QCOMPARE(text(view, "health"), QStringLiteral("dead"));
}

// RFC 6455 §5.5.3: an endpoint may answer only the most recent ping; its pong settles the earlier ones too.
void tst_HeartbeatView::aPongMayAnswerEarlierPings()
{
    auto log = std::make_shared<FrameLog>();
    frame(*log, 9, Direction::Outgoing, 0);
    frame(*log, 9, Direction::Outgoing, 1 * s);
    const qsizetype last = frame(*log, 9, Direction::Outgoing, 2 * s);
    const qsizetype pong = frame(*log, 10, Direction::Incoming, 2 * s + 5 * ms);
    log->appendRoundTrip({last, pong, 5 * ms});
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(3 * s);
    QCOMPARE(view.unansweredPings(), 0);
    QCOMPARE(view.health(), HeartbeatView::Health::Healthy);
}

void tst_HeartbeatView::silencesPerDirection()
{
    auto log = std::make_shared<FrameLog>();
    frame(*log, 1, Direction::Outgoing, 1 * s);
    frame(*log, 1, Direction::Incoming, 4 * s);
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(10 * s);
    QCOMPARE(text(view, "idleIn"), QStringLiteral("6.0 s ago"));
    QCOMPARE(text(view, "idleOut"), QStringLiteral("9.0 s ago"));
    // Incremental: a new frame arrives and is taken into account.
    frame(*log, 1, Direction::Outgoing, 9 * s);
    view.refresh(10 * s);
    QCOMPARE(text(view, "idleOut"), QStringLiteral("1.0 s ago"));
}

// A connection that died is not "healthy" in green: the state reads ended, with what the heartbeat was before.
void tst_HeartbeatView::endedAfterTheClose_data()
{
    QTest::addColumn<bool>("lastPingAnswered");
    QTest::addColumn<HeartbeatView::Health>("before");
    QTest::addColumn<QString>("stateText");
    QTest::newRow("healthy until the cut")
        << true << HeartbeatView::Health::Healthy << QStringLiteral("ended · was healthy");
    QTest::newRow("a ping unanswered for 2 s before it")
        << false << HeartbeatView::Health::Late << QStringLiteral("ended · was late");
}

void tst_HeartbeatView::endedAfterTheClose()
{
    QFETCH(bool, lastPingAnswered);
    QFETCH(HeartbeatView::Health, before);
    QFETCH(QString, stateText);
    auto log = std::make_shared<FrameLog>();
    const qsizetype ping = frame(*log, 9, Direction::Outgoing, 1 * s);
    const qsizetype pong = frame(*log, 10, Direction::Incoming, 1 * s + 10 * ms);
    log->appendRoundTrip({ping, pong, 10 * ms});
    const qsizetype last = frame(*log, 9, Direction::Outgoing, 3 * s);
    if (lastPingAnswered) {
        const qsizetype reply = frame(*log, 10, Direction::Incoming, 3 * s + 10 * ms);
        log->appendRoundTrip({last, reply, 10 * ms});
    }
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(5 * s);
    QCOMPARE(view.health(), before);
    view.setEnded(5 * s + 400 * ms, QStringLiteral("closed 1006"));
    view.refresh(5 * s + 400 * ms);
    QCOMPARE(view.health(), HeartbeatView::Health::Ended);
    QCOMPARE(view.healthBeforeEnd(), before);
    auto *state = view.findChild<QLabel *>(QStringLiteral("health"));
    QCOMPARE(state->text(), stateText);
    QVERIFY2(state->toolTip().contains(QStringLiteral("closed 1006")), qPrintable(state->toolTip()));
    // Neither green nor red: no heartbeat runs on a connection that is over.
    view.resize(400, 500);
    const QImage chip = state->grab().toImage();
    const QColor fill = chip.pixelColor(4, chip.height() / 2);
    QVERIFY(fill != Theme(view.palette()).color(Theme::Color::Success));
    QVERIFY(fill != Theme(view.palette()).color(Theme::Color::Failure));
    QCOMPARE(text(view, "lastPing"), QStringLiteral("2.4 s before the end"));
    // A new connection's log starts over.
    view.setFrameLog(std::make_shared<FrameLog>());
    QCOMPARE(view.health(), HeartbeatView::Health::Unknown);
}

// The server's own pings are its heartbeat: counted, with how far apart they come.
void tst_HeartbeatView::serverPingsAndTheirIntervals()
{
    auto log = std::make_shared<FrameLog>();
    for (const qint64 t : {5 * s, 30 * s, 55 * s, 81 * s}) {
        frame(*log, 9, Direction::Incoming, t);
        frame(*log, 10, Direction::Outgoing, t + 1 * ms); // our answer: no ping of ours
    }
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(90 * s);
    QCOMPARE(view.serverPings(), 4);
    QCOMPARE(view.serverPingIntervalNs(), 25'333'333'333);
    QCOMPARE(view.lastServerPingIntervalNs(), 26 * s);
    QCOMPARE(text(view, "serverPings"), QStringLiteral("4, the last 9.0 s ago"));
    QCOMPARE(text(view, "serverInterval"), QStringLiteral("every 25.3 s on average; the last interval 26.0 s"));
    QVERIFY2(text(view, "engine").contains(QStringLiteral("the server pings about every 25.3 s")),
             qPrintable(text(view, "engine")));
    // Its pings coming at their pace keep the connection measured as healthy.
    QCOMPARE(view.health(), HeartbeatView::Health::Healthy);
    QCOMPARE(view.unansweredPings(), 0);
}

void tst_HeartbeatView::serverHeartbeatTurnsLateWhenItsPingsStop()
{
    auto log = std::make_shared<FrameLog>();
    for (const qint64 t : {0 * s, 10 * s, 20 * s})
        frame(*log, 9, Direction::Incoming, t);
    HeartbeatView view;
    view.setFrameLog(log);
    view.refresh(34 * s); // 14 s since the last: within half an interval more
    QCOMPARE(view.health(), HeartbeatView::Health::Healthy);
    view.refresh(36 * s); // 16 s: its heartbeat is late
    QCOMPARE(view.health(), HeartbeatView::Health::Late);
    QCOMPARE(text(view, "serverInterval"), QStringLiteral("every 10.0 s on average; the last interval 10.0 s"));
}

void tst_HeartbeatView::protocolHeartbeatOfAReopenedRecording()
{
    // A session's recording with the application protocol's heartbeat in it, opened as File > Open does: the row
    // shows it as the session ran, not "none".
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stomp.wsirec"));
    const ProtocolHeartbeat negotiated{QStringLiteral("stomp"),
                                       QStringLiteral("STOMP heart-beat: ours every 300 ms, the server's every 200 ms"),
                                       300,
                                       0,
                                       200,
                                       400};
    {
        RecordingWriter writer;
        QString error;
        QVERIFY2(
            writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x/stomp")), {}, {}, {}}, &error),
            qPrintable(error));
        QVERIFY2(writer.begin(&error), qPrintable(error));
        for (int i = 0; i < 3; ++i) {
            HeartbeatEvent event;
            event.timeNs = (i + 1) * 200 * ms;
            event.kind = i == 2 ? HeartbeatEvent::Kind::Sent : HeartbeatEvent::Kind::PeerBeat;
            event.source = HeartbeatEvent::Source::Protocol;
            event.sequence = quint64(i + 1);
            QVERIFY2(writer.writeHeartbeatEvent(i, event, &error), qPrintable(error));
        }
        QVERIFY2(writer.writeInfo(QStringLiteral("protocol_heartbeat"),
                                  QString::fromUtf8(QJsonDocument(negotiated.toJson()).toJson()), &error) &&
                     writer.commit(&error),
                 qPrintable(error));
    }
    QString error;
    const std::optional<SessionRecords> records = RecordingReader::readFile(path, &error);
    QVERIFY2(records, qPrintable(error));
    HeartbeatView view;
    view.setFrameLog(records->log);
    view.setHeartbeatHistory(records->heartbeat);
    view.refresh(1 * s);
    const QString row = text(view, "protocolHeartbeat");
    QVERIFY2(row.startsWith(negotiated.description + QStringLiteral(" · healthy")), qPrintable(row));
    QVERIFY2(row.contains(QStringLiteral("1 sent or answered, 2 received, 0 missed")), qPrintable(row));
}

QTEST_MAIN(tst_HeartbeatView)
#include "tst_heartbeatview.moc"
