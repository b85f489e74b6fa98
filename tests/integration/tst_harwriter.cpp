// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/HarWriter.h"
#include "core/records/FrameLog.h"
#include "core/server/EchoServer.h"
#include "core/session/Session.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace wsi;

namespace {

// A session open to `echo`, or null when it did not open within 5 s.
std::unique_ptr<Session> openEchoSession(EchoServer &echo)
{
    if (!echo.listen())
        return nullptr;
    SessionOptions options;
    options.url = echo.url();
    auto session = std::make_unique<Session>(options);
    session->open();
    if (!QTest::qWaitFor([&] { return session->state() == Session::State::Open; }, 5000))
        return nullptr;
    return session;
}

// The session written as HAR once its log holds `messages` messages (what it sent and the echoes), or empty.
QByteArray harOnceEchoed(const Session &session, qsizetype messages)
{
    const auto log = session.frameLog();
    if (!QTest::qWaitFor([&] { return log->messageCount() == messages; }, 5000))
        return {};
    QBuffer buffer;
    if (!buffer.open(QIODevice::WriteOnly))
        return {};
    HarWriter writer(&buffer);
    if (!writer.write({session.records()}, QStringLiteral("0.1.0")))
        return {};
    return buffer.data();
}

} // namespace

// A real session against the echo server, written as HAR and read back as JSON: the structure Chrome DevTools
// writes (and reads), every data message in order with its direction, opcode, time and payload.
class tst_HarWriter : public QObject
{
    Q_OBJECT

private slots:
    void realSessionAsChromeHar()
    {
        EchoServer echo;
        const std::unique_ptr<Session> opened = openEchoSession(echo);
        QVERIFY(opened);
        Session &session = *opened;
        session.sendText(QStringLiteral("héllo"));
        session.sendMessage(MessageType::Binary, QByteArray("\x00\x01\xfe", 3));
        session.sendPing("not in HAR");
        const QByteArray har = harOnceEchoed(session, 4);
        QVERIFY(!har.isEmpty());

        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(har, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject harLog = document.object().value(QStringLiteral("log")).toObject();
        QCOMPARE(harLog.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
        QCOMPARE(harLog.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("WS Inspector"));
        const QJsonArray entries = harLog.value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries.at(0).toObject();
        QCOMPARE(e.value(QStringLiteral("_resourceType")).toString(), QStringLiteral("websocket"));
        QCOMPARE(e.value(QStringLiteral("request")).toObject().value(QStringLiteral("url")).toString(),
                 echo.url().toString());
        QCOMPARE(e.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt(), 101);
        bool upgradeHeader = false;
        for (const QJsonValue &h :
             e.value(QStringLiteral("request")).toObject().value(QStringLiteral("headers")).toArray())
            upgradeHeader |= h.toObject()
                                 .value(QStringLiteral("name"))
                                 .toString()
                                 .compare(QStringLiteral("Sec-WebSocket-Key"), Qt::CaseInsensitive) == 0;
        QVERIFY(upgradeHeader);
        QVERIFY(
            QDateTime::fromString(e.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs).isValid());

        const QJsonArray messages = e.value(QStringLiteral("_webSocketMessages")).toArray();
        QCOMPARE(messages.size(), 4); // the ping and its pong are not messages
        const auto field = [&](int i, const char *name) {
            return messages.at(i).toObject().value(QLatin1StringView(name));
        };
        // Sends and echoes may interleave; each direction keeps its order.
        QStringList sent;
        QStringList received;
        for (int i = 0; i < messages.size(); ++i) {
            const QString item = QString::number(field(i, "opcode").toInt()) + u':' + field(i, "data").toString();
            (field(i, "type").toString() == QLatin1StringView("send") ? sent : received) << item;
        }
        // Text as text; binary (00 01 fe) as base64.
        const QStringList expected{QStringLiteral("1:héllo"), QStringLiteral("2:AAH+")};
        QCOMPARE(sent, expected);
        QCOMPARE(received, expected);
        // No application protocol in these: nothing decoded.
        for (int i = 0; i < messages.size(); ++i)
            QVERIFY(field(i, "_decoded").isUndefined());
        // Times are seconds since the epoch, in order, within the session.
        const double start = double(session.startedAt().toMSecsSinceEpoch()) / 1e3;
        for (int i = 0; i < messages.size(); ++i) {
            QVERIFY(field(i, "time").toDouble() >= start);
            QVERIFY(field(i, "time").toDouble() < start + 10);
            if (i > 0)
                QVERIFY(field(i, "time").toDouble() >= field(i - 1, "time").toDouble());
        }
    }

    // A session whose messages are JSON-RPC 2.0 (echoed back by the echo server): each HAR message carries the
    // "decoded" array of the JSON lines as `_decoded`.
    void recognisedProtocolCarriesDecoded()
    {
        EchoServer echo;
        const std::unique_ptr<Session> opened = openEchoSession(echo);
        QVERIFY(opened);
        Session &session = *opened;
        session.sendText(QStringLiteral(R"({"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1})"));
        session.sendText(QStringLiteral(R"([{"jsonrpc":"2.0","method":"a","id":2},{"jsonrpc":"2.0","method":"b"}])"));
        const QByteArray har = harOnceEchoed(session, 4);
        QVERIFY(!har.isEmpty());
        const QJsonArray messages =
            QJsonDocument::fromJson(har)[u"log"][u"entries"][0][u"_webSocketMessages"].toArray();
        QCOMPARE(messages.size(), 4);
        for (const QJsonValue &message : messages) {
            const QJsonArray decoded = message[u"_decoded"].toArray();
            const bool batch = message[u"data"].toString().startsWith(u'[');
            QCOMPARE(decoded.size(), batch ? 2 : 1);
            QCOMPARE(decoded.first()[u"protocol"].toString(), QStringLiteral("jsonrpc"));
            QCOMPARE(decoded.first()[u"kind"].toString(), QStringLiteral("request"));
            if (batch)
                QCOMPARE(decoded.last()[u"kind"].toString(), QStringLiteral("notification"));
        }
    }

    void aFullDeviceIsAnError()
    {
        QByteArray tiny;
        QBuffer buffer(&tiny);
        QVERIFY(buffer.open(QIODevice::ReadOnly)); // not writable: every write fails
        HarWriter writer(&buffer);
        QVERIFY(!writer.write({}, QStringLiteral("0.1.0")));
        QVERIFY(!writer.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_HarWriter)
#include "tst_harwriter.moc"
