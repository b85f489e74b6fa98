// SPDX-License-Identifier: GPL-3.0-or-later
// The diagnosis banner keeps a long diagnosis to a few lines, so the frame table under it stays usable on a
// 700-pixel-high screen, and opens fully on "Show all". A short one shows whole, with no button.

#include "ui/session/DiagnosisBanner.h"

#include <QLabel>
#include <QScrollArea>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

using namespace wsi;

class TestDiagnosisBanner : public QObject
{
    Q_OBJECT

private:
    // Every knob that could be set to the silence, as the diagnosis lists them without a fingerprint: many lines.
    static QString longDiagnosis()
    {
        QString text = QStringLiteral("No frame in either direction for 1.5 s before the TCP connection closed "
                                      "without a Close frame. No intermediary named itself in the upgrade response.");
        for (int i = 0; i < 12; ++i)
            text += QStringLiteral(" Knob number %1 of an intermediary (default 60 s) could be set to 1.5 s.").arg(i);
        return text;
    }

private Q_SLOTS:
    void longDiagnosisKeepsToAFewLinesUntilShownAll()
    {
        QWidget window;
        window.resize(600, 400);
        auto *banner = new DiagnosisBanner(&window);
        (new QVBoxLayout(&window))->addWidget(banner, 0, Qt::AlignTop);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        banner->setText(longDiagnosis(), QStringLiteral("a heartbeat at most every 1.2 s."),
                        QStringLiteral("tool tip"));

        auto *label = banner->findChild<QLabel *>(QStringLiteral("diagnosis"));
        auto *toggle = banner->findChild<QToolButton *>(QStringLiteral("diagnosisToggle"));
        auto *area = banner->findChild<QScrollArea *>();
        QVERIFY(label && toggle && area);
        QCOMPARE(label->text(), longDiagnosis()); // nothing is cut from the text itself
        QCOMPARE(label->toolTip(), QStringLiteral("tool tip"));
        // The fix stays in view under the few lines, whatever their length.
        auto *fix = banner->findChild<QLabel *>(QStringLiteral("diagnosisFix"));
        QVERIFY(fix && fix->isVisible());
        QCOMPARE(fix->text(), QStringLiteral("Fix: a heartbeat at most every 1.2 s."));
        QTRY_VERIFY(fix->geometry().top() > area->geometry().bottom());
        // The same label holding exactly the collapsed number of lines: the banner's height, cut between lines.
        QLabel fewLinesLabel;
        fewLinesLabel.setWordWrap(true);
        fewLinesLabel.setTextInteractionFlags(label->textInteractionFlags());
        fewLinesLabel.setContentsMargins(label->contentsMargins());
        fewLinesLabel.setText(QStringLiteral("a\nb\nc\nd"));
        QCOMPARE(DiagnosisBanner::collapsedLines, 4);
        const int fewLines = fewLinesLabel.heightForWidth(300) - label->contentsMargins().bottom();
        QVERIFY(fewLines >= 4 * label->fontMetrics().height());
        QVERIFY(toggle->isVisible());
        QCOMPARE(toggle->text(), QStringLiteral("Show all"));
        QCOMPARE(area->height(), fewLines);

        toggle->click();
        QVERIFY(banner->isExpanded());
        QCOMPARE(toggle->text(), QStringLiteral("Show less"));
        QVERIFY2(area->height() > 2 * fewLines, qPrintable(QString::number(area->height())));
        QVERIFY(area->height() >= label->heightForWidth(area->viewport()->width()));

        toggle->click();
        QVERIFY(!banner->isExpanded());
        QCOMPARE(area->height(), fewLines);
    }

    void shortDiagnosisShowsWholeWithoutAButton()
    {
        QWidget window;
        window.resize(600, 400);
        auto *banner = new DiagnosisBanner(&window);
        (new QVBoxLayout(&window))->addWidget(banner, 0, Qt::AlignTop);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        banner->setText(QStringLiteral("The server closed the connection with 1001 \"going away\"."), QString(),
                        QString());
        QVERIFY(!banner->findChild<QLabel *>(QStringLiteral("diagnosisFix"))->isVisible()); // nothing to fix

        auto *label = banner->findChild<QLabel *>(QStringLiteral("diagnosis"));
        auto *toggle = banner->findChild<QToolButton *>(QStringLiteral("diagnosisToggle"));
        auto *area = banner->findChild<QScrollArea *>();
        QVERIFY(!toggle->isVisible());
        QVERIFY(area->height() < 2 * label->fontMetrics().lineSpacing() + label->contentsMargins().top() +
                                     label->contentsMargins().bottom() + 1);
        QVERIFY(area->height() >= label->fontMetrics().lineSpacing());
    }
};

QTEST_MAIN(TestDiagnosisBanner)
#include "tst_diagnosisbanner.moc"
