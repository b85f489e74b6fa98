// SPDX-License-Identifier: GPL-3.0-or-later
// Breakpoints in the window against real peers on 127.0.0.1: the window's capture proxy with a pause rule, a Node
// `ws` client (peers/node_rules_client.js through https-proxy-agent, CONNECT) to the built-in echo server. Its
// messages wait in the Rules dock's held messages; one is edited in the view and forwarded (the server echoes the
// edit), one dropped, one answered from the dock, a JSON one checked as it is typed; the captured tab's timeline shows
// each hold from held to decided.
#include "PeerProcess.h"
#include "core/proxy/ProxyConnection.h"
#include "core/rules/RuleFile.h"
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/capture/LiveCapture.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/rules/HeldMessagesView.h"
#include "ui/rules/RulesPanel.h"
#include "ui/session/RelayedSource.h"
#include "ui/session/SessionView.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QDockWidget>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace wsi;

namespace {

constexpr int waitMs = 20000;

QPushButton *button(const HeldMessagesView &view, const char *name)
{
    return view.findChild<QPushButton *>(QLatin1StringView(name));
}

// Types `text` over whatever the editor holds, as a person does.
void typeOver(QPlainTextEdit *editor, const QString &text)
{
    editor->setFocus();
    editor->selectAll();
    QTest::keyClick(editor, Qt::Key_Delete);
    QTest::keyClicks(editor, text);
}

} // namespace

class tst_HeldMessagesView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void editDropAndAnswerFromTheDock();

private:
    QTemporaryDir m_home;
};

void tst_HeldMessagesView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_heldmessagesview"));
    QVERIFY(m_home.isValid());
    // The capture CA is made in this test's own data folder, never the user's.
    qputenv("XDG_DATA_HOME", m_home.path().toLocal8Bit());
}

void tst_HeldMessagesView::editDropAndAnswerFromTheDock()
{
    QString error;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString node =
        test::PeerProcess::nodeWithModules({QStringLiteral("https-proxy-agent")}, &environment, &error);
    QVERIFY2(!node.isEmpty(), qPrintable(error));
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();

    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"json({"rules": [{"name": "breakpoint", "from": "client", "match": "^(edit|drop|answer|\\{)", "action": "pause"}]})json",
        &error);
    QVERIFY2(rules, qPrintable(error));
    CaptureOptions options;
    options.listenPort = test::PeerProcess::freePort();
    options.relay.rules = rules;
    window.liveCapture()->start(options, QString());
    QVERIFY(QTest::qWaitFor([&] { return window.liveCapture()->isRunning(); }, 10000));

    QProcess client;
    client.setProcessEnvironment(environment);
    client.start(node, {QStringLiteral(WSI_INTEGRATION_DIR "/peers/node_rules_client.js"),
                        QStringLiteral("ws://127.0.0.1:%1/orders").arg(echo.url().port()), QStringLiteral("--proxy"),
                        window.liveCapture()->url().toString(), QStringLiteral("--linger"), QStringLiteral("6000"),
                        QStringLiteral("send:edit me"), QStringLiteral("send:drop me"),
                        QStringLiteral("send:answer me"), QStringLiteral("send:{\"qty\":3,\"item\":\"tea\"}")});

    // The dock shows itself with the four held messages, the oldest selected and shown as text.
    HeldMessagesView *view = window.heldMessagesView();
    QVERIFY(QTest::qWaitFor([&] { return view->count() == 4; }, waitMs));
    QVERIFY(window.rulesDock()->isVisible());
    QCOMPARE(window.rulesDock()->windowTitle(), QStringLiteral("Rules \u00b7 4 held"));
    QCOMPARE(window.rulesPanel()->heldMessagesView(), window.heldMessagesView());
    const QTreeWidgetItem *first = view->list()->topLevelItem(0);
    QCOMPARE(first->text(1), QStringLiteral("client → server"));
    QCOMPARE(first->text(2), QStringLiteral("breakpoint"));
    QCOMPARE(first->text(4), QStringLiteral("edit me"));
    QCOMPARE(view->mode(), HeldMessagesView::Mode::Text);
    QCOMPARE(view->editor()->toPlainText(), QStringLiteral("edit me"));

    // Edited: Forward edited is there once the text changed.
    QVERIFY(!button(*view, "heldForwardEdited")->isEnabled());
    typeOver(view->editor(), QStringLiteral("edited by hand"));
    QVERIFY(view->isEdited());
    QVERIFY(button(*view, "heldForwardEdited")->isEnabled());
    button(*view, "heldForwardEdited")->click();
    QCOMPARE(view->count(), 3);

    // Dropped: the next oldest is selected at once.
    QCOMPARE(view->editor()->toPlainText(), QStringLiteral("drop me"));
    button(*view, "heldDrop")->click();

    // Answered from the dialog Answer… opens.
    QCOMPARE(view->editor()->toPlainText(), QStringLiteral("answer me"));
    QTimer::singleShot(0, this, [] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->setTextValue(QStringLiteral("answered from the dock"));
        dialog->accept();
    });
    button(*view, "heldAnswer")->click();
    QCOMPARE(view->count(), 1);

    // JSON: shown indented in its own order, checked as it is typed; a broken edit cannot be forwarded.
    QCOMPARE(view->mode(), HeldMessagesView::Mode::Json);
    QCOMPARE(view->editor()->toPlainText(), QStringLiteral("{\n  \"qty\": 3,\n  \"item\": \"tea\"\n}"));
    typeOver(view->editor(), QStringLiteral("{\"qty\": 4,"));
    QVERIFY(!button(*view, "heldForwardEdited")->isEnabled());
    QVERIFY2(view->problem().startsWith(QStringLiteral("Not JSON: ")), qPrintable(view->problem()));
    QVERIFY(!view->setMode(HeldMessagesView::Mode::Hex)); // unreadable as it is
    QTest::keyClicks(view->editor(), QStringLiteral(" \"item\": \"tea\"}"));
    QVERIFY(button(*view, "heldForwardEdited")->isEnabled());
    QVERIFY(view->setMode(HeldMessagesView::Mode::Hex)); // the same bytes, in hex
    QVERIFY(view->editor()->toPlainText().startsWith(QStringLiteral("7b 22 71 74 79 22")));
    button(*view, "heldForwardEdited")->click();
    QCOMPARE(view->count(), 0);

    QVERIFY(QTest::qWaitFor([&] { return client.state() == QProcess::NotRunning; }, waitMs));
    const QJsonObject report = QJsonDocument::fromJson(client.readAllStandardOutput().trimmed()).object();
    QStringList received;
    for (const QJsonValue &message : report.value(QStringLiteral("received")).toArray())
        received.append(message.toObject().value(QStringLiteral("text")).toString());
    // The echo server sent back what it got: the edits; "drop me" and "answer me" never reached it.
    received.sort();
    QCOMPARE(received, QStringList({QStringLiteral("answered from the dock"), QStringLiteral("edited by hand"),
                                    QStringLiteral("{\"qty\": 4, \"item\": \"tea\"}")}));

    // The captured tab's timeline: each hold from held to decided, in the client's lane.
    SessionView *tab = nullptr;
    for (int i = 0; i < window.sessionTabs()->count() && !tab; ++i) {
        auto *each = qobject_cast<SessionView *>(window.sessionTabs()->widget(i));
        if (each && qobject_cast<RelayedSource *>(each->source()))
            tab = each;
    }
    QVERIFY(tab);
    QVERIFY(QTest::qWaitFor([&] { return tab->timeline()->holds().size() == 4; }, waitMs));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const QList<TimelineWidget::Hold> holds = tab->timeline()->holds();
            return std::all_of(holds.begin(), holds.end(),
                               [](const TimelineWidget::Hold &hold) { return hold.endNs >= 0; });
        },
        waitMs));
    const QList<TimelineWidget::Hold> holds = tab->timeline()->holds();
    QStringList outcomes;
    for (const TimelineWidget::Hold &hold : holds) {
        QCOMPARE(hold.direction, Direction::Outgoing);
        QVERIFY(hold.endNs > hold.startNs);
        outcomes.append(hold.label.section(u':', 1).trimmed());
    }
    QCOMPARE(outcomes, QStringList({QStringLiteral("edited"), QStringLiteral("dropped"), QStringLiteral("answered"),
                                    QStringLiteral("edited")}));
    window.liveCapture()->stop();
}

QTEST_MAIN(tst_HeldMessagesView)
#include "tst_heldmessagesview.moc"
