// SPDX-License-Identifier: GPL-3.0-or-later
// The window's Rules panel: a rules file loaded and each rule described, a wrong document refused with RuleFile's own
// error and nothing applied, the switches flipping the RuleSet the connections share, the document and switches kept
// for the next time, the empty state's example; and end to end, the window's capture started with a rule from the
// panel, a Node `ws` client (https-proxy-agent, CONNECT) through it to a Node `ws` echo server, the rule acting on the
// wire, switched off in the panel, and a new document taking over for the connections opened after it.
#include "PeerProcess.h"
#include "core/rules/RuleFile.h"
#include "core/rules/RuleSet.h"
#include "core/session/SessionManager.h"
#include "ui/capture/CaptureDialog.h"
#include "ui/capture/LiveCapture.h"
#include "ui/rules/CaptureRules.h"
#include "ui/rules/RuleEditorDialog.h"
#include "ui/rules/RuleListModel.h"
#include "ui/rules/RulesPanel.h"
#include "ui/session/SessionSource.h"
#include "ui/session/SessionView.h"
#include "ui/window/MainWindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

// Written as a person would, spacing and order of their own: what is saved must be this, byte for byte.
const QByteArray threeRules = R"({"rules": [
    {"name": "redact", "from": "client", "opcode": "text", "match": "secret", "action": "replace", "with": "public"},
    {"from": "server", "match": "^bye$", "action": "close", "to": "client", "code": 4000, "reason": "injected"},
    {"name": "slow", "from": "server", "match": "^slow-", "action": "delay", "ms": 600}
]}
)";

QString cell(const RuleListModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

bool isOn(const RuleListModel *model, int row)
{
    return model->index(row, RuleListModel::Name).data(Qt::CheckStateRole).value<Qt::CheckState>() == Qt::Checked;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A Node `ws` client through the capture proxy, driven line by line (node_proxy_client.js --lines).
class LineClient
{
public:
    bool start(const QString &node, const QString &modules, const QUrl &proxy, const QString &url)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("NODE_PATH"), modules + QStringLiteral(":/usr/share/nodejs"));
        m_process.setProcessEnvironment(environment);
        m_process.start(node, {QStringLiteral(WSI_INTEGRATION_DIR "/peers/node_proxy_client.js"), proxy.toString(), url,
                               QStringLiteral("--lines")});
        return waitFor(QJsonObject{{QStringLiteral("open"), true}});
    }
    // Sends `text` and waits for the echo: what came back.
    QString sendAndReceive(const QString &text)
    {
        m_process.write(text.toUtf8() + '\n');
        const qsizetype before = m_received.size();
        if (!QTest::qWaitFor(
                [&] {
                    readLines();
                    return m_received.size() > before || m_process.state() == QProcess::NotRunning;
                },
                10000) ||
            m_received.size() == before)
            return QStringLiteral("(nothing came back: %1)").arg(QString::fromUtf8(m_output));
        return m_received.at(before);
    }
    bool finish()
    {
        m_process.closeWriteChannel();
        const bool ended = QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, 10000);
        readLines();
        return ended && m_process.exitCode() == 0 && m_output.contains("\"ok\":true");
    }
    QByteArray output() const { return m_output; }

private:
    bool waitFor(const QJsonObject &line)
    {
        return QTest::qWaitFor(
                   [&] {
                       readLines();
                       return m_lines.contains(line) || m_process.state() == QProcess::NotRunning;
                   },
                   15000) &&
               m_lines.contains(line);
    }
    void readLines()
    {
        m_output += m_process.readAllStandardOutput() + m_process.readAllStandardError();
        qsizetype end;
        while ((end = m_output.indexOf('\n', m_consumed)) >= 0) {
            const QJsonObject line = QJsonDocument::fromJson(m_output.mid(m_consumed, end - m_consumed)).object();
            m_consumed = end + 1;
            m_lines.append(line);
            if (line.contains(QStringLiteral("received")))
                m_received.append(line.value(QStringLiteral("received")).toString());
        }
    }

    QProcess m_process;
    QByteArray m_output;
    qsizetype m_consumed = 0;
    QList<QJsonObject> m_lines;
    QStringList m_received;
};

} // namespace

class tst_RulesPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void loadsAFileAndDescribesEachRule();
    void refusesAWrongDocumentWithRuleFilesError();
    void refusesAWrongFileAndOffersItsTextToMend();
    void switchFlipsTheSharedRuleSet();
    void keptForTheNextTimeAsWritten();
    void keptDocumentRefusedLaterIsSaid();
    void emptyStateStartsFromAnExample();
    void captureRunsThePanelsRulesOnTheWire();
    void heldMessagesStandBesideTheRules();

private:
    QTemporaryDir m_home;
    QTemporaryDir m_files;
};

void tst_RulesPanel::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_rulespanel"));
    QVERIFY(m_home.isValid() && m_files.isValid());
    // The capture CA is made in this test's own data folder, never the user's; nothing is recorded.
    qputenv("XDG_DATA_HOME", m_home.path().toLocal8Bit());
    qputenv("WSI_RECORDING_DIR", m_home.filePath(QStringLiteral("recordings")).toLocal8Bit());
}

void tst_RulesPanel::init()
{
    QSettings().clear();
}

void tst_RulesPanel::loadsAFileAndDescribesEachRule()
{
    const QString path = m_files.filePath(QStringLiteral("three.json"));
    QVERIFY(writeFile(path, threeRules));
    CaptureRules rules;
    RulesPanel panel(&rules);
    QAbstractItemModelTester tester(panel.ruleModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(panel.showsExample());
    QSignalSpy loaded(&rules, &CaptureRules::loaded);
    rules.loadFile(path);
    QVERIFY(loaded.wait(5000));
    QCOMPARE(loaded.first().first().toString(), path);

    const RuleListModel *model = panel.ruleModel();
    QVERIFY(!panel.showsExample());
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(cell(model, 0, RuleListModel::Name), QStringLiteral("redact"));
    QCOMPARE(cell(model, 0, RuleListModel::When), QStringLiteral("from client · text · /secret/"));
    QCOMPARE(cell(model, 0, RuleListModel::Action), QStringLiteral("replace → “public”"));
    QCOMPARE(cell(model, 1, RuleListModel::Name), QStringLiteral("rules[1]"));
    QCOMPARE(cell(model, 1, RuleListModel::When), QStringLiteral("from server · /^bye$/"));
    QCOMPARE(cell(model, 1, RuleListModel::Action), QStringLiteral("close → client 4000 “injected”"));
    QCOMPARE(cell(model, 2, RuleListModel::Action), QStringLiteral("delay 600 ms"));
    QCOMPARE(cell(model, 2, RuleListModel::Matched), QStringLiteral("0"));
    for (int row = 0; row < 3; ++row)
        QVERIFY(isOn(model, row));
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("rulesSummary"))->text(), QStringLiteral("3 rules, 3 on"));
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("rulesSource"))->text(), QStringLiteral("from three.json"));
    QCOMPARE(rules.document(), threeRules);
    QCOMPARE(rules.fileName(), path);

    // Timed rules and the other actions, in words.
    QString error;
    QVERIFY2(rules.apply(R"({"rules": [
        {"action": "inject", "to": "client", "text": "tick", "every_ms": 5000},
        {"action": "stall", "to": "server", "ms": 2000, "after_ms": 1000},
        {"from": "client", "action": "throttle", "bytes_per_second": 2048},
        {"protocol": "socket.io", "kind": "EVENT", "subject": "chat", "action": "drop"},
        {"match": "x", "action": "replace", "path": "$.user.name", "value": "anon"},
        {"opcode": "ping", "action": "abort", "to": "server"},
        {"action": "no-pong", "from": "client"},
        {"from": "client", "match": "^order", "action": "pause"},
        {"from": "client", "action": "pause", "timeout_ms": 30000}]})",
                         &error),
             qPrintable(error));
    QCOMPARE(model->rowCount(), 9);
    QCOMPARE(cell(model, 0, RuleListModel::When), QStringLiteral("every 5 s"));
    QCOMPARE(cell(model, 0, RuleListModel::Action), QStringLiteral("inject → client “tick”"));
    QCOMPARE(cell(model, 0, RuleListModel::Matched), QStringLiteral("timed"));
    QCOMPARE(cell(model, 1, RuleListModel::When), QStringLiteral("1 s after the upgrade"));
    QCOMPARE(cell(model, 1, RuleListModel::Action), QStringLiteral("stall → server 2 s"));
    QCOMPARE(cell(model, 2, RuleListModel::Action), QStringLiteral("throttle → the receiver 2 KiB/s"));
    QCOMPARE(cell(model, 3, RuleListModel::When), QStringLiteral("socket.io EVENT “chat”"));
    QCOMPARE(cell(model, 4, RuleListModel::Action), QStringLiteral("replace: $.user.name = \"anon\""));
    QCOMPARE(cell(model, 5, RuleListModel::When), QStringLiteral("ping"));
    QCOMPARE(cell(model, 5, RuleListModel::Action), QStringLiteral("abort → server"));
    QCOMPARE(cell(model, 6, RuleListModel::When), QStringLiteral("from client · pong"));
    QCOMPARE(cell(model, 7, RuleListModel::Action), QStringLiteral("pause until decided"));
    QCOMPARE(cell(model, 8, RuleListModel::Action), QStringLiteral("pause, forwarded after 30 s"));
    // Written here, so no longer the file's.
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("rulesSource"))->text(), QStringLiteral("written here"));
}

void tst_RulesPanel::refusesAWrongDocumentWithRuleFilesError()
{
    CaptureRules rules;
    QString error;
    QVERIFY(rules.apply(threeRules, &error));
    const std::shared_ptr<RuleSet> before = rules.ruleSet();
    RulesPanel panel(&rules);
    QSignalSpy changed(&rules, &CaptureRules::changed);

    RuleEditorDialog *editor = panel.edit();
    QVERIFY(editor->isVisible());
    QCOMPARE(editor->document(), threeRules);
    auto *apply = editor->findChild<QPushButton *>(QStringLiteral("ruleApply"));
    auto *verdict = editor->findChild<QLabel *>(QStringLiteral("ruleVerdict"));
    QVERIFY(apply->isEnabled());
    QCOMPARE(verdict->text(), QStringLiteral("3 rules, ready to apply."));

    // Typed in: RuleFile's own words, checked on every change.
    const QByteArray wrong = R"({"rules": [{"action": "explode"}]})";
    editor->findChild<QPlainTextEdit *>(QStringLiteral("ruleDocument"))->setPlainText(QString::fromUtf8(wrong));
    QString expected;
    QVERIFY(!RuleFile::parse(wrong, &expected));
    QCOMPARE(expected, QStringLiteral(R"(rules[0].action: unknown action "explode")"));
    QCOMPARE(verdict->text(), expected);
    QCOMPARE(editor->problem(), expected);
    QVERIFY(!apply->isEnabled());
    QVERIFY(!editor->apply());
    QVERIFY(editor->isVisible());
    editor->setDocument(R"({"rules": [{"match": "(", "action": "drop"}]})");
    QVERIFY2(verdict->text().startsWith(QStringLiteral("rules[0].match: ")), qPrintable(verdict->text()));
    editor->setDocument(R"({"rules": [)");
    QVERIFY2(verdict->text().startsWith(QStringLiteral("not JSON: ")), qPrintable(verdict->text()));

    // Nothing applied: the same set, the same document, nothing said to have changed.
    QCOMPARE(rules.ruleSet(), before);
    QCOMPARE(rules.document(), threeRules);
    QVERIFY(rules.apply(wrong, &error) == false);
    QCOMPARE(error, expected);
    QCOMPARE(rules.ruleSet(), before);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(QSettings().value(QStringLiteral("rules/document")).toString(), QString::fromUtf8(threeRules));

    // Mended: applied, and the editor closes.
    editor->setDocument(R"({"rules": [{"action": "drop"}]})");
    QVERIFY(apply->isEnabled());
    apply->click();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(rules.ruleSet()->size(), 1);
    QTRY_VERIFY(panel.findChild<RuleEditorDialog *>() == nullptr);
}

void tst_RulesPanel::refusesAWrongFileAndOffersItsTextToMend()
{
    CaptureRules rules;
    RulesPanel panel(&rules);
    const QString path = m_files.filePath(QStringLiteral("wrong.json"));
    const QByteArray wrong = R"({"rules": [{"from": "client", "action": "delay"}]})";
    QVERIFY(writeFile(path, wrong));
    QSignalSpy refused(&rules, &CaptureRules::loadRefused);
    rules.loadFile(path);
    QVERIFY(refused.wait(5000));
    QString expected;
    QVERIFY(!RuleFile::read(path, &expected));
    QCOMPARE(refused.first().at(2).toString(), expected);
    QCOMPARE(panel.problemText(), QStringLiteral("Not applied: %1").arg(expected));
    QVERIFY(!rules.ruleSet());
    QVERIFY(rules.document().isEmpty());
    QVERIFY(panel.showsExample());
    // Its text in the editor, refused there too until mended.
    auto *editor = panel.findChild<RuleEditorDialog *>();
    QVERIFY(editor && editor->isVisible());
    QCOMPARE(editor->document(), wrong);
    QVERIFY(!editor->problem().isEmpty());
    QVERIFY2(expected.endsWith(editor->problem()), qPrintable(editor->problem()));

    // A file that is not there: said with its path.
    rules.loadFile(m_files.filePath(QStringLiteral("missing.json")));
    QVERIFY(refused.wait(5000));
    QVERIFY2(panel.problemText().contains(QStringLiteral("missing.json")), qPrintable(panel.problemText()));
}

void tst_RulesPanel::switchFlipsTheSharedRuleSet()
{
    CaptureRules rules;
    QString error;
    QVERIFY(rules.apply(threeRules, &error));
    RulesPanel panel(&rules);
    const std::shared_ptr<RuleSet> set = rules.ruleSet();
    RuleListModel *model = panel.ruleModel();
    QSignalSpy changedRows(model, &QAbstractItemModel::dataChanged);

    // What a click on the switch does in the view.
    QVERIFY(model->flags(model->index(1, RuleListModel::Name)) & Qt::ItemIsUserCheckable);
    QVERIFY(model->setData(model->index(1, RuleListModel::Name), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!set->isEnabled(1));
    QVERIFY(set->isEnabled(0) && set->isEnabled(2));
    QVERIFY(!isOn(model, 1));
    QCOMPARE(changedRows.size(), 1);
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("rulesSummary"))->text(), QStringLiteral("3 rules, 2 on"));
    // What the relay asks at each message follows at once: the close rule no longer matches "bye".
    QCOMPARE(set->firstMatch(Endpoint::Server, 1, QStringLiteral("bye")), -1);
    QVERIFY(model->setData(model->index(1, RuleListModel::Name), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(set->isEnabled(1));
    QCOMPARE(set->firstMatch(Endpoint::Server, 1, QStringLiteral("bye")), 1);

    // The counts are read when the panel asks, one dataChanged for the column.
    changedRows.clear();
    model->refreshCounts();
    QCOMPARE(changedRows.size(), 1);
    QCOMPARE(cell(model, 1, RuleListModel::Matched), QStringLiteral("1"));
    model->refreshCounts();
    QCOMPARE(changedRows.size(), 1); // nothing moved, nothing said
}

void tst_RulesPanel::keptForTheNextTimeAsWritten()
{
    const QString path = m_files.filePath(QStringLiteral("saved.json"));
    {
        CaptureRules rules;
        QString error;
        QVERIFY(rules.apply(threeRules, &error));
        rules.setEnabled(0, false);
        QSignalSpy saved(&rules, &CaptureRules::saved);
        rules.saveFile(path);
        QVERIFY(saved.wait(5000));
        QCOMPARE(rules.fileName(), path);
    }
    // The saved form is the document as written, byte for byte.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), threeRules);

    CaptureRules restored;
    QVERIFY(restored.restoreProblem().isEmpty());
    QCOMPARE(restored.document(), threeRules);
    QCOMPARE(restored.fileName(), path);
    QVERIFY(restored.ruleSet());
    QCOMPARE(restored.ruleSet()->size(), 3);
    QVERIFY(!restored.ruleSet()->isEnabled(0));
    QVERIFY(restored.ruleSet()->isEnabled(1) && restored.ruleSet()->isEnabled(2));
    RulesPanel panel(&restored);
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("rulesSummary"))->text(), QStringLiteral("3 rules, 2 on"));
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("rulesSource"))->text(), QStringLiteral("from saved.json"));

    // Blank: no rules, kept so too.
    QString error;
    QVERIFY(restored.apply("  \n", &error));
    QVERIFY(!restored.ruleSet());
    QVERIFY(panel.showsExample());
    QVERIFY(!CaptureRules().ruleSet());
}

void tst_RulesPanel::keptDocumentRefusedLaterIsSaid()
{
    const QByteArray wrong = R"({"rules": [{"action": "explode"}]})";
    QSettings().setValue(QStringLiteral("rules/document"), QString::fromUtf8(wrong));
    CaptureRules rules;
    QVERIFY(!rules.ruleSet());
    QCOMPARE(rules.restoreProblem(), QStringLiteral(R"(rules[0].action: unknown action "explode")"));
    RulesPanel panel(&rules);
    QCOMPARE(panel.problemText(), QStringLiteral(R"(The rules kept from last time were not applied: )"
                                                 R"(rules[0].action: unknown action "explode")"));
    // Its text waits in the editor.
    QCOMPARE(panel.edit()->document(), wrong);
}

void tst_RulesPanel::emptyStateStartsFromAnExample()
{
    CaptureRules rules;
    RulesPanel panel(&rules);
    QVERIFY(panel.showsExample());
    QCOMPARE(panel.findChild<QPlainTextEdit *>(QStringLiteral("rulesExample"))->toPlainText().toUtf8(),
             CaptureRules::exampleDocument());
    QVERIFY(!panel.findChild<QPushButton *>(QStringLiteral("rulesSave"))->isEnabled());
    panel.findChild<QPushButton *>(QStringLiteral("rulesStartFromExample"))->click();
    auto *editor = panel.findChild<RuleEditorDialog *>();
    QVERIFY(editor && editor->isVisible());
    QCOMPARE(editor->document(), CaptureRules::exampleDocument());
    QVERIFY(editor->problem().isEmpty());
    // Nothing applied until Apply.
    QVERIFY(!rules.ruleSet());
    QVERIFY(editor->apply());
    QCOMPARE(rules.ruleSet()->size(), 3);
    QCOMPARE(rules.document(), CaptureRules::exampleDocument());
    QVERIFY(!panel.showsExample());
    QVERIFY(panel.findChild<QPushButton *>(QStringLiteral("rulesSave"))->isEnabled());
}

void tst_RulesPanel::captureRunsThePanelsRulesOnTheWire()
{
    QString error;
    const QString node = test::PeerProcess::findProgram({QStringLiteral("node"), QStringLiteral("nodejs")},
                                                        QStringLiteral("nodejs"), &error);
    QVERIFY2(!node.isEmpty(), qPrintable(error));
    const QString modules = QStringLiteral(WSI_INTEGRATION_DIR "/node/node_modules");
    QVERIFY2(QFileInfo::exists(modules + QStringLiteral("/https-proxy-agent")),
             "tests/integration/node/node_modules lacks https-proxy-agent: run ./dev.sh test (npm ci there)");
    test::PeerProcess echo;
    QVERIFY2(echo.startPeer(test::PeerProcess::Peer::Node, {QStringLiteral("echo"), QStringLiteral("--deflate")}),
             qPrintable(echo.errorString()));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/chat").arg(echo.port());

    QSettings().setValue(QStringLiteral("recording/enabled"), false); // what is relayed is what this test reads
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    // The rule, from the panel: Capture > Rules panel, Edit…, Apply.
    window.findChild<QAction *>(QStringLiteral("rulesPanelAction"))->trigger();
    QVERIFY(window.rulesDock()->isVisible());
    RulesPanel *panel = window.rulesPanel();
    QVERIFY(panel->showsExample());
    RuleEditorDialog *editor = panel->edit();
    editor->setDocument(R"({"rules": [{"name": "redact", "from": "client", "match": "secret", "action": "replace",
                                       "with": "public"}]})");
    QVERIFY2(editor->apply(), qPrintable(editor->problem()));
    QCOMPARE(panel->ruleModel()->rowCount(), 1);

    // Capture > Start capture proxy…: the dialog says which rules it starts with.
    window.findChild<QAction *>(QStringLiteral("startCapture"))->trigger();
    const QPointer<CaptureDialog> dialog = window.findChild<CaptureDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->rulesText(), QStringLiteral("1 rule, on"));
    dialog->findChild<QSpinBox *>(QStringLiteral("capturePort"))->setValue(test::PeerProcess::freePort());
    dialog->findChild<QPushButton *>(QStringLiteral("captureStart"))->click();
    // The dialog goes once the proxy listens; while it is there, it says why the proxy did not start.
    const auto problem = [&] { return dialog ? dialog->errorText() : QString(); };
    QVERIFY2(QTest::qWaitFor([&] { return window.liveCapture()->isRunning() || !problem().isEmpty(); }, 10000),
             "the capture proxy neither started nor failed");
    QVERIFY2(window.liveCapture()->isRunning(), qPrintable(problem()));

    // The rule on the wire: the echo server got "public" and sent it back.
    LineClient first;
    QVERIFY2(first.start(node, modules, window.liveCapture()->url(), url), first.output().constData());
    QCOMPARE(first.sendAndReceive(QStringLiteral("a secret word")), QStringLiteral("a public word"));
    QCOMPARE(first.sendAndReceive(QStringLiteral("nothing to hide")), QStringLiteral("nothing to hide"));
    const RuleListModel *model = panel->ruleModel();
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, RuleListModel::Matched), QStringLiteral("1"), 3000);

    // Switched off in the panel: the next message passes unchanged, on the connection already open.
    QVERIFY(panel->ruleModel()->setData(model->index(0, RuleListModel::Name), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(first.sendAndReceive(QStringLiteral("another secret")), QStringLiteral("another secret"));
    QVERIFY(panel->ruleModel()->setData(model->index(0, RuleListModel::Name), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(first.sendAndReceive(QStringLiteral("secret again")), QStringLiteral("public again"));

    // A new document while the capture runs: the connection already open keeps the rules it started with, the next
    // one runs the new ones.
    editor = panel->edit();
    editor->setDocument(
        R"({"rules": [{"from": "client", "match": "secret", "action": "replace", "with": "classified"}]})");
    QVERIFY2(editor->apply(), qPrintable(editor->problem()));
    LineClient second;
    QVERIFY2(second.start(node, modules, window.liveCapture()->url(), url), second.output().constData());
    QCOMPARE(second.sendAndReceive(QStringLiteral("top secret")), QStringLiteral("top classified"));
    QCOMPARE(first.sendAndReceive(QStringLiteral("old secret")), QStringLiteral("old public"));
    QVERIFY2(first.finish(), first.output().constData());
    QVERIFY2(second.finish(), second.output().constData());

    // Nothing hidden: the first connection's tab has what the client sent and, marked injected, what the relay wrote
    // instead.
    SessionView *captured = nullptr;
    for (int i = 0; i < window.sessionTabs()->count() && !captured; ++i) {
        auto *view = qobject_cast<SessionView *>(window.sessionTabs()->widget(i));
        if (view && view->title().contains(QStringLiteral("/chat")))
            captured = view;
    }
    QVERIFY(captured);
    QTRY_VERIFY_WITH_TIMEOUT(captured->source()->state() == Session::State::Closed, 5000);
    const std::shared_ptr<const FrameLog> log = captured->records()->log;
    QStringList sent;
    QStringList written;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        const FrameRecord &frame = log->frame(i);
        if (frame.direction() != Direction::Outgoing || frame.opcode != 1)
            continue;
        (frame.has(FrameRecord::Injected) ? written : sent).append(QString::fromUtf8(log->framePayload(i)));
    }
    QCOMPARE(sent, (QStringList{QStringLiteral("a secret word"), QStringLiteral("nothing to hide"),
                                QStringLiteral("another secret"), QStringLiteral("secret again"),
                                QStringLiteral("old secret")}));
    QCOMPARE(written, (QStringList{QStringLiteral("a public word"), QStringLiteral("public again"),
                                   QStringLiteral("old public")}));
    window.liveCapture()->stop();
}

void tst_RulesPanel::heldMessagesStandBesideTheRules()
{
    CaptureRules rules;
    RulesPanel panel(&rules);
    auto *held = new QLabel(QStringLiteral("held messages"));
    QPointer<QLabel> watched(held);
    panel.setHeldMessagesView(held);
    QCOMPARE(panel.heldMessagesView(), held);
    auto *splitter = panel.findChild<QSplitter *>(QStringLiteral("rulesSplitter"));
    QCOMPARE(splitter->count(), 2);
    QCOMPARE(splitter->widget(1), held);
    // Shown while a rule may pause a message, or while one is held (whatever the rules say now).
    QVERIFY(held->isHidden());
    QString error;
    QVERIFY2(rules.apply(R"({"rules": [{"from": "client", "action": "pause"}]})", &error), qPrintable(error));
    QVERIFY(!held->isHidden());
    QVERIFY2(rules.apply(R"({"rules": [{"from": "client", "action": "drop"}]})", &error), qPrintable(error));
    QVERIFY(held->isHidden());
    panel.setHeldCount(1);
    QVERIFY(!held->isHidden());
    // Another takes its place; the panel owned the first.
    panel.setHeldMessagesView(new QLabel(QStringLiteral("another")));
    QVERIFY(watched.isNull());
    QCOMPARE(splitter->count(), 2);
    panel.setHeldMessagesView(nullptr);
    QCOMPARE(splitter->count(), 1);
}

QTEST_MAIN(tst_RulesPanel)
#include "tst_rulespanel.moc"
