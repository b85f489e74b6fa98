// SPDX-License-Identifier: GPL-3.0-or-later
// SuggestedChain against hand-built evidence: the end of a real session as a session records it (frames, the close
// record, the upgrade response's fields), diagnosed against the built-in catalog, then turned into the chain the
// simulator starts from.
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/SessionEvidence.h"
#include "core/keepalive/SuggestedChain.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

namespace {

CloseRecord transportClose(qint64 atMs)
{
    CloseRecord close;
    close.initiator = CloseRecord::Initiator::Transport;
    close.code = 1006;
    close.atNs = atMs * 1000000;
    return close;
}

// A message and its echo at 1 s, then `silenceMs` of silence; then TCP closes without a Close frame (`cut`), or the
// session is still open. The server answered with `response`.
SessionEvidence session(qint64 silenceMs, bool cut, const HttpHeaders &response)
{
    SessionEvidence e;
    e.source = QStringLiteral("test");
    e.accepted = true;
    e.status = 101;
    e.openedMs = 40;
    e.secure = true;
    e.host = QStringLiteral("example.com");
    e.responseHeaders = response;
    e.addFrame(1000, Direction::Outgoing, SessionEvidence::FrameKind::Data);
    e.addFrame(1010, Direction::Incoming, SessionEvidence::FrameKind::Data);
    const qint64 end = 1010 + silenceMs;
    e.finish(cut ? std::optional<CloseRecord>(transportClose(end)) : std::nullopt, end);
    return e;
}

const HttpHeaders nginxResponse{{"Upgrade", "websocket"}, {"Server", "nginx/1.22.1"}};

} // namespace

class tst_SuggestedChain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namedNginxAndAFiveSecondCutSetsItsReadTimeout();
    void noClueSuggestsNothingAndSaysSo();
    void noClueButAMatchingDefaultStillSuggestsNothing();
    void noResponseSaysThereIsNothingToRead();
    void clueWithoutACutGivesTheDefaults();
    void clueWhoseDefaultMatchesTheCut();
    void passingBoxStandsInFrontOfTheOneThatWroteTheResponse();
    void onlyTheLikeliestOfTwoNamedBoxesGetsTheMeasuredValue();
    void twoPassingBoxesKeepTheTableOrderAndSaySo();
    void twoFieldsNamingOneBoxGiveOneLink();
    void jsonFields();
};

void tst_SuggestedChain::namedNginxAndAFiveSecondCutSetsItsReadTimeout()
{
    const SuggestedChain s = SuggestedChain::fromEvidence(session(5000, true, nginxResponse));
    QCOMPARE(s.cliLinks(), QStringList{QStringLiteral("nginx:proxy_read_timeout=5s")});
    QCOMPARE(s.links.constFirst().link.value(QStringLiteral("proxy_read_timeout")), 5000);
    QCOMPARE(s.links.constFirst().reason, QStringLiteral("from Server: nginx/1.22.1 in the upgrade response; "
                                                         "proxy_read_timeout set to 5.0 s from the 5.0 s silence "
                                                         "before the cut"));
    QCOMPARE(s.summary, QStringLiteral("Suggested from the upgrade response of wss://example.com."));
    QVERIFY(s.orderNote.isEmpty());
    // The chain round-trips through the command line's syntax.
    QString error;
    const auto parsed = ChainLink::parse(s.cliLinks().constFirst(), IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->value(QStringLiteral("proxy_read_timeout")), 5000);
}

void tst_SuggestedChain::noClueSuggestsNothingAndSaysSo()
{
    // HAProxy with timeout tunnel 5s names itself nowhere in the response it passes on.
    SessionEvidence e = session(5000, true, {{"Upgrade", "websocket"}});
    e.secure = false;
    e.host = QStringLiteral("127.0.0.1");
    const SuggestedChain s = SuggestedChain::fromEvidence(e);
    QVERIFY(s.isEmpty());
    QVERIFY(s.cliLinks().isEmpty());
    QCOMPARE(s.summary, QStringLiteral("No chain suggested: no intermediary named itself in the upgrade response of "
                                       "ws://127.0.0.1. Add the intermediaries you know are there."));
}

void tst_SuggestedChain::noClueButAMatchingDefaultStillSuggestsNothing()
{
    // 60 s matches nginx's default, and others': timing alone does not put a box on the path.
    const SuggestedChain s = SuggestedChain::fromEvidence(session(60000, true, {{"Upgrade", "websocket"}}));
    QVERIFY(s.isEmpty());
    QVERIFY2(s.summary.contains(QLatin1StringView("is not evidence that the box is on the path")),
             qPrintable(s.summary));
    QVERIFY2(s.summary.contains(QLatin1StringView("proxy_read_timeout")), qPrintable(s.summary));
}

void tst_SuggestedChain::noResponseSaysThereIsNothingToRead()
{
    SessionEvidence e;
    e.host = QStringLiteral("example.com");
    e.finish(transportClose(10), 10);
    const SuggestedChain s = SuggestedChain::fromEvidence(e);
    QVERIFY(s.isEmpty());
    QCOMPARE(s.summary, QStringLiteral("No chain suggested: no upgrade response from ws://example.com to read the "
                                       "path from."));
}

void tst_SuggestedChain::clueWithoutACutGivesTheDefaults()
{
    const SuggestedChain s = SuggestedChain::fromEvidence(session(5000, false, nginxResponse));
    QCOMPARE(s.cliLinks(), QStringList{QStringLiteral("nginx")});
    QCOMPARE(s.links.constFirst().link.value(QStringLiteral("proxy_read_timeout")), 60000);
    QCOMPARE(s.links.constFirst().reason, QStringLiteral("from Server: nginx/1.22.1 in the upgrade response; at its "
                                                         "defaults: no cut to measure its settings by"));
}

void tst_SuggestedChain::clueWhoseDefaultMatchesTheCut()
{
    const SuggestedChain s = SuggestedChain::fromEvidence(session(60000, true, nginxResponse));
    QCOMPARE(s.cliLinks(), QStringList{QStringLiteral("nginx")});
    QCOMPARE(s.links.constFirst().reason,
             QStringLiteral("from Server: nginx/1.22.1 in the upgrade response; at its defaults: proxy_read_timeout's "
                            "60 s matches the 60.0 s silence before the cut"));
}

void tst_SuggestedChain::passingBoxStandsInFrontOfTheOneThatWroteTheResponse()
{
    // An ALB passes nginx's response on and adds its cookie: the ALB is in front. The response lists nginx first.
    const SuggestedChain s = SuggestedChain::fromEvidence(
        session(5000, false, {{"Server", "nginx/1.22.1"}, {"Set-Cookie", "AWSALB=abc; Path=/"}}));
    QCOMPARE(s.cliLinks(), (QStringList{QStringLiteral("aws-alb"), QStringLiteral("nginx")}));
    QVERIFY2(
        s.links.constFirst().reason.startsWith(QStringLiteral("from Set-Cookie: AWSALB=… in the upgrade response")),
        qPrintable(s.links.constFirst().reason));
    QCOMPARE(s.orderNote, QStringLiteral("Order: aws-alb adds a field of its own to the response it passes on, so it "
                                         "stands in front of nginx, which wrote it (Server)."));
}

void tst_SuggestedChain::onlyTheLikeliestOfTwoNamedBoxesGetsTheMeasuredValue()
{
    // Both could be set to 5 s; the diagnosis puts the cut on one of them, and only that one is set.
    const SuggestedChain s = SuggestedChain::fromEvidence(
        session(5000, true, {{"Server", "nginx/1.22.1"}, {"Set-Cookie", "AWSALB=abc; Path=/"}}));
    QCOMPARE(s.links.size(), 2);
    const int changed =
        int(s.links.at(0).link.describe().contains(u'=')) + int(s.links.at(1).link.describe().contains(u'='));
    QCOMPARE(changed, 1);
    const qsizetype atDefaults = s.links.at(0).link.describe().contains(u'=') ? 1 : 0;
    QVERIFY2(s.links.at(atDefaults)
                 .reason.contains(
                     QLatin1StringView("at its defaults: the cut is put on nginx's proxy_read_timeout, though its ")),
             qPrintable(s.links.at(atDefaults).reason));
    QVERIFY2(s.links.at(1 - atDefaults).reason.contains(QLatin1StringView("set to 5.0 s from the 5.0 s silence")),
             qPrintable(s.links.at(1 - atDefaults).reason));
}

void tst_SuggestedChain::twoPassingBoxesKeepTheTableOrderAndSaySo()
{
    const SuggestedChain s =
        SuggestedChain::fromEvidence(session(5000, false, {{"Via", "1.1 google"}, {"CF-RAY", "8a1b2c3d4e5f-FRA"}}));
    QCOMPARE(s.cliLinks(), (QStringList{QStringLiteral("cloudflare"), QStringLiteral("gcp-https-lb")}));
    QVERIFY2(s.orderNote.contains(QLatin1StringView("does not tell the order of cloudflare, gcp-https-lb")),
             qPrintable(s.orderNote));
}

void tst_SuggestedChain::twoFieldsNamingOneBoxGiveOneLink()
{
    const SuggestedChain s = SuggestedChain::fromEvidence(
        session(5000, false, {{"Server", "envoy"}, {"x-envoy-upstream-service-time", "3"}}));
    QCOMPARE(s.cliLinks(), QStringList{QStringLiteral("envoy")});
    QVERIFY2(s.links.constFirst().reason.startsWith(
                 QLatin1StringView("from Server: envoy; x-envoy-upstream-service-time: 3 in the upgrade response")),
             qPrintable(s.links.constFirst().reason));
    QVERIFY(s.orderNote.isEmpty());
}

void tst_SuggestedChain::jsonFields()
{
    const QJsonObject json = SuggestedChain::fromEvidence(session(5000, true, nginxResponse)).toJson();
    QCOMPARE(json.value(QStringLiteral("chain")).toArray().toVariantList(),
             QVariantList{QStringLiteral("nginx:proxy_read_timeout=5s")});
    const QJsonObject link = json.value(QStringLiteral("links")).toArray().at(0).toObject();
    QCOMPARE(link.value(QStringLiteral("model")).toString(), QStringLiteral("nginx"));
    QCOMPARE(link.value(QStringLiteral("link")).toString(), QStringLiteral("nginx:proxy_read_timeout=5s"));
    QVERIFY(link.value(QStringLiteral("reason")).toString().startsWith(QLatin1StringView("from Server: nginx/1.22.1")));
    QVERIFY(json.value(QStringLiteral("summary")).toString().startsWith(QLatin1StringView("Suggested from")));
    QVERIFY(json.value(QStringLiteral("order")).isNull());
    const QJsonObject none = SuggestedChain::fromEvidence(session(5000, true, {})).toJson();
    QVERIFY(none.value(QStringLiteral("chain")).toArray().isEmpty());
    QVERIFY(none.value(QStringLiteral("summary")).toString().startsWith(QLatin1StringView("No chain suggested")));
}

QTEST_GUILESS_MAIN(tst_SuggestedChain)
#include "tst_suggestedchain.moc"
