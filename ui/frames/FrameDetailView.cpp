// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FrameDetailView.h"

#include "core/appprotocol/CborView.h"
#include "core/appprotocol/DecodedHeadline.h"
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/appprotocol/MessagePackView.h"
#include "core/appprotocol/ProtobufSchema.h"
#include "core/appprotocol/ProtobufWireView.h"
#include "core/exchange/OrderedJson.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/ClosePayload.h"
#include "core/protocol/Opcode.h"
#include "core/recordings/RecordingReader.h"
#include "core/recordings/SessionRecorder.h"
#include "ui/frames/DecodedMessageView.h"
#include "ui/widgets/HexDump.h"
#include "ui/widgets/ThemedStyle.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStringDecoder>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace wsi {

namespace {

enum PayloadTab { TextTab, JsonTab, HexTab };

QString yesNo(bool value)
{
    return value ? QStringLiteral("1") : QStringLiteral("0");
}

QString lengthEncodingText(LengthEncoding encoding)
{
    switch (encoding) {
    case LengthEncoding::Bits7:
        return QStringLiteral("7-bit (in the second header byte)");
    case LengthEncoding::Bits16:
        return QStringLiteral("16-bit (126 + 2 bytes)");
    case LengthEncoding::Bits64:
        return QStringLiteral("64-bit (127 + 8 bytes)");
    }
    return {};
}

QString maskingKeyText(const MaskingKey &key)
{
    return HexDump::spaced(QByteArrayView(reinterpret_cast<const char *>(key.data()), qsizetype(key.size())));
}

QString secondsText(qint64 ns)
{
    return QString::number(double(ns) / 1e9, 'f', 6) + QStringLiteral(" s");
}

// Whether the bytes look like UTF-8 text. Only the start of a large payload is looked at, and a sequence cut at the
// end of it is not an error (the decoder keeps it as state).
bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder(bytes);
    Q_UNUSED(decoded)
    return !decoder.hasError();
}

QString jsonTypeName(OrderedJson::Node::Type type)
{
    switch (type) {
    case OrderedJson::Node::Type::Object:
        return QStringLiteral("object");
    case OrderedJson::Node::Type::Array:
        return QStringLiteral("array");
    case OrderedJson::Node::Type::String:
        return QStringLiteral("string");
    case OrderedJson::Node::Type::Number:
        return QStringLiteral("number");
    case OrderedJson::Node::Type::Bool:
        return QStringLiteral("boolean");
    case OrderedJson::Node::Type::Null:
        break;
    }
    return QStringLiteral("null");
}

// The JSON tree below `parent` (or at the top of `tree`), members in the order they were written.
void addJsonChildren(QTreeWidget *tree, QTreeWidgetItem *parent, const OrderedJson::Node &node)
{
    const bool array = node.type == OrderedJson::Node::Type::Array;
    for (qsizetype i = 0; i < node.children.size(); ++i) {
        const OrderedJson::Node &child = node.children.at(i);
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree);
        item->setText(0, array ? QStringLiteral("[%1]").arg(i) : child.name);
        switch (child.type) {
        case OrderedJson::Node::Type::Object:
            item->setText(1, QStringLiteral("{%1}").arg(child.size));
            break;
        case OrderedJson::Node::Type::Array:
            item->setText(1, QStringLiteral("[%1]").arg(child.size));
            break;
        default:
            item->setText(1, child.value);
            break;
        }
        item->setText(2, jsonTypeName(child.type));
        addJsonChildren(tree, item, child);
    }
}

QTreeWidget *createFieldTree(const QStringList &labels, const QString &objectName)
{
    auto *tree = new QTreeWidget;
    tree->setObjectName(objectName);
    tree->setHeaderLabels(labels);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tree->header()->setStretchLastSection(true);
    return tree;
}

} // namespace

FrameDetailView::FrameDetailView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("frameSummary"));
    QFont summaryFont = m_summary->font();
    summaryFont.setBold(true);
    m_summary->setFont(summaryFont);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true); // a long summary wraps in a narrow side panel instead of widening it
    layout->addWidget(m_summary);

    m_payloadNote = new QLabel(this);
    m_payloadNote->setObjectName(QStringLiteral("payloadNote"));
    m_payloadNote->setWordWrap(true);
    ThemedStyle::apply(m_payloadNote, ThemedStyle::Look::Note, Theme::Color::Warning);
    m_payloadNote->hide();
    layout->addWidget(m_payloadNote);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter, 1);

    m_headerFields = createFieldTree({tr("Field"), tr("Value")}, QStringLiteral("frameHeaderFields"));
    splitter->addWidget(m_headerFields);

    auto *payloadArea = new QWidget;
    auto *payloadLayout = new QVBoxLayout(payloadArea);
    payloadLayout->setContentsMargins(0, 0, 0, 0);

    m_closeBox = new QGroupBox(tr("Close"));
    m_closeBox->setObjectName(QStringLiteral("closeBox"));
    auto *closeLayout = new QHBoxLayout(m_closeBox);
    m_closeCode = new QLabel;
    m_closeCode->setObjectName(QStringLiteral("closeCode"));
    m_closeName = new QLabel;
    m_closeName->setObjectName(QStringLiteral("closeName"));
    m_closeReason = new QLabel;
    m_closeReason->setObjectName(QStringLiteral("closeReason"));
    m_closeReason->setWordWrap(true);
    for (QLabel *label : {m_closeCode, m_closeName, m_closeReason}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        closeLayout->addWidget(label);
    }
    closeLayout->addStretch();
    m_closeBox->hide();
    payloadLayout->addWidget(m_closeBox);

    m_sources = new QTabWidget;
    m_sources->setObjectName(QStringLiteral("payloadSources"));
    m_messagePane = createPane(QStringLiteral("messagePayload"));
    m_framePane = createPane(QStringLiteral("framePayload"));
    m_sources->addTab(m_messagePane.page, tr("Inflated message"));
    m_sources->addTab(m_framePane.page, tr("Frame payload"));
    m_decodedView = new DecodedMessageView;
    m_decodedView->setObjectName(QStringLiteral("decodedMessage"));
    m_sources->addTab(m_decodedView, tr("Decoded"));
    connect(m_decodedView, &DecodedMessageView::messageRequested, this, &FrameDetailView::messageRequested);
    connect(m_decodedView, &DecodedMessageView::protoFileChosen, this, &FrameDetailView::loadProtoFile);
    connect(m_decodedView, &DecodedMessageView::protoMessageTypeChosen, this, [this](const QString &type) {
        if (!m_binarySchema || m_binarySchema->messageType() == type)
            return;
        setBinarySchema(ProtobufSchemaView(m_binarySchema->schema(), type));
        Q_EMIT binarySchemaChosen(m_binarySchema);
    });
    payloadLayout->addWidget(m_sources, 1);

    auto *actions = new QHBoxLayout;
    m_copyText = new QPushButton(tr("Copy as text"));
    m_copyText->setObjectName(QStringLiteral("copyTextButton"));
    m_copyHex = new QPushButton(tr("Copy as hex"));
    m_copyHex->setObjectName(QStringLiteral("copyHexButton"));
    m_save = new QPushButton(tr("Save payload..."));
    m_save->setObjectName(QStringLiteral("savePayloadButton"));
    actions->addWidget(m_copyText);
    actions->addWidget(m_copyHex);
    actions->addWidget(m_save);
    actions->addStretch();
    payloadLayout->addLayout(actions);
    splitter->addWidget(payloadArea);

    m_violationBox = new QGroupBox(tr("Protocol violations"));
    auto *violationLayout = new QVBoxLayout(m_violationBox);
    m_violations = createFieldTree({tr("Section"), tr("Rule"), tr("Detail")}, QStringLiteral("violationList"));
    violationLayout->addWidget(m_violations);
    m_violationBox->hide();
    splitter->addWidget(m_violationBox);
    splitter->setStretchFactor(1, 1);

    connect(m_copyText, &QPushButton::clicked, this, &FrameDetailView::copyPayloadAsText);
    connect(m_copyHex, &QPushButton::clicked, this, &FrameDetailView::copyPayloadAsHex);
    connect(m_save, &QPushButton::clicked, this, &FrameDetailView::savePayloadWithDialog);

    clear();
}

FrameDetailView::PayloadPane FrameDetailView::createPane(const QString &prefix)
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    PayloadPane pane;
    pane.page = new QWidget;
    auto *layout = new QVBoxLayout(pane.page);
    layout->setContentsMargins(0, 0, 0, 0);
    pane.limitNote = new QLabel;
    pane.limitNote->setObjectName(prefix + QStringLiteral("LimitNote"));
    pane.limitNote->setWordWrap(true);
    pane.limitNote->hide();
    layout->addWidget(pane.limitNote);

    pane.tabs = new QTabWidget;
    pane.tabs->setObjectName(prefix + QStringLiteral("Tabs"));
    pane.tabs->setDocumentMode(true);
    pane.text = new QPlainTextEdit;
    pane.text->setObjectName(prefix + QStringLiteral("Text"));
    pane.text->setReadOnly(true);
    pane.text->setFont(fixed);
    pane.json = new QTreeWidget;
    pane.json->setObjectName(prefix + QStringLiteral("Json"));
    pane.json->setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    pane.json->setUniformRowHeights(true);
    pane.hex = new QPlainTextEdit;
    pane.hex->setObjectName(prefix + QStringLiteral("Hex"));
    pane.hex->setReadOnly(true);
    pane.hex->setFont(fixed);
    pane.hex->setLineWrapMode(QPlainTextEdit::NoWrap);
    pane.tabs->insertTab(TextTab, pane.text, tr("Text"));
    pane.tabs->insertTab(JsonTab, pane.json, tr("JSON"));
    pane.tabs->insertTab(HexTab, pane.hex, tr("Hex"));
    layout->addWidget(pane.tabs, 1);
    return pane;
}

void FrameDetailView::clear()
{
    m_log.reset();
    m_index = -1;
    m_messageIndex = -1;
    m_messageMode = false;
    ++m_generation;
    m_wholeFramePayload.reset();
    m_wholeMessagePayload.reset();
    m_notes.clear();
    m_summary->setText(tr("No frame selected"));
    m_headerFields->clear();
    m_payloadNote->clear();
    m_payloadNote->hide();
    m_closeBox->hide();
    showPayload(m_framePane, {}, true);
    showPayload(m_messagePane, {}, true);
    m_sources->setTabVisible(m_sources->indexOf(m_messagePane.page), false);
    m_sources->setTabVisible(m_sources->indexOf(m_framePane.page), true);
    m_sources->setTabText(m_sources->indexOf(m_framePane.page), tr("Frame payload"));
    m_decodedView->clear();
    m_sources->setTabVisible(m_sources->indexOf(m_decodedView), false);
    showViolations({});
    updateActions();
}

void FrameDetailView::setFrame(std::shared_ptr<const FrameLog> log, qsizetype index)
{
    if (!log || index < 0 || index >= log->frameCount()) {
        clear();
        return;
    }
    m_log = std::move(log);
    m_index = index;
    m_messageMode = false;
    m_sources->setTabVisible(m_sources->indexOf(m_framePane.page), true);
    const FrameRecord &record = m_log->frame(index);
    m_messageIndex = m_log->messageContaining(index);
    const MessageRecord *message = m_messageIndex >= 0 ? &m_log->message(m_messageIndex) : nullptr;
    const bool compressed = record.has(FrameRecord::Compressed) || (message && message->compressed);

    m_summary->setText(tr("Frame #%1: %2 %3 frame, %4 payload bytes")
                           .arg(index)
                           .arg(record.direction() == Direction::Outgoing ? tr("outgoing") : tr("incoming"),
                                Opcodes::name(record.opcode))
                           .arg(record.payloadLength));
    showHeader(record);

    QStringList notes;
    if (record.has(FrameRecord::PayloadDiscarded)) {
        notes.append(tr("Payload not kept: over the frame limit (%1 bytes declared, never read into memory).")
                         .arg(record.payloadLength));
    } else if (record.has(FrameRecord::PayloadTruncated)) {
        notes.append(tr("Only the first %1 of %2 payload bytes kept: memory budget.")
                         .arg(record.storedLength)
                         .arg(record.payloadLength));
    }
    if (message && message->payloadTruncated()) {
        notes.append(tr("Only the first %1 of %2 message bytes kept: memory budget.")
                         .arg(message->storedLength)
                         .arg(message->length));
    }
    ++m_generation;
    m_wholeFramePayload.reset();
    m_wholeMessagePayload.reset();
    m_notes = notes;
    showNotes();

    const QByteArrayView payload = m_log->framePayload(index);
    const bool textual = record.opcode == 0x1 ||
                         (record.opcode != 0x2 && isValidUtf8(payload.first(std::min(payload.size(), maxTextShown))));
    showPayload(m_framePane, payload, !compressed && textual);
    m_sources->setTabText(m_sources->indexOf(m_framePane.page),
                          compressed ? tr("On the wire (compressed)") : tr("Frame payload"));

    // A compressed or fragmented message is also shown whole, as the application sees it.
    const bool showMessage = message && (message->compressed || message->frameCount > 1);
    if (showMessage) {
        showPayload(m_messagePane, m_log->messagePayload(m_messageIndex), message->type == MessageType::Text);
        m_sources->setTabText(m_sources->indexOf(m_messagePane.page),
                              message->compressed ? tr("Inflated message")
                                                  : tr("Whole message (%1 frames)").arg(message->frameCount));
    } else {
        showPayload(m_messagePane, {}, true);
    }
    m_sources->setTabVisible(m_sources->indexOf(m_messagePane.page), showMessage);
    m_sources->setCurrentWidget(showMessage && message->compressed ? m_messagePane.page : m_framePane.page);

    if (record.opcode == Opcodes::value(Opcode::Close))
        showClose(payload);
    else
        m_closeBox->hide();
    showViolations(m_log->frameViolations(index));
    updateActions();
    showDecoded();
    readBackFromRecording(1);
}

void FrameDetailView::setMessage(std::shared_ptr<const FrameLog> log, qsizetype message)
{
    if (!log || message < 0 || message >= log->messageCount()) {
        clear();
        return;
    }
    // The message's last frame brings the notes, the read-back from the recording and the actions; what is shown
    // is then the message's.
    const MessageRecord record = log->message(message);
    setFrame(std::move(log), qsizetype(record.lastFrame));
    m_messageMode = true;
    m_summary->setText(tr("Message #%1: %2 %3 message, %4 bytes")
                           .arg(message)
                           .arg(record.direction == Direction::Outgoing ? tr("outgoing") : tr("incoming"),
                                record.type == MessageType::Text ? tr("text") : tr("binary"))
                           .arg(record.length));
    showMessageFields(record);
    showPayload(m_messagePane, m_log->messagePayload(message), record.type == MessageType::Text);
    const int messagePage = m_sources->indexOf(m_messagePane.page);
    m_sources->setTabText(messagePage, record.compressed ? tr("Inflated message") : tr("Message"));
    m_sources->setTabVisible(messagePage, true);
    m_sources->setTabVisible(m_sources->indexOf(m_framePane.page), false);
    m_sources->setCurrentIndex(messagePage);
    ViolationList violations;
    for (auto frame = qsizetype(record.firstFrame); frame <= qsizetype(record.lastFrame); ++frame)
        violations += m_log->frameViolations(frame);
    showViolations(violations);
    if (m_sources->isTabVisible(m_sources->indexOf(m_decodedView)))
        m_sources->setCurrentWidget(m_decodedView);
}

void FrameDetailView::loadProtoFile(const QString &path)
{
    const QPointer<FrameDetailView> self(this);
    ++m_protoLoadsInFlight;
    m_decodedView->setProtoNote(tr("Reading %1…").arg(path));
    QThreadPool::globalInstance()->start([self, path] {
        ProtobufSchema::Loaded loaded = ProtobufSchema::load(path);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, loaded = std::move(loaded)] {
            if (!self)
                return;
            --self->m_protoLoadsInFlight;
            if (!loaded.schema) {
                self->m_decodedView->setProtoNote(tr("Not read: %1").arg(loaded.describe()));
                return;
            }
            const QStringList types = loaded.schema->messageTypes();
            if (types.isEmpty()) {
                self->m_decodedView->setProtoNote(tr("%1 declares no message type").arg(loaded.schema->path()));
                return;
            }
            // The first type until the user picks another: most files lead with their envelope.
            self->setBinarySchema(ProtobufSchemaView(loaded.schema, types.constFirst()));
            Q_EMIT self->binarySchemaChosen(self->m_binarySchema);
        });
    });
}

void FrameDetailView::setBinarySchema(std::optional<ProtobufSchemaView> schema)
{
    m_binarySchema = std::move(schema);
    if (m_binarySchema) {
        m_decodedView->setProtoTypes(m_binarySchema->schema()->messageTypes(), m_binarySchema->messageType());
        m_decodedView->setProtoNote(
            tr("Binary messages read with %1").arg(QFileInfo(m_binarySchema->schema()->path()).fileName()));
    } else {
        m_decodedView->setProtoTypes({}, {});
        m_decodedView->setProtoNote({});
    }
    if (m_log && m_messageIndex >= 0)
        showDecoded(false);
}

void FrameDetailView::showDecoded(bool makeCurrent)
{
    const int tab = m_sources->indexOf(m_decodedView);
    m_decodedView->clear();
    const std::shared_ptr<const DecodedMessageIndex> index = m_decodedIndex;
    const qsizetype message = m_messageIndex;
    if (!m_log || message < 0) {
        m_sources->setTabVisible(tab, false);
        return;
    }
    const bool recognised = index && index->recognition();
    const bool summarised = index && message < index->summarisedMessages();
    const DecodedMessageIndex::Summary summary = summarised ? index->summary(message) : DecodedMessageIndex::Summary{};
    const bool decoded = recognised && summary.has(DecodedMessageIndex::Summary::Decoded);
    // A binary message no protocol reads cleanly is read as each self-describing encoding instead (on a connection
    // whose protocol is not known, at once: it may never be).
    const bool binaryViews =
        m_log->message(message).type == MessageType::Binary &&
        (!recognised || (summarised && (!decoded || summary.has(DecodedMessageIndex::Summary::Violation))));
    if (!decoded && !binaryViews) {
        m_sources->setTabVisible(tab, false);
        return;
    }
    m_sources->setTabVisible(tab, true);
    m_sources->setTabText(tab,
                          decoded ? DecodedHeadline::protocolTitle(index->recognition()->protocol) : tr("Binary as"));
    if (makeCurrent)
        m_sources->setCurrentIndex(tab);
    m_decodedView->showDecoding();
    // Replaying up to DecodedMessageIndex::checkpointEvery messages and reading a payload of up to the frame limit
    // in three encodings: never on the GUI thread.
    const QPointer<FrameDetailView> self(this);
    const std::shared_ptr<const FrameLog> log = m_log;
    const quint64 generation = m_generation;
    // A payload the log cut, read back whole from the recording: the message's own, or its only frame's.
    std::optional<QByteArray> whole = m_wholeMessagePayload;
    if (!whole && m_wholeFramePayload && m_log->message(message).frameCount == 1 && !m_log->message(message).compressed)
        whole = m_wholeFramePayload;
    ++m_decodesInFlight;
    const std::optional<ProtobufSchemaView> schema = m_binarySchema;
    QThreadPool::globalInstance()->start([self, log, index, message, summary, decoded, binaryViews, generation, whole,
                                          schema] {
        DecodedMessageView::Content content;
        if (decoded) {
            content.protocolTitle = DecodedHeadline::protocolTitle(index->recognition()->protocol);
            content.recognition = index->recognition()->reason;
            content.messages = index->decodeFull(*log, message, whole);
        }
        const qint64 at = log->message(message).timeNs;
        if (summary.request >= 0) {
            content.pairedMessage = summary.request;
            content.latencyNs = at - log->message(summary.request).timeNs;
        } else if (summary.has(DecodedMessageIndex::Summary::Request)) {
            content.isRequest = true;
            if (const qsizetype reply = index->firstReplyTo(message); reply >= 0) {
                content.pairedMessage = reply;
                content.pairedIsReply = true;
                content.latencyNs = log->message(reply).timeNs - at;
            }
        }
        if (content.pairedMessage >= 0)
            content.pairedFrame = qsizetype(log->message(content.pairedMessage).lastFrame);
        if (binaryViews) {
            const QByteArray payload = whole ? *whole : log->messagePayload(message).toByteArray();
            if (schema)
                content.binaryViews.append(schema->read(payload));
            content.binaryViews +=
                {MessagePackView::read(payload), CborView::read(payload), ProtobufWireView::read(payload)};
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, content] {
            if (!self)
                return;
            --self->m_decodesInFlight;
            if (generation != self->m_generation)
                return; // another frame is shown by now
            self->m_decodedView->setContent(content);
            self->m_sources->setTabText(self->m_sources->indexOf(self->m_decodedView), self->m_decodedView->title());
        });
    });
}

void FrameDetailView::showMessageFields(const MessageRecord &message)
{
    m_headerFields->clear();
    const auto add = [this](const QString &field, const QString &value) {
        auto *item = new QTreeWidgetItem(m_headerFields, {field, value});
        item->setToolTip(1, value);
    };
    add(tr("Direction"), message.direction == Direction::Outgoing ? tr("outgoing (client to server)")
                                                                  : tr("incoming (server to client)"));
    add(tr("Type"), message.type == MessageType::Text ? tr("text") : tr("binary"));
    add(tr("Time"), secondsText(message.timeNs) + tr(" (its last frame)"));
    add(tr("Length"), tr("%1 bytes").arg(message.length));
    add(tr("On the wire"), message.compressed ? tr("%1 bytes, compressed (permessage-deflate)").arg(message.wireLength)
                                              : tr("%1 bytes").arg(message.wireLength));
    add(tr("Frames"),
        message.frameCount == 1
            ? tr("#%1").arg(message.firstFrame)
            : tr("%1, #%2 to #%3").arg(message.frameCount).arg(message.firstFrame).arg(message.lastFrame));
    add(tr("Stored"), tr("%1 of %2 bytes").arg(message.storedLength).arg(message.length));
    addRuleField(qsizetype(message.lastFrame));
}

void FrameDetailView::addRuleField(qsizetype frame)
{
    if (!m_ruleMarks)
        return;
    const std::optional<FrameRuleMarks::RuleName> rule = m_ruleMarks->ruleOf(frame);
    const QString value = rule ? tr("%1 (%2)").arg(rule->name, rule->action) : tr("none: no rule acted on it");
    auto *item = new QTreeWidgetItem(m_headerFields, {tr("Rule"), value});
    item->setToolTip(1, value);
}

void FrameDetailView::showNotes()
{
    m_payloadNote->setText(m_notes.join(QLatin1Char('\n')));
    m_payloadNote->setVisible(!m_notes.isEmpty());
}

void FrameDetailView::readBackFromRecording(int attempt)
{
    if (m_recordingPath.isEmpty() || !m_log || m_index < 0)
        return;
    const FrameRecord &record = m_log->frame(m_index);
    const bool frameCut = record.has(FrameRecord::PayloadTruncated) && !m_wholeFramePayload;
    const MessageRecord *message = m_messageIndex >= 0 ? &m_log->message(m_messageIndex) : nullptr;
    const bool messageCut = message && message->payloadTruncated() && !m_wholeMessagePayload &&
                            (message->compressed || message->frameCount > 1);
    if (!frameCut && !messageCut)
        return;
    if (attempt == 1)
        m_notes.append(tr("Reading the whole payload from the recording…"));
    showNotes();
    // SQLite reads of up to the frame limit (64 MiB by default): never on the GUI thread. A reader per request,
    // opened and closed on the pool thread, as Qt SQL connections must stay on one thread.
    const QPointer<FrameDetailView> self(this);
    const QString path = m_recordingPath;
    const quint64 generation = m_generation;
    const qsizetype frame = m_index;
    const qsizetype messageIndex = m_messageIndex;
    const MessageRecord messageRecord = message ? *message : MessageRecord{};
    ++m_readsInFlight;
    QThreadPool::globalInstance()->start(
        [self, path, generation, frame, frameCut, messageCut, messageIndex, messageRecord, attempt] {
            RecordingReader reader;
            QString error;
            std::optional<QByteArray> framePayload;
            std::optional<QByteArray> messagePayload;
            if (reader.open(path, &error)) {
                if (frameCut)
                    framePayload = reader.framePayload(frame, &error);
                if (messageCut && (!frameCut || framePayload))
                    messagePayload = reader.messagePayload(messageIndex, messageRecord, &error);
            }
            QMetaObject::invokeMethod(QCoreApplication::instance(), [=] {
                if (!self)
                    return;
                --self->m_readsInFlight;
                if (frameCut)
                    self->onReadBack(generation, false, framePayload, error, attempt);
                if (messageCut)
                    self->onReadBack(generation, true, messagePayload, error, attempt);
            });
        });
}

void FrameDetailView::onReadBack(quint64 generation, bool isMessage, const std::optional<QByteArray> &payload,
                                 const QString &error, int attempt)
{
    if (generation != m_generation)
        return; // another frame is shown by now
    const QString reading = tr("Reading the whole payload from the recording…");
    if (!payload) {
        // A live session's recorder writes what arrived every SessionRecorder::flushIntervalMs: a frame this new
        // may not be in the file yet.
        if (attempt < 3 && error.contains(QLatin1StringView(" has no "))) {
            QTimer::singleShot(3 * SessionRecorder::flushIntervalMs, this, [this, generation, attempt] {
                if (generation == m_generation)
                    readBackFromRecording(attempt + 1);
            });
            return;
        }
        m_notes.removeAll(reading);
        m_notes.append(tr("The recording does not have the rest either: %1").arg(error));
        showNotes();
        return;
    }
    m_notes.removeAll(reading);
    const bool compressed = m_log->frame(m_index).has(FrameRecord::Compressed);
    if (isMessage) {
        m_wholeMessagePayload = payload;
        showPayload(m_messagePane, *payload, m_log->message(m_messageIndex).type == MessageType::Text);
        m_notes.append(tr("Whole message (%1 bytes) read from the recording.").arg(payload->size()));
    } else {
        m_wholeFramePayload = payload;
        if (m_messageMode) {
            // A message of one frame: the frame's bytes are the message's.
            m_wholeMessagePayload = payload;
            showPayload(m_messagePane, *payload, m_log->message(m_messageIndex).type == MessageType::Text);
        }
        const FrameRecord &record = m_log->frame(m_index);
        const bool textual = record.opcode == 0x1 ||
                             (record.opcode != 0x2 &&
                              isValidUtf8(QByteArrayView(*payload).first(std::min(payload->size(), maxTextShown))));
        showPayload(m_framePane, *payload, !compressed && textual);
        m_notes.append(tr("Whole payload (%1 bytes) read from the recording.").arg(payload->size()));
    }
    showNotes();
    updateActions();
    if (m_sources->isTabVisible(m_sources->indexOf(m_decodedView)))
        showDecoded(false); // decoded again from the whole payload, where the user is
}

void FrameDetailView::showHeader(const FrameRecord &record)
{
    const FrameHeader header = record.header();
    m_headerFields->clear();
    const auto add = [this](const QString &field, const QString &value) {
        auto *item = new QTreeWidgetItem(m_headerFields, {field, value});
        item->setToolTip(1, value);
    };
    add(tr("FIN"), yesNo(header.fin) + (header.fin ? tr(" (final frame of its message)") : tr(" (more follow)")));
    add(tr("RSV1"), yesNo(header.rsv1));
    add(tr("RSV2"), yesNo(header.rsv2));
    add(tr("RSV3"), yesNo(header.rsv3));
    add(tr("Opcode"), QStringLiteral("%1 (0x%2)").arg(Opcodes::name(header.opcode)).arg(header.opcode, 0, 16));
    add(tr("MASK"), yesNo(header.masked));
    add(tr("Masking key"), header.masked ? maskingKeyText(header.maskingKey) : tr("none"));
    add(tr("Payload length"), tr("%1 bytes").arg(header.payloadLength));
    add(tr("Length encoding"), lengthEncodingText(header.lengthEncoding));
    add(tr("Header length"), tr("%1 bytes").arg(header.headerLength));
    add(tr("Direction"), record.direction() == Direction::Outgoing ? tr("outgoing (client to server)")
                                                                   : tr("incoming (server to client)"));
    add(tr("Time"), secondsText(record.timeNs));
    add(tr("Compressed"), record.has(FrameRecord::Compressed) ? tr("yes (permessage-deflate)") : tr("no"));
    add(tr("Deliberate"),
        record.has(FrameRecord::Deliberate) ? tr("yes: written on purpose with rule-breaking bits") : tr("no"));
    add(tr("Injected"), record.has(FrameRecord::Injected)
                            ? tr("yes: written by the relay as a rule said, not received from either end")
                            : tr("no"));
    addRuleField(m_index);
    add(tr("Stored"), tr("%1 of %2 bytes").arg(record.storedLength).arg(record.payloadLength));
    if (m_messageIndex >= 0) {
        const MessageRecord &message = m_log->message(m_messageIndex);
        add(tr("Message"),
            tr("#%1 (frames %2 to %3)").arg(m_messageIndex).arg(message.firstFrame).arg(message.lastFrame));
    }
}

void FrameDetailView::showPayload(const PayloadPane &pane, QByteArrayView bytes, bool preferText)
{
    QStringList limits;
    const qsizetype textShown = std::min(bytes.size(), maxTextShown);
    pane.text->setPlainText(QString::fromUtf8(bytes.first(textShown)));
    if (textShown < bytes.size())
        limits.append(tr("text shows the first %1 of %2 bytes").arg(textShown).arg(bytes.size()));
    pane.hex->setPlainText(HexDump::format(bytes, maxHexShown));
    if (bytes.size() > maxHexShown)
        limits.append(tr("hex shows the first %1 bytes").arg(maxHexShown));

    pane.json->clear();
    bool json = false;
    if (!bytes.isEmpty() && bytes.size() <= maxJsonParsed) {
        const OrderedJson::Result parsed = OrderedJson::parse(bytes, maxJsonItems);
        if (parsed.root && (parsed.root->type == OrderedJson::Node::Type::Object ||
                            parsed.root->type == OrderedJson::Node::Type::Array)) {
            json = true;
            addJsonChildren(pane.json, nullptr, *parsed.root);
            if (parsed.cut) {
                limits.append(tr("the JSON tree stops after %1 items").arg(maxJsonItems));
                new QTreeWidgetItem(pane.json, {tr("..."), tr("more items not shown")});
            }
            pane.json->expandToDepth(0);
            pane.json->resizeColumnToContents(0);
        }
    }
    pane.tabs->setTabEnabled(JsonTab, json);

    if (limits.isEmpty()) {
        pane.limitNote->hide();
    } else {
        pane.limitNote->setText(
            tr("Display limited: %1. Copy or save to get every stored byte.").arg(limits.join(QStringLiteral("; "))));
        pane.limitNote->show();
    }
    pane.tabs->setCurrentIndex(json ? JsonTab : (preferText ? TextTab : HexTab));
}

void FrameDetailView::showClose(QByteArrayView payload)
{
    const ClosePayload close = ClosePayload::decode(payload);
    if (close.code) {
        m_closeCode->setText(QString::number(*close.code));
        m_closeName->setText(CloseCodes::name(*close.code));
        m_closeReason->setText(close.reasonBytes.isEmpty() ? tr("(no reason)")
                               : close.reasonIsUtf8        ? tr("Reason: %1").arg(close.reason)
                                                           : tr("Reason, not UTF-8: %1").arg(close.reason));
    } else if (close.isOneByte()) {
        m_closeCode->setText(tr("invalid: a one-byte Close payload"));
        m_closeName->clear();
        m_closeReason->clear();
    } else {
        m_closeCode->setText(tr("no status code"));
        m_closeName->setText(CloseCodes::name(close.reportedCode()));
        m_closeReason->clear();
    }
    m_closeBox->show();
}

void FrameDetailView::showViolations(const ViolationList &violations)
{
    m_violations->clear();
    for (const Violation &violation : violations) {
        auto *item = new QTreeWidgetItem(
            m_violations, {Violations::rfcSection(violation.rule), Violations::id(violation.rule), violation.detail});
        item->setToolTip(2, Violations::describe(violation));
    }
    m_violationBox->setTitle(tr("Protocol violations (%1)").arg(violations.size()));
    m_violationBox->setVisible(!violations.isEmpty());
}

void FrameDetailView::updateActions()
{
    const bool any = m_log != nullptr;
    m_copyText->setEnabled(any);
    m_copyHex->setEnabled(any);
    m_save->setEnabled(any);
}

QByteArray FrameDetailView::currentPayload() const
{
    if (!m_log)
        return {};
    if (m_messageIndex >= 0 && m_sources->currentWidget() == m_messagePane.page)
        return m_wholeMessagePayload ? *m_wholeMessagePayload : m_log->messagePayload(m_messageIndex).toByteArray();
    return m_wholeFramePayload ? *m_wholeFramePayload : m_log->framePayload(m_index).toByteArray();
}

bool FrameDetailView::savePayload(const QString &path, QString *error) const
{
    QSaveFile file(path);
    const QByteArray bytes = currentPayload();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Could not save the payload to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void FrameDetailView::copyPayloadAsText() const
{
    QApplication::clipboard()->setText(QString::fromUtf8(currentPayload()));
}

void FrameDetailView::copyPayloadAsHex() const
{
    QApplication::clipboard()->setText(HexDump::spaced(currentPayload()));
}

void FrameDetailView::savePayloadWithDialog()
{
    if (!m_log)
        return;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save payload"), QStringLiteral("frame-%1.bin").arg(m_index));
    if (path.isEmpty())
        return;
    QString error;
    if (!savePayload(path, &error))
        QMessageBox::warning(this, tr("Save payload"), error);
}

} // namespace wsi
