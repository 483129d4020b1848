// SPDX-License-Identifier: MIT
#include "units.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double kKmhPerMs = 3.6;
constexpr double kMetresPerMile = 1609.344;
constexpr double kMetresPerNauticalMile = 1852.0;
constexpr double kHpaPerInHg = 33.8638866667;
constexpr double kHpaPerMmHg = 1.33322387415;
constexpr double kMmPerInch = 25.4;
/** WMO Beaufort scale: the lowest speed (m/s) of forces 1..12. */
constexpr std::array<double, 12> kBeaufortLowerBounds
    = {0.3, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7};

double toMetresPerSecond(double value, WindSpeedUnit unit)
{
    switch (unit) {
    case WindSpeedUnit::KilometresPerHour:
        return value / kKmhPerMs;
    case WindSpeedUnit::MetresPerSecond:
        return value;
    case WindSpeedUnit::MilesPerHour:
        return value * kMetresPerMile / 3600.0;
    case WindSpeedUnit::Knots:
        return value * kMetresPerNauticalMile / 3600.0;
    case WindSpeedUnit::Beaufort: {
        // No cast of NaN or of 1e300 to int (undefined behaviour): clamped first.
        const double force = std::isfinite(value) ? std::clamp(std::round(value), 0.0, 12.0) : 0.0;
        const int f = int(force);
        if (f == 0)
            return 0.0;
        if (f == 12)
            return kBeaufortLowerBounds[11];
        return (kBeaufortLowerBounds[size_t(f - 1)] + kBeaufortLowerBounds[size_t(f)]) / 2.0;
    }
    }
    return value;
}

double fromMetresPerSecond(double ms, WindSpeedUnit unit)
{
    switch (unit) {
    case WindSpeedUnit::KilometresPerHour:
        return ms * kKmhPerMs;
    case WindSpeedUnit::MetresPerSecond:
        return ms;
    case WindSpeedUnit::MilesPerHour:
        return ms * 3600.0 / kMetresPerMile;
    case WindSpeedUnit::Knots:
        return ms * 3600.0 / kMetresPerNauticalMile;
    case WindSpeedUnit::Beaufort:
        return beaufortForce(ms);
    }
    return ms;
}

double toHpa(double value, PressureUnit unit)
{
    switch (unit) {
    case PressureUnit::Hectopascal:
        return value;
    case PressureUnit::InchOfMercury:
        return value * kHpaPerInHg;
    case PressureUnit::MillimetreOfMercury:
        return value * kHpaPerMmHg;
    }
    return value;
}

double fromHpa(double hpa, PressureUnit unit)
{
    switch (unit) {
    case PressureUnit::Hectopascal:
        return hpa;
    case PressureUnit::InchOfMercury:
        return hpa / kHpaPerInHg;
    case PressureUnit::MillimetreOfMercury:
        return hpa / kHpaPerMmHg;
    }
    return hpa;
}

template<typename Enum>
bool readEnum(QDataStream &in, Enum &value, Enum last)
{
    quint8 raw = 0;
    in >> raw;
    if (in.status() != QDataStream::Ok)
        return false;
    if (raw > static_cast<quint8>(last)) {
        in.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    value = static_cast<Enum>(raw);
    return true;
}

} // namespace

UnitSet UnitSet::imperial()
{
    return {TemperatureUnit::Fahrenheit, WindSpeedUnit::MilesPerHour, PressureUnit::InchOfMercury,
            PrecipitationUnit::Inch};
}

UnitSet UnitSet::preset(Units units)
{
    return units == Units::Imperial ? imperial() : metric();
}

UnitSet UnitSet::asked(Units units)
{
    UnitSet set;
    if (units == Units::Imperial) {
        set.temperature = TemperatureUnit::Fahrenheit;
        set.windSpeed = WindSpeedUnit::MilesPerHour;
    }
    return set;
}

std::optional<Units> UnitSet::matchingPreset() const
{
    if (*this == metric())
        return Units::Metric;
    if (*this == imperial())
        return Units::Imperial;
    return std::nullopt;
}

QString temperatureUnitText(Units units)
{
    return units == Units::Imperial ? u"°F"_s : u"°C"_s;
}

QString temperatureUnitText(TemperatureUnit unit)
{
    return unit == TemperatureUnit::Fahrenheit ? u"°F"_s : u"°C"_s;
}

QString temperatureUnitText(const UnitSet &units)
{
    return temperatureUnitText(units.temperature);
}

long roundedTemperature(double value)
{
    const long rounded = std::lround(value);
    return rounded == 0 ? 0L : rounded;
}

QString temperatureText(std::optional<double> value, TemperatureUnit unit)
{
    if (!value || !std::isfinite(*value))
        return u"—"_s;
    return QLocale().toString(roundedTemperature(*value)) + u"\u202f"_s + temperatureUnitText(unit);
}

QString windSpeedUnitText(Units units)
{
    return units == Units::Imperial ? u"mph"_s : u"km/h"_s;
}

QString windSpeedUnitText(WindSpeedUnit unit)
{
    switch (unit) {
    case WindSpeedUnit::KilometresPerHour:
        return u"km/h"_s;
    case WindSpeedUnit::MetresPerSecond:
        return u"m/s"_s;
    case WindSpeedUnit::MilesPerHour:
        return u"mph"_s;
    case WindSpeedUnit::Knots:
        return u"kn"_s;
    case WindSpeedUnit::Beaufort:
        return u"Bft"_s;
    }
    return {};
}

QString pressureUnitText(PressureUnit unit)
{
    switch (unit) {
    case PressureUnit::Hectopascal:
        return u"hPa"_s;
    case PressureUnit::InchOfMercury:
        return u"inHg"_s;
    case PressureUnit::MillimetreOfMercury:
        return u"mmHg"_s;
    }
    return {};
}

QString precipitationUnitText(PrecipitationUnit unit)
{
    return unit == PrecipitationUnit::Inch ? u"in"_s : u"mm"_s;
}

DistanceUnit distanceUnit(const UnitSet &units)
{
    return units.windSpeed == WindSpeedUnit::MilesPerHour ? DistanceUnit::Mile
                                                          : DistanceUnit::Kilometre;
}

QString distanceUnitText(DistanceUnit unit)
{
    return unit == DistanceUnit::Mile ? u"mi"_s : u"km"_s;
}

double metresTo(double metres, DistanceUnit unit)
{
    constexpr double kMetresPerMile = 1609.344;
    return metres / (unit == DistanceUnit::Mile ? kMetresPerMile : 1000.0);
}

QString visibilityText(std::optional<double> metres, const UnitSet &units)
{
    if (!metres)
        return u"—"_s;
    const DistanceUnit unit = distanceUnit(units);
    const double value = metresTo(*metres, unit);
    return QLocale().toString(value, 'f', value < 9.95 ? 1 : 0) + u' ' + distanceUnitText(unit);
}

int pressureDecimals(PressureUnit unit)
{
    return unit == PressureUnit::InchOfMercury ? 2 : 0;
}

int precipitationDecimals(PrecipitationUnit unit)
{
    return unit == PrecipitationUnit::Inch ? 2 : 1;
}

QString unitsToString(Units units)
{
    return units == Units::Imperial ? u"imperial"_s : u"metric"_s;
}

std::optional<Units> unitsFromString(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.compare(u"metric", Qt::CaseInsensitive) == 0)
        return Units::Metric;
    if (trimmed.compare(u"imperial", Qt::CaseInsensitive) == 0)
        return Units::Imperial;
    return std::nullopt;
}

QString unitToken(TemperatureUnit unit)
{
    return unit == TemperatureUnit::Fahrenheit ? u"fahrenheit"_s : u"celsius"_s;
}

QString unitToken(WindSpeedUnit unit)
{
    switch (unit) {
    case WindSpeedUnit::KilometresPerHour:
        return u"kmh"_s;
    case WindSpeedUnit::MetresPerSecond:
        return u"ms"_s;
    case WindSpeedUnit::MilesPerHour:
        return u"mph"_s;
    case WindSpeedUnit::Knots:
        return u"kn"_s;
    case WindSpeedUnit::Beaufort:
        return u"beaufort"_s;
    }
    return {};
}

QString unitToken(PressureUnit unit)
{
    switch (unit) {
    case PressureUnit::Hectopascal:
        return u"hpa"_s;
    case PressureUnit::InchOfMercury:
        return u"inhg"_s;
    case PressureUnit::MillimetreOfMercury:
        return u"mmhg"_s;
    }
    return {};
}

QString unitToken(PrecipitationUnit unit)
{
    return unit == PrecipitationUnit::Inch ? u"in"_s : u"mm"_s;
}

std::optional<TemperatureUnit> temperatureUnitFromToken(QStringView token)
{
    const QString t = token.trimmed().toString().toLower();
    if (t == u"celsius" || t == u"c" || t == u"°c")
        return TemperatureUnit::Celsius;
    if (t == u"fahrenheit" || t == u"f" || t == u"°f")
        return TemperatureUnit::Fahrenheit;
    return std::nullopt;
}

std::optional<WindSpeedUnit> windSpeedUnitFromToken(QStringView token)
{
    const QString t = token.trimmed().toString().toLower();
    if (t == u"kmh" || t == u"km/h")
        return WindSpeedUnit::KilometresPerHour;
    if (t == u"ms" || t == u"m/s")
        return WindSpeedUnit::MetresPerSecond;
    if (t == u"mph")
        return WindSpeedUnit::MilesPerHour;
    if (t == u"kn" || t == u"knots" || t == u"kt")
        return WindSpeedUnit::Knots;
    if (t == u"beaufort" || t == u"bft")
        return WindSpeedUnit::Beaufort;
    return std::nullopt;
}

std::optional<PressureUnit> pressureUnitFromToken(QStringView token)
{
    const QString t = token.trimmed().toString().toLower();
    if (t == u"hpa" || t == u"mbar")
        return PressureUnit::Hectopascal;
    if (t == u"inhg")
        return PressureUnit::InchOfMercury;
    if (t == u"mmhg")
        return PressureUnit::MillimetreOfMercury;
    return std::nullopt;
}

std::optional<PrecipitationUnit> precipitationUnitFromToken(QStringView token)
{
    const QString t = token.trimmed().toString().toLower();
    if (t == u"mm")
        return PrecipitationUnit::Millimetre;
    if (t == u"in" || t == u"inch")
        return PrecipitationUnit::Inch;
    return std::nullopt;
}

bool applyUnitToken(QStringView token, UnitSet &units)
{
    if (const auto preset = unitsFromString(token)) {
        units = UnitSet::preset(*preset);
        return true;
    }
    if (const auto unit = temperatureUnitFromToken(token))
        units.temperature = *unit;
    else if (const auto wind = windSpeedUnitFromToken(token))
        units.windSpeed = *wind;
    else if (const auto pressure = pressureUnitFromToken(token))
        units.pressure = *pressure;
    else if (const auto precipitation = precipitationUnitFromToken(token))
        units.precipitation = *precipitation;
    else
        return false;
    return true;
}

double convertTemperature(double value, TemperatureUnit from, TemperatureUnit to)
{
    if (from == to)
        return value;
    return to == TemperatureUnit::Fahrenheit ? value * 9.0 / 5.0 + 32.0
                                             : (value - 32.0) * 5.0 / 9.0;
}

double convertWindSpeed(double value, WindSpeedUnit from, WindSpeedUnit to)
{
    if (from == to)
        return value;
    return fromMetresPerSecond(toMetresPerSecond(value, from), to);
}

double convertPressure(double value, PressureUnit from, PressureUnit to)
{
    return from == to ? value : fromHpa(toHpa(value, from), to);
}

double convertPrecipitation(double value, PrecipitationUnit from, PrecipitationUnit to)
{
    if (from == to)
        return value;
    return to == PrecipitationUnit::Inch ? value / kMmPerInch : value * kMmPerInch;
}

int beaufortForce(double metresPerSecond)
{
    int force = 0;
    for (const double bound : kBeaufortLowerBounds) {
        if (!(metresPerSecond >= bound))
            break;
        ++force;
    }
    return force;
}

std::optional<double> convertTemperature(std::optional<double> value, TemperatureUnit from,
                                         TemperatureUnit to)
{
    return value ? std::optional<double>(convertTemperature(*value, from, to)) : std::nullopt;
}

std::optional<double> convertWindSpeed(std::optional<double> value, WindSpeedUnit from,
                                       WindSpeedUnit to)
{
    return value ? std::optional<double>(convertWindSpeed(*value, from, to)) : std::nullopt;
}

std::optional<double> convertPressure(std::optional<double> value, PressureUnit from,
                                      PressureUnit to)
{
    return value ? std::optional<double>(convertPressure(*value, from, to)) : std::nullopt;
}

std::optional<double> convertPrecipitation(std::optional<double> value, PrecipitationUnit from,
                                           PrecipitationUnit to)
{
    return value ? std::optional<double>(convertPrecipitation(*value, from, to)) : std::nullopt;
}

QDataStream &operator<<(QDataStream &out, Units units)
{
    return out << static_cast<quint8>(units);
}

QDataStream &operator>>(QDataStream &in, Units &units)
{
    quint8 raw = 0;
    in >> raw;
    if (raw > static_cast<quint8>(Units::Imperial)) {
        in.setStatus(QDataStream::ReadCorruptData);
        raw = 0;
    }
    units = static_cast<Units>(raw);
    return in;
}

QDataStream &operator<<(QDataStream &out, const UnitSet &units)
{
    return out << static_cast<quint8>(units.temperature) << static_cast<quint8>(units.windSpeed)
               << static_cast<quint8>(units.pressure) << static_cast<quint8>(units.precipitation);
}

QDataStream &operator>>(QDataStream &in, UnitSet &units)
{
    UnitSet read;
    if (readEnum(in, read.temperature, TemperatureUnit::Fahrenheit)
        && readEnum(in, read.windSpeed, WindSpeedUnit::Beaufort)
        && readEnum(in, read.pressure, PressureUnit::MillimetreOfMercury)
        && readEnum(in, read.precipitation, PrecipitationUnit::Inch))
        units = read;
    else
        units = UnitSet();
    return in;
}

QString compassPoint(double degrees)
{
    // Translated: a German reader expects "O" (Ost) where English has "E".
    static const char *const kPoints[]
        = {QT_TRANSLATE_NOOP("Compass", "N"),  QT_TRANSLATE_NOOP("Compass", "NNE"),
           QT_TRANSLATE_NOOP("Compass", "NE"), QT_TRANSLATE_NOOP("Compass", "ENE"),
           QT_TRANSLATE_NOOP("Compass", "E"),  QT_TRANSLATE_NOOP("Compass", "ESE"),
           QT_TRANSLATE_NOOP("Compass", "SE"), QT_TRANSLATE_NOOP("Compass", "SSE"),
           QT_TRANSLATE_NOOP("Compass", "S"),  QT_TRANSLATE_NOOP("Compass", "SSW"),
           QT_TRANSLATE_NOOP("Compass", "SW"), QT_TRANSLATE_NOOP("Compass", "WSW"),
           QT_TRANSLATE_NOOP("Compass", "W"),  QT_TRANSLATE_NOOP("Compass", "WNW"),
           QT_TRANSLATE_NOOP("Compass", "NW"), QT_TRANSLATE_NOOP("Compass", "NNW")};
    const double normalized = std::fmod(std::fmod(degrees, 360.0) + 360.0, 360.0);
    const int index = int(std::lround(normalized / 22.5)) % 16;
    return QCoreApplication::translate("Compass", kPoints[index]);
}
