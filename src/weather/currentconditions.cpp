// SPDX-License-Identifier: MIT
#include "currentconditions.h"

#include "streamhelpers_p.h"

#include <QDataStream>

namespace {
constexpr quint8 kStreamVersion = 1;
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
    out << c.description << c.condition << c.isDay << c.observationTime << c.units;
    return out;
}

QDataStream &operator>>(QDataStream &in, CurrentConditions &c)
{
    c = CurrentConditions();
    if (!WeatherStream::readVersion(in, kStreamVersion))
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
    in >> c.units;
    return in;
}
