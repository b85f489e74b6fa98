// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/ExportSessionDialog.h"

#include "core/exchange/SecretRedaction.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace wsi {

ExportSessionDialog::ExportSessionDialog(Format format, const QString &suggestedPath, QWidget *parent)
    : QDialog(parent)
    , m_format(format)
    , m_path(new QLineEdit(suggestedPath, this))
    , m_includeSecrets(new QCheckBox(tr("Include secrets (Authorization, cookies, tokens)"), this))
{
    setWindowTitle(format == Format::Har ? tr("Export session as HAR") : tr("Export session as JSONL"));
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_path->setMinimumWidth(360);
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportSessionDialog::browse);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    m_includeSecrets->setObjectName(QStringLiteral("includeSecrets"));
    m_includeSecrets->setChecked(false);
    auto *note = new QLabel(
        tr("Unless included, the values of Authorization, Proxy-Authorization, Cookie and Set-Cookie, of headers "
           "and URL parameters named like credentials (api_key, token, password, sig …) and a token in "
           "Sec-WebSocket-Protocol are written as “%1”, so the file can be shared. Messages are written as they are.")
            .arg(SecretRedaction::placeholder),
        this);
    note->setObjectName(QStringLiteral("secretsNote"));
    note->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_export = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("export"));
    m_export->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto updateExport = [this] { m_export->setEnabled(!path().isEmpty()); };
    connect(m_path, &QLineEdit::textChanged, this, updateExport);
    updateExport();

    auto *form = new QFormLayout(this);
    form->addRow(tr("File:"), pathRow);
    form->addRow(m_includeSecrets);
    form->addRow(note);
    form->addRow(buttons);
}

QString ExportSessionDialog::path() const
{
    return m_path->text().trimmed();
}

bool ExportSessionDialog::includeSecrets() const
{
    return m_includeSecrets->isChecked();
}

void ExportSessionDialog::browse()
{
    const QString filter =
        m_format == Format::Har ? tr("HTTP Archive (*.har)") : tr("JSON lines (*.jsonl);;All files (*)");
    // A file dialog is modal and runs its own event loop: sessions keep running meanwhile.
    const QString chosen = QFileDialog::getSaveFileName(this, windowTitle(), path(), filter);
    if (!chosen.isEmpty())
        m_path->setText(chosen);
}

} // namespace wsi
