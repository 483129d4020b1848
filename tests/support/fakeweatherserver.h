// SPDX-License-Identifier: MIT
#pragma once

#include "fakealertserver.h"
#include "localhttpserver.h"
#include "weather/providerendpoints.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

/**
 * A stand-in for both weather providers on one LocalHttpServer, answering in their real wire
 * formats (see /work/shared/PROVIDERS.md) for a small table of known places:
 * Berlin DE, London GB, London CA (Ontario), Paris FR, São Paulo BR, Tokyo JP (also found as
 * "東京"), and City001..City100 (country "ZZ", for benchmarks).
 *
 * - Open-Meteo: /v1/search (no `results` key when nothing matches; "name, filter" where the
 *   filter must equal a country, ISO code or first-level area; names shorter than 2 characters
 *   match nothing; count outside 1..100 is a 400) and /v1/forecast (`current=` and/or `daily=`
 *   variables in the requested units, `hourly=` too: `forecast_days` days of hours from the
 *   place's local midnight; any coordinates answer, known places with their data).
 * - Open-Meteo air quality: /v1/air-quality `current=` (pollen in Europe from March to
 *   September, null elsewhere; an unknown variable is the real 400) and the nowcast,
 *   /v1/forecast `minutely_15=precipitation` (rain from 14:30 to 16:00 local every day).
 * - OpenWeatherMap: /geo/1.0/direct (`[]` for no match, "name,country" and
 *   "name,state,country"), /data/2.5/weather and /data/2.5/forecast by lat/lon (or q= for
 *   weather, 404 "city not found"). Every OWM path checks `appid` against validApiKey() and
 *   answers the real 401 body otherwise.
 * - Nominatim: /reverse?lat=&lon=&format=jsonv2 names the known place within ~30 km of the
 *   point (address.city, state, country, country_code), answers `{"error":"Unable to geocode"}`
 *   with HTTP 200 elsewhere (the sea), a 400 with Nominatim 4's error object for a bad lat/lon or
 *   format, and a 403 HTML page to a User-Agent that does not identify the program (its policy).
 * - Any endpoint kind can be switched to an error or a misbehaviour with failWith()/setReply().
 *
 * The server time (observation times, forecast days) is fixed, serverTime(), so bodies are
 * deterministic.
 *
 *     FakeWeatherServer server;
 *     QNetworkAccessManager network;
 *     OpenWeatherMapProvider provider(&network, server.validApiKey());
 *     provider.setEndpoints(server.endpoints());
 *     server.failWith(FakeWeatherServer::Endpoint::OwmCurrent, 429, 42);
 *     ... QCOMPARE(server.requestCount(FakeWeatherServer::Endpoint::OwmCurrent), 1);
 */
class FakeWeatherServer : public QObject
{
    Q_OBJECT
public:
    enum class Endpoint {
        OpenMeteoGeocoding, ///< /v1/search
        OpenMeteoCurrent, ///< /v1/forecast without daily=
        OpenMeteoForecast, ///< /v1/forecast with daily=
        OpenMeteoHourly, ///< /v1/forecast with hourly= (and no daily=)
        OwmGeocoding, ///< /geo/1.0/direct
        OwmCurrent, ///< /data/2.5/weather
        OwmForecast, ///< /data/2.5/forecast
        NominatimReverse, ///< /reverse (OpenStreetMap Nominatim, for "Here")
        OpenMeteoAirQuality, ///< /v1/air-quality (issue 23; fakeweatherserver_air.cpp)
        OpenMeteoNowcast, ///< /v1/forecast with minutely_15= only
    };
    Q_ENUM(Endpoint)

    struct City
    {
        QString name;
        QStringList alternateNames; ///< also matched, e.g. "東京", "Sao Paulo"
        QString region; ///< admin1 / state
        QString regionCode; ///< e.g. "ON"; matched by OWM "name,state,country"
        QString country;
        QString countryCode;
        double latitude = 0.0;
        double longitude = 0.0;
        QString timezone;
        int utcOffsetSeconds = 0;
        int population = 0;
        double temperatureC = 15.0;
        int wmoCode = 0;
        int owmId = 800;
        double humidity = 60.0;
        double pressureHpa = 1013.0;
        double windKmh = 10.0;
        double windDirection = 270.0;
        /** Gusts; NaN: the wind speed plus half. */
        double gustKmh = std::numeric_limits<double>::quiet_NaN();
        /** Rain now (mm); NaN: 1.2 mm when the condition is rain, showers or storms, else 0. */
        double precipitationMm = std::numeric_limits<double>::quiet_NaN();
        double uvIndex = 6.5;
    };

    explicit FakeWeatherServer(QObject *parent = nullptr);

    LocalHttpServer *http() { return &m_http; }
    bool isListening() const { return m_http.isListening(); }
    /** http://127.0.0.1:<port> */
    QUrl baseUrl() const { return m_http.baseUrl(); }
    /** All three provider bases pointing at this server. */
    ProviderEndpoints endpoints() const;

    static QString defaultApiKey();
    QString validApiKey() const { return m_validApiKey; }
    void setValidApiKey(const QString &key) { m_validApiKey = key; }

    static QList<City> defaultCities();
    QList<City> cities() const { return m_cities; }
    void addCity(const City &city) { m_cities.append(city); }
    /** First city with that name and (if given) ISO country code. */
    std::optional<City> city(const QString &name, const QString &countryCode = {}) const;

    /** OpenWeatherMap describes the weather of the city called `name` so, not by its owmId. */
    void setOwmDescription(const QString &name, const QString &description)
    {
        m_owmDescriptions.insert(name, description);
    }

    QDateTime serverTime() const { return m_serverTime; }
    void setServerTime(const QDateTime &utc) { m_serverTime = utc; }

    /** Answer the next `times` requests of this kind (-1: all) with `reply`. */
    void setReply(Endpoint endpoint, const HttpReply &reply, int times = -1);
    /**
     * Answer with the provider's real error body for `status` (400, 401, 404, 429, 500, 503...)
     * and a Retry-After header when retryAfterSeconds >= 0.
     */
    void failWith(Endpoint endpoint, int status, int retryAfterSeconds = -1, int times = -1);
    void clearReply(Endpoint endpoint);
    void clearReplies();

    int requestCount(Endpoint endpoint) const { return m_counts.value(endpoint); }
    int totalRequestCount() const;
    QList<RecordedRequest> requests(Endpoint endpoint) const;
    RecordedRequest lastRequest(Endpoint endpoint) const;
    void resetCounters();

    /** The alert server at the same base (/alert/area, /alert/{id}): issue 22. */
    FakeAlertServer &alerts() { return m_alerts; }

    /** The provider's real error body (what failWith() sends). */
    static QByteArray errorBody(Endpoint endpoint, int status);
    static QString path(Endpoint endpoint);

Q_SIGNALS:
    void requestHandled(FakeWeatherServer::Endpoint endpoint);

private:
    struct Override
    {
        HttpReply reply;
        int remaining = -1;
    };

    HttpReply dispatch(const RecordedRequest &request);
    std::optional<Endpoint> classify(const RecordedRequest &request) const;
    HttpReply openMeteoSearch(const RecordedRequest &request) const;
    HttpReply openMeteoForecast(const RecordedRequest &request) const;
    HttpReply owmGeocoding(const RecordedRequest &request) const;
    HttpReply owmCurrent(const RecordedRequest &request) const;
    HttpReply owmForecast(const RecordedRequest &request) const;
    HttpReply nominatimReverse(const RecordedRequest &request) const;
    std::optional<City> cityAt(double latitude, double longitude) const;
    HttpReply openMeteoAirQuality(const RecordedRequest &request) const; // issue 23 (air)
    HttpReply openMeteoNowcast(const RecordedRequest &request) const; // issue 23 (air)

    LocalHttpServer m_http;
    QList<City> m_cities;
    QString m_validApiKey = defaultApiKey();
    QHash<QString, QString> m_owmDescriptions;
    QDateTime m_serverTime;
    QMap<Endpoint, Override> m_overrides;
    QMap<Endpoint, int> m_counts;
    QMap<Endpoint, QList<RecordedRequest>> m_requests;
    FakeAlertServer m_alerts;
};
