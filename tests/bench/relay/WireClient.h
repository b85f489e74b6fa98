// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <vector>

namespace wsi::bench {

// The relay benchmark's client: one WebSocket connection on a plain non-blocking socket to 127.0.0.1, driven by
// ppoll(). It writes prepared masked frames in large batches and only counts what comes back, so that it is not
// what limits a run. Every wait is bounded (60 s without progress fails the run: a slow relay may print one long
// batch).
class WireClient final
{
public:
    WireClient() = default;
    ~WireClient();
    Q_DISABLE_COPY_MOVE(WireClient)

    // Connects and upgrades; false with error() on failure.
    bool open(quint16 port);
    // Sends `count` binary messages of `size` bytes as fast as the path takes them, with at most about `windowBytes`
    // not yet echoed, and returns the seconds from the first byte sent to the last echo received; -1 on failure.
    double blast(qint64 count, qsizetype size, qint64 windowBytes);
    // Sends `count` messages of `size` bytes (at least 8) at `rate` a second on a fixed schedule and returns each one's
    // round trip in nanoseconds; empty on failure.
    std::vector<qint64> paced(qint64 count, int rate, qsizetype size);
    // Sends a Close frame and waits for the server to close the connection.
    bool close();
    QString error() const { return m_error; }

private:
    bool fail(const QString &why);

    int m_fd = -1;
    QString m_error;
};

} // namespace wsi::bench
