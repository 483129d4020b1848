// SPDX-License-Identifier: MIT
#include "moon.h"

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDegree = kPi / 180.0;
/** Julian day of the Unix epoch. */
constexpr double kJulianDayOfEpoch = 2440587.5;
/**
 * TT − UTC (32.184 s + leap seconds) in the 2020s. The longitudes below are in Terrestrial
 * Time; a minute off is a twentieth of a degree of the Moon's path.
 */
constexpr double kDeltaTSeconds = 69.2;

double normalizedDegrees(double degrees)
{
    const double d = std::fmod(degrees, 360.0);
    return d < 0 ? d + 360.0 : d;
}

double sinDeg(double degrees)
{
    return std::sin(degrees * kDegree);
}

struct LongitudeTerm
{
    signed char d, m, mPrime, f;
    int coefficient; // 1e-6 degree
};

// Meeus table 47.A: the terms of the Moon's longitude above 0.002°.
constexpr std::array<LongitudeTerm, 34> kLongitudeTerms{{
    {0, 0, 1, 0, 6288774}, {2, 0, -1, 0, 1274027}, {2, 0, 0, 0, 658314},  {0, 0, 2, 0, 213618},
    {0, 1, 0, 0, -185116}, {0, 0, 0, 2, -114332},  {2, 0, -2, 0, 58793},  {2, -1, -1, 0, 57066},
    {2, 0, 1, 0, 53322},   {2, -1, 0, 0, 45758},   {0, 1, -1, 0, -40923}, {1, 0, 0, 0, -34720},
    {0, 1, 1, 0, -30383},  {2, 0, 0, -2, 15327},   {0, 0, 1, 2, -12528},  {0, 0, 1, -2, 10980},
    {4, 0, -1, 0, 10675},  {0, 0, 3, 0, 10034},    {4, 0, -2, 0, 8548},   {2, 1, -1, 0, -7888},
    {2, 1, 0, 0, -6766},   {1, 0, -1, 0, -5163},   {1, 1, 0, 0, 4987},    {2, -1, 1, 0, 4036},
    {2, 0, 2, 0, 3994},    {4, 0, 0, 0, 3861},     {2, 0, -3, 0, 3665},   {0, 1, -2, 0, -2689},
    {2, 0, -1, 2, -2602},  {2, -1, -2, 0, 2390},   {1, 0, 1, 0, -2348},   {2, -2, 0, 0, 2236},
    {0, 1, 2, 0, -2120},   {0, 2, 0, 0, -2069},
}};

/** The Moon's elongation from the Sun, 0..360°, at `msecs` since the epoch (UTC). */
double elongationDegrees(qint64 msecs)
{
    const double jd = kJulianDayOfEpoch + (double(msecs) / 1000.0 + kDeltaTSeconds) / 86400.0;
    const double t = (jd - 2451545.0) / 36525.0; // Julian centuries since J2000.0

    // The Sun (Meeus ch. 25, low precision: 0.01°).
    const double sunMean = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    const double sunAnomaly = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
    const double sunCentre = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sinDeg(sunAnomaly)
                             + (0.019993 - 0.000101 * t) * sinDeg(2 * sunAnomaly)
                             + 0.000289 * sinDeg(3 * sunAnomaly);
    const double sunLongitude = sunMean + sunCentre;

    // The Moon (Meeus ch. 47). Nutation shifts both longitudes alike and cancels out.
    const double moonMean = 218.3164477 + 481267.88123421 * t - 0.0015786 * t * t;
    const double d = 297.8501921 + 445267.1114034 * t - 0.0018819 * t * t;
    const double m = 357.5291092 + 35999.0502909 * t - 0.0001536 * t * t;
    const double mPrime = 134.9633964 + 477198.8675055 * t + 0.0087414 * t * t;
    const double f = 93.2720950 + 483202.0175233 * t - 0.0036539 * t * t;
    const double e = 1.0 - 0.002516 * t - 0.0000074 * t * t;
    double sum = 0.0;
    for (const LongitudeTerm &term : kLongitudeTerms) {
        double coefficient = term.coefficient;
        if (term.m == 1 || term.m == -1)
            coefficient *= e;
        else if (term.m == 2 || term.m == -2)
            coefficient *= e * e;
        sum += coefficient * sinDeg(term.d * d + term.m * m + term.mPrime * mPrime + term.f * f);
    }
    const double a1 = 119.75 + 131.849 * t;
    const double a2 = 53.09 + 479264.290 * t;
    sum += 3958 * sinDeg(a1) + 1962 * sinDeg(moonMean - f) + 318 * sinDeg(a2);
    const double moonLongitude = moonMean + sum / 1e6;

    return normalizedDegrees(moonLongitude - sunLongitude);
}

Moon::PhaseName nameBySector(double phase)
{
    // Eight equal parts of the cycle, each centred on its phase.
    const int sector = int(std::floor(phase * 8.0 + 0.5)) % 8;
    return Moon::PhaseName(sector);
}

} // namespace

Moon::Phase Moon::at(const QDateTime &utc)
{
    const double elongation = elongationDegrees(utc.toMSecsSinceEpoch());
    Phase p;
    p.phase = elongation / 360.0;
    // The phase angle is close to 180° − elongation; the Moon's latitude is neglected (< 0.5 %).
    p.illumination = (1.0 - std::cos(elongation * kDegree)) / 2.0;
    p.name = nameBySector(p.phase);
    return p;
}

Moon::Phase Moon::forDay(const QDate &date, int utcOffsetSeconds)
{
    const qint64 offsetMs = qint64(utcOffsetSeconds) * 1000;
    const qint64 midnight = date.startOfDay(Qt::UTC).toMSecsSinceEpoch() - offsetMs;
    constexpr qint64 kDayMs = 24LL * 3600 * 1000;
    Phase p = at(QDateTime::fromMSecsSinceEpoch(midnight + kDayMs / 2, Qt::UTC));
    // The phase grows by about 0.034 a day: within one day it crosses at most one quarter.
    const double start = at(QDateTime::fromMSecsSinceEpoch(midnight, Qt::UTC)).phase;
    double end = at(QDateTime::fromMSecsSinceEpoch(midnight + kDayMs, Qt::UTC)).phase;
    if (end < start)
        end += 1.0; // a new moon within the day
    for (int quarter = 0; quarter <= 4; ++quarter) {
        const double q = quarter * 0.25;
        if (start <= q && q < end) {
            p.name = PhaseName((quarter % 4) * 2);
            return p;
        }
    }
    // No principal phase today: the part of the cycle between two of them.
    const int between = int(std::floor(p.phase * 4.0)) % 4; // 0: new..first quarter, ...
    p.name = PhaseName(between * 2 + 1);
    return p;
}

QString Moon::displayName(PhaseName name)
{
    switch (name) {
    case PhaseName::NewMoon:
        return tr("New moon");
    case PhaseName::WaxingCrescent:
        return tr("Waxing crescent");
    case PhaseName::FirstQuarter:
        return tr("First quarter");
    case PhaseName::WaxingGibbous:
        return tr("Waxing gibbous");
    case PhaseName::FullMoon:
        return tr("Full moon");
    case PhaseName::WaningGibbous:
        return tr("Waning gibbous");
    case PhaseName::LastQuarter:
        return tr("Last quarter");
    case PhaseName::WaningCrescent:
        return tr("Waning crescent");
    }
    return QString();
}

QString Moon::token(PhaseName name)
{
    static const std::array<QString, 8> kTokens{
        u"new_moon"_s,  u"waxing_crescent"_s, u"first_quarter"_s, u"waxing_gibbous"_s,
        u"full_moon"_s, u"waning_gibbous"_s,  u"last_quarter"_s,  u"waning_crescent"_s,
    };
    return kTokens.at(std::size_t(name) % kTokens.size());
}

QString Moon::symbol(PhaseName name)
{
    static const std::array<QString, 8> kSymbols{
        u"🌑"_s, u"🌒"_s, u"🌓"_s, u"🌔"_s, u"🌕"_s, u"🌖"_s, u"🌗"_s, u"🌘"_s,
    };
    return kSymbols.at(std::size_t(name) % kSymbols.size());
}
