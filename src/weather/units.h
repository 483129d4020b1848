// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * The unit system a provider is asked for. The service always asks for Metric (°C, km/h,
 * hPa, mm) and converts for display (see UnitSet), so a display unit never changes a cache key
 * and switching one never costs a request. Parsers still accept Imperial (°F, mph, hPa, mm):
 * what such a body was asked in.
 */
enum class Units : quint8 { Metric, Imperial };

enum class TemperatureUnit : quint8 { Celsius, Fahrenheit };
enum class WindSpeedUnit : quint8 {
    KilometresPerHour,
    MetresPerSecond,
    MilesPerHour,
    Knots,
    Beaufort
};
enum class PressureUnit : quint8 { Hectopascal, InchOfMercury, MillimetreOfMercury };
enum class PrecipitationUnit : quint8 { Millimetre, Inch };

/**
 * One unit per quantity: what a value is expressed in, or what the person wants to read.
 * A plain value. The presets Metric (°C, km/h, hPa, mm) and Imperial (°F, mph, inHg, in) set
 * all four; any mix is allowed.
 */
struct UnitSet
{
    TemperatureUnit temperature = TemperatureUnit::Celsius;
    WindSpeedUnit windSpeed = WindSpeedUnit::KilometresPerHour;
    PressureUnit pressure = PressureUnit::Hectopascal;
    PrecipitationUnit precipitation = PrecipitationUnit::Millimetre;

    static UnitSet metric() { return {}; }
    static UnitSet imperial();
    /** The preset: metric() or imperial(). */
    static UnitSet preset(Units units);
    /** What a provider answers when asked for `units`: pressure in hPa and rain in mm either way.
     */
    static UnitSet asked(Units units);
    /** The preset these units equal, if any. */
    std::optional<Units> matchingPreset() const;

    friend bool operator==(const UnitSet &, const UnitSet &) = default;
};

/** "°C" or "°F". */
QString temperatureUnitText(Units units);
QString temperatureUnitText(TemperatureUnit unit);
/** The temperature unit of a set, so `temperatureUnitText(config.units)` reads naturally. */
QString temperatureUnitText(const UnitSet &units);
/**
 * The one rounding of a temperature on screen (the card, the Places list, the title, the tray's
 * icon and tooltip): to whole degrees, halves away from zero, never "-0".
 */
long roundedTemperature(double value);
/** "22 °C" in the current locale, "—" when unknown: the one formatter of a temperature. */
QString temperatureText(std::optional<double> value, TemperatureUnit unit);
/** "km/h" or "mph". */
QString windSpeedUnitText(Units units);
/** "km/h", "m/s", "mph", "kn", "Bft". */
QString windSpeedUnitText(WindSpeedUnit unit);
/** "hPa", "inHg", "mmHg". */
QString pressureUnitText(PressureUnit unit);
/** "mm", "in". */
QString precipitationUnitText(PrecipitationUnit unit);

/** Decimals worth showing: 0 for hPa, mmHg, km/h ...; 2 for inHg and inches; 1 for mm. */
int pressureDecimals(PressureUnit unit);
int precipitationDecimals(PrecipitationUnit unit);

/** "metric" or "imperial": stable, used in settings, cache keys and the CLI. */
QString unitsToString(Units units);
/** Parses "metric"/"imperial" (case-insensitive, surrounding spaces ignored); nullopt otherwise. */
std::optional<Units> unitsFromString(QStringView text);

/**
 * Stable tokens for settings, the CLI and JSON: celsius, fahrenheit; kmh, ms, mph, kn,
 * beaufort; hpa, inhg, mmhg; mm, in. Every token names exactly one unit of one quantity.
 */
QString unitToken(TemperatureUnit unit);
QString unitToken(WindSpeedUnit unit);
QString unitToken(PressureUnit unit);
QString unitToken(PrecipitationUnit unit);
/** The unit a token names for that quantity (the aliases below too); nullopt otherwise. */
std::optional<TemperatureUnit> temperatureUnitFromToken(QStringView token);
std::optional<WindSpeedUnit> windSpeedUnitFromToken(QStringView token);
std::optional<PressureUnit> pressureUnitFromToken(QStringView token);
std::optional<PrecipitationUnit> precipitationUnitFromToken(QStringView token);
/**
 * Applies one token to `units` (case-insensitive; "c", "f", "knots", "bft", "inch" too, and the
 * presets "metric"/"imperial" set all four). False when it names no unit.
 */
bool applyUnitToken(QStringView token, UnitSet &units);

/*
 * Conversions. Wind goes through m/s; Beaufort is the WMO scale by its lower bounds in m/s
 * (force 1 from 0.3, 2 from 1.6, 3 from 3.4, 4 from 5.5, 5 from 8.0, 6 from 10.8, 7 from 13.9,
 * 8 from 17.2, 9 from 20.8, 10 from 24.5, 11 from 28.5, 12 from 32.7), a whole number; from
 * Beaufort back, the middle of the band (12: its lower bound).
 */
double convertTemperature(double value, TemperatureUnit from, TemperatureUnit to);
double convertWindSpeed(double value, WindSpeedUnit from, WindSpeedUnit to);
double convertPressure(double value, PressureUnit from, PressureUnit to);
double convertPrecipitation(double value, PrecipitationUnit from, PrecipitationUnit to);
/** Force 0..12 for a speed in m/s (negative: 0). */
int beaufortForce(double metresPerSecond);

std::optional<double> convertTemperature(std::optional<double> value, TemperatureUnit from,
                                         TemperatureUnit to);
std::optional<double> convertWindSpeed(std::optional<double> value, WindSpeedUnit from,
                                       WindSpeedUnit to);
std::optional<double> convertPressure(std::optional<double> value, PressureUnit from,
                                      PressureUnit to);
std::optional<double> convertPrecipitation(std::optional<double> value, PrecipitationUnit from,
                                           PrecipitationUnit to);

/**
 * Visibility's unit: there is no setting of its own, so it follows the wind. Miles for a
 * person who reads the wind in mph (the imperial preset, and the UK's mix of mph with °C), else
 * kilometres.
 */
enum class DistanceUnit : quint8 { Kilometre, Mile };
DistanceUnit distanceUnit(const UnitSet &units);
/** "km", "mi". */
QString distanceUnitText(DistanceUnit unit);
/** Metres (what both providers send) in `unit`. */
double metresTo(double metres, DistanceUnit unit);
/** "6.2 km", "24 km", "0.2 mi": one decimal below 10, whole above; "—" when unknown. */
QString visibilityText(std::optional<double> metres, const UnitSet &units);

/** The 16-point compass name of a wind direction in degrees: 250 -> "WSW". */
QString compassPoint(double degrees);

QDataStream &operator<<(QDataStream &out, Units units);
QDataStream &operator>>(QDataStream &in, Units &units);
/** Four bytes; an enum value out of range is corrupt data. */
QDataStream &operator<<(QDataStream &out, const UnitSet &units);
QDataStream &operator>>(QDataStream &in, UnitSet &units);

Q_DECLARE_METATYPE(Units)
Q_DECLARE_METATYPE(UnitSet)
