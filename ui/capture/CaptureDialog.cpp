// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/capture/CaptureDialog.h"

#include "core/proxy/HostPatterns.h"
#include "core/rules/RuleSet.h"
#include "ui/capture/LiveCapture.h"
#include "ui/rules/CaptureRules.h"
#include "ui/widgets/ThemedStyle.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>

namespace wsi {
namespace {

const QString portKey = QStringLiteral("capture/port");
const QString anyPortKey = QStringLiteral("capture/anyPort");
const QString interceptKey = QStringLiteral("capture/intercept");
const QString noInterceptKey = QStringLiteral("capture/noIntercept");
const QString recordKey = QStringLiteral("capture/record");
const QString upstreamCaKey = QStringLiteral("capture/upstreamCa");

QStringList patternsOf(const QLineEdit *field)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return field->text().split(separators, Qt::SkipEmptyParts);
}

} // namespace

CaptureDialog::CaptureDialog(LiveCapture *capture, const QString &recordDirectory, QWidget *parent)
    : QDialog(parent)
    , m_capture(capture)
    , m_recordDirectory(recordDirectory)
    , m_port(new QSpinBox(this))
    , m_anyPort(new QCheckBox(tr("Any free port"), this))
    , m_intercept(new QLineEdit(this))
    , m_noIntercept(new QLineEdit(this))
    , m_upstreamCa(new QLineEdit(this))
    , m_upstreamInsecure(new QCheckBox(tr("Accept any server certificate (insecure: for servers of your own)"), this))
    , m_record(new QCheckBox(this))
    , m_rulesSummary(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("captureDialog"));
    setWindowTitle(tr("Start the capture proxy"));
    const QSettings settings;
    m_port->setObjectName(QStringLiteral("capturePort"));
    m_port->setRange(1, 65535);
    m_port->setValue(settings.value(portKey, defaultPort).toInt());
    m_port->setToolTip(tr("A fixed port lets applications keep pointing at the proxy from one capture to the next"));
    m_anyPort->setObjectName(QStringLiteral("captureAnyPort"));
    m_anyPort->setChecked(settings.value(anyPortKey, false).toBool());
    m_port->setEnabled(!m_anyPort->isChecked());
    connect(m_anyPort, &QCheckBox::toggled, m_port, [this](bool any) { m_port->setEnabled(!any); });
    auto *portRow = new QHBoxLayout;
    portRow->addWidget(m_port);
    portRow->addWidget(m_anyPort);
    portRow->addStretch(1);

    m_intercept->setObjectName(QStringLiteral("captureIntercept"));
    m_intercept->setPlaceholderText(tr("every host (or e.g. *.example.com api.test)"));
    m_intercept->setText(settings.value(interceptKey).toString());
    m_noIntercept->setObjectName(QStringLiteral("captureNoIntercept"));
    m_noIntercept->setPlaceholderText(tr("none (or e.g. *.apple.com accounts.google.com)"));
    m_noIntercept->setText(settings.value(noInterceptKey).toString());
    auto *patternsNote =
        new QLabel(tr("Host names, separated by spaces; * stands for any characters, ? for one. Hosts not "
                      "intercepted are passed through unread: apps that pin their certificates work as before."),
                   this);
    patternsNote->setWordWrap(true);

    m_upstreamCa->setObjectName(QStringLiteral("captureUpstreamCa"));
    m_upstreamCa->setPlaceholderText(tr("optional: a PEM file of extra CAs"));
    m_upstreamCa->setText(settings.value(upstreamCaKey).toString());
    m_upstreamCa->setToolTip(tr("Servers of intercepted connections are checked as a browser would: against the "
                                "system's CAs and, with a file here, its CAs too"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Servers' CA file"), m_upstreamCa->text(),
                                                          tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!file.isEmpty())
            m_upstreamCa->setText(QDir::toNativeSeparators(file));
    });
    auto *upstreamCaRow = new QHBoxLayout;
    upstreamCaRow->addWidget(m_upstreamCa, 1);
    upstreamCaRow->addWidget(browse);
    m_upstreamInsecure->setObjectName(QStringLiteral("captureUpstreamInsecure"));

    m_record->setObjectName(QStringLiteral("captureRecord"));
    m_record->setText(tr("Record each WebSocket connection"));
    m_record->setChecked(settings.value(recordKey, true).toBool());
    auto *recordNote = new QLabel(tr("in %1").arg(QDir::toNativeSeparators(recordDirectory)), this);
    recordNote->setWordWrap(true);
    recordNote->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_rulesSummary->setObjectName(QStringLiteral("captureRules"));
    m_rulesSummary->setWordWrap(true);
    auto *rulesButton = new QPushButton(tr("Rules panel…"), this);
    rulesButton->setObjectName(QStringLiteral("captureRulesPanel"));
    rulesButton->setToolTip(tr("Rules rewrite, drop, delay or inject messages the proxy relays"));
    rulesButton->setAutoDefault(false);
    // The dialog is window modal: it gives way to the panel (nothing started), to be opened again once the rules are
    // set.
    connect(rulesButton, &QPushButton::clicked, this, [this] {
        Q_EMIT rulesPanelRequested();
        reject();
    });
    auto *rulesRow = new QHBoxLayout;
    rulesRow->addWidget(m_rulesSummary, 1);
    rulesRow->addWidget(rulesButton);
    showRules();

    auto *listenNote = new QLabel(
        tr("It listens on 127.0.0.1 only: applications on this computer (and its emulators) can use it, nobody else."),
        this);
    listenNote->setWordWrap(true);

    m_error->setObjectName(QStringLiteral("captureError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    ThemedStyle::apply(m_error, ThemedStyle::Look::Text, Theme::Color::Failure);

    m_start = m_buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("captureStart"));
    m_start->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CaptureDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(tr("Port:"), portRow);
    form->addRow(tr("Intercept only:"), m_intercept);
    form->addRow(tr("Never intercept:"), m_noIntercept);
    form->addRow(patternsNote);
    form->addRow(tr("Servers' CA file:"), upstreamCaRow);
    form->addRow(m_upstreamInsecure);
    form->addRow(m_record);
    form->addRow(recordNote);
    form->addRow(tr("Rules:"), rulesRow);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(listenNote);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(460);

    // Only the attempt this dialog made is answered here; the window reports the capture's state itself.
    connect(m_capture, &LiveCapture::started, this, [this] {
        if (!m_starting)
            return;
        m_starting = false;
        save();
        accept();
    });
    connect(m_capture, &LiveCapture::interceptionFailed, this, [this](const QString &problem) {
        if (!m_starting)
            return;
        m_starting = false;
        setBusy(false);
        m_error->setText(tr("The capture proxy did not start: %1").arg(problem));
        m_error->setVisible(true);
        m_upstreamCa->setFocus();
    });
    connect(m_capture, &LiveCapture::failed, this, [this](const QString &error) {
        if (!m_starting)
            return;
        m_starting = false;
        setBusy(false);
        const QString where =
            m_anyPort->isChecked() ? QStringLiteral("127.0.0.1") : QStringLiteral("127.0.0.1:%1").arg(m_port->value());
        m_error->setText(tr("The capture proxy did not start on %1: %2. Another program (or another capture) may use "
                            "that port: choose another one, or tick “Any free port”.")
                             .arg(where, error));
        m_error->setVisible(true);
        m_port->setFocus();
    });
}

CaptureDialog::~CaptureDialog() = default;

quint16 CaptureDialog::savedPort()
{
    const QSettings settings;
    return settings.value(anyPortKey, false).toBool() ? 0 : quint16(settings.value(portKey, defaultPort).toInt());
}

std::optional<CaptureOptions> CaptureDialog::options(QString *error) const
{
    const QStringList intercept = patternsOf(m_intercept);
    const QStringList noIntercept = patternsOf(m_noIntercept);
    for (const auto &[field, patterns] :
         {std::pair{tr("Intercept only"), intercept}, std::pair{tr("Never intercept"), noIntercept}}) {
        for (const QString &pattern : patterns) {
            if (const QString problem = HostPatterns::problem(pattern); !problem.isEmpty()) {
                *error = tr("%1: %2").arg(field, problem);
                return std::nullopt;
            }
        }
    }
    CaptureOptions options;
    options.relay.rules = m_rules ? m_rules->ruleSet() : nullptr;
    options.listenPort = m_anyPort->isChecked() ? 0 : quint16(m_port->value());
    options.patterns = HostPatterns(intercept, noIntercept);
    return options;
}

void CaptureDialog::setRules(CaptureRules *rules)
{
    if (m_rules)
        disconnect(m_rules, nullptr, this, nullptr);
    m_rules = rules;
    if (m_rules) {
        connect(m_rules, &CaptureRules::changed, this, &CaptureDialog::showRules);
        connect(m_rules, &CaptureRules::switched, this, &CaptureDialog::showRules);
    }
    showRules();
}

QString CaptureDialog::rulesText() const
{
    return m_rulesSummary->text();
}

void CaptureDialog::showRules()
{
    const std::shared_ptr<RuleSet> rules = m_rules ? m_rules->ruleSet() : nullptr;
    m_rulesSummary->setText(rules && !rules->isEmpty() ? m_rules->summary() : tr("none"));
    m_rulesSummary->setToolTip(rules && !rules->isEmpty() ? tr("Every WebSocket connection through the proxy runs them")
                                                          : tr("Messages pass as they come"));
}

UpstreamTlsOptions CaptureDialog::upstreamTls() const
{
    UpstreamTlsOptions upstream;
    upstream.extraCaFile = QDir::fromNativeSeparators(m_upstreamCa->text().trimmed());
    upstream.insecure = m_upstreamInsecure->isChecked();
    return upstream;
}

bool CaptureDialog::recordsConnections() const
{
    return m_record->isChecked();
}

void CaptureDialog::start()
{
    if (m_starting)
        return;
    QString error;
    const std::optional<CaptureOptions> chosen = options(&error);
    if (!chosen) {
        m_error->setText(error);
        m_error->setVisible(true);
        return;
    }
    m_error->setVisible(false);
    m_starting = true;
    setBusy(true);
    m_capture->start(*chosen, m_record->isChecked() ? m_recordDirectory : QString(), upstreamTls());
}

QString CaptureDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void CaptureDialog::setBusy(bool busy)
{
    for (QWidget *field : {static_cast<QWidget *>(m_port), static_cast<QWidget *>(m_anyPort),
                           static_cast<QWidget *>(m_intercept), static_cast<QWidget *>(m_noIntercept),
                           static_cast<QWidget *>(m_upstreamCa), static_cast<QWidget *>(m_upstreamInsecure),
                           static_cast<QWidget *>(m_record), static_cast<QWidget *>(m_start)})
        field->setEnabled(!busy);
    if (!busy)
        m_port->setEnabled(!m_anyPort->isChecked());
    m_start->setText(busy ? tr("Starting…") : tr("&Start"));
}

void CaptureDialog::save() const
{
    QSettings settings;
    settings.setValue(portKey, m_port->value());
    settings.setValue(anyPortKey, m_anyPort->isChecked());
    settings.setValue(interceptKey, m_intercept->text().trimmed());
    settings.setValue(noInterceptKey, m_noIntercept->text().trimmed());
    settings.setValue(recordKey, m_record->isChecked());
    settings.setValue(upstreamCaKey, m_upstreamCa->text().trimmed());
}

} // namespace wsi
