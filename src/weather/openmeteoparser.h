// SPDX-License-Identifier: MIT
#pragma once

#include "currentconditions.h"
#include "dailyforecast.h"
#include "location.h"
#include "units.h"
#include "weatherresult.h"

#include <QByteArray>
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
 */
namespace OpenMeteoParser {

/** "Open-Meteo", the name errors carry. */
QString providerName();

/** /v1/search. No `results` key means no match: an empty list, not an error. */
WeatherResult<QList<Location>> parseGeocoding(const QByteArray &body);

/**
 * /v1/forecast with `current=`. `current.time` is local time at the place (timezone=auto);
 * it is converted to UTC with `utc_offset_seconds`. `units` is what the request asked for.
 */
WeatherResult<CurrentConditions> parseCurrent(const QByteArray &body, Units units);

/** /v1/forecast with `daily=`: the parallel arrays folded into one entry per date. */
WeatherResult<QList<DailyForecast>> parseDaily(const QByteArray &body, Units units);

/** Any non-2xx answer: 400 InvalidInput (with `reason`), 429 RateLimited, 5xx ServerError. */
WeatherError parseError(int httpStatus, const QByteArray &body);

} // namespace OpenMeteoParser
