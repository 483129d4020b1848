// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "cache/continuationcontext.h"
#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "nowcast.h"
#include "weathererror.h"
#include "weatherkey.h"
#include "weathersource.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QTimer>

#include <map>

class Clock;

/**
 * The places on screen and keeping their weather current, without widgets.
 *
 * For each place it asks for current conditions, the daily and the hourly forecast (three
 * feeds, each with its own entry and lifetime), and the severe-weather alerts when the source
 * has them (WeatherSource::hasAlerts()), and asks again when an answer expires: at the load
 * time of the answer plus its lifetime, so an answer read back from disk at age 8 of 10 minutes is
 * refreshed 2 minutes later. After a failure it retries with back-off (1, 2, 4, 8, 15, 15 …
 * minutes, longer when the provider says so) except for failures only the person can fix: an
 * unknown place, a missing or rejected API key, a request refused as invalid. Those wait for
 * refresh() or a settings change (refreshAll()).
 *
 * Deadlines are on the injected Clock (wall time): one QTimer is armed for the earliest (at
 * most a minute ahead), and Clock::jumped re-checks at once, so a ManualClock's advance()
 * drives every refresh in tests and a resume from suspend (ClockJumpDetector) refreshes what
 * expired while asleep. A deadline further ahead than it could ever be (the clock was set
 * back) is pulled in. When the network comes back (setNetworkReachable), what failed is
 * retried at once.
 *
 * The alerts (issue 22), air quality and the nowcast (issue 23) are extras, asked for after
 * the weather where the source has them (WeatherSource::hasFeed()): they never make a place
 * "loading", never hold back requestsFinished() and are not in nextUpdate(id), so a slow or
 * dead server of theirs never delays or blames the weather (isWeather()).
 *
 * The schedule belongs to the session, not to the cache: Clear Cache and Invalidate drop
 * entries, and the next refresh simply fetches them again.
 *
 * Ownership: the source and the clock are borrowed and must outlive the session.
 */
class WeatherSession : public QObject
{
    Q_OBJECT
public:
    using PlaceId = int;
    static constexpr qint64 kFirstRetryMs = 60'000;
    static constexpr qint64 kLongestRetryMs = 15 * 60'000;
    /** The soonest a place is asked again after an answer, whatever its age says. */
    static constexpr qint64 kMinimumIntervalMs = 5'000;

    WeatherSession(WeatherSource *source, Clock *clock, QObject *parent = nullptr);
    ~WeatherSession() override;

    /** Adds a place and asks for its weather. */
    PlaceId addPlace(const Location &location);
    /** Today's single place: replaces every place with this one. */
    PlaceId showPlace(const Location &location);
    void removePlace(PlaceId id);
    QList<PlaceId> places() const;
    Location location(PlaceId id) const;

    /** When `id`'s weather is next asked for (ms since the epoch); -1 when nothing is planned. */
    qint64 nextUpdate(PlaceId id) const;
    /** The same for one `kind` (Current, Forecast or Hourly) of `id`. */
    qint64 nextUpdate(PlaceId id, WeatherKey::Kind kind) const;
    /** The back-off now in effect for `kind` of `id`; 0 when it did not fail. */
    qint64 retryDelay(PlaceId id, WeatherKey::Kind kind) const;
    bool isLoading(PlaceId id) const;

    /** Asks again now (through the cache; `force`: past it). Also ends a wait for the person. */
    void refresh(PlaceId id, bool force = false);
    void refreshAll(bool force = false);
    /** Asks again now for one feed of `id` (the cache panel's "Refresh now" on its entry). */
    void refresh(PlaceId id, WeatherKey::Kind kind, bool force);

    /**
     * The feeds every place has, in the order they are asked for: the weather's three, then
     * the extras (alerts, air quality, the nowcast), each only where the source has it.
     */
    static QList<WeatherKey::Kind> feeds() { return {std::begin(kKinds), std::end(kKinds)}; }
    /** Current, Forecast or Hourly: the feeds that make the weather, its loading and status. */
    static bool isWeather(WeatherKey::Kind kind)
    {
        return kind == WeatherKey::Kind::Current || kind == WeatherKey::Kind::Forecast
               || kind == WeatherKey::Kind::Hourly;
    }

    /** The network came back (true) or went (false). QNetworkInformation's signal calls it. */
    void setNetworkReachable(bool reachable);

    /**
     * Failures retrying cannot fix (an unknown place, a missing or rejected key, a refused
     * request): the session waits for the person, and "Try again" is not offered.
     */
    static bool needsThePerson(const WeatherError &error);

Q_SIGNALS:
    /** Every answer for current conditions: fresh, from the cache, stale with why, or failed. */
    void currentAnswered(WeatherSession::PlaceId id, const Location &location,
                         const WeatherAnswer<CurrentConditions> &answer);
    void forecastAnswered(WeatherSession::PlaceId id, const Location &location,
                          const WeatherAnswer<DailyForecastList> &answer);
    void hourlyAnswered(WeatherSession::PlaceId id, const Location &location,
                        const WeatherAnswer<HourlyForecastList> &answer);
    /** The live alerts of the place, or (no value) why they are unknown (issue 22). */
    void alertsAnswered(WeatherSession::PlaceId id, const Location &location,
                        const WeatherAnswer<WeatherAlertList> &answer);
    /** Air quality and pollen of the place, or (no value) why they are unknown (issue 23). */
    void airQualityAnswered(WeatherSession::PlaceId id, const Location &location,
                            const WeatherAnswer<AirQuality> &answer);
    /** The rain of the next hours in 15-minute steps, or why it is unknown (issue 23). */
    void nowcastAnswered(WeatherSession::PlaceId id, const Location &location,
                         const WeatherAnswer<Nowcast> &answer);
    /**
     * A request failed (no value, or a stale one). `retryAt` is when it is tried again, -1
     * when it waits for the person (unknown place, rejected key).
     */
    void placeFailed(WeatherSession::PlaceId id, WeatherKey::Kind kind, const WeatherError &error,
                     qint64 retryAt);
    void nextUpdateChanged(WeatherSession::PlaceId id, qint64 at);
    void loadingChanged(WeatherSession::PlaceId id, bool loading);
    /** Every request of a round for `id` answered (what MainWindow shows as "not busy"). */
    void requestsFinished(WeatherSession::PlaceId id);

private:
    struct Feed
    {
        qint64 due = -1; // when to ask next; -1: nothing planned
        qint64 interval = 0; // how far ahead `due` was when it was set
        qint64 retryDelay = 0; // 0: not failing
        bool inFlight = false;
        quint64 generation = 0;
    };
    struct Place
    {
        Location location;
        Feed current;
        Feed forecast;
        Feed hourly;
        Feed alerts; // not weather: never "loading" (see the class comment)
        Feed airQuality; // nor these (issue 23)
        Feed nowcast;
        qint64 announcedNext = -2;

        bool inFlight() const { return current.inFlight || forecast.inFlight || hourly.inFlight; }
        bool announcedLoading = false;
    };

    static constexpr WeatherKey::Kind kKinds[]
        = {WeatherKey::Kind::Current,   WeatherKey::Kind::Forecast,   WeatherKey::Kind::Hourly,
           WeatherKey::Kind::AlertList, WeatherKey::Kind::AirQuality, WeatherKey::Kind::Nowcast};
    static Feed &feed(Place &place, WeatherKey::Kind kind);
    static const Feed &feed(const Place &place, WeatherKey::Kind kind);
    void request(PlaceId id, WeatherKey::Kind kind, bool force);
    /** Hands the answer of `future` to answered(), on this thread, if the session still exists. */
    template<typename T>
    void watch(QFuture<WeatherAnswer<T>> future, PlaceId id, WeatherKey::Kind kind,
               quint64 generation);
    template<typename T>
    void answered(PlaceId id, WeatherKey::Kind kind, quint64 generation,
                  const WeatherAnswer<T> &answer);
    void failed(PlaceId id, Feed &f, WeatherKey::Kind kind, const WeatherError &error);
    void checkDue();
    void reschedule();
    void announce(PlaceId id);

    WeatherSource *m_source;
    // A source may answer after the session is gone: see ContinuationContext.
    ContinuationContext m_continuations;
    Clock *m_clock;
    std::map<PlaceId, Place> m_places;
    PlaceId m_lastId = 0;
    QTimer m_timer;
    bool m_reachable = true;
    bool m_checking = false;
};
