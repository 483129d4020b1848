// SPDX-License-Identifier: MIT
#pragma once

#include "providerendpoints.h"
#include "weatherprovider.h"

#include <QHash>

/**
 * OpenWeatherMap, free plan only: /geo/1.0/direct, /data/2.5/weather and /data/2.5/forecast
 * (5 days in 3-hour steps: folded into days, and the hourly forecast as it is), all by
 * coordinates except the geocoder.
 *
 * Needs the user's own API key. Without one every call fails with ApiKeyMissing and nothing is
 * sent. The key is never logged and never appears in an error (scrubbed from server texts).
 * Budget 60 requests/minute by default (the free plan's limit).
 */
class OpenWeatherMapProvider : public WeatherProvider
{
    Q_OBJECT
public:
    /** Its id in settings, cache keys and --provider; the provider table (providerfactory.h) reads
     * it. */
    static constexpr QLatin1StringView kId{"openweathermap"};
    static constexpr bool kRequiresApiKey = true;
    static constexpr int kDefaultRequestsPerMinute = 60;
    static constexpr int kMaxGeocodingResults = 5;

    explicit OpenWeatherMapProvider(QNetworkAccessManager *network, const QString &apiKey = {},
                                    Clock *clock = nullptr, QObject *parent = nullptr);

    QString id() const override;
    QString displayName() const override;
    QString attribution() const override;
    bool requiresApiKey() const override { return kRequiresApiKey; }
    Limits limits() const override { return {kDefaultRequestsPerMinute, 0, 0}; }

    QString apiKey() const { return m_apiKey; }
    /** Surrounding whitespace (a pasted key) is dropped. */
    void setApiKey(const QString &key) { m_apiKey = key.trimmed(); }

    QFuture<WeatherResult<QList<Location>>> searchLocations(const QString &query,
                                                            int maxResults) override;
    QFuture<WeatherResult<CurrentConditions>> fetchCurrent(const Location &location,
                                                           Units units) override;
    QFuture<WeatherResult<QList<DailyForecast>>> fetchForecast(const Location &location,
                                                               Units units) override;
    QFuture<WeatherResult<HourlyForecastList>> fetchHourly(const Location &location,
                                                           Units units) override;

    QUrl baseUrl() const { return m_base; }
    void setBaseUrl(const QUrl &base) { m_base = base; }
    /** Takes openWeatherMap. */
    void setEndpoints(const ProviderEndpoints &endpoints) { m_base = endpoints.openWeatherMap; }

protected:
    WeatherError errorForStatus(int httpStatus, const QByteArray &body) const override;
    QString scrubbed(const QString &text) const override;

private:
    /**
     * fetch(), but a request for a URL already on its way joins it: the days and the hours
     * are both read from /data/2.5/forecast, and asked for together they cost one request.
     */
    void fetchShared(const QUrl &url, FetchCallback callback);
    template<typename T, typename Parse>
    QFuture<WeatherResult<T>> sharedRequest(const QUrl &url, Parse parse)
    {
        auto promise = std::make_shared<QPromise<WeatherResult<T>>>();
        QFuture<WeatherResult<T>> future = promise->future();
        promise->start();
        fetchShared(url, [this, promise, parse](const QByteArray &body, const WeatherError &error) {
            WeatherResult<T> result
                = error.isError() ? WeatherResult<T>::failure(error) : parse(body);
            if (!result.ok())
                result.error = finalized(result.error);
            promise->addResult(std::move(result));
            promise->finish();
        });
        return future;
    }

    std::optional<WeatherError> checkKey() const;
    QUrl dataUrl(const QString &path, const Location &location, Units units) const;

    QString m_apiKey;
    QHash<QUrl, QList<FetchCallback>> m_waiting; // by URL: the requests a fetch on its way answers
    QUrl m_base = ProviderEndpoints::defaultOpenWeatherMap();
};
