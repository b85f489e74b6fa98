// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocolSettings.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace wsi {

// The composer's protocol mode: the fields of one of the session's protocol messages around the composer's editor,
// which holds its body (a Socket.IO event's or SignalR invocation's arguments as a JSON array, a STOMP or MQTT
// body, a GraphQL query, a Phoenix payload, Action Cable data). One row: the message kind the protocol has (emit;
// SEND, SUBSCRIBE; PUBLISH, SUBSCRIBE; subscribe; invocation; push; perform), its target (event, destination,
// topic, hub method, action), what else it takes (Phoenix event, STOMP headers, GraphQL variables, Action Cable
// channel), QoS and retain, ack. The speaker numbers the message when it is sent.
class ProtocolComposer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProtocolComposer)

public:
    explicit ProtocolComposer(QWidget *parent = nullptr);

    void setProtocol(AppProtocol protocol);
    AppProtocol protocol() const noexcept { return m_protocol; }
    // The kinds this protocol's composer offers, in the order shown.
    static QList<ProtocolMessage::Kind> kindsOf(AppProtocol protocol);
    static QString kindName(ProtocolMessage::Kind kind, AppProtocol protocol);
    void setKind(ProtocolMessage::Kind kind);
    ProtocolMessage::Kind kind() const;
    void setTarget(const QString &target);
    void setExtra(const QString &extra);
    void setQos(int qos);
    void setRetain(bool retain);
    void setAck(bool ack);

    // The message with `body` (the editor's text); nullopt with *error naming the field, and line and column for
    // JSON, when it cannot be sent.
    std::optional<ProtocolMessage> message(const QString &body, QString *error = nullptr) const;
    // What the editor holds for the current kind, as its placeholder says it.
    QString bodyPlaceholder() const;
    // The editor holds JSON for the current kind (the Pretty button applies).
    bool bodyIsJson() const;

Q_SIGNALS:
    void kindChanged();

private:
    void updateFields();

    AppProtocol m_protocol = AppProtocol::SocketIo;
    QComboBox *m_kind;
    QLabel *m_targetLabel;
    QLineEdit *m_target;
    QLabel *m_extraLabel;
    QLineEdit *m_extra; // Phoenix event, STOMP headers, GraphQL variables, Action Cable channel
    QComboBox *m_qos;
    QCheckBox *m_retain;
    QCheckBox *m_ack;
};

} // namespace wsi
