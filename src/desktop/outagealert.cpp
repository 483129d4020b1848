// SPDX-License-Identifier: MIT
#include "outagealert.h"

#include "cache/clock.h"

#include <algorithm>

OutageAlert::OutageAlert(Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OutageAlert::check);
    connect(m_clock, &Clock::jumped, this, &OutageAlert::check);
}

void OutageAlert::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    if (!enabled) {
        m_timer.stop();
        m_since = -1;
        m_said = false;
    }
}

void OutageAlert::setThresholdMs(qint64 ms)
{
    m_thresholdMs = std::max<qint64>(ms, 0);
    schedule();
}

void OutageAlert::noteFailure(const QString &place, const WeatherError &error)
{
    if (!m_enabled)
        return;
    m_place = place;
    m_error = error;
    if (m_since < 0) {
        m_since = m_clock->now();
        m_said = false;
    }
    schedule();
    check();
}

void OutageAlert::noteSuccess()
{
    m_timer.stop();
    m_since = -1;
    m_said = false;
}

void OutageAlert::schedule()
{
    if (!m_enabled || m_since < 0 || m_said) {
        m_timer.stop();
        return;
    }
    const qint64 left = m_since + m_thresholdMs - m_clock->now();
    m_timer.start(int(std::clamp<qint64>(left, 0, 24LL * 3600 * 1000)));
}

void OutageAlert::check()
{
    if (!m_enabled || m_since < 0 || m_said)
        return;
    const qint64 failingMs = m_clock->now() - m_since;
    if (failingMs < m_thresholdMs) {
        schedule();
        return;
    }
    m_said = true;
    m_timer.stop();
    const qint64 minutes = failingMs / 60'000;
    const QString body = minutes <= 1
                             ? tr("The weather for %1 could not be updated for a minute. %2")
                                   .arg(m_place, m_error.message())
                             : tr("The weather for %1 could not be updated for %2 minutes. %3")
                                   .arg(m_place, QString::number(minutes), m_error.message());
    Q_EMIT outageLasted(tr("No weather updates"), body);
}
