// SPDX-License-Identifier: MIT
#pragma once

#include "units.h"
#include "weatherresult.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

class QDataStream;

/**
 * Precipitation in the coming hours in 15-minute steps: the forecast API's
 * `minutely_15=precipitation`. Real 15-minute models in central Europe and North America,
 * interpolated from hourly data elsewhere (the card says "about").
 *
 * Open-Meteo's `minutely_15` precipitation is the sum of the *preceding* 15 minutes (as its
 * hourly precipitation is of the preceding hour): a step stamped 14:15 is the rain from 14:00
 * to 14:15. NowcastStep keeps both ends so nobody has to remember.
 */
struct NowcastStep
{
    QDateTime end; ///< the step's end, UTC (the time Open-Meteo stamps it with)
    std::optional<double> precipitation; ///< over the 15 minutes, in the Nowcast's unit

    QDateTime start() const { return end.addSecs(-15 * 60); }
    friend bool operator==(const NowcastStep &, const NowcastStep &) = default;
};

struct Nowcast
{
    Q_DECLARE_TR_FUNCTIONS(Nowcast)
public:
    static constexpr int kStepMinutes = 15;
    /** Steps asked for: 6 hours, so a two-hour strip is still full when an answer is old. */
    static constexpr int kStepsAsked = 24;
    /** Steps a nowcast keeps: 16 days, Open-Meteo's most. */
    static constexpr qsizetype kMaxSteps = 16 * 24 * 4;
    /** Over 15 minutes: 0.1 mm is the smallest amount a gauge counts, and a light drizzle. */
    static constexpr double kWetMm = 0.1;

    QList<NowcastStep> steps; ///< oldest first
    std::optional<int> utcOffsetSeconds;
    PrecipitationUnit unit = PrecipitationUnit::Millimetre;

    /** The steps that end after `nowUtc` and start before `nowUtc` + `minutes`. */
    QList<NowcastStep> upcoming(const QDateTime &nowUtc, int minutes = 120) const;
    Nowcast convertedTo(PrecipitationUnit target) const;

    friend bool operator==(const Nowcast &, const Nowcast &) = default;
};

/**
 * What the next two hours bring, worked out from a nowcast at a given time: a pure function
 * of both (tests pass a fixed clock).
 */
struct RainOutlook
{
    Q_DECLARE_TR_FUNCTIONS(RainOutlook)
public:
    enum class Kind : quint8 {
        Unknown, ///< no step covers now (the nowcast is too old or empty)
        Dry, ///< no rain within the horizon
        Starts, ///< dry now, rain in `minutes`
        Stops, ///< raining now, dry in `minutes`
        Continues, ///< raining now and for the whole horizon
    };
    Kind kind = Kind::Unknown;
    int minutes = 0; ///< Starts / Stops: from now, rounded to 5 minutes, at least 5
    int horizonMinutes = 120; ///< how far ahead Dry and Continues hold

    /**
     * `nowcast` read at `nowUtc`, `horizonMinutes` ahead; a step is wet from Nowcast::kWetMm
     * (in the nowcast's unit). Dry and Continues are said only when every step up to the
     * horizon is known; a gap (a null, or the nowcast ending) before any change is Unknown.
     */
    static RainOutlook from(const Nowcast &nowcast, const QDateTime &nowUtc,
                            int horizonMinutes = 120);

    /** True when rain starts within `minutes` (the notice's question). */
    bool startsWithin(int minutes) const
    {
        return kind == Kind::Starts && this->minutes <= minutes;
    }
    /**
     * "Rain in 20 min", "Rain stops in 35 min", "Rain for the next 2 hours", "No rain for the
     * next 2 hours"; empty for Unknown.
     */
    QString text() const;
    /** "Rain in Berlin in about 20 minutes": for the rain notice. Empty unless Starts. */
    QString noticeText(const QString &place) const;

    friend bool operator==(const RainOutlook &, const RainOutlook &) = default;
};

QDataStream &operator<<(QDataStream &out, const Nowcast &nowcast);
QDataStream &operator>>(QDataStream &in, Nowcast &nowcast);

Q_DECLARE_METATYPE(Nowcast)

namespace NowcastParser {

/**
 * /v1/forecast with `minutely_15=precipitation`: one step per time, its local wall time made
 * UTC by `utc_offset_seconds`. A step whose time is unreadable is skipped; a precipitation
 * outside 0..1000 mm is missing. No `minutely_15.time` array: BadResponse.
 */
WeatherResult<Nowcast> parse(const QByteArray &body);

} // namespace NowcastParser
