// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace wsi {

// One header field of the upgrade response by which an intermediary named itself ("Server: nginx/1.22.1"), with the
// catalog models it names and the page that says the field is sent. Made by IntermediaryFingerprints.
struct FingerprintClue {
    QString header;             // as the response wrote it
    QString value;              // as the response wrote it
    QStringList intermediaries; // catalog ids, most specific first: ["nginx", "ingress-nginx"]
    QString source;             // the documentation that says the field is sent

    // "Server: nginx/1.22.1"
    QString fieldText() const { return header + QStringLiteral(": ") + value; }
    // "Server: nginx/1.22.1 in the upgrade response"
    QString text() const { return fieldText() + QStringLiteral(" in the upgrade response"); }
    bool names(QStringView modelId) const
    {
        for (const QString &id : intermediaries) {
            if (modelId.compare(id, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

} // namespace wsi
