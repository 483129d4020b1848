// SPDX-License-Identifier: MIT
#include "nominatimprovider.h"

#include "nominatimparser.h"
#include "providerendpoints.h"
#include "requestgate.h"
#include "weatherlogging.h"

using namespace Qt::StringLiterals;

NominatimProvider::NominatimProvider(QNetworkAccessManager *network, Clock *clock, const QUrl &base,
                                     QObject *parent)
    : WeatherProvider(network, clock, int(limits().perMinute), parent)
    , m_base(base)
{
    requestGate()->setProviderName(displayName());
    requestGate()->setMinimumIntervalMs(kMinIntervalMs);
    // A person looks at the weather while the name comes: no need to wait 15 s for it.
    setTimeoutMs(10'000);
    setMaxResponseSize(256 * 1024);
}

QUrl NominatimProvider::defaultBaseUrl()
{
    return QUrl(u"https://nominatim.openstreetmap.org"_s);
}

QUrl NominatimProvider::baseUrlFromEnvironment()
{
    const QString value = qEnvironmentVariable("WEATHERDASH_NOMINATIM_URL");
    if (value.isEmpty())
        return defaultBaseUrl();
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        qCWarning(lcWeather) << "WEATHERDASH_NOMINATIM_URL is not an http(s) URL; using"
                             << defaultBaseUrl().toString();
        return defaultBaseUrl();
    }
    return url;
}

QString NominatimProvider::id() const
{
    return u"nominatim"_s;
}

QString NominatimProvider::displayName() const
{
    return NominatimParser::providerName();
}

QString NominatimProvider::attribution() const
{
    return NominatimParser::attribution();
}

QUrl NominatimProvider::reverseUrl(double latitude, double longitude) const
{
    QUrl url = ProviderEndpoints::resolve(m_base, u"/reverse"_s);
    QUrlQuery query;
    // Six decimals (~0.1 m): what Nominatim reads; more would only look precise.
    query.addQueryItem(u"lat"_s, QString::number(latitude, 'f', 6));
    query.addQueryItem(u"lon"_s, QString::number(longitude, 'f', 6));
    query.addQueryItem(u"format"_s, u"jsonv2"_s);
    query.addQueryItem(u"zoom"_s, u"10"_s); // city level: a town's name, not a street's
    addQueryItem(query, u"accept-language"_s, language());
    url.setQuery(query);
    return url;
}

QFuture<WeatherResult<Location>> NominatimProvider::reverse(double latitude, double longitude)
{
    Location point;
    point.latitude = latitude;
    point.longitude = longitude;
    if (!point.isValid())
        return finishedFuture(
            WeatherResult<Location>::failure(finalized(WeatherError(WeatherError::InvalidInput))));
    return request<Location>(reverseUrl(latitude, longitude),
                             [latitude, longitude](const QByteArray &body) {
                                 return NominatimParser::parseReverse(body, latitude, longitude);
                             });
}

template<typename T>
QFuture<WeatherResult<T>> NominatimProvider::noWeather() const
{
    return finishedFuture(WeatherResult<T>::failure(finalized(WeatherError(
        WeatherError::InvalidInput, QString(), tr("OpenStreetMap Nominatim names places only.")))));
}

QFuture<WeatherResult<QList<Location>>> NominatimProvider::searchLocations(const QString &, int)
{
    // Nominatim's policy forbids search-as-you-type: the weather provider's geocoder searches.
    return noWeather<QList<Location>>();
}

QFuture<WeatherResult<CurrentConditions>> NominatimProvider::fetchCurrent(const Location &, Units)
{
    return noWeather<CurrentConditions>();
}

QFuture<WeatherResult<QList<DailyForecast>>> NominatimProvider::fetchForecast(const Location &,
                                                                              Units)
{
    return noWeather<QList<DailyForecast>>();
}

QFuture<WeatherResult<HourlyForecastList>> NominatimProvider::fetchHourly(const Location &, Units)
{
    return noWeather<HourlyForecastList>();
}

WeatherError NominatimProvider::errorForStatus(int httpStatus, const QByteArray &body) const
{
    return NominatimParser::errorForStatus(httpStatus, body);
}
