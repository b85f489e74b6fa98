// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/HandshakeView.h"

#include "ui/widgets/HexDump.h"
#include "ui/widgets/ThemedStyle.h"
#include "ui/widgets/TimingBar.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wsi {

namespace {

constexpr qsizetype maxBodyHexShown = 64 * 1024;

QLabel *selectableLabel(const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QPlainTextEdit *rawView(const QString &objectName)
{
    auto *view = new QPlainTextEdit;
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

// Text of HTTP bytes: Latin-1 would be more faithful for obs-text, but UTF-8 is what servers mean in practice.
QString httpText(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes);
}

bool isReadableText(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(bytes);
    if (decoder.hasError())
        return false;
    for (const QChar c : text) {
        if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\r') && c != QLatin1Char('\t'))
            return false;
    }
    return true;
}

QString commonNames(const QStringList &names)
{
    return names.isEmpty() ? QStringLiteral("(no CN)") : names.join(QStringLiteral(", "));
}

QString windowText(int bits)
{
    return QStringLiteral("%1 bits (%2 KiB)").arg(bits).arg((1 << bits) / 1024.0, 0, 'g', 3);
}

} // namespace

HandshakeView::HandshakeView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);

    m_status = selectableLabel(QStringLiteral("handshakeStatus"));
    QFont statusFont = m_status->font();
    statusFont.setBold(true);
    statusFont.setPointSizeF(statusFont.pointSizeF() * 1.5);
    m_status->setFont(statusFont);
    layout->addWidget(m_status);

    m_explanation = selectableLabel(QStringLiteral("handshakeExplanation"));
    ThemedStyle::apply(m_explanation, ThemedStyle::Look::Note, Theme::Color::Failure);
    layout->addWidget(m_explanation);

    m_notes = selectableLabel(QStringLiteral("handshakeNotes"));
    layout->addWidget(m_notes);

    auto *form = new QFormLayout;
    m_peer = selectableLabel(QStringLiteral("peerAddress"));
    m_subprotocol = selectableLabel(QStringLiteral("negotiatedSubprotocol"));
    m_extensions = selectableLabel(QStringLiteral("negotiatedExtensions"));
    m_deflate = selectableLabel(QStringLiteral("deflateParameters"));
    m_timingBar = new TimingBar;
    m_timingBar->setObjectName(QStringLiteral("timingBar"));
    form->addRow(tr("Peer:"), m_peer);
    form->addRow(tr("Subprotocol:"), m_subprotocol);
    form->addRow(tr("Extensions:"), m_extensions);
    form->addRow(tr("Compression:"), m_deflate);
    form->addRow(tr("Timing:"), m_timingBar);
    layout->addLayout(form);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("handshakeTabs"));
    m_tabs->addTab(createHeadersPage(m_requestHeaders, m_requestRaw, QStringLiteral("request")), tr("Request"));
    m_tabs->addTab(createHeadersPage(m_responseHeaders, m_responseRaw, QStringLiteral("response")), tr("Response"));

    m_bodyPage = new QWidget;
    auto *bodyLayout = new QVBoxLayout(m_bodyPage);
    m_bodyNote = selectableLabel(QStringLiteral("refusalBodyNote"));
    m_body = rawView(QStringLiteral("refusalBody"));
    m_body->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    bodyLayout->addWidget(m_bodyNote);
    bodyLayout->addWidget(m_body, 1);
    m_tabs->addTab(m_bodyPage, tr("Response body"));

    m_tlsPage = new QWidget;
    auto *tlsLayout = new QVBoxLayout(m_tlsPage);
    m_tlsSummary = selectableLabel(QStringLiteral("tlsSummary"));
    m_tlsErrors = new QListWidget;
    m_tlsErrors->setObjectName(QStringLiteral("tlsErrors"));
    m_certificates = new QTreeWidget;
    m_certificates->setObjectName(QStringLiteral("certificateChain"));
    m_certificates->setHeaderLabels(
        {tr("Subject CN"), tr("Issuer CN"), tr("Valid from"), tr("Valid until"), tr("SHA-256")});
    tlsLayout->addWidget(m_tlsSummary);
    tlsLayout->addWidget(new QLabel(tr("Certificate errors:")));
    tlsLayout->addWidget(m_tlsErrors);
    tlsLayout->addWidget(new QLabel(tr("Certificate chain (the server's first):")));
    tlsLayout->addWidget(m_certificates, 1);
    m_tabs->addTab(m_tlsPage, tr("TLS"));

    m_violationPage = new QWidget;
    auto *violationLayout = new QVBoxLayout(m_violationPage);
    m_violations = new QTreeWidget;
    m_violations->setObjectName(QStringLiteral("handshakeViolations"));
    m_violations->setHeaderLabels({tr("Section"), tr("Rule"), tr("Detail")});
    m_violations->setRootIsDecorated(false);
    violationLayout->addWidget(m_violations);
    m_tabs->addTab(m_violationPage, tr("Violations"));
    layout->addWidget(m_tabs, 1);

    clear();
}

QWidget *HandshakeView::createHeadersPage(QTableWidget *&table, QPlainTextEdit *&raw, const QString &prefix)
{
    auto *tabs = new QTabWidget;
    tabs->setObjectName(prefix + QStringLiteral("Tabs"));
    tabs->setDocumentMode(true);
    table = new QTableWidget(0, 2);
    table->setObjectName(prefix + QStringLiteral("Headers"));
    table->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    raw = rawView(prefix + QStringLiteral("Raw"));
    tabs->addTab(table, tr("Headers"));
    tabs->addTab(raw, tr("Raw"));
    return tabs;
}

void HandshakeView::fillHeaders(QTableWidget *table, const HttpHeaders &headers)
{
    table->clearContents();
    table->setRowCount(int(headers.size()));
    int row = 0;
    for (const HttpHeader &header : headers) {
        table->setItem(row, 0, new QTableWidgetItem(httpText(header.name)));
        table->setItem(row, 1, new QTableWidgetItem(httpText(header.value)));
        ++row;
    }
    table->resizeColumnToContents(0);
}

QString HandshakeView::describeDeflate(const DeflateParameters &p)
{
    QStringList parts;
    parts.append(
        tr("server context takeover: %1").arg(p.serverNoContextTakeover ? tr("no (reset per message)") : tr("yes")));
    parts.append(
        tr("client context takeover: %1").arg(p.clientNoContextTakeover ? tr("no (reset per message)") : tr("yes")));
    parts.append(tr("server window: %1").arg(windowText(p.serverMaxWindowBits)));
    parts.append(tr("client window: %1").arg(windowText(p.clientMaxWindowBits)));
    return QStringLiteral("permessage-deflate: ") + parts.join(QStringLiteral("; "));
}

void HandshakeView::clear()
{
    setHandshake(HandshakeRecord{});
    m_status->setText(tr("No handshake"));
    m_explanation->hide();
}

void HandshakeView::setHandshake(const HandshakeRecord &record)
{
    const HandshakeResponse &response = record.response;
    if (!record.responseReceived || response.statusCode == 0) {
        m_status->setText(tr("No response from the server"));
    } else {
        const QString statusLine =
            QStringLiteral("%1 %2").arg(response.statusCode).arg(httpText(response.reasonPhrase));
        m_status->setText(record.accepted ? tr("%1: WebSocket open").arg(statusLine)
                                          : tr("%1: handshake failed").arg(statusLine));
    }
    ThemedStyle::apply(m_status, ThemedStyle::Look::Text,
                       record.accepted ? Theme::Color::Success : Theme::Color::Failure);

    QString explanation = record.explanation;
    if (explanation.isEmpty() && !record.accepted && record.responseReceived)
        explanation = tr("The handshake failed: the server's answer was not a valid WebSocket upgrade.");
    m_explanation->setText(explanation);
    m_explanation->setVisible(!record.accepted && !explanation.isEmpty());

    QStringList notes;
    for (const QByteArray &interim : response.interimStatusLines)
        notes.append(tr("Interim response before the final one: %1").arg(httpText(interim)));
    if (response.bareLineFeeds)
        notes.append(tr("Lines ended with a bare LF instead of CRLF (accepted, RFC 9112 §2.2)."));
    if (response.obsoleteLineFolding)
        notes.append(tr("Header values were folded onto continuation lines (obsolete, RFC 9112 §5.2)."));
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!notes.isEmpty());

    m_peer->setText(record.peerAddress.isEmpty() ? tr("unknown") : record.peerAddress);
    m_subprotocol->setText(record.subprotocol.isEmpty() ? tr("none") : record.subprotocol);
    QStringList extensions;
    for (const QByteArray &extension : record.extensions)
        extensions.append(httpText(extension));
    m_extensions->setText(extensions.isEmpty() ? tr("none") : extensions.join(QStringLiteral(", ")));
    QString compression = record.deflate ? describeDeflate(*record.deflate) : tr("none");
    // The client's request above still offers it: the relay took the offer out of what it forwarded.
    if (record.relayDeclinedDeflate)
        compression += QLatin1Char('\n') + tr("permessage-deflate declined toward the server: rules may rewrite "
                                              "messages");
    m_deflate->setText(compression);
    m_timingBar->setTimings(record.timings);

    fillHeaders(m_requestHeaders, record.requestHeaders);
    m_requestRaw->setPlainText(httpText(record.requestBytes));
    fillHeaders(m_responseHeaders, response.headers);
    m_responseRaw->setPlainText(httpText(response.raw));

    const bool hasBody = !response.body.isEmpty();
    QString bodyNote;
    if (isReadableText(response.body)) {
        m_body->setPlainText(httpText(response.body));
    } else {
        m_body->setPlainText(HexDump::format(response.body, maxBodyHexShown));
        bodyNote = tr("The body is binary; shown as hex.");
    }
    if (response.bodyTruncated)
        bodyNote += (bodyNote.isEmpty() ? QString() : QStringLiteral(" ")) +
                    tr("Only the first %1 bytes of the body were kept.").arg(response.body.size());
    m_bodyNote->setText(bodyNote);
    m_bodyNote->setVisible(!bodyNote.isEmpty());
    m_tabs->setTabVisible(m_tabs->indexOf(m_bodyPage), hasBody);

    showTls(record);

    m_violations->clear();
    for (const Violation &violation : record.violations) {
        auto *item = new QTreeWidgetItem(
            m_violations, {Violations::rfcSection(violation.rule), Violations::id(violation.rule), violation.detail});
        item->setToolTip(2, Violations::describe(violation));
    }
    m_tabs->setTabText(m_tabs->indexOf(m_violationPage), tr("Violations (%1)").arg(record.violations.size()));

    // Open where the answer is: the refusal's body, else the response.
    m_tabs->setCurrentWidget(hasBody && !record.accepted ? m_bodyPage : m_tabs->widget(1));
}

void HandshakeView::showTls(const HandshakeRecord &record)
{
    const bool tls = !record.tlsProtocol.isEmpty() || !record.peerCertificateChain.isEmpty() ||
                     !record.tlsErrors.isEmpty() || record.timings.tlsNs >= 0;
    QStringList summary;
    if (tls) {
        summary.append(tr("Protocol: %1").arg(record.tlsProtocol.isEmpty() ? tr("unknown") : record.tlsProtocol));
        summary.append(tr("Cipher: %1").arg(record.tlsCipher.isEmpty() ? tr("unknown") : record.tlsCipher));
        if (!record.tlsErrors.isEmpty() && record.responseReceived)
            summary.append(tr("The certificate errors below were ignored on request; the connection went on."));
    } else {
        summary.append(tr("No TLS: a plain ws:// connection."));
    }
    m_tlsSummary->setText(summary.join(QLatin1Char('\n')));

    m_tlsErrors->clear();
    m_tlsErrors->addItems(record.tlsErrors);
    if (record.tlsErrors.isEmpty() && tls)
        m_tlsErrors->addItem(tr("none"));

    m_certificates->clear();
    for (const QSslCertificate &certificate : record.peerCertificateChain) {
        const QByteArray sha256 = certificate.digest(QCryptographicHash::Sha256);
        QStringList pairs;
        for (qsizetype i = 0; i < sha256.size(); ++i)
            pairs.append(QString::number(quint8(sha256[i]), 16).rightJustified(2, QLatin1Char('0')).toUpper());
        auto *item = new QTreeWidgetItem(
            m_certificates, {commonNames(certificate.subjectInfo(QSslCertificate::CommonName)),
                             commonNames(certificate.issuerInfo(QSslCertificate::CommonName)),
                             certificate.effectiveDate().toUTC().toString(Qt::ISODate),
                             certificate.expiryDate().toUTC().toString(Qt::ISODate), pairs.join(QLatin1Char(':'))});
        const auto detail = [item](const QString &name, const QString &value) {
            new QTreeWidgetItem(item, {name, value});
        };
        detail(tr("Subject"), certificate.subjectDisplayName());
        detail(tr("Issuer"), certificate.issuerDisplayName());
        detail(tr("Serial"), QString::fromLatin1(certificate.serialNumber()));
        QStringList names;
        const auto alternates = certificate.subjectAlternativeNames();
        for (auto it = alternates.cbegin(); it != alternates.cend(); ++it)
            names.append(it.value());
        if (!names.isEmpty())
            detail(tr("Alternative names"), names.join(QStringLiteral(", ")));
        detail(tr("Self-signed"), certificate.isSelfSigned() ? tr("yes") : tr("no"));
        for (int column = 0; column < m_certificates->columnCount(); ++column)
            item->setToolTip(column, item->text(column));
    }
    m_tabs->setTabText(m_tabs->indexOf(m_tlsPage),
                       record.tlsErrors.isEmpty() ? tr("TLS") : tr("TLS (%1 errors)").arg(record.tlsErrors.size()));
    m_tabs->setTabVisible(m_tabs->indexOf(m_tlsPage), true);
}

} // namespace wsi
