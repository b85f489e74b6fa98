// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "ui/frames/FrameFilter.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QDateTime>
#include <QThreadPool>
#include <QTimer>

#include <array>
#include <atomic>
#include <memory>
#include <vector>

namespace wsi {

class DecodedMessageIndex;
class FrameLog;
class ProtocolDecoding;
struct FrameRecord;

// The frames of one session as table rows, for logs of millions of frames.
//
// Rows follow the FrameLog: refresh() (connected to Session::framesAppended) inserts the new frames with one
// beginInsertRows, at most maxRowsPerRefresh at a time: a burst of millions is taken in over several event-loop
// turns, because Qt's item views spend about 20 ns per inserted row (QHeaderView keeps an entry per row), so a
// single insertion of a million rows would hold the GUI thread for over 20 ms on top of the repaint. Display strings
// are built in data() when a row is shown and kept in a small cache keyed by frame index; records are immutable, so
// entries never go stale.
//
// Filtering lives here, as a list of visible frame indices (no proxy over a million rows). Without a filter rows
// are frames. A filter that reads payloads (text, regex) is applied by a scan on a worker thread, in chunks; the
// result lands through a queued call, and a newer filter makes an older scan stop and its result be dropped.
// Until the result lands the table keeps showing the previous filter's rows.
class FrameTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameTableModel)

public:
    // What each column shows is one row of the column table in FrameTableModel.cpp. WallClock (the local time of
    // day) is hidden unless the user asks for it (View menu).
    // Protocol (what the application protocol makes of a message) is hidden until the connection's protocol is
    // known (protocolRecognised()).
    enum Column { Index, Time, WallClock, Direction, Opcode, Flags, Length, Protocol, Preview, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        FrameIndexRole = Qt::UserRole, // qsizetype: index in the FrameLog
        DirectionRole,                 // int: wsi::Direction
        OpcodeRole,                    // int: raw opcode
        IsControlRole,                 // bool
        HasViolationsRole,             // bool
        TimeNsRole,                    // qint64: ns since the session started
        MessageIndexRole,              // qsizetype: the message the frame ends, or -1
    };
    Q_ENUM(Role)

    static constexpr int cachedRows = 4096;

    FrameTableModel(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt, QObject *parent = nullptr);
    ~FrameTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The column's widest usual content, which a view sizes it to; empty for the last one, which takes the rest.
    static QString widthSample(int column);

    const FrameLog &frameLog() const noexcept { return *m_log; }
    // Frames the table has taken in (rows when no filter is set): "N of M shown".
    qsizetype knownFrames() const noexcept { return m_frameCount; }
    // Whether every logged frame has been taken in (false while a burst is inserted over several turns).
    bool isCaughtUp() const;
    static constexpr qsizetype maxRowsPerRefresh = 262'144;
    const FrameFilter &filter() const noexcept { return m_pendingFilter; }
    // Whether a filter scan is running (the rows still show the previous filter).
    bool isFiltering() const noexcept { return m_scanning; }

    // The frame shown on `row`, or -1; the row showing `frame`, or -1 when the filter hides it or it is not
    // in the table yet.
    qsizetype frameIndexForRow(int row) const;
    int rowForFrameIndex(qsizetype frame) const;

    // Applies a filter. One that reads no payloads applies at once; one that does is scanned off this thread and
    // filterFinished() says when its rows are in. Either way filterFinished() is emitted once it is in effect.
    void setFilter(const FrameFilter &filter);
    // The connection's handshake facts: the application protocol is recognised and decoded from them on (once).
    void setConnectionFacts(const ConnectionFacts &facts, std::optional<AppProtocol> forced = std::nullopt);
    ProtocolDecoding *protocolDecoding() const noexcept { return m_decoding; }
    // The decoded summaries; null before setConnectionFacts().
    std::shared_ptr<const DecodedMessageIndex> decodedIndex() const;
    // The session is recorded: a payload the log cut is whole in the recording, and the table says so instead of
    // calling it cut.
    void setRecordingAvailable(bool available) { m_recordingAvailable = available; }

public Q_SLOTS:
    // Inserts the frames logged since the last call: up to maxRowsPerRefresh now, the rest in later event-loop
    // turns.
    void refresh();

Q_SIGNALS:
    // A burst taken in over several turns is all in (whether or not its last slice brought visible rows).
    void burstCaughtUp();
    void filterProgress(int percent);
    void filterFinished(qsizetype visibleRows);
    // The application protocol became known (once), and more messages were decoded (its kinds may have grown).
    void protocolRecognised();
    void protocolsDecoded();

private:
    struct RowText {
        std::array<QString, ColumnCount> columns;
    };

    // Takes in the logged frames up to `count` (exclusive) as rows, through the filter when one is set.
    void insertFrames(qsizetype count);
    qsizetype messageFor(qsizetype frame) const;
    QString displayText(qsizetype frame, int column) const;
    QVariant background(const FrameRecord &record) const;
    QVariant foreground(const FrameRecord &record) const;
    // Whether the message decodes with a violation of its application protocol.
    bool breaksItsProtocol(qsizetype message) const;
    QString toolTip(qsizetype frame, int column) const;

    void onDecoded(qsizetype from, qsizetype to);
    // How far the table may take frames in: all that are logged, or with a filter that reads decoded messages only
    // as far as they are decoded.
    qsizetype takeInLimit(const FrameFilter &filter) const;
    void startScan(const FrameFilter &filter, quint64 generation);
    void scanProgressed(quint64 generation, int percent);
    void scanFinished(quint64 generation, std::vector<qint32> visible, qsizetype scannedFrames);
    void applyFilter(const FrameFilter &filter, std::vector<qint32> visible, qsizetype scannedFrames);

    std::shared_ptr<const FrameLog> m_log;
    QDateTime m_startedAt;
    qsizetype m_frameCount = 0; // frames known to the table (rows when unfiltered)
    // The next slice of a burst: a zero-interval timer, not a posted call, which would hold back every timer of
    // the GUI thread until the burst is in (Qt's GLib loop runs timers only once posted events run dry).
    QTimer m_catchUp;
    bool m_inBurst = false; // a refresh left frames for a later turn and they are not all in yet

    FrameFilter m_filter;        // the filter the rows follow
    FrameFilter m_pendingFilter; // the latest one asked for (== m_filter unless a scan is running)
    bool m_filtered = false;     // whether m_visible maps rows to frames
    bool m_recordingAvailable = false;
    std::vector<qint32> m_visible;

    // Scans (FilterScan) read the log on the pool's threads and check the generation between chunks; the model waits
    // for them when it goes, so their queued results never reach a deleted model.
    std::atomic<quint64> m_generation{0};
    bool m_scanning = false;
    qsizetype m_scanDecodedFrames = 0; // frames decoded when the running scan started
    QThreadPool m_pool;

    mutable QCache<qsizetype, RowText> m_cache{cachedRows};
    ProtocolDecoding *m_decoding; // child
    bool m_recognised = false;
};

} // namespace wsi
