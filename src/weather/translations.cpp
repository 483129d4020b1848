// SPDX-License-Identifier: MIT
#include "translations.h"

#include "weatherlogging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace Translations {

namespace {

/** Every language in translations/ (keep in step with qt_add_translations in CMake). */
const QStringList kTranslated{u"de"_s};

QString languageCode(const QLocale &locale)
{
    const QString name = locale.name(); // "de_AT"
    return name.section(u'_', 0, 0);
}

/** What install() put in, so that calling it again (a test, a language change) replaces them. */
QList<QPointer<QTranslator>> &installed()
{
    static QList<QPointer<QTranslator>> translators;
    return translators;
}

void installFrom(QCoreApplication *app, const QLocale &locale, const QString &name,
                 const QString &directory)
{
    auto *translator = new QTranslator(app);
    if (translator->load(locale, name, u"_"_s, directory)) {
        QCoreApplication::installTranslator(translator);
        installed().append(translator);
        return;
    }
    delete translator;
    qCWarning(lcWeather) << "No" << name << "translation for" << locale.name() << "in" << directory;
}

} // namespace

QStringList availableLanguages()
{
    return QStringList{u"en"_s} + kTranslated;
}

QLocale chooseLocale(const QStringList &uiLanguages)
{
    for (const QString &preference : uiLanguages) {
        const QLocale wanted(preference);
        if (wanted.language() == QLocale::C)
            continue;
        const QString code = languageCode(wanted);
        if (code == u"en"_s)
            return wanted;
        if (kTranslated.contains(code))
            return wanted;
    }
    // No translation for any preference: English words, so English day names beside them.
    // The first preference's territory is kept when English is spoken there (en_GB, en_IE).
    const QLocale first(uiLanguages.value(0));
    const QLocale english(QLocale::English, first.territory());
    return english.language() == QLocale::English ? english : QLocale(QLocale::English);
}

QLocale install(QCoreApplication *app, const QStringList &uiLanguages)
{
    for (const QPointer<QTranslator> &old : std::as_const(installed())) {
        if (old) {
            QCoreApplication::removeTranslator(old);
            delete old;
        }
    }
    installed().clear();

    const QLocale locale = chooseLocale(uiLanguages);
    QLocale::setDefault(locale);
    if (languageCode(locale) == u"en"_s)
        return locale; // the source language: nothing to load, Qt's own texts are English too
    // Qt's own (dialog buttons, the shortcut names in menus): Debian's qt6-translations-l10n.
    installFrom(app, locale, u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    installFrom(app, locale, u"weatherdash"_s, u":/i18n"_s);
    return locale;
}

QLocale install(QCoreApplication *app)
{
    return install(app, QLocale::system().uiLanguages());
}

QString providerLanguage(const QLocale &locale)
{
    const QString code = languageCode(locale);
    return code.isEmpty() || code == u"C"_s ? u"en"_s : code;
}

} // namespace Translations
