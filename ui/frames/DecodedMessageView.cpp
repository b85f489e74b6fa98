// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/DecodedMessageView.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "ui/frames/FrameText.h"
#include "ui/widgets/ThemedStyle.h"

#include <QComboBox>
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
    layout->addLayout(formatRow);
    layout->addWidget(m_tree, 1);

    connect(m_goToPaired, &QPushButton::clicked, this, [this] {
        if (m_paired >= 0)
            Q_EMIT messageRequested(m_paired);
    });
    connect(m_binaryFormat, &QComboBox::currentIndexChanged, this, &DecodedMessageView::showBinaryView);
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
        m_binaryFormat->setCurrentIndex(std::max(first, 0));
        showBinaryView(m_binaryFormat->currentIndex());
    }
    m_tree->resizeColumnToContents(0);
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
