// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/HeartbeatSpec.h"

#include "core/keepalive/HeartbeatPresets.h"
#include "core/text/DurationText.h"

#include <algorithm>
#include <cmath>

namespace wsi {

HeartbeatSettings HeartbeatSpec::toSettings() const
{
    HeartbeatSettings settings;
    settings.kind = kind;
    settings.intervalMs = intervalMs;
    settings.replyTimeoutMs = timeoutMs;
    settings.receiveTimeoutMs = receiveTimeoutMs;
    settings.preset = preset;
    if (!preset.isEmpty())
        settings.missesUntilDead = 1;
    if (!answersPings)
        settings.stopAnsweringPingsAfter = 0;
    return settings;
}

QString HeartbeatSpec::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Ping:
        return QStringLiteral("ping");
    case Kind::Pong:
        return QStringLiteral("pong");
    case Kind::App:
        return QStringLiteral("app");
    }
    return {};
}

QString HeartbeatSpec::describe() const
{
    if (isProtocol()) {
        QString text = protocol + QStringLiteral(": ");
        QStringList parts;
        if (kind == Kind::App)
            parts.append(QStringLiteral("%1 every %2").arg(beatName, DurationText::format(intervalMs)));
        if (kind == Kind::Ping)
            parts.append(QStringLiteral("a WebSocket ping every %1").arg(DurationText::format(intervalMs)));
        if (timeoutMs)
            parts.append(QStringLiteral("giving up when no %1 comes within %2 %3")
                             .arg(replyName, timeoutKnob, DurationText::format(*timeoutMs)));
        if (receiveTimeoutMs)
            parts.append(QStringLiteral("giving up after %1 %2 without receiving anything")
                             .arg(receiveTimeoutKnob, DurationText::format(*receiveTimeoutMs)));
        if (initTimeoutMs)
            parts.append(QStringLiteral("closing when the peer's opening message does not come within %1 %2")
                             .arg(initTimeoutKnob, DurationText::format(*initTimeoutMs)));
        if (sendsInit)
            parts.append(QStringLiteral("sends its opening message right after the upgrade"));
        if (parts.isEmpty())
            parts.append(QStringLiteral("answers the peer's heartbeats"));
        text += parts.join(QStringLiteral(", "));
        if (!preset.isEmpty())
            text += QStringLiteral(" (preset %1)").arg(preset);
        return text;
    }
    QString text;
    switch (kind) {
    case Kind::None:
        text = QStringLiteral("no heartbeat");
        break;
    case Kind::Ping:
        text = QStringLiteral("a ping every ") + DurationText::format(intervalMs);
        break;
    case Kind::Pong:
        text = QStringLiteral("an unsolicited pong every ") + DurationText::format(intervalMs);
        break;
    case Kind::App:
        text = QStringLiteral("an application heartbeat message every ") + DurationText::format(intervalMs);
        break;
    }
    if (timeoutMs) {
        text += QStringLiteral(", giving up when no reply comes within ") + DurationText::format(*timeoutMs);
        if (timeoutFrom == TimeoutFrom::LastReply)
            text += QStringLiteral(" of the last one");
    }
    if (receiveTimeoutMs)
        text += QStringLiteral(", giving up after ") + DurationText::format(*receiveTimeoutMs) +
                QStringLiteral(" without receiving anything");
    if (!preset.isEmpty())
        text += QStringLiteral(" (preset %1)").arg(preset);
    return text;
}

std::optional<HeartbeatSpec> HeartbeatSpec::parse(QStringView text, Endpoint side, const HeartbeatPresets &presets,
                                                  QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<HeartbeatSpec> {
        if (error)
            *error = QStringLiteral("'%1': %2").arg(text, why);
        return std::nullopt;
    };
    const QString sideName = side == Endpoint::Client ? QStringLiteral("client") : QStringLiteral("server");
    const QString valid = QStringLiteral("expected none, ping:S[,timeout=S], pong:S, app:S[,timeout=S] or a preset "
                                         "for the %1 (%2)")
                              .arg(sideName, presets.idsFor(side).join(QStringLiteral(", ")));
    if (text == QLatin1StringView("none"))
        return HeartbeatSpec{};

    const qsizetype colon = text.indexOf(u':');
    if (colon < 0) {
        const HeartbeatPreset *preset = presets.find(text);
        if (!preset)
            return fail(QStringLiteral("unknown heartbeat; ") + valid);
        if (!preset->role(side))
            return fail(QStringLiteral("the preset %1 describes no %2 behaviour; ").arg(preset->id, sideName) + valid);
        return *preset->role(side);
    }

    // A protocol preset with its knobs: socketio:pingInterval=400ms,pingTimeout=300ms, mqtt:keepalive=120s.
    if (const HeartbeatPreset *preset = presets.find(text.first(colon))) {
        if (!preset->role(side))
            return fail(QStringLiteral("the preset %1 describes no %2 behaviour; ").arg(preset->id, sideName) + valid);
        HeartbeatSpec spec = *preset->role(side);
        QStringList names;
        for (const Knob &knob : spec.knobs)
            names.append(knob.name);
        names.removeDuplicates();
        if (names.isEmpty())
            return fail(QStringLiteral("the preset %1 takes no parameters").arg(preset->id));
        for (const QStringView part : text.sliced(colon + 1).split(u',')) {
            const qsizetype equals = part.indexOf(u'=');
            const QStringView name = equals < 0 ? part : part.first(equals);
            const auto knob = std::find_if(spec.knobs.cbegin(), spec.knobs.cend(), [&](const Knob &k) {
                return name.compare(k.name, Qt::CaseInsensitive) == 0;
            });
            if (equals < 0 || knob == spec.knobs.cend())
                return fail(QStringLiteral("unknown parameter '%1' for the %2 preset as %3 (expected %4=S)")
                                .arg(part, preset->id, sideName, names.join(QStringLiteral("=S, "))));
            QString durationError;
            const auto value = DurationText::parseMs(part.sliced(equals + 1), &durationError);
            if (!value)
                return fail(durationError);
            if (*value <= 0)
                return fail(QStringLiteral("%1 must be greater than 0").arg(knob->name));
            // A knob may set several fields (each with its factor): every entry of that name.
            for (const Knob &entry : std::as_const(spec.knobs)) {
                if (entry.name != knob->name)
                    continue;
                const qint64 ms = qint64(std::llround(double(*value) * entry.factor));
                if (entry.field == QLatin1StringView("interval"))
                    spec.intervalMs = ms;
                else if (entry.field == QLatin1StringView("timeout"))
                    spec.timeoutMs = ms;
                else if (entry.field == QLatin1StringView("receive_timeout"))
                    spec.receiveTimeoutMs = ms;
                else if (entry.field == QLatin1StringView("init_timeout"))
                    spec.initTimeoutMs = ms;
            }
        }
        return spec;
    }

    HeartbeatSpec spec;
    const QStringView kind = text.first(colon);
    if (kind == QLatin1StringView("ping"))
        spec.kind = Kind::Ping;
    else if (kind == QLatin1StringView("pong"))
        spec.kind = Kind::Pong;
    else if (kind == QLatin1StringView("app"))
        spec.kind = Kind::App;
    else
        return fail(QStringLiteral("unknown kind '%1'; ").arg(kind) + valid);

    const QList<QStringView> parts = text.sliced(colon + 1).split(u',');
    QString durationError;
    const auto interval = DurationText::parseMs(parts.at(0), &durationError);
    if (!interval)
        return fail(durationError);
    if (*interval <= 0)
        return fail(QStringLiteral("the interval must be greater than 0"));
    spec.intervalMs = *interval;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QStringView part = parts.at(i);
        if (!part.startsWith(QLatin1StringView("timeout=")) || spec.kind == Kind::Pong)
            return fail(spec.kind == Kind::Pong
                            ? QStringLiteral("a pong heartbeat expects no answer, so it takes no timeout")
                            : QStringLiteral("unknown parameter '%1' (only timeout=S)").arg(part));
        const auto timeout = DurationText::parseMs(part.sliced(8), &durationError);
        if (!timeout)
            return fail(durationError);
        if (*timeout <= 0)
            return fail(QStringLiteral("the timeout must be greater than 0"));
        spec.timeoutMs = *timeout;
    }
    return spec;
}

} // namespace wsi
