// SPDX-License-Identifier: MIT
#pragma once

#include "cachetypes.h"

#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcCache)

class Clock;

/**
 * The QObject half of AsyncCache<T>: signals, the one expiry timer and the clock.
 * A template cannot carry Q_OBJECT, so the value-typed engine derives from this.
 *
 * Per-entry signals are emitted only once someone has connected to them (connectNotify), so
 * a cache of a million entries that expires them all at once pays nothing for signals nobody
 * wants.
 * The cache lives in one thread, like any QObject; loaders may finish in any thread.
 */
class AsyncCacheBase : public QObject
{
    Q_OBJECT
public:
    /** The clock is not owned; it must outlive the cache. */
    explicit AsyncCacheBase(Clock *clock, QObject *parent = nullptr);
    ~AsyncCacheBase() override;

    Clock *clock() const { return m_clock; }

    /**
     * Starts the counters of stats() again from zero (hits, misses, loads, expirations...)
     * and every entry's hit count; what the cache holds (entries, bytes, loads in flight)
     * stays as it is. Emits statsReset().
     */
    void resetStats();

    /** Longest run of expiry work before the event loop gets control back. */
    static constexpr qint64 kSliceBudgetNs = 1'000'000;

Q_SIGNALS:
    void entryInserted(const QString &key);
    /** Value, TTL or state changed (reloaded, refreshed, a load started or finished). */
    void entryUpdated(const QString &key);
    /** Its TTL ran out: it is stale now (kept within the stale horizon) or about to go. */
    void entryExpired(const QString &key);
    void entryRemoved(const QString &key, RemovalCause cause);
    void loadStarted(const QString &key);
    void loadFinished(const QString &key, bool succeeded);
    /** A loaded or set value was larger than the whole byte budget and was not stored. */
    void valueRejected(const QString &key, qint64 bytes);
    void cleared();
    void statsReset();

protected:
    /** The counters part of resetStats(). */
    virtual void resetCounters() = 0;

    /** Expire what is due, within kSliceBudgetNs; return the next deadline or -1 for none. */
    virtual qint64 processDue(qint64 now, bool *moreWork) = 0;

    /** (Re)arm the single timer for the earliest deadline; call after any deadline changed. */
    void scheduleExpiry(qint64 earliestDeadline);
    /** Run expiry processing on the next turn of the event loop. */
    void scheduleExpiryNow();

    void connectNotify(const QMetaMethod &signal) override;

    /** For invariant checks: the timer is running, armed for `*armedFor` (-1: "now"). */
    bool expiryArmed(qint64 *armedFor) const
    {
        *armedFor = m_armedFor;
        return m_timer.isActive();
    }

    bool m_notifyInserted = false;
    bool m_notifyUpdated = false;
    bool m_notifyExpired = false;
    bool m_notifyRemoved = false;
    bool m_notifyLoads = false;

    Clock *const m_clock;

private:
    void onTimer();

    QTimer m_timer;
    qint64 m_armedFor = -1;
};
