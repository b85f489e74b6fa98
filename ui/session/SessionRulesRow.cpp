// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/SessionRulesRow.h"

#include "core/rules/RuleFile.h"
#include "core/session/SessionRules.h"
#include "ui/widgets/ThemedStyle.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace wsi {

SessionRulesRow::SessionRulesRow(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_load(new QPushButton(tr("Load…"), this))
    , m_clear(new QPushButton(tr("Clear"), this))
    , m_error(new QLabel(this))
{
    m_summary->setObjectName(QStringLiteral("rulesSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long list of rules takes more lines rather than widening the dialog.
    m_summary->setWordWrap(true);
    m_load->setObjectName(QStringLiteral("loadRules"));
    m_load->setToolTip(tr("A rule file (JSON, as proxy --rules reads it): drop, delay, no-pong, delay-pong and stall "
                          "act on what this client sends (\"from\": \"client\") and receives (\"from\": "
                          "\"server\"); replace edits its own messages, inject sends messages of its own"));
    m_clear->setObjectName(QStringLiteral("clearRules"));
    m_error->setObjectName(QStringLiteral("rulesError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ThemedStyle::apply(m_error, ThemedStyle::Look::Text, Theme::Color::Failure);
    m_error->hide();

    // The rules on a line of their own, the whole width of the form, so that a few fit without wrapping.
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_load);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(m_summary);
    column->addLayout(buttons);
    column->addWidget(m_error);

    connect(m_load, &QPushButton::clicked, this, &SessionRulesRow::chooseFile);
    connect(m_clear, &QPushButton::clicked, this, &SessionRulesRow::clear);
    showRules();
}

void SessionRulesRow::setRules(std::shared_ptr<RuleSet> rules, const QByteArray &document)
{
    m_rules = std::move(rules);
    m_document = m_rules ? document : QByteArray();
    m_error->hide();
    showRules();
    Q_EMIT rulesChanged();
}

bool SessionRulesRow::loadFile(const QString &path)
{
    QString error;
    std::shared_ptr<RuleSet> rules = RuleFile::read(path, &error);
    if (rules) {
        if (const QString refusal = SessionRules::refusal(*rules); !refusal.isEmpty())
            error = QStringLiteral("%1: %2").arg(path, refusal);
    }
    QFile file(path);
    if (error.isEmpty() && !file.open(QIODevice::ReadOnly))
        error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
    if (!error.isEmpty()) {
        showError(error);
        return false;
    }
    setRules(std::move(rules), file.readAll());
    m_summary->setToolTip(QFileInfo(path).fileName() + QStringLiteral(": ") + m_summary->toolTip());
    return true;
}

void SessionRulesRow::clear()
{
    setRules(nullptr, {});
}

QString SessionRulesRow::summaryText() const
{
    return m_summary->text();
}

QString SessionRulesRow::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SessionRulesRow::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Rules for the session"), QString(),
                                                      tr("Rule files (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void SessionRulesRow::showRules()
{
    const bool any = m_rules && !m_rules->isEmpty();
    const QString text = !any                   ? tr("None")
                         : m_rules->size() == 1 ? tr("1 rule: %1").arg(m_rules->describe())
                                                : tr("%1 rules: %2").arg(m_rules->size()).arg(m_rules->describe());
    m_summary->setText(text);
    m_summary->setToolTip(any ? text
                              : tr("Load a rule file to drop, delay or stall what this client sends and "
                                   "receives, or to leave the server's pings unanswered"));
    m_clear->setEnabled(any);
}

void SessionRulesRow::showError(const QString &error)
{
    m_error->setText(error);
    m_error->show();
    Q_EMIT refused(error);
}

} // namespace wsi
