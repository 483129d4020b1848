// SPDX-License-Identifier: MIT
#include "clockjumpdetector.h"

#include "asynccachebase.h"
#include "clock.h"

ClockJumpDetector::ClockJumpDetector(Clock *clock, QObject *parent, Monotonic monotonic)
    : QObject(parent)
    , m_clock(clock)
    , m_monotonic(std::move(monotonic))
{
    Q_ASSERT(clock);
    if (!m_monotonic) {
        m_elapsed.start();
        m_monotonic = [this] {
            return m_elapsed.elapsed();
        };
    }
    m_lastWall = m_clock->now();
    m_lastSteady = m_monotonic();
    m_timer.setInterval(kCheckIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ClockJumpDetector::check);
    m_timer.start();
}

bool ClockJumpDetector::check()
{
    const qint64 wall = m_clock->now();
    const qint64 steady = m_monotonic();
    const qint64 delta = (wall - m_lastWall) - (steady - m_lastSteady);
    m_lastWall = wall;
    m_lastSteady = steady;
    if (qAbs(delta) <= kThresholdMs)
        return false;
    qCInfo(lcCache) << "wall clock jumped by" << delta << "ms (suspend or clock change)";
    Q_EMIT jumpDetected(delta);
    Q_EMIT m_clock->jumped();
    return true;
}
