// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/Composer.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "core/exchange/OrderedJson.h"
#include "core/protocol/CloseCode.h"
#include "core/text/HexBytes.h"
#include "ui/session/MessageTemplateLibrary.h"
#include "ui/session/ProtocolComposer.h"
#include "ui/widgets/Icons.h"
#include "ui/widgets/ThemedStyle.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace wsi {
namespace {

// "de ad be ef", "deadbeef", "de:ad:be:ef" -> bytes; nullopt with *error naming the field and what is wrong.
std::optional<QByteArray> parseHex(const QString &text, QString *error)
{
    QString why;
    std::optional<QByteArray> bytes = parseHexBytes(text, &why);
    if (!bytes)
        *error = QObject::tr("Hex: %1").arg(why);
    return bytes;
}

} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_format(new QComboBox(this))
    , m_protocolComposer(new ProtocolComposer(this))
    , m_pretty(new QPushButton(tr("Pretty"), this))
    , m_loadFile(new QPushButton(tr("Load file…"), this))
    , m_editor(new QPlainTextEdit(this))
    , m_fragments(new QSpinBox(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_ping(new QPushButton(tr("Ping"), this))
    , m_pong(new QPushButton(tr("Pong"), this))
    , m_controlPayload(new QLineEdit(this))
    , m_controlBytes(new QLabel(this))
    , m_closeCode(new QSpinBox(this))
    , m_closeReason(new QLineEdit(this))
    , m_close(new QPushButton(tr("Close"), this))
    , m_error(new QLabel(this))
    , m_templates(new QToolButton(this))
{
    m_format->setObjectName(QStringLiteral("format"));
    m_format->addItem(tr("Text"), QVariant::fromValue(Format::Text));
    m_format->addItem(tr("JSON"), QVariant::fromValue(Format::Json));
    m_format->addItem(tr("Binary (hex)"), QVariant::fromValue(Format::Hex));
    m_format->setToolTip(tr("How the editor is read, or the protocol whose message it builds"));
    m_format->setSizeAdjustPolicy(QComboBox::AdjustToContents); // the protocol's item comes later
    m_protocolComposer->setObjectName(QStringLiteral("protocolComposer"));
    m_pretty->setObjectName(QStringLiteral("pretty"));
    m_pretty->setToolTip(tr("Check the JSON and indent it"));
    m_loadFile->setObjectName(QStringLiteral("loadFile"));
    m_loadFile->setToolTip(tr("Send a file's bytes as a binary message"));
    m_editor->setObjectName(QStringLiteral("editor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("Message to send (Ctrl+Enter sends)"));
    m_fragments->setObjectName(QStringLiteral("fragments"));
    m_fragments->setRange(1, 10000);
    m_fragments->setPrefix(tr("in "));
    m_fragments->setSuffix(tr(" frame(s)"));
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setToolTip(tr("Send as a text message (binary for hex) (Ctrl+Enter)"));
    m_ping->setObjectName(QStringLiteral("ping"));
    m_ping->setToolTip(tr("Send a Ping with the payload beside it (empty if none)"));
    m_pong->setObjectName(QStringLiteral("pong"));
    m_pong->setToolTip(tr("Send an unsolicited Pong (a one-way heartbeat) with the payload beside it"));
    m_controlPayload->setObjectName(QStringLiteral("controlPayload"));
    m_controlPayload->setPlaceholderText(tr("ping/pong payload"));
    m_controlPayload->setToolTip(tr("Optional payload of the Ping and Pong buttons, as text: at most %1 bytes in "
                                    "UTF-8 (RFC 6455 §5.5)")
                                     .arg(maxControlPayload));
    m_controlPayload->setClearButtonEnabled(true);
    m_controlBytes->setObjectName(QStringLiteral("controlBytes"));
    m_closeCode->setObjectName(QStringLiteral("closeCode"));
    m_closeCode->setRange(0, 65535);
    m_closeCode->setValue(1000);
    m_closeReason->setObjectName(QStringLiteral("closeReason"));
    m_closeReason->setPlaceholderText(tr("reason"));
    m_close->setObjectName(QStringLiteral("close"));
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true); // a long error takes lines, not the window's width
    ThemedStyle::apply(m_error, ThemedStyle::Look::Text, Theme::Color::Failure);
    m_error->setVisible(false);
    m_templates->setObjectName(QStringLiteral("templates"));
    m_templates->setText(tr("Templates"));
    m_templates->setToolTip(tr("Load a saved message, or save this one"));
    m_templates->setPopupMode(QToolButton::InstantPopup);
    m_templates->setIcon(Icons::icon(Icons::Name::Templates));
    m_templates->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_send->setIcon(Icons::icon(Icons::Name::Send));
    m_ping->setIcon(Icons::icon(Icons::Name::Ping));
    m_templates->setMenu(new QMenu(m_templates));
    m_templates->setEnabled(false); // until a library is set
    connect(m_templates->menu(), &QMenu::aboutToShow, this, &Composer::rebuildTemplateMenu);

    // Two rows, so the composer fits beside the side tabs on a 1024 px screen: the message and its Send, then the
    // control frames.
    auto *message = new QHBoxLayout;
    message->addWidget(m_format);
    message->addWidget(m_pretty);
    message->addWidget(m_loadFile);
    message->addWidget(m_templates);
    message->addWidget(m_fragments);
    message->addStretch(1);
    message->addWidget(m_send);
    auto *control = new QHBoxLayout;
    control->addWidget(m_ping);
    control->addWidget(m_pong);
    control->addWidget(m_controlPayload, 1);
    control->addWidget(m_controlBytes);
    control->addSpacing(12);
    control->addWidget(m_closeCode);
    control->addWidget(m_closeReason, 1);
    control->addWidget(m_close);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(m_protocolComposer);
    column->addWidget(m_editor, 1);
    column->addWidget(m_error);
    column->addLayout(message);
    column->addLayout(control);

    connect(m_send, &QPushButton::clicked, this, &Composer::send);
    connect(m_format, &QComboBox::currentIndexChanged, this, &Composer::updateFormatButtons);
    connect(m_protocolComposer, &ProtocolComposer::kindChanged, this, &Composer::updateFormatButtons);
    // An error about the editor's content in the old format says nothing about the new one.
    connect(m_format, &QComboBox::currentIndexChanged, m_error, &QWidget::hide);
    connect(m_controlPayload, &QLineEdit::textChanged, this, &Composer::updateControlPayload);
    connect(m_pretty, &QPushButton::clicked, this, &Composer::prettyPrintJson);
    connect(m_loadFile, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Send a file as a binary message"));
        QString error;
        if (!path.isEmpty() && !loadFile(path, &error))
            showError(error);
    });
    connect(m_ping, &QPushButton::clicked, this, [this] { sendControl(true); });
    connect(m_pong, &QPushButton::clicked, this, [this] { sendControl(false); });
    connect(m_close, &QPushButton::clicked, this, [this] {
        const auto code = quint16(m_closeCode->value());
        if (QByteArray reason = m_closeReason->text().toUtf8(); reason.size() > 123) {
            showError(tr("Close reason: %1 bytes, at most 123 fit in a Close frame").arg(reason.size()));
            return;
        }
        if (!CloseCodes::isValidOnWire(code))
            showError(tr("Note: %1 (sent anyway, for testing the server)").arg(CloseCodes::whyInvalidOnWire(code)));
        else
            m_error->setVisible(false);
        Q_EMIT sendClose(code, m_closeReason->text());
    });
    connect(m_editor, &QPlainTextEdit::textChanged, m_error, &QWidget::hide);
    for (const QKeySequence &keys : {QKeySequence(tr("Ctrl+Return")), QKeySequence(tr("Ctrl+Enter"))}) {
        auto *shortcut = new QShortcut(keys, m_editor);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        shortcut->setWhatsThis(tr("Send the message being written (in the composer)"));
        connect(shortcut, &QShortcut::activated, this, &Composer::send);
    }
    updateFormatButtons();
    updateControlPayload();
}

QString Composer::formatName(Format format)
{
    switch (format) {
    case Format::Json:
        return QStringLiteral("json");
    case Format::Hex:
        return QStringLiteral("hex");
    case Format::Protocol:
        return QStringLiteral("protocol");
    case Format::Text:
        break;
    }
    return QStringLiteral("text");
}

std::optional<Composer::Format> Composer::formatFromName(const QString &name)
{
    if (name == QLatin1StringView("text"))
        return Format::Text;
    if (name == QLatin1StringView("json"))
        return Format::Json;
    if (name == QLatin1StringView("hex"))
        return Format::Hex;
    if (name == QLatin1StringView("protocol"))
        return Format::Protocol;
    return std::nullopt;
}

void Composer::setFormat(Format format)
{
    // The Protocol format is there only while the session has a protocol: text otherwise.
    m_format->setCurrentIndex(std::max(0, m_format->findData(QVariant::fromValue(format))));
    updateFormatButtons();
}

void Composer::setProtocol(std::optional<AppProtocol> protocol)
{
    if (protocol && ProtocolComposer::kindsOf(*protocol).isEmpty())
        protocol.reset();
    if (protocol == m_protocol)
        return;
    m_protocol = protocol;
    const int existing = m_format->findData(QVariant::fromValue(Format::Protocol));
    if (!protocol) {
        if (existing >= 0) {
            // Back to text: the editor holds a body that was never meant as binary.
            if (m_format->currentIndex() == existing)
                setFormat(Format::Text);
            m_format->removeItem(existing);
        }
        return;
    }
    m_protocolComposer->setProtocol(*protocol);
    const QString name = tr("%1 message").arg(DecodedHeadline::protocolTitle(*protocol));
    if (existing >= 0)
        m_format->setItemText(existing, name);
    else
        m_format->addItem(name, QVariant::fromValue(Format::Protocol));
    updateFormatButtons();
}

void Composer::updateFormatButtons()
{
    const auto format = m_format->currentData().value<Format>();
    const bool protocol = format == Format::Protocol;
    m_pretty->setVisible(format == Format::Json || (protocol && m_protocolComposer->bodyIsJson()));
    m_loadFile->setVisible(format == Format::Hex);
    m_protocolComposer->setVisible(protocol);
    // The speaker writes a protocol message whole, in one frame.
    m_fragments->setVisible(!protocol);
    m_editor->setPlaceholderText(protocol ? m_protocolComposer->bodyPlaceholder()
                                          : tr("Message to send (Ctrl+Enter sends)"));
    m_send->setToolTip(protocol ? tr("Send the %1 message (Ctrl+Enter)").arg(m_format->currentText())
                                : tr("Send as a text message (binary for hex) (Ctrl+Enter)"));
}

bool Composer::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > maxFileBytes) {
        if (error)
            *error = tr("%1 is %2 bytes; the composer takes files up to %3 bytes (use wsinspector-cli for more)")
                         .arg(path)
                         .arg(file.size())
                         .arg(maxFileBytes);
        return false;
    }
    setFormat(Format::Hex);
    m_editor->setPlainText(QString::fromLatin1(file.readAll().toHex(' ')));
    return true;
}

void Composer::setTemplateLibrary(MessageTemplateLibrary *library)
{
    m_library = library;
    m_templates->setEnabled(library != nullptr);
}

MessageTemplate Composer::currentAsTemplate(const QString &name) const
{
    return {name, formatName(m_format->currentData().value<Format>()), m_editor->toPlainText(), m_fragments->value()};
}

void Composer::applyTemplate(const MessageTemplate &messageTemplate)
{
    setFormat(formatFromName(messageTemplate.format).value_or(Format::Text));
    setText(messageTemplate.body);
    setFragments(messageTemplate.fragments);
}

void Composer::rebuildTemplateMenu()
{
    QMenu *menu = m_templates->menu();
    menu->clear();
    if (!m_library)
        return;
    for (const MessageTemplate &t : m_library->templates()) {
        QAction *load = menu->addAction(t.name, this, [this, name = t.name] {
            if (const auto found = m_library->find(name))
                applyTemplate(*found);
        });
        load->setToolTip(t.body.left(200));
    }
    if (m_library->templates().isEmpty())
        menu->addAction(tr("No saved messages yet"))->setEnabled(false);
    menu->addSeparator();
    menu->addAction(tr("Save as template…"), this, [this] {
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, tr("Save message as template"), tr("Name"), QLineEdit::Normal, {}, &ok);
        QString error;
        if (ok && m_library && !m_library->save(currentAsTemplate(name), &error))
            showError(error);
    });
    QMenu *remove = menu->addMenu(tr("Delete"));
    remove->setEnabled(!m_library->templates().isEmpty());
    for (const MessageTemplate &t : m_library->templates())
        remove->addAction(t.name, this, [this, name = t.name] { m_library->remove(name); });
}

void Composer::setText(const QString &text)
{
    m_editor->setPlainText(text);
}

void Composer::setFragments(int fragments)
{
    m_fragments->setValue(fragments);
}

void Composer::setControlPayload(const QString &text)
{
    m_controlPayload->setText(text);
}

void Composer::setSendingEnabled(bool enabled)
{
    m_sendingEnabled = enabled;
    for (QPushButton *button : {m_send, m_close})
        button->setEnabled(enabled);
    updateControlPayload();
}

void Composer::updateControlPayload()
{
    const qsizetype bytes = m_controlPayload->text().toUtf8().size();
    const bool fits = bytes <= maxControlPayload;
    m_controlBytes->setVisible(bytes > 0);
    m_controlBytes->setText(fits ? tr("%1/%2 B").arg(bytes).arg(maxControlPayload)
                                 : tr("%1 B: at most %2 fit").arg(bytes).arg(maxControlPayload));
    if (fits)
        ThemedStyle::clear(m_controlBytes);
    else
        ThemedStyle::apply(m_controlBytes, ThemedStyle::Look::Text, Theme::Color::Failure);
    m_ping->setEnabled(m_sendingEnabled && fits);
    m_pong->setEnabled(m_sendingEnabled && fits);
}

std::optional<QByteArray> Composer::payload(QString *error) const
{
    QString ignored;
    QString &why = error ? *error : ignored;
    const QString text = m_editor->toPlainText();
    switch (m_format->currentData().value<Format>()) {
    case Format::Text:
        return text.toUtf8();
    case Format::Json: {
        const OrderedJson::Result parsed = OrderedJson::parse(text.toUtf8());
        if (!parsed.root) {
            why = tr("JSON: %1").arg(parsed.error);
            return std::nullopt;
        }
        return text.toUtf8();
    }
    case Format::Hex:
        return parseHex(text, &why);
    case Format::Protocol:
        return text.toUtf8(); // the message's body; its fields are the protocol composer's
    }
    return std::nullopt;
}

bool Composer::prettyPrintJson()
{
    // In the order written: what goes out is what the user wrote, only indented.
    const OrderedJson::Result parsed = OrderedJson::parse(m_editor->toPlainText().toUtf8());
    if (!parsed.root) {
        showError(tr("JSON: %1").arg(parsed.error));
        return false;
    }
    m_editor->setPlainText(OrderedJson::pretty(*parsed.root));
    return true;
}

void Composer::send()
{
    QString error;
    if (m_format->currentData().value<Format>() == Format::Protocol && m_protocol) {
        const auto message = m_protocolComposer->message(m_editor->toPlainText(), &error);
        if (!message) {
            showError(error);
            return;
        }
        Q_EMIT sendProtocolMessage(*message, *m_protocol);
        return;
    }
    const auto bytes = payload(&error);
    if (!bytes) {
        showError(error);
        return;
    }
    const auto type = m_format->currentData().value<Format>() == Format::Hex ? MessageType::Binary : MessageType::Text;
    Q_EMIT sendMessage(type, *bytes, m_fragments->value());
}

void Composer::sendControl(bool ping)
{
    const QByteArray bytes = m_controlPayload->text().toUtf8();
    if (bytes.size() > maxControlPayload) {
        showError(tr("A control frame carries at most %1 bytes; this payload has %2")
                      .arg(maxControlPayload)
                      .arg(bytes.size()));
        return;
    }
    if (ping)
        Q_EMIT sendPing(bytes);
    else
        Q_EMIT sendPong(bytes);
}

void Composer::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(true);
}

} // namespace wsi
