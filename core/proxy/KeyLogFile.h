// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QString>

#include <memory>
#include <mutex>

namespace wsi {

// The TLS secrets of every stream, appended in the NSS key log format (what SSLKEYLOGFILE makes browsers write and
// Wireshark reads: "CLIENT_RANDOM <hex> <hex>" for TLS 1.2, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ...",
// "SERVER_TRAFFIC_SECRET_0 ..." and the like for TLS 1.3), one line per secret, flushed as it comes so Wireshark
// can decrypt live. Shared by every TlsContext; append() is thread-safe. A new file is created 0600: it decrypts
// everything it covers.
class KeyLogFile final
{
public:
    static std::shared_ptr<KeyLogFile> open(const QString &path, QString *error);

    QString path() const { return m_file.fileName(); }
    // One line as OpenSSL's key log callback gives it (no newline).
    void append(const char *line);
    // The first write that failed (a full disk), empty while every line was written.
    QString errorString() const;

    KeyLogFile(const KeyLogFile &) = delete;
    KeyLogFile &operator=(const KeyLogFile &) = delete;

private:
    KeyLogFile() = default;

    mutable std::mutex m_mutex;
    QFile m_file;
    QString m_error;
};

} // namespace wsi
