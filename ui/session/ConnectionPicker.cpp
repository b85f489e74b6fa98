// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/ConnectionPicker.h"

#include "core/protocol/CloseCode.h"
#include "ui/session/SessionSource.h"

#include <QLocale>

namespace wsi {

ConnectionPicker::ConnectionPicker(QWidget *parent)
    : QComboBox(parent)
{
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setToolTip(tr("Each reconnect is a new connection, with its own frames, handshake, heartbeat and diagnosis: pick "
                  "one to see how it went. The latest follows each new connection."));
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
        QString text = tr("Connection %1 of %2: %3").arg(number).arg(m_latest).arg(describe(*records, running));
        if (latest && running)
            text += tr(" (live)");
        addItem(text, number);
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
    setVisible(count > 1);
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
    Q_EMIT picked(m_picked);
}

void ConnectionPicker::onActivated(int index)
{
    if (!m_refreshing && index >= 0)
        pick(itemData(index).toInt());
}

} // namespace wsi
