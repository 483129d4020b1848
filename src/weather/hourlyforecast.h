// SPDX-License-Identifier: MIT
#pragma once

#include "units.h"
#include "weathercondition.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * One slot of the hourly forecast: an hour for Open-Meteo, three hours for OpenWeatherMap's
 * free forecast. A plain value; measurements are nullopt when the provider sent none.
 */
struct HourlyForecast
{
    QDateTime time; ///< the slot's start, UTC
    int periodHours = 1; ///< how long the slot lasts: 1 (Open-Meteo) or 3 (OpenWeatherMap)
    std::optional<double> temperature;
    /** Chance of precipitation in the slot, 0..100 %. */
    std::optional<double> precipitationProbability;
    /** Rain, showers and snow over the whole slot, in units.precipitation. */
    std::optional<double> precipitation;
    /** Mean wind speed over the slot at 10 m, in units.windSpeed. */
    std::optional<double> windSpeed;
    WeatherCondition condition = WeatherCondition::Unknown;
    QString description; ///< English, sentence case
    bool isDay = true;
    /** The place's offset from UTC when the provider said: hour labels are in the place's time. */
    std::optional<int> utcOffsetSeconds;
    UnitSet units;

    QString iconName() const { return weatherIconName(condition, isDay); }
    /** The slot's start in the place's own time (UTC when the offset is unknown). */
    QDateTime localTime() const;

    HourlyForecast convertedTo(const UnitSet &target) const;

    friend bool operator==(const HourlyForecast &, const HourlyForecast &) = default;
};

/** The coming slots, oldest first. */
using HourlyForecastList = QList<HourlyForecast>;

HourlyForecastList convertedTo(const HourlyForecastList &hours, const UnitSet &target);

/**
 * The slots that matter at `nowUtc`: from the one under way to `hours` ahead. Slots already
 * over are dropped, so a forecast read back offline does not start hours ago.
 */
HourlyForecastList upcomingHours(const HourlyForecastList &forecast, const QDateTime &nowUtc,
                                 int hours = 48);

QDataStream &operator<<(QDataStream &out, const HourlyForecast &slot);
QDataStream &operator>>(QDataStream &in, HourlyForecast &slot);

Q_DECLARE_METATYPE(HourlyForecast)
