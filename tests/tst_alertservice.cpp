// SPDX-License-Identifier: MIT
// AlertService against the fake alert server: ids and messages through the layered cache
// (memory and the disk tier), their lifetimes on the injected clock, the server's failures,
// and the weather never waiting for the alerts.
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "store/sqlitetier.h"
#include "testdata.h"
#include "weather/alertservice.h"
#include "weather/capparser.h"
#include "weather/payloadcodec.h"
#include "weather/weatherkey.h"

#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using AlertEndpoint = FakeAlertServer::Endpoint;

namespace {

constexpr qint64 kMinute = 60'000;
const QString kFirstId = u"2.49.0.0.276.0.DWD.PVW.1765130400000.a1b2c3d4-0001"_s;
const QString kUpdateId = u"2.49.0.0.276.0.DWD.PVW.1765130400000.a1b2c3d4-0002"_s;

/** 20:00 UTC on 7 December 2026: the golden DWD warning runs 19:00..01:00 UTC. */
qint64 evening()
{
    return QDateTime(QDate(2026, 12, 7), QTime(20, 0), Qt::UTC).toMSecsSinceEpoch();
}

Location berlin()
{
    Location l;
    l.name = u"Berlin"_s;
    l.countryCode = u"DE"_s;
    l.latitude = 52.52437;
    l.longitude = 13.41053;
    return l;
}

} // namespace

class tst_AlertService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_clock = std::make_unique<ManualClock>(evening());
        m_dir = std::make_unique<QTemporaryDir>();
        // The server's ids need not be the CAP identifiers: they are not, here.
        m_server->alerts().add(u"dwd-1"_s, loadTestData(u"cap/dwd_thunderstorm.xml"_s));
    }

    void cleanup()
    {
        m_alerts.clear();
        m_services.clear();
        m_stores.clear();
        m_server.reset();
    }

    void liveAlertThroughTheCache()
    {
        AlertService *alerts = make();
        auto answer = awaitResult(alerts->alerts(berlin()));
        QVERIFY(answer.ok());
        QCOMPARE(answer.value->size(), 1);
        const WeatherAlert &a = answer.value->first();
        QCOMPARE(a.id, kFirstId);
        QCOMPARE(a.severity, WeatherAlert::Severity::Severe);
        QCOMPARE(a.event, u"SEVERE THUNDERSTORM with GUSTS OF HURRICANE FORCE"_s);
        QCOMPARE(answer.source, AnswerSource::Network);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Area), 1);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 1);
        // The box: the place's 0.01° cell and a margin, never the whole region.
        const RecordedRequest area = m_server->alerts().requests(AlertEndpoint::Area).first();
        QCOMPARE(area.queryValue(u"min_lat"_s), u"52.5140"_s);
        QCOMPARE(area.queryValue(u"max_lat"_s), u"52.5260"_s);
        QCOMPARE(area.queryValue(u"min_lon"_s), u"13.4040"_s);
        QCOMPARE(area.queryValue(u"max_lon"_s), u"13.4160"_s);
        QVERIFY(area.header("user-agent").startsWith("WeatherDash/"));
        const RecordedRequest message = m_server->alerts().requests(AlertEndpoint::Message).first();
        QCOMPARE(message.path, u"/alert/dwd-1"_s);
        QVERIFY(message.header("accept").contains("application/xml"));

        answer = awaitResult(alerts->alerts(berlin()));
        QCOMPARE(answer.value->size(), 1);
        QCOMPARE(answer.source, AnswerSource::Cache);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Area), 1);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 1);
    }

    void listIsShortLivedMessageLivesUntilItsExpiry()
    {
        AlertService *alerts = make();
        QCOMPARE(awaitResult(alerts->alerts(berlin())).value->size(), 1);
        m_clock->advance(AlertLifetime::kListMs + kMinute);
        QCOMPARE(awaitResult(alerts->alerts(berlin())).value->size(), 1);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Area), 2);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 1);
        // 4 h later: the list again, the message still not (it runs until 01:00 UTC).
        m_clock->advance(4 * 60 * kMinute);
        QCOMPARE(awaitResult(alerts->alerts(berlin())).value->size(), 1);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Area), 3);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 1);
        // Past its expiry the server may still list it for a while: none is live.
        m_clock->setNow(QDateTime(QDate(2026, 12, 8), QTime(1, 0, 1), Qt::UTC).toMSecsSinceEpoch());
        const auto answer = awaitResult(alerts->alerts(berlin()));
        QVERIFY(answer.ok());
        QVERIFY(answer.value->isEmpty());
        const QString key = WeatherKey::alertMessage(u"dwd-1"_s).toString();
        QCOMPARE(key, u"alerts/cap/dwd-1"_s);
    }

    void messageEntryTtlIsItsExpiry()
    {
        const CapMessage m
            = *CapParser::parseMessage(loadTestData(u"cap/dwd_thunderstorm.xml"_s)).value;
        QCOMPARE(AlertService::messageTtlMs(m, evening()), 5 * 60 * kMinute);
        QCOMPARE(AlertService::messageTtlMs(m, evening() + 5 * 60 * kMinute),
                 AlertLifetime::kMinMessageMs);
        CapMessage noExpiry = m;
        for (CapInfo &info : noExpiry.infos)
            info.expires = QDateTime();
        QCOMPARE(AlertService::messageTtlMs(noExpiry, evening()),
                 AlertLifetime::kNoExpiryMessageMs);
    }

    void secondRunReadsTheDisk()
    {
        {
            AlertService *first = make(true);
            QCOMPARE(awaitResult(first->alerts(berlin())).value->size(), 1);
            m_alerts.clear(); // the first run exits
            m_services.clear();
            m_stores.clear();
        }
        m_server->alerts().resetCounters();
        m_server->alerts().clear(); // were anything asked, the answer would differ
        AlertService *second = make(true);
        const auto answer = awaitResult(second->alerts(berlin()));
        QVERIFY(answer.ok());
        QCOMPARE(answer.value->size(), 1);
        QCOMPARE(answer.source, AnswerSource::Cache);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Area), 0);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 0);
        // Ten minutes on, the list is asked again; the message, from the disk, still is not.
        m_clock->advance(10 * kMinute);
        m_server->alerts().add(u"dwd-1"_s, loadTestData(u"cap/dwd_thunderstorm.xml"_s));
        m_server->alerts().resetCounters();
        AlertService *third = make(true);
        QCOMPARE(awaitResult(third->alerts(berlin())).value->size(), 1);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Area), 1);
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 0);
    }

    void noneIsAnEmptyList()
    {
        AlertService *alerts = make();
        Location hamburg;
        hamburg.latitude = 53.55;
        hamburg.longitude = 9.99;
        const auto answer = awaitResult(alerts->alerts(hamburg));
        QVERIFY(answer.ok());
        QVERIFY(answer.value->isEmpty());
        QVERIFY(!answer.error.isError());
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 0);
    }

    void boxOnlyPreselects()
    {
        // Listed for Potsdam's box (it is inside the bounds) but a circle far from the point.
        FakeAlertServer::Spec spec;
        spec.identifier = u"circle-1"_s;
        spec.south = 52.0, spec.north = 52.8, spec.west = 12.6, spec.east = 13.4;
        spec.circleKm = 5;
        spec.onset = QDateTime::fromMSecsSinceEpoch(evening(), Qt::UTC);
        spec.expires = spec.onset.addSecs(3600);
        m_server->alerts().clear();
        m_server->alerts().add(u"c1"_s, FakeAlertServer::message(spec));
        AlertService *alerts = make();
        Location edge;
        edge.latitude = 52.40; // the circle's centre
        edge.longitude = 13.00;
        QCOMPARE(awaitResult(alerts->alerts(edge)).value->size(), 1);
        Location corner;
        corner.latitude = 52.05; // inside the bounds, 40 km from the centre
        corner.longitude = 12.65;
        const auto answer = awaitResult(alerts->alerts(corner));
        QVERIFY(answer.ok());
        QVERIFY(answer.value->isEmpty());
        QCOMPARE(m_server->alerts().requestCount(AlertEndpoint::Message), 1); // fetched once
    }

    void updateShownInsteadOfTheOriginal()
    {
        m_server->alerts().add(u"dwd-2"_s, loadTestData(u"cap/dwd_thunderstorm_update.xml"_s));
        AlertService *alerts = make();
        alerts->setLanguage(u"de"_s);
        const auto answer = awaitResult(alerts->alerts(berlin()));
        QCOMPARE(answer.value->size(), 1);
        QCOMPARE(answer.value->first().id, kUpdateId);
        QCOMPARE(answer.value->first().event, u"EXTREMES GEWITTER"_s);
        m_server->alerts().add(u"dwd-3"_s, loadTestData(u"cap/dwd_thunderstorm_cancel.xml"_s));
        m_clock->advance(AlertLifetime::kListMs + 1);
        const auto after = awaitResult(alerts->alerts(berlin()));
        QVERIFY(after.ok());
        QVERIFY(after.value->isEmpty());
    }

    void serverFailures_data()
    {
        QTest::addColumn<int>("endpoint");
        QTest::addColumn<HttpReply>("reply");
        QTest::addColumn<int>("kind");
        const HttpReply page500 = HttpReply::withBody(500, "text/html", "<h1>Server Error</h1>");
        QTest::newRow("list: 500")
            << int(AlertEndpoint::Area) << page500 << int(WeatherError::ServerError);
        QTest::newRow("list: 429")
            << int(AlertEndpoint::Area) << HttpReply::withBody(429, "text/html", "slow down")
            << int(WeatherError::RateLimited);
        QTest::newRow("list: garbage")
            << int(AlertEndpoint::Area) << HttpReply::withBody(200, "text/html", "<html>")
            << int(WeatherError::BadResponse);
        QTest::newRow("list: cut")
            << int(AlertEndpoint::Area) << HttpReply::cutMidBody(R"(["dwd-1","dwd-2"])")
            << int(WeatherError::BadResponse);
        QTest::newRow("list: silence")
            << int(AlertEndpoint::Area) << HttpReply::silence() << int(WeatherError::Timeout);
        QTest::newRow("message: 500")
            << int(AlertEndpoint::Message) << page500 << int(WeatherError::ServerError);
        QTest::newRow("message: not CAP")
            << int(AlertEndpoint::Message)
            << HttpReply::withBody(200, "application/xml", "<html><body>maintenance</body></html>")
            << int(WeatherError::BadResponse);
        QTest::newRow("message: cut")
            << int(AlertEndpoint::Message)
            << HttpReply::cutMidBody(loadTestData(u"cap/dwd_thunderstorm.xml"_s))
            << int(WeatherError::BadResponse);
        QTest::newRow("message: silence")
            << int(AlertEndpoint::Message) << HttpReply::silence() << int(WeatherError::Timeout);
        QTest::newRow("message: 404")
            << int(AlertEndpoint::Message) << HttpReply::json(404, R"({"detail":"Not found."})")
            << int(WeatherError::BadResponse);
    }

    void serverFailures()
    {
        QFETCH(int, endpoint);
        QFETCH(HttpReply, reply);
        QFETCH(int, kind);
        m_server->alerts().setReply(AlertEndpoint(endpoint), reply);
        AlertService *alerts = make();
        alerts->provider()->setTimeoutMs(400);
        const auto answer = awaitResult(alerts->alerts(berlin()));
        // Unknown is never "none": no value at all.
        QVERIFY(!answer.ok());
        QCOMPARE(int(answer.error.kind()), kind);
        QVERIFY(!answer.error.message().isEmpty());
    }

    void oneMessageMissingKeepsTheOthers()
    {
        FakeAlertServer::Spec spec;
        spec.identifier = u"gale-1"_s;
        spec.onset = QDateTime::fromMSecsSinceEpoch(evening(), Qt::UTC);
        spec.expires = spec.onset.addSecs(3600);
        m_server->alerts().add(u"gale"_s, FakeAlertServer::message(spec));
        // "dwd-1" is listed but its message fails; "gale" is read.
        m_server->alerts().setReply(AlertEndpoint::Message,
                                    HttpReply::withBody(500, "text/html", "oops"), 1);
        AlertService *alerts = make();
        const auto answer = awaitResult(alerts->alerts(berlin()));
        QVERIFY(answer.ok());
        QCOMPARE(answer.value->size(), 1);
        QCOMPARE(answer.value->first().id, u"gale-1"_s);
        QCOMPARE(answer.error.kind(), WeatherError::ServerError);
    }

    void weatherNeverWaitsForTheAlerts()
    {
        m_server->alerts().setReply(AlertEndpoint::Area, HttpReply::silence());
        AlertService *alerts = make();
        auto pending = alerts->alerts(berlin());
        WeatherService *service = m_services.back().get();
        const auto weather = awaitResult(service->current(berlin()), 3000);
        QVERIFY(weather.ok());
        QVERIFY(!pending.isFinished());
        // And the alert server's own gate: its 5xx never holds a weather request back.
        QVERIFY(alerts->provider()->requestGate() != service->provider()->requestGate());
    }

    void codecRoundTrip()
    {
        const AlertIdList ids{{u"dwd-1"_s, u"urn:oid:2.49.0.1.840.0.x"_s}};
        auto back = PayloadCodec::decode(PayloadCodec::encode(WeatherPayload(ids)));
        QVERIFY(back);
        QCOMPARE(std::get<AlertIdList>(*back), ids);

        const CapMessage m
            = *CapParser::parseMessage(loadTestData(u"cap/meteoalarm_multi_area.xml"_s)).value;
        back = PayloadCodec::decode(PayloadCodec::encode(WeatherPayload(m)));
        QVERIFY(back);
        QCOMPARE(std::get<CapMessage>(*back), m);
        QVERIFY(PayloadCodec::fitsKey(u"alerts/cap/dwd-1"_s, *back));
        QVERIFY(!PayloadCodec::fitsKey(u"alerts/al/52.52,13.41"_s, *back));

        // Bytes someone else wrote: an id that is a path, a message that is not CAP.
        QVERIFY(!PayloadCodec::plausible(WeatherPayload(AlertIdList{{u"../x"_s}})));
        CapMessage forged = m;
        forged.source = "<html/>";
        QVERIFY(!PayloadCodec::decode(PayloadCodec::encode(WeatherPayload(forged))));
        CapMessage noSource = m;
        noSource.source.clear();
        QVERIFY(!PayloadCodec::plausible(WeatherPayload(noSource)));
        QByteArray cut = PayloadCodec::encode(WeatherPayload(m));
        cut.chop(10);
        QVERIFY(!PayloadCodec::decode(cut));
    }

    void keys()
    {
        const WeatherKey list = WeatherKey::alertList(52.52437, 13.41053);
        QCOMPARE(list.toString(), u"alerts/al/52.52,13.41"_s);
        QCOMPARE(WeatherKey::parse(list.toString()), list);
        QCOMPARE(WeatherKey::parse(u"alerts/cap/urn:oid:2.49.0.1"_s).alertId(),
                 u"urn:oid:2.49.0.1"_s);
        QVERIFY(!WeatherKey::parse(u"alerts/cap/../x"_s).isValid());
        QVERIFY(!WeatherKey::parse(u"alerts/cap/a/b"_s).isValid());
        QVERIFY(!WeatherKey::parse(u"alerts/al/52.5,13.41"_s).isValid());
        QVERIFY(!WeatherKey::alertMessage(u"a b"_s).isValid());
        QCOMPARE(PayloadCodec::maxTtlMs(u"alerts/al/52.52,13.41"_s, 0), 3600 * 1000);
    }

private:
    AlertService *make(bool withStore = false)
    {
        auto service = std::make_unique<WeatherService>(&m_network, m_clock.get());
        WeatherService::Config c;
        c.endpoints = m_server->endpoints();
        c.timeoutMs = 3000;
        service->setConfig(c);
        if (withStore) {
            auto disk = std::make_unique<SqliteTier>(m_dir->path(), m_clock.get());
            service->addTier(disk.get());
            service->warmUp();
            m_stores.push_back(std::move(disk));
        }
        auto alerts = std::make_unique<AlertService>(&m_network, service.get(), m_clock.get());
        alerts->provider()->setBaseUrl(m_server->baseUrl());
        m_services.push_back(std::move(service));
        m_alerts.push_back(std::move(alerts));
        return m_alerts.back().get();
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::unique_ptr<SqliteTier>> m_stores;
    std::vector<std::unique_ptr<WeatherService>> m_services;
    std::vector<std::unique_ptr<AlertService>> m_alerts;
};

QTEST_GUILESS_MAIN(tst_AlertService)
#include "tst_alertservice.moc"
