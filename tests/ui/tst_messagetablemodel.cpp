// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameLog.h"
#include "ui/frames/FrameFilter.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/MessageTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace wsi;

namespace {

qsizetype appendFrame(FrameLog &log, quint8 opcode, const QByteArray &payload, Direction direction, qint64 timeNs,
                      bool fin = true, bool compressed = false)
{
    FrameHeader header;
    header.fin = fin;
    header.rsv1 = compressed;
    header.opcode = opcode;
    header.payloadLength = quint64(payload.size());
    header.headerLength = 2;
    FrameRecord record = FrameRecord::fromHeader(header, timeNs, direction);
    if (compressed)
        record.flags |= FrameRecord::Compressed;
    return log.appendFrame(record, payload);
}

void appendMessage(FrameLog &log, qsizetype first, qsizetype last, MessageType type, Direction direction,
                   const QByteArray &payload, quint64 wireLength, bool compressed)
{
    MessageRecord message;
    message.timeNs = log.frame(last).timeNs;
    message.firstFrame = quint64(first);
    message.lastFrame = quint64(last);
    message.wireLength = wireLength;
    message.length = quint64(payload.size());
    message.frameCount = quint32(last - first + 1);
    message.type = type;
    message.direction = direction;
    message.compressed = compressed;
    log.appendMessage(message, payload);
}

// A text message, a ping, a compressed text message in three fragments, then a binary one.
std::shared_ptr<FrameLog> session()
{
    auto log = std::make_shared<FrameLog>();
    const qsizetype hello = appendFrame(*log, 0x1, "hello", Direction::Outgoing, 1'000'000);
    appendMessage(*log, hello, hello, MessageType::Text, Direction::Outgoing, "hello", 5, false);
    appendFrame(*log, 0x9, "p", Direction::Incoming, 2'000'000);
    const qsizetype first = appendFrame(*log, 0x1, "aaaa", Direction::Incoming, 3'000'000, false, true);
    appendFrame(*log, 0x0, "bbbb", Direction::Incoming, 3'500'000, false);
    const qsizetype last = appendFrame(*log, 0x0, "cc", Direction::Incoming, 4'000'000, true);
    appendMessage(*log, first, last, MessageType::Text, Direction::Incoming,
                  R"({"op":"ticker","price":101.5,"note":"the whole message, inflated"})", 10, true);
    const qsizetype binary = appendFrame(*log, 0x2, QByteArray::fromHex("00ff7e"), Direction::Incoming, 5'000'000);
    appendMessage(*log, binary, binary, MessageType::Binary, Direction::Incoming, QByteArray::fromHex("00ff7e"), 3,
                  false);
    return log;
}

QString display(const MessageTableModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

} // namespace

class tst_MessageTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsReassembledAndInflatedMessages();
    void followsTheFramesTakenIn();
    void followsTheFrameTablesFilter();
};

void tst_MessageTableModel::showsReassembledAndInflatedMessages()
{
    const auto log = session();
    MessageTableModel model(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.refresh(log->frameCount());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.knownMessages(), 3);
    QCOMPARE(display(model, 0, MessageTableModel::Direction), QStringLiteral("↑ out"));
    QCOMPARE(display(model, 0, MessageTableModel::Preview), QStringLiteral("hello"));
    QCOMPARE(display(model, 1, MessageTableModel::Time), QStringLiteral("0.004000"));
    QCOMPARE(display(model, 1, MessageTableModel::Type), QStringLiteral("text"));
    QCOMPARE(display(model, 1, MessageTableModel::Frames), QStringLiteral("3"));
    QCOMPARE(display(model, 1, MessageTableModel::Length), QStringLiteral("10 → 66 B"));
    QCOMPARE(display(model, 1, MessageTableModel::Preview),
             QStringLiteral(R"({"op":"ticker","price":101.5,"note":"the whole message, inflated"})"));
    QCOMPARE(display(model, 2, MessageTableModel::Type), QStringLiteral("binary"));
    QCOMPARE(display(model, 2, MessageTableModel::Preview), QStringLiteral("00 ff 7e"));
    QCOMPARE(model.data(model.index(1, 0), MessageTableModel::LastFrameRole).value<qsizetype>(), 4);
    QCOMPARE(model.data(model.index(1, MessageTableModel::Frames), Qt::ToolTipRole).toString(),
             QStringLiteral("Frames 2 to 4"));
    QCOMPARE(model.headerData(MessageTableModel::Length, Qt::Horizontal).toString(), QStringLiteral("Length"));
}

void tst_MessageTableModel::followsTheFramesTakenIn()
{
    // Only messages whose last frame the frame table has are rows; the rest come with a later refresh, in one batch.
    const auto log = session();
    MessageTableModel model(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.refresh(3);
    QCOMPARE(model.rowCount(), 1);
    model.refresh(6);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.size(), 2);
    model.refresh(6);
    QCOMPARE(inserted.size(), 2);
}

void tst_MessageTableModel::followsTheFrameTablesFilter()
{
    // The frame table's text filter matches a fragmented message's whole text on its last frame; the message table
    // shows the messages whose last frame it shows.
    const auto log = session();
    FrameTableModel frames(log, QDateTime::currentDateTimeUtc());
    MessageTableModel messages(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    messages.refresh(frames.knownFrames());
    FrameFilter filter;
    filter.text = QStringLiteral("INFLATED");
    QSignalSpy finished(&frames, &FrameTableModel::filterFinished);
    frames.setFilter(filter);
    QVERIFY(finished.size() == 1 || finished.wait(5000));
    QCOMPARE(frames.rowCount(), 1);
    QCOMPARE(frames.frameIndexForRow(0), 4);
    messages.setFrameFilter([&frames](qsizetype frame) { return frames.rowForFrameIndex(frame) >= 0; });
    QCOMPARE(messages.rowCount(), 1);
    QCOMPARE(messages.messageIndexForRow(0), 1);
    QCOMPARE(messages.rowForMessageIndex(1), 0);
    QCOMPARE(messages.rowForMessageIndex(0), -1);
    messages.setFrameFilter(nullptr);
    QCOMPARE(messages.rowCount(), 3);
}

QTEST_MAIN(tst_MessageTableModel)
#include "tst_messagetablemodel.moc"
