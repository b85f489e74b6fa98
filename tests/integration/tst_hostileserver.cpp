// SPDX-License-Identifier: GPL-3.0-or-later
// A Session against a server that breaks the protocol on purpose (HostileServer): every breach is recorded with
// its rule and RFC section, a strict session fails the connection with the right close code, a tolerant one goes
// on, and memory stays bounded whatever the server declares or streams.
#include "HostileServer.h"
#include "ResidentMemory.h"
#include "core/protocol/Opcode.h"
#include "core/session/Session.h"

#include <QTest>
#include <QtEndian>

using namespace wsi;

class tst_HostileServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyScenarioIsCovered();
    void handshakeBreaches_data();
    void handshakeBreaches();
    void frameBreachesFailTheConnection_data();
    void frameBreachesFailTheConnection();
    void tolerantSessionKeepsGoing_data();
    void tolerantSessionKeepsGoing();
    void hugeDeclaredLengthStreamedStaysBounded();
    void endlessHeadersStayBounded();
    void serverDropsWithoutClose();
    void silentServerEndedByOurHeartbeat();

private:
    static ViolationList allViolations(const Session &session);
};

ViolationList tst_HostileServer::allViolations(const Session &session)
{
    ViolationList all = session.handshake().violations;
    const auto log = session.frameLog();
    for (qsizetype i = 0; i < log->frameCount(); ++i)
        all += log->frameViolations(i);
    return all;
}

static bool hasRule(const ViolationList &violations, ViolationRule rule)
{
    return std::any_of(violations.cbegin(), violations.cend(), [rule](const Violation &v) { return v.rule == rule; });
}

static QStringList handshakeScenarios()
{
    return {QStringLiteral("wrong-accept"),        QStringLiteral("unoffered-subprotocol"),
            QStringLiteral("unoffered-extension"), QStringLiteral("slow-handshake"),
            QStringLiteral("endless-headers"),     QStringLiteral("refused-403")};
}

// Scenarios that complete the handshake and then break a frame rule: the rule, and the close code a browser (and
// our strict session) answers with.
struct FrameCase {
    const char *scenario;
    ViolationRule rule;
    int closeCode;
};

static const FrameCase frameCases[] = {
    {"unknown-opcode", ViolationRule::UnknownOpcode, 1002},
    {"rsv-without-extension", ViolationRule::ReservedBitWithoutExtension, 1002},
    {"control-too-long", ViolationRule::ControlFrameTooLong, 1002},
    {"fragmented-control", ViolationRule::FragmentedControlFrame, 1002},
    {"non-minimal-length", ViolationRule::NonMinimalLength, 1002},
    {"length-top-bit", ViolationRule::LengthHighBitSet, 1002},
    {"length-10gb", ViolationRule::FrameTooLarge, 1009},
    {"masked-server-frame", ViolationRule::MaskedFrameFromServer, 1002},
    {"invalid-utf8", ViolationRule::InvalidUtf8, 1007},
    {"continuation-without-start", ViolationRule::ContinuationWithoutStart, 1002},
    {"data-inside-fragmented", ViolationRule::DataFrameInsideFragmentedMessage, 1002},
    {"close-one-byte", ViolationRule::CloseOneBytePayload, 1002},
    {"close-invalid-code", ViolationRule::CloseCodeInvalid, 1002},
    // The server's Close came first and was answered with its own code; the data after it is still recorded.
    {"data-after-close", ViolationRule::DataAfterClose, 1000},
    {"deflate-bomb", ViolationRule::InflatedMessageTooLarge, 1009},
    {"bad-deflate-data", ViolationRule::BadCompressedData, 1002},
};

void tst_HostileServer::everyScenarioIsCovered()
{
    // Each scenario the server knows is tested by exactly one of the tables.
    QStringList covered = handshakeScenarios();
    covered << QStringLiteral("drop-after-upgrade");   // serverDropsWithoutClose
    covered << QStringLiteral("silent-after-upgrade"); // silentServerEndedByOurHeartbeat
    for (const FrameCase &c : frameCases)
        covered << QString::fromLatin1(c.scenario);
    QStringList all = test::HostileServer::scenarios();
    all.sort();
    covered.sort();
    QCOMPARE(covered, all);
}

void tst_HostileServer::handshakeBreaches_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("rule");
    QTest::addColumn<QString>("explanationHas");
    QTest::newRow("wrong Sec-WebSocket-Accept")
        << QStringLiteral("wrong-accept") << int(ViolationRule::HandshakeAcceptMismatch)
        << QStringLiteral("Sec-WebSocket-Accept");
    QTest::newRow("unoffered subprotocol")
        << QStringLiteral("unoffered-subprotocol") << int(ViolationRule::HandshakeUnofferedSubprotocol)
        << QStringLiteral("evil");
    QTest::newRow("unoffered extension") << QStringLiteral("unoffered-extension")
                                         << int(ViolationRule::HandshakeUnofferedExtension) << QStringLiteral("x-evil");
    QTest::newRow("slow handshake times out")
        << QStringLiteral("slow-handshake") << -1 << QStringLiteral("no handshake response within");
    QTest::newRow("endless header block")
        << QStringLiteral("endless-headers") << int(ViolationRule::HandshakeTooLarge) << QStringLiteral("malformed");
    QTest::newRow("refused with 403") << QStringLiteral("refused-403") << int(ViolationRule::HandshakeStatusNot101)
                                      << QStringLiteral("403");
}

void tst_HostileServer::handshakeBreaches()
{
    QFETCH(QString, scenario);
    QFETCH(int, rule);
    QFETCH(QString, explanationHas);
    test::HostileServer server(scenario);
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.handshakeTimeoutMs = 1500;
    Session session(options);
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, 15000));
    const HandshakeRecord h = session.handshake();
    QVERIFY(!h.accepted);
    if (rule >= 0)
        QVERIFY2(hasRule(h.violations, ViolationRule(rule)), qPrintable(h.explanation));
    for (const Violation &v : h.violations)
        QVERIFY(Violations::rfcSection(v.rule).startsWith(QStringLiteral("RFC ")));
    QVERIFY2(h.explanation.contains(explanationHas, Qt::CaseInsensitive), qPrintable(h.explanation));
    QCOMPARE(session.frameLog()->frameCount(), 0);
    if (scenario == QLatin1StringView("refused-403")) {
        QCOMPARE(h.response.statusCode, 403);
        QVERIFY(h.response.body.contains("origin not allowed"));
    }
    QCOMPARE(session.closeRecord()->code, quint16(1006));
}

void tst_HostileServer::serverDropsWithoutClose()
{
    test::HostileServer server(QStringLiteral("drop-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    Session session(options);
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, 10000));
    QVERIFY(session.handshake().accepted);
    QCOMPARE(session.frameLog()->frameCount(), 1);
    QCOMPARE(session.frameLog()->framePayload(0), QByteArrayView("goodbye"));
    const auto close = session.closeRecord();
    QVERIFY(close);
    QCOMPARE(close->code, quint16(1006));
    QCOMPARE(close->initiator, CloseRecord::Initiator::Transport);
    QVERIFY(!close->clean);
    QVERIFY(!close->closeReceived);
    QVERIFY(allViolations(session).isEmpty()); // ending without Close is abnormal, not a frame violation
}

void tst_HostileServer::silentServerEndedByOurHeartbeat()
{
    // Our heartbeat gives up on a server that never answers: the end is ours, with the reason the heartbeat gave,
    // never the transport's.
    test::HostileServer server(QStringLiteral("silent-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.heartbeat.kind = HeartbeatSettings::Kind::Ping;
    options.heartbeat.intervalMs = 50;
    options.heartbeat.missesUntilDead = 2;
    options.closeTimeoutMs = 500;
    Session session(options);
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, 10000));
    const auto close = session.closeRecord();
    QVERIFY(close);
    QCOMPARE(close->initiator, CloseRecord::Initiator::Client);
    QVERIFY(close->closeSent);
    QVERIFY(!close->closeReceived);
    QVERIFY(close->ownEnd);
    QCOMPARE(close->ownEnd->reason, OwnEnd::Reason::HeartbeatDead);
    QVERIFY2(close->ownEnd->detail.endsWith(QLatin1StringView(" s without a pong")), qPrintable(close->ownEnd->detail));
    QVERIFY2(close->error.startsWith(QLatin1StringView("heartbeat dead")), qPrintable(close->error));
}

void tst_HostileServer::frameBreachesFailTheConnection_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("closeCode");
    for (const FrameCase &c : frameCases)
        QTest::newRow(c.scenario) << QString::fromLatin1(c.scenario) << int(c.rule) << c.closeCode;
}

void tst_HostileServer::frameBreachesFailTheConnection()
{
    QFETCH(QString, scenario);
    QFETCH(int, rule);
    QFETCH(int, closeCode);
    test::HostileServer server(scenario);
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.limits.maxMessageSize = 16 * 1024 * 1024;
    options.closeTimeoutMs = 2000;
    Session session(options);
    const qint64 rssBefore = test::residentBytes();
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, 20000));
    QVERIFY(session.handshake().accepted);

    const ViolationList violations = allViolations(session);
    QVERIFY2(hasRule(violations, ViolationRule(rule)), qPrintable(QStringLiteral("%1 not among %2 violations")
                                                                      .arg(Violations::id(ViolationRule(rule)))
                                                                      .arg(violations.size())));

    // Our Close frame carries the code a browser would send for this breach.
    const auto log = session.frameLog();
    int sentCode = -1;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        const FrameRecord &r = log->frame(i);
        if (r.direction() == Direction::Outgoing && r.opcode == Opcodes::value(Opcode::Close)) {
            QVERIFY(log->framePayload(i).size() >= 2);
            sentCode = qFromBigEndian<quint16>(log->framePayload(i).data());
        }
    }
    QCOMPARE(sentCode, closeCode);
    const auto close = session.closeRecord();
    QVERIFY(close);
    if (closeCode != 1000) {
        QCOMPARE(close->initiator, CloseRecord::Initiator::Client);
        QVERIFY(!close->clean);
        QVERIFY2(close->error.contains(Violations::id(ViolationRule(rule))), qPrintable(close->error));
    }
    // Whatever the server declared or inflated, memory stayed far below it.
    if (test::residentMemoryIsMeaningful()) {
        QVERIFY2(test::residentBytes() - rssBefore < 64ll * 1024 * 1024,
                 qPrintable(QString::number(test::residentBytes() - rssBefore)));
    }
    QVERIFY(log->payloadBytesStored() < 1024 * 1024);
}

void tst_HostileServer::tolerantSessionKeepsGoing_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("rule");
    // Not the Close scenarios (the server closes) nor the huge lengths (their own test below).
    const QStringList excluded = {QStringLiteral("close-one-byte"), QStringLiteral("close-invalid-code"),
                                  QStringLiteral("data-after-close"), QStringLiteral("length-top-bit"),
                                  QStringLiteral("length-10gb")};
    for (const FrameCase &c : frameCases) {
        if (!excluded.contains(QLatin1StringView(c.scenario)))
            QTest::newRow(c.scenario) << QString::fromLatin1(c.scenario) << int(c.rule);
    }
}

void tst_HostileServer::tolerantSessionKeepsGoing()
{
    QFETCH(QString, scenario);
    QFETCH(int, rule);
    test::HostileServer server(scenario);
    const quint16 port = server.listen();
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.strict = false;
    options.limits.maxMessageSize = 16 * 1024 * 1024;
    options.closeTimeoutMs = 300; // this server never answers a Close
    Session session(options);
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.frameLog()->frameCount() > 0; }, 20000));
    QTest::qWait(200);
    QCOMPARE(session.state(), Session::State::Open);
    QVERIFY(hasRule(allViolations(session), ViolationRule(rule)));
    session.sendText(QStringLiteral("still here"));
    session.sendClose(1000);
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, 10000));
}

// A tolerant session reads past a frame that declares 10 GB: 32 MB arrive and are skipped, nothing is stored.
void tst_HostileServer::hugeDeclaredLengthStreamedStaysBounded()
{
    test::HostileServer server(QStringLiteral("length-10gb"));
    const quint16 port = server.listen();
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.strict = false;
    Session session(options);
    const qint64 rssBefore = test::residentBytes();
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return server.bytesSent() >= 32ll * 1024 * 1024; }, 30000));
    QTest::qWait(300);
    const auto log = session.frameLog();
    QCOMPARE(log->frameCount(), 1);
    QVERIFY(log->frame(0).has(FrameRecord::PayloadDiscarded));
    QCOMPARE(log->frame(0).payloadLength, 10'000'000'000ull);
    QCOMPARE(log->payloadBytesStored(), qint64(0));
    if (test::residentMemoryIsMeaningful()) {
        QVERIFY2(test::residentBytes() - rssBefore < 24ll * 1024 * 1024,
                 qPrintable(QString::number(test::residentBytes() - rssBefore)));
    }
}

void tst_HostileServer::endlessHeadersStayBounded()
{
    test::HostileServer server(QStringLiteral("endless-headers"));
    const quint16 port = server.listen();
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    Session session(options);
    const qint64 rssBefore = test::residentBytes();
    session.open();
    QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, 15000));
    QVERIFY(hasRule(session.handshake().violations, ViolationRule::HandshakeTooLarge));
    QVERIFY(session.handshake().response.raw.size() <= ProtocolLimits::defaultMaxHandshakeSize);
    if (test::residentMemoryIsMeaningful())
        QVERIFY(test::residentBytes() - rssBefore < 24ll * 1024 * 1024);
}

QTEST_GUILESS_MAIN(tst_HostileServer)
#include "tst_hostileserver.moc"
