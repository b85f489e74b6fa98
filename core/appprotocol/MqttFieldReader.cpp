// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MqttFieldReader.h"

#include <algorithm>

namespace wsi {

void MqttFieldReader::fail(QString error)
{
    if (m_ok)
        m_error = std::move(error);
    m_ok = false;
}

quint8 MqttFieldReader::byte(const char *what)
{
    if (!need(1, what))
        return 0;
    return quint8(m_data[m_at++]);
}

quint16 MqttFieldReader::u16(const char *what)
{
    if (!need(2, what))
        return 0;
    const quint16 value = quint16(quint8(m_data[m_at]) << 8 | quint8(m_data[m_at + 1]));
    m_at += 2;
    return value;
}

quint32 MqttFieldReader::u32(const char *what)
{
    if (!need(4, what))
        return 0;
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value = value << 8 | quint8(m_data[m_at + i]);
    m_at += 4;
    return value;
}

quint32 MqttFieldReader::varint(const char *what)
{
    quint32 value = 0;
    for (int i = 0; i < 4; ++i) {
        const quint8 b = byte(what);
        if (!m_ok)
            return 0;
        value |= quint32(b & 0x7F) << (7 * i);
        if (!(b & 0x80))
            return value;
    }
    fail(QStringLiteral("%1: a variable byte integer has at most 4 bytes").arg(QLatin1String(what)));
    return 0;
}

QByteArrayView MqttFieldReader::binary(const char *what)
{
    const quint16 length = u16(what);
    if (!need(length, what))
        return {};
    const QByteArrayView value = m_data.sliced(m_at, length);
    m_at += length;
    return value;
}

QString MqttFieldReader::string(const char *what)
{
    const QByteArrayView bytes = binary(what);
    if (m_ok && bytes.contains('\0'))
        fail(QStringLiteral("%1: a UTF-8 string must not contain U+0000").arg(QLatin1String(what)));
    return QString::fromUtf8(bytes);
}

void MqttFieldReader::skip(qsizetype count, const char *what)
{
    if (need(count, what))
        m_at += count;
}

void MqttFieldReader::skipProperties()
{
    const quint32 length = varint("property length");
    skip(qsizetype(length), "properties");
}

QByteArrayView MqttFieldReader::rest()
{
    const QByteArrayView value = m_data.sliced(std::min(m_at, m_data.size()));
    m_at = m_data.size();
    return value;
}

bool MqttFieldReader::need(qsizetype count, const char *what)
{
    if (m_ok && left() < count)
        fail(QStringLiteral("%1: %2 bytes needed, %3 left in the packet")
                 .arg(QLatin1String(what))
                 .arg(count)
                 .arg(left()));
    return m_ok;
}

} // namespace wsi
