// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_keepalive: how long the keepalive simulator takes for one hour of virtual time with a ping every second
// (answered by a pong) through a three-model chain (NAT -> Cloudflare -> nginx). Prints `name: value unit`.
//
//   wsi_bench_keepalive [--tiny]
//
// --tiny runs a single repetition, for CI; otherwise the best of 20 is reported.
#include "core/keepalive/ChainLink.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/KeepaliveSimulator.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <limits>

using namespace wsi;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const bool tiny = QCoreApplication::arguments().contains(QStringLiteral("--tiny"));
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();

    SimulationScenario scenario;
    scenario.tcp = catalog.tcp();
    for (const char *text : {"nat:idle_timeout=5m", "cloudflare", "nginx"}) {
        QString error;
        std::optional<ChainLink> link = ChainLink::parse(QString::fromLatin1(text), catalog, &error);
        if (!link) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        scenario.chain.append(*link);
    }
    QString error;
    scenario.client.heartbeat =
        *HeartbeatSpec::parse(u"ping:1s", Endpoint::Client, HeartbeatPresets::builtIn(), &error);
    scenario.durationMs = 3600000;

    const int rounds = tiny ? 1 : 20;
    qint64 bestNs = std::numeric_limits<qint64>::max();
    qsizetype events = 0;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer clock;
        clock.start();
        const KeepaliveSimulator::Result result = KeepaliveSimulator::run(scenario);
        bestNs = std::min(bestNs, clock.nsecsElapsed());
        events = result.events.size();
        if (result.outcome.cut) {
            std::fprintf(stderr, "unexpected cut: %s\n", qPrintable(result.outcome.explanation));
            return 1;
        }
    }
    std::printf("keepalive_sim_1h_ping_1s_3_models: %.3f ms\n", double(bestNs) / 1e6);
    std::printf("keepalive_sim_1h_ping_1s_3_models_events: %lld events\n", static_cast<long long>(events));
    return 0;
}
