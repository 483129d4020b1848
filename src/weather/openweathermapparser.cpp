// SPDX-License-Identifier: MIT
#include "openweathermapparser.h"

#include "jsonhelpers_p.h"
#include "weatherlogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;
using WeatherJson::number;

namespace {

constexpr int kDaytimeStartHour = 6;
constexpr int kDaytimeEndHour = 21;

WeatherError badResponse()
{
    return WeatherError(WeatherError::BadResponse, OpenWeatherMapParser::providerName());
}

QJsonDocument parseDocument(const QByteArray &body, bool *ok)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    *ok = parseError.error == QJsonParseError::NoError;
    return doc;
}

WeatherError errorFromStatus(int httpStatus, const QString &serverMessage)
{
    using OpenWeatherMapParser::providerName;
    WeatherError error;
    switch (httpStatus) {
    case 401:
        error = WeatherError(WeatherError::ApiKeyRejected, providerName());
        break;
    case 404:
        error = WeatherError(WeatherError::CityNotFound, providerName());
        break;
    case 429:
        error = WeatherError(WeatherError::RateLimited, providerName());
        break;
    case 400:
        error = WeatherError(WeatherError::InvalidInput, providerName(),
                             WeatherJson::cappedText(serverMessage, "error message"));
        break;
    default:
        error = WeatherError(httpStatus >= 500 ? WeatherError::ServerError
                                               : WeatherError::BadResponse,
                             providerName());
        break;
    }
    error.setHttpStatus(httpStatus);
    return error;
}

/** An error hidden in a 200 answer: `{"cod":"404","message":"city not found"}`. */
std::optional<WeatherError> errorFromCod(const QJsonObject &root)
{
    const QJsonValue codValue = root.value(u"cod"_s);
    if (codValue.isUndefined())
        return std::nullopt;
    const auto cod = WeatherJson::lenientInt(codValue);
    if (cod && *cod >= 200 && *cod < 300)
        return std::nullopt;
    if (!cod)
        return badResponse();
    return errorFromStatus(*cod, root.value(u"message"_s).toString());
}

/**
 * The answer's top-level object: nullopt, with `*error` set, when the body is not a JSON object
 * or is one that reports an error (a 200 with "cod": "404").
 */
std::optional<QJsonObject> answerObject(const QByteArray &body, WeatherError *error)
{
    bool ok = false;
    const QJsonDocument doc = parseDocument(body, &ok);
    if (!ok || !doc.isObject()) {
        *error = badResponse();
        return std::nullopt;
    }
    QJsonObject root = doc.object();
    if (auto cod = errorFromCod(root)) {
        *error = *cod;
        return std::nullopt;
    }
    return root;
}

std::optional<double> windSpeed(const QJsonValue &value, Units units)
{
    auto speed = number(value);
    if (speed && units == Units::Metric)
        *speed *= WeatherJson::kMetresPerSecondToKmh;
    return WeatherJson::windSpeed(speed, units);
}

/**
 * Rain plus snow over `period` ("1h", "3h") in mm. OpenWeatherMap leaves `rain` and `snow` out
 * when there is none, so absent is 0 mm; one that is there but unreadable or absurd makes the
 * amount unknown.
 */
std::optional<double> precipitationOver(const QJsonObject &object, const QString &period,
                                        double max)
{
    double total = 0.0;
    for (const QString &kind : {u"rain"_s, u"snow"_s}) {
        const QJsonValue block = object.value(kind);
        if (block.isUndefined() || block.isNull())
            continue;
        const QJsonValue amount = block.toObject().value(period);
        if (amount.isUndefined() && block.isObject())
            continue; // e.g. only "3h" given when "1h" is asked
        const auto mm = WeatherJson::precipitation(number(amount), max, "precipitation");
        if (!mm)
            return std::nullopt;
        total += *mm;
    }
    return WeatherJson::precipitation(total, max, "precipitation");
}

/** OpenWeatherMap's `pop`, a fraction 0..1, as a percentage (range-checked by the caller). */
std::optional<double> percent(const QJsonValue &fraction)
{
    const auto value = number(fraction);
    return value && std::abs(*value) <= 1e6 ? std::optional<double>(*value * 100.0) : value;
}

struct Slot
{
    int id = 0;
    QString description;
};

Slot firstWeather(const QJsonObject &object)
{
    const QJsonObject weather = object.value(u"weather"_s).toArray().at(0).toObject();
    Slot slot;
    slot.id = WeatherJson::lenientInt(weather.value(u"id"_s)).value_or(0);
    slot.description = WeatherJson::sentenceCase(
        WeatherJson::cappedText(weather.value(u"description"_s), "description"));
    return slot;
}

} // namespace

QString OpenWeatherMapParser::providerName()
{
    return u"OpenWeatherMap"_s;
}

WeatherResult<QList<Location>> OpenWeatherMapParser::parseGeocoding(const QByteArray &body,
                                                                    int maxResults)
{
    using Result = WeatherResult<QList<Location>>;
    bool ok = false;
    const QJsonDocument doc = parseDocument(body, &ok);
    if (!ok)
        return Result::failure(badResponse());
    if (doc.isObject()) {
        if (auto error = errorFromCod(doc.object()))
            return Result::failure(*error);
        return Result::failure(badResponse());
    }
    if (!doc.isArray())
        return Result::failure(badResponse());

    QList<Location> locations;
    const QJsonArray array = doc.array();
    const qsizetype limit = std::max(maxResults, 0);
    locations.reserve(std::min(array.size(), limit));
    for (const QJsonValue &entry : array) {
        if (locations.size() >= limit) {
            qCDebug(lcWeather) << "keeping the first" << limit << "of" << array.size() << "places";
            break;
        }
        const QJsonObject object = entry.toObject();
        const QString name = WeatherJson::cappedText(object.value(u"name"_s), "place name");
        const auto latitude = number(object.value(u"lat"_s));
        const auto longitude = number(object.value(u"lon"_s));
        if (name.isEmpty() || !latitude || !longitude)
            continue;
        Location location;
        location.name = name;
        location.latitude = *latitude;
        location.longitude = *longitude;
        location.region = WeatherJson::cappedText(object.value(u"state"_s), "region");
        location.countryCode
            = WeatherJson::cappedText(object.value(u"country"_s), "country code").toUpper();
        location.country = WeatherJson::countryNameFromCode(location.countryCode);
        if (location.isValid())
            locations.append(location);
    }
    return Result::success(locations);
}

WeatherResult<CurrentConditions> OpenWeatherMapParser::parseCurrent(const QByteArray &body,
                                                                    Units units)
{
    using Result = WeatherResult<CurrentConditions>;
    WeatherError error;
    const std::optional<QJsonObject> answer = answerObject(body, &error);
    if (!answer)
        return Result::failure(error);
    const QJsonObject &root = *answer;
    const QJsonValue mainValue = root.value(u"main"_s);
    if (!mainValue.isObject())
        return Result::failure(badResponse());
    const QJsonObject main = mainValue.toObject();
    const QJsonObject wind = root.value(u"wind"_s).toObject();

    using namespace WeatherJson;
    CurrentConditions conditions;
    conditions.units = UnitSet::asked(units);
    conditions.temperature = temperature(main.value(u"temp"_s), units, "temperature");
    conditions.feelsLike
        = temperature(main.value(u"feels_like"_s), units, "feels-like temperature");
    conditions.humidity = humidity(main.value(u"humidity"_s));
    // `pressure` is at sea level (OWM's documentation); `sea_level` repeats it when present.
    conditions.pressure = pressure(main.value(u"pressure"_s));
    if (!conditions.pressure && !main.contains(u"pressure"_s))
        conditions.pressure = pressure(main.value(u"sea_level"_s));
    conditions.windSpeed = windSpeed(wind.value(u"speed"_s), units);
    conditions.windDirection = windDirection(wind.value(u"deg"_s));
    conditions.windGusts = windSpeed(wind.value(u"gust"_s), units);
    conditions.precipitation = precipitationOver(root, u"1h"_s, kMaxSlotPrecipitationMm);
    conditions.visibility = visibility(root.value(u"visibility"_s));
    conditions.cloudCover = cloudCover(root.value(u"clouds"_s).toObject().value(u"all"_s));
    // The 2.5 weather call sends no dew point (One Call's current.dew_point would): read one
    // where given, else compute it from the temperature and humidity with the Magnus formula,
    // as close (±0.4 °C) as the provider's own rounding.
    conditions.dewPoint = temperature(main.value(u"dew_point"_s), units, "dew point");
    if (!conditions.dewPoint)
        conditions.dewPoint = CurrentConditions::magnusDewPoint(
            conditions.temperature, conditions.humidity, conditions.units.temperature);

    const QJsonObject weather = root.value(u"weather"_s).toArray().at(0).toObject();
    if (const auto id = lenientInt(weather.value(u"id"_s)))
        conditions.condition = weatherConditionFromOpenWeatherMapId(*id);
    conditions.description
        = sentenceCase(cappedText(weather.value(u"description"_s), "description"));

    const auto dt = epochSeconds(root.value(u"dt"_s), "observation time");
    if (dt)
        conditions.observationTime = QDateTime::fromSecsSinceEpoch(*dt, Qt::UTC);
    const QJsonObject sys = root.value(u"sys"_s).toObject();
    const auto sunrise = epochSeconds(sys.value(u"sunrise"_s), "sunrise");
    const auto sunset = epochSeconds(sys.value(u"sunset"_s), "sunset");
    if (sunrise)
        conditions.sunrise = QDateTime::fromSecsSinceEpoch(*sunrise, Qt::UTC);
    if (sunset)
        conditions.sunset = QDateTime::fromSecsSinceEpoch(*sunset, Qt::UTC);
    // The icon suffix is OWM's own day/night verdict; sunrise/sunset is the fallback.
    const QString icon = weather.value(u"icon"_s).toString();
    if (icon.endsWith(u'n')) {
        conditions.isDay = false;
    } else if (icon.endsWith(u'd')) {
        conditions.isDay = true;
    } else if (dt && sunrise && sunset) {
        conditions.isDay = *dt >= *sunrise && *dt < *sunset;
    }
    return Result::success(conditions);
}

WeatherResult<QList<DailyForecast>> OpenWeatherMapParser::parseForecast(const QByteArray &body,
                                                                        Units units)
{
    using Result = WeatherResult<QList<DailyForecast>>;
    WeatherError error;
    const std::optional<QJsonObject> answer = answerObject(body, &error);
    if (!answer)
        return Result::failure(error);
    const QJsonObject &root = *answer;
    const QJsonValue listValue = root.value(u"list"_s);
    if (!listValue.isArray())
        return Result::failure(badResponse());
    // An absurd offset folds like none: days of the UTC calendar.
    const auto knownOffset
        = WeatherJson::utcOffset(root.value(u"city"_s).toObject().value(u"timezone"_s));
    const int offset = knownOffset.value_or(0);
    // The city's sunrise and sunset are today's: they belong to the day they fall on.
    const QJsonObject city = root.value(u"city"_s).toObject();
    const auto sunrise = WeatherJson::epochSeconds(city.value(u"sunrise"_s), "sunrise");
    const auto sunset = WeatherJson::epochSeconds(city.value(u"sunset"_s), "sunset");

    struct Accumulator
    {
        DailyForecast day;
        bool hasBest = false;
        std::tuple<bool, bool, int> bestRank;
        bool precipitationUnknown = false;
    };
    QMap<QDate, Accumulator> byDate;

    const QJsonArray list = listValue.toArray();
    for (const QJsonValue &entryValue : list) {
        const QJsonObject entry = entryValue.toObject();
        // In the window and with the offset within ±18 h, dt + offset cannot overflow and
        // always has a valid local date.
        const auto dt = WeatherJson::epochSeconds(entry.value(u"dt"_s), "forecast slot time");
        if (!dt)
            continue;
        const QDateTime local = QDateTime::fromSecsSinceEpoch(*dt + offset, Qt::UTC);
        if (!WeatherJson::plausibleDate(local.date()))
            continue;
        const QJsonObject main = entry.value(u"main"_s).toObject();
        auto low
            = WeatherJson::temperature(main.value(u"temp_min"_s), units, "minimum temperature");
        auto high
            = WeatherJson::temperature(main.value(u"temp_max"_s), units, "maximum temperature");
        const auto temp = WeatherJson::temperature(main.value(u"temp"_s), units, "temperature");
        if (!low)
            low = temp;
        if (!high)
            high = temp;

        Accumulator &acc = byDate[local.date()];
        acc.day.date = local.date();
        acc.day.units = UnitSet::asked(units);
        acc.day.utcOffsetSeconds = knownOffset;
        // A day's sum is only as good as each of its hours.
        const auto amount = precipitationOver(entry, u"3h"_s, WeatherJson::kMaxSlotPrecipitationMm);
        if (!amount)
            acc.precipitationUnknown = true;
        else if (!acc.precipitationUnknown)
            acc.day.precipitationSum = acc.day.precipitationSum.value_or(0.0) + *amount;
        if (acc.precipitationUnknown)
            acc.day.precipitationSum.reset();
        if (const auto pop
            = WeatherJson::probability(percent(entry.value(u"pop"_s)), "precipitation probability"))
            acc.day.precipitationProbabilityMax
                = std::max(acc.day.precipitationProbabilityMax.value_or(0.0), *pop);
        if (low)
            acc.day.minTemp = acc.day.minTemp ? std::min(*acc.day.minTemp, *low) : *low;
        if (high)
            acc.day.maxTemp = acc.day.maxTemp ? std::max(*acc.day.maxTemp, *high) : *high;

        const Slot slot = firstWeather(entry);
        const WeatherCondition condition = weatherConditionFromOpenWeatherMapId(slot.id);
        const int severity = weatherConditionSeverity(condition);
        const int hour = local.time().hour();
        const bool daytime = hour >= kDaytimeStartHour && hour < kDaytimeEndHour;
        // A known condition beats Unknown, a daytime slot beats a night one, and among equals
        // the more severe wins (the first of equally severe ones stays).
        const bool known = condition != WeatherCondition::Unknown;
        const auto rank = std::make_tuple(known, daytime, severity);
        const bool better = !acc.hasBest || rank > acc.bestRank;
        if (better) {
            acc.hasBest = true;
            acc.bestRank = rank;
            acc.day.condition = condition;
            acc.day.description = slot.description;
        }
    }

    QList<DailyForecast> days;
    days.reserve(std::min(byDate.size(), WeatherJson::kMaxForecastDays));
    for (auto it = byDate.cbegin();
         it != byDate.cend() && days.size() < WeatherJson::kMaxForecastDays; ++it) {
        DailyForecast day = it.value().day;
        const auto localDate = [offset](qint64 seconds) {
            return QDateTime::fromSecsSinceEpoch(seconds + offset, Qt::UTC).date();
        };
        if (sunrise && localDate(*sunrise) == day.date)
            day.sunrise = QDateTime::fromSecsSinceEpoch(*sunrise, Qt::UTC);
        if (sunset && localDate(*sunset) == day.date)
            day.sunset = QDateTime::fromSecsSinceEpoch(*sunset, Qt::UTC);
        days.append(day);
    }
    if (byDate.size() > days.size())
        qCDebug(lcWeather) << "keeping the first" << days.size() << "of" << byDate.size()
                           << "forecast days";
    return Result::success(days);
}

WeatherResult<HourlyForecastList> OpenWeatherMapParser::parseHourly(const QByteArray &body,
                                                                    Units units)
{
    using Result = WeatherResult<HourlyForecastList>;
    WeatherError error;
    const std::optional<QJsonObject> answer = answerObject(body, &error);
    if (!answer)
        return Result::failure(error);
    const QJsonObject &root = *answer;
    const QJsonValue listValue = root.value(u"list"_s);
    if (!listValue.isArray())
        return Result::failure(badResponse());
    const auto offset
        = WeatherJson::utcOffset(root.value(u"city"_s).toObject().value(u"timezone"_s));

    const QJsonArray list = listValue.toArray();
    HourlyForecastList hours;
    hours.reserve(std::min(list.size(), WeatherJson::kMaxHourlySlots));
    for (const QJsonValue &entryValue : list) {
        if (hours.size() >= WeatherJson::kMaxHourlySlots)
            break;
        const QJsonObject entry = entryValue.toObject();
        const auto dt = WeatherJson::epochSeconds(entry.value(u"dt"_s), "forecast slot time");
        if (!dt)
            continue;
        HourlyForecast slot;
        slot.time = QDateTime::fromSecsSinceEpoch(*dt, Qt::UTC);
        slot.periodHours = 3;
        slot.units = UnitSet::asked(units);
        slot.utcOffsetSeconds = offset;
        const QJsonObject main = entry.value(u"main"_s).toObject();
        slot.temperature = WeatherJson::temperature(main.value(u"temp"_s), units, "temperature");
        slot.precipitationProbability
            = WeatherJson::probability(percent(entry.value(u"pop"_s)), "precipitation probability");
        slot.precipitation
            = precipitationOver(entry, u"3h"_s, WeatherJson::kMaxSlotPrecipitationMm);
        slot.windSpeed = windSpeed(entry.value(u"wind"_s).toObject().value(u"speed"_s), units);
        const Slot weather = firstWeather(entry);
        slot.condition = weatherConditionFromOpenWeatherMapId(weather.id);
        slot.description = weather.description;
        const QString pod = entry.value(u"sys"_s).toObject().value(u"pod"_s).toString();
        slot.isDay = pod != u"n";
        hours.append(slot);
    }
    std::stable_sort(
        hours.begin(), hours.end(),
        [](const HourlyForecast &a, const HourlyForecast &b) { return a.time < b.time; });
    return Result::success(hours);
}

WeatherError OpenWeatherMapParser::parseError(int httpStatus, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    return errorFromStatus(httpStatus, doc.object().value(u"message"_s).toString());
}
