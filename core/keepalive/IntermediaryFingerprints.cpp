// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryFingerprints.h"

#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/KeepaliveResources.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wsi {

QString IntermediaryFingerprints::builtInPath()
{
    return QStringLiteral(":/wsi/keepalive/fingerprints.json");
}

const IntermediaryFingerprints &IntermediaryFingerprints::builtIn()
{
    static const IntermediaryFingerprints table = [] {
        QString error;
        std::optional<IntermediaryFingerprints> loaded =
            fromJson(KeepaliveResources::read(builtInPath()), IntermediaryCatalog::builtIn(), &error);
        if (!loaded)
            qFatal("built-in fingerprint table %s: %s", qPrintable(builtInPath()), qPrintable(error));
        return std::move(*loaded);
    }();
    return table;
}

std::optional<IntermediaryFingerprints>
IntermediaryFingerprints::fromJson(const QByteArray &json, const IntermediaryCatalog &catalog, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<IntermediaryFingerprints> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const std::optional<QJsonObject> document = KeepaliveResources::rootOf(json, error);
    if (!document)
        return std::nullopt;
    const QJsonObject &root = *document;
    const QJsonValue entries = root.value(QStringLiteral("fingerprints"));
    if (!entries.isArray() || entries.toArray().isEmpty())
        return fail(QStringLiteral("\"fingerprints\" must be a non-empty array"));

    IntermediaryFingerprints table;
    const QJsonArray array = entries.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject())
            return fail(QStringLiteral("fingerprint %1 must be an object").arg(i + 1));
        const QJsonObject object = array.at(i).toObject();
        const QString where = QStringLiteral("fingerprint %1 (%2)")
                                  .arg(i + 1)
                                  .arg(object.value(QStringLiteral("header")).toString(QStringLiteral("no header")));
        QString entryError;
        std::optional<IntermediaryFingerprint> fingerprint =
            IntermediaryFingerprint::fromJson(object, where, catalog, &entryError);
        if (!fingerprint)
            return fail(entryError);
        table.m_fingerprints.append(std::move(*fingerprint));
    }
    return table;
}

QList<FingerprintClue> IntermediaryFingerprints::identify(const HttpHeaders &response) const
{
    QList<FingerprintClue> clues;
    for (const IntermediaryFingerprint &fingerprint : m_fingerprints) {
        if (std::optional<FingerprintClue> clue = fingerprint.match(response))
            clues.append(std::move(*clue));
    }
    return clues;
}

} // namespace wsi
