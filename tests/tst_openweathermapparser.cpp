// SPDX-License-Identifier: MIT
#include "weather/openweathermapparser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

#include "testdata.h"

using namespace Qt::StringLiterals;

namespace {
/** The `limit` the provider sends (its maximum, 5). */
constexpr int kRequested = 5;
} // namespace

class tst_OpenWeatherMapParser : public QObject
{
    Q_OBJECT

private:
private Q_SLOTS:
    void initTestCase();
    void geocoding();
    void geocodingNoMatch();
    void currentMetricConvertsWindToKmh();
    void currentImperialNight();
    void currentDewPointGivenOrComputed_data();
    void currentDewPointGivenOrComputed();
    void currentMinimal();
    void forecastFoldsIntoLocalDays();
    void forecastSparse();
    void currentGustsPrecipitationAndSun();
    void currentRainPlusSnowAndBadGust();
    void forecastPrecipitationAndSun();
    void hourlyIsTheThreeHourSlots();
    void badBodies_data();
    void badBodies();
    void errorBodies_data();
    void errorBodies();
    void errorHiddenInSuccessfulStatus_data();
    void errorHiddenInSuccessfulStatus();

    // Found by fuzzing (UBSan float-cast-overflow, signed overflow) and other absurd values.
    void currentDt1e19IsUnknownTime();
    void forecastDtOverflowIsSkipped();
    void currentImplausibleValuesAreMissing_data();
    void currentImplausibleValuesAreMissing();
    void forecastImplausibleOffsetFoldsInUtc_data();
    void forecastImplausibleOffsetFoldsInUtc();
    void forecastImplausibleTemperaturesAreMissing();
    void geocodingKeepsAtMostTheRequestedCount();
    void geocodingAndDescriptionsAreCapped();
};

void tst_OpenWeatherMapParser::initTestCase()
{
    // The reasons for dropping values are asserted below; make sure the category speaks.
    QLoggingCategory::setFilterRules(u"weatherdash.weather.debug=true"_s);
}

void tst_OpenWeatherMapParser::geocoding()
{
    const auto result = OpenWeatherMapParser::parseGeocoding(
        loadTestData(u"owm_geocoding_london.json"_s), kRequested);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->size(), 3);
    const Location &gb = result.value->at(0);
    QCOMPARE(gb.displayName(), u"London, England, GB"_s);
    QCOMPARE(gb.country, u"United Kingdom"_s);
    QCOMPARE(gb.latitude, 51.5073219);
    QVERIFY(gb.timezone.isEmpty());
    QCOMPARE(result.value->at(1).displayName(), u"London, Ontario, CA"_s);
    QCOMPARE(result.value->at(1).country, u"Canada"_s);
    // No state, lower-case country code.
    QCOMPARE(result.value->at(2).displayName(), u"City of London, GB"_s);
}

void tst_OpenWeatherMapParser::geocodingNoMatch()
{
    const auto result = OpenWeatherMapParser::parseGeocoding(
        loadTestData(u"owm_geocoding_empty.json"_s), kRequested);
    QVERIFY(result.ok());
    QVERIFY(result.value->isEmpty());
}

void tst_OpenWeatherMapParser::currentMetricConvertsWindToKmh()
{
    const auto result = OpenWeatherMapParser::parseCurrent(
        loadTestData(u"owm_current_metric.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.temperature, 18.6);
    QCOMPARE(c.feelsLike, 18.3);
    QCOMPARE(c.humidity, 64.0);
    QCOMPARE(c.pressure, 1015.0);
    QCOMPARE(c.windSpeed, 18.0); // 5 m/s
    QCOMPARE(c.windDirection, 349.0);
    QCOMPARE(c.condition, WeatherCondition::Rain);
    QCOMPARE(c.description, u"Moderate rain"_s);
    QVERIFY(c.isDay);
    QCOMPARE(c.observationTime, QDateTime::fromSecsSinceEpoch(1661870592, Qt::UTC));
    QCOMPARE(c.units, UnitSet::asked(Units::Metric));
    QCOMPARE(c.visibility, 10000.0); // metres
    QCOMPARE(c.cloudCover, 100.0);
    // No dew point in the 2.5 answer: Magnus from 18.6 °C at 64 % is 11.66 °C.
    QVERIFY(c.dewPoint);
    QCOMPARE(std::round(*c.dewPoint * 100) / 100, 11.66);
}

void tst_OpenWeatherMapParser::currentDewPointGivenOrComputed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("units");
    QTest::addColumn<std::optional<double>>("dewPoint");

    QTest::newRow("given: the provider's value wins")
        << R"({"cod":200,"weather":[{"id":800}],"main":{"temp":30,"humidity":50,"dew_point":17.9}})"_ba
        << int(Units::Metric) << std::optional<double>(17.9);
    QTest::newRow("computed in °F (86 °F at 50 %: 65.2 °F)")
        << R"({"cod":200,"weather":[{"id":800}],"main":{"temp":86,"humidity":50}})"_ba
        << int(Units::Imperial) << std::optional<double>(65.2);
    QTest::newRow("saturated air: the dew point is the temperature")
        << R"({"cod":200,"weather":[{"id":800}],"main":{"temp":4,"humidity":100}})"_ba
        << int(Units::Metric) << std::optional<double>(4.0);
    QTest::newRow("no humidity: none")
        << R"({"cod":200,"weather":[{"id":800}],"main":{"temp":4}})"_ba << int(Units::Metric)
        << std::optional<double>();
    QTest::newRow("humidity 0: none (no logarithm of 0)")
        << R"({"cod":200,"weather":[{"id":800}],"main":{"temp":4,"humidity":0}})"_ba
        << int(Units::Metric) << std::optional<double>();
}

void tst_OpenWeatherMapParser::currentDewPointGivenOrComputed()
{
    QFETCH(QByteArray, body);
    QFETCH(int, units);
    QFETCH(std::optional<double>, dewPoint);
    const auto result = OpenWeatherMapParser::parseCurrent(body, Units(units));
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->dewPoint.has_value(), dewPoint.has_value());
    if (dewPoint)
        QCOMPARE(std::round(*result.value->dewPoint * 10) / 10, *dewPoint);
    // Nothing sent: no visibility, no cloud cover.
    QVERIFY(!result.value->visibility);
    QVERIFY(!result.value->cloudCover);
}

void tst_OpenWeatherMapParser::currentImperialNight()
{
    const auto result = OpenWeatherMapParser::parseCurrent(
        loadTestData(u"owm_current_imperial_night.json"_s), Units::Imperial);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.temperature, 55.4);
    QCOMPARE(c.windSpeed, 6.91); // mph stays mph
    QVERIFY(!c.isDay);
    QCOMPARE(c.iconName(), u"weather-clear-night"_s);
}

void tst_OpenWeatherMapParser::currentMinimal()
{
    // No wind, no humidity, no icon: day/night from sunrise/sunset, `cod` as a string.
    const auto result = OpenWeatherMapParser::parseCurrent(
        loadTestData(u"owm_current_minimal.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.temperature, 3.0);
    QVERIFY(!c.feelsLike);
    QVERIFY(!c.windSpeed);
    QVERIFY(!c.humidity);
    QCOMPARE(c.condition, WeatherCondition::Fog);
    QCOMPARE(c.description, u"Fog"_s);
    QVERIFY(c.isDay);
}

void tst_OpenWeatherMapParser::forecastFoldsIntoLocalDays()
{
    // London, Ontario: UTC-4. Slots at 00:00 and 03:00 UTC belong to the previous local day.
    const auto result = OpenWeatherMapParser::parseForecast(
        loadTestData(u"owm_forecast_toronto_offset.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3);
    // city.timezone travels with the days: "today" at the place is now - 4 h.
    for (const DailyForecast &day : days)
        QCOMPARE(day.utcOffsetSeconds, std::optional<int>(-14400));

    QCOMPARE(days.at(0).date, QDate(2026, 5, 28));
    QCOMPARE(days.at(0).minTemp, 18.0);
    QCOMPARE(days.at(0).maxTemp, 21.0);
    // The 23:00 thunderstorm is at night; the 20:00 clear sky is the daytime verdict.
    QCOMPARE(days.at(0).condition, WeatherCondition::Clear);

    QCOMPARE(days.at(1).date, QDate(2026, 5, 29));
    QCOMPARE(days.at(1).minTemp, 14.0); // min of the minima
    QCOMPARE(days.at(1).maxTemp, 25.5); // max of the maxima
    QCOMPARE(days.at(1).condition, WeatherCondition::Cloudy); // most severe daytime slot
    QCOMPARE(days.at(1).description, u"Broken clouds"_s);

    QCOMPARE(days.at(2).date, QDate(2026, 5, 30));
    QCOMPARE(days.at(2).minTemp, 12.0);
    QCOMPARE(days.at(2).maxTemp, 14.0);
    // Only night slots: the most severe of them.
    QCOMPARE(days.at(2).condition, WeatherCondition::Fog);
    QCOMPARE(days.at(2).units, UnitSet::asked(Units::Metric));
}

void tst_OpenWeatherMapParser::forecastSparse()
{
    const auto result = OpenWeatherMapParser::parseForecast(
        loadTestData(u"owm_forecast_sparse.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->size(), 1); // the slot without dt is skipped
    const DailyForecast &day = result.value->at(0);
    QCOMPARE(day.date, QDate(2026, 5, 28));
    QCOMPARE(day.minTemp, 5.5); // temp stands in for missing temp_min/temp_max
    QCOMPARE(day.maxTemp, 7.0);
    // A known condition at night beats an unknown one in daytime.
    QCOMPARE(day.condition, WeatherCondition::Snow);
    QCOMPARE(day.description, u"Light snow"_s);
}

void tst_OpenWeatherMapParser::badBodies_data()
{
    QTest::addColumn<QString>("function");
    QTest::addColumn<QString>("file");
    const QStringList functions{u"geocoding"_s, u"current"_s, u"forecast"_s};
    const QStringList garbage{u"garbage.html"_s, u"truncated.json"_s, u"empty.txt"_s,
                              u"owm_cod_garbage.json"_s};
    for (const QString &function : functions) {
        for (const QString &file : garbage)
            QTest::addRow("%s: %s", qPrintable(function), qPrintable(file)) << function << file;
    }
    QTest::newRow("geocoding: object without cod")
        << u"geocoding"_s << u"owm_current_minimal.json"_s;
    QTest::newRow("current: array") << u"current"_s << u"owm_geocoding_london.json"_s;
    QTest::newRow("current: wrong types") << u"current"_s << u"owm_current_wrong_types.json"_s;
    QTest::newRow("forecast: list is an object")
        << u"forecast"_s << u"owm_forecast_list_not_array.json"_s;
    QTest::newRow("forecast: current body") << u"forecast"_s << u"owm_current_metric.json"_s;
}

void tst_OpenWeatherMapParser::badBodies()
{
    QFETCH(QString, function);
    QFETCH(QString, file);
    const QByteArray body = loadTestData(file);
    WeatherError error;
    bool ok = true;
    if (function == u"geocoding") {
        const auto result = OpenWeatherMapParser::parseGeocoding(body, kRequested);
        ok = result.ok();
        error = result.error;
    } else if (function == u"current") {
        const auto result = OpenWeatherMapParser::parseCurrent(body, Units::Metric);
        ok = result.ok();
        error = result.error;
    } else {
        const auto result = OpenWeatherMapParser::parseForecast(body, Units::Metric);
        ok = result.ok();
        error = result.error;
    }
    QVERIFY(!ok);
    QCOMPARE(error.kind(), WeatherError::BadResponse);
    QCOMPARE(error.provider(), u"OpenWeatherMap"_s);
}

void tst_OpenWeatherMapParser::errorBodies_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("messageContains");

    QTest::newRow("401 key not active yet (cod number)")
        << 401 << u"owm_error_401.json"_s << int(WeatherError::ApiKeyRejected)
        << u"A new key can take up to two hours to become active."_s;
    QTest::newRow("404 city not found (cod string)")
        << 404 << u"owm_error_404.json"_s << int(WeatherError::CityNotFound) << u"not found"_s;
    QTest::newRow("429 account blocked")
        << 429 << u"owm_error_429.json"_s << int(WeatherError::RateLimited) << u"slow down"_s;
    QTest::newRow("400 nothing to geocode")
        << 400 << u"owm_error_400.json"_s << int(WeatherError::InvalidInput)
        << u"Nothing to geocode"_s;
    QTest::newRow("502 HTML from a proxy")
        << 502 << u"garbage.html"_s << int(WeatherError::ServerError) << u"server error 502"_s;
    QTest::newRow("401 with empty body")
        << 401 << u"empty.txt"_s << int(WeatherError::ApiKeyRejected) << u"rejected the API key"_s;
}

void tst_OpenWeatherMapParser::errorBodies()
{
    QFETCH(int, status);
    QFETCH(QString, file);
    QFETCH(int, kind);
    QFETCH(QString, messageContains);
    const WeatherError error = OpenWeatherMapParser::parseError(status, loadTestData(file));
    QCOMPARE(int(error.kind()), kind);
    QCOMPARE(error.httpStatus(), status);
    QVERIFY2(error.message().contains(messageContains), qPrintable(error.message()));
    QVERIFY(error.message().startsWith(u"OpenWeatherMap") || kind == WeatherError::CityNotFound);
}

void tst_OpenWeatherMapParser::errorHiddenInSuccessfulStatus_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::newRow("cod \"404\" string")
        << u"owm_error_404.json"_s << int(WeatherError::CityNotFound);
    QTest::newRow("cod 401 number") << u"owm_error_401.json"_s << int(WeatherError::ApiKeyRejected);
    QTest::newRow("cod 429 number") << u"owm_error_429.json"_s << int(WeatherError::RateLimited);
}

void tst_OpenWeatherMapParser::errorHiddenInSuccessfulStatus()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const QByteArray body = loadTestData(file);
    QCOMPARE(int(OpenWeatherMapParser::parseCurrent(body, Units::Metric).error.kind()), kind);
    QCOMPARE(int(OpenWeatherMapParser::parseForecast(body, Units::Metric).error.kind()), kind);
    QCOMPARE(int(OpenWeatherMapParser::parseGeocoding(body, kRequested).error.kind()), kind);
}

void tst_OpenWeatherMapParser::currentDt1e19IsUnknownTime()
{
    // Was qint64(1.8e19): undefined behaviour (clang -fsanitize=float-cast-overflow).
    QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"implausible observation time"_s));
    const auto result = OpenWeatherMapParser::parseCurrent(
        loadTestData(u"owm_current_dt_1e19.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QVERIFY(!result.value->observationTime.isValid());
    QCOMPARE(result.value->temperature, 18.6);
    QCOMPARE(result.value->condition, WeatherCondition::Clear);
    QVERIFY(result.value->isDay); // the icon still says so
}

void tst_OpenWeatherMapParser::forecastDtOverflowIsSkipped()
{
    // dt 1.8e19 (float-cast overflow) and dt 2^63-4096 + 14 h (signed overflow, a day with no
    // valid date) used to make two extra "days" of thunderstorms; only the real slot stays.
    QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"implausible forecast slot time"_s));
    QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"implausible forecast slot time"_s));
    const auto result = OpenWeatherMapParser::parseForecast(
        loadTestData(u"owm_forecast_dt_overflow.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(result.value->size(), 1);
    const DailyForecast &day = result.value->constFirst();
    QCOMPARE(day.date, QDate(2026, 5, 29)); // 00:00 UTC is 14:00 at UTC+14
    QVERIFY(day.date.isValid());
    QCOMPARE(day.maxTemp, 21.0);
    QCOMPARE(day.condition, WeatherCondition::Clear);
}

void tst_OpenWeatherMapParser::currentGustsPrecipitationAndSun()
{
    const auto result = OpenWeatherMapParser::parseCurrent(
        loadTestData(u"owm_current_metric.json"_s), Units::Metric);
    QVERIFY(result.ok());
    const CurrentConditions &c = *result.value;
    QCOMPARE(c.windGusts, 9.3 * 3.6); // m/s -> km/h like the speed
    QCOMPARE(c.precipitation, 3.16);
    QCOMPARE(c.pressure, 1015.0);
    QCOMPARE(c.sunrise, QDateTime::fromSecsSinceEpoch(1661834187, Qt::UTC));
    QCOMPARE(c.sunset, QDateTime::fromSecsSinceEpoch(1661882248, Qt::UTC));
    // No rain block at all means none fell, the way OpenWeatherMap says it.
    const auto dry = OpenWeatherMapParser::parseCurrent(loadTestData(u"owm_current_minimal.json"_s),
                                                        Units::Metric);
    QVERIFY(dry.ok());
    QCOMPARE(dry.value->precipitation, 0.0);
    QCOMPARE(dry.value->windGusts, std::nullopt);
}

void tst_OpenWeatherMapParser::currentRainPlusSnowAndBadGust()
{
    QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"^ignoring implausible wind speed"_s));
    const auto result = OpenWeatherMapParser::parseCurrent(
        loadTestData(u"owm_current_rain_snow_bad_gust.json"_s), Units::Metric);
    QVERIFY(result.ok());
    QCOMPARE(result.value->precipitation, 3.16 + 0.5);
    QCOMPARE(result.value->windGusts, std::nullopt); // 1e300 m/s
    QCOMPARE(result.value->windSpeed, 5.0 * 3.6);
}

void tst_OpenWeatherMapParser::forecastPrecipitationAndSun()
{
    const auto result = OpenWeatherMapParser::parseForecast(
        loadTestData(u"owm_forecast_precipitation.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 2);
    QCOMPARE(days.at(0).date, QDate(2026, 5, 29));
    QCOMPARE(days.at(0).precipitationSum, 1.5 + 0.25 + 0.5);
    QCOMPARE(days.at(0).precipitationProbabilityMax, 90.0);
    QCOMPARE(days.at(0).sunrise, QDateTime::fromSecsSinceEpoch(1780023600, Qt::UTC));
    QCOMPARE(days.at(0).sunset, QDateTime::fromSecsSinceEpoch(1780081200, Qt::UTC));
    QCOMPARE(days.at(0).uvIndexMax, std::nullopt); // not on the free plan
    // One unreadable slot makes the day's sum unknown; a `pop` of 1.5 is no probability.
    QCOMPARE(days.at(1).precipitationSum, std::nullopt);
    QCOMPARE(days.at(1).precipitationProbabilityMax, 10.0);
    QVERIFY(!days.at(1).sunrise.isValid());
}

void tst_OpenWeatherMapParser::hourlyIsTheThreeHourSlots()
{
    const auto result = OpenWeatherMapParser::parseHourly(
        loadTestData(u"owm_forecast_precipitation.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const HourlyForecastList &hours = *result.value;
    QCOMPARE(hours.size(), 5);
    QCOMPARE(hours.at(0).time, QDateTime::fromSecsSinceEpoch(1780034400, Qt::UTC));
    QCOMPARE(hours.at(0).periodHours, 3);
    QCOMPARE(hours.at(0).utcOffsetSeconds, 7200);
    QCOMPARE(hours.at(0).localTime().time(), QTime(8, 0));
    QCOMPARE(hours.at(0).temperature, 15.0);
    QCOMPARE(hours.at(0).precipitationProbability, 60.0);
    QCOMPARE(hours.at(0).precipitation, 1.5);
    QCOMPARE(hours.at(1).precipitation, 0.75);
    QCOMPARE(hours.at(0).windSpeed, 10.8); // 3 m/s, asked in km/h
    QCOMPARE(hours.at(1).condition, WeatherCondition::Snow);
    QCOMPARE(hours.at(2).precipitation, 0.0);
    QCOMPARE(hours.at(3).precipitation, std::nullopt); // "lots"
    QCOMPARE(hours.at(3).precipitationProbability, std::nullopt); // 150 %
    QVERIFY(!hours.at(3).isDay);
    QVERIFY(!OpenWeatherMapParser::parseHourly(loadTestData(u"owm_forecast_list_not_array.json"_s),
                                               Units::Metric)
                 .ok());
}

void tst_OpenWeatherMapParser::currentImplausibleValuesAreMissing_data()
{
    QTest::addColumn<QString>("block");
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<Units>("units");
    QTest::addColumn<bool>("kept");

    QTest::newRow("temperature 1e308 °C")
        << u"main"_s << u"temp"_s << 1e308 << Units::Metric << false;
    QTest::newRow("temperature 80 °C") << u"main"_s << u"temp"_s << 80.0 << Units::Metric << false;
    QTest::newRow("temperature 80 °F kept")
        << u"main"_s << u"temp"_s << 80.0 << Units::Imperial << true;
    QTest::newRow("feels-like -1e300")
        << u"main"_s << u"feels_like"_s << -1e300 << Units::Metric << false;
    QTest::newRow("humidity 1e300 %")
        << u"main"_s << u"humidity"_s << 1e300 << Units::Metric << false;
    QTest::newRow("humidity 101 %")
        << u"main"_s << u"humidity"_s << 101.0 << Units::Metric << false;
    QTest::newRow("pressure 1e300 hPa")
        << u"main"_s << u"pressure"_s << 1e300 << Units::Metric << false;
    QTest::newRow("pressure 1200 hPa kept")
        << u"main"_s << u"pressure"_s << 1200.0 << Units::Metric << true;
    QTest::newRow("wind direction 1e300")
        << u"wind"_s << u"deg"_s << 1e300 << Units::Metric << false;
    QTest::newRow("wind direction 361") << u"wind"_s << u"deg"_s << 361.0 << Units::Metric << false;
    QTest::newRow("wind direction 0 kept") << u"wind"_s << u"deg"_s << 0.0 << Units::Metric << true;
    QTest::newRow("wind speed 1e300 m/s")
        << u"wind"_s << u"speed"_s << 1e300 << Units::Metric << false;
    QTest::newRow("wind speed 200 m/s")
        << u"wind"_s << u"speed"_s << 200.0 << Units::Metric << false;
    QTest::newRow("wind speed 113 m/s (record gust) kept")
        << u"wind"_s << u"speed"_s << 113.0 << Units::Metric << true;
}

void tst_OpenWeatherMapParser::currentImplausibleValuesAreMissing()
{
    QFETCH(QString, block);
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(Units, units);
    QFETCH(bool, kept);
    if (!kept)
        QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"^ignoring implausible"_s));
    const auto result = OpenWeatherMapParser::parseCurrent(
        testDataWithValue(u"owm_current_metric.json"_s, block, key, value), units);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const CurrentConditions &c = *result.value;
    const QHash<QString, std::optional<double>> fields{
        {u"temp"_s, c.temperature},  {u"feels_like"_s, c.feelsLike}, {u"humidity"_s, c.humidity},
        {u"pressure"_s, c.pressure}, {u"deg"_s, c.windDirection},
    };
    if (key == u"speed"_s) {
        const double shown = units == Units::Metric ? value * 3.6 : value;
        QCOMPARE(c.windSpeed, kept ? std::optional<double>(shown) : std::nullopt);
    } else {
        QVERIFY(fields.contains(key));
        QCOMPARE(fields.value(key), kept ? std::optional<double>(value) : std::nullopt);
    }
    if (key != u"temp"_s)
        QCOMPARE(c.temperature, 18.6);
    QCOMPARE(c.observationTime, QDateTime::fromSecsSinceEpoch(1661870592, Qt::UTC));
}

void tst_OpenWeatherMapParser::forecastImplausibleOffsetFoldsInUtc_data()
{
    QTest::addColumn<QJsonValue>("timezone");
    QTest::newRow("timezone 1e300") << QJsonValue(1e300);
    QTest::newRow("timezone +24 h") << QJsonValue(86400);
    QTest::newRow("timezone -2^31") << QJsonValue(-2147483648.0);
}

void tst_OpenWeatherMapParser::forecastImplausibleOffsetFoldsInUtc()
{
    QFETCH(QJsonValue, timezone);
    const QByteArray golden = loadTestData(u"owm_forecast_toronto_offset.json"_s);
    QJsonObject root = QJsonDocument::fromJson(golden).object();
    QJsonObject city = root.value(u"city"_s).toObject();
    city.insert(u"timezone"_s, 0);
    root.insert(u"city"_s, city);
    const auto utc = OpenWeatherMapParser::parseForecast(
        QJsonDocument(root).toJson(QJsonDocument::Compact), Units::Metric);
    city.insert(u"timezone"_s, timezone);
    root.insert(u"city"_s, city);
    QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"implausible UTC offset"_s));
    const auto absurd = OpenWeatherMapParser::parseForecast(
        QJsonDocument(root).toJson(QJsonDocument::Compact), Units::Metric);
    QVERIFY(utc.ok());
    QVERIFY(absurd.ok());
    QVERIFY(!absurd.value->isEmpty());
    // The same days as in UTC, but the offset stays unknown rather than claimed to be 0.
    DailyForecastList utcDays = *utc.value;
    for (DailyForecast &day : utcDays) {
        QCOMPARE(day.utcOffsetSeconds, std::optional<int>(0));
        day.utcOffsetSeconds.reset();
    }
    QCOMPARE(*absurd.value, utcDays);
    for (const DailyForecast &day : *absurd.value)
        QVERIFY(day.date.isValid());
}

void tst_OpenWeatherMapParser::forecastImplausibleTemperaturesAreMissing()
{
    const QJsonArray list{
        QJsonObject{
            {u"dt"_s, 1780012800},
            {u"main"_s,
             QJsonObject{{u"temp_min"_s, -1e308}, {u"temp_max"_s, 1e308}, {u"temp"_s, 15.0}}}},
        QJsonObject{{u"dt"_s, 1780023600},
                    {u"main"_s, QJsonObject{{u"temp_min"_s, 12.0}, {u"temp_max"_s, 1e300}}}},
    };
    const QByteArray body
        = QJsonDocument(QJsonObject{{u"list"_s, list}}).toJson(QJsonDocument::Compact);
    const auto result = OpenWeatherMapParser::parseForecast(body, Units::Metric);
    QVERIFY(result.ok());
    QCOMPARE(result.value->size(), 1);
    // temp stands in for an absurd temp_min/temp_max, as for a missing one.
    QCOMPARE(result.value->constFirst().minTemp, 12.0);
    QCOMPARE(result.value->constFirst().maxTemp, 15.0);
}

void tst_OpenWeatherMapParser::geocodingKeepsAtMostTheRequestedCount()
{
    QJsonArray places;
    for (int i = 0; i < 30000; ++i)
        places.append(QJsonObject{{u"name"_s, u"Place %1"_s.arg(i)},
                                  {u"lat"_s, 51.5},
                                  {u"lon"_s, -0.12},
                                  {u"country"_s, u"GB"_s}});
    const QByteArray body = QJsonDocument(places).toJson(QJsonDocument::Compact);
    const auto result = OpenWeatherMapParser::parseGeocoding(body, kRequested);
    QVERIFY(result.ok());
    QCOMPARE(result.value->size(), kRequested);
    QCOMPARE(result.value->constFirst().name, u"Place 0"_s);
    QCOMPARE(result.value->constLast().name, u"Place 4"_s);
}

void tst_OpenWeatherMapParser::geocodingAndDescriptionsAreCapped()
{
    const QString huge(1024 * 1024, u'z');
    const QByteArray places = QJsonDocument(QJsonArray{QJsonObject{
                                                {u"name"_s, huge},
                                                {u"state"_s, huge},
                                                {u"country"_s, huge},
                                                {u"lat"_s, 51.5},
                                                {u"lon"_s, -0.12},
                                            }})
                                  .toJson(QJsonDocument::Compact);
    const auto found = OpenWeatherMapParser::parseGeocoding(places, kRequested);
    QVERIFY(found.ok());
    QCOMPARE(found.value->size(), 1);
    QCOMPARE(found.value->constFirst().name, QString(200, u'z'));
    QCOMPARE(found.value->constFirst().region, QString(200, u'z'));
    QCOMPARE(found.value->constFirst().countryCode, QString(200, u'Z'));

    QJsonObject root = QJsonDocument::fromJson(loadTestData(u"owm_current_metric.json"_s)).object();
    root.insert(u"weather"_s, QJsonArray{QJsonObject{{u"id"_s, 800}, {u"description"_s, huge}}});
    const auto current = OpenWeatherMapParser::parseCurrent(
        QJsonDocument(root).toJson(QJsonDocument::Compact), Units::Metric);
    QVERIFY(current.ok());
    QCOMPARE(current.value->description, u"Z"_s + QString(199, u'z'));
}

QTEST_GUILESS_MAIN(tst_OpenWeatherMapParser)
#include "tst_openweathermapparser.moc"
