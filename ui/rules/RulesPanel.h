// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;

namespace wsi {

class CaptureRules;
class RuleEditorDialog;
class RuleListModel;

// The window's Rules dock: the capture proxy's rules (CaptureRules) in order, each with its switch, when it acts,
// what it does and how many messages it matched; Load…, Edit… (RuleEditorDialog) and Save as…. Without rules it
// explains them and offers an example to start from. Beside the rules stands the place of the held messages
// (setHeldMessagesView()). It says when rules take effect (a new document: connections opened after it; a switch: at
// once on all) and that with rules the proxy declines permessage-deflate toward servers.
class RulesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RulesPanel)

public:
    explicit RulesPanel(CaptureRules *rules, QWidget *parent = nullptr);
    ~RulesPanel() override;

    QTableView *ruleTable() const noexcept { return m_table; }
    RuleListModel *ruleModel() const noexcept { return m_model; }
    // Whether the empty state (the explanation and the example) shows rather than the rules.
    bool showsExample() const;
    // What the panel last said of a file or a kept document that was refused; empty when nothing was.
    QString problemText() const;
    // The view of messages a rule holds, beside the rules (the panel owns it from then on; null takes it out).
    void setHeldMessagesView(QWidget *view);
    QWidget *heldMessagesView() const noexcept { return m_held; }
    // How many messages are held now: the view shows while any are, or while a rule may pause one.
    void setHeldCount(int count);
    // Said in the notes: rules of a running capture take effect for connections opened after them.
    void setCaptureRunning(bool running);

    // As the buttons do. Edit opens the editor (window modal, open()); `document` replaces its text when given.
    RuleEditorDialog *edit(const QByteArray &document = {});
    void askAndLoad();
    void askAndSave();

Q_SIGNALS:
    // Passing news for the status bar ("Rules saved to …").
    void notice(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showRules();
    void showProblem(const QString &text);
    void showHeldMessagesWhenUseful();

    CaptureRules *m_rules;
    RuleListModel *m_model;
    QLabel *m_summary;
    QLabel *m_source;
    QPushButton *m_save;
    QStackedWidget *m_pages;
    QTableView *m_table;
    QSplitter *m_splitter;
    QWidget *m_held = nullptr;
    int m_heldCount = 0;
    QLabel *m_problem;
    QLabel *m_timing;
    QLabel *m_deflate;
    QTimer *m_counts;
    RuleEditorDialog *m_editor = nullptr; // while open
    bool m_captureRunning = false;
};

} // namespace wsi
