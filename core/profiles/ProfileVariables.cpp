// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/ProfileVariables.h"

#include <QHash>
#include <QRegularExpression>

namespace wsi {
namespace {

const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression pattern(QStringLiteral("\\{\\{([A-Za-z_][A-Za-z0-9_.\\-]*)\\}\\}"));
    return pattern;
}

// The same placeholder inside a URL, where QUrl keeps the braces percent-encoded.
const QRegularExpression &encodedPlaceholderPattern()
{
    static const QRegularExpression pattern(QStringLiteral("%7B%7B([A-Za-z_][A-Za-z0-9_.\\-]*)%7D%7D"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

bool isSecretName(QStringView name)
{
    // "{{secret}}" is the placeholder for a value kept out of the file, never a variable of its own.
    return name == QLatin1StringView("secret");
}

bool isOpen(QByteArrayView value)
{
    return value == QByteArrayView(SessionProfile::secretPlaceholder);
}

bool hasValue(const ProfileVariable &variable)
{
    return !variable.value.isEmpty() && variable.value != SessionProfile::secretPlaceholder;
}

void collect(const QString &text, const QRegularExpression &pattern, QStringList &names)
{
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text)) {
        const QString name = match.captured(1);
        if (!isSecretName(name) && !names.contains(name))
            names.append(name);
    }
}

QString substitute(const QString &text, const QHash<QString, QString> &values)
{
    QString out;
    qsizetype from = 0;
    for (const QRegularExpressionMatch &match : placeholderPattern().globalMatch(text)) {
        const auto value = values.constFind(match.captured(1));
        if (value == values.constEnd())
            continue;
        out += QStringView(text).mid(from, match.capturedStart() - from);
        out += *value;
        from = match.capturedEnd();
    }
    return out + QStringView(text).mid(from);
}

QByteArray substitute(const QByteArray &text, const QHash<QString, QString> &values)
{
    return substitute(QString::fromUtf8(text), values).toUtf8();
}

} // namespace

bool ProfileVariables::isValidName(QStringView name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.\\-]*$"));
    return !isSecretName(name) && pattern.match(name.toString()).hasMatch();
}

QStringList ProfileVariables::referencedNames(const SessionProfile &profile)
{
    QStringList names;
    collect(profile.options.url.toString(QUrl::FullyEncoded), encodedPlaceholderPattern(), names);
    for (const HttpHeader &header : profile.options.headers)
        collect(QString::fromUtf8(header.value), placeholderPattern(), names);
    collect(profile.options.origin, placeholderPattern(), names);
    for (const auto &cookie : profile.options.cookies)
        collect(QString::fromUtf8(cookie.second), placeholderPattern(), names);
    return names;
}

QList<ProfileVariables::Question> ProfileVariables::unanswered(const SessionProfile &profile)
{
    QList<Question> questions;
    for (qsizetype i = 0; i < profile.options.headers.size(); ++i) {
        const HttpHeader &header = profile.options.headers.at(i);
        if (isOpen(header.value))
            questions.append({Question::Kind::Header, QString::fromUtf8(header.name), i, true});
    }
    for (qsizetype i = 0; i < profile.options.cookies.size(); ++i) {
        if (isOpen(profile.options.cookies.at(i).second))
            questions.append({Question::Kind::Cookie, QString::fromUtf8(profile.options.cookies.at(i).first), i, true});
    }
    if (isOpen(profile.options.proxy.password().toUtf8()))
        questions.append({Question::Kind::ProxyPassword, profile.options.proxy.userName(), -1, true});
    for (const QString &name : referencedNames(profile)) {
        qsizetype index = -1;
        for (qsizetype i = 0; i < profile.variables.size(); ++i) {
            if (profile.variables.at(i).name == name)
                index = i;
        }
        if (index < 0)
            questions.append({Question::Kind::Variable, name, -1, false});
        else if (!hasValue(profile.variables.at(index)))
            questions.append({Question::Kind::Variable, name, index, profile.variables.at(index).secret});
    }
    return questions;
}

void ProfileVariables::answer(SessionProfile &profile, const QList<Question> &questions, const QStringList &answers)
{
    HttpHeaders headers;
    QList<QByteArray> headerValues;
    for (const HttpHeader &header : profile.options.headers)
        headerValues.append(header.value);
    for (qsizetype i = 0; i < questions.size() && i < answers.size(); ++i) {
        const Question &question = questions.at(i);
        switch (question.kind) {
        case Question::Kind::Header:
            if (question.index >= 0 && question.index < headerValues.size())
                headerValues[question.index] = answers.at(i).toUtf8();
            break;
        case Question::Kind::Cookie:
            if (question.index >= 0 && question.index < profile.options.cookies.size())
                profile.options.cookies[question.index].second = answers.at(i).toUtf8();
            break;
        case Question::Kind::ProxyPassword:
            profile.options.proxy.setPassword(answers.at(i));
            break;
        case Question::Kind::Variable:
            if (question.index >= 0 && question.index < profile.variables.size())
                profile.variables[question.index].value = answers.at(i);
            else
                profile.variables.append({question.name, answers.at(i), false});
            break;
        }
    }
    // HttpHeaders has no setter: the list is rebuilt in its order.
    for (qsizetype i = 0; i < profile.options.headers.size(); ++i)
        headers.append(profile.options.headers.at(i).name, headerValues.at(i));
    profile.options.headers = headers;
}

std::optional<SessionOptions> ProfileVariables::resolve(const SessionProfile &profile, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<SessionOptions> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (const QList<Question> open = unanswered(profile); !open.isEmpty()) {
        const Question &first = open.first();
        switch (first.kind) {
        case Question::Kind::Header:
            return fail(
                QStringLiteral("profile '%1': header '%2' is a secret with no value").arg(profile.name, first.name));
        case Question::Kind::Cookie:
            return fail(
                QStringLiteral("profile '%1': cookie '%2' is a secret with no value").arg(profile.name, first.name));
        case Question::Kind::ProxyPassword:
            return fail(QStringLiteral("profile '%1': the proxy password of '%2' is a secret with no value")
                            .arg(profile.name, first.name));
        case Question::Kind::Variable:
            return fail(QStringLiteral("profile '%1': variable '%2' has no value").arg(profile.name, first.name));
        }
    }
    QHash<QString, QString> values;
    for (const ProfileVariable &variable : profile.variables) {
        if (hasValue(variable))
            values.insert(variable.name, variable.value);
    }

    SessionOptions options = profile.options;
    const QString url = profile.options.url.toString(QUrl::FullyEncoded);
    QString substitutedUrl;
    qsizetype from = 0;
    for (const QRegularExpressionMatch &match : encodedPlaceholderPattern().globalMatch(url)) {
        const auto value = values.constFind(match.captured(1));
        if (value == values.constEnd())
            continue;
        substitutedUrl += QStringView(url).mid(from, match.capturedStart() - from);
        substitutedUrl += QString::fromLatin1(QUrl::toPercentEncoding(*value));
        from = match.capturedEnd();
    }
    substitutedUrl += QStringView(url).mid(from);
    options.url = QUrl(substitutedUrl, QUrl::StrictMode);
    if (!options.url.isValid() || options.url.host().isEmpty())
        return fail(QStringLiteral("profile '%1': the URL is not valid once its variables are filled in: %2")
                        .arg(profile.name, substitutedUrl));

    HttpHeaders headers;
    for (const HttpHeader &header : profile.options.headers)
        headers.append(header.name, substitute(header.value, values));
    options.headers = headers;
    options.origin = substitute(profile.options.origin, values);
    for (auto &cookie : options.cookies)
        cookie.second = substitute(cookie.second, values);
    return options;
}

QString ProfileVariables::encodeUrlPlaceholders(QString url)
{
    static const QRegularExpression pattern(QStringLiteral("\\{\\{([A-Za-z_][A-Za-z0-9_.\\-]*)\\}\\}"));
    return url.replace(pattern, QStringLiteral("%7B%7B\\1%7D%7D"));
}

QString ProfileVariables::decodeUrlPlaceholders(QString url)
{
    return url.replace(encodedPlaceholderPattern(), QStringLiteral("{{\\1}}"));
}

} // namespace wsi
