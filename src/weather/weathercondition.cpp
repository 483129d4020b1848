// SPDX-License-Identifier: MIT
#include "weathercondition.h"

#include <QCoreApplication>
#include <QDataStream>

using namespace Qt::StringLiterals;

QString weatherIconName(WeatherCondition condition, bool isDay)
{
    switch (condition) {
    case WeatherCondition::Clear:
        return isDay ? u"weather-clear"_s : u"weather-clear-night"_s;
    case WeatherCondition::PartlyCloudy:
        return isDay ? u"weather-few-clouds"_s : u"weather-few-clouds-night"_s;
    case WeatherCondition::Cloudy:
    case WeatherCondition::Overcast:
        return u"weather-overcast"_s;
    case WeatherCondition::Fog:
        return u"weather-fog"_s;
    case WeatherCondition::Drizzle:
    case WeatherCondition::Showers:
        return u"weather-showers-scattered"_s;
    case WeatherCondition::Rain:
    case WeatherCondition::FreezingRain:
        return u"weather-showers"_s;
    case WeatherCondition::Snow:
    case WeatherCondition::SnowShowers:
        return u"weather-snow"_s;
    case WeatherCondition::Thunderstorm:
        return u"weather-storm"_s;
    case WeatherCondition::Unknown:
        break;
    }
    return u"dialog-question"_s;
}

QString weatherConditionToString(WeatherCondition condition)
{
    switch (condition) {
    case WeatherCondition::Clear:
        return u"clear"_s;
    case WeatherCondition::PartlyCloudy:
        return u"partly-cloudy"_s;
    case WeatherCondition::Cloudy:
        return u"cloudy"_s;
    case WeatherCondition::Overcast:
        return u"overcast"_s;
    case WeatherCondition::Fog:
        return u"fog"_s;
    case WeatherCondition::Drizzle:
        return u"drizzle"_s;
    case WeatherCondition::Rain:
        return u"rain"_s;
    case WeatherCondition::FreezingRain:
        return u"freezing-rain"_s;
    case WeatherCondition::Snow:
        return u"snow"_s;
    case WeatherCondition::Showers:
        return u"showers"_s;
    case WeatherCondition::SnowShowers:
        return u"snow-showers"_s;
    case WeatherCondition::Thunderstorm:
        return u"thunderstorm"_s;
    case WeatherCondition::Unknown:
        break;
    }
    return u"unknown"_s;
}

int weatherConditionSeverity(WeatherCondition condition)
{
    switch (condition) {
    case WeatherCondition::Unknown:
        return 0;
    case WeatherCondition::Clear:
        return 1;
    case WeatherCondition::PartlyCloudy:
        return 2;
    case WeatherCondition::Cloudy:
        return 3;
    case WeatherCondition::Overcast:
        return 4;
    case WeatherCondition::Fog:
        return 5;
    case WeatherCondition::Drizzle:
        return 6;
    case WeatherCondition::Showers:
        return 7;
    case WeatherCondition::Rain:
        return 8;
    case WeatherCondition::SnowShowers:
        return 9;
    case WeatherCondition::Snow:
        return 10;
    case WeatherCondition::FreezingRain:
        return 11;
    case WeatherCondition::Thunderstorm:
        return 12;
    }
    return 0;
}

WeatherCondition weatherConditionFromWmoCode(int code)
{
    switch (code) {
    case 0:
        return WeatherCondition::Clear;
    case 1:
    case 2:
        return WeatherCondition::PartlyCloudy;
    case 3:
        return WeatherCondition::Overcast;
    case 45:
    case 48:
        return WeatherCondition::Fog;
    case 51:
    case 53:
    case 55:
        return WeatherCondition::Drizzle;
    case 56:
    case 57:
    case 66:
    case 67:
        return WeatherCondition::FreezingRain;
    case 61:
    case 63:
    case 65:
        return WeatherCondition::Rain;
    case 71:
    case 73:
    case 75:
    case 77:
        return WeatherCondition::Snow;
    case 80:
    case 81:
    case 82:
        return WeatherCondition::Showers;
    case 85:
    case 86:
        return WeatherCondition::SnowShowers;
    case 95:
    case 96:
    case 99:
        return WeatherCondition::Thunderstorm;
    default:
        return WeatherCondition::Unknown;
    }
}

QString weatherDescriptionFromWmoCode(int code)
{
    switch (code) {
    case 0:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Clear sky"));
    case 1:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Mainly clear"));
    case 2:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Partly cloudy"));
    case 3:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Overcast"));
    case 45:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Fog"));
    case 48:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Depositing rime fog"));
    case 51:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Light drizzle"));
    case 53:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Moderate drizzle"));
    case 55:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Dense drizzle"));
    case 56:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Light freezing drizzle"));
    case 57:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Dense freezing drizzle"));
    case 61:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Slight rain"));
    case 63:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Moderate rain"));
    case 65:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Heavy rain"));
    case 66:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Light freezing rain"));
    case 67:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Heavy freezing rain"));
    case 71:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Slight snow fall"));
    case 73:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Moderate snow fall"));
    case 75:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Heavy snow fall"));
    case 77:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Snow grains"));
    case 80:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Slight rain showers"));
    case 81:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Moderate rain showers"));
    case 82:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Violent rain showers"));
    case 85:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Slight snow showers"));
    case 86:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Heavy snow showers"));
    case 95:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Thunderstorm"));
    case 96:
        return QStringLiteral(
            QT_TRANSLATE_NOOP("WeatherCondition", "Thunderstorm with slight hail"));
    case 99:
        return QStringLiteral(
            QT_TRANSLATE_NOOP("WeatherCondition", "Thunderstorm with heavy hail"));
    default:
        return QStringLiteral(QT_TRANSLATE_NOOP("WeatherCondition", "Unknown weather"));
    }
}

WeatherCondition weatherConditionFromOpenWeatherMapId(int id)
{
    if (id >= 200 && id < 300)
        return WeatherCondition::Thunderstorm;
    if (id >= 300 && id < 400)
        return WeatherCondition::Drizzle;
    if (id == 511)
        return WeatherCondition::FreezingRain;
    if (id >= 500 && id < 520)
        return WeatherCondition::Rain;
    if (id >= 520 && id < 600)
        return WeatherCondition::Showers;
    if (id >= 611 && id <= 613) // sleet
        return WeatherCondition::FreezingRain;
    if (id >= 620 && id < 700)
        return WeatherCondition::SnowShowers;
    if (id >= 600 && id < 700)
        return WeatherCondition::Snow;
    if (id == 771 || id == 781) // squalls, tornado
        return WeatherCondition::Thunderstorm;
    if (id >= 700 && id < 800)
        return WeatherCondition::Fog;
    switch (id) {
    case 800:
        return WeatherCondition::Clear;
    case 801:
    case 802:
        return WeatherCondition::PartlyCloudy;
    case 803:
        return WeatherCondition::Cloudy;
    case 804:
        return WeatherCondition::Overcast;
    default:
        return WeatherCondition::Unknown;
    }
}

QDataStream &operator<<(QDataStream &out, WeatherCondition condition)
{
    return out << static_cast<quint8>(condition);
}

QDataStream &operator>>(QDataStream &in, WeatherCondition &condition)
{
    quint8 raw = 0;
    in >> raw;
    if (raw > static_cast<quint8>(WeatherCondition::Unknown)) {
        in.setStatus(QDataStream::ReadCorruptData);
        raw = static_cast<quint8>(WeatherCondition::Unknown);
    }
    condition = static_cast<WeatherCondition>(raw);
    return in;
}

QString translatedDescription(const QString &description)
{
    // Open-Meteo's texts come from the table above, in English, and are kept that way in the
    // cache (a cached answer outlives a change of language); they are translated when shown.
    // OpenWeatherMap's come in the language they were asked in: no entry here, so unchanged.
    return QCoreApplication::translate("WeatherCondition", description.toUtf8().constData());
}
