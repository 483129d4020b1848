// SPDX-License-Identifier: MIT
#include "openmeteoprovider.h"

#include "openmeteoparser.h"

using namespace Qt::StringLiterals;

namespace {
constexpr int kDefaultGeocodingResults = 10;
constexpr QStringView kCurrentVariables
    = u"temperature_2m,relative_humidity_2m,apparent_temperature,"
      u"weather_code,wind_speed_10m,wind_direction_10m,"
      u"pressure_msl,is_day,precipitation,wind_gusts_10m,dew_point_2m,visibility,cloud_cover";
constexpr QStringView kDailyVariables
    = u"weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,"
      u"precipitation_probability_max,sunrise,sunset,uv_index_max";
constexpr QStringView kHourlyVariables
    = u"temperature_2m,precipitation_probability,precipitation,weather_code,is_day,"
      u"wind_speed_10m";

QString coordinate(double value)
{
    return QString::number(value, 'f', 4);
}
} // namespace

OpenMeteoProvider::OpenMeteoProvider(QNetworkAccessManager *network, Clock *clock, QObject *parent)
    : WeatherProvider(network, clock, kDefaultRequestsPerMinute, parent)
{ }

QString OpenMeteoProvider::id() const
{
    return kId;
}

QString OpenMeteoProvider::displayName() const
{
    return OpenMeteoParser::providerName();
}

QString OpenMeteoProvider::attribution() const
{
    return tr("Weather data by Open-Meteo.com");
}

void OpenMeteoProvider::setEndpoints(const ProviderEndpoints &endpoints)
{
    m_geocodingBase = endpoints.openMeteoGeocoding;
    m_forecastBase = endpoints.openMeteoForecast;
    m_airQualityBase = endpoints.openMeteoAirQuality;
}

QFuture<WeatherResult<QList<Location>>> OpenMeteoProvider::searchLocations(const QString &query,
                                                                           int maxResults)
{
    using Result = WeatherResult<QList<Location>>;
    QString name = query;
    if (const auto error = normalizeQuery(name))
        return finishedFuture(Result::failure(finalized(*error)));
    const int count
        = maxResults <= 0 ? kDefaultGeocodingResults : std::min(maxResults, kMaxGeocodingResults);

    QUrl url = ProviderEndpoints::resolve(m_geocodingBase, u"/v1/search"_s);
    QUrlQuery urlQuery;
    addQueryItem(urlQuery, u"name"_s, name);
    addQueryItem(urlQuery, u"count"_s, QString::number(count));
    addQueryItem(urlQuery, u"language"_s, language());
    addQueryItem(urlQuery, u"format"_s, u"json"_s);
    url.setQuery(urlQuery);
    return request<QList<Location>>(url, [count](const QByteArray &body) {
        return OpenMeteoParser::parseGeocoding(body, count);
    });
}

QUrl OpenMeteoProvider::forecastUrl(const Location &location, Units units, const QString &blockKey,
                                    const QString &variables) const
{
    QUrl url = ProviderEndpoints::resolve(m_forecastBase, u"/v1/forecast"_s);
    QUrlQuery urlQuery;
    addQueryItem(urlQuery, u"latitude"_s, coordinate(location.latitude));
    addQueryItem(urlQuery, u"longitude"_s, coordinate(location.longitude));
    addQueryItem(urlQuery, blockKey, variables);
    addQueryItem(urlQuery, u"timezone"_s, u"auto"_s);
    addQueryItem(urlQuery, u"temperature_unit"_s,
                 units == Units::Imperial ? u"fahrenheit"_s : u"celsius"_s);
    addQueryItem(urlQuery, u"wind_speed_unit"_s, units == Units::Imperial ? u"mph"_s : u"kmh"_s);
    if (blockKey == u"daily")
        addQueryItem(urlQuery, u"forecast_days"_s, QString::number(kForecastDays));
    else if (blockKey == u"hourly")
        addQueryItem(urlQuery, u"forecast_days"_s, QString::number(kHourlyDays));
    url.setQuery(urlQuery);
    return url;
}

QFuture<WeatherResult<CurrentConditions>> OpenMeteoProvider::fetchCurrent(const Location &location,
                                                                          Units units)
{
    using Result = WeatherResult<CurrentConditions>;
    if (!location.isValid()) {
        return finishedFuture(Result::failure(finalized(WeatherError(
            WeatherError::InvalidInput, QString(), tr("The place has no valid coordinates.")))));
    }
    const QUrl url = forecastUrl(location, units, u"current"_s, kCurrentVariables.toString());
    return request<CurrentConditions>(url, [units](const QByteArray &body) {
        return OpenMeteoParser::parseCurrent(body, units);
    });
}

QFuture<WeatherResult<QList<DailyForecast>>>
OpenMeteoProvider::fetchForecast(const Location &location, Units units)
{
    using Result = WeatherResult<QList<DailyForecast>>;
    if (!location.isValid()) {
        return finishedFuture(Result::failure(finalized(WeatherError(
            WeatherError::InvalidInput, QString(), tr("The place has no valid coordinates.")))));
    }
    const QUrl url = forecastUrl(location, units, u"daily"_s, kDailyVariables.toString());
    return request<QList<DailyForecast>>(
        url, [units](const QByteArray &body) { return OpenMeteoParser::parseDaily(body, units); });
}

QFuture<WeatherResult<HourlyForecastList>> OpenMeteoProvider::fetchHourly(const Location &location,
                                                                          Units units)
{
    using Result = WeatherResult<HourlyForecastList>;
    if (!location.isValid()) {
        return finishedFuture(Result::failure(finalized(WeatherError(
            WeatherError::InvalidInput, QString(), tr("The place has no valid coordinates.")))));
    }
    const QUrl url = forecastUrl(location, units, u"hourly"_s, kHourlyVariables.toString());
    return request<HourlyForecastList>(
        url, [units](const QByteArray &body) { return OpenMeteoParser::parseHourly(body, units); });
}

WeatherError OpenMeteoProvider::errorForStatus(int httpStatus, const QByteArray &body) const
{
    return OpenMeteoParser::parseError(httpStatus, body);
}

// ---- issue 23 (air) ----------------------------------------------------------------------------

QFuture<WeatherResult<AirQuality>> OpenMeteoProvider::fetchAirQuality(const Location &location)
{
    using Result = WeatherResult<AirQuality>;
    if (!location.isValid()) {
        return finishedFuture(Result::failure(finalized(WeatherError(
            WeatherError::InvalidInput, QString(), tr("The place has no valid coordinates.")))));
    }
    QUrl url = ProviderEndpoints::resolve(m_airQualityBase, u"/v1/air-quality"_s);
    QUrlQuery urlQuery;
    addQueryItem(urlQuery, u"latitude"_s, coordinate(location.latitude));
    addQueryItem(urlQuery, u"longitude"_s, coordinate(location.longitude));
    addQueryItem(urlQuery, u"current"_s, AirQualityParser::currentVariables());
    addQueryItem(urlQuery, u"timezone"_s, u"auto"_s);
    url.setQuery(urlQuery);
    return request<AirQuality>(
        url, [](const QByteArray &body) { return AirQualityParser::parse(body); });
}

QFuture<WeatherResult<Nowcast>> OpenMeteoProvider::fetchNowcast(const Location &location)
{
    using Result = WeatherResult<Nowcast>;
    if (!location.isValid()) {
        return finishedFuture(Result::failure(finalized(WeatherError(
            WeatherError::InvalidInput, QString(), tr("The place has no valid coordinates.")))));
    }
    QUrl url = ProviderEndpoints::resolve(m_forecastBase, u"/v1/forecast"_s);
    QUrlQuery urlQuery;
    addQueryItem(urlQuery, u"latitude"_s, coordinate(location.latitude));
    addQueryItem(urlQuery, u"longitude"_s, coordinate(location.longitude));
    addQueryItem(urlQuery, u"minutely_15"_s, u"precipitation"_s);
    addQueryItem(urlQuery, u"forecast_minutely_15"_s, QString::number(Nowcast::kStepsAsked));
    addQueryItem(urlQuery, u"timezone"_s, u"auto"_s);
    addQueryItem(urlQuery, u"precipitation_unit"_s, u"mm"_s);
    url.setQuery(urlQuery);
    return request<Nowcast>(url, [](const QByteArray &body) { return NowcastParser::parse(body); });
}
