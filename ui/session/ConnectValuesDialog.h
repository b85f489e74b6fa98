// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/ProfileVariables.h"

#include <QDialog>
#include <QList>

class QLabel;
class QLineEdit;

namespace wsi {

// Asks for the values a profile, or the options of a session not saved as one, leave open before it connects
// (ProfileVariables::unanswered): secret header and cookie values the keychain did not have, and "{{variables}}"
// without a value. Secret ones are typed hidden. The answers are used for this connection only; nothing here is
// written to a profile. An empty profile name: the options are a session's own.
class ConnectValuesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectValuesDialog)

public:
    ConnectValuesDialog(const QString &profileName, QList<ProfileVariables::Question> questions,
                        const QString &note = {}, QWidget *parent = nullptr);

    const QList<ProfileVariables::Question> &questions() const noexcept { return m_questions; }
    QStringList answers() const;
    // The field for questions()[index], for tests and for focus.
    QLineEdit *field(qsizetype index) const { return m_fields.value(index); }

private:
    QList<ProfileVariables::Question> m_questions;
    QList<QLineEdit *> m_fields;
};

} // namespace wsi
