// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/SimulationEvent.h"

#include "core/text/DurationText.h"

namespace wsi {

QString SimulationEvent::frameKindName(FrameKind kind)
{
    switch (kind) {
    case FrameKind::Data:
        return QStringLiteral("data");
    case FrameKind::AppHeartbeat:
        return QStringLiteral("app_heartbeat");
    case FrameKind::AppReply:
        return QStringLiteral("app_reply");
    case FrameKind::Ping:
        return QStringLiteral("ping");
    case FrameKind::Pong:
        return QStringLiteral("pong");
    }
    return {};
}

QString SimulationEvent::endName(Endpoint end)
{
    return end == Endpoint::Client ? QStringLiteral("client") : QStringLiteral("server");
}

QJsonObject SimulationEvent::toJson() const
{
    QJsonObject object{{QStringLiteral("t"), DurationText::seconds(atMs)}};
    switch (type) {
    case Type::Frame:
        object.insert(QStringLiteral("event"), QStringLiteral("frame"));
        object.insert(QStringLiteral("from"), endName(end));
        object.insert(QStringLiteral("kind"), frameKindName(frameKind));
        object.insert(QStringLiteral("delivered"), ok);
        if (!ok && hop >= 0)
            object.insert(QStringLiteral("lost_at"), model);
        break;
    case Type::KeepaliveProbe:
        object.insert(QStringLiteral("event"), QStringLiteral("tcp_keepalive_probe"));
        object.insert(QStringLiteral("from"), endName(end));
        object.insert(QStringLiteral("answered"), ok);
        break;
    case Type::TimerFired:
        object.insert(QStringLiteral("event"), QStringLiteral("timer_fired"));
        object.insert(QStringLiteral("by"), model);
        object.insert(QStringLiteral("hop"), hop);
        object.insert(QStringLiteral("timer"), knob);
        object.insert(QStringLiteral("action"), IntermediaryTimer::actionName(action));
        break;
    case Type::ProxyGaveUp:
        object.insert(QStringLiteral("event"), QStringLiteral("proxy_gave_up"));
        object.insert(QStringLiteral("by"), model);
        object.insert(QStringLiteral("hop"), hop);
        break;
    case Type::EndSees:
        object.insert(QStringLiteral("event"), QStringLiteral("end_sees"));
        object.insert(QStringLiteral("end"), endName(end));
        object.insert(QStringLiteral("how"), how);
        object.insert(QStringLiteral("close_code"), closeCode.value_or(1006));
        break;
    case Type::EndGivesUp:
        object.insert(QStringLiteral("event"), QStringLiteral("end_gives_up"));
        object.insert(QStringLiteral("end"), endName(end));
        object.insert(QStringLiteral("how"), how);
        break;
    case Type::StallBegins:
        object.insert(QStringLiteral("event"), QStringLiteral("stall_begins"));
        object.insert(QStringLiteral("by"), model);
        object.insert(QStringLiteral("hop"), hop);
        object.insert(QStringLiteral("toward"), endName(end));
        break;
    }
    if (!detail.isEmpty())
        object.insert(QStringLiteral("detail"), detail);
    return object;
}

QString SimulationEvent::describe() const
{
    switch (type) {
    case Type::Frame: {
        QString text = endName(end) + QStringLiteral(" sends ") + frameKindName(frameKind).replace(u'_', u' ');
        if (!ok)
            text += hop >= 0 ? QStringLiteral("  -- lost at %1").arg(model) : QStringLiteral("  -- not delivered");
        return detail.isEmpty() ? text : text + QStringLiteral(" (") + detail + u')';
    }
    case Type::KeepaliveProbe:
        return endName(end) + QStringLiteral(" TCP keepalive probe") +
               (ok ? QStringLiteral(", answered") : QStringLiteral(", no answer"));
    case Type::TimerFired:
    case Type::ProxyGaveUp:
    case Type::EndSees:
    case Type::EndGivesUp:
    case Type::StallBegins:
        return detail;
    }
    return {};
}

} // namespace wsi
