// SPDX-License-Identifier: MIT
#include "weather/openmeteoparser.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_OpenMeteoParser : public QObject
{
    Q_OBJECT

private:
    static QByteArray load(const QString &name)
    {
        const QString path = QFINDTESTDATA(u"data/"_s + name);
        QFile file(path);
        if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
            qFatal("missing test data %s", qPrintable(name));
        return file.readAll();
    }

private Q_SLOTS:
    void geocoding_data();
    void geocoding();
    void geocodingBadBodies_data();
    void geocodingBadBodies();
    void current();
    void currentNullAndMissing_data();
    void currentNullAndMissing();
    void currentKeepsRequestedUnits();
    void currentBadBodies_data();
    void currentBadBodies();
    void daily();
    void dailyGapsAndNulls();
    void dailyBadBodies_data();
    void dailyBadBodies();
    void errorBodies_data();
    void errorBodies();
};

void tst_OpenMeteoParser::geocoding_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("displayName");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("timezone");
    QTest::addColumn<double>("latitude");
    QTest::addColumn<double>("longitude");

    QTest::newRow("Berlin: two results, best first")
        << u"om_geocoding_berlin.json"_s << 2 << u"Berlin, Berlin, DE"_s << u"Germany"_s
        << u"Europe/Berlin"_s << 52.52437 << 13.41053;
    QTest::newRow("missing admin1, population and country name; lower-case code")
        << u"om_geocoding_sparse.json"_s << 2 << u"Tiny Place, GB"_s << u"United Kingdom"_s
        << u"Europe/London"_s << 10.5 << -20.25;
    QTest::newRow("no results key is an empty list")
        << u"om_geocoding_no_results.json"_s << 0 << QString() << QString() << QString() << 0.0
        << 0.0;
    QTest::newRow("entries without name/coordinates or of wrong type are skipped")
        << u"om_geocoding_bad_entries.json"_s << 1 << u"Good, Île-de-France, FR"_s << u"France"_s
        << u"Europe/Paris"_s << 48.85341 << 2.3488;
}

void tst_OpenMeteoParser::geocoding()
{
    QFETCH(QString, file);
    QFETCH(int, count);
    const auto result = OpenMeteoParser::parseGeocoding(load(file));
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->size(), count);
    if (count == 0)
        return;
    const Location &first = result.value->constFirst();
    QTEST(first.displayName(), "displayName");
    QTEST(first.country, "country");
    QTEST(first.timezone, "timezone");
    QTEST(first.latitude, "latitude");
    QTEST(first.longitude, "longitude");
}

void tst_OpenMeteoParser::geocodingBadBodies_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("messageContains");

    QTest::newRow("error body with reason, even on HTTP 200")
        << u"om_error_400_count.json"_s << int(WeatherError::InvalidInput)
        << u"Parameter count must be between 1 and 100."_s;
    QTest::newRow("results is a string") << u"om_geocoding_results_not_array.json"_s
                                         << int(WeatherError::BadResponse) << u"could not read"_s;
    QTest::newRow("HTML error page")
        << u"garbage.html"_s << int(WeatherError::BadResponse) << u"Open-Meteo"_s;
    QTest::newRow("truncated JSON")
        << u"truncated.json"_s << int(WeatherError::BadResponse) << u"could not read"_s;
    QTest::newRow("empty body") << u"empty.txt"_s << int(WeatherError::BadResponse)
                                << u"could not read"_s;
    QTest::newRow("top-level array")
        << u"json_array.json"_s << int(WeatherError::BadResponse) << u"could not read"_s;
}

void tst_OpenMeteoParser::geocodingBadBodies()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    QFETCH(QString, messageContains);
    const auto result = OpenMeteoParser::parseGeocoding(load(file));
    QVERIFY(!result.ok());
    QVERIFY(!result.value);
    QCOMPARE(int(result.error.kind()), kind);
    QVERIFY2(result.error.message().contains(messageContains), qPrintable(result.error.message()));
}

void tst_OpenMeteoParser::current()
{
    const auto result
        = OpenMeteoParser::parseCurrent(load(u"om_forecast_current.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.temperature, 21.4);
    QCOMPARE(c.feelsLike, 20.9);
    QCOMPARE(c.humidity, 58.0);
    QCOMPARE(c.pressure, 1008.3);
    QCOMPARE(c.windSpeed, 14.8);
    QCOMPARE(c.windDirection, 245.0);
    QCOMPARE(c.condition, WeatherCondition::Rain);
    QCOMPARE(c.description, u"Moderate rain"_s);
    QVERIFY(c.isDay);
    QCOMPARE(c.iconName(), u"weather-showers"_s);
    // "14:15" is Berlin wall time at UTC+2.
    QCOMPARE(c.observationTime, QDateTime(QDate(2026, 8, 22), QTime(12, 15), Qt::UTC));
    QCOMPARE(c.units, Units::Metric);
}

void tst_OpenMeteoParser::currentNullAndMissing_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("hasTemperature");
    QTest::addColumn<int>("condition");
    QTest::addColumn<bool>("isDay");
    QTest::addColumn<QDateTime>("observed");

    QTest::newRow("every value null (Tokyo, night)")
        << u"om_forecast_current_nulls.json"_s << false << int(WeatherCondition::Unknown) << false
        << QDateTime(QDate(2026, 8, 22), QTime(14, 0), Qt::UTC);
    QTest::newRow("values left out (São Paulo, UTC-3)")
        << u"om_forecast_current_missing.json"_s << true << int(WeatherCondition::PartlyCloudy)
        << true << QDateTime(QDate(2026, 8, 22), QTime(12, 45), Qt::UTC);
    QTest::newRow("values of the wrong type read as missing")
        << u"om_forecast_current_wrong_types.json"_s << false << int(WeatherCondition::Unknown)
        << true << QDateTime();
}

void tst_OpenMeteoParser::currentNullAndMissing()
{
    QFETCH(QString, file);
    QFETCH(bool, hasTemperature);
    QFETCH(int, condition);
    QFETCH(bool, isDay);
    QFETCH(QDateTime, observed);
    const auto result = OpenMeteoParser::parseCurrent(load(file), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.temperature.has_value(), hasTemperature);
    // Never a made-up zero for what the provider did not send.
    QVERIFY(!c.feelsLike);
    QVERIFY(!c.humidity);
    QVERIFY(!c.windSpeed);
    QVERIFY(!c.windDirection);
    QVERIFY(!c.pressure);
    QCOMPARE(int(c.condition), condition);
    QCOMPARE(c.isDay, isDay);
    QCOMPARE(c.observationTime, observed);
}

void tst_OpenMeteoParser::currentKeepsRequestedUnits()
{
    const auto result
        = OpenMeteoParser::parseCurrent(load(u"om_forecast_current.json"_s), Units::Imperial);
    QVERIFY(result.ok());
    QCOMPARE(result.value->units, Units::Imperial);
    // Open-Meteo converts server-side; the parser must not convert again.
    QCOMPARE(result.value->temperature, 21.4);
}

void tst_OpenMeteoParser::currentBadBodies_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::newRow("current is an array")
        << u"om_forecast_current_not_object.json"_s << int(WeatherError::BadResponse);
    QTest::newRow("no current block")
        << u"om_forecast_no_blocks.json"_s << int(WeatherError::BadResponse);
    QTest::newRow("latitude error body")
        << u"om_error_400_latitude.json"_s << int(WeatherError::InvalidInput);
    QTest::newRow("HTML") << u"garbage.html"_s << int(WeatherError::BadResponse);
    QTest::newRow("truncated JSON") << u"truncated.json"_s << int(WeatherError::BadResponse);
    QTest::newRow("empty body") << u"empty.txt"_s << int(WeatherError::BadResponse);
    QTest::newRow("geocoding body instead")
        << u"om_geocoding_berlin.json"_s << int(WeatherError::BadResponse);
}

void tst_OpenMeteoParser::currentBadBodies()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const auto result = OpenMeteoParser::parseCurrent(load(file), Units::Metric);
    QVERIFY(!result.ok());
    QCOMPARE(int(result.error.kind()), kind);
    QCOMPARE(result.error.provider(), u"Open-Meteo"_s);
}

void tst_OpenMeteoParser::daily()
{
    const auto result
        = OpenMeteoParser::parseDaily(load(u"om_forecast_daily.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3);
    QCOMPARE(days.at(0).date, QDate(2026, 8, 22));
    QCOMPARE(days.at(0).minTemp, 14.2);
    QCOMPARE(days.at(0).maxTemp, 24.1);
    QCOMPARE(days.at(0).condition, WeatherCondition::Overcast);
    QCOMPARE(days.at(1).condition, WeatherCondition::Rain);
    QCOMPARE(days.at(1).description, u"Slight rain"_s);
    QCOMPARE(days.at(2).date, QDate(2026, 8, 24));
    QCOMPARE(days.at(2).condition, WeatherCondition::Thunderstorm);
    QCOMPARE(days.at(2).maxTemp, 27.0);
}

void tst_OpenMeteoParser::dailyGapsAndNulls()
{
    const auto result
        = OpenMeteoParser::parseDaily(load(u"om_forecast_daily_gaps.json"_s), Units::Imperial);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3); // the unparseable date is dropped, not the rest
    QCOMPARE(days.at(0).date, QDate(2026, 8, 22));
    QCOMPARE(days.at(0).condition, WeatherCondition::Unknown);
    QVERIFY(!days.at(0).minTemp);
    QCOMPARE(days.at(0).maxTemp, 10.5);
    QCOMPARE(days.at(1).date, QDate(2026, 8, 24));
    QCOMPARE(days.at(1).condition, WeatherCondition::Snow);
    QCOMPARE(days.at(1).minTemp, -8.5);
    // Shorter columns than `time`: the last day has no code and no minimum.
    QCOMPARE(days.at(2).date, QDate(2026, 8, 25));
    QCOMPARE(days.at(2).condition, WeatherCondition::Unknown);
    QVERIFY(!days.at(2).minTemp);
    QCOMPARE(days.at(2).maxTemp, 4.0);
    QCOMPARE(days.at(2).units, Units::Imperial);
}

void tst_OpenMeteoParser::dailyBadBodies_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("daily without time") << u"om_forecast_daily_no_time.json"_s;
    QTest::newRow("no daily block") << u"om_forecast_current.json"_s;
    QTest::newRow("HTML") << u"garbage.html"_s;
    QTest::newRow("truncated") << u"truncated.json"_s;
    QTest::newRow("array") << u"json_array.json"_s;
}

void tst_OpenMeteoParser::dailyBadBodies()
{
    QFETCH(QString, file);
    const auto result = OpenMeteoParser::parseDaily(load(file), Units::Metric);
    QVERIFY(!result.ok());
    QCOMPARE(result.error.kind(), WeatherError::BadResponse);
}

void tst_OpenMeteoParser::errorBodies_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("messageContains");

    QTest::newRow("400 count") << 400 << u"om_error_400_count.json"_s
                               << int(WeatherError::InvalidInput)
                               << u"Parameter count must be between 1 and 100."_s;
    QTest::newRow("400 latitude") << 400 << u"om_error_400_latitude.json"_s
                                  << int(WeatherError::InvalidInput) << u"Given: 91.0."_s;
    QTest::newRow("400 without JSON") << 400 << u"garbage.html"_s << int(WeatherError::InvalidInput)
                                      << u"did not accept the request."_s;
    QTest::newRow("429 minutely limit")
        << 429 << u"om_error_429.json"_s << int(WeatherError::RateLimited) << u"slow down"_s;
    QTest::newRow("503 overloaded")
        << 503 << u"om_error_503.json"_s << int(WeatherError::ServerError) << u"server error 503"_s;
    QTest::newRow("500 HTML") << 500 << u"garbage.html"_s << int(WeatherError::ServerError)
                              << u"server error 500"_s;
    QTest::newRow("404 unexpected")
        << 404 << u"empty.txt"_s << int(WeatherError::BadResponse) << u"could not read"_s;
}

void tst_OpenMeteoParser::errorBodies()
{
    QFETCH(int, status);
    QFETCH(QString, file);
    QFETCH(int, kind);
    QFETCH(QString, messageContains);
    const WeatherError error = OpenMeteoParser::parseError(status, load(file));
    QCOMPARE(int(error.kind()), kind);
    QCOMPARE(error.httpStatus(), status);
    QVERIFY2(error.message().contains(messageContains), qPrintable(error.message()));
}

QTEST_GUILESS_MAIN(tst_OpenMeteoParser)
#include "tst_openmeteoparser.moc"
