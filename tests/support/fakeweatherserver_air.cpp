// SPDX-License-Identifier: MIT
// FakeWeatherServer's Open-Meteo air quality and nowcast (issue 23), in the real shapes of
// /v1/air-quality `current=` and /v1/forecast `minutely_15=` (see PROVIDERS.md).
#include "fakeweatherserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/** The place's coordinates, or the real 400 for coordinates out of range. */
std::optional<std::pair<double, double>> coordinates(const RecordedRequest &request)
{
    bool latOk = false;
    bool lonOk = false;
    const double latitude = request.queryValue(u"latitude"_s).toDouble(&latOk);
    const double longitude = request.queryValue(u"longitude"_s).toDouble(&lonOk);
    if (!latOk || !lonOk || latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180)
        return std::nullopt;
    return std::pair{latitude, longitude};
}

HttpReply badLatitude(const RecordedRequest &request)
{
    const QString reason = u"Latitude must be in range of -90 to 90°. Given: %1."_s.arg(
        request.queryValue(u"latitude"_s));
    return HttpReply::json(400, toJson(QJsonObject{{u"error"_s, true}, {u"reason"_s, reason}}));
}

QJsonObject header(double latitude, double longitude, const FakeWeatherServer::City &city)
{
    return QJsonObject{{u"latitude"_s, std::round(latitude * 10) / 10},
                       {u"longitude"_s, std::round(longitude * 10) / 10},
                       {u"generationtime_ms"_s, 0.07},
                       {u"utc_offset_seconds"_s, city.utcOffsetSeconds},
                       {u"timezone"_s, city.timezone.isEmpty() ? u"GMT"_s : city.timezone},
                       {u"timezone_abbreviation"_s, u"GMT"_s},
                       {u"elevation"_s, 38.0}};
}

bool inEurope(const QString &countryCode)
{
    static const QStringList kEurope{u"DE"_s, u"GB"_s, u"FR"_s, u"IT"_s, u"ES"_s, u"PL"_s,
                                     u"NL"_s, u"AT"_s, u"CH"_s, u"BE"_s, u"SE"_s};
    return kEurope.contains(countryCode);
}

} // namespace

HttpReply FakeWeatherServer::openMeteoAirQuality(const RecordedRequest &request) const
{
    const auto where = coordinates(request);
    if (!where)
        return badLatitude(request);
    const City city = cityAt(where->first, where->second).value_or(City{});
    const QDateTime local = m_serverTime.addSecs(city.utcOffsetSeconds);
    const bool pollenSeason
        = inEurope(city.countryCode) && local.date().month() >= 3 && local.date().month() <= 9;

    // Berlin's values from tests/data/aq_current_berlin.json for every place; pollen only in
    // Europe in season, null elsewhere (as the real service does).
    const QHash<QString, std::pair<double, QString>> known{
        {u"european_aqi"_s, {37, u"EAQI"_s}},
        {u"us_aqi"_s, {52, u"USAQI"_s}},
        {u"pm2_5"_s, {8.4, u"μg/m³"_s}},
        {u"pm10"_s, {14.9, u"μg/m³"_s}},
        {u"ozone"_s, {96.0, u"μg/m³"_s}},
        {u"nitrogen_dioxide"_s, {11.3, u"μg/m³"_s}},
        {u"sulphur_dioxide"_s, {1.6, u"μg/m³"_s}},
        {u"carbon_monoxide"_s, {182.0, u"μg/m³"_s}},
        {u"european_aqi_pm2_5"_s, {17, u"EAQI"_s}},
        {u"european_aqi_pm10"_s, {15, u"EAQI"_s}},
        {u"european_aqi_ozone"_s, {37, u"EAQI"_s}},
        {u"european_aqi_nitrogen_dioxide"_s, {6, u"EAQI"_s}},
        {u"european_aqi_sulphur_dioxide"_s, {1, u"EAQI"_s}},
        {u"us_aqi_pm2_5"_s, {52, u"USAQI"_s}},
        {u"us_aqi_pm10"_s, {14, u"USAQI"_s}},
        {u"us_aqi_ozone"_s, {45, u"USAQI"_s}},
        {u"us_aqi_nitrogen_dioxide"_s, {7, u"USAQI"_s}},
        {u"us_aqi_sulphur_dioxide"_s, {1, u"USAQI"_s}},
        {u"us_aqi_carbon_monoxide"_s, {2, u"USAQI"_s}},
        {u"alder_pollen"_s, {0.0, u"grains/m³"_s}},
        {u"birch_pollen"_s, {12.0, u"grains/m³"_s}},
        {u"grass_pollen"_s, {9.5, u"grains/m³"_s}},
        {u"mugwort_pollen"_s, {0.0, u"grains/m³"_s}},
        {u"olive_pollen"_s, {0.0, u"grains/m³"_s}},
        {u"ragweed_pollen"_s, {0.0, u"grains/m³"_s}},
    };

    QJsonObject root = header(where->first, where->second, city);
    const QStringList current = request.queryValue(u"current"_s).split(u',', Qt::SkipEmptyParts);
    if (!current.isEmpty()) {
        QJsonObject units{{u"time"_s, u"iso8601"_s}, {u"interval"_s, u"seconds"_s}};
        const QDateTime hour(local.date(), QTime(local.time().hour(), 0), Qt::UTC);
        QJsonObject values{{u"time"_s, hour.toString(u"yyyy-MM-ddTHH:mm"_s)},
                           {u"interval"_s, 3600}};
        for (const QString &variable : current) {
            const auto it = known.find(variable);
            if (it == known.end())
                return HttpReply::json(
                    400, toJson(QJsonObject{
                             {u"error"_s, true},
                             {u"reason"_s,
                              u"Cannot initialize AirQualityVariable from "
                              u"invalid String value %1 for key current"_s.arg(variable)}}));
            units.insert(variable, it->second);
            if (variable.endsWith(u"_pollen") && !pollenSeason)
                values.insert(variable, QJsonValue::Null);
            else
                values.insert(variable, it->first);
        }
        root.insert(u"current_units"_s, units);
        root.insert(u"current"_s, values);
    }
    return HttpReply::json(200, toJson(root));
}

HttpReply FakeWeatherServer::openMeteoNowcast(const RecordedRequest &request) const
{
    const auto where = coordinates(request);
    if (!where)
        return badLatitude(request);
    const City city = cityAt(where->first, where->second).value_or(City{});
    const QDateTime local = m_serverTime.addSecs(city.utcOffsetSeconds);
    const QString countText = request.queryValue(u"forecast_minutely_15"_s);
    const int count = countText.isEmpty() ? 96 : std::clamp(countText.toInt(), 1, 16 * 96);

    // From the start of the current quarter hour, like the real service; each step is the
    // precipitation of the 15 minutes before its time. Rain from 14:30 to 16:00 local.
    const QDateTime first(local.date(), QTime(local.time().hour(), local.time().minute() / 15 * 15),
                          Qt::UTC);
    QJsonArray time;
    QJsonArray precipitation;
    const QStringList variables
        = request.queryValue(u"minutely_15"_s).split(u',', Qt::SkipEmptyParts);
    for (int i = 0; i < count; ++i) {
        const QDateTime end = first.addSecs(i * 15 * 60);
        time.append(end.toString(u"yyyy-MM-ddTHH:mm"_s));
        const int startMinute = end.addSecs(-15 * 60).time().msecsSinceStartOfDay() / 60'000;
        const bool wet = startMinute >= 14 * 60 + 30 && startMinute < 16 * 60;
        precipitation.append(wet ? 0.4 : 0.0);
    }
    QJsonObject units{{u"time"_s, u"iso8601"_s}};
    QJsonObject values{{u"time"_s, time}};
    for (const QString &variable : variables) {
        if (variable == u"precipitation") {
            units.insert(variable, u"mm"_s);
            values.insert(variable, precipitation);
        } else {
            QJsonArray nulls;
            for (int i = 0; i < count; ++i)
                nulls.append(QJsonValue::Null);
            units.insert(variable, QString());
            values.insert(variable, nulls);
        }
    }
    QJsonObject root = header(where->first, where->second, city);
    root.insert(u"minutely_15_units"_s, units);
    root.insert(u"minutely_15"_s, values);
    return HttpReply::json(200, toJson(root));
}
