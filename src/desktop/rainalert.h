// SPDX-License-Identifier: MIT
#pragma once

#include "weather/hourlyforecast.h"
#include "weather/nowcast.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

/**
 * Whether to say "rain soon" for a place, over plain inputs: the place's name and its hourly
 * series of (start of the hour, chance of rain in %, rain in mm), as a forecast gives them.
 *
 * An hour is wet when what is known of it says so: a chance of at least minProbability and,
 * when the amount is known, at least minMm (an amount alone counts when no chance is given).
 * Rain "starts within the hour" when the hour under way is dry and a wet hour begins within
 * lookaheadMs. Each place gets one notice per rain spell: after a notice (or when it is
 * already raining) nothing more is said until the series shows no wet hour from now through
 * spellGapMs (two hours), i.e. the spell is over or called off. So a forecast update that
 * moves a spell's start by an hour or two does not make a second notice.
 *
 * Where there is a nowcast (issue 23) its 15-minute steps are the series instead
 * (fromNowcast()): the notice then says the minute to within a quarter hour, not the hour.
 */
class RainAlert
{
public:
    struct Point
    {
        QDateTime time; ///< start of the hour (or of the step)
        std::optional<double> probability; ///< %
        std::optional<double> mm;
        /** The place's offset from UTC, when known: the notice then gives its time too. */
        std::optional<int> utcOffsetSeconds;
        /** How long the point lasts: an hour, or a nowcast's 15 minutes. */
        qint64 lengthMs = 60 * 60'000;
    };
    /** An hourly forecast as a series, in mm. */
    static QList<Point> fromHourly(const HourlyForecastList &hours);
    /** A nowcast's 15-minute steps as a series, in mm, amounts only (no chance is given). */
    static QList<Point> fromNowcast(const Nowcast &nowcast);
    struct Thresholds
    {
        double minProbability = 50.0;
        double minMm = 0.1;
        qint64 lookaheadMs = 60 * 60'000;
        /** Wet hours with a shorter dry gap between them are one spell. */
        qint64 spellGapMs = 2 * 60 * 60'000;
    };
    struct Notice
    {
        QString title;
        QString body;
        QDateTime startsAt;
    };

    RainAlert() = default;
    explicit RainAlert(const Thresholds &thresholds)
        : m_thresholds(thresholds)
    { }

    /**
     * The newest series for `place` as of `now`; a notice when one is due. It says when
     * relative to now and on whose clock: "Rain in Berlin in about 55 min (18:00 local
     * time)", or with the person's and the place's time when their clocks differ.
     */
    std::optional<Notice> update(const QString &place, const QList<Point> &series,
                                 const QDateTime &now);
    /** The place is no longer watched (removed from the saved places). */
    void forget(const QString &place) { m_inSpell.remove(place); }

    bool isWet(const Point &point) const;

private:
    Thresholds m_thresholds;
    QHash<QString, bool> m_inSpell; // notified, or found it raining: quiet until dry again
};
