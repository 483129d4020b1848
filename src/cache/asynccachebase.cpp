// SPDX-License-Identifier: MIT
#include "asynccachebase.h"

#include "clock.h"

#include <QMetaMethod>

Q_LOGGING_CATEGORY(lcCache, "weatherdash.cache", QtWarningMsg)

namespace {
// The timer never sleeps longer than this: after a suspend the monotonic timer is late while
// the wall clock has moved on, and a minute is the longest we let an expiry go unnoticed.
constexpr qint64 kMaxSleepMs = 60'000;
} // namespace

AsyncCacheBase::AsyncCacheBase(Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    Q_ASSERT(clock);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AsyncCacheBase::onTimer);
    connect(m_clock, &Clock::jumped, this, &AsyncCacheBase::onTimer);
}

AsyncCacheBase::~AsyncCacheBase() = default;

void AsyncCacheBase::resetStats()
{
    resetCounters();
    Q_EMIT statsReset();
}

void AsyncCacheBase::scheduleExpiry(qint64 earliestDeadline)
{
    if (earliestDeadline < 0) {
        m_timer.stop();
        m_armedFor = -1;
        return;
    }
    // Armed for the same deadline, or for "now" (that run arms the next deadline itself: a
    // later deadline must not push back a release of memory or a new stale horizon).
    if (m_timer.isActive() && (m_armedFor == earliestDeadline || m_armedFor < 0))
        return;
    const qint64 delay = qBound<qint64>(0, earliestDeadline - m_clock->now(), kMaxSleepMs);
    m_armedFor = earliestDeadline;
    m_timer.start(std::chrono::milliseconds(delay));
}

void AsyncCacheBase::scheduleExpiryNow()
{
    m_armedFor = -1;
    m_timer.start(0);
}

void AsyncCacheBase::onTimer()
{
    bool more = false;
    const qint64 next = processDue(m_clock->now(), &more);
    if (more)
        scheduleExpiryNow();
    else
        scheduleExpiry(next);
}

void AsyncCacheBase::connectNotify(const QMetaMethod &signal)
{
    // Compare the method itself: isSignalConnected() takes the connection lock, and
    // disconnectNotify() runs with it held when a receiver is destroyed (a deadlock we met).
    // The flags stay set after a disconnect: an emission nobody receives costs nanoseconds.
    if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryInserted))
        m_notifyInserted = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryUpdated))
        m_notifyUpdated = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryExpired))
        m_notifyExpired = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryRemoved))
        m_notifyRemoved = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::loadStarted)
             || signal == QMetaMethod::fromSignal(&AsyncCacheBase::loadFinished))
        m_notifyLoads = true;
}
