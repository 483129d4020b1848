// SPDX-License-Identifier: MIT
// weatherdash-cli, the real binary, run with QProcess against a local server that speaks the
// providers' formats. The server counts every request.
#include "fakeweatherserver.h"
#include "redisserver.h"
#include "store/persistentstore.h"
#include "testdata.h" // issue 23 (air)
#include "weather/moon.h" // issue 23 (air)
#include "weather/nowcast.h" // issue 23 (air)
#include "weather/weathererror.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <utility>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

#include "nmealog.h"

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
    QByteArray rawOut;
    QByteArray rawErr;

    QStringList errLines() const { return err.split(u'\n', Qt::SkipEmptyParts); }
};

/** Characters a terminal acts on, or that make text read as something else. */
QString firstHostileChar(const QString &text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool c0 = u < 0x20 && u != u'\n';
        const bool c1 = u >= 0x7F && u <= 0x9F;
        const bool bidi = u == 0x061C || u == 0x200E || u == 0x200F || (u >= 0x202A && u <= 0x202E)
                          || (u >= 0x2066 && u <= 0x2069);
        if (c0 || c1 || bidi || u == 0x2028 || u == 0x2029)
            return u"U+%1"_s.arg(int(u), 4, 16, QChar(u'0'));
    }
    return {};
}

/** A place whose every text field is an attack on the terminal. */
FakeWeatherServer::City hostileCity()
{
    FakeWeatherServer::City city;
    city.name = u"Evil\x1b]0;owned\x07ton\x1b[2J\r\nLine2\x07\u202Egnp.exe\u009b31m"_s;
    city.alternateNames = {u"Evilton"_s};
    city.region = u"Reg\u2066ion\x1b[31m\u2069"_s;
    city.regionCode = u"EV"_s;
    city.country = u"Coun\u0085try\u200F"_s;
    city.countryCode = u"EV"_s;
    city.latitude = 12.5;
    city.longitude = 45.25;
    city.timezone = u"GMT"_s;
    return city;
}

const QString kHostileDescription = u"Clear\x1b]2;pwned\x1b\\ sky\u202E"_s;

/** docs/cli.md, whose status-bar configurations the tests run as they are written. */
QString cliDoc()
{
    QFile file(QFINDTESTDATA("../docs/cli.md"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

/** A command line split into words as a shell splits the docs' examples: blanks separate,
 *  '...' and "..." quote. The examples use no escapes and no expansions. */
QStringList shellWords(QStringView line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (const QChar c : line) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(std::exchange(word, QString()));
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.append(word);
    return words;
}

/** The arguments of the one `weatherdash-cli` command in \a doc that \a pattern finds (its first
 *  capture is the command line after the program's name); empty unless exactly one matches. */
QStringList docCommand(const QString &doc, const QString &pattern)
{
    const QRegularExpression re(pattern, QRegularExpression::MultilineOption);
    QRegularExpressionMatchIterator it = re.globalMatch(doc);
    if (!it.hasNext())
        return {};
    const QRegularExpressionMatch match = it.next();
    return it.hasNext() ? QStringList() : shellWords(match.capturedView(1));
}

// Waybar's "exec": "weatherdash-cli ...", polybar's exec = weatherdash-cli ..., i3blocks'
// command=weatherdash-cli ...
const QString kWaybarExec = u"^\\s*\"exec\": \"weatherdash-cli ([^\"]*)\",?$"_s;
const QString kPolybarExec = u"^exec = weatherdash-cli (.+)$"_s;
const QString kI3blocksCommand = u"^command=weatherdash-cli (.+)$"_s;

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
    }
    void cleanup() { m_server.reset(); }

    void tenRunsOneSetOfRequests();
    void textOutputSaysWhereTheAnswerCameFrom();
    void jsonHasStableFields();
    void ambiguousCityTakesFirstAndSaysSo();
    void forceRefreshAsksAgain();
    void unknownCityFailsWithMessage();
    void severalCitiesOneFailing();
    void staleWhenOfflineAfterTtl();
    void garbageCacheFileIsSetAside();
    void rejectedKeyNeverPrinted();
    void statsAreReported();
    void requestsAreNotedOnDiskForTheApp();
    void twoMachinesShareThroughRedis();
    void redisDownIsSaidAndTheDiskCarriesOn();
    void badSharedCacheAddressCostsSharingOnly_data();
    void badSharedCacheAddressCostsSharingOnly();
    void silentRedisCostsARunAtMostThreeSeconds();
    void sharedCacheOverTls();
    void badUsage_data();
    void badUsage();
    void helpAndVersion();
    void centuryTtlIsAccepted();
    void hostileProviderTextNeverReachesTheTerminal_data();
    void hostileProviderTextNeverReachesTheTerminal();
    void jsonKeepsHostileTextExactAndEscaped();
    void jsonCarriesDaysAndHours();
    void unitsPerQuantityNeverRefetch();
    void dailyAndHourlyText();
    void stderrIsQuietByDefault();
    void loggingRulesOptIn();
    void storeProblemIsSaidOnce();
    void failedCityIsReportedAsItHappens();
    void longCityIsElidedInMessages();
    void notFoundNamesTheCityAsTyped();
    void dnsThatNeverAnswersDoesNotHoldTheProcess();
    void statusBarExamplesFromTheDocs();
    void statusBarStaleAndFailed();
    void watchPrintsAgainWhenAnotherRunRenews();
    void secretsOnTheCommandLineAreBlanked_data();
    void secretsOnTheCommandLineAreBlanked();
    void secretsFromFiles();
    void redisPasswordFromFile();
    // "Here" (issue 24)
    void hereNamesThePlaceOncePerCell();
    void hereInEveryOutputFormat();
    void hereWithoutAPositionFailsInBoundedTime_data();
    void hereWithoutAPositionFailsInBoundedTime();
    // issue 22: severe-weather alerts
    void alertsInJsonAndText();
    void alertsUnknownAreNullNeverEmpty_data();
    void alertsUnknownAreNullNeverEmpty();
    void alertsInTheStatusBar();
    // issue 23 (air)
    void jsonCarriesAirQualityNowcastAndMoon();
    void textAndStatusBarsSayTheIndexAndTheRain();
    void failingAirFeedsNeverCostTheWeather();
    void silentAirServerCostsARunAtMostTheGrace();
    void usScaleFromPreferencesInTextAndTooltip();
    void statusLinesAskOnlyForTheFeedsTheyShow();

private:
    /** A live gale warning over Berlin (and one earthquake, which is no weather). */
    void addBerlinAlerts()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        FakeAlertServer::Spec gale;
        gale.identifier = u"gale-berlin-1"_s;
        gale.severity = u"Severe"_s;
        gale.event = u"Gale warning"_s;
        gale.onset = now.addSecs(-3600).toOffsetFromUtc(3600);
        gale.expires = now.addSecs(3 * 3600).toOffsetFromUtc(3600);
        m_server->alerts().add(u"g1"_s, FakeAlertServer::message(gale));
        FakeAlertServer::Spec quake = gale;
        quake.identifier = u"quake-1"_s;
        quake.category = u"Geo"_s;
        quake.event = u"Earthquake"_s;
        m_server->alerts().add(u"q1"_s, FakeAlertServer::message(quake));
    }

    QProcessEnvironment environment(const QString &cacheDir = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const ProviderEndpoints ep = m_server->endpoints();
        env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
        env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
        env.insert(u"WEATHERDASH_OPENWEATHERMAP_URL"_s, ep.openWeatherMap.toString());
        env.insert(u"WEATHERDASH_NOMINATIM_URL"_s, m_server->baseUrl().toString()); // --here
        env.remove(u"WEATHERDASH_NMEA_FILE"_s);
        env.insert(u"WEATHERDASH_ALERTS_URL"_s, m_server->baseUrl().toString()); // issue 22
        env.insert(u"WEATHERDASH_CACHE_DIR"_s, cacheDir.isEmpty() ? cachePath() : cacheDir);
        // The user's own settings stay out of it.
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"config"_s));
        env.insert(u"HOME"_s, m_home->path());
        env.remove(u"OPENWEATHERMAP_API_KEY"_s);
        // What a user gets by default is what is tested: no logging rules of our own.
        env.remove(u"QT_LOGGING_RULES"_s);
        return env;
    }

    static CliRun collect(QProcess &p)
    {
        CliRun r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.rawOut = p.readAllStandardOutput();
        r.rawErr = p.readAllStandardError();
        r.out = QString::fromUtf8(r.rawOut);
        r.err = QString::fromUtf8(r.rawErr);
        return r;
    }

    CliRun run(const QStringList &args, const QString &cacheDir = {},
               const QProcessEnvironment &extra = {})
    {
        QProcess p;
        QProcessEnvironment env = environment(cacheDir);
        for (const QString &key : extra.keys())
            env.insert(key, extra.value(key));
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
        // The server lives in this process: keep its event loop turning while the CLI runs.
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 30000);
        }();
        return collect(p);
    }

    /**
     * A status-bar command as the bar runs it: one that exits is run(); a --watch one is
     * started, its first line read, and ended as the bar ends it (exit status 0: it ran).
     */
    CliRun runBar(const QStringList &args)
    {
        if (!args.contains(u"--watch"_s))
            return run(args);
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
        QByteArray out;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains('\n'), 30000);
        }();
        QTest::qWait(200); // what it says on stderr with the line
        CliRun r;
        r.exitCode = p.state() == QProcess::Running ? 0 : -1;
        r.rawOut = out;
        r.rawErr = p.readAllStandardError();
        r.out = QString::fromUtf8(r.rawOut);
        r.err = QString::fromUtf8(r.rawErr);
        p.kill();
        p.waitForFinished();
        return r;
    }

    QString cachePath() const { return m_home->filePath(u"cache"_s); }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
};

void tst_Cli::tenRunsOneSetOfRequests()
{
    for (int i = 0; i < 10; ++i) {
        const CliRun r = run({u"Berlin"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"Berlin"_s), qPrintable(r.out + r.err));
    }
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1); // issue 23 (air)
    QCOMPARE(m_server->totalRequestCount(), 4); // and the nowcast
}

void tst_Cli::textOutputSaysWhereTheAnswerCameFrom()
{
    const CliRun first = run({u"Berlin"_s});
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.out.contains(u"Berlin, DE"_s), qPrintable(first.out));
    QVERIFY(first.out.contains(u"21.5 °C"_s));
    QVERIFY(first.out.contains(u"Source: network"_s));
    const CliRun second = run({u"Berlin"_s});
    QVERIFY2(second.out.contains(u"Source: cache, "_s), qPrintable(second.out));
}

void tst_Cli::jsonHasStableFields()
{
    const CliRun r = run({u"--json"_s, u"Berlin"_s, u"Paris"_s});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QJsonObject o = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
    QCOMPARE(o.value(u"query"_s).toString(), u"Berlin"_s);
    QCOMPARE(o.value(u"provider"_s).toString(), u"open-meteo"_s);
    QCOMPARE(o.value(u"units"_s).toString(), u"metric"_s);
    QCOMPARE(o.value(u"source"_s).toString(), u"network"_s);
    QCOMPARE(o.value(u"age_seconds"_s).toInt(), 0);
    QVERIFY(o.value(u"error"_s).isNull());
    const QJsonObject loc = o.value(u"location"_s).toObject();
    QCOMPARE(loc.value(u"country_code"_s).toString(), u"DE"_s);
    QCOMPARE(qRound(loc.value(u"latitude"_s).toDouble()), 53);
    const QJsonObject cur = o.value(u"current"_s).toObject();
    QCOMPARE(cur.value(u"temperature"_s).toDouble(), 21.5);
    for (const QString &field :
         {u"feels_like"_s, u"humidity"_s, u"pressure"_s, u"wind_speed"_s, u"wind_direction"_s,
          u"description"_s, u"condition"_s, u"icon"_s, u"is_day"_s})
        QVERIFY2(cur.contains(field), qPrintable(field));
    const QJsonObject paris = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
    QCOMPARE(paris.value(u"location"_s).toObject().value(u"country_code"_s).toString(), u"FR"_s);
}

void tst_Cli::ambiguousCityTakesFirstAndSaysSo()
{
    const CliRun r = run({u"London"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"London, England, GB"_s), qPrintable(r.out));
    QVERIFY(r.out.contains(u"first of"_s));
    QVERIFY(r.out.contains(u"Ontario"_s));
    const CliRun json = run({u"--json"_s, u"London"_s});
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QVERIFY(!o.value(u"other_matches"_s).toArray().isEmpty());
}

void tst_Cli::forceRefreshAsksAgain()
{
    QCOMPARE(run({u"Berlin"_s}).exitCode, 0);
    const CliRun r = run({u"--force-refresh"_s, u"Berlin"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"Source: network"_s));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
}

void tst_Cli::unknownCityFailsWithMessage()
{
    const CliRun r = run({u"Atlantis"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(u"Atlantis"_s), qPrintable(r.err));
    // A script asking every minute for a typo is answered from the negative cache.
    QCOMPARE(run({u"Atlantis"_s}).exitCode, 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
}

void tst_Cli::severalCitiesOneFailing()
{
    const CliRun r = run({u"Berlin"_s, u"Atlantis"_s, u"Paris"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.contains(u"Berlin"_s));
    QVERIFY(r.out.contains(u"Paris"_s));
    QVERIFY(r.err.contains(u"Atlantis"_s));
}

void tst_Cli::staleWhenOfflineAfterTtl()
{
    QCOMPARE(run({u"Berlin"_s}).exitCode, 0);
    // Age the disk cache by two hours, as if the last run had been then.
    {
        PersistentStore store;
        QVERIFY(store.open(cachePath()));
        const qint64 twoHours = 2 * 3600 * 1000;
        for (const StoredEntry &e : store.readAll())
            QVERIFY(store.write(e.key, e.value, e.loadedAt - twoHours, e.ttlMs));
    }
    m_server->http()->close();
    const CliRun r = run({u"Berlin"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Source: stale, 2 hours old"_s), qPrintable(r.out + r.err));
    QVERIFY(!r.err.isEmpty()); // and why it is not newer
    const CliRun json = run({u"--json"_s, u"Berlin"_s});
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(u"source"_s).toString(), u"stale"_s);
    QVERIFY(o.value(u"age_seconds"_s).toInt() >= 7200);
    QCOMPARE(o.value(u"error"_s).toObject().value(u"kind"_s).toString(),
             WeatherError::kindName(WeatherError::Offline));
}

void tst_Cli::garbageCacheFileIsSetAside()
{
    QVERIFY(QDir().mkpath(cachePath()));
    QFile garbage(cachePath() + u"/cache.sqlite"_s);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(4096, '\x5a'));
    garbage.close();
    const CliRun r = run({u"Berlin"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Berlin"_s), qPrintable(r.out + r.err));
    QVERIFY2(r.err.contains(u"set aside"_s), qPrintable(r.err));
    const QStringList aside
        = QDir(cachePath()).entryList({u"cache.sqlite.corrupt-*"_s}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    // The fresh cache works: the next run is answered from it.
    QVERIFY(run({u"Berlin"_s}).out.contains(u"Source: cache"_s));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
}

void tst_Cli::rejectedKeyNeverPrinted()
{
    const QString wrongKey = u"ffffeeeeddddccccbbbbaaaa99998888"_s;
    const CliRun r
        = run({u"--provider"_s, u"openweathermap"_s, u"--api-key"_s, wrongKey, u"Berlin"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"two hours"_s), qPrintable(r.err));
    QVERIFY(!r.err.contains(wrongKey));
    QVERIFY(!r.out.contains(wrongKey));
    const CliRun good = run({u"--provider"_s, u"openweathermap"_s, u"--api-key"_s,
                             m_server->validApiKey(), u"Berlin"_s});
    QCOMPARE(good.exitCode, 0);
    QVERIFY(good.out.contains(u"OpenWeatherMap"_s));
    // Berlin is cached now (keys hold no key, so that is right); ask for another city.
    const CliRun missing = run({u"--provider"_s, u"openweathermap"_s, u"Paris"_s});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(!missing.err.isEmpty(), "a missing key is explained");
}

void tst_Cli::jsonCarriesDaysAndHours()
{
    // The CLI filters by its own clock: the server's forecast starts now.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_server->setServerTime(QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC));
    const CliRun r = run({u"--json"_s, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonObject current = o.value(u"current"_s).toObject();
    QCOMPARE(current.value(u"wind_gusts"_s).toDouble(), 21.6); // 14.4 km/h and half
    QCOMPARE(current.value(u"precipitation"_s).toDouble(), 0.0); // Berlin is dry
    QVERIFY(current.contains(u"sunrise"_s));
    const QJsonObject symbols = o.value(u"unit_symbols"_s).toObject();
    QCOMPARE(symbols.value(u"pressure"_s).toString(), u"hPa"_s);
    QCOMPARE(symbols.value(u"precipitation"_s).toString(), u"mm"_s);
    // Issue 27: dew point, visibility (in the person's distance unit) and cloud cover.
    QCOMPARE(current.value(u"dew_point"_s).toDouble(), 12.1); // 21.5 °C at 55 %
    QCOMPARE(current.value(u"visibility"_s).toDouble(), 24.14); // 24,140 m of clear air
    QCOMPARE(current.value(u"cloud_cover"_s).toDouble(), 40.0); // partly cloudy
    QCOMPARE(symbols.value(u"visibility"_s).toString(), u"km"_s);

    const QJsonArray daily = o.value(u"daily"_s).toArray();
    QCOMPARE(daily.size(), 7);
    const QJsonObject today = daily.at(0).toObject();
    // Berlin's today (UTC+2 in the fake), not the viewer's.
    QCOMPARE(today.value(u"date"_s).toString(), now.addSecs(7200).date().toString(Qt::ISODate));
    for (const QString &field :
         {u"min"_s, u"max"_s, u"condition"_s, u"precipitation_sum"_s,
          u"precipitation_probability_max"_s, u"sunrise"_s, u"sunset"_s, u"uv_index_max"_s})
        QVERIFY2(today.contains(field), qPrintable(field));
    QCOMPARE(today.value(u"uv_index_max"_s).toDouble(), 6.5);
    QVERIFY(today.value(u"sunrise"_s).toString().endsWith(u"+02:00"_s));
    QCOMPARE(daily.at(2).toObject().value(u"precipitation_probability_max"_s).toDouble(), 80.0);

    const QJsonArray hourly = o.value(u"hourly"_s).toArray();
    QVERIFY2(hourly.size() >= 48 && hourly.size() <= 49,
             qPrintable(QString::number(hourly.size())));
    const QJsonObject first = hourly.at(0).toObject();
    const QDateTime firstTime
        = QDateTime::fromString(first.value(u"time"_s).toString(), Qt::ISODate);
    QVERIFY(firstTime <= now && now < firstTime.addSecs(3600)); // the hour under way
    for (const QString &field : {u"time"_s, u"temperature"_s, u"precipitation_probability"_s,
                                 u"precipitation"_s, u"condition"_s})
        QVERIFY2(first.contains(field), qPrintable(field));
    // The days and the hours are entries of their own: a second run asks nobody.
    const int requests = m_server->totalRequestCount();
    QCOMPARE(requests, 6); // geocoding, current, daily, hourly, air quality, nowcast
    QCOMPARE(run({u"--json"_s, u"Berlin"_s}).exitCode, 0);
    QCOMPARE(m_server->totalRequestCount(), requests);
}

void tst_Cli::unitsPerQuantityNeverRefetch()
{
    QCOMPARE(run({u"--json"_s, u"Berlin"_s}).exitCode, 0);
    const int requests = m_server->totalRequestCount();
    const CliRun r = run({u"--json"_s, u"--units"_s, u"imperial,beaufort,mmhg"_s, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(m_server->totalRequestCount(), requests); // from the cache, converted
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(u"units"_s).toString(), u"custom"_s);
    QCOMPARE(o.value(u"unit_symbols"_s).toObject().value(u"wind_speed"_s).toString(), u"Bft"_s);
    const QJsonObject current = o.value(u"current"_s).toObject();
    QCOMPARE(current.value(u"temperature"_s).toDouble(), 21.5 * 9 / 5 + 32);
    QCOMPARE(current.value(u"wind_speed"_s).toDouble(), 3.0); // 14.4 km/h = 4 m/s
    QCOMPARE(current.value(u"dew_point"_s).toDouble(), 12.1 * 9 / 5 + 32);
    // Beaufort is no mile: visibility stays in kilometres; the imperial preset reads miles.
    QCOMPARE(o.value(u"unit_symbols"_s).toObject().value(u"visibility"_s).toString(), u"km"_s);
    const CliRun miles = run({u"--json"_s, u"--units"_s, u"imperial"_s, u"Berlin"_s});
    QVERIFY2(miles.exitCode == 0, qPrintable(miles.err));
    const QJsonObject m = QJsonDocument::fromJson(miles.out.toUtf8()).object();
    QCOMPARE(m.value(u"unit_symbols"_s).toObject().value(u"visibility"_s).toString(), u"mi"_s);
    QCOMPARE(qRound(m.value(u"current"_s).toObject().value(u"visibility"_s).toDouble() * 10),
             150); // 24.14 km
    QCOMPARE(m_server->totalRequestCount(), requests);
    QVERIFY(qAbs(current.value(u"pressure"_s).toDouble() - 1012 / 1.33322387415) < 1e-6);
    const CliRun text = run({u"--units"_s, u"kn,inhg"_s, u"Berlin"_s});
    QVERIFY2(text.out.contains(u" kn"_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(u"29.88 inHg"_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(u"Dew point 12.1 °C · Visibility 24.1 km · Cloud cover 40 %"_s),
             qPrintable(text.out));
    QCOMPARE(m_server->totalRequestCount(), requests);
}

void tst_Cli::dailyAndHourlyText()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_server->setServerTime(QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC));
    const CliRun plain = run({u"Berlin"_s});
    QVERIFY(!plain.out.contains(u"Daily:"_s));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 0); // not asked, not fetched
    const CliRun r = run({u"--daily"_s, u"--hourly"_s, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(u'\n');
    const qsizetype daily = lines.indexOf(u"  Daily:"_s);
    const qsizetype hourly = lines.indexOf(u"  Hourly:"_s);
    QVERIFY2(daily > 0 && hourly > daily, qPrintable(r.out));
    QCOMPARE(hourly - daily - 1, 7); // a line per day
    QVERIFY2(lines.at(daily + 1).contains(u"UV 7"_s) || lines.at(daily + 1).contains(u"UV 6"_s),
             qPrintable(lines.at(daily + 1)));
    QVERIFY2(lines.at(daily + 1).contains(u"06:43–23:33"_s) == false, "sun times are local");
    QVERIFY2(lines.at(daily + 1).contains(u"04:43–21:33"_s), qPrintable(lines.at(daily + 1)));
    const qsizetype hours = lines.size() - hourly - 1;
    QVERIFY2(hours >= 48, qPrintable(r.out));
    QVERIFY2(r.out.contains(u"Precipitation 0.0 mm"_s), qPrintable(r.out));
}

void tst_Cli::statsAreReported()
{
    const CliRun r = run({u"--stats"_s, u"Berlin"_s});
    QVERIFY2(r.out.contains(u"Cache: "_s), qPrintable(r.out));
    QVERIFY(r.out.contains(u"misses"_s));
    const CliRun json = run({u"--json"_s, u"--stats"_s, u"Berlin"_s});
    const QStringList lines = json.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QJsonObject stats
        = QJsonDocument::fromJson(lines.last().toUtf8()).object().value(u"stats"_s).toObject();
    // A new process: geocoding and current come from the disk, not the provider; the days
    // and the hours, which only --json asked for, from the provider.
    QCOMPARE(stats.value(u"hits"_s).toInt(), 0);
    const QJsonObject answered = stats.value(u"answered"_s).toObject();
    // The search, the current conditions, the alert list (issue 22), air quality and the
    // nowcast (issue 23) from the text run's disk; the days and the hours from the provider.
    QCOMPARE(answered.value(u"disk"_s).toInt(), 5);
    QCOMPARE(answered.value(u"provider"_s).toInt(), 2);
    QCOMPARE(answered.value(u"memory"_s).toInt(), 0);
    // The alert list's load counts with the provider's (issue 22); the text run asks for the
    // search, the current conditions, the alerts, air quality and the nowcast.
    QVERIFY2(r.out.contains(u"Answered: 0 from memory, 0 from disk, 5 by Open-Meteo"_s),
             qPrintable(r.out));
}

void tst_Cli::requestsAreNotedOnDiskForTheApp()
{
    QCOMPARE(run({u"Berlin"_s}).exitCode, 0); // geocoding and current
    QCOMPARE(run({u"Berlin"_s}).exitCode, 0); // from the disk: no request
    QCOMPARE(run({u"--force-refresh"_s, u"Berlin"_s}).exitCode, 0); // two more
    PersistentStore store;
    QVERIFY(store.open(cachePath()));
    // Each run asks for air quality and the nowcast too (issue 23): four requests a run.
    QCOMPARE(store.countRequests(u"open-meteo"_s, {0}), QList<qint64>{8});
    QCOMPARE(m_server->totalRequestCount(), 8);
}

void tst_Cli::twoMachinesShareThroughRedis()
{
    REQUIRE_REDIS();
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    // Two machines: a cache folder each, one Redis.
    const QString a = m_home->filePath(u"machine-a"_s);
    const QString b = m_home->filePath(u"machine-b"_s);
    const CliRun first = run({u"--redis"_s, redis.url(), u"Berlin"_s}, a);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QCOMPARE(m_server->totalRequestCount(), 4); // with air quality and nowcast (issue 23)
    const CliRun second = run({u"--redis"_s, redis.url(), u"--stats"_s, u"Berlin"_s}, b);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QCOMPARE(m_server->totalRequestCount(), 4); // machine B asked nobody
    QVERIFY2(second.out.contains(u"Source: cache"_s), qPrintable(second.out));
    // The search, the current conditions, the alert list (issue 22), air quality and the
    // nowcast (issue 23).
    QVERIFY2(second.out.contains(u"5 from the shared cache"_s), qPrintable(second.out));
    // The environment variable does the same, and a bad URL is a usage error that names no
    // password.
    QProcessEnvironment env;
    env.insert(u"WEATHERDASH_REDIS_URL"_s, redis.url());
    QCOMPARE(run({u"Berlin"_s}, m_home->filePath(u"machine-c"_s), env).exitCode, 0);
    QCOMPARE(m_server->totalRequestCount(), 4);
    const CliRun bad = run({u"--redis"_s, u"redis://me:hunter2@:notaport/0"_s, u"Berlin"_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(!bad.err.isEmpty());
    QVERIFY2(!bad.err.contains(u"hunter2"_s), qPrintable(bad.err));
}

void tst_Cli::redisDownIsSaidAndTheDiskCarriesOn()
{
    REQUIRE_REDIS();
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    const QString url = redis.url();
    redis.kill();
    const CliRun r = run({u"--redis"_s, url, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err)); // answered anyway
    QVERIFY2(r.out.contains(u"Berlin"_s), qPrintable(r.out));
    QVERIFY2(r.err.contains(u"shared cache"_s), qPrintable(r.err));
    QCOMPARE(r.err.count(u"shared cache"_s), 1); // said once
}

void tst_Cli::badSharedCacheAddressCostsSharingOnly_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("url");
    QTest::newRow("environment, bad port")
        << u"WEATHERDASH_REDIS_URL"_s << u"redis://me:hunter2@:notaport/0"_s;
    QTest::newRow("environment, unknown scheme") << u"WEATHERDASH_REDIS_URL"_s << u"http://x"_s;
    QTest::newRow("settings, bad database") << QString() << u"redis://127.0.0.1:6379/x"_s;
}

void tst_Cli::badSharedCacheAddressCostsSharingOnly()
{
    QFETCH(QString, variable);
    QFETCH(QString, url);
    QProcessEnvironment env;
    if (!variable.isEmpty()) {
        env.insert(variable, url);
    } else {
        QSettings settings(m_home->filePath(u"config/WeatherDash/WeatherDash.ini"_s),
                           QSettings::IniFormat);
        settings.setValue(u"sharedCache/url"_s, url);
    }
    const CliRun r = run({u"Berlin"_s}, {}, env);
    if (variable.isEmpty())
        QFile::remove(m_home->filePath(u"config/WeatherDash/WeatherDash.ini"_s));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err)); // the weather, and a normal exit
    QVERIFY2(r.out.contains(u"Berlin"_s), qPrintable(r.out));
    QCOMPARE(r.err.count(u"No shared cache this time: "_s), 1);
    QCOMPARE(r.err.count(u'\n'), 1); // one sentence, no usage text
    QVERIFY2(!r.err.contains(u"hunter2"_s), qPrintable(r.err));
}

void tst_Cli::silentRedisCostsARunAtMostThreeSeconds()
{
    // Completes the handshake, then answers nothing: every wait of the run is bounded, and
    // the connections of the tier and of the budget do not each wait their own timeout.
    SilentRedisServer redis;
    QVERIFY(redis.listen());
    QElapsedTimer elapsed;
    elapsed.start();
    const CliRun r = run({u"--redis"_s, redis.url(), u"Berlin"_s});
    const qint64 ms = elapsed.elapsed();
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(u"Berlin"_s), qPrintable(r.out));
    QCOMPARE(r.err.count(u"shared cache"_s), 1);
    QVERIFY2(r.err.contains(u"did not answer within"_s), qPrintable(r.err));
    QVERIFY(redis.unansweredCount() >= 1);
    QVERIFY2(ms < 3'000, qPrintable(u"the run took %1 ms"_s.arg(ms)));
}

void tst_Cli::sharedCacheOverTls()
{
    REQUIRE_REDIS();
    QTemporaryDir certs;
    RedisServer redis;
    RedisServer::TlsFiles tls;
    QVERIFY2(redis.makeTlsFiles(certs.path(), &tls), qPrintable(redis.errorString()));
    QVERIFY2(redis.startTls(tls, /*requireClientCert=*/true), qPrintable(redis.errorString()));
    QProcessEnvironment env;
    env.insert(u"WEATHERDASH_REDIS_TLS_CA"_s, tls.caCert);
    env.insert(u"WEATHERDASH_REDIS_TLS_CERT"_s, tls.clientCert);
    env.insert(u"WEATHERDASH_REDIS_TLS_KEY"_s, tls.clientKey);
    const CliRun first
        = run({u"--redis"_s, redis.tlsUrl(), u"Berlin"_s}, m_home->filePath(u"tls-a"_s), env);
    QVERIFY2(first.exitCode == 0 && first.err.isEmpty(), qPrintable(first.err));
    const int requests = m_server->totalRequestCount();
    const CliRun second = run({u"--redis"_s, redis.tlsUrl(), u"--stats"_s, u"Berlin"_s},
                              m_home->filePath(u"tls-b"_s), env);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QCOMPARE(m_server->totalRequestCount(), requests); // shared over TLS
    QVERIFY2(second.out.contains(u"from the shared cache"_s), qPrintable(second.out));

    // A certificate that cannot be verified: no sharing, said in one sentence, the weather
    // all the same.
    env.insert(u"WEATHERDASH_REDIS_TLS_CA"_s, tls.otherCaCert);
    const CliRun refused
        = run({u"--redis"_s, redis.tlsUrl(), u"Berlin"_s}, m_home->filePath(u"tls-c"_s), env);
    QVERIFY2(refused.exitCode == 0, qPrintable(refused.err));
    QVERIFY2(refused.out.contains(u"Berlin"_s), qPrintable(refused.out));
    QCOMPARE(refused.err.count(u"cannot be trusted"_s), 1);
    QCOMPARE(m_server->totalRequestCount(), requests + 4); // asked the provider itself
}

void tst_Cli::badUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no city") << QStringList{};
    QTest::newRow("unknown provider") << QStringList{u"--provider"_s, u"acme"_s, u"Berlin"_s};
    QTest::newRow("unknown units") << QStringList{u"--units"_s, u"kelvin"_s, u"Berlin"_s};
    QTest::newRow("ttl not a number") << QStringList{u"--ttl"_s, u"soon"_s, u"Berlin"_s};
    QTest::newRow("ttl zero") << QStringList{u"--ttl"_s, u"0"_s, u"Berlin"_s};
    QTest::newRow("ttl negative") << QStringList{u"--ttl"_s, u"-5"_s, u"Berlin"_s};
    QTest::newRow("ttl qint64 max, would overflow in ms")
        << QStringList{u"--ttl"_s, u"9223372036854775807"_s, u"Berlin"_s};
    QTest::newRow("ttl beyond 64 bits")
        << QStringList{u"--ttl"_s, u"99999999999999999999"_s, u"Berlin"_s};
    QTest::newRow("ttl over a century") << QStringList{u"--ttl"_s, u"3153600001"_s, u"Berlin"_s};
    QTest::newRow("unknown option") << QStringList{u"--bogus"_s, u"Berlin"_s};
    QTest::newRow("option without its value") << QStringList{u"Berlin"_s, u"--units"_s};
    QTest::newRow("unknown format") << QStringList{u"--format"_s, u"polybar"_s, u"Berlin"_s};
    QTest::newRow("unknown placeholder") << QStringList{u"--format"_s, u"%l %x"_s, u"Berlin"_s};
    QTest::newRow("waybar with two cities")
        << QStringList{u"--format"_s, u"waybar"_s, u"Berlin"_s, u"Paris"_s};
    QTest::newRow("format and json")
        << QStringList{u"--format"_s, u"i3blocks"_s, u"--json"_s, u"Berlin"_s};
    QTest::newRow("format and stats")
        << QStringList{u"--format"_s, u"%t"_s, u"--stats"_s, u"Berlin"_s};
    QTest::newRow("watch without a city") << QStringList{u"--watch"_s};
    QTest::newRow("watch with two cities") << QStringList{u"--watch"_s, u"Berlin"_s, u"Paris"_s};
    QTest::newRow("watch and json") << QStringList{u"--watch"_s, u"--json"_s, u"Berlin"_s};
    QTest::newRow("watch and force-refresh")
        << QStringList{u"--watch"_s, u"--force-refresh"_s, u"Berlin"_s};
}

void tst_Cli::badUsage()
{
    QFETCH(QStringList, args);
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    const QStringList lines = r.errLines();
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).startsWith(u"weatherdash-cli: "_s), qPrintable(r.err));
    QCOMPARE(lines.at(1), u"Try 'weatherdash-cli --help' for more information."_s);
    QCOMPARE(m_server->totalRequestCount(), 0);
}

void tst_Cli::helpAndVersion()
{
    const CliRun help = run({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const QString &option : {u"--json"_s, u"--provider"_s, u"--units"_s, u"--api-key"_s,
                                  u"--ttl"_s, u"--force-refresh"_s, u"--stats"_s, u"--cache-dir"_s})
        QVERIFY2(help.out.contains(option), qPrintable(option));
    const CliRun version = run({u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.contains(QStringLiteral(WEATHERDASH_VERSION)));
}

void tst_Cli::centuryTtlIsAccepted()
{
    const CliRun r = run({u"--ttl"_s, u"3153600000"_s, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // Stored with that TTL on disk, and read back as fresh: no overflow on the way.
    PersistentStore store;
    QVERIFY(store.open(cachePath()));
    bool found = false;
    for (const StoredEntry &e : store.readAll()) {
        if (e.key.contains(u"/cur/"_s)) {
            QCOMPARE(e.ttlMs, 3153600000LL * 1000);
            QVERIFY(e.expiresAt() > e.loadedAt);
            found = true;
        }
    }
    QVERIFY(found);
    QVERIFY(run({u"--ttl"_s, u"3153600000"_s, u"Berlin"_s}).out.contains(u"Source: cache"_s));
}

void tst_Cli::hostileProviderTextNeverReachesTheTerminal_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("open-meteo: name, region, country") << QStringList{u"Evilton"_s};
    QTest::newRow("openweathermap: name, state, description")
        << QStringList{u"--provider"_s, u"openweathermap"_s, u"--api-key"_s,
                       FakeWeatherServer::defaultApiKey(), u"Evilton"_s};
}

void tst_Cli::hostileProviderTextNeverReachesTheTerminal()
{
    QFETCH(QStringList, args);
    m_server->addCity(hostileCity());
    m_server->setOwmDescription(hostileCity().name, kHostileDescription);
    const CliRun r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(firstHostileChar(r.out).isEmpty(), qPrintable(firstHostileChar(r.out)));
    QVERIFY2(firstHostileChar(r.err).isEmpty(), qPrintable(firstHostileChar(r.err)));
    QVERIFY(!r.rawOut.contains('\x1b'));
    QVERIFY(!r.rawOut.contains('\r'));
    // The name is still there, on one line: its newline became a space.
    const QStringList lines = r.out.split(u'\n');
    QVERIFY2(lines.first().startsWith(u"Evil"_s), qPrintable(r.out));
    QVERIFY2(lines.first().contains(u"Line2"_s), qPrintable(r.out));
    if (args.contains(u"openweathermap"_s))
        QVERIFY2(r.out.contains(u"Clear"_s), qPrintable(r.out));

    // The same for a failure whose text comes from the server: a 400 with a hostile reason.
    m_server->setReply(Endpoint::OpenMeteoCurrent,
                       HttpReply::json(400, "{\"error\":true,\"reason\":\"bad\\u001b]0;x\\u0007"
                                            "\\r\\nFAKE PROMPT\\u202e$ \"}"));
    // (A cache of its own: from the first one the answer would be served stale, exit 0.)
    const CliRun failed = run({u"Evilton"_s}, m_home->filePath(u"other-cache"_s));
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(firstHostileChar(failed.err).isEmpty(), qPrintable(firstHostileChar(failed.err)));
    QCOMPARE(failed.errLines().size(), 1);
    QVERIFY2(failed.err.contains(u"FAKE PROMPT"_s), qPrintable(failed.err));
}

void tst_Cli::jsonKeepsHostileTextExactAndEscaped()
{
    const FakeWeatherServer::City city = hostileCity();
    m_server->addCity(city);
    m_server->setOwmDescription(city.name, kHostileDescription);
    const CliRun r = run({u"--json"_s, u"--provider"_s, u"openweathermap"_s, u"--api-key"_s,
                          FakeWeatherServer::defaultApiKey(), u"Evilton"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(firstHostileChar(r.out).isEmpty(), qPrintable(firstHostileChar(r.out)));
    QVERIFY(!r.rawOut.contains("\xc2\x9b")); // U+009B (CSI) as UTF-8
    QVERIFY(!r.rawOut.contains("\xe2\x80\xae")); // U+202E
    QCOMPARE(r.out.count(u'\n'), 1);
    // A JSON reader gets the provider's text exactly as sent: escaped, not changed.
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.rawOut, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject location = o.value(u"location"_s).toObject();
    QCOMPARE(location.value(u"name"_s).toString(), city.name);
    QCOMPARE(location.value(u"region"_s).toString(), city.region);
    QCOMPARE(o.value(u"current"_s).toObject().value(u"description"_s).toString(),
             kHostileDescription);
    const CliRun om = run({u"--json"_s, u"Evilton"_s});
    const QJsonObject omLocation
        = QJsonDocument::fromJson(om.rawOut).object().value(u"location"_s).toObject();
    QCOMPARE(omLocation.value(u"country"_s).toString(), city.country);
    QVERIFY2(firstHostileChar(om.out).isEmpty(), qPrintable(firstHostileChar(om.out)));
}

void tst_Cli::stderrIsQuietByDefault()
{
    const CliRun ok = run({u"Berlin"_s, u"Paris"_s});
    QCOMPARE(ok.exitCode, 0);
    QVERIFY2(ok.err.isEmpty(), qPrintable(ok.err)); // no debug or info lines, no URLs
    m_server->failWith(Endpoint::OpenMeteoCurrent, 503, 120);
    const CliRun failed = run({u"London"_s});
    QCOMPARE(failed.exitCode, 1);
    QCOMPARE(failed.errLines(),
             QStringList{u"London: Open-Meteo is having problems right now (server error 503); "
                         u"try again in 2 minutes."_s});
}

void tst_Cli::loggingRulesOptIn()
{
    QProcessEnvironment rules;
    rules.insert(u"QT_LOGGING_RULES"_s, u"weatherdash.*.debug=true"_s);
    const QString key = FakeWeatherServer::defaultApiKey();
    const CliRun r
        = run({u"--provider"_s, u"openweathermap"_s, u"--api-key"_s, key, u"Berlin"_s}, {}, rules);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(u"GET"_s), qPrintable(r.err));
    QVERIFY2(r.err.contains(u"appid=REDACTED"_s), qPrintable(r.err));
    QVERIFY(!r.err.contains(key));
}

void tst_Cli::storeProblemIsSaidOnce()
{
    QVERIFY(QDir().mkpath(cachePath()));
    QFile garbage(cachePath() + u"/cache.sqlite"_s);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(4096, '\x5a'));
    garbage.close();
    const CliRun r = run({u"Berlin"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.errLines().size() == 1, qPrintable(r.err));
    QVERIFY2(r.err.contains(u"set aside"_s), qPrintable(r.err));
}

void tst_Cli::failedCityIsReportedAsItHappens()
{
    // Hold the answer for Berlin's weather until the line about Atlantis has been read.
    QProcess p;
    p.setProcessEnvironment(environment());
    connect(m_server->http(), &LocalHttpServer::requestReceived, this,
            [this](const RecordedRequest &request) {
                if (request.path == FakeWeatherServer::path(Endpoint::OpenMeteoCurrent))
                    m_server->http()->pause();
            });
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(QStringLiteral(WEATHERDASH_CLI_PATH), {u"Atlantis"_s, u"Berlin"_s});
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains('\n'), 20000);
    QVERIFY2(QString::fromUtf8(err).startsWith(u"Atlantis: No place called “Atlantis”"_s),
             err.constData());
    // Berlin cannot have finished: its weather is held as soon as it is asked for (on a busy
    // machine the Atlantis line may even come before that request does).
    QTRY_VERIFY_WITH_TIMEOUT(m_server->http()->isPaused(), 20000);
    QCOMPARE(p.state(), QProcess::Running); // still waiting for Berlin
    QCOMPARE(finished.size(), 0);
    m_server->http()->resume();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 20000);
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains(u"Berlin"_s));
    err += p.readAllStandardError();
    QCOMPARE(err.count('\n'), 1); // one line per failed city, nothing else
}

void tst_Cli::longCityIsElidedInMessages()
{
    const QString city = QString(100'000, u'x');
    const CliRun r = run({city});
    QCOMPARE(r.exitCode, 1);
    const QStringList lines = r.errLines();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().size() < 200, qPrintable(lines.first().left(300)));
    QVERIFY2(lines.first().startsWith(QString(60, u'x') + u"…: "_s),
             qPrintable(lines.first().left(300)));
    QVERIFY2(lines.first().contains(u"too long"_s), qPrintable(lines.first().left(300)));
    QCOMPARE(m_server->totalRequestCount(), 0);

    // Not found, long but allowed: the sentence names it elided too.
    const QString longName = QString(110, u'y');
    const CliRun notFound = run({longName});
    QCOMPARE(notFound.exitCode, 1);
    QCOMPARE(notFound.errLines().size(), 1);
    QVERIFY2(notFound.err.size() < 300, qPrintable(notFound.err));
    QVERIFY2(notFound.err.contains(u"“"_s + QString(60, u'y') + u"…”"_s), qPrintable(notFound.err));
}

void tst_Cli::notFoundNamesTheCityAsTyped()
{
    QCOMPARE(run({u"Atlantis"_s}).exitCode, 1);
    // Same cache entry (case does not matter to the provider), answered from disk.
    const CliRun r = run({u"ATLANTIS"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(u"ATLANTIS: No place called “ATLANTIS” was found."_s),
             qPrintable(r.err));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    const CliRun json = run({u"--json"_s, u"AtLaNtIs"_s});
    const QJsonObject o = QJsonDocument::fromJson(json.rawOut).object();
    QCOMPARE(o.value(u"query"_s).toString(), u"AtLaNtIs"_s);
    QVERIFY2(json.err.contains(u"“AtLaNtIs”"_s), qPrintable(json.err));
}

void tst_Cli::dnsThatNeverAnswersDoesNotHoldTheProcess()
{
    // The CLI in a network namespace of its own whose DNS server swallows every query (glibc
    // then waits 30 s x 3 attempts). It must give up at its request timeout (15 s), say so,
    // and end, not wait for the resolver.
    constexpr qint64 kTimeoutMs = 15'000;
    // Generous: a loaded CI machine starts processes slowly, and the fault this guards
    // against ended after 60 to 90 s.
    constexpr qint64 kMarginMs = 20'000;
    QProcess p;
    QProcessEnvironment env = environment();
    env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, u"http://api.blackhole.test"_s);
    env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, u"http://api.blackhole.test"_s);
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    QElapsedTimer elapsed;
    elapsed.start();
    p.start(QStringLiteral(WEATHERDASH_BLACKHOLEDNS_PATH),
            {QStringLiteral(WEATHERDASH_CLI_PATH), u"Berlin"_s});
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 200'000);
    const qint64 tookMs = elapsed.elapsed();
    const CliRun r = collect(p);
    if (r.exitCode == 77 && r.err.startsWith(u"blackholedns: cannot"_s)) {
        const QByteArray reason
            = "cannot run the CLI with a DNS server that never answers: " + r.err.trimmed().toUtf8()
              + " (needs root or unprivileged user namespaces)";
        QSKIP(reason.constData());
    }
    QVERIFY2(r.exitCode == 1, qPrintable(r.err));
    QCOMPARE(r.errLines(),
             QStringList{u"Berlin: Open-Meteo did not answer in time. Try again in a moment."_s});
    QVERIFY2(tookMs >= kTimeoutMs - 1000, qPrintable(u"ended after %1 ms"_s.arg(tookMs)));
    QVERIFY2(tookMs < kTimeoutMs + kMarginMs,
             qPrintable(u"ended after %1 ms; its timeout is %2 ms"_s.arg(tookMs).arg(kTimeoutMs)));
    QCOMPARE(m_server->totalRequestCount(), 0);
}

/** The commands of docs/cli.md's Waybar, polybar and i3blocks configurations, read from it and run
 *  as they are written; what the page says they print is what they print. */
void tst_Cli::statusBarExamplesFromTheDocs()
{
    const QString doc = cliDoc();
    QVERIFY2(!doc.isEmpty(), "docs/cli.md could not be read");
    const QStringList waybarArgs = docCommand(doc, kWaybarExec);
    const QStringList polybarArgs = docCommand(doc, kPolybarExec);
    const QStringList i3blocksArgs = docCommand(doc, kI3blocksCommand);
    QVERIFY2(!waybarArgs.isEmpty(), "docs/cli.md: no single Waybar \"exec\" line");
    QVERIFY2(!polybarArgs.isEmpty(), "docs/cli.md: no single polybar \"exec =\" line");
    QVERIFY2(!i3blocksArgs.isEmpty(), "docs/cli.md: no single i3blocks \"command=\" line");

    // Today at noon (UTC): daytime in Berlin, and the hourly answer reaches past now.
    m_server->setServerTime(
        QDateTime(QDateTime::currentDateTimeUtc().date(), QTime(12, 0), Qt::UTC));
    QVERIFY2(waybarArgs.contains(u"--watch"_s) && i3blocksArgs.contains(u"--watch"_s),
             "docs/cli.md: the bars are pushed to (--watch), not polled");
    const CliRun waybar = runBar(waybarArgs);
    QCOMPARE(waybar.exitCode, 0);
    QVERIFY2(waybar.err.isEmpty(), qPrintable(waybar.err));
    QCOMPARE(waybar.out.count(u'\n'), 1);
    const QJsonObject o = QJsonDocument::fromJson(waybar.rawOut).object();
    QCOMPARE(o.value(u"text"_s).toString(), u"⛅ 22°C"_s); // 21.5 °C, partly cloudy
    QCOMPARE(o.value(u"class"_s).toString(), u"cloudy"_s);
    QCOMPARE(o.value(u"percentage"_s).toInt(), 55);
    QVERIFY2(o.value(u"tooltip"_s).toString().startsWith(u"Berlin, DE\n"_s),
             qPrintable(waybar.out));
    // The next hours under the conditions, from the hourly entry: "14:00 ⛅ 21°C 10% rain".
    static const QRegularExpression hourLine(u"\n\\d\\d:\\d\\d \\S+ -?\\d+°C"_s);
    QVERIFY2(o.value(u"tooltip"_s).toString().contains(hourLine), qPrintable(waybar.out));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 1);
    // The line the page shows.
    QVERIFY2(doc.contains(u"\"text\":\"⛅ 22°C\""_s) && doc.contains(u"\"class\":\"cloudy\""_s)
                 && doc.contains(u"\"percentage\":55"_s),
             "docs/cli.md shows another Waybar line");

    const CliRun polybar = runBar(polybarArgs);
    QCOMPARE(polybar.exitCode, 0);
    QCOMPARE(polybar.out, u"Berlin: 22°C ⛅\n"_s);
    QVERIFY2(doc.contains(u"prints `Berlin: 22°C ⛅`"_s), "docs/cli.md shows another polybar line");

    const CliRun i3blocks = runBar(i3blocksArgs);
    QCOMPARE(i3blocks.exitCode, 0);
    const QString i3blocksLine
        = u"{\"full_text\":\"Berlin: ⛅ 22°C\",\"markup\":\"pango\",\"short_text\":\"⛅ 22°C\"}"_s;
    QCOMPARE(i3blocks.out, i3blocksLine + u'\n');
    QVERIFY2(doc.contains(u'`' + i3blocksLine + u'`'), "docs/cli.md shows another i3blocks line");
    // Without --watch, i3blocks' plain three-line block.
    const CliRun i3plain = run({u"--format"_s, u"i3blocks"_s, u"Berlin"_s});
    QCOMPARE(i3plain.out, u"Berlin: ⛅ 22°C\n⛅ 22°C\n"_s);
    // Each from the cache after the first.
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 1);
}

void tst_Cli::statusBarStaleAndFailed()
{
    QCOMPARE(run({u"Berlin"_s}).exitCode, 0);
    {
        PersistentStore store;
        QVERIFY(store.open(cachePath()));
        const qint64 threeHours = 3 * 3600 * 1000;
        for (const StoredEntry &e : store.readAll())
            QVERIFY(store.write(e.key, e.value, e.loadedAt - threeHours, e.ttlMs));
    }
    m_server->http()->close();
    // The Waybar configuration of docs/cli.md, now with an answer three hours old.
    const QStringList waybarArgs = docCommand(cliDoc(), kWaybarExec);
    QCOMPARE(waybarArgs, (QStringList{u"--watch"_s, u"--format"_s, u"waybar"_s, u"Berlin"_s}));
    const CliRun stale = runBar(waybarArgs);
    QCOMPARE(stale.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(stale.rawOut).object();
    QCOMPARE(o.value(u"text"_s).toString(), u"⛅ 22°C (3 h old)"_s);
    QCOMPARE(o.value(u"class"_s).toArray(), (QJsonArray{u"cloudy"_s, u"stale"_s}));
    QVERIFY2(!stale.err.isEmpty(), qPrintable(stale.out)); // why, for waybar's log

    // Nothing at all for a city never asked: waybar gets its error line and exit 0 (a failing
    // command would hide the module); a template keeps the CLI's exit status 1.
    const CliRun none = run({u"--format"_s, u"waybar"_s, u"Paris"_s});
    QCOMPARE(none.exitCode, 0);
    const QJsonObject e = QJsonDocument::fromJson(none.rawOut).object();
    QCOMPARE(e.value(u"class"_s).toString(), u"error"_s);
    QCOMPARE(e.value(u"text"_s).toString(), u"⚠ offline"_s);
    const CliRun i3 = run({u"--format"_s, u"i3blocks"_s, u"Paris"_s});
    QCOMPARE(i3.exitCode, 0);
    QCOMPARE(i3.out, u"Paris: ⚠ offline\n⚠ offline\n#E01B24\n"_s);
    const CliRun templ = run({u"--format"_s, u"%l %t"_s, u"Paris"_s});
    QCOMPARE(templ.exitCode, 1);
    QCOMPARE(templ.out, u"Paris: ⚠ offline\n"_s);
}

void tst_Cli::alertsInJsonAndText()
{
    addBerlinAlerts();
    const CliRun r = run({u"--json"_s, u"Berlin"_s, u"Paris"_s});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QJsonObject berlin = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
    const QJsonArray alerts = berlin.value(u"alerts"_s).toArray();
    QCOMPARE(alerts.size(), 1);
    const QJsonObject a = alerts.at(0).toObject();
    QCOMPARE(a.value(u"id"_s).toString(), u"gale-berlin-1"_s);
    QCOMPARE(a.value(u"event"_s).toString(), u"Gale warning"_s);
    QCOMPARE(a.value(u"severity"_s).toString(), u"severe"_s);
    QCOMPARE(a.value(u"urgency"_s).toString(), u"Expected"_s);
    QCOMPARE(a.value(u"certainty"_s).toString(), u"Likely"_s);
    QCOMPARE(a.value(u"sender"_s).toString(), u"Test Weather Service"_s);
    QCOMPARE(a.value(u"headline"_s).toString(), u"Gale warning for the city"_s);
    QCOMPARE(a.value(u"description"_s).toString(), u"Gusts of 80 km/h."_s);
    QCOMPARE(a.value(u"instruction"_s).toString(), u"Secure loose objects."_s);
    QCOMPARE(a.value(u"web"_s).toString(), u"https://example.org/warnings"_s);
    static const QRegularExpression iso(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+01:00$"_s);
    QVERIFY2(iso.match(a.value(u"onset"_s).toString()).hasMatch(),
             qPrintable(a.value(u"onset"_s).toString()));
    QVERIFY2(iso.match(a.value(u"expires"_s).toString()).hasMatch(),
             qPrintable(a.value(u"expires"_s).toString()));
    // Paris has none: an empty list, not null.
    const QJsonObject paris = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
    QVERIFY(paris.value(u"alerts"_s).isArray());
    QVERIFY(paris.value(u"alerts"_s).toArray().isEmpty());

    // The text lists it under the place, in words, with its end in the place's time.
    const CliRun text = run({u"Berlin"_s});
    QCOMPARE(text.exitCode, 0);
    const QString expires = QDateTime::fromString(a.value(u"expires"_s).toString(), Qt::ISODate)
                                .toTimeZone(QTimeZone("Europe/Berlin"))
                                .toString(u"HH:mm"_s);
    QVERIFY2(text.out.contains(u"  ⚠ Severe: Gale warning · until "_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(expires + u" · Test Weather Service\n"_s), qPrintable(text.out));
    QVERIFY(!text.out.contains(u"Earthquake"_s));
    // The second run asked the server nothing: the list and the messages came from the disk.
    QCOMPARE(m_server->alerts().requestCount(FakeAlertServer::Endpoint::Area), 2); // Berlin, Paris
    QCOMPARE(m_server->alerts().requestCount(FakeAlertServer::Endpoint::Message), 2); // g1, q1
}

void tst_Cli::alertsUnknownAreNullNeverEmpty_data()
{
    QTest::addColumn<HttpReply>("reply");
    QTest::newRow("500 page") << HttpReply::withBody(500, "text/html", "<h1>Server Error</h1>");
    QTest::newRow("garbage") << HttpReply::withBody(200, "text/html", "<html>");
    QTest::newRow("cut") << HttpReply::cutMidBody(R"(["g1","q1"])");
    QTest::newRow("silence") << HttpReply::silence();
}

void tst_Cli::alertsUnknownAreNullNeverEmpty()
{
    QFETCH(HttpReply, reply);
    addBerlinAlerts();
    m_server->alerts().setReply(FakeAlertServer::Endpoint::Area, reply);
    QElapsedTimer elapsed;
    elapsed.start();
    const CliRun r = run({u"--json"_s, u"Berlin"_s});
    // The weather is answered all the same, the alerts waited for two seconds at most.
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(elapsed.elapsed() < 10'000, qPrintable(QString::number(elapsed.elapsed())));
    const QJsonObject o = QJsonDocument::fromJson(r.rawOut).object();
    QCOMPARE(o.value(u"current"_s).toObject().value(u"temperature"_s).toDouble(), 21.5);
    QVERIFY(o.contains(u"alerts"_s));
    QVERIFY(o.value(u"alerts"_s).isNull());
    const CliRun text = run({u"Berlin"_s});
    QVERIFY2(text.out.contains(u"  Weather alerts: not available ("_s), qPrintable(text.out));
}

void tst_Cli::alertsInTheStatusBar()
{
    const CliRun calm = run({u"--format"_s, u"waybar"_s, u"Berlin"_s});
    QCOMPARE(QJsonDocument::fromJson(calm.rawOut).object().value(u"class"_s).toString(),
             u"cloudy"_s);
    QCOMPARE(run({u"--format"_s, u"%l:%A."_s, u"Berlin"_s}).out, u"Berlin:.\n"_s);

    addBerlinAlerts();
    FakeAlertServer::Spec storm;
    storm.identifier = u"storm-1"_s;
    storm.severity = u"Extreme"_s;
    storm.event = u"Storm <b>&"_s;
    storm.onset = QDateTime::currentDateTimeUtc();
    storm.expires = storm.onset.addSecs(3600);
    m_server->alerts().add(u"s1"_s, FakeAlertServer::message(storm));
    const QString cache
        = m_home->filePath(u"cache2"_s); // the calm list is still fresh in the other
    const CliRun w = run({u"--format"_s, u"waybar"_s, u"Berlin"_s}, cache);
    const QJsonObject o = QJsonDocument::fromJson(w.rawOut).object();
    QCOMPARE(o.value(u"class"_s).toArray(), (QJsonArray{u"cloudy"_s, u"alert"_s}));
    // The tooltip names the most severe first, escaped for Pango.
    QVERIFY2(
        o.value(u"tooltip"_s).toString().contains(u"⚠ Extreme: Storm &lt;b&gt;&amp; · until "_s),
        qPrintable(o.value(u"tooltip"_s).toString()));
    QCOMPARE(run({u"--format"_s, u"%l:%A."_s, u"Berlin"_s}, cache).out,
             u"Berlin:Storm <b>& +1.\n"_s);
    m_server->alerts().failWith(FakeAlertServer::Endpoint::Area, 503);
    QCOMPARE(run({u"--format"_s, u"%l:%A."_s, u"Berlin"_s}, m_home->filePath(u"cache3"_s)).out,
             u"Berlin:?.\n"_s);
}

void tst_Cli::watchPrintsAgainWhenAnotherRunRenews()
{
    QProcess watch;
    watch.setProcessEnvironment(environment());
    watch.start(QStringLiteral(WEATHERDASH_CLI_PATH), {u"--watch"_s, u"Berlin"_s});
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += watch.readAllStandardOutput()).count('\n') == 1, 30000);
    QCOMPARE(QString::fromUtf8(out), u"Berlin: 22°C Partly cloudy\n"_s);
    const int asked = m_server->totalRequestCount();

    // Another process renews Berlin: the watch prints again within a few seconds, from the
    // disk, without a request of its own.
    QCOMPARE(run({u"--force-refresh"_s, u"Berlin"_s}).exitCode, 0);
    const int afterRenewal = m_server->totalRequestCount();
    QVERIFY(afterRenewal > asked);
    QElapsedTimer renewed;
    renewed.start();
    QTRY_VERIFY_WITH_TIMEOUT((out += watch.readAllStandardOutput()).count('\n') == 2, 5000);
    qDebug() << "renewal printed after" << renewed.elapsed() << "ms";
    QCOMPARE(QString::fromUtf8(out).section(u'\n', 1, 1), u"Berlin: 22°C Partly cloudy"_s);
    // A run that only reads the cache writes nothing: no line.
    QCOMPARE(run({u"Berlin"_s}).exitCode, 0);
    QTest::qWait(1000);
    QCOMPARE((out += watch.readAllStandardOutput()).count('\n'), 2);
    QCOMPARE(m_server->totalRequestCount(), afterRenewal);
    QCOMPARE(watch.state(), QProcess::Running);
    QVERIFY(watch.readAllStandardError().isEmpty());
    watch.kill();
    watch.waitForFinished();
}

void tst_Cli::secretsOnTheCommandLineAreBlanked_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("shown"); // what /proc/PID/cmdline must say, after the program
    QTest::addColumn<QString>("apiKey"); // the key the provider must still receive
    const QString key = u"0123456789abcdef0123456789abcdef"_s;
    const QString xKey(key.size(), u'x');
    QTest::newRow("--api-key KEY")
        << QStringList{u"--provider"_s, u"openweathermap"_s, u"--api-key"_s, key, u"Berlin"_s}
        << QStringList{u"--provider"_s, u"openweathermap"_s, u"--api-key"_s, xKey, u"Berlin"_s}
        << key;
    QTest::newRow("--api-key=KEY")
        << QStringList{u"--provider=openweathermap"_s, u"--api-key="_s + key, u"Berlin"_s}
        << QStringList{u"--provider=openweathermap"_s, u"--api-key="_s + xKey, u"Berlin"_s} << key;
    QTest::newRow("--redis with user and password")
        << QStringList{u"--redis"_s, u"redis://alice:Pa55w@rd@127.0.0.1:1/0"_s, u"Berlin"_s}
        << QStringList{u"--redis"_s, u"redis://alice:xxxxxxxx@127.0.0.1:1/0"_s, u"Berlin"_s}
        << QString();
    QTest::newRow("--redis=unix with a password alone")
        << QStringList{u"--redis=unix://Pa55word@/nonexistent/redis.sock"_s, u"Berlin"_s}
        << QStringList{u"--redis=unix://xxxxxxxx@/nonexistent/redis.sock"_s, u"Berlin"_s}
        << QString();
    QTest::newRow("both, and a city named like an option's value")
        << QStringList{u"--redis=redis://:Pa55word@127.0.0.1:1"_s,
                       u"--provider"_s,
                       u"openweathermap"_s,
                       u"--api-key"_s,
                       key,
                       u"--"_s,
                       u"--api-key"_s}
        << QStringList{u"--redis=redis://:xxxxxxxx@127.0.0.1:1"_s,
                       u"--provider"_s,
                       u"openweathermap"_s,
                       u"--api-key"_s,
                       xKey,
                       u"--"_s,
                       u"--api-key"_s}
        << key;
}

/**
 * A run that holds a secret, caught while it waits on a server that never answers: what every
 * other user reads in /proc/PID/cmdline (and ps) is "xxxx"; the program still uses the secret,
 * and says once that a command line is no place for one.
 */
void tst_Cli::secretsOnTheCommandLineAreBlanked()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, shown);
    QFETCH(QString, apiKey);
    HttpReply silent;
    silent.behaviour = HttpReply::Behaviour::Silent;
    for (const Endpoint e : {Endpoint::OpenMeteoGeocoding, Endpoint::OpenMeteoCurrent,
                             Endpoint::OwmGeocoding, Endpoint::OwmCurrent})
        m_server->setReply(e, silent);
    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
    QVERIFY(p.waitForStarted());
    // Waiting on the provider: the process is well into its run.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->totalRequestCount() > 0, 20000);
    QFile cmdline(u"/proc/%1/cmdline"_s.arg(p.processId()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QByteArray seen = cmdline.readAll();
    QCOMPARE(p.state(), QProcess::Running);
    QByteArray expected = QFile::encodeName(QStringLiteral(WEATHERDASH_CLI_PATH)) + '\0';
    for (const QString &arg : shown)
        expected += arg.toUtf8() + '\0';
    QCOMPARE(seen, expected);
    for (const QByteArray secret : {"Pa55", "0123456789abcdef"})
        QVERIFY2(!seen.contains(secret), seen.constData());
    if (!apiKey.isEmpty()) {
        const RecordedRequest asked = m_server->lastRequest(Endpoint::OwmGeocoding);
        QCOMPARE(asked.queryValue(u"appid"_s), apiKey);
    }
    p.kill();
    QVERIFY(p.waitForFinished());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(err.count(u"other users of this computer can read a command line"_s), 1);
}

void tst_Cli::secretsFromFiles()
{
    const QString keyFile = m_home->filePath(u"owm.key"_s);
    QFile f(keyFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(FakeWeatherServer::defaultApiKey().toUtf8() + "\n");
    f.close();
    const CliRun r
        = run({u"--provider"_s, u"openweathermap"_s, u"--api-key-file"_s, keyFile, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err)); // nothing to warn about
    QCOMPARE(m_server->lastRequest(Endpoint::OwmCurrent).queryValue(u"appid"_s),
             FakeWeatherServer::defaultApiKey());

    const CliRun missing = run({u"--provider"_s, u"openweathermap"_s, u"--api-key-file"_s,
                                m_home->filePath(u"none.key"_s), u"Paris"_s});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.startsWith(u"weatherdash-cli: --api-key-file: cannot read "_s),
             qPrintable(missing.err));
    QFile empty(m_home->filePath(u"empty.key"_s));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    const CliRun blank = run(
        {u"--provider"_s, u"openweathermap"_s, u"--api-key-file"_s, empty.fileName(), u"Paris"_s});
    QCOMPARE(blank.exitCode, 2);
    QVERIFY2(blank.err.contains(u"is empty"_s), qPrintable(blank.err));
    // No Redis address for the password: said, not ignored.
    const CliRun noRedis = run({u"--redis-password-file"_s, keyFile, u"Paris"_s});
    QCOMPARE(noRedis.exitCode, 2);
    QVERIFY2(noRedis.err.contains(u"needs a Redis address"_s), qPrintable(noRedis.err));
}

void tst_Cli::redisPasswordFromFile()
{
    REQUIRE_REDIS();
    RedisServer redis;
    QVERIFY2(redis.start({u"--requirepass"_s, u"Pa55word"_s}), qPrintable(redis.errorString()));
    const QString passwordFile = m_home->filePath(u"redis.pass"_s);
    QFile f(passwordFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Pa55word\n");
    f.close();
    // Two machines share through the server the password opens.
    const CliRun first
        = run({u"--redis"_s, redis.url(), u"--redis-password-file"_s, passwordFile, u"Berlin"_s},
              m_home->filePath(u"machine-a"_s));
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.err.isEmpty(), qPrintable(first.err));
    QProcessEnvironment env;
    env.insert(u"WEATHERDASH_REDIS_URL"_s, redis.url());
    const CliRun second = run({u"--redis-password-file"_s, passwordFile, u"--stats"_s, u"Berlin"_s},
                              m_home->filePath(u"machine-b"_s), env);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    // The search, the current conditions, the alert list (issue 22), air quality and the
    // nowcast (issue 23).
    QVERIFY2(second.out.contains(u"5 from the shared cache"_s), qPrintable(second.out));
    QCOMPARE(m_server->totalRequestCount(), 4); // the alert server is not this one
    // Without it, the server refuses: said once, and the disk carries on.
    const CliRun without
        = run({u"--redis"_s, redis.url(), u"Berlin"_s}, m_home->filePath(u"machine-c"_s));
    QCOMPARE(without.exitCode, 0);
    QVERIFY2(without.err.contains(u"shared cache"_s), qPrintable(without.err));
    QVERIFY2(!without.err.contains(u"Pa55word"_s), qPrintable(without.err));
}

// --- "Here" (issue 24): positions from NMEA logs the test writes, names from the fake /reverse ---

namespace {

QProcessEnvironment nmeaEnvironment(const QTemporaryDir &dir, const QString &name,
                                    const QByteArray &log)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(log) != log.size())
        qFatal("cannot write the NMEA log");
    QProcessEnvironment env;
    env.insert(u"WEATHERDASH_NMEA_FILE"_s, path);
    return env;
}

} // namespace

void tst_Cli::hereNamesThePlaceOncePerCell()
{
    const auto berlin = nmeaEnvironment(*m_home, u"berlin.nmea"_s, NmeaLog::rmc({{52.52, 13.412}}));
    const CliRun first = run({u"--here"_s}, {}, berlin);
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.out.startsWith(u"Berlin, DE\n"_s), qPrintable(first.out));
    QVERIFY(first.out.contains(u"© OpenStreetMap contributors"_s));
    QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    // Nothing was searched: Here is no city name.
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 0);

    // A second run at the same spot (300 m away, the same cell): the name is on disk.
    const auto nearby
        = nmeaEnvironment(*m_home, u"nearby.nmea"_s, NmeaLog::rmc({{52.5225, 13.4135}}));
    const CliRun second = run({u"--here"_s}, {}, nearby);
    QCOMPARE(second.exitCode, 0);
    QVERIFY(second.out.startsWith(u"Berlin, DE\n"_s));
    QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 1);

    // A few kilometres away: one request for the new cell.
    const auto north = nmeaEnvironment(*m_home, u"north.nmea"_s, NmeaLog::rmc({{52.556, 13.412}}));
    const CliRun third = run({u"--here"_s}, {}, north);
    QCOMPARE(third.exitCode, 0);
    QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 2);
    const RecordedRequest request = m_server->lastRequest(Endpoint::NominatimReverse);
    QCOMPARE(request.queryValue(u"lat"_s), u"52.556000"_s);
    QVERIFY(request.header("user-agent").startsWith("WeatherDash/"));
}

void tst_Cli::hereInEveryOutputFormat()
{
    const auto paris = nmeaEnvironment(*m_home, u"paris.nmea"_s, NmeaLog::rmc({{48.8566, 2.3522}}));
    const CliRun json = run({u"--here"_s, u"--json"_s}, {}, paris);
    QCOMPARE(json.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.rawOut).object();
    QCOMPARE(o.value(u"query"_s).toString(), u"--here"_s);
    QCOMPARE(o.value(u"location"_s).toObject().value(u"name"_s).toString(), u"Paris"_s);
    QCOMPARE(o.value(u"location_attribution"_s).toString(), u"© OpenStreetMap contributors"_s);
    QVERIFY(o.value(u"current"_s).isObject());
    QVERIFY(o.value(u"error"_s).isNull());

    const CliRun line = run({u"--here"_s, u"--format"_s, u"%l: %t"_s}, {}, paris);
    QCOMPARE(line.exitCode, 0);
    QVERIFY2(line.out.startsWith(u"Paris"_s), qPrintable(line.out));
    QCOMPARE(line.out.count(u'\n'), 1);

    // Here first, then the cities named.
    const CliRun both = run({u"--here"_s, u"London, GB"_s}, {}, paris);
    QCOMPARE(both.exitCode, 0);
    QVERIFY2(both.out.startsWith(u"Paris, Île-de-France, FR\n"_s), qPrintable(both.out));
    QVERIFY(both.out.contains(u"London"_s));
    // One name for the three runs.
    QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 1);
}

void tst_Cli::hereWithoutAPositionFailsInBoundedTime_data()
{
    QTest::addColumn<QByteArray>("log"); // empty: no file at all
    QTest::addColumn<QString>("sentence");
    const QByteArray noFix = NmeaLog::sentence("GPRMC,120000.00,V,,,,,,,071226,,,N");
    QTest::newRow("receiver without a fix") << noFix + noFix << u"No position came in time"_s;
    QTest::newRow("no log") << QByteArray() << u"cannot be read"_s;
}

void tst_Cli::hereWithoutAPositionFailsInBoundedTime()
{
    QFETCH(QByteArray, log);
    QFETCH(QString, sentence);
    QProcessEnvironment env = nmeaEnvironment(*m_home, u"void.nmea"_s, log);
    if (log.isEmpty())
        env.insert(u"WEATHERDASH_NMEA_FILE"_s, m_home->filePath(u"missing.nmea"_s));
    QElapsedTimer timer;
    timer.start();
    const CliRun text = run({u"--here"_s, u"--here-timeout"_s, u"1"_s}, {}, env);
    QCOMPARE(text.exitCode, 1);
    QVERIFY2(text.err.contains(sentence), qPrintable(text.err));
    QVERIFY(text.out.isEmpty());
    QVERIFY2(timer.elapsed() < 10'000, QByteArray::number(timer.elapsed()));
    QCOMPARE(m_server->totalRequestCount(), 0);

    const CliRun json = run({u"--here"_s, u"--here-timeout"_s, u"1"_s, u"--json"_s}, {}, env);
    QCOMPARE(json.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(json.rawOut).object();
    QVERIFY(o.value(u"error"_s).toObject().value(u"message"_s).toString().contains(sentence));

    const CliRun badTimeout = run({u"--here"_s, u"--here-timeout"_s, u"0"_s}, {}, env);
    QCOMPARE(badTimeout.exitCode, 2);
}

// ---- issue 23 (air) ----------------------------------------------------------------------------
// The environment sets no WEATHERDASH_OPENMETEO_AIRQUALITY_URL: air quality follows the moved
// forecast base to the fake server (a request to the real service would fail these tests).

namespace {

/**
 * A minutely_15 body for Berlin (UTC+2) in the real shape, from the quarter hour under way at
 * `now`: dry until the step that starts 30 minutes after that quarter hour, then wet.
 */
QByteArray nowcastBody(const QDateTime &now)
{
    const QDateTime local = now.toUTC().addSecs(7200);
    const QDateTime quarter(local.date(),
                            QTime(local.time().hour(), local.time().minute() / 15 * 15), Qt::UTC);
    QJsonArray times;
    QJsonArray amounts;
    for (int i = 0; i < 24; ++i) {
        // Stamped with its end, like Open-Meteo: the first step is the one under way.
        times.append(quarter.addSecs((i + 1) * 15 * 60).toString(u"yyyy-MM-ddTHH:mm"_s));
        amounts.append(i >= 2 ? 0.6 : 0.0);
    }
    const QJsonObject root{
        {u"latitude"_s, 52.52},
        {u"longitude"_s, 13.42},
        {u"utc_offset_seconds"_s, 7200},
        {u"timezone"_s, u"Europe/Berlin"_s},
        {u"minutely_15_units"_s,
         QJsonObject{{u"time"_s, u"iso8601"_s}, {u"precipitation"_s, u"mm"_s}}},
        {u"minutely_15"_s, QJsonObject{{u"time"_s, times}, {u"precipitation"_s, amounts}}}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace

void tst_Cli::jsonCarriesAirQualityNowcastAndMoon()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_server->setServerTime(QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC));
    // Berlin in May (the golden body): pollen in season.
    m_server->setReply(Endpoint::OpenMeteoAirQuality,
                       HttpReply::json(200, loadTestData(u"aq_current_berlin.json"_s)));
    const CliRun r = run({u"--json"_s, u"Berlin"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.rawOut).object();

    const QJsonObject air = o.value(u"air_quality"_s).toObject();
    QCOMPARE(air.value(u"time"_s).toString(), u"2026-05-12T14:00:00+02:00"_s);
    QCOMPARE(air.value(u"european_aqi"_s).toDouble(), 37.0);
    QCOMPARE(air.value(u"us_aqi"_s).toDouble(), 52.0);
    for (const QString &field : {u"pm2_5"_s, u"pm10"_s, u"ozone"_s, u"nitrogen_dioxide"_s,
                                 u"sulphur_dioxide"_s, u"carbon_monoxide"_s})
        QVERIFY2(air.value(field).isDouble(), qPrintable(field));
    const QJsonObject pollen = air.value(u"pollen"_s).toObject();
    QCOMPARE(pollen.value(u"grass"_s).toDouble(), 9.5);
    QCOMPARE(pollen.value(u"alder"_s).toDouble(), 0.0);
    QCOMPARE(pollen.keys().size(), 6);
    QVERIFY(!o.contains(u"air_quality_error"_s));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);

    // The server's own nowcast: from the quarter hour under way, 15 minutes apart, two hours.
    const QJsonArray nowcast = o.value(u"nowcast"_s).toArray();
    QVERIFY2(nowcast.size() >= 8, qPrintable(QString::number(nowcast.size())));
    QDateTime previous;
    for (const QJsonValue &v : nowcast) {
        const QJsonObject step = v.toObject();
        const QDateTime t = QDateTime::fromString(step.value(u"time"_s).toString(), Qt::ISODate);
        QVERIFY(t.isValid());
        QVERIFY(step.value(u"time"_s).toString().endsWith(u"+02:00"_s));
        QVERIFY(step.value(u"precipitation"_s).isDouble());
        if (previous.isValid())
            QCOMPARE(previous.secsTo(t), 15 * 60);
        previous = t;
    }
    const QDateTime first = QDateTime::fromString(
        nowcast.first().toObject().value(u"time"_s).toString(), Qt::ISODate);
    QVERIFY(first <= now && first.addSecs(15 * 60) > now.addSecs(-60));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);

    // The moon on every day, in Berlin's days.
    const QJsonArray daily = o.value(u"daily"_s).toArray();
    QVERIFY(!daily.isEmpty());
    for (const QJsonValue &v : daily) {
        const QJsonObject day = v.toObject();
        const double phase = day.value(u"moon_phase"_s).toDouble(-1);
        QVERIFY(phase >= 0.0 && phase < 1.0);
        const Moon::Phase expected
            = Moon::forDay(QDate::fromString(day.value(u"date"_s).toString(), Qt::ISODate), 7200);
        QCOMPARE(day.value(u"moon_phase_name"_s).toString(), Moon::token(expected.name));
        QVERIFY(qAbs(phase - expected.phase) < 0.001);
    }
}

void tst_Cli::textAndStatusBarsSayTheIndexAndTheRain()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_server->setServerTime(QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC));
    m_server->setReply(Endpoint::OpenMeteoAirQuality,
                       HttpReply::json(200, loadTestData(u"aq_current_berlin.json"_s)));
    const QByteArray body = nowcastBody(now);
    m_server->setReply(Endpoint::OpenMeteoNowcast, HttpReply::json(200, body));
    const int expectedMinutes = RainOutlook::from(*NowcastParser::parse(body).value, now).minutes;
    QVERIFY(expectedMinutes >= 15 && expectedMinutes <= 30);

    const CliRun text = run({u"Berlin"_s});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains(u"  Air quality 37 · fair, mostly ozone\n"_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(u"  Pollen: grass: moderate, birch: low\n"_s), qPrintable(text.out));
    static const QRegularExpression rainLine(u"\n  Rain in (\\d+) min\n"_s);
    const QRegularExpressionMatch rain = rainLine.match(text.out);
    QVERIFY2(rain.hasMatch(), qPrintable(text.out));
    // The run takes a moment: the rounding to 5 minutes may step once.
    QVERIFY(qAbs(rain.captured(1).toInt() - expectedMinutes) <= 5);

    // Waybar: the tooltip has the index and the rain (cached now: no second request).
    const CliRun waybar = run({u"--format"_s, u"waybar"_s, u"Berlin"_s});
    QCOMPARE(waybar.exitCode, 0);
    const QString tooltip
        = QJsonDocument::fromJson(waybar.rawOut).object().value(u"tooltip"_s).toString();
    QVERIFY2(tooltip.contains(u"\nAir quality 37 · fair\n"_s), qPrintable(tooltip));
    QVERIFY2(tooltip.contains(u"\nRain in "_s), qPrintable(tooltip));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);

    // Template letters: %m as wttr.in, %a and %r ours.
    const CliRun line = run({u"--format"_s, u"%l %m %a / %r"_s, u"Berlin"_s});
    QCOMPARE(line.exitCode, 0);
    const QString moon = Moon::symbol(Moon::at(now).name);
    QVERIFY2(line.out.startsWith(u"Berlin "_s + moon + u" 37 fair / Rain in "_s),
             qPrintable(line.out));
}

/**
 * An air-quality server that never answers: the weather is printed after Run::kAirGraceMs, not
 * after the provider's 15-second timeout, the air said to be missing, the nowcast that did
 * answer shown.
 */
void tst_Cli::silentAirServerCostsARunAtMostTheGrace()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_server->setServerTime(QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC));
    HttpReply silent;
    silent.behaviour = HttpReply::Behaviour::Silent;
    m_server->setReply(Endpoint::OpenMeteoAirQuality, silent);
    QElapsedTimer elapsed;
    elapsed.start();
    const CliRun json = run({u"--json"_s, u"Berlin"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    // Well under the provider's 15 s, which the run waited for before.
    QVERIFY2(elapsed.elapsed() < 10'000, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    const QJsonObject o = QJsonDocument::fromJson(json.rawOut).object();
    QCOMPARE(o.value(u"current"_s).toObject().value(u"temperature"_s).toDouble(), 21.5);
    QVERIFY(o.value(u"daily"_s).isArray());
    QVERIFY(o.value(u"air_quality"_s).isNull());
    QCOMPARE(o.value(u"air_quality_error"_s).toObject().value(u"kind"_s).toString(),
             WeatherError::kindName(WeatherError::Timeout));
    QVERIFY2(o.value(u"nowcast"_s).isArray() && !o.value(u"nowcast"_s).toArray().isEmpty(),
             json.rawOut.constData());
    QVERIFY(!o.contains(u"nowcast_error"_s));

    elapsed.restart();
    const CliRun text = run({u"Berlin"_s});
    QVERIFY2(elapsed.elapsed() < 10'000, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY2(
        text.out.contains(u"  Air quality: not available (Open-Meteo did not answer in time."_s),
        qPrintable(text.out));
    QVERIFY2(text.out.contains(u"°C"_s), qPrintable(text.out));
}

/**
 * The US index chosen in Preferences (the app's settings): the text and the waybar tooltip say
 * it and name it; %a stays the European index it is documented as; --json has both.
 */
void tst_Cli::usScaleFromPreferencesInTextAndTooltip()
{
    m_server->setReply(Endpoint::OpenMeteoAirQuality,
                       HttpReply::json(200, loadTestData(u"aq_current_berlin.json"_s)));
    {
        QSettings settings(m_home->filePath(u"config/WeatherDash/WeatherDash.ini"_s),
                           QSettings::IniFormat);
        settings.setValue(u"display/airQualityScale"_s, u"us"_s);
    }
    const CliRun text = run({u"Berlin"_s});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains(u"\n  Air quality 52 · moderate, mostly "_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(u" (US AQI)\n"_s), qPrintable(text.out));
    QVERIFY2(!text.out.contains(u"37 · fair"_s), qPrintable(text.out));

    const CliRun waybar = run({u"--format"_s, u"waybar"_s, u"Berlin"_s});
    const QString tooltip
        = QJsonDocument::fromJson(waybar.rawOut).object().value(u"tooltip"_s).toString();
    QVERIFY2(tooltip.contains(u"\nAir quality 52 · moderate (US AQI)"_s), qPrintable(tooltip));
    QCOMPARE(run({u"--format"_s, u"%a"_s, u"Berlin"_s}).out, u"37 fair\n"_s);
    const QJsonObject o = QJsonDocument::fromJson(run({u"--json"_s, u"Berlin"_s}).rawOut).object();
    const QJsonObject air = o.value(u"air_quality"_s).toObject();
    QCOMPARE(air.value(u"european_aqi"_s).toDouble(), 37.0);
    QCOMPARE(air.value(u"us_aqi"_s).toDouble(), 52.0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1); // the rest from cache
}

void tst_Cli::failingAirFeedsNeverCostTheWeather()
{
    m_server->failWith(Endpoint::OpenMeteoAirQuality, 503);
    m_server->failWith(Endpoint::OpenMeteoNowcast, 429, 60);
    const CliRun json = run({u"--json"_s, u"Berlin"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject o = QJsonDocument::fromJson(json.rawOut).object();
    QVERIFY(o.value(u"current"_s).isObject());
    QVERIFY(o.value(u"error"_s).isNull()); // the weather's own error: none
    QVERIFY(o.value(u"air_quality"_s).isNull());
    QVERIFY(o.value(u"nowcast"_s).isNull());
    QCOMPARE(o.value(u"air_quality_error"_s).toObject().value(u"kind"_s).toString(),
             WeatherError::kindName(WeatherError::ServerError));
    QCOMPARE(o.value(u"nowcast_error"_s).toObject().value(u"kind"_s).toString(),
             WeatherError::kindName(WeatherError::RateLimited));

    // Under the other provider too: air quality is Open-Meteo's whoever gives the weather.
    QProcessEnvironment key;
    key.insert(u"OPENWEATHERMAP_API_KEY"_s, m_server->validApiKey());
    const CliRun text = run({u"--provider"_s, u"openweathermap"_s, u"Berlin"_s}, {}, key);
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains(u"°C"_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(u"  Air quality: not available ("_s), qPrintable(text.out));
    QVERIFY2(text.out.contains(u"  Rain in the next two hours: not available ("_s),
             qPrintable(text.out));
}

void tst_Cli::statusLinesAskOnlyForTheFeedsTheyShow()
{
    // A bar refreshed every minute with '%t %c' costs no air-quality or nowcast request
    // ("%%a" is a percent sign and an a, no placeholder).
    const CliRun plain = run({u"--format"_s, u"%t %c 100%%a"_s, u"Berlin"_s});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    QVERIFY2(plain.out.endsWith(u" 100%a\n"_s), qPrintable(plain.out));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 0);

    // i3blocks shows neither either.
    const CliRun i3 = run({u"--format"_s, u"i3blocks"_s, u"Berlin"_s});
    QCOMPARE(i3.exitCode, 0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 0);

    // %a asks for the air quality alone, %r for the nowcast alone.
    const CliRun air = run({u"--format"_s, u"%t %a"_s, u"Berlin"_s});
    QCOMPARE(air.exitCode, 0);
    QVERIFY2(!air.out.contains(u'?'), qPrintable(air.out));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 0);
    const CliRun rain = run({u"--format"_s, u"%t %r"_s, u"Berlin"_s});
    QCOMPARE(rain.exitCode, 0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);

    // The moon is computed: %m and %M ask for nothing more than the weather.
    const int before = m_server->totalRequestCount();
    const CliRun moon = run({u"--format"_s, u"%m %M"_s, u"--force-refresh"_s, u"Berlin"_s});
    QCOMPARE(moon.exitCode, 0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);
    QVERIFY(m_server->totalRequestCount() > before); // --force did ask for the weather
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
