// SPDX-License-Identifier: MIT
#include "alertprovider.h"

#include "capparser.h"
#include "providerendpoints.h"
#include "requestgate.h"
#include "weatherkey.h"
#include "weatherlogging.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

AlertProvider::AlertProvider(QNetworkAccessManager *network, Clock *clock, QObject *parent)
    : WeatherProvider(network, clock, kRequestsPerMinute, parent)
{
    setTimeoutMs(kDefaultTimeoutMs);
    setMaxResponseSize(CapParser::kMaxMessageBytes);
}

QString AlertProvider::displayName() const
{
    return tr("FOSS Public Alert Server");
}

QString AlertProvider::attribution() const
{
    return tr("Weather alerts: national weather services, via KDE's FOSS Public Alert Server");
}

QUrl AlertProvider::defaultBaseUrl()
{
    return QUrl(u"https://alerts.kde.org"_s);
}

QUrl AlertProvider::baseUrlFromEnvironment()
{
    const QString value = qEnvironmentVariable("WEATHERDASH_ALERTS_URL");
    if (value.isEmpty())
        return defaultBaseUrl();
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        qCWarning(lcWeather) << "WEATHERDASH_ALERTS_URL is not an http(s) URL; using"
                             << defaultBaseUrl().toString();
        return defaultBaseUrl();
    }
    return url;
}

QFuture<WeatherResult<AlertIdList>> AlertProvider::fetchAlertIds(double latitude, double longitude)
{
    const WeatherKey cell = WeatherKey::alertList(latitude, longitude);
    if (!cell.isValid())
        return finishedFuture(WeatherResult<AlertIdList>::failure(WeatherError(
            WeatherError::InvalidInput, {}, tr("Those coordinates are not on Earth."))));
    // The whole cell the list is cached for, and a margin: a place anywhere in it is covered.
    constexpr double kHalf = 0.005 + kBoxMarginDegrees;
    const double lat = cell.latitude();
    const double lon = cell.longitude();
    QUrlQuery query;
    query.addQueryItem(u"min_lat"_s, QString::number(qMax(-90.0, lat - kHalf), 'f', 4));
    query.addQueryItem(u"max_lat"_s, QString::number(qMin(90.0, lat + kHalf), 'f', 4));
    query.addQueryItem(u"min_lon"_s, QString::number(qMax(-180.0, lon - kHalf), 'f', 4));
    query.addQueryItem(u"max_lon"_s, QString::number(qMin(180.0, lon + kHalf), 'f', 4));
    QUrl url = ProviderEndpoints::resolve(m_base, u"/alert/area"_s);
    url.setQuery(query);
    return request<AlertIdList>(url, &CapParser::parseIdList);
}

QFuture<WeatherResult<CapMessage>> AlertProvider::fetchMessage(const QString &id)
{
    if (!CapParser::isValidId(id))
        return finishedFuture(WeatherResult<CapMessage>::failure(WeatherError(
            WeatherError::BadResponse, displayName(), u"an alert id that is no id"_s)));
    // The id's alphabet needs no escaping in a path: no '/', '?', '#' or '%'.
    const QUrl url = ProviderEndpoints::resolve(m_base, u"/alert/"_s + id);
    return request<CapMessage>(url, &CapParser::parseMessage);
}

template<typename T>
QFuture<WeatherResult<T>> AlertProvider::noWeather() const
{
    return finishedFuture(WeatherResult<T>::failure(WeatherError(
        WeatherError::InvalidInput, {}, tr("The alert server offers no weather forecasts."))));
}

QFuture<WeatherResult<QList<Location>>> AlertProvider::searchLocations(const QString &, int)
{
    return noWeather<QList<Location>>();
}

QFuture<WeatherResult<CurrentConditions>> AlertProvider::fetchCurrent(const Location &, Units)
{
    return noWeather<CurrentConditions>();
}

QFuture<WeatherResult<QList<DailyForecast>>> AlertProvider::fetchForecast(const Location &, Units)
{
    return noWeather<QList<DailyForecast>>();
}

QFuture<WeatherResult<HourlyForecastList>> AlertProvider::fetchHourly(const Location &, Units)
{
    return noWeather<HourlyForecastList>();
}

WeatherError AlertProvider::errorForStatus(int httpStatus, const QByteArray &body) const
{
    Q_UNUSED(body); // the server's error pages say nothing a person could act on
    if (httpStatus == 429)
        return WeatherError(WeatherError::RateLimited);
    if (httpStatus >= 500)
        return WeatherError(WeatherError::ServerError);
    // 404 for an id the list named: the message was withdrawn between the two requests.
    return WeatherError(WeatherError::BadResponse, {},
                        tr("The alert server answered HTTP %1.").arg(httpStatus));
}
