// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/HeartbeatPresets.h"

#include "core/keepalive/KeepaliveResources.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace wsi {
namespace {

std::optional<qint64> secondsMs(const QJsonObject &object, const char *field)
{
    const QJsonValue value = object.value(QLatin1StringView(field));
    if (!value.isDouble())
        return std::nullopt;
    return qint64(std::llround(value.toDouble() * 1000.0));
}

std::optional<HeartbeatSpec> readRole(const QJsonObject &object, const QString &presetId, const QString &where,
                                      QString *error)
{
    HeartbeatSpec spec;
    spec.preset = presetId;
    const QString kind = object.value(QStringLiteral("kind")).toString();
    if (kind == QLatin1StringView("none"))
        spec.kind = HeartbeatSpec::Kind::None;
    else if (kind == QLatin1StringView("ping"))
        spec.kind = HeartbeatSpec::Kind::Ping;
    else if (kind == QLatin1StringView("pong"))
        spec.kind = HeartbeatSpec::Kind::Pong;
    else if (kind == QLatin1StringView("app"))
        spec.kind = HeartbeatSpec::Kind::App;
    else {
        *error = where + QStringLiteral(": \"kind\" must be none, ping, pong or app");
        return std::nullopt;
    }
    if (spec.kind != HeartbeatSpec::Kind::None) {
        const auto interval = secondsMs(object, "interval_s");
        if (!interval || *interval <= 0) {
            *error = where + QStringLiteral(": \"interval_s\" must be a positive number");
            return std::nullopt;
        }
        spec.intervalMs = *interval;
    }
    spec.timeoutMs = secondsMs(object, "timeout_s");
    spec.receiveTimeoutMs = secondsMs(object, "receive_timeout_s");
    spec.timeoutFrom = object.value(QStringLiteral("timeout_from")).toString() == QLatin1StringView("last_pong")
                           ? HeartbeatSpec::TimeoutFrom::LastReply
                           : HeartbeatSpec::TimeoutFrom::Heartbeat;
    spec.answersPings = object.value(QStringLiteral("answers_pings")).toBool(true);
    spec.protocol = object.value(QStringLiteral("protocol")).toString();
    spec.answersProtocol = object.value(QStringLiteral("answers_protocol")).toBool(true);
    spec.beatsExpectAnswer = object.value(QStringLiteral("beats_expect_answer")).toBool(true);
    spec.beatName = object.value(QStringLiteral("beat")).toString(QStringLiteral("heartbeat"));
    spec.replyName = object.value(QStringLiteral("reply")).toString(QStringLiteral("reply"));
    spec.timeoutKnob = object.value(QStringLiteral("timeout_knob")).toString();
    spec.receiveTimeoutKnob = object.value(QStringLiteral("receive_timeout_knob")).toString();
    spec.initTimeoutMs = secondsMs(object, "init_timeout_s");
    spec.initTimeoutKnob = object.value(QStringLiteral("init_timeout_knob")).toString();
    spec.sendsInit = object.value(QStringLiteral("sends_init")).toBool(false);
    if (object.value(QStringLiteral("close_code")).isDouble())
        spec.closeCode = object.value(QStringLiteral("close_code")).toInt();
    if (object.value(QStringLiteral("pong_timeout_close_code")).isDouble())
        spec.pongTimeoutCloseCode = object.value(QStringLiteral("pong_timeout_close_code")).toInt();
    spec.source = object.value(QStringLiteral("source")).toString();
    const QJsonObject knobs = object.value(QStringLiteral("knobs")).toObject();
    for (auto it = knobs.begin(); it != knobs.end(); ++it) {
        // "sets": one field, or several (MQTT's keepalive sets mqtt.js's PINGREQ interval and, halved, its wait).
        const QJsonObject knob = it.value().toObject();
        const QJsonValue sets = knob.value(QStringLiteral("sets"));
        const QJsonValue factors = knob.value(QStringLiteral("factor"));
        const QJsonArray fields = sets.isArray() ? sets.toArray() : QJsonArray{sets};
        for (qsizetype i = 0; i < fields.size(); ++i) {
            const QString field = fields.at(i).toString();
            if (field != QLatin1StringView("interval") && field != QLatin1StringView("timeout") &&
                field != QLatin1StringView("receive_timeout") && field != QLatin1StringView("init_timeout")) {
                *error = where + QStringLiteral(": knob \"%1\" must set interval, timeout, receive_timeout or "
                                                "init_timeout")
                                     .arg(it.key());
                return std::nullopt;
            }
            const double factor = factors.isArray() ? factors.toArray().at(i).toDouble(1.0) : factors.toDouble(1.0);
            spec.knobs.append({it.key(), field, factor});
        }
    }
    return spec;
}

} // namespace

QString HeartbeatPresets::builtInPath()
{
    return QStringLiteral(":/wsi/keepalive/heartbeats.json");
}

const HeartbeatPresets &HeartbeatPresets::builtIn()
{
    static const HeartbeatPresets presets = [] {
        QString error;
        std::optional<HeartbeatPresets> loaded = fromJson(KeepaliveResources::read(builtInPath()), &error);
        if (!loaded)
            qFatal("built-in heartbeat presets %s: %s", qPrintable(builtInPath()), qPrintable(error));
        return std::move(*loaded);
    }();
    return presets;
}

std::optional<HeartbeatPresets> HeartbeatPresets::fromJson(const QByteArray &json, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        message = QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    HeartbeatPresets result;
    for (const QJsonValue &value : document.object().value(QStringLiteral("presets")).toArray()) {
        const QJsonObject object = value.toObject();
        HeartbeatPreset preset;
        preset.id = object.value(QStringLiteral("id")).toString();
        preset.name = object.value(QStringLiteral("name")).toString();
        preset.mechanism = object.value(QStringLiteral("mechanism")).toString();
        preset.timeoutText = object.value(QStringLiteral("timeout_text")).toString();
        preset.approximation = object.value(QStringLiteral("approximation")).toString();
        if (preset.id.isEmpty() || preset.name.isEmpty() || preset.mechanism.isEmpty()) {
            message = QStringLiteral("preset '%1': \"id\", \"name\" and \"mechanism\" are required").arg(preset.id);
            return std::nullopt;
        }
        if (result.find(preset.id)) {
            message = QStringLiteral("preset '%1' appears twice").arg(preset.id);
            return std::nullopt;
        }
        const QJsonObject roles = object.value(QStringLiteral("roles")).toObject();
        for (const char *role : {"client", "server"}) {
            if (!roles.contains(QLatin1StringView(role)))
                continue;
            auto spec =
                readRole(roles.value(QLatin1StringView(role)).toObject(), preset.id,
                         QStringLiteral("preset '%1', role %2").arg(preset.id, QLatin1StringView(role)), &message);
            if (!spec)
                return std::nullopt;
            (qstrcmp(role, "client") == 0 ? preset.client : preset.server) = std::move(spec);
        }
        if (!preset.client && !preset.server) {
            message = QStringLiteral("preset '%1' defines neither a client nor a server role").arg(preset.id);
            return std::nullopt;
        }
        result.m_presets.append(std::move(preset));
    }
    if (result.m_presets.isEmpty()) {
        message = QStringLiteral("\"presets\" must be a non-empty array");
        return std::nullopt;
    }
    return result;
}

const HeartbeatPreset *HeartbeatPresets::find(QStringView id) const
{
    for (const HeartbeatPreset &preset : m_presets) {
        if (id.compare(preset.id, Qt::CaseInsensitive) == 0)
            return &preset;
    }
    return nullptr;
}

QStringList HeartbeatPresets::ids() const
{
    QStringList ids;
    for (const HeartbeatPreset &preset : m_presets)
        ids.append(preset.id);
    return ids;
}

QStringList HeartbeatPresets::idsFor(Endpoint side) const
{
    QStringList ids;
    for (const HeartbeatPreset &preset : m_presets) {
        if (preset.role(side))
            ids.append(preset.id);
    }
    return ids;
}

} // namespace wsi
