// SPDX-License-Identifier: MIT
#pragma once

#include "asynccache.h"
#include "cachetier.h"
#include "continuationcontext.h"

#include <QDataStream>
#include <QFuture>
#include <QIODevice>
#include <QPointer>
#include <QPromise>
#include <QTimer>

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

/** Counters of one tier of a LayeredCache. */
struct TierStats
{
    QString name;
    quint64 reads = 0; // get() calls sent to the tier
    quint64 hits = 0; // reads that answered a load (a fresh value or a cached failure)
    quint64 misses = 0; // reads that found nothing usable (absent, expired, unreadable)
    quint64 writes = 0; // put() calls: write-through and promotion
    quint64 errors = 0; // operations the tier answered with an error
    quint64 timeouts = 0; // reads given up on because the tier took too long
    quint64 lateReplies = 0; // answers that arrived after the cache had moved on
    quint64 leases = 0; // leases this cache took on the tier before running the loader
    quint64 leaseWaits = 0; // loads that waited because another machine held the lease
    quint64 leaseWaitAnswers = 0; // ... and were then answered by this tier (its value)
    bool failing = false; // the last operation failed
    QString lastError;
};

/**
 * Where the answers of a LayeredCache came from. Memory counts callers (each hit is one
 * caller); tiers and the loader count loads (all callers who joined one load share it).
 */
struct LayeredCacheStats
{
    quint64 memoryAnswers = 0; // fresh hits and cached failures answered from memory
    quint64 refreshes = 0; // forced refreshes asked for (each a lookup that skips memory)
    quint64 loaderAnswers = 0; // loads that ran the loader (network)
    quint64 loaderFailures = 0;
    QList<TierStats> tiers; // in tier order
    quint64 tierAnswers() const
    {
        quint64 n = 0;
        for (const TierStats &t : tiers)
            n += t.hits;
        return n;
    }
};

/**
 * The QObject half of LayeredCache<T>: the tiers, their statistics and status, the read
 * timeout timer. A template cannot carry Q_OBJECT.
 */
class LayeredCacheBase : public QObject
{
    Q_OBJECT
public:
    /** How long a tier read may take before the cache goes on without it. */
    static constexpr qint64 kDefaultTierTimeoutMs = 3000;
    /**
     * How long a lease on a shared tier lasts: longer than a provider request may take
     * (WeatherProvider's 15 s timeout), so a holder that is merely slow keeps it, and short
     * enough that the others do not wait long for one that crashed.
     */
    static constexpr qint64 kDefaultLeaseMs = 30'000;
    /** While waiting on another machine's load, re-read the tier this often anyway. */
    static constexpr qint64 kDefaultLeasePollMs = 1000;
    /** Leases tried per load; after that the loader runs regardless. */
    static constexpr int kMaxLeaseTries = 2;
    /** A tier TTL for "never expires": a century (the memory cache's forever). */
    static constexpr qint64 kTierForeverMs = 100LL * 365 * 24 * 3600 * 1000;
    /**
     * An entry loaded at most this far in the future of this clock is taken as loaded now
     * (machines agree within seconds); one loaded later is of unknown age (another machine's
     * clock runs ahead, or this one was set back) and never answers.
     */
    static constexpr qint64 kFutureToleranceMs = 30'000;

    /** Why a tier entry cannot answer a load. */
    enum class EntryFault : quint8 {
        None,
        BadTtl, // 0, negative, or beyond the limit for its key: the entry is removed
        FromTheFuture, // loaded beyond kFutureToleranceMs ahead of this clock: unknown age
    };
    /**
     * The one check every entry read from a tier passes before it may answer, whatever tier
     * it comes from: a TTL in 1..`maxTtlMs` (a "never" TTL only when the limit allows it) and
     * a load time not in the future. Pure; LayeredCache applies it to every read.
     */
    static EntryFault checkEntry(const TierEntry &entry, qint64 now, qint64 maxTtlMs);

    explicit LayeredCacheBase(Clock *clock, QObject *parent = nullptr);
    ~LayeredCacheBase() override;

    /** Appends a tier below the ones added before (borrowed: it must outlive the cache). */
    void addTier(CacheTier *tier);
    int tierCount() const { return int(m_tiers.size()); }
    CacheTier *tier(int index) const { return m_tiers.at(size_t(index)).tier; }

    void setTierTimeout(qint64 ms) { m_tierTimeoutMs = qMax<qint64>(1, ms); }
    qint64 tierTimeout() const { return m_tierTimeoutMs; }

    /** The lease taken on a shared tier before a load; 0 turns single flight across off. */
    void setLeaseDuration(qint64 ms) { m_leaseMs = qMax<qint64>(0, ms); }
    qint64 leaseDuration() const { return m_leaseMs; }
    /**
     * A waiter is woken by the holder's announcement; it re-reads this often anyway, in case
     * the announcement was lost (a subscriber still connecting, a reconnect).
     */
    void setLeasePollInterval(qint64 ms) { m_leasePollMs = qMax<qint64>(1, ms); }
    qint64 leasePollInterval() const { return m_leasePollMs; }
    /** The tier leases are taken on: the first that supports them; -1 when none does. */
    int leaseTier() const;

    /**
     * The longest TTL an entry read from a tier may have, by key (default: kTierForeverMs,
     * anything). An entry beyond it is a miss and is removed from the tier that held it.
     */
    void setTierTtlLimit(std::function<qint64(const QString &key)> limit)
    {
        m_tierTtlLimit = std::move(limit);
    }
    qint64 tierTtlLimit(const QString &key) const
    {
        return m_tierTtlLimit ? m_tierTtlLimit(key) : kTierForeverMs;
    }

    /**
     * Writes, removals and clears sent to the tiers and not answered yet: a process about
     * to exit waits for tierWritesSettled() so a shared tier gets what it fetched.
     */
    int pendingTierWrites() const { return m_pendingWrites; }

    /** Zeroes the counters of memory answers, the loader and every tier (not their status). */
    void resetStats();

    /** The status of each tier: empty when working, else why not. */
    QString tierError(int index) const { return m_tiers.at(size_t(index)).stats.lastError; }

Q_SIGNALS:
    /**
     * A tier started failing (`ok` false, `reason` a sentence for a person) or works again.
     * Sent on each change only, not for every failed operation.
     */
    void tierStatusChanged(const QString &tierName, bool ok, const QString &reason);
    /** pendingTierWrites() fell to 0. */
    void tierWritesSettled();
    /** warmUp() finished: every tier listed (or failed to); `restored` entries went to memory. */
    void warmUpFinished(int restored);

protected:
    struct TierSlot
    {
        CacheTier *tier = nullptr;
        TierStats stats;
        bool readFailing = false;
        bool writeFailing = false;
    };

    enum class TierOp : quint8 { Read, Write };
    /**
     * Count an answer of tier `index` and report a change of its status. Reads and writes
     * fail apart (a full disk still reads): a tier fails while either does, and a success
     * clears only its own kind, so a full disk is reported once, not at every read.
     */
    void noteTierResult(int index, TierOp op, const QString &error);
    /** Fire-and-forget operations whose only answer is success or an error. */
    void watchDone(int index, QFuture<TierDoneResult> future);
    /** Runs `handler` with the tier's answer in this thread; a cancelled future is an error. */
    template<typename R, typename F>
    void onTierAnswer(int index, QFuture<R> future, F handler)
    {
        const QString cancelled
            = tr("The %1 cache stopped answering.").arg(m_tiers.at(size_t(index)).tier->name());
        if (future.isCanceled()) {
            QMetaObject::invokeMethod(
                this, [handler, cancelled] { handler(R::failure(cancelled)); },
                Qt::QueuedConnection);
            return;
        }
        // The tier may answer after this cache is gone (tiers are borrowed and outlive it).
        QObject *context = m_continuations.object();
        future
            .then(context,
                  [keep = m_continuations.keepAlive(), self = QPointer<LayeredCacheBase>(this),
                   handler](const R &r) {
                      if (self)
                          handler(r);
                  })
            .onCanceled(context, [keep = m_continuations.keepAlive(),
                                  self = QPointer<LayeredCacheBase>(this), handler, cancelled] {
                if (self)
                    handler(R::failure(cancelled));
            });
    }

    /**
     * Reads `key` from tier `index` and runs `handler` with the answer in this thread: through
     * the tier's callback form when it has one (no future per read: a Redis GET costs less
     * than a QFuture and its continuation), else as onTierAnswer().
     */
    template<typename F>
    void readFromTier(int index, const QString &key, F handler)
    {
        CacheTier *t = m_tiers.at(size_t(index)).tier;
        if (!t->answersByCallback())
            return onTierAnswer(index, t->get(key), std::move(handler));
        t->readEntry(key, [self = QPointer<LayeredCacheBase>(this),
                           handler = std::move(handler)](const TierGetResult &r) {
            if (self)
                handler(r);
        });
    }
    /** A write of `entry` to tier `index`, counted and watched as watchDone() does. */
    void writeToTier(int index, const QString &key, const TierEntry &entry);

    /** Re-arm the timeout timer for the earliest pending tier read; -1: none. */
    void scheduleTimeout(qint64 deadline);
    virtual void checkTimeouts() = 0;
    /** Tier `index` announced that `key` landed (or that another machine's load ended). */
    virtual void onEntryLanded(int index, const QString &key) = 0;
    /** Gives a lease back, then (when `announce`) wakes the machines waiting on it. */
    void releaseLease(int index, const QString &key, const QByteArray &token, bool announce);

    Clock *const m_clock;
    std::vector<TierSlot> m_tiers;
    LayeredCacheStats m_stats;
    qint64 m_tierTimeoutMs = kDefaultTierTimeoutMs;
    qint64 m_leaseMs = kDefaultLeaseMs;
    qint64 m_leasePollMs = kDefaultLeasePollMs;
    ContinuationContext m_continuations; // tiers and loaders may answer after we are gone
    int m_pendingWrites = 0;
    std::function<qint64(const QString &key)> m_tierTtlLimit;

private:
    QTimer m_timeoutTimer;
};

/**
 * An AsyncCache<T> in front of an ordered list of CacheTiers: memory, then tier 1, tier 2, …,
 * then the loader.
 *
 * - get(): a fresh memory entry answers; otherwise one load runs for all callers (the memory
 *   cache's single flight): it asks each tier in order, and the first fresh entry answers,
 *   keeping its real load time (its age) and is copied into the tiers above it. When no tier
 *   holds it, the loader runs and its value is written through to every tier.
 * - refresh(): skips the tiers for reading, still writes through. A force refresh arriving
 *   while a load is reading the tiers turns that load into a network load.
 * - Negative caching: failures the filter accepts are kept in memory and in every tier for
 *   their own TTL; a tier's negative entry answers as that failure.
 * - warmUp(): every tier's listing goes into memory, stale entries included up to the stale
 *   horizon, so an offline start still has the last answers with their ages. warmUp(keys)
 *   does the same for the keys given only (what a window shows at start), reading them by
 *   key: memory then does not grow with what the tiers hold.
 * - invalidate() and clear() reach memory and every tier.
 * - A tier that fails or is slower than tierTimeout() is skipped and counted; the cache goes
 *   on. tierStatusChanged() says when a tier starts failing and when it works again.
 * - Nothing a tier holds is trusted: every entry read passes checkEntry() (a TTL within
 *   tierTtlLimit() for its key, else a miss and removed; a load time no more than
 *   kFutureToleranceMs ahead of this clock, else of unknown age: neither fresh nor stale) and
 *   the codec (decode, then `fits` the key's kind), so another machine's clock or bytes can
 *   make this one load again, never show something fresher or stranger than it is.
 * - Single flight across machines: when a tier supports leases (a shared server), a load that
 *   found nothing takes the tier's lease before it runs the loader, and re-reads the tier once
 *   it holds it (the value may have landed meanwhile). A load that lost the race waits for the
 *   holder's entryLanded() (or the lease's end, or a poll) and re-reads the tier; when there is
 *   still nothing (the holder failed or crashed) it tries the lease once more, then loads. A
 *   walk waits on other machines' leases one lease length in all, whatever the lease key holds
 *   (no TTL, another type, a holder that renews it for ever), then loads by itself. The
 *   holder writes through, gives the lease back and announces the landing, also on failure.
 *   A forced refresh never waits, and a tier that fails or is slow to lease means loading at
 *   once: the shared tier never blocks a load.
 *
 * Outcome::origin is the cache's own: 0 the loader, i + 1 tier i. CacheResult::origin says so.
 *
 * Ownership: the cache owns its AsyncCache; the clock and the tiers are borrowed. Use it from
 * the thread it lives in; tiers may answer from any thread.
 */
template<typename T>
class LayeredCache : public LayeredCacheBase
{
public:
    using Memory = AsyncCache<T>;
    using Loader = typename Memory::Loader;
    using ErrorFilter = typename Memory::ErrorFilter;

    /**
     * Values to bytes and back; decode returns nullopt for bytes it cannot read. `fits`
     * (optional) says whether a decoded value is one `key` may hold (a forecast under a
     * forecast key): one that does not fit is a miss, never an answer.
     */
    struct Codec
    {
        std::function<QByteArray(const T &)> encode;
        std::function<std::optional<T>(const QByteArray &)> decode;
        std::function<bool(const QString &key, const T &value)> fits = {};
    };
    /** Failures to bytes and back, for negative entries. The default keeps code and message. */
    struct ErrorCodec
    {
        std::function<QByteArray(const LoadError &)> encode;
        std::function<LoadError(const QString &key, const QByteArray &)> decode;
    };

    /** Keeps code and message; the detail is lost. */
    static ErrorCodec defaultErrorCodec()
    {
        ErrorCodec c;
        c.encode = [](const LoadError &e) {
            QByteArray bytes;
            QDataStream out(&bytes, QIODevice::WriteOnly);
            out << qint32(e.code) << e.message;
            return bytes;
        };
        c.decode = [](const QString &, const QByteArray &bytes) {
            QDataStream in(bytes);
            qint32 code = 0;
            QString message;
            in >> code >> message;
            return LoadError{code ? code : -1, message, {}};
        };
        return c;
    }

    static constexpr int kOriginLoader = 0;
    static constexpr int originOfTier(int index) { return index + 1; }

    LayeredCache(Codec codec, Clock *clock = Clock::system(), QObject *parent = nullptr)
        : LayeredCacheBase(clock, parent)
        , m_memory(clock)
        , m_codec(std::move(codec))
        , m_errorCodec(defaultErrorCodec())
    {
        Q_ASSERT(m_codec.encode && m_codec.decode);
    }

    ~LayeredCache() override
    {
        // Leases still held go back, so other machines need not wait for them to run out.
        for (const auto &[key, walk] : m_walks) {
            if (!walk->leaseToken.isEmpty()) {
                tier(walk->leaseTier)->releaseLease(key, walk->leaseToken);
                tier(walk->leaseTier)->announceLanded(key);
            }
        }
        // Walks reference the memory cache's flights; drop them first, then the promises
        // cancel themselves and the memory cache's waiters see a cancelled load.
        m_walks.clear();
    }

    Memory &memory() { return m_memory; }
    const Memory &memory() const { return m_memory; }

    void setErrorCodec(ErrorCodec codec) { m_errorCodec = std::move(codec); }

    /** Keep failures the filter accepts for `ttlMs`, in memory and in every tier. */
    void setNegativeCaching(qint64 ttlMs, ErrorFilter filter)
    {
        m_negativeTtl = ttlMs;
        m_negativeFilter = filter;
        m_memory.setNegativeCaching(ttlMs, std::move(filter));
    }

    /**
     * The callback form, as AsyncCache::get(): no future per caller. `loader` is anything
     * callable as a Loader; on a hit it is never turned into one.
     */
    template<typename Cb, typename L>
    void get(const QString &key, const QObject *context, Cb &&callback, L &&loader,
             qint64 ttlMs = Memory::kDefaultTtl)
    {
        const quint64 hitsBefore = m_memory.hits();
        m_memory.get(key, context, std::forward<Cb>(callback),
                     walker(key, std::forward<L>(loader), ttlMs, false), ttlMs);
        m_stats.memoryAnswers += m_memory.hits() - hitsBefore;
    }

    /** Reloads `key` past memory and every tier, writing through; called back as get(). */
    template<typename Cb, typename L>
    void refresh(const QString &key, const QObject *context, Cb &&callback, L &&loader,
                 qint64 ttlMs = Memory::kDefaultTtl)
    {
        ++m_stats.refreshes;
        const bool inFlight = m_memory.isLoading(key);
        m_memory.refresh(key, context, std::forward<Cb>(callback),
                         walker(key, std::forward<L>(loader), ttlMs, true), ttlMs);
        if (inFlight) {
            // Joined the load in flight (above); make sure it reaches the loader. Joining first
            // matters: the load may finish at once.
            if (const auto it = m_walks.find(key); it != m_walks.end())
                forceWalk(it->second);
            else
                m_forceOnStart.insert(key);
        }
    }

    QFuture<CacheResult<T>> get(const QString &key, Loader loader,
                                qint64 ttlMs = Memory::kDefaultTtl)
    {
        auto [promise, future] = makePromise();
        get(key, nullptr, promiseCallback(std::move(promise)), std::move(loader), ttlMs);
        return future;
    }

    QFuture<CacheResult<T>> refresh(const QString &key, Loader loader,
                                    qint64 ttlMs = Memory::kDefaultTtl)
    {
        auto [promise, future] = makePromise();
        refresh(key, nullptr, promiseCallback(std::move(promise)), std::move(loader), ttlMs);
        return future;
    }

    /**
     * Writes `entry` to every tier, not to memory: bytes that are not values of T (a
     * label, an index) but should live and be shared as long as the tiers keep things.
     */
    void putInTiers(const QString &key, const TierEntry &entry) { writeThrough(key, entry); }

    /**
     * warmUp() hands each tier record to `take` first; a record it returns true for is its
     * own (see putInTiers()) and is not restored into memory.
     */
    void setWarmUpInterceptor(std::function<bool(const TierRecord &)> take)
    {
        m_warmUpInterceptor = std::move(take);
    }

    /** Drops `key` from memory and every tier. A load in flight still completes. */
    void invalidate(const QString &key)
    {
        m_memory.invalidate(key);
        for (int i = 0; i < tierCount(); ++i)
            watchDone(i, tier(i)->remove(key));
    }

    /** Empties memory and every tier. Loads in flight still complete and are stored. */
    void clear()
    {
        m_memory.clear();
        for (int i = 0; i < tierCount(); ++i)
            watchDone(i, tier(i)->clear());
    }

    /**
     * Restores every tier's entries into memory, stale ones up to the stale horizon, newest
     * first wins. Asynchronous: warmUpFinished() says when done. Negative entries stay in the
     * tiers (a load reads them there).
     */
    void warmUp()
    {
        auto pending = std::make_shared<int>(tierCount());
        auto restored = std::make_shared<int>(0);
        if (*pending == 0) {
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT warmUpFinished(0); }, Qt::QueuedConnection);
            return;
        }
        for (int i = 0; i < tierCount(); ++i) {
            onTierAnswer(i, tier(i)->list(), [this, i, pending, restored](const TierListResult &r) {
                noteTierResult(i, TierOp::Read, r.error);
                *restored += restoreFromTier(i, r.value);
                if (--*pending == 0)
                    Q_EMIT warmUpFinished(*restored);
            });
        }
    }

    /**
     * warmUp() for `keys` only: each tier is asked for each of them (a read by key, as a load
     * reads), never for its whole listing, so what memory holds after a start does not grow
     * with what the tiers hold; every other key is read from the tiers when asked for. Stale
     * entries up to the stale horizon, newest first wins, negative entries stay in the tiers,
     * the interceptor sees every record read: as warmUp(). warmUpFinished() says when every
     * tier has answered for every key (or failed to).
     */
    void warmUp(const QStringList &keys)
    {
        if (tierCount() == 0 || keys.isEmpty()) {
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT warmUpFinished(0); }, Qt::QueuedConnection);
            return;
        }
        struct Pending
        {
            int tiers = 0;
            int restored = 0;
        };
        auto pending = std::make_shared<Pending>();
        pending->tiers = tierCount();
        for (int i = 0; i < tierCount(); ++i) {
            // One batch per tier: its answers are restored together, once all are in.
            auto records = std::make_shared<QList<TierRecord>>();
            auto unanswered = std::make_shared<qsizetype>(keys.size());
            for (const QString &key : keys) {
                readFromTier(i, key,
                             [this, i, key, records, unanswered, pending](const TierGetResult &r) {
                                 noteTierResult(i, TierOp::Read, r.error);
                                 if (r.value)
                                     records->append(TierRecord{key, *r.value});
                                 if (--*unanswered > 0)
                                     return;
                                 pending->restored += restoreFromTier(i, *records);
                                 if (--pending->tiers == 0)
                                     Q_EMIT warmUpFinished(pending->restored);
                             });
            }
        }
    }

    LayeredCacheStats stats() const
    {
        LayeredCacheStats s = m_stats;
        for (const TierSlot &slot : m_tiers)
            s.tiers.append(slot.stats);
        return s;
    }

    /**
     * Loads that wait for a tier to answer a read or a lease right now (not those waiting on
     * another machine's lease, nor on the loader). 0: every tier has answered what it was asked
     * and the answer was taken in, so a test may move its clock on.
     */
    int tierReadsInFlight() const
    {
        return int(std::count_if(m_walks.begin(), m_walks.end(), [](const auto &entry) {
            return entry.second->waitingTier >= 0 || entry.second->leaseStep == LeaseStep::Asking;
        }));
    }

protected:
    void checkTimeouts() override
    {
        const qint64 now = m_clock->now();
        // Copy: timing out starts the next step, which may add or finish walks.
        std::vector<std::shared_ptr<Walk>> due;
        for (const auto &[key, walk] : m_walks) {
            if (hasDeadline(*walk) && walk->deadline <= now)
                due.push_back(walk);
        }
        for (const std::shared_ptr<Walk> &walk : due) {
            if (!hasDeadline(*walk) || walk->deadline > now || !isCurrent(walk))
                continue;
            if (walk->leaseStep == LeaseStep::Asking) {
                const int i = walk->leaseTier;
                ++m_tiers[size_t(i)].stats.timeouts;
                qCDebug(lcCache) << "tier" << tier(i)->name() << "too slow to lease" << walk->key;
                walk->leaseStep = LeaseStep::None;
                walk->leaseTierFailed = true;
                runLoader(walk);
                continue;
            }
            if (walk->leaseStep == LeaseStep::Waiting) {
                rereadLeaseTier(walk, now >= walk->leaseEnds ? Wake::Expired : Wake::Poll);
                continue;
            }
            const int i = walk->waitingTier;
            ++m_tiers[size_t(i)].stats.timeouts;
            if (i == walk->leaseTier)
                walk->leaseTierFailed = true;
            qCDebug(lcCache) << "tier" << tier(i)->name() << "too slow for" << walk->key;
            askTier(walk, i + 1);
        }
        rearmTimeout();
    }

    void onEntryLanded(int index, const QString &key) override
    {
        const auto it = m_walks.find(key);
        if (it == m_walks.end())
            return;
        const std::shared_ptr<Walk> walk = it->second;
        if (walk->leaseStep == LeaseStep::Waiting && walk->leaseTier == index) {
            rereadLeaseTier(walk, Wake::Landed);
            rearmTimeout();
        }
    }

private:
    struct Stale
    {
        T value;
        qint64 loadedAt = 0;
        qint64 ttlMs = 0;
        int origin = 0;
    };

    /** Where a walk stands with the lease of the shared tier. */
    enum class LeaseStep : quint8 {
        None, // not asked (yet), or given up on: the loader runs without one
        Asking, // tryLease() sent
        Held, // ours: re-reading the tier, then loading
        Waiting, // another machine holds it: waiting for its landing
        Rereading, // woken: reading the tier for the other machine's value
    };
    /** Why a waiting walk re-reads the tier. */
    enum class Wake : quint8 { Landed, Poll, Expired };

    /** One load through the tiers; lives while the memory cache waits for its outcome. */
    struct Walk
    {
        quint64 id = 0;
        QString key;
        Loader loader;
        qint64 ttlMs = 0;
        bool forced = false;
        int waitingTier = -1; // the tier whose answer is awaited; -1: none
        qint64 deadline = 0;
        bool loading = false;
        std::optional<Stale> stale;
        QPromise<Outcome<T>> promise;
        // Single flight across machines.
        int leaseTier = -1; // the tier leases are taken on; -1: none
        LeaseStep leaseStep = LeaseStep::None;
        Wake wake = Wake::Landed;
        QByteArray leaseToken; // non-empty while this walk holds the lease
        int leaseTries = 0; // tries after a landing or the end of a lease (not polls)
        bool leaseCounted = false; // the try in flight counts
        qint64 leaseEnds = 0; // when the other holder's lease runs out, on our clock
        bool leaseTierFailed = false; // the lease tier failed or was slow: never wait on it
        bool waitedOnLease = false;
        qint64 waitingSince = 0; // when this walk began to wait on another's lease
    };

    static bool hasDeadline(const Walk &walk)
    {
        return walk.waitingTier >= 0 || walk.leaseStep == LeaseStep::Asking
               || walk.leaseStep == LeaseStep::Waiting;
    }

    qint64 resolveTtl(qint64 ttlMs) const
    {
        const qint64 ttl = ttlMs < 0 ? m_memory.defaultTtl() : ttlMs;
        return ttl == Memory::kNoExpiry ? kTierForeverMs : qMin(ttl, kTierForeverMs);
    }
    static qint64 fromTierTtl(qint64 ttl)
    {
        return ttl >= kTierForeverMs ? Memory::kNoExpiry : ttl;
    }

    /**
     * What tier `index` answered, restored for warmUp() and warmUp(keys) alike: the interceptor
     * first, no negative entries, nothing a load would refuse, an entry memory holds newer kept;
     * all at once through restoreMany().
     * Returns how many went to memory.
     */
    int restoreFromTier(int index, const QList<TierRecord> &records)
    {
        std::vector<typename Memory::RestoreItem> items;
        items.reserve(size_t(records.size()));
        const qint64 now = m_clock->now();
        for (const TierRecord &rec : records) {
            if (m_warmUpInterceptor && m_warmUpInterceptor(rec))
                continue;
            if (rec.entry.negative)
                continue;
            // What a load would refuse, a start refuses too: an impossible TTL, a load time
            // in the future (of unknown age), a value not of the key's kind.
            if (checkEntry(rec.entry, now, tierTtlLimit(rec.key)) != EntryFault::None)
                continue;
            const auto info = m_memory.entryInfo(rec.key);
            if (info && info->hasValue && info->loadedAt >= rec.entry.loadedAt)
                continue;
            std::optional<T> value = m_codec.decode(rec.entry.value);
            if (!value || (m_codec.fits && !m_codec.fits(rec.key, *value)))
                continue;
            items.push_back({rec.key, std::move(*value), qMin(rec.entry.loadedAt, now),
                             fromTierTtl(rec.entry.ttlMs), originOfTier(index)});
        }
        return int(m_memory.restoreMany(std::move(items)));
    }

    static std::pair<std::shared_ptr<QPromise<CacheResult<T>>>, QFuture<CacheResult<T>>>
    makePromise()
    {
        auto promise = std::make_shared<QPromise<CacheResult<T>>>();
        promise->start();
        return {promise, promise->future()};
    }

    static auto promiseCallback(std::shared_ptr<QPromise<CacheResult<T>>> promise)
    {
        return [promise = std::move(promise)](const CacheResult<T> &result) {
            promise->addResult(result);
            promise->finish();
        };
    }

    /** The memory cache's loader for `key`: a walk down the tiers, then `loader`. */
    template<typename L>
    auto walker(const QString &key, L &&loader, qint64 ttlMs, bool forced)
    {
        return [this, key, loader = std::decay_t<L>(std::forward<L>(loader)), ttlMs,
                forced]() -> QFuture<Outcome<T>> {
            auto walk = std::make_shared<Walk>();
            walk->id = ++m_lastWalkId;
            walk->key = key;
            walk->loader = Loader(loader);
            walk->ttlMs = ttlMs;
            walk->forced = forced || m_forceOnStart.erase(key) > 0;
            walk->leaseTier = walk->forced || m_leaseMs <= 0 ? -1 : leaseTier();
            walk->promise.start();
            QFuture<Outcome<T>> future = walk->promise.future();
            m_walks[key] = walk;
            askTier(walk, 0);
            return future;
        };
    }

    bool isCurrent(const std::shared_ptr<Walk> &walk) const
    {
        const auto it = m_walks.find(walk->key);
        return it != m_walks.end() && it->second == walk;
    }

    void forceWalk(const std::shared_ptr<Walk> &walk)
    {
        walk->forced = true;
        if (walk->leaseStep == LeaseStep::Asking || walk->leaseStep == LeaseStep::Waiting) {
            // A forced refresh asks the provider now; a lease answered later goes back.
            walk->leaseStep = LeaseStep::None;
            runLoader(walk);
            rearmTimeout();
        } else if (walk->waitingTier >= 0) {
            walk->waitingTier = -1; // its answer, when it comes, is late
            runLoader(walk);
        }
    }

    void askTier(const std::shared_ptr<Walk> &walk, int index)
    {
        if (!isCurrent(walk))
            return;
        if (walk->forced || index >= tierCount()) {
            walk->waitingTier = -1;
            if (walk->forced)
                runLoader(walk);
            else
                loadOrLease(walk);
            return;
        }
        walk->waitingTier = index;
        walk->deadline = m_clock->now() + m_tierTimeoutMs;
        ++m_tiers[size_t(index)].stats.reads;
        const quint64 id = walk->id;
        std::weak_ptr<Walk> weak = walk;
        this->readFromTier(index, walk->key, [this, weak, id, index](const TierGetResult &r) {
            onTierRead(weak.lock(), id, index, r);
        });
        rearmTimeout();
    }

    void onTierRead(const std::shared_ptr<Walk> &walk, quint64 id, int index,
                    const TierGetResult &r)
    {
        noteTierResult(index, TierOp::Read, r.error);
        TierStats &stats = m_tiers[size_t(index)].stats;
        if (!walk || walk->id != id || walk->waitingTier != index || !isCurrent(walk)) {
            ++stats.lateReplies;
            return;
        }
        walk->waitingTier = -1;
        if (!r.ok() && index == walk->leaseTier)
            walk->leaseTierFailed = true;
        if (!r.ok() || !r.value) {
            if (r.ok())
                ++stats.misses;
            askTier(walk, index + 1);
            return;
        }
        const TierEntry &entry = *r.value;
        const qint64 now = m_clock->now();
        switch (checkEntry(entry, now, tierTtlLimit(walk->key))) {
        case EntryFault::None:
            break;
        case EntryFault::BadTtl:
            qCInfo(lcCache) << "tier" << tier(index)->name() << "held" << walk->key
                            << "with an impossible TTL" << entry.ttlMs << "ms; removed";
            ++stats.misses;
            watchDone(index, tier(index)->remove(walk->key));
            askTier(walk, index + 1);
            return;
        case EntryFault::FromTheFuture:
            // Neither fresh nor stale: its age is unknown. The load that follows replaces it.
            qCInfo(lcCache) << "tier" << tier(index)->name() << "held" << walk->key << "loaded"
                            << (entry.loadedAt - now) / 1000 << "s in the future; loading it again";
            ++stats.misses;
            askTier(walk, index + 1);
            return;
        }
        const qint64 ttl = fromTierTtl(entry.ttlMs);
        const bool fresh = ttl == Memory::kNoExpiry || entry.expiresAt() > now;
        if (entry.negative) {
            if (!fresh) {
                ++stats.misses;
                askTier(walk, index + 1);
                return;
            }
            ++stats.hits;
            noteLeaseWaitAnswer(*walk, index);
            promote(index, walk->key, entry);
            const QString key = walk->key;
            const qint64 left = entry.expiresAt() - now;
            Outcome<T> o = Outcome<T>::failure(m_errorCodec.decode(key, entry.value));
            o.origin = originOfTier(index);
            finish(walk, std::move(o));
            // The memory cache keeps the failure for its negative TTL from now; it should live
            // only as long as the tier's. Queued after the memory cache's own completion.
            QMetaObject::invokeMethod(
                this,
                [this, key, left] {
                    const auto info = m_memory.entryInfo(key);
                    if (info && !info->hasValue && info->expiresAt > 0) // a failure, held
                        m_memory.expire(key, qMax<qint64>(1, left));
                },
                Qt::QueuedConnection);
            return;
        }
        std::optional<T> value = m_codec.decode(entry.value);
        if (value && m_codec.fits && !m_codec.fits(walk->key, *value)) {
            qCInfo(lcCache) << "tier" << tier(index)->name() << "held" << walk->key
                            << "with a value of another kind; read as a miss";
            value.reset();
        }
        if (!value) {
            ++stats.misses;
            askTier(walk, index + 1);
            return;
        }
        if (!fresh) {
            // Too old to answer, maybe good enough to show if the loader fails.
            ++stats.misses;
            if (entry.expiresAt() + m_memory.staleHorizon() > now
                && (!walk->stale || walk->stale->loadedAt < entry.loadedAt))
                walk->stale
                    = Stale{std::move(*value), entry.loadedAt, entry.ttlMs, originOfTier(index)};
            askTier(walk, index + 1);
            return;
        }
        ++stats.hits;
        noteLeaseWaitAnswer(*walk, index);
        promote(index, walk->key, entry);
        Outcome<T> o = Outcome<T>::success(std::move(*value), ttl);
        o.loadedAt = qMin(entry.loadedAt, now);
        o.origin = originOfTier(index);
        finish(walk, std::move(o));
    }

    void noteLeaseWaitAnswer(const Walk &walk, int index)
    {
        if (walk.waitedOnLease && index == walk.leaseTier)
            ++m_tiers[size_t(index)].stats.leaseWaitAnswers;
    }

    /**
     * Every tier missed: load, unless another machine is loading the same key. With a lease
     * tier, take its lease first; having lost it, wait for the holder; having waited for
     * nothing, try again, then load regardless.
     */
    void loadOrLease(const std::shared_ptr<Walk> &walk)
    {
        if (walk->forced || walk->leaseTier < 0 || walk->leaseTierFailed
            || !walk->leaseToken.isEmpty() || m_leaseMs <= 0) {
            walk->leaseStep = LeaseStep::None;
            runLoader(walk);
            return;
        }
        bool counted = true;
        if (walk->leaseStep == LeaseStep::Rereading) {
            // A poll found nothing: the lease may be free (its holder's announcement was lost,
            // or Redis let a crashed holder's lease run out), so ask; that try is free.
            counted = walk->wake != Wake::Poll || m_clock->now() >= walk->leaseEnds;
            // The holder ended (failed, or crashed and its lease ran out) without a value.
            // (A walk that waited a whole lease asks once more: a free lease is taken, one
            // still held means loading here, see onLeaseAnswer().)
            if (counted && walk->leaseTries >= kMaxLeaseTries && !waitedALease(*walk)) {
                walk->leaseStep = LeaseStep::None;
                runLoader(walk);
                return;
            }
        }
        askLease(walk, counted);
    }

    void askLease(const std::shared_ptr<Walk> &walk, bool counted)
    {
        const int index = walk->leaseTier;
        walk->leaseStep = LeaseStep::Asking;
        walk->leaseCounted = counted;
        if (counted)
            ++walk->leaseTries;
        walk->deadline = m_clock->now() + m_tierTimeoutMs;
        const quint64 id = walk->id;
        const QString key = walk->key;
        std::weak_ptr<Walk> weak = walk;
        onTierAnswer(index, tier(index)->tryLease(key, m_leaseMs),
                     [this, weak, id, index, key](const TierResult<QByteArray> &r) {
                         onLeaseAnswer(weak.lock(), id, index, key, r);
                     });
        rearmTimeout();
    }

    void onLeaseAnswer(const std::shared_ptr<Walk> &walk, quint64 id, int index, const QString &key,
                       const TierResult<QByteArray> &r)
    {
        noteTierResult(index, TierOp::Read, r.error);
        TierStats &stats = m_tiers[size_t(index)].stats;
        if (!walk || walk->id != id || walk->leaseStep != LeaseStep::Asking || !isCurrent(walk)) {
            ++stats.lateReplies;
            if (r.ok() && !r.value.isEmpty()) // taken for a load that no longer needs it
                releaseLease(index, key, r.value, false);
            return;
        }
        if (!r.ok()) {
            // Never block on the shared tier: load now.
            walk->leaseStep = LeaseStep::None;
            walk->leaseTierFailed = true;
            runLoader(walk);
            rearmTimeout();
            return;
        }
        if (!r.value.isEmpty()) {
            ++stats.leases;
            walk->leaseToken = r.value;
            walk->leaseStep = LeaseStep::Held;
            // Another machine may have written the value between our miss and our lease.
            askTier(walk, index);
            return;
        }
        if (!walk->waitedOnLease) {
            walk->waitedOnLease = true;
            walk->waitingSince = m_clock->now();
            ++stats.leaseWaits;
        }
        if (waitedALease(*walk)) {
            qCInfo(lcCache) << "another machine held the lease on" << key << "for"
                            << m_leaseMs / 1000 << "s; loading it here";
            walk->leaseStep = LeaseStep::None;
            runLoader(walk);
            rearmTimeout();
            return;
        }
        qCDebug(lcCache) << "waiting for another machine to load" << key;
        // A free try (a poll) waits on for the same lease; a counted one for a new lease.
        if (walk->leaseCounted)
            walk->leaseEnds = m_clock->now() + m_leaseMs;
        // Held again after its end: its holder is alive and renews it (a load queued behind
        // the provider's budget can take longer than a lease). Waiting on is not a try lost;
        // waitedALease() bounds the whole wait.
        if (walk->leaseCounted && walk->leaseTries > 1)
            --walk->leaseTries;
        waitForLanding(walk);
    }

    /** This walk has waited on other machines' leases for a whole lease length. */
    bool waitedALease(const Walk &walk) const
    {
        // A clock set back while waiting counts as waited: the wait would have no end.
        const qint64 now = m_clock->now();
        return walk.waitedOnLease
               && (now - walk.waitingSince >= m_leaseMs || now < walk.waitingSince);
    }

    void waitForLanding(const std::shared_ptr<Walk> &walk)
    {
        walk->leaseStep = LeaseStep::Waiting;
        walk->deadline = qMin(qMin(walk->leaseEnds, m_clock->now() + m_leasePollMs),
                              walk->waitingSince + m_leaseMs);
        rearmTimeout();
    }

    void rereadLeaseTier(const std::shared_ptr<Walk> &walk, Wake wake)
    {
        walk->leaseStep = LeaseStep::Rereading;
        walk->wake = wake;
        askTier(walk, walk->leaseTier);
    }

    /** Copy what tier `found` answered into the tiers above it. */
    void promote(int found, const QString &key, const TierEntry &entry)
    {
        for (int i = 0; i < found; ++i) {
            ++m_tiers[size_t(i)].stats.writes;
            this->writeToTier(i, key, entry);
        }
    }

    void writeThrough(const QString &key, const TierEntry &entry)
    {
        promote(tierCount(), key, entry);
    }

    void runLoader(const std::shared_ptr<Walk> &walk)
    {
        if (walk->loading)
            return;
        walk->loading = true;
        QFuture<Outcome<T>> future = walk->loader ? walk->loader() : QFuture<Outcome<T>>();
        const quint64 id = walk->id;
        std::weak_ptr<Walk> weak = walk;
        const auto failed = [this, weak, id](const QString &message) {
            if (auto w = weak.lock(); w && w->id == id)
                onLoaded(w, Outcome<T>::failure({-1, message, {}}));
        };
        if (future.isCanceled()) {
            QMetaObject::invokeMethod(
                this, [failed] { failed(LayeredCacheBase::tr("The load was cancelled.")); },
                Qt::QueuedConnection);
            return;
        }
        // The loader may finish after this cache is gone: see ContinuationContext.
        QObject *context = this->m_continuations.object();
        const QPointer<LayeredCacheBase> self(this);
        future
            .then(context,
                  [keep = this->m_continuations.keepAlive(), self, this, weak,
                   id](const Outcome<T> &outcome) {
                      if (!self)
                          return;
                      if (auto w = weak.lock(); w && w->id == id)
                          onLoaded(w, outcome);
                  })
            // onCanceled() before onFailed(): in Qt 6.4 onFailed() swallows a cancellation
            // that comes after this point, and the walk would never finish.
            .onCanceled(context,
                        [keep = this->m_continuations.keepAlive(), self, failed] {
                            if (self)
                                failed(LayeredCacheBase::tr("The load was cancelled."));
                        })
            .onFailed(context, [keep = this->m_continuations.keepAlive(), self, failed] {
                if (self)
                    failed(LayeredCacheBase::tr("The load failed unexpectedly."));
            });
    }

    void onLoaded(const std::shared_ptr<Walk> &walk, Outcome<T> outcome)
    {
        if (!isCurrent(walk))
            return;
        const qint64 now = m_clock->now();
        if (outcome.ok()) {
            ++m_stats.loaderAnswers;
            const qint64 ttl = resolveTtl(outcome.ttlMs >= 0 ? outcome.ttlMs : walk->ttlMs);
            const qint64 loadedAt = outcome.loadedAt >= 0 ? qMin(outcome.loadedAt, now) : now;
            writeThrough(walk->key,
                         TierEntry{m_codec.encode(*outcome.value), loadedAt, ttl, false});
            if (walk->leaseToken.isEmpty()) {
                // Loaded without the lease (a forced refresh, or the lease tier failed): no
                // release announces it, so say it here (after the write: the tier answers in
                // order). Other machines' watchers (weatherdash-cli --watch) hear it.
                if (const int i = leaseTier(); i >= 0)
                    watchDone(i, tier(i)->announceLanded(walk->key));
            }
            outcome.ttlMs = fromTierTtl(ttl);
            outcome.loadedAt = loadedAt;
            outcome.origin = kOriginLoader;
        } else {
            ++m_stats.loaderFailures;
            // Like the memory cache: a value still within the stale horizon is served instead
            // of the failure, and a failure is only cached when there is nothing to serve.
            if (!memoryCanServe(walk->key) && walk->stale) {
                // Memory may have evicted what a tier still has: give it back.
                m_memory.restore(walk->key, std::move(walk->stale->value), walk->stale->loadedAt,
                                 fromTierTtl(walk->stale->ttlMs), walk->stale->origin);
            }
            if (!memoryCanServe(walk->key) && m_negativeFilter && m_negativeTtl > 0
                && m_negativeFilter(outcome.error)) {
                writeThrough(walk->key, TierEntry{m_errorCodec.encode(outcome.error), now,
                                                  m_negativeTtl, true});
            }
        }
        finish(walk, std::move(outcome));
    }

    void finish(const std::shared_ptr<Walk> &walk, Outcome<T> outcome)
    {
        if (!isCurrent(walk))
            return;
        std::shared_ptr<Walk> keep = walk;
        m_walks.erase(walk->key);
        keep->waitingTier = -1;
        keep->leaseStep = LeaseStep::None;
        if (!keep->leaseToken.isEmpty()) {
            // After the write-through (the tier answers in order): the waiters find the value,
            // or, when the load failed, learn that they should load themselves.
            releaseLease(keep->leaseTier, keep->key, std::exchange(keep->leaseToken, {}),
                         keep->loading);
        }
        keep->promise.addResult(std::move(outcome));
        keep->promise.finish();
        rearmTimeout();
    }

    /** Memory holds a value (not a failure) it would serve if a load failed now. */
    bool memoryCanServe(const QString &key) const
    {
        const auto info = m_memory.entryInfo(key);
        return info && info->hasValue && m_clock->now() < info->expiresAt + m_memory.staleHorizon();
    }

    void rearmTimeout()
    {
        qint64 earliest = -1;
        for (const auto &[key, walk] : m_walks) {
            if (hasDeadline(*walk) && (earliest < 0 || walk->deadline < earliest))
                earliest = walk->deadline;
        }
        scheduleTimeout(earliest);
    }

    Memory m_memory;
    Codec m_codec;
    ErrorCodec m_errorCodec;
    qint64 m_negativeTtl = 0;
    ErrorFilter m_negativeFilter;
    std::unordered_map<QString, std::shared_ptr<Walk>> m_walks;
    std::unordered_set<QString> m_forceOnStart;
    std::function<bool(const TierRecord &)> m_warmUpInterceptor;
    quint64 m_lastWalkId = 0;
};
