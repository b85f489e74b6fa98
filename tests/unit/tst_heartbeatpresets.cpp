// SPDX-License-Identifier: GPL-3.0-or-later
// HeartbeatPresets (resources/heartbeats.json) and HeartbeatSpec::parse, which turns presets and the command
// line's ping:S[,timeout=S] into one end's heartbeat.
#include "core/keepalive/HeartbeatPresets.h"

#include <QTest>

using namespace wsi;

class tst_HeartbeatPresets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void presetsFromTheReference();
    void parseSpecs();
    void parseErrors_data();
    void parseErrors();
};

void tst_HeartbeatPresets::presetsFromTheReference()
{
    const HeartbeatPresets &presets = HeartbeatPresets::builtIn();
    QVERIFY(presets.presets().size() >= 13);
    const auto role = [&](const char *id, Endpoint side) {
        const HeartbeatPreset *preset = presets.find(QString::fromLatin1(id));
        return preset ? preset->role(side) : std::nullopt;
    };
    QCOMPARE(role("browser", Endpoint::Client)->kind, HeartbeatSpec::Kind::None);
    QVERIFY(!role("browser", Endpoint::Server));
    QCOMPARE(role("node-ws", Endpoint::Server)->intervalMs, qint64(30000));
    QCOMPARE(role("node-ws", Endpoint::Server)->timeoutMs, std::optional<qint64>(30000));
    QCOMPARE(role("gorilla", Endpoint::Server)->intervalMs, qint64(54000));
    QCOMPARE(role("gorilla", Endpoint::Server)->timeoutMs, std::optional<qint64>(60000));
    QCOMPARE(role("gorilla", Endpoint::Server)->timeoutFrom, HeartbeatSpec::TimeoutFrom::LastReply);
    QCOMPARE(role("python-websockets", Endpoint::Client)->kind, HeartbeatSpec::Kind::Ping);
    QCOMPARE(role("python-websockets", Endpoint::Client)->intervalMs, qint64(20000));
    QCOMPARE(role("python-websockets", Endpoint::Client)->timeoutMs, std::optional<qint64>(20000));
    QCOMPARE(role("socketio", Endpoint::Server)->kind, HeartbeatSpec::Kind::App);
    QCOMPARE(role("socketio", Endpoint::Server)->intervalMs, qint64(25000));
    QCOMPARE(role("socketio", Endpoint::Server)->timeoutMs, std::optional<qint64>(20000));
    QCOMPARE(role("socketio", Endpoint::Client)->receiveTimeoutMs, std::optional<qint64>(45000));
    QCOMPARE(role("signalr", Endpoint::Server)->intervalMs, qint64(15000));
    QCOMPARE(role("signalr", Endpoint::Client)->receiveTimeoutMs, std::optional<qint64>(30000));
    QCOMPARE(role("dotnet", Endpoint::Client)->kind, HeartbeatSpec::Kind::Pong);
    QCOMPARE(role("dotnet", Endpoint::Client)->intervalMs, qint64(120000));
    QCOMPARE(role("spring-stomp", Endpoint::Server)->receiveTimeoutMs, std::optional<qint64>(30000));
    QCOMPARE(role("spring-sockjs", Endpoint::Server)->intervalMs, qint64(25000));
    QCOMPARE(role("phoenix", Endpoint::Client)->intervalMs, qint64(30000));
    QCOMPARE(role("phoenix", Endpoint::Server)->receiveTimeoutMs, std::optional<qint64>(60000));
    QCOMPARE(role("actioncable", Endpoint::Server)->intervalMs, qint64(3000));
    QCOMPARE(role("actioncable", Endpoint::Client)->receiveTimeoutMs, std::optional<qint64>(6000));
    QCOMPARE(role("uwebsockets", Endpoint::Server)->receiveTimeoutMs, std::optional<qint64>(120000));
    QCOMPARE(role("qt", Endpoint::Client)->kind, HeartbeatSpec::Kind::None);
}

void tst_HeartbeatPresets::parseSpecs()
{
    const HeartbeatPresets &presets = HeartbeatPresets::builtIn();
    QString error;
    auto spec = HeartbeatSpec::parse(u"ping:30,timeout=10", Endpoint::Client, presets, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->kind, HeartbeatSpec::Kind::Ping);
    QCOMPARE(spec->intervalMs, qint64(30000));
    QCOMPARE(spec->timeoutMs, std::optional<qint64>(10000));
    spec = HeartbeatSpec::parse(u"pong:500ms", Endpoint::Server, presets, &error);
    QCOMPARE(spec->kind, HeartbeatSpec::Kind::Pong);
    QCOMPARE(spec->intervalMs, qint64(500));
    spec = HeartbeatSpec::parse(u"app:2m", Endpoint::Client, presets, &error);
    QCOMPARE(spec->kind, HeartbeatSpec::Kind::App);
    QCOMPARE(spec->intervalMs, qint64(120000));
    QVERIFY(!spec->timeoutMs);
    spec = HeartbeatSpec::parse(u"none", Endpoint::Client, presets, &error);
    QCOMPARE(spec->kind, HeartbeatSpec::Kind::None);
    spec = HeartbeatSpec::parse(u"socketio", Endpoint::Server, presets, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->preset, QStringLiteral("socketio"));
    QCOMPARE(spec->kind, HeartbeatSpec::Kind::App);
    // Protocol presets take their protocol's knobs.
    spec = HeartbeatSpec::parse(u"socketio:pingInterval=400ms,pingTimeout=300ms", Endpoint::Server, presets, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->protocol, QStringLiteral("socket.io"));
    QCOMPARE(spec->intervalMs, qint64(400));
    QCOMPARE(spec->timeoutMs, std::optional<qint64>(300));
    QCOMPARE(spec->timeoutKnob, QStringLiteral("pingTimeout"));
    QCOMPARE(spec->closeCode, std::optional<int>(1005));
    // The broker's side of an MQTT Keep Alive is 1.5 times it; the client's is its PINGREQ interval.
    spec = HeartbeatSpec::parse(u"mqtt:keepalive=120s", Endpoint::Server, presets, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->receiveTimeoutMs, std::optional<qint64>(180000));
    spec = HeartbeatSpec::parse(u"mqtt:keepalive=120s", Endpoint::Client, presets, &error);
    QCOMPARE(spec->intervalMs, qint64(120000));
    QCOMPARE(spec->timeoutMs, std::optional<qint64>(60000)); // mqtt.js: 1.5 x keepalive in all
    QVERIFY(spec->sendsInit);
    spec = HeartbeatSpec::parse(u"graphql-ws", Endpoint::Server, presets, &error);
    QCOMPARE(spec->initTimeoutMs, std::optional<qint64>(3000));
    QCOMPARE(spec->closeCode, std::optional<int>(4408));
    QVERIFY2(spec->describe().contains(QLatin1StringView("connectionInitWaitTimeout 3 s")),
             qPrintable(spec->describe()));
}

void tst_HeartbeatPresets::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("server");
    QTest::addColumn<QString>("mention");
    QTest::newRow("unknown") << QStringLiteral("sometimes") << false << QStringLiteral("browser, node-ws");
    QTest::newRow("browser as server") << QStringLiteral("browser") << true
                                       << QStringLiteral("the preset browser describes no server behaviour");
    QTest::newRow("bad kind") << QStringLiteral("beat:30") << false << QStringLiteral("unknown kind 'beat'");
    QTest::newRow("bad interval") << QStringLiteral("ping:soon") << false << QStringLiteral("not a duration");
    QTest::newRow("zero interval") << QStringLiteral("ping:0") << false << QStringLiteral("greater than 0");
    QTest::newRow("pong timeout") << QStringLiteral("pong:5,timeout=5") << false << QStringLiteral("takes no timeout");
    QTest::newRow("unknown parameter") << QStringLiteral("ping:5,wait=5") << false
                                       << QStringLiteral("unknown parameter 'wait=5'");
    QTest::newRow("unknown protocol knob")
        << QStringLiteral("socketio:pingWait=5s") << true << QStringLiteral("expected pingInterval=S, pingTimeout=S");
    QTest::newRow("protocol knob without value")
        << QStringLiteral("mqtt:keepalive") << true << QStringLiteral("unknown parameter 'keepalive'");
    QTest::newRow("preset without knobs")
        << QStringLiteral("browser:interval=5s") << false << QStringLiteral("takes no parameters");
}

void tst_HeartbeatPresets::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(bool, server);
    QFETCH(QString, mention);
    QString error;
    QVERIFY(
        !HeartbeatSpec::parse(text, server ? Endpoint::Server : Endpoint::Client, HeartbeatPresets::builtIn(), &error));
    QVERIFY2(error.contains(mention), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_HeartbeatPresets)
#include "tst_heartbeatpresets.moc"
