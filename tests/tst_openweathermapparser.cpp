// SPDX-License-Identifier: MIT
#include "weather/openweathermapparser.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_OpenWeatherMapParser : public QObject
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
    void geocoding();
    void geocodingNoMatch();
    void currentMetricConvertsWindToKmh();
    void currentImperialNight();
    void currentMinimal();
    void forecastFoldsIntoLocalDays();
    void forecastSparse();
    void badBodies_data();
    void badBodies();
    void errorBodies_data();
    void errorBodies();
    void errorHiddenInSuccessfulStatus_data();
    void errorHiddenInSuccessfulStatus();
};

void tst_OpenWeatherMapParser::geocoding()
{
    const auto result = OpenWeatherMapParser::parseGeocoding(load(u"owm_geocoding_london.json"_s));
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
    const auto result = OpenWeatherMapParser::parseGeocoding(load(u"owm_geocoding_empty.json"_s));
    QVERIFY(result.ok());
    QVERIFY(result.value->isEmpty());
}

void tst_OpenWeatherMapParser::currentMetricConvertsWindToKmh()
{
    const auto result
        = OpenWeatherMapParser::parseCurrent(load(u"owm_current_metric.json"_s), Units::Metric);
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
    QCOMPARE(c.units, Units::Metric);
}

void tst_OpenWeatherMapParser::currentImperialNight()
{
    const auto result = OpenWeatherMapParser::parseCurrent(
        load(u"owm_current_imperial_night.json"_s), Units::Imperial);
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
    const auto result
        = OpenWeatherMapParser::parseCurrent(load(u"owm_current_minimal.json"_s), Units::Metric);
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
        load(u"owm_forecast_toronto_offset.json"_s), Units::Metric);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    const QList<DailyForecast> &days = *result.value;
    QCOMPARE(days.size(), 3);

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
    QCOMPARE(days.at(2).units, Units::Metric);
}

void tst_OpenWeatherMapParser::forecastSparse()
{
    const auto result
        = OpenWeatherMapParser::parseForecast(load(u"owm_forecast_sparse.json"_s), Units::Metric);
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
    const QByteArray body = load(file);
    WeatherError error;
    bool ok = true;
    if (function == u"geocoding") {
        const auto result = OpenWeatherMapParser::parseGeocoding(body);
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
    const WeatherError error = OpenWeatherMapParser::parseError(status, load(file));
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
    const QByteArray body = load(file);
    QCOMPARE(int(OpenWeatherMapParser::parseCurrent(body, Units::Metric).error.kind()), kind);
    QCOMPARE(int(OpenWeatherMapParser::parseForecast(body, Units::Metric).error.kind()), kind);
    QCOMPARE(int(OpenWeatherMapParser::parseGeocoding(body).error.kind()), kind);
}

QTEST_GUILESS_MAIN(tst_OpenWeatherMapParser)
#include "tst_openweathermapparser.moc"
