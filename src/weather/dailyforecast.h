// SPDX-License-Identifier: MIT
#pragma once

#include "units.h"
#include "weathercondition.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * One day of a forecast, dated in the place's own local calendar (not the user's). A plain
 * value. Every measurement is nullopt when the provider sent null for that day or has none
 * (OpenWeatherMap's free plan knows no UV index).
 */
struct DailyForecast
{
    QDate date;
    std::optional<double> minTemp;
    std::optional<double> maxTemp;
    WeatherCondition condition = WeatherCondition::Unknown;
    QString description; ///< English, sentence case
    UnitSet units;
    /**
     * The place's offset from UTC (seconds) that the forecast dated its days with, when the
     * provider said: what "today" is there is now + this offset, not the viewer's date.
     */
    std::optional<int> utcOffsetSeconds;
    /** Rain, showers and snow over the day, in units.precipitation. */
    std::optional<double> precipitationSum;
    /** The day's highest chance of precipitation, 0..100 %. */
    std::optional<double> precipitationProbabilityMax;
    std::optional<double> uvIndexMax;
    QDateTime sunrise; ///< UTC; invalid when unknown (polar day and night too)
    QDateTime sunset;

    QString iconName() const { return weatherIconName(condition, true); }

    DailyForecast convertedTo(const UnitSet &target) const;

    friend bool operator==(const DailyForecast &, const DailyForecast &) = default;
};

/** The coming days, oldest first, one entry per local date. */
using DailyForecastList = QList<DailyForecast>;

DailyForecastList convertedTo(const DailyForecastList &days, const UnitSet &target);

/**
 * The days from the place's today on: those already past at `nowUtc` dropped (a forecast
 * read back offline days later must not start with them). The offset is the days' own when
 * they carry one, else `fallbackOffsetSeconds`, else UTC.
 */
DailyForecastList upcomingDays(const DailyForecastList &days, const QDateTime &nowUtc,
                               std::optional<int> fallbackOffsetSeconds = std::nullopt);
/** The place's local date at `nowUtc` by the days' offset (or the fallback, or UTC). */
QDate placeToday(const DailyForecastList &days, const QDateTime &nowUtc,
                 std::optional<int> fallbackOffsetSeconds = std::nullopt);

QDataStream &operator<<(QDataStream &out, const DailyForecast &day);
/** Reads layout 3 and 2 (which had no precipitation, UV or sun times). */
QDataStream &operator>>(QDataStream &in, DailyForecast &day);

Q_DECLARE_METATYPE(DailyForecast)
