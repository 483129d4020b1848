// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "weather/requestgate.h"

#include <QDateTime>
#include <QTest>

#include <limits>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/** A shared budget that answers when the test says so (or at once, when told to). */
class FakeBudget : public SharedBudget
{
public:
    struct Ask
    {
        QString provider;
        int perMinute = 0;
        qint64 now = 0;
        Callback callback;
    };
    void acquire(const QString &provider, int perMinute, qint64 nowMs, Callback callback) override
    {
        ++acquires;
        if (answerAtOnce) {
            callback(*answerAtOnce);
            return;
        }
        asks.push_back({provider, perMinute, nowMs, std::move(callback)});
    }
    void shareBlock(const QString &provider, qint64 untilMs, qint64 nowMs) override
    {
        shared.append({provider, untilMs, nowMs});
    }
    /** Answers the oldest question. */
    void answer(Decision::Verdict verdict, qint64 untilMs = 0)
    {
        QVERIFY(!asks.empty());
        Ask ask = std::move(asks.front());
        asks.erase(asks.begin());
        ask.callback({verdict, untilMs, u"test"_s});
    }

    std::vector<Ask> asks;
    std::optional<Decision> answerAtOnce;
    int acquires = 0;
    struct Shared
    {
        QString provider;
        qint64 untilMs;
        qint64 nowMs;
    };
    QList<Shared> shared;
};

using Verdict = SharedBudget::Decision::Verdict;

} // namespace

class tst_RequestGate : public QObject
{
    Q_OBJECT

private:
    struct Log
    {
        QStringList sent;
        QList<WeatherError> rejected;
    };

    static void submit(RequestGate &gate, QObject *context, Log &log, const QString &name)
    {
        gate.submit(
            context, [&log, name] { log.sent << name; },
            [&log](const WeatherError &error) { log.rejected << error; });
    }

private Q_SLOTS:
    void budgetQueuesInOrderAndReleasesWhenTimeMoves();
    void windowSlides();
    void rateLimitFailsAtOnceUntilRetryAfter();
    void rateLimitWithoutRetryAfterHoldsAMinute();
    void rateLimitFailsQueuedRequests();
    void serverErrorsBackOffExponentiallyUpToFiveMinutes();
    void successEndsServerBackoffButNotRateLimit();
    void destroyedContextIsDropped();
    void absurdRetryAfterHoldsAtMostAnHour_data();
    void absurdRetryAfterHoldsAtMostAnHour();
    void serverErrorHonoursRetryAfter();
    void parseRetryAfter_data();
    void parseRetryAfter();
    // With a shared budget (another machine's requests count too).
    void sharedBudgetLetsRequestsGoInOrder();
    void sharedBudgetFullHoldsUntilItSaysSo();
    void eachRequestsWaitOnTheSharedBudgetIsBoundedFromItsOwnSubmission();
    void sharedAnswersThatMakeNoSenseArePacedAndBounded_data();
    void sharedAnswersThatMakeNoSenseArePacedAndBounded();
    void sharedBudgetUnavailableMeansTheLocalOneAtOnce();
    void silentSharedBudgetIsWaitedForOneSecondAtMost();
    void rateLimitIsSharedAndHeard();
    void sharedBlockFailsQueuedRequests();
    void gateGoneBeforeTheAnswerIsFine();
    void minimumIntervalSpacesRequests(); // Nominatim: one a second ("Here", issue 24)
};

void tst_RequestGate::budgetQueuesInOrderAndReleasesWhenTimeMoves()
{
    ManualClock clock;
    RequestGate gate(&clock, 3, u"Test"_s);
    Log log;
    for (int i = 1; i <= 5; ++i)
        submit(gate, this, log, QString::number(i));
    QCOMPARE(log.sent, (QStringList{u"1"_s, u"2"_s, u"3"_s}));
    QVERIFY(log.rejected.isEmpty()); // delayed, never failed
    QCOMPARE(gate.queuedCount(), 2);

    clock.advance(59'999);
    QCOMPARE(log.sent.size(), 3);
    clock.advance(1);
    QCOMPARE(log.sent, (QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s}));
    QCOMPARE(gate.queuedCount(), 0);
    QCOMPARE(gate.sentInWindow(), 2);
}

void tst_RequestGate::windowSlides()
{
    ManualClock clock;
    RequestGate gate(&clock, 2, u"Test"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    clock.advance(30'000);
    submit(gate, this, log, u"b"_s);
    submit(gate, this, log, u"c"_s);
    QCOMPARE(log.sent.size(), 2);
    clock.advance(30'000); // "a" leaves the window, "b" is still in it
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    submit(gate, this, log, u"d"_s);
    QCOMPARE(log.sent.size(), 3);
    QCOMPARE(gate.queuedCount(), 1);
}

void tst_RequestGate::minimumIntervalSpacesRequests()
{
    ManualClock clock;
    RequestGate gate(&clock, 60, u"Nominatim"_s);
    gate.setMinimumIntervalMs(1'000);
    Log log;
    submit(gate, this, log, u"a"_s);
    submit(gate, this, log, u"b"_s);
    submit(gate, this, log, u"c"_s);
    // The per-minute budget would let all three go; the spacing lets one.
    QCOMPARE(log.sent, QStringList{u"a"_s});
    QCOMPARE(gate.queuedCount(), 2);
    clock.advance(999);
    QCOMPARE(log.sent.size(), 1);
    clock.advance(1);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s}));
    clock.advance(1'000);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    // Long after the last one, a request goes at once.
    clock.advance(5'000);
    submit(gate, this, log, u"d"_s);
    QCOMPARE(log.sent.size(), 4);
    QCOMPARE(gate.minimumIntervalMs(), 1'000);
}

void tst_RequestGate::rateLimitFailsAtOnceUntilRetryAfter()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    Log log;
    gate.reportRateLimited(42);
    submit(gate, this, log, u"x"_s);
    QVERIFY(log.sent.isEmpty());
    QCOMPARE(log.rejected.size(), 1);
    QCOMPARE(log.rejected.at(0).kind(), WeatherError::RateLimited);
    QCOMPARE(log.rejected.at(0).retryAfter(), 42);
    QCOMPARE(log.rejected.at(0).message(),
             u"Open-Meteo asked us to slow down; try again in 42 seconds."_s);

    clock.advance(41'500);
    submit(gate, this, log, u"y"_s);
    QCOMPARE(log.rejected.size(), 2);
    QCOMPARE(log.rejected.at(1).retryAfter(), 1); // rounded up, never "0 seconds"

    clock.advance(500);
    submit(gate, this, log, u"z"_s);
    QCOMPARE(log.sent, QStringList{u"z"_s});
    QCOMPARE(gate.blockedUntil(), 0);
}

void tst_RequestGate::rateLimitWithoutRetryAfterHoldsAMinute()
{
    ManualClock clock;
    RequestGate gate(&clock, 60, u"Test"_s);
    gate.reportRateLimited(-1);
    QCOMPARE(gate.blockedUntil(), clock.now() + 60'000);
    QCOMPARE(gate.blockedError()->retryAfter(), 60);
}

void tst_RequestGate::rateLimitFailsQueuedRequests()
{
    ManualClock clock;
    RequestGate gate(&clock, 1, u"Test"_s);
    Log log;
    submit(gate, this, log, u"sent"_s);
    submit(gate, this, log, u"queued"_s);
    QCOMPARE(gate.queuedCount(), 1);
    gate.reportRateLimited(10);
    QCOMPARE(gate.queuedCount(), 0);
    QCOMPARE(log.sent, QStringList{u"sent"_s});
    QCOMPARE(log.rejected.size(), 1);
    QCOMPARE(log.rejected.at(0).kind(), WeatherError::RateLimited);
}

void tst_RequestGate::serverErrorsBackOffExponentiallyUpToFiveMinutes()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Test"_s);
    const QList<int> expected{2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
    QList<int> seen;
    for (int i = 0; i < expected.size(); ++i) {
        gate.reportServerError();
        const auto error = gate.blockedError();
        QVERIFY(error);
        QCOMPARE(error->kind(), WeatherError::ServerError);
        seen << error->retryAfter();
        clock.advance(qint64(error->retryAfter()) * 1000);
        QVERIFY(!gate.blockedError());
    }
    QCOMPARE(seen, expected);

    gate.reportSuccess();
    gate.reportServerError();
    QCOMPARE(gate.blockedError()->retryAfter(), 2);
}

void tst_RequestGate::successEndsServerBackoffButNotRateLimit()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Test"_s);
    gate.reportServerError();
    QVERIFY(gate.blockedError());
    gate.reportSuccess(); // an answer that was already in flight came back fine
    QVERIFY(!gate.blockedError());

    gate.reportRateLimited(30);
    gate.reportSuccess();
    QVERIFY(gate.blockedError());
    QCOMPARE(gate.blockedError()->kind(), WeatherError::RateLimited);
    // A 5xx with a shorter backoff does not shorten the rate limit.
    gate.reportServerError();
    QCOMPARE(gate.blockedError()->kind(), WeatherError::RateLimited);
    QCOMPARE(gate.blockedError()->retryAfter(), 30);
}

void tst_RequestGate::destroyedContextIsDropped()
{
    ManualClock clock;
    RequestGate gate(&clock, 1, u"Test"_s);
    Log log;
    submit(gate, this, log, u"first"_s);
    {
        QObject context;
        submit(gate, &context, log, u"gone"_s);
    }
    submit(gate, this, log, u"kept"_s);
    clock.advance(60'000);
    QCOMPARE(log.sent, (QStringList{u"first"_s, u"kept"_s}));
    QVERIFY(log.rejected.isEmpty());
}

void tst_RequestGate::absurdRetryAfterHoldsAtMostAnHour_data()
{
    QTest::addColumn<bool>("rateLimited");
    QTest::newRow("429") << true;
    QTest::newRow("503") << false;
}

void tst_RequestGate::absurdRetryAfterHoldsAtMostAnHour()
{
    QFETCH(bool, rateLimited);
    ManualClock clock;
    RequestGate gate(&clock, 60, u"Test"_s);
    const int asked = RequestGate::parseRetryAfter("99999999", clock.now());
    if (rateLimited)
        gate.reportRateLimited(asked);
    else
        gate.reportServerError(asked);
    QCOMPARE(gate.blockedUntil(), clock.now() + qint64(RequestGate::kMaxBlockSeconds) * 1000);
    clock.advance(qint64(RequestGate::kMaxBlockSeconds) * 1000 - 1);
    QVERIFY(gate.blockedError());
    clock.advance(1);
    QVERIFY(!gate.blockedError());
    Log log;
    submit(gate, this, log, u"after an hour"_s);
    QCOMPARE(log.sent, QStringList{u"after an hour"_s});
}

void tst_RequestGate::serverErrorHonoursRetryAfter()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Test"_s);
    gate.reportServerError(120);
    QCOMPARE(gate.blockedError()->kind(), WeatherError::ServerError);
    QCOMPARE(gate.blockedError()->retryAfter(), 120);
    clock.advance(119'999);
    QVERIFY(gate.blockedError());
    clock.advance(1);
    QVERIFY(!gate.blockedError());
    // Without Retry-After the backoff goes on from where the count stands (second failure: 4 s).
    gate.reportServerError();
    QCOMPARE(gate.blockedError()->retryAfter(), 4);
}

void tst_RequestGate::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("seconds");
    const qint64 now = 1'700'000'000'000;
    auto date = [now](qint64 offsetMs) {
        return QDateTime::fromMSecsSinceEpoch(now + offsetMs, Qt::UTC)
            .toString(Qt::RFC2822Date)
            .toLatin1();
    };
    QTest::newRow("delta seconds") << QByteArray("120") << 120;
    QTest::newRow("zero") << QByteArray("0") << 0;
    QTest::newRow("spaces around") << QByteArray("  7 ") << 7;
    QTest::newRow("absent") << QByteArray() << -1;
    QTest::newRow("words") << QByteArray("soon") << -1;
    QTest::newRow("negative") << QByteArray("-5") << -1;
    QTest::newRow("absurdly large is capped at a week")
        << QByteArray("99999999") << RequestGate::kMaxRetryAfterSeconds;
    QTest::newRow("too many digits for 64 bits is capped too")
        << QByteArray("99999999999999999999999") << RequestGate::kMaxRetryAfterSeconds;
    QTest::newRow("fraction is unreadable") << QByteArray("1.5") << -1;
    QTest::newRow("HTTP-date in ten years is capped")
        << date(10LL * 365 * 24 * 3600 * 1000) << RequestGate::kMaxRetryAfterSeconds;
    QTest::newRow("HTTP-date in 90 s") << date(90'000) << 90;
    QTest::newRow("HTTP-date in the past") << date(-90'000) << 0;
    QTest::newRow("HTTP-date literal") << QByteArray("Tue, 14 Nov 2023 22:14:20 GMT") << 60;
}

void tst_RequestGate::parseRetryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(int, seconds);
    QCOMPARE(RequestGate::parseRetryAfter(header, 1'700'000'000'000), seconds);
}

void tst_RequestGate::sharedBudgetLetsRequestsGoInOrder()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    submit(gate, this, log, u"b"_s);
    QVERIFY(log.sent.isEmpty()); // asked first
    QCOMPARE(budget.asks.size(), size_t(1)); // one question at a time
    QCOMPARE(budget.asks.front().provider, u"open-meteo"_s);
    QCOMPARE(budget.asks.front().perMinute, 600);
    QCOMPARE(budget.asks.front().now, clock.now());
    budget.answer(Verdict::Granted);
    QCOMPARE(log.sent, QStringList{u"a"_s});
    QCOMPARE(budget.asks.size(), size_t(1));
    budget.answer(Verdict::Granted);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s}));
    QCOMPARE(gate.sharedGrants(), 2u);
    QCOMPARE(gate.localFallbacks(), 0u);
}

void tst_RequestGate::sharedBudgetFullHoldsUntilItSaysSo()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    budget.answer(Verdict::Wait, clock.now() + 3'000); // the other machines took every slot
    QVERIFY(budget.asks.empty());
    clock.advance(2'999);
    QVERIFY(budget.asks.empty());
    QVERIFY(log.sent.isEmpty());
    QVERIFY(log.rejected.isEmpty()); // waiting, not failed
    clock.advance(1);
    QCOMPARE(budget.asks.size(), size_t(1)); // asked again
    budget.answer(Verdict::Granted);
    QCOMPARE(log.sent, QStringList{u"a"_s});
    // A wait of an hour is someone's clock gone wrong: the request goes on the local budget
    // after kMaxSharedWaitMs, without asking again meanwhile.
    submit(gate, this, log, u"b"_s);
    budget.answer(Verdict::Wait, clock.now() + 3'600'000);
    clock.advance(RequestGate::kMaxSharedWaitMs - 1);
    QCOMPARE(log.sent.size(), 1);
    QVERIFY(budget.asks.empty());
    clock.advance(1);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s}));
    QCOMPARE(gate.localFallbacks(), quint64(1));
}

void tst_RequestGate::eachRequestsWaitOnTheSharedBudgetIsBoundedFromItsOwnSubmission()
{
    // Two requests wait on a full shared budget; a grant just before the bound lets the first
    // go. The second has waited as long: it must not start a new wait of its own then.
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    submit(gate, this, log, u"b"_s);
    budget.answer(Verdict::Wait, clock.now() + RequestGate::kMaxSharedWaitMs - 100);
    clock.advance(RequestGate::kMaxSharedWaitMs - 100);
    QVERIFY(log.sent.isEmpty());
    QCOMPARE(budget.asks.size(), size_t(1)); // asked again when told to: a slot came free
    budget.answer(Verdict::Granted);
    QCOMPARE(log.sent, QStringList{u"a"_s});
    budget.answer(Verdict::Wait, clock.now() + 3'600'000); // "b" asks and is told to wait
    clock.advance(100);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s})); // b's own kMaxSharedWaitMs is over
}

void tst_RequestGate::sharedAnswersThatMakeNoSenseArePacedAndBounded_data()
{
    QTest::addColumn<int>("verdict");
    QTest::addColumn<qint64>("offset"); // untilMs relative to now; kMin/kMax: absolute
    QTest::newRow("wait until now") << int(Verdict::Wait) << qint64(0);
    QTest::newRow("wait in the past") << int(Verdict::Wait) << qint64(-60'000);
    QTest::newRow("wait 1 ms") << int(Verdict::Wait) << qint64(1);
    QTest::newRow("blocked until now") << int(Verdict::Blocked) << qint64(0);
    QTest::newRow("blocked overflowed negative")
        << int(Verdict::Blocked) << std::numeric_limits<qint64>::min();
}

void tst_RequestGate::sharedAnswersThatMakeNoSenseArePacedAndBounded()
{
    // The CLI once ran hundreds of thousands of scripts a second against such answers.
    QFETCH(int, verdict);
    QFETCH(qint64, offset);
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    const qint64 until
        = offset == std::numeric_limits<qint64>::min() ? offset : clock.now() + offset;
    budget.answerAtOnce = SharedBudget::Decision{Verdict(verdict), until, u"nonsense"_s};
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    QCOMPARE(budget.acquires, 1);
    QVERIFY(log.rejected.isEmpty());
    for (qint64 t = 0; t < RequestGate::kMaxSharedWaitMs - 10; t += 10)
        clock.advance(10);
    QVERIFY(log.sent.isEmpty());
    // At most one question per kSharedRetryMinMs, and the request waited no longer than
    // kMaxSharedWaitMs: then it went on the local budget.
    QVERIFY2(budget.acquires <= 1 + RequestGate::kMaxSharedWaitMs / RequestGate::kSharedRetryMinMs,
             qPrintable(QString::number(budget.acquires)));
    QVERIFY(budget.acquires >= 2); // it did ask again
    clock.advance(10);
    QCOMPARE(log.sent, QStringList{u"a"_s});
    QVERIFY(log.rejected.isEmpty());
}

void tst_RequestGate::sharedBudgetUnavailableMeansTheLocalOneAtOnce()
{
    ManualClock clock;
    RequestGate gate(&clock, 2, u"Open-Meteo"_s);
    FakeBudget budget;
    budget.answerAtOnce = SharedBudget::Decision{Verdict::Unavailable, 0, u"down"_s};
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    for (const QString &name : {u"a"_s, u"b"_s, u"c"_s})
        submit(gate, this, log, name);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s})); // at once, within the local budget
    QCOMPARE(gate.queuedCount(), 1);
    QCOMPARE(gate.localFallbacks(), 2u);
    clock.advance(RequestGate::kWindowMs);
    QCOMPARE(log.sent.size(), 3);
}

void tst_RequestGate::silentSharedBudgetIsWaitedForOneSecondAtMost()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    clock.advance(RequestGate::kSharedAnswerTimeoutMs - 1);
    QVERIFY(log.sent.isEmpty());
    clock.advance(1);
    QCOMPARE(log.sent, QStringList{u"a"_s});
    QCOMPARE(gate.localFallbacks(), 1u);
    // The answer that comes late sends nothing more, and the next request asks anew.
    budget.answer(Verdict::Granted);
    submit(gate, this, log, u"b"_s);
    QCOMPARE(log.sent, QStringList{u"a"_s});
    QCOMPARE(budget.asks.size(), size_t(1));
    budget.answer(Verdict::Granted);
    QCOMPARE(log.sent, (QStringList{u"a"_s, u"b"_s}));
}

void tst_RequestGate::rateLimitIsSharedAndHeard()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    gate.reportRateLimited(42);
    QCOMPARE(budget.shared.size(), 1);
    QCOMPARE(budget.shared.at(0).provider, u"open-meteo"_s);
    QCOMPARE(budget.shared.at(0).untilMs, clock.now() + 42'000);
    QCOMPARE(budget.shared.at(0).nowMs, clock.now());

    clock.advance(42'000);
    QVERIFY(!gate.blockedError());
    // Another provider's block is not ours; ours is, with the same sentence.
    Q_EMIT budget.blockShared(u"openweathermap"_s, clock.now() + 60'000);
    QVERIFY(!gate.blockedError());
    Q_EMIT budget.blockShared(u"open-meteo"_s, clock.now() + 30'000);
    QVERIFY(gate.blockedError());
    QCOMPARE(gate.blockedError()->kind(), WeatherError::RateLimited);
    QCOMPARE(gate.blockedError()->message(),
             u"Open-Meteo asked us to slow down; try again in 30 seconds."_s);
    QCOMPARE(budget.shared.size(), 1); // heard, not shared again
    // Nor held beyond an hour, whatever another machine says.
    Q_EMIT budget.blockShared(u"open-meteo"_s, clock.now() + 10LL * 3'600'000);
    QCOMPARE(gate.blockedUntil(), clock.now() + qint64(RequestGate::kMaxBlockSeconds) * 1000);
}

void tst_RequestGate::sharedBlockFailsQueuedRequests()
{
    ManualClock clock;
    RequestGate gate(&clock, 600, u"Open-Meteo"_s);
    FakeBudget budget;
    gate.setSharedBudget(&budget, u"open-meteo"_s);
    Log log;
    submit(gate, this, log, u"a"_s);
    submit(gate, this, log, u"b"_s);
    budget.answer(Verdict::Blocked, clock.now() + 20'000); // a machine that heard a 429
    QVERIFY(log.sent.isEmpty());
    QCOMPARE(log.rejected.size(), 2);
    QCOMPARE(log.rejected.at(0).kind(), WeatherError::RateLimited);
    QCOMPARE(log.rejected.at(0).retryAfter(), 20);
    QCOMPARE(gate.queuedCount(), 0);
    submit(gate, this, log, u"c"_s); // fails at once now, without asking
    QCOMPARE(log.rejected.size(), 3);
    QVERIFY(budget.asks.empty());
}

void tst_RequestGate::gateGoneBeforeTheAnswerIsFine()
{
    ManualClock clock;
    FakeBudget budget;
    Log log;
    {
        RequestGate gate(&clock, 600, u"Open-Meteo"_s);
        gate.setSharedBudget(&budget, u"open-meteo"_s);
        submit(gate, this, log, u"a"_s);
    }
    budget.answer(Verdict::Granted);
    QVERIFY(log.sent.isEmpty());
}

QTEST_GUILESS_MAIN(tst_RequestGate)
#include "tst_requestgate.moc"
