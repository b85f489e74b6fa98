// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace wsi {

// Reads the big-endian fields of an MQTT packet's body (MQTT 5.0 §1.5: bytes, two- and four-byte integers, Variable
// Byte Integers, length-prefixed binary data and UTF-8 strings). Each read fails once, naming the field it was
// reading (`what`), after which every read fails and returns nothing: a caller reads on and checks ok() at the end.
// The decoder reads every field with it; the secret redaction finds a CONNECT's password with it.
class MqttFieldReader final
{
public:
    explicit MqttFieldReader(QByteArrayView data)
        : m_data(data)
    {}

    bool ok() const noexcept { return m_ok; }
    bool atEnd() const noexcept { return m_at >= m_data.size(); }
    // Where the next field starts, from the start of the body.
    qsizetype position() const noexcept { return m_at; }
    qsizetype left() const noexcept { return m_data.size() - m_at; }
    QString error() const { return m_error; }
    void fail(QString error);

    quint8 byte(const char *what);
    quint16 u16(const char *what);
    quint32 u32(const char *what);
    // A Variable Byte Integer (§1.5.5): at most 4 bytes.
    quint32 varint(const char *what);
    // A two-byte length and that many bytes.
    QByteArrayView binary(const char *what);
    // Binary data that is UTF-8 without U+0000 (§1.5.4).
    QString string(const char *what);
    void skip(qsizetype count, const char *what);
    // MQTT 5 properties (§2.2.2.2) as a whole: their length, then that many bytes unread.
    void skipProperties();
    // The bytes not read yet, after which it is at the end.
    QByteArrayView rest();

private:
    bool need(qsizetype count, const char *what);

    QByteArrayView m_data;
    qsizetype m_at = 0;
    bool m_ok = true;
    QString m_error;
};

} // namespace wsi
