// SPDX-License-Identifier: MIT
#include "weather/currentconditions.h"
#include "weather/dailyforecast.h"
#include "weather/weathercondition.h"

#include <QDataStream>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_WeatherCondition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void iconName_data();
    void iconName();
    void wmoCodes_data();
    void wmoCodes();
    void openWeatherMapIds_data();
    void openWeatherMapIds();
    void severityOrdersWhatMattersForTheDay();
    void units();
    void valueTypesRoundTripThroughQDataStream();
};

void tst_WeatherCondition::iconName_data()
{
    QTest::addColumn<WeatherCondition>("condition");
    QTest::addColumn<bool>("isDay");
    QTest::addColumn<QString>("icon");
    QTest::newRow("clear day") << WeatherCondition::Clear << true << u"weather-clear"_s;
    QTest::newRow("clear night") << WeatherCondition::Clear << false << u"weather-clear-night"_s;
    QTest::newRow("few clouds day")
        << WeatherCondition::PartlyCloudy << true << u"weather-few-clouds"_s;
    QTest::newRow("few clouds night")
        << WeatherCondition::PartlyCloudy << false << u"weather-few-clouds-night"_s;
    QTest::newRow("cloudy") << WeatherCondition::Cloudy << true << u"weather-overcast"_s;
    QTest::newRow("overcast night") << WeatherCondition::Overcast << false << u"weather-overcast"_s;
    QTest::newRow("fog") << WeatherCondition::Fog << true << u"weather-fog"_s;
    QTest::newRow("drizzle") << WeatherCondition::Drizzle << true << u"weather-showers-scattered"_s;
    QTest::newRow("rain") << WeatherCondition::Rain << true << u"weather-showers"_s;
    QTest::newRow("freezing rain")
        << WeatherCondition::FreezingRain << true << u"weather-showers"_s;
    QTest::newRow("showers") << WeatherCondition::Showers << false
                             << u"weather-showers-scattered"_s;
    QTest::newRow("snow") << WeatherCondition::Snow << true << u"weather-snow"_s;
    QTest::newRow("snow showers") << WeatherCondition::SnowShowers << true << u"weather-snow"_s;
    QTest::newRow("thunderstorm") << WeatherCondition::Thunderstorm << true << u"weather-storm"_s;
    QTest::newRow("unknown") << WeatherCondition::Unknown << true << u"dialog-question"_s;
}

void tst_WeatherCondition::iconName()
{
    QFETCH(WeatherCondition, condition);
    QFETCH(bool, isDay);
    QTEST(weatherIconName(condition, isDay), "icon");
}

void tst_WeatherCondition::wmoCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<WeatherCondition>("condition");
    QTest::addColumn<QString>("description");
    QTest::newRow("0") << 0 << WeatherCondition::Clear << u"Clear sky"_s;
    QTest::newRow("1") << 1 << WeatherCondition::PartlyCloudy << u"Mainly clear"_s;
    QTest::newRow("2") << 2 << WeatherCondition::PartlyCloudy << u"Partly cloudy"_s;
    QTest::newRow("3") << 3 << WeatherCondition::Overcast << u"Overcast"_s;
    QTest::newRow("48") << 48 << WeatherCondition::Fog << u"Depositing rime fog"_s;
    QTest::newRow("53") << 53 << WeatherCondition::Drizzle << u"Moderate drizzle"_s;
    QTest::newRow("57") << 57 << WeatherCondition::FreezingRain << u"Dense freezing drizzle"_s;
    QTest::newRow("65") << 65 << WeatherCondition::Rain << u"Heavy rain"_s;
    QTest::newRow("66") << 66 << WeatherCondition::FreezingRain << u"Light freezing rain"_s;
    QTest::newRow("77") << 77 << WeatherCondition::Snow << u"Snow grains"_s;
    QTest::newRow("82") << 82 << WeatherCondition::Showers << u"Violent rain showers"_s;
    QTest::newRow("86") << 86 << WeatherCondition::SnowShowers << u"Heavy snow showers"_s;
    QTest::newRow("95") << 95 << WeatherCondition::Thunderstorm << u"Thunderstorm"_s;
    QTest::newRow("99") << 99 << WeatherCondition::Thunderstorm
                        << u"Thunderstorm with heavy hail"_s;
    QTest::newRow("4 undefined") << 4 << WeatherCondition::Unknown << u"Unknown weather"_s;
    QTest::newRow("-1") << -1 << WeatherCondition::Unknown << u"Unknown weather"_s;
}

void tst_WeatherCondition::wmoCodes()
{
    QFETCH(int, code);
    QTEST(weatherConditionFromWmoCode(code), "condition");
    QTEST(weatherDescriptionFromWmoCode(code), "description");
}

void tst_WeatherCondition::openWeatherMapIds_data()
{
    QTest::addColumn<int>("id");
    QTest::addColumn<WeatherCondition>("condition");
    QTest::newRow("211 thunderstorm") << 211 << WeatherCondition::Thunderstorm;
    QTest::newRow("301 drizzle") << 301 << WeatherCondition::Drizzle;
    QTest::newRow("501 moderate rain") << 501 << WeatherCondition::Rain;
    QTest::newRow("511 freezing rain") << 511 << WeatherCondition::FreezingRain;
    QTest::newRow("521 shower rain") << 521 << WeatherCondition::Showers;
    QTest::newRow("601 snow") << 601 << WeatherCondition::Snow;
    QTest::newRow("612 sleet") << 612 << WeatherCondition::FreezingRain;
    QTest::newRow("621 shower snow") << 621 << WeatherCondition::SnowShowers;
    QTest::newRow("701 mist") << 701 << WeatherCondition::Fog;
    QTest::newRow("781 tornado") << 781 << WeatherCondition::Thunderstorm;
    QTest::newRow("800 clear") << 800 << WeatherCondition::Clear;
    QTest::newRow("801 few clouds") << 801 << WeatherCondition::PartlyCloudy;
    QTest::newRow("802 scattered") << 802 << WeatherCondition::PartlyCloudy;
    QTest::newRow("803 broken") << 803 << WeatherCondition::Cloudy;
    QTest::newRow("804 overcast") << 804 << WeatherCondition::Overcast;
    QTest::newRow("900 unknown") << 900 << WeatherCondition::Unknown;
}

void tst_WeatherCondition::openWeatherMapIds()
{
    QFETCH(int, id);
    QTEST(weatherConditionFromOpenWeatherMapId(id), "condition");
}

void tst_WeatherCondition::severityOrdersWhatMattersForTheDay()
{
    const QList<WeatherCondition> ascending{
        WeatherCondition::Unknown,     WeatherCondition::Clear,    WeatherCondition::PartlyCloudy,
        WeatherCondition::Cloudy,      WeatherCondition::Overcast, WeatherCondition::Fog,
        WeatherCondition::Drizzle,     WeatherCondition::Showers,  WeatherCondition::Rain,
        WeatherCondition::SnowShowers, WeatherCondition::Snow,     WeatherCondition::FreezingRain,
        WeatherCondition::Thunderstorm};
    for (qsizetype i = 1; i < ascending.size(); ++i) {
        QVERIFY2(weatherConditionSeverity(ascending.at(i))
                     > weatherConditionSeverity(ascending.at(i - 1)),
                 qPrintable(weatherConditionToString(ascending.at(i))));
    }
}

void tst_WeatherCondition::units()
{
    QCOMPARE(temperatureUnitText(Units::Metric), u"°C"_s);
    QCOMPARE(temperatureUnitText(Units::Imperial), u"°F"_s);
    QCOMPARE(windSpeedUnitText(Units::Metric), u"km/h"_s);
    QCOMPARE(windSpeedUnitText(Units::Imperial), u"mph"_s);
    QCOMPARE(unitsFromString(u" Imperial "), Units::Imperial);
    QCOMPARE(unitsFromString(unitsToString(Units::Metric)), Units::Metric);
    QVERIFY(!unitsFromString(u"kelvin"));
}

void tst_WeatherCondition::valueTypesRoundTripThroughQDataStream()
{
    CurrentConditions current;
    current.temperature = -3.5;
    current.humidity = 81;
    current.windSpeed = 12.0;
    current.description = u"Slight snow fall"_s;
    current.condition = WeatherCondition::Snow;
    current.isDay = false;
    current.observationTime = QDateTime(QDate(2026, 1, 2), QTime(3, 15), Qt::UTC);
    current.units = UnitSet::asked(Units::Imperial);

    DailyForecast day;
    day.date = QDate(2026, 1, 3);
    day.maxTemp = 1.0;
    day.condition = WeatherCondition::Fog;
    day.description = u"Fog"_s;

    QByteArray blob;
    {
        QDataStream out(&blob, QIODevice::WriteOnly);
        out << current << DailyForecastList{day, DailyForecast()};
    }
    QDataStream in(blob);
    CurrentConditions currentCopy;
    DailyForecastList daysCopy;
    in >> currentCopy >> daysCopy;
    QCOMPARE(in.status(), QDataStream::Ok);
    QCOMPARE(currentCopy, current);
    QVERIFY(!currentCopy.feelsLike); // nullopt survives, not 0
    QCOMPARE(daysCopy, (DailyForecastList{day, DailyForecast()}));

    QByteArray truncated = blob.left(blob.size() / 2);
    QDataStream broken(truncated);
    CurrentConditions partial;
    DailyForecastList partialDays;
    broken >> partial >> partialDays;
    QVERIFY(broken.status() != QDataStream::Ok);
}

QTEST_GUILESS_MAIN(tst_WeatherCondition)
#include "tst_weathercondition.moc"
