// SPDX-License-Identifier: MIT
#include "openweathermapprovider.h"

#include "openweathermapparser.h"

using namespace Qt::StringLiterals;

namespace {
QString coordinate(double value)
{
    return QString::number(value, 'f', 4);
}

WeatherError invalidLocation()
{
    return WeatherError(WeatherError::InvalidInput, QString(),
                        OpenWeatherMapProvider::tr("The place has no valid coordinates."));
}
} // namespace

OpenWeatherMapProvider::OpenWeatherMapProvider(QNetworkAccessManager *network,
                                               const QString &apiKey, Clock *clock, QObject *parent)
    : WeatherProvider(network, clock, kDefaultRequestsPerMinute, parent)
    , m_apiKey(apiKey.trimmed())
{ }

QString OpenWeatherMapProvider::id() const
{
    return kId;
}

QString OpenWeatherMapProvider::displayName() const
{
    return OpenWeatherMapParser::providerName();
}

QString OpenWeatherMapProvider::attribution() const
{
    return tr("Weather data by OpenWeatherMap");
}

std::optional<WeatherError> OpenWeatherMapProvider::checkKey() const
{
    if (!m_apiKey.isEmpty())
        return std::nullopt;
    return finalized(WeatherError(WeatherError::ApiKeyMissing));
}

QFuture<WeatherResult<QList<Location>>>
OpenWeatherMapProvider::searchLocations(const QString &query, int maxResults)
{
    using Result = WeatherResult<QList<Location>>;
    QString name = query;
    if (const auto error = normalizeQuery(name))
        return finishedFuture(Result::failure(finalized(*error)));
    if (const auto error = checkKey())
        return finishedFuture(Result::failure(*error));
    const int limit
        = maxResults <= 0 ? kMaxGeocodingResults : std::min(maxResults, kMaxGeocodingResults);

    QUrl url = ProviderEndpoints::resolve(m_base, u"/geo/1.0/direct"_s);
    QUrlQuery urlQuery;
    addQueryItem(urlQuery, u"q"_s, name);
    addQueryItem(urlQuery, u"limit"_s, QString::number(limit));
    addQueryItem(urlQuery, u"appid"_s, m_apiKey);
    url.setQuery(urlQuery);
    return request<QList<Location>>(url, [limit](const QByteArray &body) {
        return OpenWeatherMapParser::parseGeocoding(body, limit);
    });
}

QUrl OpenWeatherMapProvider::dataUrl(const QString &path, const Location &location,
                                     Units units) const
{
    QUrl url = ProviderEndpoints::resolve(m_base, path);
    QUrlQuery urlQuery;
    addQueryItem(urlQuery, u"lat"_s, coordinate(location.latitude));
    addQueryItem(urlQuery, u"lon"_s, coordinate(location.longitude));
    addQueryItem(urlQuery, u"units"_s, unitsToString(units));
    addQueryItem(urlQuery, u"lang"_s, language());
    addQueryItem(urlQuery, u"appid"_s, m_apiKey);
    url.setQuery(urlQuery);
    return url;
}

QFuture<WeatherResult<CurrentConditions>>
OpenWeatherMapProvider::fetchCurrent(const Location &location, Units units)
{
    using Result = WeatherResult<CurrentConditions>;
    if (!location.isValid())
        return finishedFuture(Result::failure(finalized(invalidLocation())));
    if (const auto error = checkKey())
        return finishedFuture(Result::failure(*error));
    return request<CurrentConditions>(dataUrl(u"/data/2.5/weather"_s, location, units),
                                      [units](const QByteArray &body) {
                                          return OpenWeatherMapParser::parseCurrent(body, units);
                                      });
}

QFuture<WeatherResult<QList<DailyForecast>>>
OpenWeatherMapProvider::fetchForecast(const Location &location, Units units)
{
    using Result = WeatherResult<QList<DailyForecast>>;
    if (!location.isValid())
        return finishedFuture(Result::failure(finalized(invalidLocation())));
    if (const auto error = checkKey())
        return finishedFuture(Result::failure(*error));
    return sharedRequest<QList<DailyForecast>>(
        dataUrl(u"/data/2.5/forecast"_s, location, units), [units](const QByteArray &body) {
            return OpenWeatherMapParser::parseForecast(body, units);
        });
}

QFuture<WeatherResult<HourlyForecastList>>
OpenWeatherMapProvider::fetchHourly(const Location &location, Units units)
{
    using Result = WeatherResult<HourlyForecastList>;
    if (!location.isValid())
        return finishedFuture(Result::failure(finalized(invalidLocation())));
    if (const auto error = checkKey())
        return finishedFuture(Result::failure(*error));
    // The same free 3-hourly forecast the days are folded from: its own cache entry, and one
    // request when both are asked for together (see fetchShared()).
    return sharedRequest<HourlyForecastList>(
        dataUrl(u"/data/2.5/forecast"_s, location, units),
        [units](const QByteArray &body) { return OpenWeatherMapParser::parseHourly(body, units); });
}

void OpenWeatherMapProvider::fetchShared(const QUrl &url, FetchCallback callback)
{
    auto it = m_waiting.find(url);
    if (it != m_waiting.end()) {
        it->append(std::move(callback));
        return;
    }
    m_waiting.insert(url, {std::move(callback)});
    fetch(url, [this, url](const QByteArray &body, const WeatherError &error) {
        const QList<FetchCallback> callbacks = m_waiting.take(url);
        for (const FetchCallback &waiting : callbacks)
            waiting(body, error);
    });
}

WeatherError OpenWeatherMapProvider::errorForStatus(int httpStatus, const QByteArray &body) const
{
    return OpenWeatherMapParser::parseError(httpStatus, body);
}

QString OpenWeatherMapProvider::scrubbed(const QString &text) const
{
    if (m_apiKey.isEmpty() || text.isEmpty())
        return text;
    QString result = text;
    result.replace(m_apiKey, u"REDACTED"_s, Qt::CaseInsensitive);
    return result;
}
