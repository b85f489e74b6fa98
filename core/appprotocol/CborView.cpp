// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/CborView.h"

#include <QCborStreamReader>
#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>

namespace wsi {

namespace {

// Items read from one payload: a sequence longer than this is shown cut, with its length.
constexpr int maxItems = 1000;

} // namespace

PayloadView CborView::read(QByteArrayView payload)
{
    PayloadView view{QStringLiteral("cbor"), {}, std::nullopt};
    if (payload.isEmpty()) {
        view.violation = DecodeViolation{QStringLiteral("cbor-empty"), QStringLiteral("RFC 8949 §3"),
                                         QStringLiteral("an empty payload holds no CBOR data item")};
        return view;
    }
    QJsonArray values;
    QStringList diagnostics;
    // One reader per item: Qt's reader stops after one top-level item, and a sequence is items back to back.
    qsizetype at = 0;
    while (at < payload.size() && values.size() < maxItems) {
        QCborStreamReader reader(payload.sliced(at).toByteArray());
        const QCborValue value = QCborValue::fromCbor(reader);
        if (reader.lastError() != QCborError::NoError || reader.currentOffset() <= 0) {
            view.violation = DecodeViolation{
                QStringLiteral("cbor-malformed"), QStringLiteral("RFC 8949 §3"),
                QStringLiteral("%1 in the item at byte %2")
                    .arg(reader.lastError() != QCborError::NoError ? reader.lastError().toString()
                                                                   : QStringLiteral("no complete data item"))
                    .arg(at)};
            break;
        }
        values.append(value.toJsonValue());
        diagnostics.append(value.toDiagnosticNotation(QCborValue::Compact));
        at += qsizetype(reader.currentOffset());
    }
    if (values.size() == 1 && !view.violation) {
        view.value =
            QJsonObject{{QStringLiteral("value"), values.first()}, {QStringLiteral("diagnostic"), diagnostics.first()}};
    } else {
        QJsonObject sequence{{QStringLiteral("sequence"), values},
                             {QStringLiteral("diagnostic"), diagnostics.join(QStringLiteral(", "))}};
        if (values.size() == maxItems && at < payload.size())
            sequence.insert(QStringLiteral("truncated"), true);
        view.value = sequence;
    }
    return view;
}

} // namespace wsi
