// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtocEncoder.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace wsi::test {

QByteArray protocEncode(const QString &protoFile, const QString &messageType, const QByteArray &textFormat,
                        QString *error)
{
    const QString protoc = QStandardPaths::findExecutable(QStringLiteral("protoc"));
    if (protoc.isEmpty()) {
        *error = QStringLiteral("protoc not found (Debian protobuf-compiler)");
        return {};
    }
    const QFileInfo info(protoFile);
    QProcess process;
    process.start(protoc, {QStringLiteral("--proto_path=") + info.absolutePath(),
                           QStringLiteral("--encode=") + messageType, info.fileName()});
    if (!process.waitForStarted(10000)) {
        *error = process.errorString();
        return {};
    }
    process.write(textFormat);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("protoc --encode failed: ") + QString::fromUtf8(process.readAllStandardError());
        return {};
    }
    return process.readAllStandardOutput();
}

} // namespace wsi::test
