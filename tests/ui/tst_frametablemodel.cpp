// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/ProtocolDecoding.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace wsi;

namespace {

constexpr quint8 opContinuation = 0x0;
constexpr quint8 opText = 0x1;
constexpr quint8 opBinary = 0x2;
constexpr quint8 opClose = 0x8;
constexpr quint8 opPing = 0x9;
constexpr quint8 opPong = 0xA;

struct Bits {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    bool masked = false;
};

qsizetype append(FrameLog &log, quint8 opcode, const QByteArray &payload, Direction direction = Direction::Incoming,
                 qint64 timeNs = 0, Bits bits = {}, quint16 extraFlags = 0, const ViolationList &violations = {})
{
    FrameHeader header;
    header.fin = bits.fin;
    header.rsv1 = bits.rsv1;
    header.rsv2 = bits.rsv2;
    header.rsv3 = bits.rsv3;
    header.masked = bits.masked;
    header.opcode = opcode;
    header.payloadLength = quint64(payload.size());
    header.lengthEncoding = payload.size() < 126 ? LengthEncoding::Bits7 : LengthEncoding::Bits16;
    header.headerLength = quint8((payload.size() < 126 ? 2 : 4) + (bits.masked ? 4 : 0));
    FrameRecord record = FrameRecord::fromHeader(header, timeNs, direction);
    record.flags |= extraFlags;
    return log.appendFrame(record, payload, violations);
}

// A mix of everything a session logs: text both ways, binary, pings and pongs.
void appendMixed(FrameLog &log, qsizetype count)
{
    for (qsizetype n = 0; n < count; ++n) {
        const qsizetype i = log.frameCount();
        const Direction direction = i % 2 == 0 ? Direction::Incoming : Direction::Outgoing;
        switch (i % 5) {
        case 0:
        case 1:
            append(log, opText, QByteArray("message number ") + QByteArray::number(i), direction, i * 1000);
            break;
        case 2:
            append(log, opBinary, QByteArray::fromHex("00ff10") + QByteArray::number(i), direction, i * 1000);
            break;
        case 3:
            append(log, opPing, QByteArray("p") + QByteArray::number(i), direction, i * 1000);
            break;
        default:
            append(log, opPong, QByteArray("p") + QByteArray::number(i - 1), direction, i * 1000);
            break;
        }
    }
}

// A whole one-frame text message, as a session logs it: the frame, then its message.
void appendMessage(FrameLog &log, const QByteArray &payload, Direction direction, qint64 timeNs)
{
    const qsizetype frame = append(log, opText, payload, direction, timeNs);
    MessageRecord message;
    message.timeNs = timeNs;
    message.firstFrame = message.lastFrame = quint64(frame);
    message.length = message.wireLength = quint64(payload.size());
    message.frameCount = 1;
    message.direction = direction;
    log.appendMessage(message, payload);
}

QString display(const FrameTableModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

// setFilter() either applies at once or after a scan; both end with filterFinished.
qsizetype applyFilter(FrameTableModel &model, const FrameFilter &filter)
{
    QSignalSpy finished(&model, &FrameTableModel::filterFinished);
    model.setFilter(filter);
    if (finished.isEmpty() && !finished.wait(60'000))
        return -1;
    return finished.constLast().at(0).value<qsizetype>();
}

QList<qsizetype> shownFrames(const FrameTableModel &model)
{
    QList<qsizetype> frames;
    for (int row = 0; row < model.rowCount(); ++row)
        frames << model.frameIndexForRow(row);
    return frames;
}

FrameFilter textFilter(const QString &needle)
{
    FrameFilter filter;
    filter.text = needle;
    return filter;
}

} // namespace

class tst_FrameTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesModelTesterWhileAppendingAndFiltering();
    void protocolColumnAndKindFilterFollowDecoding();
    void refreshInsertsAllNewFramesAtOnce();
    void refreshWithFilterInsertsOnce();
    void aBurstIsTakenInSlicesWithoutHoldingBackTimers();
    void displayStrings_data();
    void displayStrings();
    void injectedFramesAreMarked();
    void compressedMessageShowsInflatedLengthAndText();
    void timeIsRelativeWithAbsoluteToolTip();
    void customRoles();
    void coloursFollowTheKindOfFrame();
    void foldsPingPong();
    void filtersByDirectionAndOpcode();
    void filtersByTextAndRegex();
    void filterAppliesToFramesAppendedLater();
    void filterOverAMillionFramesKeepsTheGuiResponsive();
    void newerFilterSupersedesOlder();
    void framesAppendedDuringAScanAreFiltered();
    void mapsRowsAndFrames();
    void cutPayloadsPointToTheRecording();
};

void tst_FrameTableModel::passesModelTesterWhileAppendingAndFiltering()
{
    auto log = std::make_shared<FrameLog>();
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);

    appendMixed(*log, 1000);
    model.refresh();
    QCOMPARE(model.rowCount(), 1000);
    model.refresh(); // nothing new
    QCOMPARE(model.rowCount(), 1000);

    FrameFilter outgoing;
    outgoing.directions = FrameFilter::Directions::Outgoing;
    QCOMPARE(applyFilter(model, outgoing), 500);
    appendMixed(*log, 777);
    model.refresh();
    QCOMPARE(model.rowCount(), 500 + 388);

    QVERIFY(applyFilter(model, textFilter(QStringLiteral("number 1"))) > 0);
    appendMixed(*log, 2000);
    model.refresh();

    FrameFilter regex;
    regex.regex = QRegularExpression(QStringLiteral("^message number \\d+5$"));
    QVERIFY(applyFilter(model, regex) > 0);
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < FrameTableModel::ColumnCount; ++column)
            QVERIFY(!display(model, row, column).isNull() || column == FrameTableModel::Preview ||
                    column == FrameTableModel::Protocol); // no protocol: nothing to say
    }

    QCOMPARE(applyFilter(model, FrameFilter{}), 3777);
    appendMixed(*log, 10);
    model.refresh();
    QCOMPARE(model.rowCount(), 3787);
}

void tst_FrameTableModel::refreshInsertsAllNewFramesAtOnce()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 5);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(model.rowCount(), 5); // frames logged before the model existed

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    appendMixed(*log, 10'000);
    model.refresh();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 5);
    QCOMPARE(inserted.at(0).at(2).toInt(), 10'004);
    QCOMPARE(model.rowCount(), 10'005);
}

// A burst bigger than one slice goes in over several event-loop turns, and the GUI thread's timers keep firing
// meanwhile (a chain of posted calls would hold them back until the whole burst is in).
void tst_FrameTableModel::aBurstIsTakenInSlicesWithoutHoldingBackTimers()
{
    auto log = std::make_shared<FrameLog>();
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    const qsizetype total = 3 * FrameTableModel::maxRowsPerRefresh + 17;
    appendMixed(*log, total);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // In a running event loop, where a chain of posted calls would hold every timer back until the end.
    int ticks = 0;
    int ticksWhenCaughtUp = -1;
    QEventLoop loop;
    QTimer clock; // what the window's elapsed-time clock and reconnect countdown are
    clock.setInterval(0);
    connect(&clock, &QTimer::timeout, this, [&ticks] { ++ticks; });
    connect(&model, &FrameTableModel::burstCaughtUp, this, [&] {
        ticksWhenCaughtUp = ticks;
        loop.quit();
    });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);

    model.refresh();
    QCOMPARE(model.rowCount(), int(FrameTableModel::maxRowsPerRefresh));
    QVERIFY(!model.isCaughtUp());
    clock.start();
    loop.exec();
    QVERIFY(model.isCaughtUp());
    QCOMPARE(model.rowCount(), int(total));
    QCOMPARE(inserted.size(), 4);
    QCOMPARE(inserted.constLast().at(2).toInt(), int(total - 1));
    QVERIFY2(ticksWhenCaughtUp >= 3, qPrintable(QString::number(ticksWhenCaughtUp))); // between every two slices

    // The same with a filter: slices of frames, only the matching ones as rows.
    FrameTableModel filtered(log, QDateTime::currentDateTimeUtc());
    QVERIFY(applyFilter(filtered, textFilter(QStringLiteral("message number 1"))) > 0);
    const qsizetype matchingBefore = filtered.rowCount();
    appendMixed(*log, FrameTableModel::maxRowsPerRefresh + 5);
    QSignalSpy caughtUp(&filtered, &FrameTableModel::burstCaughtUp);
    filtered.refresh();
    QVERIFY(!filtered.isCaughtUp());
    QVERIFY(caughtUp.wait(20000));
    QVERIFY(filtered.isCaughtUp());
    QVERIFY(filtered.rowCount() > matchingBefore);
}

void tst_FrameTableModel::refreshWithFilterInsertsOnce()
{
    auto log = std::make_shared<FrameLog>();
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(applyFilter(model, textFilter(QStringLiteral("NUMBER"))), 0);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    appendMixed(*log, 10'000);
    model.refresh();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 4000); // the two text frames of every five
}

void tst_FrameTableModel::displayStrings_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<bool>("rsv1");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("expected");

    const int opcodeColumn = FrameTableModel::Opcode;
    const int flags = FrameTableModel::Flags;
    const int length = FrameTableModel::Length;
    const int preview = FrameTableModel::Preview;
    const int index = FrameTableModel::Index;
    const int direction = FrameTableModel::Direction;

    QTest::newRow("index") << int(opText) << QByteArray("hi") << true << false << false << index << QStringLiteral("0");
    QTest::newRow("direction in") << int(opText) << QByteArray("hi") << true << false << false << direction
                                  << QStringLiteral("↓ in");
    QTest::newRow("text opcode") << int(opText) << QByteArray("hi") << true << false << false << opcodeColumn
                                 << QStringLiteral("text");
    QTest::newRow("text preview") << int(opText) << QByteArray("hello world") << true << false << false << preview
                                  << QStringLiteral("hello world");
    QTest::newRow("text on one line") << int(opText) << QByteArray("a\nb\r\tc\x01") << true << false << false << preview
                                      << QStringLiteral("a\\nb\\r\\tc\\x01");
    QTest::newRow("long text cut") << int(opText) << QByteArray(150, 'x') << true << false << false << preview
                                   << QString(100, QLatin1Char('x')) + QStringLiteral("…");
    QTest::newRow("unicode text") << int(opText) << QStringLiteral("héllo ✓").toUtf8() << true << false << false
                                  << preview << QStringLiteral("héllo ✓");
    QTest::newRow("binary as hex") << int(opBinary) << QByteArray::fromHex("00ff10ab") << true << false << false
                                   << preview << QStringLiteral("00 ff 10 ab");
    QTest::newRow("long binary cut") << int(opBinary) << QByteArray(50, '\x01') << true << false << false << preview
                                     << QStringLiteral("01 ").repeated(32) + QStringLiteral("01 …");
    QTest::newRow("close with reason") << int(opClose)
                                       << QByteArray("\x03\xe8"
                                                     "bye",
                                                     5)
                                       << true << false << false << preview
                                       << QStringLiteral("1000 Normal Closure: bye");
    QTest::newRow("close without reason") << int(opClose) << QByteArray("\x03\xe9", 2) << true << false << false
                                          << preview << QStringLiteral("1001 Going Away");
    QTest::newRow("close empty") << int(opClose) << QByteArray() << true << false << false << preview
                                 << QStringLiteral("(no status code)");
    QTest::newRow("ping payload") << int(opPing) << QByteArray("keepalive") << true << false << false << preview
                                  << QStringLiteral("keepalive");
    QTest::newRow("ping binary payload") << int(opPing) << QByteArray::fromHex("fffe") << true << false << false
                                         << preview << QStringLiteral("ff fe");
    QTest::newRow("pong opcode") << int(opPong) << QByteArray() << true << false << false << opcodeColumn
                                 << QStringLiteral("pong");
    QTest::newRow("continuation text") << int(opContinuation) << QByteArray("rest") << true << false << false << preview
                                       << QStringLiteral("rest");
    QTest::newRow("reserved opcode") << 0x3 << QByteArray("ab") << true << false << false << opcodeColumn
                                     << QStringLiteral("0x3");
    QTest::newRow("reserved control opcode")
        << 0xB << QByteArray() << true << false << false << opcodeColumn << QStringLiteral("0xB");
    QTest::newRow("reserved opcode payload as hex")
        << 0x3 << QByteArray("ab") << true << false << false << preview << QStringLiteral("61 62");
    QTest::newRow("flags fin") << int(opText) << QByteArray() << true << false << false << flags
                               << QStringLiteral("FIN");
    QTest::newRow("flags fin rsv1 mask") << int(opText) << QByteArray() << true << true << true << flags
                                         << QStringLiteral("FIN RSV1 MASK");
    QTest::newRow("flags none") << int(opText) << QByteArray() << false << false << false << flags
                                << QStringLiteral("–");
    QTest::newRow("length") << int(opBinary) << QByteArray(300, 'x') << true << false << false << length
                            << QStringLiteral("300 B");
}

// A frame the relay wrote itself (a rule's replacement, copy, injection or Close) says so beside its header bits.
void tst_FrameTableModel::injectedFramesAreMarked()
{
    auto log = std::make_shared<FrameLog>();
    Bits bits;
    bits.fin = true;
    bits.masked = true;
    append(*log, opText, "received", Direction::Outgoing, 0, bits);
    append(*log, opText, "written by a rule", Direction::Outgoing, 1000, bits, FrameRecord::Injected);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(display(model, 0, FrameTableModel::Flags), QStringLiteral("FIN MASK"));
    QCOMPARE(display(model, 1, FrameTableModel::Flags), QStringLiteral("FIN MASK injected"));
}

void tst_FrameTableModel::displayStrings()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(bool, fin);
    QFETCH(bool, rsv1);
    QFETCH(bool, masked);
    QFETCH(int, column);
    QFETCH(QString, expected);

    auto log = std::make_shared<FrameLog>();
    Bits bits;
    bits.fin = fin;
    bits.rsv1 = rsv1;
    bits.masked = masked;
    append(*log, quint8(opcode), payload, Direction::Incoming, 0, bits);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(display(model, 0, column), expected);
    QCOMPARE(display(model, 0, column), expected); // the cached string is the same
}

void tst_FrameTableModel::compressedMessageShowsInflatedLengthAndText()
{
    auto log = std::make_shared<FrameLog>();
    Bits compressed;
    compressed.rsv1 = true;
    const QByteArray deflated = QByteArray::fromHex("cb48cdc9c95728cf2fca490100");
    const QByteArray inflated("hello world");
    const qsizetype frame = append(*log, opText, deflated, Direction::Incoming, 0, compressed, FrameRecord::Compressed);
    MessageRecord message;
    message.firstFrame = quint64(frame);
    message.lastFrame = quint64(frame);
    message.wireLength = quint64(deflated.size());
    message.length = quint64(inflated.size());
    message.frameCount = 1;
    message.compressed = true;
    log->appendMessage(message, inflated);

    // A message in two frames: the first shows its deflated bytes, the last the whole message.
    Bits first;
    first.fin = false;
    first.rsv1 = true;
    append(*log, opBinary, deflated.first(6), Direction::Outgoing, 0, first, FrameRecord::Compressed);
    append(*log, opContinuation, deflated.sliced(6), Direction::Outgoing);
    message.firstFrame = 1;
    message.lastFrame = 2;
    message.frameCount = 2;
    message.type = MessageType::Binary;
    message.direction = Direction::Outgoing;
    log->appendMessage(message, inflated);

    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(display(model, 0, FrameTableModel::Length), QStringLiteral("13 → 11 B"));
    QCOMPARE(display(model, 0, FrameTableModel::Preview), QStringLiteral("hello world"));
    QCOMPARE(display(model, 1, FrameTableModel::Length), QStringLiteral("6 B"));
    QCOMPARE(display(model, 1, FrameTableModel::Preview), QStringLiteral("cb 48 cd c9 c9 57"));
    QCOMPARE(display(model, 2, FrameTableModel::Length), QStringLiteral("7 B (message 13 → 11 B)"));
    QCOMPARE(display(model, 2, FrameTableModel::Preview), QStringLiteral("68 65 6c 6c 6f 20 77 6f 72 6c 64"));

    // Text filters see the inflated payload, on each message's last frame.
    QCOMPARE(applyFilter(model, textFilter(QStringLiteral("WORLD"))), 2);
    QCOMPARE(shownFrames(model), (QList<qsizetype>{0, 2}));
}

void tst_FrameTableModel::timeIsRelativeWithAbsoluteToolTip()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, opText, "a", Direction::Incoming, 12'345'678'901);
    append(*log, opText, "b", Direction::Incoming, 5'000);
    const QDateTime start(QDate(2026, 3, 1), QTime(10, 0, 0), Qt::UTC);
    FrameTableModel model(log, start);
    QCOMPARE(display(model, 0, FrameTableModel::Time), QStringLiteral("12.345678"));
    QCOMPARE(display(model, 1, FrameTableModel::Time), QStringLiteral("0.000005"));
    const QString tip = model.data(model.index(0, FrameTableModel::Time), Qt::ToolTipRole).toString();
    QCOMPARE(tip, start.addMSecs(12'345).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    QVERIFY(tip.endsWith(QStringLiteral(":12.345")));
    // The wall-clock column: the local time of day, with the same tooltip.
    QCOMPARE(model.headerData(FrameTableModel::WallClock, Qt::Horizontal).toString(), QStringLiteral("Clock"));
    QCOMPARE(display(model, 0, FrameTableModel::WallClock),
             start.addMSecs(12'345).toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    QCOMPARE(model.data(model.index(0, FrameTableModel::WallClock), Qt::ToolTipRole).toString(), tip);
    FrameTableModel unknownStart(log, QDateTime());
    QCOMPARE(display(unknownStart, 0, FrameTableModel::WallClock), QString());
}

void tst_FrameTableModel::customRoles()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, opText, "a", Direction::Outgoing, 42);
    append(*log, opPing, "p", Direction::Incoming, 43, {}, 0, {{ViolationRule::ControlFrameTooLong, {}}});
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    const QModelIndex out = model.index(0, FrameTableModel::Preview);
    const QModelIndex in = model.index(1, FrameTableModel::Index);
    QCOMPARE(out.data(FrameTableModel::FrameIndexRole).value<qsizetype>(), 0);
    QCOMPARE(in.data(FrameTableModel::FrameIndexRole).value<qsizetype>(), 1);
    QCOMPARE(out.data(FrameTableModel::DirectionRole).toInt(), int(Direction::Outgoing));
    QCOMPARE(in.data(FrameTableModel::DirectionRole).toInt(), int(Direction::Incoming));
    QCOMPARE(out.data(FrameTableModel::OpcodeRole).toInt(), int(opText));
    QCOMPARE(in.data(FrameTableModel::OpcodeRole).toInt(), int(opPing));
    QCOMPARE(out.data(FrameTableModel::IsControlRole).toBool(), false);
    QCOMPARE(in.data(FrameTableModel::IsControlRole).toBool(), true);
    QCOMPARE(out.data(FrameTableModel::HasViolationsRole).toBool(), false);
    QCOMPARE(in.data(FrameTableModel::HasViolationsRole).toBool(), true);
    QCOMPARE(out.data(FrameTableModel::TimeNsRole).value<qint64>(), 42);
    QCOMPARE(display(model, 0, FrameTableModel::Direction), QStringLiteral("↑ out"));
    QVERIFY(in.data(Qt::ToolTipRole).toString().contains(QStringLiteral("control-frame-too-long")));
    QCOMPARE(model.headerData(FrameTableModel::Index, Qt::Horizontal).toString(), QStringLiteral("#"));
}

void tst_FrameTableModel::coloursFollowTheKindOfFrame()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, opText, "plain");
    append(*log, opPing, "p");
    append(*log, opText, "bad", Direction::Incoming, 0, {}, 0, {{ViolationRule::InvalidUtf8, {}}});
    append(*log, opText, "on purpose", Direction::Outgoing, 0, {}, FrameRecord::Deliberate);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    const auto background = [&](int row) { return model.index(row, 0).data(Qt::BackgroundRole); };
    QVERIFY(!background(0).isValid());
    const QColor control = background(1).value<QColor>();
    const QColor violation = background(2).value<QColor>();
    const QColor deliberate = background(3).value<QColor>();
    QVERIFY(control.isValid() && violation.isValid() && deliberate.isValid());
    QVERIFY(control != violation && violation != deliberate && control != deliberate);
    QVERIFY(violation.red() > violation.green()); // red-ish, whatever the theme's base
    QVERIFY(model.index(1, 0).data(Qt::ForegroundRole).value<QColor>().isValid());
}

void tst_FrameTableModel::foldsPingPong()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 100);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    FrameFilter fold;
    fold.foldPingPong = true;
    QCOMPARE(applyFilter(model, fold), 60);
    for (int row = 0; row < model.rowCount(); ++row) {
        const int opcode = model.index(row, 0).data(FrameTableModel::OpcodeRole).toInt();
        QVERIFY(opcode != opPing && opcode != opPong);
    }
    QCOMPARE(applyFilter(model, FrameFilter{}), 100);
}

void tst_FrameTableModel::filtersByDirectionAndOpcode()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 100);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());

    FrameFilter incoming;
    incoming.directions = FrameFilter::Directions::Incoming;
    QCOMPARE(applyFilter(model, incoming), 50);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.frameIndexForRow(row) % 2, 0);

    FrameFilter binaryOnly;
    binaryOnly.opcodes = FrameFilter::opcodeBit(opBinary);
    QCOMPARE(applyFilter(model, binaryOnly), 20);
    QCOMPARE(shownFrames(model).first(3), (QList<qsizetype>{2, 7, 12}));

    FrameFilter outgoingPings;
    outgoingPings.directions = FrameFilter::Directions::Outgoing;
    outgoingPings.opcodes = FrameFilter::opcodeBit(opPing) | FrameFilter::opcodeBit(opPong);
    QCOMPARE(applyFilter(model, outgoingPings), 20);
    QCOMPARE(shownFrames(model).first(3), (QList<qsizetype>{3, 9, 13}));
}

void tst_FrameTableModel::filtersByTextAndRegex()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 100);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());

    // Text frames are those with index % 5 in {0, 1}.
    QCOMPARE(applyFilter(model, textFilter(QStringLiteral("NUMBER 5"))), 5);
    QCOMPARE(shownFrames(model), (QList<qsizetype>{5, 50, 51, 55, 56}));

    FrameFilter regex;
    regex.regex = QRegularExpression(QStringLiteral("^p9\\d$"));
    QCOMPARE(applyFilter(model, regex), 4); // pings 93, 98 and the pongs answering them
    QCOMPARE(shownFrames(model), (QList<qsizetype>{93, 94, 98, 99}));

    FrameFilter both = regex;
    both.foldPingPong = true;
    QCOMPARE(applyFilter(model, both), 0);
}

void tst_FrameTableModel::filterAppliesToFramesAppendedLater()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 10);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);

    FrameFilter filter = textFilter(QStringLiteral("number 1"));
    filter.directions = FrameFilter::Directions::Outgoing;
    QCOMPARE(applyFilter(model, filter), 1); // frame 1
    appendMixed(*log, 10);                   // outgoing text frames 11 and 15 arrive
    model.refresh();
    QCOMPARE(shownFrames(model), (QList<qsizetype>{1, 11, 15}));
    QCOMPARE(model.rowForFrameIndex(11), 1);
    QCOMPARE(model.rowForFrameIndex(10), -1);

    FrameFilter direction;
    direction.directions = FrameFilter::Directions::Incoming;
    QCOMPARE(applyFilter(model, direction), 10);
    append(*log, opText, "in", Direction::Incoming);
    append(*log, opText, "out", Direction::Outgoing);
    model.refresh();
    QCOMPARE(model.rowCount(), 11);
    QCOMPARE(model.frameIndexForRow(10), 20);
}

void tst_FrameTableModel::filterOverAMillionFramesKeepsTheGuiResponsive()
{
    constexpr qsizetype frames = 1'000'000;
    auto log = std::make_shared<FrameLog>();
    const QByteArray filler(120, 'w');
    for (qsizetype i = 0; i < frames; ++i)
        append(*log, opText, filler + QByteArray::number(i), i % 2 ? Direction::Outgoing : Direction::Incoming, i);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(model.rowCount(), frames);

    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start();

    QSignalSpy progress(&model, &FrameTableModel::filterProgress);
    QSignalSpy finished(&model, &FrameTableModel::filterFinished);
    FrameFilter filter;
    filter.text = QStringLiteral("W99999"); // case-insensitive: wwww...99999x
    filter.regex = QRegularExpression(QStringLiteral("w(\\d)\\1{4}\\d?$"));
    QElapsedTimer scan;
    scan.start();
    model.setFilter(filter);
    QVERIFY(model.isFiltering());
    QCOMPARE(model.rowCount(), frames); // the old rows stay until the result lands
    QVERIFY(finished.wait(120'000));
    ticker.stop();
    const qint64 scanMs = scan.elapsed();

    // The text wants "w99999" (frames 99999 and 999990..999999), and the regex five equal digits after the w and
    // at most one more: all of those pass both.
    QList<qsizetype> expected{99999};
    for (qsizetype i = 999990; i < frames; ++i)
        expected << i;
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<qsizetype>(), expected.size());
    QCOMPARE(shownFrames(model), expected);
    QVERIFY(!model.isFiltering());
    QVERIFY(!progress.isEmpty());
    qInfo("timer ticks during the scan: %d in %lld ms, progress reports: %d", ticks, scanMs, int(progress.size()));
    // A GUI thread blocked by the scan would fire its 10 ms timer about once whatever the scan's length; a free one
    // fires it about every 10 ms. Asking for a third of that holds on a loaded machine and on a fast one (where the
    // scan may take only a few ticks).
    const qint64 freeTicks = scanMs / 10;
    QVERIFY2(ticks >= freeTicks / 3,
             qPrintable(QStringLiteral("the GUI thread's timer fired %1 times in %2 ms").arg(ticks).arg(scanMs)));
}

void tst_FrameTableModel::newerFilterSupersedesOlder()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 200'000);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);

    QSignalSpy finished(&model, &FrameTableModel::filterFinished);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFilter(textFilter(QStringLiteral("number")));       // would show 80,000 rows
    model.setFilter(textFilter(QStringLiteral("number 12345"))); // 12345 and 123450..123459 but not the binary
    QVERIFY(finished.wait(60'000));
    QTest::qWait(100); // room for the superseded result, if it were not dropped
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(shownFrames(model), (QList<qsizetype>{12345, 123450, 123451, 123455, 123456}));
    QCOMPARE(model.filter().text, QStringLiteral("number 12345"));

    // A filter that needs no scan also supersedes a running scan.
    model.setFilter(textFilter(QStringLiteral("number")));
    FrameFilter incoming;
    incoming.directions = FrameFilter::Directions::Incoming;
    model.setFilter(incoming);
    QCOMPARE(finished.size(), 2);
    QTest::qWait(300);
    QCOMPARE(finished.size(), 2);
    QCOMPARE(model.rowCount(), 100'000);
}

void tst_FrameTableModel::framesAppendedDuringAScanAreFiltered()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 200'000);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);

    QSignalSpy finished(&model, &FrameTableModel::filterFinished);
    model.setFilter(textFilter(QStringLiteral("number 2000")));
    appendMixed(*log, 100); // frames 200000..200099 while the scan runs
    model.refresh();        // still under the previous (empty) filter until the scan lands
    if (finished.isEmpty())
        QCOMPARE(model.rowCount(), 200'100);
    QVERIFY(finished.size() == 1 || finished.wait(60'000));
    appendMixed(*log, 20); // 200100..200119
    model.refresh();

    QList<qsizetype> expected; // the text frames (index % 5 is 0 or 1) whose number starts with 2000
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        if (i % 5 <= 1 && QByteArray::number(i).startsWith("2000"))
            expected << i;
    }
    QCOMPARE(shownFrames(model), expected);
}

void tst_FrameTableModel::mapsRowsAndFrames()
{
    auto log = std::make_shared<FrameLog>();
    appendMixed(*log, 20);
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QCOMPARE(model.frameIndexForRow(7), 7);
    QCOMPARE(model.rowForFrameIndex(7), 7);
    QCOMPARE(model.frameIndexForRow(20), -1);
    QCOMPARE(model.rowForFrameIndex(20), -1);
    QCOMPARE(model.frameIndexForRow(-1), -1);

    FrameFilter outgoing;
    outgoing.directions = FrameFilter::Directions::Outgoing;
    QCOMPARE(applyFilter(model, outgoing), 10);
    QCOMPARE(model.frameIndexForRow(0), 1);
    QCOMPARE(model.frameIndexForRow(9), 19);
    QCOMPARE(model.frameIndexForRow(10), -1);
    QCOMPARE(model.rowForFrameIndex(7), 3);
    QCOMPARE(model.rowForFrameIndex(8), -1); // hidden
    appendMixed(*log, 2);                    // logged but not refreshed yet
    QCOMPARE(model.rowForFrameIndex(21), -1);
    model.refresh();
    QCOMPARE(model.rowForFrameIndex(21), 10);
}

// A payload the memory budget cut is called cut, unless the session is recorded: then the table says where it is.
void tst_FrameTableModel::cutPayloadsPointToTheRecording()
{
    FrameLog::Budget none;
    none.maxStoredTotal = 0;
    auto log = std::make_shared<FrameLog>(none);
    append(*log, opText, "whole payload", Direction::Incoming, 1000);
    QVERIFY(log->frame(0).has(FrameRecord::PayloadTruncated));
    FrameTableModel model(log, QDateTime::currentDateTimeUtc());
    QVERIFY(model.data(model.index(0, FrameTableModel::Preview), Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("memory budget")));
    FrameTableModel recorded(log, QDateTime::currentDateTimeUtc());
    recorded.setRecordingAvailable(true);
    QVERIFY(recorded.data(recorded.index(0, FrameTableModel::Preview), Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("from the recording")));
    QCOMPARE(display(recorded, 0, FrameTableModel::Preview),
             QStringLiteral("(13 B in the recording: select the frame)"));
}

// Socket.IO as socket.io 4 writes it: the Protocol cells fill as the decoding thread reaches their messages, and a
// kind filter takes frames in only as far as messages are decoded, then the rest as decoding goes on.
void tst_FrameTableModel::protocolColumnAndKindFilterFollowDecoding()
{
    auto log = std::make_shared<FrameLog>();
    FrameTableModel model(log, QDateTime::currentDateTime());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy recognised(&model, &FrameTableModel::protocolRecognised);
    appendMessage(*log, R"(0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000})", Direction::Incoming,
                  1000);
    appendMessage(*log, "40", Direction::Outgoing, 2000);
    append(*log, opPing, "p", Direction::Incoming, 2500);
    appendMessage(*log, R"(421["hello","inspector"])", Direction::Outgoing, 3'000'000);
    appendMessage(*log, R"(431["hi inspector"])", Direction::Incoming, 15'500'000);
    model.refresh();
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(display(model, 3, FrameTableModel::Protocol), QString()); // no handshake facts: nothing decodes
    ConnectionFacts facts;
    facts.url = QUrl(QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"));
    model.setConnectionFacts(facts);
    QVERIFY(recognised.wait(5000) || recognised.size() == 1);
    QTRY_COMPARE(display(model, 4, FrameTableModel::Protocol), QStringLiteral("socket.io ACK 1 (1 arg) · 12.5 ms"));
    QCOMPARE(display(model, 0, FrameTableModel::Protocol), QStringLiteral("socket.io open"));
    QCOMPARE(display(model, 2, FrameTableModel::Protocol), QString()); // a ping ends no message
    QCOMPARE(display(model, 3, FrameTableModel::Protocol), QStringLiteral("socket.io EVENT \"hello\" (1 arg, ack 1)"));
    QVERIFY(model.data(model.index(4, FrameTableModel::Protocol), Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Reply to message #2 (frame #3)")));

    FrameFilter events;
    events.kind = QStringLiteral("EVENT");
    events.decoded = model.decodedIndex();
    QCOMPARE(applyFilter(model, events), 1);
    QCOMPARE(shownFrames(model), QList<qsizetype>{3});
    // New frames wait for their messages' decoding, then come in.
    model.protocolDecoding()->waitUntilIdle();
    for (int i = 0; i < 3 * ProtocolDecoding::sliceMessages; ++i)
        appendMessage(*log, R"(42["price",{"px":1}])", Direction::Incoming, 20'000'000 + i);
    model.refresh();
    QTRY_COMPARE(model.rowCount(), 1 + 3 * ProtocolDecoding::sliceMessages);
    FrameFilter subject;
    subject.subject = QStringLiteral("HEL");
    subject.decoded = model.decodedIndex();
    QCOMPARE(applyFilter(model, subject), 1);
    QCOMPARE(applyFilter(model, FrameFilter{}), log->frameCount());
}

QTEST_MAIN(tst_FrameTableModel)
#include "tst_frametablemodel.moc"
