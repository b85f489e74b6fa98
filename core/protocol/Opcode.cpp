// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Opcode.h"

namespace wsi::Opcodes {

QString name(quint8 opcode)
{
    switch (opcode) {
    case 0x0:
        return QStringLiteral("continuation");
    case 0x1:
        return QStringLiteral("text");
    case 0x2:
        return QStringLiteral("binary");
    case 0x8:
        return QStringLiteral("close");
    case 0x9:
        return QStringLiteral("ping");
    case 0xA:
        return QStringLiteral("pong");
    default:
        return QStringLiteral("reserved-0x") + QString::number(opcode, 16).toUpper();
    }
}

} // namespace wsi::Opcodes
