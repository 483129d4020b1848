// SPDX-License-Identifier: MIT
#pragma once

#include "weatheralert.h"
#include "weatherprovider.h"

/**
 * The FOSS Public Alert Server (KDE; https://alerts.kde.org): GET /alert/area?min_lat=...
 * lists the alert ids whose areas meet a box, GET /alert/{id} answers one CAP 1.2 message.
 * No key. A WeatherProvider for its requests only (the gate's budget, Retry-After and
 * backoff, timeouts, size cap, TLS, User-Agent): it offers no weather, and its weather calls
 * fail with InvalidInput without a request.
 *
 * Its gate is its own: the alert server refusing or crawling never holds back a weather
 * request, and the other way round.
 */
class AlertProvider : public WeatherProvider
{
    Q_OBJECT
public:
    static constexpr int kRequestsPerMinute = 30;
    /** Shorter than the weather's: alerts are an extra and must not keep a card waiting. */
    static constexpr int kDefaultTimeoutMs = 8'000;
    /** Added around the place's 0.01° cell: the server's box test is on its areas' bounds. */
    static constexpr double kBoxMarginDegrees = 0.001;

    AlertProvider(QNetworkAccessManager *network, Clock *clock, QObject *parent = nullptr);

    QString id() const override { return QStringLiteral("fpas"); }
    QString displayName() const override;
    QString attribution() const override;
    bool requiresApiKey() const override { return false; }
    Limits limits() const override { return {kRequestsPerMinute, 0, 0}; }

    /** https://alerts.kde.org */
    static QUrl defaultBaseUrl();
    /** WEATHERDASH_ALERTS_URL when it is an http(s) URL with a host, else the default. */
    static QUrl baseUrlFromEnvironment();
    QUrl baseUrl() const { return m_base; }
    void setBaseUrl(const QUrl &base) { m_base = base; }

    /** The ids for the 0.01° cell the point lies in (WeatherKey::alertList()). */
    QFuture<WeatherResult<AlertIdList>> fetchAlertIds(double latitude, double longitude);
    QFuture<WeatherResult<CapMessage>> fetchMessage(const QString &id);

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
    /** The list is JSON, a message CAP XML: both are acceptable answers. */
    QByteArray acceptHeader() const override
    {
        return QByteArrayLiteral("application/json, application/xml;q=0.9, */*;q=0.1");
    }

private:
    template<typename T>
    QFuture<WeatherResult<T>> noWeather() const;

    QUrl m_base = defaultBaseUrl();
};
