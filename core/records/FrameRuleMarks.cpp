// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameRuleMarks.h"

#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"

#include <algorithm>

namespace wsi {

FrameRuleMarks::FrameRuleMarks(QList<RuleName> rules)
    : m_rules(std::move(rules))
{}

void FrameRuleMarks::mark(qsizetype first, qsizetype last, qsizetype rule)
{
    if (first < 0 || last < first || rule < 0 || rule >= m_rules.size())
        return;
    QMutexLocker lock(&m_mutex);
    ++m_marks;
    if (size_t(last) >= m_byFrame.size())
        m_byFrame.resize(size_t(last) + 1, -1);
    std::fill(m_byFrame.begin() + first, m_byFrame.begin() + last + 1, qint32(rule));
    if (!m_runs.empty() && m_runs.back().last + 1 == first && m_runs.back().rule == rule)
        m_runs.back().last = last;
    else
        m_runs.push_back(Run{first, last, qint32(rule)});
}

void FrameRuleMarks::markMessage(const FrameLog &log, qsizetype first, qsizetype last, qsizetype rule)
{
    if (first == last || first < 0 || last < first || rule < 0) {
        mark(first, last, rule);
        return;
    }
    const FrameRecord &lastFrame = log.frame(last);
    for (qsizetype i = first; i <= last; ++i) {
        const FrameRecord &frame = log.frame(i);
        if (frame.direction() == lastFrame.direction() &&
            (frame.opcode == Opcodes::value(Opcode::Continuation) || Opcodes::isData(frame.opcode)))
            mark(i, i, rule);
    }
}

qsizetype FrameRuleMarks::ruleIndexOf(qsizetype frame) const
{
    QMutexLocker lock(&m_mutex);
    return frame >= 0 && size_t(frame) < m_byFrame.size() ? m_byFrame[size_t(frame)] : -1;
}

std::optional<FrameRuleMarks::RuleName> FrameRuleMarks::ruleOf(qsizetype frame) const
{
    const qsizetype rule = ruleIndexOf(frame);
    return rule >= 0 ? std::optional(m_rules.at(rule)) : std::nullopt;
}

bool FrameRuleMarks::anyMarked(qsizetype first, qsizetype last) const
{
    QMutexLocker lock(&m_mutex);
    const qsizetype end = std::min(last + 1, qsizetype(m_byFrame.size()));
    return std::any_of(m_byFrame.begin() + std::clamp<qsizetype>(first, 0, end), m_byFrame.begin() + end,
                       [](qint32 rule) { return rule >= 0; });
}

FrameRuleMarks::Progress FrameRuleMarks::progress() const
{
    QMutexLocker lock(&m_mutex);
    return Progress{qsizetype(m_runs.size()), m_marks};
}

std::vector<FrameRuleMarks::Run> FrameRuleMarks::runsSince(Progress &written) const
{
    QMutexLocker lock(&m_mutex);
    const size_t from = size_t(std::clamp<qsizetype>(written.runs - 1, 0, qsizetype(m_runs.size())));
    written = Progress{qsizetype(m_runs.size()), m_marks};
    return std::vector<Run>(m_runs.begin() + qsizetype(from), m_runs.end());
}

} // namespace wsi
