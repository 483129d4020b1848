// SPDX-License-Identifier: MIT
#pragma once

#include "weather/airreport.h"
#include "weather/currentconditions.h"
#include "weather/dailyforecast.h"
#include "weather/hourlyforecast.h"
#include "weather/location.h"
#include "weather/statusformat.h"
#include "weather/weatheranswer.h"
#include "weather/weathererror.h"

#include <QCoreApplication>
#include <QFuture>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class CliAlerts;
class SqliteTier;
class WeatherService;
struct UnitSet;

/**
 * weatherdash-cli's run: looks up the cities one after another and prints each as it is
 * answered (lines, JSON or a status-bar line; clioutput.h), then the statistics when asked,
 * and quits the application with the exit status once every tier has its writes.
 *
 * Ownership: the service and the disk tier are borrowed (a WeatherStack's) and must outlive it.
 * Named Run, at namespace scope: lupdate files its tr() texts under "Run", the context
 * Q_DECLARE_TR_FUNCTIONS gives them at run time.
 */
class Run : public QObject
{
public:
    /**
     * How long, once the weather is in, the run waits for air quality and the nowcast (issue
     * 23): a slow air server costs a run this at worst, never the provider's whole timeout.
     */
    static constexpr int kAirGraceMs = 2'000;
    Run(WeatherService *service, SqliteTier *disk, QStringList cities, bool json, bool force,
        bool stats, bool daily, bool hourly);
    void start() { next(); }
    // --- "Here" (issue 24): the city kHereQuery is the position's place, found by `lookup` ---
    static inline const QString kHereQuery = QStringLiteral("--here");
    using HereLookup = std::function<QFuture<WeatherAnswer<QList<Location>>>()>;
    void setHere(HereLookup lookup) { m_here = std::move(lookup); }
    /**
     * --format: each city's answer becomes a status-bar line instead; its tooltip's next hours
     * and %p come from the hourly entry.
     */
    void setStatusFormat(const StatusFormat &format);
    /** The text's and the tooltip's air-quality index (issue 23; %a stays European). */
    void setAirQualityScale(AirQuality::Scale scale) { m_airScale = scale; }
    /** Live alerts beside the weather (issue 22); borrowed, outlives the run. */
    void setAlerts(CliAlerts *alerts) { m_alerts = alerts; }

private:
    void next();

    /** The days and the hours, each through its own cache entry, when they are printed. */
    void fetchDays(const QString &city, const QList<Location> &candidates,
                   const WeatherAnswer<CurrentConditions> &w);
    void finishCity(const QString &city, const QList<Location> &candidates,
                    const WeatherAnswer<CurrentConditions> &w);

    /** The place's offset: the forecast's, else the place's own when the geocoder said. */
    std::optional<int> placeOffset(const Location &location) const;
    DailyForecastList shownDays(const Location &location) const;
    HourlyForecastList shownHours() const;
    void printDaily(const Location &location, const UnitSet &units) const;
    void printHourly(const UnitSet &units) const;
    void report(const QString &city, const Location *location, const QList<Location> &candidates,
                const WeatherError &error, const WeatherAnswer<CurrentConditions> *weather);

    /** "<city>: <why>", one line, flushed. Names the city as typed, never the cache's key. */
    static void complainAbout(const QString &city, WeatherError error);
    void finish();
    void exit();

    // lupdate files this class's tr() texts under "Run": the context must say the same.
    Q_DECLARE_TR_FUNCTIONS(Run)

    WeatherService *m_service;
    SqliteTier *m_disk;
    QStringList m_cities;
    qsizetype m_index = 0;
    bool m_json;
    bool m_force;
    bool m_stats;
    bool m_daily;
    bool m_hourly;
    bool m_failed = false;
    std::optional<StatusFormat> m_format;
    std::optional<WeatherAnswer<DailyForecastList>> m_days; // of the city being answered
    std::optional<WeatherAnswer<HourlyForecastList>> m_hours;
    // Air quality and the nowcast (issue 23): asked beside the weather, only when shown.
    AirReport::Feeds airFeeds() const;
    AirReport::Answers m_air;
    std::optional<QFuture<AirReport::Answers>> m_airFuture;
    std::shared_ptr<const AirReport::Answers> m_airSoFar; // what has come of m_airFuture
    AirReport::Feeds m_airAsked;
    AirQuality::Scale m_airScale = AirQuality::Scale::European;
    HereLookup m_here;
    CliAlerts *m_alerts = nullptr; // issue 22
    bool m_alertsAwaited = false;
};
