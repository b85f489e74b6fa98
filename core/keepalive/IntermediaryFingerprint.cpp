// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryFingerprint.h"

#include "core/keepalive/IntermediaryCatalog.h"
#include "core/protocol/HttpHeaders.h"

#include <QJsonArray>

namespace wsi {

std::optional<FingerprintClue> IntermediaryFingerprint::match(const HttpHeaders &response) const
{
    for (const HttpHeader &field : response) {
        if (!HttpSyntax::equalsIgnoringCase(field.name, header))
            continue;
        const QString value = QString::fromUtf8(field.value);
        if (!pattern.match(value).hasMatch())
            continue;
        // A cookie's value is a credential: the clue, which goes into diagnoses, transcripts and recordings, keeps
        // only its name ("AWSALB=…").
        const bool cookie = HttpSyntax::equalsIgnoringCase(field.name, "Set-Cookie");
        return FingerprintClue{QString::fromUtf8(field.name),
                               cookie ? value.left(value.indexOf(u'=') + 1) + QChar(0x2026) : value, intermediaries,
                               source};
    }
    return std::nullopt;
}

std::optional<IntermediaryFingerprint> IntermediaryFingerprint::fromJson(const QJsonObject &object,
                                                                         const QString &where,
                                                                         const IntermediaryCatalog &catalog,
                                                                         QString *error)
{
    const auto fail = [&](const QString &message) -> std::optional<IntermediaryFingerprint> {
        if (error)
            *error = where + QStringLiteral(": ") + message;
        return std::nullopt;
    };
    IntermediaryFingerprint fingerprint;
    const QByteArray header = object.value(QStringLiteral("header")).toString().toLatin1();
    if (!HttpSyntax::isToken(header))
        return fail(QStringLiteral("field \"header\" must be a header field name"));
    fingerprint.header = header;

    const QJsonValue pattern = object.value(QStringLiteral("pattern"));
    if (!pattern.isString() || pattern.toString().isEmpty())
        return fail(QStringLiteral("field \"pattern\" must be a non-empty regular expression"));
    fingerprint.pattern = QRegularExpression(pattern.toString(), QRegularExpression::CaseInsensitiveOption |
                                                                     QRegularExpression::UseUnicodePropertiesOption);
    if (!fingerprint.pattern.isValid())
        return fail(QStringLiteral("field \"pattern\" is not a valid regular expression: %1 at offset %2")
                        .arg(fingerprint.pattern.errorString())
                        .arg(fingerprint.pattern.patternErrorOffset()));

    const QJsonValue ids = object.value(QStringLiteral("intermediaries"));
    if (!ids.isArray() || ids.toArray().isEmpty())
        return fail(QStringLiteral("field \"intermediaries\" must be a non-empty array of catalog ids"));
    for (const QJsonValue &id : ids.toArray()) {
        const IntermediaryModel *model = catalog.find(id.toString());
        if (!model)
            return fail(QStringLiteral("intermediary '%1' is not in the catalog (known: %2)")
                            .arg(id.toString(), catalog.ids().join(QStringLiteral(", "))));
        fingerprint.intermediaries.append(model->id);
    }

    fingerprint.source = object.value(QStringLiteral("source")).toString();
    if (!fingerprint.source.startsWith(QLatin1StringView("https://")) &&
        !fingerprint.source.startsWith(QLatin1StringView("http://")))
        return fail(QStringLiteral("field \"source\" must be the URL of the page saying the field is sent"));
    fingerprint.note = object.value(QStringLiteral("note")).toString();
    return fingerprint;
}

} // namespace wsi
