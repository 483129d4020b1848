// SPDX-License-Identifier: MIT
#include "fakeweathersource.h"

#include "cache/clockjumpdetector.h"
#include "weather/weathersession.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
using Kind = WeatherKey::Kind;

/** A clock that, like the system clock, never says it jumped by itself. */
class SilentClock final : public Clock
{
public:
    qint64 now() const override { return m_now; }
    qint64 m_now = 1'700'000'000'000;
};

Location place(const QString &name, double lat, double lon)
{
    Location l;
    l.name = name;
    l.countryCode = u"DE"_s;
    l.latitude = lat;
    l.longitude = lon;
    return l;
}

/** Runs what is queued: cache deliveries, continuations. No time passes on any clock. */
void settle()
{
    for (int i = 0; i < 10; ++i)
        QCoreApplication::processEvents();
}

/** Moves the clock in steps of `step` for `total`, letting the session react after each. */
void run(ManualClock &clock, qint64 total, qint64 step = 10 * kSecond)
{
    for (qint64 t = 0; t < total; t += step) {
        clock.advance(step);
        settle();
    }
}

QList<qint64> gaps(const QList<qint64> &times)
{
    QList<qint64> out;
    for (qsizetype i = 1; i < times.size(); ++i)
        out.append(times.at(i) - times.at(i - 1));
    return out;
}

} // namespace

class tst_WeatherSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refreshesAtExpiry();
    void ageOfACachedAnswerCounts();
    void retryBackOffSequence();
    void noRetryForWhatNeedsThePerson_data();
    void noRetryForWhatNeedsThePerson();
    void retryAfterFromTheProviderIsHonoured();
    void staleAnswerIsShownAndRetried();
    void refreshAfterWallClockJump();
    void clockSetBackPullsDeadlinesIn();
    void jumpDetectorComparesWallAndMonotonic();
    void retriesAtOnceWhenTheNetworkComesBack();
    void clearAndInvalidateNeverStopRefreshing();
    void severalPlacesEachOnTheirOwnSchedule();
    void hourlyHasItsOwnLifetimeAndRetries();
    void refreshOfOneFeedAsksForThatFeedOnly();
    void alertsNeverHoldBackOrBlameTheWeather();
    void airAndNowcastNeverHoldBackOrBlameTheWeather();
};

void tst_WeatherSession::refreshesAtExpiry()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    WeatherSession session(&source, &clock);
    QList<qint64> announced;
    connect(&session, &WeatherSession::nextUpdateChanged, this,
            [&](WeatherSession::PlaceId, qint64 at) { announced.append(at); });
    const qint64 start = clock.now();
    const auto id = session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    QCOMPARE(source.sent[Kind::Forecast].size(), 1);
    QCOMPARE(session.nextUpdate(id), start + kMinute);
    QCOMPARE(announced.last(), start + kMinute);
    clock.advance(kMinute - 1);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    clock.advance(1);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 2);
    QCOMPARE(source.sent[Kind::Forecast].size(), 1); // its 5 minutes are not over
    QCOMPARE(session.nextUpdate(id), start + 2 * kMinute);
    run(clock, 10 * kMinute);
    QCOMPARE(source.sent[Kind::Current].size(), 12);
    QCOMPARE(source.sent[Kind::Forecast].size(), 3);
}

void tst_WeatherSession::hourlyHasItsOwnLifetimeAndRetries()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.ttl[Kind::Hourly] = 3 * kMinute;
    WeatherSession session(&source, &clock);
    int hourlyAnswers = 0;
    connect(&session, &WeatherSession::hourlyAnswered, this,
            [&](WeatherSession::PlaceId, const Location &,
                const WeatherAnswer<HourlyForecastList> &) { ++hourlyAnswers; });
    const qint64 start = clock.now();
    const auto id = session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    QCOMPARE(source.sent[Kind::Hourly].size(), 1);
    QCOMPARE(hourlyAnswers, 1);
    QCOMPARE(session.nextUpdate(id, WeatherKey::Kind::Hourly), start + 3 * kMinute);
    // Every 3 minutes, whatever the other two do (1 and 5 minutes).
    run(clock, 9 * kMinute);
    QCOMPARE(gaps(source.sent[Kind::Hourly]),
             (QList<qint64>{3 * kMinute, 3 * kMinute, 3 * kMinute}));
    QCOMPARE(source.sent[Kind::Current].size(), 10);
    QCOMPARE(source.sent[Kind::Forecast].size(), 2);
    // Its failures back off on their own, and the others go on.
    source.errors[Kind::Hourly] = WeatherError(WeatherError::ServerError);
    run(clock, 3 * kMinute);
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::Hourly), WeatherSession::kFirstRetryMs);
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::Current), 0);
    // A refresh asks for all three.
    const int before = source.sent[Kind::Hourly].size();
    session.refresh(id, true);
    settle();
    QCOMPARE(source.sent[Kind::Hourly].size(), before + 1);
}

void tst_WeatherSession::ageOfACachedAnswerCounts()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    const Location berlin = place(u"Berlin"_s, 52.52, 13.41);
    // Read back from disk at start: loaded 40 s ago.
    source.currentCache.restore(source.cacheKey(Kind::Current, berlin), CurrentConditions{},
                                clock.now() - 40 * kSecond, kMinute);
    WeatherSession session(&source, &clock);
    const auto id = session.showPlace(berlin);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 0);
    QCOMPARE(session.nextUpdate(id), clock.now() + 20 * kSecond);
    run(clock, 20 * kSecond);
    QCOMPARE(source.sent[Kind::Current].size(), 1);
}

void tst_WeatherSession::retryBackOffSequence()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.errors[Kind::Current] = WeatherError(WeatherError::Offline);
    WeatherSession session(&source, &clock);
    QList<qint64> retryAts;
    QList<WeatherError::Kind> kinds;
    connect(&session, &WeatherSession::placeFailed, this,
            [&](WeatherSession::PlaceId, WeatherKey::Kind kind, const WeatherError &e, qint64 at) {
                if (kind == WeatherKey::Kind::Current) {
                    retryAts.append(at);
                    kinds.append(e.kind());
                }
            });
    const auto id = session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    run(clock, 80 * kMinute);
    const QList<qint64> expected{1 * kMinute,  2 * kMinute,  4 * kMinute,  8 * kMinute,
                                 15 * kMinute, 15 * kMinute, 15 * kMinute, 15 * kMinute};
    QCOMPARE(gaps(source.sent[Kind::Current]).mid(0, expected.size()), expected);
    QCOMPARE(retryAts.at(0), source.sent[Kind::Current].at(0) + kMinute);
    QCOMPARE(retryAts.at(1), source.sent[Kind::Current].at(1) + 2 * kMinute);
    QCOMPARE(kinds.first(), WeatherError::Offline);
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::Current), 15 * kMinute);
    // The network works again: back to the normal rhythm, and the back-off starts over.
    source.errors[Kind::Current] = {};
    run(clock, 15 * kMinute);
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::Current), 0);
    const qint64 healed = source.sent[Kind::Current].last();
    run(clock, 3 * kMinute);
    QCOMPARE(source.sent[Kind::Current].last(), healed + 3 * kMinute);
    source.errors[Kind::Current] = WeatherError(WeatherError::ServerError);
    const int before = int(source.sent[Kind::Current].size());
    run(clock, 4 * kMinute);
    QCOMPARE(gaps(source.sent[Kind::Current].mid(before - 1)),
             (QList<qint64>{kMinute, kMinute, 2 * kMinute}));
}

void tst_WeatherSession::noRetryForWhatNeedsThePerson_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("unknown city") << int(WeatherError::CityNotFound);
    QTest::newRow("key rejected") << int(WeatherError::ApiKeyRejected);
    QTest::newRow("key missing") << int(WeatherError::ApiKeyMissing);
    QTest::newRow("request refused") << int(WeatherError::InvalidInput);
}

void tst_WeatherSession::noRetryForWhatNeedsThePerson()
{
    QFETCH(int, kind);
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.errors[Kind::Current] = WeatherError(WeatherError::Kind(kind));
    source.errors[Kind::Forecast] = WeatherError(WeatherError::Kind(kind));
    source.errors[Kind::Hourly] = WeatherError(WeatherError::Kind(kind));
    WeatherSession session(&source, &clock);
    QList<qint64> retryAts;
    connect(&session, &WeatherSession::placeFailed, this,
            [&](WeatherSession::PlaceId, WeatherKey::Kind, const WeatherError &, qint64 at) {
                retryAts.append(at);
            });
    const auto id = session.showPlace(place(u"Atlantis"_s, 10, 10));
    settle();
    QCOMPARE(retryAts, (QList<qint64>{-1, -1, -1}));
    QCOMPARE(session.nextUpdate(id), -1);
    run(clock, 120 * kMinute, kMinute);
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    QCOMPARE(source.sent[Kind::Forecast].size(), 1);
    // The person fixed the key and pressed refresh.
    source.errors[Kind::Current] = {};
    source.errors[Kind::Forecast] = {};
    source.errors[Kind::Hourly] = {};
    session.refresh(id);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 2);
    QCOMPARE(session.nextUpdate(id), clock.now() + kMinute);
}

void tst_WeatherSession::retryAfterFromTheProviderIsHonoured()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.errors[Kind::Current] = WeatherError(WeatherError::RateLimited);
    source.errors[Kind::Current].setRetryAfter(600);
    WeatherSession session(&source, &clock);
    session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    run(clock, 30 * kMinute, 30 * kSecond);
    QCOMPARE(gaps(source.sent[Kind::Current]).first(), 10 * kMinute);
}

void tst_WeatherSession::staleAnswerIsShownAndRetried()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    WeatherSession session(&source, &clock);
    QList<AnswerSource> sources;
    connect(
        &session, &WeatherSession::currentAnswered, this,
        [&](WeatherSession::PlaceId, const Location &l, const WeatherAnswer<CurrentConditions> &a) {
            QCOMPARE(l.name, u"Berlin"_s);
            QVERIFY(a.ok());
            sources.append(a.source);
        });
    const auto id = session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    source.errors[Kind::Current] = WeatherError(WeatherError::Offline);
    run(clock, kMinute);
    QCOMPARE(sources, (QList<AnswerSource>{AnswerSource::Network, AnswerSource::Stale}));
    QCOMPARE(session.nextUpdate(id), clock.now() + kMinute);
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::Current), kMinute);
}

void tst_WeatherSession::refreshAfterWallClockJump()
{
    SilentClock clock;
    FakeWeatherSource source(&clock);
    WeatherSession session(&source, &clock);
    qint64 steady = 0;
    ClockJumpDetector detector(&clock, nullptr, [&steady] { return steady; });
    session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    // Two hours of suspend: the wall clock moved, the monotonic one did not, and the session's
    // timer (monotonic, a minute away) has not fired. Nothing happens yet...
    clock.m_now += 120 * kMinute;
    steady += 10 * kSecond;
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    // ...until the detector's check notices the jump.
    QVERIFY(detector.check());
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 2);
    QCOMPARE(source.sent[Kind::Forecast].size(), 2);
}

void tst_WeatherSession::clockSetBackPullsDeadlinesIn()
{
    SilentClock clock;
    FakeWeatherSource source(&clock);
    WeatherSession session(&source, &clock);
    const auto id = session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    clock.m_now -= 180 * kMinute; // set back by hand three hours
    Q_EMIT clock.jumped();
    QCOMPARE(session.nextUpdate(id), clock.now() + kMinute);
}

void tst_WeatherSession::jumpDetectorComparesWallAndMonotonic()
{
    ManualClock clock;
    qint64 steady = 0;
    ClockJumpDetector detector(&clock, nullptr, [&steady] { return steady; });
    QList<qint64> deltas;
    connect(&detector, &ClockJumpDetector::jumpDetected, this, [&](qint64 d) { deltas.append(d); });
    clock.advance(10 * kSecond);
    steady += 10 * kSecond;
    QVERIFY(!detector.check()); // steady flow
    clock.advance(10 * kSecond + ClockJumpDetector::kThresholdMs);
    steady += 10 * kSecond;
    QVERIFY(!detector.check()); // within the threshold
    clock.advance(60 * kMinute);
    steady += 10 * kSecond;
    QVERIFY(detector.check()); // resumed after an hour
    clock.setNow(clock.now() - 30 * kMinute);
    steady += 10 * kSecond;
    QVERIFY(detector.check()); // set back
    QCOMPARE(deltas, (QList<qint64>{60 * kMinute - 10 * kSecond, -30 * kMinute - 10 * kSecond}));
}

void tst_WeatherSession::retriesAtOnceWhenTheNetworkComesBack()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.errors[Kind::Current] = WeatherError(WeatherError::Offline);
    WeatherSession session(&source, &clock);
    const auto id = session.showPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    session.setNetworkReachable(false);
    source.errors[Kind::Current] = {};
    run(clock, 20 * kSecond);
    QCOMPARE(source.sent[Kind::Current].size(), 1); // the retry is 40 s away
    session.setNetworkReachable(true);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 2);
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::Current), 0);
    // Back again while all is fresh: nothing to fetch.
    session.setNetworkReachable(false);
    session.setNetworkReachable(true);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 2);
    QCOMPARE(source.sent[Kind::Forecast].size(), 1);
}

void tst_WeatherSession::clearAndInvalidateNeverStopRefreshing()
{
    // The bug of issue 9: 1-minute lifetimes, Clear Cache, then 0 requests for 140 s.
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.ttl[Kind::Forecast] = kMinute;
    WeatherSession session(&source, &clock);
    const Location berlin = place(u"Berlin"_s, 52.52, 13.41);
    session.showPlace(berlin);
    settle();
    run(clock, 10 * kSecond);
    source.clear();
    run(clock, 140 * kSecond);
    QCOMPARE(source.sent[Kind::Current].size(), 3);
    QCOMPARE(source.sent[Kind::Forecast].size(), 3);
    source.currentCache.invalidate(source.cacheKey(Kind::Current, berlin));
    run(clock, 60 * kSecond);
    QCOMPARE(source.sent[Kind::Current].size(), 4);
}

void tst_WeatherSession::severalPlacesEachOnTheirOwnSchedule()
{
    ManualClock clock;
    FakeWeatherSource source(&clock);
    WeatherSession session(&source, &clock);
    QList<WeatherSession::PlaceId> finished;
    connect(&session, &WeatherSession::requestsFinished, this,
            [&](WeatherSession::PlaceId id) { finished.append(id); });
    const auto berlin = session.addPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    run(clock, 30 * kSecond);
    const auto paris = session.addPlace(place(u"Paris"_s, 48.85, 2.35));
    settle();
    QCOMPARE(finished, (QList<WeatherSession::PlaceId>{berlin, paris}));
    QCOMPARE(session.nextUpdate(paris) - session.nextUpdate(berlin), 30 * kSecond);
    run(clock, 2 * kMinute);
    QCOMPARE(source.sent[Kind::Current].size(), 2 + 2 + 2);
    session.removePlace(berlin);
    run(clock, 2 * kMinute);
    QCOMPARE(source.sent[Kind::Current].size(), 6 + 2); // Paris only
    QCOMPARE(session.places(), QList<WeatherSession::PlaceId>{paris});
    QCOMPARE(session.nextUpdate(berlin), -1);
    const auto rome = session.showPlace(place(u"Rome"_s, 41.9, 12.5));
    QCOMPARE(session.places(), QList<WeatherSession::PlaceId>{rome});
}

void tst_WeatherSession::refreshOfOneFeedAsksForThatFeedOnly()
{
    // The cache panel's "Refresh now" on one entry (PlaceBook::refresh(key)): that feed, past
    // the cache, and it ends a wait for the person as refresh() does.
    ManualClock clock;
    FakeWeatherSource source(&clock);
    WeatherSession session(&source, &clock);
    QList<bool> hourly; // each hourly answer: had a value
    connect(&session, &WeatherSession::hourlyAnswered, this,
            [&](WeatherSession::PlaceId, const Location &,
                const WeatherAnswer<HourlyForecastList> &a) { hourly.append(a.ok()); });
    source.errors[Kind::Hourly] = WeatherError(WeatherError::ApiKeyRejected);
    const auto id = session.addPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    QCOMPARE(session.nextUpdate(id, WeatherKey::Kind::Hourly), -1); // waits for the person
    source.errors[Kind::Hourly] = WeatherError();
    session.refresh(id, WeatherKey::Kind::Hourly, true);
    settle();
    QCOMPARE(source.sent[Kind::Hourly].size(), 2);
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    QCOMPARE(source.sent[Kind::Forecast].size(), 1);
    QCOMPARE(hourly.size(), 2);
    QVERIFY(hourly.last());
    QVERIFY(session.nextUpdate(id, WeatherKey::Kind::Hourly) > clock.now());
    // Not a feed a place has, or a place the session does not keep: nothing is asked.
    session.refresh(id, WeatherKey::Kind::Search, true);
    session.refresh(id + 1, WeatherKey::Kind::Current, true);
    settle();
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    QCOMPARE(WeatherSession::feeds(),
             (QList<WeatherKey::Kind>{WeatherKey::Kind::Current, WeatherKey::Kind::Forecast,
                                      WeatherKey::Kind::Hourly, WeatherKey::Kind::AlertList,
                                      WeatherKey::Kind::AirQuality, WeatherKey::Kind::Nowcast}));
    // A source without alerts, air quality or a nowcast is never asked for them, not even by
    // name (issue 23: the FakeWeatherSource has none of the two).
    session.refresh(id, WeatherKey::Kind::AlertList, true);
    session.refresh(id, WeatherKey::Kind::AirQuality, true);
    session.refresh(id, WeatherKey::Kind::Nowcast, true);
    settle();
    QVERIFY(source.sent[Kind::AlertList].isEmpty());
    QVERIFY(source.sent[Kind::AirQuality].isEmpty());
    QVERIFY(source.sent[Kind::Nowcast].isEmpty());
}

void tst_WeatherSession::alertsNeverHoldBackOrBlameTheWeather()
{
    // Issue 22: the alerts are one more feed on their own schedule, but a failing alert
    // server neither keeps the place "loading", nor moves its next update, nor holds back
    // requestsFinished.
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.withAlerts = true;
    source.errors[Kind::AlertList] = WeatherError(WeatherError::Offline);
    source.ttl[Kind::Current] = 10 * kMinute; // no weather is due when the alerts are retried
    WeatherSession session(&source, &clock);
    QList<bool> alerts; // each alerts answer: had a value
    connect(&session, &WeatherSession::alertsAnswered, this,
            [&](WeatherSession::PlaceId, const Location &,
                const WeatherAnswer<WeatherAlertList> &a) { alerts.append(a.ok()); });
    QSignalSpy finished(&session, &WeatherSession::requestsFinished);
    QList<WeatherKey::Kind> failed;
    connect(&session, &WeatherSession::placeFailed, this,
            [&](WeatherSession::PlaceId, WeatherKey::Kind kind) { failed.append(kind); });
    const auto id = session.addPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    QCOMPARE(source.sent[Kind::AlertList].size(), 1);
    QCOMPARE(alerts, QList<bool>{false});
    QCOMPARE(finished.count(), 1); // for the weather, once
    QVERIFY(!session.isLoading(id));
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.first() == WeatherKey::Kind::AlertList);
    // The alerts are retried with back-off; the place's next update is the weather's.
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::AlertList), WeatherSession::kFirstRetryMs);
    QCOMPARE(session.nextUpdate(id),
             clock.now() + source.ttl.value(Kind::Hourly)); // the soonest weather
    QCOMPARE(session.nextUpdate(id, WeatherKey::Kind::AlertList),
             clock.now() + WeatherSession::kFirstRetryMs);

    // The server is back: at the retry, the alerts come, on their own lifetime from then on.
    source.errors[Kind::AlertList] = WeatherError();
    clock.advance(WeatherSession::kFirstRetryMs);
    settle();
    QCOMPARE(source.sent[Kind::AlertList].size(), 2);
    QCOMPARE(alerts, (QList<bool>{false, true}));
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::AlertList), 0);
    QCOMPARE(session.nextUpdate(id, WeatherKey::Kind::AlertList),
             clock.now() + source.ttl.value(Kind::AlertList));
    QCOMPARE(finished.count(), 1); // the alerts' answer is no round of the weather
}

void tst_WeatherSession::airAndNowcastNeverHoldBackOrBlameTheWeather()
{
    // Issue 23: air quality and the nowcast are asked after the weather, each on its own
    // lifetime and back-off; failing, they neither keep the place "loading", nor move its next
    // update, nor hold back requestsFinished.
    ManualClock clock;
    FakeWeatherSource source(&clock);
    source.withAir = true;
    source.errors[Kind::AirQuality] = WeatherError(WeatherError::ServerError);
    source.ttl[Kind::Current] = 10 * kMinute;
    source.ttl[Kind::Forecast] = 60 * kMinute;
    source.ttl[Kind::Hourly] = 60 * kMinute;
    WeatherSession session(&source, &clock);
    QList<bool> air;
    QList<bool> nowcast;
    connect(&session, &WeatherSession::airQualityAnswered, this,
            [&](WeatherSession::PlaceId, const Location &, const WeatherAnswer<AirQuality> &a) {
                air.append(a.ok());
            });
    connect(&session, &WeatherSession::nowcastAnswered, this,
            [&](WeatherSession::PlaceId, const Location &, const WeatherAnswer<Nowcast> &a) {
                nowcast.append(a.ok());
            });
    QSignalSpy finished(&session, &WeatherSession::requestsFinished);
    QList<WeatherKey::Kind> failed;
    connect(&session, &WeatherSession::placeFailed, this,
            [&](WeatherSession::PlaceId, WeatherKey::Kind kind) { failed.append(kind); });
    const qint64 start = clock.now();
    const auto id = session.addPlace(place(u"Berlin"_s, 52.52, 13.41));
    settle();
    QCOMPARE(source.sent[Kind::AirQuality].size(), 1);
    QCOMPARE(source.sent[Kind::Nowcast].size(), 1);
    QCOMPARE(air, QList<bool>{false});
    QCOMPARE(nowcast, QList<bool>{true});
    QCOMPARE(finished.count(), 1);
    QVERIFY(!session.isLoading(id));
    QCOMPARE(failed, QList<WeatherKey::Kind>{WeatherKey::Kind::AirQuality});
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::AirQuality), WeatherSession::kFirstRetryMs);
    QCOMPARE(session.nextUpdate(id), start + 10 * kMinute); // the weather's, not the retry's
    QCOMPARE(session.nextUpdate(id, WeatherKey::Kind::Nowcast), start + 15 * kMinute);

    // The retry a minute on answers; the weather is not asked again for it.
    source.errors[Kind::AirQuality] = WeatherError();
    clock.advance(WeatherSession::kFirstRetryMs);
    settle();
    QCOMPARE(air, (QList<bool>{false, true}));
    QCOMPARE(session.retryDelay(id, WeatherKey::Kind::AirQuality), 0);
    QCOMPARE(source.sent[Kind::Current].size(), 1);
    QCOMPARE(finished.count(), 1);
    // The nowcast's 15 minutes, the weather's 10: each on its own.
    run(clock, 30 * kMinute);
    QCOMPARE(gaps(source.sent[Kind::Nowcast]), (QList<qint64>{15 * kMinute, 15 * kMinute}));
    QCOMPARE(source.sent[Kind::Current].size(), 4);
    QCOMPARE(source.sent[Kind::AirQuality].size(), 2); // an hour's lifetime from the retry
}

QTEST_GUILESS_MAIN(tst_WeatherSession)
#include "tst_weathersession.moc"
