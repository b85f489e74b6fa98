// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ConnectArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ArgumentValues.h"
#include "app/cli/ProfilesArguments.h"
#include "app/cli/ProtoSchemaArgument.h"
#include "core/appprotocol/MqttPackets.h"
#include "core/appprotocol/SocketIoMessages.h"
#include "core/appprotocol/StompFrames.h"
#include "core/exchange/JsonInput.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/ProfileVariables.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/protocol/WebSocketUrl.h"
#include "core/rules/RuleFile.h"
#include "core/session/SessionRules.h"
#include "core/session/TlsSetup.h"
#include "core/text/DurationText.h"
#include "core/text/HexBytes.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <cmath>

namespace wsi::cli {
namespace {

// QTimer takes milliseconds as an int.
constexpr double maxDurationSeconds = 2147483.0;
// RFC 6455 §5.5: control frame payloads are at most 125 bytes, so a Close reason is at most 123 after the code.
constexpr qsizetype maxPingPayload = 125;
constexpr qsizetype maxCloseReason = 123;
// Below this a heartbeat is a flood, not a keepalive.
constexpr qint64 minHeartbeatIntervalMs = 10;

// A whole number in [minimum, INT_MAX], or nothing.
std::optional<int> parseCount(const QString &text, int minimum)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum)
        return std::nullopt;
    return value;
}

bool isWholeNumber(const QString &text)
{
    bool ok = false;
    text.toInt(&ok);
    return ok;
}

// What connect's rows build: the arguments, and what the flags leave for finish() to combine once all are known.
struct ConnectBuilder {
    ProtoSchemaArgument proto; // --proto, --proto-message
    ConnectArguments out;
    std::optional<QString> url;

    // --profile: the profile's options are the starting point and the other flags override them. A repeatable
    // flag replaces the profile's list on its first use (the profile's -H of the same name, its subprotocols, its
    // on-connect messages) and appends after that, as it would without a profile.
    std::optional<SessionProfile> profile;
    QSet<QByteArray> overriddenHeaders; // lower-case names
    bool subprotocolsOverridden = false;
    bool messagesOverridden = false;
    // --var NAME=VALUE in command-line order (a later one wins).
    QList<QPair<QString, QString>> variables;

    // The heartbeat flags, combined in finishHeartbeat().
    std::optional<HeartbeatSpec> heartbeatSpec; // --heartbeat
    std::optional<qint64> pingIntervalMs;
    std::optional<qint64> pongTimeoutMs;
    std::optional<QByteArray> heartbeatMessage;
    std::optional<qint64> heartbeatIntervalMs;
    std::optional<int> deadAfter;
    std::optional<HeartbeatSettings::WhenDead> onDead;
    std::optional<int> stopAnsweringAfter;
    std::optional<qint64> reconnectDelayMs;
    std::optional<std::pair<QString, QString>> rulesFile; // --rules: as written, and the path
    bool onRecordErrorGiven = false;                      // meaningful with --record only
    // Protocol flags given, each with the protocols it belongs to, checked against --protocol in finish().
    QList<QPair<QString, QList<AppProtocol>>> protocolFlags;

    QString loadProfile(const QString &reference);
    QString setUrl(const QString &argument);
    QString addHeader(const ArgumentOccurrence &flag);
    QString addSubprotocol(const QString &name);
    QString addMessage(OnConnectMessage::Kind kind, const QByteArray &payload);
    QString addPing(const ArgumentOccurrence &flag);
    QString setClose(const ArgumentOccurrence &flag);
    QString setReconnect(const ArgumentOccurrence &flag);
    QString addVariable(const ArgumentOccurrence &flag);
    QString setProtocol(const ArgumentOccurrence &flag);
    QString addProtocolMessage(const ArgumentOccurrence &flag, ProtocolMessage::Kind kind,
                               const QList<AppProtocol> &protocols);
    QString addEmitPart(const ArgumentOccurrence &flag);
    void noteProtocolFlag(const ArgumentOccurrence &flag, const QList<AppProtocol> &protocols);
    QString finish();

private:
    QString finishHeartbeat();
    QString finishProtocol();
    QString finishRules();
    QString fillProfileValues();
};

using ConnectRow = ArgumentRow<ConnectBuilder>;

// A row's apply() for a flag that has nothing to check and sets one thing.
template<typename Set>
auto setting(Set set)
{
    return [set](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
        set(builder, flag.value());
        return QString();
    };
}

// A row's apply() for a heartbeat duration (500ms, 2s, 1m; plain seconds) of at least minimumMs.
auto duration(std::optional<qint64> ConnectBuilder::*target, qint64 minimumMs)
{
    return [target, minimumMs](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
        QString error;
        const auto ms = DurationText::parseMs(flag.value(), &error);
        if (!ms)
            return QStringLiteral("%1 '%2': %3").arg(flag.written, flag.value(), error);
        if (*ms < minimumMs)
            return QStringLiteral("%1 '%2': must be at least %3")
                .arg(flag.written, flag.value(), DurationText::format(minimumMs));
        builder.*target = *ms;
        return QString();
    };
}

// A row's apply() for --ca, --cert and --key: the file must be there and readable before anything connects.
auto tlsFile(QString TlsOptions::*target)
{
    return [target](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
        QString error = ArgumentValues::checkReadableFile(flag.written, flag.value());
        if (error.isEmpty())
            builder.out.session.tls.*target = flag.value();
        return error;
    };
}

// The --protocol names: AppProtocols' names, and "socketio" as users write it.
std::optional<AppProtocol> protocolFromFlag(const QString &name)
{
    if (name == QLatin1StringView("socketio"))
        return AppProtocol::SocketIo;
    return AppProtocols::fromName(name);
}

// A JSON value as a flag's value (--arg), or why it is not one: as the window says it of its fields.
QString checkJsonValue(const ArgumentOccurrence &flag, bool objectOnly)
{
    const QString field = QStringLiteral("%1 '%2'").arg(flag.written, flag.value());
    QString problem = JsonInput::valueProblem(field, flag.value()); // an empty value too
    if (problem.isEmpty() && objectOnly)
        problem = JsonInput::objectProblem(field, flag.value());
    return problem;
}

// A row's apply() for a protocol setting that takes the value as it is, after `check` found nothing wrong.
auto protocolText(QString AppProtocolSettings::*target, QList<AppProtocol> protocols,
                  QString (*check)(const ArgumentOccurrence &) = nullptr)
{
    return [target, protocols, check](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
        if (check) {
            if (QString error = check(flag); !error.isEmpty())
                return error;
        }
        builder.noteProtocolFlag(flag, protocols);
        builder.out.session.protocol.*target = flag.value();
        return QString();
    };
}

// A row's apply() for a protocol setting that is a JSON object.
auto protocolJson(QByteArray AppProtocolSettings::*target, QList<AppProtocol> protocols)
{
    return [target, protocols](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
        if (QString error = checkJsonValue(flag, true); !error.isEmpty())
            return error;
        builder.noteProtocolFlag(flag, protocols);
        builder.out.session.protocol.*target = flag.value().toUtf8();
        return QString();
    };
}

QString checkStompHeader(const ArgumentOccurrence &flag)
{
    const QString problem = StompFrames::checkHeaderValue(flag.value());
    return problem.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(flag.written, problem);
}

const QList<AppProtocol> socketIo{AppProtocol::SocketIo};
const QList<AppProtocol> stomp{AppProtocol::Stomp};
const QList<AppProtocol> mqtt{AppProtocol::Mqtt};
const QList<AppProtocol> graphql{AppProtocol::GraphqlTransportWs, AppProtocol::GraphqlWs};
const QList<AppProtocol> wamp{AppProtocol::Wamp};

const ArgumentTable<ConnectBuilder> &connectTable()
{
    using Kind = ArgumentValueKind;
    const ArgumentGroup profile{
        QStringLiteral("Profile"),
        QStringLiteral("Secrets (header values the profile marks secret, cookie values, secret variables) are never in "
                       "profile files: the values the window saved are read from the OS keychain (Secret Service, "
                       "macOS Keychain, Windows Credential Manager) under the profile's name, waiting at most 30 s. A "
                       "secret without a value there, or without a keychain to ask, is an error naming it and the "
                       "option that gives it: -H \"Name: value\", -H \"Cookie: ...\", --var. Giving every secret on "
                       "the command line leaves the keychain alone.")};
    const ArgumentGroup request{QStringLiteral("Request")};
    const ArgumentGroup traffic{QStringLiteral("Traffic (in command-line order, once the connection is open)")};
    const ArgumentGroup heartbeat{QStringLiteral(
        "Heartbeat (while the connection is open; durations in seconds, or with a unit: 500ms, 2s, 1m)")};
    const ArgumentGroup protocol{QStringLiteral("Protocol and limits")};
    const ArgumentGroup speak{QStringLiteral("Application protocol"),
                              QStringLiteral("With --protocol the session performs the protocol's handshake, answers "
                                             "its heartbeats and sends its own, then sends the messages below once the "
                                             "server has accepted it, on every connection.")};
    const ArgumentGroup tls{QStringLiteral("TLS and proxy")};
    const ArgumentGroup output{QStringLiteral("Output")};

    static const ArgumentTable<ConnectBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli connect [options] URL\n"
                                "       wsinspector-cli connect --profile NAME|FILE [options] [URL]"),
        .description = QStringLiteral(
            R"(Opens a WebSocket connection to URL (ws:// or wss://) with WS Inspector's own RFC 6455 client, sends what the
options ask for, and prints everything that crosses the connection: the opening handshake, every frame in both
directions (control frames included) with any protocol violation and its RFC section, whole messages after
reassembly and inflation, and how the connection ended.

Without --close or --duration it runs until the server closes the connection. SIGINT (Ctrl-C) or SIGTERM sends
a Close frame with 1000 and ends as a clean close would; a second one drops the connection.)"),
        .rows =
            QList<ArgumentRow<ConnectBuilder>>{
                {.longName = QStringLiteral("profile"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("NAME|FILE"),
                 .group = profile,
                 .help = QStringLiteral(
                     "Start from a saved profile (a file, else a name in $WSI_PROFILE_DIR or the profile directory; "
                     "see 'wsinspector-cli profiles'): its URL, headers, TLS, proxy, limits, heartbeat, reconnect and "
                     "on-connect messages. Other options override it, wherever they stand: a URL replaces its URL, -H "
                     "NAME replaces its NAME headers, --subprotocol its subprotocols, --send/--send-hex/--ping its "
                     "on-connect messages, -H Cookie its cookies."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.loadProfile(flag.value()); },
                 .appliedFirst = true},
                {.longName = QStringLiteral("var"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("NAME=VALUE"),
                 .group = profile,
                 .help = QStringLiteral(
                     "Fill in the profile's {{NAME}} (repeatable), wherever the window does: the URL's path and query "
                     "(percent-encoded there), header values, Origin and cookie values, including those given by the "
                     "options above. $WSI_VAR_NAME (NAME as written) gives a value too; --var wins over it, and it "
                     "over the profile's own value. A profile variable without a value is an error listing every "
                     "missing name, as is a --var the profile does not use."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addVariable(flag); }},

                {.longName = QStringLiteral("header"),
                 .shortName = u'H',
                 .value = Kind::Required,
                 .valueName = QStringLiteral("\"Name: value\""),
                 .group = request,
                 .help =
                     QStringLiteral("Extra request header (repeatable, sent in order; replaces a generated field of "
                                    "the same name, e.g. Host or Sec-WebSocket-Extensions)."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addHeader(flag); }},
                {.longName = QStringLiteral("subprotocol"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("NAME"),
                 .group = request,
                 .help = QStringLiteral("Offer this subprotocol (repeatable)."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addSubprotocol(flag.value()); }},
                {.longName = QStringLiteral("origin"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("ORIGIN"),
                 .group = request,
                 .help = QStringLiteral("Send an Origin header."),
                 .apply = setting(
                     [](ConnectBuilder &builder, const QString &value) { builder.out.session.origin = value; })},
                {.longName = QStringLiteral("no-deflate"),
                 .group = request,
                 .help = QStringLiteral("Do not offer permessage-deflate."),
                 .apply = setting(
                     [](ConnectBuilder &builder, const QString &) { builder.out.session.offerDeflate = false; })},

                {.longName = QStringLiteral("send"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("TEXT"),
                 .group = traffic,
                 .help = QStringLiteral("Send a text message (repeatable)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addMessage(OnConnectMessage::Kind::Text, flag.value().toUtf8());
                     }},
                {.longName = QStringLiteral("send-hex"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("HEX"),
                 .group = traffic,
                 .help = QStringLiteral(
                     "Send a binary message given in hex; spaces and colons are ignored (\"01 ff:7e\")."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error;
                         const auto bytes = parseHexBytes(flag.value(), &error);
                         if (!bytes)
                             return QStringLiteral("%1 '%2': %3").arg(flag.written, flag.value(), error);
                         return builder.addMessage(OnConnectMessage::Kind::Binary, *bytes);
                     }},
                {.longName = QStringLiteral("ping"),
                 .value = Kind::Optional,
                 .valueName = QStringLiteral("[TEXT]"),
                 .group = traffic,
                 .help = QStringLiteral("Send a ping, with TEXT as its payload when given (at most 125 bytes)."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addPing(flag); }},
                {.longName = QStringLiteral("close"),
                 .value = Kind::Optional,
                 .valueName = QStringLiteral("[CODE [REASON]]"),
                 .group = traffic,
                 .help = QStringLiteral(
                     "After the messages and pings, send a Close frame with CODE (default 1000) and REASON (at most "
                     "123 bytes), then wait for the server's. CODE must be one an endpoint may send: 1000-1003, "
                     "1007-1014 or 3000-4999."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.setClose(flag); },
                 .maxOptionalValues = 2},
                {.longName = QStringLiteral("duration"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("SECONDS"),
                 .group = traffic,
                 .help = QStringLiteral("Stay connected this long after the handshake, then close (with 1000, or with "
                                        "the code and reason of --close when both are given)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         bool ok = false;
                         const double seconds = flag.value().toDouble(&ok);
                         if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > maxDurationSeconds)
                             return QStringLiteral("%1 '%2': expected a number of seconds greater than 0")
                                 .arg(flag.written, flag.value());
                         builder.out.durationSeconds = seconds;
                         return QString();
                     }},
                {.longName = QStringLiteral("no-auto-pong"),
                 .group = traffic,
                 .help = QStringLiteral("Do not answer the server's pings."),
                 .apply =
                     setting([](ConnectBuilder &builder, const QString &) { builder.out.session.autoPong = false; })},
                {.longName = QStringLiteral("rules"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = traffic,
                 .help = QStringLiteral(
                     "Apply the rules in FILE (JSON, the format of proxy --rules) to what this client sends (\"from\": "
                     "\"client\") and receives (\"from\": \"server\"), in order, first match wins: drop, delay "
                     "(\"ms\"), no-pong (our pongs are not sent; the server's are not heard), delay-pong (\"ms\"), "
                     "stall (\"to\": \"client\" stops reading the socket, \"server\" stops sending; \"ms\" or until "
                     "the end, \"after_ms\"), replace (our messages only), inject (\"to\": \"server\": a message of "
                     "our own after a match, or \"after_ms\" / \"every_ms\"), pass. A message of ours is acted on "
                     "before it is written; one received is recorded as it arrived, and the rule decides when or "
                     "whether this client acts on it (answers a ping, hears a pong, the heartbeat and the protocol see "
                     "it). Frames a rule acted on carry \"rule\" in --json; a message of ours a rule dropped or "
                     "replaced is an \"unsent\" event. Actions that need a relay (duplicate, close, abort, blackhole, "
                     "throttle) are refused. Replaces a --profile's rules."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.rulesFile = std::pair(flag.written, flag.value());
                         return QString();
                     }},

                {.longName = QStringLiteral("ping-interval"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("S"),
                 .group = heartbeat,
                 .help = QStringLiteral(
                     "Send a protocol ping every S (payload \"wsi-hb-N\") and measure each pong's round trip."),
                 .apply = duration(&ConnectBuilder::pingIntervalMs, minHeartbeatIntervalMs)},
                {.longName = QStringLiteral("pong-timeout"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("S"),
                 .group = heartbeat,
                 .help = QStringLiteral("A pong later than S after its ping is a miss (default: the interval). Misses "
                                        "in a row make the heartbeat late, then dead."),
                 .apply = duration(&ConnectBuilder::pongTimeoutMs, 1)},
                {.longName = QStringLiteral("heartbeat-message"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("TEXT"),
                 .group = heartbeat,
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: the message is empty").arg(flag.written);
                         builder.heartbeatMessage = flag.value().toUtf8();
                         return QString();
                     }},
                {.longName = QStringLiteral("heartbeat-interval"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("S"),
                 .group = heartbeat,
                 .help = QStringLiteral(
                     "Send TEXT (plain text or JSON) as a text message every S instead of pings; each needs the "
                     "other. "
                     "\"{{seq}}\" in TEXT becomes 1, 2, ... and \"{{now_ms}}\" the time in ms since 1970. With "
                     "--pong-timeout, any message from the server counts as the reply."),
                 .apply = duration(&ConnectBuilder::heartbeatIntervalMs, minHeartbeatIntervalMs)},
                {.longName = QStringLiteral("heartbeat"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("PRESET|SPEC"),
                 .group = heartbeat,
                 .help = QStringLiteral(
                     "Behave like a known client stack (browser, python-websockets, dotnet ...) or as SPEC: none, "
                     "ping:S[,timeout=S], pong:S, app:S[,timeout=S]. A preset gives up at the first miss, as its "
                     "library does."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error;
                         builder.heartbeatSpec =
                             HeartbeatSpec::parse(flag.value(), Endpoint::Client, HeartbeatPresets::builtIn(), &error);
                         return builder.heartbeatSpec ? QString() : QStringLiteral("%1 %2").arg(flag.written, error);
                     }},
                {.longName = QStringLiteral("dead-after"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("N"),
                 .group = heartbeat,
                 .help =
                     QStringLiteral("Misses in a row before the heartbeat is dead (default 2; fewer are \"late\")."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.deadAfter = parseCount(flag.value(), 1);
                         if (!builder.deadAfter)
                             return QStringLiteral("%1 '%2': expected a number of missed pongs, 1 or more")
                                 .arg(flag.written, flag.value());
                         return QString();
                     }},
                {.longName = QStringLiteral("on-dead"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("close|abort|keep"),
                 .group = heartbeat,
                 .help = QStringLiteral(
                     "When dead: close (default; Close 1011 \"keepalive ping timeout\", then the TCP connection, as "
                     "Python websockets does), abort (drop TCP without a Close, as Node ws's terminate()), or keep the "
                     "connection and only report it."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         const QString value = flag.value();
                         if (value == QLatin1StringView("close"))
                             builder.onDead = HeartbeatSettings::WhenDead::Close;
                         else if (value == QLatin1StringView("abort"))
                             builder.onDead = HeartbeatSettings::WhenDead::Abort;
                         else if (value == QLatin1StringView("keep"))
                             builder.onDead = HeartbeatSettings::WhenDead::KeepOpen;
                         else
                             return QStringLiteral("%1 '%2': expected close, abort or keep").arg(flag.written, value);
                         return QString();
                     }},
                {.longName = QStringLiteral("stop-answering-pings-after"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("N"),
                 .group = heartbeat,
                 .help = QStringLiteral(
                     "Answer the server's first N pings, then no more: plays a hung client whose TCP connection stays "
                     "up (0: never answer; see also --no-auto-pong)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.stopAnsweringAfter = parseCount(flag.value(), 0);
                         if (!builder.stopAnsweringAfter)
                             return QStringLiteral("%1 '%2': expected a number of pings, 0 or more")
                                 .arg(flag.written, flag.value());
                         return QString();
                     }},
                {.longName = QStringLiteral("reconnect"),
                 .value = Kind::Optional,
                 .valueName = QStringLiteral("[MAX]"),
                 .group = heartbeat,
                 .help = QStringLiteral(
                     "When the connection ends without our own clean close, open a new one after an exponential "
                     "backoff (1 s, 2 s, 4 s ... up to 30 s, less up to half of it at random: \"equal jitter\"), at "
                     "most MAX times in a row (default: no limit; the count starts over after a connection that lasted "
                     "5 s). The --send, --send-hex and --ping messages are sent again on each new connection (auth, "
                     "subscribe)."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.setReconnect(flag); },
                 // MAX is taken only as a number, so "--reconnect ws://..." still reads the URL.
                 .acceptsOptionalValue = isWholeNumber},
                {.longName = QStringLiteral("reconnect-delay"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("S"),
                 .group = heartbeat,
                 .help = QStringLiteral("The first reconnect delay (default 1 s); later ones double."),
                 .apply = duration(&ConnectBuilder::reconnectDelayMs, 0)},

                {.longName = QStringLiteral("protocol"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("NAME"),
                 .group = speak,
                 .help = QStringLiteral(
                     "Speak NAME inside the WebSocket: socketio (Engine.IO open, then CONNECT to --namespace; answers "
                     "Engine.IO 4 pings, pings Engine.IO 3 servers), stomp (CONNECT with --stomp-heartbeat, then beats "
                     "at the negotiated period), mqtt (3.1.1 CONNECT, PINGREQ every --mqtt-keepalive), "
                     "graphql-transport-ws, graphql-ws (connection_init; pongs), signalr (the handshake, pings every "
                     "15 s), phoenix (joins --phoenix-topic, heartbeat every 30 s), actioncable (subscribes to "
                     "--actioncable-channel), sockjs (waits for the open frame, records \"h\"), wamp (HELLO to "
                     "--wamp-realm), jsonrpc (decoded only), auto (the protocol the URL or the "
                     "negotiated subprotocol shows, if any) or none (the default). What the session sends for the "
                     "protocol is recorded and shown like any other message."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.setProtocol(flag); }},
                {.longName = QStringLiteral("no-protocol-heartbeat"),
                 .group = speak,
                 .help =
                     QStringLiteral("Neither answer the protocol's heartbeats nor send its own (a client that hangs "
                                    "while its connection stays up); the server's are still recorded."),
                 .apply = setting([](ConnectBuilder &builder, const QString &) {
                     builder.out.session.protocol.heartbeats = false;
                 })},
                {.longName = QStringLiteral("namespace"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("NSP"),
                 .group = speak,
                 .help = QStringLiteral("socketio: the namespace to CONNECT to (default /)."),
                 .apply = protocolText(
                     &AppProtocolSettings::socketIoNamespace, socketIo,
                     [](const ArgumentOccurrence &flag) {
                         const QString problem = SocketIoMessages::namespaceProblem(flag.value());
                         return problem.isEmpty()
                                    ? QString()
                                    : QStringLiteral("%1 '%2': %3").arg(flag.written, flag.value(), problem);
                     })},
                {.longName = QStringLiteral("auth"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("JSON"),
                 .group = speak,
                 .help = QStringLiteral("socketio: the CONNECT packet's auth payload, a JSON object (Engine.IO 4)."),
                 .apply = protocolJson(&AppProtocolSettings::socketIoAuth, socketIo)},
                {.longName = QStringLiteral("emit"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("EVENT"),
                 .group = speak,
                 .help =
                     QStringLiteral("socketio: emit EVENT (repeatable), with the --arg values and --ack that follow "
                                    "it."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Emit, socketIo);
                     }},
                {.longName = QStringLiteral("arg"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("JSON"),
                 .group = speak,
                 .help = QStringLiteral("An argument of the --emit, --invoke or --wamp-call before it, a JSON value "
                                        "(\"\\\"text\\\"\", 42, {...}), repeatable; the payload of the --push or the "
                                        "data of the --perform before it, a JSON object."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addEmitPart(flag); }},
                {.longName = QStringLiteral("ack"),
                 .group = speak,
                 .help = QStringLiteral("The --emit before it asks for an acknowledgement (an ack id); the --invoke "
                                        "before it gets an invocation id, which the server's Completion carries."),
                 .apply = [](ConnectBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addEmitPart(flag); }},
                {.longName = QStringLiteral("stomp-host"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("HOST"),
                 .group = speak,
                 .help = QStringLiteral("stomp: CONNECT's host header, the virtual host (default: the URL's host)."),
                 .apply = protocolText(&AppProtocolSettings::stompHost, stomp, checkStompHeader)},
                {.longName = QStringLiteral("stomp-login"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("LOGIN"),
                 .group = speak,
                 .apply = protocolText(&AppProtocolSettings::stompLogin, stomp, checkStompHeader)},
                {.longName = QStringLiteral("stomp-passcode"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("PASSCODE"),
                 .group = speak,
                 .help = QStringLiteral("stomp: CONNECT's login and passcode. The passcode travels in the CONNECT "
                                        "frame, which is recorded and exported like any message; profile files leave "
                                        "it out."),
                 .apply = protocolText(&AppProtocolSettings::stompPasscode, stomp, checkStompHeader)},
                {.longName = QStringLiteral("stomp-heartbeat"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("CX,CY"),
                 .group = speak,
                 .help = QStringLiteral("stomp: CONNECT's heart-beat in ms, what we send at least every CX and want "
                                        "every CY (0: never; default 10000,10000 as @stomp/stompjs)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         const QStringList parts = flag.value().split(u',');
                         bool okX = false;
                         bool okY = false;
                         const qint64 x = parts.size() == 2 ? parts[0].trimmed().toLongLong(&okX) : -1;
                         const qint64 y = parts.size() == 2 ? parts[1].trimmed().toLongLong(&okY) : -1;
                         if (!okX || !okY || x < 0 || y < 0 || x > maxDurationSeconds * 1000 ||
                             y > maxDurationSeconds * 1000)
                             return QStringLiteral("%1 '%2': expected CX,CY, two whole numbers of milliseconds, 0 or "
                                                   "more (STOMP 1.2 heart-beat)")
                                 .arg(flag.written, flag.value());
                         builder.noteProtocolFlag(flag, stomp);
                         builder.out.session.protocol.stompHeartbeatSendMs = x;
                         builder.out.session.protocol.stompHeartbeatReceiveMs = y;
                         return QString();
                     }},
                {.longName = QStringLiteral("subscribe"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("DEST|TOPIC"),
                 .group = speak,
                 .help = QStringLiteral("stomp: SUBSCRIBE to the destination; mqtt: SUBSCRIBE to the topic filter at "
                                        "QoS 0 (repeatable)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Subscribe,
                                                           {AppProtocol::Stomp, AppProtocol::Mqtt});
                     }},
                {.longName = QStringLiteral("stomp-send"),
                 .value = Kind::Optional,
                 .valueName = QStringLiteral("DEST BODY"),
                 .group = speak,
                 .help = QStringLiteral("stomp: SEND BODY to the destination (repeatable)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Send, stomp);
                     },
                 .maxOptionalValues = 2},
                {.longName = QStringLiteral("mqtt-client-id"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("ID"),
                 .group = speak,
                 .help = QStringLiteral("mqtt: CONNECT's client id (default: wsi_ and 8 random hex digits)."),
                 .apply = protocolText(
                     &AppProtocolSettings::mqttClientId, mqtt,
                     [](const ArgumentOccurrence &flag) {
                         return flag.value().toUtf8().size() <= 65535
                                    ? QString()
                                    : QStringLiteral("%1: at most 65535 bytes (MQTT 3.1.1 §1.5.3)").arg(flag.written);
                     })},
                {.longName = QStringLiteral("mqtt-keepalive"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("S"),
                 .group = speak,
                 .help = QStringLiteral("mqtt: Keep Alive in whole seconds, 0-65535 (default 60; 0: none). The broker "
                                        "drops a client silent for 1.5 times it."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         const auto seconds = parseCount(flag.value(), 0);
                         if (!seconds || *seconds > 65535)
                             return QStringLiteral("%1 '%2': expected whole seconds from 0 to 65535 (MQTT 3.1.1 "
                                                   "§3.1.2.10)")
                                 .arg(flag.written, flag.value());
                         builder.noteProtocolFlag(flag, mqtt);
                         builder.out.session.protocol.mqttKeepAliveSeconds = *seconds;
                         return QString();
                     }},
                {.longName = QStringLiteral("mqtt-username"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("NAME"),
                 .group = speak,
                 .apply = protocolText(&AppProtocolSettings::mqttUsername, mqtt)},
                {.longName = QStringLiteral("mqtt-password"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("PASSWORD"),
                 .group = speak,
                 .help = QStringLiteral("mqtt: CONNECT's user name and password. The password travels in the CONNECT "
                                        "packet, which is recorded and exported like any message; profile files "
                                        "leave it out."),
                 .apply = protocolText(&AppProtocolSettings::mqttPassword, mqtt)},
                {.longName = QStringLiteral("publish"),
                 .value = Kind::Optional,
                 .valueName = QStringLiteral("TOPIC PAYLOAD"),
                 .group = speak,
                 .help = QStringLiteral("mqtt: PUBLISH PAYLOAD to TOPIC at QoS 0 (repeatable)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Publish, mqtt);
                     },
                 .maxOptionalValues = 2},
                {.longName = QStringLiteral("graphql-init"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("JSON"),
                 .group = speak,
                 .help = QStringLiteral("graphql-transport-ws, graphql-ws: connection_init's payload, a JSON object."),
                 .apply = protocolJson(&AppProtocolSettings::graphqlInitPayload, graphql)},
                {.longName = QStringLiteral("graphql-subscribe"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("QUERY"),
                 .group = speak,
                 .help = QStringLiteral("graphql-transport-ws, graphql-ws: subscribe (legacy: start) with QUERY, "
                                        "operation ids 1, 2 ... (repeatable)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Query, graphql);
                     }},
                {.longName = QStringLiteral("phoenix-topic"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("TOPIC"),
                 .group = speak,
                 .help = QStringLiteral("phoenix: phx_join this topic (\"room:lobby\")."),
                 .apply = protocolText(&AppProtocolSettings::phoenixTopic, {AppProtocol::Phoenix})},
                {.longName = QStringLiteral("actioncable-channel"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("JSON"),
                 .group = speak,
                 .help = QStringLiteral("actioncable: subscribe to this channel identifier, a JSON object "
                                        "({\"channel\":\"ChatChannel\"})."),
                 .apply = protocolJson(&AppProtocolSettings::actionCableIdentifier, {AppProtocol::ActionCable})},
                {.longName = QStringLiteral("wamp-realm"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("REALM"),
                 .group = speak,
                 .help = QStringLiteral("wamp: HELLO joins REALM (with the roles autobahn-js announces); the other "
                                        "WAMP flags are sent after the router's WELCOME. Without it nothing is sent."),
                 .apply = protocolText(
                     &AppProtocolSettings::wampRealm, wamp,
                     [](const ArgumentOccurrence &flag) {
                         return flag.value().isEmpty()
                                    ? QStringLiteral("%1: expected a realm (a URI such as realm1)").arg(flag.written)
                                    : QString();
                     })},
                {.longName = QStringLiteral("wamp-subscribe"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("TOPIC"),
                 .group = speak,
                 .help = QStringLiteral("wamp: SUBSCRIBE to TOPIC (repeatable; request ids 1, 2 ... across all WAMP "
                                        "requests)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Subscribe, wamp);
                     }},
                {.longName = QStringLiteral("wamp-call"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("PROCEDURE"),
                 .group = speak,
                 .help = QStringLiteral("wamp: CALL PROCEDURE (repeatable), with the --arg values that follow it as "
                                        "its positional arguments."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Call, wamp);
                     }},
                {.longName = QStringLiteral("invoke"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("METHOD"),
                 .group = speak,
                 .help = QStringLiteral("signalr: invoke the hub METHOD (repeatable), with the --arg values and --ack "
                                        "that follow it."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Invoke, {AppProtocol::SignalR});
                     }},
                {.longName = QStringLiteral("push"),
                 .value = Kind::Optional,
                 .valueName = QStringLiteral("TOPIC EVENT"),
                 .group = speak,
                 .help = QStringLiteral("phoenix: push EVENT on TOPIC (repeatable), with the --arg payload that "
                                        "follows it (default {})."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Push, {AppProtocol::Phoenix});
                     },
                 .maxOptionalValues = 2},
                {.longName = QStringLiteral("perform"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("ACTION"),
                 .group = speak,
                 .help = QStringLiteral("actioncable: perform ACTION on the --actioncable-channel (repeatable), with "
                                        "the --arg data that follows it."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.addProtocolMessage(flag, ProtocolMessage::Kind::Perform,
                                                           {AppProtocol::ActionCable});
                     }},

                {.longName = QStringLiteral("tolerant"),
                 .group = protocol,
                 .help = QStringLiteral("Record protocol violations and go on, instead of failing the connection as a "
                                        "browser does (the default)."),
                 .apply =
                     setting([](ConnectBuilder &builder, const QString &) { builder.out.session.strict = false; })},
                {.longName = QStringLiteral("max-message"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("BYTES"),
                 .group = protocol,
                 .help = QStringLiteral("Largest frame and message accepted (after inflation); default 64 MiB."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         bool ok = false;
                         const qulonglong bytes = flag.value().toULongLong(&ok);
                         if (!ok || bytes == 0)
                             return QStringLiteral("%1 '%2': expected a number of bytes greater than 0")
                                 .arg(flag.written, flag.value());
                         // A frame larger than the largest message could never be part of one.
                         builder.out.session.limits.maxMessageSize = bytes;
                         builder.out.session.limits.maxFramePayload = bytes;
                         return QString();
                     }},

                {.longName = QStringLiteral("insecure"),
                 .group = tls,
                 .help = QStringLiteral("Connect despite certificate errors (they are still reported)."),
                 .apply = setting(
                     [](ConnectBuilder &builder, const QString &) { builder.out.session.tls.ignoreErrors = true; })},
                {.longName = QStringLiteral("ca"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = tls,
                 .help = QStringLiteral("Trust the CA certificates in this PEM file, on top of the system's."),
                 .apply = tlsFile(&TlsOptions::caFile)},
                {.longName = QStringLiteral("cert"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = tls,
                 .apply = tlsFile(&TlsOptions::clientCertificateFile)},
                {.longName = QStringLiteral("key"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = tls,
                 .help = QStringLiteral("Client certificate and its unencrypted private key (PEM), for mutual TLS."),
                 .apply = tlsFile(&TlsOptions::clientKeyFile)},
                {.longName = QStringLiteral("proxy"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("URL"),
                 .group = tls,
                 .help =
                     QStringLiteral("Connect through http://[user:pass@]host:port or socks5://[user:pass@]host:port."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         const QUrl proxy(flag.value(), QUrl::StrictMode);
                         const QString scheme = proxy.scheme().toLower();
                         if (!proxy.isValid() ||
                             (scheme != QLatin1StringView("http") && scheme != QLatin1StringView("socks5")) ||
                             proxy.host().isEmpty())
                             return QStringLiteral("%1 '%2': expected http://[user:pass@]host:port or "
                                                   "socks5://[user:pass@]host:port")
                                 .arg(flag.written, flag.value());
                         builder.out.session.proxy = proxy;
                         return QString();
                     }},

                {.longName = QStringLiteral("json"),
                 .group = output,
                 .help = QStringLiteral(
                     "One JSON object per line instead of the transcript, each with \"event\" and \"t\" (seconds "
                     "since start): handshake, frame, message, heartbeat (each pong with \"rtt_ms\", each miss, with "
                     "\"missed\" in a row and \"state\" healthy, late or dead), reconnect (\"attempt\", "
                     "\"delay_ms\"), error, close; with --rules, unsent (a message of ours a rule dropped or replaced) "
                     "and "
                     "\"rule\" "
                     "on frames and messages a rule acted on. Payloads are UTF-8 text, or base64 with "
                     "\"payload_encoding\": "
                     "\"base64\" for binary or non-UTF-8 data, cut at 4 KiB with \"truncated\": true."),
                 .apply = setting([](ConnectBuilder &builder, const QString &) { builder.out.json = true; })},
                {.longName = QStringLiteral("record"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = output,
                 .help = QStringLiteral(
                     "Also record the session to FILE (a WS Inspector recording, SQLite): every frame with its whole "
                     "payload, the handshake, heartbeat events, the close and the diagnosis, committed every 100 ms, "
                     "so a killed process loses at most that. With --reconnect, connection N goes to FILE-N (before "
                     "the suffix). Open it with wsinspector FILE, or use it with export, diagnose and simulate --from. "
                     "An existing recording is replaced; any other existing file is left alone (exit status 4)."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a file name").arg(flag.written);
                         builder.out.recordFile = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("on-record-error"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("close|continue"),
                 .group = output,
                 .help = QStringLiteral(
                     "When the recording cannot be written (disk full, no permission): close (default) ends the "
                     "connection with a Close frame, 1001 \"recording failed: REASON\" with the OS's reason, and exits "
                     "with status 4; continue warns on stderr and keeps the connection, unrecorded from there on. A "
                     "recording file removed or renamed while the session runs is such a failure too. Needs --record."),
                 .apply =
                     [](ConnectBuilder &builder, const ArgumentOccurrence &flag) {
                         const QString value = flag.value();
                         builder.onRecordErrorGiven = true;
                         if (value == QLatin1StringView("close"))
                             builder.out.onRecordError = ConnectArguments::OnRecordError::Close;
                         else if (value == QLatin1StringView("continue"))
                             builder.out.onRecordError = ConnectArguments::OnRecordError::Continue;
                         else
                             return QStringLiteral("%1 '%2': expected close or continue").arg(flag.written, value);
                         return QString();
                     }},
            } +
            ProtoSchemaArgument::rows(&ConnectBuilder::proto, speak),
        .positional = [](ConnectBuilder &builder, const QString &argument) { return builder.setUrl(argument); },
        .isPositionalNotOptionalValue =
            [](const QString &argument, qsizetype positionalsBefore) {
                return positionalsBefore == 0 && argument.contains(QLatin1StringView("://"));
            },
        .finish = [](ConnectBuilder &builder) { return builder.finish(); },
        .epilogue = QStringLiteral(
            R"(Optional values: --ping, --close and --reconnect take the next argument as their value unless it starts with '-'
or, before the URL has been given, contains "://"; --reconnect takes only a number that way. --ping=TEXT and
--close=CODE always take the value after '=' (use them for a text starting with '-' or an empty one); a REASON
follows CODE as the next argument under the same rule. Required values may also be written --option=value. "--"
ends the options.

Exit status:
  0  the connection was closed cleanly (both Close frames), or --duration was reached
     (with --reconnect: the last connection's end decides)
  1  the handshake failed: no TCP connection, a refusal (non-101), an invalid 101, a timeout
  2  usage error: unknown option, bad URL, bad hex, bad close code, unreadable file, a missing or
     invalid --profile, a profile variable or secret without a value, a --rules file that cannot be read, is
     wrong or has a rule a session cannot follow ...
  3  abnormal end: the connection dropped without a closing handshake, a protocol violation failed it, or TLS
     failed (also when TLS fails during the connection's setup, before the HTTP handshake)
  4  --record: the recording could not be created or written, or its file was removed (the connection
     is closed with a Close frame, 1001 "recording failed: REASON"; with --on-record-error continue it goes
     on unrecorded instead, and the connection's end decides the status)

Ends this client makes itself (a failed recording, a dead heartbeat, --duration, --close, SIGINT/SIGTERM) are
recorded as its own, in the close event's "ended_by" and in the recording, and the diagnosis tells them as such.)"),
    };
    return table;
}

QString ConnectBuilder::loadProfile(const QString &reference)
{
    QString error;
    // A path that exists is a file; anything else is a name in the profile directory ($WSI_PROFILE_DIR or the
    // default), the same one `profiles list` shows.
    if (QFileInfo(reference).isFile())
        profile = ProfileStore::readProfileFile(reference, &error);
    else
        profile = ProfileStore(profileDirectory({})).load(reference, &error);
    if (!profile)
        return QStringLiteral("--profile: ") + error;
    out.session = profile->options;
    return {};
}

QString ConnectBuilder::setUrl(const QString &argument)
{
    if (url)
        return QStringLiteral("unexpected argument '%1' (the URL is '%2')").arg(argument, *url);
    url = argument;
    return {};
}

QString ConnectBuilder::addHeader(const ArgumentOccurrence &flag)
{
    const QString value = flag.value();
    const qsizetype colon = value.indexOf(u':');
    const QString headerName = value.left(std::max<qsizetype>(colon, 0)).trimmed();
    if (colon < 0 || headerName.isEmpty())
        return QStringLiteral("%1 '%2': expected \"Name: value\"").arg(flag.written, value);
    SessionOptions &session = out.session;
    const QByteArray lowerName = headerName.toUtf8().toLower();
    if (profile && !overriddenHeaders.contains(lowerName)) {
        session.headers.removeAll(lowerName);
        // The profile's cookies are its Cookie header: the one given replaces them rather than being merged with
        // them (and with their secret values the file does not keep).
        if (lowerName == "cookie")
            session.cookies.clear();
        overriddenHeaders.insert(lowerName);
    }
    session.headers.append(headerName.toUtf8(), value.mid(colon + 1).trimmed().toUtf8());
    return {};
}

QString ConnectBuilder::addSubprotocol(const QString &name)
{
    if (profile && !subprotocolsOverridden)
        out.session.subprotocols.clear();
    subprotocolsOverridden = true;
    out.session.subprotocols.append(name);
    return {};
}

QString ConnectBuilder::addMessage(OnConnectMessage::Kind kind, const QByteArray &payload)
{
    if (profile && !messagesOverridden)
        out.session.onConnectMessages.clear();
    messagesOverridden = true;
    out.session.onConnectMessages.append({kind, payload});
    return {};
}

QString ConnectBuilder::addPing(const ArgumentOccurrence &flag)
{
    const QByteArray payload = flag.value().toUtf8();
    if (payload.size() > maxPingPayload)
        return QStringLiteral("%1: the payload is %2 bytes; a ping carries at most %3 (RFC 6455 §5.5)")
            .arg(flag.written)
            .arg(payload.size())
            .arg(maxPingPayload);
    return addMessage(OnConnectMessage::Kind::Ping, payload);
}

QString ConnectBuilder::setClose(const ArgumentOccurrence &flag)
{
    out.close = true;
    out.closeCode = 1000;
    out.closeReason.clear();
    if (flag.values.isEmpty())
        return {};
    const QString &codeText = flag.values.constFirst();
    bool ok = false;
    const uint code = codeText.toUInt(&ok);
    if (!ok || code > 65535)
        return QStringLiteral("%1 '%2': not a close code (1000-1003, 1007-1014 or 3000-4999)")
            .arg(flag.written, codeText);
    if (!CloseCodes::isValidOnWire(quint16(code)))
        return QStringLiteral("%1 %2: %3").arg(flag.written, codeText, CloseCodes::whyInvalidOnWire(quint16(code)));
    out.closeCode = quint16(code);
    if (flag.values.size() > 1) {
        out.closeReason = flag.values.at(1);
        const qsizetype bytes = out.closeReason.toUtf8().size();
        if (bytes > maxCloseReason)
            return QStringLiteral("%1: the reason is %2 bytes in UTF-8; a Close frame has room for %3 (RFC 6455 §5.5)")
                .arg(flag.written)
                .arg(bytes)
                .arg(maxCloseReason);
    }
    return {};
}

QString ConnectBuilder::setReconnect(const ArgumentOccurrence &flag)
{
    ReconnectPolicy &policy = out.session.reconnect;
    policy.enabled = true;
    policy.maxAttempts = 0;
    if (flag.values.isEmpty())
        return {};
    const auto max = parseCount(flag.value(), 0);
    if (!max)
        return QStringLiteral("%1 '%2': expected the largest number of attempts in a row (0: no limit)")
            .arg(flag.written, flag.value());
    policy.maxAttempts = *max;
    return {};
}

QString ConnectBuilder::addVariable(const ArgumentOccurrence &flag)
{
    // The value is never repeated in a message: it may be a secret.
    const QString value = flag.value();
    const qsizetype equals = value.indexOf(u'=');
    if (equals < 0)
        return QStringLiteral("%1 '%2': expected NAME=VALUE").arg(flag.written, value);
    const QString name = value.left(equals);
    if (!ProfileVariables::isValidName(name))
        return QStringLiteral("%1: '%2' is not a variable name (a letter or '_', then letters, digits, '_', '.' or "
                              "'-'; \"secret\" is reserved)")
            .arg(flag.written, name);
    // A profile keeps an empty value as "ask when connecting": an empty answer cannot be told from none.
    if (equals + 1 == value.size())
        return QStringLiteral("%1 %2=: the value is empty").arg(flag.written, name);
    variables.append({name, value.mid(equals + 1)});
    return {};
}

QString ConnectBuilder::setProtocol(const ArgumentOccurrence &flag)
{
    AppProtocolSettings &settings = out.session.protocol;
    const QString name = flag.value();
    if (name == QLatin1StringView("none")) {
        settings.mode = AppProtocolSettings::Mode::None;
    } else if (name == QLatin1StringView("auto")) {
        settings.mode = AppProtocolSettings::Mode::Auto;
    } else if (const auto protocol = protocolFromFlag(name)) {
        settings.mode = AppProtocolSettings::Mode::Speak;
        settings.protocol = *protocol;
    } else {
        return QStringLiteral("%1 '%2': expected socketio, stomp, mqtt, graphql-transport-ws, graphql-ws, signalr, "
                              "phoenix, actioncable, sockjs, wamp, jsonrpc, auto or none")
            .arg(flag.written, name);
    }
    return {};
}

void ConnectBuilder::noteProtocolFlag(const ArgumentOccurrence &flag, const QList<AppProtocol> &protocols)
{
    protocolFlags.append({flag.written, protocols});
}

QString ConnectBuilder::addProtocolMessage(const ArgumentOccurrence &flag, ProtocolMessage::Kind kind,
                                           const QList<AppProtocol> &protocols)
{
    using MessageKind = ProtocolMessage::Kind;
    ProtocolMessage message;
    message.kind = kind;
    const bool twoValues = kind == MessageKind::Send || kind == MessageKind::Publish || kind == MessageKind::Push;
    if (twoValues && flag.values.size() != 2)
        return QStringLiteral("%1: expected %2 and then %3")
            .arg(flag.written, kind == MessageKind::Send ? QStringLiteral("DEST") : QStringLiteral("TOPIC"),
                 kind == MessageKind::Send      ? QStringLiteral("BODY")
                 : kind == MessageKind::Publish ? QStringLiteral("PAYLOAD")
                                                : QStringLiteral("EVENT"));
    const QString target = flag.values.value(0);
    if (kind == MessageKind::Query)
        message.body = target.toUtf8();
    else
        message.target = target;
    if (target.isEmpty())
        return QStringLiteral("%1: expected a non-empty %2")
            .arg(flag.written, kind == MessageKind::Query ? QStringLiteral("query") : QStringLiteral("name"));
    if (kind == MessageKind::Publish)
        if (const QString problem = MqttPackets::publishTopicProblem(target); !problem.isEmpty())
            return QStringLiteral("%1 '%2': %3").arg(flag.written, target, problem);
    if (kind == MessageKind::Push) {
        message.event = flag.values.at(1);
        if (message.event.isEmpty())
            return QStringLiteral("%1: expected a non-empty EVENT").arg(flag.written);
    } else if (twoValues) {
        message.body = flag.values.at(1).toUtf8();
    }
    noteProtocolFlag(flag, protocols);
    out.session.protocol.messages.append(message);
    return {};
}

QString ConnectBuilder::addEmitPart(const ArgumentOccurrence &flag)
{
    using MessageKind = ProtocolMessage::Kind;
    QList<ProtocolMessage> &messages = out.session.protocol.messages;
    const MessageKind last = messages.isEmpty() ? MessageKind::Subscribe : messages.constLast().kind;
    const bool acknowledged = last == MessageKind::Emit || last == MessageKind::Invoke;
    const bool arguments = acknowledged || last == MessageKind::Call;
    const bool object = last == MessageKind::Push || last == MessageKind::Perform;
    if (flag.values.isEmpty()) {
        if (!acknowledged)
            return QStringLiteral("%1 belongs to an --emit EVENT or --invoke METHOD: give it after one")
                .arg(flag.written);
        messages.last().ack = true;
        return {};
    }
    if (!arguments && !object)
        return QStringLiteral("%1 belongs to an --emit, --invoke, --wamp-call, --push or --perform: give it after one")
            .arg(flag.written);
    if (QString error = checkJsonValue(flag, object); !error.isEmpty())
        return error;
    if (object && !messages.constLast().body.isEmpty())
        return QStringLiteral("%1: the %2 before it has its %3 already")
            .arg(flag.written, last == MessageKind::Push ? QStringLiteral("--push") : QStringLiteral("--perform"),
                 last == MessageKind::Push ? QStringLiteral("payload") : QStringLiteral("data"));
    if (object)
        messages.last().body = flag.value().toUtf8();
    else
        messages.last().args.append(flag.value().toUtf8());
    return {};
}

QString ConnectBuilder::finishProtocol()
{
    const AppProtocolSettings &settings = out.session.protocol;
    for (const auto &[written, protocols] : std::as_const(protocolFlags)) {
        if (settings.mode == AppProtocolSettings::Mode::Auto)
            continue; // which protocol is known only once connected; the flag applies if it is one of these
        if (settings.mode == AppProtocolSettings::Mode::Speak && protocols.contains(settings.protocol))
            continue;
        QStringList names;
        for (AppProtocol protocol : protocols)
            names.append(protocol == AppProtocol::SocketIo ? QStringLiteral("socketio") : AppProtocols::name(protocol));
        return QStringLiteral("%1 is for --protocol %2").arg(written, names.join(QStringLiteral(" or --protocol ")));
    }
    // The flags checked above make every message a WAMP one here.
    if (settings.mode == AppProtocolSettings::Mode::Speak && settings.protocol == AppProtocol::Wamp &&
        settings.wampRealm.isEmpty() && !settings.messages.isEmpty())
        return QStringLiteral("--wamp-subscribe and --wamp-call need --wamp-realm: a WAMP session starts with HELLO "
                              "to a realm");
    if (!settings.heartbeats && !settings.speaks())
        return QStringLiteral("--no-protocol-heartbeat needs --protocol (the protocol whose heartbeat to leave "
                              "unanswered)");
    return {};
}

QString ConnectBuilder::finish()
{
    if (QString error = proto.finish(&out.binarySchema); !error.isEmpty())
        return error;
    SessionOptions &session = out.session;
    if (!url && profile)
        url = ProfileVariables::decodeUrlPlaceholders(profile->options.url.toString(QUrl::FullyEncoded));
    if (!url)
        return QStringLiteral("missing the URL to connect to (ws://host[:port][/path] or wss://...)");
    // With a profile "{{name}}" may stand in the path and query, the command line's URL included; QUrl refuses
    // braces, so they are kept percent-encoded until the variables are filled in.
    QString urlProblem;
    const std::optional<QUrl> parsedUrl =
        WebSocketUrl::parse(profile ? ProfileVariables::encodeUrlPlaceholders(*url) : *url, &urlProblem);
    if (!parsedUrl)
        return QStringLiteral("URL '%1': %2").arg(*url, urlProblem);
    session.url = *parsedUrl;

    if (session.tls.clientCertificateFile.isEmpty() != session.tls.clientKeyFile.isEmpty())
        return QStringLiteral("--cert and --key go together: a client certificate needs its private key");
    // Read now as the session will read them, so a file that holds no usable PEM is a usage error too.
    if (const QString problem = TlsSetup::problem(session.tls); !problem.isEmpty())
        return QStringLiteral("TLS: ") + problem;
    if (QString heartbeatError = finishHeartbeat(); !heartbeatError.isEmpty())
        return heartbeatError;
    if (QString protocolError = finishProtocol(); !protocolError.isEmpty())
        return protocolError;
    if (QString rulesError = finishRules(); !rulesError.isEmpty())
        return rulesError;
    if (!variables.isEmpty() && !profile)
        return QStringLiteral("--var fills in the {{variables}} of a profile: it needs --profile");
    // Silently ignored, it would let a user believe a recording's failure is handled when nothing is recorded.
    if (onRecordErrorGiven && out.recordFile.isEmpty())
        return QStringLiteral("--on-record-error says what to do when the recording fails: it needs --record FILE");
    if (profile) {
        if (QString error = fillProfileValues(); !error.isEmpty())
            return error;
    }
    // Secrets still to come from the keychain are checked again once they are in (ConnectCommand).
    return checkHandshakeOptions(session);
}

QString ConnectBuilder::finishHeartbeat()
{
    HeartbeatSettings &heartbeat = out.session.heartbeat;
    if (heartbeatSpec && (pingIntervalMs || heartbeatMessage || heartbeatIntervalMs))
        return QStringLiteral("--heartbeat sets the whole heartbeat; it does not combine with --ping-interval, "
                              "--heartbeat-message or --heartbeat-interval");
    if (pingIntervalMs && (heartbeatMessage || heartbeatIntervalMs))
        return QStringLiteral("--ping-interval (protocol pings) and --heartbeat-message/--heartbeat-interval "
                              "(an application message) are two kinds of heartbeat: choose one");
    if (heartbeatMessage.has_value() != heartbeatIntervalMs.has_value())
        return heartbeatMessage ? QStringLiteral("--heartbeat-message needs --heartbeat-interval S (how often)")
                                : QStringLiteral("--heartbeat-interval needs --heartbeat-message TEXT (what to send)");

    if (heartbeatSpec) {
        heartbeat = heartbeatSpec->toSettings();
        if (heartbeat.kind == HeartbeatSettings::Kind::App && heartbeat.appMessage.isEmpty())
            heartbeat.appMessage = QByteArrayLiteral("2"); // what an Engine.IO ping looks like
    } else if (pingIntervalMs) {
        heartbeat = HeartbeatSettings{}; // a profile's heartbeat is replaced, not mixed with this one
        heartbeat.kind = HeartbeatSettings::Kind::Ping;
        heartbeat.intervalMs = *pingIntervalMs;
    } else if (heartbeatMessage) {
        heartbeat = HeartbeatSettings{};
        heartbeat.kind = HeartbeatSettings::Kind::App;
        heartbeat.intervalMs = *heartbeatIntervalMs;
        heartbeat.appMessage = *heartbeatMessage;
    }
    const bool repliesPossible =
        heartbeat.kind == HeartbeatSettings::Kind::Ping || heartbeat.kind == HeartbeatSettings::Kind::App;
    if (pongTimeoutMs) {
        if (!repliesPossible)
            return QStringLiteral("--pong-timeout needs a heartbeat that expects a reply (--ping-interval, "
                                  "--heartbeat-message or a --heartbeat with pings)");
        heartbeat.replyTimeoutMs = pongTimeoutMs;
    }
    if ((deadAfter || onDead) && !heartbeat.expectsReplies())
        return QStringLiteral("%1 needs a heartbeat whose replies are awaited (--ping-interval, or "
                              "--heartbeat-message with --pong-timeout)")
            .arg(deadAfter ? QStringLiteral("--dead-after") : QStringLiteral("--on-dead"));
    if (deadAfter)
        heartbeat.missesUntilDead = *deadAfter;
    if (onDead)
        heartbeat.whenDead = *onDead;
    if (stopAnsweringAfter)
        heartbeat.stopAnsweringPingsAfter = *stopAnsweringAfter;
    if (reconnectDelayMs) {
        if (!out.session.reconnect.enabled)
            return QStringLiteral("--reconnect-delay needs --reconnect");
        out.session.reconnect.initialDelayMs = *reconnectDelayMs;
        out.session.reconnect.maxDelayMs = std::max(out.session.reconnect.maxDelayMs, *reconnectDelayMs);
    }
    return {};
}

QString ConnectBuilder::finishRules()
{
    if (!rulesFile)
        return {};
    const auto &[written, path] = *rulesFile;
    QString error;
    std::shared_ptr<RuleSet> rules = RuleFile::read(path, &error);
    if (!rules)
        return QStringLiteral("%1 %2").arg(written, error);
    if (const QString refusal = SessionRules::refusal(*rules); !refusal.isEmpty())
        return QStringLiteral("%1 %2: %3").arg(written, path, refusal);
    // The document as written, for a profile saved from these options; RuleFile has read it whole already.
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("%1 cannot read %2: %3").arg(written, path, file.errorString());
    out.session.rulesDocument = file.readAll();
    out.session.rules = std::move(rules);
    return {};
}

QString ConnectBuilder::fillProfileValues()
{
    // The profile as the flags left it, so that the variables are filled in wherever ProfileVariables fills them
    // in the window (URL, header values, Origin, cookie values), including what a flag put there.
    SessionProfile merged = *profile;
    merged.options = out.session;

    QStringList known = ProfileVariables::referencedNames(merged);
    for (const ProfileVariable &variable : std::as_const(merged.variables)) {
        if (!known.contains(variable.name))
            known.append(variable.name);
    }
    const auto setValue = [&merged](const QString &name, const QString &value) {
        for (ProfileVariable &variable : merged.variables) {
            if (variable.name == name) {
                variable.value = value;
                return;
            }
        }
        merged.variables.append({name, value, false});
    };
    // The command line over the environment over the profile's own values (the keychain's come later, for what
    // is still open).
    for (const QString &name : std::as_const(known)) {
        const QByteArray variableName = QByteArray(variableEnvironmentPrefix) + name.toUtf8();
        const QString fromEnvironment = qEnvironmentVariable(variableName.constData());
        if (!fromEnvironment.isEmpty())
            setValue(name, fromEnvironment);
    }
    for (const auto &[name, value] : std::as_const(variables)) {
        if (!known.contains(name))
            return QStringLiteral("--var %1: profile '%2' has no variable '%1' (%3)")
                .arg(name, profile->name,
                     known.isEmpty() ? QStringLiteral("it has none")
                                     : QStringLiteral("it has ") + known.join(QStringLiteral(", ")));
        setValue(name, value);
    }

    QStringList missing;
    bool secretsOpen = false;
    for (const ProfileVariables::Question &question : ProfileVariables::unanswered(merged)) {
        if (question.kind == ProfileVariables::Question::Kind::Variable && !question.secret)
            missing.append(question.name);
        else
            secretsOpen = true;
    }
    // Every missing name at once: one corrected command line, not one per attempt.
    if (!missing.isEmpty()) {
        QStringList flags;
        QStringList environment;
        for (const QString &name : std::as_const(missing)) {
            flags.append(QStringLiteral("--var %1=VALUE").arg(name));
            environment.append(QStringLiteral("$") + QLatin1StringView(variableEnvironmentPrefix) + name);
        }
        return QStringLiteral("profile '%1': no value for %2 '%3'; give %4 with %5 (or in %6)")
            .arg(profile->name, missing.size() == 1 ? QStringLiteral("variable") : QStringLiteral("variables"),
                 missing.join(QStringLiteral("', '")),
                 missing.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"), flags.join(u' '),
                 environment.join(QStringLiteral(", ")));
    }
    if (secretsOpen) {
        out.profileAwaitingSecrets = merged;
        return {};
    }
    QString error;
    const std::optional<SessionOptions> resolved = ProfileVariables::resolve(merged, &error);
    if (!resolved)
        return error;
    out.session = *resolved;
    return {};
}

} // namespace

ConnectParseResult parseConnectArguments(const QStringList &arguments)
{
    return connectTable().parseArguments(arguments);
}

QString connectHelpText()
{
    return connectTable().helpText();
}

QStringList connectOptionNames()
{
    return connectTable().longNames();
}

QString checkHandshakeOptions(const SessionOptions &options)
{
    // Build the request once now, so that a header or subprotocol the handshake cannot carry is a usage error
    // naming it instead of a failed connection.
    QString error;
    if (!buildHandshakeRequest(options.handshakeRequestOptions(), &error))
        return QStringLiteral("the opening handshake cannot be built from these options: ") + error;
    return {};
}

} // namespace wsi::cli
