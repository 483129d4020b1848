// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

/**
 * Text that comes from outside WeatherDash (place names, regions, countries and descriptions
 * from the providers, server reasons and the queries they quote, cache keys, the store's
 * warnings), made safe to put on screen.
 *
 * Every widget shows such text as plain text (QLabel::setTextFormat(Qt::PlainText), or
 * `textFormat` in the .ui file). Plain text still lets some things through, which these take
 * out: control characters and bidi overrides that break or reorder the line, '&' that a button
 * or menu turns into a mnemonic, and markup where Qt guesses rich text on its own (tooltips).
 *
 * The character rules live in the core (weather/displayescape.h), which the desktop
 * notifications use too; these are the widgets' names for them. The CLI strips the same
 * characters for its text output in src/app.
 */
namespace DisplayText {

/**
 * `outside` without C0 and C1 control characters (ESC, BEL, DEL, ...) and without bidi
 * embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), which would reorder
 * the text around them. Tabs, line and paragraph breaks become spaces: one line stays one.
 * Letters, marks and the plain direction marks (LRM, RLM) that right-to-left names need stay.
 */
QString plain(const QString &outside);

/** plain() with every '&' doubled, for QAbstractButton and QAction text. */
QString mnemonicSafe(const QString &outside);

/**
 * For a place in our own rich text: plain(), then QString::toHtmlEscaped(), so markup in it
 * shows as the characters it is made of.
 */
QString html(const QString &outside);

/**
 * A tooltip that shows `lines` literally, one under the other. Qt renders a tooltip as rich
 * text whenever Qt::mightBeRichText() guesses so, and a place name can make it guess; so the
 * lines always go through plain(), are escaped and given as rich text. A line break inside a
 * line (from outside) is a space like everywhere else. No lines: no tooltip.
 */
QString toolTip(const QStringList &lines);
/** A tooltip of one line. */
QString toolTip(const QString &line);

/**
 * When something happened (`utc`), on the reader's clock: "14:02", with the date when it was not
 * today (`nowMs`), and "14:02 your time" when the place the text is about keeps another clock
 * (`placeOffsetSeconds` differs from the reader's offset at that moment).
 */
QString clockTime(const QDateTime &utc, qint64 nowMs, std::optional<int> placeOffsetSeconds);

} // namespace DisplayText
