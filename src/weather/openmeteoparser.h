// SPDX-License-Identifier: MIT
#pragma once

#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "units.h"
#include "weatherresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

/**
 * Pure functions turning Open-Meteo response bodies into values or typed errors. No network,
 * no cache, no state: safe to call from any thread.
 *
 * Leniency: a body that is not a JSON object, or lacks the block the call is about (`current`,
 * `daily.time`), or has it with the wrong type, is BadResponse. A single value that is null,
 * missing or of the wrong type becomes nullopt; a geocoding entry without a name or
 * coordinates is skipped. A body with `"error": true` is InvalidInput with the server's reason,
 * whatever the HTTP status said.
 *
 * Plausibility (both providers, see jsonhelpers_p.h): a measurement outside a physical range
 * is missing, not data, and the debug log says why: temperature -100..+70 °C (-148..+158 °F),
 * humidity 0..100 %, pressure 300..1200 hPa, wind speed and gusts 0..150 m/s (540 km/h,
 * 335.5 mph), precipitation 0..1000 mm an hour or slot and 0..2000 mm a day, chances 0..100 %,
 * UV index 0..50,
 * wind direction 0..360°, times and dates in 1970..2199, UTC offsets within ±18 h. A weather
 * code that is not an integer in range reads as an unknown code. Names, regions, countries,
 * zone ids, descriptions and error reasons are cut to 200 UTF-16 units at a grapheme boundary.
 * A forecast keeps at most 16 days (Open-Meteo's maximum), a search the count it asked for.
 */
namespace OpenMeteoParser {

/** "Open-Meteo", the name errors carry. */
QString providerName();

/**
 * The body's top-level JSON object, for every Open-Meteo API (forecast, air quality, nowcast):
 * garbage or a non-object is a bad response, and `{"error":true,"reason":"..."}` (with any
 * status) a refused request whose reason is cut to 200 units.
 */
WeatherResult<QJsonObject> parseRoot(const QByteArray &body);

/**
 * /v1/search. No `results` key means no match: an empty list, not an error. Keeps at most
 * `maxResults` places (the count the request asked for), however many the body holds.
 */
WeatherResult<QList<Location>> parseGeocoding(const QByteArray &body, int maxResults);

/**
 * /v1/forecast with `current=`. `current.time` is local time at the place (timezone=auto);
 * it is converted to UTC with `utc_offset_seconds`. `units` is what the request asked for.
 */
WeatherResult<CurrentConditions> parseCurrent(const QByteArray &body, Units units);

/**
 * /v1/forecast with `daily=`: the parallel arrays folded into one entry per date. Sunrise and
 * sunset (local wall time like the dates) become UTC by `utc_offset_seconds`.
 */
WeatherResult<QList<DailyForecast>> parseDaily(const QByteArray &body, Units units);

/**
 * /v1/forecast with `hourly=temperature_2m,precipitation_probability,precipitation,
 * weather_code,is_day`: one slot per hour, its local time turned into UTC. An hour whose time
 * is unreadable is skipped; an absurd offset leaves no hours (every time would be wrong).
 */
WeatherResult<HourlyForecastList> parseHourly(const QByteArray &body, Units units);

/** Any non-2xx answer: 400 InvalidInput (with `reason`), 429 RateLimited, 5xx ServerError. */
WeatherError parseError(int httpStatus, const QByteArray &body);

} // namespace OpenMeteoParser
