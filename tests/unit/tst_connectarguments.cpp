// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli connect`'s arguments: every flag as it lands in ConnectArguments / SessionOptions, optional
// values, repeated flags in order, profiles with flags and variables on top, every usage error, and the help
// generated from the table. The process-level behaviour is tests/integration/tst_cli.
#include "ArgumentCases.h"
#include "ProtoArgumentCase.h"
#include "app/cli/ConnectArguments.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/profiles/ProfileStore.h"
#include "core/protocol/CloseCode.h"
#include "core/text/DurationText.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace ProtoArgumentCase = wsi::test::ProtoArgumentCase;

namespace {

const QString url = QStringLiteral("ws://h.test/");

// What a parse gave, one line per field that differs from the defaults (the URL when it is not `url`), in an order
// that keeps repeated values in theirs.
QStringList summary(const ConnectArguments &arguments)
{
    QStringList lines;
    const SessionOptions &session = arguments.session;
    const SessionOptions defaults;
    if (session.url != QUrl(url))
        lines.append(QStringLiteral("url ") + session.url.toString());
    for (const HttpHeader &header : session.headers)
        lines.append(
            QStringLiteral("header %1: %2").arg(QString::fromUtf8(header.name), QString::fromUtf8(header.value)));
    for (const QString &subprotocol : session.subprotocols)
        lines.append(QStringLiteral("subprotocol ") + subprotocol);
    if (!session.origin.isEmpty())
        lines.append(QStringLiteral("origin ") + session.origin);
    for (const auto &[name, value] : session.cookies)
        lines.append(QStringLiteral("cookie %1=%2").arg(QString::fromUtf8(name), QString::fromUtf8(value)));
    if (!session.offerDeflate)
        lines.append(QStringLiteral("no deflate"));
    for (const OnConnectMessage &message : session.onConnectMessages) {
        switch (message.kind) {
        case OnConnectMessage::Kind::Text:
            lines.append(QStringLiteral("text ") + QString::fromUtf8(message.payload));
            break;
        case OnConnectMessage::Kind::Binary:
            lines.append(QStringLiteral("binary ") + QString::fromLatin1(message.payload.toHex()));
            break;
        case OnConnectMessage::Kind::Ping:
            lines.append(QStringLiteral("ping '%1'").arg(QString::fromUtf8(message.payload)));
            break;
        }
    }
    if (arguments.close)
        lines.append(QStringLiteral("close %1 '%2'").arg(arguments.closeCode).arg(arguments.closeReason));
    if (arguments.durationSeconds)
        lines.append(QStringLiteral("duration %1").arg(*arguments.durationSeconds));
    if (!session.autoPong)
        lines.append(QStringLiteral("no auto-pong"));
    if (!session.strict)
        lines.append(QStringLiteral("tolerant"));
    if (session.limits.maxMessageSize != defaults.limits.maxMessageSize)
        lines.append(QStringLiteral("max message %1").arg(session.limits.maxMessageSize));
    if (session.limits.maxFramePayload != defaults.limits.maxFramePayload)
        lines.append(QStringLiteral("max frame %1").arg(session.limits.maxFramePayload));
    if (session.tls.ignoreErrors)
        lines.append(QStringLiteral("insecure"));
    if (!session.tls.caFile.isEmpty())
        lines.append(QStringLiteral("ca ") + QFileInfo(session.tls.caFile).fileName());
    if (!session.tls.clientCertificateFile.isEmpty())
        lines.append(QStringLiteral("cert ") + QFileInfo(session.tls.clientCertificateFile).fileName());
    if (!session.tls.clientKeyFile.isEmpty())
        lines.append(QStringLiteral("key ") + QFileInfo(session.tls.clientKeyFile).fileName());
    if (!session.proxy.isEmpty())
        lines.append(QStringLiteral("proxy ") + session.proxy.toString());

    const HeartbeatSettings &heartbeat = session.heartbeat;
    const HeartbeatSettings noHeartbeat;
    static const char *const kinds[] = {"none", "ping", "pong", "app"};
    if (heartbeat.kind != noHeartbeat.kind || heartbeat.intervalMs != noHeartbeat.intervalMs)
        lines.append(QStringLiteral("heartbeat %1 every %2 ms")
                         .arg(QLatin1StringView(kinds[int(heartbeat.kind)]))
                         .arg(heartbeat.intervalMs));
    if (heartbeat.replyTimeoutMs)
        lines.append(QStringLiteral("reply timeout %1 ms").arg(*heartbeat.replyTimeoutMs));
    if (!heartbeat.appMessage.isEmpty())
        lines.append(QStringLiteral("heartbeat message ") + QString::fromUtf8(heartbeat.appMessage));
    if (heartbeat.missesUntilDead != noHeartbeat.missesUntilDead)
        lines.append(QStringLiteral("dead after %1").arg(heartbeat.missesUntilDead));
    if (heartbeat.whenDead == HeartbeatSettings::WhenDead::Abort)
        lines.append(QStringLiteral("when dead abort"));
    if (heartbeat.whenDead == HeartbeatSettings::WhenDead::KeepOpen)
        lines.append(QStringLiteral("when dead keep"));
    if (heartbeat.stopAnsweringPingsAfter != noHeartbeat.stopAnsweringPingsAfter)
        lines.append(QStringLiteral("stop answering pings after %1").arg(heartbeat.stopAnsweringPingsAfter));
    if (heartbeat.receiveTimeoutMs)
        lines.append(QStringLiteral("receive timeout %1 ms").arg(*heartbeat.receiveTimeoutMs));
    if (!heartbeat.preset.isEmpty())
        lines.append(QStringLiteral("preset ") + heartbeat.preset);

    const ReconnectPolicy &reconnect = session.reconnect;
    if (reconnect.enabled)
        lines.append(QStringLiteral("reconnect at most %1").arg(reconnect.maxAttempts));
    if (reconnect.initialDelayMs != defaults.reconnect.initialDelayMs ||
        reconnect.maxDelayMs != defaults.reconnect.maxDelayMs)
        lines.append(
            QStringLiteral("reconnect delay %1 to %2 ms").arg(reconnect.initialDelayMs).arg(reconnect.maxDelayMs));

    const AppProtocolSettings &p = session.protocol;
    const AppProtocolSettings noProtocol;
    if (p.mode == AppProtocolSettings::Mode::Auto)
        lines.append(QStringLiteral("protocol auto"));
    if (p.mode == AppProtocolSettings::Mode::Speak)
        lines.append(QStringLiteral("protocol ") + AppProtocols::name(p.protocol));
    if (!p.heartbeats)
        lines.append(QStringLiteral("no protocol heartbeat"));
    const QList<std::pair<const char *, QString>> texts{
        {"namespace", p.socketIoNamespace == noProtocol.socketIoNamespace ? QString() : p.socketIoNamespace},
        {"auth", QString::fromUtf8(p.socketIoAuth)},
        {"stomp host", p.stompHost},
        {"stomp login", p.stompLogin},
        {"stomp passcode", p.stompPasscode},
        {"mqtt client id", p.mqttClientId},
        {"mqtt username", p.mqttUsername},
        {"mqtt password", p.mqttPassword},
        {"graphql init", QString::fromUtf8(p.graphqlInitPayload)},
        {"phoenix topic", p.phoenixTopic},
        {"actioncable channel", QString::fromUtf8(p.actionCableIdentifier)},
        {"wamp realm", p.wampRealm}};
    for (const auto &[name, value] : texts) {
        if (!value.isEmpty())
            lines.append(QLatin1StringView(name) + u' ' + value);
    }
    if (p.stompHeartbeatSendMs != noProtocol.stompHeartbeatSendMs ||
        p.stompHeartbeatReceiveMs != noProtocol.stompHeartbeatReceiveMs)
        lines.append(
            QStringLiteral("stomp heart-beat %1,%2").arg(p.stompHeartbeatSendMs).arg(p.stompHeartbeatReceiveMs));
    if (p.mqttKeepAliveSeconds != noProtocol.mqttKeepAliveSeconds)
        lines.append(QStringLiteral("mqtt keepalive %1").arg(p.mqttKeepAliveSeconds));
    static const char *const messageKinds[] = {"emit",   "subscribe", "send",    "publish", "query",
                                               "invoke", "push",      "perform", "call"};
    for (const ProtocolMessage &message : p.messages) {
        QString line = QLatin1StringView(messageKinds[int(message.kind)]) + u' ' + message.target;
        if (!message.event.isEmpty())
            line += QStringLiteral(" event ") + message.event;
        if (!message.body.isEmpty())
            line += QStringLiteral(" body ") + QString::fromUtf8(message.body);
        for (const QByteArray &arg : message.args)
            line += QStringLiteral(" arg ") + QString::fromUtf8(arg);
        if (message.ack)
            line += QStringLiteral(" ack");
        lines.append(line);
    }

    if (session.rules)
        lines.append(QStringLiteral("rules ") + session.rules->describe() + QStringLiteral(" from ") +
                     QString::number(session.rulesDocument.size()) + QStringLiteral(" bytes"));
    if (arguments.json)
        lines.append(QStringLiteral("json"));
    if (!arguments.recordFile.isEmpty())
        lines.append(QStringLiteral("record ") + arguments.recordFile);
    if (arguments.onRecordError == ConnectArguments::OnRecordError::Continue)
        lines.append(QStringLiteral("on record error continue"));
    if (arguments.profileAwaitingSecrets)
        lines.append(QStringLiteral("awaiting secrets"));
    lines += ProtoArgumentCase::summary(arguments.binarySchema);
    return lines;
}

const QByteArray sessionRules = R"({"rules": [{"name": "slow", "from": "client", "action": "delay", "ms": 300},
                                             {"action": "no-pong", "enabled": false}]})";

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"--proto and --proto-message", QStringList{url} + ProtoArgumentCase::arguments(), {ProtoArgumentCase::line()}},
        {"URL only", {url}, {}},
        {"URL after --", {s("--json"), s("--"), url}, {s("json")}},

        {"--header", {url, s("--header"), s("X-A: 1")}, {s("header X-A: 1")}},
        {"-H, --header=, -HVALUE repeated in order",
         {url, s("-H"), s("X-A: 1"), s("-HX-B:2"), s("--header=X-A:  3 ")},
         {s("header X-A: 1"), s("header X-B: 2"), s("header X-A: 3")}},
        {"--subprotocol repeated in order",
         {url, s("--subprotocol"), s("v2"), s("--subprotocol=v1")},
         {s("subprotocol v2"), s("subprotocol v1")}},
        {"--origin", {url, s("--origin"), s("https://o.test")}, {s("origin https://o.test")}},
        {"--no-deflate", {url, s("--no-deflate")}, {s("no deflate")}},

        {"--send, --send-hex and --ping in command-line order",
         {url, s("--ping"), s("--send"), s("hello"), s("--send-hex"), s("00 ff:10"), s("--ping"), s("pingtext"),
          s("--send=zweite ü")},
         {s("ping ''"), s("text hello"), s("binary 00ff10"), s("ping 'pingtext'"), s("text zweite ü")}},
        {"--send-hex upper case and tabs", {url, s("--send-hex"), s("AB\tCD")}, {s("binary abcd")}},
        {"--ping before the URL takes no value", {s("--ping"), url}, {s("ping ''")}},
        {"--ping before a flag takes no value", {url, s("--ping"), s("--json")}, {s("ping ''"), s("json")}},
        {"--ping after the URL takes a URL-like value", {url, s("--ping"), s("ws://x/")}, {s("ping 'ws://x/'")}},
        {"--ping= is an empty payload", {url, s("--ping=")}, {s("ping ''")}},
        {"--ping=-x starts with a dash", {url, s("--ping=-x")}, {s("ping '-x'")}},
        {"--ping of 125 bytes", {url, s("--ping"), QString(125, u'p')}, {s("ping '%1'").arg(QString(125, u'p'))}},

        {"--protocol socketio with --namespace, --auth, --emit, --arg and --ack",
         {url, s("--protocol"), s("socketio"), s("--namespace"), s("/chat"), s("--auth"), s("{\"t\":1}"), s("--emit"),
          s("hello"), s("--arg"), s("\"x\""), s("--arg"), s("2"), s("--ack"), s("--emit"), s("bye")},
         {s("protocol socket.io"), s("namespace /chat"), s("auth {\"t\":1}"), s("emit hello arg \"x\" arg 2 ack"),
          s("emit bye")}},
        {"--protocol stomp with its handshake and messages",
         {url, s("--protocol"), s("stomp"), s("--stomp-host"), s("vh"), s("--stomp-login"), s("guest"),
          s("--stomp-passcode"), s("pw:1"), s("--stomp-heartbeat"), s("0,5000"), s("--subscribe"), s("/topic/a"),
          s("--stomp-send"), s("/queue/b"), s("hello there")},
         {s("protocol stomp"), s("stomp host vh"), s("stomp login guest"), s("stomp passcode pw:1"),
          s("stomp heart-beat 0,5000"), s("subscribe /topic/a"), s("send /queue/b body hello there")}},
        {"--protocol mqtt with its handshake and messages",
         {url, s("--protocol=mqtt"), s("--mqtt-client-id"), s("c1"), s("--mqtt-keepalive"), s("5"),
          s("--mqtt-username"), s("u"), s("--mqtt-password"), s("p"), s("--publish"), s("prices/eur"), s("1.08"),
          s("--subscribe"), s("prices/#")},
         {s("protocol mqtt"), s("mqtt client id c1"), s("mqtt username u"), s("mqtt password p"), s("mqtt keepalive 5"),
          s("publish prices/eur body 1.08"), s("subscribe prices/#")}},
        {"--protocol graphql-ws with --graphql-init and --graphql-subscribe",
         {url, s("--protocol"), s("graphql-ws"), s("--graphql-init"), s("{}"), s("--graphql-subscribe"), s("{ a }")},
         {s("protocol graphql-ws"), s("graphql init {}"), s("query  body { a }")}},
        {"--protocol phoenix --phoenix-topic",
         {url, s("--protocol"), s("phoenix"), s("--phoenix-topic"), s("room:lobby")},
         {s("protocol phoenix"), s("phoenix topic room:lobby")}},
        {"--protocol actioncable --actioncable-channel",
         {url, s("--protocol"), s("actioncable"), s("--actioncable-channel"), s("{\"channel\":\"C\"}")},
         {s("protocol actioncable"), s("actioncable channel {\"channel\":\"C\"}")}},
        {"--protocol wamp with --wamp-realm, --wamp-subscribe and --wamp-call with arguments",
         {url, s("--protocol"), s("wamp"), s("--wamp-realm"), s("realm1"), s("--wamp-subscribe"), s("com.t"),
          s("--wamp-call"), s("com.add"), s("--arg"), s("2"), s("--arg"), s("[3]")},
         {s("protocol wamp"), s("wamp realm realm1"), s("subscribe com.t"), s("call com.add arg 2 arg [3]")}},
        {"--protocol signalr with --invoke, --arg and --ack",
         {url, s("--protocol"), s("signalr"), s("--invoke"), s("Add"), s("--arg"), s("1"), s("--arg"), s("2"),
          s("--ack"), s("--invoke"), s("Log")},
         {s("protocol signalr"), s("invoke Add arg 1 arg 2 ack"), s("invoke Log")}},
        {"--protocol phoenix with --push TOPIC EVENT and its --arg payload",
         {url, s("--protocol"), s("phoenix"), s("--phoenix-topic"), s("room:lobby"), s("--push"), s("room:lobby"),
          s("new_msg"), s("--arg"), s("{\"body\":\"hi\"}"), s("--push"), s("room:lobby"), s("ping")},
         {s("protocol phoenix"), s("phoenix topic room:lobby"),
          s("push room:lobby event new_msg body {\"body\":\"hi\"}"), s("push room:lobby event ping")}},
        {"--protocol actioncable with --perform and its --arg data",
         {url, s("--protocol"), s("actioncable"), s("--actioncable-channel"), s("{\"channel\":\"C\"}"), s("--perform"),
          s("speak"), s("--arg"), s("{\"body\":\"hi\"}")},
         {s("protocol actioncable"), s("actioncable channel {\"channel\":\"C\"}"),
          s("perform speak body {\"body\":\"hi\"}")}},
        {"--protocol auto --no-protocol-heartbeat takes any protocol's flags",
         {url, s("--protocol"), s("auto"), s("--no-protocol-heartbeat"), s("--namespace"), s("/n")},
         {s("protocol auto"), s("no protocol heartbeat"), s("namespace /n")}},
        {"--protocol none", {url, s("--protocol"), s("none")}, {}},

        {"--close", {url, s("--close")}, {s("close 1000 ''")}},
        {"--close CODE", {url, s("--close"), s("4001")}, {s("close 4001 ''")}},
        {"--close CODE REASON", {url, s("--close"), s("4001"), s("see you")}, {s("close 4001 'see you'")}},
        {"--close=CODE REASON", {url, s("--close=1000"), s("bye")}, {s("close 1000 'bye'")}},
        {"--close before the URL", {s("--close"), url}, {s("close 1000 ''")}},
        {"--close CODE before the URL", {s("--close"), s("3000"), url}, {s("close 3000 ''")}},
        {"--close reason of 123 bytes",
         {url, s("--close"), s("1000"), QString(123, u'r')},
         {s("close 1000 '%1'").arg(QString(123, u'r'))}},
        {"--close given twice: the last", {url, s("--close"), s("4001"), s("a"), s("--close")}, {s("close 1000 ''")}},
        {"--duration", {url, s("--duration"), s("2.5")}, {s("duration 2.5")}},
        {"--no-auto-pong", {url, s("--no-auto-pong")}, {s("no auto-pong")}},
        {"--rules",
         {url, s("--rules"), s("DIR/rules.json")},
         {QStringLiteral("rules slow (delay), rules[1] (no-pong, off) from %1 bytes").arg(sessionRules.size())}},

        {"--ping-interval", {url, s("--ping-interval"), s("2s")}, {s("heartbeat ping every 2000 ms")}},
        {"--ping-interval plain seconds with --pong-timeout",
         {url, s("--ping-interval"), s("2"), s("--pong-timeout"), s("500ms")},
         {s("heartbeat ping every 2000 ms"), s("reply timeout 500 ms")}},
        {"--heartbeat-message with --heartbeat-interval",
         {url, s("--heartbeat-message"), s("{\"op\":\"hb\"}"), s("--heartbeat-interval"), s("1m")},
         {s("heartbeat app every 60000 ms"), s("heartbeat message {\"op\":\"hb\"}")}},
        {"--heartbeat SPEC",
         {url, s("--heartbeat"), s("ping:20,timeout=10")},
         {s("heartbeat ping every 20000 ms"), s("reply timeout 10000 ms")}},
        {"--heartbeat app SPEC sends an Engine.IO ping",
         {url, s("--heartbeat"), s("app:25")},
         {s("heartbeat app every 25000 ms"), s("heartbeat message 2")}},
        {"--heartbeat none", {url, s("--heartbeat=none")}, {}},
        {"--dead-after and --on-dead abort",
         {url, s("--ping-interval"), s("1"), s("--dead-after"), s("3"), s("--on-dead"), s("abort")},
         {s("heartbeat ping every 1000 ms"), s("dead after 3"), s("when dead abort")}},
        {"--on-dead keep",
         {url, s("--ping-interval=1"), s("--on-dead=keep")},
         {s("heartbeat ping every 1000 ms"), s("when dead keep")}},
        {"--on-dead close", {url, s("--ping-interval=1"), s("--on-dead=close")}, {s("heartbeat ping every 1000 ms")}},
        {"--stop-answering-pings-after",
         {url, s("--stop-answering-pings-after"), s("0")},
         {s("stop answering pings after 0")}},
        {"--reconnect", {url, s("--reconnect")}, {s("reconnect at most 0")}},
        {"--reconnect MAX", {url, s("--reconnect"), s("5")}, {s("reconnect at most 5")}},
        {"--reconnect=MAX", {url, s("--reconnect=0")}, {s("reconnect at most 0")}},
        {"--reconnect before the URL", {s("--reconnect"), url}, {s("reconnect at most 0")}},
        {"--reconnect before a positional word takes no value",
         {s("--reconnect"), s("--json"), url},
         {s("reconnect at most 0"), s("json")}},
        {"--reconnect-delay",
         {url, s("--reconnect"), s("--reconnect-delay"), s("500ms")},
         {s("reconnect at most 0"), s("reconnect delay 500 to 30000 ms")}},
        {"--reconnect-delay above the largest delay raises it",
         {url, s("--reconnect-delay"), s("1m"), s("--reconnect"), s("2")},
         {s("reconnect at most 2"), s("reconnect delay 60000 to 60000 ms")}},

        {"--tolerant", {url, s("--tolerant")}, {s("tolerant")}},
        {"--max-message", {url, s("--max-message"), s("1000")}, {s("max message 1000"), s("max frame 1000")}},

        {"--insecure", {url, s("--insecure")}, {s("insecure")}},
        {"--ca", {url, s("--ca"), s("DIR/ca.pem")}, {s("ca ca.pem")}},
        {"--cert with --key",
         {url, s("--cert=DIR/client.pem"), s("--key"), s("DIR/client.key")},
         {s("cert client.pem"), s("key client.key")}},
        {"--proxy http", {url, s("--proxy"), s("http://u:p@127.0.0.1:3128")}, {s("proxy http://u:p@127.0.0.1:3128")}},
        {"--proxy socks5", {url, s("--proxy"), s("SOCKS5://127.0.0.1:1080")}, {s("proxy socks5://127.0.0.1:1080")}},

        {"--json", {url, s("--json")}, {s("json")}},
        {"--record", {url, s("--record"), s("DIR/run.wsirec")}, {s("record DIR/run.wsirec")}},
        {"--on-record-error continue",
         {url, s("--record"), s("run.wsirec"), s("--on-record-error"), s("continue")},
         {s("record run.wsirec"), s("on record error continue")}},
        {"--on-record-error close (the default)",
         {url, s("--record"), s("run.wsirec"), s("--on-record-error=close")},
         {s("record run.wsirec")}},
        {"wss URL with a path", {s("wss://h.test:8443/feed?x=1")}, {s("url wss://h.test:8443/feed?x=1")}},
    };
}

// Profiles in the test's profile directory ($WSI_PROFILE_DIR); "DIR/" stands for the test's temporary directory.
QList<ArgumentCase> profileCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    const QStringList echo = {s("url ws://profile.test/feed"), s("header X-From-Profile: yes"),
                              s("header X-Tenant: acme"),      s("subprotocol v1"),
                              s("text from-profile"),          s("heartbeat ping every 20000 ms")};
    return {
        {"--profile NAME", {s("--profile"), s("Echo")}, echo},
        {"--profile FILE", {s("--profile"), s("DIR/echo.json")}, echo},
        {"a URL replaces the profile's",
         {s("--profile=Echo"), url},
         {s("header X-From-Profile: yes"), s("header X-Tenant: acme"), s("subprotocol v1"), s("text from-profile"),
          s("heartbeat ping every 20000 ms")}},
        {"-H replaces the profile's headers of that name",
         {s("--profile=Echo"), s("-H"), s("x-from-profile: flag"), s("-H"), s("X-From-Profile: again")},
         {s("url ws://profile.test/feed"), s("header X-Tenant: acme"), s("header x-from-profile: flag"),
          s("header X-From-Profile: again"), s("subprotocol v1"), s("text from-profile"),
          s("heartbeat ping every 20000 ms")}},
        {"--subprotocol replaces the profile's, then appends",
         {s("--profile=Echo"), s("--subprotocol"), s("v2"), s("--subprotocol"), s("v3")},
         {s("url ws://profile.test/feed"), s("header X-From-Profile: yes"), s("header X-Tenant: acme"),
          s("subprotocol v2"), s("subprotocol v3"), s("text from-profile"), s("heartbeat ping every 20000 ms")}},
        {"flags before --profile override it too",
         {s("--send"), s("from-flag"), s("--ping"), s("--profile"), s("Echo")},
         {s("url ws://profile.test/feed"), s("header X-From-Profile: yes"), s("header X-Tenant: acme"),
          s("subprotocol v1"), s("text from-flag"), s("ping ''"), s("heartbeat ping every 20000 ms")}},
        {"a heartbeat flag replaces the profile's heartbeat",
         {s("--profile=Echo"), s("--heartbeat-message"), s("hb"), s("--heartbeat-interval"), s("5s")},
         {s("url ws://profile.test/feed"), s("header X-From-Profile: yes"), s("header X-Tenant: acme"),
          s("subprotocol v1"), s("text from-profile"), s("heartbeat app every 5000 ms"), s("heartbeat message hb")}},
        {"--var fills in a variable",
         {s("--profile=Echo"), s("--var"), s("tenant=globex")},
         {s("url ws://profile.test/feed"), s("header X-From-Profile: yes"), s("header X-Tenant: globex"),
          s("subprotocol v1"), s("text from-profile"), s("heartbeat ping every 20000 ms")}},
        {"the last --var wins",
         {s("--profile=Echo"), s("--var=tenant=a"), s("--var"), s("tenant=b=c")},
         {s("url ws://profile.test/feed"), s("header X-From-Profile: yes"), s("header X-Tenant: b=c"),
          s("subprotocol v1"), s("text from-profile"), s("heartbeat ping every 20000 ms")}},
        {"a variable in the command line's URL",
         {s("--profile=Echo"), s("ws://h.test/{{tenant}}?t={{tenant}}")},
         {s("url ws://h.test/acme?t=acme"), s("header X-From-Profile: yes"), s("header X-Tenant: acme"),
          s("subprotocol v1"), s("text from-profile"), s("heartbeat ping every 20000 ms")}},
        {"a secret waits for the keychain",
         {s("--profile"), s("Secret")},
         {s("url ws://profile.test/secret"), s("header Authorization: {{secret}}"), s("awaiting secrets")}},
        {"a secret given on the command line",
         {s("--profile"), s("Secret"), s("-H"), s("Authorization: Bearer given")},
         {s("url ws://profile.test/secret"), s("header Authorization: Bearer given")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    QString durationError;
    DurationText::parseMs(u"soon", &durationError);
    QString presetError;
    HeartbeatSpec::parse(u"carrier-pigeon", Endpoint::Client, HeartbeatPresets::builtIn(), &presetError);
    SessionOptions badHeader;
    badHeader.url = QUrl(url);
    badHeader.headers.append("Bad Name", "x");
    return {
        {"unknown flag", {url, s("--frobnicate")}, s("unknown option '--frobnicate'")},
        {"--protocol unknown",
         {url, s("--protocol"), s("xmpp")},
         s("--protocol 'xmpp': expected socketio, stomp, mqtt, graphql-transport-ws, graphql-ws, signalr, phoenix, "
           "actioncable, sockjs, wamp, jsonrpc, auto or none")},
        {"--namespace without a slash",
         {url, s("--protocol"), s("socketio"), s("--namespace"), s("chat")},
         s("--namespace 'chat': a namespace starts with '/' and has no ','")},
        {"--auth not an object",
         {url, s("--protocol"), s("socketio"), s("--auth"), s("[1]")},
         s("--auth '[1]': expected a JSON object ({...})")},
        {"--arg before --emit",
         {url, s("--protocol"), s("socketio"), s("--arg"), s("1")},
         s("--arg belongs to an --emit, --invoke, --wamp-call, --push or --perform: give it after one")},
        {"--ack before --emit",
         {url, s("--ack")},
         s("--ack belongs to an --emit EVENT or --invoke METHOD: give it after one")},
        {"--ack after --push",
         {url, s("--protocol"), s("phoenix"), s("--push"), s("t"), s("e"), s("--ack")},
         s("--ack belongs to an --emit EVENT or --invoke METHOD: give it after one")},
        {"--push without its EVENT",
         {url, s("--protocol"), s("phoenix"), s("--push"), s("room:lobby")},
         s("--push: expected TOPIC and then EVENT")},
        {"--perform data not an object",
         {url, s("--protocol"), s("actioncable"), s("--perform"), s("speak"), s("--arg"), s("[1]")},
         s("--arg '[1]': expected a JSON object ({...})")},
        {"--push payload given twice",
         {url, s("--protocol"), s("phoenix"), s("--push"), s("t"), s("e"), s("--arg"), s("{}"), s("--arg"), s("{}")},
         s("--arg: the --push before it has its payload already")},
        {"--invoke with another protocol",
         {url, s("--protocol"), s("socketio"), s("--invoke"), s("Add")},
         s("--invoke is for --protocol signalr")},
        {"--wamp-call without --wamp-realm",
         {url, s("--protocol"), s("wamp"), s("--wamp-call"), s("com.add")},
         s("--wamp-subscribe and --wamp-call need --wamp-realm: a WAMP session starts with HELLO to a realm")},
        {"--stomp-heartbeat one number",
         {url, s("--protocol"), s("stomp"), s("--stomp-heartbeat"), s("100")},
         s("--stomp-heartbeat '100': expected CX,CY, two whole numbers of milliseconds, 0 or more (STOMP 1.2 "
           "heart-beat)")},
        {"--stomp-login with an end of line",
         {url, s("--protocol"), s("stomp"), s("--stomp-login"), s("a\nb")},
         s("--stomp-login: a STOMP CONNECT header value cannot hold an end of line or NUL (CONNECT headers are not "
           "escaped, STOMP 1.2 \"Value Encoding\")")},
        {"--stomp-send without a body",
         {url, s("--protocol"), s("stomp"), s("--stomp-send"), s("/q")},
         s("--stomp-send: expected DEST and then BODY")},
        {"--mqtt-keepalive too large",
         {url, s("--protocol"), s("mqtt"), s("--mqtt-keepalive"), s("70000")},
         s("--mqtt-keepalive '70000': expected whole seconds from 0 to 65535 (MQTT 3.1.1 §3.1.2.10)")},
        {"--publish to a wildcard",
         {url, s("--protocol"), s("mqtt"), s("--publish"), s("a/#"), s("x")},
         s("--publish 'a/#': a topic to publish to has no wildcards '#' or '+' (MQTT 3.1.1 §4.7.1)")},
        {"--graphql-init not JSON",
         {url, s("--protocol"), s("graphql-ws"), s("--graphql-init"), s("{")},
         s("--graphql-init '{': line 1, column 2: expected a member name (a string in double quotes) or '}', found the "
           "end of the file")},
        {"a protocol's flag with another protocol",
         {url, s("--protocol"), s("mqtt"), s("--namespace"), s("/n")},
         s("--namespace is for --protocol socketio")},
        {"a protocol's flag without --protocol",
         {url, s("--subscribe"), s("/t")},
         s("--subscribe is for --protocol stomp or --protocol mqtt")},
        {"--no-protocol-heartbeat without --protocol",
         {url, s("--no-protocol-heartbeat")},
         s("--no-protocol-heartbeat needs --protocol (the protocol whose heartbeat to leave unanswered)")},
        {"unknown flag with a value", {url, s("--frobnicate=1")}, s("unknown option '--frobnicate'")},
        {"unknown short flag", {url, s("-x")}, s("unknown option '-x'")},
        {"value for a flag without one", {url, s("--json=yes")}, s("option '--json' takes no value")},
        {"missing value", {url, s("--send")}, s("option '--send' needs a value")},
        {"missing value after -H", {url, s("-H")}, s("option '-H' needs a value")},
        {"second URL", {url, s("ws://b.test/")}, s("unexpected argument 'ws://b.test/' (the URL is 'ws://h.test/')")},
        {"URL missing",
         {s("--send"), s("hi")},
         s("missing the URL to connect to (ws://host[:port][/path] or wss://...)")},
        {"port out of range",
         {s("ws://h.test:99999/")},
         s("URL 'ws://h.test:99999/': port 99999 is out of range 1-65535")},
        {"port not a number", {s("ws://h.test:80a/")}, s("URL 'ws://h.test:80a/': port '80a' is not a number")},
        {"URL not ws",
         {s("http://h.test/")},
         s("URL 'http://h.test/': the scheme is http: a WebSocket URL starts with ws:// or wss:// (ws:// for "
           "http://)")},
        {"URL without host", {s("ws:///path")}, s("URL 'ws:///path': it has no host: write ws://host[:port]/path")},

        {"header without colon", {url, s("-H"), s("NoColon")}, s("-H 'NoColon': expected \"Name: value\"")},
        {"header without name", {url, s("--header"), s(" : v")}, s("--header ' : v': expected \"Name: value\"")},
        {"header the handshake cannot carry", {url, s("-H"), s("Bad Name: x")}, checkHandshakeOptions(badHeader)},
        {"bad hex", {url, s("--send-hex"), s("0g")}, s("--send-hex '0g': 'g' is not a hexadecimal digit (position 2)")},
        {"odd hex",
         {url, s("--send-hex"), s("abc")},
         s("--send-hex 'abc': odd number of hexadecimal digits (3); each byte needs two")},
        {"ping too long",
         {url, s("--ping"), QString(126, u'p')},
         s("--ping: the payload is 126 bytes; a ping carries at most 125 (RFC 6455 §5.5)")},
        {"close code not a number",
         {url, s("--close"), s("soon")},
         s("--close 'soon': not a close code (1000-1003, 1007-1014 or 3000-4999)")},
        {"close code too large",
         {url, s("--close=70000")},
         s("--close '70000': not a close code (1000-1003, 1007-1014 or 3000-4999)")},
        {"close code not for the wire",
         {url, s("--close"), s("1006")},
         s("--close 1006: ") + CloseCodes::whyInvalidOnWire(1006)},
        {"close reason too long",
         {url, s("--close"), s("1000"), QString(124, u'r')},
         s("--close: the reason is 124 bytes in UTF-8; a Close frame has room for 123 (RFC 6455 §5.5)")},
        {"duration zero",
         {url, s("--duration"), s("0")},
         s("--duration '0': expected a number of seconds greater than 0")},
        {"duration negative",
         {url, s("--duration"), s("-1")},
         s("--duration '-1': expected a number of seconds greater than 0")},
        {"duration not a number",
         {url, s("--duration=inf")},
         s("--duration 'inf': expected a number of seconds greater than 0")},

        {"ping interval not a duration",
         {url, s("--ping-interval"), s("soon")},
         s("--ping-interval 'soon': ") + durationError},
        {"ping interval too short",
         {url, s("--ping-interval"), s("1ms")},
         s("--ping-interval '1ms': must be at least 10 ms")},
        {"heartbeat interval too short",
         {url, s("--heartbeat-message"), s("hb"), s("--heartbeat-interval"), s("5ms")},
         s("--heartbeat-interval '5ms': must be at least 10 ms")},
        {"pong timeout zero",
         {url, s("--ping-interval=1"), s("--pong-timeout"), s("0")},
         s("--pong-timeout '0': must be at least 1 ms")},
        {"pong timeout without a heartbeat",
         {url, s("--pong-timeout"), s("1")},
         s("--pong-timeout needs a heartbeat that expects a reply (--ping-interval, --heartbeat-message or a "
           "--heartbeat with pings)")},
        {"empty heartbeat message",
         {url, s("--heartbeat-message="), s("--heartbeat-interval=1")},
         s("--heartbeat-message: the message is empty")},
        {"heartbeat message without interval",
         {url, s("--heartbeat-message"), s("hb")},
         s("--heartbeat-message needs --heartbeat-interval S (how often)")},
        {"heartbeat interval without message",
         {url, s("--heartbeat-interval"), s("1")},
         s("--heartbeat-interval needs --heartbeat-message TEXT (what to send)")},
        {"ping and app heartbeat",
         {url, s("--ping-interval"), s("1"), s("--heartbeat-message"), s("hb"), s("--heartbeat-interval"), s("1")},
         s("--ping-interval (protocol pings) and --heartbeat-message/--heartbeat-interval (an application message) "
           "are two kinds of heartbeat: choose one")},
        {"heartbeat with ping interval",
         {url, s("--heartbeat"), s("ping:5"), s("--ping-interval"), s("1")},
         s("--heartbeat sets the whole heartbeat; it does not combine with --ping-interval, --heartbeat-message or "
           "--heartbeat-interval")},
        {"unknown heartbeat preset", {url, s("--heartbeat"), s("carrier-pigeon")}, s("--heartbeat ") + presetError},
        {"dead after zero",
         {url, s("--ping-interval=1"), s("--dead-after"), s("0")},
         s("--dead-after '0': expected a number of missed pongs, 1 or more")},
        {"dead after without awaited replies",
         {url, s("--dead-after"), s("2")},
         s("--dead-after needs a heartbeat whose replies are awaited (--ping-interval, or --heartbeat-message with "
           "--pong-timeout)")},
        {"on dead without awaited replies",
         {url, s("--heartbeat-message=hb"), s("--heartbeat-interval=1"), s("--on-dead"), s("abort")},
         s("--on-dead needs a heartbeat whose replies are awaited (--ping-interval, or --heartbeat-message with "
           "--pong-timeout)")},
        {"unknown on dead",
         {url, s("--ping-interval=1"), s("--on-dead"), s("later")},
         s("--on-dead 'later': expected close, abort or keep")},
        {"stop answering count negative",
         {url, s("--stop-answering-pings-after"), s("-3")},
         s("--stop-answering-pings-after '-3': expected a number of pings, 0 or more")},
        {"reconnect max not a number",
         {url, s("--reconnect=many")},
         s("--reconnect 'many': expected the largest number of attempts in a row (0: no limit)")},
        {"reconnect max negative",
         {url, s("--reconnect=-1")},
         s("--reconnect '-1': expected the largest number of attempts in a row (0: no limit)")},
        {"reconnect delay without reconnect",
         {url, s("--reconnect-delay"), s("1")},
         s("--reconnect-delay needs --reconnect")},
        {"reconnect delay not a duration",
         {url, s("--reconnect"), s("--reconnect-delay"), s("soon")},
         s("--reconnect-delay 'soon': ") + durationError},

        {"max message zero",
         {url, s("--max-message"), s("0")},
         s("--max-message '0': expected a number of bytes greater than 0")},
        {"ca missing", {url, s("--ca"), s("DIR/none.pem")}, s("--ca 'DIR/none.pem': no such file")},
        {"rules missing",
         {url, s("--rules"), s("DIR/none.json")},
         s("--rules cannot read DIR/none.json: No such file or directory")},
        {"rules wrong",
         {url, s("--rules"), s("DIR/not-pem.txt")},
         s("--rules DIR/not-pem.txt: not JSON: illegal value at line 1, column 2 (offset 1)")},
        {"rules for a relay",
         {url, s("--rules"), s("DIR/relay-rules.json")},
         s("--rules DIR/relay-rules.json: rules[1].action: \"throttle\" acts on a relay between two ends; a "
           "session can use pass, drop, delay, no-pong, delay-pong, stall, replace (from the client), inject (to "
           "the server)")},
        {"cert is a directory", {url, s("--cert"), s("DIR/")}, s("--cert 'DIR/': not a readable file")},
        {"key missing", {url, s("--key=DIR/none.key")}, s("--key 'DIR/none.key': no such file")},
        {"ca not PEM",
         {s("wss://h/"), s("--ca"), s("DIR/not-pem.txt")},
         s("TLS: the CA file DIR/not-pem.txt holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)")},
        {"key not a key",
         {s("wss://h/"), s("--cert"), s("DIR/client.pem"), s("--key"), s("DIR/ca.pem")},
         s("TLS: the client key file DIR/ca.pem holds no unencrypted RSA or EC key in PEM form")},
        {"cert without key",
         {url, s("--cert"), s("DIR/client.pem")},
         s("--cert and --key go together: a client certificate needs its private key")},
        {"proxy of another scheme",
         {url, s("--proxy"), s("ftp://h.test")},
         s("--proxy 'ftp://h.test': expected http://[user:pass@]host:port or socks5://[user:pass@]host:port")},
        {"proxy without host",
         {url, s("--proxy"), s("http://")},
         s("--proxy 'http://': expected http://[user:pass@]host:port or socks5://[user:pass@]host:port")},
        {"record without a name", {url, s("--record=")}, s("--record: expected a file name")},
        {"on-record-error unknown",
         {url, s("--record"), s("run.wsirec"), s("--on-record-error"), s("ignore")},
         s("--on-record-error 'ignore': expected close or continue")},
        {"on-record-error without record",
         {url, s("--on-record-error"), s("continue")},
         s("--on-record-error says what to do when the recording fails: it needs --record FILE")},

        {"var without a profile",
         {url, s("--var"), s("tenant=x")},
         s("--var fills in the {{variables}} of a profile: it needs --profile")},
        {"var without =", {url, s("--var"), s("room")}, s("--var 'room': expected NAME=VALUE")},
        {"var with a bad name",
         {url, s("--var"), s("1st=hidden-value")},
         s("--var: '1st' is not a variable name (a letter or '_', then letters, digits, '_', '.' or '-'; \"secret\" "
           "is reserved)")},
        {"var with an empty value", {url, s("--var"), s("room=")}, s("--var room=: the value is empty")},
        {"profile missing", {s("--profile"), s("nope")}, s("--profile: no profile named 'nope' in DIR/profiles")},
        {"profile value missing", {url, s("--profile")}, s("option '--profile' needs a value")},
        {"profile error before an earlier flag's",
         {url, s("--duration=0"), s("--profile=nope")},
         s("--profile: no profile named 'nope' in DIR/profiles")},
        {"var the profile does not use",
         {s("--profile=Echo"), s("--var"), s("tennant=x")},
         s("--var tennant: profile 'Echo' has no variable 'tennant' (it has tenant)")},
        {"variable without a value",
         {s("--profile"), s("Open")},
         s("profile 'Open': no value for variable 'room'; give it with --var room=VALUE (or in $WSI_VAR_room)")},
    };
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class tst_ConnectArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void profiles_data() { Cases::addRows(profileCases()); }
    void profiles() { m_cases.checkParsed(); }
    void variablesFromTheEnvironment();
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help();
    void everyFlagHasACase()
    {
        m_cases.checkEveryFlagHasACase(flagCases() + profileCases(), {{u'H', QStringLiteral("header")}});
    }

private:
    using Cases = wsi::test::ArgumentCases<ConnectArguments>;
    QTemporaryDir m_dir;
    Cases m_cases{parseConnectArguments, summary, connectOptionNames()};
};

void tst_ConnectArguments::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cases.setDirectory(m_dir.path());
    QVERIFY(ProtoArgumentCase::writeProto(m_dir.path()));
    // Real PEM files: the TLS files are read while parsing, as the session would read them.
    for (const char *file : {"ca.pem", "client.pem", "client.key"})
        QVERIFY(QFile::copy(QLatin1StringView(WSI_TEST_TLS_DIR "/") + QLatin1StringView(file),
                            m_dir.filePath(QLatin1StringView(file))));
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("not-pem.txt")), "hello\n"));
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("rules.json")), sessionRules));
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("relay-rules.json")),
                      R"({"rules": [{"action": "drop"}, {"action": "throttle", "bytes_per_second": 10}]})"));

    // Profiles in a directory of the test's own, never the user's; no $WSI_VAR_ from the caller.
    const QString profiles = m_dir.filePath(QStringLiteral("profiles"));
    QVERIFY(QDir().mkpath(profiles));
    qputenv("WSI_PROFILE_DIR", profiles.toUtf8());
    for (const char *name : {"WSI_VAR_tenant", "WSI_VAR_room"})
        qunsetenv(name);

    SessionProfile echo;
    echo.name = QStringLiteral("Echo");
    echo.options.url = QUrl(QStringLiteral("ws://profile.test/feed"));
    echo.options.headers.append("X-From-Profile", "yes");
    echo.options.headers.append("X-Tenant", "{{tenant}}");
    echo.options.subprotocols = {QStringLiteral("v1")};
    echo.options.onConnectMessages = {{OnConnectMessage::Kind::Text, "from-profile"}};
    echo.options.heartbeat.kind = HeartbeatSettings::Kind::Ping;
    echo.options.heartbeat.intervalMs = 20000;
    echo.variables = {{QStringLiteral("tenant"), QStringLiteral("acme"), false}};

    SessionProfile secret;
    secret.name = QStringLiteral("Secret");
    secret.options.url = QUrl(QStringLiteral("ws://profile.test/secret"));
    secret.options.headers.append("Authorization", "Bearer hunter2");
    secret.options.secretHeaders = {QStringLiteral("Authorization")};

    SessionProfile open;
    open.name = QStringLiteral("Open");
    open.options.url = QUrl(QStringLiteral("ws://profile.test/{{room}}"));

    ProfileStore store(profiles);
    QString error;
    for (const SessionProfile &profile : {echo, secret, open})
        QVERIFY2(store.save(profile, &error), qPrintable(error));
    QVERIFY2(store.exportProfile(QStringLiteral("Echo"), m_dir.filePath(QStringLiteral("echo.json")), &error),
             qPrintable(error));
}

void tst_ConnectArguments::variablesFromTheEnvironment()
{
    qputenv("WSI_VAR_tenant", "initech");
    ConnectParseResult parsed = parseConnectArguments({QStringLiteral("--profile"), QStringLiteral("Echo")});
    QVERIFY2(parsed.arguments, qPrintable(parsed.error));
    QCOMPARE(parsed.arguments->session.headers.value("X-Tenant"), QByteArray("initech"));

    // --var wins over the environment.
    parsed = parseConnectArguments({QStringLiteral("--profile"), QStringLiteral("Echo"), QStringLiteral("--var"),
                                    QStringLiteral("tenant=globex")});
    qunsetenv("WSI_VAR_tenant");
    QVERIFY2(parsed.arguments, qPrintable(parsed.error));
    QCOMPARE(parsed.arguments->session.headers.value("X-Tenant"), QByteArray("globex"));
}

void tst_ConnectArguments::help()
{
    m_cases.checkHelp({url, QStringLiteral("--frobnicate"), QStringLiteral("-h")}, connectHelpText(),
                      {"Usage: wsinspector-cli connect [options] URL\n",
                       "wsinspector-cli connect --profile NAME|FILE [options] [URL]",
                       "\nProfile:\n",
                       "\nRequest:\n",
                       "\nTraffic (in command-line order, once the connection is open):\n",
                       "\nHeartbeat (while the connection is open;",
                       "\nProtocol and limits:\n",
                       "\nTLS and proxy:\n",
                       "\nOutput:\n",
                       "  -H, --header \"Name: value\"  Extra request header",
                       "--ping [TEXT]",
                       "--close [CODE [REASON]]",
                       "--reconnect [MAX]",
                       "--on-dead close|abort|keep",
                       "  Secrets (header values",
                       "Optional values:",
                       "  -h, --help",
                       "\nExit status:\n",
                       "  4  --record",
                       "--on-record-error close|continue"});
    // Even as the value a flag would take.
    m_cases.checkHelp({QStringLiteral("--send"), QStringLiteral("--help")}, connectHelpText(), {});
}

QTEST_GUILESS_MAIN(tst_ConnectArguments)
#include "tst_connectarguments.moc"
