// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rules/RuleDescription.h"

#include "core/appprotocol/AppProtocol.h"
#include "core/protocol/Opcode.h"
#include "core/rules/Rule.h"
#include "core/text/DurationText.h"

#include <QCoreApplication>
#include <QStringList>

namespace wsi {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RuleDescription", text);
}

// A value a user typed, as short as a table cell allows: long ones cut with an ellipsis.
QString shortened(const QString &text)
{
    constexpr qsizetype longest = 40;
    return text.size() > longest ? text.left(longest - 1) + QChar(0x2026) : text;
}

// Text the user typed, in quotes.
QString quoted(const QString &text)
{
    return QStringLiteral("\u201c%1\u201d").arg(shortened(text));
}

QString towards(const Rule &rule)
{
    if (rule.towardsReceiver)
        return tr("the receiver");
    return Rule::targetName(rule.to);
}

QString rate(qint64 bytesPerSecond)
{
    if (bytesPerSecond >= 1024 * 1024 && bytesPerSecond % (1024 * 1024) == 0)
        return tr("%1 MiB/s").arg(bytesPerSecond / (1024 * 1024));
    if (bytesPerSecond >= 1024 && bytesPerSecond % 1024 == 0)
        return tr("%1 KiB/s").arg(bytesPerSecond / 1024);
    return tr("%1 B/s").arg(bytesPerSecond);
}

} // namespace

QString RuleDescription::when(const Rule &rule)
{
    if (rule.isTimed()) {
        QStringList times;
        if (rule.afterMs >= 0)
            times.append(tr("%1 after the upgrade").arg(DurationText::format(rule.afterMs)));
        if (rule.everyMs > 0)
            times.append(tr("every %1").arg(DurationText::format(rule.everyMs)));
        return times.join(QStringLiteral(", "));
    }
    QStringList parts;
    if (rule.from)
        parts.append(tr("from %1").arg(*rule.from == Endpoint::Client ? tr("client") : tr("server")));
    if (rule.opcode)
        parts.append(Opcodes::name(*rule.opcode));
    if (!rule.match.pattern().isEmpty())
        parts.append(QStringLiteral("/%1/").arg(rule.match.pattern()));
    QStringList decoded;
    if (rule.protocol)
        decoded.append(AppProtocols::name(*rule.protocol));
    if (!rule.kind.isEmpty())
        decoded.append(rule.kind);
    if (!rule.subject.isEmpty())
        decoded.append(quoted(rule.subject));
    if (!decoded.isEmpty())
        parts.append(decoded.join(QLatin1Char(' ')));
    return parts.isEmpty() ? tr("every message") : parts.join(QStringLiteral(" \u00b7 "));
}

QString RuleDescription::action(const Rule &rule)
{
    const QString name = Rule::actionName(rule.action);
    switch (rule.action) {
    case Rule::Action::Pass:
    case Rule::Action::Drop:
    case Rule::Action::Duplicate:
    case Rule::Action::Blackhole:
    case Rule::Action::NoPong:
        return name;
    case Rule::Action::Replace:
        if (rule.path)
            return rule.value.isEmpty()
                       ? tr("replace: delete %1").arg(rule.path->text())
                       : tr("replace: %1 = %2").arg(rule.path->text(), shortened(QString::fromUtf8(rule.value)));
        return tr("replace \u2192 %1").arg(quoted(rule.with));
    case Rule::Action::Delay:
    case Rule::Action::DelayPong:
        return QStringLiteral("%1 %2").arg(name, DurationText::format(rule.ms));
    case Rule::Action::Close:
        return rule.reason.isEmpty()
                   ? tr("close \u2192 %1 %2").arg(Rule::targetName(rule.to)).arg(rule.code)
                   : tr("close \u2192 %1 %2 %3").arg(Rule::targetName(rule.to)).arg(rule.code).arg(quoted(rule.reason));
    case Rule::Action::Abort:
        return tr("abort \u2192 %1").arg(Rule::targetName(rule.to));
    case Rule::Action::Inject:
        if (rule.payloadOpcode == Opcodes::value(Opcode::Binary))
            return rule.payload.size() == 1
                       ? tr("inject \u2192 %1 1 binary byte").arg(Rule::targetName(rule.to))
                       : tr("inject \u2192 %1 %2 binary bytes").arg(Rule::targetName(rule.to)).arg(rule.payload.size());
        return tr("inject \u2192 %1 %2").arg(Rule::targetName(rule.to), quoted(QString::fromUtf8(rule.payload)));
    case Rule::Action::Stall:
        return rule.ms < 0 ? tr("stall \u2192 %1 until the end").arg(towards(rule))
                           : tr("stall \u2192 %1 %2").arg(towards(rule), DurationText::format(rule.ms));
    case Rule::Action::Throttle:
        return tr("throttle \u2192 %1 %2").arg(towards(rule), rate(rule.bytesPerSecond));
    case Rule::Action::Pause:
        return rule.timeoutMs < 0 ? tr("pause until decided")
                                  : tr("pause, forwarded after %1").arg(DurationText::format(rule.timeoutMs));
    }
    return name;
}

} // namespace wsi
