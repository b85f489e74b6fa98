// SPDX-License-Identifier: GPL-3.0-or-later
// DisconnectDiagnoser against hand-built evidence: each case is the end of a real session as a session records it
// (frames with times and directions, the close record), checked against the built-in catalog's defaults.
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/IntermediaryCatalog.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

namespace {

using Kind = SessionEvidence::FrameKind;
using Cause = DisconnectDiagnosis::Cause;
using Confidence = DiagnosisCandidate::Confidence;

constexpr qint64 openedMs = 40; // the 101 arrived 40 ms after open()

struct Frame {
    qint64 atMs;
    Direction direction;
    Kind kind;
};

Frame out(qint64 atMs, Kind kind = Kind::Data)
{
    return {atMs, Direction::Outgoing, kind};
}

Frame in(qint64 atMs, Kind kind = Kind::Data)
{
    return {atMs, Direction::Incoming, kind};
}

CloseRecord transportClose(qint64 atMs)
{
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Transport;
    close.code = 1006;
    close.atNs = atMs * 1000000;
    return close;
}

SessionEvidence evidence(const QList<Frame> &frames, std::optional<CloseRecord> close, qint64 endMs)
{
    SessionEvidence e;
    e.source = QStringLiteral("test");
    e.accepted = true;
    e.status = 101;
    e.openedMs = openedMs;
    for (const Frame &f : frames)
        e.addFrame(f.atMs, f.direction, f.kind);
    e.finish(std::move(close), endMs);
    return e;
}

// A message and its echo at 1 s, then silence until TCP closes without a Close frame `silenceMs` later.
SessionEvidence silentThenFin(qint64 silenceMs)
{
    return evidence({out(1000), in(1010)}, transportClose(1010 + silenceMs), 1010 + silenceMs);
}

QStringList ids(const DisconnectDiagnosis &d)
{
    QStringList result;
    for (const DiagnosisCandidate &c : d.candidates)
        result.append(c.modelId + u'/' + c.timerId);
    return result;
}

const DiagnosisCandidate *find(const DisconnectDiagnosis &d, const QString &modelId)
{
    for (const DiagnosisCandidate &c : d.candidates) {
        if (c.modelId == modelId)
            return &c;
    }
    return nullptr;
}

QString dump(const DisconnectDiagnosis &d)
{
    return d.toLines().join(u'\n');
}

} // namespace

class tst_DisconnectDiagnoser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sixtySecondsBothWaysMatchesTheSixtySecondProxies();
    void oneHundredSecondsMatchesCloudflare();
    void noCloseAfter350SecondsMayBeADrop();
    void unansweredPingAfterASilenceAndAPromptReset();
    void ageOfTwoHoursMatchesApiGatewayLifetime();
    void pingsOnlyWeakenApiGateway();
    void silenceThatMatchesNothing();
    void nonDefaultTimeoutOfTheNamedIntermediary();
    void nonDefaultTimeoutWithoutFingerprintListsEveryKnob();
    void namedIntermediaryWithAFixedWindow();
    void defaultMatchAndFingerprintAgree();
    void defaultMatchButFingerprintNamesAnother();
    void closeRightAfterTrafficIsNoTimeout();
    void serverCloseIsNotATimeout();
    void clientCloseIsNotATimeout();
    void handshakeRefused();
    void protocolFailure();
    void precisionWindow_data();
    void precisionWindow();
    void longerEarlierSilenceRulesOutAModel();
    void tcpKeepaliveRulesOutL4Boxes();
    void userKnobValues();
    void knownPathAtATimeScale();
    void knownPathThatDidNotCutIt();
    void unansweredCloseAfterADrop();
    void ownEndsAreOurs_data();
    void ownEndsAreOurs();
    void heartbeatDeathAfterADropNamesTheBox();
    void jsonFields();
};

void tst_DisconnectDiagnoser::sixtySecondsBothWaysMatchesTheSixtySecondProxies()
{
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(60000));
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QVERIFY(d.abnormal);
    const QStringList ranked = ids(d);
    QVERIFY2(ranked.size() >= 3, qPrintable(dump(d)));
    // nginx first: its model is checked against the real nginx by this project's tests.
    QCOMPARE(ranked.at(0), QStringLiteral("nginx/read"));
    QVERIFY2(ranked.contains(QStringLiteral("aws-alb/idle")), qPrintable(dump(d)));
    QVERIFY2(ranked.contains(QStringLiteral("ingress-nginx/read")), qPrintable(dump(d)));
    QVERIFY(!ranked.contains(QStringLiteral("heroku/idle")));           // 55 s
    QVERIFY(!ranked.contains(QStringLiteral("cloudflare/idle")));       // 100 s
    QVERIFY(!ranked.contains(QStringLiteral("gcp-https-lb/lifetime"))); // 30 s: it would have ended it before
    for (const DiagnosisCandidate &c : d.candidates) {
        QCOMPARE(c.confidence, Confidence::High);
        QCOMPARE(c.silenceMs, std::optional<qint64>(60000));
        QCOMPARE(c.direction(), QStringLiteral("both"));
    }
    QVERIFY2(d.summary.contains(QLatin1StringView("No frame in either direction for 60.0 s before the TCP connection "
                                                  "closed without a Close frame; this matches nginx "
                                                  "proxy_read_timeout (default 60 s)")),
             qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("idle_timeout.timeout_seconds (default 60 s)")),
             qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("proxy-read-timeout (default 60 s)")), qPrintable(d.summary));
    QVERIFY2(d.fix.contains(QLatin1StringView("at most every 48 s")), qPrintable(d.fix));
    QVERIFY2(d.fix.contains(QLatin1StringView("raise proxy_read_timeout")), qPrintable(d.fix));
}

void tst_DisconnectDiagnoser::oneHundredSecondsMatchesCloudflare()
{
    // The reference: Cloudflare's idle WebSocket timeout is 100 s, changeable on Enterprise plans only.
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(100000));
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QCOMPARE(ids(d), QStringList{QStringLiteral("cloudflare/idle")});
    QVERIFY2(d.fix.contains(QLatin1StringView("at most every 80 s")), qPrintable(d.fix));
    QVERIFY2(d.fix.contains(QLatin1StringView("Enterprise only")), qPrintable(d.fix));
}

void tst_DisconnectDiagnoser::noCloseAfter350SecondsMayBeADrop()
{
    // Nothing ever closed: a box that drops flows silently leaves a half-open connection behind.
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(evidence({out(1000), in(1010)}, std::nullopt, 351010));
    QCOMPARE(d.cause, Cause::PossiblyHalfOpen);
    const QStringList ranked = ids(d);
    QVERIFY2(ranked.size() >= 2, qPrintable(dump(d)));
    QCOMPARE(QSet<QString>(ranked.begin(), ranked.begin() + 2),
             (QSet<QString>{QStringLiteral("aws-nlb/flow_idle"), QStringLiteral("aws-nat-gateway/flow_idle")}));
    QVERIFY(ranked.contains(QStringLiteral("azure-lb/flow_idle"))); // 4 min: also before the end of the silence
    QVERIFY(!ranked.contains(QStringLiteral("nginx/read")));        // it would have closed the connection
    QVERIFY(!ranked.contains(QStringLiteral("linux-conntrack/established")));
    QVERIFY2(d.summary.contains(QLatin1StringView("half-open")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("350.0 s")), qPrintable(d.summary));
    QVERIFY2(d.fix.contains(QLatin1StringView("TCP keepalive")), qPrintable(d.fix));
    QVERIFY2(d.fix.contains(QLatin1StringView("pong timeout")), qPrintable(d.fix));
}

void tst_DisconnectDiagnoser::unansweredPingAfterASilenceAndAPromptReset()
{
    // 360 s of silence, our ping, and the connection fails 50 ms later: the RST an AWS NLB or NAT gateway answers
    // the next packet of a forgotten flow with.
    const SessionEvidence e = evidence({out(1000), in(1010), out(361010, Kind::Ping)}, transportClose(361060), 361060);
    QCOMPARE(e.unansweredSendMs, std::optional<qint64>(361010));
    QCOMPARE(e.silenceBeforeUnansweredMs, 360000);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    const QStringList ranked = ids(d);
    QVERIFY2(ranked.size() >= 2, qPrintable(dump(d)));
    QCOMPARE(ranked.at(0), QStringLiteral("aws-nlb/flow_idle"));
    QCOMPARE(ranked.at(1), QStringLiteral("aws-nat-gateway/flow_idle"));
    QVERIFY(d.candidates.at(0).confidence >= Confidence::Medium);
    // Azure LB drops silently without a reset by default: a prompt end does not fit it as well.
    const DiagnosisCandidate *azure = find(d, QStringLiteral("azure-lb"));
    QVERIFY(azure);
    QVERIFY(azure->score < d.candidates.at(0).score);
    QVERIFY2(d.summary.contains(QLatin1StringView("before the client's ping at 361.0 s, which nothing answered")),
             qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::ageOfTwoHoursMatchesApiGatewayLifetime()
{
    // An application heartbeat (data messages, as Socket.IO sends) every 25 s for two hours, then TCP closes.
    QList<Frame> frames;
    for (qint64 t = 25000; t < 7200000; t += 25000) {
        frames.append(in(t));
        frames.append(out(t + 5));
    }
    const qint64 end = openedMs + 7200000 + 200;
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(evidence(frames, transportClose(end), end));
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QVERIFY2(!d.candidates.isEmpty(), qPrintable(dump(d)));
    const DiagnosisCandidate &top = d.candidates.constFirst();
    QCOMPARE(top.modelId, QStringLiteral("aws-apigw-websocket"));
    QCOMPARE(top.kind, TimerKind::Lifetime);
    QCOMPARE(top.confidence, Confidence::High);
    QVERIFY(!top.silenceMs);
    QCOMPARE(top.direction(), QString());
    QVERIFY2(d.summary.contains(QLatin1StringView("The connection was 7200.2 s old when the TCP connection closed")),
             qPrintable(d.summary));
    QVERIFY2(d.fix.contains(QLatin1StringView("A heartbeat cannot help against a maximum lifetime: reconnect")),
             qPrintable(d.fix));
    QVERIFY2(d.fix.contains(QLatin1StringView("cannot be changed")), qPrintable(d.fix));
}

void tst_DisconnectDiagnoser::pingsOnlyWeakenApiGateway()
{
    // Protocol pings only: API Gateway's idle timer (data messages only, reportedly) would have cut after 10 min,
    // so its lifetime stays a candidate only with low confidence, saying why.
    QList<Frame> frames;
    for (qint64 t = 30000; t < 7200000; t += 30000) {
        frames.append(out(t, Kind::Ping));
        frames.append(in(t + 5, Kind::Pong));
    }
    const qint64 end = openedMs + 7200000 + 200;
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(evidence(frames, transportClose(end), end));
    const DiagnosisCandidate *apigw = find(d, QStringLiteral("aws-apigw-websocket"));
    QVERIFY2(apigw, qPrintable(dump(d)));
    QCOMPARE(apigw->confidence, Confidence::Low);
    QVERIFY2(apigw->why.contains(QLatin1StringView("reportedly")), qPrintable(apigw->why));
}

void tst_DisconnectDiagnoser::silenceThatMatchesNothing()
{
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(75000));
    QCOMPARE(d.cause, Cause::Unexplained);
    QVERIFY(d.abnormal);
    QVERIFY(d.candidates.isEmpty());
    QVERIFY2(d.summary.contains(QLatin1StringView("nothing in the catalog matches")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("75.0 s")), qPrintable(d.summary));
    // The nearest defaults on either side, and the model without a default.
    QVERIFY2(d.summary.contains(QLatin1StringView("(60 s) is shorter")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("Cloudflare idle timeout (100 s) is longer")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("HAProxy timeout tunnel")), qPrintable(d.summary));
    QVERIFY2(d.fix.contains(QLatin1StringView("at most every 60 s")), qPrintable(d.fix));
    QVERIFY(!d.facts.isEmpty());
}

// The same silent session, with the upgrade response's fields.
SessionEvidence silentThenFinBehind(qint64 silenceMs, const HttpHeaders &response)
{
    SessionEvidence e = silentThenFin(silenceMs);
    e.responseHeaders = response;
    return e;
}

void tst_DisconnectDiagnoser::nonDefaultTimeoutOfTheNamedIntermediary()
{
    // nginx with proxy_read_timeout 5s: no default matches, but nginx named itself.
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(
        silentThenFinBehind(5000, {{"Upgrade", "websocket"}, {"Server", "nginx/1.22.1"}}));
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QVERIFY2(d.summary.contains(QLatin1StringView("Server: nginx/1.22.1 in the upgrade response names nginx or "
                                                  "Kubernetes ingress-nginx: most likely nginx's proxy_read_timeout, "
                                                  "set to about 5.0 s here; its default is 60 s.")),
             qPrintable(d.summary));
    QVERIFY(!d.candidates.isEmpty());
    const DiagnosisCandidate &top = d.candidates.constFirst();
    QCOMPARE(top.modelId, QStringLiteral("nginx"));
    QCOMPARE(top.knob, QStringLiteral("proxy_read_timeout"));
    QVERIFY(top.inferred);
    QCOMPARE(top.defaultMs, 5000);
    QCOMPARE(top.modelDefaultMs, std::optional<qint64>(60000));
    QCOMPARE(top.label(), QStringLiteral("nginx proxy_read_timeout (set to about 5.0 s here; default 60 s)"));
    QCOMPARE(top.clue, QStringLiteral("Server: nginx/1.22.1 in the upgrade response"));
    QCOMPARE(d.clueLine(), QStringLiteral("Server: nginx/1.22.1 in the upgrade response"));
    // Only the named intermediaries are attributed, never a model the response does not name.
    for (const DiagnosisCandidate &c : d.candidates)
        QVERIFY2(c.modelId == QLatin1StringView("nginx") || c.modelId == QLatin1StringView("ingress-nginx"),
                 qPrintable(c.modelId));
    QVERIFY2(d.fix.contains(QLatin1StringView("at most every 4 s")), qPrintable(d.fix));
    QVERIFY2(d.fix.contains(QLatin1StringView("raise proxy_read_timeout")), qPrintable(d.fix));
    const QJsonObject json = d.toJson();
    const QJsonObject first = json.value(QStringLiteral("candidates")).toArray().at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("set_to_about_s")).toDouble(), 5.0);
    QCOMPARE(first.value(QStringLiteral("default_s")).toDouble(), 60.0);
    QCOMPARE(json.value(QStringLiteral("clues")).toArray().at(0).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("nginx/1.22.1"));
}

void tst_DisconnectDiagnoser::nonDefaultTimeoutWithoutFingerprintListsEveryKnob()
{
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(5000));
    QCOMPARE(d.cause, Cause::Unexplained);
    QVERIFY(d.candidates.isEmpty());
    QVERIFY2(d.summary.contains(QLatin1StringView("No intermediary named itself in the upgrade response; if an "
                                                  "intermediary cut it, its idle timeout is set to about 5.0 s, which "
                                                  "any of these can be set to: ")),
             qPrintable(d.summary));
    // Every knob that closes an idle connection and can be set to 5 s, not one picked at random.
    for (const char *knob :
         {"nginx proxy_read_timeout (default 60 s)", "Kubernetes ingress-nginx proxy-read-timeout (default 60 s)",
          "HAProxy timeout tunnel (no default)", "Envoy stream_idle_timeout (default 300 s)",
          "AWS Application Load Balancer idle_timeout.timeout_seconds (default 60 s)",
          "Cloudflare idle timeout (default 100 s, configurable: Enterprise only)"})
        QVERIFY2(d.summary.contains(QLatin1StringView(knob)), qPrintable(QLatin1StringView(knob) + u'\n' + d.summary));
    // Fixed windows, and boxes that drop flows silently (this one was closed), are not offered.
    const QString offered = d.summary.mid(d.summary.indexOf(QLatin1StringView("can be set to: ")));
    for (const char *absent : {"Heroku", "Azure Front Door", "Azure Load Balancer", "AWS Network", "conntrack"})
        QVERIFY2(!offered.contains(QLatin1StringView(absent)), absent);
    QCOMPARE(d.clueLine(), QStringLiteral("No intermediary named itself in the upgrade response"));
}

void tst_DisconnectDiagnoser::namedIntermediaryWithAFixedWindow()
{
    // Heroku's 55 s window cannot be set to 5 s: the clue is said, the router ruled out, the candidates listed.
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFinBehind(5000, {{"Via", "1.1 vegur"}}));
    QCOMPARE(d.cause, Cause::Unexplained);
    QVERIFY2(d.summary.contains(QLatin1StringView("Via: 1.1 vegur in the upgrade response names Heroku router, which "
                                                  "has no knob that could be set to that")),
             qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("HAProxy timeout tunnel")), qPrintable(d.summary));
    QVERIFY2(d.ruledOut.join(u'\n').contains(QLatin1StringView("fixed at 55 s")), qPrintable(dump(d)));
}

void tst_DisconnectDiagnoser::defaultMatchAndFingerprintAgree()
{
    const DisconnectDiagnosis d =
        DisconnectDiagnoser::diagnose(silentThenFinBehind(60000, {{"Server", "nginx/1.22.1"}}));
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QCOMPARE(d.candidates.constFirst().modelId, QStringLiteral("nginx"));
    QVERIFY(!d.candidates.constFirst().inferred);
    // The ALB's 60 s matches as well, but the response names nginx: it ranks after both nginx entries.
    QCOMPARE(ids(d).indexOf(QStringLiteral("aws-alb/idle")), 2);
    QVERIFY2(d.summary.contains(QLatin1StringView("Server: nginx/1.22.1 in the upgrade response agrees: it names "
                                                  "nginx.")),
             qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::defaultMatchButFingerprintNamesAnother()
{
    // Cloudflare answered the upgrade, nginx's 60 s default matches: both can be on the path.
    const DisconnectDiagnosis d =
        DisconnectDiagnoser::diagnose(silentThenFinBehind(60000, {{"CF-RAY", "9ab9830f8f01234f-SJC"}}));
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QCOMPARE(d.candidates.constFirst().modelId, QStringLiteral("nginx"));
    QVERIFY(d.candidates.constFirst().clue.isEmpty());
    QVERIFY2(d.summary.contains(QLatin1StringView("But CF-RAY: 9ab9830f8f01234f-SJC in the upgrade response names "
                                                  "Cloudflare, whose timers do not match this end: both can be on "
                                                  "the path")),
             qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::closeRightAfterTrafficIsNoTimeout()
{
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(3));
    QCOMPARE(d.cause, Cause::Unexplained);
    QVERIFY2(d.summary.contains(QLatin1StringView("no idle timer")) ||
                 d.summary.contains(QLatin1StringView("no idle timeout")),
             qPrintable(d.summary));
    // A silence under a second is said in milliseconds after the last frame, never as "no frame for 0.0 s".
    QCOMPARE(d.summary.left(d.summary.indexOf(u':')),
             QStringLiteral("The TCP connection closed without a Close frame 1.0 s after the upgrade and 3 ms after "
                            "the last frame"));
}

void tst_DisconnectDiagnoser::serverCloseIsNotATimeout()
{
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Server;
    close.code = 1001;
    close.reason = QStringLiteral("shutting down");
    close.clean = true;
    close.closeSent = true;
    close.closeReceived = true;
    // Even after exactly 60 s of silence: a Close frame with a code is the server's decision.
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(
        evidence({out(1000), in(1010), in(61010, Kind::Close), out(61011, Kind::Close)}, close, 61020));
    QCOMPARE(d.cause, Cause::ServerClosed);
    QVERIFY(!d.abnormal);
    QVERIFY(d.candidates.isEmpty());
    QVERIFY2(d.summary.contains(QLatin1StringView("1001 Going Away, reason \"shutting down\"")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("not an intermediary's timeout")), qPrintable(d.summary));
    QVERIFY2(d.fix.contains(QLatin1StringView("Reconnect")), qPrintable(d.fix));
}

void tst_DisconnectDiagnoser::clientCloseIsNotATimeout()
{
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Client;
    close.code = 1000;
    close.clean = true;
    close.closeSent = true;
    close.closeReceived = true;
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(
        evidence({out(1000), in(1010), out(61010, Kind::Close), in(61011, Kind::Close)}, close, 61020));
    QCOMPARE(d.cause, Cause::ClientClosed);
    QVERIFY(!d.abnormal);
    QVERIFY(d.candidates.isEmpty());
    QVERIFY(d.fix.isEmpty());
}

void tst_DisconnectDiagnoser::handshakeRefused()
{
    SessionEvidence e;
    e.accepted = false;
    e.status = 403;
    e.handshakeExplanation = QStringLiteral("the server refused the upgrade");
    e.finish(std::nullopt, 20);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QCOMPARE(d.cause, Cause::HandshakeFailed);
    QVERIFY(d.abnormal);
    QVERIFY2(d.summary.contains(QLatin1StringView("HTTP 403")), qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("Not a timeout")), qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::protocolFailure()
{
    SessionEvidence e;
    e.accepted = true;
    e.openedMs = openedMs;
    e.addFrame(1000, Direction::Incoming, Kind::Data, true);
    e.addFrame(1001, Direction::Outgoing, Kind::Close);
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Client;
    close.closeSent = true;
    close.error = QStringLiteral("RSV2 set without an extension (RFC 6455 §5.2)");
    e.finish(close, 1005);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QCOMPARE(d.cause, Cause::ProtocolFailure);
    QVERIFY2(d.summary.contains(close.error), qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::precisionWindow_data()
{
    QTest::addColumn<qint64>("silenceMs");
    QTest::addColumn<bool>("nginx");
    QTest::addColumn<bool>("alb");

    // nginx keeps a deadline within 300 ms (NGX_TIMER_LAZY_DELAY), so it cuts in [T - 0.3 s, T]; measuring adds
    // 0.1 s before and a round trip after. ALB has no such precision.
    QTest::newRow("59.5 s: too early for either") << qint64(59500) << false << false;
    QTest::newRow("59.7 s: nginx's lazy deadline") << qint64(59700) << true << false;
    QTest::newRow("60.0 s") << qint64(60000) << true << true;
    QTest::newRow("61.5 s: a round trip late") << qint64(61500) << true << true;
    QTest::newRow("61.7 s: too late") << qint64(61700) << false << false;
}

void tst_DisconnectDiagnoser::precisionWindow()
{
    QFETCH(qint64, silenceMs);
    QFETCH(bool, nginx);
    QFETCH(bool, alb);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(silenceMs));
    QCOMPARE(find(d, QStringLiteral("nginx")) != nullptr, nginx);
    QCOMPARE(find(d, QStringLiteral("ingress-nginx")) != nullptr, nginx);
    QCOMPARE(find(d, QStringLiteral("aws-alb")) != nullptr, alb);
    QCOMPARE(d.cause, nginx || alb ? Cause::IntermediaryTimeout : Cause::Unexplained);
}

void tst_DisconnectDiagnoser::longerEarlierSilenceRulesOutAModel()
{
    // The connection lived through 70 s without a frame, so a 60 s idle timer of a box on the path would have cut
    // it then: its later 60 s silence is not nginx's doing.
    const SessionEvidence e = evidence({out(1000), in(1010), out(71010), in(71020)}, transportClose(131020), 131020);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QCOMPARE(d.cause, Cause::Unexplained);
    QVERIFY(!find(d, QStringLiteral("nginx")));
    QVERIFY2(d.ruledOut.join(u'\n').contains(QLatin1StringView("lived through 70.0 s without a frame")),
             qPrintable(dump(d)));
}

void tst_DisconnectDiagnoser::tcpKeepaliveRulesOutL4Boxes()
{
    SessionEvidence e;
    e.accepted = true;
    e.openedMs = openedMs;
    e.tcpKeepaliveIdleMs = 30000;
    e.addFrame(1000, Direction::Outgoing, Kind::Data);
    e.addFrame(1010, Direction::Incoming, Kind::Data);
    e.finish(std::nullopt, 351010);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QCOMPARE(d.cause, Cause::StillOpen);
    QVERIFY(d.candidates.isEmpty());
    QVERIFY2(d.ruledOut.join(u'\n').contains(QLatin1StringView("TCP keepalive every 30 s")), qPrintable(dump(d)));
}

void tst_DisconnectDiagnoser::userKnobValues()
{
    // "My nginx has proxy_read_timeout 2 s": compared against that instead of the catalog's defaults.
    QString error;
    const auto link = ChainLink::parse(u"nginx:proxy_read_timeout=2s", IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(link, qPrintable(error));
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(2050), QList<ChainLink>{*link});
    QCOMPARE(ids(d), QStringList{QStringLiteral("nginx/read")});
    QCOMPARE(d.candidates.constFirst().defaultMs, 2000);
    QVERIFY(!d.candidates.constFirst().defaultUnverified);
    QVERIFY2(d.fix.contains(QLatin1StringView("at most every 1.6 s")), qPrintable(d.fix));
}

// A session that ran behind the timeout proxy at time scale 20: 3 s of silence is nginx's 60 s proxy_read_timeout as it
// ran, named as modelled, and the fix is for the real path (with what it is in the reproduction). Against the
// catalog alone the same session looks like no timeout at all.
void tst_DisconnectDiagnoser::knownPathAtATimeScale()
{
    QString error;
    const auto nginx = ChainLink::parse(u"nginx", IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(nginx, qPrintable(error));
    const KnownPath path{{*nginx}, 20.0, QStringLiteral("the timeout proxy")};
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(silentThenFin(3020), path);
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QCOMPARE(ids(d), QStringList{QStringLiteral("nginx/read")});
    const DiagnosisCandidate &top = d.candidates.constFirst();
    QCOMPARE(top.defaultMs, 3000);
    QCOMPARE(top.modelledMs, 60000);
    QCOMPARE(top.label(), QStringLiteral("nginx proxy_read_timeout (default 60 s, run as 3 s)"));
    QVERIFY2(d.summary.startsWith(QLatin1StringView("Cut by the timeout proxy's nginx proxy_read_timeout, 60 s run as "
                                                    "3 s (time scale 20): no frame in either direction for 3.0 s")),
             qPrintable(d.summary));
    QVERIFY2(d.fix.contains(QLatin1StringView("at most every 48 s (2.4 s at time scale 20)")), qPrintable(d.fix));
    QVERIFY2(d.facts.contains(QStringLiteral("ran behind the timeout proxy: nginx, time scale 20 (every timer "
                                             "divided by 20: proxy_read_timeout's 60 s runs as 3 s)")),
             qPrintable(dump(d)));
    // nginx's 300 ms of precision runs as 15 ms: 2.8 s of silence is too early for it.
    QCOMPARE(DisconnectDiagnoser::diagnose(silentThenFin(2800), path).cause, Cause::Unexplained);

    const DisconnectDiagnosis unknown = DisconnectDiagnoser::diagnose(silentThenFin(3020));
    QCOMPARE(unknown.cause, Cause::Unexplained);
}

void tst_DisconnectDiagnoser::knownPathThatDidNotCutIt()
{
    // Behind the proxy, yet the server dropped it right after traffic: the proxy's timers are cleared, plainly.
    QString error;
    const auto nginx = ChainLink::parse(u"nginx", IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(nginx, qPrintable(error));
    const DisconnectDiagnosis d =
        DisconnectDiagnoser::diagnose(silentThenFin(3), KnownPath{{*nginx}, 20.0, QStringLiteral("the timeout proxy")});
    QCOMPARE(d.cause, Cause::Unexplained);
    QVERIFY2(d.summary.startsWith(QLatin1StringView("None of the timers the timeout proxy ran (nginx, time scale 20) "
                                                    "explains this end.")),
             qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::unansweredCloseAfterADrop()
{
    // The user ends the session after 5 min of silence behind an Azure Load Balancer: our Close goes nowhere and
    // the close timeout ends it.
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Client;
    close.code = 1006;
    close.closeSent = true;
    close.error = QStringLiteral("the server did not answer the Close frame within 5000 ms");
    const SessionEvidence e = evidence({out(1000), in(1010), out(301010, Kind::Close)}, close, 306010);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QCOMPARE(d.candidates.constFirst().modelId, QStringLiteral("azure-lb"));
    QVERIFY2(d.summary.contains(QLatin1StringView("Close frame at 301.0 s, which nothing answered")),
             qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::ownEndsAreOurs_data()
{
    QTest::addColumn<int>("reason"); // OwnEnd::Reason
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("closeSent");
    QTest::addColumn<bool>("abnormal");
    QTest::addColumn<QString>("summary");
    const QString answered = QStringLiteral(" It sent a Close frame 5.0 s after the upgrade, and the server answered "
                                            "it. Neither the server nor an intermediary cut it.");
    QTest::newRow("recording failed") << int(OwnEnd::Reason::RecordingFailed)
                                      << QStringLiteral("No space left on device") << true << true
                                      << QStringLiteral("This client ended it: its recording failed (No space left "
                                                        "on device).") +
                                             answered;
    QTest::newRow("duration") << int(OwnEnd::Reason::DurationReached) << QStringLiteral("5 s") << true << false
                              << QStringLiteral("This client ended it: the --duration of 5 s was reached.") + answered;
    QTest::newRow("interrupted") << int(OwnEnd::Reason::Interrupted) << QStringLiteral("SIGINT") << true << false
                                 << QStringLiteral("This client ended it: interrupted by the user (SIGINT).") +
                                        answered;
    QTest::newRow("aborted") << int(OwnEnd::Reason::Aborted) << QString() << false << true
                             << QStringLiteral("This client ended it: it aborted the connection. It dropped the TCP "
                                               "connection 5.0 s after the upgrade, without a Close frame. Neither "
                                               "the server nor an intermediary cut it.");
}

void tst_DisconnectDiagnoser::ownEndsAreOurs()
{
    QFETCH(int, reason);
    QFETCH(QString, detail);
    QFETCH(bool, closeSent);
    QFETCH(bool, abnormal);
    QFETCH(QString, summary);
    const OwnEnd ownEnd{OwnEnd::Reason(reason), detail};
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Client;
    close.code = closeSent ? 1001 : 1006;
    close.closeSent = closeSent;
    close.closeReceived = closeSent;
    close.clean = closeSent;
    if (!closeSent)
        close.error = QStringLiteral("the connection was aborted");
    close.ownEnd = ownEnd;
    QList<Frame> frames{out(1000), in(1010), in(4000)};
    if (closeSent)
        frames << out(openedMs + 5000, Kind::Close) << in(openedMs + 5001, Kind::Close);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(evidence(frames, close, openedMs + 5000));
    QCOMPARE(d.cause, Cause::ClientClosed);
    QCOMPARE(d.abnormal, abnormal);
    QVERIFY(d.candidates.isEmpty());
    QCOMPARE(d.summary, summary);
    QVERIFY2(d.facts.constFirst().contains(QStringLiteral("this client ended it: ") + ownEnd.describe()),
             qPrintable(d.facts.constFirst()));
}

void tst_DisconnectDiagnoser::heartbeatDeathAfterADropNamesTheBox()
{
    // Five minutes of silence behind an Azure Load Balancer, then our pings go nowhere and the heartbeat gives up:
    // the end is ours, and the box that forgot the flow is why nothing answered.
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Client;
    close.code = 1006;
    close.closeSent = true;
    close.error = QStringLiteral("heartbeat dead: no pong within 5 s, 2 time(s) in a row (keepalive ping timeout)");
    close.ownEnd = OwnEnd{OwnEnd::Reason::HeartbeatDead, QStringLiteral("310.0 s without a pong")};
    const SessionEvidence e =
        evidence({out(1000), in(1010), out(301010, Kind::Ping), out(306010, Kind::Ping), out(311010, Kind::Close)},
                 close, 311020);
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
    QVERIFY(d.abnormal);
    QCOMPARE(d.cause, Cause::IntermediaryTimeout);
    QCOMPARE(d.candidates.constFirst().modelId, QStringLiteral("azure-lb"));
    QVERIFY2(d.summary.startsWith(QLatin1StringView("This client ended it: its heartbeat declared the server dead "
                                                    "after 310.0 s without a pong. It sent a Close frame")),
             qPrintable(d.summary));
    QVERIFY2(d.summary.contains(QLatin1StringView("Why nothing answered: ")), qPrintable(d.summary));
    QVERIFY2(!d.summary.contains(QLatin1StringView("The server (or something on the path)")), qPrintable(d.summary));
}

void tst_DisconnectDiagnoser::jsonFields()
{
    const QJsonObject json = DisconnectDiagnoser::diagnose(silentThenFin(60000)).toJson();
    QCOMPARE(json.value(QStringLiteral("cause")).toString(), QStringLiteral("intermediary_timeout"));
    QCOMPARE(json.value(QStringLiteral("abnormal")).toBool(), true);
    QVERIFY(json.value(QStringLiteral("summary")).isString());
    QVERIFY(json.value(QStringLiteral("fix")).isString());
    QVERIFY(json.value(QStringLiteral("facts")).isArray());
    const QJsonObject first = json.value(QStringLiteral("candidates")).toArray().at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("model")).toString(), QStringLiteral("nginx"));
    QCOMPARE(first.value(QStringLiteral("knob")).toString(), QStringLiteral("proxy_read_timeout"));
    QCOMPARE(first.value(QStringLiteral("default_s")).toDouble(), 60.0);
    QCOMPARE(first.value(QStringLiteral("silence_s")).toDouble(), 60.0);
    QCOMPARE(first.value(QStringLiteral("direction")).toString(), QStringLiteral("both"));
    QCOMPARE(first.value(QStringLiteral("confidence")).toString(), QStringLiteral("high"));
    QCOMPARE(first.value(QStringLiteral("action")).toString(), QStringLiteral("fin"));
    QVERIFY(!first.value(QStringLiteral("why")).toString().isEmpty());
}

QTEST_GUILESS_MAIN(tst_DisconnectDiagnoser)
#include "tst_disconnectdiagnoser.moc"
