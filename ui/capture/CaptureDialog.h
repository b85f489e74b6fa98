// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/CaptureOptions.h"
#include "core/proxy/UpstreamTlsOptions.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace wsi {

class CaptureRules;
class LiveCapture;

// Capture > Start capture proxy…: the port (a fixed one applications can keep pointing at, or any free one), the
// hosts to intercept and not to intercept (HostPatterns), and whether each connection is recorded. Start starts the
// LiveCapture and the dialog stays open, its form disabled, until the proxy listens (then it closes) or fails
// (then it says why, a port in use included, and can be changed and tried again): nothing waits on the GUI thread.
// The choices are kept for the next time (QSettings capture/...), except accepting any server certificate. The
// rules the capture will run (the window's CaptureRules) are summed up with a way to the Rules panel.
class CaptureDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureDialog)

public:
    static constexpr quint16 defaultPort = 8899;

    // `recordDirectory`: where connections are recorded when asked.
    CaptureDialog(LiveCapture *capture, const QString &recordDirectory, QWidget *parent = nullptr);
    ~CaptureDialog() override;

    // The rules the capture starts with (CaptureOptions::relay.rules), said in the dialog as "3 rules, 2 on".
    void setRules(CaptureRules *rules);
    QString rulesText() const;

    // What the form says, or nothing with *error naming what is wrong (a pattern, with the field it is in).
    std::optional<CaptureOptions> options(QString *error) const;
    // How the real servers of intercepted connections are checked: the system's CAs plus the file given, or not at
    // all when "accept any" is ticked (never kept for the next time).
    UpstreamTlsOptions upstreamTls() const;
    bool recordsConnections() const;
    // The port the proxy is set to start on (0: any free port).
    static quint16 savedPort();
    // Start, as the button does.
    void start();
    QString errorText() const;

Q_SIGNALS:
    // The "Rules panel…" button: the window shows its Rules dock, and the dialog closes without starting.
    void rulesPanelRequested();

private:
    void setBusy(bool busy);
    void showRules();
    void save() const;

    LiveCapture *m_capture;
    QString m_recordDirectory;
    QSpinBox *m_port;
    QCheckBox *m_anyPort;
    QLineEdit *m_intercept;
    QLineEdit *m_noIntercept;
    QLineEdit *m_upstreamCa;
    QCheckBox *m_upstreamInsecure;
    QCheckBox *m_record;
    CaptureRules *m_rules = nullptr;
    QLabel *m_rulesSummary;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QPushButton *m_start;
    bool m_starting = false;
};

} // namespace wsi
