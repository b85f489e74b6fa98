// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaptureProcess.h"

#include "CliProcess.h"
#include "PeerProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrl>

namespace wsi::test {

CaptureProcess::~CaptureProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool CaptureProcess::start(const QStringList &arguments, const QString &command)
{
    m_process.start(cliPath(), QStringList{command, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                           QStringLiteral("--json")} +
                                   arguments);
    if (!m_process.waitForStarted(5000)) {
        m_error = m_process.errorString();
        return false;
    }
    m_listening = waitForEvent("listening", [](const QJsonObject &) { return true; });
    m_port = quint16(QUrl(m_listening.value(QStringLiteral("url")).toString()).port(0));
    if (m_listening.isEmpty() || m_port == 0) {
        m_error =
            QStringLiteral("%1 did not listen: %2").arg(command, QString::fromUtf8(m_process.readAllStandardError()));
        return false;
    }
    return true;
}

bool CaptureProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return false;
    m_process.terminate();
    if (!QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, waitMs))
        return false;
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

QJsonObject CaptureProcess::waitForEvent(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    for (const QJsonObject &event : std::as_const(m_events)) {
        if (match(event))
            return event;
    }
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            m_pendingOut += m_process.readAllStandardOutput();
            qsizetype newline;
            while ((newline = m_pendingOut.indexOf('\n')) >= 0) {
                const QByteArray line = m_pendingOut.first(newline);
                m_pendingOut.remove(0, newline + 1);
                const QJsonObject event = QJsonDocument::fromJson(line).object();
                m_events.append(event);
                if (found.isEmpty() && match(event))
                    found = event;
            }
            return !found.isEmpty() || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    return found;
}

QJsonObject CaptureProcess::waitForEvent(const char *name, const std::function<bool(const QJsonObject &)> &match,
                                         int timeoutMs)
{
    return waitForEvent(
        [&](const QJsonObject &e) {
            return e.value(QStringLiteral("event")).toString() == QLatin1StringView(name) && match(e);
        },
        timeoutMs);
}

QList<QJsonObject> CaptureProcess::eventsOf(int conn) const
{
    QList<QJsonObject> events;
    for (const QJsonObject &event : m_events) {
        if (event.value(QStringLiteral("conn")).toInt() == conn)
            events.append(event);
    }
    return events;
}

QStringList CaptureProcess::messagesOf(int conn, const QString &from) const
{
    QStringList payloads;
    for (const QJsonObject &event : eventsOf(conn)) {
        if (event.value(QStringLiteral("event")).toString() == QLatin1StringView("message") &&
            event.value(QStringLiteral("from")).toString() == from)
            payloads.append(event.value(QStringLiteral("payload")).toString());
    }
    return payloads;
}

QString CaptureProcess::runChromiumPage(const QString &profileFolder, const QString &query, QString *error,
                                        const QProcessEnvironment &environment)
{
    const QString chromium = PeerProcess::findProgram({QStringLiteral("chromium")}, QStringLiteral("chromium"), error);
    const QString python =
        chromium.isEmpty() ? QString()
                           : PeerProcess::findProgram({QStringLiteral("python3")}, QStringLiteral("python3"), error);
    if (python.isEmpty())
        return {};
    PeerProcess page;
    const quint16 port = PeerProcess::freePort();
    if (!page.startListening(python, QStringLiteral("python3"),
                             {QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("--bind"),
                              QStringLiteral("127.0.0.1"), QString::number(port), QStringLiteral("--directory"),
                              QStringLiteral(WSI_TEST_DATA_DIR "/peers")},
                             port)) {
        *error = page.errorString();
        return {};
    }
    // Loopback through the proxy (Chromium bypasses it for loopback by default); the browser's background requests
    // bypass it to names that resolve to nothing.
    QProcess browser;
    browser.setProcessEnvironment(environment);
    browser.setProcessChannelMode(QProcess::MergedChannels);
    browser.start(chromium,
                  {QStringLiteral("--headless=new"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                   QStringLiteral("--user-data-dir=") + profileFolder, QStringLiteral("--proxy-server=") + proxyUrl(),
                   QStringLiteral("--proxy-bypass-list=<-loopback>;*.google.com;*.googleapis.com;*.gstatic.com;"
                                  "*.gvt1.com"),
                   QStringLiteral("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
                   QStringLiteral("--disable-background-networking"), QStringLiteral("--disable-component-update"),
                   QStringLiteral("--no-pings"), QStringLiteral("--disable-sync"), QStringLiteral("--no-first-run"),
                   QStringLiteral("--disable-features=LocalNetworkAccessChecks"),
                   QStringLiteral("http://127.0.0.1:%1/chromium_page.html?%2").arg(port).arg(query)});
    if (!browser.waitForStarted(5000)) {
        *error = browser.errorString();
        return {};
    }
    const QJsonObject result = waitForEvent(
        "http",
        [](const QJsonObject &e) {
            return e.value(QStringLiteral("url")).toString().contains(QStringLiteral("/result?ok="));
        },
        60000);
    browser.terminate();
    if (!browser.waitForFinished(5000)) {
        browser.kill();
        browser.waitForFinished(5000);
    }
    if (result.isEmpty())
        *error = QStringLiteral("the page did not report: %1").arg(QString::fromUtf8(browser.readAll().right(2000)));
    return result.value(QStringLiteral("url")).toString();
}

QJsonObject CaptureProcess::runNodeClient(const QString &url, const QString &caFile, QString *error,
                                          const QStringList &options) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!caFile.isEmpty())
        environment.insert(QStringLiteral("NODE_EXTRA_CA_CERTS"), caFile);
    return runNodeScript(QStringLiteral("node_proxy_client.js"), QStringList{proxyUrl(), url} + options,
                         QStringLiteral("https-proxy-agent"), error, environment);
}

QJsonObject CaptureProcess::runNodeScript(const QString &script, const QStringList &arguments, const QString &module,
                                          QString *error, QProcessEnvironment environment)
{
    const QString node = PeerProcess::nodeWithModules({module}, &environment, error);
    if (node.isEmpty())
        return {};
    QByteArray out;
    if (!runProgram(node, QStringList{QStringLiteral(WSI_TEST_DATA_DIR "/peers/") + script} + arguments, &out, error,
                    environment))
        return {};
    const QJsonObject result = QJsonDocument::fromJson(out).object();
    if (!result.value(QStringLiteral("ok")).toBool())
        *error = QString::fromUtf8(out);
    return result;
}

QString CaptureProcess::nodeClientRecordingProblem(const QString &recording, const QString &jsonl,
                                                   const QString &requestLine)
{
    const CliRun run = runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), jsonl});
    if (!run.finished || run.exitCode != 0)
        return describe(run);
    QFile exported(jsonl);
    if (!exported.open(QIODevice::ReadOnly))
        return exported.errorString();
    const QList<QJsonObject> lines = jsonLines(exported.readAll());
    const QList<QJsonObject> handshakes = eventsNamed(lines, QStringLiteral("handshake"));
    if (handshakes.size() != 1)
        return QStringLiteral("%1 handshakes recorded").arg(handshakes.size());
    const QJsonObject handshake = handshakes.constFirst();
    const QString request =
        handshake.value(QStringLiteral("request")).toObject().value(QStringLiteral("raw")).toString();
    const int status = handshake.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt();
    if (!request.startsWith(requestLine) || status != 101)
        return QStringLiteral("handshake recorded: %1").arg(QString::fromUtf8(QJsonDocument(handshake).toJson()));
    const QString large = QStringLiteral("compressible ").repeated(5000); // what node_proxy_client.js sends
    QStringList largeDirections;
    for (const QJsonObject &message : eventsNamed(lines, QStringLiteral("message"))) {
        if (message.value(QStringLiteral("payload")).toString() == large)
            largeDirections.append(message.value(QStringLiteral("dir")).toString());
    }
    if (largeDirections != QStringList{QStringLiteral("out"), QStringLiteral("in")})
        return QStringLiteral("the large message is recorded whole in [%1], not out and in")
            .arg(largeDirections.join(u','));
    if (eventsNamed(lines, QStringLiteral("close")).size() != 1)
        return QStringLiteral("not one close recorded");
    return {};
}

bool CaptureProcess::runProgram(const QString &program, const QStringList &arguments, QByteArray *out, QString *error,
                                const QProcessEnvironment &environment, int expectedExit)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForStarted(5000) || !process.waitForFinished(waitMs)) {
        process.kill();
        process.waitForFinished(2000);
        *error = QStringLiteral("%1 did not finish: %2").arg(program, process.errorString());
        return false;
    }
    *out = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != expectedExit) {
        *error = QStringLiteral("%1 %2 exited with %3: %4%5")
                     .arg(program, arguments.join(u' '))
                     .arg(process.exitCode())
                     .arg(QString::fromUtf8(*out), QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

} // namespace wsi::test
