// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpensslCommand.h"

#include "PeerProcess.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace wsi::test {

namespace {

const QStringList p256{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};

} // namespace

OpensslCommand::OpensslCommand(const QString &folder)
    : m_folder(folder)
{
    m_program = PeerProcess::findProgram({QStringLiteral("openssl")}, QStringLiteral("openssl"), &m_error);
}

bool OpensslCommand::run(const QStringList &arguments, const QByteArray &input)
{
    m_output.clear();
    if (m_program.isEmpty())
        return false;
    QProcess process;
    process.setWorkingDirectory(m_folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(m_program, arguments);
    if (process.waitForStarted(10000)) {
        process.write(input);
        process.closeWriteChannel();
    }
    const bool finished = process.waitForFinished(20000);
    m_output = process.readAll();
    if (finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    m_error = QStringLiteral("openssl %1 failed (%2):\n%3")
                  .arg(arguments.join(u' '),
                       finished ? QStringLiteral("exit %1").arg(process.exitCode()) : process.errorString(),
                       QString::fromLocal8Bit(m_output));
    process.kill();
    process.waitForFinished(1000);
    return false;
}

bool OpensslCommand::makeCa(const QString &name, const QString &subject)
{
    return run(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + p256 +
               QStringList{QStringLiteral("-keyout"), name + u".key", QStringLiteral("-out"), name + u".pem",
                           QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), subject,
                           QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                           QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
}

bool OpensslCommand::issueServer(const QString &name, const QString &subjectAltName, const QString &issuer)
{
    QFile extensions(QDir(m_folder).filePath(name + u".ext"));
    if (!extensions.open(QIODevice::WriteOnly)) {
        m_error = extensions.errorString();
        return false;
    }
    extensions.write("basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n"
                     "extendedKeyUsage = serverAuth\nsubjectAltName = " +
                     subjectAltName.toLatin1() + '\n');
    extensions.close();
    return run(QStringList{QStringLiteral("req"), QStringLiteral("-new")} + p256 +
               QStringList{QStringLiteral("-keyout"), name + u".key", QStringLiteral("-out"), name + u".csr",
                           QStringLiteral("-subj"), QStringLiteral("/CN=") + name}) &&
           run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), name + u".csr",
                QStringLiteral("-CA"), issuer + u".pem", QStringLiteral("-CAkey"), issuer + u".key",
                QStringLiteral("-set_serial"), QString::number(++m_serial), QStringLiteral("-days"),
                QStringLiteral("2"), QStringLiteral("-extfile"), name + u".ext", QStringLiteral("-out"),
                name + u".pem"});
}

} // namespace wsi::test
