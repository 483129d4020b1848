// SPDX-License-Identifier: MIT
#include "providerendpoints.h"

#include "weatherlogging.h"

using namespace Qt::StringLiterals;

namespace {

QUrl baseFromEnvironment(const char *variable, const QUrl &fallback)
{
    const QString value = qEnvironmentVariable(variable).trimmed();
    if (value.isEmpty())
        return fallback;
    const QUrl url(value, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s)) {
        qCWarning(lcWeather) << "ignoring" << variable << "- not an http(s) base URL:" << value;
        return fallback;
    }
    return url;
}

} // namespace

QUrl ProviderEndpoints::defaultOpenMeteoGeocoding()
{
    return QUrl(u"https://geocoding-api.open-meteo.com"_s);
}

QUrl ProviderEndpoints::defaultOpenMeteoForecast()
{
    return QUrl(u"https://api.open-meteo.com"_s);
}

QUrl ProviderEndpoints::defaultOpenWeatherMap()
{
    return QUrl(u"https://api.openweathermap.org"_s);
}

QUrl ProviderEndpoints::defaultOpenMeteoAirQuality()
{
    return QUrl(u"https://air-quality-api.open-meteo.com"_s);
}

ProviderEndpoints ProviderEndpoints::fromEnvironment()
{
    ProviderEndpoints endpoints;
    endpoints.openMeteoGeocoding
        = baseFromEnvironment("WEATHERDASH_OPENMETEO_GEOCODING_URL", endpoints.openMeteoGeocoding);
    endpoints.openMeteoForecast
        = baseFromEnvironment("WEATHERDASH_OPENMETEO_FORECAST_URL", endpoints.openMeteoForecast);
    endpoints.openWeatherMap
        = baseFromEnvironment("WEATHERDASH_OPENWEATHERMAP_URL", endpoints.openWeatherMap);
    // Unset, it follows a forecast base that is set: a self-hosted Open-Meteo (and the test
    // server) answers /v1/air-quality beside /v1/forecast, and a program pointed away from
    // the public service must not reach it through the one variable it did not know of.
    const bool forecastMoved = endpoints.openMeteoForecast != defaultOpenMeteoForecast();
    endpoints.openMeteoAirQuality = baseFromEnvironment(
        "WEATHERDASH_OPENMETEO_AIRQUALITY_URL",
        forecastMoved ? endpoints.openMeteoForecast : endpoints.openMeteoAirQuality);
    return endpoints;
}

QUrl ProviderEndpoints::resolve(const QUrl &base, const QString &path)
{
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}
