// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/profiles/ProfileLibraryDialog.h"

#include "core/profiles/ProfileSecrets.h"
#include "core/profiles/ProfileVariables.h"
#include "ui/session/ConnectValuesDialog.h"
#include "ui/widgets/ThemedStyle.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wsi {
namespace {

enum Column { NameColumn, UrlColumn, ColumnCount };

} // namespace

ProfileLibraryDialog::ProfileLibraryDialog(const QString &directory, const QString &keychainService, QWidget *parent)
    : QDialog(parent)
    , m_store(directory)
    , m_secrets(
          new SecretStore(keychainService.isEmpty() ? QString(SecretStore::defaultService) : keychainService, this))
    , m_search(new QLineEdit(this))
    , m_list(new QTreeWidget(this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_duplicate(new QPushButton(tr("D&uplicate…"), this))
    , m_rename(new QPushButton(tr("&Rename…"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
    , m_export(new QPushButton(tr("&Export…"), this))
    , m_includeSecrets(new QCheckBox(tr("Include secrets in exports"), this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Profiles"));
    resize(720, 440);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search names and URLs"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("profiles"));
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Name"), tr("URL")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_includeSecrets->setObjectName(QStringLiteral("includeSecrets"));
    m_includeSecrets->setToolTip(tr("Exported files are plain text: anyone who can read the file can read the "
                                    "secrets in it"));
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *importButton = new QPushButton(tr("&Import…"), this);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *actions = new QVBoxLayout;
    for (QPushButton *button : {m_open, m_duplicate, m_rename, m_delete})
        actions->addWidget(button);
    actions->addSpacing(12);
    actions->addWidget(importButton);
    actions->addWidget(m_export);
    actions->addWidget(m_includeSecrets);
    actions->addStretch();
    auto *middle = new QHBoxLayout;
    middle->addWidget(m_list, 1);
    middle->addLayout(actions);
    auto *column = new QVBoxLayout(this);
    column->addWidget(m_search);
    column->addLayout(middle, 1);
    column->addWidget(m_status);
    column->addWidget(close);
    m_open->setDefault(true);

    connect(m_search, &QLineEdit::textChanged, this, &ProfileLibraryDialog::applySearch);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &ProfileLibraryDialog::updateButtons);
    connect(m_list, &QTreeWidget::itemActivated, this, [this] { openProfile(selectedName()); });
    connect(m_open, &QPushButton::clicked, this, [this] { openProfile(selectedName()); });
    connect(m_duplicate, &QPushButton::clicked, this, &ProfileLibraryDialog::askDuplicate);
    connect(m_rename, &QPushButton::clicked, this, &ProfileLibraryDialog::askRename);
    connect(m_delete, &QPushButton::clicked, this, &ProfileLibraryDialog::askDelete);
    connect(importButton, &QPushButton::clicked, this, &ProfileLibraryDialog::askImport);
    connect(m_export, &QPushButton::clicked, this, &ProfileLibraryDialog::askExport);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refresh();
}

QString ProfileLibraryDialog::statusText() const
{
    return m_status->text();
}

bool ProfileLibraryDialog::hasSecrets(const SessionProfile &profile)
{
    return profile.hasSecrets();
}

void ProfileLibraryDialog::refresh()
{
    const QString keep = selectedName();
    QStringList problems;
    const QStringList names = m_store.list(&problems);
    m_list->clear();
    for (const QString &name : names) {
        const auto profile = m_store.load(name, nullptr);
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(NameColumn, name);
        item->setText(UrlColumn,
                      profile ? ProfileVariables::decodeUrlPlaceholders(profile->options.url.toString()) : QString());
        item->setToolTip(UrlColumn, item->text(UrlColumn));
    }
    applySearch();
    select(keep);
    if (!problems.isEmpty())
        setStatus(tr("%n file(s) in %1 are not readable profiles and are not listed: %2", nullptr, int(problems.size()))
                      .arg(m_store.directory(), problems.join(QStringLiteral("; "))),
                  true);
    updateButtons();
}

void ProfileLibraryDialog::applySearch()
{
    const QString text = m_search->text().trimmed();
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem *item = m_list->topLevelItem(row);
        const bool matches = text.isEmpty() || item->text(NameColumn).contains(text, Qt::CaseInsensitive) ||
                             item->text(UrlColumn).contains(text, Qt::CaseInsensitive);
        item->setHidden(!matches);
    }
    // Keep a visible selection, so that Enter opens what the search found.
    QTreeWidgetItem *current = m_list->currentItem();
    if (!current || current->isHidden()) {
        m_list->clearSelection();
        for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
            if (!m_list->topLevelItem(row)->isHidden()) {
                m_list->setCurrentItem(m_list->topLevelItem(row));
                break;
            }
        }
    }
    updateButtons();
}

QStringList ProfileLibraryDialog::visibleNames() const
{
    QStringList names;
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        if (!m_list->topLevelItem(row)->isHidden())
            names.append(m_list->topLevelItem(row)->text(NameColumn));
    }
    return names;
}

QString ProfileLibraryDialog::selectedName() const
{
    const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
    return selected.isEmpty() || selected.first()->isHidden() ? QString() : selected.first()->text(NameColumn);
}

void ProfileLibraryDialog::select(const QString &name)
{
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem *item = m_list->topLevelItem(row);
        if (item->text(NameColumn) == name && !item->isHidden()) {
            m_list->setCurrentItem(item);
            return;
        }
    }
}

void ProfileLibraryDialog::updateButtons()
{
    const bool chosen = !selectedName().isEmpty();
    for (QPushButton *button : {m_open, m_duplicate, m_rename, m_delete, m_export})
        button->setEnabled(chosen);
}

void ProfileLibraryDialog::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    if (problem)
        ThemedStyle::apply(m_status, ThemedStyle::Look::Text, Theme::Color::Failure);
    else
        ThemedStyle::clear(m_status);
    Q_EMIT notice(text);
}

void ProfileLibraryDialog::openProfile(const QString &name)
{
    if (name.isEmpty())
        return;
    QString error;
    const auto profile = m_store.load(name, &error);
    if (!profile) {
        setStatus(error, true);
        return;
    }
    if (!hasSecrets(*profile)) {
        continueOpen(*profile, {});
        return;
    }
    setStatus(tr("Reading the secrets of “%1” from the keychain…").arg(name));
    m_secrets->load(name, this, [this, profile](const ProfileSecrets &secrets, const SecretStore::Result &result) {
        SessionProfile filled = *profile;
        secrets.applyTo(filled);
        Q_EMIT keychainFinished();
        continueOpen(filled, result.succeeded() ? QString() : result.message());
    });
}

void ProfileLibraryDialog::continueOpen(SessionProfile profile, const QString &keychainNote)
{
    const QList<ProfileVariables::Question> questions = ProfileVariables::unanswered(profile);
    if (questions.isEmpty()) {
        finishOpen(profile);
        return;
    }
    // Asked without a nested event loop: the window and every session keep running meanwhile.
    auto *ask = new ConnectValuesDialog(profile.name, questions, keychainNote, this);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QDialog::accepted, this, [this, ask, profile]() mutable {
        ProfileVariables::answer(profile, ask->questions(), ask->answers());
        finishOpen(profile);
    });
    connect(ask, &QDialog::rejected, this,
            [this, name = profile.name] { setStatus(tr("“%1” was not opened.").arg(name)); });
    setStatus(tr("“%1” needs values that are not stored with it.").arg(profile.name));
    ask->open();
}

void ProfileLibraryDialog::finishOpen(const SessionProfile &profile)
{
    QString error;
    const auto options = ProfileVariables::resolve(profile, &error);
    if (!options) {
        setStatus(error, true);
        return;
    }
    setStatus(tr("Opened “%1”.").arg(profile.name));
    Q_EMIT openRequested(*options, profile);
    // Out of the way of the session it opened; File > Profiles… brings it back as it was.
    hide();
}

bool ProfileLibraryDialog::duplicateProfile(const QString &from, const QString &to)
{
    QString error;
    const auto profile = m_store.load(from, &error);
    if (!profile || !m_store.duplicate(from, to.trimmed(), &error)) {
        setStatus(error, true);
        return false;
    }
    refresh();
    select(to.trimmed());
    setStatus(tr("Duplicated “%1” as “%2”.").arg(from, to.trimmed()));
    if (hasSecrets(*profile)) {
        m_secrets->copy(from, to.trimmed(), false, this, [this, to](const SecretStore::Result &result) {
            if (!result.succeeded())
                setStatus(tr("Duplicated as “%1”, without its secrets. %2").arg(to.trimmed(), result.message()), true);
            Q_EMIT keychainFinished();
        });
    }
    return true;
}

bool ProfileLibraryDialog::renameProfile(const QString &from, const QString &to)
{
    QString error;
    const auto profile = m_store.load(from, &error);
    if (!profile || !m_store.rename(from, to.trimmed(), &error)) {
        setStatus(error, true);
        return false;
    }
    refresh();
    select(to.trimmed());
    setStatus(tr("Renamed “%1” to “%2”.").arg(from, to.trimmed()));
    if (hasSecrets(*profile) && from != to.trimmed()) {
        m_secrets->copy(from, to.trimmed(), true, this, [this, to](const SecretStore::Result &result) {
            if (!result.succeeded())
                setStatus(tr("Renamed to “%1”; its secrets stayed under the old name. %2")
                              .arg(to.trimmed(), result.message()),
                          true);
            Q_EMIT keychainFinished();
        });
    }
    return true;
}

bool ProfileLibraryDialog::deleteProfile(const QString &name)
{
    QString error;
    const auto profile = m_store.load(name, &error);
    if (!m_store.remove(name, &error)) {
        setStatus(error, true);
        return false;
    }
    refresh();
    setStatus(tr("Deleted “%1”.").arg(name));
    // A file that no longer reads as a profile is removed too; its keychain entry is cleared either way.
    if (!profile || hasSecrets(*profile)) {
        m_secrets->remove(name, this, [this, name](const SecretStore::Result &result) {
            if (!result.succeeded())
                setStatus(tr("Deleted “%1”. %2").arg(name, result.message()), true);
            Q_EMIT keychainFinished();
        });
    }
    return true;
}

bool ProfileLibraryDialog::importFile(const QString &path)
{
    QString error;
    const auto profile = m_store.importFile(path, &error);
    if (!profile) {
        setStatus(error, true);
        return false;
    }
    refresh();
    select(profile->name);
    // A file exported with secrets carries them; the store wrote only placeholders, the keychain keeps the rest.
    const ProfileSecrets secrets = ProfileSecrets::extract(*profile);
    setStatus(tr("Imported “%1”.").arg(profile->name));
    if (!secrets.isEmpty()) {
        m_secrets->store(profile->name, secrets, this, [this, name = profile->name](const SecretStore::Result &result) {
            setStatus(result.succeeded() ? tr("Imported “%1”; its secrets are in the keychain.").arg(name)
                                         : tr("Imported “%1”. %2").arg(name, result.message()),
                      !result.succeeded());
            Q_EMIT keychainFinished();
        });
    }
    return true;
}

bool ProfileLibraryDialog::exportProfile(const QString &name, const QString &path, bool includeSecrets)
{
    QString error;
    const auto profile = m_store.load(name, &error);
    if (!profile) {
        setStatus(error, true);
        return false;
    }
    if (!includeSecrets || !hasSecrets(*profile)) {
        if (!ProfileStore::writeProfileFile(*profile, path, ProfileJson::Secrets::Omit, &error)) {
            setStatus(error, true);
            return false;
        }
        setStatus(tr("Exported “%1” to %2.").arg(name, path));
        return true;
    }
    setStatus(tr("Reading the secrets of “%1” from the keychain…").arg(name));
    m_secrets->load(
        name, this, [this, profile, name, path](const ProfileSecrets &secrets, const SecretStore::Result &result) {
            SessionProfile filled = *profile;
            secrets.applyTo(filled);
            QString writeError;
            if (!ProfileStore::writeProfileFile(filled, path, ProfileJson::Secrets::Include, &writeError))
                setStatus(writeError, true);
            else if (!result.succeeded())
                setStatus(tr("Exported “%1” to %2 without its secrets. %3").arg(name, path, result.message()), true);
            else if (result.status == SecretStore::Status::NotFound)
                setStatus(tr("Exported “%1” to %2; the keychain held no secrets for it.").arg(name, path));
            else
                setStatus(tr("Exported “%1” with its secrets to %2.").arg(name, path));
            Q_EMIT keychainFinished();
        });
    return true;
}

bool ProfileLibraryDialog::saveProfile(const SessionProfile &profile)
{
    QString error;
    if (!m_store.save(profile, &error)) {
        setStatus(error, true);
        return false;
    }
    refresh();
    select(profile.name);
    setStatus(tr("Saved profile “%1”.").arg(profile.name));
    if (hasSecrets(profile)) {
        m_secrets->store(profile.name, ProfileSecrets::extract(profile), this,
                         [this, name = profile.name](const SecretStore::Result &result) {
                             setStatus(result.succeeded()
                                           ? tr("Saved profile “%1”; its secrets are in the keychain.").arg(name)
                                           : tr("Saved profile “%1”. %2").arg(name, result.message()),
                                       !result.succeeded());
                             Q_EMIT keychainFinished();
                         });
    }
    return true;
}

void ProfileLibraryDialog::askDuplicate()
{
    const QString from = selectedName();
    bool ok = false;
    const QString to = QInputDialog::getText(this, tr("Duplicate profile"), tr("Name of the copy:"), QLineEdit::Normal,
                                             tr("%1 (copy)").arg(from), &ok);
    if (ok && !to.trimmed().isEmpty())
        duplicateProfile(from, to);
}

void ProfileLibraryDialog::askRename()
{
    const QString from = selectedName();
    bool ok = false;
    const QString to = QInputDialog::getText(this, tr("Rename profile"), tr("New name:"), QLineEdit::Normal, from, &ok);
    if (ok && !to.trimmed().isEmpty())
        renameProfile(from, to);
}

void ProfileLibraryDialog::askDelete()
{
    const QString name = selectedName();
    if (QMessageBox::question(this, tr("Delete profile"),
                              tr("Delete the profile “%1” and the secrets kept for it?").arg(name),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes)
        deleteProfile(name);
}

void ProfileLibraryDialog::askImport()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import profile"), QString(), tr("Profiles (*.json);;All files (*)"));
    if (!path.isEmpty())
        importFile(path);
}

void ProfileLibraryDialog::askExport()
{
    const QString name = selectedName();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export profile"), ProfileStore::fileNameFor(name),
                                                      tr("Profiles (*.json)"));
    if (!path.isEmpty())
        exportProfile(name, path, m_includeSecrets->isChecked());
}

} // namespace wsi
