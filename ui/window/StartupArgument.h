// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

namespace wsi {

// What an argument of `wsinspector URL|FILE...` names. Only ws:// and wss:// URLs and host[:port] (connected to
// over ws://) are addresses; a path, or a name ending like a capture (.har, .wsirec, .json, .jsonl), is a file even
// when it does not exist, so that opening it says it is missing rather than the window trying to connect to it.
struct StartupArgument {
    enum class Kind : quint8 { Url, File, Invalid };

    Kind kind = Kind::Invalid;
    QUrl url;        // Url
    QString path;    // File
    QString problem; // Invalid: a sentence naming the argument

    static StartupArgument classify(const QString &argument);
};

} // namespace wsi
