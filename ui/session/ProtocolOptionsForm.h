// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocolSettings.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace wsi {

// The application protocol part of the connection options: which protocol the session speaks (None: it only
// decodes what it recognises; Auto: what the handshake shows; or one protocol), the handshake settings of the
// chosen protocol alone (the others' rows are hidden, and keep their values), and whether it answers the protocol's
// heartbeats. It edits AppProtocolSettings; the connection bar puts it in its options dialog.
class ProtocolOptionsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProtocolOptionsForm)

public:
    explicit ProtocolOptionsForm(QWidget *parent = nullptr);

    void setSettings(const AppProtocolSettings &settings);
    // The settings as entered, on top of `carried` (what the form has no field for: the first messages); nullopt
    // with *error naming the field (and line and column for JSON) when they cannot make a session.
    std::optional<AppProtocolSettings> settings(const AppProtocolSettings &carried, QString *error = nullptr) const;
    // "Socket.IO", "Auto", or empty for None: what the bar's Options button says beside its name.
    QString choiceTitle() const;

Q_SIGNALS:
    void choiceChanged();

private:
    void showRowsOfChoice();
    QPlainTextEdit *jsonField(const QString &objectName, const QString &placeholder);

    QFormLayout *m_form;
    QComboBox *m_choice;
    QCheckBox *m_heartbeats;
    QLineEdit *m_socketIoNamespace;
    QPlainTextEdit *m_socketIoAuth;
    QLineEdit *m_stompHost;
    QLineEdit *m_stompLogin;
    QLineEdit *m_stompPasscode;
    QSpinBox *m_stompSendMs;
    QSpinBox *m_stompReceiveMs;
    QWidget *m_stompHeartbeat; // the two spin boxes' row
    QLineEdit *m_mqttClientId;
    QSpinBox *m_mqttKeepAlive;
    QLineEdit *m_mqttUsername;
    QLineEdit *m_mqttPassword;
    QCheckBox *m_mqttCleanSession;
    QPlainTextEdit *m_graphqlInit;
    QLineEdit *m_phoenixTopic;
    QPlainTextEdit *m_phoenixJoin;
    QPlainTextEdit *m_actionCableIdentifier;
    QLineEdit *m_wampRealm;
};

} // namespace wsi
