// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/Composer.h"
#include "ui/session/MessageTemplateLibrary.h"

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

QTEST_MAIN(tst_Composer)
#include "tst_composer.moc"
