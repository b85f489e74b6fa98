// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/HostPatterns.h"

#include <algorithm>

namespace wsi {
namespace {

// Iterative glob matching with backtracking to the last '*': linear in practice, never exponential.
bool globMatch(QStringView pattern, QStringView text)
{
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starAt = -1;
    qsizetype textAtStar = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            starAt = p++;
            textAtStar = t;
        } else if (starAt >= 0) {
            p = starAt + 1;
            t = ++textAtStar;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

} // namespace

HostPatterns::HostPatterns(QStringList intercept, QStringList noIntercept)
    : m_intercept(std::move(intercept))
    , m_noIntercept(std::move(noIntercept))
{}

QString HostPatterns::problem(const QString &pattern)
{
    if (pattern.isEmpty())
        return QStringLiteral("a host pattern cannot be empty");
    for (const QChar c : pattern) {
        const bool allowed = c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_' || c == u'*' || c == u'?' ||
                             c == u':' || c == u'[' || c == u']';
        if (!allowed)
            return QStringLiteral("'%1' is not a host pattern: '%2' cannot be part of a host name (use * and ?)")
                .arg(pattern, c);
    }
    return {};
}

bool HostPatterns::matches(const QString &pattern, const QString &host)
{
    return globMatch(pattern.toLower(), host.toLower());
}

bool HostPatterns::intercepts(const QString &host) const
{
    const auto matching = [&host](const QString &pattern) { return matches(pattern, host); };
    if (std::any_of(m_noIntercept.cbegin(), m_noIntercept.cend(), matching))
        return false;
    return m_intercept.isEmpty() || std::any_of(m_intercept.cbegin(), m_intercept.cend(), matching);
}

} // namespace wsi
