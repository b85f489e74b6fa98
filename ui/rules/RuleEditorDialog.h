// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace wsi {

class CaptureRules;

// The Rules panel's Edit…: the capture's rule document as JSON text (RuleFile's format, as `--rules FILE` reads it),
// read by RuleFile on every change, whose exact objection stands under the text ('rules[0].action: unknown action
// "explode"') while Apply is refused: a wrong document is never applied. Apply keeps the text as written (the saved
// form is the user's document, not one rebuilt from the rules). Blank text applies no rules.
class RuleEditorDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuleEditorDialog)

public:
    // Starts with the rules' document.
    explicit RuleEditorDialog(CaptureRules *rules, QWidget *parent = nullptr);
    ~RuleEditorDialog() override;

    // Replaces the text (an example to start from, a refused file to mend); not applied.
    void setDocument(const QByteArray &document);
    QByteArray document() const;
    // RuleFile's objection to the text; empty when Apply would take it.
    QString problem() const { return m_problem; }
    // As the Apply button: the text applied and the dialog closed, or false with nothing changed.
    bool apply();

private:
    void validate();

    CaptureRules *m_rules;
    QPlainTextEdit *m_text;
    QLabel *m_verdict;
    QDialogButtonBox *m_buttons;
    QPushButton *m_apply;
    QString m_problem;
};

} // namespace wsi
