// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocolSettings.h"
#include "core/protocol/MessageAssembler.h"

#include <QByteArray>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace wsi {

class MessageTemplateLibrary;
class ProtocolComposer;
struct MessageTemplate;

// Where the user writes what to send: text, JSON (checked, pretty-printed on request, members kept in their order)
// or binary as hex, sent as a text or binary message (in N fragments if asked); a ping or a pong with its own
// optional payload (at most 125 bytes, counted beside it); a Close with code and reason. Ctrl+Enter sends. When the
// session speaks an application protocol (or the window recognised one), the format list offers that protocol's
// messages too: the protocol mode shows the message's fields (ProtocolComposer) above the editor, which holds its
// body, and the message goes to the session's speaker to be numbered and sent. It only turns the editor into bytes
// or a protocol message and emits them; the session view sends.
class Composer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Composer)

public:
    enum class Format : quint8 { Text, Json, Hex, Protocol };
    Q_ENUM(Format)

    explicit Composer(QWidget *parent = nullptr);

    void setFormat(Format format);
    // "text", "json", "hex": how saved messages (MessageTemplate, profiles) name the formats.
    static QString formatName(Format format);
    static std::optional<Format> formatFromName(const QString &name);
    void setText(const QString &text);
    void setFragments(int fragments);
    // The payload of the Ping and Pong buttons, independent of the message (empty by default).
    void setControlPayload(const QString &text);
    // The editor's content as bytes for the current format; nullopt with *error when it is not valid (bad hex,
    // JSON that does not parse: with the line and column).
    std::optional<QByteArray> payload(QString *error = nullptr) const;
    // Pretty-prints the editor's JSON in place; false (and the error shown) when it does not parse.
    bool prettyPrintJson();
    // Puts a file's bytes in the editor as hex (binary format); false with *error naming the file and why.
    // Files over maxFileBytes are refused: a message that large is better sent from the command line.
    bool loadFile(const QString &path, QString *error = nullptr);
    void setSendingEnabled(bool enabled);
    // The protocol whose messages the Protocol format builds; none (or one the composer builds nothing of, such as
    // JSON-RPC) takes the format away.
    void setProtocol(std::optional<AppProtocol> protocol);
    std::optional<AppProtocol> protocol() const noexcept { return m_protocol; }
    ProtocolComposer *protocolComposer() const noexcept { return m_protocolComposer; }

    // Saved messages: the Templates menu lists the library's, loads one into the editor, saves the editor's.
    void setTemplateLibrary(MessageTemplateLibrary *library);
    MessageTemplate currentAsTemplate(const QString &name) const;
    void applyTemplate(const MessageTemplate &messageTemplate);

    static constexpr qint64 maxFileBytes = 16 * 1024 * 1024;
    // RFC 6455 §5.5: a control frame's payload.
    static constexpr qsizetype maxControlPayload = 125;

Q_SIGNALS:
    void sendMessage(wsi::MessageType type, const QByteArray &payload, int fragments);
    void sendPing(const QByteArray &payload);
    void sendPong(const QByteArray &payload);
    void sendClose(quint16 code, const QString &reason);
    void sendProtocolMessage(const wsi::ProtocolMessage &message, wsi::AppProtocol protocol);

public Q_SLOTS:
    void send();

private:
    void sendControl(bool ping);
    void showError(const QString &error);
    // The control payload's byte count beside it, and whether Ping and Pong can send it.
    void updateControlPayload();

    void updateFormatButtons();
    void rebuildTemplateMenu();

    QComboBox *m_format;
    ProtocolComposer *m_protocolComposer;
    std::optional<AppProtocol> m_protocol;
    QPushButton *m_pretty;
    QPushButton *m_loadFile;
    QPlainTextEdit *m_editor;
    QSpinBox *m_fragments;
    QPushButton *m_send;
    QPushButton *m_ping;
    QPushButton *m_pong;
    QLineEdit *m_controlPayload;
    QLabel *m_controlBytes;
    bool m_sendingEnabled = true;
    QSpinBox *m_closeCode;
    QLineEdit *m_closeReason;
    QPushButton *m_close;
    QLabel *m_error;
    QToolButton *m_templates;
    MessageTemplateLibrary *m_library = nullptr;
};

} // namespace wsi
