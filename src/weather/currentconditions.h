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
 * The weather now at one place, in the units of `units` (the service keeps them in °C, km/h,
 * hPa and mm and converts a copy for display with convertedTo()). A plain value.
 *
 * Every measurement is a std::optional: nullopt when the provider sent null or left the value
 * out (Open-Meteo does both), never NaN and never a made-up 0. A UI shows "—" for nullopt.
 */
struct CurrentConditions
{
    std::optional<double> temperature;
    std::optional<double> feelsLike;
    std::optional<double> humidity; ///< relative humidity in %
    std::optional<double> pressure; ///< at sea level (Open-Meteo pressure_msl, OWM main.pressure)
    std::optional<double> windSpeed;
    std::optional<double> windDirection; ///< degrees, meteorological: where the wind comes from
    std::optional<double> windGusts; ///< in the wind speed's unit
    /** Rain and snow now: Open-Meteo the last 15 minutes' rate, OWM the last hour. */
    std::optional<double> precipitation;
    std::optional<double> dewPoint; ///< in the temperature's unit
    /** How far one sees, in metres whatever `units` says (there is no distance unit to set). */
    std::optional<double> visibility;
    std::optional<double> cloudCover; ///< in %
    QString description; ///< English, sentence case ("Moderate rain")
    WeatherCondition condition = WeatherCondition::Unknown;
    bool isDay = true; ///< true when the provider does not say
    QDateTime observationTime; ///< UTC; invalid if unknown
    QDateTime sunrise; ///< today's, UTC; invalid if the provider does not say (Open-Meteo: daily)
    QDateTime sunset;
    UnitSet units;

    QString iconName() const { return weatherIconName(condition, isDay); }

    /**
     * The dew point for `temperature` (in `unit`) and relative `humidity` (%) by the Magnus
     * formula (Alduchov and Eskridge's constants, good to ±0.4 °C from -40 to 50 °C), in the
     * same unit; nullopt when either is missing or the humidity is not above 0.
     */
    static std::optional<double> magnusDewPoint(std::optional<double> temperature,
                                                std::optional<double> humidity,
                                                TemperatureUnit unit);

    /** The same weather in other units (a no-op when they are these). */
    CurrentConditions convertedTo(const UnitSet &target) const;

    friend bool operator==(const CurrentConditions &, const CurrentConditions &) = default;
};

QDataStream &operator<<(QDataStream &out, const CurrentConditions &conditions);
/**
 * Reads the current layout (3) and the ones before: 2 had no dew point, visibility or cloud
 * cover (read as missing), 1 no gusts, precipitation or sun times either (and its pressure is
 * read as missing: Open-Meteo's was surface pressure then).
 */
QDataStream &operator>>(QDataStream &in, CurrentConditions &conditions);

Q_DECLARE_METATYPE(CurrentConditions)
