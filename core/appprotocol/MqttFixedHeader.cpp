// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MqttFixedHeader.h"

namespace wsi {

MqttFixedHeader MqttFixedHeader::read(QByteArrayView data, qsizetype at)
{
    MqttFixedHeader header;
    header.first = quint8(data[at]);
    for (int lengthBytes = 0; lengthBytes < 4; ++lengthBytes) {
        if (at + header.size >= data.size())
            return header; // Incomplete
        const quint8 digit = quint8(data[at + header.size++]);
        header.remainingLength |= quint32(digit & 0x7F) << (7 * lengthBytes);
        if (!(digit & 0x80)) {
            header.state = State::Complete;
            return header;
        }
    }
    header.state = State::TooLong;
    return header;
}

QByteArray MqttFixedHeader::encodeRemainingLength(quint32 length)
{
    // 7 bits a byte, least significant first, the high bit saying another follows.
    QByteArray out;
    do {
        quint8 digit = length % 128;
        length /= 128;
        if (length > 0)
            digit |= 0x80;
        out += char(digit);
    } while (length > 0);
    return out;
}

} // namespace wsi
