// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wsi {

// Action Cable commands a client sends, as @rails/actioncable writes them (tests/data/appprotocol/actioncable.jsonl):
// the channel identifier travels as a JSON string holding a JSON object.
class ActionCableMessages final
{
public:
    ActionCableMessages() = delete;

    static QByteArray subscribe(const QByteArray &identifier);
    // "perform": calls `action` on the channel with the data (a JSON object; empty: none), whose members travel
    // with "action" in the command's data, a JSON string, the action last as the client writes it.
    static QByteArray perform(const QByteArray &identifier, const QString &action, const QByteArray &data);
};

} // namespace wsi
