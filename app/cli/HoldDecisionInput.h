// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace wsi {
class HeldMessages;
struct ProxyOptions;
} // namespace wsi

namespace wsi::cli {

class RelayEventPrinter;

// Reads decisions about held messages from stdin, one JSON object a line (HoldDecisionLine), and hands them to the
// relay's HeldMessages, so that `proxy` and `capture` can be driven as the window's held-messages view is: a script
// or a person answers each "held" event. The reading blocks, so it runs on a thread of its own (detached: a read of
// stdin cannot be interrupted, and the process ends with it); HeldMessages takes decisions from any thread. A line it
// cannot use is reported by refused() on the owner's thread.
class HoldDecisionInput final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HoldDecisionInput)

public:
    explicit HoldDecisionInput(std::shared_ptr<HeldMessages> held, QObject *parent = nullptr);
    ~HoldDecisionInput() override;

    void start();

    // When `options` has a pause rule: gives it a HeldMessages, starts reading decisions for it from stdin and prints
    // the lines it refuses with `printer` ("decision_refused"). Null when there is no pause rule.
    static std::unique_ptr<HoldDecisionInput> startFor(ProxyOptions &options, RelayEventPrinter &printer);

Q_SIGNALS:
    // `line` could not be used: not a decision (`error` says why), or its message is no longer held.
    void refused(const QString &line, const QString &error);
    // stdin ended: no more decisions come from it.
    void inputEnded();

private:
    struct Shared;
    std::shared_ptr<HeldMessages> m_held;
    std::shared_ptr<Shared> m_shared;
};

} // namespace wsi::cli
