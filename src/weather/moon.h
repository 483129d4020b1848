// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QString>

/**
 * The moon's phase, computed, not fetched: the Moon's and the Sun's apparent ecliptic
 * longitudes (Meeus, "Astronomical Algorithms", 2nd ed., ch. 25 and 47, the larger periodic
 * terms), whose difference is the phase. Good to a few minutes of the published times of new
 * and full moon (tst_moon checks 2025's within 15 minutes; all are within 3). Pure functions, no
 * state.
 */
class Moon
{
    Q_DECLARE_TR_FUNCTIONS(Moon)
public:
    /** The eight names, in the order of the cycle. */
    enum class PhaseName : quint8 {
        NewMoon,
        WaxingCrescent,
        FirstQuarter,
        WaxingGibbous,
        FullMoon,
        WaningGibbous,
        LastQuarter,
        WaningCrescent,
    };

    struct Phase
    {
        /** 0 new, 0.25 first quarter, 0.5 full, 0.75 last quarter, towards 1 new again. */
        double phase = 0.0;
        /** The lit part of the disc as seen from the Earth, 0..1. */
        double illumination = 0.0;
        PhaseName name = PhaseName::NewMoon;
    };

    /** The phase at `utc`; its name by the eighth of the cycle it falls in. */
    static Phase at(const QDateTime &utc);

    /**
     * The phase of a whole day at a place: phase and illumination at the place's local noon;
     * the name of a principal phase (new, first quarter, full, last quarter) when that instant
     * falls within the local day, as almanacs and calendars name days, else the name of the
     * part of the cycle between (waxing crescent, ...).
     */
    static Phase forDay(const QDate &date, int utcOffsetSeconds);

    /** "New moon", "Waxing crescent", ...: translated. */
    static QString displayName(PhaseName name);
    /** "new_moon", "waxing_crescent", ...: stable, for --json. */
    static QString token(PhaseName name);
    /** The wttr.in symbol of the phase (🌑 🌒 🌓 🌔 🌕 🌖 🌗 🌘). */
    static QString symbol(PhaseName name);

    /** The mean length of a lunation, in days. */
    static constexpr double kSynodicMonthDays = 29.530588853;
};
