// SPDX-License-Identifier: GPL-3.0-or-later
#include "RealNginx.h"

#include "PeerProcess.h"

#include <QDir>
#include <QFile>
#include <QStringList>

namespace wsi::test::RealNginx {

bool start(PeerProcess &process, const QString &directory, quint16 upstreamPort, qint64 proxyReadTimeoutMs)
{
    const quint16 port = PeerProcess::freePort();
    const QString prefix = QDir(directory).filePath(QStringLiteral("nginx-%1").arg(port));
    QDir().mkpath(prefix + QStringLiteral("/logs"));
    const QStringList config{
        QStringLiteral("master_process off;"),
        QStringLiteral("daemon off;"),
        QStringLiteral("pid %1/nginx.pid;").arg(prefix),
        QStringLiteral("error_log %1/logs/error.log info;").arg(prefix),
        QStringLiteral("events { worker_connections 64; }"),
        QStringLiteral("http {"),
        QStringLiteral("  access_log %1/logs/access.log;").arg(prefix),
        QStringLiteral("  client_body_temp_path %1/body;").arg(prefix),
        QStringLiteral("  proxy_temp_path %1/proxy;").arg(prefix),
        QStringLiteral("  fastcgi_temp_path %1/fastcgi;").arg(prefix),
        QStringLiteral("  uwsgi_temp_path %1/uwsgi;").arg(prefix),
        QStringLiteral("  scgi_temp_path %1/scgi;").arg(prefix),
        QStringLiteral("  server {"),
        QStringLiteral("    listen 127.0.0.1:%1;").arg(port),
        QStringLiteral("    location / {"),
        QStringLiteral("      proxy_pass http://127.0.0.1:%1;").arg(upstreamPort),
        QStringLiteral("      proxy_http_version 1.1;"),
        QStringLiteral("      proxy_set_header Upgrade $http_upgrade;"),
        QStringLiteral("      proxy_set_header Connection \"upgrade\";"),
        QStringLiteral("      proxy_read_timeout %1ms;").arg(proxyReadTimeoutMs),
        QStringLiteral("    }"),
        QStringLiteral("  }"),
        QStringLiteral("}"),
    };
    const QString path = prefix + QStringLiteral("/nginx.conf");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write((config.join(u'\n') + u'\n').toUtf8()) < 0)
        return false;
    file.close();
    return process.startListening(QStringLiteral("nginx"), QStringLiteral("nginx-light"),
                                  {QStringLiteral("-p"), prefix, QStringLiteral("-c"), path, QStringLiteral("-e"),
                                   prefix + QStringLiteral("/logs/error.log")},
                                  port, 20000);
}

} // namespace wsi::test::RealNginx
