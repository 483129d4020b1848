// SPDX-License-Identifier: MIT
// The German translation is complete and loads, and numbers, dates and day names follow the
// language of the words, not the system's locale alone.

#include "weather/translations.h"
#include "weather/weathercondition.h"
#include "weather/weathererror.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    QString comment;
    QStringList translations; ///< one per numerus form, or one
    QString type; ///< "", "unfinished", "vanished", "obsolete"
};

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == u"name"_s && current.source.isNull())
                context = xml.readElementText();
            else if (xml.name() == u"message"_s)
                current = Message{context, QString(), QString(), {}, QString()};
            else if (xml.name() == u"source"_s)
                current.source = xml.readElementText();
            else if (xml.name() == u"comment"_s)
                current.comment = xml.readElementText();
            else if (xml.name() == u"translation"_s) {
                current.type = xml.attributes().value(u"type"_s).toString();
                if (xml.attributes().value(u"type"_s) == u"vanished"_s
                    || xml.attributes().value(u"type"_s) == u"obsolete"_s) {
                    xml.skipCurrentElement();
                    continue;
                }
                // <translation> holds text, or <numerusform>s.
                QString text;
                while (!(xml.isEndElement() && xml.name() == u"translation"_s) && !xml.atEnd()) {
                    xml.readNext();
                    if (xml.isCharacters())
                        text += xml.text();
                    else if (xml.isStartElement() && xml.name() == u"numerusform"_s)
                        current.translations.append(xml.readElementText());
                }
                if (current.translations.isEmpty())
                    current.translations.append(text);
            }
        } else if (xml.isEndElement() && xml.name() == u"message"_s) {
            messages.append(current);
            current = Message{};
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QString keyOf(const Message &m)
{
    return m.context + u'\x1f' + m.source + u'\x1f' + m.comment;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(u"%(\\d+|n)"_s);
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured(0));
    return found;
}

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { Translations::install(QCoreApplication::instance(), {u"en-US"_s}); }

    void localeFollowsTheWords_data()
    {
        QTest::addColumn<QStringList>("preferences");
        QTest::addColumn<QString>("expected");
        QTest::newRow("German system") << QStringList{u"de-AT"_s, u"de"_s} << u"de_AT"_s;
        QTest::newRow("German second") << QStringList{u"fr-FR"_s, u"de-DE"_s} << u"de_DE"_s;
        QTest::newRow("no translation: English words, English days")
            << QStringList{u"fr-FR"_s, u"fr"_s} << u"en_US"_s;
        QTest::newRow("British English") << QStringList{u"en-GB"_s} << u"en_GB"_s;
        QTest::newRow("nothing set (LANG=C)") << QStringList{u"C"_s} << u"en_US"_s;
        QTest::newRow("empty") << QStringList{} << u"en_US"_s;
    }
    void localeFollowsTheWords()
    {
        QFETCH(QStringList, preferences);
        QFETCH(QString, expected);
        QCOMPARE(Translations::chooseLocale(preferences).name(), expected);
    }

    void germanWordsAndGermanDays()
    {
        const QLocale chosen
            = Translations::install(QCoreApplication::instance(), {u"de-DE"_s, u"de"_s});
        QCOMPARE(chosen.name(), u"de_DE"_s);
        QCOMPARE(QLocale().dayName(1), u"Montag"_s);
        QCOMPARE(Translations::providerLanguage(), u"de"_s);

        const WeatherError offline(WeatherError::Offline, u"Open-Meteo"_s);
        QVERIFY2(offline.message().startsWith(u"Open-Meteo"_s)
                     || offline.message().contains(u"Open-Meteo"_s),
                 qPrintable(offline.message()));
        QVERIFY2(!offline.message().contains(u"Could not reach"_s), qPrintable(offline.message()));
        QCOMPARE(translatedDescription(weatherDescriptionFromWmoCode(63)), u"Mäßiger Regen"_s);
        // A text from the provider (OpenWeatherMap asked in German) is shown as it came.
        QCOMPARE(translatedDescription(u"Leichter Regen"_s), u"Leichter Regen"_s);
        // Qt's own texts too (Debian's qt6-translations-l10n, installed by scripts/deps.sh).
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
    }

    void englishWordsAndEnglishDays()
    {
        const QLocale chosen = Translations::install(QCoreApplication::instance(), {u"fr-FR"_s});
        QCOMPARE(chosen.language(), QLocale::English);
        QCOMPARE(QLocale().dayName(1), u"Monday"_s);
        QCOMPARE(Translations::providerLanguage(), u"en"_s);
        const WeatherError offline(WeatherError::Offline, u"Open-Meteo"_s);
        QCOMPARE(offline.message(),
                 u"Could not reach Open-Meteo. Check your internet connection."_s);
        QCOMPARE(translatedDescription(weatherDescriptionFromWmoCode(63)), u"Moderate rain"_s);
    }

    /** The CLI speaks the language of its environment too, its --help included. */
    void cliInGerman()
    {
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"LANGUAGE"_s, u"de"_s);
        env.insert(u"LC_ALL"_s, u"de_DE.UTF-8"_s);
        cli.setProcessEnvironment(env);
        cli.start(QStringLiteral(WEATHERDASH_CLI_PATH), {u"--help"_s});
        QVERIFY(cli.waitForFinished(30'000));
        const QString help = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(help.contains(u"Den Cache umgehen und den Anbieter fragen."_s), qPrintable(help));
        QVERIFY2(help.contains(u"Ein JSON-Objekt pro Stadt"_s), qPrintable(help));
    }

    /**
     * Every string in the sources has a finished German translation with the same
     * placeholders: lupdate, run over src/ and ui/ as the build does, finds nothing new.
     */
    void germanIsComplete()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = QStringLiteral(WEATHERDASH_SOURCE_ROOT);
        const QString scanned = dir.filePath(u"scan_de.ts"_s);
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        lupdate.start(QStringLiteral(WEATHERDASH_LUPDATE_PATH),
                      {u"-silent"_s, u"-locations"_s, u"none"_s, u"-target-language"_s, u"de_DE"_s,
                       root + u"/src"_s, root + u"/ui"_s, u"-ts"_s, scanned});
        QVERIFY2(lupdate.waitForFinished(120'000), "lupdate did not finish");
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());

        QString error;
        const QList<Message> inSources = readTs(scanned, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(inSources.size() > 300, qPrintable(QString::number(inSources.size())));
        const QList<Message> shipped = readTs(root + u"/translations/weatherdash_de.ts"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        QHash<QString, Message> byKey;
        for (const Message &m : shipped)
            byKey.insert(keyOf(m), m);
        QStringList problems;
        for (const Message &m : inSources) {
            const auto it = byKey.constFind(keyOf(m));
            if (it == byKey.constEnd()) {
                problems << u"not in the .ts: [%1] %2"_s.arg(m.context, m.source);
                continue;
            }
            if (it->type == u"unfinished"_s || it->translations.isEmpty()
                || it->translations.first().trimmed().isEmpty()) {
                problems << u"untranslated: [%1] %2"_s.arg(m.context, m.source);
                continue;
            }
            for (const QString &t : it->translations) {
                if (placeholders(t) != placeholders(m.source))
                    problems << u"placeholders differ: [%1] %2 -> %3"_s.arg(m.context, m.source, t);
            }
        }
        if (!problems.isEmpty()) {
            qWarning().noquote() << "Run `cmake --build build --target update_translations` and "
                                    "translate translations/weatherdash_de.ts:\n "
                                 << problems.mid(0, 40).join(u"\n  "_s);
        }
        QVERIFY2(problems.isEmpty(),
                 qPrintable(u"%1 strings without a German translation"_s.arg(problems.size())));
    }
};

QTEST_GUILESS_MAIN(tst_Translations)
#include "tst_translations.moc"
