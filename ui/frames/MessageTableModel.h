// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QCache>
#include <QDateTime>
#include <QPointer>

#include <array>
#include <functional>
#include <memory>
#include <vector>

namespace wsi {

class DecodedMessageIndex;
class FrameLog;
class ProtocolDecoding;

// The messages of one session as the application sees them (FrameLog's MessageRecords: reassembled from their
// fragments and inflated), one row each, beside the frame table. Rows follow the log as FrameTableModel's do:
// refresh() inserts the messages whose last frame the frame table has taken in, in one batch, and display strings
// are built in data() and cached.
//
// The frame table's filter decides here too: a message is shown when the frame table shows its last frame (whose
// payload filters match against the whole message: FrameText::shownPayload), so one filter row serves both tables
// and no second scan of the payloads runs.
class MessageTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageTableModel)

public:
    // What each column shows is one row of the column table in MessageTableModel.cpp.
    // Protocol (what the application protocol makes of the message, the frame table's text) is hidden by the view
    // until the connection's protocol is known.
    enum Column { Index, Time, Direction, Protocol, Type, Length, Frames, Preview, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        MessageIndexRole = Qt::UserRole, // qsizetype: index in the FrameLog's messages
        LastFrameRole,                   // qsizetype: the frame that completed it
    };
    Q_ENUM(Role)

    // Whether the frame table shows a frame (its filter lets it through).
    using FrameShown = std::function<bool(qsizetype frame)>;

    MessageTableModel(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt, QObject *parent = nullptr);
    ~MessageTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The column's widest usual content, which a view sizes it to; empty for the last one, which takes the rest.
    static QString widthSample(int column);

    // Messages taken in so far (rows when nothing is filtered out): "N of M shown".
    qsizetype knownMessages() const noexcept { return m_messageCount; }
    qsizetype messageIndexForRow(int row) const;
    int rowForMessageIndex(qsizetype message) const;

    // Follows the frame table's filter: null shows every message. Rows are rebuilt at once.
    void setFrameFilter(FrameShown shown);
    // The frame table's decoding (FrameTableModel::protocolDecoding()): the Protocol column's texts, refreshed as
    // messages are decoded.
    void setProtocolDecoding(ProtocolDecoding *decoding);

public Q_SLOTS:
    // Takes in the messages completed by the first `framesKnown` frames (what the frame table has), in one batch.
    void refresh(qsizetype framesKnown);

private:
    struct RowText {
        std::array<QString, ColumnCount> columns;
    };

    QString displayText(qsizetype message, int column) const;
    std::shared_ptr<const DecodedMessageIndex> decodedIndex() const;
    void onDecoded(qsizetype from, qsizetype to);
    QString protocolToolTip(qsizetype message) const;
    bool shows(qsizetype message) const;

    std::shared_ptr<const FrameLog> m_log;
    QDateTime m_startedAt;
    qsizetype m_messageCount = 0;
    qsizetype m_framesKnown = 0;
    FrameShown m_shown;
    QPointer<ProtocolDecoding> m_decoding;
    bool m_filtered = false;
    std::vector<qint32> m_visible; // message indices shown, when filtered
    mutable QCache<qsizetype, RowText> m_cache{4096};
};

} // namespace wsi
