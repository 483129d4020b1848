// SPDX-License-Identifier: MIT
#pragma once

#include <QLocale>
#include <QStringList>

class QCoreApplication;

/**
 * The user's language for every word the programs show, and the locale for every number,
 * date and day name beside those words.
 *
 * WeatherDash ships its own translations as Qt resources (:/i18n/weatherdash_<lang>.qm, made
 * from translations/weatherdash_<lang>.ts at build time) and loads Qt's own (qtbase_<lang>.qm,
 * Debian's qt6-translations-l10n) for the dialogs and buttons Qt provides.
 *
 * The language is the first of the system's UI languages (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG) that WeatherDash has a translation for, else English. The default QLocale is set to
 * that same language, keeping the system's territory where it fits, so a German system shows
 * "Montag" in German words, and a French system, which gets English words, shows "Monday",
 * not "lundi" inside an English sentence.
 */
namespace Translations {

/** Languages with a translation, as ISO 639 codes; "en" (the source language) first. */
QStringList availableLanguages();

/**
 * Installs the translators on `app` (which keeps them) and sets QLocale's default.
 * `uiLanguages` is the preference list, best first ("de-AT", "de", "en-US").
 * Returns the locale chosen. Safe to call once per process.
 */
QLocale install(QCoreApplication *app, const QStringList &uiLanguages);

/** install() with the system's preference list. */
QLocale install(QCoreApplication *app);

/**
 * The locale for `uiLanguages` without installing anything: the first language with a
 * translation, with the territory of the matching preference when it names one.
 */
QLocale chooseLocale(const QStringList &uiLanguages);

/**
 * The language code to ask providers for place names and condition texts in ("de", "en"):
 * the words the user reads come in the language of the rest of the window.
 */
QString providerLanguage(const QLocale &locale = QLocale());

} // namespace Translations
