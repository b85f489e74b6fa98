// SPDX-License-Identifier: GPL-3.0-or-later
#include "RealRabbitMq.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

namespace wsi::test {
namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

} // namespace

RealRabbitMq::~RealRabbitMq()
{
    stop();
}

bool RealRabbitMq::start(const QString &directory)
{
    stop();
    m_webStompPort = PeerProcess::freePort();
    const quint16 distributionPort = PeerProcess::freePort();
    m_epmdPort = PeerProcess::freePort();
    const QDir home(QDir(directory).filePath(QStringLiteral("rabbitmq-%1").arg(m_webStompPort)));
    QDir().mkpath(home.path());
    const QString plugins = home.filePath(QStringLiteral("enabled_plugins"));
    const QString config = home.filePath(QStringLiteral("rabbitmq.conf"));
    const QString environmentFile = home.filePath(QStringLiteral("rabbitmq-env.conf"));
    const QByteArray configText = QStringLiteral("listeners.tcp = none\n"
                                                 "stomp.listeners.tcp = none\n"
                                                 "web_stomp.tcp.ip = 127.0.0.1\n"
                                                 "web_stomp.tcp.port = %1\n"
                                                 "loopback_users.guest = true\n")
                                      .arg(m_webStompPort)
                                      .toUtf8();
    if (!writeFile(plugins, "[rabbitmq_web_stomp].\n") || !writeFile(config, configText) ||
        !writeFile(environmentFile, QByteArray()))
        return false;

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const auto set = [&environment](const char *name, const QString &value) {
        environment.insert(QString::fromLatin1(name), value);
    };
    set("HOME", home.path()); // the Erlang cookie
    set("RABBITMQ_NODENAME", QStringLiteral("wsi-test-%1@localhost").arg(m_webStompPort));
    set("RABBITMQ_CONF_ENV_FILE", environmentFile); // not /etc/rabbitmq/rabbitmq-env.conf
    set("RABBITMQ_CONFIG_FILE", config);
    set("RABBITMQ_ADVANCED_CONFIG_FILE", home.filePath(QStringLiteral("advanced.config")));
    set("RABBITMQ_ENABLED_PLUGINS_FILE", plugins);
    set("RABBITMQ_PLUGINS_EXPAND_DIR", home.filePath(QStringLiteral("plugins-expand")));
    set("RABBITMQ_MNESIA_BASE", home.filePath(QStringLiteral("mnesia")));
    set("RABBITMQ_LOG_BASE", home.filePath(QStringLiteral("log")));
    set("RABBITMQ_LOGS", QStringLiteral("-"));
    set("RABBITMQ_DIST_PORT", QString::number(distributionPort));
    set("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", QStringLiteral("-kernel inet_dist_use_interface {127,0,0,1}"));
    set("ERL_EPMD_PORT", QString::number(m_epmdPort));
    set("ERL_EPMD_ADDRESS", QStringLiteral("127.0.0.1"));
    set("ERL_CRASH_DUMP", home.filePath(QStringLiteral("erl_crash.dump")));
    // The start script then replaces itself with the Erlang VM instead of waiting on it from a shell, so the
    // process stopped is the broker itself and nothing is left behind when a test dies.
    set("RUNNING_UNDER_SYSTEMD", QStringLiteral("true"));
    m_broker.setEnvironment(environment);
    return m_broker.startListening(QStringLiteral("/usr/lib/rabbitmq/bin/rabbitmq-server"),
                                   QStringLiteral("rabbitmq-server"), {}, m_webStompPort, startTimeoutMs);
}

void RealRabbitMq::stop()
{
    m_broker.stop();
    if (m_epmdPort == 0)
        return;
    // The node's epmd outlives it (it is a daemon of its own); the node is gone, so it may be told to go too.
    QProcess epmd;
    epmd.setProcessChannelMode(QProcess::MergedChannels);
    epmd.start(QStringLiteral("epmd"), {QStringLiteral("-port"), QString::number(m_epmdPort), QStringLiteral("-kill")});
    if (!epmd.waitForFinished(5000))
        epmd.kill();
    m_epmdPort = 0;
}

} // namespace wsi::test
