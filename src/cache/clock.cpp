// SPDX-License-Identifier: MIT
#include "clock.h"

#include <QDateTime>

Clock *Clock::system()
{
    static SystemClock clock;
    return &clock;
}

qint64 SystemClock::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void ManualClock::setNow(qint64 ms)
{
    m_now = ms;
    Q_EMIT jumped();
}
