// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/profiles/SaveProfileDialog.h"

#include "core/profiles/ProfileStore.h"
#include "core/profiles/ProfileVariables.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/ThemedStyle.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QTableWidget>

namespace wsi {
namespace {

enum VariableColumn { NameColumn, ValueColumn, SecretColumn, VariableColumnCount };

} // namespace

SaveProfileDialog::SaveProfileDialog(SessionProfile captured, QList<MessageTemplate> templates,
                                     const ProfileStore *store, QWidget *parent)
    : QDialog(parent)
    , m_captured(std::move(captured))
    , m_templates(std::move(templates))
    , m_store(store)
    , m_name(new QLineEdit(m_captured.name, this))
    , m_secretHeaders(new QListWidget(this))
    , m_variables(new QTableWidget(this))
    , m_includeTemplates(new QCheckBox(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Save session as profile"));
    m_name->setObjectName(QStringLiteral("profileName"));
    m_name->selectAll();

    m_secretHeaders->setObjectName(QStringLiteral("secretHeaders"));
    m_secretHeaders->setToolTip(tr("Checked headers keep their values in the system keychain, never in the "
                                   "profile file"));
    QStringList seen;
    for (const HttpHeader &header : m_captured.options.headers) {
        const QString name = QString::fromUtf8(header.name);
        if (seen.contains(name, Qt::CaseInsensitive))
            continue;
        seen.append(name);
        auto *item = new QListWidgetItem(name, m_secretHeaders);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool secret = m_captured.isSecretHeader(header.name) || looksSecret(name);
        item->setCheckState(secret ? Qt::Checked : Qt::Unchecked);
    }
    m_secretHeaders->setMaximumHeight(110);

    m_variables->setObjectName(QStringLiteral("variables"));
    m_variables->setColumnCount(VariableColumnCount);
    m_variables->setHorizontalHeaderLabels({tr("Variable"), tr("Value (empty: ask when connecting)"), tr("Secret")});
    m_variables->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_variables->verticalHeader()->hide();
    const QStringList names = ProfileVariables::referencedNames(m_captured);
    m_variables->setRowCount(int(names.size()));
    for (int row = 0; row < int(names.size()); ++row) {
        ProfileVariable known{names.at(row), {}, false};
        for (const ProfileVariable &variable : std::as_const(m_captured.variables)) {
            if (variable.name == known.name)
                known = variable;
        }
        auto *name = new QTableWidgetItem(known.name);
        name->setFlags(Qt::ItemIsEnabled);
        m_variables->setItem(row, NameColumn, name);
        m_variables->setItem(row, ValueColumn, new QTableWidgetItem(known.value));
        auto *secret = new QTableWidgetItem();
        secret->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        secret->setCheckState(known.secret ? Qt::Checked : Qt::Unchecked);
        m_variables->setItem(row, SecretColumn, secret);
    }
    m_variables->setMaximumHeight(130);

    m_includeTemplates->setObjectName(QStringLiteral("includeTemplates"));
    m_includeTemplates->setText(tr("Include the composer's %n saved message(s)", nullptr, int(m_templates.size())));
    m_includeTemplates->setChecked(!m_templates.isEmpty());
    m_includeTemplates->setEnabled(!m_templates.isEmpty());

    // What else goes in, so that nothing is saved unseen.
    QStringList extras;
    if (const QString heartbeat = ConnectionBar::heartbeatText(m_captured.options.heartbeat); !heartbeat.isEmpty())
        extras << tr("heartbeat %1").arg(heartbeat);
    if (!m_captured.options.onConnectMessages.isEmpty())
        extras << tr("%n on-connect message(s)", nullptr, int(m_captured.options.onConnectMessages.size()));
    if (!m_captured.options.cookies.isEmpty())
        extras << tr("%n cookie(s), values kept as secrets", nullptr, int(m_captured.options.cookies.size()));
    if (!m_captured.simulatorChain.isEmpty())
        extras << tr("simulator chain %1").arg(m_captured.simulatorChain.join(u' '));
    auto *summary =
        new QLabel(tr("Saved with the URL, headers, TLS, proxy and connection options%1.")
                       .arg(extras.isEmpty() ? QString() : QStringLiteral("; ") + extras.join(QStringLiteral("; "))),
                   this);
    summary->setWordWrap(true);

    m_error->setObjectName(QStringLiteral("error"));
    ThemedStyle::apply(m_error, ThemedStyle::Look::Text, Theme::Color::Failure);
    m_error->setWordWrap(true);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Name:"), m_name);
    form->addRow(summary);
    form->addRow(tr("Secret headers:"), m_secretHeaders);
    if (names.isEmpty())
        m_variables->hide();
    else
        form->addRow(tr("Variables:"), m_variables);
    form->addRow(m_includeTemplates);
    form->addRow(m_error);
    form->addRow(buttons);
    if (seen.isEmpty())
        form->setRowVisible(m_secretHeaders, false);
    connect(buttons, &QDialogButtonBox::accepted, this, &SaveProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

std::optional<SessionProfile> SaveProfileDialog::capture(const SessionView *view, const QString &name, QString *error)
{
    const auto options = view->connectionBar()->options(error);
    if (!options)
        return std::nullopt;
    SessionProfile profile;
    profile.name = name;
    profile.options = *options;
    profile.simulatorChain = view->simulatorPanel()->chain();
    return profile;
}

bool SaveProfileDialog::looksSecret(const QString &headerName)
{
    return SessionProfile::looksSecret(headerName);
}

SessionProfile SaveProfileDialog::profile() const
{
    SessionProfile profile = m_captured;
    profile.name = m_name->text().trimmed();
    profile.options.secretHeaders.clear();
    for (int row = 0; row < m_secretHeaders->count(); ++row) {
        const QListWidgetItem *item = m_secretHeaders->item(row);
        if (item->checkState() == Qt::Checked)
            profile.options.secretHeaders.append(item->text());
    }
    profile.variables.clear();
    for (int row = 0; row < m_variables->rowCount(); ++row)
        profile.variables.append({m_variables->item(row, NameColumn)->text(),
                                  m_variables->item(row, ValueColumn)->text(),
                                  m_variables->item(row, SecretColumn)->checkState() == Qt::Checked});
    profile.messageTemplates = m_includeTemplates->isChecked() ? m_templates : QList<MessageTemplate>();
    return profile;
}

void SaveProfileDialog::accept()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) {
        m_error->setText(tr("Give the profile a name."));
        m_error->show();
        return;
    }
    if (m_store && m_store->contains(name) &&
        QMessageBox::question(this, windowTitle(), tr("A profile named “%1” exists. Replace it?").arg(name),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    QDialog::accept();
}

} // namespace wsi
