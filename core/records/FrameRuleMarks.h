// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMutex>
#include <QString>

#include <optional>
#include <vector>

namespace wsi {

class FrameLog;

// Which rule acted on which frames of a connection's FrameLog: the frames of a message a rule matched and the
// frames written as a rule said. A relay (ProxyConnection) or our own session (SessionRules) marks frames as it goes;
// the views, the exports and the recording read the marks from other threads. A recording keeps them (RecordingFormat's
// rules and rule_frames tables) and its reader gives them back, so a reopened recording shows what a live connection
// showed.
//
// The rules are named once (by their index in the RuleSet: RuleSet::markNames()); each frame is marked at most once,
// when the rule acted (a message's frames when its last frame came). Marks are kept twice: by frame, for lookups, and
// as the runs of frames marked together, in the order they were marked, for the recording to write what is new.
//
// Any thread; the marks are guarded by a mutex (one lookup per frame shown or exported, one mark per message).
class FrameRuleMarks final
{
public:
    // A rule as the marks name it: "redact", "replace".
    struct RuleName {
        QString name;
        QString action;
        bool operator==(const RuleName &) const = default;
    };
    // Frames first..last (indices in the log) marked with rule `rule`, in one go.
    struct Run {
        qint64 first = 0;
        qint64 last = 0;
        qint32 rule = 0;
    };

    explicit FrameRuleMarks(QList<RuleName> rules);
    Q_DISABLE_COPY_MOVE(FrameRuleMarks)

    const QList<RuleName> &rules() const noexcept { return m_rules; }

    // Marks frames first..last with rule `rule` (an index into rules()); a run that continues the last one with the
    // same rule extends it.
    void mark(qsizetype first, qsizetype last, qsizetype rule);
    // Marks the frames of a message a rule acted on, first..last in `log`: of a fragmented message only its own
    // frames, not the other end's frames nor the pings between its fragments (each marked as itself).
    void markMessage(const FrameLog &log, qsizetype first, qsizetype last, qsizetype rule);
    // The rule that acted on frame `frame`: its index into rules(), or -1.
    qsizetype ruleIndexOf(qsizetype frame) const;
    std::optional<RuleName> ruleOf(qsizetype frame) const;
    // Whether any frame from `first` to `last` is marked (the timeline's buckets).
    bool anyMarked(qsizetype first, qsizetype last) const;

    // How far the marks have come: a writer keeps the progress it wrote up to.
    struct Progress {
        qsizetype runs = 0;
        qint64 marks = 0; // mark() calls: a run that grew changes this, not the runs
        bool operator==(const Progress &) const = default;
    };
    Progress progress() const;
    // The runs added since `written` and the last run before them (it may have grown), with `written` moved on.
    std::vector<Run> runsSince(Progress &written) const;

private:
    const QList<RuleName> m_rules;
    mutable QMutex m_mutex;
    // By frame index: the rule, or -1; up to the last frame marked. Dense (4 bytes a frame against the FrameRecord's
    // 48) because with a pass rule every frame is marked, and a hash per frame cost a fifth of the relay's time.
    std::vector<qint32> m_byFrame;
    std::vector<Run> m_runs;
    qint64 m_marks = 0;
};

} // namespace wsi
