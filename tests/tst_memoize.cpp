// SPDX-License-Identifier: MIT
#include "cache/memoize.h"
#include "futurewait.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using FibResult = QFuture<CacheResult<quint64>>;

/**
 * The recursive async Fibonacci that made aiocache's @cached famous:
 *     @cached() async def fib(n): return n if n < 2 else await fib(n-1) + await fib(n-2)
 * `modulus` 0 means exact arithmetic.
 */
struct Fib
{
    explicit Fib(AsyncCache<quint64> *cache, quint64 modulus = 0)
    {
        call = memoize<quint64, int>(
            cache, u"fib"_s,
            [this, modulus](int n) -> QFuture<Outcome<quint64>> {
                ++bodyRuns;
                if (n < 2)
                    return QtFuture::makeReadyFuture(Outcome<quint64>::success(quint64(n)));
                QList<FibResult> parts{call(n - 1), call(n - 2)};
                return QtFuture::whenAll(parts.begin(), parts.end())
                    .then([modulus](const QList<FibResult> &done) {
                        const quint64 a = *done.at(0).result().value;
                        const quint64 b = *done.at(1).result().value;
                        return Outcome<quint64>::success(modulus ? (a + b) % modulus : a + b);
                    });
            },
            AsyncCache<quint64>::kNoExpiry);
    }

    std::function<FibResult(int)> call;
    int bodyRuns = 0;
};

} // namespace

class tst_Memoize : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fib90IsExactAndRunsOncePerArgument()
    {
        ManualClock clock;
        AsyncCache<quint64> cache(&clock);
        Fib fib(&cache);
        const auto r = awaitResult(fib.call(90));
        QVERIFY(r.ok());
        QCOMPARE(*r.value, 2880067194370816120ull);
        QCOMPARE(fib.bodyRuns, 91);
        // A second call is served from the cache: the body does not run again.
        QCOMPARE(awaitResult(fib.call(90)).source, CacheSource::Hit);
        QCOMPARE(fib.bodyRuns, 91);
        QVERIFY(cache.stats().coalesced > 0); // fib(n-2) joined loads already in flight
    }

    void fib10000CompletesWithoutExhaustingTheStack()
    {
        ManualClock clock;
        AsyncCache<quint64> cache(&clock);
        Fib fib(&cache, 1'000'000'007);
        const auto r = awaitResult(fib.call(10'000), 60'000);
        QVERIFY(r.ok());
        QCOMPARE(*r.value, 271496360ull); // F(10000) mod 1e9+7
        QCOMPARE(fib.bodyRuns, 10'001);
    }

    void ttlMakesTheBodyRunAgain()
    {
        ManualClock clock;
        AsyncCache<QString> cache(&clock);
        int runs = 0;
        auto greet = memoize<QString, QString, int>(
            &cache, u"greet"_s,
            [&runs](const QString &name, int times) {
                ++runs;
                return QtFuture::makeReadyFuture(Outcome<QString>::success(name.repeated(times)));
            },
            1000);
        QCOMPARE(*awaitResult(greet(u"ab"_s, 2)).value, u"abab"_s);
        QCOMPARE(*awaitResult(greet(u"ab"_s, 2)).value, u"abab"_s);
        QCOMPARE(*awaitResult(greet(u"ab"_s, 3)).value, u"ababab"_s); // other arguments, other key
        QCOMPARE(runs, 2);
        clock.advance(1000);
        QCOMPARE(*awaitResult(greet(u"ab"_s, 2)).value, u"abab"_s);
        QCOMPARE(runs, 3);
    }
};

QTEST_GUILESS_MAIN(tst_Memoize)
#include "tst_memoize.moc"
