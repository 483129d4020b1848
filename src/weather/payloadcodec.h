// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "nowcast.h"
#include "weatheralert.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <variant>

/** What the weather cache holds: one type per kind of entry (also declared by WeatherService). */
using WeatherPayload
    = std::variant<QList<Location>, CurrentConditions, DailyForecastList, HourlyForecastList,
                   AlertIdList, CapMessage, AirQuality, Nowcast>; // issue 23 (air): the last two

/**
 * The disk tier's blob format for a WeatherPayload: a format version, the variant's index,
 * then the value in QDataStream (Qt_6_4) form. Pure functions, no state.
 *
 * decode() reads bytes from a file that may be damaged or written by someone else, so it
 * trusts nothing: every element count and string length is checked against the bytes that
 * remain before anything is allocated, and a blob with bytes left over is refused too. A blob
 * it refuses is nullopt, never a partial value; the caller simply misses and fetches anew.
 */
namespace PayloadCodec {

/**
 * Index 4 (alert ids) and 5 (a CAP message, kept as the XML the server sent and read back by
 * CapParser) came with issue 22 without a version bump: no earlier layout changed, and an
 * older reader misses on an index it does not know.
 *
 * Air quality (index 6) and the nowcast (7) came with issue 23 the same way.
 *
 * Bumped when the layout changes. 3 grew the current conditions (dew point, visibility, cloud
 * cover); 2 added the hourly forecast (index 3) and grew the current conditions and the days.
 * Blobs of versions 1 and 2 still decode (their values read with the new fields missing). Any
 * other version decodes to nullopt (a miss), so an older build sharing the Redis tier refetches
 * rather than misreads.
 */
constexpr quint8 kPayloadVersion = 3;
constexpr quint8 kOldestPayloadVersion = 1;

/**
 * The smallest encoded Location (all strings empty): version, five string lengths, two
 * doubles, the optional offset. A list of N places needs at least N times this.
 */
constexpr qint64 kMinLocationBytes = 1 + 5 * 4 + 2 * 8 + (1 + 4);
/**
 * The smallest encoded DailyForecast: version, date, two optional temperatures, condition,
 * string, the optional UTC offset, three optionals (precipitation, its chance, UV), two date
 * times, four units.
 */
constexpr qint64 kMinDailyForecastBytes
    = 1 + 8 + 2 * (1 + 8) + 1 + 4 + (1 + 4) + 3 * (1 + 8) + 2 * (8 + 4 + 1) + 4;
/** The same in a version-1 blob (day layout 2: no precipitation, UV or sun times). */
constexpr qint64 kMinDailyForecastBytesV1 = 1 + 8 + 2 * (1 + 8) + 1 + 4 + 1 + (1 + 4);
/**
 * The smallest encoded HourlyForecast: version, date time, period, three optionals,
 * condition, string, day flag, the optional offset, four units, the optional wind.
 */
constexpr qint64 kMinHourlyForecastBytes
    = 1 + (8 + 4 + 1) + 1 + 3 * (1 + 8) + 1 + 4 + 1 + (1 + 4) + 4 + (1 + 8);
/** The same in hour layout 1 (no wind), which a version-2 blob may still hold. */
constexpr qint64 kMinHourlyForecastBytesV1 = kMinHourlyForecastBytes - (1 + 8);

QByteArray encode(const WeatherPayload &payload);
/**
 * The payload in `bytes`, or nullopt when they do not hold one, or hold one that is not
 * plausible(): bytes from memory, disk and Redis meet the parsers' limits alike.
 */
std::optional<WeatherPayload> decode(const QByteArray &bytes);

/**
 * The parsers' plausibility limits (jsonhelpers_p.h), applied to a whole value: every
 * measurement finite and within them (in its own units), dates and times within 1970..2199,
 * UTC offsets within ±18 h, texts at most kMaxTextLength, lists no longer than a provider
 * sends. A parser drops an implausible reading; a stored value holding one was not written by
 * a parser, so the whole value is refused.
 */
bool plausible(const WeatherPayload &payload);

/**
 * True when `payload` is the kind of value `key` (a WeatherKey's text) names: a forecast
 * under a forecast key. Labels hold no payload; a key that is no WeatherKey names no kind.
 */
bool fitsKey(const QString &key, const WeatherPayload &payload);

/**
 * The longest TTL an entry under `key` may have been stored with: the larger of a fixed
 * ceiling for its kind (current, air quality and nowcast 1 day, hourly 2 days, forecast 7 days,
 * search 1 year, alert list 1 hour, alert message AlertLifetime::kMaxMessageMs) and
 * `configuredMs` (what this machine's settings give the kind, up to "never"). A TTL beyond it
 * is a fault, not a choice.
 */
qint64 maxTtlMs(const QString &key, qint64 configuredMs);

} // namespace PayloadCodec
