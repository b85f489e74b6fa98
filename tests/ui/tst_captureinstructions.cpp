// SPDX-License-Identifier: GPL-3.0-or-later
// "Point your app at it": the proxy's port and the CA certificate's path written into every command, each snippet
// copied whole by its button, paths a shell reads back as they are, and the GNOME commands run for real against
// GSettings' keyfile backend (so the keys and values exist as written).
#include "ui/capture/CaptureInstructions.h"
#include "ui/capture/CaptureInstructionsDialog.h"
#include "ui/capture/SnippetView.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

constexpr quint16 port = 45678;
const QString caFile = QStringLiteral("/tmp/a folder/it's mine.pem");

// What `sh` makes of `word`: the word as a program receives it.
QString readByShell(const QString &word)
{
    QProcess shell;
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("printf %s ") + word});
    if (!shell.waitForFinished(5000))
        return QStringLiteral("(sh did not finish)");
    return QString::fromUtf8(shell.readAllStandardOutput());
}

} // namespace

class tst_CaptureInstructions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySectionNamesThePortWhereItSpeaksOfTheProxy();
    void caPathIsOneWordForTheShell_data();
    void caPathIsOneWordForTheShell();
    void gnomeCommandsRunAsWritten();
    void everySnippetIsCopiedWhole();
    void followsTheProxysPort();
};

void tst_CaptureInstructions::everySectionNamesThePortWhereItSpeaksOfTheProxy()
{
    const QList<CaptureInstructions::Section> sections = CaptureInstructions::sections(port, caFile);
    QStringList ids;
    for (const CaptureInstructions::Section &section : sections)
        ids.append(section.id);
    // Every kind of application the capture is for.
    for (const char *id : {"environment", "chrome", "firefox", "windows", "macos", "gnome", "linux-ca", "node",
                           "python", "java", "dotnet", "curl", "android", "ios"})
        QVERIFY2(ids.contains(QLatin1StringView(id)), id);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
    const QRegularExpression anyProxy(QStringLiteral("127\\.0\\.0\\.1(:[0-9]+)?"));
    const QRegularExpression placeholder(QStringLiteral("\\bPORT\\b|%[0-9]"));
    const QRegularExpression caPlaceholder(QStringLiteral("(^|[\\s=])ca\\.pem"));
    // Where the CA is to be trusted, it is this file, as one word of its command.
    const QStringList caSections = {QStringLiteral("chrome"),  QStringLiteral("firefox"),  QStringLiteral("windows"),
                                    QStringLiteral("macos"),   QStringLiteral("linux-ca"), QStringLiteral("node"),
                                    QStringLiteral("python"),  QStringLiteral("java"),     QStringLiteral("curl"),
                                    QStringLiteral("android"), QStringLiteral("ios")};
    for (const CaptureInstructions::Section &section : sections) {
        QVERIFY2(!section.snippets.isEmpty(), qPrintable(section.id));
        bool speaksOfTheProxy = false;
        bool namesThePort = false;
        bool namesTheCa = false;
        for (const CaptureInstructions::Snippet &snippet : section.snippets) {
            const QString where =
                section.id + QStringLiteral(" / ") + snippet.label + QStringLiteral(": ") + snippet.text;
            QVERIFY2(!snippet.text.trimmed().isEmpty() && !snippet.label.isEmpty(), qPrintable(where));
            QVERIFY2(!placeholder.match(snippet.text).hasMatch(), qPrintable(where));
            // Wherever a URL or host:port of the proxy is written, it is this port.
            for (auto match = anyProxy.globalMatch(snippet.text); match.hasNext();) {
                const QString found = match.next().captured(0);
                speaksOfTheProxy = true;
                if (found.contains(u':'))
                    QVERIFY2(found == QStringLiteral("127.0.0.1:%1").arg(port), qPrintable(where));
            }
            namesThePort = namesThePort || snippet.text.contains(QString::number(port));
            // The CA is the real file, quoted for its shell, never a name to fill in.
            QVERIFY2(!caPlaceholder.match(snippet.text).hasMatch(), qPrintable(where));
            if (snippet.text.contains(QStringLiteral("mine.pem")))
                namesTheCa = true;
        }
        if (speaksOfTheProxy)
            QVERIFY2(namesThePort, qPrintable(section.id));
        if (caSections.contains(section.id))
            QVERIFY2(namesTheCa, qPrintable(section.id));
        QVERIFY2(!placeholder.match(section.steps).hasMatch(), qPrintable(section.id));
    }
    // The CA's own page says that trusting it is the user's choice, never done by the application.
    const CaptureInstructions::Section ca =
        CaptureInstructions::authority(QStringLiteral("/tmp/ca-folder"), caFile, QStringLiteral("AB:CD"), QString());
    QVERIFY(ca.steps.contains(QStringLiteral("Installing the CA is your choice")));
    QVERIFY(ca.steps.contains(QStringLiteral("never installs it")));
    QCOMPARE(ca.snippets.constLast().text, QStringLiteral("AB:CD"));
}

void tst_CaptureInstructions::caPathIsOneWordForTheShell_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("plain") << QStringLiteral("/home/ana/.local/share/wsinspector/capture-ca/ca.pem");
    QTest::newRow("space") << QStringLiteral("/Users/Ana Lopez/ca.pem");
    QTest::newRow("quote") << caFile;
    QTest::newRow("dollar and backquote") << QStringLiteral("/tmp/$HOME `id` ca.pem");
}

void tst_CaptureInstructions::caPathIsOneWordForTheShell()
{
    QFETCH(QString, path);
    QCOMPARE(readByShell(CaptureInstructions::shellWord(path)), path);
    const QString home = QDir::homePath();
    QCOMPARE(readByShell(CaptureInstructions::shellWord(QStringLiteral("~/My CA/ca.pem"))),
             home + QStringLiteral("/My CA/ca.pem"));
}

void tst_CaptureInstructions::gnomeCommandsRunAsWritten()
{
    const QString gsettings = QStandardPaths::findExecutable(QStringLiteral("gsettings"));
    QVERIFY2(!gsettings.isEmpty(), "gsettings is missing: install libglib2.0-bin (and gsettings-desktop-schemas)");
    const QList<CaptureInstructions::Section> sections = CaptureInstructions::sections(port, caFile);
    const auto gnome = std::find_if(sections.begin(), sections.end(),
                                    [](const auto &section) { return section.id == QLatin1StringView("gnome"); });
    QVERIFY(gnome != sections.end());
    // Each snippet as the user pastes it, against GSettings' keyfile backend in a folder of the test's (nothing of
    // this machine's settings changes), then the settings read back.
    QTemporaryDir config;
    QVERIFY(config.isValid());
    QString script;
    for (const CaptureInstructions::Snippet &snippet : gnome->snippets.mid(0, 2))
        script += snippet.text + QLatin1Char('\n');
    script += QStringLiteral("gsettings get org.gnome.system.proxy mode\n"
                             "gsettings get org.gnome.system.proxy.http port\n"
                             "gsettings get org.gnome.system.proxy.https host\n"
                             "gsettings get org.gnome.system.proxy ignore-hosts\n");
    QProcess shell;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GSETTINGS_BACKEND"), QStringLiteral("keyfile"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    shell.setProcessEnvironment(environment);
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-ec"), script});
    QVERIFY(shell.waitForFinished(10000));
    const QString out = QString::fromUtf8(shell.readAllStandardOutput());
    QVERIFY2(shell.exitCode() == 0, qPrintable(QString::fromUtf8(shell.readAllStandardError())));
    QCOMPARE(out, QStringLiteral("'manual'\n%1\n'127.0.0.1'\n@as []\n").arg(port));
}

void tst_CaptureInstructions::everySnippetIsCopiedWhole()
{
    QTemporaryDir caFolder;
    QVERIFY(caFolder.isValid());
    CaptureInstructionsDialog dialog(port, true, caFolder.path());
    dialog.show();
    QVERIFY(dialog.sectionIds().startsWith(QStringLiteral("ca")));
    // The CA is opened (made here) off the GUI thread; its fingerprint then shows on its page.
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const auto &[view, copy] : dialog.snippets()) {
                if (QRegularExpression(QStringLiteral("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"))
                        .match(view->text())
                        .hasMatch())
                    return true;
            }
            return false;
        },
        10000));
    const QList<CaptureInstructions::Section> sections =
        CaptureInstructions::sections(port, QDir(caFolder.path()).filePath(QStringLiteral("ca.pem")));
    int expected = 0;
    for (const CaptureInstructions::Section &section : sections)
        expected += int(section.snippets.size());
    QVERIFY(dialog.snippets().size() > expected); // and the CA's own
    for (const auto &[view, copy] : dialog.snippets()) {
        QGuiApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), view->text());
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
    }
    // Each page shows its snippets whole: none scrolls or hides part of its text at the dialog's width.
    for (const QString &id : dialog.sectionIds()) {
        dialog.showSection(id);
        QCoreApplication::processEvents();
        int shown = 0;
        for (const auto &[view, copy] : dialog.snippets()) {
            if (!view->isVisible())
                continue;
            ++shown;
            QVERIFY2(view->document()->size().height() <= view->viewport()->height() + 1,
                     qPrintable(id + QStringLiteral(": ") + view->text()));
        }
        QVERIFY2(shown > 0, qPrintable(id));
    }
    dialog.findChild<QPushButton *>(QStringLiteral("copyProxyUrl"))->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("http://127.0.0.1:%1").arg(port));
}

void tst_CaptureInstructions::followsTheProxysPort()
{
    QTemporaryDir caFolder;
    QVERIFY(caFolder.isValid());
    CaptureInstructionsDialog dialog(port, false, caFolder.path());
    const auto *line = dialog.findChild<QLabel *>(QStringLiteral("captureProxyLine"));
    QVERIFY2(line->text().contains(QStringLiteral("not running")), qPrintable(line->text()));
    dialog.setProxy(51234, true);
    QVERIFY2(line->text().contains(QStringLiteral("http://127.0.0.1:51234")), qPrintable(line->text()));
    bool any = false;
    for (const auto &[view, copy] : dialog.snippets()) {
        QVERIFY2(!view->text().contains(QString::number(port)), qPrintable(view->text()));
        any = any || view->text().contains(QStringLiteral("127.0.0.1:51234"));
    }
    QVERIFY(any);
}

QTEST_MAIN(tst_CaptureInstructions)
#include "tst_captureinstructions.moc"
