// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ConnectionFacts.h"

#include "core/records/HandshakeRecord.h"

namespace wsi {

ConnectionFacts ConnectionFacts::fromHandshake(const HandshakeRecord &handshake)
{
    ConnectionFacts facts;
    // "GET /path?query HTTP/1.1": the target is the second word of the request line.
    const QByteArray requestLine = handshake.requestBytes.left(handshake.requestBytes.indexOf('\n')).trimmed();
    const QList<QByteArray> words = requestLine.split(' ');
    const QByteArray target = words.size() >= 2 ? words[1] : QByteArray("/");
    const QByteArray host = handshake.requestHeaders.value("Host");
    facts.url = target.startsWith('/')
                    ? QUrl(QStringLiteral("ws://") + QString::fromUtf8(host) + QString::fromUtf8(target))
                    : QUrl(QString::fromUtf8(target));
    for (const QByteArray &offered : handshake.requestHeaders.combined("Sec-WebSocket-Protocol").split(',')) {
        const QString name = QString::fromUtf8(offered.trimmed());
        if (!name.isEmpty())
            facts.offeredSubprotocols.append(name);
    }
    facts.subprotocol = handshake.subprotocol;
    // A relay records the upstream's answer as it came, without reading the choice out of it.
    if (facts.subprotocol.isEmpty() && handshake.response.isSwitchingProtocols())
        facts.subprotocol = QString::fromUtf8(handshake.response.headers.value("Sec-WebSocket-Protocol").trimmed());
    return facts;
}

} // namespace wsi
