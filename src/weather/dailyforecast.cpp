// SPDX-License-Identifier: MIT
#include "dailyforecast.h"

#include "streamhelpers_p.h"

#include <QDataStream>

namespace {
// 2: the UTC offset. A version-1 row (cached before) is refused: a miss, fetched anew.
constexpr quint8 kStreamVersion = 2;
} // namespace

QDataStream &operator<<(QDataStream &out, const DailyForecast &day)
{
    out << kStreamVersion << day.date;
    WeatherStream::writeOptional(out, day.minTemp);
    WeatherStream::writeOptional(out, day.maxTemp);
    out << day.condition << day.description << day.units;
    WeatherStream::writeOptional(out, day.utcOffsetSeconds);
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
    WeatherStream::readOptional(in, day.utcOffsetSeconds);
    return in;
}
