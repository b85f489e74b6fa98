// SPDX-License-Identifier: GPL-3.0-or-later
// The window's "Copy as command": the `wsinspector-cli connect` line built from a session's options, read back the
// way a POSIX shell reads it (quotes, ${NAME} from the environment) and parsed by connect's own parser, must open
// the same session; secrets are variables in it, never values.
#include "app/cli/ConnectArguments.h"
#include "core/profiles/ConnectCommandLine.h"
#include "core/rules/RuleFile.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace wsi;

namespace {

const QString tlsDir = QStringLiteral(WSI_TEST_TLS_DIR);

// A POSIX shell's word splitting for what build() writes: blanks between words, '...' literal, "..." with \ escaping
// \ " $ and `, ${NAME} and $NAME expanded from `environment` outside single quotes, a backslash escaping the next
// character outside quotes. Fails the test on anything else.
QStringList shellWords(const QString &line, const QHash<QString, QString> &environment)
{
    QStringList words;
    QString word;
    bool inWord = false;
    const auto expand = [&](qsizetype &i) {
        // i is at '$'
        QString name;
        if (i + 1 < line.size() && line.at(i + 1) == u'{') {
            const qsizetype close = line.indexOf(u'}', i + 2);
            name = line.mid(i + 2, close - i - 2);
            i = close;
        } else {
            while (i + 1 < line.size() && (line.at(i + 1).isLetterOrNumber() || line.at(i + 1) == u'_'))
                name += line.at(++i);
        }
        if (!environment.contains(name))
            qWarning("unset variable %s", qPrintable(name));
        word += environment.value(name);
    };
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == u' ') {
            if (inWord)
                words.append(word);
            word.clear();
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == u'\'') {
            const qsizetype close = line.indexOf(u'\'', i + 1);
            word += line.mid(i + 1, close - i - 1);
            i = close;
        } else if (c == u'"') {
            for (++i; i < line.size() && line.at(i) != u'"'; ++i) {
                if (line.at(i) == u'\\' && QStringView(u"\\\"$`").contains(line.at(i + 1)))
                    word += line.at(++i);
                else if (line.at(i) == u'$')
                    expand(i);
                else
                    word += line.at(i);
            }
        } else if (c == u'\\') {
            word += line.at(++i);
        } else if (c == u'$') {
            expand(i);
        } else {
            word += c;
        }
    }
    if (inWord)
        words.append(word);
    return words;
}

// What reaches the server and what the session does, one line per field; cookies as the Cookie header they make.
QStringList summary(const SessionOptions &options)
{
    QStringList lines{QStringLiteral("url ") + options.url.toString(QUrl::FullyEncoded)};
    for (const HttpHeader &header : options.headers)
        lines.append(
            QStringLiteral("header %1: %2").arg(QString::fromUtf8(header.name), QString::fromUtf8(header.value)));
    if (!options.cookies.isEmpty()) {
        QStringList cookies;
        for (const auto &[name, value] : options.cookies)
            cookies.append(QString::fromUtf8(name + '=' + value));
        lines.append(QStringLiteral("header Cookie: ") + cookies.join(QStringLiteral("; ")));
    }
    lines.append(QStringLiteral("subprotocols ") + options.subprotocols.join(u','));
    lines.append(QStringLiteral("origin ") + options.origin);
    lines.append(QStringLiteral("deflate %1 strict %2 autopong %3")
                     .arg(options.offerDeflate)
                     .arg(options.strict)
                     .arg(options.autoPong));
    lines.append(QStringLiteral("tls %1 %2 %3 %4")
                     .arg(options.tls.caFile, options.tls.clientCertificateFile, options.tls.clientKeyFile)
                     .arg(options.tls.ignoreErrors));
    lines.append(QStringLiteral("proxy ") + options.proxy.toString());
    lines.append(QStringLiteral("max message %1").arg(options.limits.maxMessageSize));
    const HeartbeatSettings &h = options.heartbeat;
    lines.append(QStringLiteral("heartbeat %1 every %2 reply %3 dead after %4 then %5 message '%6' preset '%7' stop "
                                "answering after %8")
                     .arg(int(h.kind))
                     .arg(h.intervalMs)
                     .arg(h.effectiveReplyTimeoutMs())
                     .arg(h.missesUntilDead)
                     .arg(int(h.whenDead))
                     .arg(QString::fromUtf8(h.appMessage), h.preset)
                     .arg(h.stopAnsweringPingsAfter));
    lines.append(QStringLiteral("reconnect %1 max %2 delay %3")
                     .arg(options.reconnect.enabled)
                     .arg(options.reconnect.maxAttempts)
                     .arg(options.reconnect.initialDelayMs));
    const AppProtocolSettings &p = options.protocol;
    lines.append(QStringLiteral("protocol %1 %2 heartbeats %3 namespace %4 stomp %5 %6 %7,%8 mqtt %9")
                     .arg(int(p.mode))
                     .arg(int(p.protocol))
                     .arg(p.heartbeats)
                     .arg(p.socketIoNamespace, p.stompLogin, p.stompPasscode)
                     .arg(p.stompHeartbeatSendMs)
                     .arg(p.stompHeartbeatReceiveMs)
                     .arg(p.mqttKeepAliveSeconds));
    for (const ProtocolMessage &message : p.messages)
        lines.append(
            QStringLiteral("protocol message %1 %2 %3 %4 %5")
                .arg(int(message.kind))
                .arg(message.target, QString::fromUtf8(message.body), QString::fromUtf8(message.args.join(',')))
                .arg(message.ack));
    lines.append(QStringLiteral("rules ") + (options.hasRules() ? options.rules->describe() : QStringLiteral("none")));
    lines.append(QStringLiteral("rules document ") +
                 QString::fromUtf8(QJsonDocument::fromJson(options.rulesDocument).toJson(QJsonDocument::Compact)));
    for (const OnConnectMessage &message : options.onConnectMessages)
        lines.append(QStringLiteral("on connect %1 %2")
                         .arg(int(message.kind))
                         .arg(QString::fromLatin1(message.payload.toHex())));
    return lines;
}

using Change = std::function<void(SessionOptions &)>;
using Environment = QHash<QString, QString>;

} // namespace

Q_DECLARE_METATYPE(Change)

class tst_ConnectCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsBackAsTheSameSession_data();
    void readsBackAsTheSameSession();
    void shellQuote_data();
    void shellQuote();

private:
    QTemporaryDir m_dir;
    QString m_rulesFile; // holds rulesDocument, as the user saves it for --rules "${RULES_FILE}"
};

namespace {

const QByteArray rulesDocument = R"({"rules": [{"name": "slow", "from": "client", "action": "delay", "ms": 300},
                                             {"action": "no-pong", "enabled": false}]})";

} // namespace

void tst_ConnectCommandLine::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_rulesFile = m_dir.filePath(QStringLiteral("rules.json"));
    QFile file(m_rulesFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(rulesDocument), rulesDocument.size());
}

void tst_ConnectCommandLine::readsBackAsTheSameSession_data()
{
    QTest::addColumn<Change>("change");
    QTest::addColumn<QString>("expected");      // a part of the line
    QTest::addColumn<QStringList>("neverSeen"); // secrets that must not be in it
    QTest::addColumn<Environment>("environment");

    QTest::newRow("rules, from the file the user names") << Change([](SessionOptions &o) {
        QString error;
        o.rules = RuleFile::parse(rulesDocument, &error);
        o.rulesDocument = rulesDocument;
    }) << QStringLiteral("--rules \"${RULES_FILE}\"") << QStringList{}
                                                         << Environment{{QStringLiteral("RULES_FILE"), m_rulesFile}};
    QTest::newRow("a bare URL") << Change([](SessionOptions &) {}) << QStringLiteral("connect ws://h.test:9001/chat")
                                << QStringList{} << Environment{};
    QTest::newRow("headers, quoted; a secret one as a variable")
        << Change([](SessionOptions &o) {
               o.headers.append("X-Trace", "it's \"quoted\" $HOME");
               o.headers.append("Authorization", "Bearer s3cr3t");
           })
        << QStringLiteral("-H 'X-Trace: it'\\''s \"quoted\" $HOME' -H \"Authorization: ${AUTHORIZATION}\"")
        << QStringList{QStringLiteral("s3cr3t")}
        << Environment{{QStringLiteral("AUTHORIZATION"), QStringLiteral("Bearer s3cr3t")}};
    QTest::newRow("cookies, values as variables")
        << Change([](SessionOptions &o) {
               o.cookies = {{"sid", "abc123"}, {"theme", "dark"}};
           })
        << QStringLiteral("-H \"Cookie: sid=${COOKIE_SID}; theme=${COOKIE_THEME}\"")
        << QStringList{QStringLiteral("abc123")}
        << Environment{{QStringLiteral("COOKIE_SID"), QStringLiteral("abc123")},
                       {QStringLiteral("COOKIE_THEME"), QStringLiteral("dark")}};
    QTest::newRow("a token in the query") << Change([](SessionOptions &o) {
        o.url = QUrl(QStringLiteral("wss://h.test/socket?room=1&access_token=xyz"));
    }) << QStringLiteral("\"wss://h.test/socket?room=1&access_token=${ACCESS_TOKEN}\"")
                                          << QStringList{QStringLiteral("xyz")}
                                          << Environment{{QStringLiteral("ACCESS_TOKEN"), QStringLiteral("xyz")}};
    QTest::newRow("subprotocols, origin, no deflate, tolerant, no auto-pong, limit")
        << Change([](SessionOptions &o) {
               o.subprotocols = {QStringLiteral("graphql-transport-ws"), QStringLiteral("v2.chat")};
               o.origin = QStringLiteral("https://app.example");
               o.offerDeflate = false;
               o.strict = false;
               o.autoPong = false;
               o.limits.maxMessageSize = o.limits.maxFramePayload = 1048576;
           })
        << QStringLiteral("--subprotocol graphql-transport-ws --subprotocol v2.chat --origin https://app.example "
                          "--no-deflate --tolerant --max-message 1048576 --no-auto-pong")
        << QStringList{} << Environment{};
    QTest::newRow("TLS files and a proxy with a password")
        << Change([](SessionOptions &o) {
               o.url = QUrl(QStringLiteral("wss://h.test/"));
               o.tls.caFile = tlsDir + QStringLiteral("/ca.pem");
               o.tls.clientCertificateFile = tlsDir + QStringLiteral("/client.pem");
               o.tls.clientKeyFile = tlsDir + QStringLiteral("/client.key");
               o.tls.ignoreErrors = true;
               o.proxy = QUrl(QStringLiteral("socks5://me:hunter2@127.0.0.1:1080"));
           })
        << QStringLiteral("--proxy \"socks5://me:${PROXY_PASSWORD}@127.0.0.1:1080\"")
        << QStringList{QStringLiteral("hunter2")}
        << Environment{{QStringLiteral("PROXY_PASSWORD"), QStringLiteral("hunter2")}};
    QTest::newRow("ping heartbeat with its timeout, misses and action")
        << Change([](SessionOptions &o) {
               o.heartbeat.kind = HeartbeatSettings::Kind::Ping;
               o.heartbeat.intervalMs = 30000;
               o.heartbeat.replyTimeoutMs = 2500;
               o.heartbeat.missesUntilDead = 3;
               o.heartbeat.whenDead = HeartbeatSettings::WhenDead::Abort;
               o.heartbeat.stopAnsweringPingsAfter = 4;
           })
        << QStringLiteral("--ping-interval 30 --pong-timeout 2.5 --dead-after 3 --on-dead abort "
                          "--stop-answering-pings-after 4")
        << QStringList{} << Environment{};
    QTest::newRow("application heartbeat") << Change([](SessionOptions &o) {
        o.heartbeat.kind = HeartbeatSettings::Kind::App;
        o.heartbeat.intervalMs = 25000;
        o.heartbeat.appMessage = R"({"op":"ping","seq":{{seq}}})";
    }) << QStringLiteral("--heartbeat-message '{\"op\":\"ping\",\"seq\":{{seq}}}' --heartbeat-interval 25")
                                           << QStringList{} << Environment{};
    QTest::newRow("reconnect with a limit and a first delay, on-connect messages") << Change([](SessionOptions &o) {
        o.reconnect.enabled = true;
        o.reconnect.maxAttempts = 5;
        o.reconnect.initialDelayMs = 500;
        o.onConnectMessages = {{OnConnectMessage::Kind::Text, R"({"op":"auth"})"},
                               {OnConnectMessage::Kind::Binary, QByteArray::fromHex("00ff7e")},
                               {OnConnectMessage::Kind::Ping, "-x"}};
    }) << QStringLiteral("--reconnect=5 --reconnect-delay 0.5 --send '{\"op\":\"auth\"}' --send-hex 00ff7e --ping=-x")
                                                                                   << QStringList{} << Environment{};
    QTest::newRow("a STOMP session with its passcode as a variable")
        << Change([](SessionOptions &o) {
               o.protocol.mode = AppProtocolSettings::Mode::Speak;
               o.protocol.protocol = AppProtocol::Stomp;
               o.protocol.heartbeats = false;
               o.protocol.stompLogin = QStringLiteral("guest");
               o.protocol.stompPasscode = QStringLiteral("pw-s3cr3t");
               o.protocol.stompHeartbeatSendMs = 0;
               o.protocol.stompHeartbeatReceiveMs = 5000;
               o.protocol.messages = {{ProtocolMessage::Kind::Subscribe, QStringLiteral("/topic/a"), {}, {}, false},
                                      {ProtocolMessage::Kind::Send, QStringLiteral("/queue/b"), "hi there", {}, false}};
           })
        << QStringLiteral("--protocol stomp --no-protocol-heartbeat --stomp-login guest --stomp-passcode "
                          "\"${STOMP_PASSCODE}\" --stomp-heartbeat 0,5000 --subscribe /topic/a --stomp-send=/queue/b "
                          "'hi there'")
        << QStringList{QStringLiteral("pw-s3cr3t")}
        << Environment{{QStringLiteral("STOMP_PASSCODE"), QStringLiteral("pw-s3cr3t")}};
    QTest::newRow("a Socket.IO session with an emit") << Change([](SessionOptions &o) {
        o.protocol.mode = AppProtocolSettings::Mode::Speak;
        o.protocol.protocol = AppProtocol::SocketIo;
        o.protocol.socketIoNamespace = QStringLiteral("/chat");
        o.protocol.messages = {{ProtocolMessage::Kind::Emit, QStringLiteral("hello"), {}, {"1"}, true}};
    }) << QStringLiteral("--protocol socketio --namespace /chat --emit hello --arg 1 --ack")
                                                      << QStringList{} << Environment{};
    QTest::newRow("a Phoenix session with a push") << Change([](SessionOptions &o) {
        o.protocol.mode = AppProtocolSettings::Mode::Speak;
        o.protocol.protocol = AppProtocol::Phoenix;
        o.protocol.phoenixTopic = QStringLiteral("room:lobby");
        ProtocolMessage push{ProtocolMessage::Kind::Push, QStringLiteral("room:lobby"), "{\"b\":1}", {}, false};
        push.event = QStringLiteral("new_msg");
        o.protocol.messages = {push};
    }) << QStringLiteral("--protocol phoenix --phoenix-topic room:lobby --push=room:lobby new_msg --arg '{\"b\":1}'")
                                                   << QStringList{} << Environment{};
    QTest::newRow("a SignalR session with an invocation") << Change([](SessionOptions &o) {
        o.protocol.mode = AppProtocolSettings::Mode::Speak;
        o.protocol.protocol = AppProtocol::SignalR;
        o.protocol.messages = {{ProtocolMessage::Kind::Invoke, QStringLiteral("Add"), {}, {"1", "2"}, true}};
    }) << QStringLiteral("--protocol signalr --invoke Add --arg 1 --arg 2 --ack")
                                                          << QStringList{} << Environment{};
    QTest::newRow("variables still open become shell variables")
        << Change([](SessionOptions &o) {
               o.url = QUrl(QStringLiteral("ws://h.test:9001/rooms/%7B%7Broom%7D%7D"));
               o.headers.append("X-User", "{{user}}");
           })
        << QStringLiteral("-H \"X-User: ${user}\" \"ws://h.test:9001/rooms/${room}\"") << QStringList{}
        << Environment{{QStringLiteral("user"), QStringLiteral("ada")},
                       {QStringLiteral("room"), QStringLiteral("%7B%7Broom%7D%7D")}};
}

void tst_ConnectCommandLine::readsBackAsTheSameSession()
{
    QFETCH(Change, change);
    QFETCH(QString, expected);
    QFETCH(QStringList, neverSeen);
    QFETCH(Environment, environment);

    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://h.test:9001/chat"));
    change(options);
    const QString line = ConnectCommandLine::build(options);
    QVERIFY2(line.startsWith(QLatin1StringView("wsinspector-cli connect ")), qPrintable(line));
    QVERIFY2(line.contains(expected), qPrintable(line));
    for (const QString &secret : neverSeen)
        QVERIFY2(!line.contains(secret), qPrintable(line));

    const QStringList words = shellWords(line, environment);
    const cli::ConnectParseResult parsed = cli::parseConnectArguments(words.mid(2));
    QVERIFY2(parsed.arguments, qPrintable(line + QStringLiteral("\n") + parsed.error));
    // The shell fills in "${user}" as it would for the user.
    SessionOptions expectedOptions = options;
    expectedOptions.headers = {};
    for (const HttpHeader &header : options.headers)
        expectedOptions.headers.append(header.name, QByteArray(header.value).replace("{{user}}", "ada"));
    QCOMPARE(summary(parsed.arguments->session), summary(expectedOptions));
}

void tst_ConnectCommandLine::shellQuote_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("safe") << QStringLiteral("ws://127.0.0.1:9001/a,b") << QStringLiteral("ws://127.0.0.1:9001/a,b");
    QTest::newRow("space") << QStringLiteral("a b") << QStringLiteral("'a b'");
    QTest::newRow("quote") << QStringLiteral("it's") << QStringLiteral("'it'\\''s'");
    QTest::newRow("empty") << QString() << QStringLiteral("''");
    QTest::newRow("shell characters") << QStringLiteral("$(rm -rf ~)&;|*") << QStringLiteral("'$(rm -rf ~)&;|*'");
}

void tst_ConnectCommandLine::shellQuote()
{
    QFETCH(QString, argument);
    QFETCH(QString, quoted);
    QCOMPARE(ConnectCommandLine::shellQuote(argument), quoted);
    QCOMPARE(shellWords(QStringLiteral("x ") + quoted, {}).value(1), argument);
}

QTEST_GUILESS_MAIN(tst_ConnectCommandLine)
#include "tst_connectcommandline.moc"
