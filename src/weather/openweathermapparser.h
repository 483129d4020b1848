// SPDX-License-Identifier: MIT
#pragma once

#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "units.h"
#include "weatherresult.h"

#include <QByteArray>
#include <QList>

/**
 * Pure functions turning OpenWeatherMap (free plan) bodies into values or typed errors. No
 * network, no cache, no state.
 *
 * Units: the request asks for `units=metric` or `units=imperial`; metric wind speed arrives in
 * m/s and is converted to km/h here so both providers report the same unit.
 * A body whose `cod` (a number in some answers, a string in others) is not 200 is an error
 * whatever the HTTP status said.
 *
 * Values outside physical ranges are missing and names are capped, with the same ranges and
 * caps as OpenMeteoParser (documented there).
 */
namespace OpenWeatherMapParser {

/** "OpenWeatherMap", the name errors carry. */
QString providerName();

/**
 * /geo/1.0/direct: a JSON array; `[]` is no match (an empty list, not an error). Keeps at
 * most `maxResults` places (the `limit` the request asked for).
 */
WeatherResult<QList<Location>> parseGeocoding(const QByteArray &body, int maxResults);

/**
 * /data/2.5/weather: also gusts (`wind.gust`), the last hour's `rain.1h` + `snow.1h` (absent:
 * none) and today's sunrise and sunset from `sys`. Pressure is `main.pressure` (at sea level),
 * else `main.sea_level` when `pressure` is left out.
 */
WeatherResult<CurrentConditions> parseCurrent(const QByteArray &body, Units units);

/**
 * /data/2.5/forecast (5 days, 3-hour steps) folded into days of the place's local calendar
 * (`city.timezone` offset): min of the slots' minima, max of their maxima. The day's condition
 * is the most severe one among the daytime slots (local 06:00-20:59), or among all the day's
 * slots when none is in daytime; slots with an unknown condition count only if nothing else
 * is known. A shower at 15:00 is what someone planning the day needs to see even if the rest
 * of the day is clear, while a night-time storm should not paint the whole day. The first and
 * last days may be partial (only the slots the forecast covers).
 *
 * A day's precipitation is the sum of its slots' `rain.3h` + `snow.3h` (absent: none), unknown
 * when one slot's amount is unreadable; its probability the highest `pop` (0..1, as %). The
 * city's `sunrise`/`sunset` (today's) go to the day they fall on. No UV index on this plan.
 */
WeatherResult<QList<DailyForecast>> parseForecast(const QByteArray &body, Units units);

/**
 * The same /data/2.5/forecast body as 3-hour slots, oldest first: temperature, `pop` as %,
 * `rain.3h` + `snow.3h`, the condition, day or night from `sys.pod`.
 */
WeatherResult<HourlyForecastList> parseHourly(const QByteArray &body, Units units);

/** Non-2xx: 401 ApiKeyRejected, 404 CityNotFound, 429 RateLimited, 400 InvalidInput, 5xx. */
WeatherError parseError(int httpStatus, const QByteArray &body);

} // namespace OpenWeatherMapParser
