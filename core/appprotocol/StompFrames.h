// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace wsi {

// The STOMP frames a client sends (STOMP 1.2, stomp-specification-1.2.md), with headers in the order
// @stomp/stompjs writes them (tests/data/appprotocol/stomp-stompjs.jsonl).
class StompFrames final
{
public:
    StompFrames() = delete;

    // CONNECT offering 1.2, 1.1 and 1.0, with host (left out when empty), login and passcode (left out when
    // empty) and heart-beat cx,cy. CONNECT headers are not escaped (the specification's exception), so values
    // must not hold an end of line: checkHeaderValue().
    static QByteArray connect(const QString &host, const QString &login, const QString &passcode, qint64 sendMs,
                              qint64 receiveMs);
    static QByteArray subscribe(const QString &id, const QString &destination);
    // SEND with the user's headers after destination (content-type text/plain unless they give one, then
    // content-length, which lets the body hold NULs), escaped as STOMP 1.2 "Value Encoding" requires.
    static QByteArray send(const QString &destination, const QByteArray &body,
                           const QList<QPair<QString, QString>> &headers = {});
    static QByteArray disconnect(const QString &receipt);
    // A heart-beat: one end of line.
    static QByteArray heartbeat() { return QByteArrayLiteral("\n"); }

    // Empty when value can stand in a CONNECT header, else why not.
    static QString checkHeaderValue(const QString &value);

private:
    static QByteArray frame(const QByteArray &command, const QList<QPair<QString, QString>> &headers,
                            const QByteArray &body = {}, bool escape = true);
};

} // namespace wsi
