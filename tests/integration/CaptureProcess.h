// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

namespace wsi::test {

// `wsinspector-cli capture --listen 127.0.0.1:0 --json ...` (or `proxy`, the same relay's events) running for a test,
// its events read as they come.
class CaptureProcess final
{
public:
    static constexpr int waitMs = 20000;

    CaptureProcess() = default;
    ~CaptureProcess();
    CaptureProcess(const CaptureProcess &) = delete;
    CaptureProcess &operator=(const CaptureProcess &) = delete;

    // Starts `command` with `arguments` after "--listen 127.0.0.1:0 --json" and waits for its "listening" event.
    bool start(const QStringList &arguments, const QString &command = QStringLiteral("capture"));
    // Stops it with SIGTERM; true when it exited 0.
    bool stop();
    QString errorString() const { return m_error; }
    QProcess &process() { return m_process; }

    quint16 port() const { return m_port; }
    QString proxyUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QJsonObject listening() const { return m_listening; }

    // Reads its stdout until an event for which `match` holds (or one seen before); that event, or an empty object.
    QJsonObject waitForEvent(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = waitMs);
    // The first event named `name` for which `match` holds.
    QJsonObject waitForEvent(const char *name, const std::function<bool(const QJsonObject &)> &match,
                             int timeoutMs = waitMs);
    QList<QJsonObject> eventsOf(int conn) const;
    // The payloads of connection `conn`'s "message" events from `from` ("client" or "server"), in order.
    QStringList messagesOf(int conn, const QString &from) const;

    // Headless Chromium pointed at this proxy (loopback included; its own background requests kept off the network,
    // so only the test's requests reach the proxy) loads tests/integration/peers/chromium_page.html?`query` from
    // python3's http.server and runs until the page reports to /result. The report's URL ("...?ok=1&why=..."), or
    // empty with *error. `environment` is the browser's (HOME names its NSS store).
    QString runChromiumPage(const QString &profileFolder, const QString &query, QString *error,
                            const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    // Runs peers/node_proxy_client.js (Node `ws` through https-proxy-agent) through this proxy to `url`, with
    // `caFile` as NODE_EXTRA_CA_CERTS when given, and the script's `options` (--hold); its JSON result, or an empty
    // object with *error.
    QJsonObject runNodeClient(const QString &url, const QString &caFile, QString *error,
                              const QStringList &options = {}) const;
    // Runs a client script of tests/integration/peers with Node, tests/integration/node's packages on its path
    // (`module` must be there), to its end: the JSON line it prints, or an empty object with *error (also set when
    // its "ok" is false).
    static QJsonObject runNodeScript(const QString &script, const QStringList &arguments, const QString &module,
                                     QString *error,
                                     QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());

    // What is wrong with the recording of node_proxy_client.js's session (peers/), read back by `export --jsonl`
    // into `jsonl`: one handshake whose request starts with `requestLine` and a 101, its large message whole both
    // ways, one close. Empty when nothing is.
    static QString nodeClientRecordingProblem(const QString &recording, const QString &jsonl,
                                              const QString &requestLine);

    // Runs a program to its end, at most waitMs; its stdout, or a failed check's message in *error (also when it
    // exits with another status than `expectedExit`).
    static bool runProgram(const QString &program, const QStringList &arguments, QByteArray *out, QString *error,
                           const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                           int expectedExit = 0);

private:
    QProcess m_process;
    QByteArray m_pendingOut;
    QList<QJsonObject> m_events;
    QJsonObject m_listening;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace wsi::test
