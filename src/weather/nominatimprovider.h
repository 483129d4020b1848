// SPDX-License-Identifier: MIT
#pragma once

#include "weatherprovider.h"

/**
 * OpenStreetMap Nominatim's reverse geocoding, for "Here": one GET
 * {base}/reverse?lat=&lon=&format=jsonv2&zoom=10&accept-language= per call.
 *
 * A WeatherProvider only for its transport: the gate, the timeouts, the body cap, TLS, the
 * Retry-After handling and the User-Agent are the ones every provider's request gets, written
 * and tested once. It gives no weather: the weather calls fail with InvalidInput, no request.
 *
 * Nominatim's usage policy (PROVIDERS.md): an identifying User-Agent (userAgent()), at most one
 * request a second for the whole application (the gate spaces requests kMinIntervalMs apart;
 * the application keeps one provider, ReverseGeocoder's), results cached (ReverseGeocoder).
 */
class NominatimProvider : public WeatherProvider
{
    Q_OBJECT
public:
    static constexpr qint64 kMinIntervalMs = 1'000;

    /** `base`: scheme://host[:port][/path], "/reverse" is appended. */
    NominatimProvider(QNetworkAccessManager *network, Clock *clock, const QUrl &base,
                      QObject *parent = nullptr);

    /** https://nominatim.openstreetmap.org */
    static QUrl defaultBaseUrl();
    /**
     * WEATHERDASH_NOMINATIM_URL when it is an http(s) URL with a host (else a warning), or the
     * default.
     */
    static QUrl baseUrlFromEnvironment();

    QUrl baseUrl() const { return m_base; }
    /** The request reverse() sends, language() as accept-language. */
    QUrl reverseUrl(double latitude, double longitude) const;

    /** The place at the point; a place with an empty name where nothing is (the sea). */
    QFuture<WeatherResult<Location>> reverse(double latitude, double longitude);

    QString id() const override;
    QString displayName() const override;
    QString attribution() const override;
    bool requiresApiKey() const override { return false; }
    Limits limits() const override { return {60, 3600, 0}; }

    QFuture<WeatherResult<QList<Location>>> searchLocations(const QString &query,
                                                            int maxResults) override;
    QFuture<WeatherResult<CurrentConditions>> fetchCurrent(const Location &location,
                                                           Units units) override;
    QFuture<WeatherResult<QList<DailyForecast>>> fetchForecast(const Location &location,
                                                               Units units) override;
    QFuture<WeatherResult<HourlyForecastList>> fetchHourly(const Location &location,
                                                           Units units) override;

protected:
    WeatherError errorForStatus(int httpStatus, const QByteArray &body) const override;

private:
    template<typename T>
    QFuture<WeatherResult<T>> noWeather() const;

    QUrl m_base;
};
