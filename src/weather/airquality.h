// SPDX-License-Identifier: MIT
#pragma once

#include "weatherresult.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

class QDataStream;

/**
 * The air at a place now: Open-Meteo's air-quality API (CAMS model data), `current=` block.
 * A plain value; a measurement is nullopt when the source sent none. Units are the source's
 * (particles and gases µg/m³, pollen grains/m³) and are kept as it wrote them.
 *
 * Pollen exists only in Europe in the season: elsewhere every pollen value is null, and
 * hasPollen() is false (never a row of zeros).
 */
struct AirQuality
{
    Q_DECLARE_TR_FUNCTIONS(AirQuality)
public:
    enum class Scale : quint8 { European, US };
    /** The six pollutants the sub-indices name; the order is the stream's. */
    enum class Pollutant : quint8 {
        Pm2_5,
        Pm10,
        Ozone,
        NitrogenDioxide,
        SulphurDioxide,
        CarbonMonoxide,
    };
    static constexpr int kPollutantCount = 6;
    enum class Pollen : quint8 { Alder, Birch, Grass, Mugwort, Olive, Ragweed };
    static constexpr int kPollenCount = 6;
    /** A pollen count in words: the AAAAI National Allergy Bureau scale. */
    enum class PollenLevel : quint8 { None, Low, Moderate, High, VeryHigh };

    /** Plausible ranges: a value beyond is a fault, not air (EPA's scale ends at 500). */
    static constexpr double kMaxIndex = 1000.0;
    static constexpr double kMaxConcentration = 100'000.0; // µg/m³; CO near a fire: ~10,000
    static constexpr double kMaxPollen = 100'000.0; // grains/m³; birch peaks: ~10,000

    QDateTime time; ///< the model hour, UTC
    std::optional<int> utcOffsetSeconds;
    std::optional<double> europeanAqi;
    std::optional<double> usAqi;
    /** Concentrations, indexed by Pollutant: µg/m³ as Open-Meteo sends them. */
    std::array<std::optional<double>, kPollutantCount> concentrations;
    /** The sub-indices (`european_aqi_pm2_5`, ...); the largest is the index. */
    std::array<std::optional<double>, kPollutantCount> europeanSubIndices;
    std::array<std::optional<double>, kPollutantCount> usSubIndices;
    /** Grains/m³, indexed by Pollen; all nullopt outside Europe or the season. */
    std::array<std::optional<double>, kPollenCount> pollen;
    QString concentrationUnit; ///< as `current_units` said ("μg/m³"); empty if it did not
    QString pollenUnit; ///< as `current_units` said ("grains/m³")

    std::optional<double> index(Scale scale) const
    {
        return scale == Scale::European ? europeanAqi : usAqi;
    }
    bool hasPollen() const;
    bool isEmpty() const; ///< no index, no concentration, no pollen

    /**
     * The pollutant that drives the index on `scale`: the largest sub-index, or, when the
     * source sent none, the concentration furthest up the European bands.
     */
    std::optional<Pollutant> drivingPollutant(Scale scale) const;

    /** The pollens present, strongest first (by level, then by count against its scale). */
    QList<Pollen> strongestPollens() const;

    /** "good", "fair", ... for an index on `scale` (EEA bands; EPA bands for the US index). */
    static QString bandName(Scale scale, double index);
    /** 0 best .. 5 worst, for colours and tests. */
    static int band(Scale scale, double index);
    static QString pollutantName(Pollutant pollutant); ///< "PM2.5", "ozone", ...
    /** "pm2_5", "ozone", ...: Open-Meteo's variable names. */
    static QString pollutantToken(Pollutant pollutant);
    static QString pollenName(Pollen pollen); ///< "grass", ...
    static QString pollenToken(Pollen pollen); ///< "grass", ... (--json)
    static PollenLevel pollenLevel(Pollen pollen, double grainsPerCubicMetre);
    static QString pollenLevelName(PollenLevel level); ///< "low", "moderate", ...

    friend bool operator==(const AirQuality &, const AirQuality &) = default;
};

QDataStream &operator<<(QDataStream &out, const AirQuality &air);
QDataStream &operator>>(QDataStream &in, AirQuality &air);

Q_DECLARE_METATYPE(AirQuality)

/**
 * Pure functions for the air-quality API: body -> value or typed error, like OpenMeteoParser
 * (same leniency, same error bodies).
 */
namespace AirQualityParser {

/** The variables asked for in `current=`: the indices, their sub-indices, gases, pollen. */
QString currentVariables();

/**
 * /v1/air-quality with `current=`. `current.time` is the place's wall time
 * (timezone=auto), made UTC by `utc_offset_seconds`. A value outside its plausible range
 * (AirQuality::kMax*, never negative) is dropped. No `current` object: BadResponse; a body
 * with `"error": true`: InvalidInput with the reason.
 */
WeatherResult<AirQuality> parse(const QByteArray &body);

} // namespace AirQualityParser
