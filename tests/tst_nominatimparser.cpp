// SPDX-License-Identifier: MIT
#include "weather/nominatimparser.h"

#include <QTest>

#include "testdata.h"

using namespace Qt::StringLiterals;

class tst_NominatimParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reverse_data();
    void reverse();
    void failures_data();
    void failures();
    void keepsTheAskedCoordinates();
    void cutsLongNames();
    void errorForStatus_data();
    void errorForStatus();
};

void tst_NominatimParser::reverse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("countryCode");

    // The city, not the suburb the display name starts with; a region equal to it is dropped.
    QTest::newRow("city: Berlin") << loadTestData(u"nominatim_reverse_berlin.json"_s) << u"Berlin"_s
                                  << QString() << u"Deutschland"_s << u"DE"_s;
    QTest::newRow("town: Kufstein") << loadTestData(u"nominatim_reverse_town.json"_s)
                                    << u"Kufstein"_s << u"Tirol"_s << u"Österreich"_s << u"AT"_s;
    QTest::newRow("county only") << loadTestData(u"nominatim_reverse_county_only.json"_s)
                                 << u"Bláskógabyggð"_s << u"Suðurland"_s << u"Ísland"_s << u"IS"_s;
    QTest::newRow("village beats county")
        << R"({"address":{"village":"Hintertux","county":"Schwaz","country_code":"at"}})"_ba
        << u"Hintertux"_s << QString() << u"Austria"_s << u"AT"_s;
    QTest::newRow("name only, no address") << R"({"name":"Nordsee","address":{}})"_ba
                                           << u"Nordsee"_s << QString() << QString() << QString();
    QTest::newRow("the sea: Unable to geocode") << loadTestData(u"nominatim_reverse_unable.json"_s)
                                                << QString() << QString() << QString() << QString();
    QTest::newRow("a bad country code is dropped")
        << R"({"address":{"city":"X","country_code":"xyz"}})"_ba << u"X"_s << QString() << QString()
        << QString();
}

void tst_NominatimParser::reverse()
{
    QFETCH(QByteArray, body);
    const WeatherResult<Location> result = NominatimParser::parseReverse(body, 52.5163, 13.3777);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QTEST(result.value->name, "name");
    QTEST(result.value->region, "region");
    QTEST(result.value->country, "country");
    QTEST(result.value->countryCode, "countryCode");
}

void tst_NominatimParser::failures_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("detail");

    QTest::newRow("empty") << QByteArray() << int(WeatherError::BadResponse) << QString();
    QTest::newRow("html") << loadTestData(u"garbage.html"_s) << int(WeatherError::BadResponse)
                          << QString();
    QTest::newRow("array") << loadTestData(u"json_array.json"_s) << int(WeatherError::BadResponse)
                           << QString();
    QTest::newRow("address not an object")
        << loadTestData(u"nominatim_reverse_address_not_object.json"_s)
        << int(WeatherError::BadResponse) << QString();
    QTest::newRow("no name, no address")
        << R"({"place_id":1})"_ba << int(WeatherError::BadResponse) << QString();
    QTest::newRow("error object (4.x)")
        << loadTestData(u"nominatim_error_400.json"_s) << int(WeatherError::InvalidInput)
        << u"Parameter 'lat' must be a number."_s;
    QTest::newRow("other error text") << R"({"error":"Something else"})"_ba
                                      << int(WeatherError::InvalidInput) << u"Something else"_s;
    QTest::newRow("error without text")
        << R"({"error":42})"_ba << int(WeatherError::BadResponse) << QString();
}

void tst_NominatimParser::failures()
{
    QFETCH(QByteArray, body);
    const WeatherResult<Location> result = NominatimParser::parseReverse(body, 52.5, 13.4);
    QVERIFY(!result.ok());
    QTEST(int(result.error.kind()), "kind");
    QTEST(result.error.detail(), "detail");
    QCOMPARE(result.error.provider(), u"OpenStreetMap Nominatim"_s);
}

void tst_NominatimParser::keepsTheAskedCoordinates()
{
    // The OSM object's centre (52.517, 13.389) is not where the person is.
    const auto result = NominatimParser::parseReverse(
        loadTestData(u"nominatim_reverse_berlin.json"_s), 52.4, 13.2);
    QVERIFY(result.ok());
    QCOMPARE(result.value->latitude, 52.4);
    QCOMPARE(result.value->longitude, 13.2);
    const auto sea = NominatimParser::parseReverse(loadTestData(u"nominatim_reverse_unable.json"_s),
                                                   54.2, 7.9);
    QVERIFY(sea.ok());
    QCOMPARE(sea.value->latitude, 54.2);
    // And a point off the Earth is refused, whatever the body.
    QCOMPARE(NominatimParser::parseReverse(loadTestData(u"nominatim_reverse_berlin.json"_s), 91, 0)
                 .error.kind(),
             WeatherError::InvalidInput);
}

void tst_NominatimParser::cutsLongNames()
{
    const QString longName(100'000, u'a');
    const QByteArray body = R"({"address":{"city":")" + longName.toUtf8() + R"("}})";
    const auto result = NominatimParser::parseReverse(body, 1, 1);
    QVERIFY(result.ok());
    QCOMPARE(result.value->name.size(), 200);
}

void tst_NominatimParser::errorForStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");

    QTest::newRow("400") << 400 << loadTestData(u"nominatim_error_400.json"_s)
                         << int(WeatherError::InvalidInput);
    QTest::newRow("403 blocked agent")
        << 403 << "<html>blocked</html>"_ba << int(WeatherError::InvalidInput);
    QTest::newRow("429") << 429 << QByteArray() << int(WeatherError::RateLimited);
    QTest::newRow("502 html") << 502 << "<html>502</html>"_ba << int(WeatherError::ServerError);
}

void tst_NominatimParser::errorForStatus()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const WeatherError error = NominatimParser::errorForStatus(status, body);
    QTEST(int(error.kind()), "kind");
    QVERIFY(!error.message().isEmpty());
    if (status == 400)
        QVERIFY(error.message().contains(u"Parameter 'lat' must be a number."_s));
    if (status == 403)
        QVERIFY(error.message().contains(u"usage policy"_s));
}

QTEST_GUILESS_MAIN(tst_NominatimParser)
#include "tst_nominatimparser.moc"
