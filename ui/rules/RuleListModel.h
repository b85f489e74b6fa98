// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <memory>

namespace wsi {

class CaptureRules;
class RuleSet;

// The Rules panel's table: one row per rule of a CaptureRules, in order (first match wins), its first column a
// switch (Qt::CheckStateRole) that flips the rule for every connection at once, then when it acts, what it does and
// how many messages it matched. The counts are read from the RuleSet when refreshCounts() is called (the panel's
// timer), never signalled per message.
class RuleListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuleListModel)

public:
    enum Column { Name, When, Action, Matched, ColumnCount };

    explicit RuleListModel(CaptureRules *rules, QObject *parent = nullptr);
    ~RuleListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Reads the match counts again: one dataChanged for the column when any moved.
    void refreshCounts();

private:
    void reset();

    CaptureRules *m_rules;
    std::shared_ptr<RuleSet> m_set; // the set shown, kept while it is
    QList<quint64> m_counts;        // as last shown
};

} // namespace wsi
