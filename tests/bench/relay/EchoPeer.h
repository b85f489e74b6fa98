// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace wsi::bench {

// The relay benchmark's server: a WebSocket echo server on 127.0.0.1 written on plain sockets, one thread per
// connection, that answers any upgrade with 101 and sends every frame back unmasked as it arrives (a Close frame too,
// then it closes the connection). It unmasks eight bytes at a time and writes each read's frames in one send, so
// that it is not what limits a run.
class EchoPeer final
{
public:
    EchoPeer();
    ~EchoPeer();
    Q_DISABLE_COPY_MOVE(EchoPeer)

    // False when it cannot listen.
    bool listen();
    quint16 port() const noexcept { return m_port; }

private:
    void acceptLoop();
    static void serve(int fd);

    int m_listenFd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptor;
    std::mutex m_mutex;
    std::vector<std::thread> m_connections;
};

} // namespace wsi::bench
