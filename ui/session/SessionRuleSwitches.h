// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/rules/RuleSet.h"

#include <QToolButton>

#include <memory>

namespace wsi {

// The session's rules as switches, in the connection bar, so that they can be turned on and off while the session
// runs ("Rules 2/3": on and all; a menu with one checkable entry per rule). Switching sets the RuleSet's flag, which
// the running session reads at its next message (the set is shared with it through SessionOptions::rules). Hidden
// when there are no rules.
class SessionRuleSwitches final : public QToolButton
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRuleSwitches)

public:
    explicit SessionRuleSwitches(QWidget *parent = nullptr);

    void setRules(std::shared_ptr<RuleSet> rules);

Q_SIGNALS:
    // A rule was switched on or off.
    void switched();

private:
    void rebuild();
    void updateText();

    std::shared_ptr<RuleSet> m_rules;
};

} // namespace wsi
