// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/DecodedMessage.h"
#include "core/appprotocol/PayloadView.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace wsi {

// What the application protocol makes of one message, as a tree: each protocol message it carries (its kind, its
// fields, the rule it breaks, the request or reply it takes part in), then the message paired with it, with the
// latency and a button to go there. A binary message no protocol claims is read instead as MessagePack, CBOR or
// the protobuf wire format, the user's choice (the first that reads without a fault is shown first). With binary
// messages, ".proto…" lets the user read them as a message type of a .proto file (chosen in "Type"): that reading
// comes first.
//
// Object names for tests: decodedSummary, decodedTree, pairingNote, goToPairedMessage, binaryFormat, loadProto,
// protoMessageType, protoNote.
class DecodedMessageView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DecodedMessageView)

public:
    // Everything shown, made off the GUI thread by the frame detail.
    struct Content {
        QString protocolTitle;    // "socket.io"; empty for binary views alone
        QString recognition;      // why the connection is taken to speak it
        DecodedMessages messages; // the decoded protocol messages; empty for binary views alone
        // The message paired with this one: the first reply of a request, or the request of a reply.
        qsizetype pairedMessage = -1;
        qsizetype pairedFrame = -1; // the frame that ends it
        bool pairedIsReply = false;
        qint64 latencyNs = 0;
        bool isRequest = false; // a request with no reply yet (pairedMessage -1)
        // A binary payload read as each self-describing encoding; empty unless no protocol claims the message.
        QList<PayloadView> binaryViews;
    };

    static constexpr int maxItems = 20000;

    explicit DecodedMessageView(QWidget *parent = nullptr);

    // "Decoding…" until the content comes.
    void showDecoding();
    void setContent(const Content &content);
    void clear();
    // The tab's title for what is shown: the protocol, or the binary encoding.
    QString title() const { return m_title; }
    qsizetype pairedMessage() const noexcept { return m_paired; }
    // The message types of the .proto in use and the one chosen; none hides the type choice.
    void setProtoTypes(const QStringList &types, const QString &current);
    // What loading a .proto said: its problems, or which file is in use.
    void setProtoNote(const QString &note);

Q_SIGNALS:
    // The user asked to see the paired message (its index in the log's messages).
    void messageRequested(qsizetype message);
    // The user picked a .proto file to read binary messages with.
    void protoFileChosen(const QString &path);
    // The user picked the message type binary messages are.
    void protoMessageTypeChosen(const QString &type);

private:
    void showBinaryView(int index);

    QLabel *m_summary;
    QLabel *m_pairing;
    QPushButton *m_goToPaired;
    QLabel *m_formatLabel; // "Read as", shown with the binary views
    QComboBox *m_binaryFormat;
    QPushButton *m_loadProto;
    QWidget *m_protoTypeRow; // "Type" and its choice
    QComboBox *m_protoType;
    QLabel *m_protoNote;
    QTreeWidget *m_tree;
    QList<PayloadView> m_binaryViews;
    QString m_title;
    qsizetype m_paired = -1;
};

} // namespace wsi
