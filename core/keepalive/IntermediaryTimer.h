// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// What a timer measures. Idle timers restart on the traffic their ResetRule names; a lifetime runs from the
// upgrade and nothing resets it; a stall timer is armed only while a write toward one end is blocked because that
// end does not drain, and deleted otherwise (nginx proxy_send_timeout / send_timeout, HAProxy write timeouts).
enum class TimerKind : quint8 { Idle, Lifetime, StallToClient, StallToServer };

// Which traffic restarts an idle timer.
enum class ResetRule : quint8 {
    PayloadEither,   // WebSocket bytes in either direction: data, ping and pong frames (L7 proxies)
    DataEither,      // data messages only; protocol pings/pongs do not count (API Gateway, reported)
    PacketsEither,   // any packet, TCP keepalive probes included (L4 boxes: NAT, NLB, Azure LB, conntrack)
    ReadsFromClient, // only bytes read from the client (HAProxy option independent-streams, client side)
    ReadsFromServer, // only bytes read from the server (HAProxy option independent-streams, server side)
};

// What the intermediary does when a timer fires. None of them sends a WebSocket Close frame.
enum class ExpiryAction : quint8 {
    Fin,  // closes TCP towards both ends
    Rst,  // resets TCP towards both ends
    Drop, // forgets the flow silently: the connection is half-open
};

// A value of one knob that changes a timer: "if option independent-streams is 1, reset by own reads".
struct KnobCondition {
    QString knob; // real knob name
    qint64 equals = 0;
};

// One timer of an intermediary model: plain data, shared by the simulator and (later) the live timeout proxy.
struct IntermediaryTimer {
    struct ResetOverride {
        KnobCondition when;
        ResetRule resetBy = ResetRule::PayloadEither;
    };
    struct ActionOverride {
        KnobCondition when;
        ExpiryAction action = ExpiryAction::Fin;
    };

    QString id;
    TimerKind kind = TimerKind::Idle;
    // Real knob names in order of precedence: the first one that has a value sets the timer (HAProxy: timeout
    // tunnel, else timeout client). None set: the timer is off.
    QStringList knobs;
    ResetRule resetBy = ResetRule::PayloadEither;
    QList<ResetOverride> resetOverrides;
    ExpiryAction action = ExpiryAction::Fin;
    QList<ActionOverride> actionOverrides;
    // After a Drop, the box answers the next packet of the forgotten flow with an RST (AWS NLB, NAT gateway).
    bool rstOnNextPacket = false;
    bool rstOnNextPacketUnverified = false;
    QString logFlags; // HAProxy cD / sD
    QString onExpiry; // what the reference says happens, in its words

    static QString kindName(TimerKind kind);
    static std::optional<TimerKind> kindFromName(QStringView name);
    static QString resetRuleName(ResetRule rule);
    static std::optional<ResetRule> resetRuleFromName(QStringView name);
    // "payload bytes in either direction (TCP keepalive probes do not count)", for explanations.
    static QString resetRuleText(ResetRule rule);
    static QString actionName(ExpiryAction action);
    static std::optional<ExpiryAction> actionFromName(QStringView name);
};

} // namespace wsi
