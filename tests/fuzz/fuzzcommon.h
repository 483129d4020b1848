// SPDX-License-Identifier: MIT
#pragma once

// Shared by the libFuzzer harnesses: a quiet Qt, invariant checks on what the parsers return,
// and a JSON-aware mutator. Qt itself is not instrumented, so byte-level mutations rarely get
// past QJsonDocument; replacing one value of a valid document with a hostile one (1e300,
// 2^63, a megabyte of text, a wrong type) reaches the parsers' own decisions directly.

#include "weather/currentconditions.h"
#include "weather/dailyforecast.h"
#include "weather/hourlyforecast.h"
#include "weather/jsonhelpers_p.h"
#include "weather/location.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

#define FUZZ_CHECK(condition) \
    do { \
        if (!(condition)) { \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, \
                         __LINE__); \
            std::abort(); \
        } \
    } while (false)

namespace Fuzz {

/** Messages are formatted (that code runs) but not printed: the fuzzer's output stays readable. */
inline void quietQt()
{
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline void checkRange(const std::optional<double> &value, double low, double high)
{
    if (value)
        FUZZ_CHECK(std::isfinite(*value) && *value >= low && *value <= high);
}

inline void checkText(const QString &text)
{
    FUZZ_CHECK(text.size() <= WeatherJson::kMaxTextLength);
    // A cut never leaves half a surrogate pair at the end.
    FUZZ_CHECK(text.isEmpty() || !text.back().isHighSurrogate());
}

inline void checkTemperature(const std::optional<double> &value, Units units)
{
    checkRange(value, WeatherJson::celsiusIn(WeatherJson::kMinTemperatureC, units),
               WeatherJson::celsiusIn(WeatherJson::kMaxTemperatureC, units));
}

inline void checkTime(const QDateTime &time)
{
    if (time.isValid())
        FUZZ_CHECK(WeatherJson::plausibleDate(time.toUTC().date()));
}

inline double maxWindSpeed(Units units)
{
    return WeatherJson::kMaxWindSpeedMs
           * (units == Units::Imperial ? WeatherJson::kMetresPerSecondToMph
                                       : WeatherJson::kMetresPerSecondToKmh);
}

/**
 * Every unit the value could be shown in: the conversions of a plausible value are finite
 * (a Beaufort force 0..12), whatever the parser let through.
 */
template<typename T>
inline void checkConversions(const T &value)
{
    for (const UnitSet &target :
         {UnitSet::metric(), UnitSet::imperial(),
          UnitSet{TemperatureUnit::Celsius, WindSpeedUnit::Beaufort,
                  PressureUnit::MillimetreOfMercury, PrecipitationUnit::Inch},
          UnitSet{TemperatureUnit::Fahrenheit, WindSpeedUnit::Knots, PressureUnit::Hectopascal,
                  PrecipitationUnit::Millimetre}}) {
        const T converted = value.convertedTo(target);
        FUZZ_CHECK(converted.units == target);
        (void)converted;
    }
}

/** What a person could be shown: every measurement plausible, every text capped. */
inline void check(const CurrentConditions &c, Units units)
{
    FUZZ_CHECK(c.units == UnitSet::asked(units));
    checkTemperature(c.temperature, units);
    checkTemperature(c.feelsLike, units);
    checkRange(c.humidity, 0.0, 100.0);
    checkRange(c.pressure, WeatherJson::kMinPressureHpa, WeatherJson::kMaxPressureHpa);
    checkRange(c.windSpeed, 0.0, maxWindSpeed(units));
    checkRange(c.windGusts, 0.0, maxWindSpeed(units));
    checkRange(c.windDirection, 0.0, 360.0);
    checkRange(c.precipitation, 0.0, WeatherJson::kMaxSlotPrecipitationMm);
    checkText(c.description);
    checkTime(c.observationTime);
    checkTime(c.sunrise);
    checkTime(c.sunset);
    const CurrentConditions beaufort
        = c.convertedTo({TemperatureUnit::Celsius, WindSpeedUnit::Beaufort,
                         PressureUnit::InchOfMercury, PrecipitationUnit::Inch});
    checkRange(beaufort.windSpeed, 0.0, 12.0);
    checkRange(beaufort.windGusts, 0.0, 12.0);
    checkConversions(c);
}

inline void check(const QList<DailyForecast> &days, Units units)
{
    FUZZ_CHECK(days.size() <= WeatherJson::kMaxForecastDays);
    for (const DailyForecast &day : days) {
        FUZZ_CHECK(WeatherJson::plausibleDate(day.date));
        FUZZ_CHECK(day.units == UnitSet::asked(units));
        checkTemperature(day.minTemp, units);
        checkTemperature(day.maxTemp, units);
        checkRange(day.precipitationSum, 0.0, WeatherJson::kMaxDailyPrecipitationMm);
        checkRange(day.precipitationProbabilityMax, 0.0, 100.0);
        checkRange(day.uvIndexMax, 0.0, WeatherJson::kMaxUvIndex);
        checkTime(day.sunrise);
        checkTime(day.sunset);
        checkText(day.description);
        checkConversions(day);
    }
}

inline void check(const HourlyForecastList &hours, Units units)
{
    FUZZ_CHECK(hours.size() <= WeatherJson::kMaxHourlySlots);
    for (const HourlyForecast &slot : hours) {
        FUZZ_CHECK(slot.time.isValid());
        checkTime(slot.time);
        FUZZ_CHECK(slot.periodHours == 1 || slot.periodHours == 3);
        FUZZ_CHECK(slot.units == UnitSet::asked(units));
        checkTemperature(slot.temperature, units);
        checkRange(slot.precipitationProbability, 0.0, 100.0);
        checkRange(slot.precipitation, 0.0, WeatherJson::kMaxSlotPrecipitationMm);
        checkText(slot.description);
        (void)slot.localTime();
        checkConversions(slot);
    }
}

inline void check(const QList<Location> &places, int maxResults)
{
    FUZZ_CHECK(places.size() <= maxResults);
    for (const Location &l : places) {
        FUZZ_CHECK(l.isValid());
        FUZZ_CHECK(!l.name.isEmpty());
        checkText(l.name);
        checkText(l.region);
        checkText(l.country);
        checkText(l.countryCode);
        checkText(l.timezone);
        (void)l.displayName();
    }
}

/** One hostile value, chosen by `rng`. */
inline QJsonValue hostileValue(std::mt19937 &rng, const QJsonValue &old)
{
    static const double numbers[]
        = {1e300,         -1e300,         1e308,   -1e308,  1.8e19, -1.8e19, 9.3e18, 2147483648.0,
           -2147483649.0, 4294967296.0,   0.5,     -1.0,    0.0,    1e-300,  360.0,  100.0,
           7258118400.0,  -62135596800.0, 64800.0, 64801.0, 99.0,   100.5,   999.0};
    switch (rng() % 10) {
    case 0:
        return QJsonValue::Null;
    case 1:
        return QString(qsizetype(rng() % 2) ? 201 : 4096, QChar(u'a' + char16_t(rng() % 26)));
    case 2:
        return QStringLiteral("\U0001F30D\u0301\u202E\x1b[31m");
    case 3:
        return QJsonArray{old};
    case 4:
        return QJsonObject{{QStringLiteral("x"), old}};
    case 5:
        return old.isDouble() ? QJsonValue(old.toDouble() * 1e10) : QJsonValue(true);
    case 6:
        return QString::number(numbers[rng() % std::size(numbers)], 'g', 17);
    default:
        return numbers[rng() % std::size(numbers)];
    }
}

/** Replaces, removes or duplicates one node somewhere below `value`. */
inline QJsonValue mutateTree(std::mt19937 &rng, const QJsonValue &value, int depth)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        if (object.isEmpty())
            return hostileValue(rng, value);
        const QStringList keys = object.keys();
        const QString key = keys.at(qsizetype(rng() % keys.size()));
        if (rng() % 8 == 0)
            object.remove(key);
        else
            object.insert(key, mutateTree(rng, object.value(key), depth + 1));
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        if (array.isEmpty())
            return hostileValue(rng, value);
        const qsizetype i = qsizetype(rng() % array.size());
        switch (rng() % 8) {
        case 0:
            array.removeAt(i);
            break;
        case 1:
            for (int n = 0; n < 64; ++n)
                array.append(array.at(i));
            break;
        default:
            array.replace(i, mutateTree(rng, array.at(i), depth + 1));
        }
        return array;
    }
    return hostileValue(rng, value);
}

inline size_t mutateJson(uint8_t *data, size_t size, size_t maxSize, unsigned int seed)
{
    std::mt19937 rng(seed);
    if (rng() % 3 != 0) {
        const QJsonDocument doc = QJsonDocument::fromJson(bytes(data, size));
        if (doc.isObject() || doc.isArray()) {
            const QJsonValue root = doc.isObject() ? QJsonValue(doc.object()) : doc.array();
            const QJsonValue mutated = mutateTree(rng, root, 0);
            const QByteArray out = (mutated.isObject() ? QJsonDocument(mutated.toObject())
                                                       : QJsonDocument(mutated.toArray()))
                                       .toJson(QJsonDocument::Compact);
            if (size_t(out.size()) <= maxSize && (mutated.isObject() || mutated.isArray())) {
                std::copy(out.cbegin(), out.cend(), data);
                return size_t(out.size());
            }
        }
    }
    return LLVMFuzzerMutate(data, size, maxSize);
}

} // namespace Fuzz

/** A harness over JSON bodies defines this, forwarding to Fuzz::mutateJson. */
#define FUZZ_JSON_MUTATOR \
    extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize, \
                                              unsigned int seed) \
    { \
        return Fuzz::mutateJson(data, size, maxSize, seed); \
    } \
    extern "C" int LLVMFuzzerInitialize(int *, char ***) \
    { \
        Fuzz::quietQt(); \
        return 0; \
    }
