// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/KeepaliveSimulator.h"
#include "core/keepalive/SuggestedChain.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QTabWidget;
class QTableWidget;

namespace wsi {

class FrameLog;
class TimelineWidget;

// The keepalive simulator in the window: build a chain of intermediaries from the catalog (client first), change
// their knobs, pick what each end does (a heartbeat spec or preset, or this session's own traffic), run, and read
// the predicted timeline, which timer cuts the connection and when, what each end sees, why and the fix.
//
// Run and the verdict sit at the top; under them a Setup page (chain, knobs, ends) and a Result page (explanation
// and fix, the predicted timeline, the events), each scrolling on its own, so the panel fits a short side tab and a
// finished run shows its result without scrolling.
//
// A run happens on a pool thread (a long recorded session can take a while); the result comes back queued.
class SimulatorPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimulatorPanel)

public:
    explicit SimulatorPanel(QWidget *parent = nullptr);
    ~SimulatorPanel() override;

    // The session whose frames "this session's traffic" replays; null: none (the option is disabled).
    void setFrameLog(std::shared_ptr<const FrameLog> log);
    // When that session ended on its own clock (its close record), once it has: a replay's silences are measured up
    // to then. Without it, up to its last frame.
    void setSessionEnd(std::optional<qint64> endNs);

    // The chain as command-line links ("nginx", "aws-alb:idle_timeout=120s"), client first; false and *error on
    // the first bad one (the panel keeps its previous chain). A chain set this way is the user's (a profile's): no
    // suggestion replaces it.
    bool setChain(const QStringList &links, QString *error = nullptr);
    // The chain this session's evidence suggests (SuggestedChain): it replaces the chain, with the reason shown
    // over it, unless the user has made the chain their own (edited it, or set it from a profile); one that names
    // nothing leaves the chain as it is.
    void suggestChain(const SuggestedChain &suggestion);
    // Whether the chain shown is the suggestion (not edited since).
    bool showsSuggestion() const noexcept { return m_showsSuggestion; }
    QString suggestionText() const;
    QStringList chain() const;
    void setClientHeartbeat(const QString &spec);
    void setServerHeartbeat(const QString &spec);
    void setUseSessionTraffic(bool use);
    void setDuration(const QString &duration);

    // Starts a run with the current settings; false (and the error shown) when a setting does not parse.
    bool run();
    const std::optional<KeepaliveSimulator::Result> &lastResult() const { return m_lastResult; }
    QString outcomeText() const;
    TimelineWidget *predictedTimeline() const noexcept { return m_predicted; }
    QList<ChainLink> chainLinks() const { return m_chain; }
    // "Reproduce live": the chain's timers divided by this in the timeout proxy (60 s becomes 3 s with 20).
    double timeScale() const;

Q_SIGNALS:
    // A run finished. `cutAtNs` is the predicted cut on the session's clock when the run replayed this session's
    // traffic (for a marker on its timeline), or -1.
    void finished(qint64 cutAtNs, const QString &label);
    // The user asks to reproduce the prediction against the real server, through the timeout proxy.
    void reproduceLiveRequested(const QList<wsi::ChainLink> &chain, double timeScale);

private:
    QWidget *setUpPage();
    QWidget *resultPage();
    QScrollArea *scrolling(QWidget *page);
    void addModel();
    void removeLink();
    void moveLink(int by);
    void showKnobs();
    void knobEdited(int row, int column);
    void refreshChainList();
    void replaceChain(QList<ChainLink> chain);
    // The user changed the chain: it is theirs from now on.
    void chainEditedByUser();
    void showResult(const KeepaliveSimulator::Result &result, std::shared_ptr<const FrameLog> predicted,
                    bool replayedSession);
    void showError(const QString &error);
    // The verdict line over both pages; hidden while empty.
    void setOutcome(const QString &text);
    void showPredictedTimeline(const KeepaliveSimulator::Result &result, std::shared_ptr<const FrameLog> predicted);

    QList<ChainLink> m_chain;
    std::shared_ptr<const FrameLog> m_log;
    std::optional<qint64> m_sessionEndNs;
    std::optional<KeepaliveSimulator::Result> m_lastResult;
    bool m_running = false;
    bool m_fillingKnobs = false;
    bool m_chainIsUsers = false;
    bool m_showsSuggestion = false;

    QComboBox *m_models;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QLabel *m_suggestion; // where a suggested chain came from; hidden without one
    QListWidget *m_links;
    QTableWidget *m_knobs;
    QLineEdit *m_clientHeartbeat;
    QLineEdit *m_serverHeartbeat;
    QCheckBox *m_serverAnswersPings;
    QCheckBox *m_sessionTraffic;
    QLineEdit *m_duration;
    QPushButton *m_run;
    QPushButton *m_reproduce;
    QDoubleSpinBox *m_timeScale;
    QLabel *m_outcome;
    QLabel *m_explanation;
    QPlainTextEdit *m_events;
    TimelineWidget *m_predicted;
    QTabWidget *m_pages; // Setup | Result
    qint64 m_runDurationMs = 0;
};

} // namespace wsi
