// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/ConnectionBar.h"

#include "core/keepalive/HeartbeatPresets.h"
#include "core/profiles/ProfileVariables.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/WebSocketUrl.h"
#include "core/session/TlsSetup.h"
#include "ui/session/ProtocolOptionsForm.h"
#include "ui/session/SessionRuleSwitches.h"
#include "ui/session/SessionRulesRow.h"
#include "ui/widgets/Icons.h"
#include "ui/widgets/ThemedStyle.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QShowEvent>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace wsi {
namespace {

// hh:mm:ss, with tenths for a connection that is over (its exact length is known).
QString formatElapsed(qint64 ns, bool tenths)
{
    const qint64 units = tenths ? (ns + 50'000'000) / 100'000'000 : (ns + 500'000'000) / 1'000'000'000;
    const qint64 s = tenths ? units / 10 : units;
    QString text = QStringLiteral("%1:%2:%3")
                       .arg(s / 3600, 2, 10, QLatin1Char('0'))
                       .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
                       .arg(s % 60, 2, 10, QLatin1Char('0'));
    if (tenths)
        text += QLatin1Char('.') + QString::number(units % 10);
    return text;
}

} // namespace

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
    , m_url(new QLineEdit(this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_stateChip(new QLabel(this))
    , m_elapsed(new QLabel(this))
    , m_ruleSwitches(new SessionRuleSwitches(this))
    , m_optionsToggle(new QToolButton(this))
    , m_optionsDialog(new QDialog(this))
    , m_optionsNote(new QLabel(m_optionsDialog))
    , m_optionsPanel(new QWidget)
    , m_headers(new QPlainTextEdit(m_optionsPanel))
    , m_subprotocols(new QLineEdit(m_optionsPanel))
    , m_origin(new QLineEdit(m_optionsPanel))
    , m_deflate(new QCheckBox(tr("Offer permessage-deflate"), m_optionsPanel))
    , m_caFile(new QLineEdit(m_optionsPanel))
    , m_clientCertificate(new QLineEdit(m_optionsPanel))
    , m_clientKey(new QLineEdit(m_optionsPanel))
    , m_ignoreTlsErrors(new QCheckBox(tr("Ignore TLS errors (they are still recorded)"), m_optionsPanel))
    , m_proxy(new QLineEdit(m_optionsPanel))
    , m_tolerant(new QCheckBox(tr("Tolerant: record protocol violations and keep the connection"), m_optionsPanel))
    , m_heartbeat(new QLineEdit(m_optionsPanel))
    , m_answerPings(new QCheckBox(tr("Answer pings"), m_optionsPanel))
    , m_stopAnsweringAfter(new QSpinBox(m_optionsPanel))
    , m_reconnect(
          new QCheckBox(tr("Reconnect automatically (backoff 1 s doubling to 30 s, with jitter)"), m_optionsPanel))
    , m_rules(new SessionRulesRow(m_optionsPanel))
    , m_protocol(new ProtocolOptionsForm)
    , m_elapsedTimer(this)
    , m_countdownTimer(this)
{
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("ws://host:port/path or wss://..."));
    m_url->setClearButtonEnabled(true);
    m_connect->setObjectName(QStringLiteral("connect"));
    m_stateChip->setObjectName(QStringLiteral("stateChip"));
    m_stateChip->setMargin(3);
    m_elapsed->setObjectName(QStringLiteral("elapsed"));
    m_elapsed->setToolTip(tr("How long the connection has run, on its own clock (the frame times, the timeline and "
                             "the close count from its start)"));
    m_optionsToggle->setObjectName(QStringLiteral("optionsToggle"));
    m_optionsToggle->setText(tr("Options"));
    m_optionsToggle->setCheckable(true);
    m_optionsToggle->setToolTip(tr("Headers, subprotocols, Origin, deflate, TLS, proxy, heartbeat, rules, reconnect "
                                   "and the application protocol, in a window of their own"));

    m_headers->setObjectName(QStringLiteral("headers"));
    m_headers->setPlaceholderText(tr("One header per line: Name: value"));
    m_headers->setMaximumHeight(80);
    m_subprotocols->setObjectName(QStringLiteral("subprotocols"));
    m_subprotocols->setPlaceholderText(tr("comma-separated, in order of preference"));
    m_origin->setObjectName(QStringLiteral("origin"));
    m_deflate->setObjectName(QStringLiteral("deflate"));
    m_deflate->setChecked(true);
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("extra trusted CA certificates (PEM file)"));
    m_clientCertificate->setObjectName(QStringLiteral("clientCertificate"));
    m_clientCertificate->setPlaceholderText(tr("client certificate for mTLS (PEM file)"));
    m_clientKey->setObjectName(QStringLiteral("clientKey"));
    m_clientKey->setPlaceholderText(tr("its private key (PEM file)"));
    m_ignoreTlsErrors->setObjectName(QStringLiteral("ignoreTlsErrors"));
    m_proxy->setObjectName(QStringLiteral("proxy"));
    m_proxy->setPlaceholderText(QStringLiteral("http://host:port or socks5://user:pass@host:port"));
    m_tolerant->setObjectName(QStringLiteral("tolerant"));
    m_heartbeat->setObjectName(QStringLiteral("heartbeat"));
    m_answerPings->setObjectName(QStringLiteral("answerPings"));
    m_answerPings->setChecked(true);
    m_answerPings->setToolTip(tr("Off: receive pings and never pong, to play a client whose heartbeat is dead"));
    m_stopAnsweringAfter->setObjectName(QStringLiteral("stopAnsweringAfter"));
    m_stopAnsweringAfter->setRange(-1, 1000000);
    m_stopAnsweringAfter->setValue(-1);
    m_stopAnsweringAfter->setSpecialValueText(tr("never"));
    m_stopAnsweringAfter->setPrefix(tr("stop answering pings after "));
    m_stopAnsweringAfter->setToolTip(tr("Answer the first N pings, then fall silent: a client that dies mid-way"));
    m_reconnect->setObjectName(QStringLiteral("reconnect"));
    m_reconnect->setToolTip(tr("After a connection ends without you closing it, open a new one and send the "
                               "on-connect messages again"));
    m_heartbeat->setPlaceholderText(QStringLiteral("none, ping:30,timeout=10, pong:30, app:25, or a preset"));
    {
        QStringList presets;
        for (const HeartbeatPreset &preset : HeartbeatPresets::builtIn().presets())
            presets << preset.id;
        m_heartbeat->setToolTip(tr("What this client sends to keep the connection alive, and when it gives up "
                                   "(two missed replies: dead, Close 1011). Presets copy a library: %1")
                                    .arg(presets.join(QStringLiteral(", "))));
    }

    auto *form = new QFormLayout(m_optionsPanel);
    form->addRow(tr("Headers"), m_headers);
    form->addRow(tr("Subprotocols"), m_subprotocols);
    form->addRow(tr("Origin"), m_origin);
    form->addRow(QString(), m_deflate);
    // The application protocol in a box of its own, near the top with the rest of what the handshake says: its rows
    // change with the protocol chosen.
    auto *protocolBox = new QGroupBox(tr("Application protocol"), m_optionsPanel);
    protocolBox->setObjectName(QStringLiteral("protocolBox"));
    auto *protocolLayout = new QVBoxLayout(protocolBox);
    protocolLayout->addWidget(m_protocol);
    m_protocol->setObjectName(QStringLiteral("protocolOptions"));
    form->addRow(protocolBox);
    form->addRow(tr("CA file"), m_caFile);
    form->addRow(tr("Client certificate"), m_clientCertificate);
    form->addRow(tr("Client key"), m_clientKey);
    form->addRow(QString(), m_ignoreTlsErrors);
    form->addRow(tr("Proxy"), m_proxy);
    form->addRow(QString(), m_tolerant);
    form->addRow(tr("Heartbeat"), m_heartbeat);
    auto *pings = new QHBoxLayout;
    pings->addWidget(m_answerPings);
    pings->addWidget(m_stopAnsweringAfter, 1);
    form->addRow(QString(), pings);
    m_rules->setObjectName(QStringLiteral("rules"));
    form->addRow(tr("Rules"), m_rules);
    m_ruleSwitches->setObjectName(QStringLiteral("ruleSwitches"));
    connect(m_rules, &SessionRulesRow::rulesChanged, this, [this] {
        m_ruleSwitches->setRules(m_rules->rules());
        if (m_optionsDialog->isVisible())
            fitOptionsDialog(true);
    });
    // The reason takes lines of its own: the dialog grows to show them, as far as the screen lets it.
    connect(m_rules, &SessionRulesRow::refused, this, [this] {
        if (m_optionsDialog->isVisible())
            fitOptionsDialog(true);
    });
    connect(m_ruleSwitches, &SessionRuleSwitches::switched, m_rules, &SessionRulesRow::showRules);
    form->addRow(QString(), m_reconnect);
    setUpOptionsDialog();
    connect(m_protocol, &ProtocolOptionsForm::choiceChanged, this, [this] {
        updateOptionsToggle();
        // Open: it grows to show the chosen protocol's rows, as far as the screen lets it.
        if (m_optionsDialog->isVisible())
            fitOptionsDialog(true);
    });

    auto *row = new QHBoxLayout;
    row->addWidget(m_url, 1);
    row->addWidget(m_connect);
    row->addWidget(m_stateChip);
    row->addWidget(m_elapsed);
    row->addWidget(m_ruleSwitches);
    row->addWidget(m_optionsToggle);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addLayout(row);

    connect(m_connect, &QPushButton::clicked, this, &ConnectionBar::onConnectClicked);
    connect(m_url, &QLineEdit::returnPressed, this, &ConnectionBar::onConnectClicked);
    auto *focusUrlShortcut = new QShortcut(QKeySequence(tr("Ctrl+L")), this);
    focusUrlShortcut->setWhatsThis(tr("Go to the URL of the session"));
    connect(focusUrlShortcut, &QShortcut::activated, this, &ConnectionBar::focusUrl);
    m_elapsedTimer.setInterval(1000);
    connect(&m_elapsedTimer, &QTimer::timeout, this, &ConnectionBar::updateElapsed);
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this, &ConnectionBar::updateCountdown);
    setState(Session::State::Idle);
}

void ConnectionBar::setUpOptionsDialog()
{
    // The options have a window of their own: however many there are, they never take room from the frames, the
    // timeline or the composer, and the main window's size does not depend on them. The dialog is the bar's child,
    // so it goes with its tab (showEvent / hideEvent) and with it when the tab closes.
    m_optionsDialog->setObjectName(QStringLiteral("optionsDialog"));
    m_optionsDialog->setWindowTitle(tr("Connection options"));
    m_optionsPanel->setObjectName(QStringLiteral("optionsPanel"));
    m_optionsNote->setObjectName(QStringLiteral("optionsNote"));
    m_optionsNote->setWordWrap(true);
    m_optionsNote->setText(tr("These apply to the next connection: disconnect to change them."));
    ThemedStyle::apply(m_optionsNote, ThemedStyle::Look::Note, Theme::Color::Warning);
    m_optionsNote->setVisible(false);
    // On a small screen the form scrolls inside the dialog rather than run off the screen.
    auto *scroll = new QScrollArea(m_optionsDialog);
    scroll->setObjectName(QStringLiteral("optionsScroll"));
    scroll->setWidget(m_optionsPanel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, m_optionsDialog);
    connect(buttons, &QDialogButtonBox::rejected, m_optionsDialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(m_optionsDialog);
    layout->addWidget(m_optionsNote);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);

    connect(m_optionsToggle, &QToolButton::toggled, this, &ConnectionBar::showOptions);
    // Closed by its button, Escape or the window manager: the toggle follows.
    connect(m_optionsDialog, &QDialog::finished, this, [this] { m_optionsToggle->setChecked(false); });
}

void ConnectionBar::showOptions(bool shown)
{
    m_optionsToggle->setChecked(shown);
    if (!shown) {
        m_optionsDialog->hide();
        return;
    }
    if (!isVisible())
        return; // showEvent() opens it with its tab
    if (!m_optionsDialog->isVisible())
        fitOptionsDialog(false);
    m_optionsDialog->show();
    m_optionsDialog->raise();
    m_optionsDialog->activateWindow();
}

void ConnectionBar::fitOptionsDialog(bool growOnly)
{
    // The whole form without scrolling (a scroll area's own hint stops at 24 lines), unless the screen the window is
    // on is smaller: then the form scrolls. The protocol's rows come and go with its choice: the cached size hints
    // of the layouts holding them are dropped first.
    m_protocol->layout()->invalidate();
    m_protocol->updateGeometry();
    if (QWidget *box = m_protocol->parentWidget()) {
        box->layout()->invalidate();
        box->updateGeometry();
    }
    m_optionsPanel->layout()->invalidate();
    const auto *scroll = m_optionsDialog->findChild<QScrollArea *>(QStringLiteral("optionsScroll"));
    QSize wanted = m_optionsDialog->sizeHint() - scroll->sizeHint() + m_optionsPanel->sizeHint() +
                   QSize(scroll->verticalScrollBar()->sizeHint().width(), 0);
    const QSize room = screen() ? screen()->availableSize() * 9 / 10 : wanted;
    if (growOnly)
        wanted = wanted.expandedTo(m_optionsDialog->size());
    m_optionsDialog->resize(wanted.boundedTo(room));
}

bool ConnectionBar::isShowingOptions() const
{
    return m_optionsDialog->isVisible();
}

void ConnectionBar::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Back on this tab: its options come back if they were open when the user left it.
    if (!event->spontaneous() && m_optionsToggle->isChecked())
        showOptions(true);
}

void ConnectionBar::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    // Another tab is shown: its bar's options are not this one's. The toggle stays checked, to reopen them here.
    if (!event->spontaneous())
        m_optionsDialog->hide();
}

void ConnectionBar::focusUrl()
{
    m_url->setFocus(Qt::ShortcutFocusReason);
    m_url->selectAll();
}

std::optional<SessionOptions> ConnectionBar::options(QString *error) const
{
    auto fail = [error](const QString &why) -> std::optional<SessionOptions> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    SessionOptions options = m_carried;
    options.headers = {};
    options.subprotocols.clear();
    options.proxy.clear();
    // "{{name}}" may stand in the path and query (asked for before connecting); QUrl refuses braces.
    QString urlProblem;
    const std::optional<QUrl> url =
        WebSocketUrl::parse(ProfileVariables::encodeUrlPlaceholders(m_url->text()), &urlProblem);
    if (!url)
        return fail(tr("URL: %1").arg(urlProblem));
    options.url = *url;
    const QString scheme = options.url.scheme().toLower();
    const QStringList lines = m_headers->toPlainText().split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            return fail(tr("Headers, line %1: write it as \"Name: value\"").arg(i + 1));
        options.headers.append(line.left(colon).trimmed().toUtf8(), line.mid(colon + 1).trimmed().toUtf8());
    }
    for (const QString &protocol : m_subprotocols->text().split(u',', Qt::SkipEmptyParts)) {
        if (!protocol.trimmed().isEmpty())
            options.subprotocols << protocol.trimmed();
    }
    options.origin = m_origin->text().trimmed();
    options.offerDeflate = m_deflate->isChecked();
    options.tls.caFile = m_caFile->text().trimmed();
    options.tls.clientCertificateFile = m_clientCertificate->text().trimmed();
    options.tls.clientKeyFile = m_clientKey->text().trimmed();
    options.tls.ignoreErrors = m_ignoreTlsErrors->isChecked();
    // The files are read now, as the session will read them: a wrong path is said before anything connects.
    if (scheme == QLatin1StringView("wss")) {
        if (const QString problem = TlsSetup::problem(options.tls); !problem.isEmpty())
            return fail(tr("TLS: %1").arg(problem));
    }
    if (!m_proxy->text().trimmed().isEmpty()) {
        options.proxy = QUrl(m_proxy->text().trimmed(), QUrl::StrictMode);
        const QString proxyScheme = options.proxy.scheme().toLower();
        if (!options.proxy.isValid() || options.proxy.host().isEmpty() ||
            (proxyScheme != QLatin1StringView("http") && proxyScheme != QLatin1StringView("socks5"))) {
            return fail(tr("Proxy: use http://host:port or socks5://host:port"));
        }
    }
    options.strict = !m_tolerant->isChecked();
    const QString heartbeat = m_heartbeat->text().trimmed();
    if (heartbeat.isEmpty()) {
        options.heartbeat = HeartbeatSettings{};
    } else if (heartbeat == heartbeatText(m_carried.heartbeat)) {
        // Unchanged: keep what the text does not say (misses until dead, what to do then, the app message).
        options.heartbeat = m_carried.heartbeat;
    } else {
        QString why;
        const auto spec = HeartbeatSpec::parse(heartbeat, Endpoint::Client, HeartbeatPresets::builtIn(), &why);
        if (!spec)
            return fail(tr("Heartbeat: %1").arg(why));
        options.heartbeat = spec->toSettings();
    }
    options.reconnect.enabled = m_reconnect->isChecked();
    QString protocolError;
    const std::optional<AppProtocolSettings> protocol = m_protocol->settings(m_carried.protocol, &protocolError);
    if (!protocol)
        return fail(protocolError);
    options.protocol = *protocol;
    options.autoPong = m_answerPings->isChecked();
    options.heartbeat.stopAnsweringPingsAfter = m_stopAnsweringAfter->value();
    options.rules = m_rules->rules();
    options.rulesDocument = m_rules->document();
    QString handshakeError;
    if (!buildHandshakeRequest(options.handshakeRequestOptions(), &handshakeError))
        return fail(handshakeError);
    return options;
}

void ConnectionBar::setOptions(const SessionOptions &options)
{
    m_carried = options;
    m_url->setText(ProfileVariables::decodeUrlPlaceholders(options.url.toString()));
    QStringList headerLines;
    for (const HttpHeader &header : options.headers)
        headerLines << QString::fromUtf8(header.name) + QStringLiteral(": ") + QString::fromUtf8(header.value);
    m_headers->setPlainText(headerLines.join(u'\n'));
    m_subprotocols->setText(options.subprotocols.join(QStringLiteral(", ")));
    m_origin->setText(options.origin);
    m_deflate->setChecked(options.offerDeflate);
    m_caFile->setText(options.tls.caFile);
    m_clientCertificate->setText(options.tls.clientCertificateFile);
    m_clientKey->setText(options.tls.clientKeyFile);
    m_ignoreTlsErrors->setChecked(options.tls.ignoreErrors);
    m_proxy->setText(options.proxy.toString());
    m_tolerant->setChecked(!options.strict);
    m_heartbeat->setText(heartbeatText(options.heartbeat));
    m_reconnect->setChecked(options.reconnect.enabled);
    m_answerPings->setChecked(options.autoPong);
    m_stopAnsweringAfter->setValue(options.heartbeat.stopAnsweringPingsAfter);
    m_rules->setRules(options.rules, options.rulesDocument);
    m_protocol->setSettings(options.protocol);
}

void ConnectionBar::updateOptionsToggle()
{
    // The protocol spoken changes what the session sends on its own: it stays in view while the dialog is closed.
    const QString protocol = m_protocol->choiceTitle();
    m_optionsToggle->setText(protocol.isEmpty() ? tr("Options") : tr("Options · %1").arg(protocol));
}

QString ConnectionBar::heartbeatText(const HeartbeatSettings &settings)
{
    // Written back in the syntax the field (and the command line) reads.
    if (!settings.preset.isEmpty())
        return settings.preset;
    const auto seconds = [](qint64 ms) { return QString::number(double(ms) / 1000.0); };
    switch (settings.kind) {
    case HeartbeatSettings::Kind::None:
        return {};
    case HeartbeatSettings::Kind::Ping:
        return QStringLiteral("ping:%1,timeout=%2")
            .arg(seconds(settings.intervalMs), seconds(settings.effectiveReplyTimeoutMs()));
    case HeartbeatSettings::Kind::Pong:
        return QStringLiteral("pong:%1").arg(seconds(settings.intervalMs));
    case HeartbeatSettings::Kind::App:
        return QStringLiteral("app:%1").arg(seconds(settings.intervalMs));
    }
    return {};
}

void ConnectionBar::onConnectClicked()
{
    if (m_state == Session::State::Connecting || m_state == Session::State::Open ||
        m_state == Session::State::Closing || isReconnectPending()) {
        Q_EMIT disconnectRequested();
        return;
    }
    QString error;
    if (const auto chosen = options(&error))
        Q_EMIT connectRequested(*chosen);
    else
        Q_EMIT optionsInvalid(error);
}

void ConnectionBar::setState(Session::State state, const std::optional<CloseRecord> &close)
{
    m_state = state;
    m_reconnectAttempt = 0;
    m_countdownTimer.stop();
    const bool active =
        state == Session::State::Connecting || state == Session::State::Open || state == Session::State::Closing;
    showConnectButton(active);

    QString text = Session::stateName(state);
    Theme::Color chip = Theme::Color::Neutral;
    switch (state) {
    case Session::State::Connecting:
    case Session::State::Closing:
        chip = Theme::Color::Warning;
        break;
    case Session::State::Open:
        chip = Theme::Color::Success;
        break;
    case Session::State::Closed:
        if (close) {
            text = tr("closed %1").arg(close->code);
            chip = close->clean ? Theme::Color::Neutral : Theme::Color::Failure;
            QString tip = tr("%1 %2%3, initiated by the %4")
                              .arg(close->code)
                              .arg(CloseCodes::name(close->code),
                                   close->reason.isEmpty() ? QString() : QStringLiteral(": ") + close->reason,
                                   CloseRecord::initiatorName(close->initiator));
            if (close->initiator == CloseRecord::Initiator::Transport)
                tip += QLatin1Char('\n') + tr("The connection ended without a Close frame from either side.");
            if (close->ownEnd)
                tip += QLatin1Char('\n') + tr("This client ended it: %1").arg(close->ownEnd->describe());
            if (!close->error.isEmpty())
                tip += QLatin1Char('\n') + close->error;
            // The silences before the end are the first clue to an idle timeout somewhere on the path.
            tip += QLatin1Char('\n') + tr("Silence before the end: %1 s from the server, %2 s from us")
                                           .arg(double(close->idleInNs) / 1e9, 0, 'f', 1)
                                           .arg(double(close->idleOutNs) / 1e9, 0, 'f', 1);
            m_stateChip->setToolTip(tip);
        }
        break;
    case Session::State::Idle:
        break;
    }
    m_closedText = text;
    m_closedColor = chip;
    m_closedTip = m_stateChip->toolTip();
    m_stateChip->setText(text);
    ThemedStyle::apply(m_stateChip, ThemedStyle::Look::Chip, chip);
    // The elapsed time is the connection's own clock, rounded: a 1 s timer may fire a little early, and 4.95 s must
    // not read as 4. Once closed, the close record says exactly how long it ran.
    if (state == Session::State::Closed) {
        m_elapsedTimer.stop();
        if (close)
            m_elapsed->setText(formatElapsed(close->atNs, true));
        else
            updateElapsed();
    } else if (state == Session::State::Idle) {
        m_elapsedTimer.stop();
        m_elapsed->clear();
    } else {
        if (!m_elapsedTimer.isActive())
            m_elapsedTimer.start();
        updateElapsed();
    }
}

void ConnectionBar::showConnectButton(bool active)
{
    m_connect->setText(active ? tr("Disconnect") : tr("Connect"));
    m_connect->setIcon(Icons::icon(active ? Icons::Name::Disconnect : Icons::Name::Connect));
    m_url->setReadOnly(active);
    setOptionsEditable(!active);
}

void ConnectionBar::setOptionsEditable(bool editable)
{
    m_optionsPanel->setEnabled(editable);
    m_optionsNote->setVisible(!editable);
}

void ConnectionBar::setClock(std::function<qint64()> nowNs)
{
    m_clock = std::move(nowNs);
}

QString ConnectionBar::elapsedText() const
{
    return m_elapsed->text();
}

void ConnectionBar::setReconnectPending(int attempt, int maxAttempts, qint64 delayMs)
{
    m_reconnectAttempt = std::max(1, attempt);
    m_reconnectMax = maxAttempts;
    m_reconnectAt.setRemainingTime(delayMs);
    // Until it opens the next connection: the button stops the loop, the options stay as they are.
    m_connect->setText(tr("Stop reconnecting"));
    m_connect->setIcon(Icons::icon(Icons::Name::Disconnect));
    m_url->setReadOnly(true);
    setOptionsEditable(false);
    ThemedStyle::apply(m_stateChip, ThemedStyle::Look::Chip, Theme::Color::Warning);
    m_countdownTimer.start();
    updateCountdown();
}

void ConnectionBar::updateCountdown()
{
    if (!isReconnectPending())
        return;
    // Whole seconds, rounded up: "in 0 s" would come a second before the connection does.
    const qint64 seconds = (std::max<qint64>(0, m_reconnectAt.remainingTime()) + 999) / 1000;
    const QString attempt = m_reconnectMax > 0 ? tr("attempt %1 of %2").arg(m_reconnectAttempt).arg(m_reconnectMax)
                                               : tr("attempt %1").arg(m_reconnectAttempt);
    m_stateChip->setText(tr("reconnecting in %1 s, %2").arg(seconds).arg(attempt));
    m_stateChip->setToolTip(tr("The connection ended (%1). The next one opens in %2 s; Stop reconnecting ends the "
                               "loop.")
                                .arg(m_closedText)
                                .arg(seconds));
}

void ConnectionBar::setReconnectFinished(const QString &why)
{
    const bool wasPending = isReconnectPending();
    m_reconnectAttempt = 0;
    m_countdownTimer.stop();
    if (wasPending)
        showConnectButton(false);
    ThemedStyle::apply(m_stateChip, ThemedStyle::Look::Chip, m_closedColor);
    m_stateChip->setText(why.isEmpty() ? m_closedText : tr("%1 · %2").arg(m_closedText, why));
    m_stateChip->setToolTip(why.isEmpty() ? m_closedTip
                                          : m_closedTip + QLatin1Char('\n') + tr("No reconnect follows: %1.").arg(why));
}

QString ConnectionBar::stateText() const
{
    return m_stateChip->text();
}

void ConnectionBar::updateElapsed()
{
    if (m_clock)
        m_elapsed->setText(formatElapsed(m_clock(), false));
}

} // namespace wsi
