// SPDX-License-Identifier: MIT
#include "openmeteoparser.h"

#include "jsonhelpers_p.h"
#include "weatherlogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;
using WeatherJson::number;

namespace {

std::optional<QJsonObject> parseObject(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

WeatherError badResponse()
{
    return WeatherError(WeatherError::BadResponse, OpenMeteoParser::providerName());
}

/** `{"error":true,"reason":"..."}` can come with any status; treat it as a refused request. */
std::optional<WeatherError> errorBody(const QJsonObject &root)
{
    if (!root.value(u"error"_s).toBool(false))
        return std::nullopt;
    return WeatherError(WeatherError::InvalidInput, OpenMeteoParser::providerName(),
                        WeatherJson::cappedText(root.value(u"reason"_s), "error reason"));
}

QDateTime localIsoToUtc(const QString &text, int offsetSeconds,
                        const char *what = "observation time")
{
    // "2026-08-22T14:15" is wall time at the place; parse it as if UTC, then shift.
    QDateTime dt = QDateTime::fromString(text, Qt::ISODate);
    if (!dt.isValid())
        return {};
    dt = QDateTime(dt.date(), dt.time(), Qt::UTC);
    return WeatherJson::plausibleTime(dt.addSecs(-offsetSeconds), what);
}

void setCondition(const QJsonValue &value, WeatherCondition &condition, QString &description)
{
    if (const auto code = number(value)) {
        const int wmo = WeatherJson::weatherCode(*code);
        condition = weatherConditionFromWmoCode(wmo);
        description = weatherDescriptionFromWmoCode(wmo);
    }
}

} // namespace

QString OpenMeteoParser::providerName()
{
    return u"Open-Meteo"_s;
}

WeatherResult<QJsonObject> OpenMeteoParser::parseRoot(const QByteArray &body)
{
    using Result = WeatherResult<QJsonObject>;
    const auto root = parseObject(body);
    if (!root)
        return Result::failure(badResponse());
    if (auto error = errorBody(*root))
        return Result::failure(*error);
    return Result::success(*root);
}

WeatherResult<QList<Location>> OpenMeteoParser::parseGeocoding(const QByteArray &body,
                                                               int maxResults)
{
    using Result = WeatherResult<QList<Location>>;
    const auto root = parseObject(body);
    if (!root)
        return Result::failure(badResponse());
    if (auto error = errorBody(*root))
        return Result::failure(*error);

    QList<Location> locations;
    const QJsonValue results = root->value(u"results"_s);
    if (results.isUndefined() || results.isNull())
        return Result::success(locations); // no match
    if (!results.isArray())
        return Result::failure(badResponse());

    const QJsonArray array = results.toArray();
    const qsizetype limit = std::max(maxResults, 0);
    locations.reserve(std::min(array.size(), limit));
    for (const QJsonValue &entry : array) {
        if (locations.size() >= limit) {
            qCDebug(lcWeather) << "keeping the first" << limit << "of" << array.size() << "places";
            break;
        }
        const QJsonObject object = entry.toObject();
        const QString name = WeatherJson::cappedText(object.value(u"name"_s), "place name");
        const auto latitude = number(object.value(u"latitude"_s));
        const auto longitude = number(object.value(u"longitude"_s));
        if (name.isEmpty() || !latitude || !longitude)
            continue;
        Location location;
        location.name = name;
        location.latitude = *latitude;
        location.longitude = *longitude;
        location.region = WeatherJson::cappedText(object.value(u"admin1"_s), "region");
        location.countryCode
            = WeatherJson::cappedText(object.value(u"country_code"_s), "country code").toUpper();
        location.country = WeatherJson::cappedText(object.value(u"country"_s), "country");
        if (location.country.isEmpty())
            location.country = WeatherJson::countryNameFromCode(location.countryCode);
        location.timezone = WeatherJson::cappedText(object.value(u"timezone"_s), "time zone");
        if (location.isValid())
            locations.append(location);
    }
    return Result::success(locations);
}

WeatherResult<CurrentConditions> OpenMeteoParser::parseCurrent(const QByteArray &body, Units units)
{
    using Result = WeatherResult<CurrentConditions>;
    const auto root = parseObject(body);
    if (!root)
        return Result::failure(badResponse());
    if (auto error = errorBody(*root))
        return Result::failure(*error);
    const QJsonValue currentValue = root->value(u"current"_s);
    if (!currentValue.isObject())
        return Result::failure(badResponse());
    const QJsonObject current = currentValue.toObject();
    // No offset reads as UTC (as before); one that is there but absurd makes the time unknown
    // rather than hours wrong.
    const QJsonValue offsetValue = root->value(u"utc_offset_seconds"_s);
    const auto offset = WeatherJson::utcOffset(offsetValue);
    const bool offsetUsable = offset || offsetValue.isUndefined() || offsetValue.isNull();

    using namespace WeatherJson;
    CurrentConditions conditions;
    conditions.units = UnitSet::asked(units);
    conditions.temperature = temperature(current.value(u"temperature_2m"_s), units, "temperature");
    conditions.feelsLike
        = temperature(current.value(u"apparent_temperature"_s), units, "feels-like temperature");
    conditions.humidity = humidity(current.value(u"relative_humidity_2m"_s));
    // Sea level, as OpenWeatherMap reports it: surface pressure reads ~840 hPa in Denver.
    conditions.pressure = pressure(current.value(u"pressure_msl"_s));
    conditions.windSpeed = windSpeed(number(current.value(u"wind_speed_10m"_s)), units);
    conditions.windGusts = windSpeed(number(current.value(u"wind_gusts_10m"_s)), units);
    conditions.precipitation = WeatherJson::precipitation(number(current.value(u"precipitation"_s)),
                                                          kMaxSlotPrecipitationMm, "precipitation");
    conditions.windDirection = windDirection(current.value(u"wind_direction_10m"_s));
    conditions.dewPoint = temperature(current.value(u"dew_point_2m"_s), units, "dew point");
    conditions.cloudCover = cloudCover(current.value(u"cloud_cover"_s));
    // Metres, except that an imperial request has been seen answered in feet: trust the label.
    constexpr double kMetresPerFoot = 0.3048;
    const QString visibilityUnit
        = root->value(u"current_units"_s).toObject().value(u"visibility"_s).toString();
    if (const auto raw = number(current.value(u"visibility"_s))) {
        conditions.visibility
            = visibility(QJsonValue(visibilityUnit == u"ft" ? *raw * kMetresPerFoot : *raw));
    }
    setCondition(current.value(u"weather_code"_s), conditions.condition, conditions.description);
    if (const auto isDay = number(current.value(u"is_day"_s)))
        conditions.isDay = *isDay != 0.0;
    if (offsetUsable)
        conditions.observationTime
            = localIsoToUtc(current.value(u"time"_s).toString(), offset.value_or(0));
    return Result::success(conditions);
}

WeatherResult<QList<DailyForecast>> OpenMeteoParser::parseDaily(const QByteArray &body, Units units)
{
    using Result = WeatherResult<QList<DailyForecast>>;
    const auto root = parseObject(body);
    if (!root)
        return Result::failure(badResponse());
    if (auto error = errorBody(*root))
        return Result::failure(*error);
    const QJsonValue dailyValue = root->value(u"daily"_s);
    if (!dailyValue.isObject())
        return Result::failure(badResponse());
    const QJsonObject daily = dailyValue.toObject();
    const QJsonValue timeValue = daily.value(u"time"_s);
    if (!timeValue.isArray())
        return Result::failure(badResponse());

    const QJsonArray times = timeValue.toArray();
    // timezone=auto: the dates are the place's; the offset says what "today" is there.
    const auto offset = WeatherJson::utcOffset(root->value(u"utc_offset_seconds"_s));
    // A missing or mistyped column reads as all-null rather than failing the whole forecast.
    const QJsonArray codes = daily.value(u"weather_code"_s).toArray();
    const QJsonArray maxima = daily.value(u"temperature_2m_max"_s).toArray();
    const QJsonArray minima = daily.value(u"temperature_2m_min"_s).toArray();
    const QJsonArray sums = daily.value(u"precipitation_sum"_s).toArray();
    const QJsonArray chances = daily.value(u"precipitation_probability_max"_s).toArray();
    const QJsonArray uv = daily.value(u"uv_index_max"_s).toArray();
    const QJsonArray sunrises = daily.value(u"sunrise"_s).toArray();
    const QJsonArray sunsets = daily.value(u"sunset"_s).toArray();

    QList<DailyForecast> days;
    days.reserve(std::min(times.size(), WeatherJson::kMaxForecastDays));
    for (qsizetype i = 0; i < times.size(); ++i) {
        if (days.size() >= WeatherJson::kMaxForecastDays) {
            qCDebug(lcWeather) << "keeping the first" << days.size() << "of" << times.size()
                               << "forecast days";
            break;
        }
        const QDate date = QDate::fromString(times.at(i).toString(), Qt::ISODate);
        if (!WeatherJson::plausibleDate(date)) {
            if (date.isValid())
                qCDebug(lcWeather) << "ignoring a forecast day dated" << date;
            continue;
        }
        DailyForecast day;
        day.date = date;
        day.units = UnitSet::asked(units);
        day.utcOffsetSeconds = offset;
        day.maxTemp = WeatherJson::temperature(maxima.at(i), units, "maximum temperature");
        day.minTemp = WeatherJson::temperature(minima.at(i), units, "minimum temperature");
        setCondition(codes.at(i), day.condition, day.description);
        day.precipitationSum = WeatherJson::precipitation(
            number(sums.at(i)), WeatherJson::kMaxDailyPrecipitationMm, "precipitation sum");
        day.precipitationProbabilityMax
            = WeatherJson::probability(number(chances.at(i)), "precipitation probability");
        day.uvIndexMax = WeatherJson::uvIndex(uv.at(i));
        // Sun times are the place's wall time like the dates; without an offset, none.
        if (offset) {
            day.sunrise = localIsoToUtc(sunrises.at(i).toString(), *offset, "sunrise");
            day.sunset = localIsoToUtc(sunsets.at(i).toString(), *offset, "sunset");
        }
        days.append(day);
    }
    return Result::success(days);
}

WeatherResult<HourlyForecastList> OpenMeteoParser::parseHourly(const QByteArray &body, Units units)
{
    using Result = WeatherResult<HourlyForecastList>;
    const auto root = parseObject(body);
    if (!root)
        return Result::failure(badResponse());
    if (auto error = errorBody(*root))
        return Result::failure(*error);
    const QJsonValue hourlyValue = root->value(u"hourly"_s);
    if (!hourlyValue.isObject())
        return Result::failure(badResponse());
    const QJsonObject hourly = hourlyValue.toObject();
    const QJsonValue timeValue = hourly.value(u"time"_s);
    if (!timeValue.isArray())
        return Result::failure(badResponse());
    // The times are the place's wall time (timezone=auto): no usable offset, no times.
    const QJsonValue offsetValue = root->value(u"utc_offset_seconds"_s);
    const auto offset = WeatherJson::utcOffset(offsetValue);
    if (!offset && !offsetValue.isUndefined() && !offsetValue.isNull())
        return Result::success({});

    const QJsonArray times = timeValue.toArray();
    const QJsonArray temperatures = hourly.value(u"temperature_2m"_s).toArray();
    const QJsonArray chances = hourly.value(u"precipitation_probability"_s).toArray();
    const QJsonArray amounts = hourly.value(u"precipitation"_s).toArray();
    const QJsonArray codes = hourly.value(u"weather_code"_s).toArray();
    const QJsonArray days = hourly.value(u"is_day"_s).toArray();
    const QJsonArray winds = hourly.value(u"wind_speed_10m"_s).toArray();

    HourlyForecastList hours;
    hours.reserve(std::min(times.size(), WeatherJson::kMaxHourlySlots));
    for (qsizetype i = 0; i < times.size(); ++i) {
        if (hours.size() >= WeatherJson::kMaxHourlySlots) {
            qCDebug(lcWeather) << "keeping the first" << hours.size() << "of" << times.size()
                               << "hours";
            break;
        }
        HourlyForecast slot;
        slot.time = localIsoToUtc(times.at(i).toString(), offset.value_or(0), "forecast hour");
        if (!slot.time.isValid())
            continue;
        slot.periodHours = 1;
        slot.units = UnitSet::asked(units);
        slot.utcOffsetSeconds = offset;
        slot.temperature = WeatherJson::temperature(temperatures.at(i), units, "temperature");
        slot.precipitationProbability
            = WeatherJson::probability(number(chances.at(i)), "precipitation probability");
        slot.precipitation = WeatherJson::precipitation(
            number(amounts.at(i)), WeatherJson::kMaxSlotPrecipitationMm, "precipitation");
        slot.windSpeed = WeatherJson::windSpeed(number(winds.at(i)), units);
        setCondition(codes.at(i), slot.condition, slot.description);
        if (const auto isDay = number(days.at(i)))
            slot.isDay = *isDay != 0.0;
        hours.append(slot);
    }
    return Result::success(hours);
}

WeatherError OpenMeteoParser::parseError(int httpStatus, const QByteArray &body)
{
    const auto root = parseObject(body);
    const QString reason
        = root ? WeatherJson::cappedText(root->value(u"reason"_s), "error reason") : QString();
    WeatherError error;
    if (httpStatus == 429) {
        error = WeatherError(WeatherError::RateLimited, providerName());
    } else if (httpStatus >= 500) {
        error = WeatherError(WeatherError::ServerError, providerName());
    } else if (httpStatus == 400) {
        error = WeatherError(WeatherError::InvalidInput, providerName(), reason);
    } else {
        error = WeatherError(WeatherError::BadResponse, providerName());
    }
    error.setHttpStatus(httpStatus);
    return error;
}
