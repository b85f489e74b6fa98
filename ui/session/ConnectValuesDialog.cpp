// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/ConnectValuesDialog.h"

#include "ui/widgets/ThemedStyle.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace wsi {

ConnectValuesDialog::ConnectValuesDialog(const QString &profileName, QList<ProfileVariables::Question> questions,
                                         const QString &note, QWidget *parent)
    : QDialog(parent)
    , m_questions(std::move(questions))
{
    setWindowTitle(profileName.isEmpty() ? tr("Connect") : tr("Connect with profile “%1”").arg(profileName));
    auto *form = new QFormLayout(this);
    auto *intro = new QLabel(profileName.isEmpty()
                                 ? tr("The connection options use these {{variables}}. Their values are used for "
                                      "this connection only.")
                                 : tr("These values are not stored in the profile. They are used for this connection "
                                      "only."),
                             this);
    intro->setWordWrap(true);
    form->addRow(intro);
    if (!note.isEmpty()) {
        // Why the keychain did not fill them in, when it was asked and could not.
        auto *why = new QLabel(note, this);
        why->setObjectName(QStringLiteral("keychainNote"));
        why->setWordWrap(true);
        ThemedStyle::apply(why, ThemedStyle::Look::Text, Theme::Color::Warning);
        form->addRow(why);
    }
    for (const ProfileVariables::Question &question : std::as_const(m_questions)) {
        auto *field = new QLineEdit(this);
        field->setEchoMode(question.secret ? QLineEdit::Password : QLineEdit::Normal);
        QString label;
        switch (question.kind) {
        case ProfileVariables::Question::Kind::Header:
            label = tr("Header %1:").arg(question.name);
            break;
        case ProfileVariables::Question::Kind::Cookie:
            label = tr("Cookie %1:").arg(question.name);
            break;
        case ProfileVariables::Question::Kind::ProxyPassword:
            label = tr("Proxy password of %1:").arg(question.name);
            break;
        case ProfileVariables::Question::Kind::Variable:
            label = QStringLiteral("{{%1}}:").arg(question.name);
            break;
        }
        if (question.secret)
            field->setPlaceholderText(tr("secret"));
        form->addRow(label, field);
        m_fields.append(field);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (!m_fields.isEmpty())
        m_fields.first()->setFocus();
}

QStringList ConnectValuesDialog::answers() const
{
    QStringList out;
    for (const QLineEdit *field : m_fields)
        out.append(field->text());
    return out;
}

} // namespace wsi
