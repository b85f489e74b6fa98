// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/HeartbeatSpec.h"
#include "core/profiles/ProfileJson.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/SessionRulesRow.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace wsi;

class tst_ConnectionBar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void optionsFromTheFields();
    void invalidOptionsNameTheField_data();
    void invalidOptionsNameTheField();
    void connectThenDisconnect();
    void closedStateShowsTheCode();
    void closedByUsSaysWhy();
    void chipFollowsThePalette();
    void setOptionsRoundTrips();
    void elapsedIsTheConnectionsClock();
    void reconnectCountsDownAndStops();
    void reconnectSaysWhenItGivesUp();
    void optionsOpenInADialogAndNeverGrowTheBar();
    void optionsGoWithTheirTab();
    void protocolOptionsRoundTripThroughAProfile_data();
    void protocolOptionsRoundTripThroughAProfile();
    void protocolRowsFollowTheChoice();
    void protocolJsonErrorsNameTheFieldAndPlace_data();
    void protocolJsonErrorsNameTheFieldAndPlace();
    void rulesLoadShowAndTravelWithAProfile();

private:
    template<typename T>
    static T *child(ConnectionBar &bar, const char *name)
    {
        auto *widget = bar.findChild<T *>(QString::fromLatin1(name));
        Q_ASSERT(widget);
        return widget;
    }
};

void tst_ConnectionBar::optionsFromTheFields()
{
    ConnectionBar bar;
    child<QLineEdit>(bar, "url")->setText(QStringLiteral("wss://example.test:8443/feed?x=1"));
    child<QPlainTextEdit>(bar, "headers")->setPlainText(QStringLiteral("Authorization: Bearer abc\nX-Trace: 1"));
    child<QLineEdit>(bar, "subprotocols")->setText(QStringLiteral("v2.chat, v1.chat"));
    child<QLineEdit>(bar, "origin")->setText(QStringLiteral("https://app.example.test"));
    child<QCheckBox>(bar, "deflate")->setChecked(false);
    child<QCheckBox>(bar, "ignoreTlsErrors")->setChecked(true);
    child<QLineEdit>(bar, "proxy")->setText(QStringLiteral("socks5://127.0.0.1:1080"));
    child<QCheckBox>(bar, "tolerant")->setChecked(true);
    child<QLineEdit>(bar, "heartbeat")->setText(QStringLiteral("ping:20,timeout=5"));
    child<QSpinBox>(bar, "stopAnsweringAfter")->setValue(3);
    child<QCheckBox>(bar, "reconnect")->setChecked(true);
    QString error;
    const auto options = bar.options(&error);
    QVERIFY2(options, qPrintable(error));
    QCOMPARE(options->url.host(), QStringLiteral("example.test"));
    QCOMPARE(options->headers.size(), 2);
    QCOMPARE(options->headers.value("authorization"), QByteArray("Bearer abc"));
    QCOMPARE(options->subprotocols, (QStringList{QStringLiteral("v2.chat"), QStringLiteral("v1.chat")}));
    QCOMPARE(options->origin, QStringLiteral("https://app.example.test"));
    QVERIFY(!options->offerDeflate);
    QVERIFY(options->tls.ignoreErrors);
    QCOMPARE(options->proxy.port(), 1080);
    QVERIFY(!options->strict);
    QCOMPARE(options->heartbeat.kind, HeartbeatSpec::Kind::Ping);
    QCOMPARE(options->heartbeat.intervalMs, 20000);
    QCOMPARE(options->heartbeat.effectiveReplyTimeoutMs(), 5000);
    QCOMPARE(options->heartbeat.stopAnsweringPingsAfter, 3);
    QVERIFY(options->autoPong);
    QVERIFY(options->reconnect.enabled);
    child<QCheckBox>(bar, "answerPings")->setChecked(false);
    QVERIFY(!bar.options()->autoPong);
}

void tst_ConnectionBar::invalidOptionsNameTheField_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("headers");
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("errorHas");
    QTest::newRow("http URL") << QStringLiteral("http://x/") << QString() << QString() << QStringLiteral("URL");
    QTest::newRow("no host") << QStringLiteral("ws:///path") << QString() << QString() << QStringLiteral("URL");
    // A plain sentence, never QUrl's error text ("...; scheme = \"ws\", host = \"\", path = \"/\"").
    QTest::newRow("port out of range") << QStringLiteral("ws://127.0.0.1:99999/") << QString() << QString()
                                       << QStringLiteral("URL: port 99999 is out of range 1-65535");
    QTest::newRow("header without colon")
        << QStringLiteral("ws://x/") << QStringLiteral("X-Good: 1\nbroken") << QString() << QStringLiteral("line 2");
    QTest::newRow("ftp proxy") << QStringLiteral("ws://x/") << QString() << QStringLiteral("ftp://p:21")
                               << QStringLiteral("Proxy");
    QTest::newRow("bad heartbeat") << QStringLiteral("ws://x/") << QString() << QString()
                                   << QStringLiteral("Heartbeat");
    QTest::newRow("unreadable CA file")
        << QStringLiteral("wss://x/") << QString() << QString()
        << QStringLiteral("TLS: the CA file /nonexistent/ca.pem cannot be read: No such file or directory");
}

void tst_ConnectionBar::invalidOptionsNameTheField()
{
    QFETCH(QString, url);
    QFETCH(QString, headers);
    QFETCH(QString, proxy);
    QFETCH(QString, errorHas);
    ConnectionBar bar;
    child<QLineEdit>(bar, "url")->setText(url);
    child<QPlainTextEdit>(bar, "headers")->setPlainText(headers);
    child<QLineEdit>(bar, "proxy")->setText(proxy);
    if (QLatin1StringView(QTest::currentDataTag()) == QLatin1StringView("bad heartbeat"))
        child<QLineEdit>(bar, "heartbeat")->setText(QStringLiteral("ping:often"));
    if (QLatin1StringView(QTest::currentDataTag()) == QLatin1StringView("unreadable CA file"))
        child<QLineEdit>(bar, "caFile")->setText(QStringLiteral("/nonexistent/ca.pem"));
    QSignalSpy invalid(&bar, &ConnectionBar::optionsInvalid);
    QSignalSpy connectRequested(&bar, &ConnectionBar::connectRequested);
    child<QPushButton>(bar, "connect")->click();
    QCOMPARE(connectRequested.size(), 0);
    QCOMPARE(invalid.size(), 1);
    QVERIFY2(invalid.first().first().toString().contains(errorHas), qPrintable(invalid.first().first().toString()));
    QVERIFY(!invalid.first().first().toString().contains(QLatin1StringView("scheme = ")));
}

void tst_ConnectionBar::connectThenDisconnect()
{
    ConnectionBar bar;
    child<QLineEdit>(bar, "url")->setText(QStringLiteral("ws://127.0.0.1:9/"));
    QSignalSpy connectRequested(&bar, &ConnectionBar::connectRequested);
    QSignalSpy disconnectRequested(&bar, &ConnectionBar::disconnectRequested);
    auto *button = child<QPushButton>(bar, "connect");
    QCOMPARE(button->text(), QStringLiteral("Connect"));
    button->click();
    QCOMPARE(connectRequested.size(), 1);
    bar.setState(Session::State::Connecting);
    QCOMPARE(button->text(), QStringLiteral("Disconnect"));
    QVERIFY(child<QLineEdit>(bar, "url")->isReadOnly());
    bar.setState(Session::State::Open);
    QCOMPARE(bar.stateText(), QStringLiteral("open"));
    button->click();
    QCOMPARE(disconnectRequested.size(), 1);
    QCOMPARE(connectRequested.size(), 1);
}

void tst_ConnectionBar::closedStateShowsTheCode()
{
    ConnectionBar bar;
    CloseRecord close;
    close.code = 1006;
    close.initiator = CloseRecord::Initiator::Transport;
    bar.setState(Session::State::Closed, close);
    QCOMPARE(bar.stateText(), QStringLiteral("closed 1006"));
    QVERIFY(child<QLabel>(bar, "stateChip")->toolTip().contains(QStringLiteral("Abnormal Closure")));
    QCOMPARE(child<QPushButton>(bar, "connect")->text(), QStringLiteral("Connect"));
}

// An end of our own making says so, with our reason, next to the code; one without a reason of ours does not.
void tst_ConnectionBar::closedByUsSaysWhy()
{
    ConnectionBar bar;
    CloseRecord close;
    close.code = 1006;
    close.initiator = CloseRecord::Initiator::Client;
    close.closeSent = true;
    close.ownEnd = OwnEnd{OwnEnd::Reason::HeartbeatDead, QStringLiteral("4.0 s without a pong")};
    bar.setState(Session::State::Closed, close);
    auto *chip = child<QLabel>(bar, "stateChip");
    QVERIFY2(chip->toolTip().contains(QStringLiteral(
                 "This client ended it: its heartbeat declared the server dead after 4.0 s without a pong")),
             qPrintable(chip->toolTip()));
    close.ownEnd.reset();
    close.initiator = CloseRecord::Initiator::Server;
    bar.setState(Session::State::Closed, close);
    QVERIFY2(!chip->toolTip().contains(QStringLiteral("This client ended it")), qPrintable(chip->toolTip()));
}

// The chip of a failed connection is the theme's failure colour for the palette in use, light, dark or high
// contrast, and turns with the palette; open is the success colour, a clean close the palette's Mid.
void tst_ConnectionBar::chipFollowsThePalette()
{
    QApplication::setPalette(Theme::palette(Theme::Variant::Light));
    ConnectionBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    auto *chip = child<QLabel>(bar, "stateChip");
    const auto fill = [&] { return chip->grab().toImage().pixelColor(chip->width() / 2, 1); };
    CloseRecord close;
    close.code = 1006;
    close.initiator = CloseRecord::Initiator::Transport;
    bar.setState(Session::State::Closed, close);
    for (const auto variant : {Theme::Variant::Light, Theme::Variant::Dark, Theme::Variant::HighContrastDark,
                               Theme::Variant::HighContrastLight}) {
        QApplication::setPalette(Theme::palette(variant)); // delivered to the widgets by events
        QTRY_COMPARE(fill(), Theme::color(Theme::Color::Failure, variant));
    }
    bar.setState(Session::State::Open);
    QCOMPARE(fill(), Theme::color(Theme::Color::Success, Theme::Variant::HighContrastLight));
    close.code = 1000;
    close.clean = true;
    bar.setState(Session::State::Closed, close);
    QCOMPARE(fill().name(), Theme::palette(Theme::Variant::HighContrastLight).color(QPalette::Mid).name());
    QApplication::setPalette(Theme::palette(Theme::Variant::Light));
    QTRY_COMPARE(fill().name(), Theme::palette(Theme::Variant::Light).color(QPalette::Mid).name());
}

void tst_ConnectionBar::setOptionsRoundTrips()
{
    SessionOptions in;
    in.url = QUrl(QStringLiteral("ws://127.0.0.1:9001/chat"));
    in.headers.append("X-A", "1");
    in.subprotocols = {QStringLiteral("mqtt")};
    in.origin = QStringLiteral("https://o.test");
    in.offerDeflate = false;
    in.strict = false;
    in.heartbeat.kind = HeartbeatSpec::Kind::Ping;
    in.heartbeat.intervalMs = 15000;
    in.heartbeat.replyTimeoutMs = 4000;
    ConnectionBar bar;
    bar.setOptions(in);
    const auto out = bar.options();
    QVERIFY(out);
    QCOMPARE(out->url, in.url);
    QCOMPARE(out->headers, in.headers);
    QCOMPARE(out->subprotocols, in.subprotocols);
    QCOMPARE(out->origin, in.origin);
    QCOMPARE(out->offerDeflate, false);
    QCOMPARE(out->strict, false);
    QCOMPARE(out->heartbeat.intervalMs, 15000);
    QCOMPARE(out->heartbeat.effectiveReplyTimeoutMs(), 4000);
}

// The elapsed time reads the connection's own clock, rounded (a 1 s timer fires up to 5% early: 4.95 s is not 4), and
// once closed it is the close record's time, to the tenth.
void tst_ConnectionBar::elapsedIsTheConnectionsClock()
{
    ConnectionBar bar;
    qint64 nowNs = 0;
    bar.setClock([&nowNs] { return nowNs; });
    bar.setState(Session::State::Connecting);
    QCOMPARE(bar.elapsedText(), QStringLiteral("00:00:00"));
    bar.setState(Session::State::Open);
    nowNs = 4'950'000'000;
    QTRY_COMPARE_WITH_TIMEOUT(bar.elapsedText(), QStringLiteral("00:00:05"), 5000); // the bar's 1 s tick
    nowNs = 3'725'000'000'000;
    QTRY_COMPARE_WITH_TIMEOUT(bar.elapsedText(), QStringLiteral("01:02:05"), 5000);
    CloseRecord close;
    close.atNs = 5'400'000'000;
    bar.setState(Session::State::Closed, close);
    QCOMPARE(bar.elapsedText(), QStringLiteral("00:00:05.4"));
    // No tick after the close.
    nowNs = 9'000'000'000;
    QTest::qWait(1200);
    QCOMPARE(bar.elapsedText(), QStringLiteral("00:00:05.4"));
    bar.setState(Session::State::Idle);
    QCOMPARE(bar.elapsedText(), QString());
}

// While a reconnect is pending the chip counts down to it and Connect stops the loop.
void tst_ConnectionBar::reconnectCountsDownAndStops()
{
    ConnectionBar bar;
    child<QLineEdit>(bar, "url")->setText(QStringLiteral("ws://127.0.0.1:9/"));
    QSignalSpy connectRequested(&bar, &ConnectionBar::connectRequested);
    QSignalSpy disconnectRequested(&bar, &ConnectionBar::disconnectRequested);
    CloseRecord close;
    close.code = 1006;
    bar.setState(Session::State::Closed, close);
    bar.setReconnectPending(2, 5, 10'000);
    QVERIFY(bar.isReconnectPending());
    QCOMPARE(bar.stateText(), QStringLiteral("reconnecting in 10 s, attempt 2 of 5"));
    // Whole seconds, down once a second.
    QTRY_COMPARE_WITH_TIMEOUT(bar.stateText(), QStringLiteral("reconnecting in 9 s, attempt 2 of 5"), 5000);
    auto *button = child<QPushButton>(bar, "connect");
    QCOMPARE(button->text(), QStringLiteral("Stop reconnecting"));
    QVERIFY(child<QLineEdit>(bar, "url")->isReadOnly());
    button->click();
    QCOMPARE(disconnectRequested.size(), 1);
    QCOMPARE(connectRequested.size(), 0);
    bar.setReconnectFinished(QStringLiteral("reconnecting stopped"));
    QVERIFY(!bar.isReconnectPending());
    QCOMPARE(bar.stateText(), QStringLiteral("closed 1006 · reconnecting stopped"));
    QCOMPARE(button->text(), QStringLiteral("Connect"));
    QVERIFY(!child<QLineEdit>(bar, "url")->isReadOnly());
    // Without a limit the chip says the attempt alone; the next connection clears the countdown.
    bar.setReconnectPending(1, 0, 60'000);
    QCOMPARE(bar.stateText(), QStringLiteral("reconnecting in 60 s, attempt 1"));
    bar.setState(Session::State::Connecting);
    QVERIFY(!bar.isReconnectPending());
    QCOMPARE(bar.stateText(), QStringLiteral("connecting"));
}

void tst_ConnectionBar::reconnectSaysWhenItGivesUp()
{
    ConnectionBar bar;
    CloseRecord close;
    close.code = 1006;
    bar.setState(Session::State::Closed, close);
    bar.setReconnectFinished(QStringLiteral("gave up after 2 reconnect attempts"));
    QCOMPARE(bar.stateText(), QStringLiteral("closed 1006 · gave up after 2 reconnect attempts"));
    QVERIFY(child<QLabel>(bar, "stateChip")->toolTip().contains(QStringLiteral("No reconnect follows")));
    // Nothing to say after the user's own clean close: the chip stays the close.
    close.code = 1000;
    close.clean = true;
    bar.setState(Session::State::Closed, close);
    bar.setReconnectFinished(QString());
    QCOMPARE(bar.stateText(), QStringLiteral("closed 1000"));
}

// Options (headers, TLS, proxy, heartbeat, reconnect...) open in a dialog of their own: the bar, and so the window,
// keeps its size, and every field is there to fill.
void tst_ConnectionBar::optionsOpenInADialogAndNeverGrowTheBar()
{
    ConnectionBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    const QSize minimum = bar.minimumSizeHint();
    const QSize hint = bar.sizeHint();
    auto *toggle = child<QToolButton>(bar, "optionsToggle");
    toggle->click();
    QVERIFY(bar.isShowingOptions());
    auto *dialog = child<QDialog>(bar, "optionsDialog");
    QVERIFY(dialog->isWindow());
    QVERIFY(dialog->isVisible());
    QCOMPARE(bar.minimumSizeHint(), minimum);
    QCOMPARE(bar.sizeHint(), hint);
    for (const char *field :
         {"headers", "subprotocols", "origin", "deflate", "caFile", "clientCertificate", "clientKey", "ignoreTlsErrors",
          "proxy", "tolerant", "heartbeat", "answerPings", "stopAnsweringAfter", "reconnect"}) {
        auto *widget = child<QWidget>(bar, field);
        QVERIFY2(dialog->isAncestorOf(widget) && widget->isVisible() && widget->isEnabled(), field);
    }
    // What is typed there is what Connect uses.
    child<QLineEdit>(bar, "url")->setText(QStringLiteral("ws://127.0.0.1:9/"));
    child<QLineEdit>(bar, "subprotocols")->setText(QStringLiteral("chat"));
    QCOMPARE(bar.options()->subprotocols, QStringList{QStringLiteral("chat")});
    // While connected they are shown, not edited, and the dialog says why.
    bar.setState(Session::State::Open);
    QVERIFY(!child<QWidget>(bar, "optionsPanel")->isEnabled());
    QVERIFY(child<QLabel>(bar, "optionsNote")->isVisible());
    bar.setState(Session::State::Closed);
    QVERIFY(child<QWidget>(bar, "optionsPanel")->isEnabled());
    QVERIFY(!child<QLabel>(bar, "optionsNote")->isVisible());
    // Closed from the dialog (Close, Escape, the window's ×): the toggle follows.
    dialog->reject();
    QVERIFY(!bar.isShowingOptions());
    QVERIFY(!toggle->isChecked());
    toggle->click();
    QVERIFY(bar.isShowingOptions());
    toggle->click();
    QVERIFY(!bar.isShowingOptions());
}

// A tab's options are its own: they go when another tab is shown, and come back with their tab.
void tst_ConnectionBar::optionsGoWithTheirTab()
{
    QTabWidget tabs;
    auto *bar = new ConnectionBar;
    tabs.addTab(bar, QStringLiteral("first"));
    tabs.addTab(new QWidget, QStringLiteral("second"));
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    child<QToolButton>(*bar, "optionsToggle")->click();
    QVERIFY(bar->isShowingOptions());
    tabs.setCurrentIndex(1);
    QVERIFY(!bar->isShowingOptions());
    QVERIFY(child<QToolButton>(*bar, "optionsToggle")->isChecked());
    tabs.setCurrentIndex(0);
    QVERIFY(bar->isShowingOptions());
}

// Every protocol setting the options dialog shows (and those of the other protocols, which it keeps hidden) comes
// back from connectRequested as it went into setOptions, and again after a trip through a profile file: a profile
// saved from the window and opened again speaks the same protocol the same way.
void tst_ConnectionBar::protocolOptionsRoundTripThroughAProfile_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("protocol");
    QTest::newRow("none") << int(AppProtocolSettings::Mode::None) << int(AppProtocol::SocketIo);
    QTest::newRow("auto") << int(AppProtocolSettings::Mode::Auto) << int(AppProtocol::SocketIo);
    for (const AppProtocol protocol : AppProtocols::all())
        QTest::newRow(qPrintable(AppProtocols::name(protocol)))
            << int(AppProtocolSettings::Mode::Speak) << int(protocol);
}

void tst_ConnectionBar::protocolOptionsRoundTripThroughAProfile()
{
    QFETCH(int, mode);
    QFETCH(int, protocol);
    SessionOptions in;
    in.url = QUrl(QStringLiteral("ws://127.0.0.1:9001/socket.io/?EIO=4&transport=websocket"));
    AppProtocolSettings &p = in.protocol;
    p.mode = AppProtocolSettings::Mode(mode);
    p.protocol = AppProtocol(protocol);
    p.heartbeats = false;
    p.socketIoNamespace = QStringLiteral("/chat");
    p.socketIoAuth = "{\"token\":\"t-1\",\"n\":[1,2]}";
    p.stompHost = QStringLiteral("vhost");
    p.stompLogin = QStringLiteral("guest");
    p.stompPasscode = QStringLiteral("pass:word");
    p.stompHeartbeatSendMs = 0;
    p.stompHeartbeatReceiveMs = 4000;
    p.mqttClientId = QStringLiteral("wsi-window");
    p.mqttKeepAliveSeconds = 15;
    p.mqttUsername = QStringLiteral("u");
    p.mqttPassword = QStringLiteral("p w");
    p.mqttCleanSession = false;
    p.graphqlInitPayload = "{\"authToken\":\"x\"}";
    p.phoenixTopic = QStringLiteral("room:lobby");
    p.phoenixJoinPayload = "{\"token\":\"abc\"}";
    p.actionCableIdentifier = "{\"channel\":\"ChatChannel\",\"room\":\"1\"}";
    p.wampRealm = QStringLiteral("realm1");
    // What the dialog has no field for rides along.
    p.messages = {{ProtocolMessage::Kind::Emit, QStringLiteral("hello"), {}, {"\"x\""}, true}};

    ConnectionBar bar;
    bar.setOptions(in);
    QSignalSpy requested(&bar, &ConnectionBar::connectRequested);
    child<QPushButton>(bar, "connect")->click();
    QCOMPARE(requested.size(), 1);
    const auto first = requested.first().first().value<SessionOptions>();
    QCOMPARE(first.protocol, in.protocol);

    SessionProfile profile;
    profile.name = QStringLiteral("protocol");
    profile.options = first;
    QString error;
    const auto read = ProfileJson::fromBytes(ProfileJson::toBytes(profile, ProfileJson::Secrets::Include),
                                             QStringLiteral("test"), &error);
    QVERIFY2(read, qPrintable(error));
    ConnectionBar reopened;
    reopened.setOptions(read->options);
    const auto second = reopened.options(&error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(second->protocol, in.protocol);
}

// Only the chosen protocol's handshake settings are shown; the Options button names the protocol spoken.
void tst_ConnectionBar::protocolRowsFollowTheChoice()
{
    ConnectionBar bar;
    auto *dialog = child<QDialog>(bar, "optionsDialog");
    auto *choice = child<QComboBox>(bar, "protocolChoice");
    const auto shown = [&](const char *name) { return child<QWidget>(bar, name)->isVisibleTo(dialog); };
    auto *toggle = child<QToolButton>(bar, "optionsToggle");
    QCOMPARE(toggle->text(), QStringLiteral("Options"));
    QVERIFY(!shown("socketIoNamespace"));
    QVERIFY(!shown("protocolHeartbeats"));

    choice->setCurrentIndex(choice->findData(int(AppProtocol::Stomp)));
    QVERIFY(shown("stompHost"));
    QVERIFY(shown("stompPasscode"));
    QCOMPARE(child<QLineEdit>(bar, "stompPasscode")->echoMode(), QLineEdit::Password);
    QVERIFY(shown("protocolHeartbeats"));
    QVERIFY(!shown("socketIoNamespace"));
    QVERIFY(!shown("mqttClientId"));
    QCOMPARE(toggle->text(), QStringLiteral("Options · STOMP"));

    choice->setCurrentIndex(choice->findData(int(AppProtocol::Mqtt)));
    for (const char *name : {"mqttClientId", "mqttKeepAlive", "mqttUsername", "mqttPassword", "mqttCleanSession"})
        QVERIFY2(shown(name), name);
    QVERIFY(!shown("stompHost"));
    choice->setCurrentIndex(choice->findData(int(AppProtocol::Phoenix)));
    QVERIFY(shown("phoenixTopic"));
    QVERIFY(shown("phoenixJoin"));
    QVERIFY(!shown("mqttClientId"));
    QVERIFY(!shown("wampRealm"));
    choice->setCurrentIndex(choice->findData(int(AppProtocol::Wamp)));
    QVERIFY(shown("wampRealm"));
    QVERIFY(!shown("phoenixTopic"));
    choice->setCurrentIndex(choice->findData(int(AppProtocol::SocketIo)));
    QCOMPARE(toggle->text(), QStringLiteral("Options · socket.io"));
    QVERIFY(shown("socketIoNamespace"));
    QVERIFY(shown("socketIoAuth"));
    QVERIFY(!shown("phoenixTopic"));
    // The heartbeat switch reaches the settings.
    child<QLineEdit>(bar, "url")->setText(QStringLiteral("ws://127.0.0.1:1/socket.io/"));
    child<QCheckBox>(bar, "protocolHeartbeats")->setChecked(false);
    const auto options = bar.options();
    QVERIFY(options);
    QCOMPARE(options->protocol.mode, AppProtocolSettings::Mode::Speak);
    QCOMPARE(options->protocol.protocol, AppProtocol::SocketIo);
    QVERIFY(!options->protocol.heartbeats);
}

void tst_ConnectionBar::protocolJsonErrorsNameTheFieldAndPlace_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("socket.io auth cut short")
        << int(AppProtocol::SocketIo) << QStringLiteral("socketIoAuth") << QStringLiteral("{\"token\": }")
        << QStringLiteral("Socket.IO auth: line 1, column 11: ");
    QTest::newRow("socket.io namespace with a comma")
        << int(AppProtocol::SocketIo) << QStringLiteral("socketIoNamespace") << QStringLiteral("/a,b")
        << QStringLiteral("Socket.IO namespace: a namespace starts with '/' and has no ','");
    QTest::newRow("graphql init an array")
        << int(AppProtocol::GraphqlTransportWs) << QStringLiteral("graphqlInit") << QStringLiteral("[1]")
        << QStringLiteral("GraphQL init payload: expected a JSON object ({...})");
    QTest::newRow("phoenix join on its second line")
        << int(AppProtocol::Phoenix) << QStringLiteral("phoenixJoin") << QStringLiteral("{\"a\": 1,\n \"b\" 2}")
        << QStringLiteral("Phoenix join payload: line 2, column 6: ");
    QTest::newRow("action cable channel not JSON")
        << int(AppProtocol::ActionCable) << QStringLiteral("actionCableIdentifier") << QStringLiteral("ChatChannel")
        << QStringLiteral("Action Cable channel: line 1, column 1: ");
}

// A JSON field that does not parse stops the connection with the field's name and where it goes wrong; the same
// text in a field of a protocol not chosen stops nothing.
void tst_ConnectionBar::protocolJsonErrorsNameTheFieldAndPlace()
{
    QFETCH(int, protocol);
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, error);
    ConnectionBar bar;
    child<QLineEdit>(bar, "url")->setText(QStringLiteral("ws://127.0.0.1:1/"));
    auto *choice = child<QComboBox>(bar, "protocolChoice");
    if (auto *line = bar.findChild<QLineEdit *>(field))
        line->setText(text);
    else
        bar.findChild<QPlainTextEdit *>(field)->setPlainText(text);
    QVERIFY(bar.options()); // None: nothing of the protocol's is sent
    choice->setCurrentIndex(choice->findData(protocol));
    QSignalSpy invalid(&bar, &ConnectionBar::optionsInvalid);
    QSignalSpy requested(&bar, &ConnectionBar::connectRequested);
    child<QPushButton>(bar, "connect")->click();
    QCOMPARE(requested.size(), 0);
    QCOMPARE(invalid.size(), 1);
    const QString said = invalid.first().first().toString();
    QVERIFY2(said.startsWith(error), qPrintable(said));
    // Auto may speak any protocol: every field counts.
    choice->setCurrentIndex(choice->findData(-1));
    QVERIFY(!bar.options());
}

// The Rules row: a rule file loaded shows in a line and goes with the options, into a profile and back; a file that is
// wrong, or has a rule a session cannot follow, is refused with the reason shown and the rules before it kept; Clear
// empties it.
void tst_ConnectionBar::rulesLoadShowAndTravelWithAProfile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&dir](const QString &name, const QByteArray &json) {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
            return QString();
        return path;
    };
    const QByteArray document =
        R"({"rules": [{"name": "slow", "from": "server", "action": "delay", "ms": 400}, {"action": "no-pong"}]})";
    const QString good = write(QStringLiteral("good.json"), document);
    const QString relayOnly = write(QStringLiteral("relay.json"), R"({"rules": [{"action": "blackhole"}]})");
    const QString broken = write(QStringLiteral("broken.json"), R"({"rules": [{"action": "delay"}]})");

    ConnectionBar bar;
    SessionOptions start;
    start.url = QUrl(QStringLiteral("ws://127.0.0.1:9001/"));
    bar.setOptions(start);
    auto *row = child<SessionRulesRow>(bar, "rules");
    QCOMPARE(row->summaryText(), QStringLiteral("None"));
    QVERIFY(!child<QPushButton>(bar, "clearRules")->isEnabled());

    QVERIFY(row->loadFile(good));
    QCOMPARE(row->summaryText(), QStringLiteral("2 rules: slow (delay), rules[1] (no-pong)"));
    QVERIFY(row->errorText().isEmpty());
    QString error;
    std::optional<SessionOptions> options = bar.options(&error);
    QVERIFY2(options, qPrintable(error));
    QVERIFY(options->hasRules());
    QCOMPARE(options->rulesDocument, document);

    // The switches in the bar turn a rule off in the very set the options (and so a running session) hold.
    auto *switches = child<QToolButton>(bar, "ruleSwitches");
    QVERIFY(!switches->isHidden());
    QCOMPARE(switches->text(), QStringLiteral("Rules 2/2"));
    const QList<QAction *> entries = switches->menu()->actions();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(1)->text(), QStringLiteral("rules[1] (no-pong)"));
    entries.at(1)->trigger();
    QVERIFY(!options->rules->isEnabled(1));
    QCOMPARE(switches->text(), QStringLiteral("Rules 1/2"));
    QCOMPARE(row->summaryText(), QStringLiteral("2 rules: slow (delay), rules[1] (no-pong, off)"));
    entries.at(1)->trigger();
    QVERIFY(options->rules->isEnabled(1));

    QVERIFY(!row->loadFile(relayOnly));
    QVERIFY2(row->errorText().contains(QLatin1StringView("rules[0].action: \"blackhole\" acts on a relay")),
             qPrintable(row->errorText()));
    QVERIFY(!row->loadFile(broken));
    QVERIFY2(row->errorText().contains(QLatin1StringView("rules[0].ms: missing")), qPrintable(row->errorText()));
    QCOMPARE(row->summaryText(), QStringLiteral("2 rules: slow (delay), rules[1] (no-pong)"));

    SessionProfile profile;
    profile.name = QStringLiteral("rules");
    profile.options = *bar.options(&error);
    const auto read = ProfileJson::fromBytes(ProfileJson::toBytes(profile), QStringLiteral("test"), &error);
    QVERIFY2(read, qPrintable(error));
    ConnectionBar reopened;
    reopened.setOptions(read->options);
    QCOMPARE(child<SessionRulesRow>(reopened, "rules")->summaryText(),
             QStringLiteral("2 rules: slow (delay), rules[1] (no-pong)"));
    options = reopened.options(&error);
    QVERIFY2(options && options->hasRules(), qPrintable(error));
    QCOMPARE(QJsonDocument::fromJson(options->rulesDocument), QJsonDocument::fromJson(document));

    child<QPushButton>(reopened, "clearRules")->click();
    QCOMPARE(child<SessionRulesRow>(reopened, "rules")->summaryText(), QStringLiteral("None"));
    QVERIFY(child<QToolButton>(reopened, "ruleSwitches")->isHidden());
    options = reopened.options(&error);
    QVERIFY(options && !options->rules && options->rulesDocument.isEmpty());
}

QTEST_MAIN(tst_ConnectionBar)
#include "tst_connectionbar.moc"
