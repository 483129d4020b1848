// SPDX-License-Identifier: MIT
#pragma once

#include "asynccachebase.h"
#include "cachecost.h"
#include "clock.h"
#include "eventheap.h"
#include "slottable.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QHashSeed>
#include <QPointer>
#include <QPromise>
#include <QtAlgorithms>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <unordered_map>
#include <variant>
#include <vector>

/**
 * An asynchronous cache in which every entry has its own time-to-live.
 *
 * - get(key, loader): a fresh value answers at once (still through the event loop, so every
 *   caller has one code path); otherwise the loader runs once, however many callers ask while
 *   it is in flight (single flight). A failed load reaches every waiter and is not stored,
 *   unless negative caching is on for that kind of error.
 * - Expired entries turn stale and are kept for the stale horizon, to be served when a reload
 *   fails. entryExpired() says so the moment it happens: one timer is armed for the earliest
 *   deadline; there is no timer or QObject per entry.
 * - Bounded by entry count and bytes, least recently used first out.
 *
 * Layout (why it is lean): entries live in fixed-size chunks addressed by 32-bit slot index;
 * an open-addressing table of 32-bit slots (6 bits of hash, 26 bits of index) finds them; the
 * LRU order and the expiry queues are intrusive index links inside the entry. Expiry keeps one
 * FIFO queue per distinct TTL: with the same TTL, deadlines arrive in order, so an insert is an
 * append and expiring a million entries is a walk, not a million heap pops. Queues stay sorted:
 * a deadline a few places out of order walks back that far from the tail; one further back (a
 * restore() of a value loaded earlier than the last one of its TTL) is filed instead in a heap
 * of single entries (the strays, an EventHeap keyed by slot), O(log n) to insert and to expire,
 * so restoring entries one by one costs the same in any deadline order. restoreMany() sorts a
 * warm start by deadline first, so that each one is an append. An indexed min-heap of queues
 * (EventHeap) orders them by their next event. Real caches use a handful of TTLs; a
 * distinct TTL per entry still works, at the cost of one small queue record per distinct value.
 *
 * Waiters are small callbacks (get() with a context object), delivered in one queued call per
 * batch; the QFuture API is a thin wrapper over them for callers that want a future.
 * checkInvariants() says whether every part agrees with every other (tests call it).
 *
 * Ownership: the cache owns its entries; callers get copies of values. The clock is borrowed.
 * Single-threaded like any QObject: call it from the thread it lives in.
 */
template<typename T>
class AsyncCache : public AsyncCacheBase
{
public:
    using Loader = std::function<QFuture<Outcome<T>>()>;
    using CostFunction = std::function<qint64(const T &)>;
    using ErrorFilter = std::function<bool(const LoadError &)>;
    /** Called once with the answer, from the event loop, unless its context went first. */
    using Callback = std::function<void(const CacheResult<T> &)>;

    /** One value to put back with restoreMany(): as restore() takes it. */
    struct RestoreItem
    {
        QString key;
        T value{};
        qint64 loadedAt = 0;
        qint64 ttlMs = -1; // kDefaultTtl
        int origin = 0;
    };

    /** An entry's own bookkeeping beyond its key and value, the hash slot included. */
    static constexpr qint64 kIndexBytesPerEntry = 8;

    explicit AsyncCache(Clock *clock = Clock::system(), QObject *parent = nullptr)
        : AsyncCacheBase(clock, parent)
        , m_flights(0, FlightHash{m_seed})
    { }

    ~AsyncCache() override
    {
        // Callbacks that were never called are dropped; the futures of the QFuture API
        // cancel themselves as their promises go: waiters see a cancelled future, not a hang.
        m_pending.clear();
        m_results.clear();
        m_flights.clear();
    }

    // ---- configuration -------------------------------------------------------------------

    /** How long an expired entry is kept, stale, for stale-if-error. 0 (default): removed. */
    void setStaleHorizon(qint64 ms)
    {
        m_staleHorizon = qBound<qint64>(0, ms, kForeverMs);
        for (quint32 q = 0; q < m_queues.size(); ++q) {
            if (m_queues[q].ttl >= 0)
                updateQueueEvent(q);
        }
        // Stale strays wait for deadline + horizon: that moved. (Rare: a walk over the slots.)
        for (quint32 i = 0; !m_strays.empty() && i < m_slotsUsed; ++i) {
            if ((at(i).flags & (kStray | kExpired)) == (kStray | kExpired))
                m_strays.set(i, strayEventTime(at(i)));
        }
        scheduleExpiryNow();
    }

    /** At most this many entries (0: no bound). */
    void setMaxEntries(qint64 n)
    {
        m_maxEntries = qMax<qint64>(0, n);
        evictIfNeeded(kNil);
    }

    /** At most this many bytes, as entryBytes() counts them (0: no bound). */
    void setMaxBytes(qint64 bytes)
    {
        m_maxBytes = qMax<qint64>(0, bytes);
        evictIfNeeded(kNil);
    }

    /** Heap bytes a value owns beyond sizeof(T). Defaults to CacheCost::heapBytes(). */
    void setCostFunction(CostFunction cost) { m_cost = std::move(cost); }

    /** Store failures the filter accepts (e.g. "not found") for `ttlMs`. Off by default. */
    void setNegativeCaching(qint64 ttlMs, ErrorFilter filter)
    {
        m_negativeTtl = ttlMs;
        m_negativeFilter = std::move(filter);
    }

    // ---- asynchronous API ----------------------------------------------------------------

    /**
     * The value for `key`: from memory when fresh, else from `loader` (run once for all who
     * ask meanwhile). `callback` is called once with the answer, always from the event loop,
     * never inside this call; all answers ready at a turn go out in one queued call. It is not
     * called when `context` (optional) is destroyed first. `ttlMs` applies to the value loaded
     * now (kDefaultTtl: the cache default). `loader` is anything callable as a Loader; it is
     * only turned into one (and maybe allocated) when this call starts a load.
     */
    template<typename Cb, typename L>
    void get(const QString &key, const QObject *context, Cb &&callback, L &&loader,
             qint64 ttlMs = kDefaultTtl)
    {
        const qint64 now = m_clock->now();
        // One hash for both lookups: the table's, then (on a miss) the loads in flight's.
        const size_t h = qHash(key, m_seed);
        const quint32 idx = find(key, h);
        if (idx != kNil) {
            Entry &e = at(idx);
            if (now < e.deadline) {
                ++m_stats.hits;
                countHit(e);
                touch(idx);
                CacheResult<T> &r = m_results.emplace_back();
                if (e.flags & kNegative) {
                    ++m_stats.negativeHits;
                    r.error = m_errors.value(idx);
                    r.source = CacheSource::NegativeHit;
                } else {
                    r.value = e.value;
                    r.source = CacheSource::Hit;
                    r.origin = e.origin;
                }
                r.ageMs = now - loadedAt(e);
                m_pending.push_back({makeWaiter(context, std::forward<Cb>(callback)),
                                     quint32(m_results.size() - 1)});
                scheduleDeliveries();
                return;
            }
        }
        ++m_stats.misses;
        join(key, h, makeWaiter(context, std::forward<Cb>(callback)), std::forward<L>(loader),
             ttlMs);
    }

    /**
     * Reload `key` even when fresh (force refresh). Joins a load already in flight. If the
     * reload fails, the old value stays, and the result carries both it and the error.
     * Called back as get() is.
     */
    template<typename Cb, typename L>
    void refresh(const QString &key, const QObject *context, Cb &&callback, L &&loader,
                 qint64 ttlMs = kDefaultTtl)
    {
        join(key, qHash(key, m_seed), makeWaiter(context, std::forward<Cb>(callback)),
             std::forward<L>(loader), ttlMs);
    }

    /**
     * get() as a future, finished when the callback form would be called (a hit too: never
     * inside this call). The waiter holds the future's promise itself, not a callback around
     * a shared one: what is left is the QFuture's own state, one allocation and three locks.
     */
    template<typename L>
    QFuture<CacheResult<T>> get(const QString &key, L &&loader, qint64 ttlMs = kDefaultTtl)
    {
        Promise promise = startedPromise();
        QFuture<CacheResult<T>> future = promise.future();
        get(key, nullptr, std::move(promise), std::forward<L>(loader), ttlMs);
        return future;
    }

    /** refresh() as a future. */
    template<typename L>
    QFuture<CacheResult<T>> refresh(const QString &key, L &&loader, qint64 ttlMs = kDefaultTtl)
    {
        Promise promise = startedPromise();
        QFuture<CacheResult<T>> future = promise.future();
        refresh(key, nullptr, std::move(promise), std::forward<L>(loader), ttlMs);
        return future;
    }

    // ---- synchronous API (aiocache's get/set/add/delete/exists/expire/clear) ---------------

    /** The fresh value, counting a hit or a miss. No loader runs. */
    std::optional<T> value(const QString &key)
    {
        const quint32 idx = find(key);
        if (idx != kNil) {
            Entry &e = at(idx);
            if (!(e.flags & kNegative) && m_clock->now() < e.deadline) {
                ++m_stats.hits;
                countHit(e);
                touch(idx);
                return e.value;
            }
        }
        ++m_stats.misses;
        return std::nullopt;
    }

    /** The value held for `key`, fresh or stale, without counting a hit or touching LRU. */
    std::optional<T> peek(const QString &key) const
    {
        const quint32 idx = find(key);
        if (idx == kNil || (at(idx).flags & kNegative))
            return std::nullopt;
        return at(idx).value;
    }

    /** True when `key` holds a fresh value. Counts nothing. */
    bool exists(const QString &key) const
    {
        const quint32 idx = find(key);
        return idx != kNil && !(at(idx).flags & kNegative) && m_clock->now() < at(idx).deadline;
    }

    InsertResult set(const QString &key, T value, qint64 ttlMs = kDefaultTtl)
    {
        return store(key, std::move(value), m_clock->now(), resolveTtl(ttlMs), 0);
    }

    /** Insert only when `key` holds no fresh value (aiocache's add). */
    InsertResult add(const QString &key, T value, qint64 ttlMs = kDefaultTtl)
    {
        if (exists(key))
            return InsertResult::Exists;
        return set(key, std::move(value), ttlMs);
    }

    /**
     * Put back a value loaded earlier (from a persistent tier) with its real load time, so its
     * age and deadline are what they were. Nothing happens when it is past even the stale
     * horizon; returns false then. O(log n) in any order of deadlines (see the strays).
     */
    bool restore(const QString &key, T value, qint64 loadedAt, qint64 ttlMs, int origin = 0)
    {
        const qint64 ttl = resolveTtl(ttlMs);
        if (loadedAt + ttl + m_staleHorizon <= m_clock->now())
            return false;
        return store(key, std::move(value), loadedAt, ttl, origin) != InsertResult::TooLarge;
    }

    /**
     * restore() for many values at once (a warm start): O(n log n) whatever the order of
     * their deadlines, like restore() one by one, but every entry lands in its TTL's queue
     * (none among the strays, whose expiry is a heap pop each). They are restored in deadline
     * order (ties: in the order given),
     * so the latest deadline is the most recently used and, of equal keys, the one with the
     * latest deadline stays. Returns how many were stored.
     */
    qsizetype restoreMany(std::vector<RestoreItem> items)
    {
        const qint64 now = m_clock->now();
        std::vector<std::pair<qint64, quint32>> order; // (deadline, item)
        order.reserve(items.size());
        for (quint32 i = 0; i < items.size(); ++i) {
            const qint64 deadline = items[i].loadedAt + resolveTtl(items[i].ttlMs);
            if (deadline + m_staleHorizon > now)
                order.emplace_back(deadline, i);
        }
        std::sort(order.begin(), order.end());
        qsizetype stored = 0;
        for (const auto &[deadline, i] : order) {
            RestoreItem &item = items[i];
            stored += store(item.key, std::move(item.value), item.loadedAt, resolveTtl(item.ttlMs),
                            item.origin)
                      != InsertResult::TooLarge;
        }
        return stored;
    }

    /** Give `key` a new TTL counted from now (aiocache's expire). False when absent. */
    bool expire(const QString &key, qint64 ttlMs)
    {
        const quint32 idx = find(key);
        if (idx == kNil)
            return false;
        // The entry keeps its load time; its lifetime becomes age + ttl.
        const qint64 now = m_clock->now();
        const qint64 age = now - loadedAt(at(idx));
        requeue(idx, now + resolveTtl(ttlMs), resolveTtl(ttlMs) + age);
        notifyUpdated(at(idx).key);
        return true;
    }

    /** Remove `key` (aiocache's delete). A load in flight for it still completes. */
    bool invalidate(const QString &key)
    {
        const quint32 idx = find(key);
        if (idx == kNil)
            return false;
        removeEntry(idx, RemovalCause::Invalidated);
        return true;
    }

    /** Remove everything. Loads in flight still complete and are stored. */
    void clear()
    {
        const bool notify = m_notifyRemoved;
        QList<QString> keys;
        if (notify) {
            keys.reserve(m_count);
            for (quint32 i = m_lruHead; i != kNil; i = at(i).lruNext)
                keys.append(at(i).key);
        }
        m_lruHead = m_lruTail = kNil;
        m_count = 0;
        m_stats.bytes = 0;
        m_queues.clear();
        m_freeQueues.clear();
        m_queueByTtl.clear();
        m_events.clear();
        m_strays.clear();
        m_chunks.clear();
        // Every slot of the table named an entry just freed: it must go too, whatever its
        // size (it used to stay when the table had not grown, and lookups read freed memory).
        m_table.reset(SlotTable::kInitialCapacity);
        m_slotsUsed = 0;
        m_freeHead = kNil;
        m_errors.clear();
        m_releasing = false;
        m_reclaim.clear();
        m_reclaimCursor = 0;
        m_reclaimCount = 0;
        m_reclaimBytes = 0;
        scheduleExpiry(-1);
        for (const QString &key : std::as_const(keys))
            Q_EMIT entryRemoved(key, RemovalCause::Cleared);
        Q_EMIT cleared();
    }

    // ---- statistics ----------------------------------------------------------------------

    CacheStats stats() const
    {
        CacheStats s = m_stats;
        s.entries = m_count;
        s.loadsInFlight = qint64(m_flights.size());
        return s;
    }

    bool isLoading(const QString &key) const { return m_flights.count(key) != 0; }
    std::optional<CacheEntryInfo> entryInfo(const QString &key) const
    {
        const quint32 idx = find(key);
        if (idx != kNil)
            return info(idx, m_clock->now());
        if (m_flights.count(key))
            return loadingInfo(key, m_flights.at(key)->startedAt);
        return std::nullopt;
    }

    /** Every entry, most recently used first, then loads in flight for keys not yet held. */
    QList<CacheEntryInfo> entries() const
    {
        const qint64 now = m_clock->now();
        QList<CacheEntryInfo> out;
        out.reserve(m_count + qint64(m_flights.size()));
        for (quint32 i = m_lruHead; i != kNil; i = at(i).lruNext)
            out.append(info(i, now));
        for (const auto &[key, flight] : m_flights) {
            if (find(key) == kNil)
                out.append(loadingInfo(key, flight->startedAt));
        }
        return out;
    }

    /** What one entry with this key and value costs the byte budget. */
    qint64 entryBytes(const QString &key, const T &value) const
    {
        return qint64(sizeof(Entry)) + kIndexBytesPerEntry + CacheCost::heapBytes(key)
               + (m_cost ? m_cost(value) : CacheCost::heapBytes(value));
    }

    /** Bookkeeping per entry beyond key and value: the entry record and its hash slot. */
    static constexpr qint64 bookkeepingBytesPerEntry()
    {
        return qint64(sizeof(Entry) - sizeof(QString) - sizeof(T)) + kIndexBytesPerEntry;
    }

    /**
     * An empty string when every part of the cache agrees with every other, else the first
     * disagreement found. O(n): for tests, after every operation of a model test.
     */
    QString checkInvariants() const
    {
        using namespace Qt::StringLiterals;
        if (QString core = checkCore(); !core.isEmpty())
            return core;
        // Loads in flight and answers waiting to go out.
        for (const auto &[key, flight] : m_flights) {
            if (flight->waiters.empty() || flight->id == 0 || flight->id > m_lastFlightId)
                return u"load of %1 in flight with no waiter or a bad id"_s.arg(key);
        }
        for (const Delivery &d : m_pending) {
            if (d.result >= m_results.size())
                return u"a waiter's answer is missing"_s;
        }
        if (!m_pending.empty() && !m_deliveryScheduled)
            return u"answers wait with no delivery scheduled"_s;
        return {};
    }

protected:
    void resetCounters() override
    {
        CacheStats zero;
        zero.bytes = m_stats.bytes; // a current total, not a counter
        m_stats = zero;
        for (quint32 i = m_lruHead; i != kNil; i = at(i).lruNext)
            at(i).hits = 0;
    }

    qint64 processDue(qint64 now, bool *moreWork) override
    {
        // Signals go out after each entry's bookkeeping is done, and every step re-reads the
        // queue: a slot may invalidate, insert or clear() while we walk.
        QElapsedTimer slice;
        slice.start();
        int sinceCheck = 0;
        const auto overBudget = [&] {
            if (++sinceCheck < 64)
                return false;
            sinceCheck = 0;
            return slice.nsecsElapsed() > kSliceBudgetNs;
        };
        m_processing = true;
        // With nobody connected to entryExpired or entryRemoved, no outside code runs during
        // the walk: removals are then deferred and done in batches (deferRemoval()).
        const bool batched = !m_notifyExpired && !m_notifyRemoved;
        bool outOfTime = false;
        const auto walk = [&](quint32 q) {
            // Removals from the queue being walked leave its event alone (each would move it
            // in the heap); it is set once, below.
            m_queues[q].walking = true;
            // Fresh entries whose deadline passed: turn stale (or go, without a horizon).
            while (!outOfTime && q < m_queues.size()) {
                const quint32 i = m_queues[q].cursor;
                if (i == kNil || at(i).deadline > now)
                    break;
                Entry &e = at(i);
                m_queues[q].cursor = e.qNext;
                if (e.qNext != kNil)
                    prefetchWalked(e.qNext);
                if (e.flags & kExpired)
                    continue; // restored already stale and walked over before
                e.flags |= kExpired;
                ++m_stats.expirations;
                if ((e.flags & kNegative) || m_staleHorizon == 0) {
                    if (batched)
                        deferRemoval(i);
                    else
                        removeEntry(i, RemovalCause::Expired, /*expiredSignal*/ true,
                                    /*deferFree*/ true);
                } else if (m_notifyExpired) {
                    Q_EMIT entryExpired(QString(e.key));
                }
                outOfTime = overBudget();
            }
            // Stale entries past the horizon: gone.
            while (!outOfTime && q < m_queues.size()) {
                const quint32 i = m_queues[q].head;
                if (i == kNil || i == m_queues[q].cursor || at(i).deadline + m_staleHorizon > now)
                    break;
                if (batched)
                    deferRemoval(i);
                else
                    removeEntry(i, RemovalCause::Expired, false, /*deferFree*/ true);
                outOfTime = overBudget();
            }
            endWalk(q);
            // A queue counts as one step: reading the clock after each of ~2,000 was a cost.
            outOfTime = outOfTime || overBudget();
        };
        if (batched) {
            // The order among queues is nobody's concern here: take the due ones a round at a
            // time and walk them in lockstep, one entry of each in turn. Walking one queue is
            // pointer chasing (each entry's address is in the one before it: a cache miss
            // after a cache miss, and under a backlog a queue has hundreds due); in lockstep,
            // while one queue's next entry is being fetched the others' are worked on.
            while (!outOfTime && !m_events.empty() && m_events.topTime() <= now) {
                m_events.collectDue(now, kDueQueuesPerRound, &m_dueQueues);
                for (const quint32 q : m_dueQueues) {
                    m_queues[q].walking = true;
                    prefetchQueue(q);
                }
                size_t active = m_dueQueues.size();
                while (active > 0 && !outOfTime) {
                    size_t kept = 0;
                    size_t j = 0;
                    for (; j < active && !outOfTime; ++j) {
                        const quint32 q = m_dueQueues[j];
                        if (stepDue(q, now))
                            m_dueQueues[kept++] = q;
                        else
                            endWalk(q);
                        outOfTime = overBudget();
                    }
                    for (; j < active; ++j)
                        m_dueQueues[kept++] = m_dueQueues[j];
                    active = kept;
                }
                for (size_t j = 0; j < active; ++j)
                    endWalk(m_dueQueues[j]);
            }
            while (!outOfTime && !m_strays.empty() && m_strays.topTime() <= now) {
                stepStray(m_strays.topId(), /*batched*/ true);
                outOfTime = overBudget();
            }
        } else {
            // Signals go out in deadline order, a queue's due run at a time.
            for (;;) {
                const bool queueDue = !m_events.empty() && m_events.topTime() <= now;
                const bool strayDue = !m_strays.empty() && m_strays.topTime() <= now;
                if (outOfTime || (!queueDue && !strayDue))
                    break;
                if (queueDue && (!strayDue || m_events.topTime() <= m_strays.topTime())) {
                    walk(m_events.topId());
                } else {
                    stepStray(m_strays.topId(), /*batched*/ false);
                    outOfTime = overBudget();
                }
            }
        }
        flushRemovals();
        m_processing = false;
        const qint64 next = nextEventTime();
        *moreWork = outOfTime && next >= 0 && next <= now;
        if (!*moreWork && !m_releasing && reclaimWanted(now))
            *moreWork = !reclaim(slice);
        if (m_releasing && !*moreWork)
            *moreWork = !releaseChunks(slice);
        return nextEventTime();
    }

private:
    // reclaim() runs when the removed entries' keys and values hold this much, or as much as
    // the live ones (whichever is more), or when nothing falls due for this long.
    static constexpr qint64 kReclaimFloorBytes = 1 << 20;
    static constexpr qint64 kReclaimIdleMs = 50;
    /** The bookkeeping (EntryHead, first: what lookups and expiry read), the key, the value. */
    struct Entry : EntryHead
    {
        QString key;
        T value{};
    };
    static_assert(sizeof(Entry) <= (sizeof(QString) + sizeof(T) + 7) / 8 * 8 + 48,
                  "the entry's bookkeeping takes 48 bytes");
    using Promise = QPromise<CacheResult<T>>;

    /** A promise in the state QPromise::start() gives it, without start()'s lock. */
    static Promise startedPromise()
    {
        return Promise(QFutureInterface<CacheResult<T>>(QFutureInterfaceBase::State(
            QFutureInterfaceBase::Started | QFutureInterfaceBase::Running)));
    }

    /**
     * A caller waiting for an answer: a callback, or the promise of a future (which cancels
     * its future when dropped unanswered, as the cache goes).
     */
    struct Waiter
    {
        QPointer<QObject> context; // null once destroyed; only looked at when `guarded`
        bool guarded = false;
        std::variant<Callback, Promise> answer;
    };

    /** A waiter whose answer is ready: m_results[result], sent at the next delivery. */
    struct Delivery
    {
        Waiter waiter;
        quint32 result;
    };

    struct Flight
    {
        std::vector<Waiter> waiters;
        Loader loader;
        qint64 startedAt = 0;
        qint64 ttl = 0;
        quint64 id = 0;
    };

    // ---- batched expiry ------------------------------------------------------------------
    //
    // Entries fall due in an order unrelated to memory once there are many TTLs, so each
    // removal is a string of cache misses (entry, table slot, LRU neighbours; before, also the
    // key's characters to hash and the allocator's chunk headers of key and value). Done one
    // entry at a time they add up (~1.2 us per removal, slower than a million a second fall
    // due). So the walk only unlinks due entries from their queue, starts fetching what their
    // removal will touch and files them here; flushRemovals() then prefetches the batch's
    // table slots and removes it, by which time most of it is in cache. Keys and values are
    // left for reclaim() to free in memory order.

    static constexpr int kDueBatch = 64;

    /** The fields the expiry walk reads: deadline, links, flags (an entry spans two lines). */
    void prefetchWalked(quint32 idx) const
    {
        const Entry &e = at(idx);
        __builtin_prefetch(&e.deadline, 1);
        __builtin_prefetch(reinterpret_cast<const char *>(&e) + sizeof(Entry) - 1, 1);
    }

    static constexpr size_t kDueQueuesPerRound = 512;

    /** Fetch the first entries a walk of queue `qi` reads. */
    void prefetchQueue(quint32 qi) const
    {
        const TtlQueue &q = m_queues[qi];
        if (q.cursor != kNil)
            prefetchWalked(q.cursor);
        if (q.head != kNil && q.head != q.cursor)
            prefetchWalked(q.head);
    }

    /**
     * One step of the batched walk of queue `qi`: its next due entry turns stale (or goes,
     * without a horizon), or else its oldest stale entry past the horizon goes. False when
     * it has nothing due left (or went away with its last entry). The entry after the one
     * taken is fetched now, for the next step of this queue, a round of queues later.
     */
    bool stepDue(quint32 qi, qint64 now)
    {
        TtlQueue &q = m_queues[qi];
        if (q.ttl < 0)
            return false;
        const quint32 c = q.cursor;
        if (c != kNil && at(c).deadline <= now) {
            Entry &e = at(c);
            q.cursor = e.qNext;
            if (e.qNext != kNil)
                prefetchWalked(e.qNext);
            if (!(e.flags & kExpired)) { // else restored already stale and walked over before
                e.flags |= kExpired;
                ++m_stats.expirations;
                if ((e.flags & kNegative) || m_staleHorizon == 0)
                    deferRemoval(c);
            }
            return true;
        }
        const quint32 h = q.head;
        if (h != kNil && h != c && at(h).deadline + m_staleHorizon <= now) {
            if (at(h).qNext != kNil)
                prefetchWalked(at(h).qNext);
            deferRemoval(h);
            return true;
        }
        return false;
    }

    /** A walk of queue `qi` is over: its event is set once, for all it removed. */
    void endWalk(quint32 qi)
    {
        if (qi >= m_queues.size())
            return; // clear() from a signal receiver
        m_queues[qi].walking = false;
        updateQueueEvent(qi);
    }

    /** Take a due entry out of its queue now; the rest of its removal waits for the batch. */
    void deferRemoval(quint32 idx)
    {
        const Entry &e = at(idx);
        // Neither key nor value is read: `home` says where it is in the table, and they are
        // freed later (reclaim()).
        if (e.lruPrev != kNil)
            __builtin_prefetch(&at(e.lruPrev).lruNext, 1);
        if (e.lruNext != kNil)
            __builtin_prefetch(&at(e.lruNext).lruPrev, 1);
        unfile(idx);
        m_due[m_dueCount++] = idx;
        if (m_dueCount == kDueBatch)
            flushRemovals();
    }

    void flushRemovals()
    {
        for (int j = 0; j < m_dueCount; ++j)
            m_table.prefetchHome(at(m_due[j]).home);
        for (int j = 0; j < m_dueCount; ++j)
            releaseEntry(m_due[j], /*deferFree*/ true);
        m_dueCount = 0;
    }

    // ---- deferred freeing ----------------------------------------------------------------
    //
    // Profiled, ~70% of a batched removal was glibc freeing the key and the value: entries
    // falling due in an order unrelated to memory free chunks in random order, and each free
    // merges with its neighbours and unlinks them from their bins, cache misses of its own
    // that no prefetch reaches (~0.7 us of ~1 us). Freed in address order, the same chunks
    // cost ~0.06 us each. So the batched expiry walk removes an entry at once (out of the
    // table, the LRU list and its queue; count() and bytes() drop; its slot is marked in
    // m_reclaim) and leaves its key and value in the slot. reclaim() frees them later, from
    // the highest slot down: the reverse of the order in which they were stored, so close to
    // the order of their addresses. It runs when nothing is due, once they hold as many bytes
    // as the live entries (so memory overshoots by at most that), or when the cache is idle
    // or empty.

    /** Sweep now? (Entries still due go first; that is the caller's concern.) */
    bool reclaimWanted(qint64 now) const
    {
        if (m_reclaimCount == 0)
            return false;
        const qint64 next = nextEventTime();
        return m_reclaimBytes >= qMax<qint64>(m_stats.bytes, kReclaimFloorBytes) || next < 0
               || next - now >= kReclaimIdleMs;
    }

    /** Frees the keys and values of removed entries, highest slot first. True when none is left. */
    bool reclaim(const QElapsedTimer &slice)
    {
        // From the highest slot down: freeing upwards, the last free merges every chunk just
        // freed below it into the heap's top, and glibc gives hundreds of megabytes back to
        // the system inside that one free() (17 ms, measured). Downwards, the top grows a
        // chunk at a time and is trimmed in small steps.
        int sinceCheck = 0;
        while (m_reclaimCount > 0) {
            if (m_reclaimCursor == 0)
                m_reclaimCursor = m_reclaim.size();
            quint64 &word = m_reclaim[--m_reclaimCursor];
            while (word != 0) {
                const int bit = 63 - qCountLeadingZeroBits(word);
                word &= ~(quint64(1) << bit);
                const quint32 idx = quint32(m_reclaimCursor * 64 + size_t(bit));
                Entry &e = at(idx);
                m_reclaimBytes -= e.charge;
                --m_reclaimCount;
                e.key = QString();
                e.value = T{};
                e.flags = 0;
                e.lruNext = m_freeHead;
                m_freeHead = idx;
                ++sinceCheck;
            }
            if (sinceCheck >= 64) {
                sinceCheck = 0;
                if (slice.nsecsElapsed() > kSliceBudgetNs)
                    break;
            }
        }
        // Let malloc file what was just freed while it is still in cache (see
        // settleAllocator()): it spent more on chunks freed a while ago.
        CacheCost::settleAllocator();
        return m_reclaimCount == 0;
    }

    // ---- slots and table -----------------------------------------------------------------

    Entry &at(quint32 idx) { return m_chunks[idx >> kChunkShift][idx & (kChunkSize - 1)]; }
    const Entry &at(quint32 idx) const
    {
        return m_chunks[idx >> kChunkShift][idx & (kChunkSize - 1)];
    }

    quint32 find(const QString &key) const { return find(key, qHash(key, m_seed)); }
    quint32 find(const QString &key, size_t h) const
    {
        return m_table.find(h, [&](quint32 idx) {
            const Entry &e = at(idx);
            // A hit relinks the LRU neighbours next: start fetching them now, so their
            // cache misses overlap the one on the key's characters.
            if (e.lruPrev != kNil)
                __builtin_prefetch(&at(e.lruPrev), 1);
            if (e.lruNext != kNil)
                __builtin_prefetch(&at(e.lruNext), 1);
            return e.key == key;
        });
    }

    /** Keep the table at most 80% used (tombstones count as used). */
    void reserveOneMore()
    {
        if (!m_table.needsRoom())
            return;
        m_table.reset(m_table.capacityFor(size_t(m_count)));
        for (quint32 i = m_lruHead; i != kNil; i = at(i).lruNext)
            m_table.insert(i, qHash(at(i).key, m_seed));
    }

    quint32 allocateSlot()
    {
        if (m_freeHead != kNil) {
            const quint32 idx = m_freeHead;
            m_freeHead = at(idx).lruNext;
            return idx;
        }
        if (m_slotsUsed == kMaxSlots)
            qFatal("AsyncCache: more than %u entries", kMaxSlots);
        if ((m_slotsUsed >> kChunkShift) == m_chunks.size())
            m_chunks.emplace_back(new Entry[kChunkSize]);
        return m_slotsUsed++;
    }

    // ---- LRU -----------------------------------------------------------------------------

    void lruUnlink(quint32 idx)
    {
        Entry &e = at(idx);
        (e.lruPrev != kNil ? at(e.lruPrev).lruNext : m_lruHead) = e.lruNext;
        (e.lruNext != kNil ? at(e.lruNext).lruPrev : m_lruTail) = e.lruPrev;
        e.lruPrev = e.lruNext = kNil;
    }

    void lruPushFront(quint32 idx)
    {
        Entry &e = at(idx);
        e.lruPrev = kNil;
        e.lruNext = m_lruHead;
        if (m_lruHead != kNil)
            at(m_lruHead).lruPrev = idx;
        m_lruHead = idx;
        if (m_lruTail == kNil)
            m_lruTail = idx;
    }

    void touch(quint32 idx)
    {
        if (m_lruHead == idx)
            return;
        lruUnlink(idx);
        lruPushFront(idx);
    }

    // ---- expiry queues -------------------------------------------------------------------

    void queueUnlink(quint32 idx)
    {
        Entry &e = at(idx);
        TtlQueue &q = m_queues[e.queue];
        if (q.cursor == idx)
            q.cursor = e.qNext;
        (e.qPrev != kNil ? at(e.qPrev).qNext : q.head) = e.qNext;
        (e.qNext != kNil ? at(e.qNext).qPrev : q.tail) = e.qPrev;
        e.qPrev = e.qNext = kNil;
        --q.size;
        if (q.size == 0 && q.strays == 0)
            releaseQueue(e.queue);
        else if (!q.walking)
            updateQueueEvent(e.queue);
    }

    /** Out of its queue or out of the strays, whichever holds it. */
    void unfile(quint32 idx)
    {
        Entry &e = at(idx);
        if (!(e.flags & kStray)) {
            queueUnlink(idx);
            return;
        }
        m_strays.remove(idx);
        e.flags &= ~kStray;
        TtlQueue &q = m_queues[e.queue];
        --q.strays;
        if (q.size == 0 && q.strays == 0)
            releaseQueue(e.queue);
    }

    // A queue insert walks back at most this far from the tail; an entry further out of order
    // is a stray. Warm starts read rows in key order: their deadlines are random, and the walk
    // back (unbounded before) made restoring n of them one by one O(n^2).
    static constexpr int kMaxWalkBack = 8;

    /** File `idx` (its queue record set) in the heap of strays. */
    void fileStray(quint32 idx)
    {
        Entry &e = at(idx);
        e.flags |= kStray;
        e.qPrev = e.qNext = kNil;
        ++m_queues[e.queue].strays;
        const qint64 time = strayEventTime(e);
        const qint64 next = nextEventTime();
        m_strays.set(idx, time);
        if ((next < 0 || time < next) && !m_processing)
            scheduleExpiry(time);
    }

    /**
     * The earliest stray is due: it turns stale (or goes, without a horizon or when negative),
     * or, stale already, its horizon is over and it goes. Its bookkeeping is done before a
     * signal goes out.
     */
    void stepStray(quint32 idx, bool batched)
    {
        Entry &e = at(idx);
        if (!(e.flags & kExpired)) {
            e.flags |= kExpired;
            ++m_stats.expirations;
            if ((e.flags & kNegative) || m_staleHorizon == 0) {
                if (batched)
                    deferRemoval(idx);
                else
                    removeEntry(idx, RemovalCause::Expired, /*expiredSignal*/ true,
                                /*deferFree*/ true);
                return;
            }
            m_strays.set(idx, strayEventTime(e));
            if (m_notifyExpired)
                Q_EMIT entryExpired(QString(e.key));
            return;
        }
        if (batched)
            deferRemoval(idx);
        else
            removeEntry(idx, RemovalCause::Expired, false, /*deferFree*/ true);
    }

    /** Insert in deadline order; nearly always an append at the tail, else maybe a stray. */
    void queueInsert(quint32 idx, quint32 qi)
    {
        Entry &e = at(idx);
        TtlQueue &q = m_queues[qi];
        e.queue = qi;
        quint32 after = q.tail;
        for (int steps = 0; after != kNil && at(after).deadline > e.deadline; ++steps) {
            if (steps == kMaxWalkBack) {
                fileStray(idx);
                return;
            }
            after = at(after).qPrev;
        }
        e.qPrev = after;
        e.qNext = after != kNil ? at(after).qNext : q.head;
        (after != kNil ? at(after).qNext : q.head) = idx;
        (e.qNext != kNil ? at(e.qNext).qPrev : q.tail) = idx;
        ++q.size;
        // Inserted entries are never flagged expired; they precede the cursor iff earlier.
        if (q.cursor == kNil || e.deadline < at(q.cursor).deadline)
            q.cursor = idx;
        updateQueueEvent(qi);
    }

    void updateQueueEvent(quint32 qi)
    {
        TtlQueue &q = m_queues[qi];
        qint64 next = -1;
        if (q.cursor != kNil)
            next = at(q.cursor).deadline;
        if (q.head != kNil && q.head != q.cursor) {
            const qint64 gone = at(q.head).deadline + m_staleHorizon;
            next = next < 0 ? gone : qMin(next, gone);
        }
        if (next < 0) {
            m_events.remove(qi);
            return;
        }
        const qint64 before = nextEventTime();
        const bool earliest = before < 0 || next < before;
        m_events.set(qi, next);
        if (earliest && !m_processing)
            scheduleExpiry(next);
    }

    void requeue(quint32 idx, qint64 deadline, qint64 ttl)
    {
        unfile(idx);
        Entry &e = at(idx);
        e.deadline = deadline;
        e.flags &= ~kExpired;
        queueInsert(idx, queueFor(ttl));
    }

    // ---- insertion, removal, eviction ----------------------------------------------------

    InsertResult store(const QString &key, T &&value, qint64 loadedAt, qint64 ttl, int origin,
                       bool negative = false, const LoadError &error = {})
    {
        const qint64 charge = entryBytes(key, value);
        if (m_maxBytes > 0 && charge > m_maxBytes) {
            ++m_stats.rejected;
            Q_EMIT valueRejected(key, charge);
            return InsertResult::TooLarge;
        }
        quint32 idx = find(key);
        const bool existed = idx != kNil;
        if (existed) {
            Entry &e = at(idx);
            m_stats.bytes -= e.charge;
            e.value = std::move(value);
            e.charge = quint32(qMin<qint64>(charge, 0xffffffffLL));
            e.origin = quint8(origin);
            // kStray stays until requeue() takes it out of the strays.
            e.flags = quint8(kLive | (negative ? kNegative : 0) | (e.flags & kStray));
            requeue(idx, loadedAt + ttl, ttl);
            touch(idx);
        } else {
            reserveOneMore();
            idx = allocateSlot();
            Entry &e = at(idx);
            e.key = key;
            e.value = std::move(value);
            e.createdAt = loadedAt;
            e.deadline = loadedAt + ttl;
            e.hits = 0;
            e.charge = quint32(qMin<qint64>(charge, 0xffffffffLL));
            e.origin = quint8(origin);
            e.flags = quint8(kLive | (negative ? kNegative : 0));
            const size_t h = qHash(key, m_seed);
            e.home = quint32(h);
            m_table.insert(idx, h);
            lruPushFront(idx);
            queueInsert(idx, queueFor(ttl));
            ++m_count;
        }
        m_stats.bytes += at(idx).charge;
        if (negative)
            m_errors.insert(idx, error);
        else if (existed && !m_errors.isEmpty())
            m_errors.remove(idx);
        evictIfNeeded(idx);
        if (existed)
            notifyUpdated(key);
        else if (m_notifyInserted)
            Q_EMIT entryInserted(key);
        return existed ? InsertResult::Replaced : InsertResult::Inserted;
    }

    /** With `deferFree`, the key and value are freed later (see reclaim()). */
    void removeEntry(quint32 idx, RemovalCause cause, bool expiredSignal = false,
                     bool deferFree = false)
    {
        QString key = deferFree ? at(idx).key : std::move(at(idx).key);
        unfile(idx);
        releaseEntry(idx, deferFree);
        if (expiredSignal && m_notifyExpired)
            Q_EMIT entryExpired(key);
        if (m_notifyRemoved)
            Q_EMIT entryRemoved(key, cause);
    }

    /**
     * Removal of an entry already out of its queue; no signals. With `deferFree`, its key
     * and value stay in the slot for reclaim() to free.
     */
    void releaseEntry(quint32 idx, bool deferFree = false)
    {
        Entry &e = at(idx);
        m_table.erase(idx, e.home);
        lruUnlink(idx);
        m_stats.bytes -= e.charge;
        if (!m_errors.isEmpty())
            m_errors.remove(idx);
        if (deferFree) {
            e.flags = kReclaim;
            const size_t word = idx >> 6;
            if (word >= m_reclaim.size())
                m_reclaim.resize(m_chunks.size() * (kChunkSize / 64));
            m_reclaim[word] |= quint64(1) << (idx & 63);
            ++m_reclaimCount;
            m_reclaimBytes += e.charge;
        } else {
            e.key = QString();
            e.value = T{};
            e.flags = 0;
            e.lruNext = m_freeHead;
            m_freeHead = idx;
        }
        --m_count;
        if (m_count == 0)
            beginRelease(); // the last one left: give the memory of a spike back
    }

    /** Every slot is free (the cache is empty, nothing to reclaim): start again from slot 0. */
    void forgetSlots()
    {
        Q_ASSERT(m_count == 0 && m_reclaimCount == 0);
        m_slotsUsed = 0;
        m_freeHead = kNil;
        m_errors.clear();
        m_strays.clear(); // empty already; its position table is as long as the slots were
        m_reclaim.clear();
        m_reclaim.shrink_to_fit();
        m_reclaimCursor = 0;
    }

    /**
     * The cache is empty: start again from slot 0 and a small table, and free the chunks
     * beyond what new entries use a slice at a time (releaseChunks()). Freeing a million
     * entries' chunks at once would stall the event loop for ~10 ms.
     */
    void beginRelease()
    {
        if (m_reclaimCount > 0) {
            // Removed entries still hold their key and value: free those first, in slices.
            m_releasing = true;
            if (!m_processing)
                scheduleExpiryNow();
            return;
        }
        forgetSlots();
        if (m_chunks.size() <= 1) {
            if (m_table.capacity() > kInitialTableSize || m_table.tombstones() > 0)
                m_table.reset(kInitialTableSize);
            return;
        }
        m_releasing = true;
        if (!m_processing)
            scheduleExpiryNow();
    }

    /**
     * Shrinks the table (a turn of its own: unmapping megabytes is not free), then frees
     * unused chunks from the back until done or out of time. True when done.
     */
    bool releaseChunks(const QElapsedTimer &slice)
    {
        if (m_reclaimCount > 0) {
            if (!reclaim(slice))
                return false;
            if (m_count == 0)
                forgetSlots();
            return false; // the rest in a turn of its own
        }
        if (m_count == 0 && (m_table.capacity() > kInitialTableSize || m_table.tombstones() > 0)) {
            m_table.reset(kInitialTableSize);
            return false;
        }
        const size_t inUse = (size_t(m_slotsUsed) + kChunkSize - 1) >> kChunkShift;
        while (m_chunks.size() > qMax<size_t>(inUse, 1)) {
            m_chunks.pop_back();
            if (slice.nsecsElapsed() > kSliceBudgetNs)
                return false;
        }
        m_releasing = false;
        return true;
    }

    void evictIfNeeded(quint32 keep)
    {
        while (m_lruTail != kNil && m_lruTail != keep
               && ((m_maxEntries > 0 && m_count > m_maxEntries)
                   || (m_maxBytes > 0 && m_stats.bytes > m_maxBytes))) {
            ++m_stats.evictions;
            removeEntry(m_lruTail, RemovalCause::Evicted);
        }
    }

    void notifyUpdated(const QString &key)
    {
        if (m_notifyUpdated)
            Q_EMIT entryUpdated(key);
    }

    CacheEntryInfo info(quint32 idx, qint64 now) const
    {
        const Entry &e = at(idx);
        CacheEntryInfo i;
        i.key = e.key;
        i.hasValue = !(e.flags & kNegative);
        i.ttlMs = m_queues[e.queue].ttl;
        i.loadedAt = loadedAt(e);
        i.createdAt = e.createdAt;
        i.expiresAt = e.deadline;
        i.ageMs = now - i.loadedAt;
        i.timeLeftMs = qMax<qint64>(0, e.deadline - now);
        i.hits = e.hits;
        i.bytes = e.charge;
        if (m_flights.count(e.key))
            i.state = EntryState::Loading;
        else if (e.flags & kNegative)
            i.state = EntryState::Failed;
        else
            i.state = now < e.deadline ? EntryState::Fresh : EntryState::Stale;
        if (e.flags & kNegative)
            i.error = m_errors.value(idx);
        return i;
    }

    CacheEntryInfo loadingInfo(const QString &key, qint64 startedAt) const
    {
        CacheEntryInfo i;
        i.key = key;
        i.state = EntryState::Loading;
        i.createdAt = i.loadedAt = startedAt;
        return i;
    }

    // ---- loads and delivery --------------------------------------------------------------

    template<typename Cb>
    Waiter makeWaiter(const QObject *context, Cb &&callback)
    {
        Waiter w;
        if (context) {
            w.context = guard(context);
            w.guarded = true;
        }
        if constexpr (std::is_same_v<std::remove_cvref_t<Cb>, Promise>)
            w.answer.template emplace<Promise>(std::forward<Cb>(callback));
        else
            w.answer.template emplace<Callback>(std::forward<Cb>(callback));
        return w;
    }

    template<typename L>
    void join(const QString &key, size_t h, Waiter &&waiter, L &&loader, qint64 ttlMs)
    {
        const auto it = m_flights.find(HashedKey{key, h});
        if (it != m_flights.end()) {
            ++m_stats.coalesced;
            it->second->waiters.push_back(std::move(waiter));
            return;
        }
        auto flight = std::make_unique<Flight>();
        flight->waiters.push_back(std::move(waiter));
        flight->loader = Loader(std::forward<L>(loader));
        flight->startedAt = m_clock->now();
        flight->ttl = resolveTtl(ttlMs);
        flight->id = ++m_lastFlightId;
        const quint64 id = flight->id;
        m_flights.emplace(key, std::move(flight));
        if (m_notifyLoads)
            Q_EMIT loadStarted(key);
        notifyUpdated(key);
        // Start the loader from the event loop, not inside this call: a loader that asks the
        // cache for other keys (recursive memoization) then never grows the stack.
        QMetaObject::invokeMethod(
            this, [this, key, id] { startLoad(key, id); }, Qt::QueuedConnection);
    }

    void startLoad(const QString &key, quint64 id)
    {
        const auto it = m_flights.find(key);
        if (it == m_flights.end() || it->second->id != id)
            return;
        Loader loader = std::move(it->second->loader);
        QFuture<Outcome<T>> future = loader ? loader() : QFuture<Outcome<T>>();
        // Qt 6.4 never runs continuations of a default-constructed (cancelled) future.
        if (future.isCanceled()) {
            complete(key, id, Outcome<T>::failure({-1, tr("The load was cancelled."), {}}));
            return;
        }
        // onCanceled() before onFailed(): in Qt 6.4 an onFailed() continuation swallows the
        // cancellation of a future cancelled (or whose promise was dropped) after this point,
        // and the load would stay in flight forever.
        future
            .then(this, [this, key, id](const Outcome<T> &outcome) { complete(key, id, outcome); })
            .onCanceled(
                this,
                [this, key, id] {
                    complete(key, id, Outcome<T>::failure({-1, tr("The load was cancelled."), {}}));
                })
            .onFailed(this, [this, key, id] {
                complete(key, id,
                         Outcome<T>::failure({-1, tr("The load failed unexpectedly."), {}}));
            });
    }

    void complete(const QString &key, quint64 id, Outcome<T> outcome)
    {
        const auto it = m_flights.find(key);
        if (it == m_flights.end() || it->second->id != id)
            return;
        std::unique_ptr<Flight> flight = std::move(it->second);
        m_flights.erase(it);

        const qint64 now = m_clock->now();
        const qint64 took = now - flight->startedAt;
        m_stats.totalLoadTimeMs += took;
        m_stats.maxLoadTimeMs = qMax(m_stats.maxLoadTimeMs, took);

        CacheResult<T> result;
        if (outcome.ok()) {
            ++m_stats.loadsSucceeded;
            const qint64 ttl = outcome.ttlMs >= 0 ? resolveTtl(outcome.ttlMs) : flight->ttl;
            const qint64 loaded = outcome.loadedAt >= 0 ? qMin(outcome.loadedAt, now) : now;
            result.value = *outcome.value;
            result.source = CacheSource::Loaded;
            result.ageMs = now - loaded;
            result.origin = outcome.origin;
            result.stored = store(key, std::move(*outcome.value), loaded, ttl, outcome.origin)
                            != InsertResult::TooLarge;
        } else {
            ++m_stats.loadsFailed;
            result.error = outcome.error;
            const quint32 idx = find(key);
            if (idx != kNil && !(at(idx).flags & kNegative)
                && now < at(idx).deadline + m_staleHorizon) {
                // Stale-if-error: keep and serve what we have, and say why it is not newer.
                const Entry &e = at(idx);
                result.value = e.value;
                result.ageMs = now - loadedAt(e);
                result.origin = e.origin;
                result.source = now < e.deadline ? CacheSource::Hit : CacheSource::Stale;
                if (result.source == CacheSource::Stale)
                    ++m_stats.staleServes;
            } else if (m_negativeFilter && m_negativeTtl > 0 && m_negativeFilter(outcome.error)) {
                result.source = CacheSource::Failed;
                result.origin = outcome.origin; // a failure remembered by a tier below
                store(key, T{}, now, m_negativeTtl, outcome.origin, /*negative*/ true,
                      outcome.error);
            } else {
                result.source = CacheSource::Failed;
                result.origin = outcome.origin;
            }
        }
        if (m_notifyLoads)
            Q_EMIT loadFinished(key, outcome.ok());
        notifyUpdated(key);
        m_results.push_back(std::move(result));
        const quint32 r = quint32(m_results.size() - 1);
        for (Waiter &waiter : flight->waiters)
            m_pending.push_back({std::move(waiter), r});
        scheduleDeliveries();
    }

    void deliver() override
    {
        m_deliveryScheduled = false;
        // Callbacks may ask again: those answers go out at the next turn, not in this loop.
        std::vector<Delivery> batch;
        std::vector<CacheResult<T>> results;
        batch.swap(m_pending);
        results.swap(m_results);
        for (size_t j = 0; j < batch.size(); ++j) {
            Delivery &d = batch[j];
            if (Callback *callback = std::get_if<Callback>(&d.waiter.answer)) {
                if (!d.waiter.guarded || d.waiter.context)
                    (*callback)(results[d.result]);
            } else {
                Promise &promise = std::get<Promise>(d.waiter.answer);
                // The waiters of one answer are queued together: the last one takes it (a
                // hit's answer has one waiter), the others copy it.
                if (j + 1 == batch.size() || batch[j + 1].result != d.result)
                    promise.addResult(std::move(results[d.result]));
                else
                    promise.addResult(results[d.result]);
                promise.finish(); // a continuation on the future runs here
            }
        }
        // Keep the capacity for the next batch unless a callback started one meanwhile.
        if (m_pending.empty() && m_results.empty()) {
            batch.clear();
            results.clear();
            m_pending.swap(batch);
            m_results.swap(results);
        }
    }

    // ---- what checkCore() reads --------------------------------------------------------

    const EntryHead &headAt(quint32 idx) const override { return at(idx); }
    const QString &keyAt(quint32 idx) const override { return at(idx).key; }
    size_t chunkCount() const override { return m_chunks.size(); }
    quint32 findKey(const QString &key) const override { return find(key); }

    // ---- data ----------------------------------------------------------------------------

    std::vector<std::unique_ptr<Entry[]>> m_chunks;
    std::vector<quint32> m_dueQueues; // the queues processDue() walks this round
    quint32 m_due[kDueBatch]; // out of their queues, to be removed by flushRemovals()
    int m_dueCount = 0;
    // Keyed with the table's seeded hash, so that get() hashes a key once for both lookups
    // (a SipHash of a weather key is ~50 ns, half of what joining a load costs).
    struct HashedKey
    {
        const QString &key;
        size_t hash;
    };
    struct FlightHash
    {
        using is_transparent = void;
        size_t seed;
        size_t operator()(const QString &key) const { return qHash(key, seed); }
        size_t operator()(const HashedKey &k) const { return k.hash; }
    };
    struct FlightKeyEqual
    {
        using is_transparent = void;
        bool operator()(const QString &a, const QString &b) const { return a == b; }
        bool operator()(const HashedKey &a, const QString &b) const { return a.key == b; }
        bool operator()(const QString &a, const HashedKey &b) const { return a == b.key; }
    };
    std::unordered_map<QString, std::unique_ptr<Flight>, FlightHash, FlightKeyEqual> m_flights;
    std::vector<Delivery> m_pending; // answered, to be sent at the next delivery
    std::vector<CacheResult<T>> m_results; // their answers (a load's one answer is shared)
    CostFunction m_cost;
    ErrorFilter m_negativeFilter;
};
