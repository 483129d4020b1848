// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "faketier.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "weather/nominatimprovider.h"
#include "weather/payloadcodec.h"
#include "weather/reversegeocoder.h"
#include "weather/weatherkey.h"
#include "weather/weatherservice.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
} // namespace

class tst_ReverseGeocoder : public QObject
{
    Q_OBJECT

private:
    /** One process: a service (its layers) and its geocoder, over a tier they may share. */
    struct App
    {
        std::unique_ptr<WeatherService> service;
        std::unique_ptr<ReverseGeocoder> geocoder;
    };
    App makeApp(CacheTier *tier = nullptr)
    {
        App app;
        app.service = std::make_unique<WeatherService>(m_network.get(), m_clock.get());
        if (tier)
            app.service->addTier(tier);
        app.geocoder = std::make_unique<ReverseGeocoder>(m_network.get(), app.service->layers(),
                                                         m_clock.get(), m_server->baseUrl());
        app.geocoder->setLanguage(u"de"_s);
        return app;
    }
    int reverseRequests() const { return m_server->requestCount(Endpoint::NominatimReverse); }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ManualClock> m_clock;

private Q_SLOTS:
    void init();
    void cleanup();

    void keysAreCellsOfAboutAKilometre();
    void namesThePlaceWithOneIdentifiedRequest();
    void theSameCellAsksNothingMore();
    void aFewKilometresAwayAsksOnce();
    void anotherProcessReadsTheNameFromTheTier();
    void requestsLeaveASecondApart();
    void theSeaIsAnAnswerAndIsKept();
    void theNameIsKeptThirtyDays();
    void failuresAreNotKept_data();
    void failuresAreNotKept();
    void aDecodedEntryRoundTrips();
    void baseFromEnvironment();
};

void tst_ReverseGeocoder::init()
{
    m_server = std::make_unique<FakeWeatherServer>();
    QVERIFY(m_server->isListening());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>();
}

void tst_ReverseGeocoder::cleanup()
{
    m_network.reset();
    m_server.reset();
    m_clock.reset();
}

void tst_ReverseGeocoder::keysAreCellsOfAboutAKilometre()
{
    const WeatherKey key = WeatherKey::reverse(u"nominatim"_s, 52.5163, 13.3777, u"de"_s);
    QCOMPARE(key.toString(), u"nominatim/rev/52.52,13.38/de"_s);
    QCOMPARE(WeatherKey::parse(key.toString()), key);
    QCOMPARE(key.kind(), WeatherKey::Kind::Reverse);
    // Its label is the cell's; it names no weather.
    QCOMPARE(key.withKind(WeatherKey::Kind::Label).toString(), u"label/52.52,13.38"_s);
    QVERIFY(!key.withKind(WeatherKey::Kind::Current).isValid());
    QVERIFY(!WeatherKey::parse(u"nominatim/rev/52.52,13.38/metric/de"_s).isValid());
    QVERIFY(!WeatherKey::reverse(u"nominatim"_s, 91, 0, u"de"_s).isValid());
    // A month's TTL is one this machine could have given; a year is not.
    QCOMPARE(PayloadCodec::maxTtlMs(key.toString(), 0), 30 * kDayMs);
}

void tst_ReverseGeocoder::namesThePlaceWithOneIdentifiedRequest()
{
    App app = makeApp();
    const auto answer = awaitResult(app.geocoder->name(52.5200, 13.4120));
    QVERIFY2(answer.ok(), qPrintable(answer.error.message()));
    QCOMPARE(answer.value->name, u"Berlin"_s);
    QCOMPARE(answer.value->countryCode, u"DE"_s);
    QCOMPARE(answer.source, AnswerSource::Network);
    QCOMPARE(reverseRequests(), 1);
    QCOMPARE(app.geocoder->requestsSent(), 1);

    const RecordedRequest request = m_server->lastRequest(Endpoint::NominatimReverse);
    QCOMPARE(request.path, u"/reverse"_s);
    QCOMPARE(request.queryValue(u"lat"_s), u"52.520000"_s);
    QCOMPARE(request.queryValue(u"lon"_s), u"13.412000"_s);
    QCOMPARE(request.queryValue(u"format"_s), u"jsonv2"_s);
    QCOMPARE(request.queryValue(u"zoom"_s), u"10"_s);
    QCOMPARE(request.queryValue(u"accept-language"_s), u"de"_s);
    QVERIFY(request.header("user-agent").startsWith("WeatherDash/"));
    QVERIFY(request.header("user-agent").contains("(+https://"));
}

void tst_ReverseGeocoder::theSameCellAsksNothingMore()
{
    App app = makeApp();
    QVERIFY(awaitResult(app.geocoder->name(52.5200, 13.4120)).ok());
    m_clock->advance(60'000);
    // 300 m further: the same cell (52.52,13.41).
    const auto again = awaitResult(app.geocoder->name(52.5230, 13.4140));
    QVERIFY(again.ok());
    QCOMPARE(again.value->name, u"Berlin"_s);
    QCOMPARE(again.source, AnswerSource::Cache);
    QCOMPARE(reverseRequests(), 1);
}

void tst_ReverseGeocoder::aFewKilometresAwayAsksOnce()
{
    App app = makeApp();
    QVERIFY(awaitResult(app.geocoder->name(52.5200, 13.4120)).ok());
    m_clock->advance(60'000);
    // ~4 km north: another cell, still Berlin for the server.
    const auto moved = awaitResult(app.geocoder->name(52.5560, 13.4120));
    QVERIFY(moved.ok());
    QCOMPARE(moved.source, AnswerSource::Network);
    QCOMPARE(reverseRequests(), 2);
    QVERIFY(awaitResult(app.geocoder->name(52.5561, 13.4121)).ok());
    QCOMPARE(reverseRequests(), 2);
}

void tst_ReverseGeocoder::anotherProcessReadsTheNameFromTheTier()
{
    FakeTier disk(u"disk"_s);
    {
        App first = makeApp(&disk);
        QVERIFY(awaitResult(first.geocoder->name(48.8566, 2.3522)).ok());
        QTRY_VERIFY(disk.entries.count(u"nominatim/rev/48.86,2.35/de"_s) == 1);
    }
    m_clock->advance(kDayMs);
    App second = makeApp(&disk);
    const auto answer = awaitResult(second.geocoder->name(48.8570, 2.3510));
    QVERIFY(answer.ok());
    QCOMPARE(answer.value->name, u"Paris"_s);
    QCOMPARE(answer.source, AnswerSource::Cache);
    QCOMPARE(reverseRequests(), 1);
}

void tst_ReverseGeocoder::requestsLeaveASecondApart()
{
    App app = makeApp();
    QVERIFY(awaitResult(app.geocoder->name(52.52, 13.412)).ok());
    // Another cell at once: the gate holds it until a second has passed on the clock.
    QSignalSpy sent(app.geocoder.get(), &ReverseGeocoder::requestSent);
    auto paris = app.geocoder->name(48.8566, 2.3522);
    // A hit answers through the event loop: by then an ungated request would have left.
    QCOMPARE(awaitResult(app.geocoder->name(52.52, 13.412)).source, AnswerSource::Cache);
    QCOMPARE(sent.count(), 0);
    QVERIFY(!paris.isFinished());
    m_clock->advance(NominatimProvider::kMinIntervalMs);
    const auto answer = awaitResult(paris);
    QVERIFY(answer.ok());
    QCOMPARE(answer.value->name, u"Paris"_s);
    QCOMPARE(reverseRequests(), 2);
}

void tst_ReverseGeocoder::theSeaIsAnAnswerAndIsKept()
{
    App app = makeApp();
    const auto sea = awaitResult(app.geocoder->name(54.2, 7.9));
    QVERIFY(sea.ok());
    QVERIFY(sea.value->name.isEmpty());
    QCOMPARE(sea.value->latitude, 54.2);
    m_clock->advance(kDayMs);
    QVERIFY(awaitResult(app.geocoder->name(54.2, 7.9)).ok());
    QCOMPARE(reverseRequests(), 1);
}

void tst_ReverseGeocoder::theNameIsKeptThirtyDays()
{
    App app = makeApp();
    QVERIFY(awaitResult(app.geocoder->name(52.52, 13.412)).ok());
    m_clock->advance(30 * kDayMs - 60'000);
    QCOMPARE(awaitResult(app.geocoder->name(52.52, 13.412)).source, AnswerSource::Cache);
    QCOMPARE(reverseRequests(), 1);
    m_clock->advance(2 * 60'000);
    QCOMPARE(awaitResult(app.geocoder->name(52.52, 13.412)).source, AnswerSource::Network);
    QCOMPARE(reverseRequests(), 2);
}

void tst_ReverseGeocoder::failuresAreNotKept_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::newRow("400") << 400 << int(WeatherError::InvalidInput);
    QTest::newRow("403 blocked") << 403 << int(WeatherError::InvalidInput);
    QTest::newRow("429") << 429 << int(WeatherError::RateLimited);
    QTest::newRow("503") << 503 << int(WeatherError::ServerError);
}

void tst_ReverseGeocoder::failuresAreNotKept()
{
    QFETCH(int, status);
    App app = makeApp();
    m_server->failWith(Endpoint::NominatimReverse, status, 1, 1);
    const auto failed = awaitResult(app.geocoder->name(52.52, 13.412));
    QVERIFY(!failed.ok());
    QTEST(int(failed.error.kind()), "kind");
    QVERIFY(!failed.error.message().isEmpty());
    QCOMPARE(reverseRequests(), 1);
    // Past any hold (Retry-After 1 s, backoff 2 s): asked again, and named.
    m_clock->advance(5'000);
    const auto named = awaitResult(app.geocoder->name(52.52, 13.412));
    QVERIFY2(named.ok(), qPrintable(named.error.message()));
    QCOMPARE(named.value->name, u"Berlin"_s);
    QCOMPARE(reverseRequests(), 2);
}

void tst_ReverseGeocoder::aDecodedEntryRoundTrips()
{
    Location berlin;
    berlin.name = u"Berlin"_s;
    berlin.country = u"Deutschland"_s;
    berlin.countryCode = u"DE"_s;
    berlin.latitude = 52.52;
    berlin.longitude = 13.405;
    const WeatherPayload payload(QList<Location>{berlin});
    const auto decoded = PayloadCodec::decode(PayloadCodec::encode(payload));
    QVERIFY(decoded);
    QCOMPARE(std::get<QList<Location>>(*decoded), QList<Location>{berlin});
    QVERIFY(PayloadCodec::plausible(*decoded));
    const QString key = u"nominatim/rev/52.52,13.41/de"_s;
    QVERIFY(PayloadCodec::fitsKey(key, *decoded));
    // Two places, or a forecast, under a name's key are someone else's bytes.
    QVERIFY(!PayloadCodec::fitsKey(key, WeatherPayload(QList<Location>{berlin, berlin})));
    QVERIFY(!PayloadCodec::fitsKey(key, WeatherPayload(DailyForecastList{})));
}

void tst_ReverseGeocoder::baseFromEnvironment()
{
    qputenv("WEATHERDASH_NOMINATIM_URL", "http://127.0.0.1:4711/nominatim");
    QCOMPARE(NominatimProvider::baseUrlFromEnvironment(),
             QUrl(u"http://127.0.0.1:4711/nominatim"_s));
    qputenv("WEATHERDASH_NOMINATIM_URL", "ftp://example.org");
    QCOMPARE(NominatimProvider::baseUrlFromEnvironment(), NominatimProvider::defaultBaseUrl());
    qunsetenv("WEATHERDASH_NOMINATIM_URL");
    QCOMPARE(NominatimProvider::baseUrlFromEnvironment(),
             QUrl(u"https://nominatim.openstreetmap.org"_s));
    NominatimProvider provider(m_network.get(), m_clock.get(),
                               QUrl(u"http://127.0.0.1:4711/nominatim"_s));
    provider.setLanguage(u"pt_BR"_s);
    QCOMPARE(provider.reverseUrl(-23.5, -46.6).toString(),
             u"http://127.0.0.1:4711/nominatim/reverse?lat=-23.500000&lon=-46.600000"
             "&format=jsonv2&zoom=10&accept-language=pt_BR"_s);
}

QTEST_GUILESS_MAIN(tst_ReverseGeocoder)
#include "tst_reversegeocoder.moc"
