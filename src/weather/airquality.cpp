// SPDX-License-Identifier: MIT
#include "airquality.h"

#include "jsonhelpers_p.h"
#include "openmeteoparser.h"
#include "streamhelpers_p.h"

#include <QDataStream>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr quint8 kStreamVersion = 1;

using Pollutant = AirQuality::Pollutant;
using Pollen = AirQuality::Pollen;

// Open-Meteo's variable names, indexed like the enums.
constexpr std::array<QStringView, AirQuality::kPollutantCount> kPollutantTokens{
    u"pm2_5", u"pm10", u"ozone", u"nitrogen_dioxide", u"sulphur_dioxide", u"carbon_monoxide",
};
constexpr std::array<QStringView, AirQuality::kPollenCount> kPollenTokens{
    u"alder", u"birch", u"grass", u"mugwort", u"olive", u"ragweed",
};

/**
 * The EEA's European index bands per pollutant, µg/m³ (Open-Meteo's documentation of
 * `european_aqi_*`): the upper bounds of good, fair, moderate, poor, very poor. Carbon
 * monoxide is not part of the European index.
 */
constexpr std::array<std::array<double, 5>, AirQuality::kPollutantCount> kEuropeanBands{{
    {10, 20, 25, 50, 75}, // PM2.5
    {20, 40, 50, 100, 150}, // PM10
    {50, 100, 130, 240, 380}, // ozone
    {40, 90, 120, 230, 340}, // nitrogen dioxide
    {100, 200, 350, 500, 750}, // sulphur dioxide
    {0, 0, 0, 0, 0}, // carbon monoxide: none
}};

/**
 * AAAAI National Allergy Bureau thresholds, grains/m³: the lower bounds of low, moderate,
 * high and very high for trees (alder, birch, olive), grass and weeds (mugwort, ragweed).
 */
constexpr std::array<double, 4> kTreeLevels{1, 15, 90, 1500};
constexpr std::array<double, 4> kGrassLevels{1, 5, 20, 200};
constexpr std::array<double, 4> kWeedLevels{1, 10, 50, 500};

const std::array<double, 4> &pollenLevels(Pollen pollen)
{
    switch (pollen) {
    case Pollen::Grass:
        return kGrassLevels;
    case Pollen::Mugwort:
    case Pollen::Ragweed:
        return kWeedLevels;
    case Pollen::Alder:
    case Pollen::Birch:
    case Pollen::Olive:
        break;
    }
    return kTreeLevels;
}

/** Where `value` lies on the European bands of `pollutant`, 0 good .. 6 past very poor. */
std::optional<double> europeanPosition(Pollutant pollutant, double value)
{
    const auto &bands = kEuropeanBands.at(std::size_t(pollutant));
    if (bands.back() <= 0)
        return std::nullopt;
    double lower = 0;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (value <= bands[i])
            return double(i) + (value - lower) / (bands[i] - lower);
        lower = bands[i];
    }
    return double(bands.size()) + value / bands.back();
}

std::optional<double> inRange(const QJsonValue &value, double max, const char *what)
{
    return WeatherJson::inRange(WeatherJson::number(value), 0.0, max, what);
}

} // namespace

bool AirQuality::hasPollen() const
{
    return std::any_of(pollen.begin(), pollen.end(), [](const auto &v) { return v.has_value(); });
}

bool AirQuality::isEmpty() const
{
    auto none = [](const auto &list) {
        return std::none_of(list.begin(), list.end(), [](const auto &v) { return v.has_value(); });
    };
    return !europeanAqi && !usAqi && none(concentrations) && none(pollen);
}

std::optional<AirQuality::Pollutant> AirQuality::drivingPollutant(Scale scale) const
{
    const auto &subIndices = scale == Scale::European ? europeanSubIndices : usSubIndices;
    std::optional<Pollutant> best;
    double bestValue = -1;
    for (int i = 0; i < kPollutantCount; ++i) {
        if (subIndices[i] && *subIndices[i] > bestValue) {
            bestValue = *subIndices[i];
            best = Pollutant(i);
        }
    }
    if (best)
        return best;
    for (int i = 0; i < kPollutantCount; ++i) {
        if (!concentrations[i])
            continue;
        const auto position = europeanPosition(Pollutant(i), *concentrations[i]);
        if (position && *position > bestValue) {
            bestValue = *position;
            best = Pollutant(i);
        }
    }
    return best;
}

QList<AirQuality::Pollen> AirQuality::strongestPollens() const
{
    struct Ranked
    {
        Pollen pollen;
        int level;
        double relative;
    };
    QList<Ranked> ranked;
    for (int i = 0; i < kPollenCount; ++i) {
        if (!pollen[i])
            continue;
        const PollenLevel level = pollenLevel(Pollen(i), *pollen[i]);
        if (level == PollenLevel::None)
            continue;
        ranked.append({Pollen(i), int(level), *pollen[i] / pollenLevels(Pollen(i))[1]});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        return a.level != b.level ? a.level > b.level : a.relative > b.relative;
    });
    QList<Pollen> result;
    for (const Ranked &r : ranked)
        result.append(r.pollen);
    return result;
}

int AirQuality::band(Scale scale, double index)
{
    // European: 0–20 good, 20–40 fair, 40–60 moderate, 60–80 poor, 80–100 very poor, above
    // extremely poor. US (EPA): 0–50, 51–100, 101–150, 151–200, 201–300, above.
    static constexpr std::array<double, 5> kEuropean{20, 40, 60, 80, 100};
    static constexpr std::array<double, 5> kUs{50, 100, 150, 200, 300};
    const auto &upper = scale == Scale::European ? kEuropean : kUs;
    for (std::size_t i = 0; i < upper.size(); ++i) {
        if (index <= upper[i])
            return int(i);
    }
    return 5;
}

QString AirQuality::bandName(Scale scale, double index)
{
    const int b = band(scale, index);
    if (scale == Scale::European) {
        switch (b) {
        case 0:
            return tr("good");
        case 1:
            return tr("fair");
        case 2:
            return tr("moderate");
        case 3:
            return tr("poor");
        case 4:
            return tr("very poor");
        default:
            return tr("extremely poor");
        }
    }
    switch (b) {
    case 0:
        return tr("good");
    case 1:
        return tr("moderate");
    case 2:
        return tr("unhealthy for sensitive groups");
    case 3:
        return tr("unhealthy");
    case 4:
        return tr("very unhealthy");
    default:
        return tr("hazardous");
    }
}

QString AirQuality::pollutantName(Pollutant pollutant)
{
    switch (pollutant) {
    case Pollutant::Pm2_5:
        return tr("PM2.5");
    case Pollutant::Pm10:
        return tr("PM10");
    case Pollutant::Ozone:
        return tr("ozone");
    case Pollutant::NitrogenDioxide:
        return tr("nitrogen dioxide");
    case Pollutant::SulphurDioxide:
        return tr("sulphur dioxide");
    case Pollutant::CarbonMonoxide:
        return tr("carbon monoxide");
    }
    return QString();
}

QString AirQuality::pollutantToken(Pollutant pollutant)
{
    return kPollutantTokens.at(std::size_t(pollutant)).toString();
}

QString AirQuality::pollenName(Pollen pollen)
{
    switch (pollen) {
    case Pollen::Alder:
        return tr("alder");
    case Pollen::Birch:
        return tr("birch");
    case Pollen::Grass:
        return tr("grass");
    case Pollen::Mugwort:
        return tr("mugwort");
    case Pollen::Olive:
        return tr("olive");
    case Pollen::Ragweed:
        return tr("ragweed");
    }
    return QString();
}

QString AirQuality::pollenToken(Pollen pollen)
{
    return kPollenTokens.at(std::size_t(pollen)).toString();
}

AirQuality::PollenLevel AirQuality::pollenLevel(Pollen pollen, double grains)
{
    const auto &levels = pollenLevels(pollen);
    int level = 0;
    for (double threshold : levels) {
        if (grains >= threshold)
            ++level;
    }
    return PollenLevel(level);
}

QString AirQuality::pollenLevelName(PollenLevel level)
{
    switch (level) {
    case PollenLevel::None:
        return tr("none");
    case PollenLevel::Low:
        return tr("low");
    case PollenLevel::Moderate:
        return tr("moderate");
    case PollenLevel::High:
        return tr("high");
    case PollenLevel::VeryHigh:
        return tr("very high");
    }
    return QString();
}

QDataStream &operator<<(QDataStream &out, const AirQuality &air)
{
    out << kStreamVersion << air.time;
    WeatherStream::writeOptional(out, air.utcOffsetSeconds);
    WeatherStream::writeOptional(out, air.europeanAqi);
    WeatherStream::writeOptional(out, air.usAqi);
    for (const auto *list : {&air.concentrations, &air.europeanSubIndices, &air.usSubIndices}) {
        for (const auto &value : *list)
            WeatherStream::writeOptional(out, value);
    }
    for (const auto &value : air.pollen)
        WeatherStream::writeOptional(out, value);
    out << air.concentrationUnit << air.pollenUnit;
    return out;
}

QDataStream &operator>>(QDataStream &in, AirQuality &air)
{
    air = AirQuality();
    if (!WeatherStream::readVersion(in, kStreamVersion))
        return in;
    WeatherStream::readUtcDateTime(in, air.time);
    WeatherStream::readOptional(in, air.utcOffsetSeconds);
    WeatherStream::readOptional(in, air.europeanAqi);
    WeatherStream::readOptional(in, air.usAqi);
    for (auto *list : {&air.concentrations, &air.europeanSubIndices, &air.usSubIndices}) {
        for (auto &value : *list)
            WeatherStream::readOptional(in, value);
    }
    for (auto &value : air.pollen)
        WeatherStream::readOptional(in, value);
    WeatherStream::readString(in, air.concentrationUnit);
    WeatherStream::readString(in, air.pollenUnit);
    return in;
}

// ---- parser ---------------------------------------------------------------------------------

QString AirQualityParser::currentVariables()
{
    QStringList variables{u"european_aqi"_s, u"us_aqi"_s};
    for (QStringView token : kPollutantTokens)
        variables.append(token.toString());
    for (QStringView token : kPollutantTokens) {
        if (token != u"carbon_monoxide")
            variables.append(u"european_aqi_"_s + token.toString());
    }
    for (QStringView token : kPollutantTokens)
        variables.append(u"us_aqi_"_s + token.toString());
    for (QStringView token : kPollenTokens)
        variables.append(token.toString() + u"_pollen"_s);
    return variables.join(u',');
}

WeatherResult<AirQuality> AirQualityParser::parse(const QByteArray &body)
{
    using Result = WeatherResult<AirQuality>;
    const QString provider = OpenMeteoParser::providerName();
    const WeatherResult<QJsonObject> parsed = OpenMeteoParser::parseRoot(body);
    if (!parsed.ok())
        return Result::failure(parsed.error);
    const QJsonObject &root = *parsed.value;
    const QJsonValue currentValue = root.value(u"current"_s);
    if (!currentValue.isObject())
        return Result::failure(WeatherError(WeatherError::BadResponse, provider));
    const QJsonObject current = currentValue.toObject();
    const QJsonObject units = root.value(u"current_units"_s).toObject();

    AirQuality air;
    air.utcOffsetSeconds = WeatherJson::utcOffset(root.value(u"utc_offset_seconds"_s));
    QDateTime time = QDateTime::fromString(current.value(u"time"_s).toString(), Qt::ISODate);
    if (time.isValid()) {
        // Wall time at the place: read as if UTC, then shifted by the place's offset.
        time = QDateTime(time.date(), time.time(), Qt::UTC)
                   .addSecs(-air.utcOffsetSeconds.value_or(0));
        air.time = WeatherJson::plausibleTime(time, "air quality time");
    }
    air.europeanAqi = inRange(current.value(u"european_aqi"_s), AirQuality::kMaxIndex, "AQI");
    air.usAqi = inRange(current.value(u"us_aqi"_s), AirQuality::kMaxIndex, "US AQI");
    for (int i = 0; i < AirQuality::kPollutantCount; ++i) {
        const QString token = kPollutantTokens[i].toString();
        air.concentrations[i]
            = inRange(current.value(token), AirQuality::kMaxConcentration, "concentration");
        air.europeanSubIndices[i] = inRange(current.value(u"european_aqi_"_s + token),
                                            AirQuality::kMaxIndex, "sub-index");
        air.usSubIndices[i]
            = inRange(current.value(u"us_aqi_"_s + token), AirQuality::kMaxIndex, "sub-index");
        if (air.concentrationUnit.isEmpty() && air.concentrations[i])
            air.concentrationUnit = WeatherJson::cappedText(units.value(token), "unit");
    }
    for (int i = 0; i < AirQuality::kPollenCount; ++i) {
        const QString token = kPollenTokens[i].toString() + u"_pollen"_s;
        air.pollen[i] = inRange(current.value(token), AirQuality::kMaxPollen, "pollen");
        if (air.pollenUnit.isEmpty() && air.pollen[i])
            air.pollenUnit = WeatherJson::cappedText(units.value(token), "unit");
    }
    return Result::success(std::move(air));
}
