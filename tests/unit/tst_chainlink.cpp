// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/ChainLink.h"
#include "core/keepalive/IntermediaryCatalog.h"

#include <QTest>

using namespace wsi;

class tst_ChainLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsAndOverrides();
    void haproxyTunnelSupersedesClientAndServer();
    void independentStreamsChangesTheResetRule();
    void actionOverrides();
    void errors_data();
    void errors();
};

void tst_ChainLink::defaultsAndOverrides()
{
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    QString error;
    auto link = ChainLink::parse(u"nginx", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->activeTimers().size(), 3);
    QCOMPARE(link->activeTimers().at(0).valueMs, qint64(60000));
    QCOMPARE(link->describe(), QStringLiteral("nginx"));

    link = ChainLink::parse(u"NGINX:Proxy_Read_Timeout=500ms,send_timeout=2m", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->value(QStringLiteral("proxy_read_timeout")), std::optional<qint64>(500));
    QCOMPARE(link->value(QStringLiteral("send_timeout")), std::optional<qint64>(120000));
    QCOMPARE(link->value(QStringLiteral("proxy_send_timeout")), std::optional<qint64>(60000));
    QVERIFY(link->isOverridden(QStringLiteral("proxy_read_timeout")));
    QCOMPARE(link->describe(), QStringLiteral("nginx:proxy_read_timeout=500ms,send_timeout=120s"));

    // Azure's knob counts minutes, so a plain number is minutes; the alias idle_timeout works too.
    link = ChainLink::parse(u"azure-lb:IdleTimeoutInMinutes=10", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->activeTimers().at(0).valueMs, qint64(600000));
    link = ChainLink::parse(u"aws-alb:idle_timeout=120", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->activeTimers().at(0).valueMs, qint64(120000));

    // The generic NAT has no default.
    link = ChainLink::parse(u"nat", catalog, &error);
    QVERIFY(link);
    QCOMPARE(link->missingRequiredKnobs(), QStringList{QStringLiteral("idle_timeout")});
    QVERIFY(link->activeTimers().isEmpty());
}

void tst_ChainLink::haproxyTunnelSupersedesClientAndServer()
{
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    QString error;
    auto link = ChainLink::parse(u"haproxy", catalog, &error);
    QVERIFY(link);
    QVERIFY(link->activeTimers().isEmpty()); // nothing is set by default

    link = ChainLink::parse(u"haproxy:timeout_client=20s,timeout_server=50s", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    const auto split = link->activeTimers();
    QCOMPARE(split.size(), 4);
    QCOMPARE(link->model().knobs.at(split.at(0).knobIndex).name, QStringLiteral("timeout client"));
    QCOMPARE(split.at(0).valueMs, qint64(20000));
    QCOMPARE(link->model().knobs.at(split.at(1).knobIndex).name, QStringLiteral("timeout server"));
    QCOMPARE(split.at(1).valueMs, qint64(50000));

    link = ChainLink::parse(u"haproxy:timeout_client=20s,timeout_server=50s,timeout_tunnel=1h", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    for (const ChainLink::ActiveTimer &timer : link->activeTimers()) {
        QCOMPARE(link->model().knobs.at(timer.knobIndex).name, QStringLiteral("timeout tunnel"));
        QCOMPARE(timer.valueMs, qint64(3600000));
    }
    link = ChainLink::parse(u"haproxy:timeout_tunnel=1h,timeout_tunnel=none", catalog, &error);
    QVERIFY2(link, qPrintable(error));
    QVERIFY(link->activeTimers().isEmpty());
}

void tst_ChainLink::independentStreamsChangesTheResetRule()
{
    QString error;
    auto link = ChainLink::parse(u"haproxy:timeout_tunnel=30s", IntermediaryCatalog::builtIn(), &error);
    QCOMPARE(link->activeTimers().at(0).resetBy, ResetRule::PayloadEither);
    QCOMPARE(link->activeTimers().at(1).resetBy, ResetRule::PayloadEither);
    link =
        ChainLink::parse(u"haproxy:timeout_tunnel=30s,independent_streams=yes", IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->activeTimers().at(0).resetBy, ResetRule::ReadsFromClient);
    QCOMPARE(link->activeTimers().at(1).resetBy, ResetRule::ReadsFromServer);
}

void tst_ChainLink::actionOverrides()
{
    QString error;
    auto link = ChainLink::parse(u"azure-lb", IntermediaryCatalog::builtIn(), &error);
    QCOMPARE(link->activeTimers().at(0).action, ExpiryAction::Drop);
    link = ChainLink::parse(u"azure-lb:EnableTcpReset=1", IntermediaryCatalog::builtIn(), &error);
    QCOMPARE(link->activeTimers().at(0).action, ExpiryAction::Rst);
    link = ChainLink::parse(u"nginx:reset_timedout_connection=on", IntermediaryCatalog::builtIn(), &error);
    QCOMPARE(link->activeTimers().at(2).action, ExpiryAction::Rst);
    QCOMPARE(link->activeTimers().at(0).action, ExpiryAction::Fin);
    link = ChainLink::parse(u"aws-nlb", IntermediaryCatalog::builtIn(), &error);
    QVERIFY(link->activeTimers().at(0).rstOnNextPacket);
}

void tst_ChainLink::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown model") << QStringLiteral("bogus")
                                   << QStringList{QStringLiteral("unknown model 'bogus'"),
                                                  QStringLiteral("nginx, ingress-nginx, haproxy"),
                                                  QStringLiteral("linux-conntrack, nat")};
    QTest::newRow("unknown knob") << QStringLiteral("nginx:proxy_timeout=5s")
                                  << QStringList{
                                         QStringLiteral("unknown knob 'proxy_timeout' for nginx"),
                                         QStringLiteral("proxy_read_timeout, proxy_send_timeout, send_timeout")};
    QTest::newRow("haproxy knobs listed") << QStringLiteral("haproxy:tunnel=5s")
                                          << QStringList{QStringLiteral("timeout_tunnel, timeout_client, "
                                                                        "timeout_server, independent_streams")};
    QTest::newRow("bad duration") << QStringLiteral("nginx:proxy_read_timeout=soon")
                                  << QStringList{QStringLiteral("nginx:proxy_read_timeout"),
                                                 QStringLiteral("'soon' is not a duration")};
    QTest::newRow("no value") << QStringLiteral("nginx:proxy_read_timeout")
                              << QStringList{QStringLiteral("expected knob=value")};
    QTest::newRow("zero") << QStringLiteral("nginx:proxy_read_timeout=0")
                          << QStringList{QStringLiteral("greater than 0"), QStringLiteral("none")};
    QTest::newRow("bad flag") << QStringLiteral("haproxy:independent_streams=maybe")
                              << QStringList{QStringLiteral("expected 0 or 1")};
    QTest::newRow("outside range") << QStringLiteral("azure-lb:IdleTimeoutInMinutes=2")
                                   << QStringList{QStringLiteral("outside the documented range 240 s to 100 min")};
    QTest::newRow("nlb range") << QStringLiteral("aws-nlb:idle_timeout=30")
                               << QStringList{QStringLiteral("outside the documented range")};
}

void tst_ChainLink::errors()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mentions);
    QString error;
    QVERIFY(!ChainLink::parse(text, IntermediaryCatalog::builtIn(), &error));
    for (const QString &mention : mentions)
        QVERIFY2(error.contains(mention), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ChainLink)
#include "tst_chainlink.moc"
