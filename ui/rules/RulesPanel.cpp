// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rules/RulesPanel.h"

#include "core/rules/RuleSet.h"
#include "ui/rules/CaptureRules.h"
#include "ui/rules/RuleEditorDialog.h"
#include "ui/rules/RuleListModel.h"
#include "ui/widgets/ThemedStyle.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace wsi {
namespace {

constexpr int countsRefreshMs = 1000;

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

} // namespace

RulesPanel::RulesPanel(CaptureRules *rules, QWidget *parent)
    : QWidget(parent)
    , m_rules(rules)
    , m_model(new RuleListModel(rules, this))
    , m_summary(new QLabel(this))
    , m_source(new QLabel(this))
    , m_save(new QPushButton(tr("Save as…"), this))
    , m_pages(new QStackedWidget(this))
    , m_table(new QTableView(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_problem(new QLabel(this))
    , m_timing(new QLabel(this))
    , m_deflate(new QLabel(this))
    , m_counts(new QTimer(this))
{
    setObjectName(QStringLiteral("rulesPanel"));
    m_summary->setObjectName(QStringLiteral("rulesSummary"));
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_source->setObjectName(QStringLiteral("rulesSource"));
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *load = new QPushButton(tr("Load…"), this);
    load->setObjectName(QStringLiteral("rulesLoad"));
    load->setToolTip(tr("Read a rules file (the JSON of --rules FILE)"));
    auto *edit = new QPushButton(tr("Edit…"), this);
    edit->setObjectName(QStringLiteral("rulesEdit"));
    edit->setToolTip(tr("The rules as JSON text, checked as you type"));
    m_save->setObjectName(QStringLiteral("rulesSave"));
    m_save->setToolTip(tr("Write the rules as they were written, to use with wsinspector-cli --rules FILE"));
    connect(load, &QPushButton::clicked, this, &RulesPanel::askAndLoad);
    connect(edit, &QPushButton::clicked, this, [this] { this->edit(); });
    connect(m_save, &QPushButton::clicked, this, &RulesPanel::askAndSave);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary);
    top->addWidget(m_source, 1);
    top->addWidget(load);
    top->addWidget(edit);
    top->addWidget(m_save);

    m_problem->setObjectName(QStringLiteral("rulesProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->setVisible(false);
    ThemedStyle::apply(m_problem, ThemedStyle::Look::Text, Theme::Color::Failure);

    // Without rules: what they are for, and one to start from.
    auto *empty = new QWidget(m_pages);
    empty->setObjectName(QStringLiteral("rulesEmpty"));
    auto *explanation = wrapped(
        tr("Rules change what the capture proxy relays, to see how an application and its server cope: rewrite, drop, "
           "delay or duplicate a message, inject one, close or reset a side, stall or throttle it. They are JSON, as "
           "wsinspector-cli capture --rules FILE reads them; the first rule that is on and matches decides. For "
           "example:"),
        empty);
    auto *example = new QPlainTextEdit(QString::fromUtf8(CaptureRules::exampleDocument()), empty);
    example->setObjectName(QStringLiteral("rulesExample"));
    example->setReadOnly(true);
    example->setLineWrapMode(QPlainTextEdit::NoWrap);
    example->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    example->setMinimumHeight(example->fontMetrics().lineSpacing() * 3);
    auto *startFromExample = new QPushButton(tr("Start from an example"), empty);
    startFromExample->setObjectName(QStringLiteral("rulesStartFromExample"));
    connect(startFromExample, &QPushButton::clicked, this, [this] { this->edit(CaptureRules::exampleDocument()); });
    auto *exampleRow = new QHBoxLayout;
    exampleRow->addWidget(startFromExample);
    exampleRow->addStretch(1);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->setContentsMargins(0, 0, 0, 0);
    // The button before the example, which may be cut short on a small screen.
    emptyLayout->addWidget(explanation);
    emptyLayout->addLayout(exampleRow);
    emptyLayout->addWidget(example, 1);

    m_table->setObjectName(QStringLiteral("ruleTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->horizontalHeader()->setSectionResizeMode(RuleListModel::When, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(RuleListModel::Action, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(RuleListModel::Matched, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(RuleListModel::Name, 150);
    m_splitter->setObjectName(QStringLiteral("rulesSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_pages->addWidget(empty);
    m_pages->addWidget(m_table);
    // The held messages stand beside the rules or the explanation, whichever shows: a message held by a capture
    // whose rules were cleared since must still be seen.
    m_splitter->addWidget(m_pages);

    m_timing->setObjectName(QStringLiteral("rulesTiming"));
    m_timing->setWordWrap(true);
    m_deflate->setObjectName(QStringLiteral("rulesDeflate"));
    m_deflate->setWordWrap(true);
    m_deflate->setText(tr("With rules, the proxy takes the application's permessage-deflate offer out of the request "
                          "it forwards, so every message crosses uncompressed and the rules can read and rewrite it."));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_problem);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_timing);
    layout->addWidget(m_deflate);

    m_counts->setInterval(countsRefreshMs);
    connect(m_counts, &QTimer::timeout, m_model, &RuleListModel::refreshCounts);
    connect(m_rules, &CaptureRules::changed, this, [this] {
        showProblem({}); // what was refused before is not what runs now
        showRules();
    });
    connect(m_rules, &CaptureRules::switched, this, &RulesPanel::showRules);
    connect(m_rules, &CaptureRules::loaded, this, [this](const QString &path) {
        showProblem({});
        Q_EMIT notice(tr("Rules loaded from %1").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_rules, &CaptureRules::loadRefused, this,
            [this](const QString &, const QByteArray &document, const QString &error) {
                showProblem(tr("Not applied: %1").arg(error));
                // Its text in the editor, to mend there, when there was any to read.
                if (!document.isEmpty())
                    this->edit(document);
            });
    connect(m_rules, &CaptureRules::saved, this, [this](const QString &path) {
        showProblem({});
        showRules();
        Q_EMIT notice(tr("Rules saved to %1").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_rules, &CaptureRules::saveFailed, this,
            [this](const QString &, const QString &error) { showProblem(tr("Not saved: %1").arg(error)); });
    setCaptureRunning(false);
    showRules();
    if (!m_rules->restoreProblem().isEmpty())
        showProblem(tr("The rules kept from last time were not applied: %1").arg(m_rules->restoreProblem()));
}

RulesPanel::~RulesPanel() = default;

bool RulesPanel::showsExample() const
{
    return m_pages->currentIndex() == 0;
}

QString RulesPanel::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void RulesPanel::setHeldMessagesView(QWidget *view)
{
    if (m_held == view)
        return;
    delete m_held;
    m_held = view;
    if (view) {
        m_splitter->addWidget(view);
        showHeldMessagesWhenUseful();
    }
}

void RulesPanel::setCaptureRunning(bool running)
{
    m_captureRunning = running;
    m_timing->setText(
        running ? tr("Rules applied now act on connections opened from now on; those already open keep the rules they "
                     "started with. A switch acts at once on every connection running its rule.")
                : tr("The capture proxy takes these rules when it starts (Capture > Start capture proxy…); rules "
                     "applied while it runs act on the connections opened after. A switch acts at once."));
}

RuleEditorDialog *RulesPanel::edit(const QByteArray &document)
{
    if (!m_editor) {
        m_editor = new RuleEditorDialog(m_rules, this);
        m_editor->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_editor, &QObject::destroyed, this, [this] { m_editor = nullptr; });
        m_editor->open();
    }
    if (!document.isEmpty())
        m_editor->setDocument(document);
    m_editor->raise();
    return m_editor;
}

void RulesPanel::askAndLoad()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load rules"), QFileInfo(m_rules->fileName()).path(),
                                                      tr("Rule files (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_rules->loadFile(path);
}

void RulesPanel::askAndSave()
{
    const QString suggested =
        m_rules->fileName().isEmpty() ? QDir::home().filePath(QStringLiteral("rules.json")) : m_rules->fileName();
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save rules"), suggested, tr("Rule files (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_rules->saveFile(path);
}

void RulesPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->refreshCounts();
    m_counts->start();
}

void RulesPanel::hideEvent(QHideEvent *event)
{
    m_counts->stop();
    QWidget::hideEvent(event);
}

void RulesPanel::showRules()
{
    const std::shared_ptr<RuleSet> rules = m_rules->ruleSet();
    const bool hasRules = rules && !rules->isEmpty();
    m_summary->setText(hasRules ? m_rules->summary() : tr("No rules"));
    const QString file = m_rules->fileName();
    if (!file.isEmpty()) {
        m_source->setText(tr("from %1").arg(QFileInfo(file).fileName()));
        m_source->setToolTip(QDir::toNativeSeparators(file));
    } else {
        m_source->setText(m_rules->document().isEmpty() ? QString() : tr("written here"));
        m_source->setToolTip({});
    }
    m_save->setEnabled(!m_rules->document().isEmpty());
    m_pages->setCurrentIndex(hasRules ? 1 : 0);
    m_deflate->setVisible(hasRules);
    showHeldMessagesWhenUseful();
}

void RulesPanel::setHeldCount(int count)
{
    m_heldCount = count;
    showHeldMessagesWhenUseful();
}

void RulesPanel::showHeldMessagesWhenUseful()
{
    if (!m_held)
        return;
    // Without a pause rule and nothing held it would only take the rules' room.
    bool pauses = false;
    if (const std::shared_ptr<RuleSet> rules = m_rules->ruleSet()) {
        for (qsizetype i = 0; i < rules->size() && !pauses; ++i)
            pauses = rules->rule(i).action == Rule::Action::Pause;
    }
    m_held->setVisible(m_heldCount > 0 || pauses);
}

void RulesPanel::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

} // namespace wsi
