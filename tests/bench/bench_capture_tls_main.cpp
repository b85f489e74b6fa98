// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_capture_tls: what the capture proxy's TLS costs. Prints `name: value unit`.
//   - a leaf certificate for a new host (signing) and for a host seen before (the cache);
//   - full handshakes (TLS 1.3, P-256) between an upstream TlsStream and an intercepting one, in memory;
//   - bulk plaintext through a TlsStream pair in memory, against the same bytes through two bare OpenSSL SSL
//     objects on memory BIOs with the same contexts in the same run (the baseline: what TlsStream adds).
//
//   wsi_bench_capture_tls [--tiny]
//
// --tiny runs small sizes once, for CI; otherwise the best of 5 is reported.
#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/TlsContext.h"
#include "core/proxy/TlsStream.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <limits>

using namespace wsi;

namespace {

constexpr qsizetype chunk = 64 * 1024;

void exchange(TlsStream &a, TlsStream &b)
{
    for (int round = 0; round < 100; ++round) {
        const QByteArray toB = a.takeEncrypted();
        const QByteArray toA = b.takeEncrypted();
        if (toA.isEmpty() && toB.isEmpty())
            return;
        b.receiveEncrypted(toB);
        a.receiveEncrypted(toA);
    }
}

// Moves `total` bytes from client to server through TlsStream in 64 KiB writes; false if they did not all arrive.
bool throughStreams(TlsStream &client, TlsStream &server, qint64 total, const QByteArray &block)
{
    qint64 received = 0;
    for (qint64 sent = 0; sent < total; sent += block.size()) {
        client.writePlain(block);
        server.receiveEncrypted(client.takeEncrypted());
        while (server.plainPending() > 0)
            received += server.takePlain().size();
    }
    return received == total;
}

// The same through bare SSL objects: SSL_write, the records moved BIO to BIO, SSL_read.
bool throughBareSsl(SSL *client, SSL *server, qint64 total, const QByteArray &block)
{
    BIO *clientOut = SSL_get_wbio(client);
    BIO *serverIn = SSL_get_rbio(server);
    QByteArray records(4 * chunk, Qt::Uninitialized);
    QByteArray plain(16 * 1024, Qt::Uninitialized);
    qint64 received = 0;
    for (qint64 sent = 0; sent < total; sent += block.size()) {
        // The contexts allow partial writes (one record each), as TlsStream's loop does.
        for (qsizetype offset = 0; offset < block.size();) {
            size_t written = 0;
            if (SSL_write_ex(client, block.constData() + offset, size_t(block.size() - offset), &written) != 1)
                return false;
            offset += qsizetype(written);
        }
        int n = 0;
        while ((n = BIO_read(clientOut, records.data(), int(records.size()))) > 0)
            BIO_write(serverIn, records.constData(), n);
        size_t read = 0;
        while (SSL_read_ex(server, plain.data(), size_t(plain.size()), &read) == 1)
            received += qint64(read);
    }
    return received == total;
}

bool bareHandshake(SSL *client, SSL *server)
{
    for (int round = 0; round < 100; ++round) {
        SSL_do_handshake(client);
        SSL_do_handshake(server);
        char buffer[16 * 1024];
        int n = 0;
        bool moved = false;
        while ((n = BIO_read(SSL_get_wbio(client), buffer, sizeof buffer)) > 0) {
            BIO_write(SSL_get_rbio(server), buffer, n);
            moved = true;
        }
        while ((n = BIO_read(SSL_get_wbio(server), buffer, sizeof buffer)) > 0) {
            BIO_write(SSL_get_rbio(client), buffer, n);
            moved = true;
        }
        if (!moved && SSL_is_init_finished(client) && SSL_is_init_finished(server))
            return true;
    }
    return false;
}

SslHandle bareSsl(SSL_CTX *context, bool server)
{
    SslHandle ssl(SSL_new(context));
    BIO *in = BIO_new(BIO_s_mem());
    BIO *out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);
    SSL_set_bio(ssl.get(), in, out);
    if (server)
        SSL_set_accept_state(ssl.get());
    else
        SSL_set_connect_state(ssl.get());
    return ssl;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const bool tiny = QCoreApplication::arguments().contains(QStringLiteral("--tiny"));
    const int rounds = tiny ? 1 : 5;
    const int hosts = tiny ? 20 : 500;
    const int handshakes = tiny ? 10 : 300;
    const qint64 bulk = tiny ? 4 * 1024 * 1024 : 256 * 1024 * 1024;

    QTemporaryDir dir;
    QString error;
    const auto authority = CaptureAuthority::openOrCreate(dir.filePath(QStringLiteral("ca")), &error);
    const auto intercepting = authority ? TlsContext::intercepting(authority, nullptr, &error) : nullptr;
    const auto upstream =
        authority ? TlsContext::upstream({authority->certificateFile(), false}, nullptr, &error) : nullptr;
    if (!intercepting || !upstream) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    qint64 signNs = std::numeric_limits<qint64>::max();
    qint64 cachedNs = std::numeric_limits<qint64>::max();
    qint64 handshakeNs = std::numeric_limits<qint64>::max();
    qint64 streamNs = std::numeric_limits<qint64>::max();
    qint64 bareNs = std::numeric_limits<qint64>::max();
    const QByteArray block(chunk, 'x');
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer clock;
        clock.start();
        for (int h = 0; h < hosts; ++h)
            authority->leafFor(QStringLiteral("host%1-%2.bench.test").arg(round).arg(h), &error);
        signNs = std::min(signNs, clock.nsecsElapsed() / hosts);
        clock.restart();
        for (int h = 0; h < hosts; ++h)
            authority->leafFor(QStringLiteral("host%1-%2.bench.test").arg(round).arg(h), &error);
        cachedNs = std::min(cachedNs, clock.nsecsElapsed() / hosts);

        clock.restart();
        for (int i = 0; i < handshakes; ++i) {
            auto client = TlsStream::connecting(upstream, QStringLiteral("bench.test"));
            auto server = TlsStream::accepting(intercepting, QStringLiteral("bench.test"));
            exchange(*client, *server);
            if (!client->isEstablished() || !server->isEstablished()) {
                std::fprintf(stderr, "handshake failed: %s %s\n", qPrintable(client->errorString()),
                             qPrintable(server->errorString()));
                return 1;
            }
        }
        handshakeNs = std::min(handshakeNs, clock.nsecsElapsed() / handshakes);

        auto client = TlsStream::connecting(upstream, QStringLiteral("bench.test"));
        auto server = TlsStream::accepting(intercepting, QStringLiteral("bench.test"));
        exchange(*client, *server);
        clock.restart();
        if (!throughStreams(*client, *server, bulk, block)) {
            std::fprintf(stderr, "bytes lost through TlsStream\n");
            return 1;
        }
        streamNs = std::min(streamNs, clock.nsecsElapsed());

        // The baseline: the same contexts, the same leaf, no TlsStream.
        SslHandle bareClient = bareSsl(upstream->handle(), false);
        SslHandle bareServer = bareSsl(intercepting->handle(), true);
        const auto leaf = authority->leafFor(QStringLiteral("bench.test"), &error);
        SSL_use_certificate(bareServer.get(), leaf->certificate.get());
        SSL_use_PrivateKey(bareServer.get(), leaf->key.get());
        if (!bareHandshake(bareClient.get(), bareServer.get())) {
            std::fprintf(stderr, "bare handshake failed\n");
            return 1;
        }
        clock.restart();
        if (!throughBareSsl(bareClient.get(), bareServer.get(), bulk, block)) {
            std::fprintf(stderr, "bytes lost through bare SSL\n");
            return 1;
        }
        bareNs = std::min(bareNs, clock.nsecsElapsed());
    }
    const double mib = double(bulk) / (1024.0 * 1024.0);
    std::printf("capture_tls_leaf_new_host: %.3f ms\n", double(signNs) / 1e6);
    std::printf("capture_tls_leaf_cached_host: %.3f us\n", double(cachedNs) / 1e3);
    std::printf("capture_tls_handshake_tls13_p256_both_sides: %.3f ms\n", double(handshakeNs) / 1e6);
    std::printf("capture_tls_bulk_tlsstream: %.0f MiB/s\n", mib / (double(streamNs) / 1e9));
    std::printf("capture_tls_bulk_bare_openssl: %.0f MiB/s\n", mib / (double(bareNs) / 1e9));
    std::printf("capture_tls_bulk_tlsstream_vs_bare: %.2f x\n", double(bareNs) / double(streamNs));
    return 0;
}
