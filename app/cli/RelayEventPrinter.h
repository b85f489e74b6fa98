// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

class QFile;

namespace wsi {
class ProxyConnection;
}

namespace wsi::cli {

// What `proxy` and `capture` print: each event as a JSON line (--json) or a line for people, and as JSON to the
// --record file when there is one. watch() prints a relayed connection's events as they happen: "upgrade",
// "frame" (from "client" or "server"), with messages also "message" (the completed message, inflated), "cut",
// "end_closed" and "closed".
class RelayEventPrinter final
{
public:
    RelayEventPrinter(bool json, QFile *record);

    void event(const QString &name, QJsonObject object, const QString &human);
    void watch(ProxyConnection *connection, bool messages);

private:
    bool m_json;
    QFile *m_record;
};

} // namespace wsi::cli
