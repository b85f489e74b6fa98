// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/DecodedMessageView.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "ui/frames/FrameText.h"
#include "ui/widgets/ThemedStyle.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wsi {

namespace {

QString typeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    default:
        return QStringLiteral("null");
    }
}

QString shortValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QStringLiteral("{%1}").arg(value.toObject().size());
    case QJsonValue::Array:
        return QStringLiteral("[%1]").arg(value.toArray().size());
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return QStringLiteral("null");
    }
}

// One item per member or element, at most *budget in all (the tree stays proportionate to what a person reads).
void addValue(QTreeWidgetItem *parent, const QString &name, const QJsonValue &value, int *budget)
{
    if (--*budget < 0)
        return;
    auto *item = new QTreeWidgetItem(parent, {name, shortValue(value), typeOf(value)});
    item->setToolTip(1, item->text(1));
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            addValue(item, it.key(), it.value(), budget);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            addValue(item, QStringLiteral("[%1]").arg(i), array.at(i), budget);
    }
}

// The encodings' own names for PayloadView's formats.
QString formatTitle(const QString &format)
{
    if (format == QLatin1StringView("msgpack"))
        return QStringLiteral("MessagePack");
    if (format == QLatin1StringView("cbor"))
        return QStringLiteral("CBOR");
    if (format == QLatin1StringView("protobuf"))
        return QStringLiteral("Protobuf wire");
    if (format.startsWith(ProtobufSchemaView::formatPrefix))
        return format.mid(ProtobufSchemaView::formatPrefix.size());
    return format;
}

} // namespace

DecodedMessageView::DecodedMessageView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_pairing(new QLabel(this))
    , m_goToPaired(new QPushButton(this))
    , m_formatLabel(new QLabel(tr("Read as"), this))
    , m_binaryFormat(new QComboBox(this))
    , m_loadProto(new QPushButton(tr(".proto…"), this))
    , m_protoTypeRow(new QWidget(this))
    , m_protoType(new QComboBox(m_protoTypeRow))
    , m_protoNote(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    m_summary->setObjectName(QStringLiteral("decodedSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pairing->setObjectName(QStringLiteral("pairingNote"));
    m_pairing->setWordWrap(true);
    m_pairing->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_goToPaired->setObjectName(QStringLiteral("goToPairedMessage"));
    m_binaryFormat->setObjectName(QStringLiteral("binaryFormat"));
    // Narrow enough for the side panel at its least: "Protobuf wire (does not read whole)" is elided, not the page.
    m_binaryFormat->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_binaryFormat->setMinimumContentsLength(14);
    m_loadProto->setObjectName(QStringLiteral("loadProto"));
    m_loadProto->setToolTip(tr("Read binary messages as a message type of a .proto file"));
    m_protoType->setObjectName(QStringLiteral("protoMessageType"));
    m_protoType->setToolTip(tr("The message type binary messages are"));
    m_protoType->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_protoType->setMinimumContentsLength(10);
    m_protoTypeRow->hide();
    m_protoNote->setObjectName(QStringLiteral("protoNote"));
    m_protoNote->setWordWrap(true);
    m_protoNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_protoNote->hide();
    m_tree->setObjectName(QStringLiteral("decodedTree"));
    m_tree->setHeaderLabels({tr("Field"), tr("Value"), tr("Type")});
    m_tree->setUniformRowHeights(true);
    // The value takes the room a narrow side panel has; names and types are short.
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    auto *pairingRow = new QHBoxLayout;
    pairingRow->addWidget(m_pairing, 1);
    pairingRow->addWidget(m_goToPaired);
    layout->addLayout(pairingRow);
    auto *formatRow = new QHBoxLayout;
    m_formatLabel->setBuddy(m_binaryFormat);
    formatRow->addWidget(m_formatLabel);
    formatRow->addWidget(m_binaryFormat, 1);
    formatRow->addWidget(m_loadProto);
    layout->addLayout(formatRow);
    // A row of its own: the side panel at its least has no room for two choices and the button on one line.
    auto *typeRow = new QHBoxLayout(m_protoTypeRow);
    typeRow->setContentsMargins(0, 0, 0, 0);
    auto *typeLabel = new QLabel(tr("Type"), m_protoTypeRow);
    typeLabel->setBuddy(m_protoType);
    typeRow->addWidget(typeLabel);
    typeRow->addWidget(m_protoType, 1);
    layout->addWidget(m_protoTypeRow);
    layout->addWidget(m_protoNote);
    layout->addWidget(m_tree, 1);

    connect(m_goToPaired, &QPushButton::clicked, this, [this] {
        if (m_paired >= 0)
            Q_EMIT messageRequested(m_paired);
    });
    connect(m_binaryFormat, &QComboBox::currentIndexChanged, this, &DecodedMessageView::showBinaryView);
    connect(m_loadProto, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Read binary messages with a .proto file"),
                                                          QString(), tr("Protocol Buffers (*.proto);;All files (*)"));
        if (!path.isEmpty())
            Q_EMIT protoFileChosen(path);
    });
    connect(m_protoType, &QComboBox::textActivated, this, &DecodedMessageView::protoMessageTypeChosen);
    clear();
}

void DecodedMessageView::clear()
{
    m_summary->clear();
    m_pairing->clear();
    m_pairing->hide();
    m_goToPaired->hide();
    m_paired = -1;
    m_binaryViews.clear();
    m_binaryFormat->clear();
    m_binaryFormat->hide();
    m_formatLabel->hide();
    m_loadProto->hide();
    // The .proto's type and note belong with the binary readings; they stay set for the next binary message.
    m_protoTypeRow->hide();
    m_protoNote->hide();
    m_tree->clear();
    m_title.clear();
}

void DecodedMessageView::showDecoding()
{
    clear();
    m_summary->setText(tr("Decoding…"));
}

void DecodedMessageView::setContent(const Content &content)
{
    clear();
    m_paired = content.pairedMessage;
    if (!content.messages.isEmpty()) {
        m_title = content.protocolTitle;
        QStringList headlines;
        for (const DecodedMessage &message : content.messages)
            headlines.append(DecodedHeadline::of(message).text);
        QString summary = headlines.join(QLatin1Char('\n'));
        if (!content.recognition.isEmpty())
            summary += QLatin1Char('\n') + tr("Recognised: %1").arg(content.recognition);
        m_summary->setText(summary);
        int budget = maxItems;
        for (const DecodedMessage &message : content.messages) {
            // The headline is said above the tree already.
            auto *top = new QTreeWidgetItem(
                m_tree, {message.kind.isEmpty() ? tr("(no kind)") : message.kind, QString(), QString()});
            for (auto it = message.fields.begin(); it != message.fields.end(); ++it)
                addValue(top, it.key(), it.value(), &budget);
            if (message.violation) {
                auto *violation = new QTreeWidgetItem(top, {tr("violation"), message.violation->describe()});
                violation->setToolTip(1, message.violation->describe());
                new QTreeWidgetItem(violation, {tr("rule"), message.violation->rule});
                new QTreeWidgetItem(violation, {tr("reference"), message.violation->reference});
                new QTreeWidgetItem(violation, {tr("detail"), message.violation->detail});
            }
            if (message.correlation.role != Correlation::Role::None) {
                new QTreeWidgetItem(top, {tr("correlation"), message.correlation.isRequest()
                                                                 ? tr("request %1").arg(message.correlation.key)
                                                                 : tr("reply %1").arg(message.correlation.key)});
            }
            top->setExpanded(true);
        }
        if (budget < 0)
            new QTreeWidgetItem(m_tree, {tr("…"), tr("more fields not shown")});
    }
    if (content.pairedMessage >= 0) {
        m_pairing->setText(content.pairedIsReply ? tr("Answered by message #%1 (frame #%2) after %3")
                                                       .arg(content.pairedMessage)
                                                       .arg(content.pairedFrame)
                                                       .arg(FrameText::latency(content.latencyNs))
                                                 : tr("Answers message #%1 (frame #%2), %3 after it")
                                                       .arg(content.pairedMessage)
                                                       .arg(content.pairedFrame)
                                                       .arg(FrameText::latency(content.latencyNs)));
        m_goToPaired->setText(content.pairedIsReply ? tr("Go to reply") : tr("Go to request"));
        m_pairing->show();
        m_goToPaired->show();
    } else if (content.isRequest) {
        m_pairing->setText(tr("No reply so far"));
        m_pairing->show();
    }
    if (!content.binaryViews.isEmpty()) {
        m_binaryViews = content.binaryViews;
        const QSignalBlocker blocker(m_binaryFormat);
        int first = -1;
        for (qsizetype i = 0; i < m_binaryViews.size(); ++i) {
            const PayloadView &view = m_binaryViews.at(i);
            const QString title = formatTitle(view.format);
            m_binaryFormat->addItem(view.isValid() ? title : tr("%1 (does not read whole)").arg(title));
            if (first < 0 && view.isValid())
                first = int(i);
        }
        m_binaryFormat->show();
        m_formatLabel->show();
        m_loadProto->show();
        m_protoTypeRow->setVisible(m_protoType->count() > 0);
        m_protoNote->setVisible(!m_protoNote->text().isEmpty());
        m_binaryFormat->setCurrentIndex(std::max(first, 0));
        showBinaryView(m_binaryFormat->currentIndex());
    }
    m_tree->resizeColumnToContents(0);
}

void DecodedMessageView::setProtoTypes(const QStringList &types, const QString &current)
{
    const QSignalBlocker blocker(m_protoType);
    m_protoType->clear();
    m_protoType->addItems(types);
    m_protoType->setCurrentText(current);
    m_protoTypeRow->setVisible(!types.isEmpty() && m_loadProto->isVisibleTo(this));
}

void DecodedMessageView::setProtoNote(const QString &note)
{
    m_protoNote->setText(note);
    m_protoNote->setVisible(!note.isEmpty() && m_loadProto->isVisibleTo(this));
}

void DecodedMessageView::showBinaryView(int index)
{
    if (index < 0 || index >= m_binaryViews.size())
        return;
    const PayloadView &view = m_binaryViews.at(index);
    const QString title = formatTitle(view.format);
    m_title = title;
    m_tree->clear();
    int budget = maxItems;
    auto *top = new QTreeWidgetItem(m_tree, {title, shortValue(view.value), typeOf(view.value)});
    if (view.value.isObject()) {
        const QJsonObject object = view.value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            addValue(top, it.key(), it.value(), &budget);
    } else if (view.value.isArray()) {
        const QJsonArray array = view.value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            addValue(top, QStringLiteral("[%1]").arg(i), array.at(i), &budget);
    }
    top->setExpanded(true);
    m_summary->setText(view.isValid() ? tr("A binary message no protocol claims, read as %1.").arg(title)
                                      : tr("Not %1: %2").arg(title, view.violation->describe()));
    m_tree->resizeColumnToContents(0);
}

} // namespace wsi
