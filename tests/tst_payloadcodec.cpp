// SPDX-License-Identifier: MIT
#include "weather/payloadcodec.h"

#include "fuzz/samplepayloads.h"

#include <QDataStream>
#include <QFile>
#include <QIODevice>
#include <QTest>

#include "testdata.h"
#include <QTimeZone>

#include <limits>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(WeatherPayload)

class tst_PayloadCodec : public QObject
{
    Q_OBJECT

private:
    /** Version, index, then whatever `write` puts in a Qt_6_4 stream. */
    template<typename Write>
    static QByteArray blob(quint8 index, Write write)
    {
        QByteArray bytes;
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        out << PayloadCodec::kPayloadVersion << index;
        write(out);
        return bytes;
    }

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void sameBytesAsQtsOwnStreaming();
    void minimumElementSizesAreExact();
    void version1BlobsStillDecode();
    void version2CurrentConditionsStillDecode();
    void countsBeyondTheBytesLeftAreRefused_data();
    void countsBeyondTheBytesLeftAreRefused();
    void countThatJustFitsIsRead();
    void craftedBlobsAreRefused_data();
    void craftedBlobsAreRefused();
    void everyTruncationIsRefused_data();
    void everyTruncationIsRefused();
    void trailingBytesAreRefused();
    void implausibleValuesAreRefused_data();
    void implausibleValuesAreRefused();
    void payloadFitsOnlyTheKindItsKeyNames();
    void ttlLimitPerKind();
};

void tst_PayloadCodec::roundTrip_data()
{
    QTest::addColumn<WeatherPayload>("payload");
    for (const auto &[name, payload] : SamplePayloads::all())
        QTest::newRow(qPrintable(name)) << payload;
}

void tst_PayloadCodec::roundTrip()
{
    QFETCH(WeatherPayload, payload);
    const auto decoded = PayloadCodec::decode(PayloadCodec::encode(payload));
    QVERIFY(decoded);
    QCOMPARE(decoded->index(), payload.index());
    QVERIFY(*decoded == payload);
}

void tst_PayloadCodec::sameBytesAsQtsOwnStreaming()
{
    // The format did not change (rows written before this decoder still read): a list is
    // Qt's own QList streaming, strings Qt's own QString streaming.
    const QList<Location> places = std::get<QList<Location>>(SamplePayloads::all().at(0).second);
    const QByteArray expected = blob(0, [&](QDataStream &out) { out << places; });
    QCOMPARE(PayloadCodec::encode(places), expected);

    // And a string written by Qt reads back through the bounded reader, null and empty alike.
    Location l;
    l.name = u"Zürich \U0001F30D"_s;
    l.region = u""_s;
    QVERIFY(l.country.isNull());
    const auto decoded
        = PayloadCodec::decode(blob(0, [&](QDataStream &out) { out << QList<Location>{l}; }));
    QVERIFY(decoded);
    const Location back = std::get<QList<Location>>(*decoded).constFirst();
    QCOMPARE(back.name, l.name);
    QVERIFY(!back.region.isNull());
    QVERIFY(back.region.isEmpty());
    QVERIFY(back.country.isNull());
}

void tst_PayloadCodec::minimumElementSizesAreExact()
{
    // The bound refuses a count only if even the smallest elements could not fit; it must be
    // the real smallest size, or a genuine blob would be refused.
    const qint64 header = 2 + 4; // version, index, count
    QCOMPARE(PayloadCodec::encode(QList<Location>{Location()}).size(),
             header + PayloadCodec::kMinLocationBytes);
    QCOMPARE(PayloadCodec::encode(DailyForecastList{DailyForecast()}).size(),
             header + PayloadCodec::kMinDailyForecastBytes);
    QCOMPARE(PayloadCodec::encode(HourlyForecastList{HourlyForecast()}).size(),
             header + PayloadCodec::kMinHourlyForecastBytes);
}

void tst_PayloadCodec::version1BlobsStillDecode()
{
    // What the previous release wrote (current conditions layout 1, days layout 2), byte for
    // byte as its operators did: an upgrade still shows the last weather offline.
    QByteArray current;
    {
        QDataStream out(&current, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        out << quint8(1) << quint8(1) << quint8(1);
        for (double v : {21.4, 20.9, 58.0, 842.0, 14.8, 245.0})
            out << true << v;
        out << u"Moderate rain"_s << WeatherCondition::Rain << true
            << QDateTime(QDate(2026, 8, 22), QTime(12, 15), Qt::UTC) << quint8(Units::Imperial);
    }
    const auto decoded = PayloadCodec::decode(current);
    QVERIFY(decoded);
    const auto &c = std::get<CurrentConditions>(*decoded);
    QCOMPARE(c.temperature, 21.4);
    QCOMPARE(c.windSpeed, 14.8);
    QCOMPARE(c.description, u"Moderate rain"_s);
    QCOMPARE(c.units, UnitSet::asked(Units::Imperial));
    // Open-Meteo's was surface pressure then (842 hPa in Denver): not shown as sea level.
    QCOMPARE(c.pressure, std::nullopt);
    QCOMPARE(c.windGusts, std::nullopt);
    QCOMPARE(c.precipitation, std::nullopt);
    QVERIFY(!c.sunrise.isValid());

    QByteArray days;
    {
        QDataStream out(&days, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        out << quint8(1) << quint8(2) << quint32(2);
        for (int i = 0; i < 2; ++i) {
            out << quint8(2) << QDate(2026, 8, 22 + i) << true << 14.2 << true << 24.1
                << WeatherCondition::Fog << u"Fog"_s << quint8(Units::Metric) << true
                << qint32(7200);
        }
    }
    const auto decodedDays = PayloadCodec::decode(days);
    QVERIFY(decodedDays);
    const auto &list = std::get<DailyForecastList>(*decodedDays);
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(1).date, QDate(2026, 8, 23));
    QCOMPARE(list.at(1).maxTemp, 24.1);
    QCOMPARE(list.at(1).utcOffsetSeconds, 7200);
    QCOMPARE(list.at(1).precipitationSum, std::nullopt);
    QCOMPARE(list.at(1).uvIndexMax, std::nullopt);
    // A version-1 blob holds no hourly forecast: one that claims to is someone else's bytes.
    QByteArray hourly = PayloadCodec::encode(HourlyForecastList{});
    hourly[0] = 1;
    QVERIFY(!PayloadCodec::decode(hourly));

    // Hours in layout 1 (before the wind), as a version-2 blob held them: still read, wind
    // unknown. Two of them, so the count bound must be layout 1's smaller size.
    QByteArray oldHours;
    {
        QDataStream out(&oldHours, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        out << quint8(2) << quint8(3) << quint32(2);
        for (int i = 0; i < 2; ++i) {
            out << quint8(1) << QDateTime(QDate(2026, 8, 22), QTime(12 + i, 0), Qt::UTC)
                << quint8(1) << true << 17.0 << true << 60.0 << true << 1.2
                << WeatherCondition::Rain << u"Rain"_s << true << true << qint32(7200)
                << UnitSet::asked(Units::Metric);
        }
    }
    QCOMPARE(oldHours.size(), 2 + 4 + 2 * PayloadCodec::kMinHourlyForecastBytesV1 + 2 * 8);
    const auto decodedHours = PayloadCodec::decode(oldHours);
    QVERIFY(decodedHours);
    const auto &hoursList = std::get<HourlyForecastList>(*decodedHours);
    QCOMPARE(hoursList.size(), 2);
    QCOMPARE(hoursList.at(1).temperature, 17.0);
    QCOMPARE(hoursList.at(1).precipitation, 1.2);
    QCOMPARE(hoursList.at(1).windSpeed, std::nullopt);
}

void tst_PayloadCodec::version2CurrentConditionsStillDecode()
{
    // What the release before the dew point wrote (payload 2, current conditions layout 2),
    // byte for byte: still the weather, the three new details missing, never a crash.
    QByteArray bytes;
    {
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        out << quint8(2) << quint8(1) << quint8(2);
        for (double v : {21.4, 20.9, 58.0, 1008.3, 14.8, 245.0})
            out << true << v;
        out << u"Moderate rain"_s << WeatherCondition::Rain << true
            << QDateTime(QDate(2026, 8, 22), QTime(12, 15), Qt::UTC);
        out << true << 31.0 << true << 0.4;
        out << QDateTime(QDate(2026, 8, 22), QTime(4, 2), Qt::UTC)
            << QDateTime(QDate(2026, 8, 22), QTime(18, 11), Qt::UTC) << UnitSet::metric();
    }
    const auto decoded = PayloadCodec::decode(bytes);
    QVERIFY(decoded);
    const auto &c = std::get<CurrentConditions>(*decoded);
    QCOMPARE(c.temperature, 21.4);
    QCOMPARE(c.pressure, 1008.3);
    QCOMPARE(c.windGusts, 31.0);
    QCOMPARE(c.sunset, QDateTime(QDate(2026, 8, 22), QTime(18, 11), Qt::UTC));
    QCOMPARE(c.dewPoint, std::nullopt);
    QCOMPARE(c.visibility, std::nullopt);
    QCOMPARE(c.cloudCover, std::nullopt);

    // The new layout is what is written now, and its payload version is newer than 2, so an
    // older build sharing the Redis tier misses (and refetches) instead of misreading it.
    QVERIFY(PayloadCodec::kPayloadVersion > 2);
    QCOMPARE(quint8(PayloadCodec::encode(c).at(0)), PayloadCodec::kPayloadVersion);
    // A blob in the new layout cut before the three new optionals is refused, not half-read.
    CurrentConditions full = c;
    full.dewPoint = 12.8;
    full.visibility = 6200.0;
    full.cloudCover = 100.0;
    const QByteArray written = PayloadCodec::encode(full);
    QVERIFY(!PayloadCodec::decode(written.left(written.size() - 3 * (1 + 8))));
    const auto back = PayloadCodec::decode(written);
    QVERIFY(back);
    QCOMPARE(std::get<CurrentConditions>(*back), full);
}

void tst_PayloadCodec::countsBeyondTheBytesLeftAreRefused_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("places: count 16.8 M, 19 bytes follow") << u"payload_count_16m.bin"_s;
    QTest::newRow("days: count 16.8 M, one short day follows") << u"payload_daily_count_16m.bin"_s;
    QTest::newRow("string: 2 GiB length, 6 bytes follow") << u"payload_string_2g.bin"_s;
    // Found by fuzz_payload_decode: Qt's reader built a QDateTime with spec -10, which did not
    // encode back to the same bytes.
    QTest::newRow("date-time with spec -10") << u"payload_datetime_bad_spec.bin"_s;
}

void tst_PayloadCodec::countsBeyondTheBytesLeftAreRefused()
{
    // Before, QDataStream reserved count * sizeof(Location): 2.4 GB for 16.8 M. The fuzz
    // replay (fuzz_payload_decode_replay, malloc limit 64 MB) checks the allocation side.
    QFETCH(QString, file);
    QVERIFY(!PayloadCodec::decode(loadTestData(file)));
}

void tst_PayloadCodec::countThatJustFitsIsRead()
{
    constexpr int kCount = 1000;
    const QList<Location> places(kCount);
    const QByteArray bytes = PayloadCodec::encode(places);
    QCOMPARE(bytes.size(), 2 + 4 + kCount * PayloadCodec::kMinLocationBytes);
    const auto decoded = PayloadCodec::decode(bytes);
    QVERIFY(decoded);
    QCOMPARE(std::get<QList<Location>>(*decoded).size(), kCount);
    // One more than fits is refused.
    QByteArray oneMore = bytes;
    oneMore[5] = char(oneMore.at(5) + 1); // big-endian count, low byte: 1000 -> 1001
    QVERIFY(!PayloadCodec::decode(oneMore));
}

void tst_PayloadCodec::craftedBlobsAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("version only") << QByteArray("\x01", 1);
    QTest::newRow("another format version")
        << QByteArray(PayloadCodec::encode(QList<Location>{}))
               .replace(0, 1, QByteArray(1, char(PayloadCodec::kPayloadVersion + 1)));
    QTest::newRow("version 0") << QByteArray(PayloadCodec::encode(QList<Location>{}))
                                      .replace(0, 1, QByteArray(1, char(0)));
    QTest::newRow("unknown kind") << QByteArray("\x02\x06\x00\x00\x00\x00",
                                                6); // 4, 5: alerts (issue 22)
    QTest::newRow("hours: count 16.8 M") << blob(3, [](QDataStream &out) {
        out << quint32(0x01000000);
        out << HourlyForecast();
    });
    QTest::newRow("hour lasting 0 hours") << blob(3, [](QDataStream &out) {
        HourlyForecast h;
        h.periodHours = 0;
        out << HourlyForecastList{h};
    });
    QByteArray windUnit = blob(1, [](QDataStream &out) { out << CurrentConditions(); });
    // The four unit bytes come before the three optionals of layout 3 (a flag and a double each).
    windUnit[windUnit.size() - 3 * (1 + 8) - 3] = char(9);
    QTest::newRow("unknown wind unit") << windUnit;
    QTest::newRow("count 0xffffffff") << QByteArray("\x01\x00\xff\xff\xff\xff", 6);
    QTest::newRow("odd string length") << blob(0, [](QDataStream &out) {
        out << quint32(1) << quint8(1) << quint32(3);
        out.writeRawData("abc", 3);
    });
    QTest::newRow("unknown condition")
        << blob(1, [](QDataStream &out) {
               CurrentConditions c;
               out << c;
           }).replace(QByteArray(1, char(WeatherCondition::Unknown)), QByteArray(1, char(200)));
    QTest::newRow("date-time with an offset") << blob(1, [](QDataStream &out) {
        CurrentConditions c;
        c.observationTime = QDateTime(QDate(2026, 8, 22), QTime(12, 0), Qt::OffsetFromUTC, 3600);
        out << c;
    });
    QTest::newRow("date-time with a time zone") << blob(1, [](QDataStream &out) {
        CurrentConditions c;
        c.observationTime = QDateTime(QDate(2026, 8, 22), QTime(12, 0), QTimeZone("Europe/Berlin"));
        out << c;
    });
    QTest::newRow("UTC date-time in the year 200000") << blob(1, [](QDataStream &out) {
        CurrentConditions c;
        c.observationTime = QDateTime(QDate(200000, 1, 1), QTime(0, 0), Qt::UTC);
        out << c;
    });
    QTest::newRow("unknown element version") << blob(2, [](QDataStream &out) {
        out << quint32(1) << quint8(9);
        out.writeRawData(QByteArray(40, 0).constData(), 40);
    });
}

void tst_PayloadCodec::craftedBlobsAreRefused()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!PayloadCodec::decode(bytes));
}

void tst_PayloadCodec::everyTruncationIsRefused_data()
{
    QTest::addColumn<WeatherPayload>("payload");
    for (const auto &[name, payload] : SamplePayloads::all())
        QTest::newRow(qPrintable(name)) << payload;
}

void tst_PayloadCodec::everyTruncationIsRefused()
{
    QFETCH(WeatherPayload, payload);
    const QByteArray bytes = PayloadCodec::encode(payload);
    for (qsizetype n = 0; n < bytes.size(); ++n)
        QVERIFY2(!PayloadCodec::decode(bytes.left(n)), qPrintable(u"prefix of %1"_s.arg(n)));
}

void tst_PayloadCodec::trailingBytesAreRefused()
{
    const WeatherPayload payload = SamplePayloads::all().at(0).second;
    QVERIFY(PayloadCodec::decode(PayloadCodec::encode(payload)));
    QVERIFY(!PayloadCodec::decode(PayloadCodec::encode(payload) + '\0'));
}

void tst_PayloadCodec::implausibleValuesAreRefused_data()
{
    // Values a parser would never let through; from a tier they are no answer either.
    QTest::addColumn<WeatherPayload>("payload");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    auto current = [](auto change) {
        CurrentConditions c;
        c.temperature = 20.0;
        change(c);
        return WeatherPayload(c);
    };
    QTest::newRow("1e308 degrees") << current([](CurrentConditions &c) { c.temperature = 1e308; });
    QTest::newRow("NaN degrees") << current([nan](CurrentConditions &c) { c.temperature = nan; });
    QTest::newRow("infinite wind") << current([inf](CurrentConditions &c) { c.windSpeed = inf; });
    QTest::newRow("negative wind") << current([](CurrentConditions &c) { c.windSpeed = -1.0; });
    QTest::newRow("humidity 101 %") << current([](CurrentConditions &c) { c.humidity = 101.0; });
    QTest::newRow("pressure 1008 inHg") << current([](CurrentConditions &c) {
        c.units = UnitSet::imperial();
        c.pressure = 1008.0;
    });
    QTest::newRow("cloud cover 150 %")
        << current([](CurrentConditions &c) { c.cloudCover = 150.0; });
    QTest::newRow("negative visibility")
        << current([](CurrentConditions &c) { c.visibility = -5.0; });
    QTest::newRow("dew point 90 °C") << current([](CurrentConditions &c) { c.dewPoint = 90.0; });
    QTest::newRow("80 degrees Celsius")
        << current([](CurrentConditions &c) { c.feelsLike = 80.0; });
    QTest::newRow("observed in 2500") << current([](CurrentConditions &c) {
        c.observationTime = QDateTime(QDate(2500, 1, 1), QTime(0, 0), Qt::UTC);
    });
    QTest::newRow("a description of 10,000 characters")
        << current([](CurrentConditions &c) { c.description = QString(10'000, u'x'); });
    DailyForecast day;
    day.date = QDate(2026, 8, 22);
    day.uvIndexMax = 99.0;
    QTest::newRow("UV index 99") << WeatherPayload(DailyForecastList{day});
    DailyForecast plain;
    plain.date = QDate(2026, 8, 22);
    QTest::newRow("100 days") << WeatherPayload(DailyForecastList(100, plain));
    HourlyForecast hour;
    hour.time = QDateTime(QDate(2026, 8, 22), QTime(12, 0), Qt::UTC);
    hour.precipitationProbability = 250.0;
    QTest::newRow("chance 250 %") << WeatherPayload(HourlyForecastList{hour});
    HourlyForecast gale;
    gale.time = hour.time;
    gale.windSpeed = 1000.0; // km/h
    QTest::newRow("hourly wind 1000 km/h") << WeatherPayload(HourlyForecastList{gale});
    HourlyForecast farZone;
    farZone.time = hour.time;
    farZone.utcOffsetSeconds = std::numeric_limits<int>::min(); // its negation overflows
    QTest::newRow("UTC offset INT_MIN") << WeatherPayload(HourlyForecastList{farZone});
    farZone.utcOffsetSeconds = 19 * 3600; // the parsers allow 18 h either way
    QTest::newRow("UTC offset +19 h") << WeatherPayload(HourlyForecastList{farZone});
    Location nowhere;
    nowhere.name = QStringLiteral("Nowhere");
    nowhere.latitude = 91.0;
    QTest::newRow("latitude 91") << WeatherPayload(QList<Location>{nowhere});
}

void tst_PayloadCodec::implausibleValuesAreRefused()
{
    QFETCH(WeatherPayload, payload);
    QVERIFY(!PayloadCodec::plausible(payload));
    QVERIFY(!PayloadCodec::decode(PayloadCodec::encode(payload)));
}

void tst_PayloadCodec::payloadFitsOnlyTheKindItsKeyNames()
{
    const QString current = QStringLiteral("open-meteo/cur/52.52,13.41/metric/en");
    const QString forecast = QStringLiteral("open-meteo/fc/52.52,13.41/metric/en");
    const QString hourly = QStringLiteral("open-meteo/hr/52.52,13.41/metric/en");
    const QString search = QStringLiteral("open-meteo/gc/en/berlin");
    const WeatherPayload kinds[]
        = {QList<Location>{}, CurrentConditions{}, DailyForecastList{}, HourlyForecastList{}};
    const QString keys[] = {search, current, forecast, hourly};
    for (int k = 0; k < 4; ++k) {
        for (int p = 0; p < 4; ++p)
            QCOMPARE(PayloadCodec::fitsKey(keys[k], kinds[p]), k == p);
        QVERIFY(!PayloadCodec::fitsKey(QStringLiteral("label/52.52,13.41"), kinds[k]));
    }
}

void tst_PayloadCodec::ttlLimitPerKind()
{
    constexpr qint64 kDay = 24LL * 3600 * 1000;
    const QString current = QStringLiteral("open-meteo/cur/52.52,13.41/metric/en");
    const QString forecast = QStringLiteral("open-meteo/fc/52.52,13.41/metric/en");
    QCOMPARE(PayloadCodec::maxTtlMs(current, 600'000), kDay);
    QCOMPARE(PayloadCodec::maxTtlMs(forecast, 600'000), 7 * kDay);
    // What the person configured is never a fault.
    QCOMPARE(PayloadCodec::maxTtlMs(current, 30 * kDay), 30 * kDay);
}

QTEST_GUILESS_MAIN(tst_PayloadCodec)
#include "tst_payloadcodec.moc"
