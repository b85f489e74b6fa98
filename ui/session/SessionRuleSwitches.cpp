// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/SessionRuleSwitches.h"

#include <QMenu>

namespace wsi {

SessionRuleSwitches::SessionRuleSwitches(QWidget *parent)
    : QToolButton(parent)
{
    setPopupMode(QToolButton::InstantPopup);
    setMenu(new QMenu(this));
    setToolTip(tr("The session's rules (Connection options, Rules): switch each on or off, also while the session "
                  "runs; it takes effect from the next message"));
    hide();
}

void SessionRuleSwitches::setRules(std::shared_ptr<RuleSet> rules)
{
    m_rules = std::move(rules);
    rebuild();
}

void SessionRuleSwitches::rebuild()
{
    QMenu *list = menu();
    list->clear();
    setVisible(m_rules && !m_rules->isEmpty());
    if (!m_rules)
        return;
    for (qsizetype i = 0; i < m_rules->size(); ++i) {
        const Rule &rule = m_rules->rule(i);
        QAction *action = list->addAction(QStringLiteral("%1 (%2)").arg(rule.name, Rule::actionName(rule.action)));
        action->setCheckable(true);
        action->setChecked(m_rules->isEnabled(i));
        // The set the action was made for: a set replaced meanwhile is not switched by an old menu.
        connect(action, &QAction::toggled, this, [this, rules = std::weak_ptr<RuleSet>(m_rules), i](bool on) {
            if (const std::shared_ptr<RuleSet> set = rules.lock(); set && set == m_rules) {
                set->setEnabled(i, on);
                updateText();
                Q_EMIT switched();
            }
        });
    }
    updateText();
}

void SessionRuleSwitches::updateText()
{
    if (!m_rules)
        return;
    qsizetype on = 0;
    for (qsizetype i = 0; i < m_rules->size(); ++i)
        on += m_rules->isEnabled(i) ? 1 : 0;
    setText(tr("Rules %1/%2").arg(on).arg(m_rules->size()));
}

} // namespace wsi
