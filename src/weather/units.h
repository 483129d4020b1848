// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * The unit system a report is expressed in. One consistent choice per system across both
 * providers: Metric is °C, km/h and hPa; Imperial is °F, mph and hPa. Parsers convert what a
 * provider sends (OpenWeatherMap sends m/s for metric) so callers never see other units.
 */
enum class Units : quint8 { Metric, Imperial };

/** "°C" or "°F". */
QString temperatureUnitText(Units units);
/** "km/h" or "mph". */
QString windSpeedUnitText(Units units);
/** "metric" or "imperial": stable, used in settings, cache keys and the CLI. */
QString unitsToString(Units units);
/** Parses "metric"/"imperial" (case-insensitive, surrounding spaces ignored); nullopt otherwise. */
std::optional<Units> unitsFromString(QStringView text);

/** The 16-point compass name of a wind direction in degrees: 250 -> "WSW". */
QString compassPoint(double degrees);

QDataStream &operator<<(QDataStream &out, Units units);
QDataStream &operator>>(QDataStream &in, Units &units);

Q_DECLARE_METATYPE(Units)
