// SPDX-License-Identifier: MIT
#include "cache/asynccache.h"
#include "futurewait.h"

#include <QSignalSpy>
#include <QTest>

#include <limits>
#include <memory>
#include <stdexcept>

using namespace Qt::StringLiterals;
using Cache = AsyncCache<QString>;

namespace {

constexpr int kNotFound = 404;
constexpr int kServerError = 500;

/** A loader whose answers the test hands out by hand, counting how often it ran. */
class ManualLoader
{
public:
    Cache::Loader loader()
    {
        return [this] {
            ++calls;
            auto promise = std::make_shared<QPromise<Outcome<QString>>>();
            promise->start();
            m_pending.push_back(promise);
            return promise->future();
        };
    }
    void succeed(const QString &value, int i = -1) { finish(Outcome<QString>::success(value), i); }
    void fail(int code, int i = -1)
    {
        finish(Outcome<QString>::failure({code, u"failure %1"_s.arg(code), {}}), i);
    }
    void finish(const Outcome<QString> &outcome, int i = -1)
    {
        auto &promise = m_pending.at(i < 0 ? m_pending.size() - 1 : size_t(i));
        promise->addResult(outcome);
        promise->finish();
    }
    QPromise<Outcome<QString>> &promise(int i) { return *m_pending.at(size_t(i)); }

    int calls = 0;

private:
    std::vector<std::shared_ptr<QPromise<Outcome<QString>>>> m_pending;
};

Cache::Loader readyLoader(const QString &value, int *calls = nullptr)
{
    return [value, calls] {
        if (calls)
            ++*calls;
        return QtFuture::makeReadyFuture(Outcome<QString>::success(value));
    };
}

} // namespace

class tst_AsyncCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<ManualClock>();
        m_cache = std::make_unique<Cache>(m_clock.get());
        m_cache->setDefaultTtl(10'000);
    }
    void cleanup()
    {
        m_cache.reset();
        m_clock.reset();
    }

    void ttlBoundary_data();
    void ttlBoundary();
    void defaultAndPerEntryTtl();
    void noExpiry();
    void absurdTtlsDoNotOverflow();
    void expirySignalFiresAtDeadline();
    void expiryFollowsDeadlineOrderAcrossTtls();
    void staleHorizonKeepsExpiredEntries();
    void staleServedWhenReloadFails();
    void staleNotServedPastHorizon();
    void hitCompletesAsynchronously();
    void futuresCancelWhenTheCacheGoes();
    void missRunsLoaderOnceAndStores();
    void singleFlightThousandWaiters();
    void failedLoadReachesEveryWaiterAndIsNotStored();
    void negativeCaching();
    void forceRefreshReloadsFreshEntry();
    void forceRefreshJoinsLoadInFlight();
    void forceRefreshFailureKeepsOldValue();
    void loaderMayOverrideTtlAndLoadTime();
    void cancelledAndThrowingLoadersFail();
    void setAddExistsPeekInvalidateClear();
    void clearWithoutInvalidateForgetsEveryKey();
    void expireGivesNewTtl();
    void restoreKeepsAge();
    void evictsLeastRecentlyUsedByCount();
    void evictsByBytes();
    void refusesValueLargerThanBudget();
    void entryInfoDescribesEntry();
    void statsAddUp();
    void resetStatsZeroesCountersNotContents();
    void massExpiryIsSliced();
    void manyDistinctTtls();
    void receiverDestroyedWhileConnected();
    void callbackHitComesFromTheEventLoopInOneBatch();
    void callbackDroppedWhenContextDestroyed();
    void callbacksJoinOneLoad();
    void callbackMayAskAgain();
    void twoThousandTtlsExpireInTheTurnTheyAreDue();
    void restoreManyTakesAnyDeadlineOrder();
    void restoreOneByOneTakesAnyDeadlineOrder_data();
    void restoreOneByOneTakesAnyDeadlineOrder();
    void strayLeavesTheStraysWhenReplacedOrRemoved();
    void perEntryTtlsWithoutReceiversGoOnTime_data();
    void perEntryTtlsWithoutReceiversGoOnTime();
    void expiredValuesAreFreedInBatchesSoon();

private:
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Cache> m_cache;
};

void tst_AsyncCache::ttlBoundary_data()
{
    QTest::addColumn<qint64>("ttl");
    QTest::newRow("1 ms") << qint64(1);
    QTest::newRow("10 minutes") << qint64(600'000);
    QTest::newRow("30 days") << qint64(30LL * 24 * 3600 * 1000);
}

void tst_AsyncCache::ttlBoundary()
{
    QFETCH(qint64, ttl);
    m_cache->set(u"k"_s, u"v"_s, ttl);
    m_clock->advance(ttl - 1);
    QVERIFY(m_cache->exists(u"k"_s));
    QCOMPARE(m_cache->value(u"k"_s), u"v"_s);
    m_clock->advance(1);
    QVERIFY(!m_cache->exists(u"k"_s));
    QCOMPARE(m_cache->value(u"k"_s), std::nullopt);
    QCOMPARE(m_cache->count(), 0); // no stale horizon: gone at the deadline
}

void tst_AsyncCache::defaultAndPerEntryTtl()
{
    m_cache->set(u"default"_s, u"a"_s);
    m_cache->set(u"short"_s, u"b"_s, 1000);
    m_cache->set(u"long"_s, u"c"_s, 60'000);
    m_clock->advance(1000);
    QVERIFY(!m_cache->exists(u"short"_s));
    QVERIFY(m_cache->exists(u"default"_s));
    m_clock->advance(9000);
    QVERIFY(!m_cache->exists(u"default"_s));
    QVERIFY(m_cache->exists(u"long"_s));
    QCOMPARE(m_cache->entryInfo(u"long"_s)->timeLeftMs, 50'000);
}

void tst_AsyncCache::noExpiry()
{
    m_cache->set(u"k"_s, u"v"_s, Cache::kNoExpiry);
    m_clock->advance(10LL * 365 * 24 * 3600 * 1000);
    QVERIFY(m_cache->exists(u"k"_s));
}

void tst_AsyncCache::absurdTtlsDoNotOverflow()
{
    m_cache->setStaleHorizon(std::numeric_limits<qint64>::max());
    m_cache->set(u"k"_s, u"v"_s, std::numeric_limits<qint64>::max());
    m_clock->advance(50LL * 365 * 24 * 3600 * 1000);
    QVERIFY(m_cache->exists(u"k"_s));
    QVERIFY(m_cache->entryInfo(u"k"_s)->timeLeftMs > 0);
}

void tst_AsyncCache::expirySignalFiresAtDeadline()
{
    QSignalSpy expired(m_cache.get(), &AsyncCacheBase::entryExpired);
    QSignalSpy removed(m_cache.get(), &AsyncCacheBase::entryRemoved);
    m_cache->set(u"k"_s, u"v"_s, 500);
    m_clock->advance(499);
    QCOMPARE(expired.size(), 0);
    m_clock->advance(1);
    QCOMPARE(expired.size(), 1);
    QCOMPARE(expired.at(0).at(0).toString(), u"k"_s);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).value<RemovalCause>(), RemovalCause::Expired);
    QCOMPARE(m_cache->stats().expirations, 1u);
}

void tst_AsyncCache::expiryFollowsDeadlineOrderAcrossTtls()
{
    QSignalSpy expired(m_cache.get(), &AsyncCacheBase::entryExpired);
    m_cache->set(u"c"_s, u"v"_s, 3000);
    m_cache->set(u"a"_s, u"v"_s, 1000);
    m_cache->set(u"b"_s, u"v"_s, 2000);
    m_clock->advance(500);
    m_cache->set(u"a2"_s, u"v"_s, 1000); // same queue as "a", later deadline
    QStringList order;
    for (int step = 0; step < 40; ++step) {
        m_clock->advance(100);
        for (const auto &args : std::as_const(expired))
            order << args.at(0).toString();
        expired.clear();
    }
    QCOMPARE(order, (QStringList{u"a"_s, u"a2"_s, u"b"_s, u"c"_s}));
}

void tst_AsyncCache::staleHorizonKeepsExpiredEntries()
{
    m_cache->setStaleHorizon(1000);
    QSignalSpy expired(m_cache.get(), &AsyncCacheBase::entryExpired);
    QSignalSpy removed(m_cache.get(), &AsyncCacheBase::entryRemoved);
    m_cache->set(u"k"_s, u"v"_s, 500);
    m_clock->advance(500);
    QCOMPARE(expired.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(m_cache->entryInfo(u"k"_s)->state, EntryState::Stale);
    QCOMPARE(m_cache->peek(u"k"_s), u"v"_s);
    QCOMPARE(m_cache->value(u"k"_s), std::nullopt); // stale is not a hit
    m_clock->advance(999);
    QCOMPARE(removed.size(), 0);
    m_clock->advance(1);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(m_cache->peek(u"k"_s), std::nullopt);
    QCOMPARE(m_cache->stats().expirations, 1u);
}

void tst_AsyncCache::staleServedWhenReloadFails()
{
    m_cache->setStaleHorizon(60'000);
    m_cache->set(u"k"_s, u"old"_s, 1000);
    m_clock->advance(5000);
    ManualLoader loads;
    auto future = m_cache->get(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    loads.fail(kServerError);
    const auto r = awaitResult(future);
    QCOMPARE(r.source, CacheSource::Stale);
    QCOMPARE(r.value, u"old"_s);
    QCOMPARE(r.error.code, kServerError);
    QCOMPARE(r.ageMs, 5000);
    QCOMPARE(m_cache->stats().staleServes, 1u);
    QCOMPARE(m_cache->peek(u"k"_s), u"old"_s); // still there for the next failure
}

void tst_AsyncCache::staleNotServedPastHorizon()
{
    m_cache->setStaleHorizon(1000);
    m_cache->set(u"k"_s, u"old"_s, 1000);
    m_clock->advance(2000);
    ManualLoader loads;
    auto future = m_cache->get(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    loads.fail(kServerError);
    const auto r = awaitResult(future);
    QCOMPARE(r.source, CacheSource::Failed);
    QVERIFY(!r.ok());
    QCOMPARE(m_cache->stats().staleServes, 0u);
}

void tst_AsyncCache::hitCompletesAsynchronously()
{
    m_cache->set(u"k"_s, u"v"_s);
    int calls = 0;
    auto future = m_cache->get(u"k"_s, readyLoader(u"other"_s, &calls));
    QVERIFY2(!future.isFinished(), "a hit must not complete inside get()");
    const auto r = awaitResult(future);
    QCOMPARE(r.source, CacheSource::Hit);
    QCOMPARE(r.value, u"v"_s);
    QCOMPARE(calls, 0);
}

void tst_AsyncCache::futuresCancelWhenTheCacheGoes()
{
    // Waiters that never got their answer (a hit not yet delivered, a load still in flight)
    // see a cancelled future, not one that never finishes.
    m_cache->set(u"k"_s, u"v"_s);
    ManualLoader loader;
    auto hit = m_cache->get(u"k"_s, loader.loader());
    auto miss = m_cache->get(u"absent"_s, loader.loader());
    QVERIFY(!hit.isFinished() && hit.isStarted() && hit.isRunning());
    QVERIFY(!miss.isFinished() && miss.isStarted() && miss.isRunning());
    m_cache.reset();
    QVERIFY(hit.isFinished() && hit.isCanceled());
    QVERIFY(miss.isFinished() && miss.isCanceled());
}

void tst_AsyncCache::resetStatsZeroesCountersNotContents()
{
    int calls = 0;
    QVERIFY(awaitResult(m_cache->get(u"a"_s, readyLoader(u"v"_s, &calls))).ok()); // a miss
    QCOMPARE(awaitResult(m_cache->get(u"a"_s, readyLoader(u"v"_s, &calls))).source,
             CacheSource::Hit);
    m_cache->set(u"b"_s, u"w"_s, 1000);
    m_clock->advance(1000); // "b" expires
    ManualLoader held;
    auto inFlight = m_cache->get(u"c"_s, held.loader());
    QTRY_COMPARE(held.calls, 1);
    const CacheStats before = m_cache->stats();
    QCOMPARE(before.hits, 1u);
    QVERIFY(before.misses >= 2 && before.loadsSucceeded == 1 && before.expirations == 1);
    QCOMPARE(m_cache->entryInfo(u"a"_s)->hits, 1u);

    QSignalSpy reset(m_cache.get(), &AsyncCacheBase::statsReset);
    m_cache->resetStats();
    QCOMPARE(reset.count(), 1);
    const CacheStats after = m_cache->stats();
    QCOMPARE(after.hits, 0u);
    QCOMPARE(after.misses, 0u);
    QCOMPARE(after.loadsSucceeded, 0u);
    QCOMPARE(after.expirations, 0u);
    QCOMPARE(after.totalLoadTimeMs, 0);
    QCOMPARE(after.maxLoadTimeMs, 0);
    QCOMPARE(m_cache->entryInfo(u"a"_s)->hits, 0u);
    // What the cache holds is not a statistic.
    QCOMPARE(after.entries, before.entries);
    QCOMPARE(after.bytes, before.bytes);
    QCOMPARE(after.loadsInFlight, 1);
    QCOMPARE(m_cache->value(u"a"_s), u"v"_s);
    QCOMPARE(m_cache->checkInvariants(), QString());

    // And counting goes on from zero.
    held.succeed(u"z"_s);
    QVERIFY(awaitResult(inFlight).ok());
    QCOMPARE(m_cache->stats().loadsSucceeded, 1u);
    QCOMPARE(m_cache->stats().hits, 1u); // the value() above
}

void tst_AsyncCache::missRunsLoaderOnceAndStores()
{
    int calls = 0;
    auto first = m_cache->get(u"k"_s, readyLoader(u"v"_s, &calls));
    QVERIFY(!first.isFinished());
    QCOMPARE(calls, 0); // the loader starts from the event loop, not inside get()
    const auto r = awaitResult(first);
    QCOMPARE(r.source, CacheSource::Loaded);
    QCOMPARE(r.value, u"v"_s);
    QCOMPARE(calls, 1);
    QCOMPARE(awaitResult(m_cache->get(u"k"_s, readyLoader(u"x"_s, &calls))).source,
             CacheSource::Hit);
    QCOMPARE(calls, 1);
}

void tst_AsyncCache::singleFlightThousandWaiters()
{
    ManualLoader loads;
    QList<QFuture<CacheResult<QString>>> futures;
    for (int i = 0; i < 1000; ++i)
        futures << m_cache->get(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    QCOMPARE(m_cache->entryInfo(u"k"_s)->state, EntryState::Loading);
    QCOMPARE(m_cache->stats().loadsInFlight, 1);
    // More callers while in flight still join.
    for (int i = 0; i < 10; ++i)
        futures << m_cache->get(u"k"_s, loads.loader());
    QCoreApplication::processEvents();
    QCOMPARE(loads.calls, 1);
    loads.succeed(u"v"_s);
    for (auto &f : futures) {
        const auto r = awaitResult(f);
        QCOMPARE(r.value, u"v"_s);
        QCOMPARE(r.source, CacheSource::Loaded);
    }
    const CacheStats s = m_cache->stats();
    QCOMPARE(s.coalesced, 1009u);
    QCOMPARE(s.misses, 1010u);
    QCOMPARE(s.loadsSucceeded, 1u);
    QCOMPARE(s.loadsInFlight, 0);
}

void tst_AsyncCache::failedLoadReachesEveryWaiterAndIsNotStored()
{
    ManualLoader loads;
    QList<QFuture<CacheResult<QString>>> futures;
    for (int i = 0; i < 10; ++i)
        futures << m_cache->get(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    loads.fail(kServerError);
    for (auto &f : futures) {
        const auto r = awaitResult(f);
        QVERIFY(!r.ok());
        QCOMPARE(r.source, CacheSource::Failed);
        QCOMPARE(r.error.code, kServerError);
        QCOMPARE(r.error.message, u"failure 500"_s);
    }
    QVERIFY(!m_cache->entryInfo(u"k"_s));
    QCOMPARE(m_cache->count(), 0);
    auto again = m_cache->get(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 2); // not cached: the next ask loads again
    loads.succeed(u"v"_s);
    QCOMPARE(awaitResult(again).value, u"v"_s);
    QCOMPARE(m_cache->stats().loadsFailed, 1u);
}

void tst_AsyncCache::negativeCaching()
{
    m_cache->setNegativeCaching(300, [](const LoadError &e) { return e.code == kNotFound; });
    ManualLoader loads;
    auto f = m_cache->get(u"nowhere"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    loads.fail(kNotFound);
    QCOMPARE(awaitResult(f).source, CacheSource::Failed);
    QCOMPARE(m_cache->entryInfo(u"nowhere"_s)->state, EntryState::Failed);

    m_clock->advance(299);
    const auto cached = awaitResult(m_cache->get(u"nowhere"_s, loads.loader()));
    QCOMPARE(cached.source, CacheSource::NegativeHit);
    QCOMPARE(cached.error.code, kNotFound);
    QCOMPARE(loads.calls, 1);
    QCOMPARE(m_cache->stats().negativeHits, 1u);
    QVERIFY(!m_cache->exists(u"nowhere"_s)); // a cached failure is not a value
    QCOMPARE(m_cache->peek(u"nowhere"_s), std::nullopt);

    m_clock->advance(1);
    auto after = m_cache->get(u"nowhere"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 2);
    loads.fail(kServerError);
    QCOMPARE(awaitResult(after).source, CacheSource::Failed);
    // A server error is not a kind we cache.
    auto again = m_cache->get(u"nowhere"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 3);
    loads.succeed(u"found"_s);
    QCOMPARE(awaitResult(again).value, u"found"_s);
}

void tst_AsyncCache::forceRefreshReloadsFreshEntry()
{
    m_cache->set(u"k"_s, u"old"_s);
    m_clock->advance(4000);
    QCOMPARE(m_cache->entryInfo(u"k"_s)->ageMs, 4000);
    ManualLoader loads;
    auto f = m_cache->refresh(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    QCOMPARE(m_cache->entryInfo(u"k"_s)->state, EntryState::Loading);
    QCOMPARE(awaitResult(m_cache->get(u"k"_s, loads.loader())).value, u"old"_s); // still served
    loads.succeed(u"new"_s);
    const auto r = awaitResult(f);
    QCOMPARE(r.source, CacheSource::Loaded);
    QCOMPARE(r.value, u"new"_s);
    const auto info = m_cache->entryInfo(u"k"_s);
    QCOMPARE(info->ageMs, 0);
    QCOMPARE(info->state, EntryState::Fresh);
    QCOMPARE(info->timeLeftMs, 10'000);
}

void tst_AsyncCache::forceRefreshJoinsLoadInFlight()
{
    ManualLoader loads;
    auto first = m_cache->get(u"k"_s, loads.loader());
    auto forced = m_cache->refresh(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    loads.succeed(u"v"_s);
    QCOMPARE(awaitResult(first).value, u"v"_s);
    QCOMPARE(awaitResult(forced).value, u"v"_s);
    QCOMPARE(loads.calls, 1);
    QCOMPARE(m_cache->stats().coalesced, 1u);
}

void tst_AsyncCache::forceRefreshFailureKeepsOldValue()
{
    m_cache->set(u"k"_s, u"old"_s);
    m_clock->advance(1000);
    ManualLoader loads;
    auto f = m_cache->refresh(u"k"_s, loads.loader());
    QTRY_COMPARE(loads.calls, 1);
    loads.fail(kServerError);
    const auto r = awaitResult(f);
    QCOMPARE(r.value, u"old"_s);
    QCOMPARE(r.error.code, kServerError);
    QCOMPARE(r.source, CacheSource::Hit); // still fresh, so not a stale serve
    QCOMPARE(r.ageMs, 1000);
    QCOMPARE(m_cache->value(u"k"_s), u"old"_s);
    QCOMPARE(m_cache->entryInfo(u"k"_s)->ageMs, 1000); // its age did not restart
}

void tst_AsyncCache::loaderMayOverrideTtlAndLoadTime()
{
    const qint64 loadedAt = m_clock->now() - 3000;
    auto f = m_cache->get(u"k"_s, [loadedAt] {
        Outcome<QString> o = Outcome<QString>::success(u"v"_s, 5000);
        o.loadedAt = loadedAt;
        o.origin = 7;
        return QtFuture::makeReadyFuture(o);
    });
    const auto r = awaitResult(f);
    QCOMPARE(r.ageMs, 3000);
    QCOMPARE(r.origin, 7);
    QCOMPARE(m_cache->entryInfo(u"k"_s)->timeLeftMs, 2000);
    const auto hit = awaitResult(m_cache->get(u"k"_s, readyLoader(u"x"_s)));
    QCOMPARE(hit.origin, 7);
}

void tst_AsyncCache::cancelledAndThrowingLoadersFail()
{
    auto cancelled = m_cache->get(u"a"_s, [] { return QFuture<Outcome<QString>>(); });
    QCOMPARE(awaitResult(cancelled).source, CacheSource::Failed);

    auto throwing = m_cache->get(u"b"_s, [] {
        QPromise<Outcome<QString>> p;
        p.start();
        p.setException(std::make_exception_ptr(std::runtime_error("boom")));
        p.finish();
        return p.future();
    });
    const auto r = awaitResult(throwing);
    QCOMPARE(r.source, CacheSource::Failed);
    QVERIFY(r.error.isError());
    QCOMPARE(m_cache->stats().loadsFailed, 2u);
}

void tst_AsyncCache::setAddExistsPeekInvalidateClear()
{
    QSignalSpy removed(m_cache.get(), &AsyncCacheBase::entryRemoved);
    QSignalSpy cleared(m_cache.get(), &AsyncCacheBase::cleared);
    QCOMPARE(m_cache->set(u"a"_s, u"1"_s), InsertResult::Inserted);
    QCOMPARE(m_cache->set(u"a"_s, u"2"_s), InsertResult::Replaced);
    QCOMPARE(m_cache->add(u"a"_s, u"3"_s), InsertResult::Exists);
    QCOMPARE(m_cache->peek(u"a"_s), u"2"_s);
    QCOMPARE(m_cache->add(u"b"_s, u"b"_s), InsertResult::Inserted);
    QVERIFY(m_cache->exists(u"b"_s));
    const CacheStats before = m_cache->stats();
    QCOMPARE(before.hits + before.misses, 0u); // peek and exists count nothing
    QVERIFY(m_cache->invalidate(u"a"_s));
    QVERIFY(!m_cache->invalidate(u"a"_s));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).value<RemovalCause>(), RemovalCause::Invalidated);
    QVERIFY(!m_cache->exists(u"a"_s));
    m_cache->set(u"c"_s, u"c"_s);
    m_cache->clear();
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(removed.size(), 3);
    QCOMPARE(m_cache->count(), 0);
    QCOMPARE(m_cache->bytes(), 0);
    QVERIFY(m_cache->entries().isEmpty());
    // The cache works as new after clear().
    m_cache->set(u"d"_s, u"d"_s, 100);
    m_clock->advance(100);
    QVERIFY(!m_cache->exists(u"d"_s));
    QCOMPARE(m_cache->count(), 0);
}

void tst_AsyncCache::clearWithoutInvalidateForgetsEveryKey()
{
    // Cache > Clear on a cache that never grew its table: the slots used to stay, naming freed
    // entries; lookups read freed memory and, a few inserts later, an insert looped forever.
    constexpr int kKeys = 40; // fits the initial table: it never grows
    for (int i = 0; i < kKeys; ++i)
        m_cache->set(u"old %1"_s.arg(i), u"v"_s);
    m_cache->clear();
    QCOMPARE(m_cache->checkInvariants(), QString());
    QCOMPARE(m_cache->count(), 0);
    for (int i = 0; i < kKeys; ++i)
        QVERIFY(!m_cache->peek(u"old %1"_s.arg(i)));
    for (int i = 0; i < kKeys; ++i)
        QCOMPARE(m_cache->set(u"new %1"_s.arg(i), u"w"_s), InsertResult::Inserted);
    QCOMPARE(m_cache->checkInvariants(), QString());
    QCOMPARE(m_cache->count(), kKeys);
    for (int i = 0; i < kKeys; ++i) {
        QCOMPARE(m_cache->value(u"new %1"_s.arg(i)), u"w"_s);
        QVERIFY(!m_cache->exists(u"old %1"_s.arg(i)));
    }
}

void tst_AsyncCache::expireGivesNewTtl()
{
    m_cache->set(u"k"_s, u"v"_s, 1000);
    m_clock->advance(900);
    QVERIFY(m_cache->expire(u"k"_s, 5000));
    m_clock->advance(4999);
    QVERIFY(m_cache->exists(u"k"_s));
    QCOMPARE(m_cache->entryInfo(u"k"_s)->ageMs, 5899); // loaded time is unchanged
    m_clock->advance(1);
    QVERIFY(!m_cache->exists(u"k"_s));
    QVERIFY(!m_cache->expire(u"missing"_s, 10));
}

void tst_AsyncCache::restoreKeepsAge()
{
    m_cache->setStaleHorizon(60'000);
    const qint64 now = m_clock->now();
    QVERIFY(m_cache->restore(u"fresh"_s, u"v"_s, now - 4000, 10'000));
    QVERIFY(m_cache->restore(u"stale"_s, u"v"_s, now - 20'000, 10'000));
    QVERIFY(!m_cache->restore(u"gone"_s, u"v"_s, now - 80'000, 10'000));
    QCOMPARE(m_cache->entryInfo(u"fresh"_s)->ageMs, 4000);
    QCOMPARE(m_cache->entryInfo(u"fresh"_s)->timeLeftMs, 6000);
    QCOMPARE(m_cache->entryInfo(u"stale"_s)->state, EntryState::Stale);
    QVERIFY(!m_cache->entryInfo(u"gone"_s));
    QSignalSpy removed(m_cache.get(), &AsyncCacheBase::entryRemoved);
    m_clock->advance(50'000); // stale one: 20 s + 50 s > 10 s TTL + 60 s horizon
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).toString(), u"stale"_s);
}

void tst_AsyncCache::evictsLeastRecentlyUsedByCount()
{
    QSignalSpy removed(m_cache.get(), &AsyncCacheBase::entryRemoved);
    m_cache->setMaxEntries(3);
    m_cache->set(u"a"_s, u"1"_s);
    m_cache->set(u"b"_s, u"2"_s);
    m_cache->set(u"c"_s, u"3"_s);
    QVERIFY(m_cache->value(u"a"_s)); // a is now the most recently used
    m_cache->set(u"d"_s, u"4"_s);
    m_cache->set(u"e"_s, u"5"_s);
    QStringList evicted;
    for (const auto &args : std::as_const(removed)) {
        QCOMPARE(args.at(1).value<RemovalCause>(), RemovalCause::Evicted);
        evicted << args.at(0).toString();
    }
    QCOMPARE(evicted, (QStringList{u"b"_s, u"c"_s}));
    QCOMPARE(m_cache->count(), 3);
    QCOMPARE(m_cache->stats().evictions, 2u);
    QStringList order;
    for (const CacheEntryInfo &i : m_cache->entries())
        order << i.key;
    QCOMPARE(order, (QStringList{u"e"_s, u"d"_s, u"a"_s})); // most recent first
    m_cache->setMaxEntries(1);
    QCOMPARE(m_cache->count(), 1);
    QVERIFY(m_cache->exists(u"e"_s));
}

void tst_AsyncCache::evictsByBytes()
{
    const QString value(100, u'x');
    const qint64 one = m_cache->entryBytes(u"k0"_s, value);
    QVERIFY(one > 200); // key, value and bookkeeping all count
    m_cache->setMaxBytes(one * 2);
    m_cache->set(u"k0"_s, value);
    m_cache->set(u"k1"_s, value);
    QCOMPARE(m_cache->count(), 2);
    QCOMPARE(m_cache->bytes(), one * 2);
    QVERIFY(m_cache->value(u"k0"_s));
    m_cache->set(u"k2"_s, value);
    QCOMPARE(m_cache->count(), 2);
    QVERIFY(m_cache->exists(u"k0"_s));
    QVERIFY(!m_cache->exists(u"k1"_s));
    QVERIFY(m_cache->bytes() <= m_cache->maxBytes());
}

void tst_AsyncCache::refusesValueLargerThanBudget()
{
    QSignalSpy rejected(m_cache.get(), &AsyncCacheBase::valueRejected);
    m_cache->setMaxBytes(4096);
    m_cache->set(u"small"_s, u"s"_s);
    const QString huge(10'000, u'x');
    QCOMPARE(m_cache->set(u"huge"_s, huge), InsertResult::TooLarge);
    QVERIFY(m_cache->exists(u"small"_s)); // nothing was evicted for it
    QCOMPARE(rejected.size(), 1);
    // A loaded value that is too large still reaches the caller, who is told it was not kept.
    const auto r = awaitResult(m_cache->get(u"huge"_s, readyLoader(huge)));
    QCOMPARE(r.value, huge);
    QVERIFY(!r.stored);
    QVERIFY(!m_cache->exists(u"huge"_s));
    QCOMPARE(m_cache->stats().rejected, 2u);
}

void tst_AsyncCache::entryInfoDescribesEntry()
{
    const qint64 t0 = m_clock->now();
    m_cache->set(u"k"_s, u"v"_s, 60'000);
    m_clock->advance(1000);
    QVERIFY(m_cache->value(u"k"_s));
    QVERIFY(m_cache->value(u"k"_s));
    m_clock->advance(1000);
    m_cache->set(u"k"_s, u"w"_s, 60'000); // reloaded: created stays, loaded moves
    m_clock->advance(500);
    const auto i = m_cache->entryInfo(u"k"_s);
    QVERIFY(i);
    QCOMPARE(i->createdAt, t0);
    QCOMPARE(i->loadedAt, t0 + 2000);
    QCOMPARE(i->ageMs, 500);
    QCOMPARE(i->timeLeftMs, 59'500);
    QCOMPARE(i->ttlMs, 60'000);
    QCOMPARE(i->hits, 2u);
    QCOMPARE(i->bytes, m_cache->entryBytes(u"k"_s, u"w"_s));
    QCOMPARE(i->state, EntryState::Fresh);
    ManualLoader loads;
    auto f = m_cache->get(u"other"_s, loads.loader());
    QCOMPARE(m_cache->entryInfo(u"other"_s)->state, EntryState::Loading);
    QCOMPARE(m_cache->entries().size(), 2);
    QTRY_COMPARE(loads.calls, 1);
    loads.succeed(u"x"_s);
    awaitResult(f);
}

void tst_AsyncCache::statsAddUp()
{
    ManualLoader loads;
    int gets = 0;
    QList<QFuture<CacheResult<QString>>> futures;
    for (int i = 0; i < 5; ++i, ++gets)
        futures << m_cache->get(u"k%1"_s.arg(i % 3), loads.loader());
    QTRY_COMPARE(loads.calls, 3);
    loads.succeed(u"a"_s, 0);
    loads.succeed(u"b"_s, 1);
    loads.fail(kServerError, 2);
    for (auto &f : futures)
        awaitResult(f);
    for (int i = 0; i < 4; ++i, ++gets)
        awaitResult(m_cache->get(u"k0"_s, loads.loader()));
    const CacheStats s = m_cache->stats();
    QCOMPARE(s.hits + s.misses, quint64(gets));
    QCOMPARE(s.hits, 4u);
    QCOMPARE(s.loadsSucceeded + s.loadsFailed, quint64(loads.calls));
    QCOMPARE(s.misses, s.coalesced + s.loadsSucceeded + s.loadsFailed);
    QCOMPARE(s.entries, 2);
    qint64 bytes = 0;
    for (const auto &i : m_cache->entries())
        bytes += i.bytes;
    QCOMPARE(s.bytes, bytes);
    QCOMPARE(s.hitRatio(), 4.0 / 9.0);
}

void tst_AsyncCache::massExpiryIsSliced()
{
    constexpr int kCount = 200'000;
    for (int i = 0; i < kCount; ++i)
        m_cache->set(QString::number(i), u"v"_s, 1000 + i % 7);
    QSignalSpy expired(m_cache.get(), &AsyncCacheBase::entryExpired);
    m_clock->advance(2000);
    // The first slice ran inside advance(); the rest must wait for the event loop.
    QVERIFY2(m_cache->count() > 0, "200k expiries must not run in one event-loop turn");
    QVERIFY(m_cache->count() < kCount);
    QTRY_COMPARE(m_cache->count(), 0);
    QCOMPARE(expired.size(), kCount);
    QCOMPARE(m_cache->stats().expirations, quint64(kCount));
    QCOMPARE(m_cache->bytes(), 0);
}

void tst_AsyncCache::manyDistinctTtls()
{
    // More distinct TTLs than a 16-bit queue index could name, as expire() on entries of many
    // ages produces; every one still expires in deadline order.
    constexpr int kCount = 70'000;
    for (int i = 0; i < kCount; ++i)
        m_cache->set(QString::number(i), u"v"_s, 1 + (kCount - i));
    QSignalSpy expired(m_cache.get(), &AsyncCacheBase::entryExpired);
    m_clock->advance(100); // TTLs 2..100 ms are due: 99 entries
    QTRY_COMPARE(expired.size(), 99);
    QCOMPARE(expired.first().at(0).toString(), QString::number(kCount - 1)); // TTL 2 ms
    QCOMPARE(expired.last().at(0).toString(), QString::number(kCount - 99)); // TTL 100 ms
    m_clock->advance(kCount);
    QTRY_COMPARE(m_cache->count(), 0);
    QCOMPARE(expired.size(), kCount);
    m_cache->set(u"again"_s, u"v"_s, 5); // queue records were recycled, not lost
    m_clock->advance(5);
    QVERIFY(!m_cache->exists(u"again"_s));
}

void tst_AsyncCache::receiverDestroyedWhileConnected()
{
    // A panel closing while connected used to deadlock the destructor (disconnectNotify).
    int seen = 0;
    {
        QObject receiver;
        connect(m_cache.get(), &AsyncCacheBase::entryExpired, &receiver, [&seen] { ++seen; });
        connect(m_cache.get(), &AsyncCacheBase::entryRemoved, &receiver, [] {});
    }
    QSignalSpy expired(m_cache.get(), &AsyncCacheBase::entryExpired);
    m_cache->set(u"k"_s, u"v"_s, 10);
    m_clock->advance(10);
    QCOMPARE(expired.size(), 1);
    QCOMPARE(seen, 0);
}

void tst_AsyncCache::callbackHitComesFromTheEventLoopInOneBatch()
{
    m_cache->set(u"k"_s, u"v"_s);
    QObject context;
    std::vector<CacheResult<QString>> got;
    const auto record = [&got](const CacheResult<QString> &r) {
        got.push_back(r);
    };
    for (int i = 0; i < 100; ++i)
        m_cache->get(u"k"_s, &context, record, readyLoader(u"never"_s));
    QVERIFY(got.empty()); // never inside get()
    QCoreApplication::processEvents(); // one turn answers them all
    QCOMPARE(got.size(), size_t(100));
    for (const auto &r : got) {
        QCOMPARE(r.source, CacheSource::Hit);
        QCOMPARE(r.value, u"v"_s);
    }
    QCOMPARE(m_cache->stats().hits, 100u);
}

void tst_AsyncCache::callbackDroppedWhenContextDestroyed()
{
    ManualLoader loader;
    int kept = 0;
    int dropped = 0;
    QObject stays;
    {
        QObject goes;
        m_cache->get(
            u"k"_s, &goes, [&dropped](const CacheResult<QString> &) { ++dropped; },
            loader.loader());
        m_cache->get(
            u"k"_s, &stays, [&kept](const CacheResult<QString> &) { ++kept; }, loader.loader());
        m_cache->set(u"hit"_s, u"h"_s);
        m_cache->get(
            u"hit"_s, &goes, [&dropped](const CacheResult<QString> &) { ++dropped; },
            readyLoader(u"never"_s));
    } // `goes` is destroyed with a hit and a join pending
    QTRY_COMPARE(loader.calls, 1);
    loader.succeed(u"loaded"_s);
    QTRY_COMPARE(kept, 1);
    QCoreApplication::processEvents();
    QCOMPARE(dropped, 0);
    QCOMPARE(m_cache->peek(u"k"_s), u"loaded"_s); // the load itself still counted
    QCOMPARE(m_cache->checkInvariants(), QString());
}

void tst_AsyncCache::callbacksJoinOneLoad()
{
    ManualLoader loader;
    QObject context;
    std::vector<CacheResult<QString>> got;
    const auto record = [&got](const CacheResult<QString> &r) {
        got.push_back(r);
    };
    for (int i = 0; i < 1000; ++i)
        m_cache->get(u"k"_s, &context, record, loader.loader());
    auto future = m_cache->get(u"k"_s, loader.loader()); // the QFuture form joins too
    QTRY_COMPARE(loader.calls, 1);
    loader.fail(kServerError);
    QTRY_COMPARE(got.size(), size_t(1000));
    QCOMPARE(awaitResult(future).source, CacheSource::Failed);
    QCOMPARE(loader.calls, 1);
    QCOMPARE(m_cache->stats().coalesced, 1000u);
    for (const auto &r : got) {
        QCOMPARE(r.source, CacheSource::Failed);
        QCOMPARE(r.error.code, kServerError);
    }
}

void tst_AsyncCache::callbackMayAskAgain()
{
    // A callback that asks again is answered at a later turn, not inside the delivery.
    m_cache->set(u"k"_s, u"v"_s);
    QObject context;
    int answers = 0;
    std::function<void(const CacheResult<QString> &)> again;
    again = [&](const CacheResult<QString> &) {
        if (++answers < 3)
            m_cache->get(u"k"_s, &context, again, readyLoader(u"never"_s));
    };
    m_cache->get(u"k"_s, &context, again, readyLoader(u"never"_s));
    QCoreApplication::processEvents();
    QCOMPARE(answers, 1);
    QTRY_COMPARE(answers, 3);
}

void tst_AsyncCache::twoThousandTtlsExpireInTheTurnTheyAreDue()
{
    // ~2,000 distinct TTLs, deadlines interleaved across them as per-entry TTLs make them:
    // every entry must go in the very turn its deadline is reached, in deadline order.
    constexpr int kTtls = 2000;
    constexpr int kPerTtl = 10;
    QStringList order;
    connect(m_cache.get(), &AsyncCacheBase::entryExpired, this,
            [&order](const QString &key) { order.append(key); });
    const qint64 t0 = m_clock->now();
    std::vector<std::pair<qint64, QString>> deadlines;
    for (int i = 0; i < kPerTtl; ++i) {
        for (int t = 0; t < kTtls; ++t) {
            const QString key = u"%1/%2"_s.arg(t).arg(i);
            const qint64 ttl = 1000 + t; // distinct TTLs
            m_cache->set(key, u"v"_s, ttl);
            deadlines.emplace_back(m_clock->now() + ttl, key);
        }
        m_clock->advance(97); // the next round interleaves with the deadlines of this one
    }
    std::sort(deadlines.begin(), deadlines.end());
    m_clock->setNow(t0 + 999);
    QCOMPARE(m_cache->count(), kTtls * kPerTtl);
    size_t due = 0;
    int lateTurns = 0;
    for (qint64 now = t0 + 1000; due < deadlines.size(); ++now) {
        m_clock->setNow(now); // the first expiry slice runs inside
        while (due < deadlines.size() && deadlines[due].first <= now)
            ++due;
        const qint64 left = qint64(deadlines.size() - due);
        QVERIFY(m_cache->count() >= left); // never early
        // A slice is 1 ms of wall time: only a preempted one leaves work for the next turn.
        for (int turn = 0; turn < 3 && m_cache->count() != left; ++turn) {
            QCoreApplication::processEvents();
            ++lateTurns;
        }
        QCOMPARE(m_cache->count(), left);
    }
    qInfo("%d extra turns of the event loop were needed (preempted slices)", lateTurns);
    QCOMPARE(order.size(), kTtls * kPerTtl);
    QHash<QString, qint64> deadlineOf;
    for (const auto &[deadline, key] : deadlines)
        deadlineOf.insert(key, deadline);
    for (int i = 1; i < order.size(); ++i)
        QVERIFY(deadlineOf.value(order.at(i - 1)) <= deadlineOf.value(order.at(i)));
    QCOMPARE(m_cache->checkInvariants(), QString());
}

void tst_AsyncCache::restoreManyTakesAnyDeadlineOrder()
{
    constexpr int kCount = 5000;
    m_cache->setStaleHorizon(100'000);
    const qint64 now = m_clock->now();
    std::vector<Cache::RestoreItem> items;
    for (int i = 0; i < kCount; ++i) {
        // Scrambled load times, some already stale, a few beyond the horizon.
        const qint64 loadedAt = now - qint64((i * 7919) % 120'000);
        items.push_back({u"k%1"_s.arg(i), u"v%1"_s.arg(i), loadedAt, 10'000, 1});
    }
    int expected = 0;
    for (const auto &item : items)
        expected += item.loadedAt + 10'000 + 100'000 > now;
    QCOMPARE(m_cache->restoreMany(items), qsizetype(expected));
    QCOMPARE(m_cache->count(), qint64(expected));
    QCOMPARE(m_cache->checkInvariants(), QString());
    // Ages are what they were, and each turns stale and goes at its own time.
    const auto info = m_cache->entryInfo(u"k1"_s);
    QVERIFY(info);
    QCOMPARE(info->ageMs, 7919);
    QCOMPARE(info->state, EntryState::Fresh);
    m_clock->advance(10'000 - 7919);
    QCOMPARE(m_cache->entryInfo(u"k1"_s)->state, EntryState::Stale);
    m_clock->advance(100'000);
    QTRY_COMPARE(m_cache->count(), 330); // loaded less than 7,919 ms before the start
    QVERIFY(m_cache->entryInfo(u"k0"_s));
    QVERIFY(!m_cache->entryInfo(u"k1"_s));
    m_clock->advance(10'000);
    QTRY_COMPARE(m_cache->count(), 0);
}

void tst_AsyncCache::restoreOneByOneTakesAnyDeadlineOrder_data()
{
    QTest::addColumn<qint64>("horizon");
    QTest::addColumn<bool>("receivers");
    QTest::newRow("no horizon, batched") << qint64(0) << false;
    QTest::newRow("no horizon, signals") << qint64(0) << true;
    QTest::newRow("horizon 300 ms, batched") << qint64(300) << false;
    QTest::newRow("horizon 300 ms, signals") << qint64(300) << true;
}

void tst_AsyncCache::restoreOneByOneTakesAnyDeadlineOrder()
{
    // A warm start reading rows in key order: restore() one by one, one TTL, loaded at
    // scrambled times, so deadlines come in random order. Most are too far out of order for
    // the TTL's queue and are held as strays; each must still turn stale and go in the turn
    // it is due, never before, signalled once, with the cache consistent throughout.
    QFETCH(qint64, horizon);
    QFETCH(bool, receivers);
    m_cache->setStaleHorizon(horizon);
    qint64 expiredSignals = 0;
    qint64 removedSignals = 0;
    if (receivers) {
        connect(m_cache.get(), &AsyncCacheBase::entryExpired, this, [&](const QString &key) {
            ++expiredSignals;
            QVERIFY(!m_cache->exists(key));
        });
        connect(m_cache.get(), &AsyncCacheBase::entryRemoved, this,
                [&](const QString &, RemovalCause) { ++removedSignals; });
    }
    constexpr int kCount = 20'000;
    constexpr qint64 kTtl = 1000;
    const qint64 t0 = m_clock->now();
    std::vector<qint64> deadlines;
    for (int i = 0; i < kCount; ++i) {
        const qint64 loadedAt = t0 - (qint64(i) * 7919) % 900;
        QVERIFY(m_cache->restore(u"key/%1"_s.arg(i), u"v"_s, loadedAt, kTtl));
        deadlines.push_back(loadedAt + kTtl);
    }
    QVERIFY2(m_cache->strayCount() > kCount / 2, "random deadline order must make strays");
    QCOMPARE(m_cache->count(), qint64(kCount));
    QCOMPARE(m_cache->checkInvariants(), QString());
    std::sort(deadlines.begin(), deadlines.end());
    size_t due = 0;
    size_t gone = 0;
    for (qint64 now = t0 + 99; gone < deadlines.size(); ++now) {
        m_clock->setNow(now);
        while (due < deadlines.size() && deadlines[due] <= now)
            ++due;
        while (gone < deadlines.size() && deadlines[gone] + horizon <= now)
            ++gone;
        const qint64 left = qint64(deadlines.size() - gone);
        QVERIFY(m_cache->count() >= left); // never early
        for (int turn = 0; turn < 3 && m_cache->count() != left; ++turn)
            QCoreApplication::processEvents(); // only a preempted slice leaves work over
        QCOMPARE(m_cache->count(), left);
        QCOMPARE(m_cache->stats().expirations, quint64(due));
        if (receivers) {
            QCOMPARE(expiredSignals, qint64(due));
            QCOMPARE(removedSignals, qint64(gone));
        }
        if (now % 97 == 0) {
            // Those due but within the horizon are held, stale; the rest fresh.
            const QList<CacheEntryInfo> entries = m_cache->entries();
            const auto stale = std::count_if(entries.cbegin(), entries.cend(), [](const auto &e) {
                return e.state == EntryState::Stale;
            });
            QCOMPARE(qint64(stale), qint64(due - gone));
            QCOMPARE(m_cache->checkInvariants(), QString());
        }
    }
    QCOMPARE(m_cache->strayCount(), 0);
    QCOMPARE(m_cache->checkInvariants(), QString());
}

void tst_AsyncCache::strayLeavesTheStraysWhenReplacedOrRemoved()
{
    m_cache->setStaleHorizon(500);
    const qint64 t0 = m_clock->now();
    // Twenty loaded in order, then one loaded before them all: a stray.
    for (int i = 0; i < 20; ++i)
        QVERIFY(m_cache->restore(u"k%1"_s.arg(i), u"v"_s, t0 - 100 + i, 1000));
    QVERIFY(m_cache->restore(u"early"_s, u"v"_s, t0 - 500, 1000));
    QCOMPARE(m_cache->strayCount(), 1);
    QCOMPARE(m_cache->entryInfo(u"early"_s)->ageMs, 500);
    QCOMPARE(m_cache->entryInfo(u"early"_s)->expiresAt, t0 + 500);
    QCOMPARE(m_cache->checkInvariants(), QString());
    // set() replaces it: a fresh deadline at the tail of the queue.
    m_cache->set(u"early"_s, u"w"_s, 1000);
    QCOMPARE(m_cache->strayCount(), 0);
    QCOMPARE(m_cache->checkInvariants(), QString());
    // A stray again, then expire() and invalidate().
    QVERIFY(m_cache->restore(u"early"_s, u"v"_s, t0 - 500, 1000));
    QVERIFY(m_cache->restore(u"early2"_s, u"v"_s, t0 - 400, 1000));
    QCOMPARE(m_cache->strayCount(), 2);
    QVERIFY(m_cache->expire(u"early"_s, 5000));
    QCOMPARE(m_cache->entryInfo(u"early"_s)->expiresAt, t0 + 5000);
    QVERIFY(m_cache->invalidate(u"early2"_s));
    QCOMPARE(m_cache->strayCount(), 0);
    QCOMPARE(m_cache->checkInvariants(), QString());
    // A stray turns stale at its deadline, and goes at the end of the horizon, which may
    // change while it is stale.
    QVERIFY(m_cache->restore(u"early3"_s, u"v"_s, t0 - 300, 1000));
    QCOMPARE(m_cache->strayCount(), 1);
    m_clock->setNow(t0 + 700);
    QTRY_COMPARE(m_cache->entryInfo(u"early3"_s)->state, EntryState::Stale);
    QCOMPARE(m_cache->checkInvariants(), QString());
    m_cache->setStaleHorizon(2000);
    m_clock->setNow(t0 + 1300); // past the old horizon, within the new one
    QCoreApplication::processEvents();
    QVERIFY(m_cache->entryInfo(u"early3"_s));
    QCOMPARE(m_cache->checkInvariants(), QString());
    m_cache->setStaleHorizon(0);
    QTRY_VERIFY(!m_cache->entryInfo(u"early3"_s));
    QCOMPARE(m_cache->strayCount(), 0);
    QCOMPARE(m_cache->checkInvariants(), QString());
}

void tst_AsyncCache::perEntryTtlsWithoutReceiversGoOnTime_data()
{
    QTest::addColumn<qint64>("horizon");
    QTest::newRow("no stale horizon") << qint64(0);
    QTest::newRow("stale horizon 300 ms") << qint64(300);
}

void tst_AsyncCache::perEntryTtlsWithoutReceiversGoOnTime()
{
    // With nobody connected to the removal signals, expiry removes in batches across queues
    // (the fast path): each entry must still go in the turn it is due, never before, with the
    // cache consistent throughout. Deadlines spread over one second through per-entry TTLs,
    // so that they fall due in an order unrelated to the order of insertion.
    QFETCH(qint64, horizon);
    m_cache->setStaleHorizon(horizon);
    constexpr int kCount = 20'000;
    const qint64 t0 = m_clock->now();
    std::vector<qint64> gone; // when each entry must be gone
    for (int i = 0; i < kCount; ++i) {
        if (i % 25 == 0)
            m_clock->advance(1);
        const qint64 deadline = t0 + 2000 + (qint64(i) * 7919) % 1000;
        m_cache->set(u"key/%1"_s.arg(i), u"v"_s, deadline - m_clock->now());
        gone.push_back(deadline + horizon);
    }
    std::sort(gone.begin(), gone.end());
    QCOMPARE(m_cache->count(), qint64(kCount));
    size_t done = 0;
    for (qint64 now = t0 + 1999; done < gone.size(); ++now) {
        m_clock->setNow(now); // the first expiry slice runs inside
        while (done < gone.size() && gone[done] <= now)
            ++done;
        const qint64 left = qint64(gone.size() - done);
        QVERIFY(m_cache->count() >= left); // never early
        for (int turn = 0; turn < 3 && m_cache->count() != left; ++turn)
            QCoreApplication::processEvents(); // only a preempted slice leaves work over
        QCOMPARE(m_cache->count(), left);
        if (now % 97 == 0)
            QCOMPARE(m_cache->checkInvariants(), QString());
        // Turned stale at its deadline, not at the horizon.
        if (horizon > 0 && now == t0 + 2000 + 200) {
            const auto info = m_cache->entryInfo(u"key/0"_s); // deadline t0 + 2000
            QVERIFY(info);
            QCOMPARE(info->state, EntryState::Stale);
        }
    }
    QCOMPARE(m_cache->checkInvariants(), QString());
    // All due at once (a clock jump): many full batches and rounds of queues, in slices.
    const qint64 t1 = m_clock->now();
    qint64 keptAtJump = 0;
    for (int i = 0; i < kCount; ++i) {
        if (i % 25 == 0)
            m_clock->advance(1);
        const qint64 deadline = t1 + 2000 + (qint64(i) * 7919) % 1000;
        m_cache->set(u"key/%1"_s.arg(i), u"v"_s, deadline - m_clock->now());
        keptAtJump += deadline + horizon > t1 + 2500;
    }
    m_clock->setNow(t1 + 2500);
    QTRY_COMPARE(m_cache->count(), keptAtJump);
    QCOMPARE(m_cache->checkInvariants(), QString());
    m_clock->setNow(t1 + 3000 + horizon);
    QTRY_COMPARE(m_cache->count(), qint64(0));
    QCOMPARE(m_cache->checkInvariants(), QString());
    // Queue records and slots were given back, not lost.
    m_cache->set(u"again"_s, u"v"_s, 5);
    QCOMPARE(m_cache->count(), qint64(1));
    m_clock->advance(5 + horizon);
    QTRY_COMPARE(m_cache->count(), 0);
    QCOMPARE(m_cache->checkInvariants(), QString());
}

void tst_AsyncCache::expiredValuesAreFreedInBatchesSoon()
{
    // Expiry without receivers removes an entry at its deadline but frees its key and value
    // later, in memory order (freeing them in the order they fall due cost most of a
    // removal). What a user of the cache sees must not change: the entry is gone, count()
    // and bytes() drop at once; and the memory must come back soon: once the removed entries
    // hold as much as the live ones, when nothing is due for a while, and when it is empty.
    constexpr int kBusy = 300; // one falls due each millisecond
    constexpr int kLater = 100; // all due 3.7 s after the last busy one
    const qint64 t0 = m_clock->now();
    std::vector<QString> values; // our own references: isDetached() once the cache lets go
    for (int i = 0; i < kBusy + kLater; ++i) {
        values.push_back(QString(5000, QChar(u'a' + i % 26)));
        const qint64 deadline = i < kBusy ? t0 + 1000 + i : t0 + 5000;
        m_cache->set(u"key/%1"_s.arg(i), values.back(), deadline - t0);
    }
    const qint64 perEntry = m_cache->bytes() / (kBusy + kLater);
    QVERIFY(perEntry > 10'000); // 5,000 UTF-16 characters each: ~1 MB per hundred
    const auto held = [&](int from, int to) {
        int n = 0;
        for (int i = from; i < to; ++i)
            n += !values[size_t(i)].isDetached();
        return n;
    };
    // 100 gone, ~1 MB of them against ~3 MB live, the next one due in 1 ms: not freed yet.
    m_clock->setNow(t0 + 1099);
    QCOMPARE(m_cache->count(), qint64(kBusy + kLater - 100));
    QCOMPARE(m_cache->bytes(), perEntry * (kBusy + kLater - 100));
    QVERIFY(!m_cache->entryInfo(u"key/0"_s));
    QVERIFY(!m_cache->peek(u"key/99"_s));
    QCOMPARE(m_cache->bytesToReclaim(), perEntry * 100);
    QCOMPARE(held(0, 100), 100);
    QCOMPARE(m_cache->checkInvariants(), QString());
    // 250 gone against 150 live: more removed than live, so freed in that turn.
    m_clock->setNow(t0 + 1249);
    QCOMPARE(m_cache->count(), qint64(kBusy + kLater - 250));
    QCOMPARE(m_cache->bytesToReclaim(), 0);
    QCOMPARE(held(0, 250), 0);
    QCOMPARE(held(250, kBusy + kLater), kBusy + kLater - 250);
    // A few more while others are due: kept a while...
    m_clock->setNow(t0 + 1280);
    QCOMPARE(held(250, 281), 31);
    QCOMPARE(m_cache->bytesToReclaim(), perEntry * 31);
    // ... and freed when the last busy one is gone and nothing is due for seconds.
    m_clock->setNow(t0 + 1299);
    QCOMPARE(m_cache->count(), qint64(kLater));
    QCOMPARE(m_cache->bytesToReclaim(), 0);
    QCOMPARE(held(0, kBusy), 0);
    QCOMPARE(held(kBusy, kBusy + kLater), kLater);
    QCOMPARE(m_cache->checkInvariants(), QString());
    // The last ones go: empty, everything is freed (a slice at a time, from the event loop).
    m_clock->setNow(t0 + 5000);
    QCOMPARE(m_cache->count(), qint64(0));
    QCOMPARE(m_cache->bytes(), 0);
    for (int turn = 0; turn < 10 && m_cache->bytesToReclaim() > 0; ++turn)
        QCoreApplication::processEvents();
    QCOMPARE(m_cache->bytesToReclaim(), 0);
    QCOMPARE(held(0, kBusy + kLater), 0);
    QCOMPARE(m_cache->checkInvariants(), QString());
    // A removed entry's key can be stored again at once; it is a new entry.
    m_cache->set(u"key/0"_s, u"again"_s, 100);
    QCOMPARE(m_cache->peek(u"key/0"_s), std::optional<QString>(u"again"_s));
    QCOMPARE(m_cache->checkInvariants(), QString());
}

QTEST_GUILESS_MAIN(tst_AsyncCache)
#include "tst_asynccache.moc"
