// SPDX-License-Identifier: MIT
// The provider budget of several machines on one real redis-server: each "machine" is a
// RequestGate with its own RedisBudget (its own connections), all on one ManualClock.
#include "cache/clock.h"
#include "futurewait.h"
#include "redisserver.h"
#include "store/redisbudget.h"
#include "store/redisconnection.h"
#include "store/redistier.h"
#include "weather/requestgate.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>
#include <signal.h>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kCommandTimeoutMs = 3'000;
const QString kProvider = u"open-meteo"_s;

/** One machine: a gate keeping `perMinute` with the others through its own budget. */
struct Machine
{
    Machine(const QString &url, Clock *clock, int perMinute)
        : budget(testRedisUrl(url), clock)
        , gate(clock, perMinute, u"Open-Meteo"_s)
    {
        budget.setTimeouts(kCommandTimeoutMs, kCommandTimeoutMs);
        gate.setSharedBudget(&budget, kProvider);
    }

    void submit(int n = 1)
    {
        for (int i = 0; i < n; ++i) {
            gate.submit(
                &context, [this] { ++sent; },
                [this](const WeatherError &error) { rejected.append(error); });
        }
    }
    /** Nothing is waiting for Redis: what is sent or queued now stays so until time moves. */
    bool settled() const { return !gate.isAskingShared(); }

    RedisBudget budget;
    RequestGate gate;
    QObject context;
    int sent = 0;
    QList<WeatherError> rejected;
};

/** Handles what is already queued without waiting for real time. */
void drainEvents()
{
    for (int i = 0; i < 10; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

} // namespace

class tst_RedisBudget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void twoMachinesTogetherStayWithinTheBudget();
    void rateLimitOnOneMachineHoldsTheOthers();
    void killedRedisLeavesTheLocalBudget();
    void frozenRedisIsWaitedForOneSecondAtMost();
    void keysNameTheProviderAndSurviveAClear();
    void whatIsFoundInRedisIsCheckedAndClamped_data();
    void whatIsFoundInRedisIsCheckedAndClamped();
    void aMachineWhoseClockRunsAheadQueuesNobody();
};

void tst_RedisBudget::twoMachinesTogetherStayWithinTheBudget()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    constexpr int kBudget = 5;
    Machine a(server.url(), &clock, kBudget);
    Machine b(server.url(), &clock, kBudget);

    // Eight requests, four on each, interleaved: five go out, three wait (none fails).
    for (int i = 0; i < 4; ++i) {
        a.submit();
        b.submit();
    }
    QTRY_VERIFY(a.settled() && b.settled() && a.sent + b.sent == kBudget);
    drainEvents();
    QCOMPARE(a.sent + b.sent, kBudget);
    QVERIFY(a.sent > 0 && b.sent > 0); // both got slots: neither was starved
    QCOMPARE(a.gate.queuedCount() + b.gate.queuedCount(), 8 - kBudget);
    QVERIFY(a.rejected.isEmpty() && b.rejected.isEmpty());
    QCOMPARE(server.cli({u"ZCARD"_s, QString::fromUtf8(RedisBudget::budgetKey(kProvider))}),
             QByteArray::number(kBudget));
    // Alone, each would have sent all four at once.
    QCOMPARE(a.gate.sharedGrants() + b.gate.sharedGrants(), quint64(kBudget));
    QCOMPARE(a.gate.localFallbacks() + b.gate.localFallbacks(), 0u);

    // The window is on the server's clock (which does not follow the ManualClock); nobody
    // waits on it more than kMaxSharedWaitMs, then the local budget alone decides.
    for (qint64 t = 0; t < RequestGate::kMaxSharedWaitMs - 250; t += 250) {
        clock.advance(250);
        QTRY_VERIFY(a.settled() && b.settled());
    }
    drainEvents();
    QCOMPARE(a.sent + b.sent, kBudget);
    clock.advance(250);
    QTRY_COMPARE(a.sent + b.sent, 8);
    QCOMPARE(a.gate.queuedCount() + b.gate.queuedCount(), 0);
    QCOMPARE(a.gate.localFallbacks() + b.gate.localFallbacks(), quint64(8 - kBudget));
}

void tst_RedisBudget::rateLimitOnOneMachineHoldsTheOthers()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    Machine a(server.url(), &clock, 600);
    Machine b(server.url(), &clock, 600);
    QTRY_VERIFY(b.budget.isListening());
    QSignalSpy told(&b.budget, &SharedBudget::blockShared);

    // The provider answers one of a's requests with 429 and Retry-After: 42.
    a.gate.reportRateLimited(42);
    QTRY_COMPARE(told.count(), 1);
    // b fails at once, with the same sentence a person on machine a reads.
    b.submit();
    QCOMPARE(b.sent, 0);
    QCOMPARE(b.rejected.size(), 1);
    QCOMPARE(b.rejected.at(0).kind(), WeatherError::RateLimited);
    QCOMPARE(b.rejected.at(0).retryAfter(), 42);
    QCOMPARE(b.rejected.at(0).message(),
             u"Open-Meteo asked us to slow down; try again in 42 seconds."_s);

    // A machine started after the 429 missed the announcement: Redis still tells it.
    clock.advance(2'000);
    Machine c(server.url(), &clock, 600);
    c.submit();
    QTRY_COMPARE(c.rejected.size(), 1);
    QCOMPARE(c.sent, 0);
    QCOMPARE(c.rejected.at(0).kind(), WeatherError::RateLimited);
    // What is left of the block is the server's to say: its clock did not follow c's jump of
    // 2 s (a machine's clock moves no block).
    QVERIFY2(c.rejected.at(0).retryAfter() >= 40 && c.rejected.at(0).retryAfter() <= 42,
             qPrintable(QString::number(c.rejected.at(0).retryAfter())));
    // A later, shorter Retry-After does not shorten what holds.
    const QString blocked = QString::fromUtf8(RedisBudget::blockedKey(kProvider));
    c.gate.reportRateLimited(5);
    QTRY_VERIFY(c.settled());
    QVERIFY(server.cli({u"GET"_s, blocked}).endsWith(" rate-limited"));
    QVERIFY(server.cli({u"PTTL"_s, blocked}).toLongLong() > 30'000);

    // Once the Retry-After has passed (on the server too: ended by hand), every machine
    // sends again.
    clock.advance(42'000);
    server.cli({u"DEL"_s, blocked});
    a.submit();
    b.submit();
    c.submit();
    QTRY_COMPARE(a.sent + b.sent + c.sent, 3);
}

void tst_RedisBudget::killedRedisLeavesTheLocalBudget()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    Machine a(server.url(), &clock, 3);
    a.submit(1);
    QTRY_COMPARE(a.sent, 1);
    QCOMPARE(a.gate.sharedGrants(), 1u);

    server.kill();
    // Whatever was in flight is answered when the connection closes; after that at once.
    a.submit(4);
    QTRY_VERIFY(a.settled() && a.sent == 3);
    QCOMPARE(a.gate.queuedCount(), 2); // the local budget still holds: 3 a minute
    QVERIFY(a.rejected.isEmpty());
    QCOMPARE(a.gate.localFallbacks(), 2u);
    QVERIFY(!a.budget.isAvailable());
    // Nothing waits for Redis to come back.
    clock.advance(RequestGate::kWindowMs);
    QTRY_COMPARE(a.sent, 5);
    QVERIFY(a.rejected.isEmpty());

    // It comes back by itself, and the budget is shared again.
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    clock.advance(RedisConnection::kDefaultMaxRetryDelayMs);
    QTRY_VERIFY(a.budget.isAvailable());
    // Time stands still until both connections' handshakes are answered: moving the clock a
    // minute on while one is on the wire times it out (3 s) and sends a to the local budget.
    QTRY_VERIFY(a.budget.isListening() && a.budget.connection()->pendingCount() == 0
                && a.budget.subscriber()->pendingCount() == 0);
    clock.advance(RequestGate::kWindowMs);
    a.submit();
    QTRY_COMPARE(a.sent, 6);
    QCOMPARE(a.gate.sharedGrants(), 2u);
}

void tst_RedisBudget::frozenRedisIsWaitedForOneSecondAtMost()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    Machine a(server.url(), &clock, 600);
    a.submit();
    QTRY_COMPARE(a.sent, 1);
    // The server stops answering (SIGSTOP to its own PID) but keeps its connections open.
    QCOMPARE(::kill(pid_t(server.pid()), SIGSTOP), 0);
    a.submit();
    QVERIFY(a.gate.isAskingShared());
    clock.advance(RequestGate::kSharedAnswerTimeoutMs - 1);
    drainEvents();
    QCOMPARE(a.sent, 1);
    clock.advance(1);
    QCOMPARE(a.sent, 2); // on the local budget
    QCOMPARE(a.gate.localFallbacks(), 1u);
    QCOMPARE(::kill(pid_t(server.pid()), SIGCONT), 0);
    // Its late answer to the question given up on sends nothing more.
    QTRY_VERIFY(a.budget.connection()->pendingCount() == 0);
    drainEvents();
    QCOMPARE(a.sent, 2);
    QVERIFY(a.rejected.isEmpty());
}

void tst_RedisBudget::keysNameTheProviderAndSurviveAClear()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    QCOMPARE(RedisBudget::budgetKey(u"open-meteo"_s), "weatherdash:v1:budget:open-meteo");
    // Whatever a caller passes, only a plain name reaches the key.
    QCOMPARE(RedisBudget::blockedKey(u"OpenWeatherMap appid=0123 *"_s),
             "weatherdash:v1:blocked:openweathermapappid0123");
    Machine a(server.url(), &clock, 60);
    a.submit();
    a.gate.reportRateLimited(30);
    QTRY_COMPARE(server.cli({u"EXISTS"_s, QString::fromUtf8(RedisBudget::blockedKey(kProvider))}),
                 "1");
    // Clearing the shared cache leaves the budget and the block: it lifts no 429.
    RedisTier tier(testRedisUrl(server.url()), &clock);
    QVERIFY(awaitResult(tier.put(u"k"_s, {"v", clock.now(), 60'000, false})).ok());
    QVERIFY(awaitResult(tier.clear()).ok());
    QCOMPARE(server.cli({u"EXISTS"_s, u"weatherdash:v1:k"_s}), "0");
    QCOMPARE(server.cli({u"EXISTS"_s, QString::fromUtf8(RedisBudget::blockedKey(kProvider))}), "1");
    QCOMPARE(server.cli({u"EXISTS"_s, QString::fromUtf8(RedisBudget::budgetKey(kProvider))}), "1");
    QVERIFY(awaitResult(tier.list()).value.isEmpty());
}

void tst_RedisBudget::whatIsFoundInRedisIsCheckedAndClamped_data()
{
    QTest::addColumn<QStringList>("write"); // %1: the budget key, %2: the block key
    QTest::addColumn<int>("sent"); // of 3 requests, sent at once
    QTest::addColumn<int>("rejected"); // ... failed at once as rate-limited
    QTest::addColumn<int>("maxRetryAfter"); // s, of the rejections
    // The value that made the CLI run hundreds of thousands of scripts.
    QTest::newRow("block overflowing qint64")
        << QStringList{u"SET"_s, u"%2"_s, u"99999999999999999999999999 rate-limited"_s} << 0 << 3
        << 3600;
    QTest::newRow("block a year ahead, no TTL")
        << QStringList{u"SET"_s, u"%2"_s, u"%3 rate-limited"_s} << 0 << 3 << 3600;
    QTest::newRow("block of nonsense") << QStringList{u"SET"_s, u"%2"_s, u"soon"_s} << 3 << 0 << 0;
    QTest::newRow("block of another type")
        << QStringList{u"RPUSH"_s, u"%2"_s, u"x"_s} << 3 << 0 << 0;
    QTest::newRow("budget of another type")
        << QStringList{u"SET"_s, u"%1"_s, u"x"_s} << 3 << 0 << 0;
    // Slots stamped a year ahead: they would fill the window for a year.
    QTest::newRow("slots from the future")
        << QStringList{u"ZADD"_s, u"%1"_s, u"%3"_s, u"a"_s, u"%3"_s, u"b"_s, u"%3"_s, u"c"_s} << 3
        << 0 << 0;
}

void tst_RedisBudget::whatIsFoundInRedisIsCheckedAndClamped()
{
    REQUIRE_REDIS();
    QFETCH(QStringList, write);
    QFETCH(int, sent);
    QFETCH(int, rejected);
    QFETCH(int, maxRetryAfter);
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QString budgetKey = QString::fromUtf8(RedisBudget::budgetKey(kProvider));
    const QString blockKey = QString::fromUtf8(RedisBudget::blockedKey(kProvider));
    const QString yearAhead
        = QString::number(QDateTime::currentMSecsSinceEpoch() + 365LL * 24 * 3600 * 1000);
    for (QString &arg : write)
        arg.replace(u"%1"_s, budgetKey).replace(u"%2"_s, blockKey).replace(u"%3"_s, yearAhead);
    server.cli(write);
    ManualClock clock;
    Machine m(server.url(), &clock, 3);
    m.submit(3);
    QTRY_VERIFY(m.settled() && m.sent + m.rejected.size() + m.gate.queuedCount() == 3);
    drainEvents();
    QCOMPARE(m.sent, sent);
    QCOMPARE(m.rejected.size(), rejected);
    for (const WeatherError &e : std::as_const(m.rejected)) {
        QCOMPARE(e.kind(), WeatherError::RateLimited);
        QVERIFY2(e.retryAfter() > 0 && e.retryAfter() <= maxRetryAfter,
                 qPrintable(QString::number(e.retryAfter())));
    }
    QCOMPARE(m.gate.localFallbacks(), 0u); // Redis answered sensibly each time
    // And what was found does not stay for ever: every key of ours has a TTL now.
    for (const QString &key : {budgetKey, blockKey}) {
        const qint64 pttl = server.cli({u"PTTL"_s, key}).toLongLong();
        QVERIFY2(pttl == -2 || (pttl > 0 && pttl <= 3600'000), qPrintable(key));
    }
}

void tst_RedisBudget::aMachineWhoseClockRunsAheadQueuesNobody()
{
    // The budget once scored slots with each machine's clock: one an hour ahead filled the
    // window for an hour. Now the server's clock scores them.
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    ManualClock ahead;
    ahead.setNow(clock.now() + 3600'000);
    Machine fast(server.url(), &ahead, 3);
    Machine normal(server.url(), &clock, 3);
    fast.submit(2);
    QTRY_VERIFY(fast.settled() && fast.sent == 2);
    normal.submit(1);
    QTRY_VERIFY(normal.settled() && normal.sent == 1);
    const QString budgetKey = QString::fromUtf8(RedisBudget::budgetKey(kProvider));
    const QByteArray scores
        = server.cli({u"ZRANGE"_s, budgetKey, u"0"_s, u"-1"_s, u"WITHSCORES"_s});
    const qint64 realNow = QDateTime::currentMSecsSinceEpoch();
    const QList<QByteArray> parts = scores.split('\n');
    QCOMPARE(parts.size(), 6);
    for (int i = 1; i < parts.size(); i += 2)
        QVERIFY2(qAbs(parts.at(i).toLongLong() - realNow) < 60'000, scores.constData());
    // The fast machine's 429 holds the others for what it said, not an hour more.
    fast.gate.reportRateLimited(10);
    QTRY_VERIFY(fast.settled());
    const qint64 pttl
        = server.cli({u"PTTL"_s, QString::fromUtf8(RedisBudget::blockedKey(kProvider))})
              .toLongLong();
    QVERIFY2(pttl > 5'000 && pttl <= 10'000, qPrintable(QString::number(pttl)));
}

QTEST_GUILESS_MAIN(tst_RedisBudget)
#include "tst_redisbudget.moc"
