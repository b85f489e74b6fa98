// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/HandshakeView.h"
#include "ui/widgets/TimingBar.h"

#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

using namespace wsi;

class tst_HandshakeView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptedHandshake();
    void refusalShowsExplanationAndBody();
    void saysWhenTheRelayDeclinedCompression();
    void binaryRefusalBodyIsHex();
    void tlsErrorsAndCertificates();
    void timingBarOmitsPhasesThatDidNotHappen();
    void timingBarPaints();
};

namespace {

// A self-signed certificate for test.example (P-256), made with openssl for this test.
const char certificatePem[] = R"(-----BEGIN CERTIFICATE-----
MIIBcDCCARagAwIBAgIBATAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAx0ZXN0LmV4
YW1wbGUwHhcNMjYxMTIxMDYwNTE1WhcNMzYxMTE4MDYwNTE1WjAXMRUwEwYDVQQD
DAx0ZXN0LmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASMOZZkXzM9
E8g7Nnz4XO0jc8MssxmSnFnKD3lF84TNvzxaUuwanNLPPxA6K1CuGyNHrj5XT5Xd
nsmGg764L4C2o1MwUTAdBgNVHQ4EFgQUgI9v3IsNK/vpwcHFbi421tHAxWAwHwYD
VR0jBBgwFoAUgI9v3IsNK/vpwcHFbi421tHAxWAwDwYDVR0TAQH/BAUwAwEB/zAK
BggqhkjOPQQDAgNIADBFAiEA/zzV/d/GpZA/QJfR9HonQt4BFW6iX4gOXfQvAwyg
8CcCIHlodDm8Co6J5GCFESAAzghnaJ0t/8AkfwcTQFOSC4z4
-----END CERTIFICATE-----
)";

template<typename T>
T *child(const QWidget &view, const char *name)
{
    T *widget = view.findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qWarning("missing child %s", name);
    return widget;
}

HandshakeRecord acceptedRecord()
{
    HandshakeRecord record;
    record.requestHeaders = HttpHeaders{
        {"Host", "example.test:8080"},
        {"Upgrade", "websocket"},
        {"Connection", "Upgrade"},
        {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
        {"Sec-WebSocket-Version", "13"},
        {"Sec-WebSocket-Protocol", "chat"},
        {"Sec-WebSocket-Protocol", "superchat"},
    };
    record.requestBytes = "GET /chat HTTP/1.1\r\n" + record.requestHeaders.toWire() + "\r\n";
    record.responseReceived = true;
    record.response.httpVersion = "HTTP/1.1";
    record.response.statusCode = 101;
    record.response.reasonPhrase = "Switching Protocols";
    record.response.headers = HttpHeaders{
        {"Upgrade", "websocket"},
        {"Connection", "Upgrade"},
        {"Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
        {"Sec-WebSocket-Protocol", "chat"},
        {"Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover; client_max_window_bits=10"},
    };
    record.response.raw = "HTTP/1.1 101 Switching Protocols\r\n" + record.response.headers.toWire() + "\r\n";
    record.accepted = true;
    record.subprotocol = QStringLiteral("chat");
    record.extensions = {"permessage-deflate; server_no_context_takeover; client_max_window_bits=10"};
    DeflateParameters deflate;
    deflate.serverNoContextTakeover = true;
    deflate.clientMaxWindowBits = 10;
    record.deflate = deflate;
    record.timings = ConnectTimings{2'000'000, 5'000'000, -1, 12'500'000};
    record.peerAddress = QStringLiteral("127.0.0.1:8080");
    return record;
}

} // namespace

void tst_HandshakeView::acceptedHandshake()
{
    HandshakeView view;
    view.setHandshake(acceptedRecord());
    view.show();

    auto *status = child<QLabel>(view, "handshakeStatus");
    QVERIFY(status->text().startsWith(QStringLiteral("101 Switching Protocols")));
    QVERIFY(status->font().pointSizeF() > view.font().pointSizeF());
    QVERIFY(!child<QLabel>(view, "handshakeExplanation")->isVisible());
    QCOMPARE(child<QLabel>(view, "negotiatedSubprotocol")->text(), QStringLiteral("chat"));
    QVERIFY(child<QLabel>(view, "negotiatedExtensions")->text().startsWith(QStringLiteral("permessage-deflate")));
    const QString deflate = child<QLabel>(view, "deflateParameters")->text();
    QVERIFY2(deflate.contains(QStringLiteral("server context takeover: no")), qPrintable(deflate));
    QVERIFY2(deflate.contains(QStringLiteral("client context takeover: yes")), qPrintable(deflate));
    QVERIFY2(deflate.contains(QStringLiteral("client window: 10 bits")), qPrintable(deflate));
    QVERIFY2(deflate.contains(QStringLiteral("server window: 15 bits")), qPrintable(deflate));
    QCOMPARE(child<QLabel>(view, "peerAddress")->text(), QStringLiteral("127.0.0.1:8080"));

    // Request headers: repeats kept, in wire order.
    auto *request = child<QTableWidget>(view, "requestHeaders");
    QCOMPARE(request->rowCount(), 7);
    QCOMPARE(request->item(5, 0)->text(), QStringLiteral("Sec-WebSocket-Protocol"));
    QCOMPARE(request->item(5, 1)->text(), QStringLiteral("chat"));
    QCOMPARE(request->item(6, 0)->text(), QStringLiteral("Sec-WebSocket-Protocol"));
    QCOMPARE(request->item(6, 1)->text(), QStringLiteral("superchat"));
    QVERIFY(
        child<QPlainTextEdit>(view, "requestRaw")->toPlainText().startsWith(QStringLiteral("GET /chat HTTP/1.1\r\n")) ||
        child<QPlainTextEdit>(view, "requestRaw")->toPlainText().startsWith(QStringLiteral("GET /chat HTTP/1.1\n")));
    auto *response = child<QTableWidget>(view, "responseHeaders");
    QCOMPARE(response->rowCount(), 5);
    QCOMPARE(response->item(2, 0)->text(), QStringLiteral("Sec-WebSocket-Accept"));
    QVERIFY(
        child<QPlainTextEdit>(view, "responseRaw")->toPlainText().contains(QStringLiteral("101 Switching Protocols")));

    auto *tabs = child<QTabWidget>(view, "handshakeTabs");
    QVERIFY(!tabs->isTabVisible(tabs->indexOf(child<QPlainTextEdit>(view, "refusalBody")->parentWidget())));
    QCOMPARE(child<QLabel>(view, "tlsSummary")->text(), QStringLiteral("No TLS: a plain ws:// connection."));

    auto *bar = child<TimingBar>(view, "timingBar");
    QCOMPARE(bar->segments().size(), 3);
    QCOMPARE(bar->totalNs(), qint64(19'500'000));
}

void tst_HandshakeView::saysWhenTheRelayDeclinedCompression()
{
    HandshakeRecord record;
    record.responseReceived = true;
    record.accepted = true;
    record.response.statusCode = 101;
    HandshakeView view;
    view.setHandshake(record);
    QCOMPARE(child<QLabel>(view, "deflateParameters")->text(), QStringLiteral("none"));
    record.relayDeclinedDeflate = true;
    view.setHandshake(record);
    QCOMPARE(child<QLabel>(view, "deflateParameters")->text(),
             QStringLiteral("none\npermessage-deflate declined toward the server: rules may rewrite messages"));
}

void tst_HandshakeView::refusalShowsExplanationAndBody()
{
    HandshakeRecord record = acceptedRecord();
    record.accepted = false;
    record.subprotocol.clear();
    record.extensions.clear();
    record.deflate.reset();
    record.response.statusCode = 403;
    record.response.reasonPhrase = "Forbidden";
    record.response.headers = HttpHeaders{{"Content-Type", "text/plain"}, {"Content-Length", "24"}};
    record.response.body = "origin not on allow list";
    record.response.raw =
        "HTTP/1.1 403 Forbidden\r\n" + record.response.headers.toWire() + "\r\n" + record.response.body;
    record.explanation = QStringLiteral("The server answered 403 Forbidden instead of 101 Switching Protocols: it "
                                        "refused the WebSocket upgrade.");
    record.violations = {{ViolationRule::HandshakeStatusNot101, QStringLiteral("status 403")}};

    HandshakeView view;
    view.setHandshake(record);
    view.show();
    auto *status = child<QLabel>(view, "handshakeStatus");
    QVERIFY2(status->text().startsWith(QStringLiteral("403 Forbidden")), qPrintable(status->text()));
    QVERIFY(status->text().contains(QStringLiteral("failed")));
    auto *explanation = child<QLabel>(view, "handshakeExplanation");
    QVERIFY(explanation->isVisible());
    QCOMPARE(explanation->text(), record.explanation);
    auto *body = child<QPlainTextEdit>(view, "refusalBody");
    QVERIFY(body->isVisible()); // the body's tab is opened
    QCOMPARE(body->toPlainText(), QStringLiteral("origin not on allow list"));
    QCOMPARE(child<QLabel>(view, "negotiatedSubprotocol")->text(), QStringLiteral("none"));
    QCOMPARE(child<QLabel>(view, "deflateParameters")->text(), QStringLiteral("none"));

    auto *violations = child<QTreeWidget>(view, "handshakeViolations");
    QCOMPARE(violations->topLevelItemCount(), 1);
    QCOMPARE(violations->topLevelItem(0)->text(0), QStringLiteral("RFC 6455 §4.1"));
    QCOMPARE(violations->topLevelItem(0)->text(1), Violations::id(ViolationRule::HandshakeStatusNot101));
    QCOMPARE(violations->topLevelItem(0)->text(2), QStringLiteral("status 403"));

    // A failure without an explanation still says something plain.
    record.explanation.clear();
    view.setHandshake(record);
    QVERIFY(explanation->isVisible());
    QVERIFY(!explanation->text().isEmpty());

    // Back to an accepted one: the highlight goes away.
    view.setHandshake(acceptedRecord());
    QVERIFY(!explanation->isVisible());
    QVERIFY(!body->isVisible());

    view.clear();
    QCOMPARE(status->text(), QStringLiteral("No handshake"));
}

void tst_HandshakeView::binaryRefusalBodyIsHex()
{
    HandshakeRecord record;
    record.responseReceived = true;
    record.response.statusCode = 500;
    record.response.reasonPhrase = "Internal Server Error";
    record.response.body = QByteArray::fromHex("1f8b0800ff");
    record.response.bodyTruncated = true;
    HandshakeView view;
    view.setHandshake(record);
    view.show();
    auto *body = child<QPlainTextEdit>(view, "refusalBody");
    QVERIFY(body->toPlainText().startsWith(QStringLiteral("00000000  1f 8b 08 00 ff")));
    const QString note = child<QLabel>(view, "refusalBodyNote")->text();
    QVERIFY2(note.contains(QStringLiteral("binary")), qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("Only the first 5 bytes")), qPrintable(note));
}

void tst_HandshakeView::tlsErrorsAndCertificates()
{
    HandshakeRecord record = acceptedRecord();
    record.timings.tlsNs = 8'000'000;
    record.tlsProtocol = QStringLiteral("TLS 1.3");
    record.tlsCipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
    record.tlsErrors = {QStringLiteral("The certificate is self-signed, and untrusted"),
                        QStringLiteral("The host name did not match any of the valid hosts for this certificate")};
    const QList<QSslCertificate> chain = QSslCertificate::fromData(QByteArray(certificatePem), QSsl::Pem);
    QCOMPARE(chain.size(), 1);
    record.peerCertificateChain = chain;

    HandshakeView view;
    view.setHandshake(record);
    const QString summary = child<QLabel>(view, "tlsSummary")->text();
    QVERIFY(summary.contains(QStringLiteral("TLS 1.3")));
    QVERIFY(summary.contains(QStringLiteral("TLS_AES_256_GCM_SHA384")));
    QVERIFY2(summary.contains(QStringLiteral("ignored")), qPrintable(summary));
    auto *errors = child<QListWidget>(view, "tlsErrors");
    QCOMPARE(errors->count(), 2);
    QCOMPARE(errors->item(0)->text(), record.tlsErrors.at(0));
    QCOMPARE(errors->item(1)->text(), record.tlsErrors.at(1));
    auto *tabs = child<QTabWidget>(view, "handshakeTabs");
    QCOMPARE(tabs->tabText(tabs->indexOf(child<QLabel>(view, "tlsSummary")->parentWidget())),
             QStringLiteral("TLS (2 errors)"));

    auto *certificates = child<QTreeWidget>(view, "certificateChain");
    QCOMPARE(certificates->topLevelItemCount(), 1);
    QTreeWidgetItem *item = certificates->topLevelItem(0);
    QCOMPARE(item->text(0), QStringLiteral("test.example"));
    QCOMPARE(item->text(1), QStringLiteral("test.example"));
    QCOMPARE(item->text(2), QStringLiteral("2026-11-21T06:05:15Z"));
    QCOMPARE(item->text(3), QStringLiteral("2036-11-18T06:05:15Z"));
    QCOMPARE(item->text(4), QStringLiteral("FE:B3:43:45:91:98:F0:22:4A:42:60:EE:73:BA:60:57:5E:24:A5:33:DC:64:4A:E5:FD:"
                                           "FA:16:41:BF:73:81:89"));
    QVERIFY(item->childCount() >= 3); // expandable details

    QCOMPARE(child<TimingBar>(view, "timingBar")->segments().size(), 4);
}

void tst_HandshakeView::timingBarOmitsPhasesThatDidNotHappen()
{
    TimingBar bar;
    bar.setTimings(ConnectTimings{-1, 1'000'000, -1, 3'000'000});
    QCOMPARE(bar.segments().size(), 2);
    QCOMPARE(bar.segments().at(0).name, QStringLiteral("Connect"));
    QCOMPARE(bar.segments().at(1).name, QStringLiteral("Upgrade"));
    QCOMPARE(bar.totalNs(), qint64(4'000'000));
    QVERIFY(!bar.toolTip().contains(QStringLiteral("DNS")));
    QVERIFY(!bar.toolTip().contains(QStringLiteral("TLS")));
    QVERIFY(bar.toolTip().contains(QStringLiteral("Upgrade: 3.00 ms")));

    bar.setTimings(ConnectTimings{0, 250'000, 40'000'000, 100'000});
    QCOMPARE(bar.segments().size(), 4); // a zero-length DNS lookup still happened
    QCOMPARE(bar.segments().at(0).name, QStringLiteral("DNS"));
    QCOMPARE(bar.segments().at(2).name, QStringLiteral("TLS"));

    bar.setTimings(ConnectTimings{});
    QVERIFY(bar.segments().isEmpty());

    QCOMPARE(TimingBar::formatDuration(1'234'567), QStringLiteral("1.23 ms"));
    QCOMPARE(TimingBar::formatDuration(123'456'789), QStringLiteral("123.5 ms"));
}

void tst_HandshakeView::timingBarPaints()
{
    TimingBar bar;
    bar.resize(300, 30);
    bar.setTimings(ConnectTimings{1'000'000, 2'000'000, 3'000'000, 4'000'000});
    const QImage image = bar.grab().toImage();
    QVERIFY(!image.isNull());
    // The first segment is 10% of the width (plus a minimum sliver): its colour is at the left edge, the last
    // segment's at the right.
    const Theme theme(bar.palette());
    QCOMPARE(image.pixelColor(image.width() / 100 + 2, 2), theme.color(bar.segments().first().color));
    QCOMPARE(image.pixelColor(image.width() - 5, 2), theme.color(bar.segments().last().color));
    bar.setTimings(ConnectTimings{});
    QVERIFY(!bar.grab().isNull());
}

QTEST_MAIN(tst_HandshakeView)
#include "tst_handshakeview.moc"
