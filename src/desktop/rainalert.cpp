// SPDX-License-Identifier: MIT
#include "rainalert.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kHourMs = 3600'000;

QString tr(const char *text)
{
    return QCoreApplication::translate("RainAlert", text);
}
} // namespace

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
        if (start + kHourMs <= nowMs || start > spellHorizon || !isWet(p))
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
    const QString time = QLocale().toString(next->time.time(), QLocale::ShortFormat);
    notice.body = details.isEmpty()
                      ? tr("Rain is expected from %1.").arg(time)
                      : tr("Rain is expected from %1 (%2).").arg(time, details.join(u", "_s));
    return notice;
}
