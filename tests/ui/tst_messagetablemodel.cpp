// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameLog.h"
#include "ui/frames/FrameFilter.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/MessageTableModel.h"
#include "ui/frames/ProtocolDecoding.h"

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

QString display(const QAbstractItemModel &model, int row, int column)
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
    void protocolColumnNamesEveryMessageOfABatch();
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

// A JSON-RPC batch is one WebSocket message carrying three protocol messages: the Protocol cell (the frame table's
// text) names the first and how many more, its tooltip every one, and the kind and subject filters match the
// message when any of them matches.
void tst_MessageTableModel::protocolColumnNamesEveryMessageOfABatch()
{
    auto log = std::make_shared<FrameLog>();
    const auto add = [&log](const QByteArray &text, Direction direction, qint64 timeNs) {
        const qsizetype frame = appendFrame(*log, 0x1, text, direction, timeNs);
        appendMessage(*log, frame, frame, MessageType::Text, direction, text, quint64(text.size()), false);
    };
    add(R"({"jsonrpc":"2.0","method":"login","params":["ada"],"id":0})", Direction::Outgoing, 1'000'000);
    add(R"([{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1},)"
        R"({"jsonrpc":"2.0","method":"notify_hello","params":[7]},)"
        R"({"jsonrpc":"2.0","method":"get_data","id":"9"}])",
        Direction::Outgoing, 2'000'000);
    add(R"({"jsonrpc":"2.0","result":3,"id":1})", Direction::Incoming, 5'000'000);
    FrameTableModel frames(log, QDateTime::currentDateTimeUtc());
    MessageTableModel messages(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
    messages.setProtocolDecoding(frames.protocolDecoding());
    frames.refresh();
    messages.refresh(frames.knownFrames());
    QCOMPARE(messages.rowCount(), 3);
    QCOMPARE(display(messages, 1, MessageTableModel::Protocol), QString()); // no facts yet: nothing decodes
    QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
    ConnectionFacts facts;
    facts.url = QUrl(QStringLiteral("ws://127.0.0.1:9000/rpc"));
    frames.setConnectionFacts(facts);
    QTRY_COMPARE(display(messages, 1, MessageTableModel::Protocol),
                 QStringLiteral("JSON-RPC request sum id 1 +2 more"));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.constLast().at(0).value<QModelIndex>().column(), int(MessageTableModel::Protocol));
    QCOMPARE(display(messages, 2, MessageTableModel::Protocol),
             display(frames, 2, FrameTableModel::Protocol)); // the same text as the frame table's
    QCOMPARE(messages.data(messages.index(1, MessageTableModel::Protocol), Qt::ToolTipRole).toString(),
             QStringLiteral("JSON-RPC request sum id 1 +2 more\n+ notification notify_hello\n+ request get_data"));
    QCOMPARE(messages.headerData(MessageTableModel::Protocol, Qt::Horizontal).toString(), QStringLiteral("Protocol"));

    const auto shownMessages = [&](const FrameFilter &filter) {
        QSignalSpy finished(&frames, &FrameTableModel::filterFinished);
        frames.setFilter(filter);
        if (finished.isEmpty() && !finished.wait(5000))
            return QList<qsizetype>{-1};
        messages.setFrameFilter([&frames](qsizetype frame) { return frames.rowForFrameIndex(frame) >= 0; });
        QList<qsizetype> shown;
        for (int row = 0; row < messages.rowCount(); ++row)
            shown.append(messages.messageIndexForRow(row));
        return shown;
    };
    FrameFilter hello;
    hello.subject = QStringLiteral("HELLO"); // the batch's second message only
    hello.decoded = frames.decodedIndex();
    QCOMPARE(shownMessages(hello), QList<qsizetype>{1});
    FrameFilter notifications;
    notifications.kind = QStringLiteral("notification");
    notifications.decoded = frames.decodedIndex();
    QCOMPARE(shownMessages(notifications), QList<qsizetype>{1});
    // Kind and subject must hold for the same protocol message: no notification is about "data".
    notifications.subject = QStringLiteral("data");
    QCOMPARE(shownMessages(notifications), QList<qsizetype>{});
    FrameFilter requests;
    requests.kind = QStringLiteral("request");
    requests.subject = QStringLiteral("data");
    requests.decoded = frames.decodedIndex();
    QCOMPARE(shownMessages(requests), QList<qsizetype>{1});
}

QTEST_MAIN(tst_MessageTableModel)
#include "tst_messagetablemodel.moc"
