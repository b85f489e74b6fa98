// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/SessionView.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/SessionEvidence.h"
#include "core/keepalive/SuggestedChain.h"
#include "core/profiles/ProfileVariables.h"
#include "core/protocol/HostPort.h"
#include "ui/frames/FrameDetailView.h"
#include "ui/frames/FrameFilter.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/FrameTableView.h"
#include "ui/frames/MessageTableModel.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/keepalive/HeartbeatView.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/session/Composer.h"
#include "ui/session/ConnectValuesDialog.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/ConnectionPicker.h"
#include "ui/session/DiagnosisBanner.h"
#include "ui/session/HandshakeView.h"
#include "ui/session/SessionControl.h"
#include "ui/session/SessionSource.h"
#include "ui/widgets/ThemedStyle.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDataStream>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

namespace wsi {

SessionView::SessionView(QWidget *parent)
    : QWidget(parent)
    , m_bar(new ConnectionBar(this))
    , m_filterText(new QLineEdit(this))
    , m_filterRegex(new QCheckBox(tr("Regex"), this))
    , m_filterDirection(new QComboBox(this))
    , m_foldPingPong(new QCheckBox(tr("Hide ping/pong"), this))
    , m_protocolRow(new QWidget(this))
    , m_protocolFilter(new QComboBox(this))
    , m_subjectFilter(new QLineEdit(this))
    , m_protocolName(new QLabel(this))
    , m_picker(new ConnectionPicker(this))
    , m_table(new FrameTableView(this))
    , m_tableChoice(new QTabBar(this))
    , m_tables(new QStackedWidget(this))
    , m_messageTable(new FrameTableView(this))
    , m_messageDetail(new FrameDetailView(this))
    , m_filterStatus(new QLabel(this))
    , m_filterError(new QLabel(this))
    , m_newFrames(new QPushButton(this))
    , m_sideTabs(new QTabWidget(this))
    , m_detail(new FrameDetailView(m_sideTabs))
    , m_handshake(new HandshakeView(m_sideTabs))
    , m_heartbeat(new HeartbeatView(m_sideTabs))
    , m_simulator(new SimulatorPanel(m_sideTabs))
    , m_origin(new QLabel(this))
    , m_diagnosis(new DiagnosisBanner(this))
    , m_clockTimer(new QTimer(this))
    , m_timeline(new TimelineWidget(this))
    , m_composer(new Composer(this))
    , m_horizontal(new QSplitter(Qt::Horizontal, this))
    , m_vertical(new QSplitter(Qt::Vertical, m_horizontal))
{
    m_pacer = new RefreshPacer([this] { refreshViews(); }, this);
    m_filterText->setObjectName(QStringLiteral("filterText"));
    m_filterText->setPlaceholderText(tr("Filter payloads"));
    m_filterText->setClearButtonEnabled(true);
    m_filterRegex->setObjectName(QStringLiteral("filterRegex"));
    m_filterDirection->setObjectName(QStringLiteral("filterDirection"));
    m_filterDirection->addItem(tr("Both directions"), int(FrameFilter::Directions::Both));
    m_filterDirection->addItem(tr("Incoming only"), int(FrameFilter::Directions::Incoming));
    m_filterDirection->addItem(tr("Outgoing only"), int(FrameFilter::Directions::Outgoing));
    m_foldPingPong->setObjectName(QStringLiteral("foldPingPong"));

    m_table->setObjectName(QStringLiteral("frameTable"));
    m_newFrames->setObjectName(QStringLiteral("newFrames"));
    m_newFrames->setVisible(false);
    m_sideTabs->setObjectName(QStringLiteral("sideTabs"));
    addSideTab(m_detail, tr("Frame"));
    addSideTab(m_messageDetail, tr("Message"));
    m_sideTabs->setTabVisible(sideTabIndex(m_messageDetail), false);
    addSideTab(m_handshake, tr("Handshake"));
    addSideTab(m_heartbeat, tr("Heartbeat"));
    addSideTab(m_simulator, tr("Keepalive"));
    m_simulator->setObjectName(QStringLiteral("simulator"));
    // A prediction made from this session's own traffic is drawn where it would cut, on the frame timeline.
    connect(m_simulator, &SimulatorPanel::reproduceLiveRequested, this,
            [this](const QList<ChainLink> &chain, double timeScale) {
                const QUrl upstream = m_source ? m_source->serverUrl() : QUrl();
                if (!upstream.isValid()) {
                    Q_EMIT statusChanged(tr("Reproduce live: connect this session to a server first"));
                    return;
                }
                Q_EMIT reproduceLiveRequested(upstream, chain, timeScale);
            });
    connect(m_simulator, &SimulatorPanel::finished, this, [this](qint64 cutAtNs, const QString &label) {
        m_timeline->clearMarkers();
        if (cutAtNs >= 0) // said as the simulator's: a session closed long before must not seem cut at 60 s
            m_timeline->addMarker(cutAtNs, tr("Simulator: %1").arg(label));
    });
    m_heartbeat->setObjectName(QStringLiteral("heartbeat"));
    m_clockTimer->setInterval(1000);
    connect(m_clockTimer, &QTimer::timeout, this, &SessionView::onClockTick);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_composer->setObjectName(QStringLiteral("composer"));
    m_composer->setSendingEnabled(false);

    auto *filterRow = new QHBoxLayout;
    m_picker->setObjectName(QStringLiteral("connectionPicker"));
    connect(m_picker, &ConnectionPicker::picked, this, &SessionView::showConnection);
    filterRow->addWidget(m_picker);
    filterRow->addWidget(m_filterText, 1);
    filterRow->addWidget(m_filterRegex);
    filterRow->addWidget(m_filterDirection);
    filterRow->addWidget(m_foldPingPong);
    filterRow->addWidget(m_filterStatus);
    // A second row for the protocol's filters: the first has no room for them at 1024 px, and it shows only
    // once the connection's protocol is known.
    m_protocolRow->setObjectName(QStringLiteral("protocolFilters"));
    auto *protocolRow = new QHBoxLayout(m_protocolRow);
    protocolRow->setContentsMargins(0, 0, 0, 0);
    m_protocolName->setObjectName(QStringLiteral("protocolName"));
    m_protocolFilter->setObjectName(QStringLiteral("protocolFilter"));
    m_protocolFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_protocolFilter->setToolTip(tr("Show every frame, only the protocol's messages, or one kind of message"));
    m_subjectFilter->setObjectName(QStringLiteral("subjectFilter"));
    m_subjectFilter->setPlaceholderText(tr("Event, topic or method"));
    m_subjectFilter->setClearButtonEnabled(true);
    m_subjectFilter->setToolTip(tr("Only messages whose event, topic, destination or method contains this"));
    protocolRow->addWidget(m_protocolName);
    protocolRow->addWidget(m_protocolFilter);
    protocolRow->addWidget(m_subjectFilter, 1);
    m_protocolRow->setVisible(false);
    auto *tablePane = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_tableChoice);
    tableLayout->addLayout(filterRow);
    tableLayout->addWidget(m_protocolRow);
    tableLayout->addWidget(m_filterError);
    tableLayout->addWidget(m_tables, 1);
    setUpMessagesView();
    tableLayout->addWidget(m_newFrames);
    // The frames, their timeline and the composer in one column; the side tabs beside it, the whole height: the
    // detail, the handshake, the heartbeat and the simulator's explanation have room on a short screen too.
    m_vertical->addWidget(tablePane);
    m_vertical->addWidget(m_timeline);
    m_vertical->addWidget(m_composer);
    m_vertical->setStretchFactor(0, 1);
    m_vertical->setStretchFactor(1, 0);
    m_vertical->setStretchFactor(2, 0);
    m_horizontal->addWidget(m_vertical);
    m_horizontal->addWidget(m_sideTabs);
    m_horizontal->setStretchFactor(0, 3);
    m_horizontal->setStretchFactor(1, 2);
    for (QSplitter *splitter : {m_vertical, m_horizontal}) // emitted for the user's drags only, not for setSizes()
        connect(splitter, &QSplitter::splitterMoved, this, [this] { m_layoutChosen = true; });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_bar);
    layout->addWidget(m_origin);
    layout->addWidget(m_diagnosis);
    m_diagnosis->setVisible(false);
    m_origin->setObjectName(QStringLiteral("origin"));
    m_origin->setWordWrap(true);
    m_origin->setVisible(false);
    layout->addWidget(m_horizontal, 1);

    connect(m_bar, &ConnectionBar::optionsInvalid, this, &SessionView::statusChanged);
    connect(m_filterText, &QLineEdit::textChanged, this, &SessionView::applyFilter);
    connect(m_filterRegex, &QCheckBox::toggled, this, &SessionView::applyFilter);
    connect(m_foldPingPong, &QCheckBox::toggled, this, &SessionView::applyFilter);
    connect(m_filterDirection, &QComboBox::currentIndexChanged, this, &SessionView::applyFilter);
    connect(m_protocolFilter, &QComboBox::currentIndexChanged, this, &SessionView::applyFilter);
    connect(m_subjectFilter, &QLineEdit::textChanged, this, &SessionView::applyFilter);
    connect(m_detail, &FrameDetailView::messageRequested, this, &SessionView::showMessageAt);
    connect(m_messageDetail, &FrameDetailView::messageRequested, this, &SessionView::showMessageAt);
    // One .proto per tab: the frame's and the message's detail read binary messages alike.
    connect(m_detail, &FrameDetailView::binarySchemaChosen, m_messageDetail, &FrameDetailView::setBinarySchema);
    connect(m_messageDetail, &FrameDetailView::binarySchemaChosen, m_detail, &FrameDetailView::setBinarySchema);
    connect(m_newFrames, &QPushButton::clicked, this, &SessionView::resumeFollowing);
    connect(m_timeline, &TimelineWidget::frameClicked, this, &SessionView::onTimelineFrameClicked);
    // Only the user's own scrolling pauses following: scrolling back to the end resumes it.
    connect(m_table->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        QScrollBar *bar = m_table->verticalScrollBar();
        if (bar->sliderPosition() < bar->maximum())
            m_following = false;
        else if (m_table->selectionModel() && !m_table->selectionModel()->hasSelection())
            resumeFollowing();
    });

    // The composer sends through the source's control; a source without one hides it (setSource()).
    connect(m_composer, &Composer::sendMessage, this, [this](MessageType type, const QByteArray &payload, int parts) {
        if (SessionControl *control = m_source ? m_source->control() : nullptr)
            control->sendMessage(type, payload, parts);
    });
    connect(m_composer, &Composer::sendPing, this, [this](const QByteArray &payload) {
        if (SessionControl *control = m_source ? m_source->control() : nullptr)
            control->sendPing(payload);
    });
    connect(m_composer, &Composer::sendPong, this, [this](const QByteArray &payload) {
        if (SessionControl *control = m_source ? m_source->control() : nullptr)
            control->sendPong(payload);
    });
    connect(m_composer, &Composer::sendClose, this, [this](quint16 code, const QString &reason) {
        if (SessionControl *control = m_source ? m_source->control() : nullptr)
            control->sendClose(code, reason);
    });
    connect(m_composer, &Composer::sendProtocolMessage, this,
            [this](const ProtocolMessage &message, AppProtocol protocol) {
                if (SessionControl *control = m_source ? m_source->control() : nullptr)
                    control->sendProtocolMessage(message, protocol);
            });
}

SessionView::~SessionView() = default;

void SessionView::setSource(SessionSource *source)
{
    Q_ASSERT(!m_source);
    m_source = source;
    source->setParent(this);
    SessionControl *control = source->control();
    m_bar->setVisible(control != nullptr);
    m_composer->setVisible(control != nullptr);
    if (control) {
        connect(m_bar, &ConnectionBar::connectRequested, this, &SessionView::connectFillingVariables);
        connect(m_bar, &ConnectionBar::disconnectRequested, this, [control] { control->disconnect(); });
        // The bar speaks of the latest connection, whichever one the view shows.
        m_bar->setClock([source] { return source->nowNs(); });
        connect(source, &SessionSource::reconnectScheduled, m_bar, &ConnectionBar::setReconnectPending);
        connect(source, &SessionSource::reconnectFinished, m_bar, &ConnectionBar::setReconnectFinished);
    }
    const auto showOrigin = [this] {
        m_origin->setText(m_source->origin());
        m_origin->setVisible(!m_origin->text().isEmpty());
    };
    showOrigin();
    connect(source, &SessionSource::originChanged, this, showOrigin);
    connect(source, &SessionSource::titleChanged, this, [this] { Q_EMIT titleChanged(title()); });
    connect(source, &SessionSource::statusMessage, this, &SessionView::statusChanged);
    connect(source, &SessionSource::recordsReplaced, this, &SessionView::attachRecords);
    connect(source, &SessionSource::connectionsChanged, this, [this] { m_picker->refresh(*m_source); });
    connect(source, &SessionSource::framesAppended, this, &SessionView::onFramesAppended);
    connect(source, &SessionSource::heartbeatUpdated, this, &SessionView::refreshHeartbeat);
    connect(source, &SessionSource::handshakeChanged, this, &SessionView::onHandshakeChanged);
    connect(source, &SessionSource::stateChanged, this, &SessionView::onStateChanged);
    connect(source, &SessionSource::ended, this, &SessionView::onEnded);
    connect(source, &SessionSource::holdsChanged, this, [this] {
        if (const std::optional<SessionRecords> records = m_source->records(); records && showsLatest())
            showHolds(*records);
    });
    connect(source, &SessionSource::markerAdded, this, [this](qint64 atNs, const QString &label) {
        if (showsLatest())
            m_timeline->addMarker(atNs, label);
    });
    if (source->records())
        attachRecords();
    if (source->state() == Session::State::Closed)
        onEnded();
    Q_EMIT titleChanged(title());
    Q_EMIT stateChanged(source->state());
}

int SessionView::connectionNumber() const
{
    return m_source ? m_source->connectionNumber() : 0;
}

int SessionView::shownConnection() const
{
    return showsLatest() ? connectionNumber() : m_picker->pickedNumber();
}

bool SessionView::showsLatest() const
{
    return m_picker->pickedNumber() == 0;
}

std::optional<SessionRecords> SessionView::records() const
{
    if (!m_source)
        return std::nullopt;
    return showsLatest() ? m_source->records() : m_source->connectionRecords(m_picker->pickedNumber());
}

void SessionView::showConnection(int number)
{
    if (!m_source)
        return;
    if (m_picker->pickedNumber() != (number == connectionNumber() ? 0 : number)) {
        m_picker->pick(number); // emits picked(), which comes back here
        return;
    }
    const std::optional<SessionRecords> shown = records();
    if (!shown)
        return;
    const bool running = showsLatest() && m_source->state() != Session::State::Closed;
    attach(*shown, running);
    if (!running && m_source->state() != Session::State::Idle)
        showEnd(*shown);
}

qint64 SessionView::shownNowNs() const
{
    if (!m_source)
        return 0;
    if (showsLatest())
        return m_source->nowNs();
    const std::optional<SessionRecords> shown = records();
    return shown ? shown->endNs() : 0;
}

QString SessionView::title() const
{
    return m_source ? m_source->title() : tr("New session");
}

void SessionView::connectTo(const SessionOptions &options)
{
    if (SessionControl *control = m_source ? m_source->control() : nullptr) {
        m_bar->setOptions(options);
        // The protocol spoken is known now; otherwise the composer builds protocol messages once one is recognised.
        const AppProtocolSettings &protocol = options.protocol;
        m_composer->setProtocol(protocol.mode == AppProtocolSettings::Mode::Speak ? std::optional(protocol.protocol)
                                                                                  : std::nullopt);
        control->connectTo(options);
    }
}

void SessionView::connectFillingVariables(const SessionOptions &options)
{
    // "{{name}}" in the URL, a header, Origin or a cookie is asked for, as a profile's would be, never sent as
    // written. Asked without a nested event loop: every session keeps running meanwhile.
    SessionProfile unsaved;
    unsaved.options = options;
    const QList<ProfileVariables::Question> questions = ProfileVariables::unanswered(unsaved);
    if (questions.isEmpty()) {
        connectTo(options);
        return;
    }
    m_bar->setOptions(options); // what is being asked about stays in view, and there if the user cancels
    auto *ask = new ConnectValuesDialog(QString(), questions, QString(), this);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QDialog::accepted, this, [this, ask, unsaved]() mutable {
        ProfileVariables::answer(unsaved, ask->questions(), ask->answers());
        QString error;
        if (const std::optional<SessionOptions> resolved = ProfileVariables::resolve(unsaved, &error))
            connectTo(*resolved);
        else
            Q_EMIT statusChanged(error);
    });
    ask->open();
}

void SessionView::attachRecords()
{
    m_picker->refresh(*m_source);
    if (!showsLatest())
        return; // the user reads an earlier connection: the picker says a new one is there
    const std::optional<SessionRecords> records = m_source->records();
    if (records)
        attach(*records, m_source->state() != Session::State::Closed);
}

void SessionView::attach(const SessionRecords &records, bool running)
{
    // A live session's clock starts when open() runs on the network thread, right after this: within microseconds of
    // now, which is what the table's absolute-time tooltips need until its own start time is known.
    attachLog(records.log, records.startedAt.isValid() ? records.startedAt : QDateTime::currentDateTimeUtc());
    showHolds(records);
    m_heartbeat->setHeartbeatHistory(records.heartbeat);
    startDecoding(records, running);
    m_detail->setRecordingPath(records.recordingPath);
    m_detail->setRuleMarks(records.ruleMarks);
    m_messageDetail->setRuleMarks(records.ruleMarks);
    m_timeline->setRuleMarks(records.ruleMarks);
    m_model->setRecordingAvailable(!records.recordingPath.isEmpty());
    m_handshake->setHandshake(records.handshake);
    m_diagnosis->setVisible(false);
    if (running)
        m_clockTimer->start();
    else
        m_clockTimer->stop();
    m_pacer->flush();
    onClockTick();
}

void SessionView::onHandshakeChanged()
{
    if (!showsLatest())
        return;
    const std::optional<SessionRecords> records = m_source->records();
    if (!records)
        return;
    m_handshake->setHandshake(records->handshake);
    startDecoding(*records, true);
    if (records->handshake.responseReceived && !records->handshake.accepted)
        showSidePage(m_handshake);
    // The upgrade response may name the intermediaries in front of the server: the Keepalive tab starts from them.
    if (records->handshake.accepted && m_source->state() != Session::State::Closed)
        readEvidence(*records, false);
}

void SessionView::onEnded()
{
    const std::optional<SessionRecords> records = m_source->records();
    if (records && m_source->control())
        m_bar->setState(Session::State::Closed, records->close);
    if (!showsLatest())
        return; // an earlier connection is shown, complete already
    m_pacer->flush();
    m_clockTimer->stop();  // nothing will arrive: no silence to count
    m_messageRate.reset(); // nothing more will come: no rate to show
    if (!records)
        return;
    m_handshake->setHandshake(records->handshake);
    showEnd(*records);
    updateStatus();
}

void SessionView::showHolds(const SessionRecords &records)
{
    QList<TimelineWidget::Hold> spans;
    spans.reserve(records.holds.size());
    for (const HoldRecord &hold : records.holds) {
        const QString label = hold.isDecided()
                                  ? tr("held %1: %2")
                                        .arg(TimelineWidget::formatDuration(hold.decidedAtNs - hold.heldAtNs),
                                             HoldRecord::outcomeName(hold.outcome))
                                  : tr("waiting (%1)").arg(hold.rule);
        spans.append({hold.heldAtNs, hold.isDecided() ? hold.decidedAtNs : -1,
                      hold.from == Endpoint::Client ? Direction::Outgoing : Direction::Incoming, label});
    }
    m_timeline->setHolds(std::move(spans));
}

void SessionView::showEnd(const SessionRecords &records)
{
    if (records.close) {
        const CloseRecord &close = *records.close;
        const QString how = records.handshake.accepted ? tr("closed %1").arg(close.code) : tr("never opened");
        m_timeline->setEnd(close.atNs, how, !close.clean || !records.handshake.accepted);
        m_heartbeat->setEnded(close.atNs, how);
        m_simulator->setSessionEnd(close.atNs);
    } else {
        m_timeline->setEnd(records.endNs(), QString(), false);
        m_heartbeat->setEnded(records.endNs(), QString());
    }
    refreshHeartbeat();
    readEvidence(records, true);
}

void SessionView::attachLog(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt)
{
    m_log = std::move(log);
    m_pacer->reset();
    m_counted = 0;
    m_in = {};
    m_out = {};
    m_messageRate.reset();

    auto *model = new FrameTableModel(m_log, startedAt, this);
    m_table->setModel(model);
    delete m_model;
    m_model = model;
    m_table->setColumnHidden(FrameTableModel::WallClock, !m_wallClock);
    m_table->setColumnHidden(FrameTableModel::Protocol, true);
    m_protocolRow->setVisible(false);
    {
        const QSignalBlocker blockKinds(m_protocolFilter);
        const QSignalBlocker blockSubject(m_subjectFilter);
        m_protocolFilter->clear();
        m_subjectFilter->clear();
    }
    connect(m_model, &FrameTableModel::protocolRecognised, this, &SessionView::onProtocolRecognised);
    connect(m_model, &FrameTableModel::protocolsDecoded, this, &SessionView::updateKindChoices);
    attachMessages(startedAt);
    // Wide enough for their longest usual content in the current font; the preview takes the rest.
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto widthOf = [&metrics](const QString &sample) { return metrics.horizontalAdvance(sample) + 20; };
    for (int column = 0; column < FrameTableModel::ColumnCount; ++column) {
        if (const QString sample = FrameTableModel::widthSample(column); !sample.isEmpty())
            m_table->setColumnWidth(column, widthOf(sample));
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SessionView::onRowSelected);
    connect(m_model, &FrameTableModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        if (m_following) {
            // Once per burst: scrolling makes Qt recompute every row's position (about 1 ns a row), which a
            // burst taken in over several turns would otherwise pay at each of them.
            if (m_model->isCaughtUp())
                m_table->scrollToBottom();
        } else {
            m_unseen += last - first + 1;
            m_newFrames->setText(tr("%n new frame(s): follow", nullptr, int(m_unseen)));
            m_newFrames->setVisible(true);
        }
    });
    connect(m_model, &FrameTableModel::burstCaughtUp, this, [this] {
        if (m_following)
            m_table->scrollToBottom();
    });
    // The end moves without new rows too: a horizontal scroll bar appearing as columns widen, the window resized.
    // Following stays at it (between bursts only: a burst scrolls once, when caught up).
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int maximum) {
        if (m_following && m_model->isCaughtUp() && m_table->verticalScrollBar()->value() != maximum)
            m_table->scrollToBottom();
    });
    applyFilter();
    m_timeline->setFrameLog(m_log);
    m_timeline->clearMarkers();
    m_heartbeat->setFrameLog(m_log);
    m_simulator->setFrameLog(m_log);
    m_detail->clear();
    m_handshake->clear();
    resumeFollowing();
}

void SessionView::onFramesAppended()
{
    if (m_log && showsLatest())
        m_pacer->framesArrived(m_log->frameCount());
}

void SessionView::refreshViews()
{
    if (m_model)
        m_model->refresh();
    if (m_messages)
        m_messages->refresh(m_model->knownFrames());
    m_timeline->refresh();
    refreshHeartbeat();
    updateStatus();
}

void SessionView::refreshHeartbeat()
{
    if (m_source)
        m_heartbeat->refresh(shownNowNs());
}

void SessionView::onClockTick()
{
    // Once a second while the connection runs: the silences grow though nothing arrives, the timeline reaches now,
    // and the rate falls.
    refreshHeartbeat();
    if (showsLatest() && m_source && m_source->state() != Session::State::Closed)
        m_timeline->setNow(shownNowNs());
    updateStatus();
}

void SessionView::onStateChanged(Session::State state)
{
    if (m_source->control() && state != Session::State::Closed) // onEnded() shows the close record
        m_bar->setState(state);
    m_picker->refresh(*m_source); // "(live)" comes and goes with the state
    m_composer->setSendingEnabled(state == Session::State::Open);
    Q_EMIT stateChanged(state);
}

void SessionView::readEvidence(const SessionRecords &records, bool ended)
{
    // What most likely ended the connection, against the intermediary catalog, and the chain the Keepalive tab
    // should start from. It reads every frame, so it runs off the GUI thread, on copies of the records (the log is
    // shared). Runs finish in any order: only the latest one applied counts.
    QPointer<SessionView> self(this);
    // A session known to run behind the timeout proxy (Reproduce live, a relayed connection) is diagnosed against
    // that proxy's chain as it ran: both ends of a reproduction tell the same story, time scale included. Its chain
    // is known, so nothing is suggested for it.
    const std::optional<KnownPath> path = m_source->knownPath();
    const bool showBanner = ended && records.close && !records.close->clean;
    const quint64 run = ++m_evidenceRuns;
    QThreadPool::globalInstance()->start([self, records, path, showBanner, run] {
        const SessionEvidence evidence = SessionEvidence::fromRecords(records);
        const DisconnectDiagnosis diagnosis =
            path ? DisconnectDiagnoser::diagnose(evidence, *path) : DisconnectDiagnoser::diagnose(evidence);
        std::optional<SuggestedChain> suggestion;
        if (!path)
            suggestion = SuggestedChain::fromEvidence(evidence, diagnosis, IntermediaryCatalog::builtIn());
        const std::shared_ptr<const FrameLog> log = records.log;
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, log, diagnosis, suggestion, showBanner, run] {
                if (!self || self->m_log != log || run < self->m_evidenceApplied)
                    return;
                self->m_evidenceApplied = run;
                if (suggestion)
                    self->m_simulator->suggestChain(*suggestion);
                if (!showBanner || !diagnosis.abnormal)
                    return;
                QString text = diagnosis.summary;
                // The intermediary's own word for who answered the upgrade, on a line of its own.
                if (!diagnosis.clues.isEmpty())
                    text += QLatin1Char('\n') + diagnosis.clueLine();
                self->m_diagnosis->setText(text, diagnosis.fix, diagnosis.toLines().join(QLatin1Char('\n')));
                self->m_diagnosis->setVisible(true);
            },
            Qt::QueuedConnection);
    });
}

void SessionView::onRowSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const qsizetype frame = m_model->frameIndexForRow(rows.first().row());
    if (frame < 0)
        return;
    m_following = false; // reading a frame: new ones must not scroll it away
    m_detail->setDecodedIndex(m_model->decodedIndex());
    m_detail->setFrame(m_log, frame);
    showSidePage(m_detail);
    m_timeline->setSelectedFrame(frame);
}

void SessionView::onTimelineFrameClicked(qsizetype frameIndex)
{
    if (!m_model)
        return;
    const int row = m_model->rowForFrameIndex(frameIndex);
    if (row < 0) {
        m_detail->setDecodedIndex(m_model->decodedIndex());
        m_detail->setFrame(m_log, frameIndex); // hidden by the filter: show it anyway
        return;
    }
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
}

void SessionView::applyFilter()
{
    if (!m_model)
        return;
    FrameFilter filter;
    filter.directions = FrameFilter::Directions(m_filterDirection->currentData().toInt());
    filter.foldPingPong = m_foldPingPong->isChecked();
    if (m_protocolRow->isVisibleTo(this)) {
        // Item 0: every frame; 1: the protocol's messages; then one per kind, the kind as its data.
        filter.decodedOnly = m_protocolFilter->currentIndex() == 1;
        filter.kind = m_protocolFilter->currentIndex() > 1 ? m_protocolFilter->currentData().toString() : QString();
        filter.subject = m_subjectFilter->text().trimmed();
        filter.decoded = m_model->decodedIndex();
    }
    if (m_filterRegex->isChecked()) {
        filter.regex = QRegularExpression(m_filterText->text(), QRegularExpression::CaseInsensitiveOption);
        if (!filter.regex.isValid()) {
            // Said under the filter, where the user looks; the rows stay those of the last valid filter.
            m_filterError->setText(tr("Regex: %1 (at character %2); the rows are those of the last valid filter")
                                       .arg(filter.regex.errorString())
                                       .arg(filter.regex.patternErrorOffset() + 1));
            m_filterError->setVisible(true);
            m_filterStatus->setVisible(false);
            return;
        }
    } else {
        filter.text = m_filterText->text();
    }
    m_filterError->setVisible(false);
    m_model->setFilter(filter);
    updateFilterStatus();
}

void SessionView::startDecoding(const SessionRecords &records, bool running)
{
    // A running connection's handshake is complete once it is accepted; a file's or an ended one's is all there is.
    // A session told to speak a protocol (live, or its recording reopened) is shown as that protocol, as its
    // exports and diagnosis read it, even where the URL looks like another's.
    if (m_model && (!running || records.handshake.accepted))
        m_model->setConnectionFacts(ConnectionFacts::fromHandshake(records.handshake),
                                    AppProtocols::fromName(records.protocol));
}

void SessionView::onProtocolRecognised()
{
    const std::shared_ptr<const DecodedMessageIndex> decoded = m_model->decodedIndex();
    if (!decoded || !decoded->recognition())
        return;
    const QString title = DecodedHeadline::protocolTitle(decoded->recognition()->protocol);
    // Right after the direction: on a 1024 px screen it stays in view, where the header bits would push it out.
    m_table->setColumnHidden(FrameTableModel::Protocol, false);
    QHeaderView *header = m_table->horizontalHeader();
    header->moveSection(header->visualIndex(FrameTableModel::Protocol),
                        header->visualIndex(FrameTableModel::Direction) + 1);
    m_table->setColumnWidth(
        FrameTableModel::Protocol,
        m_table->fontMetrics().horizontalAdvance(FrameTableModel::widthSample(FrameTableModel::Protocol)) + 20);
    m_messageTable->setColumnHidden(MessageTableModel::Protocol, false);
    m_protocolName->setText(tr("%1:").arg(title));
    m_protocolName->setToolTip(tr("Recognised: %1").arg(decoded->recognition()->reason));
    {
        const QSignalBlocker blocker(m_protocolFilter);
        m_protocolFilter->clear();
        m_protocolFilter->addItem(tr("Every frame"));
        m_protocolFilter->addItem(tr("%1 messages only").arg(title));
    }
    m_protocolRow->setVisible(true);
    updateKindChoices();
    // A session speaking a protocol of its own keeps it; one that speaks none builds the recognised one's messages.
    const SessionControl *control = m_source ? m_source->control() : nullptr;
    if (control && control->options().protocol.mode != AppProtocolSettings::Mode::Speak)
        m_composer->setProtocol(decoded->recognition()->protocol);
}

void SessionView::updateKindChoices()
{
    const std::shared_ptr<const DecodedMessageIndex> decoded = m_model ? m_model->decodedIndex() : nullptr;
    if (!decoded || !m_protocolRow->isVisibleTo(this))
        return;
    const QStringList kinds = decoded->kinds();
    const QSignalBlocker blocker(m_protocolFilter);
    for (qsizetype i = m_protocolFilter->count() - 2; i < kinds.size(); ++i)
        m_protocolFilter->addItem(tr("Kind: %1").arg(kinds.at(i)), kinds.at(i));
}

void SessionView::showMessageAt(qsizetype message)
{
    if (!m_log || message < 0 || message >= m_log->messageCount())
        return;
    if (isShowingMessages()) {
        if (const int row = m_messages->rowForMessageIndex(message); row >= 0) {
            m_messageTable->selectRow(row);
            m_messageTable->scrollTo(m_messages->index(row, 0), QAbstractItemView::PositionAtCenter);
        } else {
            m_messageDetail->setDecodedIndex(m_model->decodedIndex());
            m_messageDetail->setMessage(m_log, message); // hidden by the filter: shown anyway
        }
        return;
    }
    onTimelineFrameClicked(qsizetype(m_log->message(message).lastFrame));
}

void SessionView::resumeFollowing()
{
    m_following = true;
    m_unseen = 0;
    m_newFrames->setVisible(false);
    if (m_table->selectionModel())
        m_table->selectionModel()->clearSelection();
    m_table->scrollToBottom();
}

void SessionView::updateStatus()
{
    if (!m_log)
        return;
    // Only the frames new since the last update are counted: the status follows a million frames cheaply.
    const qsizetype count = m_log->frameCount();
    for (; m_counted < count; ++m_counted) {
        const FrameRecord &record = m_log->frame(m_counted);
        Traffic &side = record.direction() == Direction::Outgoing ? m_out : m_in;
        ++side.frames;
        side.bytes += record.payloadLength;
    }
    if (!m_sinceShown.isValid())
        m_sinceShown.start();
    m_messageRate.sample(m_sinceShown.elapsed(), m_log->messageCount());
    const QLocale locale;
    Q_EMIT statusChanged(tr("in: %1 frames, %2 · out: %3 frames, %4 · %5 messages, %6/s · %7 in memory")
                             .arg(locale.toString(m_in.frames), locale.formattedDataSize(qint64(m_in.bytes)),
                                  locale.toString(m_out.frames), locale.formattedDataSize(qint64(m_out.bytes)),
                                  locale.toString(m_log->messageCount()),
                                  locale.toString(m_messageRate.perSecond(), 'f', 0),
                                  locale.formattedDataSize(m_log->memoryUsed())));
}

QByteArray SessionView::saveLayout() const
{
    QByteArray state;
    QDataStream stream(&state, QIODevice::WriteOnly);
    stream << m_vertical->saveState() << m_horizontal->saveState();
    return state;
}

void SessionView::restoreLayout(const QByteArray &state)
{
    QDataStream stream(state);
    QByteArray vertical;
    QByteArray horizontal;
    stream >> vertical >> horizontal;
    m_layoutRestored = m_vertical->restoreState(vertical);
    m_horizontal->restoreState(horizontal);
}

void SessionView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Until the user drags a splitter handle (or had a layout saved), the first-run proportions follow the view's
    // size: the window is sized and resized (to the screen, maximized) after the view first shows.
    if (!m_layoutRestored && !m_layoutChosen)
        applyDefaultLayout();
}

void SessionView::applyDefaultLayout()
{
    // First run: the table gets the room. The timeline has its full height where the window has it and shrinks
    // towards the height that keeps its legend on a short screen; the composer its minimum (its editor's own size
    // hint is far taller), with a line more where the column is tall.
    const int height = m_vertical->height();
    const int timeline =
        std::clamp(height * 2 / 9, m_timeline->compactSizeHint().height(), m_timeline->sizeHint().height());
    const int composer = m_composer->minimumSizeHint().height() + (height > 600 ? fontMetrics().lineSpacing() : 0);
    m_vertical->setSizes({std::max(100, height - timeline - composer), timeline, composer});
    // The side tabs a third of the width (within reason): on a 1024 px screen the table keeps its Preview column.
    const int width = m_horizontal->width();
    const int side = std::clamp(width / 3, std::min(320, width / 2), 560);
    m_horizontal->setSizes({width - side, side});
}

void SessionView::addSideTab(QWidget *page, const QString &title)
{
    // Each page scrolls inside its tab when the tab is shorter than the page: what a page holds (a long
    // explanation, a certificate chain, the simulator's form) never sets the window's minimum size.
    auto *scroll = new QScrollArea(m_sideTabs);
    scroll->setObjectName(QStringLiteral("sidePage"));
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_sideTabs->addTab(scroll, title);
}

int SessionView::sideTabIndex(const QWidget *page) const
{
    for (int i = 0; i < m_sideTabs->count(); ++i) {
        if (const auto *scroll = qobject_cast<const QScrollArea *>(m_sideTabs->widget(i));
            scroll && scroll->widget() == page)
            return i;
    }
    return -1;
}

QWidget *SessionView::shownSidePage() const
{
    const auto *scroll = qobject_cast<const QScrollArea *>(m_sideTabs->currentWidget());
    return scroll ? scroll->widget() : nullptr;
}

void SessionView::showSidePage(const QWidget *page)
{
    if (const int index = sideTabIndex(page); index >= 0)
        m_sideTabs->setCurrentIndex(index);
}

void SessionView::setUpMessagesView()
{
    m_tableChoice->setObjectName(QStringLiteral("tableChoice"));
    m_tableChoice->setDocumentMode(true);
    m_tableChoice->setDrawBase(false);
    m_tableChoice->setExpanding(false);
    m_tableChoice->addTab(tr("Frames"));
    m_tableChoice->addTab(tr("Messages"));
    m_tableChoice->setTabToolTip(0, tr("Every frame as it crossed the wire, control frames included"));
    m_tableChoice->setTabToolTip(1, tr("Every data message as the application got it: reassembled from its frames "
                                       "and inflated"));
    m_messageTable->setObjectName(QStringLiteral("messageTable"));
    m_messageDetail->setObjectName(QStringLiteral("messageDetail"));
    m_filterStatus->setObjectName(QStringLiteral("filterStatus"));
    m_filterStatus->setVisible(false);
    m_filterError->setObjectName(QStringLiteral("filterError"));
    m_filterError->setWordWrap(true);
    ThemedStyle::apply(m_filterError, ThemedStyle::Look::Text, Theme::Color::Failure);
    m_filterError->setVisible(false);
    m_tables->addWidget(m_table);
    m_tables->addWidget(m_messageTable);
    connect(m_tableChoice, &QTabBar::currentChanged, this, [this](int index) { showMessages(index == 1); });
}

void SessionView::attachMessages(const QDateTime &startedAt)
{
    auto *messages = new MessageTableModel(m_log, startedAt, this);
    m_messageTable->setModel(messages);
    delete m_messages;
    m_messages = messages;
    const QFontMetrics metrics = m_messageTable->fontMetrics();
    for (int column = 0; column < MessageTableModel::ColumnCount; ++column) {
        if (const QString sample = MessageTableModel::widthSample(column); !sample.isEmpty())
            m_messageTable->setColumnWidth(column, metrics.horizontalAdvance(sample) + 20);
    }
    messages->setProtocolDecoding(m_model->protocolDecoding());
    const std::shared_ptr<const DecodedMessageIndex> decoded = m_model->decodedIndex();
    m_messageTable->setColumnHidden(MessageTableModel::Protocol, !decoded || !decoded->recognition());
    m_messageDetail->clear();
    connect(m_messageTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SessionView::onMessageSelected);
    connect(m_messages, &MessageTableModel::rowsInserted, this, [this] {
        if (m_following)
            m_messageTable->scrollToBottom();
        updateFilterStatus();
    });
    // One filter row for both tables: a message is shown when the frame table shows the frame that completed it.
    connect(m_model, &FrameTableModel::filterFinished, this, [this] {
        const FrameTableModel *frames = m_model;
        if (m_model->filter().isEmpty())
            m_messages->setFrameFilter(nullptr);
        else
            m_messages->setFrameFilter([frames](qsizetype frame) { return frames->rowForFrameIndex(frame) >= 0; });
        m_messages->refresh(m_model->knownFrames());
        updateFilterStatus();
    });
    connect(m_model, &FrameTableModel::rowsInserted, this, &SessionView::updateFilterStatus);
    m_messages->refresh(m_model->knownFrames());
}

void SessionView::onMessageSelected()
{
    const QModelIndexList rows = m_messageTable->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_messages)
        return;
    const qsizetype message = m_messages->messageIndexForRow(rows.first().row());
    if (message < 0)
        return;
    m_following = false;
    m_messageDetail->setDecodedIndex(m_model->decodedIndex());
    m_messageDetail->setMessage(m_log, message);
    showSidePage(m_messageDetail);
    m_timeline->setSelectedFrame(qsizetype(m_log->message(message).lastFrame));
}

void SessionView::showMessages(bool messages)
{
    m_tableChoice->setCurrentIndex(messages ? 1 : 0);
    m_tables->setCurrentWidget(messages ? m_messageTable : static_cast<QWidget *>(m_table));
    // The detail tab follows the table: the frame's beside the frames, the message's beside the messages.
    const bool detailShown = shownSidePage() == m_detail || shownSidePage() == m_messageDetail;
    m_sideTabs->setTabVisible(sideTabIndex(m_detail), !messages);
    m_sideTabs->setTabVisible(sideTabIndex(m_messageDetail), messages);
    if (detailShown)
        showSidePage(messages ? static_cast<QWidget *>(m_messageDetail) : m_detail);
    m_filterText->setPlaceholderText(messages ? tr("Filter messages") : tr("Filter payloads"));
    m_foldPingPong->setVisible(!messages); // messages are data; pings and pongs are frames
    updateFilterStatus();
}

bool SessionView::isShowingMessages() const
{
    return m_tables->currentWidget() == m_messageTable;
}

void SessionView::focusFilter()
{
    m_filterText->setFocus(Qt::ShortcutFocusReason);
    m_filterText->selectAll();
}

QString SessionView::filterStatus() const
{
    if (m_filterError->isVisibleTo(this))
        return m_filterError->text();
    return m_filterStatus->isVisibleTo(this) ? m_filterStatus->text() : QString();
}

void SessionView::setWallClockVisible(bool visible)
{
    m_wallClock = visible;
    m_table->setColumnHidden(FrameTableModel::WallClock, !visible);
    if (visible && m_model)
        m_table->setColumnWidth(
            FrameTableModel::WallClock,
            m_table->fontMetrics().horizontalAdvance(FrameTableModel::widthSample(FrameTableModel::WallClock)) + 20);
}

void SessionView::updateFilterStatus()
{
    if (!m_model || m_filterError->isVisibleTo(this))
        return; // nothing to count yet, or a regex's error stays until the filter changes
    const bool active = !m_model->filter().isEmpty();
    m_filterStatus->setVisible(active);
    if (!active)
        return;
    const QLocale locale;
    const qsizetype shown = isShowingMessages() ? m_messages->rowCount() : m_model->rowCount();
    const qsizetype total = isShowingMessages() ? m_messages->knownMessages() : m_model->knownFrames();
    m_filterStatus->setText(m_model->isFiltering()
                                ? tr("filtering…")
                                : tr("%1 of %2 shown").arg(locale.toString(shown), locale.toString(total)));
}

} // namespace wsi
