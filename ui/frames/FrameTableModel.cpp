// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FrameTableModel.h"

#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FilterScan.h"
#include "ui/frames/FrameText.h"
#include "ui/frames/ProtocolDecoding.h"
#include "ui/widgets/Theme.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace wsi {

FrameTableModel::FrameTableModel(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt, QObject *parent)
    : QAbstractTableModel(parent)
    , m_log(std::move(log))
    , m_startedAt(startedAt)
    , m_decoding(new ProtocolDecoding(m_log, this))
{
    Q_ASSERT(m_log);
    connect(m_decoding, &ProtocolDecoding::advanced, this, &FrameTableModel::onDecoded);
    m_pool.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 8)); // payload scans use every core
    m_pool.setObjectName(QStringLiteral("wsi-frame-filter"));
    m_frameCount = m_log->frameCount();
    m_catchUp.setSingleShot(true);
    m_catchUp.setInterval(0);
    connect(&m_catchUp, &QTimer::timeout, this, &FrameTableModel::refresh);
}

FrameTableModel::~FrameTableModel()
{
    m_generation.fetch_add(1, std::memory_order_relaxed); // stops a running scan at its next chunk
    m_pool.waitForDone();
}

int FrameTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_filtered ? qsizetype(m_visible.size()) : m_frameCount);
}

int FrameTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qsizetype FrameTableModel::frameIndexForRow(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    return m_filtered ? qsizetype(m_visible[size_t(row)]) : qsizetype(row);
}

int FrameTableModel::rowForFrameIndex(qsizetype frame) const
{
    if (frame < 0 || frame >= m_frameCount)
        return -1;
    if (!m_filtered)
        return int(frame);
    const auto it = std::lower_bound(m_visible.cbegin(), m_visible.cend(), qint32(frame));
    if (it == m_visible.cend() || *it != frame)
        return -1;
    return int(it - m_visible.cbegin());
}

qsizetype FrameTableModel::messageFor(qsizetype frame) const
{
    return FrameText::messageEndingAt(*m_log, frame);
}

namespace {

// What a column's text is made from: the frame, the message it ends (or -1), the wall time of the log's time 0, and
// the decoded summaries (null before the handshake is known).
struct ColumnInput {
    const FrameLog &log;
    qsizetype frame;
    qsizetype message;
    const QDateTime &startedAt;
    const DecodedMessageIndex *decoded;
};

// Every column of the table, one row each, in Column order: its header, a sample of its widest usual content
// (the view sizes it to that; the last column takes the rest), its alignment, and its text for a frame. A new
// column is a row here and a name in FrameTableModel::Column.
struct ColumnSpec {
    FrameTableModel::Column column;
    const char *header;
    const char *widthSample;
    Qt::Alignment alignment;
    QString (*text)(const ColumnInput &row);
};

constexpr Qt::Alignment numeric = Qt::AlignRight | Qt::AlignVCenter;
constexpr Qt::Alignment plain = Qt::AlignLeft | Qt::AlignVCenter;

const ColumnSpec columnSpecs[] = {
    {FrameTableModel::Index, QT_TRANSLATE_NOOP("FrameTableModel", "#"), "1000000", numeric,
     [](const ColumnInput &row) { return QString::number(row.frame); }},
    {FrameTableModel::Time, QT_TRANSLATE_NOOP("FrameTableModel", "Time (s)"), "00000.000000", numeric,
     [](const ColumnInput &row) { return FrameText::relativeSeconds(row.log.frame(row.frame).timeNs); }},
    {FrameTableModel::WallClock, QT_TRANSLATE_NOOP("FrameTableModel", "Clock"), "00:00:00.000", numeric,
     [](const ColumnInput &row) { return FrameText::wallClock(row.startedAt, row.log.frame(row.frame).timeNs); }},
    {FrameTableModel::Direction, QT_TRANSLATE_NOOP("FrameTableModel", "Dir"), "↓ out", plain,
     [](const ColumnInput &row) { return FrameText::direction(row.log.frame(row.frame)); }},
    {FrameTableModel::Opcode, QT_TRANSLATE_NOOP("FrameTableModel", "Opcode"), "continuation", plain,
     [](const ColumnInput &row) { return FrameText::opcode(row.log.frame(row.frame).opcode); }},
    {FrameTableModel::Flags, QT_TRANSLATE_NOOP("FrameTableModel", "Flags"), "FIN MASK injected", plain,
     [](const ColumnInput &row) { return FrameText::flags(row.log.frame(row.frame)); }},
    {FrameTableModel::Length, QT_TRANSLATE_NOOP("FrameTableModel", "Length"), "1048576 B", numeric,
     [](const ColumnInput &row) { return FrameText::length(row.log, row.frame, row.message); }},
    {FrameTableModel::Protocol, QT_TRANSLATE_NOOP("FrameTableModel", "Protocol"),
     "socket.io EVENT \"subscribe\" (1 arg, ack 12) · 41.3 ms", plain,
     [](const ColumnInput &row) { return FrameText::protocol(row.log, row.message, row.decoded); }},
    {FrameTableModel::Preview, QT_TRANSLATE_NOOP("FrameTableModel", "Preview"), "", plain,
     [](const ColumnInput &row) { return FrameText::preview(row.log, row.frame, row.message); }},
};
static_assert(std::size(columnSpecs) == FrameTableModel::ColumnCount, "one row per column");

const ColumnSpec &specOf(int column)
{
    Q_ASSERT(column >= 0 && column < FrameTableModel::ColumnCount && columnSpecs[column].column == column);
    return columnSpecs[column];
}

} // namespace

QString FrameTableModel::widthSample(int column)
{
    return QString::fromUtf8(specOf(column).widthSample);
}

QString FrameTableModel::displayText(qsizetype frame, int column) const
{
    if (const RowText *cached = m_cache.object(frame))
        return cached->columns[size_t(column)];
    const FrameRecord &record = m_log->frame(frame);
    const qsizetype message = messageFor(frame);
    auto text = std::make_unique<RowText>();
    const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
    const ColumnInput input{*m_log, frame, message, m_startedAt, decoded.get()};
    for (const ColumnSpec &spec : columnSpecs)
        text->columns[spec.column] = spec.text(input);
    if (m_recordingAvailable && text->columns[Preview].isEmpty() && record.has(FrameRecord::PayloadTruncated))
        text->columns[Preview] = tr("(%1 B in the recording: select the frame)").arg(record.payloadLength);
    const QString shown = text->columns[size_t(column)];
    // A message is logged just after its last frame: until it is, a data frame with FIN may still gain an
    // inflated size and preview, so its strings are not kept yet.
    // Nor is it before its message is decoded.
    const bool mayChange = (message < 0 && record.has(FrameRecord::Fin) && !Opcodes::isControl(record.opcode)) ||
                           (message >= 0 && decoded && message >= decoded->summarisedMessages());
    if (!mayChange)
        m_cache.insert(frame, text.release());
    return shown;
}

QVariant FrameTableModel::background(const FrameRecord &record) const
{
    // The model has no widget: the application's palette is the one its views show. The palette's text stays
    // readable on tints of up to 30% (tst_theme).
    const QPalette palette = QGuiApplication::palette();
    const Theme theme(palette);
    if (record.violationMask != 0)
        return theme.tint(Theme::Color::Failure, QPalette::Base, 0.28);
    if (record.has(FrameRecord::Deliberate))
        return theme.tint(Theme::Color::Warning, QPalette::Base, 0.22);
    if (Opcodes::isControl(record.opcode))
        return Theme::mix(palette.color(QPalette::Base), palette.color(QPalette::Highlight), 0.12);
    return {};
}

bool FrameTableModel::breaksItsProtocol(qsizetype message) const
{
    const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
    return decoded && message >= 0 && message < decoded->summarisedMessages() &&
           decoded->summary(message).has(DecodedMessageIndex::Summary::Violation);
}

QVariant FrameTableModel::foreground(const FrameRecord &record) const
{
    if (Opcodes::isControl(record.opcode) && record.violationMask == 0 && !record.has(FrameRecord::Deliberate)) {
        const QPalette palette = QGuiApplication::palette();
        return Theme::mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.3);
    }
    return {};
}

QString FrameTableModel::toolTip(qsizetype frame, int column) const
{
    const FrameRecord &record = m_log->frame(frame);
    QStringList lines;
    if ((column == Time || column == WallClock) && m_startedAt.isValid())
        lines << m_startedAt.addMSecs(record.timeNs / 1'000'000)
                     .toLocalTime()
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    if (record.has(FrameRecord::Deliberate))
        lines << tr("Sent deliberately with rule-breaking bits");
    if (record.has(FrameRecord::PayloadTruncated) && m_recordingAvailable)
        lines << tr("The first %1 of %2 payload bytes are in memory; the frame detail reads the whole payload from "
                    "the recording")
                     .arg(record.storedLength)
                     .arg(record.payloadLength);
    else if (record.has(FrameRecord::PayloadTruncated))
        lines << tr("Only the first %1 of %2 payload bytes are kept (memory budget)")
                     .arg(record.storedLength)
                     .arg(record.payloadLength);
    const ViolationList violations = m_log->frameViolations(frame);
    for (const Violation &v : violations)
        lines << Violations::describe(v);
    if (column == Protocol) {
        const qsizetype message = messageFor(frame);
        const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
        if (decoded && message >= 0 && message < decoded->summarisedMessages()) {
            const DecodedMessageIndex::Summary &summary = decoded->summary(message);
            if (summary.has(DecodedMessageIndex::Summary::Decoded))
                lines << FrameText::protocol(*m_log, message, decoded.get());
            if (summary.request >= 0)
                lines << tr("Reply to message #%1 (frame #%2): select the frame to go to it")
                             .arg(summary.request)
                             .arg(m_log->message(summary.request).lastFrame);
            else if (summary.has(DecodedMessageIndex::Summary::Request))
                lines << tr("A request: select the frame to see its reply");
            if (summary.has(DecodedMessageIndex::Summary::Violation))
                lines << tr("Breaks the protocol: select the frame for the rule");
        }
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant FrameTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qsizetype frame = frameIndexForRow(index.row());
    if (frame < 0)
        return {};
    const FrameRecord &record = m_log->frame(frame);
    switch (role) {
    case Qt::DisplayRole:
        return displayText(frame, index.column());
    case Qt::ToolTipRole: {
        const QString tip = toolTip(frame, index.column());
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::TextAlignmentRole:
        return QVariant(specOf(index.column()).alignment);
    case Qt::BackgroundRole:
        if (index.column() == Protocol && record.violationMask == 0 && breaksItsProtocol(messageFor(frame)))
            return Theme(QGuiApplication::palette()).tint(Theme::Color::Warning, QPalette::Base, 0.22);
        return background(record);
    case Qt::ForegroundRole:
        return foreground(record);
    case FrameIndexRole:
        return QVariant::fromValue(frame);
    case DirectionRole:
        return int(record.direction());
    case OpcodeRole:
        return int(record.opcode);
    case IsControlRole:
        return Opcodes::isControl(record.opcode);
    case HasViolationsRole:
        return record.violationMask != 0;
    case TimeNsRole:
        return QVariant::fromValue(record.timeNs);
    case MessageIndexRole:
        return QVariant::fromValue(messageFor(frame));
    default:
        return {};
    }
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    return tr(specOf(section).header);
}

void FrameTableModel::setConnectionFacts(const ConnectionFacts &facts, std::optional<AppProtocol> forced)
{
    if (!m_decoding->index())
        m_cache.clear(); // rows kept before decoding started have no Protocol text
    m_decoding->setConnectionFacts(facts, forced);
}

std::shared_ptr<const DecodedMessageIndex> FrameTableModel::decodedIndex() const
{
    return m_decoding->index();
}

void FrameTableModel::onDecoded(qsizetype from, qsizetype to)
{
    const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
    if (!m_recognised && decoded && decoded->recognition()) {
        m_recognised = true;
        Q_EMIT protocolRecognised();
    }
    // One change for the Protocol cells of the rows whose messages were decoded (and whose texts were not kept).
    if (from < to && m_frameCount > 0) {
        const auto firstFrame = qsizetype(m_log->message(from).lastFrame);
        const qsizetype lastFrame = std::min(qsizetype(m_log->message(to - 1).lastFrame), m_frameCount - 1);
        const auto firstRow =
            m_filtered ? qsizetype(std::lower_bound(m_visible.cbegin(), m_visible.cend(), qint32(firstFrame)) -
                                   m_visible.cbegin())
                       : firstFrame;
        const qsizetype lastRow =
            m_filtered ? qsizetype(std::upper_bound(m_visible.cbegin(), m_visible.cend(), qint32(lastFrame)) -
                                   m_visible.cbegin()) -
                             1
                       : lastFrame;
        if (firstRow <= lastRow && firstFrame <= lastFrame)
            Q_EMIT dataChanged(index(int(firstRow), Protocol), index(int(lastRow), Protocol));
    }
    // A filter on decoded messages takes in the frames it had to leave for now.
    if (m_filter.readsDecoded())
        refresh();
    Q_EMIT protocolsDecoded();
}

qsizetype FrameTableModel::takeInLimit(const FrameFilter &filter) const
{
    const qsizetype logged = m_log->frameCount();
    if (!filter.readsDecoded())
        return logged;
    const std::shared_ptr<const DecodedMessageIndex> decoded = decodedIndex();
    return decoded ? std::min(logged, decoded->summarisedFrames(*m_log)) : 0;
}

bool FrameTableModel::isCaughtUp() const
{
    return m_frameCount >= takeInLimit(m_filter);
}

void FrameTableModel::refresh()
{
    m_decoding->follow();
    const qsizetype available = takeInLimit(m_filter);
    if (available <= m_frameCount)
        return;
    const qsizetype count = std::min(available, m_frameCount + maxRowsPerRefresh);
    if (count < available) {
        m_inBurst = true;
        if (!m_catchUp.isActive())
            m_catchUp.start();
    }
    insertFrames(count);
    if (m_inBurst && isCaughtUp()) {
        m_inBurst = false;
        Q_EMIT burstCaughtUp();
    }
}

void FrameTableModel::insertFrames(qsizetype count)
{
    const qsizetype first = m_frameCount;
    if (!m_filtered) {
        beginInsertRows({}, int(first), int(count - 1));
        m_frameCount = count;
        endInsertRows();
        return;
    }
    std::vector<qint32> added;
    for (qsizetype i = first; i < count; ++i) {
        if (m_filter.matches(*m_log, i, messageFor(i)))
            added.push_back(qint32(i));
    }
    if (added.empty()) {
        m_frameCount = count;
        return;
    }
    const auto row = qsizetype(m_visible.size());
    beginInsertRows({}, int(row), int(row + qsizetype(added.size()) - 1));
    m_frameCount = count;
    m_visible.insert(m_visible.end(), added.cbegin(), added.cend());
    endInsertRows();
}

void FrameTableModel::setFilter(const FrameFilter &filter)
{
    const quint64 generation = m_generation.fetch_add(1, std::memory_order_relaxed) + 1;
    m_pendingFilter = filter;
    m_pendingFilter.prepare();
    if (filter.isEmpty()) {
        applyFilter(filter, {}, m_frameCount);
        return;
    }
    if (!filter.readsPayloads() && !filter.readsDecoded()) {
        // Header fields only: a pass over the records, a few milliseconds even for a million frames.
        std::vector<qint32> visible;
        for (qsizetype i = 0; i < m_frameCount; ++i) {
            if (filter.matches(*m_log, i, -1))
                visible.push_back(qint32(i));
        }
        applyFilter(filter, std::move(visible), m_frameCount);
        return;
    }
    // Payloads, or decoded summaries (which take finding each frame's message: 0.2 s for a million frames), are
    // scanned off this thread. Frames past what is decoded when the scan starts are tested again once it lands.
    m_scanDecodedFrames = takeInLimit(m_pendingFilter);
    startScan(m_pendingFilter, generation);
}

void FrameTableModel::startScan(const FrameFilter &filter, quint64 generation)
{
    m_scanning = true;
    FilterScan::Callbacks callbacks;
    callbacks.isStale = [this, generation] { return m_generation.load(std::memory_order_relaxed) != generation; };
    callbacks.progressed = [this, generation](int percent) {
        QMetaObject::invokeMethod(
            this, [this, generation, percent] { scanProgressed(generation, percent); }, Qt::QueuedConnection);
    };
    callbacks.finished = [this, generation](std::vector<qint32> visible, qsizetype scannedFrames) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, visible = std::move(visible), scannedFrames]() mutable {
                scanFinished(generation, std::move(visible), scannedFrames);
            },
            Qt::QueuedConnection);
    };
    FilterScan::start(m_pool, m_log, filter, std::move(callbacks));
}

void FrameTableModel::scanProgressed(quint64 generation, int percent)
{
    if (generation == m_generation.load(std::memory_order_relaxed))
        Q_EMIT filterProgress(percent);
}

void FrameTableModel::scanFinished(quint64 generation, std::vector<qint32> visible, qsizetype scannedFrames)
{
    if (generation != m_generation.load(std::memory_order_relaxed))
        return; // a newer filter was asked for meanwhile
    if (m_pendingFilter.readsDecoded() && scannedFrames > m_scanDecodedFrames) {
        // Frames the scan met before their messages were decoded are tested again (applyFilter()).
        scannedFrames = m_scanDecodedFrames;
        visible.erase(std::lower_bound(visible.begin(), visible.end(), qint32(scannedFrames)), visible.end());
    }
    applyFilter(m_pendingFilter, std::move(visible), scannedFrames);
}

void FrameTableModel::applyFilter(const FrameFilter &filter, std::vector<qint32> visible, qsizetype scannedFrames)
{
    beginResetModel();
    m_filter = filter;
    m_filtered = !filter.isEmpty();
    m_visible = std::move(visible);
    if (!m_filtered)
        m_visible.clear();
    // The scan may have followed the log past what the table had; frames between are tested here, and later
    // ones come with the next refresh().
    m_frameCount = std::max(m_frameCount, scannedFrames);
    if (filter.readsDecoded()) {
        // Rows only as far as messages are decoded: later frames come in as decoding reaches them.
        m_frameCount = std::min(m_frameCount, takeInLimit(filter));
        m_visible.erase(std::lower_bound(m_visible.begin(), m_visible.end(), qint32(m_frameCount)), m_visible.end());
    }
    if (m_filtered) {
        for (qsizetype i = scannedFrames; i < m_frameCount; ++i) {
            if (m_filter.matches(*m_log, i, messageFor(i)))
                m_visible.push_back(qint32(i));
        }
    }
    m_scanning = false;
    endResetModel();
    Q_EMIT filterFinished(rowCount());
}

} // namespace wsi
