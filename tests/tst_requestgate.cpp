// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "weather/requestgate.h"

#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;

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

QTEST_GUILESS_MAIN(tst_RequestGate)
#include "tst_requestgate.moc"
