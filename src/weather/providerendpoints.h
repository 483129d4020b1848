// SPDX-License-Identifier: MIT
#pragma once

#include <QUrl>

/**
 * Where the providers send their requests. Each URL is a base (scheme://host[:port]) that
 * replaces the provider's host; the path after it stays the provider's own (/v1/search,
 * /data/2.5/weather, ...). Tests and the lead's service point them at a local server.
 */
struct ProviderEndpoints
{
    QUrl openMeteoGeocoding = defaultOpenMeteoGeocoding();
    QUrl openMeteoForecast = defaultOpenMeteoForecast();
    QUrl openWeatherMap = defaultOpenWeatherMap();
    QUrl openMeteoAirQuality = defaultOpenMeteoAirQuality(); // issue 23 (air)

    static QUrl defaultOpenMeteoGeocoding();
    static QUrl defaultOpenMeteoForecast();
    static QUrl defaultOpenWeatherMap();
    static QUrl defaultOpenMeteoAirQuality();

    /**
     * The defaults, overridden by WEATHERDASH_OPENMETEO_GEOCODING_URL,
     * WEATHERDASH_OPENMETEO_FORECAST_URL, WEATHERDASH_OPENWEATHERMAP_URL and
     * WEATHERDASH_OPENMETEO_AIRQUALITY_URL when set (unset, the air-quality base follows a
     * forecast base that was moved). A value
     * that is not an http(s) URL with a host is ignored with a warning.
     */
    static ProviderEndpoints fromEnvironment();

    /** `base` with `path` appended to its path ("http://127.0.0.1:4711" + "/v1/search"). */
    static QUrl resolve(const QUrl &base, const QString &path);

    friend bool operator==(const ProviderEndpoints &, const ProviderEndpoints &) = default;
};
