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

std::optional<double> windSpeed(const QJsonValue &value, Units units)
{
    auto speed = number(value);
    if (speed && units == Units::Metric)
        *speed *= WeatherJson::kMetresPerSecondToKmh;
    return WeatherJson::windSpeed(speed, units);
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
    bool ok = false;
    const QJsonDocument doc = parseDocument(body, &ok);
    if (!ok || !doc.isObject())
        return Result::failure(badResponse());
    const QJsonObject root = doc.object();
    if (auto error = errorFromCod(root))
        return Result::failure(*error);
    const QJsonValue mainValue = root.value(u"main"_s);
    if (!mainValue.isObject())
        return Result::failure(badResponse());
    const QJsonObject main = mainValue.toObject();
    const QJsonObject wind = root.value(u"wind"_s).toObject();

    using namespace WeatherJson;
    CurrentConditions conditions;
    conditions.units = units;
    conditions.temperature = temperature(main.value(u"temp"_s), units, "temperature");
    conditions.feelsLike
        = temperature(main.value(u"feels_like"_s), units, "feels-like temperature");
    conditions.humidity = humidity(main.value(u"humidity"_s));
    conditions.pressure = pressure(main.value(u"pressure"_s));
    conditions.windSpeed = windSpeed(wind.value(u"speed"_s), units);
    conditions.windDirection = windDirection(wind.value(u"deg"_s));

    const QJsonObject weather = root.value(u"weather"_s).toArray().at(0).toObject();
    if (const auto id = lenientInt(weather.value(u"id"_s)))
        conditions.condition = weatherConditionFromOpenWeatherMapId(*id);
    conditions.description
        = sentenceCase(cappedText(weather.value(u"description"_s), "description"));

    const auto dt = epochSeconds(root.value(u"dt"_s), "observation time");
    if (dt)
        conditions.observationTime = QDateTime::fromSecsSinceEpoch(*dt, Qt::UTC);
    // The icon suffix is OWM's own day/night verdict; sunrise/sunset is the fallback.
    const QString icon = weather.value(u"icon"_s).toString();
    if (icon.endsWith(u'n')) {
        conditions.isDay = false;
    } else if (icon.endsWith(u'd')) {
        conditions.isDay = true;
    } else {
        const QJsonObject sys = root.value(u"sys"_s).toObject();
        const auto sunrise = number(sys.value(u"sunrise"_s));
        const auto sunset = number(sys.value(u"sunset"_s));
        if (dt && sunrise && sunset)
            conditions.isDay = double(*dt) >= *sunrise && double(*dt) < *sunset;
    }
    return Result::success(conditions);
}

WeatherResult<QList<DailyForecast>> OpenWeatherMapParser::parseForecast(const QByteArray &body,
                                                                        Units units)
{
    using Result = WeatherResult<QList<DailyForecast>>;
    bool ok = false;
    const QJsonDocument doc = parseDocument(body, &ok);
    if (!ok || !doc.isObject())
        return Result::failure(badResponse());
    const QJsonObject root = doc.object();
    if (auto error = errorFromCod(root))
        return Result::failure(*error);
    const QJsonValue listValue = root.value(u"list"_s);
    if (!listValue.isArray())
        return Result::failure(badResponse());
    // An absurd offset folds like none: days of the UTC calendar.
    const auto knownOffset
        = WeatherJson::utcOffset(root.value(u"city"_s).toObject().value(u"timezone"_s));
    const int offset = knownOffset.value_or(0);

    struct Accumulator
    {
        DailyForecast day;
        bool hasBest = false;
        std::tuple<bool, bool, int> bestRank;
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
        acc.day.units = units;
        acc.day.utcOffsetSeconds = knownOffset;
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
         it != byDate.cend() && days.size() < WeatherJson::kMaxForecastDays; ++it)
        days.append(it.value().day);
    if (byDate.size() > days.size())
        qCDebug(lcWeather) << "keeping the first" << days.size() << "of" << byDate.size()
                           << "forecast days";
    return Result::success(days);
}

WeatherError OpenWeatherMapParser::parseError(int httpStatus, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    return errorFromStatus(httpStatus, doc.object().value(u"message"_s).toString());
}
