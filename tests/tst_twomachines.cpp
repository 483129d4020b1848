// SPDX-License-Identifier: MIT
// Two "machines" on one real redis-server, against the local provider stand-in that counts
// every request: the app's service and session (built as src/app/main.cpp builds them, by a
// WeatherStack: a disk cache of its own, then the shared cache) beside weatherdash-cli processes
// with another cache folder; and two in-process services whose loads meet in one lease.
#include "app/weatherstack.h"
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "redisserver.h"
#include "store/redisbudget.h"
#include "store/redisconnection.h"
#include "store/redistier.h"
#include "store/sqlitetier.h"
#include "weather/requestgate.h"
#include "weather/weatherservice.h"
#include "weather/weathersession.h"

#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {

constexpr int kRunTimeoutMs = 60'000;

Location place(const QString &name, double latitude, double longitude)
{
    Location l;
    l.name = name;
    l.latitude = latitude;
    l.longitude = longitude;
    return l;
}

/**
 * One machine in this process: the app's WeatherStack (the service over its own disk and the
 * shared cache), then a session over it, which goes first.
 */
struct Machine
{
    Machine(const QString &dir, const QString &redisUrl, const ProviderEndpoints &endpoints,
            Clock *clock, qint64 leaseMs = LayeredCacheBase::kDefaultLeaseMs)
        : stack(options(dir, redisUrl, endpoints, leaseMs), clock)
        , service(*stack.service())
    { }

    static WeatherStack::Options options(const QString &dir, const QString &redisUrl,
                                         const ProviderEndpoints &endpoints, qint64 leaseMs)
    {
        WeatherStack::Options options;
        options.config.endpoints = endpoints;
        options.cacheDirectory = dir;
        options.sharedCache = testRedisUrl(redisUrl);
        options.sharedLeaseMs = leaseMs;
        return options;
    }

    /** Shows `location` in a session of the app, and records its current conditions. */
    void show(const Location &location, Clock *clock)
    {
        if (!session) {
            session = std::make_unique<WeatherSession>(&service, clock);
            QObject::connect(session.get(), &WeatherSession::currentAnswered, session.get(),
                             [this](WeatherSession::PlaceId, const Location &,
                                    const WeatherAnswer<CurrentConditions> &answer) {
                                 currents.append(answer);
                             });
        }
        session->addPlace(location);
    }

    WeatherStack stack;
    WeatherService &service;
    std::unique_ptr<WeatherSession> session;
    QList<WeatherAnswer<CurrentConditions>> currents;
};

} // namespace

class tst_TwoMachines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        REQUIRE_REDIS();
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        m_redis = std::make_unique<RedisServer>();
        QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    }
    void cleanup()
    {
        // What the machines' tiers answered while they went is delivered now, not left for the
        // application's own teardown (a continuation's context going then would post an event
        // while Qt holds its event list: a hang at exit).
        for (int i = 0; i < 10; ++i) {
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
        }
        m_redis.reset();
        m_server.reset();
    }

    void appAndCliShareWhatEitherFetched();
    void loadHeldInTheGateLongerThanTheLeaseIsWaitedForOneLeaseAtMost();
    void rateLimitOnOneMachineStopsTheOtherWithoutARequest();

private:
    /** weatherdash-cli on its own machine: its own cache folder and settings, our Redis. */
    QString runCli(int machine, const QStringList &args, int *exitCode)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const ProviderEndpoints ep = m_server->endpoints();
        env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
        env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
        env.insert(u"WEATHERDASH_OPENWEATHERMAP_URL"_s, ep.openWeatherMap.toString());
        env.insert(u"WEATHERDASH_ALERTS_URL"_s, m_server->baseUrl().toString()); // issue 22
        env.insert(u"WEATHERDASH_CACHE_DIR"_s, m_home->filePath(u"machine%1/cache"_s.arg(machine)));
        env.insert(u"WEATHERDASH_REDIS_URL"_s, m_redis->url());
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"machine%1/config"_s.arg(machine)));
        env.insert(u"HOME"_s, m_home->filePath(u"machine%1"_s.arg(machine)));
        env.remove(u"OPENWEATHERMAP_API_KEY"_s);
        env.remove(u"QT_LOGGING_RULES"_s);
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
        // The fake provider lives in this process: its event loop turns while the CLI runs.
        QSignalSpy finished(&p, &QProcess::finished);
        if (p.state() != QProcess::NotRunning)
            finished.wait(kRunTimeoutMs);
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<RedisServer> m_redis;
};

void tst_TwoMachines::appAndCliShareWhatEitherFetched()
{
    // The app's machine: real time (the CLI's clock is the real one too, and ages must agree).
    Machine app(m_home->filePath(u"app/cache"_s), m_redis->url(), m_server->endpoints(),
                Clock::system());

    // The person types Berlin and picks it: the app fetches it all.
    const auto found = awaitResult(app.service.searchLocations(u"Berlin"_s));
    QVERIFY(found.ok() && !found.value->isEmpty());
    app.show(found.value->first(), Clock::system());
    QTRY_VERIFY(!app.currents.isEmpty());
    QCOMPARE(app.currents.last().source, AnswerSource::Network);
    // Geocoding, current, the daily forecast, the hourly one, air quality and the nowcast.
    QTRY_COMPARE(m_server->totalRequestCount(), 6);
    QTRY_COMPARE(app.service.layers()->pendingTierWrites(), 0);
    QCOMPARE(m_server->totalRequestCount(), 6);

    // The CLI on another machine, whose own cache is empty: answered by what the app fetched.
    int exit = -1;
    QString out = runCli(1, {u"--stats"_s, u"Berlin"_s}, &exit);
    QVERIFY2(exit == 0, qPrintable(out));
    QVERIFY2(out.contains(u"Berlin"_s), qPrintable(out));
    // The search, the current conditions, and the air quality and nowcast its text shows. (The
    // app here has no alert service: the CLI's alert list is its own load, from the fake
    // alert server, which totalRequestCount() does not count.)
    QVERIFY2(out.contains(u"4 from the shared cache"_s), qPrintable(out));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);
    QCOMPARE(m_server->totalRequestCount(), 6);

    // The other way round: the CLI fetches London first, then the app shows it.
    out = runCli(1, {u"London, GB"_s}, &exit);
    QVERIFY2(exit == 0, qPrintable(out));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    const auto london = awaitResult(app.service.searchLocations(u"London, GB"_s));
    QVERIFY(london.ok() && !london.value->isEmpty());
    QCOMPARE(london.source, AnswerSource::Cache);
    QCOMPARE(london.value->first().countryCode, u"GB"_s);
    app.currents.clear();
    app.show(london.value->first(), Clock::system());
    QTRY_VERIFY(!app.currents.isEmpty());
    QVERIFY(app.currents.last().ok());
    QCOMPARE(app.currents.last().source, AnswerSource::Cache);
    // No new geocoding or current-conditions request; only London's forecast was new.
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
    const LayeredCacheStats stats = app.service.layers()->stats();
    QCOMPARE(stats.tiers.size(), 2);
    QCOMPARE(stats.tiers.at(1).name, u"shared"_s);
    QVERIFY(stats.tiers.at(1).hits >= 2); // London's search and current conditions
}

void tst_TwoMachines::loadHeldInTheGateLongerThanTheLeaseIsWaitedForOneLeaseAtMost()
{
    ManualClock clock;
    constexpr qint64 kLease = 10'000; // WEATHERDASH_REDIS_LEASE_MS=10000
    Machine a(m_home->filePath(u"a"_s), m_redis->url(), m_server->endpoints(), &clock, kLease);
    Machine b(m_home->filePath(u"b"_s), m_redis->url(), m_server->endpoints(), &clock, kLease);
    QTRY_VERIFY(a.stack.sharedTier()->isWatchingLandings()
                && b.stack.sharedTier()->isWatchingLandings());
    RequestGate *gate = a.service.provider()->requestGate();
    gate->setRequestsPerMinute(1);
    const Location paris = place(u"Paris"_s, 48.85, 2.35);
    const Location berlin = place(u"Berlin"_s, 52.52, 13.41);

    // a's budget for this minute goes on Paris; its Berlin waits in the gate for a minute,
    // six times the lease, holding Berlin's lease all the while.
    QVERIFY(awaitResult(a.service.current(paris)).ok());
    QFuture<WeatherAnswer<CurrentConditions>> fromA = a.service.current(berlin);
    QTRY_COMPARE(gate->queuedCount(), 1);
    QCOMPARE(a.stack.sharedTier()->heldLeaseCount(), 1);
    // b wants Berlin too: it finds the lease taken and waits for a's landing.
    QFuture<WeatherAnswer<CurrentConditions>> fromB = b.service.current(berlin);
    QTRY_COMPARE(b.service.layers()->stats().tiers.at(1).leaseWaits, 1u);

    const RedisConnection *connections[]
        = {a.stack.sharedTier()->connection(), b.stack.sharedTier()->connection()};
    // Settled: Redis answered everything asked, and each machine took those answers in (a
    // reply is taken in a turn of the event loop after it arrives; moving the clock before
    // that made b's re-read of the lease count as "too slow", a flaky failure under load).
    auto settled = [&] {
        return std::all_of(std::begin(connections), std::end(connections),
                           [](const RedisConnection *c) { return c->pendingCount() == 0; })
               && a.service.layers()->tierReadsInFlight() == 0
               && b.service.layers()->tierReadsInFlight() == 0;
    };
    // A lease held past its length (a renewed one here; one without a TTL or of another type
    // alike) is waited on for one lease length, not for as long as its holder likes.
    qint64 waited = 0;
    RequestGate *gateB = b.service.provider()->requestGate();
    for (; waited < RequestGate::kWindowMs + 5'000 && !fromB.isFinished(); waited += 1'000) {
        clock.advance(1'000);
        QTRY_VERIFY(settled());
        // b gave up waiting and asks the provider itself: the answer comes over the real local
        // network (after the gate's pacing), so the clock stands still until it is in. Moving
        // it on meanwhile made the wait look longer than it was: a flaky failure under load.
        if (gateB->queuedCount() > 0 || b.service.provider()->requestsInFlight() > 0)
            QTRY_VERIFY(fromB.isFinished());
    }
    QVERIFY(fromB.isFinished());
    // (one lease, then a last look at the lease and the provider's answer)
    QVERIFY2(waited <= kLease + LayeredCacheBase::kDefaultTierTimeoutMs,
             qPrintable(QString::number(waited)));
    QVERIFY(!fromA.isFinished()); // a's request is still in its gate
    const auto answerB = awaitResult(fromB);
    QVERIFY(answerB.ok());
    QCOMPARE(answerB.source, AnswerSource::Network);
    QCOMPARE(b.service.layers()->stats().loaderAnswers, 1u);
    for (qint64 t = 0; t < RequestGate::kWindowMs + 5'000 && !fromA.isFinished(); t += 1'000) {
        clock.advance(1'000);
        QTRY_VERIFY(settled());
    }
    QVERIFY(awaitResult(fromA).ok());
}

void tst_TwoMachines::rateLimitOnOneMachineStopsTheOtherWithoutARequest()
{
    ManualClock clock;
    Machine a(m_home->filePath(u"a"_s), m_redis->url(), m_server->endpoints(), &clock);
    Machine b(m_home->filePath(u"b"_s), m_redis->url(), m_server->endpoints(), &clock);
    QTRY_VERIFY(b.stack.sharedBudget()->isListening());
    const Location paris = place(u"Paris"_s, 48.85, 2.35);
    const Location berlin = place(u"Berlin"_s, 52.52, 13.41);

    m_server->failWith(Endpoint::OpenMeteoCurrent, 429, 42, 1);
    const auto limited = awaitResult(a.service.current(paris));
    QVERIFY(!limited.ok());
    QCOMPARE(limited.error.kind(), WeatherError::RateLimited);
    // b is told: its next request fails with the same sentence, and the provider never sees it.
    RequestGate *gateB = b.service.provider()->requestGate();
    QTRY_VERIFY(gateB->blockedError().has_value());
    const auto held = awaitResult(b.service.current(berlin));
    QVERIFY(!held.ok());
    QCOMPARE(held.error.kind(), WeatherError::RateLimited);
    QCOMPARE(held.error.message(), limited.error.message());
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    // After the Retry-After, b asks the provider again. (The block in Redis is on the
    // server's clock, which does not follow the ManualClock: it ends by hand.)
    clock.advance(42'000);
    m_redis->cli({u"DEL"_s, QString::fromUtf8(RedisBudget::blockedKey(u"open-meteo"_s))});
    QVERIFY(awaitResult(b.service.current(berlin)).ok());
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
}

QTEST_MAIN(tst_TwoMachines)
#include "tst_twomachines.moc"
