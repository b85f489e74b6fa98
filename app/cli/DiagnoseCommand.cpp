// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/DiagnoseCommand.h"

#include "app/cli/DiagnoseArguments.h"
#include "app/cli/ExitStatus.h"
#include "core/exchange/SessionEvidenceReader.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/text/DurationText.h"

#include <QJsonDocument>
#include <QTextStream>

namespace wsi::cli::DiagnoseCommand {

int run(const QStringList &arguments)
{
    DiagnoseParseResult parsed = parseDiagnoseArguments(arguments);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parsed.arguments) {
        err << "wsinspector-cli diagnose: " << parsed.error << "\nTry 'wsinspector-cli diagnose --help'.\n";
        return ExitUsage;
    }
    const DiagnoseArguments &args = *parsed.arguments;
    if (args.help) {
        out << diagnoseHelpText();
        return ExitOk;
    }
    QString error;
    const std::optional<QList<SessionEvidence>> connections = SessionEvidenceReader::readFile(args.file, &error);
    if (!connections) {
        err << "wsinspector-cli diagnose: " << error << '\n';
        return ExitUsage;
    }
    for (qsizetype i = 0; i < connections->size(); ++i) {
        const SessionEvidence &evidence = connections->at(i);
        const DisconnectDiagnosis diagnosis = args.links.isEmpty()
                                                  ? DisconnectDiagnoser::diagnose(evidence)
                                                  : DisconnectDiagnoser::diagnose(evidence, args.links);
        if (args.json) {
            QJsonObject object = diagnosis.toJson();
            object.insert(QStringLiteral("event"), QStringLiteral("diagnosis"));
            object.insert(QStringLiteral("t"), DurationText::seconds(evidence.endMs));
            if (connections->size() > 1)
                object.insert(QStringLiteral("connection"), int(i + 1));
            out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << '\n';
            continue;
        }
        if (i > 0)
            out << '\n';
        out << "Diagnosis of " << evidence.source << '\n';
        for (const QString &line : diagnosis.toLines())
            out << line << '\n';
    }
    return ExitOk;
}

} // namespace wsi::cli::DiagnoseCommand
