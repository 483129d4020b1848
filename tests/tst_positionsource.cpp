// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "nmealog.h"
#include "position/herelocator.h"
#include "position/positionsource.h"
#include "weather/reversegeocoder.h"
#include "weather/weatherservice.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

/** PositionSource and HereLocator, over NMEA logs the test writes and the fake /reverse. */
class tst_PositionSource : public QObject
{
    Q_OBJECT

private:
    QString writeLog(const QByteArray &log)
    {
        const QString path = m_dir->filePath(u"log%1.nmea"_s.arg(++m_logs));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(log) != log.size())
            qFatal("cannot write the NMEA log");
        return path;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    int m_logs = 0;

private Q_SLOTS:
    void init();
    void cleanup();

    void asksNothingUntilStarted();
    void readsAPositionFromTheLog();
    void anUnreadableLogIsUnavailableAndSaysSo();
    void aLogWithoutAFixTimesOut();
    void everyStatusHasASentence();
    void hereIsNamedOncePerCell();
    void hereInTheSeaIsNamedByItsCoordinates();
    void hereWithoutANameAsksAgainInTheSameCell();
    void locateOnceFailsWithTheSourcesSentence();
};

void tst_PositionSource::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_PositionSource::cleanup()
{
    qunsetenv("WEATHERDASH_NMEA_FILE");
    m_dir.reset();
}

void tst_PositionSource::asksNothingUntilStarted()
{
    // No backend is made (GeoClue is not even asked) before start() or requestUpdate().
    PositionSource source;
    QCOMPARE(source.status(), PositionSource::Status::Off);
    QVERIFY(source.backendName().isEmpty());
    QVERIFY(source.findChildren<QObject *>().size() <= 1); // the deadline timer only
    QVERIFY(!source.statusText().isEmpty());
}

void tst_PositionSource::readsAPositionFromTheLog()
{
    qputenv("WEATHERDASH_NMEA_FILE", writeLog(NmeaLog::rmc({{52.5200, 13.4120}})).toLocal8Bit());
    PositionSource source;
    QSignalSpy updated(&source, &PositionSource::positionUpdated);
    source.requestUpdate(5'000);
    QCOMPARE(source.backendName(), u"nmea"_s);
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 5'000);
    const auto c = updated.first().first().value<QGeoCoordinate>();
    QVERIFY(qAbs(c.latitude() - 52.52) < 1e-4);
    QVERIFY(qAbs(c.longitude() - 13.412) < 1e-4);
    QCOMPARE(source.status(), PositionSource::Status::Active);
    QVERIFY(source.statusText().isEmpty());
}

void tst_PositionSource::anUnreadableLogIsUnavailableAndSaysSo()
{
    qputenv("WEATHERDASH_NMEA_FILE", m_dir->filePath(u"missing.nmea"_s).toLocal8Bit());
    PositionSource source;
    source.requestUpdate(5'000);
    QCOMPARE(source.status(), PositionSource::Status::Unavailable);
    QVERIFY(source.statusText().contains(u"WEATHERDASH_NMEA_FILE"_s));
}

void tst_PositionSource::aLogWithoutAFixTimesOut()
{
    // A receiver without a fix writes "V" (void) sentences: no position, then the deadline.
    const QByteArray noFix = NmeaLog::sentence("GPRMC,120000.00,V,,,,,,,071226,,,N");
    qputenv("WEATHERDASH_NMEA_FILE", writeLog(noFix + noFix).toLocal8Bit());
    PositionSource source;
    QSignalSpy status(&source, &PositionSource::statusChanged);
    source.requestUpdate(300);
    QTRY_VERIFY_WITH_TIMEOUT(source.isFailed(), 5'000);
    QCOMPARE(source.status(), PositionSource::Status::TimedOut);
    QVERIFY(source.statusText().contains(u"No position"_s));
}

void tst_PositionSource::everyStatusHasASentence()
{
    using S = PositionSource::Status;
    QSet<QString> seen;
    for (const S s : {S::Off, S::Denied, S::Stopped, S::Unavailable, S::TimedOut}) {
        const QString sentence = PositionSource::sentence(s);
        QVERIFY(!sentence.isEmpty());
        QVERIFY2(!seen.contains(sentence), qPrintable(sentence));
        seen.insert(sentence);
    }
    QVERIFY(PositionSource::sentence(S::Active).isEmpty());
}

void tst_PositionSource::hereIsNamedOncePerCell()
{
    // Three fixes in one cell, then one ~4 km north: two reverse lookups, two places.
    qputenv("WEATHERDASH_NMEA_FILE", writeLog(NmeaLog::rmc({{52.5200, 13.4120},
                                                            {52.5204, 13.4122},
                                                            {52.5201, 13.4119},
                                                            {52.5560, 13.4120}}))
                                         .toLocal8Bit());
    FakeWeatherServer server;
    QNetworkAccessManager network;
    ManualClock clock;
    WeatherService service(&network, &clock);
    ReverseGeocoder geocoder(&network, service.layers(), &clock, server.baseUrl());
    PositionSource source;
    HereLocator here(&source, &geocoder);
    QSignalSpy changed(&here, &HereLocator::placeChanged);
    // The second cell's request waits for the gate's second: move the clock along.
    connect(&geocoder, &ReverseGeocoder::requestSent, this, [&clock] { clock.advance(1'000); });

    here.start();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10'000);
    const auto first = changed.at(0).first().value<Location>();
    const auto second = changed.at(1).first().value<Location>();
    QCOMPARE(first.name, u"Berlin"_s);
    QVERIFY(qAbs(first.latitude - 52.52) < 1e-4);
    QVERIFY(qAbs(second.latitude - 52.556) < 1e-4);
    QCOMPARE(server.requestCount(Endpoint::NominatimReverse), 2);
    QCOMPARE(here.place()->name, u"Berlin"_s);
    here.stop();
    QCOMPARE(source.status(), PositionSource::Status::Off);
}

void tst_PositionSource::hereInTheSeaIsNamedByItsCoordinates()
{
    qputenv("WEATHERDASH_NMEA_FILE", writeLog(NmeaLog::rmc({{54.2, 7.9}})).toLocal8Bit());
    FakeWeatherServer server;
    QNetworkAccessManager network;
    ManualClock clock;
    WeatherService service(&network, &clock);
    ReverseGeocoder geocoder(&network, service.layers(), &clock, server.baseUrl());
    PositionSource source;
    HereLocator here(&source, &geocoder);
    const auto answer = awaitResult(here.locateOnce(5'000));
    QVERIFY(answer.ok());
    QCOMPARE(answer.value->name, u"54.20° N, 7.90° E"_s);
    QCOMPARE(HereLocator::coordinatesName(-33.87, -151.21), u"33.87° S, 151.21° W"_s);
}

void tst_PositionSource::hereWithoutANameAsksAgainInTheSameCell()
{
    qputenv("WEATHERDASH_NMEA_FILE",
            writeLog(NmeaLog::rmc({{52.5200, 13.4120}, {52.5201, 13.4121}})).toLocal8Bit());
    FakeWeatherServer server;
    server.failWith(Endpoint::NominatimReverse, 503, 0, 1); // down for the first request
    QNetworkAccessManager network;
    ManualClock clock;
    WeatherService service(&network, &clock);
    ReverseGeocoder geocoder(&network, service.layers(), &clock, server.baseUrl());
    connect(&geocoder, &ReverseGeocoder::requestSent, this, [&clock] { clock.advance(1'000); });
    PositionSource source;
    HereLocator here(&source, &geocoder);
    QSignalSpy changed(&here, &HereLocator::placeChanged);
    here.start();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10'000);
    // First by its coordinates (the weather still comes), then by its name.
    QCOMPARE(changed.at(0).first().value<Location>().name, u"52.52° N, 13.41° E"_s);
    QCOMPARE(changed.at(1).first().value<Location>().name, u"Berlin"_s);
    QCOMPARE(server.requestCount(Endpoint::NominatimReverse), 2);
}

void tst_PositionSource::locateOnceFailsWithTheSourcesSentence()
{
    qputenv("WEATHERDASH_NMEA_FILE", m_dir->filePath(u"missing.nmea"_s).toLocal8Bit());
    FakeWeatherServer server;
    QNetworkAccessManager network;
    ManualClock clock;
    WeatherService service(&network, &clock);
    ReverseGeocoder geocoder(&network, service.layers(), &clock, server.baseUrl());
    PositionSource source;
    HereLocator here(&source, &geocoder);
    const auto answer = awaitResult(here.locateOnce(5'000));
    QVERIFY(!answer.ok());
    QVERIFY(answer.error.message().contains(u"WEATHERDASH_NMEA_FILE"_s));
    QCOMPARE(server.requestCount(Endpoint::NominatimReverse), 0);
}

QTEST_GUILESS_MAIN(tst_PositionSource)
#include "tst_positionsource.moc"
