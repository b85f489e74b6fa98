// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/RequiredLiteral.h"

namespace wsi::RequiredLiteral {
namespace {

class PatternReader
{
public:
    PatternReader(const QString &pattern, bool caseless)
        : m_pattern(pattern)
        , m_caseless(caseless)
    {}

    QByteArray longestRun()
    {
        while (m_at < m_pattern.size()) {
            const QChar c = m_pattern.at(m_at);
            if (c == u'|')
                return {}; // one of several alternatives: none of them is required
            if (c == u'(') {
                if (!skipGroup())
                    return {};
                endRun();
                skipQuantifier();
            } else if (c == u'[') {
                skipClass();
                endRun();
                skipQuantifier();
            } else if (c == u'\\') {
                readEscape();
            } else if (c == u'.' || c == u'^' || c == u'$' || c == u')' || c == u']' || c == u'{' || c == u'}' ||
                       c == u'*' || c == u'+' || c == u'?') {
                ++m_at;
                endRun();
                skipQuantifier();
            } else {
                ++m_at;
                literal(c);
            }
        }
        endRun();
        return m_best.size() >= 2 ? m_best : QByteArray();
    }

private:
    static bool isQuantifier(QChar c) { return c == u'*' || c == u'+' || c == u'?' || c == u'{'; }

    // A literal character just read at m_at - 1: it extends the run unless a quantifier may leave it out.
    void literal(QChar c)
    {
        const bool ascii = c.unicode() >= 0x20 && c.unicode() < 0x7f;
        const bool foldsBeyondAscii = m_caseless && (c.toLower() == u'k' || c.toLower() == u's');
        const QChar next = m_at < m_pattern.size() ? m_pattern.at(m_at) : QChar();
        if (!ascii || foldsBeyondAscii || (isQuantifier(next) && next != u'+')) {
            endRun();
            skipQuantifier();
            return;
        }
        m_run.append(char(c.unicode()));
        if (next == u'+') { // at least once: it is in every match, but what follows may not be next to it
            endRun();
            skipQuantifier();
        }
    }

    void readEscape()
    {
        const QChar escaped = m_at + 1 < m_pattern.size() ? m_pattern.at(m_at + 1) : QChar();
        m_at += 2;
        // Escaped punctuation is that character; anything else (\d, \b, \x41, \Q, a back reference ...) ends the run.
        if (escaped.unicode() > 0x20 && escaped.unicode() < 0x7f && !escaped.isLetterOrNumber()) {
            literal(escaped);
            return;
        }
        // Its argument is not literal text: \x41, \x{263a}, \p{Lu}, \pL, \g{-1}, \k<name>, \123, \o{17}, \cA.
        const auto skipBraced = [this](QChar open, QChar close) {
            if (m_at >= m_pattern.size() || m_pattern.at(m_at) != open)
                return false;
            while (m_at < m_pattern.size() && m_pattern.at(m_at) != close)
                ++m_at;
            ++m_at;
            return true;
        };
        const auto skipWhile = [this](auto accept, int most) {
            for (int n = 0; n < most && m_at < m_pattern.size() && accept(m_pattern.at(m_at)); ++n)
                ++m_at;
        };
        const auto isHex = [](QChar c) { return c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f'); };
        const auto isDigit = [](QChar c) { return c >= u'0' && c <= u'9'; };
        const ushort e = escaped.unicode();
        if (e == 'Q') {
            readQuoted();
            return;
        }
        if (e == 'x') {
            if (!skipBraced(u'{', u'}'))
                skipWhile(isHex, 2);
        } else if (e == 'o' || e == 'N') {
            skipBraced(u'{', u'}');
        } else if (e == 'p' || e == 'P') {
            if (!skipBraced(u'{', u'}'))
                skipWhile([](QChar c) { return c.isLetter(); }, 1);
        } else if (e == 'g' || e == 'k') {
            if (!skipBraced(u'{', u'}') && !skipBraced(u'<', u'>') && !skipBraced(u'\'', u'\''))
                skipWhile([](QChar c) { return c == u'-' || c == u'+' || (c >= u'0' && c <= u'9'); }, 8);
        } else if (e == 'c') {
            skipWhile([](QChar) { return true; }, 1);
        } else if (e >= '0' && e <= '9') {
            skipWhile(isDigit, 3); // a back reference or an octal code
        }
        endRun();
        skipQuantifier();
    }

    // \Q...\E: every character up to \E (or the end) is literal; a quantifier after \E applies to the last one.
    void readQuoted()
    {
        while (m_at < m_pattern.size()) {
            if (m_pattern.at(m_at) == u'\\' && m_at + 1 < m_pattern.size() && m_pattern.at(m_at + 1) == u'E') {
                m_at += 2;
                break;
            }
            const QChar c = m_pattern.at(m_at++);
            const bool ascii = c.unicode() >= 0x20 && c.unicode() < 0x7f;
            if (!ascii || (m_caseless && (c.toLower() == u'k' || c.toLower() == u's')))
                endRun();
            else
                m_run.append(char(c.unicode()));
        }
        const QChar next = m_at < m_pattern.size() ? m_pattern.at(m_at) : QChar();
        if (isQuantifier(next)) {
            if (next != u'+')
                m_run.chop(1);
            endRun();
            skipQuantifier();
        }
    }

    // From '(' to its ')'. False when the pattern turns on extended syntax, which this reader does not follow.
    bool skipGroup()
    {
        if (m_at + 1 < m_pattern.size() && m_pattern.at(m_at + 1) == u'?') {
            // Inline options, "(?i)" or "(?i:...)": a 'x' makes whitespace meaningless, an 'i' folds case from here.
            qsizetype i = m_at + 2;
            while (i < m_pattern.size() && m_pattern.at(i).isLetter()) {
                if (m_pattern.at(i) == u'x')
                    return false;
                if (m_pattern.at(i) == u'i')
                    m_caseless = true;
                ++i;
            }
        }
        int depth = 0;
        while (m_at < m_pattern.size()) {
            const QChar c = m_pattern.at(m_at);
            if (c == u'\\') {
                m_at += 2;
                continue;
            }
            if (c == u'[') {
                skipClass();
                continue;
            }
            ++m_at;
            if (c == u'(')
                ++depth;
            else if (c == u')' && --depth == 0)
                return true;
        }
        return true;
    }

    void skipClass()
    {
        ++m_at; // '['
        if (m_at < m_pattern.size() && m_pattern.at(m_at) == u'^')
            ++m_at;
        if (m_at < m_pattern.size() && m_pattern.at(m_at) == u']')
            ++m_at; // a ']' first is a member
        while (m_at < m_pattern.size()) {
            const QChar c = m_pattern.at(m_at);
            m_at += c == u'\\' ? 2 : 1;
            if (c == u']')
                return;
        }
    }

    void skipQuantifier()
    {
        if (m_at >= m_pattern.size())
            return;
        const QChar c = m_pattern.at(m_at);
        if (c == u'{') {
            while (m_at < m_pattern.size() && m_pattern.at(m_at) != u'}')
                ++m_at;
            ++m_at;
        } else if (c == u'*' || c == u'+' || c == u'?') {
            ++m_at;
        } else {
            return;
        }
        // Lazy or possessive forms: "*?", "++".
        if (m_at < m_pattern.size() && (m_pattern.at(m_at) == u'?' || m_pattern.at(m_at) == u'+'))
            ++m_at;
    }

    void endRun()
    {
        if (m_run.size() > m_best.size())
            m_best = m_run;
        m_run.clear();
    }

    const QString &m_pattern;
    bool m_caseless;
    qsizetype m_at = 0;
    QByteArray m_run;
    QByteArray m_best;
};

} // namespace

QByteArray of(const QRegularExpression &regex)
{
    if (regex.patternOptions() & QRegularExpression::ExtendedPatternSyntaxOption)
        return {};
    const QString pattern = regex.pattern();
    return PatternReader(pattern, regex.patternOptions() & QRegularExpression::CaseInsensitiveOption).longestRun();
}

} // namespace wsi::RequiredLiteral
