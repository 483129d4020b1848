// SPDX-License-Identifier: MIT
#pragma once

// Payloads of every kind, with every field set and with none: the payload fuzzer's seeds
// (written by payloadseedgen) and the round trips of tst_payloadcodec.

#include "weather/payloadcodec.h"

#include <QList>
#include <QString>

#include <cmath>
#include <limits>
#include <utility>

namespace SamplePayloads {

inline QList<std::pair<QString, WeatherPayload>> all()
{
    Location berlin;
    berlin.name = QStringLiteral("Berlin");
    berlin.region = QStringLiteral("Berlin");
    berlin.country = QStringLiteral("Germany");
    berlin.countryCode = QStringLiteral("DE");
    berlin.latitude = 52.52437;
    berlin.longitude = 13.41053;
    berlin.timezone = QStringLiteral("Europe/Berlin");
    berlin.utcOffsetSeconds = 7200;
    Location sparse;
    sparse.name = QStringLiteral("São Tomé \U0001F30D");
    sparse.latitude = -0.5;
    sparse.longitude = 179.99;

    CurrentConditions now;
    now.temperature = 21.4;
    now.feelsLike = 20.9;
    now.humidity = 58.0;
    now.pressure = 29.77; // inHg: these are imperial units
    now.windSpeed = 14.8;
    now.windDirection = 245.0;
    now.description = QStringLiteral("Moderate rain");
    now.condition = WeatherCondition::Rain;
    now.isDay = false;
    now.observationTime = QDateTime(QDate(2026, 8, 22), QTime(12, 15), Qt::UTC);
    now.windGusts = 31.0;
    now.precipitation = 0.4;
    now.sunrise = QDateTime(QDate(2026, 8, 22), QTime(4, 2), Qt::UTC);
    now.sunset = QDateTime(QDate(2026, 8, 22), QTime(18, 11), Qt::UTC);
    now.units = UnitSet::imperial();
    now.dewPoint = 55.0; // °F
    now.visibility = 6200.0; // metres whatever the units
    now.cloudCover = 100.0;

    DailyForecast day;
    day.date = QDate(2026, 8, 22);
    day.minTemp = 14.2;
    day.maxTemp = 24.1;
    day.condition = WeatherCondition::Thunderstorm;
    day.description = QStringLiteral("Thunderstorm");
    day.utcOffsetSeconds = 7200;
    day.precipitationSum = 12.9;
    day.precipitationProbabilityMax = 95.0;
    day.uvIndexMax = 6.0;
    day.sunrise = QDateTime(QDate(2026, 8, 22), QTime(4, 2), Qt::UTC);
    day.sunset = QDateTime(QDate(2026, 8, 22), QTime(18, 11), Qt::UTC);
    day.units = {TemperatureUnit::Fahrenheit, WindSpeedUnit::Beaufort,
                 PressureUnit::MillimetreOfMercury, PrecipitationUnit::Inch};
    DailyForecast blank;
    blank.date = QDate(2026, 8, 23);

    HourlyForecast hour;
    hour.time = QDateTime(QDate(2026, 8, 22), QTime(12, 0), Qt::UTC);
    hour.periodHours = 3;
    hour.temperature = -3.5;
    hour.precipitationProbability = 65.0;
    hour.precipitation = 1.2;
    hour.windSpeed = 18.5;
    hour.condition = WeatherCondition::Snow;
    hour.description = QStringLiteral("Light snow");
    hour.isDay = false;
    hour.utcOffsetSeconds = -14400;
    HourlyForecast blankHour;
    blankHour.time = QDateTime(QDate(2026, 8, 22), QTime(13, 0), Qt::UTC);

    // issue 23 (air)
    AirQuality air;
    air.time = QDateTime(QDate(2026, 5, 12), QTime(12, 0), Qt::UTC);
    air.utcOffsetSeconds = 7200;
    air.europeanAqi = 37;
    air.usAqi = 52;
    air.concentrations = {8.4, 14.9, 96.0, 11.3, 1.6, 182.0};
    air.europeanSubIndices = {17, 15, 37, 6, 1, std::nullopt};
    air.usSubIndices = {52, 14, 45, 7, 1, 2};
    air.pollen = {0.0, 12.0, 9.5, std::nullopt, 0.0, 0.0};
    air.concentrationUnit = QStringLiteral("μg/m³");
    air.pollenUnit = QStringLiteral("grains/m³");
    Nowcast nowcast;
    nowcast.utcOffsetSeconds = 7200;
    nowcast.unit = PrecipitationUnit::Inch;
    for (int i = 0; i < 8; ++i) {
        nowcast.steps.append(
            {QDateTime(QDate(2026, 8, 22), QTime(12, 15), Qt::UTC).addSecs(i * 900),
             i == 3 ? std::optional<double>() : std::optional<double>(i * 0.01)});
    }

    return {
        {QStringLiteral("places"), QList<Location>{berlin, sparse}},
        {QStringLiteral("places_empty"), QList<Location>{}},
        {QStringLiteral("places_default"), QList<Location>{Location()}},
        {QStringLiteral("current"), now},
        {QStringLiteral("current_empty"), CurrentConditions()},
        {QStringLiteral("daily"), DailyForecastList{day, blank, day}},
        {QStringLiteral("daily_empty"), DailyForecastList{}},
        {QStringLiteral("hourly"), HourlyForecastList{hour, blankHour}},
        {QStringLiteral("hourly_empty"), HourlyForecastList{}},
        {QStringLiteral("air_quality"), air},
        {QStringLiteral("air_quality_empty"), AirQuality()},
        {QStringLiteral("nowcast"), nowcast},
        {QStringLiteral("nowcast_empty"), Nowcast()},
    };
}

} // namespace SamplePayloads
