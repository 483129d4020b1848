// SPDX-License-Identifier: MIT
#include "themecolors.h"

#include <QEvent>
#include <QLineEdit>
#include <QPointer>
#include <QWidget>
#include <QtMath>

namespace {
constexpr qreal kTextContrast = 4.5;
constexpr qreal kGraphicsContrast = 3.0; // WCAG 1.4.11, lines and shapes

qreal channel(qreal c)
{
    return c <= 0.04045 ? c / 12.92 : qPow((c + 0.055) / 1.055, 2.4);
}

/** The first colour from `from` towards `to` (in steps) that still reads on `background`. */
QColor fadedTowards(const QColor &from, const QColor &to, const QColor &background, qreal most,
                    qreal least = kTextContrast)
{
    QColor best = from;
    for (int step = 1; step <= 20; ++step) {
        const QColor candidate = ThemeColors::mix(from, to, most * step / 20.0);
        if (ThemeColors::contrastRatio(candidate, background) < least)
            break;
        best = candidate;
    }
    return best;
}

/** `color`, darkened or lightened until it reads on `background`. */
QColor readableOn(QColor color, const QColor &background, qreal least = kTextContrast)
{
    const QColor target = ThemeColors::luminance(background) > 0.4 ? Qt::black : Qt::white;
    for (int step = 0; step < 20 && ThemeColors::contrastRatio(color, background) < least; ++step)
        color = ThemeColors::mix(color, target, 0.15);
    return color;
}
} // namespace

namespace ThemeColors {

qreal luminance(const QColor &color)
{
    const QColor c = color.toRgb();
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

qreal contrastRatio(const QColor &a, const QColor &b)
{
    const qreal la = luminance(a);
    const qreal lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

bool isDark(const QPalette &palette)
{
    return luminance(palette.color(QPalette::Window)) < 0.2;
}

QColor mix(const QColor &a, const QColor &b, qreal amount)
{
    const QColor x = a.toRgb();
    const QColor y = b.toRgb();
    const auto lerp = [amount](qreal p, qreal q) {
        return p + (q - p) * amount;
    };
    return QColor::fromRgbF(float(lerp(x.redF(), y.redF())), float(lerp(x.greenF(), y.greenF())),
                            float(lerp(x.blueF(), y.blueF())));
}

QColor secondaryText(const QPalette &palette, QPalette::ColorRole background)
{
    const QColor bg = palette.color(background);
    const QPalette::ColorRole textRole
        = background == QPalette::Base ? QPalette::Text : QPalette::WindowText;
    return fadedTowards(readableOn(palette.color(textRole), bg), bg, bg, 0.6);
}

QColor secondaryTextOn(const QColor &text, const QColor &background)
{
    return fadedTowards(readableOn(text, background), background, background, 0.6);
}

QColor readableText(const QColor &color, const QColor &background)
{
    return readableOn(color, background);
}

Pair conditionTint(const QPalette &palette, WeatherCondition condition, bool day)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor text = palette.color(QPalette::WindowText);
    // The sky of each kind of weather, by day and by night (after KWeather's and Mousam's
    // backgrounds), blended into the theme's own window colour rather than painted over it.
    QColor sky;
    switch (condition) {
    case WeatherCondition::Clear:
        sky = day ? QColor(0x3d, 0x8e, 0xe0) : QColor(0x1b, 0x26, 0x5c);
        break;
    case WeatherCondition::PartlyCloudy:
        sky = day ? QColor(0x6c, 0xa4, 0xd8) : QColor(0x2a, 0x35, 0x60);
        break;
    case WeatherCondition::Cloudy:
    case WeatherCondition::Overcast:
        sky = day ? QColor(0x8c, 0x9a, 0xa8) : QColor(0x38, 0x40, 0x4e);
        break;
    case WeatherCondition::Fog:
        sky = day ? QColor(0xb0, 0xae, 0xa8) : QColor(0x48, 0x47, 0x44);
        break;
    case WeatherCondition::Drizzle:
    case WeatherCondition::Rain:
    case WeatherCondition::Showers:
    case WeatherCondition::FreezingRain:
        sky = day ? QColor(0x4f, 0x73, 0x9c) : QColor(0x22, 0x33, 0x4a);
        break;
    case WeatherCondition::Snow:
    case WeatherCondition::SnowShowers:
        sky = day ? QColor(0xa8, 0xd0, 0xf0) : QColor(0x3a, 0x4c, 0x66);
        break;
    case WeatherCondition::Thunderstorm:
        sky = day ? QColor(0x6e, 0x58, 0xa0) : QColor(0x35, 0x26, 0x58);
        break;
    case WeatherCondition::Unknown:
        return {window, readableOn(text, window)};
    }
    // Far enough to be seen, not so far that a light theme's header turns mid-grey (where
    // neither black nor white text reads well) or a dark one's lights up: a bright sky (snow by
    // day) is blended in less on a dark theme, a dark one less on a light theme.
    const bool dark = isDark(palette);
    for (qreal amount = dark ? 0.45 : 0.3; amount > 0.0; amount -= 0.05) {
        const QColor background = mix(window, sky, amount);
        const qreal l = luminance(background);
        const QColor readable = readableOn(text, background);
        if ((dark ? l <= 0.1 : l >= 0.3) && contrastRatio(readable, background) >= kTextContrast
            && contrastRatio(secondaryTextOn(readable, background), background) >= kTextContrast)
            return {background, readable};
    }
    return {window, readableOn(text, window)};
}

namespace {
void fixPlaceholder(QLineEdit *edit)
{
    QPalette pal = edit->palette();
    if (contrastRatio(pal.color(QPalette::PlaceholderText), pal.color(QPalette::Base))
        >= kTextContrast)
        return;
    pal.setColor(QPalette::PlaceholderText, secondaryText(pal, QPalette::Base));
    edit->setPalette(pal); // readable now: the PaletteChange this sends changes nothing
}

/**
 * Fixes the placeholders again when the theme changes. It watches the root (for fields added
 * later, when it is shown) and each field (a field's own PaletteChange comes after its
 * palette is resolved; the root's may come before).
 */
class PlaceholderKeeper : public QObject
{
public:
    explicit PlaceholderKeeper(QWidget *root)
        : QObject(root)
    { }

    void fixAll(QWidget *root)
    {
        const auto edits = root->findChildren<QLineEdit *>();
        for (QLineEdit *edit : edits) {
            fixPlaceholder(edit);
            if (!m_watched.contains(edit)) {
                m_watched.append(edit);
                edit->installEventFilter(this);
            }
        }
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        const QEvent::Type type = event->type();
        if (type != QEvent::PaletteChange && type != QEvent::ApplicationPaletteChange
            && type != QEvent::StyleChange && type != QEvent::Show)
            return false;
        if (auto *edit = qobject_cast<QLineEdit *>(watched))
            fixPlaceholder(edit);
        else
            fixAll(static_cast<QWidget *>(watched));
        return false;
    }

private:
    QList<QPointer<QLineEdit>> m_watched;
};
} // namespace

void keepPlaceholdersReadable(QWidget *root)
{
    auto *keeper = new PlaceholderKeeper(root);
    keeper->fixAll(root);
    root->installEventFilter(keeper);
}

Pair warningBanner(const QPalette &palette)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor amber(0xf0, 0xa0, 0x20);
    Pair pair;
    pair.background = mix(window, amber, isDark(palette) ? 0.22 : 0.25);
    pair.text = readableOn(palette.color(QPalette::WindowText), pair.background);
    return pair;
}

QColor successText(const QPalette &palette)
{
    return readableOn(QColor(0x2e, 0x9d, 0x42), palette.color(QPalette::Window));
}

QColor failureText(const QPalette &palette)
{
    return readableOn(QColor(0xd6, 0x38, 0x38), palette.color(QPalette::Window));
}

QColor gridLine(const QPalette &palette)
{
    // Mid is close to Base in many dark themes: from the text colour instead, as faint as a
    // line may be and still be seen.
    const QColor base = palette.color(QPalette::Base);
    const QColor text = readableOn(palette.color(QPalette::Text), base, kGraphicsContrast);
    return fadedTowards(text, base, base, 0.8, kGraphicsContrast);
}

} // namespace ThemeColors
