// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rules/RuleEditorDialog.h"

#include "core/rules/RuleFile.h"
#include "ui/rules/CaptureRules.h"
#include "ui/widgets/ThemedStyle.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace wsi {

RuleEditorDialog::RuleEditorDialog(CaptureRules *rules, QWidget *parent)
    : QDialog(parent)
    , m_rules(rules)
    , m_text(new QPlainTextEdit(this))
    , m_verdict(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("ruleEditor"));
    setWindowTitle(tr("Capture rules"));
    auto *intro = new QLabel(tr("The rules as JSON, as <code>wsinspector-cli capture --rules FILE</code> reads them: "
                                "{\"rules\": [...]}, each with an \"action\" and what it matches (\"from\", "
                                "\"opcode\", \"match\", \"protocol\", \"kind\", \"subject\"). In order: the first "
                                "rule that is on and matches decides. Empty: no rules."),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    m_text->setObjectName(QStringLiteral("ruleDocument"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setTabChangesFocus(true);
    m_text->setPlainText(QString::fromUtf8(rules->document()));
    m_verdict->setObjectName(QStringLiteral("ruleVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apply = m_buttons->addButton(tr("&Apply"), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("ruleApply"));
    m_apply->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RuleEditorDialog::apply);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_text, &QPlainTextEdit::textChanged, this, &RuleEditorDialog::validate);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_verdict);
    layout->addWidget(m_buttons);
    resize(640, 480);
    validate();
}

RuleEditorDialog::~RuleEditorDialog() = default;

void RuleEditorDialog::setDocument(const QByteArray &document)
{
    m_text->setPlainText(QString::fromUtf8(document));
}

QByteArray RuleEditorDialog::document() const
{
    return m_text->toPlainText().toUtf8();
}

bool RuleEditorDialog::apply()
{
    QString error;
    if (!m_problem.isEmpty() || !m_rules->apply(document(), &error)) {
        validate();
        return false;
    }
    accept();
    return true;
}

void RuleEditorDialog::validate()
{
    // A rule document is a few rules: reading it whole on each keystroke costs microseconds.
    const QByteArray text = document();
    m_problem.clear();
    QString verdict;
    if (text.trimmed().isEmpty()) {
        verdict = tr("Empty: Apply leaves the capture without rules.");
    } else if (const std::shared_ptr<RuleSet> rules = RuleFile::parse(text, &m_problem)) {
        verdict =
            rules->size() == 1 ? tr("1 rule, ready to apply.") : tr("%1 rules, ready to apply.").arg(rules->size());
    }
    if (m_problem.isEmpty()) {
        ThemedStyle::apply(m_verdict, ThemedStyle::Look::Text, Theme::Color::Success);
        m_verdict->setText(verdict);
    } else {
        ThemedStyle::apply(m_verdict, ThemedStyle::Look::Text, Theme::Color::Failure);
        m_verdict->setText(m_problem);
    }
    m_apply->setEnabled(m_problem.isEmpty());
}

} // namespace wsi
