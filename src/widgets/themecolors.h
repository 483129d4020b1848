// SPDX-License-Identifier: MIT
#pragma once

#include "weather/weathercondition.h"

#include <QColor>
#include <QPalette>

class QWidget;

/**
 * Colours derived from the widget's palette, so a dark theme gets dark banners and light text
 * instead of fixed light ones. Every pair made here is checked against WCAG's contrast ratio
 * (4.5:1 for text), not only picked by eye.
 */
namespace ThemeColors {

/** WCAG 2 relative luminance of `color` (0 black … 1 white). */
qreal luminance(const QColor &color);
/** WCAG 2 contrast ratio of two colours, 1 … 21. */
qreal contrastRatio(const QColor &a, const QColor &b);
bool isDark(const QPalette &palette);

/** `a` moved `amount` (0 … 1) of the way towards `b`. */
QColor mix(const QColor &a, const QColor &b, qreal amount);

/**
 * Secondary text (captions, a suggestion's region) on `background`: the text colour faded
 * towards the background as far as 4.5:1 allows. QPalette::PlaceholderText is for empty
 * fields and is often far fainter, or not set by a theme at all.
 */
QColor secondaryText(const QPalette &palette, QPalette::ColorRole background = QPalette::Window);

/** Secondary text in the `text` colour's family on an arbitrary `background` (4.5:1). */
QColor secondaryTextOn(const QColor &text, const QColor &background);
/** `color`, darkened or lightened until text in it reads on `background` (4.5:1). */
QColor readableText(const QColor &color, const QColor &background);

/**
 * Gives every line edit, spin box and combo box under `root` a placeholder colour that meets
 * 4.5:1 on its Base, now and after every palette or style change. Qt 6.4's KDE and GNOME
 * themes leave QPalette::PlaceholderText near-black on dark backgrounds.
 */
void keepPlaceholdersReadable(QWidget *root);

/** A warning banner: background (a tint of amber on the window colour) and its text colour. */
struct Pair
{
    QColor background;
    QColor text;
};
Pair warningBanner(const QPalette &palette);

/**
 * The card's header (issue 27): the window colour tinted towards the sky of `condition` by day
 * or by night (clear blue, night navy, cloud grey, rain slate, snow ice, storm violet), so far
 * that it stays light in a light theme and dark in a dark one; `text` is the palette's window
 * text made readable on it (4.5:1). Unknown weather: the plain window colours.
 */
Pair conditionTint(const QPalette &palette, WeatherCondition condition, bool day);

/** "✔ It works" and "✘ Rejected" on the palette's window colour, readable in either theme. */
QColor successText(const QPalette &palette);
QColor failureText(const QPalette &palette);

/** Chart grid lines on the Base colour: visible in light and dark themes alike. */
QColor gridLine(const QPalette &palette);

} // namespace ThemeColors
