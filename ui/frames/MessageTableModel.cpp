// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/MessageTableModel.h"

#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FrameText.h"
#include "ui/frames/ProtocolDecoding.h"

#include <algorithm>

namespace wsi {
namespace {

// Every column of the table, one row each, in Column order, as FrameTableModel's: header, a sample of its widest
// usual content, alignment, and its text for a message.
struct ColumnSpec {
    MessageTableModel::Column column;
    const char *header;
    const char *widthSample;
    Qt::Alignment alignment;
    QString (*text)(const FrameLog &log, qsizetype message, const DecodedMessageIndex *decoded);
};

constexpr Qt::Alignment numeric = Qt::AlignRight | Qt::AlignVCenter;
constexpr Qt::Alignment plain = Qt::AlignLeft | Qt::AlignVCenter;

// The start of a message on one line: text as text (control characters escaped), binary as hex.
QString preview(const FrameLog &log, qsizetype index, const DecodedMessageIndex *)
{
    const MessageRecord &message = log.message(index);
    QByteArrayView payload = log.messagePayload(index);
    if (payload.isEmpty() && message.length > 0)
        return MessageTableModel::tr("(%1 B not kept in memory: select the message)").arg(message.length);
    payload = payload.first(std::min<qsizetype>(payload.size(), FrameText::previewChars * 4));
    if (message.type == MessageType::Text)
        return FrameText::escapedLine(QString::fromUtf8(payload), FrameText::previewChars);
    return FrameText::hex(payload, FrameText::previewChars);
}

const ColumnSpec columnSpecs[] = {
    {MessageTableModel::Index, QT_TRANSLATE_NOOP("MessageTableModel", "#"), "1000000", numeric,
     [](const FrameLog &, qsizetype message, const DecodedMessageIndex *) { return QString::number(message); }},
    {MessageTableModel::Time, QT_TRANSLATE_NOOP("MessageTableModel", "Time (s)"), "00000.000000", numeric,
     [](const FrameLog &log, qsizetype message, const DecodedMessageIndex *) {
         return FrameText::relativeSeconds(log.message(message).timeNs);
     }},
    {MessageTableModel::Direction, QT_TRANSLATE_NOOP("MessageTableModel", "Dir"), "↓ out", plain,
     [](const FrameLog &log, qsizetype message, const DecodedMessageIndex *) {
         return FrameText::direction(log.frame(qsizetype(log.message(message).lastFrame)));
     }},
    {MessageTableModel::Protocol, QT_TRANSLATE_NOOP("MessageTableModel", "Protocol"),
     "socket.io EVENT \"chat\" (2 args) +2", plain, FrameText::protocol},
    {MessageTableModel::Type, QT_TRANSLATE_NOOP("MessageTableModel", "Type"), "binary", plain,
     [](const FrameLog &log, qsizetype message, const DecodedMessageIndex *) {
         return log.message(message).type == MessageType::Text ? QStringLiteral("text") : QStringLiteral("binary");
     }},
    {MessageTableModel::Length, QT_TRANSLATE_NOOP("MessageTableModel", "Length"), "12345 → 123456 B", numeric,
     [](const FrameLog &log, qsizetype message, const DecodedMessageIndex *) {
         // Compressed: what crossed the wire, then what the application got (as the frame table writes it).
         const MessageRecord &m = log.message(message);
         if (m.compressed)
             return QStringLiteral("%1 → %2 B").arg(m.wireLength).arg(m.length);
         return QStringLiteral("%1 B").arg(m.length);
     }},
    {MessageTableModel::Frames, QT_TRANSLATE_NOOP("MessageTableModel", "Frames"), "10000", numeric,
     [](const FrameLog &log, qsizetype message, const DecodedMessageIndex *) {
         return QString::number(log.message(message).frameCount);
     }},
    {MessageTableModel::Preview, QT_TRANSLATE_NOOP("MessageTableModel", "Preview"), "", plain, preview},
};
static_assert(std::size(columnSpecs) == MessageTableModel::ColumnCount, "one row per column");

const ColumnSpec &specOf(int column)
{
    Q_ASSERT(column >= 0 && column < MessageTableModel::ColumnCount && columnSpecs[column].column == column);
    return columnSpecs[column];
}

} // namespace

MessageTableModel::MessageTableModel(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt, QObject *parent)
    : QAbstractTableModel(parent)
    , m_log(std::move(log))
    , m_startedAt(startedAt)
{
    Q_ASSERT(m_log);
}

MessageTableModel::~MessageTableModel() = default;

int MessageTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_filtered ? qsizetype(m_visible.size()) : m_messageCount);
}

int MessageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MessageTableModel::widthSample(int column)
{
    return QString::fromUtf8(specOf(column).widthSample);
}

qsizetype MessageTableModel::messageIndexForRow(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    return m_filtered ? qsizetype(m_visible[size_t(row)]) : qsizetype(row);
}

int MessageTableModel::rowForMessageIndex(qsizetype message) const
{
    if (message < 0 || message >= m_messageCount)
        return -1;
    if (!m_filtered)
        return int(message);
    const auto it = std::lower_bound(m_visible.cbegin(), m_visible.cend(), qint32(message));
    return it != m_visible.cend() && *it == message ? int(it - m_visible.cbegin()) : -1;
}

bool MessageTableModel::shows(qsizetype message) const
{
    return !m_shown || m_shown(qsizetype(m_log->message(message).lastFrame));
}

QString MessageTableModel::displayText(qsizetype message, int column) const
{
    if (const RowText *cached = m_cache.object(message))
        return cached->columns[size_t(column)];
    auto text = std::make_unique<RowText>();
    const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
    for (const ColumnSpec &spec : columnSpecs)
        text->columns[spec.column] = spec.text(*m_log, message, decoded.get());
    const QString shown = text->columns[size_t(column)];
    // A message is logged complete: its strings never change once its protocol text is known (decoded, or no
    // protocol being decoded).
    if (!decoded || message < decoded->summarisedMessages())
        m_cache.insert(message, text.release());
    return shown;
}

QVariant MessageTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qsizetype message = messageIndexForRow(index.row());
    if (message < 0)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayText(message, index.column());
    case Qt::TextAlignmentRole:
        return QVariant(specOf(index.column()).alignment);
    case Qt::ToolTipRole:
        if (index.column() == Time && m_startedAt.isValid())
            return m_startedAt.addMSecs(m_log->message(message).timeNs / 1'000'000)
                .toLocalTime()
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        if (index.column() == Protocol)
            return protocolToolTip(message);
        if (index.column() == Frames) {
            const MessageRecord &m = m_log->message(message);
            return tr("Frames %1 to %2").arg(m.firstFrame).arg(m.lastFrame);
        }
        return {};
    case MessageIndexRole:
        return QVariant::fromValue(message);
    case LastFrameRole:
        return QVariant::fromValue(qsizetype(m_log->message(message).lastFrame));
    default:
        return {};
    }
}

QVariant MessageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    return tr(specOf(section).header);
}

void MessageTableModel::setProtocolDecoding(ProtocolDecoding *decoding)
{
    if (m_decoding)
        disconnect(m_decoding, nullptr, this, nullptr);
    m_decoding = decoding;
    m_cache.clear();
    if (decoding)
        connect(decoding, &ProtocolDecoding::advanced, this, &MessageTableModel::onDecoded);
}

std::shared_ptr<const DecodedMessageIndex> MessageTableModel::decodedIndex() const
{
    return m_decoding ? m_decoding->index() : nullptr;
}

void MessageTableModel::onDecoded(qsizetype from, qsizetype to)
{
    if (from == 0)
        m_cache.clear(); // rows kept before decoding started have no Protocol text
    to = std::min(to, m_messageCount);
    if (from >= to)
        return;
    const int firstRow =
        m_filtered ? int(std::lower_bound(m_visible.cbegin(), m_visible.cend(), qint32(from)) - m_visible.cbegin())
                   : int(from);
    const int lastRow =
        m_filtered ? int(std::lower_bound(m_visible.cbegin(), m_visible.cend(), qint32(to)) - m_visible.cbegin()) - 1
                   : int(to - 1);
    if (firstRow <= lastRow)
        Q_EMIT dataChanged(index(firstRow, Protocol), index(lastRow, Protocol));
}

QString MessageTableModel::protocolToolTip(qsizetype message) const
{
    const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
    QStringList lines{FrameText::protocol(*m_log, message, decoded.get())};
    if (decoded) {
        // Every protocol message a WebSocket message carries, not only the first the cell names.
        for (const DecodedMessageIndex::Part &part : decoded->parts(message))
            lines.append(
                QStringLiteral("+ %1 %2").arg(decoded->kindText(part.kind), decoded->text(part.subject)).trimmed());
    }
    lines.removeAll(QString());
    return lines.join(QLatin1Char('\n'));
}

void MessageTableModel::refresh(qsizetype framesKnown)
{
    m_framesKnown = std::max(m_framesKnown, framesKnown);
    // Messages are logged in the order of their last frames: those the frame table has are a prefix.
    const qsizetype logged = m_log->messageCount();
    qsizetype count = m_messageCount;
    while (count < logged && qsizetype(m_log->message(count).lastFrame) < m_framesKnown)
        ++count;
    if (count == m_messageCount)
        return;
    const qsizetype first = m_messageCount;
    if (!m_filtered) {
        beginInsertRows({}, int(first), int(count - 1));
        m_messageCount = count;
        endInsertRows();
        return;
    }
    std::vector<qint32> added;
    for (qsizetype i = first; i < count; ++i) {
        if (shows(i))
            added.push_back(qint32(i));
    }
    m_messageCount = count;
    if (added.empty())
        return;
    const auto row = qsizetype(m_visible.size());
    beginInsertRows({}, int(row), int(row + qsizetype(added.size()) - 1));
    m_visible.insert(m_visible.end(), added.cbegin(), added.cend());
    endInsertRows();
}

void MessageTableModel::setFrameFilter(FrameShown shown)
{
    beginResetModel();
    m_shown = std::move(shown);
    m_filtered = m_shown != nullptr;
    m_visible.clear();
    if (m_filtered) {
        for (qsizetype i = 0; i < m_messageCount; ++i) {
            if (shows(i))
                m_visible.push_back(qint32(i));
        }
    }
    endResetModel();
}

} // namespace wsi
