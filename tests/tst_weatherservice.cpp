// SPDX-License-Identifier: MIT
// WeatherService against a real local HTTP server speaking both providers' formats:
// per-entry TTLs, single flight, negative caching, keys without secrets, the disk tier
// across "restarts", stale answers when the network is gone.
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "store/persistentstore.h"
#include "store/sqlitetier.h"
#include "weather/weatherservice.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {

constexpr qint64 kMinute = 60'000;

} // namespace

class tst_WeatherService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_clock = std::make_unique<ManualClock>(QDateTime::currentMSecsSinceEpoch());
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void cleanup()
    {
        m_services.clear(); // each service before the tiers it borrows
        m_stores.clear();
        m_server.reset();
    }

    void berlinOnceThenFromCache_data();
    void berlinOnceThenFromCache();
    void perEntryTtlsDoRealWork();
    void notFoundIsCachedBriefly();
    void ambiguousNameYieldsCandidates();
    void keysHoldNoApiKey();
    void unitsAreNotPartOfTheKey();
    void hundredCallersOneRequest();
    void forceRefreshBypassesCacheAndResetsAge();
    void secondRunIsServedFromDisk();
    void offlineAfterTtlServesStaleWithAge();
    void offlineWithNothingCachedSaysSo();
    void rejectedKeyIsReadableAndSecret();
    void describeKeyInHumanWords();
    void languageReachesTheProviderAndTheKey();
    void notFoundIsRememberedOnDiskAcrossRuns();
    void invalidateReachesTheDisk();
    void noDiskCallOnTheCallersThread();
    void refreshKeyAsksTheProviderAgain();
    void startWarmsOnlyTheShownAndSavedPlaces();

private:
    WeatherService *makeService(const QString &provider = u"open-meteo"_s, bool withStore = false,
                                const QString &apiKey = {})
    {
        auto service = std::make_unique<WeatherService>(&m_network, m_clock.get());
        WeatherService::Config c;
        c.providerId = provider;
        c.apiKey = apiKey.isNull() ? m_server->validApiKey() : apiKey;
        c.endpoints = m_server->endpoints();
        c.timeoutMs = 3000;
        service->setConfig(c);
        if (withStore) {
            // As the app does: no wait for the warm start, a request reads the disk itself.
            auto disk = std::make_unique<SqliteTier>(m_dir->path(), m_clock.get());
            service->addTier(disk.get());
            service->warmUp();
            m_stores.push_back(std::move(disk));
        }
        m_services.push_back(std::move(service));
        return m_services.back().get();
    }

    Location berlin(WeatherService *service)
    {
        const auto found = awaitResult(service->searchLocations(u"Berlin"_s));
        if (!found.ok() || found.value->isEmpty())
            return {};
        return found.value->first();
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<SqliteTier>> m_stores;
    std::vector<std::unique_ptr<WeatherService>> m_services;
};

void tst_WeatherService::berlinOnceThenFromCache_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<Endpoint>("geocoding");
    QTest::addColumn<Endpoint>("current");
    QTest::newRow("open-meteo") << u"open-meteo"_s << Endpoint::OpenMeteoGeocoding
                                << Endpoint::OpenMeteoCurrent;
    QTest::newRow("openweathermap")
        << u"openweathermap"_s << Endpoint::OwmGeocoding << Endpoint::OwmCurrent;
}

void tst_WeatherService::berlinOnceThenFromCache()
{
    QFETCH(QString, provider);
    QFETCH(Endpoint, geocoding);
    QFETCH(Endpoint, current);
    WeatherService *service = makeService(provider);
    for (int run = 0; run < 10; ++run) {
        const Location place = berlin(service);
        QCOMPARE(place.countryCode, u"DE"_s);
        const auto w = awaitResult(service->current(place));
        QVERIFY2(w.ok(), qPrintable(w.error.message()));
        QCOMPARE(qRound(*w.value->temperature), 22); // the server's Berlin: 21.5 °C
        QCOMPARE(w.source, run == 0 ? AnswerSource::Network : AnswerSource::Cache);
        m_clock->advance(30'000);
    }
    QCOMPARE(m_server->requestCount(geocoding), 1);
    QCOMPARE(m_server->requestCount(current), 1);
}

void tst_WeatherService::perEntryTtlsDoRealWork()
{
    WeatherService *service = makeService();
    const Location place = berlin(service);
    QVERIFY(awaitResult(service->current(place)).ok());
    QVERIFY(awaitResult(service->forecast(place)).ok());
    m_clock->advance(11 * kMinute); // past current's 10 min, within forecast's 60 min
    QCOMPARE(awaitResult(service->current(place)).source, AnswerSource::Network);
    QCOMPARE(awaitResult(service->forecast(place)).source, AnswerSource::Cache);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 1);
    m_clock->advance(50 * kMinute);
    QCOMPARE(awaitResult(service->forecast(place)).source, AnswerSource::Network);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 2);
    QCOMPARE(awaitResult(service->searchLocations(u"Berlin"_s)).source, AnswerSource::Cache);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1); // 30 days
}

void tst_WeatherService::notFoundIsCachedBriefly()
{
    WeatherService *service = makeService();
    auto first = awaitResult(service->searchLocations(u"Atlantis"_s));
    QVERIFY(!first.ok());
    QCOMPARE(first.error.kind(), WeatherError::CityNotFound);
    QVERIFY2(first.error.message().contains(u"Atlantis"_s), qPrintable(first.error.message()));
    m_clock->advance(4 * kMinute);
    QCOMPARE(awaitResult(service->searchLocations(u"atlantis"_s)).error.kind(),
             WeatherError::CityNotFound);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    m_clock->advance(1 * kMinute);
    QVERIFY(!awaitResult(service->searchLocations(u"Atlantis"_s)).ok());
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
}

void tst_WeatherService::ambiguousNameYieldsCandidates()
{
    WeatherService *service = makeService();
    const auto found = awaitResult(service->searchLocations(u"London"_s));
    QVERIFY(found.ok());
    QVERIFY(found.value->size() >= 2);
    QStringList countries;
    for (const Location &l : *found.value)
        countries << l.countryCode;
    QVERIFY(countries.contains(u"GB"_s));
    QVERIFY(countries.contains(u"CA"_s));
}

void tst_WeatherService::keysHoldNoApiKey()
{
    const QString secret = m_server->validApiKey();
    WeatherService *service = makeService(u"openweathermap"_s, /*withStore*/ true);
    const Location place = berlin(service);
    QVERIFY(awaitResult(service->current(place)).ok());
    QVERIFY(awaitResult(service->forecast(place)).ok());
    const auto entries = service->cache()->entries();
    QCOMPARE(entries.size(), 3);
    for (const CacheEntryInfo &e : entries) {
        QVERIFY2(!e.key.contains(secret), qPrintable(e.key));
        QVERIFY(!service->describeKey(e.key).contains(secret));
    }
    // Nor in the disk tier's files, once what it was given is on the disk: the entries are.
    QVERIFY(awaitResult(m_stores.back()->close()).ok());
    QByteArray onDisk;
    for (const QFileInfo &f : QDir(m_dir->path()).entryInfoList(QDir::Files)) {
        QFile file(f.filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        onDisk += file.readAll();
    }
    QVERIFY(onDisk.contains(service->currentKey(place).toUtf8()));
    QVERIFY(!onDisk.contains(secret.toUtf8()));
    // It did reach the provider, as it must.
    QCOMPARE(m_server->lastRequest(Endpoint::OwmCurrent).queryValue(u"appid"_s), secret);
}

void tst_WeatherService::unitsAreNotPartOfTheKey()
{
    WeatherService *service = makeService();
    const Location place = berlin(service);
    const auto metric = awaitResult(service->current(place));
    const QString key = service->currentKey(place);
    auto c = service->config();
    c.units = UnitSet::imperial();
    c.units.windSpeed = WindSpeedUnit::Beaufort;
    service->setConfig(c);
    // The same entry, converted: no request, and the provider was asked in metric.
    QCOMPARE(service->currentKey(place), key);
    const auto imperial = awaitResult(service->current(place));
    QCOMPARE(imperial.source, AnswerSource::Cache);
    QCOMPARE(imperial.value->units, c.units);
    QCOMPARE(m_server->lastRequest(Endpoint::OpenMeteoCurrent).queryValue(u"temperature_unit"_s),
             u"celsius"_s);
    QCOMPARE(*imperial.value->temperature, *metric.value->temperature * 9.0 / 5.0 + 32.0);
    // Berlin blows at 14.4 km/h = 4 m/s: force 3 (3.4..5.4 m/s).
    QCOMPARE(*imperial.value->windSpeed, 3.0);
    QCOMPARE(*imperial.value->pressure, *metric.value->pressure / 33.8638866667);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    // The days and the hours likewise.
    const auto days = awaitResult(service->forecast(place));
    const auto hours = awaitResult(service->hourly(place));
    QCOMPARE(days.value->constFirst().units, c.units);
    QCOMPARE(hours.value->constFirst().units, c.units);
    c.units = UnitSet::metric();
    service->setConfig(c);
    const auto daysMetric = awaitResult(service->forecast(place));
    QCOMPARE(daysMetric.source, AnswerSource::Cache);
    QVERIFY(qAbs(*days.value->constFirst().maxTemp
                 - (*daysMetric.value->constFirst().maxTemp * 9.0 / 5.0 + 32.0))
            < 1e-9);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 1);
}

void tst_WeatherService::hundredCallersOneRequest()
{
    WeatherService *service = makeService();
    const Location place = berlin(service);
    QList<QFuture<WeatherAnswer<CurrentConditions>>> calls;
    for (int i = 0; i < 100; ++i)
        calls << service->current(place);
    for (auto &f : calls)
        QVERIFY(awaitResult(f).ok());
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    QCOMPARE(service->cache()->stats().coalesced, 99u);
}

void tst_WeatherService::forceRefreshBypassesCacheAndResetsAge()
{
    WeatherService *service = makeService(u"open-meteo"_s, /*withStore*/ true);
    const Location place = berlin(service);
    QVERIFY(awaitResult(service->current(place)).ok());
    QVERIFY(awaitResult(service->forecast(place)).ok());
    m_clock->advance(3 * kMinute);
    QCOMPARE(service->cache()->entryInfo(service->currentKey(place))->ageMs, 3 * kMinute);
    const auto forced = awaitResult(service->current(place, /*forceRefresh*/ true));
    QCOMPARE(forced.source, AnswerSource::Network);
    QCOMPARE(forced.ageMs, 0);
    QVERIFY(awaitResult(service->forecast(place, true)).ok());
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 2);
    // Counted where they are made: a forced refresh is a request like any other.
    QCOMPARE(service->requestLog().countSince(u"open-meteo"_s, 0), 5);
    QCOMPARE(m_server->totalRequestCount(), 5);
    QCOMPARE(service->cache()->entryInfo(service->currentKey(place))->ageMs, 0);
    QCOMPARE(service->cache()->entryInfo(service->forecastKey(place))->ageMs, 0);
}

void tst_WeatherService::secondRunIsServedFromDisk()
{
    {
        WeatherService *first = makeService(u"open-meteo"_s, true);
        const Location place = berlin(first);
        QVERIFY(awaitResult(first->current(place)).ok());
        m_services.clear(); // the first run exits
        m_stores.clear();
    }
    m_clock->advance(4 * kMinute);
    WeatherService *second = makeService(u"open-meteo"_s, true);
    const Location place = berlin(second);
    const auto w = awaitResult(second->current(place));
    QVERIFY(w.ok());
    QCOMPARE(w.source, AnswerSource::Cache);
    QCOMPARE(w.ageMs, 4 * kMinute);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    QCOMPARE(second->describeKey(second->currentKey(place)), u"Berlin, DE · current conditions"_s);
}

void tst_WeatherService::offlineAfterTtlServesStaleWithAge()
{
    {
        WeatherService *first = makeService(u"open-meteo"_s, true);
        QVERIFY(awaitResult(first->current(berlin(first))).ok());
        m_services.clear();
        m_stores.clear();
    }
    m_clock->advance(2 * 60 * kMinute);
    m_server->http()->close(); // the network is gone
    WeatherService *second = makeService(u"open-meteo"_s, true);
    const Location place = berlin(second); // geocoding: 30 days, still fresh on disk
    QVERIFY(place.isValid());
    const auto w = awaitResult(second->current(place));
    QVERIFY(w.ok());
    QCOMPARE(w.source, AnswerSource::Stale);
    QCOMPARE(w.ageMs, 2 * 60 * kMinute);
    QCOMPARE(w.error.kind(), WeatherError::Offline);
    QVERIFY(!w.error.message().isEmpty());
}

void tst_WeatherService::offlineWithNothingCachedSaysSo()
{
    m_server->http()->close();
    WeatherService *service = makeService();
    const auto found = awaitResult(service->searchLocations(u"Berlin"_s));
    QVERIFY(!found.ok());
    QCOMPARE(found.error.kind(), WeatherError::Offline);
    QVERIFY(!found.error.message().isEmpty());
}

void tst_WeatherService::rejectedKeyIsReadableAndSecret()
{
    const QString wrongKey = u"ffffeeeeddddccccbbbbaaaa99998888"_s;
    QVERIFY(wrongKey != m_server->validApiKey());
    WeatherService *service = makeService(u"openweathermap"_s, false, wrongKey);
    const auto found = awaitResult(service->searchLocations(u"Berlin"_s));
    QVERIFY(!found.ok());
    QCOMPARE(found.error.kind(), WeatherError::ApiKeyRejected);
    QVERIFY(found.error.message().contains(u"two hours"_s));
    QVERIFY(!found.error.message().contains(wrongKey));
    // A rejected key is not retried on its own, nor cached as "not found".
    QCOMPARE(m_server->requestCount(Endpoint::OwmGeocoding), 1);
    QVERIFY(!awaitResult(service->searchLocations(u"Berlin"_s)).ok());
    QCOMPARE(m_server->requestCount(Endpoint::OwmGeocoding), 2);
}

void tst_WeatherService::describeKeyInHumanWords()
{
    WeatherService *service = makeService();
    const Location place = berlin(service);
    QVERIFY(awaitResult(service->current(place)).ok());
    QCOMPARE(service->describeKey(service->currentKey(place)),
             u"Berlin, DE · current conditions"_s);
    QCOMPARE(service->describeKey(service->forecastKey(place)), u"Berlin, DE · forecast"_s);
    QCOMPARE(service->describeKey(service->searchKey(u"Berlin"_s)), u"Search “berlin”"_s);
}

void tst_WeatherService::languageReachesTheProviderAndTheKey()
{
    WeatherService *service = makeService();
    WeatherService::Config c = service->config();
    c.language = u"de"_s;
    service->setConfig(c);
    QVERIFY(awaitResult(service->searchLocations(u"Berlin"_s)).ok());
    QCOMPARE(m_server->lastRequest(Endpoint::OpenMeteoGeocoding).queryValue(u"language"_s),
             u"de"_s);
    QVERIFY(service->searchKey(u"Berlin"_s).contains(u"/de/"_s));

    // A tag that is not one is asked for, and kept, as English: one entry, not two.
    c.language = u"de&count=100"_s;
    service->setConfig(c);
    QCOMPARE(service->config().language, u"en"_s);
    QVERIFY(awaitResult(service->searchLocations(u"Berlin"_s)).ok());
    QCOMPARE(m_server->lastRequest(Endpoint::OpenMeteoGeocoding).queryValue(u"language"_s),
             u"en"_s);
    QVERIFY(service->searchKey(u"Berlin"_s).contains(u"/en/"_s));
}

void tst_WeatherService::notFoundIsRememberedOnDiskAcrossRuns()
{
    {
        WeatherService *first = makeService(u"open-meteo"_s, true);
        QCOMPARE(awaitResult(first->searchLocations(u"Atlantis"_s)).error.kind(),
                 WeatherError::CityNotFound);
        m_services.clear();
        m_stores.clear();
    }
    // A script asking for a typo every minute: the next run is answered from the disk.
    m_clock->advance(2 * kMinute);
    WeatherService *second = makeService(u"open-meteo"_s, true);
    const auto again = awaitResult(second->searchLocations(u"Atlantis"_s));
    QCOMPARE(again.error.kind(), WeatherError::CityNotFound);
    QVERIFY2(again.error.message().contains(u"Atlantis"_s), qPrintable(again.error.message()));
    QCOMPARE(again.source, AnswerSource::Cache);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    m_services.clear();
    m_stores.clear();
    // Only briefly: after the "not found" TTL (5 min) the provider is asked again.
    m_clock->advance(4 * kMinute);
    WeatherService *third = makeService(u"open-meteo"_s, true);
    QCOMPARE(awaitResult(third->searchLocations(u"Atlantis"_s)).source, AnswerSource::Network);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
}

void tst_WeatherService::invalidateReachesTheDisk()
{
    WeatherService *first = makeService(u"open-meteo"_s, true);
    const Location place = berlin(first);
    QVERIFY(awaitResult(first->current(place)).ok());
    first->invalidate(first->currentKey(place));
    QVERIFY(!first->cache()->entryInfo(first->currentKey(place)));
    m_services.clear();
    m_stores.clear();
    WeatherService *second = makeService(u"open-meteo"_s, true);
    QCOMPARE(awaitResult(second->current(place)).source, AnswerSource::Network);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    // Clear empties the disk too: a new run asks for everything again.
    second->clearCache();
    m_services.clear();
    m_stores.clear();
    WeatherService *third = makeService(u"open-meteo"_s, true);
    QCOMPARE(awaitResult(third->searchLocations(u"Berlin"_s)).source, AnswerSource::Network);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
}

void tst_WeatherService::noDiskCallOnTheCallersThread()
{
    WeatherService *service = makeService(u"open-meteo"_s, true);
    auto threads = std::make_shared<QList<QThread *>>();
    auto mutex = std::make_shared<QMutex>();
    m_stores.back()->setOperationHookForTesting([threads, mutex](const char *) {
        QMutexLocker lock(mutex.get());
        threads->append(QThread::currentThread());
    });
    const Location place = berlin(service);
    QVERIFY(awaitResult(service->current(place)).ok());
    QVERIFY(awaitResult(service->forecast(place)).ok());
    service->invalidate(service->currentKey(place));
    QVERIFY(awaitResult(service->current(place)).ok());
    QVERIFY(awaitResult(m_stores.back()->close()).ok());
    QMutexLocker lock(mutex.get());
    QVERIFY(threads->size() >= 6); // reads, writes, a remove, the close: all of them seen
    for (QThread *t : std::as_const(*threads))
        QCOMPARE_NE(t, QThread::currentThread());
}

void tst_WeatherService::refreshKeyAsksTheProviderAgain()
{
    WeatherService *service = makeService();
    const Location place = berlin(service);
    QVERIFY(awaitResult(service->current(place)).ok());
    m_clock->advance(kMinute);
    QVERIFY(service->refreshKey(service->currentKey(place)));
    QTRY_COMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    QTRY_COMPARE(service->cache()->entryInfo(service->currentKey(place))->ageMs, 0);
    // The label stays: refreshing by key knows only the coordinates.
    QCOMPARE(service->describeKey(service->currentKey(place)),
             u"Berlin, DE · current conditions"_s);
    QVERIFY(service->refreshKey(service->searchKey(u"Berlin"_s)));
    QTRY_COMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
    // A key of other settings (an imperial one an earlier version wrote) would fill another
    // entry: refused, no request.
    const QString imperialKey
        = WeatherKey::current(service->provider()->id(), place, Units::Imperial, u"en"_s)
              .toString();
    QVERIFY(!service->refreshKey(imperialKey));
    QVERIFY(!service->refreshKey(u"nonsense"_s));
    QCOMPARE(m_server->totalRequestCount(), 4);
}

QTEST_GUILESS_MAIN(tst_WeatherService)
void tst_WeatherService::startWarmsOnlyTheShownAndSavedPlaces()
{
    // A first run fetches Berlin (shown) and Paris (saved), all three kinds each.
    Location shown;
    Location saved;
    {
        WeatherService *service = makeService(u"open-meteo"_s, true);
        shown = berlin(service);
        const auto found = awaitResult(service->searchLocations(u"Paris"_s));
        QVERIFY(found.ok());
        saved = found.value->first();
        for (const Location &place : {shown, saved}) {
            QVERIFY(awaitResult(service->current(place)).ok());
            QVERIFY(awaitResult(service->forecast(place)).ok());
            QVERIFY(awaitResult(service->hourly(place)).ok());
        }
        m_services.clear();
        m_stores.clear();
    }
    // The CLI in a status bar filled the disk with thousands of other places meanwhile.
    constexpr int kOthers = 3000;
    QList<Location> others;
    {
        PersistentStore store(m_clock.get());
        QVERIFY(store.open(m_dir->path()));
        auto keys = std::make_unique<WeatherService>(&m_network, m_clock.get());
        const auto berlinNow = store.read(keys->currentKey(shown));
        QVERIFY(berlinNow);
        for (int i = 0; i < kOthers; ++i) {
            Location l;
            l.name = u"Place %1"_s.arg(i);
            l.latitude = 35.0 + (i % 100) * 0.01;
            l.longitude = -10.0 + (i / 100) * 0.01;
            others.append(l);
            QVERIFY(store.write(keys->currentKey(l), berlinNow->value, m_clock->now() - kMinute,
                                10 * kMinute));
        }
    }
    const int requestsBefore = m_server->requestCount(Endpoint::OpenMeteoCurrent)
                               + m_server->requestCount(Endpoint::OpenMeteoForecast)
                               + m_server->requestCount(Endpoint::OpenMeteoHourly);
    m_clock->advance(kMinute);

    // The next start warms what it shows: the two places' six entries, not the disk.
    auto service = std::make_unique<WeatherService>(&m_network, m_clock.get());
    WeatherService::Config c;
    c.endpoints = m_server->endpoints();
    service->setConfig(c);
    auto disk = std::make_unique<SqliteTier>(m_dir->path(), m_clock.get());
    service->addTier(disk.get());
    QSignalSpy warmed(service.get(), &WeatherService::warmUpFinished);
    service->warmUp(QList<Location>{shown, saved, shown});
    QVERIFY(warmed.wait());
    QCOMPARE(warmed.at(0).at(0).toInt(), 6);
    QCOMPARE(service->cache()->count(), 6);
    for (const Location &place : {shown, saved}) {
        QVERIFY(service->cache()->exists(service->currentKey(place)));
        QVERIFY(service->cache()->exists(service->forecastKey(place)));
        QVERIFY(service->cache()->exists(service->hourlyKey(place)));
    }
    QVERIFY(!service->cache()->exists(service->currentKey(others.at(7))));
    // The labels of the warmed places came with them.
    QCOMPARE(service->describeKey(service->currentKey(saved)), u"Paris, FR · current conditions"_s);

    // The warmed places answer from memory; a place not warmed from the disk, with its age;
    // neither asks the provider.
    const auto fromMemory = awaitResult(service->current(shown));
    QCOMPARE(fromMemory.source, AnswerSource::Cache);
    QCOMPARE(fromMemory.ageMs, kMinute);
    const auto fromDisk = awaitResult(service->current(others.at(2345)));
    QVERIFY2(fromDisk.ok(), qPrintable(fromDisk.error.message()));
    QCOMPARE(fromDisk.source, AnswerSource::Cache);
    QCOMPARE(fromDisk.ageMs, 2 * kMinute);
    QCOMPARE(qRound(*fromDisk.value->temperature), 22);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent)
                 + m_server->requestCount(Endpoint::OpenMeteoForecast)
                 + m_server->requestCount(Endpoint::OpenMeteoHourly),
             requestsBefore);
    QCOMPARE(service->cache()->count(), 7);
    service.reset(); // before the tier it borrows
}

#include "tst_weatherservice.moc"
