// SPDX-License-Identifier: GPL-3.0-or-later
// The window with application protocols: a session with a stock socket.io 4 server (npm socket.io,
// tests/integration/peers/socketio_peer.js) started on 127.0.0.1 shows the Protocol column, filters by protocol,
// kind and event, shows each message's decoded tree, and goes from a request to its reply and back with the
// latency; binary messages no protocol claims, echoed by the built-in echo server, are read as MessagePack, CBOR
// and protobuf, and with a .proto the user loads (payloads from protoc --encode) by field name, in the frame's and
// the message's detail alike. Speaking a protocol from the window: Socket.IO chosen in the connection options against
// the same server (the handshake, then events emitted from the composer with their acks paired), graphql-transport-ws
// against a stock graphql-ws server (tests/integration/peers/graphql_peer.js: connection_init with its payload, a
// subscription with variables from the composer, the server's ping answered), MQTT against a stock aedes broker
// (mqtt_peer.js: CONNECT with the client id given, SUBSCRIBE and a QoS 1 PUBLISH from the composer, acknowledged).
#include "PeerProcess.h"
#include "ProtocEncoder.h"
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/appprotocol/MqttPackets.h"
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/frames/DecodedMessageView.h"
#include "ui/frames/FrameDetailView.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/FrameTableView.h"
#include "ui/frames/MessageTableModel.h"
#include "ui/session/Composer.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/LiveSource.h"
#include "ui/session/ProtocolComposer.h"
#include "ui/session/SessionView.h"
#include "ui/window/MainWindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

using namespace wsi;
using namespace wsi::test;

namespace {

// Each row's Protocol cell, in order.
QStringList protocolColumn(const SessionView *view)
{
    QStringList cells;
    const FrameTableModel *model = view->frameModel();
    for (int row = 0; row < model->rowCount(); ++row)
        cells.append(model->data(model->index(row, FrameTableModel::Protocol)).toString());
    return cells;
}

// The row whose Protocol cell starts with `start`, or -1.
int rowStartingWith(const SessionView *view, const QString &start)
{
    const QStringList cells = protocolColumn(view);
    for (int row = 0; row < cells.size(); ++row) {
        if (cells.at(row).startsWith(start))
            return row;
    }
    return -1;
}

QTreeWidgetItem *child(QTreeWidgetItem *parent, const QString &name)
{
    for (int i = 0; i < parent->childCount(); ++i) {
        if (parent->child(i)->text(0) == name)
            return parent->child(i);
    }
    return nullptr;
}

bool waitForOpen(SessionView *view)
{
    return QTest::qWaitFor(
        [view] {
            const auto *live = qobject_cast<const LiveSource *>(view->source());
            return live && live->session() && live->session()->state() == Session::State::Open;
        },
        10000);
}

void send(SessionView *view, Composer::Format format, const QString &text)
{
    view->composer()->setFormat(format);
    view->composer()->setText(text);
    view->composer()->send();
}

// The window as a user opens it, on a session manager of its own.
struct ShownWindow {
    SessionManager manager;
    MainWindow window{&manager};

    bool show()
    {
        window.show();
        return QTest::qWaitForWindowExposed(&window);
    }
};

// Chooses the protocol in the connection options, fills the fields given (object name, text), and clicks Connect.
void connectFromTheBar(SessionView *view, const QString &url, AppProtocol protocol,
                       const QList<QPair<QString, QString>> &fields = {})
{
    ConnectionBar *bar = view->connectionBar();
    bar->findChild<QLineEdit *>(QStringLiteral("url"))->setText(url);
    auto *choice = bar->findChild<QComboBox *>(QStringLiteral("protocolChoice"));
    choice->setCurrentIndex(choice->findData(int(protocol)));
    for (const auto &[name, text] : fields) {
        if (auto *line = bar->findChild<QLineEdit *>(name))
            line->setText(text);
        else
            bar->findChild<QPlainTextEdit *>(name)->setPlainText(text);
    }
    bar->findChild<QPushButton *>(QStringLiteral("connect"))->click();
}

// The composer in protocol mode, as the user fills it: the target, the extra field, ack, the body; then Send.
void sendFromTheComposer(SessionView *view, const QString &target, const QString &extra, bool ack, const QString &body)
{
    Composer *composer = view->composer();
    auto *format = composer->findChild<QComboBox *>(QStringLiteral("format"));
    format->setCurrentIndex(format->findData(QVariant::fromValue(Composer::Format::Protocol)));
    QVERIFY(composer->protocolComposer()->isVisible());
    auto *targetField = composer->findChild<QLineEdit *>(QStringLiteral("protocolTarget"));
    targetField->clear();
    QTest::keyClicks(targetField, target);
    composer->findChild<QLineEdit *>(QStringLiteral("protocolExtra"))->setText(extra);
    composer->findChild<QCheckBox *>(QStringLiteral("protocolAck"))->setChecked(ack);
    composer->findChild<QPlainTextEdit *>(QStringLiteral("editor"))->setPlainText(body);
    composer->findChild<QPushButton *>(QStringLiteral("send"))->click();
    QVERIFY2(!composer->findChild<QLabel *>(QStringLiteral("error"))->isVisible(),
             qPrintable(composer->findChild<QLabel *>(QStringLiteral("error"))->text()));
}

// The payloads the client sent, in order.
QStringList sentPayloads(const SessionView *view)
{
    QStringList out;
    const FrameLog &log = view->frameModel()->frameLog();
    for (qsizetype frame = 0; frame < log.frameCount(); ++frame) {
        if (log.frame(frame).direction() == Direction::Outgoing)
            out.append(QString::fromUtf8(log.framePayload(frame)));
    }
    return out;
}

// The window with one session on the built-in echo server, for binary messages no protocol claims.
struct EchoWindow {
    EchoServer echo;
    SessionManager manager;
    MainWindow window{&manager};
    SessionView *view = nullptr;

    bool open()
    {
        if (!echo.listen())
            return false;
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        view = window.newSession(echo.url());
        return waitForOpen(view);
    }
};

} // namespace

class tst_ProtocolWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void socketIoSessionIsDecodedFilteredAndPaired();
    void binaryMessagesWithoutAProtocolAreRead();
    void socketIoChosenInTheBarEmitsFromTheComposer();
    void graphqlChosenInTheBarSubscribesFromTheComposer();
    void mqttChosenInTheBarPublishesAtQos1();
    void aChosenProtocolIsShownWhereTheUrlSaysAnother();
    void binaryMessagesReadWithAProtoFile();

private:
    QTemporaryDir m_recordings;
    PeerProcess m_server;
};

void tst_ProtocolWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_protocolwindow"));
    QVERIFY(m_recordings.isValid());
    qputenv("WSI_RECORDING_DIR", m_recordings.path().toLocal8Bit());
    QSettings().remove(QStringLiteral("recording/enabled"));
}

void tst_ProtocolWindow::cleanupTestCase()
{
    m_server.stop();
}

void tst_ProtocolWindow::socketIoSessionIsDecodedFilteredAndPaired()
{
    // Engine.IO pings every 25 s (its default): none comes during the test, and the session stays up.
    QVERIFY2(m_server.startNodeScript(QStringLiteral("socketio_peer.js"), {}, {QStringLiteral("socket.io")}),
             qPrintable(m_server.errorString()));
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SessionView *view = window.newSession(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_server.port())));
    QVERIFY(waitForOpen(view));
    // CONNECT to "/", then "hello" asking for ack 1, which the server answers "hi inspector".
    send(view, Composer::Format::Text, QStringLiteral("40"));
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 4; }, 10000)); // open, 40, 40{sid}, welcome
    send(view, Composer::Format::Text, QStringLiteral("421[\"hello\",\"inspector\"]"));
    QVERIFY(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("socket.io ACK 1")) >= 0; }, 10000));

    // The column and the filters show once the URL told the protocol; each row says what its message is.
    auto *table = view->frameTable();
    QVERIFY(!table->isColumnHidden(FrameTableModel::Protocol));
    const QStringList cells = protocolColumn(view);
    // The server's open packet and our CONNECT cross each other: either may come first.
    QCOMPARE(cells.count(QStringLiteral("socket.io open")), 1);
    QCOMPARE(cells.count(QStringLiteral("socket.io CONNECT")), 2); // ours, and the server's answer
    QVERIFY2(cells.contains(QStringLiteral("socket.io EVENT \"welcome\" (1 arg)")), qPrintable(cells.join(u'|')));
    QVERIFY2(cells.contains(QStringLiteral("socket.io EVENT \"hello\" (1 arg, ack 1)")), qPrintable(cells.join(u'|')));
    const int request = rowStartingWith(view, QStringLiteral("socket.io EVENT \"hello\""));
    const int reply = rowStartingWith(view, QStringLiteral("socket.io ACK 1 (1 arg) · "));
    QVERIFY2(reply > request, qPrintable(cells.join(u'|')));
    const QString replyCell = cells.at(reply);
    QVERIFY2(replyCell.endsWith(QStringLiteral(" ms")) || replyCell.endsWith(QStringLiteral(" µs")),
             qPrintable(replyCell));

    // Filters: the protocol's messages, one kind, an event's name.
    auto *filters = view->findChild<QWidget *>(QStringLiteral("protocolFilters"));
    QVERIFY(filters->isVisible());
    auto *kinds = view->findChild<QComboBox *>(QStringLiteral("protocolFilter"));
    auto *subject = view->findChild<QLineEdit *>(QStringLiteral("subjectFilter"));
    QCOMPARE(view->findChild<QLabel *>(QStringLiteral("protocolName"))->text(), QStringLiteral("socket.io:"));
    QCOMPARE(kinds->itemText(1), QStringLiteral("socket.io messages only"));
    // The kinds seen so far: the ACK's comes with the slice that decoded it.
    QVERIFY(QTest::qWaitFor([&] { return kinds->findData(QStringLiteral("ACK")) > 1; }, 5000));
    const int eventKind = kinds->findData(QStringLiteral("EVENT"));
    QVERIFY(eventKind > 1);
    QVERIFY(kinds->findData(QStringLiteral("open")) > 1);
    // Filters on decoded messages are scanned off the GUI thread: each is in once the scan is done.
    FrameTableModel *model = view->frameModel();
    const auto filtered = [model] { return QTest::qWaitFor([model] { return !model->isFiltering(); }, 5000); };
    kinds->setCurrentIndex(eventKind);
    QVERIFY(filtered());
    QCOMPARE(protocolColumn(view), (QStringList{QStringLiteral("socket.io EVENT \"welcome\" (1 arg)"),
                                                QStringLiteral("socket.io EVENT \"hello\" (1 arg, ack 1)")}));
    QCOMPARE(view->filterStatus(), QStringLiteral("2 of %1 shown").arg(model->knownFrames()));
    QTest::keyClicks(subject, QStringLiteral("HEL"));
    QVERIFY(filtered());
    QCOMPARE(protocolColumn(view), QStringList{QStringLiteral("socket.io EVENT \"hello\" (1 arg, ack 1)")});
    // The message table follows the same filter.
    QCOMPARE(view->messageModel()->rowCount(), 1);
    subject->clear();
    kinds->setCurrentIndex(kinds->findData(QStringLiteral("ACK")));
    QVERIFY(filtered());
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(protocolColumn(view).first().startsWith(QStringLiteral("socket.io ACK 1")));
    kinds->setCurrentIndex(1); // every message is socket.io's here, and no control frame crossed
    QVERIFY(filtered());
    QCOMPARE(model->rowCount(), cells.size());
    kinds->setCurrentIndex(0);
    QVERIFY(filtered());
    QVERIFY(!model->filter().readsDecoded());

    // The request's decoded tree, and its reply with the latency.
    table->selectRow(request);
    FrameDetailView *detail = view->frameDetail();
    QVERIFY(QTest::qWaitFor([&] { return !detail->isDecoding(); }, 5000));
    auto *sources = detail->findChild<QTabWidget *>(QStringLiteral("payloadSources"));
    DecodedMessageView *decoded = detail->decodedView();
    QCOMPARE(sources->currentWidget(), decoded);
    QCOMPARE(sources->tabText(sources->currentIndex()), QStringLiteral("socket.io"));
    auto *tree = decoded->findChild<QTreeWidget *>(QStringLiteral("decodedTree"));
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem *event = tree->topLevelItem(0);
    QCOMPARE(event->text(0), QStringLiteral("EVENT"));
    QCOMPARE(child(event, QStringLiteral("event"))->text(1), QStringLiteral("hello"));
    QCOMPARE(child(event, QStringLiteral("args"))->child(0)->text(1), QStringLiteral("inspector"));
    QCOMPARE(child(event, QStringLiteral("correlation"))->text(1), QStringLiteral("request ack / 1"));
    const qsizetype replyFrame = view->frameModel()->frameIndexForRow(reply);
    const qsizetype requestFrame = view->frameModel()->frameIndexForRow(request);
    auto *pairing = decoded->findChild<QLabel *>(QStringLiteral("pairingNote"));
    QVERIFY2(pairing->text().contains(QStringLiteral("(frame #%1) after ").arg(replyFrame)),
             qPrintable(pairing->text()));
    const QString latency = replyCell.section(QStringLiteral(" · "), 1);
    QVERIFY2(pairing->text().endsWith(latency), qPrintable(pairing->text() + QStringLiteral(" / ") + latency));
    auto *go = decoded->findChild<QPushButton *>(QStringLiteral("goToPairedMessage"));
    QCOMPARE(go->text(), QStringLiteral("Go to reply"));

    // To the reply: its row is selected and shown, and it says which request it answers.
    go->click();
    QVERIFY(QTest::qWaitFor([&] { return detail->frameIndex() == replyFrame && !detail->isDecoding(); }, 5000));
    QCOMPARE(table->selectionModel()->selectedRows().first().row(), reply);
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("ACK"));
    QCOMPARE(child(tree->topLevelItem(0), QStringLiteral("args"))->child(0)->text(1), QStringLiteral("hi inspector"));
    QVERIFY2(pairing->text().startsWith(QStringLiteral("Answers message #")), qPrintable(pairing->text()));
    QVERIFY(pairing->text().contains(QStringLiteral("(frame #%1), %2 after it").arg(requestFrame).arg(latency)));
    QCOMPARE(go->text(), QStringLiteral("Go to request"));
    // And back.
    go->click();
    QVERIFY(QTest::qWaitFor([&] { return detail->frameIndex() == requestFrame && !detail->isDecoding(); }, 5000));
    QCOMPARE(table->selectionModel()->selectedRows().first().row(), request);

    // The Messages view's detail decodes too, and goes to the reply's message.
    view->showMessages(true);
    view->messageTable()->selectRow(view->messageModel()->rowForMessageIndex(
        view->frameModel()
            ->data(view->frameModel()->index(request, 0), FrameTableModel::MessageIndexRole)
            .value<qsizetype>()));
    FrameDetailView *messageDetail = view->messageDetail();
    QVERIFY(QTest::qWaitFor([&] { return !messageDetail->isDecoding(); }, 5000));
    QCOMPARE(messageDetail->decodedView()->pairedMessage(),
             view->frameModel()
                 ->data(view->frameModel()->index(reply, 0), FrameTableModel::MessageIndexRole)
                 .value<qsizetype>());
    messageDetail->decodedView()->findChild<QPushButton *>(QStringLiteral("goToPairedMessage"))->click();
    QVERIFY(QTest::qWaitFor(
        [&] {
            return messageDetail->messageIndex() == messageDetail->decodedView()->pairedMessage() ||
                   messageDetail->frameIndex() == replyFrame;
        },
        5000));
    QCOMPARE(messageDetail->frameIndex(), replyFrame);

    // The session speaks no protocol of its own, but the window recognised socket.io: the composer builds its
    // messages too, numbered by a speaker that follows the connection from then on (its first ack id is 0).
    QCOMPARE(view->composer()->protocol(), std::optional(AppProtocol::SocketIo));
    sendFromTheComposer(view, QStringLiteral("hello"), {}, true, QStringLiteral("[\"follower\"]"));
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("socket.io ACK 0")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));
    QVERIFY(sentPayloads(view).contains(QStringLiteral("420[\"hello\",\"follower\"]")));
}

void tst_ProtocolWindow::binaryMessagesWithoutAProtocolAreRead()
{
    EchoWindow echoWindow;
    QVERIFY(echoWindow.open());
    SessionView *view = echoWindow.view;
    // MessagePack {"a": 1}; CBOR tag 1 (epoch time) 1600000000, which MessagePack never uses (0xc1); protobuf field 1
    // = 150, which neither MessagePack nor CBOR reads whole.
    send(view, Composer::Format::Hex, QStringLiteral("81 a1 61 01"));
    send(view, Composer::Format::Hex, QStringLiteral("c1 1a 5f 5e 10 00"));
    send(view, Composer::Format::Hex, QStringLiteral("08 96 01"));
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 6; }, 10000));
    // Nothing speaks a protocol here: no Protocol column, no protocol filters.
    QVERIFY(view->frameTable()->isColumnHidden(FrameTableModel::Protocol));
    QVERIFY(!view->findChild<QWidget *>(QStringLiteral("protocolFilters"))->isVisible());

    FrameDetailView *detail = view->frameDetail();
    auto *sources = detail->findChild<QTabWidget *>(QStringLiteral("payloadSources"));
    auto *tree = detail->decodedView()->findChild<QTreeWidget *>(QStringLiteral("decodedTree"));
    auto *format = detail->decodedView()->findChild<QComboBox *>(QStringLiteral("binaryFormat"));
    // Each echo, as the server sent it back.
    const auto readAs = [&](const char *hex) {
        const FrameTableModel *model = view->frameModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            const qsizetype frame = model->frameIndexForRow(row);
            if (model->frameLog().frame(frame).direction() == Direction::Incoming &&
                model->frameLog().framePayload(frame) == QByteArray::fromHex(hex)) {
                view->frameTable()->selectRow(row);
                return QTest::qWaitFor([&] { return !detail->isDecoding() && tree->topLevelItemCount() > 0; }, 5000);
            }
        }
        return false;
    };
    QVERIFY(readAs("81a16101"));
    QCOMPARE(sources->currentWidget(), detail->decodedView());
    QCOMPARE(sources->tabText(sources->currentIndex()), QStringLiteral("MessagePack"));
    QCOMPARE(format->currentText(), QStringLiteral("MessagePack"));
    QCOMPARE(child(tree->topLevelItem(0), QStringLiteral("a"))->text(1), QStringLiteral("1"));
    QVERIFY(readAs("c11a5f5e1000"));
    QCOMPARE(format->currentText(), QStringLiteral("CBOR"));
    QCOMPARE(format->itemText(0), QStringLiteral("MessagePack (does not read whole)"));
    QVERIFY(readAs("089601"));
    QCOMPARE(format->currentText(), QStringLiteral("Protobuf wire"));
    QCOMPARE(sources->tabText(sources->currentIndex()), QStringLiteral("Protobuf wire"));
    // Field 1, a varint, 150.
    QStringList values;
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        values.append((*it)->text(0) + QLatin1Char('=') + (*it)->text(1));
    QVERIFY2(values.contains(QStringLiteral("field=1")) && values.contains(QStringLiteral("value=150")),
             qPrintable(values.join(u' ')));
    // The user may read it as another encoding, and is told where it stops being one.
    format->setCurrentIndex(0);
    QVERIFY2(detail->decodedView()
                 ->findChild<QLabel *>(QStringLiteral("decodedSummary"))
                 ->text()
                 .startsWith(QStringLiteral("Not MessagePack: ")),
             qPrintable(detail->decodedView()->findChild<QLabel *>(QStringLiteral("decodedSummary"))->text()));
}

// Socket.IO chosen in the connection options: the session answers Engine.IO's open with CONNECT and the server
// accepts it, with nothing typed; events emitted from the composer with an ack get ack ids from the session (0, 1 as
// socket.io-client numbers them), reach the server (its ack handler answers "hi <argument>") and each ACK comes back
// paired with its event.
void tst_ProtocolWindow::socketIoChosenInTheBarEmitsFromTheComposer()
{
    PeerProcess server;
    QVERIFY2(server.startNodeScript(QStringLiteral("socketio_peer.js"), {}, {QStringLiteral("socket.io")}),
             qPrintable(server.errorString()));
    ShownWindow shown;
    QVERIFY(shown.show());
    SessionView *view = shown.window.newSession();
    connectFromTheBar(view, QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(server.port()),
                      AppProtocol::SocketIo);
    QVERIFY(waitForOpen(view));
    QCOMPARE(view->connectionBar()->findChild<QToolButton *>(QStringLiteral("optionsToggle"))->text(),
             QStringLiteral("Options · socket.io"));
    // The handshake: the server's open, our CONNECT, its CONNECT with the sid, then its welcome event.
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("socket.io EVENT \"welcome\"")) >= 0; },
                             10000),
             qPrintable(protocolColumn(view).join(u'|')));
    QCOMPARE(protocolColumn(view).count(QStringLiteral("socket.io CONNECT")), 2);
    QCOMPARE(sentPayloads(view).value(0), QStringLiteral("40"));

    QCOMPARE(view->composer()->protocol(), std::optional(AppProtocol::SocketIo));
    sendFromTheComposer(view, QStringLiteral("hello"), {}, true, QStringLiteral("[\"inspector\"]"));
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("socket.io ACK 0")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));
    sendFromTheComposer(view, QStringLiteral("hello"), {}, true, QStringLiteral("[\"window\"]"));
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("socket.io ACK 1")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));
    const QStringList sent = sentPayloads(view);
    QVERIFY2(sent.contains(QStringLiteral("420[\"hello\",\"inspector\"]")), qPrintable(sent.join(u' ')));
    QVERIFY2(sent.contains(QStringLiteral("421[\"hello\",\"window\"]")), qPrintable(sent.join(u' ')));

    // Each ACK is paired with its event, with the latency, and carries the server's answer.
    const QStringList cells = protocolColumn(view);
    const int request = rowStartingWith(view, QStringLiteral("socket.io EVENT \"hello\" (1 arg, ack 0)"));
    const int reply = rowStartingWith(view, QStringLiteral("socket.io ACK 0 (1 arg) · "));
    QVERIFY2(request >= 0 && reply > request, qPrintable(cells.join(u'|')));
    view->frameTable()->selectRow(reply);
    FrameDetailView *detail = view->frameDetail();
    QVERIFY(QTest::qWaitFor([&] { return !detail->isDecoding(); }, 5000));
    auto *tree = detail->decodedView()->findChild<QTreeWidget *>(QStringLiteral("decodedTree"));
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("ACK"));
    QCOMPARE(child(tree->topLevelItem(0), QStringLiteral("args"))->child(0)->text(1), QStringLiteral("hi inspector"));
    auto *pairing = detail->decodedView()->findChild<QLabel *>(QStringLiteral("pairingNote"));
    QVERIFY2(pairing->text().contains(QStringLiteral("(frame #%1)").arg(view->frameModel()->frameIndexForRow(request))),
             qPrintable(pairing->text()));
}

// graphql-transport-ws chosen in the connection options against a stock graphql-ws server: connection_init goes
// with the payload given, the server acknowledges it, a subscription with variables written in the composer runs to
// its end, and the server's ping is answered (the server says it got the pong).
void tst_ProtocolWindow::graphqlChosenInTheBarSubscribesFromTheComposer()
{
    PeerProcess server;
    QVERIFY2(server.startNodeScript(QStringLiteral("graphql_peer.js"), {}, {QStringLiteral("graphql-ws")}),
             qPrintable(server.errorString()));
    ShownWindow shown;
    QVERIFY(shown.show());
    SessionView *view = shown.window.newSession();
    connectFromTheBar(view, QStringLiteral("ws://127.0.0.1:%1/graphql").arg(server.port()),
                      AppProtocol::GraphqlTransportWs,
                      {{QStringLiteral("graphqlInit"), QStringLiteral("{\"token\": \"from-the-window\"}")}});
    QVERIFY(waitForOpen(view));
    QVERIFY2(
        QTest::qWaitFor(
            [&] { return rowStartingWith(view, QStringLiteral("graphql-transport-ws connection_ack")) >= 0; }, 10000),
        qPrintable(protocolColumn(view).join(u'|')));
    QCOMPARE(sentPayloads(view).value(0),
             QStringLiteral("{\"type\":\"connection_init\",\"payload\":{\"token\": \"from-the-window\"}}"));

    sendFromTheComposer(view, {}, QStringLiteral("{\"from\": 2}"), false,
                        QStringLiteral("subscription ($from: Int!) { countdown(from: $from) }"));
    QVERIFY2(QTest::qWaitFor(
                 [&] { return rowStartingWith(view, QStringLiteral("graphql-transport-ws complete")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));
    const QStringList sent = sentPayloads(view);
    QVERIFY2(sent.contains(QStringLiteral("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription "
                                          "($from: Int!) { countdown(from: $from) }\",\"variables\":{\"from\": 2}}}")),
             qPrintable(sent.join(u' ')));
    const FrameLog &log = view->frameModel()->frameLog();
    QStringList received;
    for (qsizetype frame = 0; frame < log.frameCount(); ++frame) {
        if (log.frame(frame).direction() == Direction::Incoming)
            received.append(QString::fromUtf8(log.framePayload(frame)));
    }
    for (int n : {2, 1, 0})
        QVERIFY2(
            received.contains(
                QStringLiteral("{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"countdown\":%1}}}").arg(n)),
            qPrintable(received.join(u' ')));
    // The server pings 100 ms after the ack; the session's pong reached it.
    QVERIFY2(QTest::qWaitFor([&] { return server.output().contains("PONG"); }, 5000), server.output().constData());
}

// MQTT chosen in the connection options against a stock aedes broker: CONNECT with the client id given (the broker
// says it accepted it), then from the composer a SUBSCRIBE at QoS 1 and a PUBLISH at QoS 1 to a topic it covers, each
// numbered by the session (packet ids 1 and 2) and acknowledged by the broker (SUBACK 1, PUBACK 2); the broker
// delivers the message back at QoS 1 and the session acknowledges the delivery.
void tst_ProtocolWindow::mqttChosenInTheBarPublishesAtQos1()
{
    PeerProcess broker;
    QVERIFY2(broker.startNodeScript(QStringLiteral("mqtt_peer.js"), {},
                                    {QStringLiteral("aedes"), QStringLiteral("websocket-stream")}),
             qPrintable(broker.errorString()));
    ShownWindow shown;
    QVERIFY(shown.show());
    SessionView *view = shown.window.newSession();
    connectFromTheBar(view, QStringLiteral("ws://127.0.0.1:%1/").arg(broker.port()), AppProtocol::Mqtt,
                      {{QStringLiteral("mqttClientId"), QStringLiteral("wsi-window")}});
    QVERIFY(waitForOpen(view));
    QVERIFY2(QTest::qWaitFor([&] { return broker.output().contains("CONNECTED wsi-window"); }, 10000),
             broker.output().constData());
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("MQTT CONNACK")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));

    ProtocolComposer *form = view->composer()->protocolComposer();
    auto *format = view->composer()->findChild<QComboBox *>(QStringLiteral("format"));
    format->setCurrentIndex(format->findData(QVariant::fromValue(Composer::Format::Protocol)));
    form->setKind(ProtocolMessage::Kind::Subscribe);
    form->setQos(1);
    sendFromTheComposer(view, QStringLiteral("prices/#"), {}, false, {});
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("MQTT SUBACK")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));
    form->setKind(ProtocolMessage::Kind::Publish);
    form->setQos(1);
    sendFromTheComposer(view, QStringLiteral("prices/eur"), {}, false, QStringLiteral("1.08"));
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("MQTT PUBACK")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));

    const FrameLog &log = view->frameModel()->frameLog();
    QList<QByteArray> sent;
    QList<QByteArray> received;
    for (qsizetype frame = 0; frame < log.frameCount(); ++frame)
        (log.frame(frame).direction() == Direction::Outgoing ? sent : received)
            .append(log.framePayload(frame).toByteArray());
    // SUBSCRIBE packet id 1 at QoS 1, PUBLISH QoS 1 packet id 2; SUBACK 1 granting QoS 1, PUBACK 2.
    QVERIFY2(sent.contains(QByteArray::fromHex("820d000100087072696365732f2301")),
             qPrintable(protocolColumn(view).join(u'|')));
    QVERIFY(sent.contains(QByteArray::fromHex("3212000a7072696365732f6575720002312e3038")));
    QVERIFY2(received.contains(QByteArray::fromHex("9003000101")), qPrintable(protocolColumn(view).join(u'|')));
    QVERIFY2(received.contains(QByteArray::fromHex("40020002")), qPrintable(protocolColumn(view).join(u'|')));
    // The broker's delivery at QoS 1 carries its own packet id, which the session's PUBACK gives back.
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     for (qsizetype frame = 0; frame < log.frameCount(); ++frame) {
                         const QByteArray payload = log.framePayload(frame).toByteArray();
                         if (log.frame(frame).direction() != Direction::Incoming || payload.size() < 16 ||
                             (quint8(payload.at(0)) & 0xF6) != 0x32)
                             continue;
                         const QByteArray puback =
                             MqttPackets::publishAck(quint16((quint8(payload.at(14)) << 8) | quint8(payload.at(15))));
                         for (qsizetype out = frame; out < log.frameCount(); ++out) {
                             if (log.frame(out).direction() == Direction::Outgoing && log.framePayload(out) == puback)
                                 return true;
                         }
                     }
                     return false;
                 },
                 5000),
             qPrintable(protocolColumn(view).join(u'|')));
}

// STOMP chosen in the connection options on a server at /cable (Action Cable's default path) that negotiates no
// subprotocol: the frame table reads the session's messages as STOMP, as the session speaks them and its exports
// read them, not as the path suggests.
void tst_ProtocolWindow::aChosenProtocolIsShownWhereTheUrlSaysAnother()
{
    PeerProcess server;
    QVERIFY2(server.startNodeScript(QStringLiteral("stomp_peer.js"), {}, {QStringLiteral("ws")}),
             qPrintable(server.errorString()));
    ShownWindow shown;
    QVERIFY(shown.show());
    SessionView *view = shown.window.newSession();
    // Offering only "chat", so the server negotiates no subprotocol that would name STOMP.
    connectFromTheBar(view, QStringLiteral("ws://127.0.0.1:%1/cable").arg(server.port()), AppProtocol::Stomp,
                      {{QStringLiteral("subprotocols"), QStringLiteral("chat")}});
    QVERIFY(waitForOpen(view));
    QVERIFY2(QTest::qWaitFor([&] { return rowStartingWith(view, QStringLiteral("STOMP CONNECTED")) >= 0; }, 10000),
             qPrintable(protocolColumn(view).join(u'|')));
    QVERIFY(rowStartingWith(view, QStringLiteral("STOMP CONNECT")) >= 0);
    QCOMPARE(view->composer()->protocol(), std::optional(AppProtocol::Stomp));
}

void tst_ProtocolWindow::binaryMessagesReadWithAProtoFile()
{
    QTemporaryDir dir;
    const QString proto = dir.filePath(QStringLiteral("chat.proto"));
    {
        QFile file(proto);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"(syntax = "proto3";
package chat;
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; }
message Envelope {
  string room = 1;
  Mood mood = 2;
  repeated string tags = 3;
  Author author = 4;
}
message Author { string name = 1; }
)");
    }
    QString error;
    const QByteArray payload =
        protocEncode(proto, QStringLiteral("chat.Envelope"),
                     R"(room: "lobby" mood: HAPPY tags: "a" tags: "b" author { name: "ada" })", &error);
    QVERIFY2(!payload.isEmpty(), qPrintable(error));

    EchoWindow echoWindow;
    QVERIFY(echoWindow.open());
    SessionView *view = echoWindow.view;
    send(view, Composer::Format::Hex, QString::fromLatin1(payload.toHex(' ')));
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 2; }, 10000));

    FrameDetailView *detail = view->frameDetail();
    DecodedMessageView *decoded = detail->decodedView();
    auto *tree = decoded->findChild<QTreeWidget *>(QStringLiteral("decodedTree"));
    auto *format = decoded->findChild<QComboBox *>(QStringLiteral("binaryFormat"));
    auto *types = decoded->findChild<QComboBox *>(QStringLiteral("protoMessageType"));
    auto *note = decoded->findChild<QLabel *>(QStringLiteral("protoNote"));
    view->frameTable()->selectRow(1);
    QVERIFY(QTest::qWaitFor([&] { return !detail->isDecoding() && tree->topLevelItemCount() > 0; }, 5000));
    QVERIFY(decoded->findChild<QPushButton *>(QStringLiteral("loadProto"))->isVisible());
    QVERIFY(!types->isVisible());

    // A .proto with an error says where.
    const QString broken = dir.filePath(QStringLiteral("broken.proto"));
    {
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("syntax = \"proto3\";\nmessage A { int32 x = ; }\n");
    }
    Q_EMIT decoded->protoFileChosen(broken); // what the file dialog's choice does
    QVERIFY(QTest::qWaitFor([&] { return !detail->isLoadingProto(); }, 5000));
    QVERIFY2(note->isVisible() && note->text().contains(QStringLiteral("broken.proto:2:")), qPrintable(note->text()));
    QVERIFY(!detail->binarySchema());

    Q_EMIT decoded->protoFileChosen(proto);
    QVERIFY(QTest::qWaitFor([&] { return !detail->isLoadingProto(); }, 5000));
    QVERIFY(detail->binarySchema());
    QVERIFY(QTest::qWaitFor([&] { return !detail->isDecoding() && format->count() == 4; }, 5000));
    QCOMPARE(format->currentText(), QStringLiteral("chat.Envelope"));
    QVERIFY(types->isVisible());
    QCOMPARE(types->count(), 2);
    QCOMPARE(types->currentText(), QStringLiteral("chat.Envelope"));
    QTreeWidgetItem *top = tree->topLevelItem(0);
    QCOMPARE(child(top, QStringLiteral("room"))->text(1), QStringLiteral("lobby"));
    QCOMPARE(child(top, QStringLiteral("mood"))->text(1), QStringLiteral("HAPPY"));
    QCOMPARE(child(top, QStringLiteral("tags"))->childCount(), 2);
    QCOMPARE(child(child(top, QStringLiteral("author")), QStringLiteral("name"))->text(1), QStringLiteral("ada"));

    // Another type: the payload read again as that type, the fields it does not declare by their numbers.
    types->setCurrentIndex(1);
    Q_EMIT types->textActivated(types->currentText());
    QVERIFY(QTest::qWaitFor(
        [&] { return !detail->isDecoding() && format->itemText(0) == QLatin1StringView("chat.Author"); }, 5000));
    QCOMPARE(detail->binarySchema()->messageType(), QStringLiteral("chat.Author"));
    top = tree->topLevelItem(0);
    QCOMPARE(child(top, QStringLiteral("name"))->text(1), QStringLiteral("lobby"));
    QVERIFY(child(top, QStringLiteral("4")));

    // The Messages view's detail reads with the same .proto and type.
    QCOMPARE(view->findChild<FrameDetailView *>(QStringLiteral("messageDetail"))->binarySchema()->messageType(),
             QStringLiteral("chat.Author"));
}

QTEST_MAIN(tst_ProtocolWindow)
#include "tst_protocolwindow.moc"
