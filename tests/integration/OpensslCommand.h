// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace wsi::test {

// The openssl command line in a working folder, each run bounded in time: what the capture TLS tests check our
// certificates with and make their own test CAs with. A missing openssl fails, naming the Debian package.
class OpensslCommand final
{
public:
    explicit OpensslCommand(const QString &folder);

    bool isAvailable() const { return !m_program.isEmpty(); }
    QString program() const { return m_program; }
    // Runs `openssl arguments...`; true when it exits 0. output() is what it printed (stdout and stderr merged).
    bool run(const QStringList &arguments, const QByteArray &input = {});
    QByteArray output() const { return m_output; }
    // What went wrong with the last run (or with finding openssl), with its output.
    QString errorString() const { return m_error; }

    // A key (EC P-256) and a self-signed CA certificate "name.pem" / "name.key" in the folder.
    bool makeCa(const QString &name, const QString &subject);
    // A key and a server certificate "name.pem" / "name.key" for `subjectAltName` ("DNS:localhost,IP:127.0.0.1"),
    // signed by the CA `issuer` made before.
    bool issueServer(const QString &name, const QString &subjectAltName, const QString &issuer);

private:
    QString m_folder;
    QString m_program;
    QByteArray m_output;
    QString m_error;
    int m_serial = 100;
};

} // namespace wsi::test
