// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// Opcodes defined by RFC 6455 §5.2. Frames carry a raw 4-bit value (quint8) so that reserved opcodes sent by a
// broken peer survive parsing and can be shown; this enum names the defined ones.
enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

namespace Opcodes {

constexpr bool isControl(quint8 opcode) noexcept
{
    return (opcode & 0x8) != 0;
}
constexpr bool isData(quint8 opcode) noexcept
{
    return opcode == 0x1 || opcode == 0x2;
}
constexpr bool isDefined(quint8 opcode) noexcept
{
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}
constexpr quint8 value(Opcode opcode) noexcept
{
    return static_cast<quint8>(opcode);
}

// "continuation", "text", "binary", "close", "ping", "pong"; reserved ones as "reserved-0x3".
QString name(quint8 opcode);

} // namespace Opcodes
} // namespace wsi
