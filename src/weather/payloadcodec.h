// SPDX-License-Identifier: MIT
#pragma once

#include "currentconditions.h"
#include "dailyforecast.h"
#include "location.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <variant>

/** What the weather cache holds: one type per kind of entry (also declared by WeatherService). */
using WeatherPayload = std::variant<QList<Location>, CurrentConditions, DailyForecastList>;

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

/** Bumped when the layout changes; rows of another version decode to nullopt (a miss). */
constexpr quint8 kPayloadVersion = 1;

/**
 * The smallest encoded Location (all strings empty): version, five string lengths, two
 * doubles, the optional offset. A list of N places needs at least N times this.
 */
constexpr qint64 kMinLocationBytes = 1 + 5 * 4 + 2 * 8 + (1 + 4);
/**
 * The smallest encoded DailyForecast: version, date, two optional temperatures, condition,
 * string, units, the optional UTC offset.
 */
constexpr qint64 kMinDailyForecastBytes = 1 + 8 + 2 * (1 + 8) + 1 + 4 + 1 + (1 + 4);

QByteArray encode(const WeatherPayload &payload);
std::optional<WeatherPayload> decode(const QByteArray &bytes);

} // namespace PayloadCodec
