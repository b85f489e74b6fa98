// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FrameTableModel.h"

#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FilterScan.h"
#include "ui/frames/FrameText.h"
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
{
    Q_ASSERT(m_log);
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

// Every column of the table, one row each, in Column order: its header, a sample of its widest usual content
// (the view sizes it to that; the last column takes the rest), its alignment, and its text for a frame. A new
// column is a row here and a name in FrameTableModel::Column.
struct ColumnSpec {
    FrameTableModel::Column column;
    const char *header;
    const char *widthSample;
    Qt::Alignment alignment;
    // `startedAt`: the wall time of the log's time 0.
    QString (*text)(const FrameLog &log, qsizetype frame, qsizetype message, const QDateTime &startedAt);
};

constexpr Qt::Alignment numeric = Qt::AlignRight | Qt::AlignVCenter;
constexpr Qt::Alignment plain = Qt::AlignLeft | Qt::AlignVCenter;

const ColumnSpec columnSpecs[] = {
    {FrameTableModel::Index, QT_TRANSLATE_NOOP("FrameTableModel", "#"), "1000000", numeric,
     [](const FrameLog &, qsizetype frame, qsizetype, const QDateTime &) { return QString::number(frame); }},
    {FrameTableModel::Time, QT_TRANSLATE_NOOP("FrameTableModel", "Time (s)"), "00000.000000", numeric,
     [](const FrameLog &log, qsizetype frame, qsizetype, const QDateTime &) {
         return FrameText::relativeSeconds(log.frame(frame).timeNs);
     }},
    {FrameTableModel::WallClock, QT_TRANSLATE_NOOP("FrameTableModel", "Clock"), "00:00:00.000", numeric,
     [](const FrameLog &log, qsizetype frame, qsizetype, const QDateTime &startedAt) {
         return FrameText::wallClock(startedAt, log.frame(frame).timeNs);
     }},
    {FrameTableModel::Direction, QT_TRANSLATE_NOOP("FrameTableModel", "Dir"), "↓ out", plain,
     [](const FrameLog &log, qsizetype frame, qsizetype, const QDateTime &) {
         return FrameText::direction(log.frame(frame));
     }},
    {FrameTableModel::Opcode, QT_TRANSLATE_NOOP("FrameTableModel", "Opcode"), "continuation", plain,
     [](const FrameLog &log, qsizetype frame, qsizetype, const QDateTime &) {
         return FrameText::opcode(log.frame(frame).opcode);
     }},
    {FrameTableModel::Flags, QT_TRANSLATE_NOOP("FrameTableModel", "Flags"), "FIN RSV1 MASK", plain,
     [](const FrameLog &log, qsizetype frame, qsizetype, const QDateTime &) {
         return FrameText::flags(log.frame(frame));
     }},
    {FrameTableModel::Length, QT_TRANSLATE_NOOP("FrameTableModel", "Length"), "1048576 B", numeric,
     [](const FrameLog &log, qsizetype frame, qsizetype message, const QDateTime &) {
         return FrameText::length(log, frame, message);
     }},
    {FrameTableModel::Preview, QT_TRANSLATE_NOOP("FrameTableModel", "Preview"), "", plain,
     [](const FrameLog &log, qsizetype frame, qsizetype message, const QDateTime &) {
         return FrameText::preview(log, frame, message);
     }},
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
    for (const ColumnSpec &spec : columnSpecs)
        text->columns[spec.column] = spec.text(*m_log, frame, message, m_startedAt);
    if (m_recordingAvailable && text->columns[Preview].isEmpty() && record.has(FrameRecord::PayloadTruncated))
        text->columns[Preview] = tr("(%1 B in the recording: select the frame)").arg(record.payloadLength);
    const QString shown = text->columns[size_t(column)];
    // A message is logged just after its last frame: until it is, a data frame with FIN may still gain an
    // inflated size and preview, so its strings are not kept yet.
    const bool mayChange = message < 0 && record.has(FrameRecord::Fin) && !Opcodes::isControl(record.opcode);
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

bool FrameTableModel::isCaughtUp() const
{
    return m_frameCount >= m_log->frameCount();
}

void FrameTableModel::refresh()
{
    const qsizetype available = m_log->frameCount();
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
    if (!filter.readsPayloads()) {
        // Header fields only: a pass over the records, a few milliseconds even for a million frames.
        std::vector<qint32> visible;
        for (qsizetype i = 0; i < m_frameCount; ++i) {
            if (filter.matches(*m_log, i, -1))
                visible.push_back(qint32(i));
        }
        applyFilter(filter, std::move(visible), m_frameCount);
        return;
    }
    startScan(filter, generation);
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
