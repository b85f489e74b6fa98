// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/capture/CaptureInstructions.h"

#include <QDir>
#include <QRegularExpression>

namespace wsi {

QString CaptureInstructions::proxyUrl(quint16 port)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port);
}

QString CaptureInstructions::shellWord(const QString &path)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:@%+=,-]+$"));
    // A leading ~/ stays outside the quotes so the shell still expands it.
    if (path.startsWith(QLatin1StringView("~/")))
        return QStringLiteral("~/") + shellWord(path.mid(2));
    if (plain.match(path).hasMatch())
        return path;
    QString quoted = path;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString CaptureInstructions::windowsWord(const QString &path)
{
    const QString native = QDir::toNativeSeparators(path);
    return native.contains(QLatin1Char(' ')) ? QLatin1Char('"') + native + QLatin1Char('"') : native;
}

CaptureInstructions::Section CaptureInstructions::authority(const QString &caFolder, const QString &caFile,
                                                            const QString &fingerprint, const QString &error)
{
    Section section{
        QStringLiteral("ca"),
        tr("The capture CA"),
        tr("To read wss:// traffic, the capture proxy answers the application with a certificate for the host it "
           "asked for, signed by WS Inspector's own capture CA, made on this computer the first time it is needed. "
           "The application accepts it only if it trusts that CA.\n\n"
           "Installing the CA is your choice, and yours to undo: WS Inspector never installs it anywhere. The pages "
           "for each application say how. Its key stays in %1, readable by you alone, and is never exported: anyone "
           "holding it could read what a device that trusts the CA sends over TLS, so trust it only where you "
           "develop, and take it out when done. Hosts you do not intercept are passed through unread and need no "
           "CA.\n\n"
           "Export CA certificate… writes the certificate (never the key) wherever you want it, for another device.")
            .arg(QDir::toNativeSeparators(caFolder)),
        {{tr("CA certificate"), QDir::toNativeSeparators(caFile)}}};
    if (!error.isEmpty())
        section.steps += QStringLiteral("\n\n") + tr("The CA cannot be used now: %1").arg(error);
    else if (!fingerprint.isEmpty())
        section.snippets.append({tr("SHA-256 fingerprint (compare it with what the trust store shows)"), fingerprint});
    return section;
}

QList<CaptureInstructions::Section> CaptureInstructions::sections(quint16 port, const QString &caFile)
{
    const QString p = QString::number(port);
    const QString proxy = proxyUrl(port);
    const QString ca = shellWord(caFile);
    const QString caWindows = windowsWord(caFile);
    // The Mac's own proxy, which the iOS simulator follows too.
    const QString macProxy = QStringLiteral("networksetup -setwebproxy \"Wi-Fi\" 127.0.0.1 %1 && "
                                            "networksetup -setsecurewebproxy \"Wi-Fi\" 127.0.0.1 %1")
                                 .arg(p);
    QList<Section> all;

    all.append(
        {QStringLiteral("environment"),
         tr("Command-line tools (environment)"),
         tr("Most command-line tools and libraries take their proxy from these variables (some read only the "
            "lower-case ones). Many skip localhost and 127.0.0.1 whatever they say, or when no_proxy lists "
            "them: to capture a server on this machine, call it by this machine's network name or address."),
         {{tr("POSIX shell (bash, zsh)"),
           QStringLiteral("export http_proxy=%1 https_proxy=%1 HTTP_PROXY=%1 HTTPS_PROXY=%1").arg(proxy)},
          {tr("PowerShell"), QStringLiteral("$env:HTTP_PROXY = \"%1\"; $env:HTTPS_PROXY = \"%1\"").arg(proxy)}}});

    all.append(
        {QStringLiteral("chrome"),
         tr("Chrome, Chromium, Edge"),
         tr("Start the browser with the capture proxy as its proxy. Quit it first (every window): a browser that is "
            "already running hands the flags to the running one, which ignores them; or give it a profile of its own "
            "with --user-data-dir=FOLDER. The <-loopback> rule sends localhost and 127.0.0.1 through the proxy too, "
            "which these browsers otherwise reach directly.\n\nOn Linux, Chrome and Chromium trust CAs from their own "
            "NSS store (certutil is in libnss3-tools); on Windows and macOS they use the system's store (see those "
            "pages)."),
         {{tr("Linux"), QStringLiteral("chromium --proxy-server=%1 --proxy-bypass-list='<-loopback>'").arg(proxy)},
          {tr("macOS"), QStringLiteral("open -na \"Google Chrome\" --args --proxy-server=%1 "
                                       "--proxy-bypass-list='<-loopback>'")
                            .arg(proxy)},
          {tr("Windows (Command Prompt)"),
           QStringLiteral("start msedge --proxy-server=%1 --proxy-bypass-list=\"<-loopback>\"").arg(proxy)},
          {tr("Trust the CA (Linux, Chrome's NSS store)"),
           QStringLiteral("certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n \"WS Inspector capture CA\" -i %1")
               .arg(ca)}}});

    all.append(
        {QStringLiteral("firefox"),
         tr("Firefox"),
         tr("Settings > General > Network Settings > Settings…: choose Manual proxy configuration, HTTP Proxy "
            "127.0.0.1, Port %1, and tick “Also use this proxy for HTTPS”.\n\nFirefox keeps a certificate store of its "
            "own: Settings > Privacy & Security > Certificates > View Certificates… > Authorities > Import…, choose "
            "the CA certificate and tick “Trust this CA to identify websites”.\n\nFirefox reaches localhost directly "
            "unless about:config sets network.proxy.allow_hijacking_localhost to true.")
             .arg(p),
         {{tr("HTTP Proxy"), QStringLiteral("127.0.0.1")},
          {tr("Port"), p},
          {tr("about:config preference, set to true"), QStringLiteral("network.proxy.allow_hijacking_localhost")},
          {tr("CA certificate to import"), QDir::toNativeSeparators(caFile)}}});

    all.append(
        {QStringLiteral("windows"),
         tr("Windows"),
         tr("Settings > Network & Internet > Proxy > Manual proxy setup: turn on Use a proxy server, address "
            "127.0.0.1, port %1. Edge, Chrome, .NET and most desktop applications follow it. Services that use "
            "WinHTTP take their proxy from netsh instead (run it as administrator; netsh winhttp reset proxy "
            "undoes it).\n\nTo trust the CA, certutil adds it to your account's Trusted Root Certification "
            "Authorities (Windows asks you to confirm); certmgr.msc shows and removes it.")
             .arg(p),
         {{tr("Proxy IP address"), QStringLiteral("127.0.0.1")},
          {tr("Port"), p},
          {tr("WinHTTP (administrator)"), QStringLiteral("netsh winhttp set proxy 127.0.0.1:%1").arg(p)},
          {tr("Trust the CA (your account)"), QStringLiteral("certutil -user -addstore Root %1").arg(caWindows)}}});

    all.append(
        {QStringLiteral("macos"),
         tr("macOS"),
         tr("Set the proxy of the network service you use (\"Wi-Fi\" here; networksetup "
            "-listallnetworkservices lists them) for HTTP and HTTPS: Safari, Chrome and most applications "
            "follow it. Turn it off again when done.\n\nTo trust the CA, security adds it to your login keychain "
            "as a trusted root for your account (macOS asks for your password); Keychain Access shows and "
            "removes it."),
         {{tr("HTTP and HTTPS proxy"), macProxy},
          {tr("Turn it off"), QStringLiteral("networksetup -setwebproxystate \"Wi-Fi\" off && networksetup "
                                             "-setsecurewebproxystate \"Wi-Fi\" off")},
          {tr("Trust the CA (your account)"),
           QStringLiteral("security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db %1")
               .arg(ca)}}});

    all.append(
        {QStringLiteral("gnome"),
         tr("GNOME (Linux desktop)"),
         tr("GNOME's proxy (Settings > Network > Network Proxy > Manual) is followed by GNOME applications, Chrome and "
            "Chromium. It lists localhost and 127.0.0.0/8 as hosts reached directly (ignore-hosts): empty that list "
            "to capture servers on this machine. For the CA, see “Linux: trust the CA”."),
         {{tr("Manual proxy for HTTP and HTTPS"),
           QStringLiteral("gsettings set org.gnome.system.proxy mode 'manual'\n"
                          "gsettings set org.gnome.system.proxy.http host '127.0.0.1'\n"
                          "gsettings set org.gnome.system.proxy.http port %1\n"
                          "gsettings set org.gnome.system.proxy.https host '127.0.0.1'\n"
                          "gsettings set org.gnome.system.proxy.https port %1")
               .arg(p)},
          {tr("Servers on this machine too"),
           QStringLiteral("gsettings set org.gnome.system.proxy ignore-hosts \"[]\"")},
          {tr("Back to no proxy"), QStringLiteral("gsettings set org.gnome.system.proxy mode 'none'")}}});

    all.append({QStringLiteral("linux-ca"),
                tr("Linux: trust the CA"),
                tr("Programs that use the system's list of CAs (curl, Python, Go, .NET, most command-line tools) trust "
                   "the CA once it is added there; Firefox and Chrome keep stores of their own (see their pages). To "
                   "take it out, delete the file and run the same update command."),
                {{tr("Debian, Ubuntu"), QStringLiteral("sudo cp %1 /usr/local/share/ca-certificates/wsinspector.crt "
                                                       "&& sudo update-ca-certificates")
                                            .arg(ca)},
                 {tr("Fedora, RHEL"), QStringLiteral("sudo cp %1 /etc/pki/ca-trust/source/anchors/wsinspector.pem && "
                                                     "sudo update-ca-trust")
                                          .arg(ca)}}});

    all.append({QStringLiteral("node"),
                tr("Node.js"),
                tr("Node reads extra CAs from NODE_EXTRA_CA_CERTS when it starts. The ws package goes through a proxy "
                   "with an agent from https-proxy-agent (npm install https-proxy-agent), which tunnels ws:// and "
                   "wss:// with CONNECT."),
                {{tr("Run with the CA"), QStringLiteral("NODE_EXTRA_CA_CERTS=%1 node app.js").arg(ca)},
                 {tr("ws through the proxy"),
                  QStringLiteral("const WebSocket = require('ws');\n"
                                 "const { HttpsProxyAgent } = require('https-proxy-agent');\n"
                                 "const socket = new WebSocket(url, { agent: new HttpsProxyAgent('%1') });")
                      .arg(proxy)}}});

    all.append({QStringLiteral("python"),
                tr("Python (websockets 15 or later)"),
                tr("websockets 15 and later take their proxy from the environment by themselves: HTTPS_PROXY for "
                   "ws:// and wss://. SSL_CERT_FILE makes Python's default TLS context trust the CA; it replaces the "
                   "system's list for that run, so a host you do not intercept would not be trusted: for those, trust "
                   "the CA system-wide instead (see Linux, Windows or macOS)."),
                {{tr("Run through the proxy"),
                  QStringLiteral("HTTPS_PROXY=%1 SSL_CERT_FILE=%2 python3 app.py").arg(proxy, ca)}}});

    all.append(
        {QStringLiteral("java"),
         tr("Java"),
         tr("The JDK's HttpClient (java.net.http, its WebSocket too) and HttpURLConnection use the default proxy "
            "selector, which reads these properties; an empty http.nonProxyHosts sends localhost through the "
            "proxy too.\n\nkeytool adds the CA to the JDK's cacerts (its password is changeit unless changed; "
            "run it as the JDK's owner, often with sudo). keytool -delete -alias wsinspector -cacerts takes it "
            "out."),
         {{tr("Run through the proxy"),
           QStringLiteral("java -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=%1 -Dhttps.proxyHost=127.0.0.1 "
                          "-Dhttps.proxyPort=%1 -Dhttp.nonProxyHosts= -jar app.jar")
               .arg(p)},
          {tr("Trust the CA (the JDK's cacerts)"),
           QStringLiteral("keytool -importcert -alias wsinspector -file %1 -cacerts").arg(ca)}}});

    all.append({QStringLiteral("dotnet"),
                tr(".NET"),
                tr("HttpClient.DefaultProxy comes from HTTP_PROXY and HTTPS_PROXY when they are set (on Windows, "
                   "from the system proxy otherwise), and ClientWebSocket uses it unless its Options.Proxy says "
                   "otherwise. .NET trusts the system's CAs: see Linux, Windows or macOS."),
                {{tr("Run through the proxy"), QStringLiteral("HTTP_PROXY=%1 HTTPS_PROXY=%1 dotnet run").arg(proxy)},
                 {tr("ClientWebSocket through the proxy (C#)"),
                  QStringLiteral("var socket = new ClientWebSocket();\n"
                                 "socket.Options.Proxy = new System.Net.WebProxy(\"%1\");")
                      .arg(proxy)}}});

    all.append(
        {QStringLiteral("curl"),
         tr("curl"),
         tr("-x names the proxy for this one command; --cacert trusts the CA for it (in place of the system's "
            "list)."),
         {{tr("Through the proxy"), QStringLiteral("curl -x %1 --cacert %2 https://example.com/").arg(proxy, ca)}}});

    all.append(
        {QStringLiteral("android"),
         tr("Android emulator"),
         tr("Start the emulator with the proxy: 127.0.0.1 is this computer here, since the emulator itself connects "
            "to it (emulator -list-avds names your virtual devices).\n\nAndroid trusts a CA the user installed only in "
            "apps that opt in. Copy the CA to the device, install it under Settings > Security > Encryption & "
            "credentials > Install a certificate > CA certificate, and give your debug build this "
            "res/xml/network_security_config.xml, named in the manifest's <application "
            "android:networkSecurityConfig=\"@xml/network_security_config\">."),
         {{tr("Start the emulator"), QStringLiteral("emulator -avd Pixel_8 -http-proxy %1").arg(proxy)},
          {tr("Copy the CA to the device"), QStringLiteral("adb push %1 /sdcard/Download/wsinspector-ca.pem").arg(ca)},
          {tr("res/xml/network_security_config.xml"), QStringLiteral("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                                                     "<network-security-config>\n"
                                                                     "    <debug-overrides>\n"
                                                                     "        <trust-anchors>\n"
                                                                     "            <certificates src=\"user\" />\n"
                                                                     "        </trust-anchors>\n"
                                                                     "    </debug-overrides>\n"
                                                                     "</network-security-config>")}}});

    all.append({QStringLiteral("ios"),
                tr("iOS simulator"),
                tr("The simulator uses the Mac's proxy: set it as on the macOS page (port %1). Add the CA by dragging "
                   "the certificate file onto the simulator's window, or with simctl; then, if it is not on already, "
                   "turn on full trust for it under Settings > General > About > Certificate Trust Settings.")
                    .arg(p),
                {{tr("HTTP and HTTPS proxy (the Mac's)"), macProxy},
                 {tr("Add the CA to the booted simulator"),
                  QStringLiteral("xcrun simctl keychain booted add-root-cert %1").arg(ca)}}});
    return all;
}

} // namespace wsi
