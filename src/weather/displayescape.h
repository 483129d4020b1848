// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/**
 * Text from outside WeatherDash (a provider's place names and descriptions, a shared tier's
 * entries, a settings file) made fit for each place it is shown, one function per target.
 * Each says what the target makes of the characters, so nothing in the text is ever taken
 * as markup, a mnemonic or a control sequence. Pure functions over values; no state.
 *
 * Every target first gets plain(): one line without C0/C1 controls and bidi overrides.
 */
namespace DisplayEscape {

/**
 * `outside` without C0 and C1 control characters (ESC, BEL, DEL, ...) and without bidi
 * embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), which would reorder the
 * text around them. Tabs, line and paragraph breaks become spaces: one line stays one.
 * Letters, marks and the plain direction marks (LRM, RLM) that right-to-left names need stay.
 * Window titles take this as it is (a title is never markup, '&' is no mnemonic there).
 */
QString plain(const QString &outside);

/** For Qt rich text (tooltips, labels with links): plain(), then QString::toHtmlEscaped(). */
QString richText(const QString &outside);

/**
 * For the body of a desktop notification, which servers may read as the freedesktop markup
 * subset (b, i, u, a, img): plain(), then '&', '<' and '>' as entities. Quotes stay as they
 * are: outside a tag they are text, and some servers show "&quot;" literally.
 */
QString notificationMarkup(const QString &outside);

/** For QAction and button texts: plain() with every '&' doubled, so none is a mnemonic. */
QString menuText(const QString &outside);
/**
 * Directional formatting that can make text read differently from what it is: the bidi
 * embeddings, overrides and isolates, and also the marks (ALM, LRM, RLM), which a terminal
 * shows in no visible way.
 */
bool isDirectionalControl(char16_t c);
/**
 * For a terminal and a status bar (weatherdash-cli's text, waybar, i3blocks, polybar): no
 * escape sequences, bells, carriage returns or C1 controls (all of which a terminal obeys), no
 * directional controls; line breaks and tabs become spaces, runs of space one space.
 */
QString terminal(const QString &outside);

} // namespace DisplayEscape
