// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtocolPrinters.h"

#include "WireBytes.h"

#include <QByteArray>

namespace wsi {

char *toString(const ViolationRule &rule)
{
    return qstrdup(Violations::id(rule).toUtf8().constData());
}

char *toString(const LengthEncoding &encoding)
{
    switch (encoding) {
    case LengthEncoding::Bits7:
        return qstrdup("Bits7");
    case LengthEncoding::Bits16:
        return qstrdup("Bits16");
    case LengthEncoding::Bits64:
        return qstrdup("Bits64");
    }
    return qstrdup("?");
}

char *toString(const FrameHeader &h)
{
    const QByteArray text = QByteArrayLiteral("fin=") + QByteArray::number(h.fin) + QByteArrayLiteral(" rsv=") +
                            QByteArray::number(h.rsv1) + QByteArray::number(h.rsv2) + QByteArray::number(h.rsv3) +
                            QByteArrayLiteral(" opcode=") + QByteArray::number(h.opcode) +
                            QByteArrayLiteral(" masked=") + QByteArray::number(h.masked) + QByteArrayLiteral(" key=") +
                            test::toHex(QByteArrayView(reinterpret_cast<const char *>(h.maskingKey.data()), 4)) +
                            QByteArrayLiteral(" length=") + QByteArray::number(h.payloadLength) +
                            QByteArrayLiteral(" encoding=") + QByteArray::number(int(h.lengthEncoding)) +
                            QByteArrayLiteral(" headerLength=") + QByteArray::number(h.headerLength);
    return qstrdup(text.constData());
}

} // namespace wsi
