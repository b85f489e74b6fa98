// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/HandshakeRecord.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;
class QTableWidget;
class QTreeWidget;

namespace wsi {

class TimingBar;

// The opening handshake of one session: the outcome in one big line and, for a failure, why in plain words with
// the server's refusal body; request and response headers as tables (repeats kept, in wire order) and as raw text;
// the negotiated subprotocol and extensions; the phase timings; TLS details with the certificate chain; violations.
//
// Object names for tests and style sheets: handshakeStatus, handshakeExplanation, handshakeNotes, peerAddress,
// negotiatedSubprotocol, negotiatedExtensions, deflateParameters, timingBar, handshakeTabs, requestHeaders,
// requestRaw, responseHeaders, responseRaw, refusalBody, tlsSummary, tlsErrors, certificateChain,
// handshakeViolations.
class HandshakeView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HandshakeView)

public:
    explicit HandshakeView(QWidget *parent = nullptr);

    void setHandshake(const HandshakeRecord &record);
    void clear();

    // "permessage-deflate: server_no_context_takeover, ..." spelled out for people.
    static QString describeDeflate(const DeflateParameters &parameters);

private:
    QWidget *createHeadersPage(QTableWidget *&table, QPlainTextEdit *&raw, const QString &prefix);
    static void fillHeaders(QTableWidget *table, const HttpHeaders &headers);
    void showTls(const HandshakeRecord &record);

    QLabel *m_status = nullptr;
    QLabel *m_explanation = nullptr;
    QLabel *m_notes = nullptr;
    QLabel *m_peer = nullptr;
    QLabel *m_subprotocol = nullptr;
    QLabel *m_extensions = nullptr;
    QLabel *m_deflate = nullptr;
    TimingBar *m_timingBar = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableWidget *m_requestHeaders = nullptr;
    QPlainTextEdit *m_requestRaw = nullptr;
    QTableWidget *m_responseHeaders = nullptr;
    QPlainTextEdit *m_responseRaw = nullptr;
    QWidget *m_bodyPage = nullptr;
    QLabel *m_bodyNote = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QWidget *m_tlsPage = nullptr;
    QLabel *m_tlsSummary = nullptr;
    QListWidget *m_tlsErrors = nullptr;
    QTreeWidget *m_certificates = nullptr;
    QWidget *m_violationPage = nullptr;
    QTreeWidget *m_violations = nullptr;
};

} // namespace wsi
