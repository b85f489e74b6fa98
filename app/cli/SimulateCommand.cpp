// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/SimulateCommand.h"

#include "app/cli/ExitStatus.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/text/DurationText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wsi::cli {
namespace {

// The human timeline keeps every significant event and this many routine ones (frames, probes) at each end.
constexpr qsizetype routineShownAtEachEnd = 12;

QByteArray jsonLine(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QString secondsText(qint64 ms)
{
    return QStringLiteral("%1s").arg(double(ms) / 1000.0, 0, 'f', 3);
}

QString endSummary(const EndpointBehaviour &end)
{
    QStringList parts{end.heartbeat.describe()};
    parts.append(end.trafficEveryMs
                     ? QStringLiteral("a data message every ") + DurationText::format(*end.trafficEveryMs)
                     : QStringLiteral("no traffic of its own"));
    if (!end.recorded.isEmpty())
        parts.append(QStringLiteral("%1 recorded frames").arg(end.recorded.size()));
    parts.append(end.tcpKeepalive.describe());
    parts.append(end.answersPings ? QStringLiteral("answers pings") : QStringLiteral("does not answer pings"));
    if (end.stopsReadingAtMs)
        parts.append(QStringLiteral("stops reading at ") + DurationText::format(*end.stopsReadingAtMs));
    return parts.join(QStringLiteral("; "));
}

QString viewLine(const EndpointView &view)
{
    switch (view.state) {
    case EndpointView::State::Open:
        return QStringLiteral("open");
    case EndpointView::State::Closed: {
        QString text = QStringLiteral("close %1 at %2 (%3)")
                           .arg(QString::number(view.closeCode.value_or(1006)),
                                DurationText::format(view.atMs.value_or(0)), view.how);
        if (view.halfOpenSinceMs)
            text +=
                QStringLiteral(", after %1 half-open").arg(DurationText::format(*view.atMs - *view.halfOpenSinceMs));
        return text + QStringLiteral(": ") + view.detail;
    }
    case EndpointView::State::HalfOpen:
        return QStringLiteral("half-open from %1 on: ").arg(DurationText::format(view.halfOpenSinceMs.value_or(0))) +
               view.detail;
    }
    return {};
}

QJsonObject knobJson(const IntermediaryKnob &knob)
{
    QJsonObject object{
        {QStringLiteral("name"), knob.name},
        {QStringLiteral("cli"), knob.cliName},
        {QStringLiteral("type"), knob.isFlag() ? QStringLiteral("flag") : QStringLiteral("duration")},
        {QStringLiteral("after_upgrade"), knob.afterUpgrade},
        {QStringLiteral("configurable"), knob.configurable},
        {QStringLiteral("description"), knob.description},
    };
    if (knob.isFlag())
        object.insert(QStringLiteral("default"), knob.defaultValue ? QJsonValue(*knob.defaultValue) : QJsonValue());
    else
        object.insert(QStringLiteral("default_s"),
                      knob.defaultValue ? QJsonValue(DurationText::seconds(*knob.defaultValue)) : QJsonValue());
    if (knob.defaultUnverified)
        object.insert(QStringLiteral("default_unverified"), true);
    return object;
}

// The start event's "suggested": the chain the replayed session suggests and whether it is the one simulated; null
// without --from.
QJsonValue suggestedJson(const SimulateArguments &arguments)
{
    if (!arguments.suggested)
        return QJsonValue();
    QJsonObject object = arguments.suggested->toJson();
    object.insert(QStringLiteral("used"), arguments.suggestedChainUsed);
    return object;
}

} // namespace

int SimulateCommand::run(const QStringList &arguments)
{
    const SimulateParseResult parsed = parseSimulateArguments(arguments);
    if (!parsed.arguments) {
        QTextStream(stderr) << "wsinspector-cli simulate: " << parsed.error
                            << "\nTry 'wsinspector-cli simulate --help'.\n";
        return ExitUsage;
    }
    QTextStream out(stdout);
    if (parsed.arguments->help) {
        out << simulateHelpText();
        return ExitOk;
    }
    if (parsed.arguments->listModels) {
        listModels(out, parsed.arguments->json);
        return ExitOk;
    }
    const KeepaliveSimulator::Result result = KeepaliveSimulator::run(parsed.arguments->scenario);
    if (parsed.arguments->json)
        printJson(out, *parsed.arguments, result);
    else
        printHuman(out, *parsed.arguments, result);
    return ExitOk;
}

void SimulateCommand::listModels(QTextStream &out, bool json)
{
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    const HeartbeatPresets &presets = HeartbeatPresets::builtIn();
    if (json) {
        for (const IntermediaryModel &model : catalog.models()) {
            QJsonArray knobs;
            for (const IntermediaryKnob &knob : model.knobs)
                knobs.append(knobJson(knob));
            QJsonArray timers;
            for (const IntermediaryTimer &timer : model.timers) {
                timers.append(QJsonObject{
                    {QStringLiteral("id"), timer.id},
                    {QStringLiteral("kind"), IntermediaryTimer::kindName(timer.kind)},
                    {QStringLiteral("knobs"), QJsonArray::fromStringList(timer.knobs)},
                    {QStringLiteral("reset_by"), timer.kind == TimerKind::Idle
                                                     ? QJsonValue(IntermediaryTimer::resetRuleName(timer.resetBy))
                                                     : QJsonValue()},
                    {QStringLiteral("action"), IntermediaryTimer::actionName(timer.action)},
                    {QStringLiteral("on_expiry"), timer.onExpiry},
                });
            }
            out << jsonLine(QJsonObject{
                {QStringLiteral("model"), model.id},
                {QStringLiteral("name"), model.name},
                {QStringLiteral("layer"), model.isL4() ? QStringLiteral("l4") : QStringLiteral("l7")},
                {QStringLiteral("precision_ms"), model.precisionMs},
                {QStringLiteral("knobs"), knobs},
                {QStringLiteral("timers"), timers},
                {QStringLiteral("source"), model.source},
                {QStringLiteral("verified_by_tests"), model.verifiedByTests},
                {QStringLiteral("verified_knobs"), QJsonArray::fromStringList(model.verifiedKnobs)},
            });
        }
        for (const HeartbeatPreset &preset : presets.presets()) {
            out << jsonLine(QJsonObject{
                {QStringLiteral("preset"), preset.id},
                {QStringLiteral("name"), preset.name},
                {QStringLiteral("mechanism"), preset.mechanism},
                {QStringLiteral("timeout"), preset.timeoutText},
                {QStringLiteral("client"), preset.client ? QJsonValue(preset.client->describe()) : QJsonValue()},
                {QStringLiteral("server"), preset.server ? QJsonValue(preset.server->describe()) : QJsonValue()},
            });
        }
        return;
    }

    out << "Intermediary models (--chain MODEL[:knob=value,...]):\n";
    for (const IntermediaryModel &model : catalog.models()) {
        out << "\n" << model.id << "  " << model.name << "  [" << (model.isL4() ? "L4" : "L7") << "]";
        if (model.verifiedByTests)
            out << "  verified by tests: " << model.verifiedKnobs.join(QStringLiteral(", "));
        if (model.unverified)
            out << "  (values unverified)";
        out << "\n";
        for (const IntermediaryKnob &knob : model.knobs) {
            const QString value = !knob.defaultValue ? QStringLiteral("none")
                                  : knob.isFlag()    ? QString::number(*knob.defaultValue)
                                                     : DurationText::format(*knob.defaultValue);
            out << "  " << knob.cliName.leftJustified(38) << ' ' << value.leftJustified(9) << ' ' << knob.name;
            if (!knob.afterUpgrade)
                out << " (before the upgrade only)";
            if (knob.defaultUnverified)
                out << " (unverified)";
            out << "\n";
        }
        for (const IntermediaryTimer &timer : model.timers) {
            out << "    timer " << timer.id << ": " << IntermediaryTimer::kindName(timer.kind);
            if (timer.kind == TimerKind::Idle)
                out << ", reset by " << IntermediaryTimer::resetRuleName(timer.resetBy);
            out << ", on expiry " << IntermediaryTimer::actionName(timer.action) << " (" << timer.onExpiry << ")\n";
        }
        if (model.precisionMs > 0)
            out << "    precision " << DurationText::format(model.precisionMs) << "\n";
        out << "    source: " << model.source << "\n";
    }
    out << "\nHeartbeat presets (--client-heartbeat / --server-heartbeat NAME):\n";
    for (const HeartbeatPreset &preset : presets.presets()) {
        out << "\n" << preset.id << "  " << preset.name << "\n";
        for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
            const std::optional<HeartbeatSpec> &role = preset.role(side);
            if (!role)
                continue;
            out << (side == Endpoint::Client ? "    as client: " : "    as server: ") << role->describe() << "\n";
            QStringList knobs;
            for (const HeartbeatSpec::Knob &knob : role->knobs)
                knobs.append(knob.name + QStringLiteral("=S"));
            if (!knobs.isEmpty())
                out << "      " << preset.id << ":" << knobs.join(u',') << "\n";
        }
    }
}

void SimulateCommand::printHuman(QTextStream &out, const SimulateArguments &arguments,
                                 const KeepaliveSimulator::Result &result)
{
    const SimulationScenario &scenario = arguments.scenario;
    QStringList chain{QStringLiteral("client")};
    for (const ChainLink &link : scenario.chain)
        chain.append(link.describe());
    chain.append(QStringLiteral("server"));
    out << "Simulating " << chain.join(QStringLiteral(" -> ")) << " for " << DurationText::format(scenario.durationMs)
        << "\n";
    out << "  client: " << endSummary(scenario.client) << "\n";
    out << "  server: " << endSummary(scenario.server) << "\n";
    if (!arguments.fromFile.isEmpty())
        out << "  traffic replayed from " << arguments.fromFile << "\n";
    if (!arguments.protocolFromFile.isEmpty())
        out << "  " << arguments.protocolFromFile << "\n";
    if (arguments.suggested) {
        // Where the chain came from, or what the session would have suggested had --chain not been given.
        const SuggestedChain &suggested = *arguments.suggested;
        if (arguments.suggestedChainUsed) {
            out << "\nChain from the session (no --chain given):\n";
            for (const QString &line : suggested.toLines())
                out << "  " << line << "\n";
        } else if (!suggested.isEmpty()) {
            out << "  the session suggests " << suggested.cliLinks().join(QStringLiteral(" -> "))
                << "; --chain given, so the chain above is used\n";
        }
    }

    out << "\nTimeline:\n";
    const QList<SimulationEvent> &events = result.events;
    const auto routine = [](const SimulationEvent &e) {
        return e.type == SimulationEvent::Type::Frame || e.type == SimulationEvent::Type::KeepaliveProbe;
    };
    qsizetype routineTotal = 0;
    for (const SimulationEvent &event : events)
        routineTotal += routine(event) ? 1 : 0;
    qsizetype routineSeen = 0;
    qsizetype omitted = 0;
    for (const SimulationEvent &event : events) {
        if (routine(event)) {
            ++routineSeen;
            if (routineSeen > routineShownAtEachEnd && routineSeen <= routineTotal - routineShownAtEachEnd) {
                ++omitted;
                continue;
            }
        }
        if (omitted > 0) {
            out << QStringLiteral("%1  ... %2 more frames and probes (--json lists every event)\n")
                       .arg(QString(), 10)
                       .arg(omitted);
            omitted = 0;
        }
        out << secondsText(event.atMs).rightJustified(12) << "  " << event.describe() << "\n";
    }
    if (events.isEmpty())
        out << "  (nothing happens: no traffic, no heartbeat, no timer)\n";

    const SimulationOutcome &o = result.outcome;
    out << "\nOutcome: ";
    if (o.cut)
        out << "cut at " << DurationText::format(o.atMs) << " by " << o.by << " (" << o.timer << ", "
            << IntermediaryTimer::actionName(o.action) << ")\n";
    else
        out << "alive after " << DurationText::format(scenario.durationMs) << "\n";
    out << "  client sees: " << viewLine(o.client) << "\n";
    out << "  server sees: " << viewLine(o.server) << "\n";
    out << "\nWhy: " << o.explanation << "\n";
    if (!o.fix.isEmpty())
        out << "Fix: " << o.fix << "\n";
    if (!o.assumptions.isEmpty()) {
        out << "Assumptions:\n";
        for (const QString &assumption : o.assumptions)
            out << "  - " << assumption << "\n";
    }
}

void SimulateCommand::printJson(QTextStream &out, const SimulateArguments &arguments,
                                const KeepaliveSimulator::Result &result)
{
    const SimulationScenario &scenario = arguments.scenario;
    QJsonArray chain;
    for (const ChainLink &link : scenario.chain)
        chain.append(link.describe());
    out << jsonLine(QJsonObject{
        {QStringLiteral("event"), QStringLiteral("start")},
        {QStringLiteral("t"), 0},
        {QStringLiteral("chain"), chain},
        {QStringLiteral("duration_s"), DurationText::seconds(scenario.durationMs)},
        {QStringLiteral("client"), endSummary(scenario.client)},
        {QStringLiteral("server"), endSummary(scenario.server)},
        {QStringLiteral("assumptions"), QJsonArray::fromStringList(result.outcome.assumptions)},
        {QStringLiteral("suggested"), suggestedJson(arguments)},
        {QStringLiteral("protocol_from_file"),
         arguments.protocolFromFile.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(arguments.protocolFromFile)},
    });
    for (const SimulationEvent &event : result.events)
        out << jsonLine(event.toJson());
    out << jsonLine(result.outcome.toJson());
}

} // namespace wsi::cli
