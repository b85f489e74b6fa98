// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/ProtocolOptionsForm.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "core/appprotocol/SocketIoMessages.h"
#include "core/appprotocol/StompFrames.h"
#include "core/exchange/JsonInput.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace wsi {
namespace {

// The choice's item data: a protocol's number, or one of these.
constexpr int choiceNone = -2;
constexpr int choiceAuto = -1;

int choiceOf(const AppProtocolSettings &settings)
{
    switch (settings.mode) {
    case AppProtocolSettings::Mode::None:
        return choiceNone;
    case AppProtocolSettings::Mode::Auto:
        return choiceAuto;
    case AppProtocolSettings::Mode::Speak:
        break;
    }
    return int(settings.protocol);
}

QByteArray jsonText(const QPlainTextEdit *field)
{
    return field->toPlainText().trimmed().toUtf8();
}

} // namespace

ProtocolOptionsForm::ProtocolOptionsForm(QWidget *parent)
    : QWidget(parent)
    , m_form(new QFormLayout(this))
    , m_choice(new QComboBox(this))
    , m_heartbeats(new QCheckBox(tr("Answer the protocol's heartbeats and send its own"), this))
    , m_socketIoNamespace(new QLineEdit(this))
    , m_socketIoAuth(jsonField(QStringLiteral("socketIoAuth"), tr("CONNECT auth, a JSON object: {\"token\": \"…\"}")))
    , m_stompHost(new QLineEdit(this))
    , m_stompLogin(new QLineEdit(this))
    , m_stompPasscode(new QLineEdit(this))
    , m_stompSendMs(new QSpinBox(this))
    , m_stompReceiveMs(new QSpinBox(this))
    , m_stompHeartbeat(new QWidget(this))
    , m_mqttClientId(new QLineEdit(this))
    , m_mqttKeepAlive(new QSpinBox(this))
    , m_mqttUsername(new QLineEdit(this))
    , m_mqttPassword(new QLineEdit(this))
    , m_mqttCleanSession(new QCheckBox(tr("Clean session"), this))
    , m_graphqlInit(jsonField(QStringLiteral("graphqlInit"), tr("connection_init payload, a JSON object")))
    , m_phoenixTopic(new QLineEdit(this))
    , m_phoenixJoin(jsonField(QStringLiteral("phoenixJoin"), tr("join payload, a JSON object")))
    , m_actionCableIdentifier(jsonField(QStringLiteral("actionCableIdentifier"), tr("{\"channel\": \"ChatChannel\"}")))
    , m_wampRealm(new QLineEdit(this))
{
    m_form->setContentsMargins(0, 0, 0, 0);
    m_choice->setObjectName(QStringLiteral("protocolChoice"));
    m_choice->addItem(tr("None: decode what is recognised"), choiceNone);
    m_choice->addItem(tr("Auto: speak what the handshake shows"), choiceAuto);
    for (const AppProtocol protocol : AppProtocols::all())
        m_choice->addItem(DecodedHeadline::protocolTitle(protocol), int(protocol));
    m_choice->setToolTip(tr("The application protocol this client speaks inside the WebSocket: its handshake (a "
                            "Socket.IO CONNECT, a STOMP or MQTT CONNECT, connection_init, a join...) and its "
                            "heartbeats. SockJS, WAMP and JSON-RPC are decoded; nothing of theirs is sent."));
    m_heartbeats->setObjectName(QStringLiteral("protocolHeartbeats"));
    m_heartbeats->setChecked(true);
    m_heartbeats->setToolTip(tr("Off: receive the protocol's pings and never answer (an Engine.IO pong, a graphql "
                                "pong), send no beats or PINGREQ: a client that hangs while its connection stays up"));
    m_socketIoNamespace->setObjectName(QStringLiteral("socketIoNamespace"));
    m_socketIoNamespace->setPlaceholderText(QStringLiteral("/"));
    m_stompHost->setObjectName(QStringLiteral("stompHost"));
    m_stompHost->setPlaceholderText(tr("the URL's host"));
    m_stompLogin->setObjectName(QStringLiteral("stompLogin"));
    m_stompPasscode->setObjectName(QStringLiteral("stompPasscode"));
    m_stompPasscode->setEchoMode(QLineEdit::Password);
    m_stompPasscode->setToolTip(tr("Profiles keep it in the system keychain"));
    for (QSpinBox *beat : {m_stompSendMs, m_stompReceiveMs}) {
        beat->setRange(0, 3'600'000);
        beat->setSingleStep(1000);
        beat->setSuffix(tr(" ms"));
        beat->setSpecialValueText(tr("0 (off)"));
    }
    m_stompSendMs->setObjectName(QStringLiteral("stompSendMs"));
    m_stompSendMs->setPrefix(tr("send "));
    m_stompSendMs->setToolTip(tr("cx: how often this client can beat (0: never)"));
    m_stompReceiveMs->setObjectName(QStringLiteral("stompReceiveMs"));
    m_stompReceiveMs->setPrefix(tr("receive "));
    m_stompReceiveMs->setToolTip(tr("cy: how often it wants the server's beats (0: none)"));
    auto *beats = new QHBoxLayout(m_stompHeartbeat);
    beats->setContentsMargins(0, 0, 0, 0);
    beats->addWidget(m_stompSendMs);
    beats->addWidget(m_stompReceiveMs);
    beats->addStretch(1);
    m_mqttClientId->setObjectName(QStringLiteral("mqttClientId"));
    m_mqttClientId->setPlaceholderText(tr("made up when empty"));
    m_mqttKeepAlive->setObjectName(QStringLiteral("mqttKeepAlive"));
    m_mqttKeepAlive->setRange(0, 65535);
    m_mqttKeepAlive->setSuffix(tr(" s"));
    m_mqttKeepAlive->setSpecialValueText(tr("0 (off)"));
    m_mqttKeepAlive->setToolTip(tr("PINGREQ after this long without a packet; the broker drops a client silent for "
                                   "1.5 times it"));
    m_mqttUsername->setObjectName(QStringLiteral("mqttUsername"));
    m_mqttPassword->setObjectName(QStringLiteral("mqttPassword"));
    m_mqttPassword->setEchoMode(QLineEdit::Password);
    m_mqttPassword->setToolTip(tr("Profiles keep it in the system keychain"));
    m_mqttCleanSession->setObjectName(QStringLiteral("mqttCleanSession"));
    m_phoenixTopic->setObjectName(QStringLiteral("phoenixTopic"));
    m_phoenixTopic->setPlaceholderText(tr("room:lobby (empty: join nothing)"));
    m_wampRealm->setObjectName(QStringLiteral("wampRealm"));
    m_wampRealm->setPlaceholderText(tr("realm1 (empty: send no HELLO)"));
    m_wampRealm->setToolTip(tr("HELLO joins this realm; subscriptions and calls go after the router's WELCOME"));

    m_form->addRow(tr("Protocol"), m_choice);
    m_form->addRow(tr("Namespace"), m_socketIoNamespace);
    m_form->addRow(tr("Auth"), m_socketIoAuth);
    m_form->addRow(tr("Host"), m_stompHost);
    m_form->addRow(tr("Login"), m_stompLogin);
    m_form->addRow(tr("Passcode"), m_stompPasscode);
    m_form->addRow(tr("Heart-beat"), m_stompHeartbeat);
    m_form->addRow(tr("Client id"), m_mqttClientId);
    m_form->addRow(tr("Keep Alive"), m_mqttKeepAlive);
    m_form->addRow(tr("Username"), m_mqttUsername);
    m_form->addRow(tr("Password"), m_mqttPassword);
    m_form->addRow(QString(), m_mqttCleanSession);
    m_form->addRow(tr("Init payload"), m_graphqlInit);
    m_form->addRow(tr("Topic"), m_phoenixTopic);
    m_form->addRow(tr("Join payload"), m_phoenixJoin);
    m_form->addRow(tr("Channel"), m_actionCableIdentifier);
    m_form->addRow(tr("Realm"), m_wampRealm);
    m_form->addRow(QString(), m_heartbeats);

    connect(m_choice, &QComboBox::currentIndexChanged, this, [this] {
        showRowsOfChoice();
        Q_EMIT choiceChanged();
    });
    setSettings(AppProtocolSettings{});
}

QPlainTextEdit *ProtocolOptionsForm::jsonField(const QString &objectName, const QString &placeholder)
{
    auto *field = new QPlainTextEdit(this);
    field->setObjectName(objectName);
    field->setPlaceholderText(placeholder);
    field->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    field->setTabChangesFocus(true);
    // Two lines: room for a small object, and a pasted long one scrolls.
    field->setFixedHeight(field->fontMetrics().lineSpacing() * 2 + 2 * field->frameWidth() + 8);
    return field;
}

void ProtocolOptionsForm::showRowsOfChoice()
{
    const int choice = m_choice->currentData().toInt();
    const auto shown = [choice](std::initializer_list<AppProtocol> protocols) {
        for (const AppProtocol protocol : protocols) {
            if (choice == int(protocol))
                return true;
        }
        return false;
    };
    const bool socketIo = shown({AppProtocol::SocketIo});
    const bool stomp = shown({AppProtocol::Stomp});
    const bool mqtt = shown({AppProtocol::Mqtt});
    for (QWidget *row : {static_cast<QWidget *>(m_socketIoNamespace), static_cast<QWidget *>(m_socketIoAuth)})
        m_form->setRowVisible(row, socketIo);
    for (QWidget *row : {static_cast<QWidget *>(m_stompHost), static_cast<QWidget *>(m_stompLogin),
                         static_cast<QWidget *>(m_stompPasscode), m_stompHeartbeat})
        m_form->setRowVisible(row, stomp);
    for (QWidget *row : {static_cast<QWidget *>(m_mqttClientId), static_cast<QWidget *>(m_mqttKeepAlive),
                         static_cast<QWidget *>(m_mqttUsername), static_cast<QWidget *>(m_mqttPassword),
                         static_cast<QWidget *>(m_mqttCleanSession)})
        m_form->setRowVisible(row, mqtt);
    m_form->setRowVisible(m_graphqlInit, shown({AppProtocol::GraphqlTransportWs, AppProtocol::GraphqlWs}));
    m_form->setRowVisible(m_phoenixTopic, shown({AppProtocol::Phoenix}));
    m_form->setRowVisible(m_phoenixJoin, shown({AppProtocol::Phoenix}));
    m_form->setRowVisible(m_actionCableIdentifier, shown({AppProtocol::ActionCable}));
    m_form->setRowVisible(m_wampRealm, shown({AppProtocol::Wamp}));
    m_form->setRowVisible(m_heartbeats, choice != choiceNone);
}

void ProtocolOptionsForm::setSettings(const AppProtocolSettings &settings)
{
    m_choice->setCurrentIndex(std::max(0, m_choice->findData(choiceOf(settings))));
    m_heartbeats->setChecked(settings.heartbeats);
    m_socketIoNamespace->setText(settings.socketIoNamespace);
    m_socketIoAuth->setPlainText(QString::fromUtf8(settings.socketIoAuth));
    m_stompHost->setText(settings.stompHost);
    m_stompLogin->setText(settings.stompLogin);
    m_stompPasscode->setText(settings.stompPasscode);
    m_stompSendMs->setValue(int(std::clamp<qint64>(settings.stompHeartbeatSendMs, 0, m_stompSendMs->maximum())));
    m_stompReceiveMs->setValue(
        int(std::clamp<qint64>(settings.stompHeartbeatReceiveMs, 0, m_stompReceiveMs->maximum())));
    m_mqttClientId->setText(settings.mqttClientId);
    m_mqttKeepAlive->setValue(settings.mqttKeepAliveSeconds);
    m_mqttUsername->setText(settings.mqttUsername);
    m_mqttPassword->setText(settings.mqttPassword);
    m_mqttCleanSession->setChecked(settings.mqttCleanSession);
    m_graphqlInit->setPlainText(QString::fromUtf8(settings.graphqlInitPayload));
    m_phoenixTopic->setText(settings.phoenixTopic);
    m_wampRealm->setText(settings.wampRealm);
    m_phoenixJoin->setPlainText(QString::fromUtf8(settings.phoenixJoinPayload));
    m_actionCableIdentifier->setPlainText(QString::fromUtf8(settings.actionCableIdentifier));
    showRowsOfChoice();
}

std::optional<AppProtocolSettings> ProtocolOptionsForm::settings(const AppProtocolSettings &carried,
                                                                 QString *error) const
{
    auto fail = [error](const QString &why) -> std::optional<AppProtocolSettings> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    AppProtocolSettings settings = carried;
    const int choice = m_choice->currentData().toInt();
    settings.mode = choice == choiceNone   ? AppProtocolSettings::Mode::None
                    : choice == choiceAuto ? AppProtocolSettings::Mode::Auto
                                           : AppProtocolSettings::Mode::Speak;
    if (choice >= 0)
        settings.protocol = AppProtocol(choice);
    settings.heartbeats = m_heartbeats->isChecked();
    const QString nsp = m_socketIoNamespace->text().trimmed();
    settings.socketIoNamespace = nsp.isEmpty() ? QStringLiteral("/") : nsp;
    settings.socketIoAuth = jsonText(m_socketIoAuth);
    settings.stompHost = m_stompHost->text().trimmed();
    settings.stompLogin = m_stompLogin->text();
    settings.stompPasscode = m_stompPasscode->text();
    settings.stompHeartbeatSendMs = m_stompSendMs->value();
    settings.stompHeartbeatReceiveMs = m_stompReceiveMs->value();
    settings.mqttClientId = m_mqttClientId->text().trimmed();
    settings.mqttKeepAliveSeconds = m_mqttKeepAlive->value();
    settings.mqttUsername = m_mqttUsername->text();
    settings.mqttPassword = m_mqttPassword->text();
    settings.mqttCleanSession = m_mqttCleanSession->isChecked();
    settings.graphqlInitPayload = jsonText(m_graphqlInit);
    settings.phoenixTopic = m_phoenixTopic->text().trimmed();
    settings.phoenixJoinPayload = jsonText(m_phoenixJoin);
    settings.actionCableIdentifier = jsonText(m_actionCableIdentifier);
    settings.wampRealm = m_wampRealm->text().trimmed();

    // Only the chosen protocol's fields are checked (Auto: all of them, as any may be spoken): the others are not
    // sent, and a half-typed value there must not stop a connection.
    const auto checks = [&](AppProtocol protocol) { return choice == choiceAuto || choice == int(protocol); };
    if (checks(AppProtocol::SocketIo)) {
        // The namespace ends at the first ',' in a packet ("42/admin,[...]").
        if (const QString problem = SocketIoMessages::namespaceProblem(settings.socketIoNamespace); !problem.isEmpty())
            return fail(tr("Socket.IO namespace: %1 (\"/\", \"/admin\")").arg(problem));
        if (QString why = JsonInput::objectProblem(tr("Socket.IO auth"), m_socketIoAuth->toPlainText()); !why.isEmpty())
            return fail(why);
    }
    if (checks(AppProtocol::Stomp)) {
        for (const auto &[name, value] :
             {std::pair{tr("STOMP host"), settings.stompHost}, std::pair{tr("STOMP login"), settings.stompLogin},
              std::pair{tr("STOMP passcode"), settings.stompPasscode}}) {
            if (QString why = StompFrames::checkHeaderValue(value); !why.isEmpty())
                return fail(tr("%1: %2").arg(name, why));
        }
    }
    if (checks(AppProtocol::GraphqlTransportWs) || checks(AppProtocol::GraphqlWs)) {
        if (QString why = JsonInput::objectProblem(tr("GraphQL init payload"), m_graphqlInit->toPlainText());
            !why.isEmpty())
            return fail(why);
    }
    if (checks(AppProtocol::Phoenix)) {
        if (QString why = JsonInput::objectProblem(tr("Phoenix join payload"), m_phoenixJoin->toPlainText());
            !why.isEmpty())
            return fail(why);
    }
    if (checks(AppProtocol::ActionCable)) {
        if (QString why = JsonInput::objectProblem(tr("Action Cable channel"), m_actionCableIdentifier->toPlainText());
            !why.isEmpty())
            return fail(why);
    }
    return settings;
}

QString ProtocolOptionsForm::choiceTitle() const
{
    const int choice = m_choice->currentData().toInt();
    if (choice == choiceNone)
        return {};
    if (choice == choiceAuto)
        return tr("Auto");
    return DecodedHeadline::protocolTitle(AppProtocol(choice));
}

} // namespace wsi
