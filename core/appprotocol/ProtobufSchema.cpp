// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ProtobufSchema.h"

#include <QFileInfo>

#if WSI_HAVE_PROTOBUF
#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#endif

namespace wsi {

#if WSI_HAVE_PROTOBUF
namespace pb = google::protobuf;

namespace {

// libprotobuf's parser and validator report here, with 0-based lines and columns.
class ProblemCollector final : public pb::compiler::MultiFileErrorCollector
{
public:
    void AddError(const std::string &filename, int line, int column, const std::string &message) override
    {
        problems.append(ProtobufSchema::Problem{QString::fromStdString(filename), line + 1, column + 1,
                                                QString::fromStdString(message)});
    }

    QList<ProtobufSchema::Problem> problems;
};

void collectMessageTypes(const pb::Descriptor *message, QStringList *names)
{
    if (message->options().map_entry())
        return;
    names->append(QString::fromStdString(message->full_name()));
    for (int i = 0; i < message->nested_type_count(); ++i)
        collectMessageTypes(message->nested_type(i), names);
}

} // namespace

// What a loaded schema keeps alive: the source tree and database its pool reads (lazily, for imports too), the
// pool, the file, and the factory that makes messages of its types. Declared in the order they depend on each other.
struct ProtobufSchema::Files {
    pb::compiler::DiskSourceTree sourceTree;
    ProblemCollector problems;
    pb::DescriptorPoolDatabase wellKnown{*pb::DescriptorPool::generated_pool()};
    pb::compiler::SourceTreeDescriptorDatabase database{&sourceTree, &wellKnown};
    std::unique_ptr<pb::DescriptorPool> pool;
    const pb::FileDescriptor *file = nullptr;
    std::unique_ptr<pb::DynamicMessageFactory> factory;
};

bool ProtobufSchema::isAvailable()
{
    return true;
}

ProtobufSchema::Loaded ProtobufSchema::load(const QString &protoFile)
{
    const QFileInfo info(protoFile);
    if (!info.isFile() || !info.isReadable()) {
        return Loaded{
            nullptr,
            {Problem{protoFile, 0, 0,
                     info.exists() ? QStringLiteral("is not a readable file") : QStringLiteral("no such file")}}};
    }
    auto files = std::make_unique<Files>();
    // The file's folder is the import root: `import "common/types.proto"` reads below it, and libprotobuf's source
    // tree refuses any path with a ".." component, so nothing outside it is read.
    files->sourceTree.MapPath("", QFileInfo(info.absolutePath()).canonicalFilePath().toStdString());
    files->database.RecordErrorsTo(&files->problems);
    files->pool = std::make_unique<pb::DescriptorPool>(&files->database, files->database.GetValidationErrorCollector());
    files->file = files->pool->FindFileByName(info.fileName().toStdString());
    if (!files->file) {
        QList<Problem> problems = files->problems.problems;
        if (problems.isEmpty())
            problems.append(Problem{info.fileName(), 0, 0, QStringLiteral("libprotobuf could not read it")});
        return Loaded{nullptr, problems};
    }
    files->factory = std::make_unique<pb::DynamicMessageFactory>(files->pool.get());
    return Loaded{std::shared_ptr<const ProtobufSchema>(new ProtobufSchema(protoFile, std::move(files))), {}};
}

QStringList ProtobufSchema::messageTypes() const
{
    QStringList names;
    for (int i = 0; i < m_files->file->message_type_count(); ++i)
        collectMessageTypes(m_files->file->message_type(i), &names);
    return names;
}

const pb::Descriptor *ProtobufSchema::descriptor(const QString &fullName) const
{
    return m_files->pool->FindMessageTypeByName(fullName.toStdString());
}

std::unique_ptr<pb::Message> ProtobufSchema::newMessage(const QString &fullName) const
{
    const pb::Descriptor *type = descriptor(fullName);
    if (!type)
        return nullptr;
    // DynamicMessageFactory::GetPrototype locks: readers on several threads share the factory.
    return std::unique_ptr<pb::Message>(m_files->factory->GetPrototype(type)->New());
}

#else

struct ProtobufSchema::Files {};

bool ProtobufSchema::isAvailable()
{
    return false;
}

ProtobufSchema::Loaded ProtobufSchema::load(const QString &protoFile)
{
    return Loaded{nullptr,
                  {Problem{protoFile, 0, 0,
                           QStringLiteral("this build has no libprotobuf to read .proto "
                                          "files with")}}};
}

QStringList ProtobufSchema::messageTypes() const
{
    return {};
}

const google::protobuf::Descriptor *ProtobufSchema::descriptor(const QString &) const
{
    return nullptr;
}

std::unique_ptr<google::protobuf::Message> ProtobufSchema::newMessage(const QString &) const
{
    return nullptr;
}

#endif

ProtobufSchema::ProtobufSchema(QString path, std::unique_ptr<Files> files)
    : m_path(std::move(path))
    , m_files(std::move(files))
{}

ProtobufSchema::~ProtobufSchema() = default;

QString ProtobufSchema::unknownTypeMessage(const QString &fullName) const
{
    const QStringList types = messageTypes();
    return QStringLiteral("%1 declares no message type %2; it declares: %3")
        .arg(m_path, fullName, types.isEmpty() ? QStringLiteral("none") : types.join(QStringLiteral(", ")));
}

QString ProtobufSchema::Problem::describe() const
{
    if (line <= 0)
        return file + QStringLiteral(": ") + message;
    return QStringLiteral("%1:%2:%3: %4").arg(file).arg(line).arg(column).arg(message);
}

QString ProtobufSchema::Loaded::describe() const
{
    QStringList lines;
    for (const Problem &problem : problems)
        lines.append(problem.describe());
    return lines.join(QLatin1Char('\n'));
}

} // namespace wsi
