// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/rules/RuleSet.h"

#include <QByteArray>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;

namespace wsi {

// The Rules row of the connection options: the rules a session applies to what it sends and receives (SessionRules),
// in a line ("slow (delay), quiet (no-pong)"), loaded from a rule file or cleared. A file that is not a rule file, or
// has a rule a session cannot follow, is refused with the reason shown under the row, and the rules before it stay.
// The document is kept as read, so that a profile saved from the options carries it.
class SessionRulesRow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRulesRow)

public:
    explicit SessionRulesRow(QWidget *parent = nullptr);

    std::shared_ptr<RuleSet> rules() const { return m_rules; }
    QByteArray document() const { return m_document; }
    void setRules(std::shared_ptr<RuleSet> rules, const QByteArray &document);
    // Reads the rule file at `path`; false (and the reason shown) when it is refused.
    bool loadFile(const QString &path);
    void clear();

    QString summaryText() const;
    QString errorText() const;
    // Shows the rules again (one was switched elsewhere).
    void showRules();

Q_SIGNALS:
    // Other rules were set, loaded or cleared.
    void rulesChanged();
    // A file was refused; the reason is shown under the row.
    void refused(const QString &error);

private:
    void chooseFile();
    void showError(const QString &error);

    QLabel *m_summary;
    QPushButton *m_load;
    QPushButton *m_clear;
    QLabel *m_error;
    std::shared_ptr<RuleSet> m_rules;
    QByteArray m_document;
};

} // namespace wsi
