// SPDX-License-Identifier: MIT
#include "cache/memoize.h"
#include "futurewait.h"

#include <QTest>

#include <QPoint>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

enum class Units { Metric = 1, Imperial = 2 };

struct Coordinates
{
    double lat = 0;
    double lon = 0;
};
QString memoizeKey(const Coordinates &c)
{
    return QString::number(c.lat, 'g', 17) + u' ' + QString::number(c.lon, 'g', 17);
}

/** How many distinct keys a memoized `echo` of these argument tuples makes (body runs). */
template<typename... Args>
int distinctRuns(const std::vector<std::tuple<Args...>> &calls)
{
    ManualClock clock;
    AsyncCache<int> cache(&clock);
    int runs = 0;
    auto f = memoize<int, Args...>(
        &cache, u"f"_s,
        [&runs](Args...) {
            ++runs;
            return QtFuture::makeReadyFuture(Outcome<int>::success(runs));
        },
        AsyncCache<int>::kNoExpiry);
    for (const auto &call : calls)
        awaitResult(std::apply(f, call));
    return runs;
}

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

    void keysAreExact_data()
    {
        QTest::addColumn<int>("runs");
        QTest::addColumn<int>("expected");
        // Calls that used to share one key (and one answer) and must not; and some that must.
        QTest::newRow("doubles equal in 6 digits")
            << distinctRuns<double>({{0.1234567}, {0.1234568}, {1e-7}, {1.000001e-7}}) << 4;
        QTest::newRow("doubles one ulp apart")
            << distinctRuns<double>({{1.0}, {std::nextafter(1.0, 2.0)}}) << 2;
        QTest::newRow("minus zero and zero") << distinctRuns<double>({{0.0}, {-0.0}}) << 2;
        QTest::newRow("every NaN is one key")
            << distinctRuns<double>({{std::nan("1")}, {std::numeric_limits<double>::quiet_NaN()}})
            << 1;
        QTest::newRow("infinities")
            << distinctRuns<double>({{std::numeric_limits<double>::infinity()},
                                     {-std::numeric_limits<double>::infinity()},
                                     {std::numeric_limits<double>::max()}})
            << 3;
        QTest::newRow("floats equal in 6 digits")
            << distinctRuns<float>({{1.0000001f}, {1.0000002f}}) << 2;
        QTest::newRow("64-bit integers")
            << distinctRuns<qint64, quint64>({{std::numeric_limits<qint64>::min(), 0},
                                              {std::numeric_limits<qint64>::max(), 0},
                                              {-1, std::numeric_limits<quint64>::max()},
                                              {-1, 1}})
            << 4;
        QTest::newRow("separator inside a string")
            << distinctRuns<QString, QString>({{u"a\x1f"
                                                "b"_s,
                                                u"c"_s},
                                               {u"a"_s, u"b\x1f"
                                                        "c"_s}})
            << 2;
        QTest::newRow("length prefix inside a string") << distinctRuns<QString, QString>(
            {{u"1:a"_s, u""_s}, {u""_s, u"1:a"_s}, {u"1:a"_s, {}}})
                                                       << 2;
        QTest::newRow("byte arrays that are not UTF-8") << distinctRuns<QByteArray>(
            {{QByteArray("\xff")}, {QByteArray("\xfe")}, {QByteArray("\0", 1)}, {QByteArray()}})
                                                        << 4;
        QTest::newRow("string lists split differently")
            << distinctRuns<QStringList>({{{u"a"_s, u"b"_s}}, {{u"a:b"_s}}, {{u"ab"_s}}, {{}}})
            << 4;
        QTest::newRow("enums") << distinctRuns<Units>({{Units::Metric}, {Units::Imperial}}) << 2;
        QTest::newRow("type with memoizeKey()")
            << distinctRuns<Coordinates>({{{52.52, 13.405}}, {{52.52, 13.405000000000001}}}) << 2;
        QTest::newRow("equal arguments share")
            << distinctRuns<double, QString>({{0.1, u"x"_s}, {0.1, u"x"_s}}) << 1;
    }

    void keysAreExact()
    {
        QFETCH(int, runs);
        QFETCH(int, expected);
        QCOMPARE(runs, expected);
    }

    void typesWithoutAnExactKeyAreRefused()
    {
        // memoize() static_asserts on these; QVariant turned them all into one empty key.
        static_assert(!MemoizeDetail::isKeyable<QPoint>);
        static_assert(!MemoizeDetail::isKeyable<long double>);
        static_assert(!MemoizeDetail::isKeyable<const char *>);
        static_assert(MemoizeDetail::isKeyable<Coordinates>);
        static_assert(MemoizeDetail::isKeyable<Units>);
    }
};

QTEST_GUILESS_MAIN(tst_Memoize)
#include "tst_memoize.moc"
