// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <initializer_list>
#include <optional>

namespace wsi {

struct HttpHeader {
    QByteArray name;  // as it was written, case kept for display
    QByteArray value; // without the surrounding optional whitespace

    friend bool operator==(const HttpHeader &, const HttpHeader &) = default;
};

// Header fields of one HTTP/1.1 message in wire order. Repeated fields stay separate entries because an inspector
// shows what was sent, and because some repeats are errors (two Sec-WebSocket-Accept lines) that combining would
// hide. Names compare ASCII case-insensitively (RFC 9110 §5.1).
class HttpHeaders
{
public:
    using const_iterator = QList<HttpHeader>::const_iterator;

    HttpHeaders() = default;
    HttpHeaders(std::initializer_list<HttpHeader> headers);

    void append(const QByteArray &name, const QByteArray &value);
    // Removes every field with this name; returns how many were removed.
    qsizetype removeAll(QByteArrayView name);

    bool contains(QByteArrayView name) const noexcept;
    // Number of field lines with this name.
    qsizetype count(QByteArrayView name) const noexcept;
    // The first field line's value, or an empty array when there is none.
    QByteArray value(QByteArrayView name) const;
    // Every field line's value, in order.
    QList<QByteArray> values(QByteArrayView name) const;
    // All field lines of this name joined with ", ", which is equivalent to the separate lines for list-based
    // fields (RFC 9110 §5.3). Not meaningful for Set-Cookie.
    QByteArray combined(QByteArrayView name) const;
    // The elements of a list-based field over all of its lines (HttpSyntax::splitList on each).
    QList<QByteArray> listElements(QByteArrayView name) const;
    // Whether a list-based field contains this token, ASCII case-insensitively ("Connection: keep-alive, Upgrade").
    bool containsToken(QByteArrayView name, QByteArrayView token) const;

    qsizetype size() const noexcept { return m_headers.size(); }
    bool isEmpty() const noexcept { return m_headers.isEmpty(); }
    const HttpHeader &at(qsizetype index) const { return m_headers.at(index); }
    const_iterator begin() const noexcept { return m_headers.cbegin(); }
    const_iterator end() const noexcept { return m_headers.cend(); }

    // "Name: value\r\n" per field, in order; no terminating blank line.
    QByteArray toWire() const;

    friend bool operator==(const HttpHeaders &, const HttpHeaders &) = default;

private:
    QList<HttpHeader> m_headers;
};

// Small pieces of the HTTP/1.1 grammar (RFC 9110 §5.6) shared by the handshake code.
namespace HttpSyntax {

// tchar: the characters allowed in a token (RFC 9110 §5.6.2).
bool isTokenChar(char c) noexcept;
// A non-empty run of tchar.
bool isToken(QByteArrayView text) noexcept;
// ASCII-only case-insensitive comparison; bytes above 0x7F compare exactly.
bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b) noexcept;
// Removes leading and trailing spaces and tabs (OWS).
QByteArrayView trimmed(QByteArrayView text) noexcept;
// Splits a comma-separated list (RFC 9110 §5.6.1) into its elements. Commas inside quoted strings (including
// escaped quotes) do not split; elements are trimmed and empty elements are dropped, as recipients must accept
// "a, , b". An unterminated quoted string runs to the end of the value so the element parser can report it.
QList<QByteArray> splitList(QByteArrayView value);
// The content of a quoted-string with its quoted-pairs resolved ("\"a\\\"b\"" -> a"b), or nullopt when the text
// is not exactly one well-formed quoted-string.
std::optional<QByteArray> unquote(QByteArrayView quoted);
// Bytes in double quotes for a message a person reads, with \r, \n, \t, \", \\ and \xNN escapes so that control
// characters and binary junk stay visible; cut after maxLength input bytes with "..." appended.
QString quoted(QByteArrayView bytes, qsizetype maxLength = 80);

} // namespace HttpSyntax
} // namespace wsi
