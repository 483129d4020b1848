// SPDX-License-Identifier: MIT
#pragma once

#include "cachetypes.h"
#include "eventheap.h"
#include "slottable.h"

#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <vector>

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
 *
 * Everything of the engine that does not depend on the value type is here, compiled once:
 * the entries' bookkeeping (EntryHead), the TTL queue records, the table, LRU ends, strays,
 * the reclaim bitmap, the counters and the settings, the delivery turn, and the invariant
 * check of all of it (checkCore(), which reads the entries through four virtual accessors).
 * AsyncCache<T> keeps what touches a T: the entries' storage, lookups on the hit path,
 * insertion, removal, loads and waiters.
 */
class AsyncCacheBase : public QObject
{
    Q_OBJECT
public:
    /** The clock is not owned; it must outlive the cache. */
    explicit AsyncCacheBase(Clock *clock, QObject *parent = nullptr);
    ~AsyncCacheBase() override;

    Clock *clock() const { return m_clock; }

    /** Pass as a TTL to use the cache's default. */
    static constexpr qint64 kDefaultTtl = -1;
    /** Pass as a TTL for an entry that never expires (aiocache's ttl=0). */
    static constexpr qint64 kNoExpiry = 0;

    void setDefaultTtl(qint64 ms) { m_defaultTtl = ms < 0 ? kNoExpiry : ms; }
    qint64 defaultTtl() const { return m_defaultTtl; }
    qint64 staleHorizon() const { return m_staleHorizon; }
    qint64 maxEntries() const { return m_maxEntries; }
    qint64 maxBytes() const { return m_maxBytes; }

    qint64 count() const { return m_count; }
    /** stats().hits without copying the rest (the layered cache reads it on every get). */
    quint64 hits() const { return m_stats.hits; }
    qint64 bytes() const { return m_stats.bytes; }
    /**
     * Bytes (as bytes() counts them) of entries that expiry removed but whose key and value
     * are not freed yet: they are freed in batches, in memory order, when nothing is due and
     * they hold as much as the live entries, or the cache is idle or empty (see reclaim()).
     */
    qint64 bytesToReclaim() const { return m_reclaimBytes; }
    /**
     * Entries held among the strays: restored too far out of deadline order for their TTL's
     * queue (see the class comment). For tests and benchmarks.
     */
    qsizetype strayCount() const { return qsizetype(m_strays.size()); }

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
    static constexpr quint32 kNil = SlotTable::kNil;
    static constexpr quint32 kMaxSlots = SlotTable::kMaxEntries;
    static constexpr int kChunkShift = 10;
    static constexpr quint32 kChunkSize = 1u << kChunkShift;
    static constexpr size_t kInitialTableSize = SlotTable::kInitialCapacity;
    // An entry that "never expires" lives a century: deadline arithmetic stays plain.
    static constexpr qint64 kForeverMs = 100LL * 365 * 24 * 3600 * 1000;

    enum Flag : quint8 {
        kLive = 1,
        kNegative = 2,
        kExpired = 4, // the expiry walk has passed it: it is stale
        kReclaim = 8, // removed, its key and value not yet freed (see reclaim())
        kStray = 16, // filed in m_strays, not linked into its queue (see fileStray())
    };

    /** An entry's bookkeeping, whatever its value's type: 48 bytes, first in the entry. */
    struct EntryHead
    {
        qint64 deadline = 0;
        qint64 createdAt : 56 = 0; // milliseconds: 2^55 of them are a million years
        quint64 origin : 8 = 0;
        quint32 lruPrev = kNil;
        quint32 lruNext = kNil;
        quint32 qPrev = kNil;
        quint32 qNext = kNil;
        quint32 hits : 24 = 0; // saturates at kMaxHits
        quint32 flags : 8 = 0;
        quint32 charge = 0; // bytes this entry counts against the budget
        quint32 queue = 0; // index into m_queues
        // The low 32 bits of the key's hash, which give its home in the table (whose
        // capacity is below 2^32): removal erases it from there without reading or hashing
        // the key, a cache miss and ~60 ns of SipHash less per expired entry.
        quint32 home = 0;
    };
    static_assert(sizeof(EntryHead) == 48, "the entry's bookkeeping takes 48 bytes");
    static constexpr quint32 kMaxHits = (1u << 24) - 1;

    static void countHit(EntryHead &e)
    {
        if (e.hits != kMaxHits)
            ++e.hits;
    }

    /** One FIFO per distinct TTL, sorted by deadline; [head, cursor) are stale. */
    struct TtlQueue
    {
        qint64 ttl = 0;
        quint32 head = kNil;
        quint32 tail = kNil;
        quint32 cursor = kNil; // first entry not yet expired
        quint32 size = 0;
        quint32 strays = 0; // entries of this TTL filed in m_strays: they keep the record alive
        bool walking = false; // processDue() is walking it: its event is set when done
    };

    /** The queue record of `ttl`, made (or recycled) when there is none. */
    quint32 queueFor(qint64 ttl);
    /** An empty queue's record is recycled at once: no walk over the cache, ever. */
    void releaseQueue(quint32 qi);
    /** The earliest event of any queue or stray, -1 when none. */
    qint64 nextEventTime() const
    {
        if (m_events.empty())
            return m_strays.empty() ? -1 : m_strays.topTime();
        return m_strays.empty() ? m_events.topTime() : qMin(m_events.topTime(), m_strays.topTime());
    }
    /** When `e` is due next: its deadline, or once stale, the end of its stale horizon. */
    qint64 strayEventTime(const EntryHead &e) const
    {
        return (e.flags & kExpired) ? e.deadline + m_staleHorizon : e.deadline;
    }
    qint64 loadedAt(const EntryHead &e) const { return e.deadline - m_queues[e.queue].ttl; }
    qint64 resolveTtl(qint64 ttlMs) const
    {
        const qint64 ttl = ttlMs < 0 ? m_defaultTtl : ttlMs;
        // Beyond a century is forever too; deadline arithmetic must not overflow.
        return ttl == kNoExpiry ? kForeverMs : qMin(ttl, kForeverMs);
    }

    /**
     * A guard for a waiter's context. Callers come from a few contexts: copying the last guard
     * is much cheaper than making one from the object (which looks up its weak reference
     * count). A destroyed object's guard is null, so a new object at the same address is never
     * mistaken.
     */
    const QPointer<QObject> &guard(const QObject *context)
    {
        if (m_lastContext.data() != context)
            m_lastContext = const_cast<QObject *>(context); // only ever compared with null
        return m_lastContext;
    }

    /** One queued call answers every waiter ready by then: hits never complete inside get(). */
    void scheduleDeliveries();
    /** Answers the waiters whose answer is ready (the queued call of scheduleDeliveries()). */
    virtual void deliver() = 0;

    /**
     * Whether the bookkeeping agrees with itself: slots, chunks, table, LRU, queues, strays,
     * reclaim bits, counters, timer and the negative entries' errors; empty when it does.
     */
    QString checkCore() const;
    virtual const EntryHead &headAt(quint32 idx) const = 0;
    virtual const QString &keyAt(quint32 idx) const = 0;
    virtual size_t chunkCount() const = 0;
    virtual quint32 findKey(const QString &key) const = 0;

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

    // Entries: slots [0, m_slotsUsed) in chunks the derived class owns.
    quint32 m_slotsUsed = 0;
    quint32 m_freeHead = kNil;
    SlotTable m_table;
    size_t m_seed;
    qint64 m_count = 0;
    quint32 m_lruHead = kNil;
    quint32 m_lruTail = kNil;

    std::vector<TtlQueue> m_queues;
    std::vector<quint32> m_freeQueues;
    QHash<qint64, quint32> m_queueByTtl;
    EventHeap m_events; // each queue's next event: its cursor's deadline or its head going
    // Entries too far out of deadline order for their queue (kStray), by slot: each one's
    // deadline, or once stale, the end of its horizon. 16 bytes a stray, 4 a slot.
    EventHeap m_strays;
    bool m_processing = false;
    bool m_releasing = false; // unused chunks are being freed, a slice at a time
    std::vector<quint64> m_reclaim; // a bit per slot removed but not yet freed (kReclaim)
    size_t m_reclaimCursor = 0; // reclaim() goes on below this word (0: from the top)
    qint64 m_reclaimCount = 0;
    qint64 m_reclaimBytes = 0; // their charges

    QHash<quint32, LoadError> m_errors; // negative entries only
    quint64 m_lastFlightId = 0;
    QPointer<QObject> m_lastContext; // the last waiter's context (see guard())
    bool m_deliveryScheduled = false;

    qint64 m_defaultTtl = 10 * 60 * 1000;
    qint64 m_staleHorizon = 0;
    qint64 m_maxEntries = 0;
    qint64 m_maxBytes = 0;
    qint64 m_negativeTtl = 0;
    CacheStats m_stats;

private:
    void onTimer();

    QTimer m_timer;
    qint64 m_armedFor = -1;
};
