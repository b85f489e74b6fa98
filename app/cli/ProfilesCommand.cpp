// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProfilesCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/ProfilesArguments.h"
#include "core/profiles/ProfileStore.h"

#include <QTextStream>

namespace wsi::cli {
namespace {

// Failures that are not usage errors (a missing profile, an invalid file) share the handshake-failed status: 1.
constexpr int ExitProfileFailed = ExitHandshakeFailed;

int failed(const QString &message)
{
    QTextStream(stderr) << "wsinspector-cli profiles: " << message << '\n';
    return ExitProfileFailed;
}

} // namespace

int ProfilesCommand::run(const QStringList &arguments)
{
    const ProfilesParseResult parsed = parseProfilesArguments(arguments);
    if (!parsed.arguments) {
        QTextStream(stderr) << "wsinspector-cli profiles: " << parsed.error
                            << "\nTry 'wsinspector-cli profiles --help'.\n";
        return ExitUsage;
    }
    const ProfilesArguments &args = *parsed.arguments;
    if (args.help) {
        QTextStream(stdout) << profilesHelpText();
        return ExitOk;
    }

    ProfileStore store(args.directory);
    QString error;
    QTextStream out(stdout);
    switch (args.action) {
    case ProfilesArguments::Action::List: {
        QStringList problems;
        for (const QString &name : store.list(&problems))
            out << name << '\n';
        // Unreadable files do not hide the good ones, but are not silent either.
        for (const QString &problem : problems)
            QTextStream(stderr) << "wsinspector-cli profiles: skipped " << problem << '\n';
        return ExitOk;
    }
    case ProfilesArguments::Action::Show: {
        const auto profile = store.load(args.name, &error);
        if (!profile)
            return failed(error);
        out << ProfileJson::toBytes(*profile);
        return ExitOk;
    }
    case ProfilesArguments::Action::Export:
        if (!store.exportProfile(args.name, args.file, &error))
            return failed(error);
        return ExitOk;
    case ProfilesArguments::Action::Import: {
        const auto profile = store.importFile(args.file, &error);
        if (!profile)
            return failed(error);
        out << "imported '" << profile->name << "' into " << store.directory() << '\n';
        return ExitOk;
    }
    }
    return ExitUsage;
}

} // namespace wsi::cli
