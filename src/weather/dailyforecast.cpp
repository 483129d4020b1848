// SPDX-License-Identifier: MIT
#include "dailyforecast.h"

#include "streamhelpers_p.h"

#include <QDataStream>

namespace {
// 3: precipitation sum and probability, UV, sunrise and sunset, a unit per quantity. 2 is
// still read; a version-1 row (cached long before) is refused: a miss, fetched anew.
constexpr quint8 kStreamVersion = 3;
constexpr quint8 kOldestStreamVersion = 2;
} // namespace

DailyForecast DailyForecast::convertedTo(const UnitSet &target) const
{
    DailyForecast d = *this;
    d.minTemp = convertTemperature(minTemp, units.temperature, target.temperature);
    d.maxTemp = convertTemperature(maxTemp, units.temperature, target.temperature);
    d.precipitationSum
        = convertPrecipitation(precipitationSum, units.precipitation, target.precipitation);
    d.units = target;
    return d;
}

DailyForecastList convertedTo(const DailyForecastList &days, const UnitSet &target)
{
    DailyForecastList result;
    result.reserve(days.size());
    for (const DailyForecast &day : days)
        result.append(day.convertedTo(target));
    return result;
}

QDate placeToday(const DailyForecastList &days, const QDateTime &nowUtc,
                 std::optional<int> fallbackOffsetSeconds)
{
    std::optional<int> offset = fallbackOffsetSeconds;
    if (!days.isEmpty() && days.constFirst().utcOffsetSeconds)
        offset = days.constFirst().utcOffsetSeconds;
    return nowUtc.toUTC().addSecs(offset.value_or(0)).date();
}

DailyForecastList upcomingDays(const DailyForecastList &days, const QDateTime &nowUtc,
                               std::optional<int> fallbackOffsetSeconds)
{
    const QDate today = placeToday(days, nowUtc, fallbackOffsetSeconds);
    DailyForecastList result;
    for (const DailyForecast &day : days) {
        if (day.date >= today)
            result.append(day);
    }
    return result;
}

QDataStream &operator<<(QDataStream &out, const DailyForecast &day)
{
    out << kStreamVersion << day.date;
    WeatherStream::writeOptional(out, day.minTemp);
    WeatherStream::writeOptional(out, day.maxTemp);
    out << day.condition << day.description;
    WeatherStream::writeOptional(out, day.utcOffsetSeconds);
    WeatherStream::writeOptional(out, day.precipitationSum);
    WeatherStream::writeOptional(out, day.precipitationProbabilityMax);
    WeatherStream::writeOptional(out, day.uvIndexMax);
    out << day.sunrise << day.sunset << day.units;
    return out;
}

QDataStream &operator>>(QDataStream &in, DailyForecast &day)
{
    day = DailyForecast();
    const auto version = WeatherStream::readVersionIn(in, kOldestStreamVersion, kStreamVersion);
    if (!version)
        return in;
    in >> day.date;
    WeatherStream::readOptional(in, day.minTemp);
    WeatherStream::readOptional(in, day.maxTemp);
    in >> day.condition;
    WeatherStream::readString(in, day.description);
    if (*version == 2) {
        Units units = Units::Metric;
        in >> units;
        day.units = UnitSet::asked(units);
        WeatherStream::readOptional(in, day.utcOffsetSeconds);
        return in;
    }
    WeatherStream::readOptional(in, day.utcOffsetSeconds);
    WeatherStream::readOptional(in, day.precipitationSum);
    WeatherStream::readOptional(in, day.precipitationProbabilityMax);
    WeatherStream::readOptional(in, day.uvIndexMax);
    WeatherStream::readUtcDateTime(in, day.sunrise);
    WeatherStream::readUtcDateTime(in, day.sunset);
    in >> day.units;
    return in;
}
