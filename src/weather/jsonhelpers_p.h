// SPDX-License-Identifier: MIT
#pragma once

// Internal helpers for the parsers. Not public API.

#include "units.h"
#include "weatherlogging.h"

#include <QDate>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>
#include <QString>
#include <QTextBoundaryFinder>

#include <cmath>
#include <optional>

namespace WeatherJson {

/** A finite number, or nullopt for null, missing, NaN or a value of another type. */
inline std::optional<double> number(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d))
        return std::nullopt;
    return d;
}

/** An integer sent either as a number or as a numeric string (OpenWeatherMap's `cod`). */
inline std::optional<int> lenientInt(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d >= -1e9 && d <= 1e9)
            return static_cast<int>(d);
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const int i = value.toString().trimmed().toInt(&ok);
        if (ok)
            return i;
    }
    return std::nullopt;
}

/** "Germany" for "DE"; empty if the code is unknown. */
inline QString countryNameFromCode(const QString &code)
{
    if (code.size() != 2)
        return {};
    const QLocale::Territory territory = QLocale::codeToTerritory(code);
    if (territory == QLocale::AnyTerritory)
        return {};
    return QLocale::territoryToString(territory);
}

inline QString sentenceCase(const QString &text)
{
    QString result = text.trimmed();
    if (!result.isEmpty())
        result[0] = result.at(0).toUpper();
    return result;
}

/*
 * Plausible ranges. A provider's value outside them is a fault (a bug, a proxy, an attacker),
 * not weather: it becomes missing, with the reason in the debug log, so nobody is shown
 * 1e308 °C. The bounds are generous beyond the records (-89.2 °C, +56.7 °C, 113 m/s gust,
 * 870..1084 hPa at sea level) so that no real reading is ever dropped.
 */
constexpr double kMinTemperatureC = -100.0;
constexpr double kMaxTemperatureC = 70.0;
constexpr double kMinPressureHpa = 300.0; // also covers surface pressure on high mountains
constexpr double kMaxPressureHpa = 1200.0;
constexpr double kMaxWindSpeedMs = 150.0;
constexpr double kMetresPerSecondToKmh = 3.6;
constexpr double kMetresPerSecondToMph = 3600.0 / 1609.344;
/** Timestamps and dates from 1970-01-01 up to (not including) 2200-01-01 UTC. */
constexpr qint64 kMinEpochSeconds = 0;
constexpr qint64 kMaxEpochSeconds = 7258118400;
constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2199;
/** Real offsets span -12 h..+14 h; ±18 h is what ISO 8601 and QTimeZone allow. */
constexpr int kMaxUtcOffsetSeconds = 18 * 3600;
/** Days a forecast keeps: Open-Meteo's own maximum `forecast_days` (the app asks for 7). */
constexpr qsizetype kMaxForecastDays = 16;
/** Slots an hourly forecast keeps: 16 days of hours, Open-Meteo's most (the app asks for 3). */
constexpr qsizetype kMaxHourlySlots = 16 * 24;
/** Rain in an hour (record ~305 mm) or a 3-hour slot, and in a day (record 1,825 mm). */
constexpr double kMaxSlotPrecipitationMm = 1000.0;
constexpr double kMaxDailyPrecipitationMm = 2000.0;
/** The UV index: 43 was measured once in the Andes. */
constexpr double kMaxUvIndex = 50.0;
/** Open-Meteo reports up to some 50 km over clear air, OpenWeatherMap caps at 10 km. */
constexpr double kMaxVisibilityMetres = 1'000'000.0;
/** Place names, regions, countries, descriptions and zone ids: at most this many UTF-16 units. */
constexpr qsizetype kMaxTextLength = 200;

/** `value` if it lies in [low, high]; nullopt (logged as `what`) otherwise. */
inline std::optional<double> inRange(std::optional<double> value, double low, double high,
                                     const char *what)
{
    if (!value || (*value >= low && *value <= high))
        return value;
    qCDebug(lcWeather) << "ignoring implausible" << what << *value << "(expected" << low << ".."
                       << high << ")";
    return std::nullopt;
}

inline double celsiusIn(double celsius, Units units)
{
    return units == Units::Imperial ? celsius * 9.0 / 5.0 + 32.0 : celsius;
}

inline std::optional<double> temperature(const QJsonValue &value, Units units, const char *what)
{
    return inRange(number(value), celsiusIn(kMinTemperatureC, units),
                   celsiusIn(kMaxTemperatureC, units), what);
}

inline std::optional<double> humidity(const QJsonValue &value)
{
    return inRange(number(value), 0.0, 100.0, "humidity");
}

inline std::optional<double> cloudCover(const QJsonValue &value)
{
    return inRange(number(value), 0.0, 100.0, "cloud cover");
}

/** Metres, whatever units were asked for: both providers send metres. */
inline std::optional<double> visibility(const QJsonValue &value)
{
    return inRange(number(value), 0.0, kMaxVisibilityMetres, "visibility");
}

inline std::optional<double> pressure(const QJsonValue &value)
{
    return inRange(number(value), kMinPressureHpa, kMaxPressureHpa, "pressure");
}

inline std::optional<double> windDirection(const QJsonValue &value)
{
    return inRange(number(value), 0.0, 360.0, "wind direction");
}

/** A wind speed already in the report's unit (km/h for Metric, mph for Imperial). */
inline std::optional<double> windSpeed(std::optional<double> speed, Units units)
{
    const double max = kMaxWindSpeedMs
                       * (units == Units::Imperial ? kMetresPerSecondToMph : kMetresPerSecondToKmh);
    return inRange(speed, 0.0, max, "wind speed");
}

/** A precipitation amount in mm, 0..`max`. */
inline std::optional<double> precipitation(std::optional<double> millimetres, double max,
                                           const char *what)
{
    return inRange(millimetres, 0.0, max, what);
}

/** A chance in %, 0..100. */
inline std::optional<double> probability(std::optional<double> percent, const char *what)
{
    return inRange(percent, 0.0, 100.0, what);
}

inline std::optional<double> uvIndex(const QJsonValue &value)
{
    return inRange(number(value), 0.0, kMaxUvIndex, "UV index");
}

/**
 * A weather code as an int: an integral number in int range, else -1 (a code no table knows,
 * so it reads as Unknown). Casting 1e300 to int is undefined behaviour; this never does.
 */
inline int weatherCode(double code)
{
    if (code >= 0.0 && code <= 1e6 && code == std::floor(code))
        return static_cast<int>(code);
    qCDebug(lcWeather) << "ignoring implausible weather code" << code;
    return -1;
}

/** Seconds since the epoch, in the sane window; nullopt otherwise (never an int overflow). */
inline std::optional<qint64> epochSeconds(const QJsonValue &value, const char *what)
{
    const auto seconds = number(value);
    if (!seconds)
        return std::nullopt;
    if (*seconds >= double(kMinEpochSeconds) && *seconds < double(kMaxEpochSeconds))
        return qint64(*seconds);
    qCDebug(lcWeather) << "ignoring implausible" << what << *seconds;
    return std::nullopt;
}

/**
 * A UTC offset in seconds within ±18 h. nullopt for null or missing (silently) and for
 * anything else out of that range or not a number (logged).
 */
inline std::optional<int> utcOffset(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const auto seconds = lenientInt(value);
    if (seconds && *seconds >= -kMaxUtcOffsetSeconds && *seconds <= kMaxUtcOffsetSeconds)
        return seconds;
    qCDebug(lcWeather) << "ignoring implausible UTC offset" << value;
    return std::nullopt;
}

inline bool plausibleDate(const QDate &date)
{
    return date.isValid() && date.year() >= kMinYear && date.year() <= kMaxYear;
}

inline QDateTime plausibleTime(const QDateTime &time, const char *what)
{
    if (!time.isValid() || plausibleDate(time.toUTC().date()))
        return time;
    qCDebug(lcWeather) << "ignoring implausible" << what << time;
    return {};
}

/**
 * `text` trimmed and cut to at most kMaxTextLength UTF-16 units, at a grapheme boundary so
 * no surrogate pair or combining sequence is split (a 1 MiB "name" must not reach a cache row
 * or a window title).
 */
inline QString cappedText(const QString &text, const char *what)
{
    QString result = text.trimmed();
    if (result.size() <= kMaxTextLength)
        return result;
    // Whether kMaxTextLength is a boundary depends on what precedes it and on the one unit
    // after it, so the finder needs only that prefix (not the whole megabyte).
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, result.left(kMaxTextLength + 1));
    finder.setPosition(kMaxTextLength);
    qsizetype cut = kMaxTextLength;
    if (!finder.isAtBoundary())
        cut = finder.toPreviousBoundary();
    if (cut <= 0)
        cut = 0;
    qCDebug(lcWeather) << "cutting" << what << "of" << text.size() << "characters to" << cut;
    result.truncate(cut);
    return result.trimmed();
}

inline QString cappedText(const QJsonValue &value, const char *what)
{
    return cappedText(value.toString(), what);
}

} // namespace WeatherJson
