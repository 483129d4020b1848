// SPDX-License-Identifier: MIT
#pragma once

#include "units.h"
#include "weathercondition.h"

#include <QDate>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * One day of a forecast, dated in the place's own local calendar (not the user's). A plain
 * value. Temperatures are nullopt when the provider sent null for that day.
 */
struct DailyForecast
{
    QDate date;
    std::optional<double> minTemp;
    std::optional<double> maxTemp;
    WeatherCondition condition = WeatherCondition::Unknown;
    QString description; ///< English, sentence case
    Units units = Units::Metric;
    /**
     * The place's offset from UTC (seconds) that the forecast dated its days with, when the
     * provider said: what "today" is there is now + this offset, not the viewer's date.
     */
    std::optional<int> utcOffsetSeconds;

    QString iconName() const { return weatherIconName(condition, true); }

    friend bool operator==(const DailyForecast &, const DailyForecast &) = default;
};

/** The coming days, oldest first, one entry per local date. */
using DailyForecastList = QList<DailyForecast>;

QDataStream &operator<<(QDataStream &out, const DailyForecast &day);
QDataStream &operator>>(QDataStream &in, DailyForecast &day);

Q_DECLARE_METATYPE(DailyForecast)
