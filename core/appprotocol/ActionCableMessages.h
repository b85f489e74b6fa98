// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace wsi {

// Action Cable commands a client sends, as @rails/actioncable writes them (tests/data/appprotocol/actioncable.jsonl):
// the channel identifier travels as a JSON string holding a JSON object.
class ActionCableMessages final
{
public:
    ActionCableMessages() = delete;

    static QByteArray subscribe(const QByteArray &identifier);
};

} // namespace wsi
