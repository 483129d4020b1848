// SPDX-License-Identifier: MIT
#pragma once

#include "asynccachebase.h"
#include "cachecost.h"
#include "clock.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QHashSeed>
#include <QPromise>

#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <unordered_map>
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
 * append and expiring a million entries is a walk, not a million heap pops. Queues are kept
 * sorted regardless (an out-of-order deadline walks back from the tail), and a std::set orders
 * the queues by their next event. Real caches use a handful of TTLs; a distinct TTL per entry
 * still works, at the cost of one small queue record per distinct value.
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

    /** Pass as a TTL to use the cache's default. */
    static constexpr qint64 kDefaultTtl = -1;
    /** Pass as a TTL for an entry that never expires (aiocache's ttl=0). */
    static constexpr qint64 kNoExpiry = 0;
    /** An entry's own bookkeeping beyond its key and value, the hash slot included. */
    static constexpr qint64 kIndexBytesPerEntry = 8;

    explicit AsyncCache(Clock *clock = Clock::system(), QObject *parent = nullptr)
        : AsyncCacheBase(clock, parent)
        , m_seed(size_t(QHashSeed::globalSeed()))
    {
        resetTable(kInitialTableSize);
    }

    ~AsyncCache() override
    {
        // Unfinished promises cancel themselves as they are destroyed: waiters see a
        // cancelled future rather than hang.
        m_deliveries.clear();
        m_flights.clear();
    }

    // ---- configuration -------------------------------------------------------------------

    void setDefaultTtl(qint64 ms) { m_defaultTtl = ms < 0 ? kNoExpiry : ms; }
    qint64 defaultTtl() const { return m_defaultTtl; }

    /** How long an expired entry is kept, stale, for stale-if-error. 0 (default): removed. */
    void setStaleHorizon(qint64 ms)
    {
        m_staleHorizon = qBound<qint64>(0, ms, kForeverMs);
        for (quint32 q = 0; q < m_queues.size(); ++q)
            updateQueueEvent(q);
        scheduleExpiryNow();
    }
    qint64 staleHorizon() const { return m_staleHorizon; }

    /** At most this many entries (0: no bound). */
    void setMaxEntries(qint64 n)
    {
        m_maxEntries = qMax<qint64>(0, n);
        evictIfNeeded(kNil);
    }
    qint64 maxEntries() const { return m_maxEntries; }

    /** At most this many bytes, as entryBytes() counts them (0: no bound). */
    void setMaxBytes(qint64 bytes)
    {
        m_maxBytes = qMax<qint64>(0, bytes);
        evictIfNeeded(kNil);
    }
    qint64 maxBytes() const { return m_maxBytes; }

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
     * ask meanwhile). The future always completes through the event loop, never inside this
     * call. `ttlMs` applies to the value loaded now (kDefaultTtl: the cache default).
     */
    QFuture<CacheResult<T>> get(const QString &key, Loader loader, qint64 ttlMs = kDefaultTtl)
    {
        const qint64 now = m_clock->now();
        const quint32 idx = find(key);
        if (idx != kNil) {
            Entry &e = at(idx);
            if (now < e.deadline) {
                ++m_stats.hits;
                ++e.hits;
                touch(idx);
                CacheResult<T> r;
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
                return deliverLater(std::move(r));
            }
        }
        ++m_stats.misses;
        return join(key, std::move(loader), ttlMs);
    }

    /**
     * Reload `key` even when fresh (force refresh). Joins a load already in flight. If the
     * reload fails, the old value stays, and the result carries both it and the error.
     */
    QFuture<CacheResult<T>> refresh(const QString &key, Loader loader, qint64 ttlMs = kDefaultTtl)
    {
        return join(key, std::move(loader), ttlMs);
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
                ++e.hits;
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
     * horizon; returns false then.
     */
    bool restore(const QString &key, T value, qint64 loadedAt, qint64 ttlMs, int origin = 0)
    {
        const qint64 ttl = resolveTtl(ttlMs);
        if (loadedAt + ttl + m_staleHorizon <= m_clock->now())
            return false;
        return store(key, std::move(value), loadedAt, ttl, origin) != InsertResult::TooLarge;
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
        m_chunks.clear();
        // The table still points into the chunks just freed; beginRelease() only resets it
        // when it grew or holds tombstones.
        resetTable(kInitialTableSize);
        m_releasing = false;
        beginRelease();
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

    qint64 count() const { return m_count; }
    qint64 bytes() const { return m_stats.bytes; }
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

protected:
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
        bool outOfTime = false;
        const qint64 countBefore = m_count;
        while (!outOfTime && !m_events.empty() && m_events.begin()->first <= now) {
            const quint32 q = m_events.begin()->second;
            // Fresh entries whose deadline passed: turn stale (or go, without a horizon).
            while (!outOfTime && q < m_queues.size()) {
                const quint32 i = m_queues[q].cursor;
                if (i == kNil || at(i).deadline > now)
                    break;
                Entry &e = at(i);
                m_queues[q].cursor = e.qNext;
                if (e.flags & kExpired)
                    continue; // restored already stale and walked over before
                e.flags |= kExpired;
                ++m_stats.expirations;
                if ((e.flags & kNegative) || m_staleHorizon == 0) {
                    removeEntry(i, RemovalCause::Expired, /*expiredSignal*/ true);
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
                removeEntry(i, RemovalCause::Expired);
                outOfTime = overBudget();
            }
            if (q < m_queues.size())
                updateQueueEvent(q);
            outOfTime = outOfTime || slice.nsecsElapsed() > kSliceBudgetNs;
        }
        m_processing = false;
        if (m_count < countBefore - kSettleAfterRemovals)
            CacheCost::settleAllocator();
        *moreWork = outOfTime && !m_events.empty() && m_events.begin()->first <= now;
        if (m_releasing && !*moreWork)
            *moreWork = !releaseChunks(slice);
        return m_events.empty() ? -1 : m_events.begin()->first;
    }

private:
    static constexpr quint32 kNil = 0xffffffffu;
    static constexpr int kIndexBits = 26;
    static constexpr quint32 kIndexMask = (1u << kIndexBits) - 1;
    static constexpr quint32 kTombstone = kIndexMask; // index part all ones: never a live slot
    static constexpr quint32 kMaxSlots = kIndexMask - 1;
    static constexpr int kChunkShift = 10;
    static constexpr quint32 kChunkSize = 1u << kChunkShift;
    static constexpr size_t kInitialTableSize = 64;
    static constexpr qint64 kSettleAfterRemovals = 256;
    // An entry that "never expires" lives a century: deadline arithmetic stays plain.
    static constexpr qint64 kForeverMs = 100LL * 365 * 24 * 3600 * 1000;

    enum Flag : quint8 {
        kLive = 1,
        kNegative = 2,
        kExpired = 4, // the expiry walk has passed it: it is stale
    };

    struct Entry
    {
        QString key;
        T value{};
        qint64 deadline = 0;
        qint64 createdAt = 0;
        quint32 lruPrev = kNil;
        quint32 lruNext = kNil;
        quint32 qPrev = kNil;
        quint32 qNext = kNil;
        quint32 hits = 0;
        quint32 charge = 0; // bytes this entry counts against the budget
        quint32 queue = 0; // index into m_queues (sizeof(Entry) is 96 either way)
        quint8 flags = 0;
        quint8 origin = 0;
    };

    /** One FIFO per distinct TTL, sorted by deadline; [head, cursor) are stale. */
    struct TtlQueue
    {
        qint64 ttl = 0;
        quint32 head = kNil;
        quint32 tail = kNil;
        quint32 cursor = kNil; // first entry not yet expired
        quint32 size = 0;
        qint64 eventAt = -1; // key in m_events, -1 when not there
    };

    struct Flight
    {
        std::vector<QPromise<CacheResult<T>>> waiters;
        Loader loader;
        qint64 startedAt = 0;
        qint64 ttl = 0;
        quint64 id = 0;
    };

    // ---- slots and table -----------------------------------------------------------------

    Entry &at(quint32 idx) { return m_chunks[idx >> kChunkShift][idx & (kChunkSize - 1)]; }
    const Entry &at(quint32 idx) const
    {
        return m_chunks[idx >> kChunkShift][idx & (kChunkSize - 1)];
    }

    static quint32 fragmentOf(size_t h) { return quint32(h >> (sizeof(size_t) * 8 - 6)); }

    quint32 find(const QString &key) const
    {
        const size_t h = qHash(key, m_seed);
        const quint32 frag = fragmentOf(h);
        for (size_t pos = h & m_mask;; pos = (pos + 1) & m_mask) {
            const quint32 s = m_table[pos];
            if (s == 0)
                return kNil;
            if ((s >> kIndexBits) == frag && (s & kIndexMask) != kTombstone) {
                const quint32 idx = (s & kIndexMask) - 1;
                const Entry &e = at(idx);
                // A hit relinks the LRU neighbours next: start fetching them now, so their
                // cache misses overlap the one on the key's characters.
                if (e.lruPrev != kNil)
                    __builtin_prefetch(&at(e.lruPrev), 1);
                if (e.lruNext != kNil)
                    __builtin_prefetch(&at(e.lruNext), 1);
                if (e.key == key)
                    return idx;
            }
        }
    }

    void tableInsert(quint32 idx, size_t h)
    {
        for (size_t pos = h & m_mask;; pos = (pos + 1) & m_mask) {
            const quint32 s = m_table[pos];
            if (s == 0 || (s & kIndexMask) == kTombstone) {
                if (s != 0)
                    --m_tombstones;
                m_table[pos] = (fragmentOf(h) << kIndexBits) | (idx + 1);
                return;
            }
        }
    }

    void tableErase(const QString &key, quint32 idx)
    {
        const size_t h = qHash(key, m_seed);
        for (size_t pos = h & m_mask;; pos = (pos + 1) & m_mask) {
            const quint32 s = m_table[pos];
            Q_ASSERT(s != 0);
            if ((s & kIndexMask) == idx + 1) {
                m_table[pos] = kTombstone;
                ++m_tombstones;
                return;
            }
        }
    }

    void resetTable(size_t capacity)
    {
        m_table.reset(new quint32[capacity]);
        std::memset(m_table.get(), 0, capacity * sizeof(quint32));
        m_capacity = capacity;
        m_mask = capacity - 1;
        m_tombstones = 0;
    }

    /** Keep the table at most 80% used (tombstones count as used). */
    void reserveOneMore()
    {
        if ((size_t(m_count) + m_tombstones + 1) * 5 <= m_capacity * 4)
            return;
        // Rebuild at the same size when tombstones filled it, else double: load stays
        // between 40% and 80%, so the table costs 5 to 10 bytes per entry.
        size_t capacity = m_capacity;
        while ((size_t(m_count) + 1) * 2 > capacity)
            capacity *= 2;
        resetTable(capacity);
        for (quint32 i = m_lruHead; i != kNil; i = at(i).lruNext)
            tableInsert(i, qHash(at(i).key, m_seed));
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

    quint32 queueFor(qint64 ttl)
    {
        const auto it = m_queueByTtl.constFind(ttl);
        if (it != m_queueByTtl.cend())
            return it.value();
        TtlQueue queue;
        queue.ttl = ttl;
        quint32 q;
        if (!m_freeQueues.empty()) {
            q = m_freeQueues.back();
            m_freeQueues.pop_back();
            m_queues[q] = queue;
        } else {
            m_queues.push_back(queue);
            q = quint32(m_queues.size() - 1);
        }
        m_queueByTtl.insert(ttl, q);
        return q;
    }

    /** An empty queue's record is recycled at once: no walk over the cache, ever. */
    void releaseQueue(quint32 qi)
    {
        TtlQueue &q = m_queues[qi];
        Q_ASSERT(q.size == 0 && q.eventAt < 0);
        m_queueByTtl.remove(q.ttl);
        q.ttl = -1;
        m_freeQueues.push_back(qi);
    }

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
        updateQueueEvent(e.queue);
        if (q.size == 0)
            releaseQueue(e.queue);
    }

    /** Insert in deadline order; nearly always an append at the tail. */
    void queueInsert(quint32 idx, quint32 qi)
    {
        Entry &e = at(idx);
        TtlQueue &q = m_queues[qi];
        e.queue = qi;
        quint32 after = q.tail;
        while (after != kNil && at(after).deadline > e.deadline)
            after = at(after).qPrev;
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
        if (next == q.eventAt)
            return;
        if (q.eventAt >= 0)
            m_events.erase({q.eventAt, qi});
        q.eventAt = next;
        if (next >= 0) {
            const bool earliest = m_events.empty() || next < m_events.begin()->first;
            m_events.insert({next, qi});
            if (earliest && !m_processing)
                scheduleExpiry(next);
        }
    }

    void requeue(quint32 idx, qint64 deadline, qint64 ttl)
    {
        queueUnlink(idx);
        Entry &e = at(idx);
        e.deadline = deadline;
        e.flags &= ~kExpired;
        queueInsert(idx, queueFor(ttl));
    }

    qint64 loadedAt(const Entry &e) const { return e.deadline - m_queues[e.queue].ttl; }

    qint64 resolveTtl(qint64 ttlMs) const
    {
        const qint64 ttl = ttlMs < 0 ? m_defaultTtl : ttlMs;
        // Beyond a century is forever too; deadline arithmetic must not overflow.
        return ttl == kNoExpiry ? kForeverMs : qMin(ttl, kForeverMs);
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
            e.flags = quint8(kLive | (negative ? kNegative : 0));
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
            tableInsert(idx, qHash(key, m_seed));
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

    void removeEntry(quint32 idx, RemovalCause cause, bool expiredSignal = false)
    {
        Entry &e = at(idx);
        QString key = std::move(e.key);
        tableErase(key, idx);
        lruUnlink(idx);
        queueUnlink(idx);
        m_stats.bytes -= e.charge;
        if (!m_errors.isEmpty())
            m_errors.remove(idx);
        e.value = T{};
        e.flags = 0;
        e.lruNext = m_freeHead;
        m_freeHead = idx;
        --m_count;
        if (m_count == 0)
            beginRelease(); // the last one left: give the memory of a spike back
        if (expiredSignal && m_notifyExpired)
            Q_EMIT entryExpired(key);
        if (m_notifyRemoved)
            Q_EMIT entryRemoved(key, cause);
    }

    /**
     * The cache is empty: start again from slot 0 and a small table, and free the chunks
     * beyond what new entries use a slice at a time (releaseChunks()). Freeing a million
     * entries' chunks at once would stall the event loop for ~10 ms.
     */
    void beginRelease()
    {
        m_slotsUsed = 0;
        m_freeHead = kNil;
        m_errors.clear();
        if (m_chunks.size() <= 1) {
            if (m_capacity > kInitialTableSize || m_tombstones > 0)
                resetTable(kInitialTableSize);
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
        if (m_count == 0 && m_capacity > kInitialTableSize) {
            resetTable(kInitialTableSize);
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

    QFuture<CacheResult<T>> join(const QString &key, Loader loader, qint64 ttlMs)
    {
        QPromise<CacheResult<T>> promise;
        promise.start();
        QFuture<CacheResult<T>> future = promise.future();
        const auto it = m_flights.find(key);
        if (it != m_flights.end()) {
            ++m_stats.coalesced;
            it->second->waiters.push_back(std::move(promise));
            return future;
        }
        auto flight = std::make_unique<Flight>();
        flight->waiters.push_back(std::move(promise));
        flight->loader = std::move(loader);
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
        return future;
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
        future
            .then(this, [this, key, id](const Outcome<T> &outcome) { complete(key, id, outcome); })
            .onFailed(this,
                      [this, key, id] {
                          complete(
                              key, id,
                              Outcome<T>::failure({-1, tr("The load failed unexpectedly."), {}}));
                      })
            .onCanceled(this, [this, key, id] {
                complete(key, id, Outcome<T>::failure({-1, tr("The load was cancelled."), {}}));
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
                store(key, T{}, now, m_negativeTtl, 0, /*negative*/ true, outcome.error);
            } else {
                result.source = CacheSource::Failed;
            }
        }
        if (m_notifyLoads)
            Q_EMIT loadFinished(key, outcome.ok());
        notifyUpdated(key);
        for (QPromise<CacheResult<T>> &waiter : flight->waiters)
            m_deliveries.push_back({std::move(waiter), result});
        scheduleDeliveries();
    }

    QFuture<CacheResult<T>> deliverLater(CacheResult<T> result)
    {
        QPromise<CacheResult<T>> promise;
        promise.start();
        QFuture<CacheResult<T>> future = promise.future();
        m_deliveries.push_back({std::move(promise), std::move(result)});
        scheduleDeliveries();
        return future;
    }

    /** One queued call finishes every pending promise: hits never complete inside get(). */
    void scheduleDeliveries()
    {
        if (m_deliveryScheduled)
            return;
        m_deliveryScheduled = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_deliveryScheduled = false;
                auto batch = std::move(m_deliveries);
                m_deliveries.clear();
                for (auto &[promise, result] : batch) {
                    promise.addResult(std::move(result));
                    promise.finish();
                }
            },
            Qt::QueuedConnection);
    }

    // ---- data ----------------------------------------------------------------------------

    std::vector<std::unique_ptr<Entry[]>> m_chunks;
    quint32 m_slotsUsed = 0;
    quint32 m_freeHead = kNil;
    std::unique_ptr<quint32[]> m_table;
    size_t m_capacity = 0;
    size_t m_mask = 0;
    size_t m_tombstones = 0;
    size_t m_seed;
    qint64 m_count = 0;

    quint32 m_lruHead = kNil;
    quint32 m_lruTail = kNil;

    std::vector<TtlQueue> m_queues;
    std::vector<quint32> m_freeQueues;
    QHash<qint64, quint32> m_queueByTtl;
    std::set<std::pair<qint64, quint32>> m_events; // (next event time, queue)
    bool m_processing = false;
    bool m_releasing = false; // unused chunks are being freed, a slice at a time

    QHash<quint32, LoadError> m_errors; // negative entries only
    std::unordered_map<QString, std::unique_ptr<Flight>> m_flights;
    quint64 m_lastFlightId = 0;
    std::vector<std::pair<QPromise<CacheResult<T>>, CacheResult<T>>> m_deliveries;
    bool m_deliveryScheduled = false;

    qint64 m_defaultTtl = 10 * 60 * 1000;
    qint64 m_staleHorizon = 0;
    qint64 m_maxEntries = 0;
    qint64 m_maxBytes = 0;
    qint64 m_negativeTtl = 0;
    CostFunction m_cost;
    ErrorFilter m_negativeFilter;
    CacheStats m_stats;
};
