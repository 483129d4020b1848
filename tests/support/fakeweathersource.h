// SPDX-License-Identifier: MIT
#pragma once

#include "cache/asynccache.h"
#include "weather/airquality.h"
#include "weather/currentconditions.h"
#include "weather/dailyforecast.h"
#include "weather/hourlyforecast.h"
#include "weather/location.h"
#include "weather/nowcast.h"
#include "weather/weatheralert.h"
#include "weather/weathererror.h"
#include "weather/weatherkey.h"
#include "weather/weathersource.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

/**
 * A WeatherSource over real memory caches keyed with real WeatherKeys, as the service is,
 * whose "network" the test scripts. Per feed: its lifetime (`ttl`), the error it answers with
 * (`errors`, none: a value) and when each request was made on the clock (`sent`); per key,
 * how many were made (requests()). `provider` is what a switch in Preferences changes;
 * refreshKey() notes the keys it was asked to refresh. For the tests of WeatherSession and
 * PlaceBook; tests only.
 */
class FakeWeatherSource final : public WeatherSource
{
public:
    using Kind = WeatherKey::Kind;
    static constexpr qint64 kMinute = 60'000;

    explicit FakeWeatherSource(Clock *clock)
        : m_clock(clock)
        , currentCache(clock)
        , forecastCache(clock)
        , hourlyCache(clock)
        , alertsCache(clock)
        , airQualityCache(clock)
        , nowcastCache(clock)
    {
        currentCache.setStaleHorizon(24 * 60 * kMinute);
        forecastCache.setStaleHorizon(24 * 60 * kMinute);
        hourlyCache.setStaleHorizon(24 * 60 * kMinute);
    }

    QFuture<WeatherAnswer<CurrentConditions>> current(const Location &location, bool force) override
    {
        CurrentConditions now;
        now.temperature = temperature;
        return through(currentCache, Kind::Current, location, force, now);
    }
    QFuture<WeatherAnswer<DailyForecastList>> forecast(const Location &location,
                                                       bool force) override
    {
        return through(forecastCache, Kind::Forecast, location, force, DailyForecastList{});
    }
    QFuture<WeatherAnswer<HourlyForecastList>> hourly(const Location &location, bool force) override
    {
        return through(hourlyCache, Kind::Hourly, location, force, HourlyForecastList{});
    }
    /** Issue 22: only a source with alerts (`withAlerts`) is asked for them. */
    bool hasAlerts() const override { return withAlerts; }
    QFuture<WeatherAnswer<WeatherAlertList>> alerts(const Location &location, bool force) override
    {
        return through(alertsCache, Kind::AlertList, location, force, WeatherAlertList{});
    }
    /** Issue 23: only a source with them (`withAir`) is asked for air quality and the nowcast. */
    bool hasFeed(Kind kind) const override
    {
        if (kind == Kind::AirQuality || kind == Kind::Nowcast)
            return withAir;
        return WeatherSource::hasFeed(kind);
    }
    QFuture<WeatherAnswer<AirQuality>> airQuality(const Location &location, bool force) override
    {
        return through(airQualityCache, Kind::AirQuality, location, force, AirQuality{});
    }
    QFuture<WeatherAnswer<Nowcast>> nowcast(const Location &location, bool force) override
    {
        return through(nowcastCache, Kind::Nowcast, location, force, Nowcast{});
    }
    qint64 lifetimeMs(Kind kind) const override { return ttl.value(kind, kMinute); }
    QString cacheKey(Kind kind, const Location &l) const override
    {
        switch (kind) {
        case Kind::Current:
            return WeatherKey::current(provider, l, Units::Metric, QStringLiteral("en")).toString();
        case Kind::Forecast:
            return WeatherKey::forecast(provider, l, Units::Metric, QStringLiteral("en"))
                .toString();
        case Kind::Hourly:
            return WeatherKey::hourly(provider, l, Units::Metric, QStringLiteral("en")).toString();
        case Kind::AlertList:
            return QStringLiteral("alerts/") + WeatherKey::coordinatesText(l.latitude, l.longitude);
        case Kind::AirQuality:
        case Kind::Nowcast:
            return WeatherKey::feed(kind, QStringLiteral("open-meteo"), l, Units::Metric,
                                    QStringLiteral("en"))
                .toString();
        default:
            return {};
        }
    }
    bool refreshKey(const QString &key) override
    {
        keysRefreshedHere.append(key);
        return WeatherKey::parse(key).provider() == provider;
    }

    /** Requests made for `kind` at `l`'s key (its cell, this provider). */
    int requests(Kind kind, const Location &l) const { return m_requests.value(cacheKey(kind, l)); }
    /** Every cached answer gone, as Clear Cache does. */
    void clear()
    {
        currentCache.clear();
        forecastCache.clear();
        hourlyCache.clear();
        alertsCache.clear();
        airQualityCache.clear();
        nowcastCache.clear();
    }

    QString provider = QStringLiteral("open-meteo");
    double temperature = 21.5;
    QHash<Kind, qint64> ttl{{Kind::Current, kMinute},         {Kind::Forecast, 5 * kMinute},
                            {Kind::Hourly, 3 * kMinute},      {Kind::AlertList, 2 * kMinute},
                            {Kind::AirQuality, 60 * kMinute}, {Kind::Nowcast, 15 * kMinute}};
    bool withAlerts = false;
    bool withAir = false; // issue 23
    QHash<Kind, WeatherError> errors;
    QHash<Kind, QList<qint64>> sent; // when each request was made, per feed
    QStringList keysRefreshedHere;

private:
    template<typename T>
    QFuture<WeatherAnswer<T>> through(AsyncCache<T> &cache, Kind kind, const Location &location,
                                      bool force, const T &value)
    {
        const QString key = cacheKey(kind, location);
        auto loader = [this, key, kind, value]() {
            ++m_requests[key];
            sent[kind].append(m_clock->now());
            const WeatherError error = errors.value(kind);
            if (error.isError())
                return QtFuture::makeReadyFuture(Outcome<T>::failure(
                    {int(error.kind()), error.message(), QVariant::fromValue(error)}));
            return QtFuture::makeReadyFuture(Outcome<T>::success(value));
        };
        QFuture<CacheResult<T>> pending = force ? cache.refresh(key, loader, lifetimeMs(kind))
                                                : cache.get(key, loader, lifetimeMs(kind));
        return pending.then([](const CacheResult<T> &r) {
            WeatherAnswer<T> a;
            a.value = r.value;
            a.ageMs = r.ageMs;
            if (r.error.isError())
                a.error = qvariant_cast<WeatherError>(r.error.detail);
            a.source = r.source == CacheSource::Stale    ? AnswerSource::Stale
                       : r.source == CacheSource::Loaded ? AnswerSource::Network
                                                         : AnswerSource::Cache;
            return a;
        });
    }

    Clock *m_clock;
    QHash<QString, int> m_requests;

public:
    AsyncCache<CurrentConditions> currentCache;
    AsyncCache<DailyForecastList> forecastCache;
    AsyncCache<HourlyForecastList> hourlyCache;
    AsyncCache<WeatherAlertList> alertsCache;
    AsyncCache<AirQuality> airQualityCache;
    AsyncCache<Nowcast> nowcastCache;
};
