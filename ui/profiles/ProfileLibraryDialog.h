// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/ProfileStore.h"
#include "core/profiles/SecretStore.h"
#include "core/profiles/SessionProfile.h"
#include "core/session/SessionOptions.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace wsi {

// The profile library: every saved profile with its URL, a search over both, and open, duplicate, rename,
// delete, import and export. Files go through ProfileStore (the directory `wsinspector-cli profiles` uses);
// secret values go through SecretStore into the OS keychain, and follow a profile when it is duplicated, renamed,
// deleted, imported or exported with secrets.
//
// Open reads the profile's secrets from the keychain, asks for whatever is still open (ConnectValuesDialog), and
// emits openRequested with the session options ready to connect. File errors are shown as the store words them;
// keychain problems in the sentence SecretStore gives. Nothing here waits: keychain answers come back later.
class ProfileLibraryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileLibraryDialog)

public:
    // directory: empty for ProfileStore's default. keychainService: the keychain entries' service name.
    explicit ProfileLibraryDialog(const QString &directory, const QString &keychainService = {},
                                  QWidget *parent = nullptr);

    ProfileStore &store() noexcept { return m_store; }
    SecretStore *secretStore() const noexcept { return m_secrets; }
    QLineEdit *searchField() const noexcept { return m_search; }
    QTreeWidget *profileList() const noexcept { return m_list; }
    QCheckBox *includeSecretsBox() const noexcept { return m_includeSecrets; }
    QString statusText() const;

    // Names shown under the current search, in order.
    QStringList visibleNames() const;
    QString selectedName() const;
    void select(const QString &name);
    void refresh();

    // What the buttons do once the user has chosen (names, files, confirmation). Each returns whether the profile
    // file part succeeded; keychain work that follows reports when done (keychainFinished).
    void openProfile(const QString &name);
    bool duplicateProfile(const QString &from, const QString &to);
    bool renameProfile(const QString &from, const QString &to);
    bool deleteProfile(const QString &name);
    bool importFile(const QString &path);
    bool exportProfile(const QString &name, const QString &path, bool includeSecrets);
    // Saves a profile made elsewhere ("Save session as profile"): the file, then its secrets in the keychain.
    bool saveProfile(const SessionProfile &profile);

    // Whether a profile has values kept out of its file (secret headers, cookies, secret variables).
    static bool hasSecrets(const SessionProfile &profile);

Q_SIGNALS:
    void openRequested(const wsi::SessionOptions &options, const wsi::SessionProfile &profile);
    // Every status line, for the window's status bar as well.
    void notice(const QString &text);
    // A keychain request started by this dialog has answered (its outcome is on the status line).
    void keychainFinished();

private:
    void setStatus(const QString &text, bool problem = false);
    void continueOpen(SessionProfile profile, const QString &keychainNote);
    void finishOpen(const SessionProfile &profile);
    void updateButtons();
    void applySearch();
    void askDuplicate();
    void askRename();
    void askDelete();
    void askImport();
    void askExport();

    ProfileStore m_store;
    SecretStore *m_secrets;
    QLineEdit *m_search;
    QTreeWidget *m_list;
    QPushButton *m_open;
    QPushButton *m_duplicate;
    QPushButton *m_rename;
    QPushButton *m_delete;
    QPushButton *m_export;
    QCheckBox *m_includeSecrets;
    QLabel *m_status;
};

} // namespace wsi
