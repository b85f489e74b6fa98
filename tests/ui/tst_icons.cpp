// SPDX-License-Identifier: GPL-3.0-or-later
// Icons are drawn in the palette's colours of the moment they are painted, so an icon set on a widget follows the
// palette when it changes.
#include "ui/widgets/Icons.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QImage>
#include <QTest>

using namespace wsi;

namespace {

// The most opaque pixel of the icon: its stroke or fill, not the antialiased edge.
QColor inkOf(const QIcon &icon)
{
    const QImage image = icon.pixmap(QSize(32, 32)).toImage().convertToFormat(QImage::Format_ARGB32);
    QColor ink;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (!ink.isValid() || pixel.alpha() > ink.alpha())
                ink = pixel;
        }
    }
    return ink;
}

} // namespace

class tst_Icons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void lineIconsTakeTheButtonText();
    void stateIconsTakeTheTheme();
};

void tst_Icons::cleanup()
{
    QApplication::setPalette(Theme::palette(Theme::Variant::Light));
}

void tst_Icons::lineIconsTakeTheButtonText()
{
    QApplication::setPalette(Theme::palette(Theme::Variant::Light));
    const QIcon connect = Icons::icon(Icons::Name::Connect);
    QCOMPARE(inkOf(connect).rgb(), QApplication::palette().color(QPalette::ButtonText).rgb());
    // The same icon, kept by a widget, once the palette is dark.
    QApplication::setPalette(Theme::palette(Theme::Variant::Dark));
    QCOMPARE(inkOf(connect).rgb(), QApplication::palette().color(QPalette::ButtonText).rgb());
}

void tst_Icons::stateIconsTakeTheTheme()
{
    const QIcon failed = Icons::icon(Icons::Name::StateFailed);
    const QIcon open = Icons::icon(Icons::Name::StateOpen);
    for (const auto variant : {Theme::Variant::Light, Theme::Variant::Dark, Theme::Variant::HighContrastDark,
                               Theme::Variant::HighContrastLight}) {
        QApplication::setPalette(Theme::palette(variant));
        QCOMPARE(inkOf(failed).rgb(), Theme::color(Theme::Color::Failure, variant).rgb());
        QCOMPARE(inkOf(open).rgb(), Theme::color(Theme::Color::Success, variant).rgb());
    }
}

QTEST_MAIN(tst_Icons)
#include "tst_icons.moc"
