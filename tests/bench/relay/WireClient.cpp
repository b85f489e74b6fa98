// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireClient.h"

#include "FrameWalker.h"
#include "WireHandshake.h"

#include <QByteArray>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wsi::bench {
namespace {

constexpr quint8 maskKey[4] = {0x37, 0xfa, 0x21, 0x3d};
constexpr qint64 stallLimitNs = 60'000'000'000;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// One masked binary frame of `size` bytes whose payload starts with `first8` (when size >= 8).
QByteArray maskedFrame(qsizetype size, quint64 first8 = 0)
{
    QByteArray frame(14 + size, Qt::Uninitialized);
    const qsizetype head = writeFrameHeader(frame.data(), 0x2, quint64(size), maskKey);
    char *payload = frame.data() + head;
    for (qsizetype i = 0; i < size; ++i)
        payload[i] = char('a' + i % 26);
    if (size >= 8)
        std::memcpy(payload, &first8, 8);
    for (qsizetype i = 0; i < size; ++i)
        payload[i] = char(quint8(payload[i]) ^ maskKey[i % 4]);
    frame.truncate(head + size);
    return frame;
}

// Waits until the socket is readable (or writable too, when `wantWrite`) or `timeoutNs` passed; the poll revents.
short waitFor(int fd, bool wantWrite, qint64 timeoutNs)
{
    pollfd entry{fd, short(POLLIN | (wantWrite ? POLLOUT : 0)), 0};
    timespec timeout{time_t(timeoutNs / 1'000'000'000), long(timeoutNs % 1'000'000'000)};
    return ::ppoll(&entry, 1, timeoutNs >= 0 ? &timeout : nullptr, nullptr) > 0 ? entry.revents : short(0);
}

// Counts the echoed data frames; with `stamps`, keeps each one's first eight payload bytes there.
struct Counter {
    qint64 frames = 0;
    quint64 first8 = 0;
    std::vector<quint64> *stamps = nullptr;
    bool closed = false;
    quint8 opcode = 0;
    void header(quint8 op, quint64, bool, const std::array<quint8, 4> &) { opcode = op; }
    void payload(const char *data, qsizetype size, quint64 offset)
    {
        if (offset < 8)
            std::memcpy(reinterpret_cast<char *>(&first8) + offset, data, size_t(std::min<quint64>(8 - offset, size)));
    }
    void end()
    {
        if (opcode == 0x8)
            closed = true;
        else
            ++frames;
        if (stamps && opcode != 0x8)
            stamps->push_back(first8);
    }
};

} // namespace

WireClient::~WireClient()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool WireClient::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = why;
    return false;
}

bool WireClient::open(quint16 port)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return fail(
            QStringLiteral("cannot connect to port %1: %2").arg(port).arg(QString::fromLocal8Bit(strerror(errno))));
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const QByteArray request = WireHandshake::request(port);
    if (::send(m_fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) != request.size())
        return fail(QStringLiteral("cannot send the upgrade"));
    // Read the answer byte by byte up to its end, so that no frame byte is taken with it.
    QByteArray answer;
    const qint64 deadline = nowNs() + stallLimitNs;
    while (!answer.endsWith("\r\n\r\n")) {
        if (!(waitFor(m_fd, false, deadline - nowNs()) & POLLIN))
            return fail(QStringLiteral("no answer to the upgrade: %1").arg(QString::fromLatin1(answer)));
        char c;
        if (::recv(m_fd, &c, 1, 0) != 1)
            return fail(QStringLiteral("the upgrade's answer ended early: %1").arg(QString::fromLatin1(answer)));
        answer.append(c);
    }
    if (!answer.startsWith("HTTP/1.1 101"))
        return fail(QStringLiteral("the upgrade was refused: %1").arg(QString::fromLatin1(answer)));
    const int flags = 1;
    ::ioctl(m_fd, FIONBIO, &flags);
    return true;
}

double WireClient::blast(qint64 count, qsizetype size, qint64 windowBytes)
{
    const QByteArray frame = maskedFrame(size);
    // Batches of about 256 KiB: one send() writes many frames.
    const qint64 perBatch = std::max<qint64>(1, 256 * 1024 / frame.size());
    QByteArray batch;
    for (qint64 i = 0; i < perBatch; ++i)
        batch += frame;
    const qint64 window = std::max<qint64>(perBatch * 2, windowBytes / frame.size());
    QByteArray in(256 * 1024, Qt::Uninitialized);
    Counter counter;
    FrameWalker<Counter> walker(counter);

    qint64 sent = 0;            // frames whose bytes are all written
    qint64 chunkFrames = 0;     // frames in the batch being written
    qsizetype chunkWritten = 0; // bytes of it written
    const qint64 start = nowNs();
    qint64 lastProgress = start;
    while (counter.frames < count) {
        if (chunkFrames == 0 && sent < count && sent - counter.frames + perBatch <= window)
            chunkFrames = std::min(perBatch, count - sent);
        const short events = waitFor(m_fd, chunkFrames > 0, 100'000'000);
        if (events & (POLLERR | POLLHUP))
            return fail(QStringLiteral("the connection ended after %1 of %2 echoes").arg(counter.frames).arg(count)),
                   -1;
        if ((events & POLLOUT) && chunkFrames > 0) {
            const qsizetype chunkBytes = chunkFrames * frame.size();
            const ssize_t n =
                ::send(m_fd, batch.constData() + chunkWritten, size_t(chunkBytes - chunkWritten), MSG_NOSIGNAL);
            if (n > 0) {
                chunkWritten += n;
                if (chunkWritten == chunkBytes) {
                    sent += chunkFrames;
                    chunkFrames = 0;
                    chunkWritten = 0;
                }
            }
        }
        if (events & POLLIN) {
            const ssize_t n = ::recv(m_fd, in.data(), size_t(in.size()), 0);
            if (n == 0)
                return fail(QStringLiteral("the server closed after %1 of %2 echoes").arg(counter.frames).arg(count)),
                       -1;
            if (n > 0) {
                walker.feed(in.constData(), n);
                lastProgress = nowNs();
            }
        }
        if (nowNs() - lastProgress > stallLimitNs)
            return fail(QStringLiteral("no echo for 60 s after %1 of %2").arg(counter.frames).arg(count)), -1;
    }
    return double(nowNs() - start) / 1e9;
}

std::vector<qint64> WireClient::paced(qint64 count, int rate, qsizetype size)
{
    std::vector<qint64> roundTrips;
    roundTrips.reserve(size_t(count));
    QByteArray in(64 * 1024, Qt::Uninitialized);
    std::vector<quint64> stamps;
    Counter counter;
    counter.stamps = &stamps;
    FrameWalker<Counter> walker(counter);
    const qint64 interval = 1'000'000'000 / rate;
    const qint64 start = nowNs();
    qint64 sent = 0;
    qint64 lastProgress = start;
    while (qint64(roundTrips.size()) < count) {
        const qint64 now = nowNs();
        if (sent < count && now >= start + sent * interval) {
            const QByteArray frame = maskedFrame(size, quint64(nowNs()));
            // A frame this small fits the socket's buffer whole; a partial write would end the run.
            if (::send(m_fd, frame.constData(), size_t(frame.size()), MSG_NOSIGNAL) != frame.size()) {
                fail(QStringLiteral("a paced frame was not written whole"));
                return {};
            }
            ++sent;
            continue;
        }
        const qint64 untilNext = sent < count ? start + sent * interval - now : 100'000'000;
        const short events = waitFor(m_fd, false, std::max<qint64>(0, untilNext));
        if (events & POLLIN) {
            const ssize_t n = ::recv(m_fd, in.data(), size_t(in.size()), 0);
            if (n <= 0) {
                fail(QStringLiteral("the connection ended during the paced run"));
                return {};
            }
            // A read holding several echoes times them all at its arrival.
            walker.feed(in.constData(), n);
            const qint64 arrived = nowNs();
            for (const quint64 sentAt : stamps)
                roundTrips.push_back(arrived - qint64(sentAt));
            stamps.clear();
            lastProgress = arrived;
        }
        if (nowNs() - lastProgress > stallLimitNs) {
            fail(QStringLiteral("no echo for 60 s during the paced run"));
            return {};
        }
    }
    return roundTrips;
}

bool WireClient::close()
{
    char frame[8];
    qsizetype n = writeFrameHeader(frame, 0x8, 2, maskKey);
    frame[n++] = char(0x03 ^ maskKey[0]);
    frame[n++] = char(0xe8 ^ maskKey[1]);
    if (::send(m_fd, frame, size_t(n), MSG_NOSIGNAL) != n)
        return fail(QStringLiteral("cannot send Close"));
    char in[4096];
    const qint64 deadline = nowNs() + stallLimitNs;
    while (nowNs() < deadline) {
        if (!(waitFor(m_fd, false, deadline - nowNs()) & (POLLIN | POLLHUP)))
            continue;
        const ssize_t got = ::recv(m_fd, in, sizeof in, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN)) {
            ::close(m_fd);
            m_fd = -1;
            return true;
        }
    }
    return fail(QStringLiteral("the server did not close within 60 s of the Close frame"));
}

} // namespace wsi::bench
