// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsSocketPump.h"

#include "PeerProcess.h"

#include <QFile>
#include <QProcess>
#include <QTest>

namespace wsi::test {

TlsSocketPump::TlsSocketPump(QTcpSocket *socket, std::unique_ptr<TlsStream> stream)
    : m_socket(socket)
    , m_stream(std::move(stream))
{
    QObject::connect(m_socket, &QTcpSocket::readyRead, m_socket, [this] { onReadyRead(); });
    QObject::connect(m_socket, &QTcpSocket::disconnected, m_socket, [this] {
        m_stream->receiveEndOfStream();
        while (m_stream->plainPending() > 0)
            m_received += m_stream->takePlain();
    });
    flush(); // a client's ClientHello
    onReadyRead();
}

TlsSocketPump::~TlsSocketPump()
{
    QObject::disconnect(m_socket, nullptr, m_socket, nullptr);
}

void TlsSocketPump::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!bytes.isEmpty()) {
        m_wire.append({true, bytes});
        m_stream->receiveEncrypted(bytes);
    }
    // Taking makes room: the stream decrypts its read-ahead again, until all that came is taken.
    while (m_stream->plainPending() > 0)
        m_received += m_stream->takePlain();
    flush();
}

void TlsSocketPump::flush()
{
    const QByteArray bytes = m_stream->takeEncrypted();
    if (bytes.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_wire.append({false, bytes});
    m_socket->write(bytes);
}

void TlsSocketPump::write(const QByteArray &plain)
{
    m_stream->writePlain(plain);
    flush();
}

void TlsSocketPump::close()
{
    m_stream->close();
    flush();
    m_socket->disconnectFromHost();
}

bool TlsSocketPump::waitForEstablishedOrFailure(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_stream->state() != TlsStream::State::Handshaking; }, timeoutMs);
}

bool TlsSocketPump::waitForReceived(qsizetype bytes, int timeoutMs)
{
    return QTest::qWaitFor([this, bytes] { return m_received.size() >= bytes || m_stream->hasFailed(); }, timeoutMs) &&
           m_received.size() >= bytes;
}

bool TlsSocketPump::waitForReceived(const QByteArray &ending, int timeoutMs)
{
    return QTest::qWaitFor([this, &ending] { return m_received.contains(ending) || m_stream->hasFailed(); },
                           timeoutMs) &&
           m_received.contains(ending);
}

bool TlsSocketPump::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

QByteArray TlsSocketPump::decryptedByTshark(const QString &keyLogFile, const QString &folder, QString *error) const
{
    const QString tshark = PeerProcess::findProgram({QStringLiteral("tshark")}, QStringLiteral("tshark"), error);
    const QString text2pcap =
        tshark.isEmpty() ? QString()
                         : PeerProcess::findProgram({QStringLiteral("text2pcap")}, QStringLiteral("tshark"), error);
    if (text2pcap.isEmpty())
        return {};
    QByteArray dump;
    for (const Chunk &chunk : m_wire) {
        const bool fromClient = chunk.fromPeer == m_stream->isServer();
        for (qsizetype offset = 0; offset < chunk.bytes.size(); offset += 1400) {
            dump += fromClient ? "O\n" : "I\n";
            const QByteArray segment = chunk.bytes.mid(offset, 1400);
            for (qsizetype i = 0; i < segment.size(); i += 16)
                dump += QByteArray::number(i, 16).rightJustified(6, '0') + ' ' + segment.mid(i, 16).toHex(' ') + '\n';
        }
    }
    const QString pcap = folder + QStringLiteral("/tls-wire.pcap");
    QFile text(pcap + u".txt");
    if (!text.open(QIODevice::WriteOnly) || text.write(dump) != dump.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(text.fileName(), text.errorString());
        return {};
    }
    text.close();
    QProcess convert;
    convert.setProcessChannelMode(QProcess::MergedChannels);
    convert.start(text2pcap, {QStringLiteral("-q"), QStringLiteral("-D"), QStringLiteral("-T"),
                              QStringLiteral("50000,443"), text.fileName(), pcap});
    if (!convert.waitForFinished(20000) || convert.exitCode() != 0) {
        *error = QStringLiteral("text2pcap failed: %1").arg(QString::fromUtf8(convert.readAll()));
        return {};
    }
    QProcess follow;
    follow.setProcessChannelMode(QProcess::MergedChannels);
    follow.start(tshark, {QStringLiteral("-n"), QStringLiteral("-r"), pcap, QStringLiteral("-o"),
                          QStringLiteral("tls.keylog_file:") + keyLogFile, QStringLiteral("-q"), QStringLiteral("-z"),
                          QStringLiteral("follow,tls,ascii,0")});
    if (!follow.waitForFinished(60000)) {
        *error = QStringLiteral("tshark did not finish");
        return {};
    }
    return follow.readAll();
}

} // namespace wsi::test
