// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "weather/openweathermapprovider.h"
#include "weather/requestgate.h"

#include <QNetworkAccessManager>
#include <QTest>

#include <algorithm>

#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

class tst_OpenWeatherMapProvider : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<OpenWeatherMapProvider> m_provider;

    Location londonGb() const
    {
        Location location;
        location.name = u"London"_s;
        location.countryCode = u"GB"_s;
        location.latitude = 51.50853;
        location.longitude = -0.12574;
        return location;
    }

private Q_SLOTS:
    void init();
    void cleanup();

    void identity();
    void daysAndHoursAskedTogetherShareOneRequest();
    void currentGustsRainAndSun();
    void missingKeySendsNothing();
    void rejectedKeyIsExplainedWithoutTheKey();
    void search_data();
    void search();
    void cityInputReachesServerIntact_data();
    void cityInputReachesServerIntact();
    void cityInputRefusedWithoutRequest();
    void currentConvertsWindToKmh_data();
    void currentConvertsWindToKmh();
    void forecastFoldedIntoDays();
    void httpErrors_data();
    void httpErrors();
    void misbehavingServer_data();
    void misbehavingServer();
    void keyNeverInErrors_data();
    void keyNeverInErrors();
    void redactedUrlHidesKey();
    void rateLimitHonoursRetryAfter();
    void languageIsSentWithWeather();
};

void tst_OpenWeatherMapProvider::init()
{
    m_server = std::make_unique<FakeWeatherServer>();
    QVERIFY(m_server->isListening());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>();
    m_provider = std::make_unique<OpenWeatherMapProvider>(m_network.get(), m_server->validApiKey(),
                                                          m_clock.get());
    m_provider->setEndpoints(m_server->endpoints());
}

void tst_OpenWeatherMapProvider::cleanup()
{
    m_provider.reset();
    m_network.reset();
    m_clock.reset();
    m_server.reset();
}

void tst_OpenWeatherMapProvider::identity()
{
    QCOMPARE(m_provider->id(), u"openweathermap"_s);
    QCOMPARE(m_provider->displayName(), u"OpenWeatherMap"_s);
    QCOMPARE(m_provider->attribution(), u"Weather data by OpenWeatherMap"_s);
    QVERIFY(m_provider->requiresApiKey());
    QCOMPARE(m_provider->requestGate()->requestsPerMinute(), 60);
    OpenWeatherMapProvider fresh(m_network.get());
    QCOMPARE(fresh.baseUrl(), QUrl(u"https://api.openweathermap.org"_s));
    fresh.setApiKey(u"  abc \n"_s);
    QCOMPARE(fresh.apiKey(), u"abc"_s);
}

void tst_OpenWeatherMapProvider::missingKeySendsNothing()
{
    m_provider->setApiKey(QString());
    const auto search = waitForResult(m_provider->searchLocations(u"London"_s, 5));
    const auto current = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric));
    const auto forecast = waitForResult(m_provider->fetchForecast(londonGb(), Units::Metric));
    QVERIFY(search && current && forecast);
    QCOMPARE(search->error.kind(), WeatherError::ApiKeyMissing);
    QCOMPARE(current->error.kind(), WeatherError::ApiKeyMissing);
    QCOMPARE(forecast->error.kind(), WeatherError::ApiKeyMissing);
    QVERIFY(current->error.message().startsWith(u"OpenWeatherMap needs an API key."_s));
    QCOMPARE(m_server->http()->requestCount(), 0);
}

void tst_OpenWeatherMapProvider::rejectedKeyIsExplainedWithoutTheKey()
{
    const QString wrongKey = u"ffffffffffffffffffffffffffffffff"_s;
    m_provider->setApiKey(wrongKey);
    const auto result = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric));
    QVERIFY(result);
    QCOMPARE(result->error.kind(), WeatherError::ApiKeyRejected);
    QCOMPARE(result->error.httpStatus(), 401);
    QCOMPARE(result->error.message(),
             u"OpenWeatherMap rejected the API key. A new key can take up to two hours to become "
             u"active."_s);
    QVERIFY(!result->error.message().contains(wrongKey));
    QVERIFY(!result->error.detail().contains(wrongKey));
    QCOMPARE(m_server->lastRequest(Endpoint::OwmCurrent).queryValue(u"appid"_s), wrongKey);

    // A 401 is never retried automatically, and does not block the next attempt.
    QCOMPARE(m_server->requestCount(Endpoint::OwmCurrent), 1);
    m_provider->setApiKey(m_server->validApiKey());
    const auto fixed = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric));
    QVERIFY(fixed);
    QVERIFY2(fixed->ok(), qPrintable(fixed->error.message()));
}

void tst_OpenWeatherMapProvider::search_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("maxResults");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("sentLimit");

    QTest::newRow("London: both") << u"London"_s << 5
                                  << QStringList{u"London, England, GB"_s, u"London, Ontario, CA"_s}
                                  << u"5"_s;
    QTest::newRow("limit 1") << u"London"_s << 1 << QStringList{u"London, England, GB"_s} << u"1"_s;
    QTest::newRow("limit above 5 clamped")
        << u"London"_s << 50 << QStringList{u"London, England, GB"_s, u"London, Ontario, CA"_s}
        << u"5"_s;
    QTest::newRow("name,country") << u"London,CA"_s << 5 << QStringList{u"London, Ontario, CA"_s}
                                  << u"5"_s;
    QTest::newRow("name,state,country")
        << u"London,ON,CA"_s << 5 << QStringList{u"London, Ontario, CA"_s} << u"5"_s;
    QTest::newRow("Japanese script") << u"東京"_s << 5 << QStringList{u"Tokyo, JP"_s} << u"5"_s;
    QTest::newRow("no match is []") << u"Atlantis"_s << 5 << QStringList{} << u"5"_s;
}

void tst_OpenWeatherMapProvider::search()
{
    QFETCH(QString, query);
    QFETCH(int, maxResults);
    QFETCH(QStringList, expected);
    const auto result = waitForResult(m_provider->searchLocations(query, maxResults));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    QStringList names;
    for (const Location &location : *result->value)
        names << location.displayName();
    QCOMPARE(names, expected);
    QTEST(m_server->lastRequest(Endpoint::OwmGeocoding).queryValue(u"limit"_s), "sentLimit");
}

void tst_OpenWeatherMapProvider::cityInputReachesServerIntact_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("received");
    QTest::newRow("appid injection") << u"Berlin&appid=x"_s << u"Berlin&appid=x"_s;
    QTest::newRow("units injection") << u"Berlin&units=imperial"_s << u"Berlin&units=imperial"_s;
    QTest::newRow("equals") << u"a=b"_s << u"a=b"_s;
    QTest::newRow("hash") << u"#"_s << u"#"_s;
    QTest::newRow("percent") << u"%"_s << u"%"_s;
    QTest::newRow("percent escape") << u"%2B"_s << u"%2B"_s;
    QTest::newRow("plus") << u"+"_s << u"+"_s;
    QTest::newRow("one letter") << u"B"_s << u"B"_s;
    QTest::newRow("Japanese") << u"東京"_s << u"東京"_s;
    QTest::newRow("Portuguese") << u"São Paulo"_s << u"São Paulo"_s;
    QTest::newRow("Cyrillic") << u"Москва"_s << u"Москва"_s;
    QTest::newRow("Hindi") << u"दिल्ली"_s << u"दिल्ली"_s;
    QTest::newRow("name, country with space") << u"London, GB"_s << u"London, GB"_s;
}

void tst_OpenWeatherMapProvider::cityInputReachesServerIntact()
{
    QFETCH(QString, typed);
    QFETCH(QString, received);
    const auto result = waitForResult(m_provider->searchLocations(typed, 3));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    const RecordedRequest request = m_server->lastRequest(Endpoint::OwmGeocoding);
    QCOMPARE(request.queryValue(u"q"_s), received);
    QStringList keys;
    for (const auto &item : request.queryItems)
        keys << item.first;
    QCOMPARE(keys, (QStringList{u"q"_s, u"limit"_s, u"appid"_s}));
    QCOMPARE(request.queryValue(u"appid"_s), m_server->validApiKey());
    QCOMPARE(request.queryValue(u"limit"_s), u"3"_s);
}

void tst_OpenWeatherMapProvider::cityInputRefusedWithoutRequest()
{
    for (const QString &typed : {QString(), u"   "_s, QString(500, u'a')}) {
        const auto result = waitForResult(m_provider->searchLocations(typed, 5));
        QVERIFY(result);
        QCOMPARE(result->error.kind(), WeatherError::InvalidInput);
    }
    QCOMPARE(m_server->http()->requestCount(), 0);
}

void tst_OpenWeatherMapProvider::currentConvertsWindToKmh_data()
{
    QTest::addColumn<Units>("units");
    QTest::addColumn<QString>("sentUnits");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<double>("windSpeed");
    // London GB in the fake: 17 °C, 18 km/h (sent as 5 m/s, or 11.2 mph).
    QTest::newRow("metric: m/s becomes km/h") << Units::Metric << u"metric"_s << 17.0 << 18.0;
    QTest::newRow("imperial: °F and mph") << Units::Imperial << u"imperial"_s << 62.6 << 11.2;
}

void tst_OpenWeatherMapProvider::currentConvertsWindToKmh()
{
    QFETCH(Units, units);
    const auto result = waitForResult(m_provider->fetchCurrent(londonGb(), units));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    const CurrentConditions &c = *result->value;
    QTEST(*c.temperature, "temperature");
    QTEST(*c.windSpeed, "windSpeed");
    QCOMPARE(c.units, UnitSet::asked(units));
    QCOMPARE(c.condition, WeatherCondition::Rain);
    QCOMPARE(c.description, u"Moderate rain"_s);
    QCOMPARE(c.humidity, 80.0);
    QCOMPARE(c.observationTime, m_server->serverTime());
    const RecordedRequest request = m_server->lastRequest(Endpoint::OwmCurrent);
    QCOMPARE(request.path, u"/data/2.5/weather"_s);
    QTEST(request.queryValue(u"units"_s), "sentUnits");
    QCOMPARE(request.queryValue(u"lat"_s), u"51.5085"_s);
    QCOMPARE(request.queryValue(u"lon"_s), u"-0.1257"_s);
    QVERIFY(!request.hasQueryItem(u"q"_s));
    QCOMPARE(request.header("User-Agent"),
             QByteArray("WeatherDash/" WEATHERDASH_VERSION " (+https://github.com/weatherdash)"));
}

void tst_OpenWeatherMapProvider::forecastFoldedIntoDays()
{
    const auto result = waitForResult(m_provider->fetchForecast(londonGb(), Units::Metric));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->error.message()));
    const QList<DailyForecast> &days = *result->value;
    // 40 slots of 3 h from 15:00 UTC on 15 June: 15 June (partial) to 20 June (partial).
    QCOMPARE(days.size(), 6);
    QCOMPARE(days.first().date, QDate(2026, 6, 15));
    for (qsizetype i = 1; i < days.size(); ++i)
        QCOMPARE(days.at(i).date, days.at(i - 1).date.addDays(1));
    // A full day spans the fake's whole diurnal swing: 17 - 5 - 0.5 .. 17 + 4 + 0.5.
    QCOMPARE(days.at(2).minTemp, 11.5);
    QCOMPARE(days.at(2).maxTemp, 21.5);
    // The fake's afternoon rain lands on the second or third local day, and wins that day.
    const bool rainy = days.at(1).condition == WeatherCondition::Rain
                       || days.at(2).condition == WeatherCondition::Rain;
    QVERIFY(rainy);
    QCOMPARE(m_server->requestCount(Endpoint::OwmForecast), 1);
    QCOMPARE(m_server->lastRequest(Endpoint::OwmForecast).path, u"/data/2.5/forecast"_s);
}

void tst_OpenWeatherMapProvider::daysAndHoursAskedTogetherShareOneRequest()
{
    auto days = m_provider->fetchForecast(londonGb(), Units::Metric);
    auto hours = m_provider->fetchHourly(londonGb(), Units::Metric);
    const auto d = waitForResult(days);
    const auto h = waitForResult(hours);
    QVERIFY(d && h);
    QVERIFY2(h->ok(), qPrintable(h->error.message()));
    QCOMPARE(m_server->requestCount(Endpoint::OwmForecast), 1);
    // The 40 three-hour slots, in London's offset, with the fake's afternoon rain.
    QCOMPARE(h->value->size(), 40);
    QCOMPARE(h->value->constFirst().periodHours, 3);
    QCOMPARE(h->value->constFirst().utcOffsetSeconds, 3600);
    const auto rain
        = std::find_if(h->value->cbegin(), h->value->cend(),
                       [](const HourlyForecast &s) { return s.precipitation.value_or(0) > 0; });
    QVERIFY(rain != h->value->cend());
    QCOMPARE(rain->precipitation, 2.5);
    QCOMPARE(rain->precipitationProbability, 80.0);
    // The day of that rain sums it, and its chance is the day's highest.
    const auto day
        = std::find_if(d->value->cbegin(), d->value->cend(),
                       [&](const DailyForecast &x) { return x.date == rain->localTime().date(); });
    QVERIFY(day != d->value->cend());
    QVERIFY(day->precipitationSum.value_or(0) >= 2.5);
    QCOMPARE(day->precipitationProbabilityMax, 80.0);
    // Asked one after the other, each is a request of its own (the cache keeps them apart).
    QVERIFY(waitForResult(m_provider->fetchHourly(londonGb(), Units::Metric)));
    QCOMPARE(m_server->requestCount(Endpoint::OwmForecast), 2);
}

void tst_OpenWeatherMapProvider::currentGustsRainAndSun()
{
    const auto result = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric));
    QVERIFY(result && result->ok());
    // London: 18 km/h wind, gusts half as much again; moderate rain, 1.2 mm in the last hour.
    QCOMPARE(result->value->windGusts, 27.0);
    QCOMPARE(result->value->precipitation, 1.2);
    QVERIFY(result->value->sunrise.isValid());
    QVERIFY(result->value->sunrise < result->value->sunset);
}

void tst_OpenWeatherMapProvider::httpErrors_data()
{
    QTest::addColumn<int>("endpoint");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");

    QTest::newRow("401 on forecast")
        << int(Endpoint::OwmForecast) << 401 << -1 << int(WeatherError::ApiKeyRejected)
        << u"OpenWeatherMap rejected the API key. A new key can take up to two hours to become "
           u"active."_s;
    QTest::newRow("404 city not found")
        << int(Endpoint::OwmCurrent) << 404 << -1 << int(WeatherError::CityNotFound)
        << u"That place was not found. Check the spelling, or "
           u"add the country, for example “London, GB”."_s;
    QTest::newRow("429 account blocked, Retry-After 42")
        << int(Endpoint::OwmCurrent) << 429 << 42 << int(WeatherError::RateLimited)
        << u"OpenWeatherMap asked us to slow down; try again in 42 seconds."_s;
    QTest::newRow("400 nothing to geocode")
        << int(Endpoint::OwmGeocoding) << 400 << -1 << int(WeatherError::InvalidInput)
        << u"OpenWeatherMap did not accept the request: Nothing to geocode"_s;
    QTest::newRow("500") << int(Endpoint::OwmForecast) << 500 << -1
                         << int(WeatherError::ServerError)
                         << u"OpenWeatherMap is having problems right now (server error 500); "
                            u"try again in 2 seconds."_s;
    QTest::newRow("503 with Retry-After 300")
        << int(Endpoint::OwmCurrent) << 503 << 300 << int(WeatherError::ServerError)
        << u"OpenWeatherMap is having problems right now (server error 503); try again in 5 "
           u"minutes."_s;
    QTest::newRow("429 with an absurd Retry-After")
        << int(Endpoint::OwmCurrent) << 429 << 99'999'999 << int(WeatherError::RateLimited)
        << u"OpenWeatherMap asked us to slow down; try again in over a day."_s;
    QTest::newRow("502") << int(Endpoint::OwmGeocoding) << 502 << -1
                         << int(WeatherError::ServerError)
                         << u"OpenWeatherMap is having problems right now (server error 502); "
                            u"try again in 2 seconds."_s;
}

void tst_OpenWeatherMapProvider::httpErrors()
{
    QFETCH(int, endpoint);
    QFETCH(int, status);
    QFETCH(int, retryAfter);
    QFETCH(int, kind);
    QFETCH(QString, message);
    m_server->failWith(Endpoint(endpoint), status, retryAfter);

    std::optional<WeatherError> error;
    switch (Endpoint(endpoint)) {
    case Endpoint::OwmGeocoding:
        if (const auto r = waitForResult(m_provider->searchLocations(u"London"_s, 5)))
            error = r->error;
        break;
    case Endpoint::OwmCurrent:
        if (const auto r = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric)))
            error = r->error;
        break;
    default:
        if (const auto r = waitForResult(m_provider->fetchForecast(londonGb(), Units::Metric)))
            error = r->error;
        break;
    }
    QVERIFY(error);
    QCOMPARE(int(error->kind()), kind);
    QCOMPARE(error->httpStatus(), status);
    QCOMPARE(error->message(), message);
    QCOMPARE(m_server->requestCount(Endpoint(endpoint)), 1); // no automatic retry
}

void tst_OpenWeatherMapProvider::misbehavingServer_data()
{
    QTest::addColumn<HttpReply>("reply");
    QTest::addColumn<int>("kind");
    QTest::newRow("non-JSON") << HttpReply::withBody(200, "text/plain", "OK")
                              << int(WeatherError::BadResponse);
    QTest::newRow("truncated") << HttpReply::json(200, R"([{"name":"London","lat":51.5)")
                               << int(WeatherError::BadResponse);
    QTest::newRow("oversized") << HttpReply::oversized(12 * 1024 * 1024)
                               << int(WeatherError::ResponseTooLarge);
    QTest::newRow("trickle") << HttpReply::trickle(QByteArray(3000, ' ') + "[]", 8, 20)
                             << int(WeatherError::Timeout);
    QTest::newRow("silence") << HttpReply::silence() << int(WeatherError::Timeout);
    QTest::newRow("cut mid-body") << HttpReply::cutMidBody(QByteArray(3000, ' ') + "[]")
                                  << int(WeatherError::BadResponse);
}

void tst_OpenWeatherMapProvider::misbehavingServer()
{
    QFETCH(HttpReply, reply);
    QFETCH(int, kind);
    m_provider->setTimeoutMs(300);
    m_server->setReply(Endpoint::OwmGeocoding, reply);
    const auto result = waitForResult(m_provider->searchLocations(u"London"_s, 5));
    QVERIFY(result);
    QCOMPARE(WeatherError::kindName(result->error.kind()),
             WeatherError::kindName(WeatherError::Kind(kind)));
    QVERIFY(!result->error.message().contains(m_server->validApiKey()));
}

void tst_OpenWeatherMapProvider::keyNeverInErrors_data()
{
    QTest::addColumn<HttpReply>("reply");
    const QByteArray key = FakeWeatherServer::defaultApiKey().toLatin1();
    QTest::newRow("400 echoing the key") << HttpReply::json(
        400, R"({"cod":"400","message":"bad request for appid=)" + key + R"("})");
    QTest::newRow("400 echoing the key in upper case")
        << HttpReply::json(400, R"({"cod":"400","message":"key )" + key.toUpper() + R"("})");
    QTest::newRow("200 with cod 400 echoing the key")
        << HttpReply::json(200, R"({"cod":400,"message":")" + key + R"( is odd"})");
    QTest::newRow("401") << HttpReply::json(
        401, FakeWeatherServer::errorBody(Endpoint::OwmCurrent, 401));
    QTest::newRow("429") << HttpReply::json(
        429, FakeWeatherServer::errorBody(Endpoint::OwmCurrent, 429));
    QTest::newRow("503") << HttpReply::json(503, "Service Unavailable " + key);
}

void tst_OpenWeatherMapProvider::keyNeverInErrors()
{
    QFETCH(HttpReply, reply);
    m_server->setReply(Endpoint::OwmCurrent, reply);
    const auto result = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric));
    QVERIFY(result);
    QVERIFY(!result->ok());
    const QString key = m_server->validApiKey();
    QVERIFY2(!result->error.message().contains(key, Qt::CaseInsensitive),
             qPrintable(result->error.message()));
    QVERIFY(!result->error.detail().contains(key, Qt::CaseInsensitive));
    QVERIFY(!result->error.message().contains(u"127.0.0.1"_s));
}

void tst_OpenWeatherMapProvider::redactedUrlHidesKey()
{
    QUrl url(u"https://api.openweathermap.org/data/2.5/weather"_s);
    QUrlQuery query;
    WeatherProvider::addQueryItem(query, u"lat"_s, u"1.0"_s);
    WeatherProvider::addQueryItem(query, u"appid"_s, u"secret123"_s);
    url.setQuery(query);
    const QString redacted = WeatherProvider::redactedUrl(url);
    QVERIFY2(!redacted.contains(u"secret123"_s), qPrintable(redacted));
    QVERIFY(redacted.contains(u"appid=REDACTED"_s));
    QVERIFY(redacted.contains(u"lat=1.0"_s));
}

void tst_OpenWeatherMapProvider::rateLimitHonoursRetryAfter()
{
    m_server->failWith(Endpoint::OwmGeocoding, 429, 120, 1);
    const auto first = waitForResult(m_provider->searchLocations(u"London"_s, 5));
    QVERIFY(first);
    QCOMPARE(first->error.kind(), WeatherError::RateLimited);
    QCOMPARE(first->error.retryAfter(), 120);
    QCOMPARE(first->error.message(),
             u"OpenWeatherMap asked us to slow down; try again in 2 minutes."_s);

    m_clock->advance(119'000);
    const auto held = waitForResult(m_provider->fetchForecast(londonGb(), Units::Metric));
    QVERIFY(held);
    QCOMPARE(held->error.kind(), WeatherError::RateLimited);
    QCOMPARE(held->error.retryAfter(), 1);
    QCOMPARE(m_server->totalRequestCount(), 1);

    m_clock->advance(1'000);
    const auto after = waitForResult(m_provider->fetchForecast(londonGb(), Units::Metric));
    QVERIFY(after);
    QVERIFY2(after->ok(), qPrintable(after->error.message()));
}

void tst_OpenWeatherMapProvider::languageIsSentWithWeather()
{
    QCOMPARE(m_provider->language(), u"en"_s);
    m_provider->setLanguage(u"pt_br"_s);
    const auto current = waitForResult(m_provider->fetchCurrent(londonGb(), Units::Metric));
    QVERIFY(current && current->ok());
    QCOMPARE(m_server->lastRequest(Endpoint::OwmCurrent).queryValue(u"lang"_s), u"pt_br"_s);
    // Not a tag: the request asks for English rather than carrying it.
    m_provider->setLanguage(u"fr&appid=x"_s);
    const auto days = waitForResult(m_provider->fetchForecast(londonGb(), Units::Metric));
    QVERIFY(days && days->ok());
    const RecordedRequest request = m_server->lastRequest(Endpoint::OwmForecast);
    QCOMPARE(request.queryValue(u"lang"_s), u"en"_s);
    QCOMPARE(request.queryValue(u"appid"_s), m_server->validApiKey());
}

QTEST_GUILESS_MAIN(tst_OpenWeatherMapProvider)
#include "tst_openweathermapprovider.moc"
