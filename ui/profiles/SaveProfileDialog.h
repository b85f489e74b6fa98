// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/MessageTemplate.h"
#include "core/profiles/SessionProfile.h"

#include <QDialog>
#include <QList>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace wsi {

class ProfileStore;
class SessionView;

// "Save session as profile": the session's options as its connection bar holds them (with what the bar carries
// from the profile it was opened with: cookies, on-connect messages, limits), its simulator chain, and optionally
// the composer's saved messages. The user names it, marks which headers are secrets (likely ones are marked
// already) and gives "{{variables}}" their values. The dialog only builds the profile; ProfileLibraryDialog
// saves it, its secrets going to the keychain.
class SaveProfileDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveProfileDialog)

public:
    // `store` is asked whether the name is taken (the user confirms replacing it).
    SaveProfileDialog(SessionProfile captured, QList<MessageTemplate> templates, const ProfileStore *store,
                      QWidget *parent = nullptr);

    // What a session view holds, named `name`; nullopt and *error when its options are not valid.
    static std::optional<SessionProfile> capture(const SessionView *view, const QString &name, QString *error);
    // Header names that usually carry credentials: Authorization, Cookie, API keys, tokens, passwords.
    static bool looksSecret(const QString &headerName);

    SessionProfile profile() const;

    QLineEdit *nameField() const noexcept { return m_name; }
    QListWidget *secretHeaderList() const noexcept { return m_secretHeaders; }
    QTableWidget *variableTable() const noexcept { return m_variables; }
    QCheckBox *includeTemplates() const noexcept { return m_includeTemplates; }

    void accept() override;

private:
    SessionProfile m_captured;
    QList<MessageTemplate> m_templates;
    const ProfileStore *m_store;
    QLineEdit *m_name;
    QListWidget *m_secretHeaders;
    QTableWidget *m_variables;
    QCheckBox *m_includeTemplates;
    QLabel *m_error;
};

} // namespace wsi
