// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QComboBox>

namespace wsi {

class SessionSource;
struct SessionRecords;

// Which connection of a tab its view shows, once the tab has more than one (each automatic reconnect, or Connect
// again, is a new connection). Closed it is short, "Connection 2 of 3" with the state icon a tab has; open, each
// says how it went: "Connection 1 of 3: closed 1006 after 5.4 s", the latest marked live while it runs. Picking
// the latest follows each new connection; picking an earlier one stays on it. Hidden while there is one.
//
// One connection per pick rather than all of them in one table: each has its own clock (frame times, timeline),
// handshake, recording (cut payloads are read back from it), heartbeat and diagnosis, and the views show one of each.
class ConnectionPicker final : public QComboBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionPicker)

public:
    explicit ConnectionPicker(QWidget *parent = nullptr);

    // Lists the source's connections again (their number, how each ended), keeping the pick.
    void refresh(const SessionSource &source);
    // The connection shown: 0 while following the latest.
    int pickedNumber() const noexcept { return m_picked; }
    // Picks a connection by number; 0 (or the latest's number) follows the latest.
    void pick(int number);
    // "closed 1006 after 5.4 s", "open", "refused: HTTP 403"
    static QString describe(const SessionRecords &records, bool running);

Q_SIGNALS:
    // The user (or pick()) chose another connection: 0 for the latest.
    void picked(int number);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void onActivated(int index);
    void updateToolTip();

    int m_picked = 0;
    int m_latest = 0;
    bool m_refreshing = false;
};

} // namespace wsi
