// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CloseRecord.h"
#include "core/session/Session.h"
#include "core/session/SessionOptions.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace wsi {

// The bar above a session: the URL, Connect/Disconnect, a state chip (connecting, open, closing, closed with its
// code), the time since the connection opened, and a fold-out panel with the handshake, TLS and proxy options.
// It only edits options and shows state; the session view does the connecting.
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

    void setState(Session::State state, const std::optional<CloseRecord> &close = std::nullopt);
    QString stateText() const;
    void focusUrl();

Q_SIGNALS:
    void connectRequested(const wsi::SessionOptions &options);
    void disconnectRequested();
    void optionsInvalid(const QString &error);

private:
    void onConnectClicked();
    void updateElapsed();

    QLineEdit *m_url;
    QPushButton *m_connect;
    QLabel *m_stateChip;
    QLabel *m_elapsed;
    QToolButton *m_optionsToggle;
    QWidget *m_optionsPanel;
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
    SessionOptions m_carried; // the last setOptions(): the base options() builds on
    Session::State m_state = Session::State::Idle;
    QElapsedTimer m_openSince;
    QTimer m_elapsedTimer;
};

} // namespace wsi
