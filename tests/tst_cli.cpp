// SPDX-License-Identifier: MIT
// weatherdash-cli, the real binary, run with QProcess against a local server that speaks the
// providers' formats. The server counts every request.
#include "fakeweatherserver.h"
#include "store/persistentstore.h"
#include "weather/weathererror.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

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
    void badUsage_data();
    void badUsage();
    void helpAndVersion();

private:
    CliRun run(const QStringList &args, const QString &cacheDir = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const ProviderEndpoints ep = m_server->endpoints();
        env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
        env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
        env.insert(u"WEATHERDASH_OPENWEATHERMAP_URL"_s, ep.openWeatherMap.toString());
        env.insert(u"WEATHERDASH_CACHE_DIR"_s, cacheDir.isEmpty() ? cachePath() : cacheDir);
        // The user's own settings stay out of it.
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"config"_s));
        env.insert(u"HOME"_s, m_home->path());
        env.remove(u"OPENWEATHERMAP_API_KEY"_s);
        env.insert(u"QT_LOGGING_RULES"_s, u"*.debug=false;*.info=false"_s);
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
        // The server lives in this process: keep its event loop turning while the CLI runs.
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 30000);
        }();
        CliRun r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
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
    QCOMPARE(m_server->totalRequestCount(), 2);
}

void tst_Cli::textOutputSaysWhereTheAnswerCameFrom()
{
    const CliRun first = run({u"Berlin"_s});
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.out.contains(u"Berlin, Berlin, DE"_s), qPrintable(first.out));
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
    QCOMPARE(stats.value(u"hits"_s).toInt(), 2); // geocoding and current, both from memory
}

void tst_Cli::badUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no city") << QStringList{};
    QTest::newRow("unknown provider") << QStringList{u"--provider"_s, u"acme"_s, u"Berlin"_s};
    QTest::newRow("unknown units") << QStringList{u"--units"_s, u"kelvin"_s, u"Berlin"_s};
    QTest::newRow("ttl not a number") << QStringList{u"--ttl"_s, u"soon"_s, u"Berlin"_s};
    QTest::newRow("ttl zero") << QStringList{u"--ttl"_s, u"0"_s, u"Berlin"_s};
}

void tst_Cli::badUsage()
{
    QFETCH(QStringList, args);
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.startsWith(u"weatherdash-cli: "_s));
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

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
