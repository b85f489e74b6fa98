// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/SuggestedChain.h"
#include "core/records/FrameLog.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/keepalive/SimulatorPanel.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace wsi;

namespace {

// What a session behind nginx with proxy_read_timeout `seconds` suggests, as SuggestedChain makes it.
SuggestedChain nginxSuggestion(int seconds)
{
    SuggestedChain suggestion;
    suggestion.links.append(
        {*ChainLink::parse(QStringLiteral("nginx:proxy_read_timeout=%1s").arg(seconds), IntermediaryCatalog::builtIn(),
                           nullptr),
         QStringLiteral("from Server: nginx/1.22.1 in the upgrade response; proxy_read_timeout set to %1.0 s from the "
                        "%1.0 s silence before the cut")
             .arg(seconds)});
    suggestion.summary = QStringLiteral("Suggested from the upgrade response of wss://example.com: %1.")
                             .arg(suggestion.cliLinks().constFirst());
    return suggestion;
}

void appendFrame(FrameLog &log, qint64 timeNs, quint8 opcode, Direction direction)
{
    FrameHeader header;
    header.fin = true;
    header.opcode = opcode;
    header.payloadLength = 2;
    header.headerLength = 2;
    log.appendFrame(FrameRecord::fromHeader(header, timeNs, direction), "hi");
}

} // namespace

class tst_SimulatorPanel : public QObject
{
    Q_OBJECT

private slots:
    void silenceBehindNginxIsCutAt60s()
    {
        SimulatorPanel panel;
        QCOMPARE(panel.chain(), QStringList{QStringLiteral("nginx")}); // the classic, ready to run
        panel.setDuration(QStringLiteral("5m"));
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        QVERIFY(panel.lastResult()->outcome.cut);
        QCOMPARE(panel.lastResult()->outcome.atMs, 60000);
        QCOMPARE(panel.lastResult()->outcome.timer, QStringLiteral("proxy_read_timeout"));
        QVERIFY2(panel.outcomeText().contains(QStringLiteral("nginx")), qPrintable(panel.outcomeText()));
        QCOMPARE(finished.first().at(0).toLongLong(), qint64(-1)); // not this session's traffic: no marker
        const auto *explanation = panel.findChild<QLabel *>(QStringLiteral("explanation"));
        QVERIFY(explanation->text().contains(QStringLiteral("Fix:")));
        // The predicted timeline marks the cut where it falls.
        QCOMPARE(panel.predictedTimeline()->markers().size(), 1);
        QCOMPARE(panel.predictedTimeline()->markers().constFirst().timeNs, qint64(60000) * 1'000'000);
    }

    void pingsKeepItAlive()
    {
        SimulatorPanel panel;
        panel.setClientHeartbeat(QStringLiteral("ping:30,timeout=10"));
        panel.setDuration(QStringLiteral("10m"));
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        QVERIFY(!panel.lastResult()->outcome.cut);
        // Twenty pings and their pongs drawn, no cut.
        QVERIFY(panel.predictedTimeline()->markers().isEmpty());
    }

    void knobEditedInTheTableIsUsed()
    {
        SimulatorPanel panel;
        auto *knobs = panel.findChild<QTableWidget *>(QStringLiteral("knobs"));
        int row = -1;
        for (int r = 0; r < knobs->rowCount(); ++r) {
            if (knobs->item(r, 0)->text() == QLatin1StringView("proxy_read_timeout"))
                row = r;
        }
        QVERIFY(row >= 0);
        knobs->item(row, 2)->setText(QStringLiteral("90s"));
        QVERIFY2(panel.chain().constFirst().contains(QStringLiteral("proxy_read_timeout")),
                 qPrintable(panel.chain().constFirst()));
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        QCOMPARE(panel.lastResult()->outcome.atMs, 90000);
    }

    void badSettingsAreRefusedWithTheField()
    {
        SimulatorPanel panel;
        panel.setClientHeartbeat(QStringLiteral("ping:soon"));
        QVERIFY(!panel.run());
        QVERIFY2(panel.outcomeText().startsWith(QStringLiteral("Client heartbeat")), qPrintable(panel.outcomeText()));
        QString error;
        QVERIFY(!panel.setChain({QStringLiteral("nginx"), QStringLiteral("squid")}, &error));
        QVERIFY2(error.contains(QStringLiteral("haproxy")), qPrintable(error)); // lists the valid models
        QCOMPARE(panel.chain(), QStringList{QStringLiteral("nginx")});
    }

    void replaysTheSessionAndMarksTheCut()
    {
        // Traffic every 20 s for 100 s, then silence: nginx cuts 60 s after the last frame. The server's answer 5 ms
        // after the client's frame does not move nginx's deadline (it keeps deadlines that would move by less than
        // 300 ms), so the cut is 60 s after the client's frame at 100 s: 160.000 s, not 160.005 s.
        auto log = std::make_shared<FrameLog>();
        for (qint64 s = 0; s <= 100; s += 20) {
            appendFrame(*log, s * 1'000'000'000, 0x1, Direction::Outgoing);
            appendFrame(*log, s * 1'000'000'000 + 5'000'000, 0x1, Direction::Incoming);
        }
        SimulatorPanel panel;
        panel.setFrameLog(log);
        panel.setUseSessionTraffic(true);
        panel.setDuration(QStringLiteral("10m"));
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        QVERIFY(panel.lastResult()->outcome.cut);
        QCOMPARE(panel.lastResult()->outcome.atMs, 160000);
        QCOMPARE(finished.first().at(0).toLongLong(), qint64(160000) * 1'000'000);
    }

    void fixQuotesTheSessionsOwnSilence()
    {
        // A session with frames at 0, 12.5 and 20.5 s that ended at 40 s, replayed for an hour behind nginx: the fix
        // quotes the session's longest silence (19.5 s, from its last frame to its end), not the simulated hour's
        // silence after the recording ends.
        auto log = std::make_shared<FrameLog>();
        appendFrame(*log, 0, 0x1, Direction::Outgoing);
        appendFrame(*log, 12'500'000'000, 0x1, Direction::Outgoing);
        appendFrame(*log, 20'500'000'000, 0x1, Direction::Incoming);
        SimulatorPanel panel;
        panel.setFrameLog(log);
        panel.setSessionEnd(40'000'000'000);
        panel.setUseSessionTraffic(true);
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        const QString fix = panel.lastResult()->outcome.fix;
        QVERIFY2(fix.contains(QLatin1StringView("above the replayed session's longest silence (19.5 s)")),
                 qPrintable(fix));
        QVERIFY2(!fix.contains(QLatin1StringView("3579")), qPrintable(fix));
        QVERIFY2(panel.findChild<QLabel *>(QStringLiteral("explanation"))->text().contains(fix), qPrintable(fix));
    }

    // The predicted timeline shows the whole run: from its start to the cut (and the silence leading to it), or to
    // the end of the simulated time; never a 1 ms window around the cut.
    void predictedTimelineShowsTheWholeRun()
    {
        SimulatorPanel panel;
        panel.setDuration(QStringLiteral("5m"));
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        const TimelineWidget *predicted = panel.predictedTimeline();
        TimelineWidget::TimeRange range = predicted->visibleRange();
        QVERIFY2(range.startNs <= 0 && range.endNs >= qint64(60) * 1'000'000'000,
                 qPrintable(QStringLiteral("%1 to %2 ns").arg(range.startNs).arg(range.endNs)));
        QVERIFY(predicted->end() && predicted->end()->abnormal);
        const QList<TimelineWidget::Silence> silences = predicted->silences();
        QCOMPARE(silences.size(), 1); // nothing crossed: one silence, from the start to the cut
        QCOMPARE(silences.constFirst().endNs, qint64(60) * 1'000'000'000);

        panel.setClientHeartbeat(QStringLiteral("ping:30,timeout=10"));
        panel.setDuration(QStringLiteral("10m"));
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        range = predicted->visibleRange();
        QVERIFY2(range.startNs <= 0 && range.endNs >= qint64(600) * 1'000'000'000,
                 qPrintable(QStringLiteral("%1 to %2 ns").arg(range.startNs).arg(range.endNs)));
        QVERIFY(predicted->end() && !predicted->end()->abnormal);
    }

    // A suggestion replaces the starting chain and says where it came from; one that names nothing changes nothing.
    void suggestionPrefillsTheChainWithItsReason()
    {
        SimulatorPanel panel;
        panel.show();
        const auto *reason = panel.findChild<QLabel *>(QStringLiteral("chainSuggestion"));
        QVERIFY(!reason->isVisible());
        SuggestedChain none;
        none.summary = QStringLiteral("No chain suggested: no intermediary named itself.");
        panel.suggestChain(none);
        QCOMPARE(panel.chain(), QStringList{QStringLiteral("nginx")});
        QVERIFY(!reason->isVisible());

        panel.suggestChain(nginxSuggestion(5));
        QCOMPARE(panel.chain(), QStringList{QStringLiteral("nginx:proxy_read_timeout=5s")});
        QVERIFY(panel.showsSuggestion());
        QVERIFY(reason->isVisible() && reason->wordWrap());
        QVERIFY2(reason->text().contains(QStringLiteral("nginx:proxy_read_timeout=5s: from Server: nginx/1.22.1")),
                 qPrintable(reason->text()));
        // Later evidence, before the user touched it, updates it.
        panel.suggestChain(nginxSuggestion(7));
        QCOMPARE(panel.chain(), QStringList{QStringLiteral("nginx:proxy_read_timeout=7s")});
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        QCOMPARE(panel.lastResult()->outcome.atMs, 7000);
    }

    // Once the user changes the chain it is theirs: later evidence does not replace it.
    void userEditSurvivesLaterEvidence()
    {
        SimulatorPanel panel;
        panel.show();
        panel.suggestChain(nginxSuggestion(5));
        auto *models = panel.findChild<QComboBox *>(QStringLiteral("models"));
        models->setCurrentIndex(models->findData(QStringLiteral("haproxy")));
        QTest::mouseClick(panel.findChild<QPushButton *>(QStringLiteral("addModel")), Qt::LeftButton);
        const QStringList edited{QStringLiteral("nginx:proxy_read_timeout=5s"), QStringLiteral("haproxy")};
        QCOMPARE(panel.chain(), edited);
        QVERIFY(!panel.showsSuggestion());
        panel.suggestChain(nginxSuggestion(9));
        QCOMPARE(panel.chain(), edited);
        const auto *reason = panel.findChild<QLabel *>(QStringLiteral("chainSuggestion"));
        QVERIFY2(reason->text().startsWith(QStringLiteral("You changed the suggested chain.")),
                 qPrintable(reason->text()));

        // A chain set from a profile is the user's too.
        SimulatorPanel fromProfile;
        QVERIFY(fromProfile.setChain({QStringLiteral("aws-alb")}));
        fromProfile.suggestChain(nginxSuggestion(5));
        QCOMPARE(fromProfile.chain(), QStringList{QStringLiteral("aws-alb")});
    }

    // In a side tab's width (a third of a 1024 px window; under 960 px the side tabs keep 320 px, their frame
    // included, so the panel must fit in less), after a run: the verdict and the explanation are in
    // view without scrolling, and the events wrap rather than run past the right edge.
    void resultShowsWithoutScrollingInANarrowPanel()
    {
        SimulatorPanel panel;
        QVERIFY2(panel.minimumSizeHint().width() <= 296, qPrintable(QString::number(panel.minimumSizeHint().width())));
        panel.resize(330, 520);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy finished(&panel, &SimulatorPanel::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(5000));
        QTest::qWait(50); // the layout settles
        for (const char *name : {"outcome", "explanation"}) {
            const auto *label = panel.findChild<QLabel *>(QLatin1StringView(name));
            QVERIFY2(!label->text().isEmpty(), name);
            QVERIFY2(label->isVisible(), name);
            QCOMPARE(label->visibleRegion().boundingRect(), label->rect());
        }
        const auto *events = panel.findChild<QPlainTextEdit *>(QStringLiteral("events"));
        QVERIFY(events->toPlainText().contains(QStringLiteral("proxy_read_timeout")));
        QCOMPARE(events->lineWrapMode(), QPlainTextEdit::WidgetWidth);
        QCOMPARE(events->horizontalScrollBar()->maximum(), 0);
        for (const QScrollArea *page : panel.findChildren<QScrollArea *>())
            QCOMPARE(page->horizontalScrollBar()->maximum(), 0);
    }
};

QTEST_MAIN(tst_SimulatorPanel)
#include "tst_simulatorpanel.moc"
