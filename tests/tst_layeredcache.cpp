// SPDX-License-Identifier: MIT
#include "cache/layeredcache.h"
#include "faketier.h"
#include "futurewait.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <limits>
#include <map>
#include <memory>
#include <set>

using namespace Qt::StringLiterals;
using Cache = LayeredCache<QString>;

namespace {

constexpr int kNotFound = 404;
constexpr int kServerError = 500;
constexpr qint64 kMinute = 60'000;
constexpr qint64 kTtl = 10 * kMinute;
constexpr qint64 kNegativeTtl = 2 * kMinute;
constexpr qint64 kHorizon = 30 * kMinute;

Cache::Codec stringCodec()
{
    Cache::Codec c;
    c.encode = [](const QString &v) {
        return v.toUtf8();
    };
    c.decode = [](const QByteArray &b) -> std::optional<QString> {
        // Bytes that do not start with "v:" are damaged: the cache must not serve them.
        if (!b.startsWith("v:"))
            return std::nullopt;
        return QString::fromUtf8(b);
    };
    return c;
}

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
    void succeed(const QString &value) { finish(Outcome<QString>::success(value)); }
    void fail(int code)
    {
        finish(Outcome<QString>::failure({code, u"failure %1"_s.arg(code), {}}));
    }
    void finish(const Outcome<QString> &outcome)
    {
        auto promise = m_pending.front();
        m_pending.erase(m_pending.begin());
        promise->addResult(outcome);
        promise->finish();
    }
    int pending() const { return int(m_pending.size()); }

    int calls = 0;

private:
    std::vector<std::shared_ptr<QPromise<Outcome<QString>>>> m_pending;
};

Cache::Loader readyLoader(const QString &value, int *calls)
{
    return [value, calls] {
        ++*calls;
        return QtFuture::makeReadyFuture(Outcome<QString>::success(value));
    };
}

Cache::Loader failingLoader(int code, int *calls)
{
    return [code, calls] {
        ++*calls;
        return QtFuture::makeReadyFuture(
            Outcome<QString>::failure({code, u"failure %1"_s.arg(code), {}}));
    };
}

/** Lets every queued tier answer and cache delivery run (no time passes on the clock). */
void settle()
{
    for (int i = 0; i < 20; ++i)
        QCoreApplication::processEvents();
}

} // namespace

class tst_LayeredCache : public QObject
{
    Q_OBJECT

private:
    struct Rig
    {
        explicit Rig(ManualClock *clock, int tiers = 2)
        {
            for (int i = 0; i < tiers; ++i)
                this->tiers.push_back(std::make_unique<FakeTier>(i == 0 ? u"near"_s : u"far"_s));
            cache = makeCache(clock);
        }
        std::unique_ptr<Cache> makeCache(ManualClock *clock)
        {
            auto c = std::make_unique<Cache>(stringCodec(), clock);
            c->memory().setDefaultTtl(kTtl);
            c->memory().setStaleHorizon(kHorizon);
            c->setNegativeCaching(kNegativeTtl,
                                  [](const LoadError &e) { return e.code == kNotFound; });
            for (auto &t : tiers)
                c->addTier(t.get());
            return c;
        }
        FakeTier &tier(int i) { return *tiers.at(size_t(i)); }
        std::vector<std::unique_ptr<FakeTier>> tiers;
        std::unique_ptr<Cache> cache;
    };

private Q_SLOTS:
    void missReadsEveryTierThenLoadsAndWritesThrough();
    void tierHitIsPromotedWithItsAge();
    void expiredTierEntryDoesNotAnswer();
    void damagedTierValueDoesNotAnswer();
    void singleFlightAcrossTiers();
    void forceRefreshSkipsTiersButWritesThrough();
    void forceRefreshDuringTierReadReachesTheLoader();
    void negativeEntriesLiveInTiersWithTheirOwnTtl();
    void staleFromTierWhenLoaderFails();
    void warmUpRestoresStaleEntriesUpToTheHorizon();
    void warmUpKeepsTheNewestOfTwoTiers();
    void invalidateAndClearReachEveryTier();
    void failingTierIsSkippedCountedAndReportedOnce();
    void slowTierIsGivenUpOnAndItsLateAnswerIgnored();
    void statisticsPerTier();
    void randomizedAgainstModel_data();
    void randomizedAgainstModel();
    void callbackFormAnswersLikeTheFutureForm();
    void warmUpHandsForeignRecordsToTheInterceptor();
    void warmUpOfKeysReadsOnlyThoseKeys();
    void warmUpOfKeysKeepsTheNewestAndSurvivesAFailingTier();
    void warmUpOfKeysFinishesWhenTheLastTierAnswers();
    void warmUpRefusesWhatALoadRefuses_data();
    void warmUpRefusesWhatALoadRefuses();
    void loaderCancelledAfterItStartedEndsTheLoad();
    // Single flight across machines: several caches over one shared tier with leases.
    void leaseLetsOneMachineLoadForAll();
    void forcedRefreshIsAnnounced();
    void holderFailureLetsAWaiterLoad();
    void holderNotFoundIsSharedWithoutLoading();
    void crashedHolderLeaseRunsOutThenAWaiterLoads();
    void lostAnnouncementIsMadeUpByPolling();
    void lostAnnouncementOfAFailureIsMadeUpByPolling();
    void leaseErrorOrSlownessMeansLoadingAtOnce();
    void forceRefreshNeverWaitsForALease();
    void resetStatsZeroesEveryCounter();
    void impossibleTtlIsAMissAndRemoved_data();
    void impossibleTtlIsAMissAndRemoved();
    void entryFromTheFutureIsNeverFreshNorStale();
    void entrySlightlyAheadCountsAsLoadedNow();
    void clockSetBackMakesTheDiskEntryUnknownAge();
    void valueOfAnotherKindIsAMiss();
    void leaseThatNeverEndsIsWaitedOnOneLeaseLength();
};

namespace {

constexpr int kShared = 1; // the tier index of the shared tier in an Office
constexpr qint64 kLease = LayeredCacheBase::kDefaultLeaseMs;

/**
 * Machines in an office: each its own LayeredCache and "disk", all over one shared tier that
 * hands out leases. Declared so the caches go before the tiers they borrow.
 */
struct Office
{
    Office(ManualClock *clock, int machines)
        : shared(u"shared"_s)
    {
        shared.enableLeases(clock);
        for (int i = 0; i < machines; ++i) {
            disks.push_back(std::make_unique<FakeTier>(u"disk"_s));
            auto c = std::make_unique<Cache>(stringCodec(), clock);
            c->memory().setDefaultTtl(kTtl);
            c->memory().setStaleHorizon(kHorizon);
            c->setNegativeCaching(kNegativeTtl,
                                  [](const LoadError &e) { return e.code == kNotFound; });
            c->addTier(disks.back().get());
            c->addTier(&shared);
            caches.push_back(std::move(c));
        }
    }
    Cache &machine(int i) { return *caches.at(size_t(i)); }
    TierStats sharedStats(int i) { return machine(i).stats().tiers.at(kShared); }

    FakeTier shared;
    std::vector<std::unique_ptr<FakeTier>> disks;
    std::vector<std::unique_ptr<Cache>> caches;
};

} // namespace

void tst_LayeredCache::missReadsEveryTierThenLoadsAndWritesThrough()
{
    ManualClock clock;
    Rig rig(&clock);
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:1"_s, &loads)));
    QCOMPARE(r.source, CacheSource::Loaded);
    QCOMPARE(*r.value, u"v:1"_s);
    QCOMPARE(r.origin, Cache::kOriginLoader);
    QCOMPARE(loads, 1);
    QCOMPARE(rig.tier(0).gets, 1);
    QCOMPARE(rig.tier(1).gets, 1);
    settle();
    const TierEntry expected{"v:1", clock.now(), kTtl, false};
    QCOMPARE(rig.tier(0).entries.at(u"k"_s), expected);
    QCOMPARE(rig.tier(1).entries.at(u"k"_s), expected);
    // The next caller is answered from memory: no tier read, no load.
    const auto again = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:2"_s, &loads)));
    QCOMPARE(again.source, CacheSource::Hit);
    QCOMPARE(*again.value, u"v:1"_s);
    QCOMPARE(loads, 1);
    QCOMPARE(rig.tier(0).gets, 1);
}

void tst_LayeredCache::tierHitIsPromotedWithItsAge()
{
    ManualClock clock;
    Rig rig(&clock);
    const qint64 loadedAt = clock.now() - 3 * kMinute;
    rig.tier(1).entries[u"k"_s] = {"v:far", loadedAt, kTtl, false};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:net"_s, &loads)));
    QCOMPARE(*r.value, u"v:far"_s);
    QCOMPARE(r.origin, Cache::originOfTier(1));
    QCOMPARE(r.ageMs, 3 * kMinute);
    QCOMPARE(loads, 0);
    settle();
    // Promoted to the tier above and to memory with its real load time.
    QCOMPARE(rig.tier(0).entries.at(u"k"_s), (TierEntry{"v:far", loadedAt, kTtl, false}));
    QCOMPARE(rig.cache->memory().entryInfo(u"k"_s)->loadedAt, loadedAt);
    // So it expires when it would have: 7 minutes from now, not 10.
    clock.advance(7 * kMinute - 1);
    QVERIFY(rig.cache->memory().exists(u"k"_s));
    clock.advance(1);
    QVERIFY(!rig.cache->memory().exists(u"k"_s));
}

void tst_LayeredCache::expiredTierEntryDoesNotAnswer()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"v:old", clock.now() - kTtl, kTtl, false};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:new"_s, &loads)));
    QCOMPARE(*r.value, u"v:new"_s);
    QCOMPARE(loads, 1);
    settle();
    QCOMPARE(rig.tier(0).entries.at(u"k"_s).value, QByteArray("v:new"));
}

void tst_LayeredCache::damagedTierValueDoesNotAnswer()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"garbage", clock.now(), kTtl, false};
    rig.tier(1).entries[u"k"_s] = {"v:far", clock.now(), kTtl, false};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:net"_s, &loads)));
    QCOMPARE(*r.value, u"v:far"_s);
    QCOMPARE(loads, 0);
    settle();
    QCOMPARE(rig.tier(0).entries.at(u"k"_s).value, QByteArray("v:far")); // repaired
}

void tst_LayeredCache::singleFlightAcrossTiers()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).setMode(FakeTier::Mode::Held);
    ManualLoader loader;
    QList<QFuture<CacheResult<QString>>> futures;
    for (int i = 0; i < 100; ++i)
        futures.append(rig.cache->get(u"k"_s, loader.loader()));
    settle();
    QCOMPARE(rig.tier(0).heldCount(), 1); // one read waits on the slow tier
    rig.tier(0).release();
    settle();
    QCOMPARE(rig.tier(1).gets, 1);
    QCOMPARE(loader.calls, 1);
    loader.succeed(u"v:1"_s);
    for (auto &f : futures) {
        const auto r = awaitResult(f);
        QVERIFY(r.ok());
        QCOMPARE(*r.value, u"v:1"_s);
    }
    QCOMPARE(rig.tier(0).gets, 1);
    QCOMPARE(loader.calls, 1);
    QCOMPARE(rig.cache->stats().loaderAnswers, 1u);
}

void tst_LayeredCache::forceRefreshSkipsTiersButWritesThrough()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"v:disk", clock.now(), kTtl, false};
    int loads = 0;
    clock.advance(kMinute);
    const auto r = awaitResult(rig.cache->refresh(u"k"_s, readyLoader(u"v:net"_s, &loads)));
    QCOMPARE(*r.value, u"v:net"_s);
    QCOMPARE(r.ageMs, 0);
    QCOMPARE(loads, 1);
    QCOMPARE(rig.tier(0).gets, 0);
    QCOMPARE(rig.tier(1).gets, 0);
    settle();
    QCOMPARE(rig.tier(0).entries.at(u"k"_s), (TierEntry{"v:net", clock.now(), kTtl, false}));
    QCOMPARE(rig.tier(1).entries.at(u"k"_s), (TierEntry{"v:net", clock.now(), kTtl, false}));
}

void tst_LayeredCache::forceRefreshDuringTierReadReachesTheLoader()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"v:disk", clock.now(), kTtl, false};
    rig.tier(0).setMode(FakeTier::Mode::Held);
    int loads = 0;
    auto plain = rig.cache->get(u"k"_s, readyLoader(u"v:net"_s, &loads));
    settle();
    QCOMPARE(rig.tier(0).heldCount(), 1);
    // The person pressed "force refresh" while the disk was being read.
    auto forced = rig.cache->refresh(u"k"_s, readyLoader(u"v:net"_s, &loads));
    QCOMPARE(*awaitResult(forced).value, u"v:net"_s);
    QCOMPARE(*awaitResult(plain).value, u"v:net"_s);
    QCOMPARE(loads, 1);
    rig.tier(0).release(); // the disk's answer comes too late to matter
    settle();
    QCOMPARE(*rig.cache->memory().peek(u"k"_s), u"v:net"_s);
    QCOMPARE(rig.cache->stats().tiers.at(0).lateReplies, 1u);
}

void tst_LayeredCache::negativeEntriesLiveInTiersWithTheirOwnTtl()
{
    ManualClock clock;
    Rig rig(&clock);
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"typo"_s, failingLoader(kNotFound, &loads)));
    QCOMPARE(r.source, CacheSource::Failed);
    QCOMPARE(r.error.code, kNotFound);
    settle();
    const TierEntry stored = rig.tier(1).entries.at(u"typo"_s);
    QVERIFY(stored.negative);
    QCOMPARE(stored.ttlMs, kNegativeTtl);
    QCOMPARE(rig.tier(0).entries.at(u"typo"_s), stored);

    // A second process (fresh memory) over the same tiers: answered by the tier, as a failure.
    auto other = rig.makeCache(&clock);
    clock.advance(kMinute);
    const auto again = awaitResult(other->get(u"typo"_s, failingLoader(kNotFound, &loads)));
    QCOMPARE(again.source, CacheSource::Failed);
    QCOMPARE(again.error.code, kNotFound);
    QCOMPARE(again.error.message, u"failure 404"_s);
    QCOMPARE(loads, 1);
    settle();
    // In memory it lasts only what the tier's entry has left: one more minute, not two.
    clock.advance(kMinute - 1);
    QCOMPARE(awaitResult(other->get(u"typo"_s, failingLoader(kNotFound, &loads))).source,
             CacheSource::NegativeHit);
    QCOMPARE(loads, 1);
    clock.advance(1);
    QCOMPARE(awaitResult(other->get(u"typo"_s, failingLoader(kNotFound, &loads))).source,
             CacheSource::Failed);
    QCOMPARE(loads, 2);
}

void tst_LayeredCache::staleFromTierWhenLoaderFails()
{
    ManualClock clock;
    Rig rig(&clock);
    // Expired 5 minutes ago, within the stale horizon; memory does not hold it.
    rig.tier(1).entries[u"k"_s] = {"v:old", clock.now() - kTtl - 5 * kMinute, kTtl, false};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, failingLoader(kServerError, &loads)));
    QCOMPARE(loads, 1);
    QCOMPARE(r.source, CacheSource::Stale);
    QCOMPARE(*r.value, u"v:old"_s);
    QCOMPARE(r.ageMs, kTtl + 5 * kMinute);
    QCOMPARE(r.error.code, kServerError);
    // Not found either: the old answer still beats nothing, and no failure is cached over it.
    const auto nf = awaitResult(rig.cache->refresh(u"k"_s, failingLoader(kNotFound, &loads)));
    QCOMPARE(nf.source, CacheSource::Stale);
    settle();
    QVERIFY(!rig.tier(1).entries.at(u"k"_s).negative);
}

void tst_LayeredCache::warmUpRestoresStaleEntriesUpToTheHorizon()
{
    ManualClock clock;
    Rig rig(&clock, 1);
    const qint64 now = clock.now();
    rig.tier(0).entries[u"fresh"_s] = {"v:fresh", now - kMinute, kTtl, false};
    rig.tier(0).entries[u"stale"_s] = {"v:stale", now - kTtl - kMinute, kTtl, false};
    rig.tier(0).entries[u"gone"_s] = {"v:gone", now - kTtl - kHorizon, kTtl, false};
    rig.tier(0).entries[u"negative"_s] = {"x", now, kNegativeTtl, true};
    rig.tier(0).entries[u"damaged"_s] = {"x", now, kTtl, false};
    QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
    rig.cache->warmUp();
    QVERIFY(done.wait());
    QCOMPARE(done.at(0).at(0).toInt(), 2);
    const Cache::Memory &mem = rig.cache->memory();
    QCOMPARE(mem.entryInfo(u"fresh"_s)->state, EntryState::Fresh);
    QCOMPARE(mem.entryInfo(u"fresh"_s)->ageMs, kMinute);
    QCOMPARE(mem.entryInfo(u"stale"_s)->state, EntryState::Stale);
    QVERIFY(!mem.entryInfo(u"gone"_s));
    QVERIFY(!mem.entryInfo(u"negative"_s));
    QVERIFY(!mem.entryInfo(u"damaged"_s));
}

void tst_LayeredCache::warmUpKeepsTheNewestOfTwoTiers()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"v:older", clock.now() - 5 * kMinute, kTtl, false};
    rig.tier(1).entries[u"k"_s] = {"v:newer", clock.now() - kMinute, kTtl, false};
    QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
    rig.cache->warmUp();
    QVERIFY(done.wait());
    QCOMPARE(*rig.cache->memory().peek(u"k"_s), u"v:newer"_s);
    QCOMPARE(rig.cache->memory().entryInfo(u"k"_s)->ageMs, kMinute);
}

void tst_LayeredCache::invalidateAndClearReachEveryTier()
{
    ManualClock clock;
    Rig rig(&clock);
    int loads = 0;
    awaitResult(rig.cache->get(u"a"_s, readyLoader(u"v:a"_s, &loads)));
    awaitResult(rig.cache->get(u"b"_s, readyLoader(u"v:b"_s, &loads)));
    settle();
    rig.cache->invalidate(u"a"_s);
    settle();
    QVERIFY(!rig.cache->memory().entryInfo(u"a"_s));
    QCOMPARE(rig.tier(0).entries.count(u"a"_s), 0u);
    QCOMPARE(rig.tier(1).entries.count(u"a"_s), 0u);
    QCOMPARE(rig.tier(1).entries.count(u"b"_s), 1u);
    // The next get goes to the loader: no tier still has the dropped entry.
    awaitResult(rig.cache->get(u"a"_s, readyLoader(u"v:a2"_s, &loads)));
    QCOMPARE(loads, 3);
    rig.cache->clear();
    settle();
    QCOMPARE(rig.cache->memory().count(), 0);
    QVERIFY(rig.tier(0).entries.empty());
    QVERIFY(rig.tier(1).entries.empty());
    // After Clear, the next request really fetches (memory forgot it too, not only the tiers).
    const auto r = awaitResult(rig.cache->get(u"b"_s, readyLoader(u"v:b2"_s, &loads)));
    QCOMPARE(r.source, CacheSource::Loaded);
    QCOMPARE(*r.value, u"v:b2"_s);
    QCOMPARE(loads, 4);
}

void tst_LayeredCache::failingTierIsSkippedCountedAndReportedOnce()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).setMode(FakeTier::Mode::Failing);
    rig.tier(0).setFailure(u"The disk cache is read-only: /x is not writable."_s);
    rig.tier(1).entries[u"a"_s] = {"v:far", clock.now(), kTtl, false};
    QSignalSpy status(rig.cache.get(), &LayeredCacheBase::tierStatusChanged);
    int loads = 0;
    QCOMPARE(*awaitResult(rig.cache->get(u"a"_s, readyLoader(u"v:net"_s, &loads))).value,
             u"v:far"_s);
    QCOMPARE(*awaitResult(rig.cache->get(u"b"_s, readyLoader(u"v:b"_s, &loads))).value, u"v:b"_s);
    QCOMPARE(*awaitResult(rig.cache->get(u"c"_s, readyLoader(u"v:c"_s, &loads))).value, u"v:c"_s);
    settle();
    QCOMPARE(loads, 2);
    QCOMPARE(status.count(), 1);
    QCOMPARE(status.at(0).at(0).toString(), u"near"_s);
    QCOMPARE(status.at(0).at(1).toBool(), false);
    QCOMPARE(status.at(0).at(2).toString(), u"The disk cache is read-only: /x is not writable."_s);
    const TierStats near = rig.cache->stats().tiers.at(0);
    QCOMPARE(near.errors, 6u); // 3 reads, 1 promotion, 2 write-throughs
    QVERIFY(near.failing);
    QVERIFY(rig.tier(1).entries.count(u"c"_s)); // the healthy tier still got everything
    // It heals: one more report, then silence.
    rig.tier(0).setMode(FakeTier::Mode::Prompt);
    awaitResult(rig.cache->get(u"d"_s, readyLoader(u"v:d"_s, &loads)));
    settle();
    QCOMPARE(status.count(), 2);
    QCOMPARE(status.at(1).at(1).toBool(), true);
    QVERIFY(!rig.cache->stats().tiers.at(0).failing);
}

void tst_LayeredCache::slowTierIsGivenUpOnAndItsLateAnswerIgnored()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"v:slow", clock.now(), kTtl, false};
    rig.tier(0).setMode(FakeTier::Mode::Held);
    ManualLoader loader;
    auto f = rig.cache->get(u"k"_s, loader.loader());
    settle();
    QCOMPARE(loader.calls, 0); // still waiting on the slow tier
    clock.advance(Cache::kDefaultTierTimeoutMs - 1);
    settle();
    QCOMPARE(loader.calls, 0);
    QCOMPARE(rig.tier(1).gets, 0);
    clock.advance(1);
    settle();
    QCOMPARE(rig.tier(1).gets, 1); // went on without the slow tier
    QCOMPARE(loader.calls, 1);
    loader.succeed(u"v:net"_s);
    const auto r = awaitResult(f);
    QCOMPARE(*r.value, u"v:net"_s);
    settle();
    QCOMPARE(rig.tier(0).heldCount(), 2); // the slow read, and the write-through behind it
    // Now the slow tier answers, after the loader: nothing changes.
    rig.tier(0).release();
    settle();
    QCOMPARE(*rig.cache->memory().peek(u"k"_s), u"v:net"_s);
    const TierStats near = rig.cache->stats().tiers.at(0);
    QCOMPARE(near.timeouts, 1u);
    QCOMPARE(near.lateReplies, 1u);
    QCOMPARE(near.hits, 0u);
    QCOMPARE(loader.calls, 1);
    QCOMPARE(rig.tier(0).entries.at(u"k"_s).value, QByteArray("v:net"));
}

void tst_LayeredCache::statisticsPerTier()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(1).entries[u"far"_s] = {"v:far", clock.now(), kTtl, false};
    int loads = 0;
    awaitResult(rig.cache->get(u"far"_s, readyLoader(u"v:x"_s, &loads))); // tier "far"
    awaitResult(rig.cache->get(u"net"_s, readyLoader(u"v:x"_s, &loads))); // loader
    awaitResult(rig.cache->get(u"far"_s, readyLoader(u"v:x"_s, &loads))); // memory
    awaitResult(rig.cache->get(u"net"_s, readyLoader(u"v:x"_s, &loads))); // memory
    // A second process: the near tier now has both.
    settle();
    auto other = rig.makeCache(&clock);
    awaitResult(other->get(u"net"_s, readyLoader(u"v:x"_s, &loads)));
    const LayeredCacheStats s = rig.cache->stats();
    QCOMPARE(s.memoryAnswers, 2u);
    QCOMPARE(s.loaderAnswers, 1u);
    QCOMPARE(s.tiers.at(0).name, u"near"_s);
    QCOMPARE(s.tiers.at(0).hits, 0u);
    QCOMPARE(s.tiers.at(0).misses, 2u);
    QCOMPARE(s.tiers.at(1).name, u"far"_s);
    QCOMPARE(s.tiers.at(1).hits, 1u);
    QCOMPARE(s.tiers.at(1).misses, 1u);
    const LayeredCacheStats o = other->stats();
    QCOMPARE(o.tiers.at(0).hits, 1u);
    QCOMPARE(o.loaderAnswers, 0u);
    QCOMPARE(loads, 1);
}

void tst_LayeredCache::randomizedAgainstModel_data()
{
    // The cache reads and writes a tier through its futures, or through its callback forms
    // when it has them (the Redis tier), and one cache may have one of each.
    QTest::addColumn<bool>("nearByCallback");
    QTest::addColumn<bool>("farByCallback");
    QTest::newRow("futures") << false << false;
    QTest::newRow("callbacks") << true << true;
    QTest::newRow("near by callback, far by future") << true << false;
}

void tst_LayeredCache::randomizedAgainstModel()
{
    QFETCH(bool, nearByCallback);
    QFETCH(bool, farByCallback);
    // Every operation of a person and a restart, against a model in which memory and tiers are
    // one logical store: the answers, their ages and the number of loads must agree.
    bool seedOk = false;
    quint32 seed = qEnvironmentVariable("WEATHERDASH_TEST_SEED").toUInt(&seedOk);
    if (!seedOk)
        seed = QRandomGenerator::global()->generate();
    qInfo("randomizedAgainstModel seed %u (set WEATHERDASH_TEST_SEED to reproduce)", seed);
    QRandomGenerator rng(seed);

    struct ModelEntry
    {
        QString value;
        qint64 loadedAt = 0;
        qint64 ttl = 0;
        bool negative = false;
    };
    std::map<QString, ModelEntry> model;
    // Keys the memory cache holds. A forced refresh does not read the tiers, so when its load
    // fails it can fall back only on what memory holds (after a restart that warmed nothing, or
    // only some keys, the rest is on the tiers alone until a get reads it).
    std::set<QString> inMemory;
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).byCallback = nearByCallback;
    rig.tier(1).byCallback = farByCallback;
    const QStringList keys{u"a"_s, u"b"_s, u"c"_s, u"d"_s};
    int loads = 0;
    int expectedLoads = 0;
    int loadsAtReset = 0; // loads before the statistics were last reset
    int serial = 0;

    for (int step = 0; step < 600; ++step) {
        const QString key = keys.at(rng.bounded(int(keys.size())));
        const int op = rng.bounded(100);
        const qint64 now = clock.now();
        const auto it = model.find(key);
        const bool has = it != model.end();
        const bool fresh = has && now < it->second.loadedAt + it->second.ttl;
        const bool servable
            = has && !it->second.negative && now < it->second.loadedAt + it->second.ttl + kHorizon;
        const QString ctx = u"seed %1 step %2 op %3 key %4"_s.arg(seed).arg(step).arg(op).arg(key);
        const QByteArray where = ctx.toUtf8();

        if (op < 55) { // get or force refresh, with a loader that succeeds, 404s or 500s
            const bool force = op >= 45;
            const int outcome = rng.bounded(10); // 0-6 success, 7 not found, 8-9 server error
            const QString value = u"v:%1"_s.arg(++serial);
            Cache::Loader loader = outcome < 7   ? readyLoader(value, &loads)
                                   : outcome < 8 ? failingLoader(kNotFound, &loads)
                                                 : failingLoader(kServerError, &loads);
            const auto r = awaitResult(force ? rig.cache->refresh(key, loader)
                                             : rig.cache->get(key, loader));
            if (!force && fresh) {
                if (it->second.negative) {
                    QVERIFY2(!r.ok(), where);
                    QVERIFY2(r.error.code == kNotFound, where);
                } else {
                    QVERIFY2(r.ok(), where);
                    QVERIFY2(*r.value == it->second.value, where);
                    QVERIFY2(r.ageMs == now - it->second.loadedAt, where);
                }
            } else {
                ++expectedLoads;
                if (outcome < 7) {
                    QVERIFY2(r.source == CacheSource::Loaded, where);
                    QVERIFY2(r.value == value, where);
                    model[key] = {value, now, kTtl, false};
                } else if (servable && (!force || inMemory.count(key))) {
                    QVERIFY2(r.ok() && *r.value == it->second.value, where);
                    QVERIFY2(r.ageMs == now - it->second.loadedAt, where);
                } else {
                    QVERIFY2(r.source == CacheSource::Failed, where);
                    if (outcome == 7)
                        model[key] = {QString(), now, kNegativeTtl, true};
                }
            }
            // Memory now holds the model's value (served, read from a tier, loaded, or the
            // stale one a failed load fell back on), or only the failure.
            if (r.ok())
                inMemory.insert(key);
            else
                inMemory.erase(key);
            QVERIFY2(loads == expectedLoads, where);
            // Every loader call is counted once, as an answer or a failure.
            const LayeredCacheStats st = rig.cache->stats();
            QVERIFY2(int(st.loaderAnswers + st.loaderFailures) == loads - loadsAtReset, where);
        } else if (op < 65) {
            rig.cache->invalidate(key);
            model.erase(key);
            inMemory.erase(key);
        } else if (op < 67) {
            rig.cache->clear();
            model.clear();
            inMemory.clear();
        } else if (op < 72) {
            // Restart: a new memory cache over the same tiers, warmed from them.
            settle();
            rig.cache = rig.makeCache(&clock);
            loadsAtReset = loads;
            rig.cache->setWarmUpInterceptor(
                [](const TierRecord &r) { return r.key.startsWith(u"label/"_s); });
            QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
            // As the CLI (everything listed), as the window (the shown and saved places'
            // keys only: the rest is read from the tiers on demand), or not at all.
            const int warm = rng.bounded(3);
            inMemory.clear();
            if (warm == 0) {
                rig.cache->warmUp();
                QVERIFY2(done.wait(), where);
                for (const auto &[k, e] : model)
                    inMemory.insert(k);
            } else if (warm == 1) {
                rig.cache->warmUp(QStringList{key, u"label/"_s + key});
                QVERIFY2(done.wait(), where);
                if (model.count(key))
                    inMemory.insert(key);
            }
            for (const QString &k : keys)
                QVERIFY2(!rig.cache->memory().exists(u"label/"_s + k), where);
        } else if (op < 75) {
            // The near tier loses everything (a shared server restarted): the far one answers.
            settle();
            rig.tier(0).entries.clear();
        } else if (op < 78) {
            // Bytes that are no value (a label) go to the tiers only and never come back as
            // one, not even after a restart; and the statistics start again from zero.
            rig.cache->putInTiers(u"label/"_s + key, TierEntry{"v:label", now, kTtl, false});
            rig.cache->resetStats();
            const LayeredCacheStats zero = rig.cache->stats();
            QVERIFY2(zero.memoryAnswers == 0 && zero.loaderAnswers == 0 && zero.loaderFailures == 0
                         && zero.refreshes == 0,
                     where);
            for (const TierStats &t : zero.tiers)
                QVERIFY2(t.reads == 0 && t.hits == 0 && t.writes == 0, where);
            loadsAtReset = loads;
        } else {
            clock.advance(rng.bounded(12 * kMinute));
        }
        settle();
        QVERIFY2(rig.cache->pendingTierWrites() == 0, where); // every tier write was answered
    }
    // The forms asked for were the forms used (a test of the model, not of the fake).
    QCOMPARE(rig.tier(0).callbackCalls > 0, nearByCallback);
    QCOMPARE(rig.tier(1).callbackCalls > 0, farByCallback);
}

void tst_LayeredCache::callbackFormAnswersLikeTheFutureForm()
{
    ManualClock clock;
    Rig rig(&clock);
    QObject context;
    std::vector<CacheResult<QString>> answers;
    int loads = 0;
    const auto remember = [&answers](const CacheResult<QString> &r) {
        answers.push_back(r);
    };
    rig.cache->get(u"k"_s, &context, remember, readyLoader(u"v:1"_s, &loads), kTtl);
    rig.cache->get(u"k"_s, &context, remember, readyLoader(u"v:2"_s, &loads), kTtl);
    QTRY_COMPARE(answers.size(), size_t(2));
    QCOMPARE(loads, 1); // the second caller joined the first load
    QCOMPARE(*answers[0].value, u"v:1"_s);
    QCOMPARE(*answers[1].value, u"v:1"_s);
    QCOMPARE(rig.tier(1).gets, 1);
    // A hit, and then a force refresh past memory and both tiers that still writes through.
    rig.cache->get(u"k"_s, &context, remember, readyLoader(u"v:3"_s, &loads), kTtl);
    rig.cache->refresh(u"k"_s, &context, remember, readyLoader(u"v:4"_s, &loads), kTtl);
    QTRY_COMPARE(answers.size(), size_t(4));
    QCOMPARE(answers[2].source, CacheSource::Hit);
    QCOMPARE(*answers[3].value, u"v:4"_s);
    QCOMPARE(rig.tier(1).gets, 1);
    settle();
    QCOMPARE(rig.tier(1).entries.at(u"k"_s).value, QByteArray("v:4"));
    QCOMPARE(rig.cache->stats().memoryAnswers, 1u);
}

void tst_LayeredCache::warmUpHandsForeignRecordsToTheInterceptor()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.cache->putInTiers(u"label/x"_s, TierEntry{"Berlin", clock.now(), kTtl, false});
    settle();
    QCOMPARE(rig.tier(0).entries.at(u"label/x"_s).value, QByteArray("Berlin"));
    QCOMPARE(rig.tier(1).entries.at(u"label/x"_s).value, QByteArray("Berlin"));
    QVERIFY(!rig.cache->memory().exists(u"label/x"_s));
    // "v:" so the codec would accept it: only the interceptor keeps it out of memory.
    rig.tier(1).entries[u"label/y"_s] = {"v:Paris", clock.now(), kTtl, false};
    rig.tier(1).entries[u"k"_s] = {"v:1", clock.now(), kTtl, false};
    QStringList taken;
    rig.cache->setWarmUpInterceptor([&taken](const TierRecord &r) {
        if (!r.key.startsWith(u"label/"_s))
            return false;
        taken << r.key;
        return true;
    });
    QSignalSpy finished(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
    rig.cache->warmUp();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toInt(), 1);
    taken.sort();
    QCOMPARE(taken, (QStringList{u"label/x"_s, u"label/x"_s, u"label/y"_s}));
    QVERIFY(rig.cache->memory().exists(u"k"_s));
    QVERIFY(!rig.cache->memory().exists(u"label/y"_s));
}

void tst_LayeredCache::warmUpOfKeysReadsOnlyThoseKeys()
{
    ManualClock clock;
    Rig rig(&clock, 1);
    const qint64 now = clock.now();
    constexpr int kOthers = 5000;
    for (int i = 0; i < kOthers; ++i)
        rig.tier(0).entries[u"other/%1"_s.arg(i)] = {"v:other", now - kMinute, kTtl, false};
    rig.tier(0).entries[u"fresh"_s] = {"v:fresh", now - kMinute, kTtl, false};
    rig.tier(0).entries[u"stale"_s] = {"v:stale", now - kTtl - kMinute, kTtl, false};
    rig.tier(0).entries[u"gone"_s] = {"v:gone", now - kTtl - kHorizon, kTtl, false};
    rig.tier(0).entries[u"negative"_s] = {"x", now, kNegativeTtl, true};
    rig.tier(0).entries[u"damaged"_s] = {"x", now, kTtl, false};
    rig.tier(0).entries[u"label/x"_s] = {"v:Berlin", now, kTtl, false};
    QStringList taken;
    rig.cache->setWarmUpInterceptor([&taken](const TierRecord &r) {
        if (!r.key.startsWith(u"label/"_s))
            return false;
        taken << QString::fromUtf8(r.entry.value);
        return true;
    });
    const QStringList keys{u"fresh"_s,   u"stale"_s,  u"gone"_s,   u"negative"_s,
                           u"damaged"_s, u"absent"_s, u"label/x"_s};
    QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
    rig.cache->warmUp(keys);
    QVERIFY(done.wait());
    QCOMPARE(done.size(), 1);
    QCOMPARE(done.at(0).at(0).toInt(), 2);
    // Read by key, never listed: memory holds the two usable entries, not the thousands.
    QCOMPARE(rig.tier(0).lists, 0);
    QCOMPARE(rig.tier(0).gets, int(keys.size()));
    const Cache::Memory &mem = rig.cache->memory();
    QCOMPARE(mem.count(), 2);
    QCOMPARE(mem.entryInfo(u"fresh"_s)->state, EntryState::Fresh);
    QCOMPARE(mem.entryInfo(u"fresh"_s)->ageMs, kMinute);
    QCOMPARE(mem.entryInfo(u"stale"_s)->state, EntryState::Stale);
    QCOMPARE(taken, QStringList{u"v:Berlin"_s});
    // A key not warmed is still answered by the tier, with its age, without the loader.
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"other/42"_s, readyLoader(u"v:network"_s, &loads)));
    QCOMPARE(r.source, CacheSource::Loaded);
    QCOMPARE(r.origin, Cache::originOfTier(0));
    QCOMPARE(*r.value, u"v:other"_s);
    QCOMPARE(r.ageMs, kMinute);
    QCOMPARE(loads, 0);
    QCOMPARE(mem.count(), 3);
}

void tst_LayeredCache::warmUpOfKeysKeepsTheNewestAndSurvivesAFailingTier()
{
    ManualClock clock;
    {
        Rig rig(&clock);
        rig.tier(0).entries[u"k"_s] = {"v:older", clock.now() - 5 * kMinute, kTtl, false};
        rig.tier(1).entries[u"k"_s] = {"v:newer", clock.now() - kMinute, kTtl, false};
        QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
        rig.cache->warmUp(QStringList{u"k"_s});
        QVERIFY(done.wait());
        QCOMPARE(*rig.cache->memory().peek(u"k"_s), u"v:newer"_s);
        QCOMPARE(rig.cache->memory().entryInfo(u"k"_s)->ageMs, kMinute);
    }
    {
        Rig rig(&clock);
        rig.tier(0).setMode(FakeTier::Mode::Failing);
        rig.tier(0).setFailure(u"The disk cache is unreadable."_s);
        rig.tier(1).entries[u"k"_s] = {"v:far", clock.now() - kMinute, kTtl, false};
        QSignalSpy status(rig.cache.get(), &LayeredCacheBase::tierStatusChanged);
        QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
        rig.cache->warmUp(QStringList{u"k"_s, u"j"_s});
        QVERIFY(done.wait());
        QCOMPARE(done.at(0).at(0).toInt(), 1);
        QCOMPARE(*rig.cache->memory().peek(u"k"_s), u"v:far"_s);
        QCOMPARE(status.size(), 1); // said once, not for every key
        QCOMPARE(status.at(0).at(0).toString(), u"near"_s);
        QCOMPARE(status.at(0).at(1).toBool(), false);
    }
}

void tst_LayeredCache::warmUpOfKeysFinishesWhenTheLastTierAnswers()
{
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(0).entries[u"k"_s] = {"v:near", clock.now(), kTtl, false};
    rig.tier(1).setMode(FakeTier::Mode::Held);
    QSignalSpy done(rig.cache.get(), &LayeredCacheBase::warmUpFinished);
    rig.cache->warmUp(QStringList{u"k"_s, u"j"_s});
    settle();
    QCOMPARE(done.size(), 0); // the far tier has not answered yet
    QCOMPARE(*rig.cache->memory().peek(u"k"_s), u"v:near"_s); // the near one is in already
    rig.tier(1).release();
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(done.at(0).at(0).toInt(), 1);
    // No keys: finished at once, asynchronously, nothing read.
    rig.cache->warmUp(QStringList{});
    QCOMPARE(done.size(), 1);
    QTRY_COMPARE(done.size(), 2);
    QCOMPARE(done.at(1).at(0).toInt(), 0);
    QCOMPARE(rig.tier(0).gets, 2);
}

void tst_LayeredCache::loaderCancelledAfterItStartedEndsTheLoad()
{
    ManualClock clock;
    Rig rig(&clock);
    auto promise = std::make_shared<QPromise<Outcome<QString>>>();
    int calls = 0;
    const Cache::Loader dropped = [&promise, &calls] {
        ++calls;
        promise->start();
        return promise->future();
    };
    QFuture<CacheResult<QString>> first = rig.cache->get(u"k"_s, dropped);
    QTRY_COMPARE(calls, 1);
    promise.reset(); // the loader's owner went away without an answer: the future is cancelled
    const auto r = awaitResult(first);
    QCOMPARE(r.source, CacheSource::Failed);
    QVERIFY(!r.error.message.isEmpty());
    // Not stuck in flight: the next caller starts a new load.
    int loads = 0;
    QCOMPARE(*awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:1"_s, &loads))).value, u"v:1"_s);
    QCOMPARE(loads, 1);
}

void tst_LayeredCache::leaseLetsOneMachineLoadForAll()
{
    ManualClock clock;
    constexpr int kMachines = 5;
    Office office(&clock, kMachines);
    QVERIFY(office.shared.watching); // turned on when the tier was added
    std::vector<ManualLoader> loaders(kMachines);
    QList<QFuture<CacheResult<QString>>> futures;
    for (int i = 0; i < kMachines; ++i)
        futures.append(office.machine(i).get(u"k"_s, loaders[size_t(i)].loader()));
    settle();
    const auto totalCalls = [&loaders] {
        int n = 0;
        for (const ManualLoader &l : loaders)
            n += l.calls;
        return n;
    };
    QCOMPARE(totalCalls(), 1);
    QCOMPARE(loaders[0].calls, 1); // the first to ask took the lease
    loaders[0].succeed(u"v:1"_s);
    // The clock never moves: the others were woken by the landing, not by the lease's end.
    for (int i = 0; i < kMachines; ++i) {
        const auto r = awaitResult(futures.at(i));
        QVERIFY(r.ok());
        QCOMPARE(*r.value, u"v:1"_s);
        QCOMPARE(r.origin, i == 0 ? Cache::kOriginLoader : Cache::originOfTier(kShared));
    }
    settle();
    QCOMPARE(totalCalls(), 1);
    QVERIFY(office.shared.leases.empty()); // given back
    QCOMPARE(office.disks.at(3)->entries.at(u"k"_s).value, "v:1"); // promoted to its disk
    QCOMPARE(office.sharedStats(0).leases, 1u);
    QCOMPARE(office.sharedStats(0).leaseWaits, 0u);
    for (int i = 1; i < kMachines; ++i) {
        QCOMPARE(office.sharedStats(i).leases, 0u);
        QCOMPARE(office.sharedStats(i).leaseWaits, 1u);
        QCOMPARE(office.sharedStats(i).leaseWaitAnswers, 1u);
    }
}

void tst_LayeredCache::forcedRefreshIsAnnounced()
{
    ManualClock clock;
    Office office(&clock, 2);
    QSignalSpy landed(&office.shared, &CacheTier::entryLanded);
    ManualLoader a;
    auto first = office.machine(0).get(u"k"_s, a.loader());
    settle();
    a.succeed(u"v:1"_s);
    QVERIFY(awaitResult(first).ok());
    settle();
    QCOMPARE(office.shared.announcements, 1); // with the lease given back
    // A forced refresh takes no lease; its new value is announced all the same, after it
    // was written, so a machine watching (weatherdash-cli --watch) hears the renewal.
    ManualLoader b;
    auto forced = office.machine(1).refresh(u"k"_s, b.loader());
    settle();
    QCOMPARE(b.calls, 1);
    QVERIFY(office.shared.leases.empty());
    b.succeed(u"v:2"_s);
    QVERIFY(awaitResult(forced).ok());
    settle();
    QCOMPARE(office.shared.announcements, 2);
    QCOMPARE(landed.size(), 2);
    QCOMPARE(landed.at(1).at(0).toString(), u"k"_s);
    QCOMPARE(office.shared.entries.at(u"k"_s).value, "v:2");
    // A failed forced refresh lands nothing: nothing said.
    ManualLoader c;
    auto failed = office.machine(1).refresh(u"k"_s, c.loader());
    settle();
    c.fail(kServerError);
    QVERIFY(awaitResult(failed).ok()); // the old value, served stale
    settle();
    QCOMPARE(office.shared.announcements, 2);
}

void tst_LayeredCache::holderFailureLetsAWaiterLoad()
{
    ManualClock clock;
    Office office(&clock, 2);
    ManualLoader a;
    ManualLoader b;
    auto fa = office.machine(0).get(u"k"_s, a.loader());
    auto fb = office.machine(1).get(u"k"_s, b.loader());
    settle();
    QCOMPARE(a.calls, 1);
    QCOMPARE(b.calls, 0);
    a.fail(kServerError); // not cached: nothing lands
    const auto ra = awaitResult(fa);
    QCOMPARE(ra.error.code, kServerError);
    settle();
    // Woken by the holder's announcement, found nothing, took the lease itself: no waiting
    // for the lease to run out.
    QCOMPARE(b.calls, 1);
    b.succeed(u"v:b"_s);
    const auto rb = awaitResult(fb);
    QCOMPARE(*rb.value, u"v:b"_s);
    QCOMPARE(rb.origin, Cache::kOriginLoader);
    QCOMPARE(office.sharedStats(1).leaseWaits, 1u);
    QCOMPARE(office.sharedStats(1).leaseWaitAnswers, 0u);
    QCOMPARE(office.sharedStats(1).leases, 1u);
    settle();
    QVERIFY(office.shared.leases.empty());
}

void tst_LayeredCache::holderNotFoundIsSharedWithoutLoading()
{
    ManualClock clock;
    Office office(&clock, 2);
    ManualLoader a;
    ManualLoader b;
    auto fa = office.machine(0).get(u"typo"_s, a.loader());
    auto fb = office.machine(1).get(u"typo"_s, b.loader());
    settle();
    a.fail(kNotFound); // a cached failure lands like a value
    QCOMPARE(awaitResult(fa).error.code, kNotFound);
    const auto rb = awaitResult(fb);
    QCOMPARE(rb.error.code, kNotFound);
    QCOMPARE(rb.origin, Cache::originOfTier(kShared));
    QCOMPARE(b.calls, 0);
    QCOMPARE(office.sharedStats(1).leaseWaitAnswers, 1u);
}

void tst_LayeredCache::crashedHolderLeaseRunsOutThenAWaiterLoads()
{
    ManualClock clock;
    Office office(&clock, 2);
    ManualLoader a; // never answers: the holder crashed mid-load
    ManualLoader b;
    auto fa = office.machine(0).get(u"k"_s, a.loader());
    auto fb = office.machine(1).get(u"k"_s, b.loader());
    settle();
    QCOMPARE(a.calls, 1);
    const int readsBefore = office.shared.gets;
    clock.advance(kLease - 1);
    settle();
    QCOMPARE(b.calls, 0); // still the holder's
    QVERIFY(!fb.isFinished());
    QVERIFY(office.shared.gets > readsBefore); // it looked meanwhile
    clock.advance(1);
    settle();
    QCOMPARE(b.calls, 1); // the lease ran out: the waiter took it and loads
    b.succeed(u"v:b"_s);
    QCOMPARE(*awaitResult(fb).value, u"v:b"_s);
    settle();
    QVERIFY(office.shared.leases.empty());
    QVERIFY(!fa.isFinished());
}

void tst_LayeredCache::lostAnnouncementIsMadeUpByPolling()
{
    ManualClock clock;
    Office office(&clock, 2);
    office.shared.dropAnnouncements = true;
    ManualLoader a;
    ManualLoader b;
    office.machine(0).get(u"k"_s, a.loader());
    auto fb = office.machine(1).get(u"k"_s, b.loader());
    settle();
    a.succeed(u"v:a"_s);
    settle();
    QVERIFY(!fb.isFinished()); // it did not hear of it
    clock.advance(LayeredCacheBase::kDefaultLeasePollMs);
    const auto rb = awaitResult(fb);
    QCOMPARE(*rb.value, u"v:a"_s);
    QCOMPARE(rb.origin, Cache::originOfTier(kShared));
    QCOMPARE(b.calls, 0);
}

void tst_LayeredCache::lostAnnouncementOfAFailureIsMadeUpByPolling()
{
    ManualClock clock;
    Office office(&clock, 2);
    office.shared.dropAnnouncements = true;
    ManualLoader a;
    ManualLoader b;
    office.machine(0).get(u"k"_s, a.loader());
    auto fb = office.machine(1).get(u"k"_s, b.loader());
    settle();
    a.fail(kServerError); // gives the lease back, but nobody hears of it
    settle();
    QCOMPARE(b.calls, 0);
    // The next poll finds nothing and the lease free: it loads, long before the lease's end.
    clock.advance(LayeredCacheBase::kDefaultLeasePollMs);
    settle();
    QCOMPARE(b.calls, 1);
    b.succeed(u"v:b"_s);
    QCOMPARE(*awaitResult(fb).value, u"v:b"_s);
}

void tst_LayeredCache::leaseErrorOrSlownessMeansLoadingAtOnce()
{
    ManualClock clock;
    {
        // The lease fails: load now.
        Office office(&clock, 1);
        office.shared.leaseFailure = u"The shared cache at 127.0.0.1:6379 is full."_s;
        ManualLoader a;
        auto f = office.machine(0).get(u"k"_s, a.loader());
        settle();
        QCOMPARE(office.shared.leaseAttempts, 1);
        QCOMPARE(a.calls, 1);
        a.succeed(u"v:1"_s);
        QCOMPARE(*awaitResult(f).value, u"v:1"_s);
        QCOMPARE(office.sharedStats(0).errors, 1u);
    }
    {
        // The shared tier is unreachable: its failed read is enough, no lease is tried.
        Office office(&clock, 1);
        office.shared.setMode(FakeTier::Mode::Failing);
        ManualLoader a;
        auto f = office.machine(0).get(u"k"_s, a.loader());
        settle();
        QCOMPARE(a.calls, 1);
        QCOMPARE(office.shared.leaseAttempts, 0);
        a.succeed(u"v:1"_s);
        QCOMPARE(*awaitResult(f).value, u"v:1"_s);
    }
    {
        // The lease is slow: the tier timeout, then load; the lease granted late goes back.
        Office office(&clock, 1);
        office.shared.holdLeases = true;
        ManualLoader a;
        auto f = office.machine(0).get(u"k"_s, a.loader());
        settle();
        QCOMPARE(office.shared.heldCount(), 1);
        clock.advance(LayeredCacheBase::kDefaultTierTimeoutMs - 1);
        settle();
        QCOMPARE(a.calls, 0);
        clock.advance(1);
        settle();
        QCOMPARE(a.calls, 1);
        office.shared.release();
        settle();
        QVERIFY(office.shared.leases.empty());
        QCOMPARE(office.sharedStats(0).timeouts, 1u);
        QCOMPARE(office.sharedStats(0).lateReplies, 1u);
        a.succeed(u"v:1"_s);
        QCOMPARE(*awaitResult(f).value, u"v:1"_s);
    }
}

void tst_LayeredCache::forceRefreshNeverWaitsForALease()
{
    ManualClock clock;
    Office office(&clock, 3);
    ManualLoader a;
    ManualLoader b;
    ManualLoader c;
    office.machine(0).get(u"k"_s, a.loader()); // holds the lease, loading
    settle();
    // A refresh goes to the provider at once, without a lease.
    auto fc = office.machine(2).refresh(u"k"_s, c.loader());
    settle();
    QCOMPARE(c.calls, 1);
    QCOMPARE(office.shared.leaseAttempts, 1);
    // A refresh that joins a load waiting on another machine's lease stops the waiting.
    auto waiting = office.machine(1).get(u"k"_s, b.loader());
    settle();
    QCOMPARE(b.calls, 0);
    QCOMPARE(office.sharedStats(1).leaseWaits, 1u);
    auto forced = office.machine(1).refresh(u"k"_s, b.loader());
    settle();
    QCOMPARE(b.calls, 1);
    b.succeed(u"v:b"_s);
    QCOMPARE(*awaitResult(waiting).value, u"v:b"_s);
    QCOMPARE(*awaitResult(forced).value, u"v:b"_s);
    c.succeed(u"v:c"_s);
    QCOMPARE(*awaitResult(fc).value, u"v:c"_s);
}

void tst_LayeredCache::resetStatsZeroesEveryCounter()
{
    ManualClock clock;
    Rig rig(&clock);
    int loads = 0;
    QVERIFY(awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:1"_s, &loads))).value);
    QVERIFY(awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:1"_s, &loads))).value);
    LayeredCacheStats before = rig.cache->stats();
    QCOMPARE(before.memoryAnswers, 1u);
    QCOMPARE(before.loaderAnswers, 1u);
    QCOMPARE(before.tiers.at(0).reads, 1u);
    rig.cache->resetStats();
    const LayeredCacheStats after = rig.cache->stats();
    QCOMPARE(after.memoryAnswers, 0u);
    QCOMPARE(after.loaderAnswers, 0u);
    QCOMPARE(after.tiers.size(), 2);
    QCOMPARE(after.tiers.at(0).name, u"near"_s);
    QCOMPARE(after.tiers.at(0).reads, 0u);
    QCOMPARE(after.tiers.at(1).writes, 0u);
    // The entries stay: the next caller is still answered from memory.
    QCOMPARE(awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:2"_s, &loads))).source,
             CacheSource::Hit);
    QCOMPARE(rig.cache->stats().memoryAnswers, 1u);
}

void tst_LayeredCache::impossibleTtlIsAMissAndRemoved_data()
{
    QTest::addColumn<qint64>("ttl");
    QTest::addColumn<qint64>("limit"); // the tier TTL limit for the key; -1: none set
    QTest::newRow("zero (the memory cache's 'never')") << qint64(0) << qint64(-1);
    QTest::newRow("negative") << qint64(-5'000) << qint64(-1);
    QTest::newRow("most negative") << std::numeric_limits<qint64>::min() << qint64(-1);
    QTest::newRow("beyond forever") << LayeredCacheBase::kTierForeverMs + 1 << qint64(-1);
    QTest::newRow("largest") << std::numeric_limits<qint64>::max() << qint64(-1);
    QTest::newRow("beyond the kind's limit") << 2 * kTtl << kTtl;
}

void tst_LayeredCache::impossibleTtlIsAMissAndRemoved()
{
    QFETCH(qint64, ttl);
    QFETCH(qint64, limit);
    ManualClock clock;
    Rig rig(&clock);
    if (limit >= 0)
        rig.cache->setTierTtlLimit([limit](const QString &) { return limit; });
    rig.tier(1).entries[u"k"_s] = TierEntry{"v:bad", clock.now() - 1'000, ttl, false};
    rig.tier(1).entries[u"n"_s] = TierEntry{"gone", clock.now() - 1'000, ttl, true};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:net"_s, &loads)));
    QCOMPARE(loads, 1); // a miss: loaded
    QCOMPARE(*r.value, u"v:net"_s);
    settle();
    QCOMPARE(rig.tier(1).entries.at(u"k"_s).value, QByteArray("v:net")); // replaced
    QVERIFY(rig.tier(1).removes >= 1);
    // A cached failure with such a TTL is no failure either: the loader answers.
    const auto n = awaitResult(rig.cache->get(u"n"_s, readyLoader(u"v:n"_s, &loads)));
    QVERIFY(n.ok());
    QCOMPARE(loads, 2);
    // And within its limit the same entry answers.
    rig.tier(1).entries[u"ok"_s] = TierEntry{"v:ok", clock.now(), kTtl, false};
    const auto ok = awaitResult(rig.cache->get(u"ok"_s, readyLoader(u"v:x"_s, &loads)));
    QCOMPARE(*ok.value, u"v:ok"_s);
    QCOMPARE(loads, 2);
}

void tst_LayeredCache::entryFromTheFutureIsNeverFreshNorStale()
{
    // Written by a machine whose clock runs an hour ahead: "0 s old" for an hour, it was.
    ManualClock clock;
    Rig rig(&clock);
    const qint64 hour = 60 * kMinute;
    rig.tier(1).entries[u"k"_s] = TierEntry{"v:ahead", clock.now() + hour, kTtl, false};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:net"_s, &loads)));
    QCOMPARE(loads, 1);
    QCOMPARE(*r.value, u"v:net"_s);
    QVERIFY(r.ageMs >= 0);
    settle();
    QCOMPARE(rig.tier(1).entries.at(u"k"_s).loadedAt, clock.now()); // replaced by ours
    // Nor is it served as stale when the provider fails.
    rig.tier(1).entries[u"s"_s] = TierEntry{"v:ahead", clock.now() + hour, kTtl, false};
    const auto failed = awaitResult(rig.cache->get(u"s"_s, failingLoader(kServerError, &loads)));
    QVERIFY(!failed.ok());
}

void tst_LayeredCache::entrySlightlyAheadCountsAsLoadedNow()
{
    // Clocks agree within seconds, not exactly: 30 s ahead is still an answer, 0 s old.
    ManualClock clock;
    Rig rig(&clock);
    rig.tier(1).entries[u"k"_s]
        = TierEntry{"v:near", clock.now() + LayeredCacheBase::kFutureToleranceMs, kTtl, false};
    int loads = 0;
    const auto r = awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:net"_s, &loads)));
    QCOMPARE(loads, 0);
    QCOMPARE(*r.value, u"v:near"_s);
    QCOMPARE(r.ageMs, qint64(0));
}

void tst_LayeredCache::clockSetBackMakesTheDiskEntryUnknownAge()
{
    // Loaded at 12:00, written to disk; then this machine's clock is set back to 11:00.
    ManualClock clock;
    Rig rig(&clock, 1);
    int loads = 0;
    QVERIFY(awaitResult(rig.cache->get(u"k"_s, readyLoader(u"v:noon"_s, &loads))).ok());
    settle();
    QCOMPARE(rig.tier(0).entries.size(), size_t(1));
    clock.setNow(clock.now() - 60 * kMinute);
    auto restarted = rig.makeCache(&clock); // a new process: only the disk remembers
    const auto r = awaitResult(restarted->get(u"k"_s, readyLoader(u"v:again"_s, &loads)));
    QCOMPARE(loads, 2); // not "fresh for another hour and ten minutes"
    QCOMPARE(*r.value, u"v:again"_s);
}

void tst_LayeredCache::warmUpRefusesWhatALoadRefuses_data()
{
    QTest::addColumn<bool>("byKeys"); // warmUp(keys) as the app starts, or the whole listing
    QTest::newRow("by keys") << true;
    QTest::newRow("listing") << false;
}

void tst_LayeredCache::warmUpRefusesWhatALoadRefuses()
{
    // A start must not put into memory what a read from the tier would refuse: there it
    // would be answered as fresh without the tier ever being asked again.
    QFETCH(bool, byKeys);
    ManualClock clock;
    Rig rig(&clock, 1);
    Cache::Codec codec = stringCodec();
    codec.fits = [](const QString &key, const QString &value) {
        return value.startsWith(u"v:" + key.left(1));
    };
    Cache cache(codec, &clock);
    cache.memory().setDefaultTtl(kTtl);
    cache.addTier(&rig.tier(0));
    cache.setTierTtlLimit([](const QString &) { return 2 * kTtl; });
    const qint64 now = clock.now();
    const qint64 hour = 60 * kMinute;
    rig.tier(0).entries[u"a/ok"_s] = {"v:a-ok", now - kMinute, kTtl, false};
    rig.tier(0).entries[u"a/zero-ttl"_s] = {"v:a", now - kMinute, 0, false};
    rig.tier(0).entries[u"a/negative-ttl"_s] = {"v:a", now - kMinute, -kTtl, false};
    rig.tier(0).entries[u"a/beyond-limit"_s] = {"v:a", now - kMinute, 3 * kTtl, false};
    rig.tier(0).entries[u"a/from-the-future"_s] = {"v:a", now + hour, kTtl, false};
    rig.tier(0).entries[u"a/other-kind"_s] = {"v:b", now - kMinute, kTtl, false};
    QStringList keys;
    for (const auto &[key, entry] : rig.tier(0).entries)
        keys << key;
    QSignalSpy done(&cache, &LayeredCacheBase::warmUpFinished);
    if (byKeys)
        cache.warmUp(keys);
    else
        cache.warmUp();
    QVERIFY(done.wait());
    QCOMPARE(done.at(0).at(0).toInt(), 1);
    QCOMPARE(cache.memory().count(), 1);
    QVERIFY(cache.memory().entryInfo(u"a/ok"_s));
    // Each refused one is loaded again when asked for.
    int loads = 0;
    const auto r
        = awaitResult(cache.get(u"a/from-the-future"_s, readyLoader(u"v:a-net"_s, &loads)));
    QCOMPARE(*r.value, u"v:a-net"_s);
    QCOMPARE(loads, 1);
}

void tst_LayeredCache::valueOfAnotherKindIsAMiss()
{
    ManualClock clock;
    Rig rig(&clock);
    Cache::Codec codec = stringCodec();
    // Keys name their kind: "a/..." holds values "v:a...".
    codec.fits = [](const QString &key, const QString &value) {
        return value.startsWith(u"v:" + key.left(1));
    };
    Cache cache(codec, &clock);
    cache.memory().setDefaultTtl(kTtl);
    cache.addTier(&rig.tier(1));
    rig.tier(1).entries[u"a/1"_s] = TierEntry{"v:b-value", clock.now(), kTtl, false};
    int loads = 0;
    const auto r = cache.get(u"a/1"_s, readyLoader(u"v:a-net"_s, &loads));
    QCOMPARE(*awaitResult(r).value, u"v:a-net"_s);
    QCOMPARE(loads, 1);
    rig.tier(1).entries[u"a/2"_s] = TierEntry{"v:a-value", clock.now(), kTtl, false};
    QCOMPARE(*awaitResult(cache.get(u"a/2"_s, readyLoader(u"v:x"_s, &loads))).value,
             u"v:a-value"_s);
    QCOMPARE(loads, 1);
}

void tst_LayeredCache::leaseThatNeverEndsIsWaitedOnOneLeaseLength()
{
    // A lease key without a TTL (or a holder renewing it for ever): it never runs out.
    ManualClock clock;
    Office office(&clock, 1);
    office.shared.leases[u"k"_s] = {"someone-else", std::numeric_limits<qint64>::max()};
    ManualLoader loader;
    auto f = office.machine(0).get(u"k"_s, loader.loader());
    settle();
    QCOMPARE(loader.calls, 0);
    QCOMPARE(office.sharedStats(0).leaseWaits, 1u);
    for (qint64 t = 0; t < kLease - 1'000; t += 1'000) {
        clock.advance(1'000);
        settle();
    }
    QCOMPARE(loader.calls, 0); // polling, waiting for the holder
    clock.advance(1'000);
    settle();
    QCOMPARE(loader.calls, 1); // one lease length: loads by itself
    loader.succeed(u"v:mine"_s);
    QCOMPARE(*awaitResult(f).value, u"v:mine"_s);
}

QTEST_GUILESS_MAIN(tst_LayeredCache)
#include "tst_layeredcache.moc"
