// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/Icons.h"

#include <QFile>
#include <QGuiApplication>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

namespace wsi::Icons {
namespace {

QString fileName(Name name)
{
    switch (name) {
    case Name::Connect:
        return QStringLiteral("connect");
    case Name::Disconnect:
        return QStringLiteral("disconnect");
    case Name::Send:
        return QStringLiteral("send");
    case Name::Ping:
        return QStringLiteral("ping");
    case Name::NewSession:
        return QStringLiteral("new-session");
    case Name::Templates:
        return QStringLiteral("templates");
    case Name::StateOpen:
        return QStringLiteral("state-open");
    case Name::StateConnecting:
        return QStringLiteral("state-connecting");
    case Name::StateClosed:
        return QStringLiteral("state-closed");
    case Name::StateFailed:
        return QStringLiteral("state-failed");
    }
    return {};
}

QPixmap render(const QByteArray &svg, int size, qreal devicePixelRatio)
{
    QSvgRenderer renderer(svg);
    const int pixels = qRound(size * devicePixelRatio);
    QPixmap pixmap(pixels, pixels);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    renderer.render(&painter);
    painter.end();
    pixmap.setDevicePixelRatio(devicePixelRatio);
    return pixmap;
}

QByteArray tinted(const QByteArray &svg, const QColor &color)
{
    QByteArray copy = svg;
    return copy.replace("currentColor", color.name().toLatin1());
}

} // namespace

QIcon icon(Name name)
{
    return icon(name, QGuiApplication::palette());
}

QIcon icon(Name name, const QPalette &palette)
{
    const QColor normal = palette.color(QPalette::Active, QPalette::ButtonText);
    const QColor disabled = palette.color(QPalette::Disabled, QPalette::ButtonText);
    // Icons are asked for once per widget, but a window has many widgets: keep what was rendered.
    static QHash<QString, QIcon> cache;
    const QString key = fileName(name) + normal.name() + disabled.name();
    if (const auto found = cache.constFind(key); found != cache.cend())
        return *found;

    QFile file(QStringLiteral(":/icons/ui/%1.svg").arg(fileName(name)));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("Icons: %s is missing from the resources", qPrintable(file.fileName()));
        return {};
    }
    const QByteArray svg = file.readAll();
    QIcon result;
    const qreal ratio = qApp ? qApp->devicePixelRatio() : 1.0;
    for (const int size : {16, 20, 24, 32, 48}) {
        result.addPixmap(render(tinted(svg, normal), size, ratio), QIcon::Normal);
        result.addPixmap(render(tinted(svg, disabled), size, ratio), QIcon::Disabled);
    }
    cache.insert(key, result);
    return result;
}

} // namespace wsi::Icons
