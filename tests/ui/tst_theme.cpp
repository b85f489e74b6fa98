// SPDX-License-Identifier: GPL-3.0-or-later
// The theme's colours read on the palettes they are made for (WCAG 2 contrast), and labels drawn in them follow a
// change of palette.
#include "ui/widgets/Theme.h"
#include "ui/widgets/ThemedStyle.h"

#include <QApplication>
#include <QLabel>
#include <QTest>
#include <QVBoxLayout>

#include <algorithm>

using namespace wsi;

Q_DECLARE_METATYPE(wsi::Theme::Variant)

namespace {

constexpr double wordsRatio = 4.5; // WCAG AA for text
constexpr double marksRatio = 3.0; // WCAG AA for graphics
constexpr double largestTint = 0.3;

QColor pixel(QLabel &label, int x, int y)
{
    return label.grab().toImage().pixelColor(x, y);
}

} // namespace

class tst_Theme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void variantOfPalettes();
    void coloursReadOnTheirPalette_data();
    void coloursReadOnTheirPalette();
    void contrastIsWcags();
    void textOnPicksTheBetterOfBlackAndWhite();
    void variantNames();
    void styledLabelFollowsThePalette();
    void clearedLabelStaysPlain();
};

void tst_Theme::cleanup()
{
    QApplication::setPalette(Theme::palette(Theme::Variant::Light));
    QCoreApplication::processEvents();
}

void tst_Theme::variantOfPalettes()
{
    for (int i = 0; i < Theme::variantCount; ++i) {
        const auto variant = Theme::Variant(i);
        QCOMPARE(Theme::variantOf(Theme::palette(variant)), variant);
    }
    // A dark desktop's palette that is not ours, and a light one with a white window but grey text.
    QPalette dark = Theme::palette(Theme::Variant::Light);
    dark.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
    dark.setColor(QPalette::WindowText, QColor(0xdd, 0xdd, 0xdd));
    QCOMPARE(Theme::variantOf(dark), Theme::Variant::Dark);
    QPalette light = dark;
    light.setColor(QPalette::Window, QColor(0xff, 0xff, 0xff));
    light.setColor(QPalette::WindowText, QColor(0x33, 0x33, 0x33));
    QCOMPARE(Theme::variantOf(light), Theme::Variant::Light);
    light.setColor(QPalette::WindowText, QColor(0x00, 0x00, 0x00));
    QCOMPARE(Theme::variantOf(light), Theme::Variant::HighContrastLight);
}

void tst_Theme::coloursReadOnTheirPalette_data()
{
    QTest::addColumn<Theme::Variant>("variant");
    for (int i = 0; i < Theme::variantCount; ++i) {
        const auto variant = Theme::Variant(i);
        QTest::newRow(qPrintable(Theme::variantName(variant))) << variant;
    }
}

// Each colour of the table against the window and base colours of its variant's palette: 4.5:1 for the colours
// read as words, 3:1 for marks; black or white text on each as a fill; and the palette's text on each washed into
// the window or the base, as notes and the frame table's rows show them.
void tst_Theme::coloursReadOnTheirPalette()
{
    QFETCH(Theme::Variant, variant);
    const QPalette palette = Theme::palette(variant);
    const Theme theme(palette);
    QCOMPARE(theme.variant(), variant);
    double lowestWords = 21;
    double lowestMarks = 21;
    double lowestFill = 21;
    double lowestTint = 21;
    for (int i = 0; i < Theme::tableColorCount; ++i) {
        const auto role = Theme::Color(i);
        const QColor color = theme.color(role);
        QVERIFY(color.isValid());
        QCOMPARE(color, Theme::color(role, variant));
        for (const auto ground : {QPalette::Window, QPalette::Base}) {
            const double ratio = Theme::contrast(color, palette.color(ground));
            const double needed = Theme::isWords(role) ? wordsRatio : marksRatio;
            QVERIFY2(ratio >= needed, qPrintable(QStringLiteral("colour %1 (%2) on %3: %4:1")
                                                     .arg(i)
                                                     .arg(color.name(), palette.color(ground).name())
                                                     .arg(ratio, 0, 'f', 2)));
            (Theme::isWords(role) ? lowestWords : lowestMarks) =
                std::min(Theme::isWords(role) ? lowestWords : lowestMarks, ratio);

            const QColor tint = theme.tint(role, ground, largestTint);
            const QColor text = palette.color(ground == QPalette::Base ? QPalette::Text : QPalette::WindowText);
            const double onTint = Theme::contrast(text, tint);
            QVERIFY2(onTint >= wordsRatio, qPrintable(QStringLiteral("text %1 on a tint of colour %2: %3:1")
                                                          .arg(text.name())
                                                          .arg(i)
                                                          .arg(onTint, 0, 'f', 2)));
            lowestTint = std::min(lowestTint, onTint);
        }
        const double onFill = Theme::contrast(Theme::textOn(color), color);
        QVERIFY(onFill >= wordsRatio);
        lowestFill = std::min(lowestFill, onFill);
    }
    // The neutral chip: the palette's Mid.
    QCOMPARE(theme.color(Theme::Color::Neutral), palette.color(QPalette::Mid));
    QVERIFY(Theme::contrast(Theme::textOn(palette.color(QPalette::Mid)), palette.color(QPalette::Mid)) >= wordsRatio);
    qInfo("%s: words >= %.2f:1, marks >= %.2f:1, text on fills >= %.2f:1, palette text on %.0f%% tints >= %.2f:1",
          qPrintable(Theme::variantName(variant)), lowestWords, lowestMarks, lowestFill, largestTint * 100, lowestTint);
}

void tst_Theme::contrastIsWcags()
{
    QCOMPARE(Theme::contrast(QColor(0, 0, 0), QColor(255, 255, 255)), 21.0);
    QCOMPARE(Theme::contrast(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
    // #767676 is the lightest grey that reaches 4.5:1 on white.
    QVERIFY(Theme::contrast(QColor(0x76, 0x76, 0x76), QColor(255, 255, 255)) >= 4.5);
    QVERIFY(Theme::contrast(QColor(0x77, 0x77, 0x77), QColor(255, 255, 255)) < 4.5);
}

void tst_Theme::textOnPicksTheBetterOfBlackAndWhite()
{
    QCOMPARE(Theme::textOn(QColor(0xff, 0xd8, 0x3d)), QColor(0, 0, 0));
    QCOMPARE(Theme::textOn(QColor(0xb3, 0x26, 0x1e)), QColor(255, 255, 255));
    // Halfway grey: whichever wins still reads.
    for (int grey = 0; grey < 256; grey += 5)
        QVERIFY(Theme::contrast(Theme::textOn(QColor(grey, grey, grey)), QColor(grey, grey, grey)) >= 4.5);
}

void tst_Theme::variantNames()
{
    for (int i = 0; i < Theme::variantCount; ++i) {
        const auto variant = Theme::Variant(i);
        QCOMPARE(Theme::variantNamed(Theme::variantName(variant)), variant);
    }
    QCOMPARE(Theme::variantNamed(QStringLiteral("high-contrast")), Theme::Variant::HighContrastDark);
    QVERIFY(!Theme::variantNamed(QStringLiteral("sepia")));
}

// Labels drawn in the theme's colours (the session's diagnosis, the connection's state chip, an error, a note) take
// the colours of the palette they are shown with, and of the next one when it changes; the rest of their palette,
// the text of a flag or a note, keeps following too.
void tst_Theme::styledLabelFollowsThePalette()
{
    QApplication::setPalette(Theme::palette(Theme::Variant::Light));
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *flag = new QLabel(QStringLiteral("The server closed the connection without a Close frame."));
    auto *chip = new QLabel(QStringLiteral("closed 1006"));
    auto *error = new QLabel(QStringLiteral("Not a URL"));
    auto *note = new QLabel(QStringLiteral("Payload cut at 1 MiB"));
    for (QLabel *label : {flag, chip, error, note})
        layout->addWidget(label);
    ThemedStyle::apply(flag, ThemedStyle::Look::Flag, Theme::Color::Failure);
    ThemedStyle::apply(chip, ThemedStyle::Look::Chip, Theme::Color::Failure);
    ThemedStyle::apply(error, ThemedStyle::Look::Text, Theme::Color::Failure);
    ThemedStyle::apply(note, ThemedStyle::Look::Note, Theme::Color::Warning);
    chip->setMargin(3);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(flag->contentsMargins().left() > 4);
    QVERIFY(note->contentsMargins().top() > 1);

    for (const auto variant : {Theme::Variant::Light, Theme::Variant::Dark, Theme::Variant::HighContrastDark,
                               Theme::Variant::HighContrastLight, Theme::Variant::Light}) {
        const QPalette palette = Theme::palette(variant);
        QApplication::setPalette(palette); // delivered to the widgets by events
        const QColor failure = Theme::color(Theme::Color::Failure, variant);
        QTRY_COMPARE(error->palette().color(QPalette::WindowText), failure);
        QCOMPARE(pixel(*flag, 1, flag->height() / 2), failure); // the bar on the left
        QCOMPARE(flag->palette().color(QPalette::WindowText), palette.color(QPalette::WindowText));
        QCOMPARE(pixel(*chip, chip->width() / 2, 1), failure); // the fill above the text
        QCOMPARE(chip->palette().color(QPalette::WindowText), Theme::textOn(failure));
        QCOMPARE(pixel(*note, 0, note->height() / 2), Theme::color(Theme::Color::Warning, variant)); // the frame
        QCOMPARE(pixel(*note, 3, 3).name(), Theme(palette).tint(Theme::Color::Warning, QPalette::Window, 0.15).name());
        QCOMPARE(note->palette().color(QPalette::WindowText), palette.color(QPalette::WindowText));
        // Not frozen at the palette it was first shown with.
        QCOMPARE(error->palette().color(QPalette::Window), palette.color(QPalette::Window));
    }
    // Applying again changes the colour in place.
    ThemedStyle::apply(chip, ThemedStyle::Look::Chip, Theme::Color::Success);
    QTRY_COMPARE(pixel(*chip, chip->width() / 2, 1), Theme::color(Theme::Color::Success, Theme::Variant::Light));
}

void tst_Theme::clearedLabelStaysPlain()
{
    QWidget window;
    auto *label = new QLabel(QStringLiteral("Saved."), &window);
    ThemedStyle::apply(label, ThemedStyle::Look::Flag, Theme::Color::Failure);
    QVERIFY(label->testAttribute(Qt::WA_SetPalette) == false);
    ThemedStyle::apply(label, ThemedStyle::Look::Text, Theme::Color::Failure);
    QVERIFY(label->contentsMargins().isNull());
    QCOMPARE(label->palette().color(QPalette::WindowText), Theme::color(Theme::Color::Failure, Theme::Variant::Light));
    ThemedStyle::clear(label);
    QVERIFY(!label->testAttribute(Qt::WA_SetPalette));
    QApplication::setPalette(Theme::palette(Theme::Variant::Dark));
    QTRY_COMPARE(label->palette().color(QPalette::WindowText),
                 Theme::palette(Theme::Variant::Dark).color(QPalette::WindowText));
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
