// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/Composer.h"
#include "ui/session/MessageTemplateLibrary.h"
#include "ui/session/ProtocolComposer.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace wsi;

Q_DECLARE_METATYPE(wsi::ProtocolMessage)

class tst_Composer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textIsSentAsTextInFragments();
    void hexIsSentAsBinary_data();
    void hexIsSentAsBinary();
    void invalidJsonIsRefusedWithItsPosition();
    void prettyPrintJson();
    void controlFramesAreCapped();
    void pingAndPongHaveTheirOwnPayload();
    void switchingFormatClearsTheError();
    void prettyKeepsTheMembersInOrder();
    void ctrlEnterSends();
    void closeCarriesCodeAndReason();
    void formatButtonsFollowTheFormat();
    void loadFileSendsItsBytes();
    void templatesSaveAndLoadTheEditor();
    void protocolFormatComesWithAProtocol();
    void protocolMessagesFromTheFields_data();
    void protocolMessagesFromTheFields();
    void protocolMessageErrorsNameTheField_data();
    void protocolMessageErrorsNameTheField();
};

void tst_Composer::textIsSentAsTextInFragments()
{
    Composer composer;
    QSignalSpy sent(&composer, &Composer::sendMessage);
    composer.setText(QStringLiteral("héllo"));
    composer.setFragments(3);
    composer.send();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().at(0).value<MessageType>(), MessageType::Text);
    QCOMPARE(sent.first().at(1).toByteArray(), QStringLiteral("héllo").toUtf8());
    QCOMPARE(sent.first().at(2).toInt(), 3);
}

void tst_Composer::hexIsSentAsBinary_data()
{
    QTest::addColumn<QString>("hex");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("spaced") << QStringLiteral("de ad be ef") << QByteArray("\xde\xad\xbe\xef", 4) << true;
    QTest::newRow("colons") << QStringLiteral("00:ff") << QByteArray("\x00\xff", 2) << true;
    QTest::newRow("odd digits") << QStringLiteral("abc") << QByteArray() << false;
    QTest::newRow("not hex") << QStringLiteral("zz") << QByteArray() << false;
}

void tst_Composer::hexIsSentAsBinary()
{
    QFETCH(QString, hex);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    Composer composer;
    composer.setFormat(Composer::Format::Hex);
    composer.setText(hex);
    QSignalSpy sent(&composer, &Composer::sendMessage);
    composer.send();
    QCOMPARE(sent.size(), valid ? 1 : 0);
    if (valid) {
        QCOMPARE(sent.first().at(0).value<MessageType>(), MessageType::Binary);
        QCOMPARE(sent.first().at(1).toByteArray(), bytes);
    } else {
        QVERIFY(composer.findChild<QLabel *>(QStringLiteral("error"))->text().startsWith(QStringLiteral("Hex")));
    }
}

void tst_Composer::invalidJsonIsRefusedWithItsPosition()
{
    Composer composer;
    composer.setFormat(Composer::Format::Json);
    composer.setText(QStringLiteral("{\n  \"a\": 1,\n  \"b\": }"));
    QString error;
    QVERIFY(!composer.payload(&error));
    QVERIFY2(error.contains(QStringLiteral("line 3")), qPrintable(error));
    QSignalSpy sent(&composer, &Composer::sendMessage);
    composer.send();
    QCOMPARE(sent.size(), 0);
}

void tst_Composer::prettyPrintJson()
{
    Composer composer;
    composer.setFormat(Composer::Format::Json);
    composer.setText(QStringLiteral("{\"op\":\"ping\",\"n\":[1,2]}"));
    QVERIFY(composer.prettyPrintJson());
    const QString text = composer.findChild<QPlainTextEdit *>(QStringLiteral("editor"))->toPlainText();
    QVERIFY(text.contains(QStringLiteral("\n")));
    QVERIFY(text.contains(QStringLiteral("\"op\": \"ping\"")));
}

void tst_Composer::controlFramesAreCapped()
{
    Composer composer;
    QSignalSpy pings(&composer, &Composer::sendPing);
    QSignalSpy pongs(&composer, &Composer::sendPong);
    auto *ping = composer.findChild<QPushButton *>(QStringLiteral("ping"));
    auto *bytes = composer.findChild<QLabel *>(QStringLiteral("controlBytes"));
    composer.setControlPayload(QString(126, u'x'));
    QVERIFY(!ping->isEnabled());
    QVERIFY(!composer.findChild<QPushButton *>(QStringLiteral("pong"))->isEnabled());
    QVERIFY2(bytes->text().contains(QStringLiteral("126 B: at most 125")), qPrintable(bytes->text()));
    composer.setControlPayload(QStringLiteral("hb"));
    QVERIFY(ping->isEnabled());
    QCOMPARE(bytes->text(), QStringLiteral("2/125 B"));
    ping->click();
    composer.findChild<QPushButton *>(QStringLiteral("pong"))->click();
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings.first().first().toByteArray(), QByteArray("hb"));
    QCOMPARE(pongs.size(), 1);
    QCOMPARE(pongs.first().first().toByteArray(), QByteArray("hb"));
}

void tst_Composer::pingAndPongHaveTheirOwnPayload()
{
    // The message being written has nothing to do with a ping: a long text, or an empty JSON editor, does not
    // stop one, and does not become its payload.
    Composer composer;
    QSignalSpy pings(&composer, &Composer::sendPing);
    QSignalSpy pongs(&composer, &Composer::sendPong);
    composer.setText(QString(300, u'x'));
    composer.findChild<QPushButton *>(QStringLiteral("ping"))->click();
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings.first().first().toByteArray(), QByteArray());
    composer.setFormat(Composer::Format::Json);
    composer.setText(QString());
    composer.findChild<QPushButton *>(QStringLiteral("pong"))->click();
    QCOMPARE(pongs.size(), 1);
    QCOMPARE(pongs.first().first().toByteArray(), QByteArray());
    QVERIFY(composer.findChild<QLabel *>(QStringLiteral("error"))->isHidden());
    QVERIFY(composer.findChild<QLabel *>(QStringLiteral("controlBytes"))->isHidden()); // nothing to count
}

void tst_Composer::switchingFormatClearsTheError()
{
    Composer composer;
    composer.show();
    composer.setFormat(Composer::Format::Json);
    composer.setText(QStringLiteral("{\"op\":"));
    composer.send();
    auto *error = composer.findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(error->isVisible());
    composer.setFormat(Composer::Format::Text);
    QVERIFY(!error->isVisible());
}

void tst_Composer::prettyKeepsTheMembersInOrder()
{
    Composer composer;
    composer.setFormat(Composer::Format::Json);
    composer.setText(QStringLiteral(R"({"op":"subscribe","channel":"ticker","args":{"z":1,"a":2}})"));
    QVERIFY(composer.prettyPrintJson());
    QCOMPARE(composer.findChild<QPlainTextEdit *>(QStringLiteral("editor"))->toPlainText(),
             QStringLiteral("{\n    \"op\": \"subscribe\",\n    \"channel\": \"ticker\",\n    \"args\": {\n"
                            "        \"z\": 1,\n        \"a\": 2\n    }\n}"));
    QSignalSpy sent(&composer, &Composer::sendMessage);
    composer.send();
    QCOMPARE(sent.size(), 1);
    QVERIFY(sent.first().at(1).toByteArray().startsWith("{\n    \"op\""));
}

void tst_Composer::ctrlEnterSends()
{
    Composer composer;
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    auto *editor = composer.findChild<QPlainTextEdit *>(QStringLiteral("editor"));
    editor->setFocus();
    QSignalSpy sent(&composer, &Composer::sendMessage);
    QTest::keyClicks(editor, QStringLiteral("typed"));
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().at(1).toByteArray(), QByteArray("typed"));
}

void tst_Composer::closeCarriesCodeAndReason()
{
    Composer composer;
    QSignalSpy closes(&composer, &Composer::sendClose);
    composer.findChild<QPushButton *>(QStringLiteral("close"))->click();
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.first().at(0).value<quint16>(), quint16(1000));
}

void tst_Composer::formatButtonsFollowTheFormat()
{
    Composer composer;
    composer.show();
    auto *pretty = composer.findChild<QPushButton *>(QStringLiteral("pretty"));
    auto *loadFile = composer.findChild<QPushButton *>(QStringLiteral("loadFile"));
    QVERIFY(!pretty->isVisible() && !loadFile->isVisible());
    composer.setFormat(Composer::Format::Json);
    QVERIFY(pretty->isVisible() && !loadFile->isVisible());
    composer.setText(QStringLiteral("{\"a\":[1,2]}"));
    pretty->click();
    QVERIFY(composer.findChild<QPlainTextEdit *>(QStringLiteral("editor"))->toPlainText().contains(u'\n'));
    composer.setFormat(Composer::Format::Hex);
    QVERIFY(!pretty->isVisible() && loadFile->isVisible());
}

void tst_Composer::loadFileSendsItsBytes()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("payload.bin"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray bytes("\x00\x01\xfe\xff binary", 11);
    file.write(bytes);
    file.close();
    Composer composer;
    QVERIFY(composer.loadFile(path));
    QSignalSpy sent(&composer, &Composer::sendMessage);
    composer.send();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().at(0).value<MessageType>(), MessageType::Binary);
    QCOMPARE(sent.first().at(1).toByteArray(), bytes);

    QString error;
    QVERIFY(!composer.loadFile(dir.filePath(QStringLiteral("missing")), &error));
    QVERIFY(error.contains(QStringLiteral("missing")));
}

void tst_Composer::templatesSaveAndLoadTheEditor()
{
    MessageTemplateLibrary library;
    Composer composer;
    auto *button = composer.findChild<QToolButton *>(QStringLiteral("templates"));
    QVERIFY(button);
    QVERIFY(!button->isEnabled()); // nothing to save to yet
    composer.setTemplateLibrary(&library);
    QVERIFY(button->isEnabled());

    composer.setFormat(Composer::Format::Json);
    composer.setText(QStringLiteral(R"({"op":"subscribe","channel":"ticker"})"));
    composer.setFragments(3);
    QVERIFY(library.save(composer.currentAsTemplate(QStringLiteral("subscribe"))));
    library.save({QStringLiteral("auth"), QStringLiteral("text"), QStringLiteral("token 42"), 1});

    // The menu lists them by name; choosing one fills the editor, format and fragment count.
    QMenu *menu = button->menu();
    Q_EMIT menu->aboutToShow();
    QStringList names;
    QAction *subscribe = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->isSeparator() || action->menu())
            continue;
        names << action->text();
        if (action->text() == QLatin1StringView("subscribe"))
            subscribe = action;
    }
    QCOMPARE(names.mid(0, 2), (QStringList{QStringLiteral("auth"), QStringLiteral("subscribe")}));
    composer.setFormat(Composer::Format::Hex);
    composer.setText(QStringLiteral("00"));
    composer.setFragments(1);
    QVERIFY(subscribe);
    subscribe->trigger();
    QSignalSpy sent(&composer, &Composer::sendMessage);
    composer.send();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().at(0).value<MessageType>(), MessageType::Text);
    QCOMPARE(sent.first().at(1).toByteArray(), QByteArray(R"({"op":"subscribe","channel":"ticker"})"));
    QCOMPARE(sent.first().at(2).toInt(), 3);
}

// The format list offers the protocol's messages while the session has a protocol the composer builds messages of,
// and takes them away after: the composer then goes back to text.
void tst_Composer::protocolFormatComesWithAProtocol()
{
    Composer composer;
    auto *format = composer.findChild<QComboBox *>(QStringLiteral("format"));
    QCOMPARE(format->count(), 3);
    composer.setProtocol(AppProtocol::SocketIo);
    QCOMPARE(format->count(), 4);
    QCOMPARE(format->itemText(3), QStringLiteral("socket.io message"));
    composer.setFormat(Composer::Format::Protocol);
    QVERIFY(composer.protocolComposer()->isVisibleTo(&composer));
    QVERIFY(!composer.findChild<QWidget *>(QStringLiteral("fragments"))->isVisibleTo(&composer));
    QVERIFY(composer.findChild<QPlainTextEdit *>(QStringLiteral("editor"))->placeholderText().contains(u"JSON array"));
    composer.setProtocol(AppProtocol::Mqtt);
    QCOMPARE(format->itemText(3), QStringLiteral("MQTT message"));
    QCOMPARE(composer.protocolComposer()->kind(), ProtocolMessage::Kind::Publish);
    // JSON-RPC's messages are written as JSON: no protocol mode for it.
    composer.setProtocol(AppProtocol::JsonRpc);
    QCOMPARE(format->count(), 3);
    QCOMPARE(format->currentText(), QStringLiteral("Text"));
    QVERIFY(!composer.protocolComposer()->isVisibleTo(&composer));
    composer.setProtocol(std::nullopt);
    QCOMPARE(format->count(), 3);
}

namespace {

struct ProtocolFields {
    int kind = 0;
    QString target = {};
    QString extra = {};
    int qos = 0;
    bool retain = false;
    bool ack = false;
};

void fill(Composer &composer, AppProtocol protocol, const ProtocolFields &fields, const QString &body)
{
    composer.setProtocol(protocol);
    composer.setFormat(Composer::Format::Protocol);
    ProtocolComposer *form = composer.protocolComposer();
    form->setKind(ProtocolMessage::Kind(fields.kind));
    form->setTarget(fields.target);
    form->setExtra(fields.extra);
    form->setQos(fields.qos);
    form->setRetain(fields.retain);
    form->setAck(fields.ack);
    composer.setText(body);
}

} // namespace

void tst_Composer::protocolMessagesFromTheFields_data()
{
    using Kind = ProtocolMessage::Kind;
    QTest::addColumn<int>("protocol");
    QTest::addColumn<ProtocolFields>("fields");
    QTest::addColumn<QString>("body");
    QTest::addColumn<ProtocolMessage>("expected");
    ProtocolMessage emitted{Kind::Emit, QStringLiteral("hello"), {}, {"\"inspector\"", "{\"n\":[1,2.50]}"}, true};
    QTest::newRow("socket.io emit, two arguments, ack")
        << int(AppProtocol::SocketIo) << ProtocolFields{int(Kind::Emit), QStringLiteral("hello"), {}, 0, false, true}
        << QStringLiteral("[\"inspector\", {\"n\": [1, 2.50]}]") << emitted;
    QTest::newRow("socket.io emit without arguments")
        << int(AppProtocol::SocketIo) << ProtocolFields{int(Kind::Emit), QStringLiteral("ping"), {}, 0, false, false}
        << QString() << ProtocolMessage{Kind::Emit, QStringLiteral("ping"), {}, {}, false};
    ProtocolMessage send{Kind::Send, QStringLiteral("/queue/a"), "hi there", {}, false};
    send.headers = {{QStringLiteral("receipt"), QStringLiteral("r-1")},
                    {QStringLiteral("priority"), QStringLiteral("9")}};
    QTest::newRow("stomp send with headers")
        << int(AppProtocol::Stomp)
        << ProtocolFields{int(Kind::Send), QStringLiteral("/queue/a"), QStringLiteral("receipt:r-1; priority: 9")}
        << QStringLiteral("hi there") << send;
    QTest::newRow("stomp subscribe") << int(AppProtocol::Stomp)
                                     << ProtocolFields{int(Kind::Subscribe), QStringLiteral("/topic/prices")}
                                     << QString()
                                     << ProtocolMessage{
                                            Kind::Subscribe, QStringLiteral("/topic/prices"), {}, {}, false};
    ProtocolMessage publish{Kind::Publish, QStringLiteral("prices/eur"), "1.08", {}, false};
    publish.qos = 1;
    publish.retain = true;
    QTest::newRow("mqtt publish qos 1 retained")
        << int(AppProtocol::Mqtt) << ProtocolFields{int(Kind::Publish), QStringLiteral("prices/eur"), {}, 1, true}
        << QStringLiteral("1.08") << publish;
    ProtocolMessage subscribe{Kind::Subscribe, QStringLiteral("prices/#"), {}, {}, false};
    subscribe.qos = 1;
    QTest::newRow("mqtt subscribe qos 1")
        << int(AppProtocol::Mqtt) << ProtocolFields{int(Kind::Subscribe), QStringLiteral("prices/#"), {}, 1}
        << QString() << subscribe;
    ProtocolMessage query{Kind::Query, {}, "subscription { greetings }", {}, false};
    query.variables = "{\"n\": 1}";
    QTest::newRow("graphql subscribe with variables")
        << int(AppProtocol::GraphqlTransportWs) << ProtocolFields{int(Kind::Query), {}, QStringLiteral("{\"n\": 1}")}
        << QStringLiteral("subscription { greetings }") << query;
    QTest::newRow("signalr invocation") << int(AppProtocol::SignalR)
                                        << ProtocolFields{int(Kind::Invoke), QStringLiteral("Add"), {}, 0, false, true}
                                        << QStringLiteral("[1, 2]")
                                        << ProtocolMessage{Kind::Invoke, QStringLiteral("Add"), {}, {"1", "2"}, true};
    ProtocolMessage push{Kind::Push, QStringLiteral("room:lobby"), "{\"body\": \"hi\"}", {}, false};
    push.event = QStringLiteral("new_msg");
    QTest::newRow("phoenix push") << int(AppProtocol::Phoenix)
                                  << ProtocolFields{int(Kind::Push), QStringLiteral("room:lobby"),
                                                    QStringLiteral("new_msg")}
                                  << QStringLiteral("{\"body\": \"hi\"}") << push;
    QTest::newRow("action cable perform")
        << int(AppProtocol::ActionCable) << ProtocolFields{int(Kind::Perform), QStringLiteral("speak")}
        << QStringLiteral("{\"body\": \"hi\"}")
        << ProtocolMessage{Kind::Perform, QStringLiteral("speak"), "{\"body\": \"hi\"}", {}, false};
    // A WAMP CALL never asks for an ack: its RESULT always comes back, paired by request id.
    QTest::newRow("wamp call, ack box ignored")
        << int(AppProtocol::Wamp)
        << ProtocolFields{int(Kind::Call), QStringLiteral("com.example.add"), {}, 0, false, true}
        << QStringLiteral("[2, 3]")
        << ProtocolMessage{Kind::Call, QStringLiteral("com.example.add"), {}, {"2", "3"}, false};
    QTest::newRow("wamp subscribe") << int(AppProtocol::Wamp)
                                    << ProtocolFields{int(Kind::Subscribe), QStringLiteral("com.example.topic")}
                                    << QString()
                                    << ProtocolMessage{
                                           Kind::Subscribe, QStringLiteral("com.example.topic"), {}, {}, false};
}

// Each protocol's message, as the fields and the editor say it, goes out with the protocol it belongs to.
void tst_Composer::protocolMessagesFromTheFields()
{
    QFETCH(int, protocol);
    QFETCH(ProtocolFields, fields);
    QFETCH(QString, body);
    QFETCH(ProtocolMessage, expected);
    Composer composer;
    fill(composer, AppProtocol(protocol), fields, body);
    QSignalSpy sent(&composer, &Composer::sendProtocolMessage);
    QSignalSpy plain(&composer, &Composer::sendMessage);
    composer.send();
    QVERIFY2(!composer.findChild<QLabel *>(QStringLiteral("error"))->isVisibleTo(&composer),
             qPrintable(composer.findChild<QLabel *>(QStringLiteral("error"))->text()));
    QCOMPARE(plain.size(), 0);
    QCOMPARE(sent.size(), 1);
    const auto message = sent.first().at(0).value<ProtocolMessage>();
    QCOMPARE(sent.first().at(1).value<AppProtocol>(), AppProtocol(protocol));
    QCOMPARE(int(message.kind), int(expected.kind));
    QCOMPARE(message.target, expected.target);
    QCOMPARE(message.args, expected.args);
    QCOMPARE(message.body, expected.body);
    QCOMPARE(message.ack, expected.ack);
    QCOMPARE(message, expected);
}

void tst_Composer::protocolMessageErrorsNameTheField_data()
{
    using Kind = ProtocolMessage::Kind;
    QTest::addColumn<int>("protocol");
    QTest::addColumn<ProtocolFields>("fields");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("emit arguments not JSON")
        << int(AppProtocol::SocketIo) << ProtocolFields{int(Kind::Emit), QStringLiteral("hello")}
        << QStringLiteral("[\"a\",\n oops]") << QStringLiteral("Emit arguments: line 2, column 2: ");
    QTest::newRow("emit arguments not an array")
        << int(AppProtocol::SocketIo) << ProtocolFields{int(Kind::Emit), QStringLiteral("hello")}
        << QStringLiteral("\"inspector\"") << QStringLiteral("Emit arguments: expected a JSON array");
    QTest::newRow("emit without an event name") << int(AppProtocol::SocketIo) << ProtocolFields{int(Kind::Emit)}
                                                << QString() << QStringLiteral("Emit: the event is empty");
    QTest::newRow("publish to a wildcard")
        << int(AppProtocol::Mqtt) << ProtocolFields{int(Kind::Publish), QStringLiteral("prices/#")} << QString()
        << QStringLiteral("PUBLISH: a topic to publish to has no wildcards");
    QTest::newRow("send header without a colon")
        << int(AppProtocol::Stomp) << ProtocolFields{int(Kind::Send), QStringLiteral("/q"), QStringLiteral("receipt")}
        << QString() << QStringLiteral("SEND headers: write \"receipt\" as name:value");
    QTest::newRow("graphql variables not an object")
        << int(AppProtocol::GraphqlWs) << ProtocolFields{int(Kind::Query), {}, QStringLiteral("[1]")}
        << QStringLiteral("{ a }") << QStringLiteral("Variables: expected a JSON object");
    QTest::newRow("graphql without a query") << int(AppProtocol::GraphqlWs) << ProtocolFields{int(Kind::Query)}
                                             << QStringLiteral("  ") << QStringLiteral("start: the query is empty");
    QTest::newRow("push without an event")
        << int(AppProtocol::Phoenix) << ProtocolFields{int(Kind::Push), QStringLiteral("room:lobby")} << QString()
        << QStringLiteral("Push: the event is empty");
    QTest::newRow("perform data cut short")
        << int(AppProtocol::ActionCable) << ProtocolFields{int(Kind::Perform), QStringLiteral("speak")}
        << QStringLiteral("{\"body\": ") << QStringLiteral("Perform data: line 1, column 10: ");
}

// Nothing goes out while a field is wrong; the error says which field, and where in its JSON.
void tst_Composer::protocolMessageErrorsNameTheField()
{
    QFETCH(int, protocol);
    QFETCH(ProtocolFields, fields);
    QFETCH(QString, body);
    QFETCH(QString, error);
    Composer composer;
    fill(composer, AppProtocol(protocol), fields, body);
    QSignalSpy sent(&composer, &Composer::sendProtocolMessage);
    composer.send();
    QCOMPARE(sent.size(), 0);
    auto *shown = composer.findChild<QLabel *>(QStringLiteral("error"));
    QVERIFY(shown->isVisibleTo(&composer));
    QVERIFY2(shown->text().startsWith(error), qPrintable(shown->text()));
}

QTEST_MAIN(tst_Composer)
#include "tst_composer.moc"
