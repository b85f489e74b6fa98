// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRuleMarks.h"

#include <QByteArray>
#include <QWidget>

#include <memory>
#include <optional>

class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace wsi {

class DecodedMessageIndex;
class DecodedMessageView;

// Everything about one frame of a capture: every header bit, notes about payload bytes that were not kept, the
// payload as text, JSON tree and hex (for a compressed or fragmented message also the whole inflated message),
// the Close code and reason, and the frame's protocol violations. Reads the FrameLog on the GUI thread without
// locks (AppendOnlyLog's contract) and keeps a reference to it, so the session may go away meanwhile.
//
// Object names for tests and style sheets: frameSummary, frameHeaderFields, payloadNote, closeBox, closeCode,
// closeName, closeReason, payloadSources, framePayloadTabs/-Text/-Json/-Hex/-LimitNote, messagePayloadTabs/...,
// violationList, copyTextButton, copyHexButton, savePayloadButton.
class FrameDetailView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameDetailView)

public:
    // Beyond these sizes the views show the beginning and say so; copy and save always use every stored byte.
    static constexpr qsizetype maxTextShown = 1024 * 1024;
    static constexpr qsizetype maxHexShown = 64 * 1024;
    static constexpr qsizetype maxJsonParsed = 4 * 1024 * 1024;
    static constexpr int maxJsonItems = 20000;

    explicit FrameDetailView(QWidget *parent = nullptr);

    void setFrame(std::shared_ptr<const FrameLog> log, qsizetype index);
    // A whole message instead (the Messages view): what it is, its frames, its payload reassembled and inflated as
    // the application got it (text, JSON, hex), and the violations of its frames.
    void setMessage(std::shared_ptr<const FrameLog> log, qsizetype message);
    void clear();
    // The recording of the log shown (a live session's, or the file a captured one was read from): payloads the
    // log did not keep in full are read back from it, off the GUI thread, and then shown, copied and saved whole.
    void setRecordingPath(const QString &path) { m_recordingPath = path; }
    // Which relay rule acted on which frames (a connection relayed with rules, live or reopened; null otherwise): the
    // header fields then say the rule of the frame shown ("Rule: redact (replace)").
    void setRuleMarks(std::shared_ptr<const FrameRuleMarks> marks) { m_ruleMarks = std::move(marks); }
    // The application protocol's summaries of the log shown (null when none): the message's decoded tree, its
    // paired request or reply, and for a binary message no protocol claims its MessagePack, CBOR and protobuf
    // readings, in a tab of their own, made off the GUI thread.
    void setDecodedIndex(std::shared_ptr<const DecodedMessageIndex> index) { m_decodedIndex = std::move(index); }
    DecodedMessageView *decodedView() const noexcept { return m_decodedView; }
    // Binary messages read as a message type of a .proto first (the decoded view's ".proto…" and "Type"), for this
    // tab. loadProtoFile() reads the file off the GUI thread; its problems (file, line, column) show in the view.
    void loadProtoFile(const QString &path);
    void setBinarySchema(std::optional<ProtobufSchemaView> schema);
    const std::optional<ProtobufSchemaView> &binarySchema() const noexcept { return m_binarySchema; }
    // Whether a .proto is being read (for tests).
    bool isLoadingProto() const noexcept { return m_protoLoadsInFlight > 0; }
    // Whether the decoded tab is being made (for tests).
    bool isDecoding() const noexcept { return m_decodesInFlight > 0; }
    // Whether a read-back from the recording is under way (for tests).
    bool isReadingRecording() const noexcept { return m_readsInFlight > 0; }

    qsizetype frameIndex() const noexcept { return m_index; }
    // The message the shown frame belongs to, or -1 (control frames, a message not complete yet).
    qsizetype messageIndex() const noexcept { return m_messageIndex; }
    // The bytes the copy and save actions use: the inflated message while its tab is shown, else the frame's.
    QByteArray currentPayload() const;

    // Writes currentPayload() to `path` exactly (atomically, through QSaveFile). On failure returns false and sets
    // *error to a sentence for people.
    bool savePayload(const QString &path, QString *error) const;

    void copyPayloadAsText() const;
    void copyPayloadAsHex() const;
    void savePayloadWithDialog();

Q_SIGNALS:
    // The decoded view's "Go to reply" / "Go to request": the message, by its index in the log's messages.
    void messageRequested(qsizetype message);
    // The user chose a .proto or a type: the tab's other detail view follows.
    void binarySchemaChosen(const std::optional<ProtobufSchemaView> &schema);

private:
    struct PayloadPane {
        QWidget *page = nullptr;
        QTabWidget *tabs = nullptr;
        QPlainTextEdit *text = nullptr;
        QTreeWidget *json = nullptr;
        QPlainTextEdit *hex = nullptr;
        QLabel *limitNote = nullptr;
    };

    PayloadPane createPane(const QString &prefix);
    void showPayload(const PayloadPane &pane, QByteArrayView bytes, bool preferText);
    void showHeader(const FrameRecord &record);
    void showMessageFields(const MessageRecord &message);
    // "Rule" with the relay rule that acted on `frame` (a message: its last frame), when there are rule marks.
    void addRuleField(qsizetype frame);
    void showClose(QByteArrayView payload);
    void showViolations(const ViolationList &violations);
    void updateActions();
    // The decoded tab for the message shown: hidden when there is nothing to decode, else filled off the GUI thread,
    // and shown first unless `makeCurrent` is false.
    void showDecoded(bool makeCurrent = true);
    void showNotes();
    // Reads the frame's and its message's whole payloads from the recording, when the log cut them.
    void readBackFromRecording(int attempt);
    void onReadBack(quint64 generation, bool isMessage, const std::optional<QByteArray> &payload, const QString &error,
                    int attempt);

    std::shared_ptr<const FrameLog> m_log;
    qsizetype m_index = -1;
    qsizetype m_messageIndex = -1;
    bool m_messageMode = false; // setMessage(): the message is shown, not its last frame
    QString m_recordingPath;
    std::shared_ptr<const FrameRuleMarks> m_ruleMarks;
    quint64 m_generation = 0; // changes with every frame shown, so late read-backs for another frame are dropped
    int m_readsInFlight = 0;
    QStringList m_notes;
    // Whole payloads read back from the recording for the frame shown; empty when the log has them.
    std::optional<QByteArray> m_wholeFramePayload;
    std::optional<QByteArray> m_wholeMessagePayload;

    QLabel *m_summary = nullptr;
    QTreeWidget *m_headerFields = nullptr;
    QLabel *m_payloadNote = nullptr;
    QGroupBox *m_closeBox = nullptr;
    QLabel *m_closeCode = nullptr;
    QLabel *m_closeName = nullptr;
    QLabel *m_closeReason = nullptr;
    QTabWidget *m_sources = nullptr;
    PayloadPane m_framePane;
    PayloadPane m_messagePane;
    QGroupBox *m_violationBox = nullptr;
    QTreeWidget *m_violations = nullptr;
    QPushButton *m_copyText = nullptr;
    QPushButton *m_copyHex = nullptr;
    QPushButton *m_save = nullptr;
    DecodedMessageView *m_decodedView = nullptr;
    std::shared_ptr<const DecodedMessageIndex> m_decodedIndex;
    int m_decodesInFlight = 0;
    std::optional<ProtobufSchemaView> m_binarySchema;
    int m_protoLoadsInFlight = 0;
};

} // namespace wsi
