// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryTimer.h"

#include <QString>

#include <optional>

namespace wsi {

// One intermediary timer that could have ended a real session: which model and knob, its default, the silence
// or age of the session that matches it, how sure we are, and why.
struct DiagnosisCandidate {
    enum class Confidence : quint8 { Low, Medium, High };

    QString modelId;      // "nginx"
    QString modelName;    // "nginx", "AWS Application Load Balancer"
    QString knob;         // the real name: proxy_read_timeout, idle_timeout.timeout_seconds
    QString configurable; // "yes", "no", "Enterprise only"
    QString timerId;
    TimerKind kind = TimerKind::Idle;
    ResetRule resetBy = ResetRule::PayloadEither;
    ExpiryAction action = ExpiryAction::Fin;
    qint64 defaultMs = 0;    // the value compared: the catalog's default, or the user's value when overridden
    bool overridden = false; // the user gave the value (diagnose --chain)
    // No value of the catalog matched, but the intermediary named itself in the upgrade response and has a knob of
    // this kind: defaultMs is then what the session says the knob is set to (the measured silence, or the age for a
    // lifetime), and modelDefaultMs the catalog's default (nullopt: none).
    bool inferred = false;
    std::optional<qint64> modelDefaultMs;
    QString clue; // "Server: nginx/1.22.1 in the upgrade response" when a fingerprint names this model
    // When the timer ran faster than modelled (the timeout proxy divides every timer by its time scale): the scale,
    // and the value before it was divided. defaultMs is then what ran.
    double timeScale = 1.0;
    qint64 modelledMs = 0;
    bool defaultUnverified = false;
    // The session's silence counted the way this timer counts traffic (idle timers), or its age (lifetimes).
    std::optional<qint64> silenceMs;
    qint64 ageMs = 0;
    Confidence confidence = Confidence::Low;
    int score = 0; // ranks candidates: higher first
    QString why;   // plain words: what matches, and what weakens it

    // "both" (either direction counts), "out" (only what the client sends), "in" (only what the server sends);
    // empty for a lifetime, which counts no traffic.
    QString direction() const;
    static QString confidenceName(Confidence confidence);
    // "nginx proxy_read_timeout (default 60 s)", or "(30 s as given)" for a value the user set, or "(default 60 s,
    // run as 3 s)" at a time scale, or "(set to about 5.0 s here; default 60 s)" when inferred
    QString label() const;
    // "60 s", or "60 s, run as 3 s" at a time scale
    QString valueText() const;
};

} // namespace wsi
