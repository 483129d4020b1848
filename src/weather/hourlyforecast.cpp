// SPDX-License-Identifier: MIT
#include "hourlyforecast.h"

#include "streamhelpers_p.h"

#include <QDataStream>

namespace {
// Layout 2 appends the wind speed; layout 1 (no wind) still reads, as from an older cache.
constexpr quint8 kStreamVersion = 2;
constexpr quint8 kOldestStreamVersion = 1;
constexpr int kMaxPeriodHours = 24;
} // namespace

QDateTime HourlyForecast::localTime() const
{
    const QDateTime utc = time.toUTC();
    // Wall time at the place, as a UTC-spec value so no viewer's zone is applied on top.
    const QDateTime shifted = utc.addSecs(utcOffsetSeconds.value_or(0));
    return QDateTime(shifted.date(), shifted.time(), Qt::UTC);
}

HourlyForecast HourlyForecast::convertedTo(const UnitSet &target) const
{
    HourlyForecast h = *this;
    h.temperature = convertTemperature(temperature, units.temperature, target.temperature);
    h.precipitation
        = convertPrecipitation(precipitation, units.precipitation, target.precipitation);
    h.windSpeed = convertWindSpeed(windSpeed, units.windSpeed, target.windSpeed);
    h.units = target;
    return h;
}

HourlyForecastList convertedTo(const HourlyForecastList &hours, const UnitSet &target)
{
    HourlyForecastList result;
    result.reserve(hours.size());
    for (const HourlyForecast &slot : hours)
        result.append(slot.convertedTo(target));
    return result;
}

HourlyForecastList upcomingHours(const HourlyForecastList &forecast, const QDateTime &nowUtc,
                                 int hours)
{
    const qint64 now = nowUtc.toSecsSinceEpoch();
    const qint64 end = now + qint64(hours) * 3600;
    HourlyForecastList result;
    for (const HourlyForecast &slot : forecast) {
        const qint64 start = slot.time.toSecsSinceEpoch();
        if (start + qint64(slot.periodHours) * 3600 <= now || start >= end)
            continue;
        result.append(slot);
    }
    return result;
}

QDataStream &operator<<(QDataStream &out, const HourlyForecast &slot)
{
    out << kStreamVersion << slot.time << quint8(slot.periodHours);
    WeatherStream::writeOptional(out, slot.temperature);
    WeatherStream::writeOptional(out, slot.precipitationProbability);
    WeatherStream::writeOptional(out, slot.precipitation);
    out << slot.condition << slot.description << slot.isDay;
    WeatherStream::writeOptional(out, slot.utcOffsetSeconds);
    out << slot.units;
    WeatherStream::writeOptional(out, slot.windSpeed);
    return out;
}

QDataStream &operator>>(QDataStream &in, HourlyForecast &slot)
{
    slot = HourlyForecast();
    const auto version = WeatherStream::readVersionIn(in, kOldestStreamVersion, kStreamVersion);
    if (!version)
        return in;
    WeatherStream::readUtcDateTime(in, slot.time);
    quint8 period = 1;
    in >> period;
    if (period < 1 || period > kMaxPeriodHours) {
        in.setStatus(QDataStream::ReadCorruptData);
        return in;
    }
    slot.periodHours = period;
    WeatherStream::readOptional(in, slot.temperature);
    WeatherStream::readOptional(in, slot.precipitationProbability);
    WeatherStream::readOptional(in, slot.precipitation);
    in >> slot.condition;
    WeatherStream::readString(in, slot.description);
    in >> slot.isDay;
    WeatherStream::readOptional(in, slot.utcOffsetSeconds);
    in >> slot.units;
    if (*version >= 2)
        WeatherStream::readOptional(in, slot.windSpeed);
    return in;
}
