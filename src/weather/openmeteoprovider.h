// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "nowcast.h"
#include "providerendpoints.h"
#include "weatherprovider.h"

/**
 * Open-Meteo: no account, no key. Geocoding on geocoding-api.open-meteo.com/v1/search,
 * current conditions and the daily forecast as two separate /v1/forecast requests on
 * api.open-meteo.com (timezone=auto, units via temperature_unit and wind_speed_unit).
 * Budget 600 requests/minute by default (the free-use terms).
 */
class OpenMeteoProvider : public WeatherProvider
{
    Q_OBJECT
public:
    /** Its id in settings, cache keys and --provider; the provider table (providerfactory.h) reads
     * it. */
    static constexpr QLatin1StringView kId{"open-meteo"};
    static constexpr bool kRequiresApiKey = false;
    static constexpr int kDefaultRequestsPerMinute = 600;
    static constexpr int kForecastDays = 7;
    /** Days of hours asked for: from today's midnight, so always 48 h ahead of now. */
    static constexpr int kHourlyDays = 3;
    static constexpr int kMaxGeocodingResults = 100;

    explicit OpenMeteoProvider(QNetworkAccessManager *network, Clock *clock = nullptr,
                               QObject *parent = nullptr);

    QString id() const override;
    QString displayName() const override;
    QString attribution() const override;
    bool requiresApiKey() const override { return kRequiresApiKey; }
    Limits limits() const override { return {kDefaultRequestsPerMinute, 5000, 10000}; }

    QFuture<WeatherResult<QList<Location>>> searchLocations(const QString &query,
                                                            int maxResults) override;
    QFuture<WeatherResult<CurrentConditions>> fetchCurrent(const Location &location,
                                                           Units units) override;
    QFuture<WeatherResult<QList<DailyForecast>>> fetchForecast(const Location &location,
                                                               Units units) override;
    QFuture<WeatherResult<HourlyForecastList>> fetchHourly(const Location &location,
                                                           Units units) override;

    // issue 23 (air): Open-Meteo only, so not in WeatherProvider.
    /** /v1/air-quality `current=` (AirQualityParser::currentVariables()), timezone=auto. */
    QFuture<WeatherResult<AirQuality>> fetchAirQuality(const Location &location);
    /** /v1/forecast `minutely_15=precipitation`, Nowcast::kStepsAsked steps, in mm. */
    QFuture<WeatherResult<Nowcast>> fetchNowcast(const Location &location);
    QUrl airQualityBaseUrl() const { return m_airQualityBase; }

    QUrl geocodingBaseUrl() const { return m_geocodingBase; }
    void setGeocodingBaseUrl(const QUrl &base) { m_geocodingBase = base; }
    QUrl forecastBaseUrl() const { return m_forecastBase; }
    void setForecastBaseUrl(const QUrl &base) { m_forecastBase = base; }
    /** Takes openMeteoGeocoding, openMeteoForecast and openMeteoAirQuality. */
    void setEndpoints(const ProviderEndpoints &endpoints);

protected:
    WeatherError errorForStatus(int httpStatus, const QByteArray &body) const override;

private:
    QUrl forecastUrl(const Location &location, Units units, const QString &blockKey,
                     const QString &variables) const;

    QUrl m_geocodingBase = ProviderEndpoints::defaultOpenMeteoGeocoding();
    QUrl m_forecastBase = ProviderEndpoints::defaultOpenMeteoForecast();
    QUrl m_airQualityBase = ProviderEndpoints::defaultOpenMeteoAirQuality();
};
