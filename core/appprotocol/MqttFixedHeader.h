// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace wsi {

// An MQTT control packet's fixed header (MQTT 5.0 §2.1.1): its first byte (type and flags) and its Remaining Length,
// a Variable Byte Integer of 1 to 4 bytes (§1.5.5) that counts the bytes after the header. Read by the decoder and
// the secret redaction, written by MqttPackets: one reading of the rule for all.
struct MqttFixedHeader {
    enum class State : quint8 {
        Complete,   // the header is whole (the packet's body may still be cut)
        Incomplete, // the data ends within the Remaining Length
        TooLong,    // the Remaining Length runs past 4 bytes: no MQTT packet
    };
    State state = State::Incomplete;
    quint8 first = 0;
    quint32 remainingLength = 0;
    qsizetype size = 1; // the header's bytes: 1 + those of the Remaining Length read

    // The header at `at` in `data` (at < data.size()).
    static MqttFixedHeader read(QByteArrayView data, qsizetype at);
    // `length` as a Remaining Length (at most 268,435,455: §1.5.5).
    static QByteArray encodeRemainingLength(quint32 length);
};

} // namespace wsi
