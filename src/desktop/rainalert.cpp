// SPDX-License-Identifier: MIT
#include "rainalert.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("RainAlert", text, nullptr, n);
}

/**
 * When rain starts, on whose clock: the person's (the session's time zone), and the place's
 * when that differs. Hourly times are UTC; formatting them as they are said 17:00 for rain
 * at 18:00 in Berlin. QCoreApplication::translate(), not tr(): lupdate gives a free
 * function's tr() no context.
 */
QString clockText(const RainAlert::Point &point)
{
    const QDateTime mine = point.time.toLocalTime();
    const QString myTime = QLocale().toString(mine.time(), QLocale::ShortFormat);
    if (!point.utcOffsetSeconds)
        return QCoreApplication::translate("RainAlert", "%1 your time").arg(myTime);
    if (*point.utcOffsetSeconds == mine.offsetFromUtc())
        return QCoreApplication::translate("RainAlert", "%1 local time").arg(myTime);
    const QDateTime there = point.time.toUTC().addSecs(*point.utcOffsetSeconds);
    return QCoreApplication::translate("RainAlert", "%1 your time, %2 there")
        .arg(myTime, QLocale().toString(there.time(), QLocale::ShortFormat));
}
} // namespace

QList<RainAlert::Point> RainAlert::fromHourly(const HourlyForecastList &hours)
{
    QList<Point> series;
    series.reserve(hours.size());
    for (const HourlyForecast &shown : hours) {
        const HourlyForecast h = shown.convertedTo(UnitSet::metric()); // mm
        series.append({h.time, h.precipitationProbability, h.precipitation, h.utcOffsetSeconds});
    }
    return series;
}

QList<RainAlert::Point> RainAlert::fromNowcast(const Nowcast &nowcast)
{
    const Nowcast mm = nowcast.convertedTo(PrecipitationUnit::Millimetre);
    QList<Point> series;
    series.reserve(mm.steps.size());
    for (const NowcastStep &step : mm.steps) {
        series.append({step.start(), std::nullopt, step.precipitation, mm.utcOffsetSeconds,
                       qint64(Nowcast::kStepMinutes) * 60'000});
    }
    return series;
}

bool RainAlert::isWet(const Point &point) const
{
    const bool chance = point.probability && *point.probability >= m_thresholds.minProbability;
    const bool amount = point.mm && *point.mm >= m_thresholds.minMm;
    if (point.probability && point.mm)
        return chance && amount;
    return chance || amount;
}

std::optional<RainAlert::Notice> RainAlert::update(const QString &place, const QList<Point> &series,
                                                   const QDateTime &now)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const qint64 horizon = nowMs + m_thresholds.lookaheadMs;
    const qint64 spellHorizon = nowMs + std::max(m_thresholds.lookaheadMs, m_thresholds.spellGapMs);
    bool wetNow = false;
    bool wetSoonish = false; // within the spell gap: the spell, if any, goes on
    const Point *next = nullptr; // the first wet hour that begins after now, within the lookahead
    for (const Point &p : series) {
        const qint64 start = p.time.toMSecsSinceEpoch();
        if (start + p.lengthMs <= nowMs || start > spellHorizon || !isWet(p))
            continue;
        wetSoonish = true;
        if (start > horizon)
            continue;
        if (start <= nowMs)
            wetNow = true;
        else if (!next)
            next = &p;
    }
    bool &inSpell = m_inSpell[place];
    if (!wetSoonish) {
        inSpell = false; // dry through the spell gap: a later spell is news again
        return std::nullopt;
    }
    if (inSpell || (!wetNow && !next))
        return std::nullopt;
    inSpell = true;
    if (wetNow)
        return std::nullopt; // it has started already: that is no "soon"

    Notice notice;
    notice.startsAt = next->time;
    notice.title = tr("Rain soon in %1").arg(place);
    QStringList details;
    if (next->probability)
        details << tr("%1 % chance").arg(std::lround(*next->probability));
    if (next->mm)
        details << tr("%1 mm").arg(*next->mm, 0, 'f', 1);
    // Rounded to whole minutes, at least one: the hour begins after now.
    const int minutes
        = int(std::max<qint64>(1, (next->time.toMSecsSinceEpoch() - nowMs + 30'000) / 60'000));
    const QString when = clockText(*next);
    notice.body = details.isEmpty()
                      ? tr("Rain in %1 in about %n min (%2).", minutes).arg(place, when)
                      : tr("Rain in %1 in about %n min (%2): %3.", minutes)
                            .arg(place, when, details.join(u", "_s));
    return notice;
}
