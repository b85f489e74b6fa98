// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace wsi {

// File > Export session as HAR / JSONL: where to write, and whether the handshake's credentials go with it. Secrets
// are left out unless the user ticks "Include secrets" (unticked every time the dialog opens), as Chrome DevTools
// exports a sanitized HAR unless asked; what is left out is SecretRedaction's to say. The dialog only asks; the
// window writes the file on a pool thread once it is accepted.
class ExportSessionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportSessionDialog)

public:
    enum class Format : quint8 { Har, JsonLines };

    ExportSessionDialog(Format format, const QString &suggestedPath, QWidget *parent = nullptr);

    Format format() const noexcept { return m_format; }
    QString path() const;
    bool includeSecrets() const;

    QLineEdit *pathField() const noexcept { return m_path; }
    QCheckBox *includeSecretsBox() const noexcept { return m_includeSecrets; }
    QPushButton *exportButton() const noexcept { return m_export; }

private:
    void browse();

    Format m_format;
    QLineEdit *m_path;
    QCheckBox *m_includeSecrets;
    QPushButton *m_export;
};

} // namespace wsi
