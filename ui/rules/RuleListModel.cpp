// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rules/RuleListModel.h"

#include "core/rules/RuleSet.h"
#include "ui/rules/CaptureRules.h"
#include "ui/rules/RuleDescription.h"

#include <QGuiApplication>
#include <QPalette>

namespace wsi {

RuleListModel::RuleListModel(CaptureRules *rules, QObject *parent)
    : QAbstractTableModel(parent)
    , m_rules(rules)
{
    connect(m_rules, &CaptureRules::changed, this, &RuleListModel::reset);
    connect(m_rules, &CaptureRules::switched, this, [this](qsizetype row) {
        const QModelIndex switched = index(int(row), Name);
        Q_EMIT dataChanged(switched, index(int(row), ColumnCount - 1), {Qt::CheckStateRole, Qt::ForegroundRole});
    });
    reset();
}

RuleListModel::~RuleListModel() = default;

int RuleListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_set ? 0 : int(m_set->size());
}

int RuleListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RuleListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_set)
        return {};
    const Rule &rule = m_set->rule(index.row());
    if (role == Qt::CheckStateRole && index.column() == Name)
        return m_set->isEnabled(index.row()) ? Qt::Checked : Qt::Unchecked;
    // A rule switched off reads as such in every column, whatever the style makes of its check box.
    if (role == Qt::ForegroundRole && !m_set->isEnabled(index.row()))
        return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::TextAlignmentRole && index.column() == Matched)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name)
        return m_set->isEnabled(index.row()) ? tr("On: switch it off to let these messages pass from the next one on")
                                             : tr("Off: switch it on to act on the next matching message");
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Name:
        return rule.name;
    case When:
        return RuleDescription::when(rule);
    case Action:
        return RuleDescription::action(rule);
    case Matched:
        if (role == Qt::ToolTipRole)
            return tr("Messages this rule acted on, over every connection that runs these rules");
        return rule.isTimed() ? tr("timed") : QString::number(m_counts.value(index.row()));
    case ColumnCount:
        break;
    }
    return {};
}

bool RuleListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_set ||
        role != Qt::CheckStateRole || index.column() != Name)
        return false;
    // CaptureRules says switched(), which repaints the row.
    m_rules->setEnabled(index.row(), value.value<Qt::CheckState>() == Qt::Checked);
    return true;
}

Qt::ItemFlags RuleListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

QVariant RuleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Rule");
    case When:
        return tr("When");
    case Action:
        return tr("Action");
    case Matched:
        return tr("Matched");
    case ColumnCount:
        break;
    }
    return {};
}

void RuleListModel::refreshCounts()
{
    if (!m_set || m_set->isEmpty())
        return;
    bool moved = false;
    for (qsizetype i = 0; i < m_set->size(); ++i) {
        const quint64 count = m_set->matchCount(i);
        moved |= count != m_counts.at(i);
        m_counts[i] = count;
    }
    if (moved)
        Q_EMIT dataChanged(index(0, Matched), index(int(m_set->size()) - 1, Matched), {Qt::DisplayRole});
}

void RuleListModel::reset()
{
    beginResetModel();
    m_set = m_rules->ruleSet();
    m_counts.clear();
    for (qsizetype i = 0; m_set && i < m_set->size(); ++i)
        m_counts.append(m_set->matchCount(i));
    endResetModel();
}

} // namespace wsi
