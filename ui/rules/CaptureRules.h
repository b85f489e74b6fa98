// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

namespace wsi {

class RuleSet;

// The rules of the window's capture proxy: the document as the user wrote it (RuleFile's JSON, never written back
// from the parsed rules) and the RuleSet read from it, which the capture's connections share. Switching a rule flips
// the set's flag, so it acts at once on every connection running the set. The document, the switches and the file it
// came from are kept in QSettings (rules/...) and restored when the window opens; files are read and written on a
// pool thread.
class CaptureRules final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureRules)

public:
    // Restores what was kept; a kept document that is refused now is left unapplied (restoreProblem()).
    explicit CaptureRules(QObject *parent = nullptr);
    ~CaptureRules() override;

    // Null while there are none.
    std::shared_ptr<RuleSet> ruleSet() const { return m_rules; }
    QByteArray document() const { return m_document; }
    // The file the document was loaded from or saved to last; empty when it was written here.
    QString fileName() const { return m_file; }
    // Why the kept document was not applied at start (RuleFile's error), until another is applied.
    QString restoreProblem() const { return m_restoreProblem; }
    // "3 rules, 2 on", "1 rule, on", "no rules".
    QString summary() const;
    int enabledCount() const;

    // Applies `document` when RuleFile takes it (a blank one: no rules), kept for the next time; otherwise nothing
    // changes and *error says RuleFile's first objection ('rules[0].action: unknown action "explode"').
    bool apply(const QByteArray &document, QString *error);
    // Asynchronous: loaded() once applied, or loadRefused() with the error and whatever text the file had.
    void loadFile(const QString &path);
    // Asynchronous: the document as applied, byte for byte: saved() or saveFailed().
    void saveFile(const QString &path);
    // Any rule, at once, for every connection that runs the set (kept for the next time).
    void setEnabled(qsizetype index, bool enabled);

    // The example: redact a secret, close on "bye", delay "slow-" messages.
    static QByteArray exampleDocument();

Q_SIGNALS:
    // Another set (or none) was applied.
    void changed();
    // A rule was switched on or off.
    void switched(qsizetype index, bool enabled);
    void loaded(const QString &path);
    void loadRefused(const QString &path, const QByteArray &document, const QString &error);
    void saved(const QString &path);
    void saveFailed(const QString &path, const QString &error);

private:
    void set(std::shared_ptr<RuleSet> rules, const QByteArray &document, const QString &file);
    void keep() const;

    std::shared_ptr<RuleSet> m_rules;
    QByteArray m_document;
    QString m_file;
    QString m_restoreProblem;
};

} // namespace wsi
