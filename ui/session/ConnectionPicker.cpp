// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/ConnectionPicker.h"

#include "core/protocol/CloseCode.h"
#include "ui/session/SessionSource.h"

#include <QAbstractItemView>
#include <QLocale>
#include <QStylePainter>

namespace wsi {
namespace {

constexpr int shortTextRole = Qt::UserRole + 1;

Icons::Name iconFor(const SessionRecords &records, bool running)
{
    if (running)
        return records.handshake.accepted ? Icons::Name::StateOpen : Icons::Name::StateConnecting;
    const bool clean = records.close && records.close->clean && records.handshake.accepted;
    return clean ? Icons::Name::StateClosed : Icons::Name::StateFailed;
}

} // namespace

ConnectionPicker::ConnectionPicker(QWidget *parent)
    : QComboBox(parent)
{
    // As wide as its short text: the filter beside it keeps its room. The list is as wide as its longest entry.
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setVisible(false);
    connect(this, &QComboBox::activated, this, &ConnectionPicker::onActivated);
}

QString ConnectionPicker::describe(const SessionRecords &records, bool running)
{
    if (const std::optional<CloseRecord> &close = records.close) {
        const QString seconds = QLocale().toString(double(close->atNs) / 1e9, 'f', 1);
        if (!records.handshake.accepted) {
            const int status = records.handshake.response.statusCode;
            return status > 0 ? tr("refused: HTTP %1 after %2 s").arg(status).arg(seconds)
                              : tr("failed to connect after %1 s").arg(seconds);
        }
        return tr("closed %1 after %2 s").arg(close->code).arg(seconds);
    }
    if (!running)
        return tr("ended");
    return records.handshake.accepted ? tr("open") : tr("connecting");
}

void ConnectionPicker::refresh(const SessionSource &source)
{
    m_refreshing = true;
    clear();
    const int count = source.connectionCount();
    m_latest = source.connectionNumber();
    const int first = source.firstConnectionNumber();
    int current = count - 1;
    for (int number = first; number <= m_latest; ++number) {
        const std::optional<SessionRecords> records = source.connectionRecords(number);
        if (!records)
            continue;
        const bool latest = number == m_latest;
        const bool running = latest && source.state() != Session::State::Closed;
        const QString name = tr("Connection %1 of %2").arg(number).arg(m_latest);
        QString text = tr("%1: %2").arg(name, describe(*records, running));
        if (latest && running)
            text += tr(" (live)");
        addItem(Icons::icon(iconFor(*records, running)), text, number);
        setItemData(this->count() - 1, name, shortTextRole);
        QString tip = records->url.toString();
        if (records->startedAt.isValid())
            tip += QLatin1Char('\n') +
                   tr("Started %1").arg(QLocale().toString(records->startedAt.toLocalTime(), QLocale::ShortFormat));
        if (records->close) {
            tip += QLatin1Char('\n') + tr("%1 %2, initiated by the %3")
                                           .arg(records->close->code)
                                           .arg(CloseCodes::name(records->close->code),
                                                CloseRecord::initiatorName(records->close->initiator));
        }
        if (!records->recordingPath.isEmpty())
            tip += QLatin1Char('\n') + tr("Recording: %1").arg(records->recordingPath);
        setItemData(this->count() - 1, tip, Qt::ToolTipRole);
        if (number == m_picked)
            current = this->count() - 1;
    }
    setCurrentIndex(current);
    int widest = 0;
    int widestShort = 0;
    for (int i = 0; i < this->count(); ++i) {
        widest = std::max(widest, fontMetrics().horizontalAdvance(itemText(i)));
        widestShort = std::max(widestShort, fontMetrics().horizontalAdvance(itemData(i, shortTextRole).toString()));
    }
    // Counted in the widths of an 'x', as QComboBox sizes itself.
    const int x = std::max(1, fontMetrics().horizontalAdvance(QLatin1Char('x')));
    setMinimumContentsLength((widestShort + x - 1) / x);
    view()->setMinimumWidth(widest + iconSize().width() + 32);
    setVisible(count > 1);
    updateToolTip();
    m_refreshing = false;
    if (m_picked != 0 && findData(m_picked) < 0) {
        // The connection shown is no longer kept: back to the latest.
        m_picked = 0;
        Q_EMIT picked(0);
    }
}

void ConnectionPicker::pick(int number)
{
    const int wanted = number == m_latest ? 0 : number;
    const int index = findData(wanted == 0 ? m_latest : wanted);
    if (index < 0 || wanted == m_picked)
        return;
    m_picked = wanted;
    setCurrentIndex(index);
    updateToolTip();
    Q_EMIT picked(m_picked);
}

void ConnectionPicker::updateToolTip()
{
    setToolTip(tr("%1\n%2\n\nEach reconnect is a new connection, with its own frames, handshake, heartbeat and "
                  "diagnosis: pick one to see how it went. The latest follows each new connection.")
                   .arg(currentText(), currentData(Qt::ToolTipRole).toString()));
}

void ConnectionPicker::paintEvent(QPaintEvent *)
{
    // The short name closed; what happened to it is in the list and the tooltip.
    QStylePainter painter(this);
    QStyleOptionComboBox option;
    initStyleOption(&option);
    option.currentText = currentData(shortTextRole).toString();
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
}

void ConnectionPicker::onActivated(int index)
{
    if (!m_refreshing && index >= 0)
        pick(itemData(index).toInt());
}

} // namespace wsi
