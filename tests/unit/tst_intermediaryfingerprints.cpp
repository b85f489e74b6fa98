// SPDX-License-Identifier: GPL-3.0-or-later
// IntermediaryFingerprints: each fingerprint of resources/fingerprints.json against an upgrade response written
// with the fields its service documents (the source of each is named in the row), responses that name nobody, and
// broken tables refused with a message naming the entry and field.
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/IntermediaryFingerprints.h"
#include "core/protocol/HandshakeResponseParser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

namespace {

// A recorded 101 as the parser reads it off the wire, with the service's own fields after the upgrade fields.
HttpHeaders upgradeResponse(const QByteArray &extraFields)
{
    HandshakeResponseParser parser;
    const QByteArray raw = "HTTP/1.1 101 Switching Protocols\r\n"
                           "Upgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
                           extraFields + "\r\n";
    if (parser.feed(raw) != HandshakeResponseParser::State::Complete)
        qFatal("test response does not parse: %s", raw.constData());
    return parser.response().headers;
}

} // namespace

class tst_IntermediaryFingerprints : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInTableLoadsAndCitesEverySource();
    void documentedResponsesNameTheirService_data();
    void documentedResponsesNameTheirService();
    void responsesThatNameNobody_data();
    void responsesThatNameNobody();
    void brokenTablesAreRefused_data();
    void brokenTablesAreRefused();
};

void tst_IntermediaryFingerprints::builtInTableLoadsAndCitesEverySource()
{
    const IntermediaryFingerprints &table = IntermediaryFingerprints::builtIn();
    QVERIFY(table.fingerprints().size() >= 10);
    for (const IntermediaryFingerprint &fingerprint : table.fingerprints()) {
        QVERIFY2(fingerprint.source.startsWith(QLatin1StringView("https://")), fingerprint.header.constData());
        QVERIFY2(!fingerprint.note.isEmpty(), fingerprint.header.constData());
        for (const QString &id : fingerprint.intermediaries)
            QVERIFY2(IntermediaryCatalog::builtIn().find(id), qPrintable(id));
    }
    // The table read is the one in resources/.
    QFile file(IntermediaryFingerprints::builtInPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("fingerprints")).toArray().size(),
             table.fingerprints().size());
}

void tst_IntermediaryFingerprints::documentedResponsesNameTheirService_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("clue");
    QTest::addColumn<QString>("source");

    QTest::newRow("nginx: Server with version (server_tokens on)")
        << QByteArray("Server: nginx/1.22.1\r\nDate: Mon, 07 Dec 2026 05:00:00 GMT\r\n") << "nginx"
        << "Server: nginx/1.22.1"
        << "https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens";
    QTest::newRow("nginx: Server without version (server_tokens off)")
        << QByteArray("Server: nginx\r\n") << "ingress-nginx"
        << "Server: nginx"
        << "https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens";
    QTest::newRow("Envoy: default server_name")
        << QByteArray("server: envoy\r\n") << "envoy"
        << "server: envoy"
        << "https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/"
           "v3/http_connection_manager.proto#envoy-v3-api-field-extensions-filters-network-http-connection-manager-"
           "v3-httpconnectionmanager-server-name";
    QTest::newRow("Envoy: router filter's upstream service time behind a renamed server")
        << QByteArray("server: istio-envoy\r\nx-envoy-upstream-service-time: 3\r\n") << "envoy"
        << "x-envoy-upstream-service-time: 3"
        << "https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter"
           "#x-envoy-upstream-service-time";
    QTest::newRow("Caddy: Server set by Server.ServeHTTP")
        << QByteArray("Server: Caddy\r\n") << "caddy"
        << "Server: Caddy"
        << "https://github.com/caddyserver/caddy/blob/master/modules/caddyhttp/server.go";
    QTest::newRow("Cloudflare: CF-RAY with the data center code")
        << QByteArray("Server: cloudflare\r\nCF-RAY: 9ab9830f8f01234f-SJC\r\n") << "cloudflare"
        << "CF-RAY: 9ab9830f8f01234f-SJC"
        << "https://http.dev/cf-ray";
    QTest::newRow("AWS ALB: stickiness cookie")
        << QByteArray("Set-Cookie: AWSALB=kXrM3z0nA; Expires=Mon, 14 Dec 2026 05:00:00 GMT; Path=/\r\n"
                      "Set-Cookie: AWSALBCORS=kXrM3z0nA; Expires=Mon, 14 Dec 2026 05:00:00 GMT; Path=/; "
                      "SameSite=None; Secure\r\n")
        << "aws-alb" << QStringLiteral("Set-Cookie: AWSALB=\u2026") // the cookie's value never leaves the handshake
        << "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/sticky-sessions.html";
    QTest::newRow("API Gateway: extended request id")
        << QByteArray("x-amzn-RequestId: 6f1d9c3e-2a4b-4c1d-9e8f-0a1b2c3d4e5f\r\nx-amz-apigw-id: XxxXXXxxIAMEbZw=\r\n")
        << "aws-apigw-websocket"
        << "x-amz-apigw-id: XxxXXXxxIAMEbZw="
        << "https://repost.aws/knowledge-center/collect-api-gateway-extended-request-ids";
    QTest::newRow("Azure Front Door: X-Azure-Ref to the client")
        << QByteArray("X-Azure-Ref: 0zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkA\r\nX-Cache: CONFIG_NOCACHE\r\n")
        << "azure-front-door"
        << "X-Azure-Ref: 0zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkA"
        << "https://learn.microsoft.com/en-us/azure/frontdoor/front-door-http-headers-protocol";
    QTest::newRow("Google Cloud load balancer: Via 1.1 google")
        << QByteArray("Via: 1.1 google\r\nAlt-Svc: h3=\":443\"; ma=2592000\r\n") << "gcp-https-lb"
        << "Via: 1.1 google"
        << "https://cloud.google.com/load-balancing/docs/https#target-proxies";
    QTest::newRow("Heroku legacy router: Via vegur") << QByteArray("Via: 1.1 vegur\r\n") << "heroku"
                                                     << "Via: 1.1 vegur"
                                                     << "https://blog.heroku.com/tips-tricks-router-2dot0-migration";
    QTest::newRow("Heroku Router 2.0: Via heroku-router")
        << QByteArray("Via: 1.1 heroku-router\r\n") << "heroku"
        << "Via: 1.1 heroku-router"
        << "https://blog.heroku.com/tips-tricks-router-2dot0-migration";
    QTest::newRow("Fly.io proxy: Via fly.io")
        << QByteArray("Via: 1.1 fly.io\r\nFly-Request-Id: 01HZ8Q-ams\r\n") << "fly-io"
        << "Via: 1.1 fly.io"
        << "https://fly.io/docs/networking/request-headers/";
}

void tst_IntermediaryFingerprints::documentedResponsesNameTheirService()
{
    QFETCH(QByteArray, fields);
    QFETCH(QString, model);
    QFETCH(QString, clue);
    QFETCH(QString, source);
    const QList<FingerprintClue> clues = IntermediaryFingerprints::builtIn().identify(upgradeResponse(fields));
    QVERIFY(!clues.isEmpty());
    const auto found =
        std::find_if(clues.begin(), clues.end(), [&](const FingerprintClue &c) { return c.fieldText() == clue; });
    QVERIFY2(found != clues.end(), qPrintable(clues.constFirst().fieldText()));
    QVERIFY2(found->names(model), qPrintable(found->intermediaries.join(u',')));
    QCOMPARE(found->source, source);
    QCOMPARE(found->text(), clue + QStringLiteral(" in the upgrade response"));
    // Every clue found names a model of the catalog.
    for (const FingerprintClue &c : clues)
        QVERIFY(!c.intermediaries.isEmpty());
}

void tst_IntermediaryFingerprints::responsesThatNameNobody_data()
{
    QTest::addColumn<QByteArray>("fields");
    // HAProxy adds no field of its own to a 101 by default.
    QTest::newRow("HAProxy default: upgrade fields only") << QByteArray();
    QTest::newRow("an application server") << QByteArray("Server: uvicorn\r\nDate: Mon, 07 Dec 2026 05:00:00 GMT\r\n");
    // Looks alike, is not: a server whose name only starts like nginx's, a Via naming another proxy, an empty
    // API Gateway id, a cookie that merely contains the ALB's name.
    QTest::newRow("nginx-like name") << QByteArray("Server: nginxish-gateway\r\n");
    QTest::newRow("another proxy in Via") << QByteArray("Via: 1.1 squid, 1.0 googlebot\r\n");
    QTest::newRow("empty API Gateway id") << QByteArray("x-amz-apigw-id: \r\n");
    QTest::newRow("cookie mentioning AWSALB") << QByteArray("Set-Cookie: session=AWSALB-like; Path=/\r\n");
}

void tst_IntermediaryFingerprints::responsesThatNameNobody()
{
    QFETCH(QByteArray, fields);
    const QList<FingerprintClue> clues = IntermediaryFingerprints::builtIn().identify(upgradeResponse(fields));
    QVERIFY2(clues.isEmpty(), qPrintable(clues.isEmpty() ? QString() : clues.constFirst().fieldText()));
}

void tst_IntermediaryFingerprints::brokenTablesAreRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const QByteArray good = R"({"header": "Server", "pattern": "^nginx", "intermediaries": ["nginx"],
                               "source": "https://nginx.org/"})";
    QTest::newRow("not JSON") << QByteArray("{") << "not JSON";
    QTest::newRow("schema") << QByteArray(R"({"schema_version": 2, "fingerprints": [)" + good + "]}")
                            << "schema_version must be 1";
    QTest::newRow("empty") << QByteArray(R"({"schema_version": 1, "fingerprints": []})")
                           << "\"fingerprints\" must be a non-empty array";
    QTest::newRow("bad pattern") << QByteArray(R"({"schema_version": 1, "fingerprints": [)" + good +
                                               R"(, {"header": "Via", "pattern": "(vegur", "intermediaries": ["heroku"],
                         "source": "https://example.org/"}]})")
                                 << "fingerprint 2 (Via): field \"pattern\" is not a valid regular expression";
    QTest::newRow("unknown intermediary")
        << QByteArray(R"({"schema_version": 1, "fingerprints": [{"header": "Server", "pattern": "x",
                         "intermediaries": ["squid"], "source": "https://example.org/"}]})")
        << "fingerprint 1 (Server): intermediary 'squid' is not in the catalog";
    QTest::newRow("no source") << QByteArray(
                                      R"({"schema_version": 1, "fingerprints": [{"header": "Server", "pattern": "x",
                         "intermediaries": ["nginx"]}]})")
                               << "fingerprint 1 (Server): field \"source\" must be the URL";
    QTest::newRow("header not a field name")
        << QByteArray(R"({"schema_version": 1, "fingerprints": [{"header": "Ser ver", "pattern": "x",
                         "intermediaries": ["nginx"], "source": "https://example.org/"}]})")
        << "fingerprint 1 (Ser ver): field \"header\" must be a header field name";
}

void tst_IntermediaryFingerprints::brokenTablesAreRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!IntermediaryFingerprints::fromJson(json, IntermediaryCatalog::builtIn(), &error));
    QVERIFY2(error.startsWith(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_IntermediaryFingerprints)
#include "tst_intermediaryfingerprints.moc"
