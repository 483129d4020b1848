// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

/**
 * Where the cache, the rate limiter and every "age" in the UI read the time.
 *
 * Milliseconds since the Unix epoch (wall-clock time, not a monotonic counter): a monotonic
 * clock stops during suspend, and an entry that looked fresh for the two hours the laptop
 * slept is exactly the "stale data after suspend" users complain about. Wall time also
 * means ages survive a restart through the persistent tier.
 *
 * Tests inject a ManualClock and move time with advance(); nothing sleeps.
 * A Clock is not owned by its users; it must outlive them (Clock::system() lives forever).
 */
class Clock : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual qint64 now() const = 0;

    /** The process-wide real clock. */
    static Clock *system();

Q_SIGNALS:
    /** Time moved by other means than its steady flow (a test advanced it): re-check deadlines. */
    void jumped();
};

/** The real clock: QDateTime::currentMSecsSinceEpoch(). */
class SystemClock final : public Clock
{
    Q_OBJECT
public:
    using Clock::Clock;
    qint64 now() const override;
};

/** A clock that only moves when told to. For tests and benchmarks. */
class ManualClock final : public Clock
{
    Q_OBJECT
public:
    explicit ManualClock(qint64 start = 1'700'000'000'000, QObject *parent = nullptr)
        : Clock(parent)
        , m_now(start)
    { }

    qint64 now() const override { return m_now; }
    void setNow(qint64 ms);
    void advance(qint64 ms) { setNow(m_now + ms); }

private:
    qint64 m_now;
};
