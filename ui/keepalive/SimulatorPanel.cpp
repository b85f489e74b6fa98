// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/keepalive/SimulatorPanel.h"

#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/SessionTraffic.h"
#include "core/records/FrameLog.h"
#include "core/text/DurationText.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/widgets/ThemedStyle.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

namespace wsi {
namespace {

enum KnobColumn { KnobName, KnobDefault, KnobValue };
enum Page { SetUpPage, ResultPage };

// The simulated frames as a frame log of their own, so the same timeline widget draws them: the client's as
// outgoing, the server's as incoming. Frames lost on a dead path are left out.
std::shared_ptr<const FrameLog> predictedFrames(const KeepaliveSimulator::Result &result)
{
    auto log = std::make_shared<FrameLog>(FrameLog::Budget{0, 0});
    for (const SimulationEvent &event : result.events) {
        if (event.type != SimulationEvent::Type::Frame || !event.ok)
            continue;
        FrameHeader header;
        header.fin = true;
        header.opcode = event.frameKind == SimulationEvent::FrameKind::Ping   ? 0x9
                        : event.frameKind == SimulationEvent::FrameKind::Pong ? 0xA
                                                                              : 0x1;
        header.headerLength = 2;
        const Direction direction = event.end == Endpoint::Client ? Direction::Outgoing : Direction::Incoming;
        log->appendFrame(FrameRecord::fromHeader(header, event.atMs * 1'000'000, direction), {});
    }
    return log;
}

QString knobValueText(const IntermediaryKnob &knob, std::optional<qint64> value)
{
    if (!value)
        return QObject::tr("not set");
    if (knob.isFlag())
        return *value ? QStringLiteral("on") : QStringLiteral("off");
    return DurationText::format(*value);
}

} // namespace

SimulatorPanel::SimulatorPanel(QWidget *parent)
    : QWidget(parent)
    , m_models(new QComboBox(this))
    , m_add(new QPushButton(tr("Add"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_up(new QPushButton(tr("Up"), this))
    , m_down(new QPushButton(tr("Down"), this))
    , m_suggestion(new QLabel(this))
    , m_links(new QListWidget(this))
    , m_knobs(new QTableWidget(0, 3, this))
    , m_clientHeartbeat(new QLineEdit(this))
    , m_serverHeartbeat(new QLineEdit(this))
    , m_serverAnswersPings(new QCheckBox(tr("Server answers pings"), this))
    , m_sessionTraffic(new QCheckBox(tr("Replay this session's traffic"), this))
    , m_duration(new QLineEdit(QStringLiteral("1h"), this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_reproduce(new QPushButton(tr("Reproduce live"), this))
    , m_timeScale(new QDoubleSpinBox(this))
    , m_outcome(new QLabel(this))
    , m_explanation(new QLabel(this))
    , m_events(new QPlainTextEdit(this))
    , m_predicted(new TimelineWidget(this))
    , m_pages(new QTabWidget(this))
{
    for (const IntermediaryModel &model : IntermediaryCatalog::builtIn().models())
        m_models->addItem(QStringLiteral("%1 (%2)").arg(model.name, model.id), model.id);
    m_models->setObjectName(QStringLiteral("models"));
    // The names are long ("Amazon Web Services Application Load Balancer (aws-alb)"): the closed box elides, the
    // open list shows them whole.
    m_models->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_models->setMinimumContentsLength(14);
    m_models->view()->setMinimumWidth(m_models->view()->sizeHintForColumn(0) + 32);
    m_add->setObjectName(QStringLiteral("addModel"));
    m_remove->setObjectName(QStringLiteral("removeLink"));
    m_links->setObjectName(QStringLiteral("chain"));
    m_suggestion->setObjectName(QStringLiteral("chainSuggestion"));
    m_suggestion->setWordWrap(true);
    // A note about the chain under it, set apart from the settings around it.
    m_suggestion->setFrameShape(QFrame::StyledPanel);
    m_suggestion->setMargin(4);
    m_suggestion->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_suggestion->setVisible(false);
    // A chain is a few links and a model a few knobs: short lists leave the outcome in view.
    const int line = fontMetrics().lineSpacing();
    m_links->setMaximumHeight(5 * line + 8);
    m_knobs->setMaximumHeight(7 * line + 8);
    m_knobs->setObjectName(QStringLiteral("knobs"));
    m_knobs->setHorizontalHeaderLabels({tr("Setting"), tr("Default"), tr("Value")});
    // In a narrow panel the setting's name gives way (elided; its tooltip names it whole), never the value.
    m_knobs->horizontalHeader()->setSectionResizeMode(KnobName, QHeaderView::Stretch);
    m_knobs->horizontalHeader()->setSectionResizeMode(KnobDefault, QHeaderView::ResizeToContents);
    m_knobs->horizontalHeader()->setSectionResizeMode(KnobValue, QHeaderView::Fixed);
    m_knobs->horizontalHeader()->resizeSection(KnobValue,
                                               fontMetrics().horizontalAdvance(QStringLiteral("00000 ms")) + 16);
    m_knobs->verticalHeader()->setVisible(false);
    m_clientHeartbeat->setObjectName(QStringLiteral("clientHeartbeat"));
    m_serverHeartbeat->setObjectName(QStringLiteral("serverHeartbeat"));
    QStringList presetNames;
    for (const HeartbeatPreset &preset : HeartbeatPresets::builtIn().presets())
        presetNames << preset.id;
    const QString specHelp =
        tr("none, ping:30[,timeout=10], pong:30, app:25, or a preset: %1").arg(presetNames.join(QStringLiteral(", ")));
    for (QLineEdit *edit : {m_clientHeartbeat, m_serverHeartbeat}) {
        edit->setText(QStringLiteral("none"));
        edit->setToolTip(specHelp);
        edit->setPlaceholderText(QStringLiteral("ping:30,timeout=10"));
    }
    m_serverAnswersPings->setChecked(true);
    m_sessionTraffic->setObjectName(QStringLiteral("sessionTraffic"));
    m_sessionTraffic->setEnabled(false);
    m_sessionTraffic->setToolTip(tr("Both ends send exactly what they sent in this session, at the same times"));
    m_duration->setObjectName(QStringLiteral("duration"));
    m_run->setObjectName(QStringLiteral("run"));
    // Run stretches over the row where there is room; where there is none (a 320 px side tab, in a window under
    // 960 px wide) it gives way to its text, so the row, and the panel, never scroll sideways.
    m_run->setMinimumWidth(m_run->fontMetrics().horizontalAdvance(m_run->text()) +
                           4 * fontMetrics().averageCharWidth());
    m_reproduce->setObjectName(QStringLiteral("reproduceLive"));
    m_reproduce->setToolTip(tr("Start the timeout proxy with this chain in front of this session's server and open "
                               "a session through it: the real server, the model's timers"));
    m_timeScale->setObjectName(QStringLiteral("timeScale"));
    m_timeScale->setRange(1, 1000);
    m_timeScale->setDecimals(1);
    m_timeScale->setValue(20);
    m_timeScale->setPrefix(tr("time ÷ "));
    m_timeScale->setToolTip(tr("Divides every timeout in the proxy: with 20, a 60 s cut comes after 3 s"));
    m_outcome->setObjectName(QStringLiteral("outcome"));
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_outcome->font();
    bold.setBold(true);
    m_outcome->setFont(bold);
    m_outcome->setVisible(false); // until there is a verdict or an error to say
    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_events->setObjectName(QStringLiteral("events"));
    m_predicted->setObjectName(QStringLiteral("predictedTimeline"));
    m_predicted->setToolTip(tr("The predicted connection: the client's frames above, the server's below, the cut "
                               "as a red line"));
    m_events->setReadOnly(true);
    m_events->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // A long event wraps under itself rather than run past the panel's right edge.
    m_events->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_events->setPlaceholderText(tr("Run: each end's frames, every timer that starts, resets and expires, and what "
                                    "each end sees"));
    m_events->setMinimumHeight(4 * QFontMetrics(m_events->font()).lineSpacing());
    m_predicted->setMaximumHeight(m_predicted->sizeHint().height());

    m_pages->setObjectName(QStringLiteral("simulatorPages"));
    m_pages->setDocumentMode(true);
    m_pages->addTab(scrolling(setUpPage()), tr("Setup"));
    m_pages->addTab(scrolling(resultPage()), tr("Result"));
    // Run and its verdict stay above both pages: the chain can change and run again with the result in view.
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_run, 1);
    actions->addWidget(m_reproduce);
    actions->addWidget(m_timeScale);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6); // a side tab's frame is around it already
    layout->addLayout(actions);
    layout->addWidget(m_outcome);
    layout->addWidget(m_pages, 1);

    connect(m_add, &QPushButton::clicked, this, &SimulatorPanel::addModel);
    connect(m_remove, &QPushButton::clicked, this, &SimulatorPanel::removeLink);
    connect(m_up, &QPushButton::clicked, this, [this] { moveLink(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveLink(1); });
    connect(m_links, &QListWidget::currentRowChanged, this, &SimulatorPanel::showKnobs);
    connect(m_knobs, &QTableWidget::cellChanged, this, &SimulatorPanel::knobEdited);
    connect(m_run, &QPushButton::clicked, this, &SimulatorPanel::run);
    connect(m_reproduce, &QPushButton::clicked, this, [this] {
        for (const ChainLink &link : m_chain) {
            if (const QStringList missing = link.missingRequiredKnobs(); !missing.isEmpty()) {
                showError(tr("%1 needs a value for %2").arg(link.model().name, missing.join(QStringLiteral(", "))));
                return;
            }
        }
        Q_EMIT reproduceLiveRequested(m_chain, m_timeScale->value());
    });

    // The classic: nginx in front of the server with its 60 s proxy_read_timeout, until the session's evidence or
    // the user says otherwise.
    setChain({QStringLiteral("nginx")});
    m_chainIsUsers = false;
}

SimulatorPanel::~SimulatorPanel() = default;

QWidget *SimulatorPanel::setUpPage()
{
    auto *page = new QWidget;
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_models, 1);
    addRow->addWidget(m_add);
    auto *linkButtons = new QHBoxLayout;
    linkButtons->addWidget(m_remove);
    linkButtons->addWidget(m_up);
    linkButtons->addWidget(m_down);
    linkButtons->addStretch(1);
    auto *ends = new QFormLayout;
    ends->setRowWrapPolicy(QFormLayout::WrapLongRows);
    ends->addRow(tr("Client heartbeat:"), m_clientHeartbeat);
    ends->addRow(tr("Server heartbeat:"), m_serverHeartbeat);
    ends->addRow(m_serverAnswersPings);
    ends->addRow(m_sessionTraffic);
    ends->addRow(tr("Simulate for:"), m_duration);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 6, 6, 0); // the panel's own margins are around it; a gap before a scroll bar
    auto *chainLabel = new QLabel(tr("Chain, from the client to the server:"), page);
    chainLabel->setWordWrap(true);
    layout->addWidget(chainLabel);
    layout->addWidget(m_suggestion);
    layout->addLayout(addRow);
    layout->addWidget(m_links);
    layout->addLayout(linkButtons);
    layout->addWidget(m_knobs);
    layout->addLayout(ends);
    layout->addStretch(1);
    return page;
}

QWidget *SimulatorPanel::resultPage()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 6, 6, 0);
    layout->addWidget(m_explanation);
    layout->addWidget(m_predicted);
    layout->addWidget(m_events, 1);
    return page;
}

QScrollArea *SimulatorPanel::scrolling(QWidget *page)
{
    // A page taller than its tab scrolls; never wider: its labels and the event list wrap instead.
    auto *scroll = new QScrollArea(m_pages);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

void SimulatorPanel::setSessionEnd(std::optional<qint64> endNs)
{
    m_sessionEndNs = endNs;
}

void SimulatorPanel::setFrameLog(std::shared_ptr<const FrameLog> log)
{
    m_log = std::move(log);
    m_sessionEndNs.reset();
    m_sessionTraffic->setEnabled(m_log != nullptr);
    if (!m_log)
        m_sessionTraffic->setChecked(false);
}

bool SimulatorPanel::setChain(const QStringList &links, QString *error)
{
    QList<ChainLink> chain;
    for (const QString &text : links) {
        QString why;
        const auto link = ChainLink::parse(text, IntermediaryCatalog::builtIn(), &why);
        if (!link) {
            if (error)
                *error = why;
            return false;
        }
        chain.append(*link);
    }
    replaceChain(chain);
    chainEditedByUser();
    return true;
}

void SimulatorPanel::suggestChain(const SuggestedChain &suggestion)
{
    if (m_chainIsUsers || suggestion.isEmpty())
        return;
    replaceChain(suggestion.chainLinks());
    QStringList lines{suggestion.summary};
    for (const SuggestedChain::Link &link : suggestion.links)
        lines.append(tr("• %1: %2").arg(link.link.describe(), link.reason));
    if (!suggestion.orderNote.isEmpty())
        lines.append(suggestion.orderNote);
    m_suggestion->setText(lines.join(u'\n'));
    m_suggestion->setVisible(true);
    m_showsSuggestion = true;
}

QString SimulatorPanel::suggestionText() const
{
    return m_suggestion->isHidden() ? QString() : m_suggestion->text();
}

void SimulatorPanel::replaceChain(QList<ChainLink> chain)
{
    m_chain = std::move(chain);
    refreshChainList();
    m_links->setCurrentRow(m_chain.isEmpty() ? -1 : 0);
}

void SimulatorPanel::chainEditedByUser()
{
    m_chainIsUsers = true;
    if (!m_showsSuggestion)
        return;
    // The reason stays readable, marked as what the chain was suggested from before the user changed it.
    m_showsSuggestion = false;
    m_suggestion->setText(tr("You changed the suggested chain. It was:") + u'\n' + m_suggestion->text());
}

QStringList SimulatorPanel::chain() const
{
    QStringList links;
    for (const ChainLink &link : m_chain)
        links << link.describe();
    return links;
}

void SimulatorPanel::setClientHeartbeat(const QString &spec)
{
    m_clientHeartbeat->setText(spec);
}

void SimulatorPanel::setServerHeartbeat(const QString &spec)
{
    m_serverHeartbeat->setText(spec);
}

void SimulatorPanel::setUseSessionTraffic(bool use)
{
    m_sessionTraffic->setChecked(use && m_sessionTraffic->isEnabled());
}

void SimulatorPanel::setDuration(const QString &duration)
{
    m_duration->setText(duration);
}

void SimulatorPanel::addModel()
{
    const IntermediaryModel *model = IntermediaryCatalog::builtIn().find(m_models->currentData().toString());
    if (!model)
        return;
    m_chain.append(ChainLink(*model));
    refreshChainList();
    m_links->setCurrentRow(int(m_chain.size() - 1));
    chainEditedByUser();
}

void SimulatorPanel::removeLink()
{
    const int row = m_links->currentRow();
    if (row < 0 || row >= m_chain.size())
        return;
    m_chain.removeAt(row);
    refreshChainList();
    m_links->setCurrentRow(std::min(row, int(m_chain.size()) - 1));
    chainEditedByUser();
}

void SimulatorPanel::moveLink(int by)
{
    const int row = m_links->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_chain.size())
        return;
    m_chain.swapItemsAt(row, to);
    refreshChainList();
    m_links->setCurrentRow(to);
    chainEditedByUser();
}

void SimulatorPanel::refreshChainList()
{
    const int row = m_links->currentRow();
    m_links->clear();
    for (qsizetype i = 0; i < m_chain.size(); ++i)
        m_links->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(m_chain.at(i).describe()));
    if (row >= 0 && row < m_links->count())
        m_links->setCurrentRow(row);
}

void SimulatorPanel::showKnobs()
{
    const int row = m_links->currentRow();
    m_fillingKnobs = true;
    m_knobs->setRowCount(0);
    if (row >= 0 && row < m_chain.size()) {
        const ChainLink &link = m_chain.at(row);
        const QList<IntermediaryKnob> &knobs = link.model().knobs;
        m_knobs->setRowCount(int(knobs.size()));
        for (qsizetype i = 0; i < knobs.size(); ++i) {
            const IntermediaryKnob &knob = knobs.at(i);
            auto *name = new QTableWidgetItem(knob.name);
            name->setFlags(Qt::ItemIsEnabled);
            name->setToolTip(QStringLiteral("%1: %2").arg(knob.name, knob.description));
            auto *byDefault = new QTableWidgetItem(knobValueText(knob, knob.defaultValue));
            byDefault->setFlags(Qt::ItemIsEnabled);
            auto *value = new QTableWidgetItem(link.isOverridden(knob.name) ? knobValueText(knob, link.value(knob.name))
                                                                            : QString());
            value->setToolTip(knob.isFlag() ? tr("on or off; empty: the default")
                                            : tr("2s, 500ms, 5m, 1h or seconds; 'none' to unset; empty: the default"));
            m_knobs->setItem(int(i), KnobName, name);
            m_knobs->setItem(int(i), KnobDefault, byDefault);
            m_knobs->setItem(int(i), KnobValue, value);
        }
    }
    m_fillingKnobs = false;
}

void SimulatorPanel::knobEdited(int row, int column)
{
    const int link = m_links->currentRow();
    if (m_fillingKnobs || column != KnobValue || link < 0 || link >= m_chain.size())
        return;
    // The same parser as the command line: "MODEL:knob=value" with the knob's own command-line name.
    const IntermediaryKnob &knob = m_chain.at(link).model().knobs.at(row);
    const QString written = m_knobs->item(row, column)->text().trimmed();
    ChainLink updated = m_chain.at(link);
    if (written.isEmpty()) {
        ChainLink fresh(updated.model());
        for (const IntermediaryKnob &other : updated.model().knobs) {
            if (other.name != knob.name && updated.isOverridden(other.name))
                fresh.setValue(other.name, updated.value(other.name));
        }
        updated = fresh;
    } else {
        QString error;
        const auto parsed = ChainLink::parse(QStringLiteral("%1:%2=%3").arg(updated.model().id, knob.cliName, written),
                                             IntermediaryCatalog::builtIn(), &error);
        if (!parsed) {
            showError(error);
            return;
        }
        updated.setValue(knob.name, parsed->value(knob.name));
    }
    m_chain[link] = updated;
    m_links->item(link)->setText(QStringLiteral("%1. %2").arg(link + 1).arg(updated.describe()));
    chainEditedByUser();
}

bool SimulatorPanel::run()
{
    if (m_running)
        return false;
    SimulationScenario scenario;
    scenario.chain = m_chain;
    QString error;
    const auto duration = DurationText::parseMs(m_duration->text(), &error);
    if (!duration) {
        showError(tr("Simulate for: %1").arg(error));
        return false;
    }
    scenario.durationMs = *duration;
    m_runDurationMs = *duration;
    const auto client = HeartbeatSpec::parse(m_clientHeartbeat->text().trimmed(), Endpoint::Client,
                                             HeartbeatPresets::builtIn(), &error);
    if (!client) {
        showError(tr("Client heartbeat: %1").arg(error));
        return false;
    }
    const auto server = HeartbeatSpec::parse(m_serverHeartbeat->text().trimmed(), Endpoint::Server,
                                             HeartbeatPresets::builtIn(), &error);
    if (!server) {
        showError(tr("Server heartbeat: %1").arg(error));
        return false;
    }
    for (const ChainLink &link : m_chain) {
        if (const QStringList missing = link.missingRequiredKnobs(); !missing.isEmpty()) {
            showError(tr("%1 needs a value for %2").arg(link.model().name, missing.join(QStringLiteral(", "))));
            return false;
        }
    }
    scenario.client.heartbeat = *client;
    scenario.server.heartbeat = *server;
    scenario.server.answersPings = m_serverAnswersPings->isChecked();
    const bool replay = m_sessionTraffic->isChecked() && m_log;
    const std::shared_ptr<const FrameLog> replayed = replay ? m_log : nullptr;

    m_running = true;
    m_run->setEnabled(false);
    setOutcome(tr("Simulating…"));
    QPointer<SimulatorPanel> self(this);
    // Reading the session's frames, the run and the frame log drawn from its result all grow with the session:
    // all of it on the pool thread.
    const std::optional<qint64> sessionEndMs =
        m_sessionEndNs ? std::optional<qint64>(*m_sessionEndNs / 1'000'000) : std::nullopt;
    QThreadPool::globalInstance()->start(
        [self, scenario, replayed, sessionEndMs, source = tr("this session")]() mutable {
            if (replayed) {
                const RecordedTraffic traffic = SessionTraffic::fromFrameLog(*replayed, source);
                scenario.client.recorded = traffic.client;
                scenario.server.recorded = traffic.server;
                scenario.recordedEndMs = std::max(traffic.endMs, sessionEndMs.value_or(0));
            }
            KeepaliveSimulator::Result result = KeepaliveSimulator::run(scenario);
            std::shared_ptr<const FrameLog> predicted = predictedFrames(result);
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [self, result = std::move(result), predicted, replay = replayed != nullptr] {
                    if (self)
                        self->showResult(result, predicted, replay);
                },
                Qt::QueuedConnection);
        });
    return true;
}

void SimulatorPanel::showResult(const KeepaliveSimulator::Result &result, std::shared_ptr<const FrameLog> predicted,
                                bool replayedSession)
{
    m_running = false;
    m_run->setEnabled(true);
    m_lastResult = result;
    const SimulationOutcome &o = result.outcome;
    QString label;
    if (o.cut) {
        label = tr("Cut at %1 by %2 (%3)").arg(DurationText::format(o.atMs), o.by, o.timer);
        ThemedStyle::apply(m_outcome, ThemedStyle::Look::Text, Theme::Color::Failure);
    } else {
        label = tr("Alive for the whole %1").arg(m_duration->text());
        ThemedStyle::apply(m_outcome, ThemedStyle::Look::Text, Theme::Color::Success);
    }
    setOutcome(label);
    QString text = o.explanation;
    if (!o.fix.isEmpty())
        text += QStringLiteral("\n\n") + tr("Fix: %1").arg(o.fix);
    m_explanation->setText(text);
    // Frames are most of the events; the ones that decide the outcome are the rest, shown in full.
    QStringList lines;
    qsizetype framesShown = 0;
    for (const SimulationEvent &event : result.events) {
        if (event.type == SimulationEvent::Type::Frame && event.ok && ++framesShown > 200)
            continue;
        lines << QStringLiteral("%1  %2").arg(DurationText::format(event.atMs), 10).arg(event.describe());
    }
    if (framesShown > 200)
        lines << tr("(%1 more delivered frames not listed)").arg(framesShown - 200);
    m_events->setPlainText(lines.join(QLatin1Char('\n')));
    showPredictedTimeline(result, std::move(predicted));
    m_pages->setCurrentIndex(ResultPage);
    Q_EMIT finished(o.cut && replayedSession ? o.atMs * 1'000'000 : -1, label);
}

double SimulatorPanel::timeScale() const
{
    return m_timeScale->value();
}

void SimulatorPanel::showPredictedTimeline(const KeepaliveSimulator::Result &result,
                                           std::shared_ptr<const FrameLog> predicted)
{
    m_predicted->setFrameLog(std::move(predicted));
    m_predicted->clearMarkers();
    // The whole run, from its start to the cut (its line, and the silence leading to it) or to the end of the
    // simulated time: never a window around the last frame.
    const SimulationOutcome &o = result.outcome;
    if (o.cut) {
        m_predicted->addMarker(o.atMs * 1'000'000, tr("%1 %2").arg(o.by, o.timer));
        m_predicted->setEnd(o.atMs * 1'000'000, QString(), true);
    } else {
        m_predicted->setEnd(m_runDurationMs * 1'000'000, tr("alive"), false);
    }
    m_predicted->fitAll();
}

void SimulatorPanel::setOutcome(const QString &text)
{
    m_outcome->setText(text);
    m_outcome->setVisible(!text.isEmpty());
}

QString SimulatorPanel::outcomeText() const
{
    return m_outcome->text();
}

void SimulatorPanel::showError(const QString &error)
{
    ThemedStyle::apply(m_outcome, ThemedStyle::Look::Text, Theme::Color::Failure);
    setOutcome(error);
}

} // namespace wsi
