// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/HoldDecisionInput.h"

#include "app/cli/HoldDecisionLine.h"
#include "app/cli/RelayEventPrinter.h"
#include "core/proxy/HeldMessages.h"
#include "core/proxy/ProxyOptions.h"

#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>

#include <cstdio>
#include <thread>

namespace wsi::cli {

// What the reading thread shares with its owner, which may go first (the process is ending).
struct HoldDecisionInput::Shared {
    QMutex mutex;
    HoldDecisionInput *owner = nullptr;

    // Runs `report` on the owner's thread, if the owner is still there.
    template<typename Report>
    void post(Report report)
    {
        QMutexLocker lock(&mutex);
        if (owner)
            QMetaObject::invokeMethod(
                owner, [owner = owner, report] { report(owner); }, Qt::QueuedConnection);
    }
};

HoldDecisionInput::HoldDecisionInput(std::shared_ptr<HeldMessages> held, QObject *parent)
    : QObject(parent)
    , m_held(std::move(held))
    , m_shared(std::make_shared<Shared>())
{
    m_shared->owner = this;
}

HoldDecisionInput::~HoldDecisionInput()
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->owner = nullptr;
}

std::unique_ptr<HoldDecisionInput> HoldDecisionInput::startFor(ProxyOptions &options, RelayEventPrinter &printer)
{
    bool pauses = false;
    for (qsizetype i = 0; options.rules && i < options.rules->size(); ++i)
        pauses |= options.rules->rule(i).action == Rule::Action::Pause;
    if (!pauses)
        return nullptr;
    options.heldMessages = std::make_shared<HeldMessages>();
    auto input = std::make_unique<HoldDecisionInput>(options.heldMessages);
    connect(input.get(), &HoldDecisionInput::refused, input.get(),
            [&printer](const QString &line, const QString &error) {
                printer.event(QStringLiteral("decision_refused"),
                              {{QStringLiteral("line"), line}, {QStringLiteral("error"), error}},
                              QStringLiteral("decision refused: %1: %2").arg(line, error));
            });
    connect(input.get(), &HoldDecisionInput::inputEnded, input.get(), [&printer, held = options.heldMessages] {
        printer.event(QStringLiteral("decisions_ended"), {{QStringLiteral("held"), held->size()}},
                      QStringLiteral("stdin ended: held messages now wait for their rule's timeout_ms, or the end of "
                                     "their connection"));
    });
    input->start();
    return input;
}

void HoldDecisionInput::start()
{
    std::thread([held = m_held, shared = m_shared] {
        // A decision's line is short; a longer one (an edited message) is read in pieces until its newline.
        constexpr int chunk = 64 * 1024;
        constexpr qsizetype maxLine = 64 * 1024 * 1024;
        QByteArray line;
        char buffer[chunk];
        while (std::fgets(buffer, chunk, stdin)) {
            line += buffer;
            if (!line.endsWith('\n') && line.size() < maxLine && !std::feof(stdin))
                continue;
            const QByteArray text = std::exchange(line, {}).trimmed();
            if (text.isEmpty())
                continue;
            QString error;
            const std::optional<HoldDecisionLine> decided = HoldDecisionLine::parse(text, &error);
            if (decided && !held->decide(decided->id, decided->decision))
                error = QStringLiteral("no message is held as %1 (decided already, timed out, or its connection "
                                       "ended)")
                            .arg(decided->id);
            if (!error.isEmpty()) {
                shared->post([text = QString::fromUtf8(text.left(200)), error](HoldDecisionInput *owner) {
                    Q_EMIT owner->refused(text, error);
                });
            }
        }
        shared->post([](HoldDecisionInput *owner) { Q_EMIT owner->inputEnded(); });
    }).detach();
}

} // namespace wsi::cli
