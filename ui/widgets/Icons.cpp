// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/Icons.h"

#include "ui/widgets/Theme.h"

#include <QFile>
#include <QGuiApplication>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPixmapCache>
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

QByteArray tinted(const QByteArray &svg, const QColor &color)
{
    QByteArray copy = svg;
    return copy.replace("currentColor", color.name().toLatin1());
}

// Line icons take the palette's button text (a lighter one when disabled); state icons the theme's colour of
// their state.
QColor colorOf(Name name, const QPalette &palette, QIcon::Mode mode)
{
    const QPalette::ColorGroup group = mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active;
    switch (name) {
    case Name::StateOpen:
        return Theme(palette).color(Theme::Color::Success);
    case Name::StateConnecting:
        return Theme(palette).color(Theme::Color::Warning);
    case Name::StateFailed:
        return Theme(palette).color(Theme::Color::Failure);
    case Name::StateClosed:
        return palette.color(group, QPalette::PlaceholderText);
    case Name::Connect:
    case Name::Disconnect:
    case Name::Send:
    case Name::Ping:
    case Name::NewSession:
    case Name::Templates:
        break;
    }
    return palette.color(group, QPalette::ButtonText);
}

// Draws the SVG in the application palette's colours of the moment it is painted, so an icon set on a widget
// follows the palette when it changes (the desktop turning dark) instead of keeping the colours it was made in.
class PaletteIconEngine final : public QIconEngine
{
public:
    PaletteIconEngine(Name name, QByteArray svg)
        : m_name(name)
        , m_svg(std::move(svg))
    {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QSvgRenderer renderer(tinted(m_svg, colorOf(m_name, QGuiApplication::palette(), mode)));
        renderer.render(painter, QRectF(rect));
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        const QString key = QStringLiteral("wsi-icon-%1-%2x%3-%4")
                                .arg(fileName(m_name))
                                .arg(size.width())
                                .arg(size.height())
                                .arg(colorOf(m_name, QGuiApplication::palette(), mode).name());
        QPixmap pixmap;
        if (QPixmapCache::find(key, &pixmap))
            return pixmap;
        pixmap = QPixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, pixmap.rect(), mode, state);
        painter.end();
        QPixmapCache::insert(key, pixmap);
        return pixmap;
    }

    QIconEngine *clone() const override { return new PaletteIconEngine(m_name, m_svg); }

private:
    Name m_name;
    QByteArray m_svg;
};

} // namespace

QIcon icon(Name name)
{
    // Read once: a window asks for the same few icons many times.
    static QHash<int, QByteArray> svgs;
    auto found = svgs.constFind(int(name));
    if (found == svgs.cend()) {
        QFile file(QStringLiteral(":/icons/ui/%1.svg").arg(fileName(name)));
        if (!file.open(QIODevice::ReadOnly)) {
            qWarning("Icons: %s is missing from the resources", qPrintable(file.fileName()));
            return {};
        }
        found = svgs.insert(int(name), file.readAll());
    }
    return QIcon(new PaletteIconEngine(name, *found));
}

} // namespace wsi::Icons
