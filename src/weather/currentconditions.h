// SPDX-License-Identifier: MIT
#pragma once

#include "units.h"
#include "weathercondition.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * The weather now at one place, in the units of `units` (°C + km/h or °F + mph; pressure always
 * hPa). A plain value.
 *
 * Every measurement is a std::optional: nullopt when the provider sent null or left the value
 * out (Open-Meteo does both), never NaN and never a made-up 0. A UI shows "—" for nullopt.
 */
struct CurrentConditions
{
    std::optional<double> temperature;
    std::optional<double> feelsLike;
    std::optional<double> humidity; ///< relative humidity in %
    std::optional<double> pressure; ///< hPa (surface pressure for Open-Meteo, station for OWM)
    std::optional<double> windSpeed; ///< km/h (Metric) or mph (Imperial)
    std::optional<double> windDirection; ///< degrees, meteorological: where the wind comes from
    QString description; ///< English, sentence case ("Moderate rain")
    WeatherCondition condition = WeatherCondition::Unknown;
    bool isDay = true; ///< true when the provider does not say
    QDateTime observationTime; ///< UTC; invalid if unknown
    Units units = Units::Metric;

    QString iconName() const { return weatherIconName(condition, isDay); }

    friend bool operator==(const CurrentConditions &, const CurrentConditions &) = default;
};

QDataStream &operator<<(QDataStream &out, const CurrentConditions &conditions);
QDataStream &operator>>(QDataStream &in, CurrentConditions &conditions);

Q_DECLARE_METATYPE(CurrentConditions)
