// SPDX-License-Identifier: MIT
// WeatherService's air quality and nowcast feeds (issue 23) against the local fake server:
// their TTLs, the disk tier, the request log, both weather providers, and failures that stay
// their own. In a file of its own so the merge with the other feeds' tests stays simple.
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "store/sqlitetier.h"
#include "weather/payloadcodec.h"
#include "weather/weatherservice.h"

#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {
constexpr qint64 kMinute = 60'000;
}

class tst_WeatherServiceAir : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        // The service's clock at the server's time: the nowcast's steps are "now".
        m_clock = std::make_unique<ManualClock>(m_server->serverTime().toMSecsSinceEpoch());
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void cleanup()
    {
        m_services.clear();
        m_stores.clear();
        m_server.reset();
    }

    void airQualityOnceAnHour_data();
    void airQualityOnceAnHour();
    void noPollenOutsideEurope();
    void nowcastEveryQuarterHour();
    void nowcastInTheReadersUnits();
    void failuresStayTheirOwn_data();
    void failuresStayTheirOwn();
    void secondRunReadsThemFromDisk();
    void refreshAndDescribeKeys();
    void implausibleStoredValuesAreRefused();

private:
    WeatherService *makeService(const QString &provider = u"open-meteo"_s, bool withStore = false)
    {
        auto service = std::make_unique<WeatherService>(&m_network, m_clock.get());
        WeatherService::Config c;
        c.providerId = provider;
        c.apiKey = m_server->validApiKey();
        c.endpoints = m_server->endpoints();
        c.timeoutMs = 3000;
        service->setConfig(c);
        if (withStore) {
            auto disk = std::make_unique<SqliteTier>(m_dir->path(), m_clock.get());
            service->addTier(disk.get());
            service->warmUp();
            m_stores.push_back(std::move(disk));
        }
        m_services.push_back(std::move(service));
        return m_services.back().get();
    }

    Location place(const QString &name, const QString &countryCode)
    {
        const auto city = m_server->city(name, countryCode);
        Location l;
        if (!city)
            return l;
        l.name = city->name;
        l.countryCode = city->countryCode;
        l.latitude = city->latitude;
        l.longitude = city->longitude;
        l.utcOffsetSeconds = city->utcOffsetSeconds;
        return l;
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<SqliteTier>> m_stores;
    std::vector<std::unique_ptr<WeatherService>> m_services;
};

void tst_WeatherServiceAir::airQualityOnceAnHour_data()
{
    QTest::addColumn<QString>("provider");
    QTest::newRow("open-meteo") << u"open-meteo"_s;
    // Air quality comes from Open-Meteo (no key) whoever gives the weather.
    QTest::newRow("openweathermap") << u"openweathermap"_s;
}

void tst_WeatherServiceAir::airQualityOnceAnHour()
{
    QFETCH(QString, provider);
    WeatherService *service = makeService(provider);
    const Location berlin = place(u"Berlin"_s, u"DE"_s);
    QVERIFY(berlin.isValid());
    QCOMPARE(service->airQualityKey(berlin), u"open-meteo/aq/52.52,13.41/metric/en"_s);
    for (int run = 0; run < 3; ++run) {
        const auto a = awaitResult(service->airQuality(berlin));
        QVERIFY2(a.ok(), qPrintable(a.error.message()));
        QCOMPARE(a.value->europeanAqi, 37.0);
        QCOMPARE(a.value->drivingPollutant(AirQuality::Scale::European),
                 AirQuality::Pollutant::Ozone);
        QCOMPARE(a.value->pollen[int(AirQuality::Pollen::Birch)], 12.0); // June in Berlin
        QCOMPARE(a.source, run == 0 ? AnswerSource::Network : AnswerSource::Cache);
        m_clock->advance(25 * kMinute);
    }
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    // 75 minutes after the first answer: an hour's lifetime is over.
    const auto again = awaitResult(service->airQuality(berlin));
    QCOMPARE(again.source, AnswerSource::Network);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 2);

    const RecordedRequest request = m_server->lastRequest(Endpoint::OpenMeteoAirQuality);
    QCOMPARE(request.path, u"/v1/air-quality"_s);
    QCOMPARE(request.queryValue(u"timezone"_s), u"auto"_s);
    QVERIFY(request.queryValue(u"current"_s).contains(u"grass_pollen"_s));
    // Counted against Open-Meteo's limits like every other request.
    QCOMPARE(service->requestLog().countSince(u"open-meteo"_s, 0), 2);
    QCOMPARE(service->lifetimeMs(WeatherKey::Kind::AirQuality), 60 * kMinute);
}

void tst_WeatherServiceAir::noPollenOutsideEurope()
{
    WeatherService *service = makeService();
    const auto a = awaitResult(service->airQuality(place(u"Tokyo"_s, u"JP"_s)));
    QVERIFY(a.ok());
    QVERIFY(a.value->europeanAqi.has_value());
    QVERIFY(!a.value->hasPollen());
    QVERIFY(a.value->strongestPollens().isEmpty());
}

void tst_WeatherServiceAir::nowcastEveryQuarterHour()
{
    WeatherService *service = makeService();
    const Location berlin = place(u"Berlin"_s, u"DE"_s);
    const auto n = awaitResult(service->nowcast(berlin));
    QVERIFY2(n.ok(), qPrintable(n.error.message()));
    QCOMPARE(n.source, AnswerSource::Network);
    QCOMPARE(n.value->steps.size(), Nowcast::kStepsAsked);
    // 12:00 UTC is 14:00 in Berlin; the server's rain starts at 14:30 local.
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
    const RainOutlook outlook = RainOutlook::from(*n.value, now);
    QCOMPARE(outlook.kind, RainOutlook::Kind::Starts);
    QCOMPARE(outlook.minutes, 30);
    const RecordedRequest request = m_server->lastRequest(Endpoint::OpenMeteoNowcast);
    QCOMPARE(request.queryValue(u"minutely_15"_s), u"precipitation"_s);
    QCOMPARE(request.queryValue(u"forecast_minutely_15"_s), QString::number(Nowcast::kStepsAsked));

    m_clock->advance(10 * kMinute);
    QCOMPARE(awaitResult(service->nowcast(berlin)).source, AnswerSource::Cache);
    m_clock->advance(6 * kMinute); // 16 minutes: older than a step
    QCOMPARE(awaitResult(service->nowcast(berlin)).source, AnswerSource::Network);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 2);
    // The weather's own endpoints were never asked.
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 0);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 0);
}

void tst_WeatherServiceAir::nowcastInTheReadersUnits()
{
    WeatherService *service = makeService();
    WeatherService::Config c = service->config();
    c.units = UnitSet::imperial();
    service->setConfig(c);
    const auto n = awaitResult(service->nowcast(place(u"Berlin"_s, u"DE"_s)));
    QVERIFY(n.ok());
    QCOMPARE(n.value->unit, PrecipitationUnit::Inch);
    double wettest = 0;
    for (const NowcastStep &step : n.value->steps)
        wettest = qMax(wettest, step.precipitation.value_or(0));
    QVERIFY(qAbs(wettest - 0.4 / 25.4) < 1e-6);
    // The key is the same: the fetch is always in millimetres.
    QVERIFY(service->nowcastKey(place(u"Berlin"_s, u"DE"_s)).contains(u"/metric/"_s));
}

void tst_WeatherServiceAir::failuresStayTheirOwn_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::newRow("air quality 503")
        << Endpoint::OpenMeteoAirQuality << 503 << int(WeatherError::ServerError);
    QTest::newRow("air quality 400")
        << Endpoint::OpenMeteoAirQuality << 400 << int(WeatherError::InvalidInput);
    QTest::newRow("nowcast 429") << Endpoint::OpenMeteoNowcast << 429
                                 << int(WeatherError::RateLimited);
}

void tst_WeatherServiceAir::failuresStayTheirOwn()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(int, status);
    QFETCH(int, kind);
    m_server->failWith(endpoint, status);
    WeatherService *service = makeService();
    const Location berlin = place(u"Berlin"_s, u"DE"_s);
    // Asked together, as a window would: the weather arrives whatever the other feed does.
    auto current = service->current(berlin);
    auto air = service->airQuality(berlin);
    auto nowcast = service->nowcast(berlin);
    const auto w = awaitResult(current);
    QVERIFY2(w.ok(), qPrintable(w.error.message()));
    const auto a = awaitResult(air);
    const auto n = awaitResult(nowcast);
    const auto &failed = endpoint == Endpoint::OpenMeteoAirQuality ? a.error : n.error;
    QCOMPARE(int(failed.kind()), kind);
    QVERIFY(!failed.message().isEmpty());
    QCOMPARE(endpoint == Endpoint::OpenMeteoAirQuality ? n.ok() : a.ok(), true);
    if (status == 400)
        QVERIFY2(failed.message().contains(u"nonsense_pollen"_s), qPrintable(failed.message()));
}

void tst_WeatherServiceAir::secondRunReadsThemFromDisk()
{
    const Location berlin = place(u"Berlin"_s, u"DE"_s);
    {
        WeatherService *first = makeService(u"open-meteo"_s, true);
        QVERIFY(awaitResult(first->airQuality(berlin)).ok());
        QVERIFY(awaitResult(first->nowcast(berlin)).ok());
        m_services.clear();
        m_stores.clear();
    }
    m_clock->advance(5 * kMinute);
    WeatherService *second = makeService(u"open-meteo"_s, true);
    const auto a = awaitResult(second->airQuality(berlin));
    const auto n = awaitResult(second->nowcast(berlin));
    QVERIFY(a.ok() && n.ok());
    QCOMPARE(a.source, AnswerSource::Cache);
    QCOMPARE(a.ageMs, 5 * kMinute);
    QCOMPARE(n.source, AnswerSource::Cache);
    QCOMPARE(a.value->pollen[int(AirQuality::Pollen::Grass)], 9.5);
    QCOMPARE(n.value->steps.size(), Nowcast::kStepsAsked);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);
    // Offline and old: the last air quality, stale, with its age.
    m_clock->advance(2 * 60 * kMinute);
    m_server->http()->close();
    const auto stale = awaitResult(second->airQuality(berlin));
    QVERIFY(stale.ok());
    QCOMPARE(stale.source, AnswerSource::Stale);
}

void tst_WeatherServiceAir::refreshAndDescribeKeys()
{
    WeatherService *service = makeService(u"openweathermap"_s);
    const Location berlin = place(u"Berlin"_s, u"DE"_s);
    QVERIFY(awaitResult(service->current(berlin)).ok()); // remembers the label
    const QString aq = service->airQualityKey(berlin);
    const QString nc = service->nowcastKey(berlin);
    QCOMPARE(service->describeKey(aq), u"Berlin, DE · air quality"_s);
    QCOMPARE(service->describeKey(nc), u"Berlin, DE · rain soon"_s);
    QCOMPARE(WeatherKey::parse(aq).kind(), WeatherKey::Kind::AirQuality);
    QCOMPARE(WeatherKey::parse(nc).toString(), nc);
    QVERIFY(service->refreshKey(aq)); // Open-Meteo's key under an OpenWeatherMap service
    QTRY_COMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
    QVERIFY(service->refreshKey(nc));
    QTRY_COMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);
}

void tst_WeatherServiceAir::implausibleStoredValuesAreRefused()
{
    AirQuality air;
    air.europeanAqi = 37;
    air.pollen[int(AirQuality::Pollen::Grass)] = 9.5;
    const QByteArray good = PayloadCodec::encode(air);
    const auto back = PayloadCodec::decode(good);
    QVERIFY(back && std::get<AirQuality>(*back) == air);
    QVERIFY(PayloadCodec::fitsKey(u"open-meteo/aq/52.52,13.41/metric/en"_s, *back));
    QVERIFY(!PayloadCodec::fitsKey(u"open-meteo/nc/52.52,13.41/metric/en"_s, *back));
    air.usAqi = 5000; // no index reaches that
    QVERIFY(!PayloadCodec::decode(PayloadCodec::encode(air)));

    Nowcast nowcast;
    nowcast.steps.append({QDateTime(QDate(2026, 6, 15), QTime(12, 15), Qt::UTC), 0.4});
    const auto n = PayloadCodec::decode(PayloadCodec::encode(nowcast));
    QVERIFY(n && std::get<Nowcast>(*n) == nowcast);
    nowcast.steps.append({QDateTime(QDate(2026, 6, 15), QTime(12, 30), Qt::UTC), -1.0});
    QVERIFY(!PayloadCodec::decode(PayloadCodec::encode(nowcast)));
    // Cut short: no partial value.
    const QByteArray bytes = PayloadCodec::encode(std::get<Nowcast>(*n));
    QVERIFY(!PayloadCodec::decode(bytes.left(bytes.size() - 3)));
}

QTEST_GUILESS_MAIN(tst_WeatherServiceAir)
#include "tst_weatherserviceair.moc"
