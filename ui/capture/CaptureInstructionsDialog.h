// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/capture/CaptureInstructions.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace wsi {

class SnippetView;

// Capture > Point your app at it…: CaptureInstructions' pages, one per kind of application (a list on the left, the
// page on the right, each page scrolling on its own), every command with the proxy's real port and the CA
// certificate's real path in it and a Copy button beside it; the capture CA's own page first, and "Export CA
// certificate…" always at hand. Non-modal: it stays open beside the window while the user sets the application up,
// and follows the proxy when it starts on another port.
class CaptureInstructionsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureInstructionsDialog)

public:
    // `port`: where the capture proxy runs, or will start when it does not run. The CA is opened (and made, the first
    // time) on a pool thread to show its fingerprint.
    CaptureInstructionsDialog(quint16 port, bool running, const QString &caFolder, QWidget *parent = nullptr);
    ~CaptureInstructionsDialog() override;

    // The proxy started or stopped: every command is written again with its port.
    void setProxy(quint16 port, bool running);
    quint16 port() const noexcept { return m_port; }
    QString caFile() const;
    // The pages in their order ("ca", "environment", "chrome" ...), and showing one.
    QStringList sectionIds() const;
    void showSection(const QString &id);
    // Every snippet of every page, built or not yet shown, with its Copy button.
    QList<QPair<SnippetView *, QPushButton *>> snippets() const;

Q_SIGNALS:
    void exportCaRequested();

private:
    void rebuild();
    QWidget *page(const CaptureInstructions::Section &section);

    quint16 m_port;
    bool m_running;
    QString m_caFolder;
    QString m_fingerprint;
    QString m_caError;
    QLabel *m_proxyLine;
    QPushButton *m_copyProxy;
    QListWidget *m_sections;
    QStackedWidget *m_pages;
    QList<QPair<SnippetView *, QPushButton *>> m_snippets;
};

} // namespace wsi
