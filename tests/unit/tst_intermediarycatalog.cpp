// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

class tst_IntermediaryCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRequiredEntryLoadsWithAllFields();
    void defaultsFromTheReference_data();
    void defaultsFromTheReference();
    void resetRulesAndActions();
    void onlyNginxAndHaproxyAreVerifiedByTests();
    void tcpDefaults();
    void brokenCatalogsAreRefused_data();
    void brokenCatalogsAreRefused();
};

void tst_IntermediaryCatalog::everyRequiredEntryLoadsWithAllFields()
{
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    for (const char *id :
         {"nginx", "ingress-nginx", "haproxy", "envoy", "aws-alb", "aws-nlb", "aws-nat-gateway", "aws-apigw-websocket",
          "cloudflare", "gcp-https-lb", "azure-lb", "azure-front-door", "heroku", "linux-conntrack", "nat"})
        QVERIFY2(catalog.find(QString::fromLatin1(id)), id);
    QVERIFY(catalog.models().size() >= 15);
    for (const IntermediaryModel &model : catalog.models()) {
        QVERIFY2(!model.name.isEmpty() && !model.source.isEmpty(), qPrintable(model.id));
        for (const IntermediaryKnob &knob : model.knobs) {
            QVERIFY2(!knob.name.isEmpty() && !knob.cliName.isEmpty() && !knob.description.isEmpty(),
                     qPrintable(model.id + u' ' + knob.name));
            // Command-line names are the real ones with spaces, dashes and dots as underscores.
            QVERIFY2(!knob.cliName.contains(u' ') && !knob.cliName.contains(u'-') && !knob.cliName.contains(u'.'),
                     qPrintable(knob.cliName));
            QVERIFY2(knob.defaultValue || knob.required || !knob.isFlag(), qPrintable(knob.name));
        }
        for (const IntermediaryTimer &timer : model.timers) {
            QVERIFY2(!timer.onExpiry.isEmpty(), qPrintable(model.id + u' ' + timer.id));
            for (const QString &knob : timer.knobs)
                QVERIFY2(model.knob(knob), qPrintable(model.id + u' ' + knob));
        }
    }
    // The file the catalog reads is the one in resources/.
    QFile file(IntermediaryCatalog::builtInPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("intermediaries")).toArray().size(),
             catalog.models().size());
}

void tst_IntermediaryCatalog::defaultsFromTheReference_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("knob");
    QTest::addColumn<qint64>("ms"); // -1: unset
    QTest::newRow("nginx read") << QStringLiteral("nginx") << QStringLiteral("proxy_read_timeout") << qint64(60000);
    QTest::newRow("nginx send") << QStringLiteral("nginx") << QStringLiteral("proxy_send_timeout") << qint64(60000);
    QTest::newRow("nginx send_timeout") << QStringLiteral("nginx") << QStringLiteral("send_timeout") << qint64(60000);
    QTest::newRow("ingress connect") << QStringLiteral("ingress-nginx") << QStringLiteral("proxy-connect-timeout")
                                     << qint64(5000);
    QTest::newRow("haproxy tunnel") << QStringLiteral("haproxy") << QStringLiteral("timeout tunnel") << qint64(-1);
    QTest::newRow("haproxy client") << QStringLiteral("haproxy") << QStringLiteral("timeout client") << qint64(-1);
    QTest::newRow("envoy stream") << QStringLiteral("envoy") << QStringLiteral("stream_idle_timeout") << qint64(300000);
    QTest::newRow("alb") << QStringLiteral("aws-alb") << QStringLiteral("idle_timeout.timeout_seconds")
                         << qint64(60000);
    QTest::newRow("nlb") << QStringLiteral("aws-nlb") << QStringLiteral("tcp.idle_timeout.seconds") << qint64(350000);
    QTest::newRow("nat gateway") << QStringLiteral("aws-nat-gateway") << QStringLiteral("idle timeout")
                                 << qint64(350000);
    QTest::newRow("apigw idle") << QStringLiteral("aws-apigw-websocket") << QStringLiteral("idle timeout")
                                << qint64(600000);
    QTest::newRow("apigw lifetime") << QStringLiteral("aws-apigw-websocket")
                                    << QStringLiteral("maximum connection duration") << qint64(7200000);
    QTest::newRow("cloudflare") << QStringLiteral("cloudflare") << QStringLiteral("idle timeout") << qint64(100000);
    QTest::newRow("gcp") << QStringLiteral("gcp-https-lb") << QStringLiteral("timeoutSec") << qint64(30000);
    QTest::newRow("azure lb") << QStringLiteral("azure-lb") << QStringLiteral("IdleTimeoutInMinutes") << qint64(240000);
    QTest::newRow("afd idle") << QStringLiteral("azure-front-door") << QStringLiteral("idle timeout") << qint64(300000);
    QTest::newRow("afd lifetime") << QStringLiteral("azure-front-door") << QStringLiteral("maximum lifetime")
                                  << qint64(14400000);
    QTest::newRow("heroku") << QStringLiteral("heroku") << QStringLiteral("idle window") << qint64(55000);
    QTest::newRow("conntrack") << QStringLiteral("linux-conntrack")
                               << QStringLiteral("nf_conntrack_tcp_timeout_established") << qint64(432000000);
    QTest::newRow("nat") << QStringLiteral("nat") << QStringLiteral("mapping timeout") << qint64(-1);
}

void tst_IntermediaryCatalog::defaultsFromTheReference()
{
    QFETCH(QString, model);
    QFETCH(QString, knob);
    QFETCH(qint64, ms);
    const IntermediaryModel *m = IntermediaryCatalog::builtIn().find(model);
    QVERIFY(m);
    const IntermediaryKnob *k = m->knob(knob);
    QVERIFY2(k, qPrintable(knob));
    QCOMPARE(k->defaultValue.value_or(-1), ms);
}

void tst_IntermediaryCatalog::resetRulesAndActions()
{
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    const IntermediaryModel *nginx = catalog.find(u"nginx");
    QCOMPARE(nginx->layer, IntermediaryModel::Layer::L7);
    QCOMPARE(nginx->precisionMs, qint64(300));
    QCOMPARE(nginx->timers.size(), 3);
    QCOMPARE(nginx->timers.at(0).kind, TimerKind::Idle);
    QCOMPARE(nginx->timers.at(0).resetBy, ResetRule::PayloadEither); // either direction, per the source
    QCOMPARE(nginx->timers.at(1).kind, TimerKind::StallToServer);    // proxy_send_timeout
    QCOMPARE(nginx->timers.at(2).kind, TimerKind::StallToClient);    // send_timeout
    QCOMPARE(nginx->timers.at(2).actionOverrides.size(), 1);
    QCOMPARE(nginx->timers.at(2).actionOverrides.at(0).action, ExpiryAction::Rst);
    QVERIFY(!nginx->knob(u"proxy_connect_timeout")->afterUpgrade);

    const IntermediaryModel *haproxy = catalog.find(u"haproxy");
    QCOMPARE(haproxy->timers.at(0).knobs,
             (QStringList{QStringLiteral("timeout tunnel"), QStringLiteral("timeout client")}));
    QCOMPARE(haproxy->timers.at(0).resetOverrides.at(0).resetBy, ResetRule::ReadsFromClient);
    QCOMPARE(haproxy->timers.at(1).resetOverrides.at(0).resetBy, ResetRule::ReadsFromServer);
    QCOMPARE(haproxy->timers.at(0).action, ExpiryAction::Fin); // read timeout
    QCOMPARE(haproxy->timers.at(2).action, ExpiryAction::Rst); // write timeout

    for (const char *l4 : {"aws-nlb", "aws-nat-gateway", "azure-lb", "linux-conntrack", "nat"}) {
        const IntermediaryModel *model = catalog.find(QString::fromLatin1(l4));
        QVERIFY2(model->isL4(), l4);
        QCOMPARE(model->timers.at(0).resetBy, ResetRule::PacketsEither);
        QCOMPARE(model->timers.at(0).action, ExpiryAction::Drop);
    }
    QVERIFY(catalog.find(u"aws-nlb")->timers.at(0).rstOnNextPacket);
    QVERIFY(catalog.find(u"aws-nlb")->timers.at(0).rstOnNextPacketUnverified);
    QCOMPARE(catalog.find(u"azure-lb")->timers.at(0).actionOverrides.at(0).action, ExpiryAction::Rst);
    QCOMPARE(catalog.find(u"aws-apigw-websocket")->timers.at(0).resetBy, ResetRule::DataEither);
    QCOMPARE(catalog.find(u"aws-apigw-websocket")->timers.at(1).kind, TimerKind::Lifetime);
    QCOMPARE(catalog.find(u"gcp-https-lb")->timers.at(0).kind, TimerKind::Lifetime);
    QVERIFY(catalog.find(u"nat")->knob(u"mapping timeout")->required);
    QVERIFY(catalog.find(u"aws-nat-gateway")->knob(u"idle timeout")->defaultUnverified);
}

void tst_IntermediaryCatalog::onlyNginxAndHaproxyAreVerifiedByTests()
{
    for (const IntermediaryModel &model : IntermediaryCatalog::builtIn().models()) {
        if (model.id == QLatin1StringView("nginx"))
            QCOMPARE(model.verifiedKnobs,
                     (QStringList{QStringLiteral("proxy_read_timeout"), QStringLiteral("proxy_send_timeout"),
                                  QStringLiteral("send_timeout")}));
        else if (model.id == QLatin1StringView("haproxy"))
            QCOMPARE(model.verifiedKnobs,
                     (QStringList{QStringLiteral("timeout_tunnel"), QStringLiteral("timeout_client"),
                                  QStringLiteral("timeout_server"), QStringLiteral("independent_streams")}));
        else
            QVERIFY2(!model.verifiedByTests && model.verifiedKnobs.isEmpty(), qPrintable(model.id));
        if (!model.verifiedKnobs.isEmpty())
            QVERIFY(model.verifiedByTests);
    }
}

void tst_IntermediaryCatalog::tcpDefaults()
{
    const TcpDefaults &tcp = IntermediaryCatalog::builtIn().tcp();
    QCOMPARE(tcp.retransmissionTimeoutMs, qint64(924600));
    QCOMPARE(tcp.keepaliveIdleMs, qint64(7200000));
    QCOMPARE(tcp.keepaliveIntervalMs, qint64(75000));
    QCOMPARE(tcp.keepaliveProbes, 9);
}

void tst_IntermediaryCatalog::brokenCatalogsAreRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const QByteArray tcp =
        R"("tcp":{"retransmission_timeout_s":924.6,"keepalive_defaults":{"idle_s":7200,"intvl_s":75,"probes":9}})";
    const auto entry = [&](const QByteArray &model) -> QByteArray {
        return QByteArray(R"({"schema_version":1,)") + tcp + R"(,"intermediaries":[)" + model + "]}";
    };
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not JSON");
    QTest::newRow("no source")
        << entry(
               R"({"id":"x","name":"X","layer":"l7","precision_ms":0,"verified_by_tests":false,"knobs":[],"timers":[]})")
        << QStringLiteral("\"source\"");
    QTest::newRow("bad layer")
        << entry(
               R"({"id":"x","name":"X","layer":"l9","precision_ms":0,"source":"s","verified_by_tests":false,"knobs":[],"timers":[]})")
        << QStringLiteral("\"layer\"");
    QTest::newRow("timer on unknown knob")
        << entry(
               R"({"id":"x","name":"X","layer":"l7","precision_ms":0,"source":"s","verified_by_tests":false,"knobs":[],
                    "timers":[{"id":"t","kind":"idle","knobs":["nope"],"reset_by":"payload_either","action":"fin","on_expiry":"close"}]})")
        << QStringLiteral("'nope' is not a duration knob");
    QTest::newRow("bad action")
        << entry(R"({"id":"x","name":"X","layer":"l7","precision_ms":0,"source":"s","verified_by_tests":false,
                    "knobs":[{"name":"k","cli":"k","type":"duration","default_s":1,"description":"d"}],
                    "timers":[{"id":"t","kind":"idle","knobs":["k"],"reset_by":"payload_either","action":"boom","on_expiry":"close"}]})")
        << QStringLiteral("\"action\"");
}

void tst_IntermediaryCatalog::brokenCatalogsAreRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!IntermediaryCatalog::fromJson(json, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_IntermediaryCatalog)
#include "tst_intermediarycatalog.moc"
