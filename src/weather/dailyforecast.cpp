// SPDX-License-Identifier: MIT
#include "dailyforecast.h"

#include "streamhelpers_p.h"

#include <QDataStream>

namespace {
constexpr quint8 kStreamVersion = 1;
}

QDataStream &operator<<(QDataStream &out, const DailyForecast &day)
{
    out << kStreamVersion << day.date;
    WeatherStream::writeOptional(out, day.minTemp);
    WeatherStream::writeOptional(out, day.maxTemp);
    out << day.condition << day.description << day.units;
    return out;
}

QDataStream &operator>>(QDataStream &in, DailyForecast &day)
{
    day = DailyForecast();
    if (!WeatherStream::readVersion(in, kStreamVersion))
        return in;
    in >> day.date;
    WeatherStream::readOptional(in, day.minTemp);
    WeatherStream::readOptional(in, day.maxTemp);
    in >> day.condition;
    WeatherStream::readString(in, day.description);
    in >> day.units;
    return in;
}
