// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CloseRecord.h"
#include "core/session/Session.h"
#include "core/session/SessionOptions.h"
#include "ui/widgets/Theme.h"

#include <QDeadlineTimer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QDialog;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace wsi {

class ProtocolOptionsForm;
class SessionRuleSwitches;
class SessionRulesRow;

// The bar above a session: the URL, Connect/Disconnect, a state chip (connecting, open, closing, closed with its
// code, reconnecting in N s), the connection's elapsed time on its own clock, and an Options toggle (naming the
// application protocol spoken, if any) that opens the handshake, TLS, proxy, heartbeat, rules, reconnect and
// application protocol options in a dialog of their own (never in the window's layout, so
// they neither grow the window nor push the composer away). It only edits options and shows state; the session view
// does the connecting.
class ConnectionBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionBar)

public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    // The options as currently entered; *error names the field when they cannot make a session. Fields the bar
    // has no control for (cookies, on-connect messages, limits, timeouts, heartbeat details its text cannot say)
    // are those of the last setOptions(), so a session opened from a profile reconnects with all of them.
    std::optional<SessionOptions> options(QString *error = nullptr) const;
    void setOptions(const SessionOptions &options);
    // A heartbeat as the Heartbeat field (and the command line) writes it: a preset name or "ping:30,timeout=10".
    static QString heartbeatText(const HeartbeatSettings &settings);

    // A new state clears what setReconnectPending() and setReconnectFinished() said.
    void setState(Session::State state, const std::optional<CloseRecord> &close = std::nullopt);
    QString stateText() const;
    // The connection's clock (ns since it started, as its frame times and close record count), read once a second
    // while it runs; after the close the elapsed time is the close record's.
    void setClock(std::function<qint64()> nowNs);
    QString elapsedText() const;
    // A reconnect is scheduled: the chip counts down to it once a second ("reconnecting in 3 s, attempt 2 of 5"), and
    // Connect becomes "Stop reconnecting" (disconnectRequested()).
    void setReconnectPending(int attempt, int maxAttempts, qint64 delayMs);
    bool isReconnectPending() const noexcept { return m_reconnectAttempt > 0; }
    // No reconnect follows: the chip says why next to the close ("gave up after 5 reconnect attempts").
    void setReconnectFinished(const QString &why);
    void focusUrl();
    // The Options dialog, as its toggle opens and closes it.
    void showOptions(bool shown);
    bool isShowingOptions() const;

Q_SIGNALS:
    void connectRequested(const wsi::SessionOptions &options);
    void disconnectRequested();
    void optionsInvalid(const QString &error);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void setUpOptionsDialog();
    void fitOptionsDialog(bool growOnly);
    // Options are read when connecting: while a connection runs they are shown but not edited, and the dialog says
    // why.
    void setOptionsEditable(bool editable);
    void onConnectClicked();
    void updateElapsed();
    void updateCountdown();
    void showConnectButton(bool active);
    void updateOptionsToggle();

    QLineEdit *m_url;
    QPushButton *m_connect;
    QLabel *m_stateChip;
    QLabel *m_elapsed;
    SessionRuleSwitches *m_ruleSwitches; // the rules' switches, in the bar: usable while a session runs
    QToolButton *m_optionsToggle;
    QDialog *m_optionsDialog;
    QLabel *m_optionsNote;   // in the dialog while the options cannot change
    QWidget *m_optionsPanel; // the form, in the dialog
    QPlainTextEdit *m_headers;
    QLineEdit *m_subprotocols;
    QLineEdit *m_origin;
    QCheckBox *m_deflate;
    QLineEdit *m_caFile;
    QLineEdit *m_clientCertificate;
    QLineEdit *m_clientKey;
    QCheckBox *m_ignoreTlsErrors;
    QLineEdit *m_proxy;
    QCheckBox *m_tolerant;
    QLineEdit *m_heartbeat;
    QCheckBox *m_answerPings;
    QSpinBox *m_stopAnsweringAfter;
    QCheckBox *m_reconnect;
    SessionRulesRow *m_rules;
    ProtocolOptionsForm *m_protocol;
    SessionOptions m_carried; // the last setOptions(): the base options() builds on
    Session::State m_state = Session::State::Idle;
    std::function<qint64()> m_clock; // the connection's, in ns
    QTimer m_elapsedTimer;
    QString m_closedText; // the chip as the state left it, under a reconnect's countdown or end
    QString m_closedTip;
    Theme::Color m_closedColor = Theme::Color::Neutral;
    QDeadlineTimer m_reconnectAt;
    int m_reconnectAttempt = 0; // 0: no reconnect pending
    int m_reconnectMax = 0;
    QTimer m_countdownTimer;
};

} // namespace wsi
