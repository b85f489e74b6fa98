// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wsi {

// "Point your app at it": how to send each kind of application through the capture proxy and, when the user
// chooses to, make it trust the capture CA, with the proxy's real port and the CA certificate's real path written
// into every command, so each snippet is copied and run as it is. Text only; CaptureInstructionsDialog shows it.
class CaptureInstructions final
{
    Q_DECLARE_TR_FUNCTIONS(CaptureInstructions)

public:
    // A command, a setting's value or a piece of code, copied whole.
    struct Snippet {
        QString label; // what it is for: "Linux", "Trust the CA (NSS)"
        QString text;
    };
    struct Section {
        QString id;    // "chrome", "firefox" ...
        QString title; // "Chrome, Chromium, Edge"
        QString steps; // what to do, in sentences, around the snippets
        QList<Snippet> snippets;
    };

    // `caFile`: the CA certificate (ca.pem in the CA's folder, or where it was exported).
    static QList<Section> sections(quint16 port, const QString &caFile);
    // The page about the capture CA itself: what it is for, that trusting it is the user's choice, where its key
    // stays; `fingerprint` (SHA-256, hex with colons) or, when the CA could not be opened, why.
    static Section authority(const QString &caFolder, const QString &caFile, const QString &fingerprint,
                             const QString &error);
    // The proxy as applications are given it: http://127.0.0.1:PORT.
    static QString proxyUrl(quint16 port);
    // `path` as one word for a POSIX shell (single quotes when needed) or for Windows' command line (double quotes).
    static QString shellWord(const QString &path);
    static QString windowsWord(const QString &path);
};

} // namespace wsi
