// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/MessageTemplateLibrary.h"

#include <QSignalSpy>
#include <QTest>

using namespace wsi;

class tst_MessageTemplateLibrary : public QObject
{
    Q_OBJECT

private slots:
    void savesSortedAndReplacesByName()
    {
        MessageTemplateLibrary library;
        QSignalSpy changed(&library, &MessageTemplateLibrary::changed);
        QVERIFY(library.save({QStringLiteral("subscribe"), QStringLiteral("json"), QStringLiteral("{}"), 1}));
        QVERIFY(library.save({QStringLiteral("  auth "), QStringLiteral("text"), QStringLiteral("token"), 1}));
        QVERIFY(library.save({QStringLiteral("subscribe"), QStringLiteral("json"), QStringLiteral("{\"a\":1}"), 2}));
        QCOMPARE(changed.size(), 3);
        QCOMPARE(library.templates().size(), 2);
        QCOMPARE(library.templates().at(0).name, QStringLiteral("auth")); // trimmed, sorted
        QCOMPARE(library.find(QStringLiteral("subscribe"))->body, QStringLiteral("{\"a\":1}"));
        QCOMPARE(library.find(QStringLiteral("subscribe"))->fragments, 2);
        QVERIFY(!library.find(QStringLiteral("nothing")));
    }

    void refusesAnEmptyName()
    {
        MessageTemplateLibrary library;
        QString error;
        QVERIFY(!library.save({QStringLiteral("   "), QStringLiteral("text"), QStringLiteral("x"), 1}, &error));
        QVERIFY(error.contains(QStringLiteral("name")));
        QVERIFY(library.templates().isEmpty());
    }

    void removes()
    {
        MessageTemplateLibrary library;
        library.save({QStringLiteral("a"), QStringLiteral("text"), {}, 1});
        QVERIFY(!library.remove(QStringLiteral("b")));
        QVERIFY(library.remove(QStringLiteral("a")));
        QVERIFY(library.templates().isEmpty());
    }

    void jsonRoundTripKeepsEveryField()
    {
        MessageTemplateLibrary library;
        library.save({QStringLiteral("ping me"), QStringLiteral("text"), QStringLiteral("ünïcode ✓\nline 2"), 1});
        library.save({QStringLiteral("bytes"), QStringLiteral("hex"), QStringLiteral("de ad be ef"), 4});
        library.save({QStringLiteral("json"), QStringLiteral("json"), QStringLiteral("{\"x\": [1, 2]}"), 2});
        MessageTemplateLibrary copy;
        QString error;
        QVERIFY2(copy.loadJson(library.toJson(), &error), qPrintable(error));
        QCOMPARE(copy.templates(), library.templates());
    }

    void badDocumentsAreRefusedAndChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expectedInError");
        QTest::newRow("not json") << QByteArray("{\"schema\":1,") << QStringLiteral("not JSON");
        QTest::newRow("future schema") << QByteArray(R"({"schema":9,"templates":[]})") << QStringLiteral("schema 9");
        QTest::newRow("no list") << QByteArray(R"({"schema":1})") << QStringLiteral("\"templates\" must be an array");
        QTest::newRow("bad format") << QByteArray(R"({"schema":1,"templates":[{"name":"a","format":"xml"}]})")
                                    << QStringLiteral("entry 1 (\"a\"): \"format\"");
        QTest::newRow("no name") << QByteArray(R"({"schema":1,"templates":[{"name":"ok","format":"text"},)"
                                               R"({"format":"text"}]})")
                                 << QStringLiteral("entry 2");
    }
    void badDocumentsAreRefusedAndChangeNothing()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expectedInError);
        MessageTemplateLibrary library;
        library.save({QStringLiteral("kept"), QStringLiteral("text"), QStringLiteral("x"), 1});
        QString error;
        QVERIFY(!library.loadJson(json, &error));
        QVERIFY2(error.contains(expectedInError), qPrintable(error));
        QCOMPARE(library.templates().size(), 1);
        QCOMPARE(library.templates().at(0).name, QStringLiteral("kept"));
    }
};

QTEST_MAIN(tst_MessageTemplateLibrary)
#include "tst_messagetemplatelibrary.moc"
