// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "weather/openmeteoprovider.h"
#include "weather/requestgate.h"

#include <QDateTime>
#include <QFile>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

class tst_OpenMeteoProvider : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<OpenMeteoProvider> m_provider;

    Location berlin() const
    {
        Location location;
        location.name = u"Berlin"_s;
        location.countryCode = u"DE"_s;
        location.latitude = 52.52437;
        location.longitude = 13.41053;
        return location;
    }

private Q_SLOTS:
    void init();
    void cleanup();

    void identity();
    void searchFindsKnownPlaces_data();
    void searchFindsKnownPlaces();
    void cityInputReachesServerIntact_data();
    void cityInputReachesServerIntact();
    void cityInputRefusedWithoutRequest_data();
    void cityInputRefusedWithoutRequest();
    void everyRequestIdentifiesItself();
    void currentInRequestedUnits_data();
    void currentInRequestedUnits();
    void forecastIsASeparateDailyRequest();
    void hourlyIsItsOwnRequest();
    void invalidLocationSendsNothing();
    void httpErrors_data();
    void httpErrors();
    void misbehavingServer_data();
    void misbehavingServer();
    void serverDown();
    void rateLimitHoldsRequestsUntilRetryAfter();
    void serverErrorsBackOffAndSuccessResets();
    void serverErrorRetryAfterHoldsRequests();
    void absurdRetryAfterHoldsRequestsAnHourAtMost();
    void untrustedCertificateIsRefusedAndSaysSo();
    void budgetDelaysInsteadOfFailing();
    void destroyedProviderCancelsFuture();
    void destroyedProviderLeavesNoReplyBehind();
    void languageIsSentWithGeocodingOnly_data();
    void languageIsSentWithGeocodingOnly();
    void endpointsFromEnvironment();
    void aHangFailsTheTestInsteadOfLookingLikeAFailure();
};

void tst_OpenMeteoProvider::init()
{
    m_server = std::make_unique<FakeWeatherServer>();
    QVERIFY(m_server->isListening());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>();
    m_provider = std::make_unique<OpenMeteoProvider>(m_network.get(), m_clock.get());
    m_provider->setEndpoints(m_server->endpoints());
}

void tst_OpenMeteoProvider::cleanup()
{
    m_provider.reset();
    m_network.reset();
    m_clock.reset();
    m_server.reset();
}

void tst_OpenMeteoProvider::identity()
{
    QCOMPARE(m_provider->id(), u"open-meteo"_s);
    QCOMPARE(m_provider->displayName(), u"Open-Meteo"_s);
    QCOMPARE(m_provider->attribution(), u"Weather data by Open-Meteo.com"_s);
    QVERIFY(!m_provider->requiresApiKey());
    QCOMPARE(m_provider->requestGate()->requestsPerMinute(), 600);
    QCOMPARE(m_provider->timeoutMs(), 15000);
    QCOMPARE(m_provider->maxResponseSize(), 4 * 1024 * 1024);
    OpenMeteoProvider fresh(m_network.get());
    QCOMPARE(fresh.geocodingBaseUrl(), QUrl(u"https://geocoding-api.open-meteo.com"_s));
    QCOMPARE(fresh.forecastBaseUrl(), QUrl(u"https://api.open-meteo.com"_s));
}

void tst_OpenMeteoProvider::searchFindsKnownPlaces_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("Berlin") << u"Berlin"_s << QStringList{u"Berlin, DE"_s};
    QTest::newRow("two Londons, the bigger first")
        << u"london"_s << QStringList{u"London, England, GB"_s, u"London, Ontario, CA"_s};
    QTest::newRow("name, country") << u"London, Canada"_s << QStringList{u"London, Ontario, CA"_s};
    QTest::newRow("name, ISO code") << u"London, GB"_s << QStringList{u"London, England, GB"_s};
    QTest::newRow("name, region") << u"London, Ontario"_s << QStringList{u"London, Ontario, CA"_s};
    QTest::newRow("name without comma does not filter") << u"London Canada"_s << QStringList{};
    QTest::newRow("accents") << u"São Paulo"_s << QStringList{u"São Paulo, BR"_s};
    QTest::newRow("Japanese script") << u"東京"_s << QStringList{u"Tokyo, JP"_s};
    QTest::newRow("unknown place is an empty list") << u"Atlantis"_s << QStringList{};
}

void tst_OpenMeteoProvider::searchFindsKnownPlaces()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    const auto result = waitForResult(m_provider->searchLocations(query, 10));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    QStringList names;
    for (const Location &location : *result->value)
        names << location.displayName();
    QCOMPARE(names, expected);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
}

void tst_OpenMeteoProvider::cityInputReachesServerIntact_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("received");

    QTest::newRow("plain") << u"Berlin"_s << u"Berlin"_s;
    QTest::newRow("surrounding spaces trimmed") << u"  Paris  "_s << u"Paris"_s;
    QTest::newRow("tabs and newlines collapse") << u"New\tYork\n"_s << u"New York"_s;
    QTest::newRow("one letter still asked") << u"B"_s << u"B"_s;
    QTest::newRow("120 letters (the limit)") << QString(120, u'a') << QString(120, u'a');
    QTest::newRow("ampersand and appid") << u"Berlin&appid=x"_s << u"Berlin&appid=x"_s;
    QTest::newRow("equals sign") << u"a=b"_s << u"a=b"_s;
    QTest::newRow("hash") << u"Berlin#top"_s << u"Berlin#top"_s;
    QTest::newRow("bare percent") << u"100%"_s << u"100%"_s;
    QTest::newRow("percent escape stays literal") << u"%41%26"_s << u"%41%26"_s;
    QTest::newRow("plus is not a space") << u"a+b"_s << u"a+b"_s;
    QTest::newRow("semicolon and slash") << u"x;count=1/y"_s << u"x;count=1/y"_s;
    QTest::newRow("Japanese") << u"東京"_s << u"東京"_s;
    QTest::newRow("Portuguese") << u"São Paulo"_s << u"São Paulo"_s;
    QTest::newRow("Greek") << u"Αθήνα"_s << u"Αθήνα"_s;
    QTest::newRow("Arabic") << u"القاهرة"_s << u"القاهرة"_s;
    QTest::newRow("emoji") << u"Berlin 🌧"_s << u"Berlin 🌧"_s;
    QTest::newRow("name, country") << u"Limerick, Ireland"_s << u"Limerick, Ireland"_s;
    QTest::newRow("quotes and angle brackets") << u"\"<b>'"_s << u"\"<b>'"_s;
}

void tst_OpenMeteoProvider::cityInputReachesServerIntact()
{
    QFETCH(QString, typed);
    QFETCH(QString, received);
    const auto result = waitForResult(m_provider->searchLocations(typed, 7));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    const RecordedRequest request = m_server->lastRequest(Endpoint::OpenMeteoGeocoding);
    QCOMPARE(request.queryValue(u"name"_s), received);
    // Nothing the user typed may add or change another parameter.
    QStringList keys;
    for (const auto &item : request.queryItems)
        keys << item.first;
    QCOMPARE(keys, (QStringList{u"name"_s, u"count"_s, u"language"_s, u"format"_s}));
    QCOMPARE(request.queryValue(u"count"_s), u"7"_s);
    QCOMPARE(request.queryValue(u"language"_s), u"en"_s);
    QCOMPARE(request.queryValue(u"format"_s), u"json"_s);
}

void tst_OpenMeteoProvider::cityInputRefusedWithoutRequest_data()
{
    QTest::addColumn<QString>("typed");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << u"    "_s;
    QTest::newRow("control characters only") << u"\u0001\u0002\t"_s;
    QTest::newRow("500 letters") << QString(500, u'x');
    QTest::newRow("121 letters") << QString(121, u'x');
}

void tst_OpenMeteoProvider::cityInputRefusedWithoutRequest()
{
    QFETCH(QString, typed);
    const auto result = waitForResult(m_provider->searchLocations(typed, 10));
    QVERIFY(result);
    QCOMPARE(result->error.kind(), WeatherError::InvalidInput);
    QVERIFY(!result->error.message().isEmpty());
    QCOMPARE(m_server->http()->requestCount(), 0);
}

void tst_OpenMeteoProvider::everyRequestIdentifiesItself()
{
    QVERIFY(waitForResult(m_provider->searchLocations(u"Berlin"_s, 1)));
    QVERIFY(waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric)));
    QVERIFY(waitForResult(m_provider->fetchForecast(berlin(), Units::Metric)));
    const QList<RecordedRequest> requests = m_server->http()->requests();
    QCOMPARE(requests.size(), 3);
    for (const RecordedRequest &request : requests) {
        QCOMPARE(request.method, "GET");
        QCOMPARE(request.header("User-Agent"), QByteArray("WeatherDash/" WEATHERDASH_VERSION
                                                          " (+https://github.com/weatherdash)"));
        QCOMPARE(request.header("Accept"), "application/json");
    }
}

void tst_OpenMeteoProvider::currentInRequestedUnits_data()
{
    QTest::addColumn<Units>("units");
    QTest::addColumn<QString>("temperatureUnit");
    QTest::addColumn<QString>("windUnit");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<double>("windSpeed");
    // Berlin in the fake: 21.5 °C, 14.4 km/h.
    QTest::newRow("metric") << Units::Metric << u"celsius"_s << u"kmh"_s << 21.5 << 14.4;
    QTest::newRow("imperial") << Units::Imperial << u"fahrenheit"_s << u"mph"_s << 70.7 << 8.9;
}

void tst_OpenMeteoProvider::currentInRequestedUnits()
{
    QFETCH(Units, units);
    const auto result = waitForResult(m_provider->fetchCurrent(berlin(), units));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    const CurrentConditions &c = *result->value;
    QTEST(*c.temperature, "temperature");
    QTEST(*c.windSpeed, "windSpeed");
    QCOMPARE(c.units, UnitSet::asked(units));
    QCOMPARE(c.humidity, 55.0);
    QCOMPARE(c.pressure, 1012.0);
    QCOMPARE(c.condition, WeatherCondition::PartlyCloudy);
    QCOMPARE(c.observationTime, m_server->serverTime());

    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 0);
    const RecordedRequest request = m_server->lastRequest(Endpoint::OpenMeteoCurrent);
    QCOMPARE(request.path, u"/v1/forecast"_s);
    QCOMPARE(request.queryValue(u"latitude"_s), u"52.5244"_s);
    QCOMPARE(request.queryValue(u"longitude"_s), u"13.4105"_s);
    QCOMPARE(request.queryValue(u"timezone"_s), u"auto"_s);
    QTEST(request.queryValue(u"temperature_unit"_s), "temperatureUnit");
    QTEST(request.queryValue(u"wind_speed_unit"_s), "windUnit");
    QVERIFY(request.queryValue(u"current"_s).split(u',').contains(u"weather_code"_s));
    QVERIFY(!request.hasQueryItem(u"daily"_s));
}

void tst_OpenMeteoProvider::forecastIsASeparateDailyRequest()
{
    const auto result = waitForResult(m_provider->fetchForecast(berlin(), Units::Metric));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    QCOMPARE(result->value->size(), 7);
    // Berlin is at UTC+2: local date of the server time.
    QCOMPARE(result->value->first().date, QDate(2026, 6, 15));
    QCOMPARE(result->value->first().maxTemp, 25.5);
    QCOMPARE(result->value->first().minTemp, 15.5);
    QCOMPARE(result->value->at(2).condition, WeatherCondition::Rain);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 0);
    const RecordedRequest request = m_server->lastRequest(Endpoint::OpenMeteoForecast);
    QVERIFY(!request.hasQueryItem(u"current"_s));
    QCOMPARE(request.queryValue(u"daily"_s),
             u"weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,"
             "precipitation_probability_max,sunrise,sunset,uv_index_max"_s);
    // The new columns, in the real format: sun times in the place's wall time (UTC+2).
    QCOMPARE(result->value->first().sunrise, QDateTime(QDate(2026, 6, 15), QTime(2, 43), Qt::UTC));
    QCOMPARE(result->value->first().sunset, QDateTime(QDate(2026, 6, 15), QTime(19, 33), Qt::UTC));
    QCOMPARE(result->value->first().uvIndexMax, 6.5);
    QCOMPARE(result->value->at(2).precipitationSum, 6.2); // rain on day 3: 4.2 + 2
    QCOMPARE(result->value->at(2).precipitationProbabilityMax, 80.0);
}

void tst_OpenMeteoProvider::hourlyIsItsOwnRequest()
{
    const auto result = waitForResult(m_provider->fetchHourly(berlin(), Units::Metric));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 1);
    QCOMPARE(m_server->totalRequestCount(), 1);
    const RecordedRequest request = m_server->lastRequest(Endpoint::OpenMeteoHourly);
    QCOMPARE(request.queryValue(u"hourly"_s),
             u"temperature_2m,precipitation_probability,precipitation,weather_code,is_day,"
             u"wind_speed_10m"_s);
    QCOMPARE(request.queryValue(u"forecast_days"_s), u"3"_s);
    QVERIFY(!request.hasQueryItem(u"daily"_s));
    QVERIFY(!request.hasQueryItem(u"current"_s));
    // Three days of hours from Berlin's midnight (22:00 UTC the day before).
    QCOMPARE(result->value->size(), 72);
    const HourlyForecast &first = result->value->constFirst();
    QCOMPARE(first.time, QDateTime(QDate(2026, 6, 14), QTime(22, 0), Qt::UTC));
    QCOMPARE(first.localTime().time(), QTime(0, 0));
    QCOMPARE(first.utcOffsetSeconds, 7200);
    QCOMPARE(first.periodHours, 1);
    // The afternoon showers, 14:00 local.
    const HourlyForecast &shower = result->value->at(14);
    QCOMPARE(shower.precipitationProbability, 70.0);
    QCOMPARE(shower.precipitation, 0.8);
    QCOMPARE(shower.condition, WeatherCondition::Showers);
}

void tst_OpenMeteoProvider::invalidLocationSendsNothing()
{
    Location nowhere;
    nowhere.latitude = 91.0;
    const auto current = waitForResult(m_provider->fetchCurrent(nowhere, Units::Metric));
    QVERIFY(current);
    QCOMPARE(current->error.kind(), WeatherError::InvalidInput);
    const auto forecast = waitForResult(m_provider->fetchForecast(nowhere, Units::Metric));
    QVERIFY(forecast);
    QCOMPARE(forecast->error.kind(), WeatherError::InvalidInput);
    QCOMPARE(m_server->http()->requestCount(), 0);
}

void tst_OpenMeteoProvider::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("expectedRetryAfter");
    QTest::addColumn<QString>("message");

    QTest::newRow("400 with reason") << 400 << QByteArray() << int(WeatherError::InvalidInput) << -1
                                     << u"Open-Meteo did not accept the request: Latitude must "
                                        u"be in range of -90 to 90°. Given: 91.0."_s;
    QTest::newRow("429 Retry-After seconds")
        << 429 << QByteArray("42") << int(WeatherError::RateLimited) << 42
        << u"Open-Meteo asked us to slow down; try again in 42 seconds."_s;
    QTest::newRow("429 without Retry-After waits a minute")
        << 429 << QByteArray() << int(WeatherError::RateLimited) << 60
        << u"Open-Meteo asked us to slow down; try again in 60 seconds."_s;
    QTest::newRow("429 Retry-After HTTP-date")
        << 429
        << QLocale::c()
               .toString(QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + 300'000, Qt::UTC),
                         u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s)
               .toLatin1()
        << int(WeatherError::RateLimited) << 300
        << u"Open-Meteo asked us to slow down; try again in 5 minutes."_s;
    QTest::newRow("503 overloaded") << 503 << QByteArray() << int(WeatherError::ServerError) << 2
                                    << u"Open-Meteo is having problems right now (server error "
                                       u"503); try again in 2 seconds."_s;
    QTest::newRow("503 Retry-After seconds")
        << 503 << QByteArray("120") << int(WeatherError::ServerError) << 120
        << u"Open-Meteo is having problems right now (server error 503); try again in 2 "
           u"minutes."_s;
    QTest::newRow("503 Retry-After HTTP-date")
        << 503
        << QLocale::c()
               .toString(QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + 600'000, Qt::UTC),
                         u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s)
               .toLatin1()
        << int(WeatherError::ServerError) << 600
        << u"Open-Meteo is having problems right now (server error 503); try again in 10 "
           u"minutes."_s;
    QTest::newRow("503 absurd Retry-After")
        << 503 << QByteArray("99999999") << int(WeatherError::ServerError)
        << RequestGate::kMaxRetryAfterSeconds
        << u"Open-Meteo is having problems right now (server error 503); try again in over a "
           u"day."_s;
    QTest::newRow("429 absurd Retry-After")
        << 429 << QByteArray("99999999") << int(WeatherError::RateLimited)
        << RequestGate::kMaxRetryAfterSeconds
        << u"Open-Meteo asked us to slow down; try again in over a day."_s;
    QTest::newRow("500") << 500 << QByteArray() << int(WeatherError::ServerError) << 2
                         << u"Open-Meteo is having problems right now (server error 500); try "
                            u"again in 2 seconds."_s;
}

void tst_OpenMeteoProvider::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, kind);
    QFETCH(int, expectedRetryAfter);
    QFETCH(QString, message);

    HttpReply reply
        = HttpReply::json(status, FakeWeatherServer::errorBody(Endpoint::OpenMeteoCurrent, status));
    if (!retryAfter.isEmpty())
        reply.withHeader("Retry-After", retryAfter);
    m_server->setReply(Endpoint::OpenMeteoCurrent, reply);

    const auto result = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(result);
    QVERIFY(!result->ok());
    QCOMPARE(int(result->error.kind()), kind);
    QCOMPARE(result->error.httpStatus(), status);
    QCOMPARE(result->error.retryAfter(), expectedRetryAfter);
    QCOMPARE(result->error.message(), message);
    QVERIFY(!result->error.message().contains(u"127.0.0.1"_s));
}

void tst_OpenMeteoProvider::misbehavingServer_data()
{
    QTest::addColumn<HttpReply>("reply");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<int>("kind");

    QTest::newRow("HTML instead of JSON")
        << HttpReply::withBody(200, "text/html", "<html><body>Bad Gateway</body></html>") << 5000
        << int(WeatherError::BadResponse);
    QTest::newRow("truncated JSON") << HttpReply::json(200, R"({"latitude":52.5,"current":{"te)")
                                    << 5000 << int(WeatherError::BadResponse);
    QTest::newRow("empty 200") << HttpReply::json(200, QByteArray()) << 5000
                               << int(WeatherError::BadResponse);
    QTest::newRow("wrong shape") << HttpReply::json(200, R"({"current":"sunny"})") << 5000
                                 << int(WeatherError::BadResponse);
    QTest::newRow("12 MiB announced by Content-Length")
        << HttpReply::oversized(12 * 1024 * 1024, true) << 5000
        << int(WeatherError::ResponseTooLarge);
    QTest::newRow("12 MiB without Content-Length") << HttpReply::oversized(12 * 1024 * 1024, false)
                                                   << 5000 << int(WeatherError::ResponseTooLarge);
    QTest::newRow("slow trickle past the timeout")
        << HttpReply::trickle(QByteArray(2000, ' ') + "{}", 4, 20) << 300
        << int(WeatherError::Timeout);
    QTest::newRow("silence") << HttpReply::silence() << 300 << int(WeatherError::Timeout);
    QTest::newRow("connection cut mid-body") << HttpReply::cutMidBody(QByteArray(4000, ' ') + "{}")
                                             << 5000 << int(WeatherError::BadResponse);
    QTest::newRow("connection cut mid-headers")
        << HttpReply::cutMidHeaders() << 5000 << int(WeatherError::Offline);
}

void tst_OpenMeteoProvider::misbehavingServer()
{
    QFETCH(HttpReply, reply);
    QFETCH(int, timeoutMs);
    QFETCH(int, kind);
    m_provider->setTimeoutMs(timeoutMs);
    m_server->setReply(Endpoint::OpenMeteoCurrent, reply);

    QElapsedTimer elapsed;
    elapsed.start();
    const auto result = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(result);
    QVERIFY(!result->ok());
    QCOMPARE(WeatherError::kindName(result->error.kind()),
             WeatherError::kindName(WeatherError::Kind(kind)));
    QCOMPARE(result->error.provider(), u"Open-Meteo"_s);
    QVERIFY(!result->error.message().isEmpty());
    if (kind == WeatherError::Timeout)
        QVERIFY2(elapsed.elapsed() < 3000, "the deadline must not wait for the whole trickle");
}

void tst_OpenMeteoProvider::serverDown()
{
    const QUrl base = m_server->baseUrl();
    m_server->http()->close();
    const auto result = waitForResult(m_provider->searchLocations(u"Berlin"_s, 5));
    QVERIFY(result);
    QCOMPARE(result->error.kind(), WeatherError::Offline);
    QCOMPARE(result->error.message(),
             u"Could not reach Open-Meteo. Check your internet connection."_s);
    QVERIFY(!result->error.message().contains(base.toString()));
}

void tst_OpenMeteoProvider::rateLimitHoldsRequestsUntilRetryAfter()
{
    m_server->failWith(Endpoint::OpenMeteoGeocoding, 429, 30, 1);
    auto first = waitForResult(m_provider->searchLocations(u"Berlin"_s, 5));
    QVERIFY(first);
    QCOMPARE(first->error.kind(), WeatherError::RateLimited);
    QCOMPARE(first->error.retryAfter(), 30);

    // Any endpoint of the same provider is held, and nothing reaches the server.
    m_clock->advance(10'000);
    auto held = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(held);
    QCOMPARE(held->error.kind(), WeatherError::RateLimited);
    QCOMPARE(held->error.retryAfter(), 20);
    QCOMPARE(held->error.message(),
             u"Open-Meteo asked us to slow down; try again in 20 seconds."_s);
    QCOMPARE(m_server->totalRequestCount(), 1);

    m_clock->advance(20'000);
    auto after = waitForResult(m_provider->searchLocations(u"Berlin"_s, 5));
    QVERIFY(after);
    QVERIFY2(after->ok(), qPrintable(after->error.message()));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
}

void tst_OpenMeteoProvider::serverErrorsBackOffAndSuccessResets()
{
    m_server->failWith(Endpoint::OpenMeteoCurrent, 503, -1, 2);
    auto first = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(first);
    QCOMPARE(first->error.kind(), WeatherError::ServerError);
    QCOMPARE(first->error.retryAfter(), 2);

    auto held = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(held);
    QCOMPARE(held->error.kind(), WeatherError::ServerError);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1); // not sent

    m_clock->advance(2'000);
    auto second = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(second);
    QCOMPARE(second->error.kind(), WeatherError::ServerError);
    QCOMPARE(second->error.retryAfter(), 4); // doubled

    m_clock->advance(4'000);
    auto ok = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(ok);
    QVERIFY2(ok->ok(), qPrintable(ok->error.message()));

    // After a success the next failure starts again at 2 s.
    m_server->failWith(Endpoint::OpenMeteoCurrent, 500, -1, 1);
    auto again = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(again);
    QCOMPARE(again->error.retryAfter(), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 4);
}

void tst_OpenMeteoProvider::serverErrorRetryAfterHoldsRequests()
{
    m_server->failWith(Endpoint::OpenMeteoCurrent, 503, 120, 1);
    auto first = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(first);
    QCOMPARE(first->error.kind(), WeatherError::ServerError);
    QCOMPARE(first->error.retryAfter(), 120);

    // Not the 2 s backoff: the server said two minutes, so nothing is sent before then.
    m_clock->advance(119'000);
    auto held = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(held);
    QCOMPARE(held->error.kind(), WeatherError::ServerError);
    QCOMPARE(held->error.message(),
             u"Open-Meteo is having problems right now; try again in 1 second."_s);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);

    m_clock->advance(1'000);
    auto after = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(after);
    QVERIFY2(after->ok(), qPrintable(after->error.message()));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
}

void tst_OpenMeteoProvider::absurdRetryAfterHoldsRequestsAnHourAtMost()
{
    m_server->failWith(Endpoint::OpenMeteoCurrent, 429, 99'999'999, 1);
    auto first = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(first);
    QCOMPARE(first->error.kind(), WeatherError::RateLimited);
    QVERIFY2(first->error.message().endsWith(u"try again in over a day."_s),
             qPrintable(first->error.message()));

    m_clock->advance(qint64(RequestGate::kMaxBlockSeconds) * 1000 - 1000);
    auto held = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(held);
    QCOMPARE(held->error.kind(), WeatherError::RateLimited);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);

    m_clock->advance(1000);
    auto after = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric));
    QVERIFY(after);
    QVERIFY2(after->ok(), qPrintable(after->error.message()));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);
}

void tst_OpenMeteoProvider::untrustedCertificateIsRefusedAndSaysSo()
{
    QFile certFile(QFINDTESTDATA("data/tls/selfsigned-127.0.0.1.crt"));
    QFile keyFile(QFINDTESTDATA("data/tls/selfsigned-127.0.0.1.key"));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate certificate(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Ec, QSsl::Pem);
    QVERIFY(!certificate.isNull());
    QVERIFY(!key.isNull());

    LocalHttpServer tls(certificate, key);
    QVERIFY(tls.isListening());
    QCOMPARE(tls.baseUrl().scheme(), u"https"_s);
    QFile berlinFile(QFINDTESTDATA("data/om_geocoding_berlin.json"));
    QVERIFY(berlinFile.open(QIODevice::ReadOnly));
    tls.setRoute(u"/v1/search"_s, HttpReply::json(200, berlinFile.readAll()));
    ProviderEndpoints endpoints = m_server->endpoints();
    endpoints.openMeteoGeocoding = tls.baseUrl();
    m_provider->setEndpoints(endpoints);

    const auto refused = waitForResult(m_provider->searchLocations(u"Berlin"_s, 5));
    QVERIFY(refused);
    QCOMPARE(WeatherError::kindName(refused->error.kind()),
             WeatherError::kindName(WeatherError::TlsFailed));
    const QString message = refused->error.message();
    QVERIFY2(message.startsWith(u"The server's certificate for Open-Meteo was not accepted ("_s),
             qPrintable(message));
    QVERIFY2(message.contains(u"self-signed"_s, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(!message.contains(u"internet connection"_s), qPrintable(message));
    QCOMPARE(tls.requestCount(), 0); // nothing was sent over the connection it did not trust

    // The same server, once its certificate is trusted, answers: it was the certificate.
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = original;
    trusting.addCaCertificate(certificate);
    QSslConfiguration::setDefaultConfiguration(trusting);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(original); });
    QNetworkAccessManager freshNetwork; // no connection state carried over
    OpenMeteoProvider trustingProvider(&freshNetwork, m_clock.get());
    trustingProvider.setEndpoints(endpoints);
    const auto accepted = waitForResult(trustingProvider.searchLocations(u"Berlin"_s, 5));
    QVERIFY(accepted);
    QVERIFY2(accepted->ok(), qPrintable(accepted->error.message()));
    QVERIFY(!accepted->value->isEmpty());
    QCOMPARE(tls.requestCount(), 1);
}

void tst_OpenMeteoProvider::budgetDelaysInsteadOfFailing()
{
    m_provider->requestGate()->setRequestsPerMinute(2);
    auto a = m_provider->searchLocations(u"Berlin"_s, 1);
    auto b = m_provider->searchLocations(u"Paris"_s, 1);
    auto c = m_provider->searchLocations(u"Tokyo"_s, 1);
    QVERIFY(waitForResult(a));
    QVERIFY(waitForResult(b));
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
    QVERIFY(!c.isFinished());
    QCOMPARE(m_provider->requestGate()->queuedCount(), 1);

    m_clock->advance(60'000);
    const auto third = waitForResult(c);
    QVERIFY(third);
    QVERIFY2(third->ok(), qPrintable(third->error.message()));
    QCOMPARE(third->value->first().name, u"Tokyo"_s);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 3);
}

void tst_OpenMeteoProvider::destroyedProviderCancelsFuture()
{
    m_server->http()->pause();
    auto future = m_provider->searchLocations(u"Berlin"_s, 1);
    QTRY_COMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    m_provider.reset();
    QTRY_VERIFY(future.isFinished());
    QVERIFY(future.isCanceled());
    m_server->http()->resume();
}

void tst_OpenMeteoProvider::destroyedProviderLeavesNoReplyBehind()
{
    // A settings change replaces the provider while its requests hang: every reply must go
    // with it, and every future must finish instead of waiting forever.
    m_server->setReply(Endpoint::OpenMeteoGeocoding, HttpReply::silence());
    m_server->setReply(Endpoint::OpenMeteoCurrent, HttpReply::silence());
    m_server->setReply(Endpoint::OpenMeteoForecast, HttpReply::silence());
    QList<QFuture<void>> futures;
    futures << QFuture<void>(m_provider->searchLocations(u"Berlin"_s, 1))
            << QFuture<void>(m_provider->searchLocations(u"Paris"_s, 1))
            << QFuture<void>(m_provider->fetchCurrent(berlin(), Units::Metric))
            << QFuture<void>(m_provider->fetchForecast(berlin(), Units::Metric))
            << QFuture<void>(m_provider->fetchForecast(berlin(), Units::Imperial));
    QTRY_COMPARE(m_server->totalRequestCount(), 5);
    QList<QPointer<QNetworkReply>> replies;
    for (QNetworkReply *reply : m_network->findChildren<QNetworkReply *>())
        replies << reply;
    QCOMPARE(replies.size(), 5);

    m_provider.reset();
    for (const QFuture<void> &future : std::as_const(futures)) {
        QTRY_VERIFY(future.isFinished());
        QVERIFY(future.isCanceled());
    }
    for (const QPointer<QNetworkReply> &reply : std::as_const(replies))
        QTRY_VERIFY(reply.isNull());
}

void tst_OpenMeteoProvider::languageIsSentWithGeocodingOnly_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("sent");
    QTest::newRow("default") << QString() << u"en"_s;
    QTest::newRow("de") << u"de"_s << u"de"_s;
    QTest::newRow("pt-BR") << u"pt-BR"_s << u"pt-BR"_s;
    QTest::newRow("zh_cn") << u"zh_cn"_s << u"zh_cn"_s;
    QTest::newRow("injection") << u"de&count=100"_s << u"en"_s;
    QTest::newRow("too long") << u"deutsch"_s << u"en"_s;
    QTest::newRow("digits") << u"12"_s << u"en"_s;
}

void tst_OpenMeteoProvider::languageIsSentWithGeocodingOnly()
{
    QFETCH(QString, language);
    QFETCH(QString, sent);
    if (!language.isNull())
        m_provider->setLanguage(language);
    QCOMPARE(m_provider->language(), sent);
    const auto places = waitForResult(m_provider->searchLocations(u"Berlin"_s, 1));
    QVERIFY(places && places->ok());
    QCOMPARE(m_server->lastRequest(Endpoint::OpenMeteoGeocoding).queryValue(u"language"_s), sent);
    QCOMPARE(m_server->lastRequest(Endpoint::OpenMeteoGeocoding).queryValue(u"count"_s), u"1"_s);
    // The forecast endpoint has no language parameter: descriptions come from WMO codes.
    const auto days = waitForResult(m_provider->fetchForecast(berlin(), Units::Metric));
    QVERIFY(days && days->ok());
    QVERIFY(!m_server->lastRequest(Endpoint::OpenMeteoForecast).hasQueryItem(u"language"_s));
}

void tst_OpenMeteoProvider::endpointsFromEnvironment()
{
    qputenv("WEATHERDASH_OPENMETEO_GEOCODING_URL", "http://127.0.0.1:4711");
    qputenv("WEATHERDASH_OPENMETEO_FORECAST_URL", "not a url");
    qunsetenv("WEATHERDASH_OPENWEATHERMAP_URL");
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s));
    const ProviderEndpoints endpoints = ProviderEndpoints::fromEnvironment();
    qunsetenv("WEATHERDASH_OPENMETEO_GEOCODING_URL");
    qunsetenv("WEATHERDASH_OPENMETEO_FORECAST_URL");
    QCOMPARE(endpoints.openMeteoGeocoding, QUrl(u"http://127.0.0.1:4711"_s));
    QCOMPARE(endpoints.openMeteoForecast, ProviderEndpoints::defaultOpenMeteoForecast());
    QCOMPARE(endpoints.openWeatherMap, ProviderEndpoints::defaultOpenWeatherMap());
    QCOMPARE(ProviderEndpoints::resolve(endpoints.openMeteoGeocoding, u"/v1/search"_s),
             QUrl(u"http://127.0.0.1:4711/v1/search"_s));
}

void tst_OpenMeteoProvider::aHangFailsTheTestInsteadOfLookingLikeAFailure()
{
    // The test helpers themselves (tests/support/futurewait.h): a server that never answers,
    // a provider that would wait a minute, a helper that waits 200 ms. A default "failed"
    // result would satisfy a test expecting a failure; the helper must fail the test instead.
    m_server->setReply(Endpoint::OpenMeteoCurrent, HttpReply::silence());
    m_provider->setTimeoutMs(60'000);
    QEXPECT_FAIL("", "awaitResult() fails the test when the future does not finish", Continue);
    const auto awaited = awaitResult(m_provider->fetchCurrent(berlin(), Units::Metric), 200);
    QVERIFY(!awaited.ok()); // the default it returns, so later checks do not crash
    QEXPECT_FAIL("", "waitForResult() fails the test when the future does not finish", Continue);
    const auto waited = waitForResult(m_provider->fetchCurrent(berlin(), Units::Metric), 200);
    QVERIFY(!waited);
}

QTEST_GUILESS_MAIN(tst_OpenMeteoProvider)
#include "tst_openmeteoprovider.moc"
