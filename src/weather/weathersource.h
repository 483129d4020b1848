// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "nowcast.h"
#include "weatheralert.h"
#include "weatheranswer.h"
#include "weatherkey.h"

#include <QFuture>

/**
 * Where a WeatherSession gets its weather: the WeatherService, or a fake in tests. Answers
 * come through the cache, so asking again for something fresh costs nothing.
 */
class WeatherSource
{
public:
    virtual ~WeatherSource() = default;
    virtual QFuture<WeatherAnswer<CurrentConditions>> current(const Location &location,
                                                              bool forceRefresh)
        = 0;
    virtual QFuture<WeatherAnswer<DailyForecastList>> forecast(const Location &location,
                                                               bool forceRefresh)
        = 0;
    virtual QFuture<WeatherAnswer<HourlyForecastList>> hourly(const Location &location,
                                                              bool forceRefresh)
        = 0;
    /**
     * Severe-weather alerts (issue 22): the live alerts at the place, or why they are unknown.
     * Only asked when hasAlerts(); a source without them is never asked.
     */
    virtual bool hasAlerts() const { return false; }
    virtual QFuture<WeatherAnswer<WeatherAlertList>> alerts(const Location &location,
                                                            bool forceRefresh)
    {
        Q_UNUSED(location);
        Q_UNUSED(forceRefresh);
        return {};
    }
    /**
     * Whether the source has the feed `kind`: the weather's three always, the alerts when
     * hasAlerts(); air quality and the nowcast (issue 23) only where the source says so.
     * The session never asks a source for a feed it does not have.
     */
    virtual bool hasFeed(WeatherKey::Kind kind) const
    {
        switch (kind) {
        case WeatherKey::Kind::Current:
        case WeatherKey::Kind::Forecast:
        case WeatherKey::Kind::Hourly:
            return true;
        case WeatherKey::Kind::AlertList:
            return hasAlerts();
        default:
            return false;
        }
    }
    /** Air quality and pollen now; asked for only when hasFeed(AirQuality). */
    virtual QFuture<WeatherAnswer<AirQuality>> airQuality(const Location &location,
                                                          bool forceRefresh)
    {
        Q_UNUSED(location);
        Q_UNUSED(forceRefresh);
        return {};
    }
    /** Rain in 15-minute steps; asked for only when hasFeed(Nowcast). */
    virtual QFuture<WeatherAnswer<Nowcast>> nowcast(const Location &location, bool forceRefresh)
    {
        Q_UNUSED(location);
        Q_UNUSED(forceRefresh);
        return {};
    }
    /** How long an answer of `kind` stays fresh: its cache TTL. */
    virtual qint64 lifetimeMs(WeatherKey::Kind kind) const = 0;
    /**
     * The cache key `location`'s feed of `kind` is kept under with today's settings (provider,
     * units, language); empty when the source has no keys. PlaceBook maps the cache panel's
     * keys back to a place and feed with it.
     */
    virtual QString cacheKey(WeatherKey::Kind kind, const Location &location) const
    {
        Q_UNUSED(kind);
        Q_UNUSED(location);
        return {};
    }
    /** Fetches the entry named `key` again, past the cache; false when it cannot. */
    virtual bool refreshKey(const QString &key)
    {
        Q_UNUSED(key);
        return false;
    }
};
