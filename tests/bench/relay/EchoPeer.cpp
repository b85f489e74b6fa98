// SPDX-License-Identifier: GPL-3.0-or-later
#include "EchoPeer.h"

#include "FrameWalker.h"
#include "WireHandshake.h"

#include <QByteArray>

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wsi::bench {
namespace {

bool sendAll(int fd, const char *data, qsizetype size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size_t(size), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

// Echoes the frames it walks into `out`: the header unmasked, the payload unmasked eight bytes at a time.
struct Echo {
    QByteArray out;
    quint64 key8 = 0; // the mask repeated over eight bytes, from the payload's first byte
    bool closing = false;

    void header(quint8 opcode, quint64 length, bool masked, const std::array<quint8, 4> &mask)
    {
        char head[14];
        out.append(head, writeFrameHeader(head, opcode, length, nullptr));
        quint8 bytes[8];
        for (int i = 0; i < 8; ++i)
            bytes[i] = masked ? mask[i % 4] : 0;
        std::memcpy(&key8, bytes, 8);
        closing |= opcode == 0x8;
    }
    void payload(const char *data, qsizetype size, quint64 offset)
    {
        const qsizetype at = out.size();
        out.resize(at + size);
        char *to = out.data() + at;
        // The key as it lines up with this piece's first byte.
        const int shift = int(offset % 4) * 8;
        const quint64 key = shift == 0 ? key8 : (key8 >> shift) | (key8 << (64 - shift));
        qsizetype i = 0;
        for (; i + 8 <= size; i += 8) {
            quint64 word;
            std::memcpy(&word, data + i, 8);
            word ^= key;
            std::memcpy(to + i, &word, 8);
        }
        const auto *keyBytes = reinterpret_cast<const quint8 *>(&key);
        for (; i < size; ++i)
            to[i] = char(quint8(data[i]) ^ keyBytes[i % 8]);
    }
    void end() {}
};

} // namespace

EchoPeer::EchoPeer() = default;

EchoPeer::~EchoPeer()
{
    m_stopping = true;
    if (m_listenFd >= 0) {
        ::shutdown(m_listenFd, SHUT_RDWR);
        ::close(m_listenFd);
    }
    if (m_acceptor.joinable())
        m_acceptor.join();
    std::lock_guard lock(m_mutex);
    for (std::thread &connection : m_connections)
        connection.join();
}

bool EchoPeer::listen()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(m_listenFd, 64) != 0 ||
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return false;
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
    return true;
}

void EchoPeer::acceptLoop()
{
    while (!m_stopping) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            return;
        std::lock_guard lock(m_mutex);
        m_connections.emplace_back([fd] { serve(fd); });
    }
}

void EchoPeer::serve(int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    QByteArray request;
    qsizetype end = -1;
    while (end < 0) {
        const ssize_t n = ::recv(fd, buffer.data(), size_t(buffer.size()), 0);
        if (n <= 0) {
            ::close(fd);
            return;
        }
        request.append(buffer.constData(), n);
        end = request.indexOf("\r\n\r\n");
    }
    const QByteArray answer = WireHandshake::answer(request.first(end + 4));
    Echo echo;
    echo.out.reserve(buffer.size() + 4096);
    FrameWalker<Echo> walker(echo);
    walker.feed(request.constData() + end + 4, request.size() - end - 4);
    bool open = sendAll(fd, answer.constData(), answer.size()) && sendAll(fd, echo.out.constData(), echo.out.size());
    echo.out.clear();
    while (open && !echo.closing) {
        const ssize_t n = ::recv(fd, buffer.data(), size_t(buffer.size()), 0);
        if (n <= 0)
            break;
        walker.feed(buffer.constData(), n);
        open = sendAll(fd, echo.out.constData(), echo.out.size());
        echo.out.clear();
    }
    ::close(fd);
}

} // namespace wsi::bench
