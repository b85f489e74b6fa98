// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/text/DurationText.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// One setting of an intermediary, under its real name (proxy_read_timeout, "timeout tunnel",
// idle_timeout.timeout_seconds). Products without a setting still get a named knob ("idle timeout", configurable
// false), because the user may edit every value to match what they measured.
struct IntermediaryKnob {
    enum class Type : quint8 { Duration, Flag };

    QString name;        // the real name, as in the product's configuration or documentation
    QString cliName;     // spaces, dashes and dots written as underscores: what the command line accepts
    QStringList aliases; // other accepted command-line names (idle_timeout for azure-lb, ...)
    Type type = Type::Duration;
    // Milliseconds for durations, 0/1 for flags; nullopt: not set by default (HAProxy's timeouts, the generic NAT).
    std::optional<qint64> defaultValue;
    std::optional<qint64> minMs; // documented range, when there is one
    std::optional<qint64> maxMs;
    bool rangeUnverified = false;
    bool defaultUnverified = false;
    bool required = false;    // no default exists and the model cannot run without a value (generic NAT)
    bool afterUpgrade = true; // false: applies before the 101 only, so the simulator never arms it
    DurationText::PlainUnit plainUnit = DurationText::PlainUnit::Seconds;
    QString configurable; // "yes", "no", or how ("Enterprise only", "rarely")
    QString configKey;    // ingress-nginx ConfigMap key, when it differs
    QString annotation;   // ingress-nginx annotation
    QString description;

    bool isFlag() const { return type == Type::Flag; }
    // Case-insensitive, so IdleTimeoutInMinutes and idletimeoutinminutes both work.
    bool answersTo(QStringView written) const
    {
        if (written.compare(cliName, Qt::CaseInsensitive) == 0)
            return true;
        for (const QString &alias : aliases) {
            if (written.compare(alias, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

} // namespace wsi
