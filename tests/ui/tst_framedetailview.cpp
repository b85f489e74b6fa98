// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingFormat.h"
#include "core/recordings/RecordingReader.h"
#include "core/recordings/RecordingWriter.h"
#include "ui/frames/FrameDetailView.h"
#include "ui/widgets/HexDump.h"

#include <QClipboard>
#include <QFile>
#include <QFontDatabase>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace wsi;

class tst_FrameDetailView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyView();
    void textFrameShowsHeaderAndText();
    void relayedFrameNamesItsRule();
    void jsonFrameFillsTheTree();
    void binaryFrameOpensOnHex();
    void closeFrameShowsCodeNameAndReason();
    void violationsAreListedWithSections();
    void truncatedPayloadIsNoted();
    void discardedPayloadIsNoted();
    void compressedMessageShowsWireAndInflated();
    void fragmentedMessageIsFoundWithoutIndex();
    void messageIsShownWhole();
    void copyActionsFillTheClipboard();
    void savePayloadWritesTheExactBytes();
    void savePayloadReportsErrors();
    void payloadBeyondTheBudgetIsReadFromTheRecording();
};

namespace {

FrameRecord record(quint8 opcode, quint64 length, Direction direction = Direction::Incoming, bool fin = true)
{
    FrameHeader header;
    header.fin = fin;
    header.opcode = opcode;
    header.payloadLength = length;
    header.lengthEncoding =
        length < 126 ? LengthEncoding::Bits7 : (length < 65536 ? LengthEncoding::Bits16 : LengthEncoding::Bits64);
    header.headerLength = quint8(length < 126 ? 2 : (length < 65536 ? 4 : 10));
    if (direction == Direction::Outgoing) {
        header.masked = true;
        header.maskingKey = {0x12, 0x34, 0xab, 0xcd};
        header.headerLength += 4;
    }
    return FrameRecord::fromHeader(header, 1'500'000'000, direction);
}

qsizetype appendSingleFrameMessage(FrameLog &log, quint8 opcode, const QByteArray &payload,
                                   Direction direction = Direction::Incoming)
{
    const qsizetype index = log.appendFrame(record(opcode, quint64(payload.size()), direction), payload);
    MessageRecord message;
    message.firstFrame = quint64(index);
    message.lastFrame = quint64(index);
    message.wireLength = quint64(payload.size());
    message.length = quint64(payload.size());
    message.frameCount = 1;
    message.type = opcode == 0x2 ? MessageType::Binary : MessageType::Text;
    message.direction = direction;
    message.sharesFramePayload = true;
    log.appendMessage(message, {});
    return index;
}

QString fieldValue(const FrameDetailView &view, const QString &field)
{
    auto *tree = view.findChild<QTreeWidget *>(QStringLiteral("frameHeaderFields"));
    if (!tree)
        return QStringLiteral("<no header tree>");
    const QList<QTreeWidgetItem *> items = tree->findItems(field, Qt::MatchExactly, 0);
    return items.isEmpty() ? QStringLiteral("<no field %1>").arg(field) : items.first()->text(1);
}

template<typename T>
T *child(const QWidget &view, const char *name)
{
    T *widget = view.findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qWarning("missing child %s", name);
    return widget;
}

} // namespace

void tst_FrameDetailView::emptyView()
{
    FrameDetailView view;
    QCOMPARE(view.frameIndex(), -1);
    QVERIFY(view.currentPayload().isEmpty());
    QVERIFY(!child<QWidget>(view, "savePayloadButton")->isEnabled());
    view.setFrame(nullptr, 3);
    QCOMPARE(view.frameIndex(), -1);
}

void tst_FrameDetailView::textFrameShowsHeaderAndText()
{
    auto log = std::make_shared<FrameLog>();
    const QByteArray payload = QByteArrayLiteral("hello, w\xc3\xb6rld");
    const qsizetype index = appendSingleFrameMessage(*log, 0x1, payload, Direction::Outgoing);

    FrameDetailView view;
    view.setFrame(log, index);
    view.show();
    QCOMPARE(view.frameIndex(), index);
    QCOMPARE(view.messageIndex(), 0);
    QVERIFY(fieldValue(view, QStringLiteral("FIN")).startsWith(QStringLiteral("1")));
    QCOMPARE(fieldValue(view, QStringLiteral("RSV1")), QStringLiteral("0"));
    QCOMPARE(fieldValue(view, QStringLiteral("Opcode")), QStringLiteral("text (0x1)"));
    QCOMPARE(fieldValue(view, QStringLiteral("MASK")), QStringLiteral("1"));
    QCOMPARE(fieldValue(view, QStringLiteral("Masking key")), QStringLiteral("12 34 ab cd"));
    QCOMPARE(fieldValue(view, QStringLiteral("Payload length")), QStringLiteral("13 bytes"));
    QVERIFY(fieldValue(view, QStringLiteral("Length encoding")).startsWith(QStringLiteral("7-bit")));
    QCOMPARE(fieldValue(view, QStringLiteral("Header length")), QStringLiteral("6 bytes"));
    QVERIFY(fieldValue(view, QStringLiteral("Direction")).startsWith(QStringLiteral("outgoing")));
    QCOMPARE(fieldValue(view, QStringLiteral("Time")), QStringLiteral("1.500000 s"));
    QCOMPARE(fieldValue(view, QStringLiteral("Compressed")), QStringLiteral("no"));
    QCOMPARE(fieldValue(view, QStringLiteral("Deliberate")), QStringLiteral("no"));
    QCOMPARE(fieldValue(view, QStringLiteral("Rule")), QStringLiteral("<no field Rule>")); // not relayed with rules

    auto *text = child<QPlainTextEdit>(view, "framePayloadText");
    QCOMPARE(text->toPlainText(), QString::fromUtf8(payload));
    QCOMPARE(text->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
    auto *tabs = child<QTabWidget>(view, "framePayloadTabs");
    QCOMPARE(tabs->currentWidget(), text);
    QVERIFY(!tabs->isTabEnabled(1)); // not JSON
    QVERIFY(!child<QLabel>(view, "payloadNote")->isVisible());
    QVERIFY(!child<QGroupBox>(view, "closeBox")->isVisible());
    auto *sources = child<QTabWidget>(view, "payloadSources");
    QVERIFY(!sources->isTabVisible(sources->indexOf(child<QTabWidget>(view, "messagePayloadTabs")->parentWidget())));
    QCOMPARE(view.currentPayload(), payload);

    view.clear();
    QCOMPARE(view.frameIndex(), -1);
    QVERIFY(text->toPlainText().isEmpty());
}

void tst_FrameDetailView::relayedFrameNamesItsRule()
{
    auto log = std::make_shared<FrameLog>();
    const qsizetype redacted = appendSingleFrameMessage(*log, 0x1, QByteArrayLiteral("secret"), Direction::Outgoing);
    const qsizetype plain = appendSingleFrameMessage(*log, 0x1, QByteArrayLiteral("plain"), Direction::Outgoing);
    auto marks = std::make_shared<FrameRuleMarks>(
        QList<FrameRuleMarks::RuleName>{{QStringLiteral("redact"), QStringLiteral("replace")}});
    marks->mark(redacted, redacted, 0);
    FrameDetailView view;
    view.setRuleMarks(marks);
    view.setFrame(log, redacted);
    QCOMPARE(fieldValue(view, QStringLiteral("Rule")), QStringLiteral("redact (replace)"));
    view.setFrame(log, plain);
    QCOMPARE(fieldValue(view, QStringLiteral("Rule")), QStringLiteral("none: no rule acted on it"));
    view.setMessage(log, 0); // a message: its last frame's rule
    QCOMPARE(fieldValue(view, QStringLiteral("Rule")), QStringLiteral("redact (replace)"));
}

void tst_FrameDetailView::jsonFrameFillsTheTree()
{
    auto log = std::make_shared<FrameLog>();
    const qsizetype index = appendSingleFrameMessage(
        *log, 0x1,
        QByteArrayLiteral(R"({"type":"greeting","count":3,"tags":["a","b"],"nested":{"ok":true,"n":null}})"));
    FrameDetailView view;
    view.setFrame(log, index);

    auto *tabs = child<QTabWidget>(view, "framePayloadTabs");
    auto *tree = child<QTreeWidget>(view, "framePayloadJson");
    QVERIFY(tabs->isTabEnabled(tabs->indexOf(tree)));
    QCOMPARE(tabs->currentWidget(), tree);
    QCOMPARE(tree->topLevelItemCount(), 4);
    // Members in the order the message has them, not sorted by name.
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("type"));
    QCOMPARE(tree->topLevelItem(0)->text(1), QStringLiteral("greeting"));
    QCOMPARE(tree->topLevelItem(0)->text(2), QStringLiteral("string"));
    QTreeWidgetItem *count = tree->topLevelItem(1);
    QCOMPARE(count->text(0), QStringLiteral("count"));
    QCOMPARE(count->text(1), QStringLiteral("3"));
    QCOMPARE(count->text(2), QStringLiteral("number"));
    QTreeWidgetItem *tags = tree->topLevelItem(2);
    QCOMPARE(tags->text(1), QStringLiteral("[2]"));
    QCOMPARE(tags->childCount(), 2);
    QCOMPARE(tags->child(1)->text(0), QStringLiteral("[1]"));
    QCOMPARE(tags->child(1)->text(1), QStringLiteral("b"));
    QTreeWidgetItem *nested = tree->topLevelItem(3);
    QCOMPARE(nested->text(0), QStringLiteral("nested"));
    QCOMPARE(nested->text(2), QStringLiteral("object"));
    QCOMPARE(nested->childCount(), 2);
    QCOMPARE(nested->child(0)->text(0), QStringLiteral("ok"));
    QCOMPARE(nested->child(0)->text(1), QStringLiteral("true"));
    QCOMPARE(nested->child(1)->text(0), QStringLiteral("n"));
    QCOMPARE(nested->child(1)->text(1), QStringLiteral("null"));

    // Not JSON after all: the tab is disabled and emptied.
    const qsizetype plain = appendSingleFrameMessage(*log, 0x1, QByteArrayLiteral("{not json"));
    view.setFrame(log, plain);
    QVERIFY(!tabs->isTabEnabled(tabs->indexOf(tree)));
    QCOMPARE(tree->topLevelItemCount(), 0);
}

void tst_FrameDetailView::binaryFrameOpensOnHex()
{
    auto log = std::make_shared<FrameLog>();
    const QByteArray payload = QByteArray::fromHex("000102ff80414243");
    const qsizetype index = appendSingleFrameMessage(*log, 0x2, payload);
    FrameDetailView view;
    view.setFrame(log, index);
    auto *tabs = child<QTabWidget>(view, "framePayloadTabs");
    auto *hex = child<QPlainTextEdit>(view, "framePayloadHex");
    QCOMPARE(tabs->currentWidget(), hex);
    QCOMPARE(hex->toPlainText(),
             QStringLiteral("00000000  00 01 02 ff 80 41 42 43                           |.....ABC|\n"));
    QCOMPARE(fieldValue(view, QStringLiteral("Opcode")), QStringLiteral("binary (0x2)"));
    QCOMPARE(fieldValue(view, QStringLiteral("Masking key")), QStringLiteral("none"));
}

void tst_FrameDetailView::closeFrameShowsCodeNameAndReason()
{
    auto log = std::make_shared<FrameLog>();
    const QByteArray payload = QByteArray::fromHex("03f0") + QByteArrayLiteral("not allowed");
    const qsizetype index = log->appendFrame(record(0x8, quint64(payload.size())), payload);
    FrameDetailView view;
    view.setFrame(log, index);
    view.show();
    QVERIFY(child<QGroupBox>(view, "closeBox")->isVisible());
    QCOMPARE(child<QLabel>(view, "closeCode")->text(), QStringLiteral("1008"));
    QCOMPARE(child<QLabel>(view, "closeName")->text(), QStringLiteral("Policy Violation"));
    QVERIFY(child<QLabel>(view, "closeReason")->text().contains(QStringLiteral("not allowed")));
    QCOMPARE(view.messageIndex(), -1);

    const qsizetype empty = log->appendFrame(record(0x8, 0), {});
    view.setFrame(log, empty);
    QCOMPARE(child<QLabel>(view, "closeCode")->text(), QStringLiteral("no status code"));
    QCOMPARE(child<QLabel>(view, "closeName")->text(), QStringLiteral("No Status Received"));

    const qsizetype ping = log->appendFrame(record(0x9, 0), {});
    view.setFrame(log, ping);
    QVERIFY(!child<QGroupBox>(view, "closeBox")->isVisible());
}

void tst_FrameDetailView::violationsAreListedWithSections()
{
    auto log = std::make_shared<FrameLog>();
    const ViolationList violations{
        {ViolationRule::UnknownOpcode, QStringLiteral("opcode 0x3 is reserved")},
        {ViolationRule::MaskedFrameFromServer, QStringLiteral("the server masked a frame")},
    };
    const qsizetype index = log->appendFrame(record(0x3, 2), QByteArrayLiteral("??"), violations);
    const qsizetype clean = log->appendFrame(record(0x9, 0), {});
    FrameDetailView view;
    view.show();
    view.setFrame(log, index);
    auto *list = child<QTreeWidget>(view, "violationList");
    QVERIFY(list->isVisible());
    QCOMPARE(list->topLevelItemCount(), 2);
    QCOMPARE(list->topLevelItem(0)->text(0), Violations::rfcSection(ViolationRule::UnknownOpcode));
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("RFC 6455 §5.2"));
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("unknown-opcode"));
    QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("opcode 0x3 is reserved"));
    QCOMPARE(list->topLevelItem(1)->text(0), QStringLiteral("RFC 6455 §5.1"));
    QCOMPARE(fieldValue(view, QStringLiteral("Opcode")), QStringLiteral("reserved-0x3 (0x3)"));

    view.setFrame(log, clean);
    QCOMPARE(list->topLevelItemCount(), 0);
    QVERIFY(!list->isVisible());
}

void tst_FrameDetailView::truncatedPayloadIsNoted()
{
    FrameLog::Budget budget;
    budget.maxStoredPerFrame = 100;
    auto log = std::make_shared<FrameLog>(budget);
    const QByteArray payload(300, 'x');
    const qsizetype index = log->appendFrame(record(0x1, 300), payload);
    FrameDetailView view;
    view.show();
    view.setFrame(log, index);
    auto *note = child<QLabel>(view, "payloadNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("Only the first 100 of 300 payload bytes kept: memory budget")),
             qPrintable(note->text()));
    QCOMPARE(fieldValue(view, QStringLiteral("Length encoding")), QStringLiteral("16-bit (126 + 2 bytes)"));
    QCOMPARE(fieldValue(view, QStringLiteral("Stored")), QStringLiteral("100 of 300 bytes"));
    QCOMPARE(view.currentPayload(), QByteArray(100, 'x'));
}

void tst_FrameDetailView::discardedPayloadIsNoted()
{
    auto log = std::make_shared<FrameLog>();
    FrameRecord big = record(0x2, 1ull << 33);
    big.flags |= FrameRecord::PayloadDiscarded;
    const qsizetype index = log->appendFrame(big, {});
    FrameDetailView view;
    view.show();
    view.setFrame(log, index);
    auto *note = child<QLabel>(view, "payloadNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("Payload not kept: over the frame limit")), qPrintable(note->text()));
    QCOMPARE(fieldValue(view, QStringLiteral("Length encoding")), QStringLiteral("64-bit (127 + 8 bytes)"));
}

void tst_FrameDetailView::compressedMessageShowsWireAndInflated()
{
    auto log = std::make_shared<FrameLog>();
    // The bytes only need to differ: the view shows what the log holds, it does not inflate.
    const QByteArray wire = QByteArray::fromHex("f248cdc9c90700");
    const QByteArray inflated = QByteArrayLiteral("Hello");
    FrameRecord frame = record(0x1, quint64(wire.size()));
    frame.flags |= FrameRecord::Rsv1 | FrameRecord::Compressed;
    const qsizetype index = log->appendFrame(frame, wire);
    MessageRecord message;
    message.firstFrame = quint64(index);
    message.lastFrame = quint64(index);
    message.wireLength = quint64(wire.size());
    message.length = quint64(inflated.size());
    message.frameCount = 1;
    message.compressed = true;
    log->appendMessage(message, inflated);

    FrameDetailView view;
    view.show();
    view.setFrame(log, index);
    QCOMPARE(view.messageIndex(), 0);
    QCOMPARE(fieldValue(view, QStringLiteral("RSV1")), QStringLiteral("1"));
    QVERIFY(fieldValue(view, QStringLiteral("Compressed")).startsWith(QStringLiteral("yes")));

    auto *sources = child<QTabWidget>(view, "payloadSources");
    auto *messageTabs = child<QTabWidget>(view, "messagePayloadTabs");
    auto *frameTabs = child<QTabWidget>(view, "framePayloadTabs");
    const int messagePage = sources->indexOf(messageTabs->parentWidget());
    const int framePage = sources->indexOf(frameTabs->parentWidget());
    QVERIFY(sources->isTabVisible(messagePage));
    QVERIFY(sources->isTabVisible(framePage));
    QCOMPARE(sources->tabText(messagePage), QStringLiteral("Inflated message"));
    QCOMPARE(sources->tabText(framePage), QStringLiteral("On the wire (compressed)"));
    QCOMPARE(sources->currentIndex(), messagePage);
    QCOMPARE(child<QPlainTextEdit>(view, "messagePayloadText")->toPlainText(), QStringLiteral("Hello"));
    QCOMPARE(child<QPlainTextEdit>(view, "framePayloadHex")->toPlainText(), HexDump::format(wire));
    QCOMPARE(frameTabs->currentWidget(), child<QPlainTextEdit>(view, "framePayloadHex"));

    // The actions follow the shown source.
    QCOMPARE(view.currentPayload(), inflated);
    sources->setCurrentIndex(framePage);
    QCOMPARE(view.currentPayload(), wire);
}

void tst_FrameDetailView::fragmentedMessageIsFoundWithoutIndex()
{
    // Incoming fragments 0, 2, 4 with an outgoing single-frame message (frame 3) completed in between.
    auto log = std::make_shared<FrameLog>();
    log->appendFrame(record(0x1, 3, Direction::Incoming, false), QByteArrayLiteral("abc"));
    log->appendFrame(record(0x9, 0), {});
    log->appendFrame(record(0x0, 3, Direction::Incoming, false), QByteArrayLiteral("def"));
    appendSingleFrameMessage(*log, 0x1, QByteArrayLiteral("out"), Direction::Outgoing);
    log->appendFrame(record(0x0, 3), QByteArrayLiteral("ghi"));
    MessageRecord message;
    message.firstFrame = 0;
    message.lastFrame = 4;
    message.length = 9;
    message.wireLength = 9;
    message.frameCount = 3;
    log->appendMessage(message, QByteArrayLiteral("abcdefghi"));
    // An incoming frame after all messages, not complete yet.
    log->appendFrame(record(0x1, 1, Direction::Incoming, false), QByteArrayLiteral("j"));

    QCOMPARE(log->messageContaining(0), 1);
    QCOMPARE(log->messageContaining(1), -1);
    QCOMPARE(log->messageContaining(2), 1);
    QCOMPARE(log->messageContaining(3), 0);
    QCOMPARE(log->messageContaining(4), 1);
    QCOMPARE(log->messageContaining(5), -1);

    FrameDetailView view;
    view.setFrame(log, 2);
    QCOMPARE(child<QPlainTextEdit>(view, "framePayloadText")->toPlainText(), QStringLiteral("def"));
    QCOMPARE(child<QPlainTextEdit>(view, "messagePayloadText")->toPlainText(), QStringLiteral("abcdefghi"));
    auto *sources = child<QTabWidget>(view, "payloadSources");
    QCOMPARE(sources->tabText(sources->indexOf(child<QTabWidget>(view, "messagePayloadTabs")->parentWidget())),
             QStringLiteral("Whole message (3 frames)"));
    QCOMPARE(fieldValue(view, QStringLiteral("Message")), QStringLiteral("#1 (frames 0 to 4)"));
}

void tst_FrameDetailView::messageIsShownWhole()
{
    // The Messages view's detail: a JSON message in three fragments shows as the whole message, its JSON tree in
    // the written order, with the message's own fields; a single-frame message too.
    auto log = std::make_shared<FrameLog>();
    log->appendFrame(record(0x1, 8, Direction::Incoming, false), QByteArrayLiteral(R"({"op":"t)"));
    log->appendFrame(record(0x0, 8, Direction::Incoming, false), QByteArrayLiteral(R"(ick","a")"));
    log->appendFrame(record(0x0, 3), QByteArrayLiteral(":1}"));
    MessageRecord message;
    message.firstFrame = 0;
    message.lastFrame = 2;
    message.length = 19;
    message.storedLength = 19;
    message.wireLength = 19;
    message.frameCount = 3;
    log->appendMessage(message, QByteArrayLiteral(R"({"op":"tick","a":1})"));
    appendSingleFrameMessage(*log, 0x2, QByteArray::fromHex("00ff"));

    FrameDetailView view;
    view.show();
    view.setMessage(log, 0);
    QCOMPARE(child<QLabel>(view, "frameSummary")->text(),
             QStringLiteral("Message #0: incoming text message, 19 bytes"));
    QCOMPARE(fieldValue(view, QStringLiteral("Frames")), QStringLiteral("3, #0 to #2"));
    auto *sources = child<QTabWidget>(view, "payloadSources");
    const int messagePage = sources->indexOf(child<QTabWidget>(view, "messagePayloadTabs")->parentWidget());
    const int framePage = sources->indexOf(child<QTabWidget>(view, "framePayloadTabs")->parentWidget());
    QCOMPARE(sources->currentIndex(), messagePage);
    QCOMPARE(sources->tabText(messagePage), QStringLiteral("Message"));
    QVERIFY(!sources->isTabVisible(framePage));
    QCOMPARE(child<QPlainTextEdit>(view, "messagePayloadText")->toPlainText(),
             QStringLiteral(R"({"op":"tick","a":1})"));
    auto *tree = child<QTreeWidget>(view, "messagePayloadJson");
    QCOMPARE(tree->topLevelItemCount(), 2);
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("op"));
    QCOMPARE(view.currentPayload(), QByteArrayLiteral(R"({"op":"tick","a":1})"));

    view.setMessage(log, 1);
    QCOMPARE(fieldValue(view, QStringLiteral("Type")), QStringLiteral("binary"));
    QCOMPARE(view.currentPayload(), QByteArray::fromHex("00ff"));
    // Back to a frame: both sources can show again.
    view.setFrame(log, 0);
    QVERIFY(sources->isTabVisible(framePage));
}

void tst_FrameDetailView::copyActionsFillTheClipboard()
{
    auto log = std::make_shared<FrameLog>();
    const qsizetype index = appendSingleFrameMessage(*log, 0x1, QByteArrayLiteral("Hi \xc3\xa9"));
    FrameDetailView view;
    view.setFrame(log, index);
    view.copyPayloadAsText();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Hi \u00e9"));
    view.copyPayloadAsHex();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("48 69 20 c3 a9"));
}

void tst_FrameDetailView::savePayloadWritesTheExactBytes()
{
    auto log = std::make_shared<FrameLog>();
    QByteArray payload;
    for (int i = 0; i < 1000; ++i)
        payload.append(char(i * 7));
    const qsizetype index = appendSingleFrameMessage(*log, 0x2, payload);
    FrameDetailView view;
    view.setFrame(log, index);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("payload.bin"));
    QString error;
    QVERIFY2(view.savePayload(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), payload);
}

void tst_FrameDetailView::savePayloadReportsErrors()
{
    auto log = std::make_shared<FrameLog>();
    const qsizetype index = appendSingleFrameMessage(*log, 0x1, QByteArrayLiteral("x"));
    FrameDetailView view;
    view.setFrame(log, index);
    QTemporaryDir dir;
    QString error;
    QVERIFY(!view.savePayload(dir.filePath(QStringLiteral("missing/dir/payload.bin")), &error));
    QVERIFY(error.contains(QStringLiteral("Could not save")));
}

// A recording keeps every payload; a log read from it with a small budget keeps only part of a large one. The view
// reads the rest back off the GUI thread and then shows, copies and saves it whole: no "payload dropped".
void tst_FrameDetailView::payloadBeyondTheBudgetIsReadFromTheRecording()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.wsirec"));
    QByteArray big(300'000, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char('a' + i % 26);
    {
        FrameLog log;
        FrameHeader h;
        h.fin = true;
        h.opcode = 0x1;
        h.payloadLength = quint64(big.size());
        h.headerLength = 10;
        const qsizetype index = log.appendFrame(FrameRecord::fromHeader(h, 1000, Direction::Incoming), big);
        log.appendMessage(RecordingFormat::singleFrameMessage(log.frame(index), index), big);
        RecordingWriter writer;
        QString error;
        RecordingWriter::LogPosition position;
        QVERIFY2(
            writer.create(path, {QUrl(QStringLiteral("ws://127.0.0.1:1/")), QDateTime::currentDateTimeUtc(), {}, {}},
                          &error) &&
                writer.begin(&error) && writer.writeNewRecords(log, position, nullptr, &error) && writer.commit(&error),
            qPrintable(error));
    }
    QString error;
    FrameLog::Budget small;
    small.maxStoredTotal = 1000;
    small.maxStoredPerFrame = 1000;
    const auto captured = RecordingReader::readFile(path, &error, small);
    QVERIFY2(captured, qPrintable(error));
    QVERIFY(captured->log->frame(0).has(FrameRecord::PayloadTruncated));

    FrameDetailView view;
    view.setRecordingPath(captured->recordingPath);
    view.setFrame(captured->log, 0);
    QVERIFY(view.isReadingRecording());
    QVERIFY(QTest::qWaitFor([&] { return !view.isReadingRecording(); }, 10000));
    QCOMPARE(view.currentPayload(), big);
    const QString note = view.findChild<QLabel *>(QStringLiteral("payloadNote"))->text();
    QVERIFY2(note.contains(QStringLiteral("read from the recording")), qPrintable(note));
    QVERIFY2(!note.contains(QStringLiteral("Reading")), qPrintable(note));

    // Without the recording, the view says what it kept.
    FrameDetailView alone;
    alone.setFrame(captured->log, 0);
    QVERIFY(!alone.isReadingRecording());
    QCOMPARE(alone.currentPayload().size(), 0);
    QVERIFY(alone.findChild<QLabel *>(QStringLiteral("payloadNote"))->text().contains(QStringLiteral("memory budget")));
}

QTEST_MAIN(tst_FrameDetailView)
#include "tst_framedetailview.moc"
