// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProfilesArguments.h"

#include "app/cli/ArgumentTable.h"

namespace wsi::cli {
namespace {

// What profiles' rows build: the action and its arguments are checked once all are read.
struct ProfilesBuilder {
    ProfilesArguments out;
    QString dirOption;
    QStringList positional; // the action, then its arguments

    QString finish();
};

const ArgumentTable<ProfilesBuilder> &profilesTable()
{
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<ProfilesBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli profiles ACTION [options]"),
        .description = QStringLiteral(
            R"(The saved session profiles: one JSON file each in the profile directory. 'connect --profile NAME' opens one.

Actions:
  list                List the profiles' names, one per line.
  show NAME           Print the profile as its JSON file holds it.
  export NAME FILE    Write the profile to FILE (to share it). Secrets (header values marked secret, cookie
                      values, secret variables) are not in profile files, so they are not exported either: they
                      appear as "{{secret}}".
  import FILE         Check the profile in FILE and add it to the directory under its own name (which must not be
                      taken yet).)"),
        .rows =
            {
                {.longName = QStringLiteral("dir"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("DIR"),
                 .group = options,
                 .help = QStringLiteral("The profile directory (default: $WSI_PROFILE_DIR when set, else the "
                                        "profiles folder the window uses too, ~/.local/share/wsinspector/profiles "
                                        "on Linux)."),
                 .apply =
                     [](ProfilesBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.dirOption = flag.value();
                         return QString();
                     }},
            },
        .positional =
            [](ProfilesBuilder &builder, const QString &argument) {
                builder.positional.append(argument);
                return QString();
            },
        .finish = [](ProfilesBuilder &builder) { return builder.finish(); },
        .epilogue = QStringLiteral(R"(Exit status:
  0  done
  1  the profile does not exist, a file cannot be read or written, or it is not a valid profile (the message
     names the file, the field and what was expected)
  2  usage error)"),
    };
    return table;
}

QString ProfilesBuilder::finish()
{
    out.directory = profileDirectory(dirOption);
    const QString action = positional.value(0);
    // How many arguments each action takes after its name, and what they are called for messages.
    qsizetype expected = 0;
    QString usage;
    if (action == QLatin1StringView("list")) {
        out.action = ProfilesArguments::Action::List;
        usage = QStringLiteral("list");
    } else if (action == QLatin1StringView("show")) {
        out.action = ProfilesArguments::Action::Show;
        expected = 1;
        usage = QStringLiteral("show NAME");
    } else if (action == QLatin1StringView("export")) {
        out.action = ProfilesArguments::Action::Export;
        expected = 2;
        usage = QStringLiteral("export NAME FILE");
    } else if (action == QLatin1StringView("import")) {
        out.action = ProfilesArguments::Action::Import;
        expected = 1;
        usage = QStringLiteral("import FILE");
    } else if (action.isEmpty()) {
        return QStringLiteral("missing the action: list, show, export or import");
    } else {
        return QStringLiteral("unknown action '%1' (expected list, show, export or import)").arg(action);
    }
    if (positional.size() - 1 < expected)
        return QStringLiteral("missing arguments: %1").arg(usage);
    if (positional.size() - 1 > expected)
        return QStringLiteral("unexpected argument '%1' (%2)").arg(positional.at(expected + 1), usage);
    if (out.action == ProfilesArguments::Action::Import)
        out.file = positional.at(1);
    else if (expected >= 1)
        out.name = positional.at(1);
    if (out.action == ProfilesArguments::Action::Export)
        out.file = positional.at(2);
    return {};
}

} // namespace

QString profileDirectory(const QString &dirOption)
{
    if (!dirOption.isEmpty())
        return dirOption;
    return qEnvironmentVariable("WSI_PROFILE_DIR");
}

ProfilesParseResult parseProfilesArguments(const QStringList &arguments)
{
    return profilesTable().parseArguments(arguments);
}

QString profilesHelpText()
{
    return profilesTable().helpText();
}

QStringList profilesOptionNames()
{
    return profilesTable().longNames();
}

} // namespace wsi::cli
