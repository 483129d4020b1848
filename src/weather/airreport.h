// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "dailyforecast.h"
#include "location.h"
#include "moon.h"
#include "nowcast.h"
#include "weatheranswer.h"

#include <QCoreApplication>
#include <QFuture>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <memory>
#include <optional>

class WeatherService;
struct StatusInput;

/**
 * Air quality, pollen, the nowcast and the moon as the CLI and the status bars say them
 * (issue 23): fetching both feeds beside the weather, their --json form, their text lines.
 * Pure functions apart from fetch(); kept out of cli.cpp so that file only hooks them in.
 */
class AirReport
{
    Q_DECLARE_TR_FUNCTIONS(AirReport)
public:
    /** What the two feeds answered; nullopt: not asked (no place, or not shown). */
    struct Answers
    {
        std::optional<WeatherAnswer<AirQuality>> air;
        std::optional<WeatherAnswer<Nowcast>> nowcast;
    };

    /** Which feeds an output shows, and so which are asked for. */
    struct Feeds
    {
        bool airQuality = true;
        bool nowcast = true;
    };

    /**
     * Asks for the `feeds` at once (through the service's cache); finishes when each has
     * answered, failed ones included (at once when none is asked for). Start it beside the
     * weather's requests: it adds no wait of its own, and a failure here is only a missing line.
     */
    static QFuture<Answers> fetch(WeatherService *service, const Location &place, bool forceRefresh,
                                  Feeds feeds);
    /**
     * fetch() with `sofar` set to what has answered up to now (filled as each feed answers), so
     * a caller that stops waiting can say what came and what did not (late()).
     */
    static QFuture<Answers> fetch(WeatherService *service, const Location &place, bool forceRefresh,
                                  Feeds feeds, std::shared_ptr<const Answers> *sofar);
    /**
     * `sofar` with every feed of `asked` that has not answered yet as a timeout ("did not answer
     * in time"): what the CLI reports once it stops waiting for them.
     */
    static Answers late(const Answers &sofar, Feeds asked);

    /** "37 · fair"; empty without that index. */
    static QString indexText(const AirQuality &air, AirQuality::Scale scale);
    /** "Air quality 37 · fair, mostly ozone"; empty without an index. */
    static QString summary(const AirQuality &air, AirQuality::Scale scale);
    /** "grass: moderate, birch: low": the strongest `count`; empty when there is no pollen. */
    static QString pollenText(const AirQuality &air, int count = 2);

    /** --json "air_quality": the object; null when there is no answer. */
    static QJsonValue airQualityJson(const Answers &answers);
    /** --json "nowcast": [{"time", "precipitation"}] from the step under way, two hours on. */
    static QJsonValue nowcastJson(const Answers &answers, const QDateTime &nowUtc);
    /** Adds "air_quality", "nowcast" and, for failed feeds, "<feed>_error" to `o`. */
    static void addJson(QJsonObject &o, const Answers &answers, const QDateTime &nowUtc);
    /** A daily entry with "moon_phase" (0 new, 0.5 full) and "moon_phase_name" added. */
    static QJsonObject withMoon(QJsonObject day, const DailyForecast &d);

    /**
     * The CLI's text lines: the index, pollen, the rain outlook, or what is missing
     * ("Air quality: not available (…)").
     */
    static QStringList textLines(const Answers &answers, const QDateTime &nowUtc,
                                 AirQuality::Scale scale);
    /** Hands the answers to a status line (%a %r %m %M, the tooltip; its index on `scale`). */
    static void fillStatus(StatusInput &input, const Answers &answers, const QDateTime &nowUtc,
                           AirQuality::Scale scale = AirQuality::Scale::European);
};
