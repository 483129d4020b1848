// SPDX-License-Identifier: MIT
#include "currentconditions.h"

#include "streamhelpers_p.h"

#include <QDataStream>

#include <cmath>

namespace {
// 3: dew point, visibility and cloud cover. 2: gusts, precipitation, sunrise and sunset, a unit
// per quantity. 1 and 2 are still read.
constexpr quint8 kStreamVersion = 3;
constexpr quint8 kOldestStreamVersion = 1;
} // namespace

std::optional<double> CurrentConditions::magnusDewPoint(std::optional<double> temperature,
                                                        std::optional<double> humidity,
                                                        TemperatureUnit unit)
{
    if (!temperature || !humidity || *humidity <= 0.0 || *humidity > 100.0)
        return std::nullopt;
    constexpr double kB = 17.625;
    constexpr double kC = 243.04; // °C
    const double celsius = convertTemperature(*temperature, unit, TemperatureUnit::Celsius);
    const double gamma = std::log(*humidity / 100.0) + kB * celsius / (kC + celsius);
    return convertTemperature(kC * gamma / (kB - gamma), TemperatureUnit::Celsius, unit);
}

CurrentConditions CurrentConditions::convertedTo(const UnitSet &target) const
{
    CurrentConditions c = *this;
    c.temperature = convertTemperature(temperature, units.temperature, target.temperature);
    c.feelsLike = convertTemperature(feelsLike, units.temperature, target.temperature);
    c.dewPoint = convertTemperature(dewPoint, units.temperature, target.temperature);
    c.pressure = convertPressure(pressure, units.pressure, target.pressure);
    c.windSpeed = convertWindSpeed(windSpeed, units.windSpeed, target.windSpeed);
    c.windGusts = convertWindSpeed(windGusts, units.windSpeed, target.windSpeed);
    c.precipitation
        = convertPrecipitation(precipitation, units.precipitation, target.precipitation);
    c.units = target;
    return c;
}

QDataStream &operator<<(QDataStream &out, const CurrentConditions &c)
{
    out << kStreamVersion;
    WeatherStream::writeOptional(out, c.temperature);
    WeatherStream::writeOptional(out, c.feelsLike);
    WeatherStream::writeOptional(out, c.humidity);
    WeatherStream::writeOptional(out, c.pressure);
    WeatherStream::writeOptional(out, c.windSpeed);
    WeatherStream::writeOptional(out, c.windDirection);
    out << c.description << c.condition << c.isDay << c.observationTime;
    WeatherStream::writeOptional(out, c.windGusts);
    WeatherStream::writeOptional(out, c.precipitation);
    out << c.sunrise << c.sunset << c.units;
    WeatherStream::writeOptional(out, c.dewPoint);
    WeatherStream::writeOptional(out, c.visibility);
    WeatherStream::writeOptional(out, c.cloudCover);
    return out;
}

QDataStream &operator>>(QDataStream &in, CurrentConditions &c)
{
    c = CurrentConditions();
    const auto version = WeatherStream::readVersionIn(in, kOldestStreamVersion, kStreamVersion);
    if (!version)
        return in;
    WeatherStream::readOptional(in, c.temperature);
    WeatherStream::readOptional(in, c.feelsLike);
    WeatherStream::readOptional(in, c.humidity);
    WeatherStream::readOptional(in, c.pressure);
    WeatherStream::readOptional(in, c.windSpeed);
    WeatherStream::readOptional(in, c.windDirection);
    WeatherStream::readString(in, c.description);
    in >> c.condition >> c.isDay;
    WeatherStream::readUtcDateTime(in, c.observationTime);
    if (*version == 1) {
        Units units = Units::Metric;
        in >> units;
        c.units = UnitSet::asked(units);
        c.pressure.reset(); // surface pressure for Open-Meteo: not what the card now says
        return in;
    }
    WeatherStream::readOptional(in, c.windGusts);
    WeatherStream::readOptional(in, c.precipitation);
    WeatherStream::readUtcDateTime(in, c.sunrise);
    WeatherStream::readUtcDateTime(in, c.sunset);
    in >> c.units;
    if (*version == 2)
        return in;
    WeatherStream::readOptional(in, c.dewPoint);
    WeatherStream::readOptional(in, c.visibility);
    WeatherStream::readOptional(in, c.cloudCover);
    return in;
}
