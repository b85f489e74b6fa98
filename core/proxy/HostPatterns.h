// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace wsi {

// Which hosts the capture proxy intercepts (decrypts and parses) and which it tunnels blindly, from
// `--intercept PATTERN` and `--no-intercept PATTERN`. A pattern is a glob on the host name, compared without
// regard to case: `*` stands for any run of characters (dots included), `?` for one; a pattern without either
// names one host. "*.example.com" matches "api.example.com" and "a.b.example.com" but not "example.com".
//
// The decision: a host that matches a --no-intercept pattern is tunnelled (so pinned hosts can be excluded from a
// broad --intercept); else, when there are --intercept patterns, only hosts that match one are intercepted; with
// none, every host is (the default).
class HostPatterns final
{
public:
    HostPatterns() = default;
    HostPatterns(QStringList intercept, QStringList noIntercept);

    // Why `pattern` cannot be used (empty, or holding a character no host name has), empty when it can.
    static QString problem(const QString &pattern);
    static bool matches(const QString &pattern, const QString &host);

    bool intercepts(const QString &host) const;
    const QStringList &intercept() const noexcept { return m_intercept; }
    const QStringList &noIntercept() const noexcept { return m_noIntercept; }

private:
    QStringList m_intercept;
    QStringList m_noIntercept;
};

} // namespace wsi
