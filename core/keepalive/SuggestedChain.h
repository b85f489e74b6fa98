// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/keepalive/DisconnectDiagnosis.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace wsi {

class IntermediaryCatalog;
struct SessionEvidence;

// The chain of intermediaries the keepalive simulator should start from for a real session, as far as its evidence
// says: every intermediary that named itself in the upgrade response (FingerprintClue), with the knob the diagnosis
// inferred set to what the session measured ("nginx:proxy_read_timeout=5s" after 5.0 s of silence before a cut
// behind "Server: nginx/1.22.1"), else at the catalog's defaults, each with the one line that says why.
//
// Nothing is invented: a session whose response names no intermediary gets no chain, only the sentence that says
// so, whatever timer the diagnosis found matching (a default that fits the silence is not evidence that the box is
// there). A clue naming several models (Server: nginx names nginx and ingress-nginx) gives one link: the model of
// the diagnosis's best candidate among them, else the first the fingerprint table names.
//
// Path order, client first. A Server field is written by whoever produced the response; a box that passes a response
// on adds a field of its own instead (Via, CF-RAY, its cookie), so links named by such added fields come first and
// the one named by Server last. Among links named the same way the order cannot be told from the response: they
// keep the fingerprint table's order (resources/fingerprints.json), and `orderNote` says so.
struct SuggestedChain {
    struct Link {
        ChainLink link;
        // "from Server: nginx/1.22.1 in the upgrade response; proxy_read_timeout set to 5.0 s from the 5.0 s
        // silence before the cut"
        QString reason;
    };

    QList<Link> links; // client first; empty when nothing named itself
    // One sentence about the whole: where the chain comes from ("Suggested from the upgrade response of
    // wss://example.com."), or why there is none.
    QString summary;
    // Why the links stand in this order, when there are several; empty otherwise.
    QString orderNote;

    bool isEmpty() const noexcept { return links.isEmpty(); }
    QList<ChainLink> chainLinks() const;
    // As the command line writes them: ["nginx:proxy_read_timeout=5s"].
    QStringList cliLinks() const;
    // For people: the summary, then "nginx:proxy_read_timeout=5s: from Server: ..." per link, then the order note.
    QStringList toLines() const;
    // {"chain": ["nginx:proxy_read_timeout=5s"], "links": [{"model", "link", "reason"}], "summary", "order"
    // (null unless several links)}
    QJsonObject toJson() const;

    // From a session's evidence and its diagnosis (DisconnectDiagnoser::diagnose against the catalog's defaults).
    static SuggestedChain fromEvidence(const SessionEvidence &evidence, const DisconnectDiagnosis &diagnosis,
                                       const IntermediaryCatalog &catalog);
    // Diagnoses the evidence against the built-in catalog first.
    static SuggestedChain fromEvidence(const SessionEvidence &evidence);
};

} // namespace wsi
