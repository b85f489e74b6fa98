// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/ProtocolComposer.h"

#include "core/appprotocol/MqttPackets.h"
#include "core/exchange/JsonInput.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace wsi {

using Kind = ProtocolMessage::Kind;

ProtocolComposer::ProtocolComposer(QWidget *parent)
    : QWidget(parent)
    , m_kind(new QComboBox(this))
    , m_targetLabel(new QLabel(this))
    , m_target(new QLineEdit(this))
    , m_extraLabel(new QLabel(this))
    , m_extra(new QLineEdit(this))
    , m_qos(new QComboBox(this))
    , m_retain(new QCheckBox(tr("Retain"), this))
    , m_ack(new QCheckBox(tr("Ack"), this))
{
    m_kind->setObjectName(QStringLiteral("protocolKind"));
    m_target->setObjectName(QStringLiteral("protocolTarget"));
    m_targetLabel->setBuddy(m_target);
    m_extraLabel->setBuddy(m_extra);
    m_target->setClearButtonEnabled(true);
    m_extra->setObjectName(QStringLiteral("protocolExtra"));
    m_extra->setClearButtonEnabled(true);
    m_qos->setObjectName(QStringLiteral("protocolQos"));
    m_qos->addItem(tr("QoS 0"), 0);
    m_qos->addItem(tr("QoS 1"), 1);
    m_qos->setToolTip(tr("QoS 0: at most once; QoS 1: the broker answers PUBACK with the packet id"));
    m_retain->setObjectName(QStringLiteral("protocolRetain"));
    m_retain->setToolTip(tr("The broker keeps the message for later subscribers of the topic"));
    m_ack->setObjectName(QStringLiteral("protocolAck"));

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_kind);
    row->addWidget(m_targetLabel);
    row->addWidget(m_target, 2);
    row->addWidget(m_extraLabel);
    row->addWidget(m_extra, 2);
    row->addWidget(m_qos);
    row->addWidget(m_retain);
    row->addWidget(m_ack);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        updateFields();
        Q_EMIT kindChanged();
    });
    setProtocol(AppProtocol::SocketIo);
}

QList<ProtocolMessage::Kind> ProtocolComposer::kindsOf(AppProtocol protocol)
{
    switch (protocol) {
    case AppProtocol::SocketIo:
        return {Kind::Emit};
    case AppProtocol::Stomp:
        return {Kind::Send, Kind::Subscribe};
    case AppProtocol::Mqtt:
        return {Kind::Publish, Kind::Subscribe};
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        return {Kind::Query};
    case AppProtocol::SignalR:
        return {Kind::Invoke};
    case AppProtocol::Phoenix:
        return {Kind::Push};
    case AppProtocol::ActionCable:
        return {Kind::Perform};
    case AppProtocol::Wamp:
        return {Kind::Call, Kind::Subscribe};
    case AppProtocol::SockJs:
    case AppProtocol::JsonRpc:
        break; // nothing of their own to build: the plain editor writes their messages
    }
    return {};
}

QString ProtocolComposer::kindName(Kind kind, AppProtocol protocol)
{
    switch (kind) {
    case Kind::Emit:
        return tr("Emit");
    case Kind::Subscribe:
        return QStringLiteral("SUBSCRIBE");
    case Kind::Send:
        return QStringLiteral("SEND");
    case Kind::Publish:
        return QStringLiteral("PUBLISH");
    case Kind::Query:
        return protocol == AppProtocol::GraphqlWs ? QStringLiteral("start") : QStringLiteral("subscribe");
    case Kind::Invoke:
        return tr("Invoke");
    case Kind::Push:
        return tr("Push");
    case Kind::Perform:
        return tr("Perform");
    case Kind::Call:
        return QStringLiteral("CALL");
    }
    return {};
}

void ProtocolComposer::setProtocol(AppProtocol protocol)
{
    m_protocol = protocol;
    const QSignalBlocker blocker(m_kind);
    m_kind->clear();
    for (const Kind kind : kindsOf(protocol))
        m_kind->addItem(kindName(kind, protocol), int(kind));
    updateFields();
    Q_EMIT kindChanged();
}

void ProtocolComposer::setKind(Kind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

ProtocolMessage::Kind ProtocolComposer::kind() const
{
    return Kind(m_kind->currentData().toInt());
}

void ProtocolComposer::setTarget(const QString &target)
{
    m_target->setText(target);
}

void ProtocolComposer::setExtra(const QString &extra)
{
    m_extra->setText(extra);
}

void ProtocolComposer::setQos(int qos)
{
    m_qos->setCurrentIndex(std::clamp(qos, 0, 1));
}

void ProtocolComposer::setRetain(bool retain)
{
    m_retain->setChecked(retain);
}

void ProtocolComposer::setAck(bool ack)
{
    m_ack->setChecked(ack);
}

void ProtocolComposer::updateFields()
{
    const Kind current = kind();
    const bool mqtt = m_protocol == AppProtocol::Mqtt;
    m_kind->setVisible(m_kind->count() > 1);
    m_qos->setVisible(mqtt);
    m_retain->setVisible(mqtt && current == Kind::Publish);
    m_ack->setVisible(current == Kind::Emit || current == Kind::Invoke);
    m_ack->setToolTip(current == Kind::Invoke
                          ? tr("Give the invocation an id: the server answers a Completion carrying it")
                          : tr("Ask for an acknowledgement: the server's ACK carries the event's ack id back"));
    QString target;
    QString extra;
    QString extraTip;
    switch (current) {
    case Kind::Emit:
        target = tr("event: chat");
        break;
    case Kind::Subscribe:
        target = mqtt                              ? tr("topic filter: prices/#")
                 : m_protocol == AppProtocol::Wamp ? tr("topic: com.example.topic")
                                                   : tr("destination: /topic/prices");
        break;
    case Kind::Send:
        target = tr("destination: /queue/a");
        extra = tr("headers: name:value; name:value");
        extraTip = tr("Extra SEND headers, separated by ';' (content-length is always the body's)");
        break;
    case Kind::Publish:
        target = tr("topic: prices/eur");
        break;
    case Kind::Query:
        target.clear(); // the editor holds the query
        extra = tr("variables: {\"id\": 1}");
        extraTip = tr("The operation's variables, a JSON object (empty: none)");
        break;
    case Kind::Invoke:
        target = tr("method: SendMessage");
        break;
    case Kind::Push:
        target = tr("topic: room:lobby");
        extra = tr("event: new_msg");
        extraTip = tr("The event pushed on the topic");
        break;
    case Kind::Call:
        target = tr("procedure: com.example.add");
        break;
    case Kind::Perform:
        target = tr("action: speak");
        extra = tr("channel: {\"channel\": \"ChatChannel\"}");
        extraTip = tr("The channel identifier, a JSON object (empty: the one the connection subscribed to)");
        break;
    }
    // "topic: prices/eur": the label names the field, the placeholder shows an example.
    const auto split = [](const QString &text, QLabel *label, QLineEdit *field) {
        const qsizetype colon = text.indexOf(QLatin1StringView(": "));
        label->setText(colon > 0 ? text.left(colon).at(0).toUpper() + text.mid(1, colon - 1) : text);
        field->setPlaceholderText(colon > 0 ? text.mid(colon + 2) : QString());
        label->setVisible(!text.isEmpty());
        field->setVisible(!text.isEmpty());
    };
    split(target, m_targetLabel, m_target);
    split(extra, m_extraLabel, m_extra);
    m_extra->setToolTip(extraTip);
}

QString ProtocolComposer::bodyPlaceholder() const
{
    switch (kind()) {
    case Kind::Emit:
        return tr("Arguments, a JSON array: [\"inspector\", {\"n\": 1}] (empty: none). Ctrl+Enter sends");
    case Kind::Invoke:
    case Kind::Call:
        return tr("Arguments, a JSON array: [1, 2] (empty: none). Ctrl+Enter sends");
    case Kind::Subscribe:
        return tr("Nothing to write: the subscription is the line above. Ctrl+Enter sends");
    case Kind::Send:
        return tr("Body. Ctrl+Enter sends");
    case Kind::Publish:
        return tr("Payload. Ctrl+Enter sends");
    case Kind::Query:
        return tr("GraphQL query: subscription { greetings }. Ctrl+Enter sends");
    case Kind::Push:
        return tr("Payload, a JSON object (empty: {}). Ctrl+Enter sends");
    case Kind::Perform:
        return tr("Data, a JSON object (empty: none). Ctrl+Enter sends");
    }
    return {};
}

bool ProtocolComposer::bodyIsJson() const
{
    const Kind current = kind();
    return current == Kind::Emit || current == Kind::Invoke || current == Kind::Call || current == Kind::Push ||
           current == Kind::Perform;
}

std::optional<ProtocolMessage> ProtocolComposer::message(const QString &body, QString *error) const
{
    auto fail = [error](const QString &why) -> std::optional<ProtocolMessage> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (m_kind->count() == 0)
        return fail(tr("The composer builds none of this protocol's messages: write them as text or JSON"));
    ProtocolMessage message;
    message.kind = kind();
    message.target = m_target->text().trimmed();
    const QString extra = m_extra->text().trimmed();
    const QString kindTitle = kindName(message.kind, m_protocol);
    if (m_target->isVisibleTo(this) && message.target.isEmpty())
        return fail(tr("%1: the %2 is empty").arg(kindTitle, m_targetLabel->text().toLower()));
    switch (message.kind) {
    case Kind::Emit:
    case Kind::Invoke:
    case Kind::Call: {
        QString why;
        const auto args = JsonInput::arrayElements(tr("%1 arguments").arg(kindTitle), body, &why);
        if (!args)
            return fail(why);
        message.args = *args;
        message.ack = message.kind != Kind::Call && m_ack->isChecked(); // a WAMP CALL always gets its RESULT
        break;
    }
    case Kind::Subscribe:
        message.qos = m_qos->currentData().toInt();
        break;
    case Kind::Send:
        message.body = body.toUtf8();
        for (const QString &header : extra.split(u';', Qt::SkipEmptyParts)) {
            const qsizetype colon = header.indexOf(u':');
            if (colon <= 0)
                return fail(tr("SEND headers: write \"%1\" as name:value").arg(header.trimmed()));
            message.headers.append({header.left(colon).trimmed(), header.mid(colon + 1).trimmed()});
        }
        break;
    case Kind::Publish:
        if (const QString problem = MqttPackets::publishTopicProblem(message.target); !problem.isEmpty())
            return fail(tr("PUBLISH: %1").arg(problem));
        message.body = body.toUtf8();
        message.qos = m_qos->currentData().toInt();
        message.retain = m_retain->isChecked();
        break;
    case Kind::Query:
        if (body.trimmed().isEmpty())
            return fail(tr("%1: the query is empty").arg(kindTitle));
        if (QString why = JsonInput::objectProblem(tr("Variables"), extra); !why.isEmpty())
            return fail(why);
        message.body = body.trimmed().toUtf8();
        message.variables = extra.toUtf8();
        break;
    case Kind::Push:
    case Kind::Perform: {
        const QString field = message.kind == Kind::Push ? tr("Push payload") : tr("Perform data");
        if (QString why = JsonInput::objectProblem(field, body); !why.isEmpty())
            return fail(why);
        message.body = body.trimmed().toUtf8();
        if (message.kind == Kind::Push) {
            if (extra.isEmpty())
                return fail(tr("Push: the event is empty"));
            message.event = extra;
        } else {
            if (QString why = JsonInput::objectProblem(tr("Perform channel"), extra); !why.isEmpty())
                return fail(why);
            message.identifier = extra.toUtf8();
        }
        break;
    }
    }
    return message;
}

} // namespace wsi
