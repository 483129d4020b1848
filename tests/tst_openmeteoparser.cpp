// SPDX-License-Identifier: MIT
#include "weather/openmeteoparser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTest>

#include "testdata.h"

using namespace Qt::StringLiterals;

namespace {
/** What WeatherService asks the geocoder for. */
constexpr int kRequested = 10;
} // namespace

class tst_OpenMeteoParser : public QObject
{
    Q_OBJECT

private:
    static QByteArray geocodingBody(const QJsonArray &results)
    {
        return QJsonDocument(QJsonObject{{u"results"_s, results}}).toJson(QJsonDocument::Compact);
    }

    static QJsonObject place(const QString &name, double latitude = 52.5, double longitude = 13.4)
    {
        return QJsonObject{{u"name"_s, name},
                           {u"latitude"_s, latitude},
                           {u"longitude"_s, longitude},
                           {u"country_code"_s, u"DE"_s}};
    }

private Q_SLOTS:
    void initTestCase();
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
    void currentSeaLevelGustsAndPrecipitation();
    void currentVisibilityInFeetIsMetres();
    void surfacePressureIsNotSeaLevel();
    void daily();
    void dailyPrecipitationUvAndSun();
    void dailyBadExtrasAreMissing();
    void hourly();
    void hourlyBadValuesAreMissing();
    void hourlyAbsurdOffsetLeavesNoHours();
    void hourlyBadBodies_data();
    void hourlyBadBodies();
    void dailyGapsAndNulls();
    void dailyBadBodies_data();
    void dailyBadBodies();
    void errorBodies_data();
    void errorBodies();

    // Found by fuzzing (UBSan float-cast-overflow) and other absurd values.
    void currentWeatherCode1e300IsUnknown();
    void dailyWeatherCodesOutOfIntRangeAreUnknown();
    void currentImplausibleValuesAreMissing_data();
    void currentImplausibleValuesAreMissing();
    void currentImplausibleTime_data();
    void currentImplausibleTime();
    void dailyImplausibleValuesAreMissing();
    void dailyKeepsAtMostSixteenDays();
    void geocodingKeepsAtMostTheRequestedCount_data();
    void geocodingKeepsAtMostTheRequestedCount();
    void geocodingCapsNames_data();
    void geocodingCapsNames();
    void errorReasonIsCapped();
};

void tst_OpenMeteoParser::initTestCase()
{
    // The reasons for dropping values are asserted below; make sure the category speaks.
    QLoggingCategory::setFilterRules(u"weatherdash.weather.debug=true"_s);
}

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
        << u"om_geocoding_berlin.json"_s << 2 << u"Berlin, DE"_s << u"Germany"_s
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
    const auto result = OpenMeteoParser::parseGeocoding(loadTestData(file), kRequested);
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
    const auto result = OpenMeteoParser::parseGeocoding(loadTestData(file), kRequested);
    QVERIFY(!result.ok());
    QVERIFY(!result.value);
    QCOMPARE(int(result.error.kind()), kind);
    QVERIFY2(result.error.message().contains(messageContains), qPrintable(result.error.message()));
}

void tst_OpenMeteoParser::current()
{
    const auto result
        = OpenMeteoParser::parseCurrent(loadTestData(u"om_forecast_current.json"_s), Units::Metric);
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
    QCOMPARE(c.units, UnitSet::asked(Units::Metric));
}

void tst_OpenMeteoParser::currentSeaLevelGustsAndPrecipitation()
{
    const auto result
        = OpenMeteoParser::parseCurrent(loadTestData(u"om_forecast_current.json"_s), Units::Metric);
    QVERIFY(result.ok());
    QCOMPARE(result.value->pressure, 1008.3); // pressure_msl
    QCOMPARE(result.value->windGusts, 31.0);
    QCOMPARE(result.value->precipitation, 0.4);
    QCOMPARE(result.value->dewPoint, 12.8);
    QCOMPARE(result.value->visibility, 6200.0); // metres
    QCOMPARE(result.value->cloudCover, 100.0);
    // Open-Meteo's current block has no sun times: those come with the days.
    QVERIFY(!result.value->sunrise.isValid());
}

void tst_OpenMeteoParser::currentVisibilityInFeetIsMetres()
{
    // An imperial request has been answered in feet (open-meteo/open-meteo#1540): the unit the
    // body names decides; the value is kept in metres. A cloud cover over 100 % is no reading.
    const auto result = OpenMeteoParser::parseCurrent(
        loadTestData(u"om_forecast_current_visibility_feet.json"_s), Units::Imperial);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QVERIFY(result.value->visibility);
    QCOMPARE(qRound(*result.value->visibility), 10000);
    QCOMPARE(result.value->dewPoint, 71.6); // °F, as asked
    QVERIFY(!result.value->cloudCover);
}

void tst_OpenMeteoParser::surfacePressureIsNotSeaLevel()
{
    // A body with only surface_pressure (what the app used to ask for: 842 hPa in Denver)
    // has no sea-level pressure to show.
    const auto result = OpenMeteoParser::parseCurrent(
        loadTestData(u"om_forecast_current_surface_pressure.json"_s), Units::Metric);
    QVERIFY(result.ok());
    QCOMPARE(result.value->pressure, std::nullopt);
    QCOMPARE(result.value->temperature, 21.4);
}

void tst_OpenMeteoParser::dailyPrecipitationUvAndSun()
{
    const auto result
        = OpenMeteoParser::parseDaily(loadTestData(u"om_forecast_daily.json"_s), Units::Metric);
    QVERIFY(result.ok());
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3);
    QCOMPARE(days.at(0).precipitationSum, 0.0);
    QCOMPARE(days.at(1).precipitationSum, 6.4);
    QCOMPARE(days.at(2).precipitationProbabilityMax, 95.0);
    QCOMPARE(days.at(0).uvIndexMax, 5.35);
    // "06:02" is Berlin wall time at UTC+2.
    QCOMPARE(days.at(0).sunrise, QDateTime(QDate(2026, 8, 22), QTime(4, 2), Qt::UTC));
    QCOMPARE(days.at(2).sunset, QDateTime(QDate(2026, 8, 24), QTime(18, 7), Qt::UTC));
}

void tst_OpenMeteoParser::dailyBadExtrasAreMissing()
{
    const auto result = OpenMeteoParser::parseDaily(
        loadTestData(u"om_forecast_daily_bad_extras.json"_s), Units::Metric);
    QVERIFY(result.ok());
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3);
    for (const DailyForecast &day : days) {
        QCOMPARE(day.precipitationSum, std::nullopt); // -1, 1e300, null
        QCOMPARE(day.precipitationProbabilityMax, std::nullopt); // 101, "80", -5
        QCOMPARE(day.uvIndexMax, std::nullopt); // 1e300, -0.5, "6"
        QVERIFY(!day.sunrise.isValid()); // "not a time", null, 25:99
        QVERIFY(day.maxTemp.has_value()); // the rest of the day stays
    }
    QVERIFY(days.at(0).sunset.isValid());
}

void tst_OpenMeteoParser::hourly()
{
    const auto result
        = OpenMeteoParser::parseHourly(loadTestData(u"om_forecast_hourly.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const HourlyForecastList &hours = *result.value;
    QCOMPARE(hours.size(), 6);
    // "12:00" Berlin is 10:00 UTC.
    QCOMPARE(hours.at(0).time, QDateTime(QDate(2026, 8, 22), QTime(10, 0), Qt::UTC));
    QCOMPARE(hours.at(0).localTime().time(), QTime(12, 0));
    QCOMPARE(hours.at(0).utcOffsetSeconds, 7200);
    QCOMPARE(hours.at(0).periodHours, 1);
    QCOMPARE(hours.at(1).temperature, 21.4);
    QCOMPARE(hours.at(2).precipitationProbability, 65.0);
    QCOMPARE(hours.at(3).precipitation, 3.4);
    QCOMPARE(hours.at(3).condition, WeatherCondition::Thunderstorm);
    // Nulls are missing values, not zeros, and do not drop the hour.
    QCOMPARE(hours.at(3).temperature, std::nullopt);
    QCOMPARE(hours.at(4).precipitationProbability, std::nullopt);
    QCOMPARE(hours.at(5).precipitation, std::nullopt);
    QCOMPARE(hours.at(5).condition, WeatherCondition::Unknown);
    QVERIFY(!hours.at(5).isDay);
    QCOMPARE(hours.at(0).units, UnitSet::asked(Units::Metric));
    // Wind in the asked unit; null, a string and 3000 km/h are unknown, not zero.
    QCOMPARE(hours.at(0).windSpeed, 12.5);
    QCOMPARE(hours.at(5).windSpeed, 8.2);
    QCOMPARE(hours.at(2).windSpeed, std::nullopt);
    QCOMPARE(hours.at(3).windSpeed, std::nullopt);
    QCOMPARE(hours.at(4).windSpeed, std::nullopt);
}

void tst_OpenMeteoParser::hourlyBadValuesAreMissing()
{
    const auto result = OpenMeteoParser::parseHourly(
        loadTestData(u"om_forecast_hourly_bad_values.json"_s), Units::Metric);
    QVERIFY(result.ok());
    const HourlyForecastList &hours = *result.value;
    // "garbage" and null are no times: those two hours are skipped.
    QCOMPARE(hours.size(), 4);
    QCOMPARE(hours.at(0).temperature, std::nullopt); // 1e308
    QCOMPARE(hours.at(0).precipitationProbability, std::nullopt); // 101
    QCOMPARE(hours.at(0).precipitation, std::nullopt); // -0.1
    QCOMPARE(hours.at(0).condition, WeatherCondition::Unknown); // 1e300
    QCOMPARE(hours.at(1).time, QDateTime(QDate(2026, 8, 22), QTime(13, 0), Qt::UTC));
    QCOMPARE(hours.at(1).temperature, 22.0);
    QCOMPARE(hours.at(1).precipitationProbability, std::nullopt); // 1e300
    QCOMPARE(hours.at(1).precipitation, std::nullopt); // 5000 mm in an hour
    QCOMPARE(hours.at(2).temperature, std::nullopt); // "23"
    QCOMPARE(hours.at(2).precipitationProbability, std::nullopt); // "5"
    QCOMPARE(hours.at(3).precipitationProbability, 100.0);
    QCOMPARE(hours.at(3).precipitation, 0.0);
}

void tst_OpenMeteoParser::hourlyAbsurdOffsetLeavesNoHours()
{
    const auto result = OpenMeteoParser::parseHourly(
        loadTestData(u"om_forecast_hourly_bad_offset.json"_s), Units::Metric);
    QVERIFY(result.ok());
    QVERIFY(result.value->isEmpty());
}

void tst_OpenMeteoParser::hourlyBadBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("<html>");
    QTest::newRow("no hourly block") << loadTestData(u"om_forecast_daily.json"_s);
    QTest::newRow("hourly not an object") << QByteArray(R"({"hourly":[1,2]})");
    QTest::newRow("no time") << QByteArray(R"({"hourly":{"temperature_2m":[1]}})");
    QTest::newRow("time not an array") << QByteArray(R"({"hourly":{"time":"2026-08-22T12:00"}})");
}

void tst_OpenMeteoParser::hourlyBadBodies()
{
    QFETCH(QByteArray, body);
    const auto result = OpenMeteoParser::parseHourly(body, Units::Metric);
    QVERIFY(!result.ok());
    QCOMPARE(result.error.kind(), WeatherError::BadResponse);
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
    const auto result = OpenMeteoParser::parseCurrent(loadTestData(file), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.temperature.has_value(), hasTemperature);
    // Never a made-up zero for what the provider did not send.
    QVERIFY(!c.feelsLike);
    QVERIFY(!c.humidity);
    QVERIFY(!c.windSpeed);
    QVERIFY(!c.windDirection);
    QVERIFY(!c.pressure);
    QVERIFY(!c.dewPoint);
    QVERIFY(!c.visibility);
    QVERIFY(!c.cloudCover);
    QCOMPARE(int(c.condition), condition);
    QCOMPARE(c.isDay, isDay);
    QCOMPARE(c.observationTime, observed);
}

void tst_OpenMeteoParser::currentKeepsRequestedUnits()
{
    const auto result = OpenMeteoParser::parseCurrent(loadTestData(u"om_forecast_current.json"_s),
                                                      Units::Imperial);
    QVERIFY(result.ok());
    QCOMPARE(result.value->units, UnitSet::asked(Units::Imperial));
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
    const auto result = OpenMeteoParser::parseCurrent(loadTestData(file), Units::Metric);
    QVERIFY(!result.ok());
    QCOMPARE(int(result.error.kind()), kind);
    QCOMPARE(result.error.provider(), u"Open-Meteo"_s);
}

void tst_OpenMeteoParser::daily()
{
    const auto result
        = OpenMeteoParser::parseDaily(loadTestData(u"om_forecast_daily.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3);
    // utc_offset_seconds travels with the days: "today" in Berlin is now + 2 h.
    for (const DailyForecast &day : days)
        QCOMPARE(day.utcOffsetSeconds, std::optional<int>(7200));
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
    const auto result = OpenMeteoParser::parseDaily(loadTestData(u"om_forecast_daily_gaps.json"_s),
                                                    Units::Imperial);
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
    QCOMPARE(days.at(2).units, UnitSet::asked(Units::Imperial));
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
    const auto result = OpenMeteoParser::parseDaily(loadTestData(file), Units::Metric);
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
    const WeatherError error = OpenMeteoParser::parseError(status, loadTestData(file));
    QCOMPARE(int(error.kind()), kind);
    QCOMPARE(error.httpStatus(), status);
    QVERIFY2(error.message().contains(messageContains), qPrintable(error.message()));
}

void tst_OpenMeteoParser::currentWeatherCode1e300IsUnknown()
{
    // Was static_cast<int>(1e300): undefined behaviour (clang -fsanitize=float-cast-overflow).
    QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"implausible weather code"_s));
    const auto result = OpenMeteoParser::parseCurrent(
        loadTestData(u"om_forecast_current_code_1e300.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->condition, WeatherCondition::Unknown);
    QCOMPARE(result.value->description, u"Unknown weather"_s);
    QCOMPARE(result.value->temperature, 21.4); // the rest of the answer is kept
}

void tst_OpenMeteoParser::dailyWeatherCodesOutOfIntRangeAreUnknown()
{
    const auto result = OpenMeteoParser::parseDaily(
        loadTestData(u"om_forecast_daily_code_1e300.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 4);
    // 1e300, -1e300 and 2.5 are no WMO code; 61 still is.
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(days.at(i).condition, WeatherCondition::Unknown);
        QCOMPARE(days.at(i).description, u"Unknown weather"_s);
        QVERIFY(days.at(i).maxTemp);
    }
    QCOMPARE(days.at(3).condition, WeatherCondition::Rain);
}

void tst_OpenMeteoParser::currentImplausibleValuesAreMissing_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<Units>("units");
    QTest::addColumn<bool>("kept");

    const QString t = u"temperature_2m"_s;
    QTest::newRow("temperature 1e308 °C") << t << 1e308 << Units::Metric << false;
    QTest::newRow("temperature -1e308 °C") << t << -1e308 << Units::Metric << false;
    QTest::newRow("temperature below absolute zero") << t << -300.0 << Units::Metric << false;
    QTest::newRow("temperature 100 °C") << t << 100.0 << Units::Metric << false;
    QTest::newRow("temperature -89.2 °C (Vostok) kept") << t << -89.2 << Units::Metric << true;
    QTest::newRow("temperature 56.7 °C (Death Valley) kept") << t << 56.7 << Units::Metric << true;
    QTest::newRow("temperature 134 °F kept") << t << 134.0 << Units::Imperial << true;
    QTest::newRow("temperature 160 °F") << t << 160.0 << Units::Imperial << false;
    QTest::newRow("feels-like 1e300")
        << u"apparent_temperature"_s << 1e300 << Units::Metric << false;
    const QString h = u"relative_humidity_2m"_s;
    QTest::newRow("humidity 1e300 %") << h << 1e300 << Units::Metric << false;
    QTest::newRow("humidity -1 %") << h << -1.0 << Units::Metric << false;
    QTest::newRow("humidity 100 % kept") << h << 100.0 << Units::Metric << true;
    const QString d = u"wind_direction_10m"_s;
    QTest::newRow("wind direction 1e300") << d << 1e300 << Units::Metric << false;
    QTest::newRow("wind direction -10") << d << -10.0 << Units::Metric << false;
    QTest::newRow("wind direction 360 kept") << d << 360.0 << Units::Metric << true;
    const QString w = u"wind_speed_10m"_s;
    QTest::newRow("wind speed 1e300 km/h") << w << 1e300 << Units::Metric << false;
    QTest::newRow("wind speed -5 km/h") << w << -5.0 << Units::Metric << false;
    QTest::newRow("wind speed 600 km/h") << w << 600.0 << Units::Metric << false;
    QTest::newRow("wind speed 408 km/h (record gust) kept") << w << 408.0 << Units::Metric << true;
    QTest::newRow("wind speed 400 mph") << w << 400.0 << Units::Imperial << false;
    QTest::newRow("wind speed 253 mph kept") << w << 253.0 << Units::Imperial << true;
    const QString p = u"pressure_msl"_s;
    QTest::newRow("pressure 1e300 hPa") << p << 1e300 << Units::Metric << false;
    QTest::newRow("pressure 0 hPa") << p << 0.0 << Units::Metric << false;
    QTest::newRow("pressure 1084 hPa (record) kept") << p << 1084.0 << Units::Metric << true;
    QTest::newRow("pressure 337 hPa (Everest) kept") << p << 337.0 << Units::Metric << true;
}

void tst_OpenMeteoParser::currentImplausibleValuesAreMissing()
{
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(Units, units);
    QFETCH(bool, kept);
    if (!kept)
        QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"^ignoring implausible"_s));
    const auto result = OpenMeteoParser::parseCurrent(
        testDataWithValue(u"om_forecast_current.json"_s, u"current"_s, key, value), units);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    const QHash<QString, std::optional<double>> fields{
        {u"temperature_2m"_s, c.temperature},    {u"apparent_temperature"_s, c.feelsLike},
        {u"relative_humidity_2m"_s, c.humidity}, {u"wind_direction_10m"_s, c.windDirection},
        {u"wind_speed_10m"_s, c.windSpeed},      {u"pressure_msl"_s, c.pressure},
    };
    QVERIFY(fields.contains(key));
    QCOMPARE(fields.value(key), kept ? std::optional<double>(value) : std::nullopt);
    // One absurd value costs that value only.
    if (key != u"temperature_2m"_s)
        QCOMPARE(c.temperature, 21.4);
    else
        QCOMPARE(c.humidity, 58.0);
    QCOMPARE(c.condition, WeatherCondition::Rain);
}

void tst_OpenMeteoParser::currentImplausibleTime_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QDateTime>("observed");

    QTest::newRow("time in the year 2500")
        << u"time"_s << QJsonValue(u"2500-01-01T00:00"_s) << QDateTime();
    QTest::newRow("time in 1900") << u"time"_s << QJsonValue(u"1900-06-01T12:00"_s) << QDateTime();
    QTest::newRow("utc_offset_seconds 1e300")
        << u"utc_offset_seconds"_s << QJsonValue(1e300) << QDateTime();
    QTest::newRow("utc_offset_seconds +19 h")
        << u"utc_offset_seconds"_s << QJsonValue(19 * 3600) << QDateTime();
    QTest::newRow("utc_offset_seconds +14 h (Kiribati) kept")
        << u"utc_offset_seconds"_s << QJsonValue(14 * 3600)
        << QDateTime(QDate(2026, 8, 22), QTime(0, 15), Qt::UTC);
    QTest::newRow("utc_offset_seconds -12 h kept")
        << u"utc_offset_seconds"_s << QJsonValue(-12 * 3600)
        << QDateTime(QDate(2026, 8, 23), QTime(2, 15), Qt::UTC);
}

void tst_OpenMeteoParser::currentImplausibleTime()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QDateTime, observed);
    if (!observed.isValid())
        QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"^ignoring implausible"_s));
    const QString block = key == u"time"_s ? u"current"_s : QString();
    const auto result = OpenMeteoParser::parseCurrent(
        testDataWithValue(u"om_forecast_current.json"_s, block, key, value), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->observationTime, observed);
    QCOMPARE(result.value->temperature, 21.4);
}

void tst_OpenMeteoParser::dailyImplausibleValuesAreMissing()
{
    const QJsonObject daily{
        {u"time"_s, QJsonArray{u"2026-08-22"_s, u"2500-01-01"_s, u"1900-01-01"_s, u"2026-08-23"_s}},
        {u"weather_code"_s, QJsonArray{3, 3, 3, 61}},
        {u"temperature_2m_max"_s, QJsonArray{1e308, 20.0, 20.0, 19.5}},
        {u"temperature_2m_min"_s, QJsonArray{-1e308, 10.0, 10.0, -101.0}},
    };
    const QByteArray body
        = QJsonDocument(QJsonObject{{u"daily"_s, daily}}).toJson(QJsonDocument::Compact);
    const auto result = OpenMeteoParser::parseDaily(body, Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 2); // the days dated 2500 and 1900 are dropped
    QCOMPARE(days.at(0).date, QDate(2026, 8, 22));
    QVERIFY(!days.at(0).maxTemp);
    QVERIFY(!days.at(0).minTemp);
    QCOMPARE(days.at(0).condition, WeatherCondition::Overcast);
    QCOMPARE(days.at(1).date, QDate(2026, 8, 23));
    QCOMPARE(days.at(1).maxTemp, 19.5);
    QVERIFY(!days.at(1).minTemp);
}

void tst_OpenMeteoParser::dailyKeepsAtMostSixteenDays()
{
    QJsonArray times;
    QJsonArray codes;
    for (int i = 0; i < 1000; ++i) {
        times.append(QDate(2026, 1, 1).addDays(i).toString(Qt::ISODate));
        codes.append(0);
    }
    const QByteArray body
        = QJsonDocument(QJsonObject{{u"daily"_s,
                                     QJsonObject{{u"time"_s, times}, {u"weather_code"_s, codes}}}})
              .toJson(QJsonDocument::Compact);
    const auto result = OpenMeteoParser::parseDaily(body, Units::Metric);
    QVERIFY(result.ok());
    QCOMPARE(result.value->size(), 16);
    QCOMPARE(result.value->constFirst().date, QDate(2026, 1, 1));
    QCOMPARE(result.value->constLast().date, QDate(2026, 1, 16));
}

void tst_OpenMeteoParser::geocodingKeepsAtMostTheRequestedCount_data()
{
    QTest::addColumn<int>("available");
    QTest::addColumn<int>("invalidFirst");
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("kept");

    QTest::newRow("30,000 results, 10 asked") << 30000 << 0 << kRequested << 10;
    QTest::newRow("30,000 results, 100 asked") << 30000 << 0 << 100 << 100;
    QTest::newRow("skipped entries do not count") << 50 << 20 << kRequested << 10;
    QTest::newRow("fewer than asked") << 3 << 0 << kRequested << 3;
}

void tst_OpenMeteoParser::geocodingKeepsAtMostTheRequestedCount()
{
    QFETCH(int, available);
    QFETCH(int, invalidFirst);
    QFETCH(int, requested);
    QFETCH(int, kept);
    QJsonArray results;
    for (int i = 0; i < available; ++i)
        results.append(place(u"Place %1"_s.arg(i), i < invalidFirst ? 1e300 : 52.5));
    const auto result = OpenMeteoParser::parseGeocoding(geocodingBody(results), requested);
    QVERIFY(result.ok());
    QCOMPARE(result.value->size(), kept);
    // The provider's order (best match first) is kept.
    QCOMPARE(result.value->constFirst().name, u"Place %1"_s.arg(invalidFirst));
    QCOMPARE(result.value->constLast().name, u"Place %1"_s.arg(invalidFirst + kept - 1));
}

void tst_OpenMeteoParser::geocodingCapsNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");

    const QString a199(199, u'a');
    QTest::newRow("1 MiB name") << QString(512 * 1024, u'x') << QString(200, u'x');
    QTest::newRow("200 characters kept whole") << QString(200, u'y') << QString(200, u'y');
    QTest::newRow("no surrogate pair split")
        << a199 + u"\U0001F30D and more"_s << a199; // U+1F30D would straddle the cut
    QTest::newRow("no combining accent split") << a199 + u"e\u0301 and more"_s << a199;
    QTest::newRow("cut then trimmed")
        << QString(150, u'b') + QString(100, u' ') + u"tail"_s << QString(150, u'b');
}

void tst_OpenMeteoParser::geocodingCapsNames()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QJsonObject entry = place(name);
    entry.insert(u"admin1"_s, name);
    entry.insert(u"country"_s, name);
    entry.insert(u"timezone"_s, name);
    const auto result = OpenMeteoParser::parseGeocoding(geocodingBody({entry}), kRequested);
    QVERIFY(result.ok());
    QCOMPARE(result.value->size(), 1);
    const Location &l = result.value->constFirst();
    QCOMPARE(l.name, expected);
    QCOMPARE(l.region, expected);
    QCOMPARE(l.country, expected);
    QCOMPARE(l.timezone, expected);
}

void tst_OpenMeteoParser::errorReasonIsCapped()
{
    const QByteArray body
        = QJsonDocument(QJsonObject{{u"error"_s, true}, {u"reason"_s, QString(100000, u'r')}})
              .toJson(QJsonDocument::Compact);
    const WeatherError error = OpenMeteoParser::parseError(400, body);
    QCOMPARE(error.kind(), WeatherError::InvalidInput);
    QVERIFY(error.message().contains(QString(200, u'r')));
    QVERIFY2(!error.message().contains(QString(201, u'r')), qPrintable(error.message()));
    const auto inOk = OpenMeteoParser::parseCurrent(body, Units::Metric);
    QVERIFY(!inOk.ok());
    QVERIFY(!inOk.error.message().contains(QString(201, u'r')));
}

QTEST_GUILESS_MAIN(tst_OpenMeteoParser)
#include "tst_openmeteoparser.moc"
