// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

class QDataStream;

/**
 * What the sky is doing, reduced to what an icon can show. Both providers' codes map onto it
 * (WMO weather_code for Open-Meteo, condition ids for OpenWeatherMap).
 */
enum class WeatherCondition : quint8 {
    Clear,
    PartlyCloudy, ///< few or scattered clouds
    Cloudy, ///< broken clouds
    Overcast,
    Fog, ///< also mist, haze, smoke, dust
    Drizzle,
    Rain,
    FreezingRain, ///< freezing drizzle, freezing rain, sleet
    Snow,
    Showers, ///< rain showers
    SnowShowers,
    Thunderstorm, ///< also squalls and tornadoes
    Unknown,
};

/**
 * The freedesktop icon-naming-spec name: weather-clear(-night), weather-few-clouds(-night),
 * weather-overcast, weather-fog, weather-showers-scattered (drizzle, showers), weather-showers
 * (rain, freezing rain), weather-snow, weather-storm; "dialog-question" for Unknown.
 */
QString weatherIconName(WeatherCondition condition, bool isDay);

/** Stable lower-case identifier ("partly-cloudy") for the CLI and logs. */
QString weatherConditionToString(WeatherCondition condition);

/**
 * How much a condition matters to someone planning their day; higher is more severe.
 * Used to pick one condition for a day out of several 3-hour slots.
 */
int weatherConditionSeverity(WeatherCondition condition);

/** WMO code 4677 subset used by Open-Meteo (0..99); Unknown for anything else. */
WeatherCondition weatherConditionFromWmoCode(int code);
/** English description of a WMO code ("Slight rain"); "Unknown weather" for anything else. */
QString weatherDescriptionFromWmoCode(int code);

/** `description` (as stored: English for Open-Meteo) in the user's language, for display. */
QString translatedDescription(const QString &description);

/** OpenWeatherMap condition id (2xx thunderstorm ... 804 overcast); Unknown otherwise. */
WeatherCondition weatherConditionFromOpenWeatherMapId(int id);

QDataStream &operator<<(QDataStream &out, WeatherCondition condition);
QDataStream &operator>>(QDataStream &in, WeatherCondition &condition);

Q_DECLARE_METATYPE(WeatherCondition)
