// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "cache/layeredcache.h"
#include "futurewait.h"
#include "redisserver.h"
#include "store/redisconnection.h"
#include "store/redistier.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <numeric>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kConnectTimeoutMs = 5'000;
constexpr qint64 kCommandTimeoutMs = 3'000;
// "At once": an answer that needs no network round trip or timeout comes this fast.
constexpr int kQuickMs = 2'000;

/** Every message logged while it exists (to look for a password in them). */
class LogCapture
{
public:
    LogCapture()
    {
        s_self = this;
        // Everything the tier could say, debug lines included.
        QLoggingCategory::setFilterRules(u"weatherdash.*=true"_s);
        m_previous = qInstallMessageHandler(
            [](QtMsgType type, const QMessageLogContext &context, const QString &message) {
                {
                    QMutexLocker lock(&s_self->m_mutex);
                    s_self->m_lines.append(message);
                }
                s_self->m_previous(type, context, message);
            });
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
        s_self = nullptr;
    }
    QString all()
    {
        QMutexLocker lock(&m_mutex);
        return m_lines.join(u'\n');
    }

private:
    static inline LogCapture *s_self = nullptr;
    QtMessageHandler m_previous = nullptr;
    QMutex m_mutex;
    QStringList m_lines;
};

/** A TCP server that is not Redis: answers every read with `answer` (empty: stays silent). */
class FakeServer : public QObject
{
public:
    explicit FakeServer(QByteArray answer, QByteArray pong = {})
        : m_answer(std::move(answer))
        , m_pong(std::move(pong))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                QObject::connect(s, &QTcpSocket::disconnected, this, [this] { ++disconnects; });
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    const QByteArray in = s->readAll();
                    // Optionally play Redis for the handshake's PING, then misbehave.
                    if (!m_pong.isEmpty() && in.contains("PING"))
                        s->write(m_pong);
                    else if (!m_answer.isEmpty())
                        s->write(m_answer);
                });
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return u"redis://127.0.0.1:%1/0"_s.arg(port()); }

    int connections = 0;
    int disconnects = 0;

private:
    QTcpServer m_server;
    QByteArray m_answer;
    QByteArray m_pong;
};

/**
 * Handles what is already queued (socket signals, queued calls) without waiting for real time:
 * for checking that nothing happens before the clock says so.
 */
void drainEvents()
{
    for (int i = 0; i < 10; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

std::unique_ptr<RedisTier> makeTier(const QString &url, Clock *clock)
{
    auto tier = std::make_unique<RedisTier>(testRedisUrl(url), clock);
    tier->setTimeouts(kConnectTimeoutMs, kCommandTimeoutMs);
    return tier;
}

} // namespace

class tst_RedisTier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void roundTripKeepsAges();
    void pipelinedAnswersComeInOrder();
    void clearLeavesForeignKeysAlone();
    void lifetimeInRedisIsTtlPlusStaleHorizon();
    void foreignValuesUnderOurPrefixReadAsAbsent();
    void wrongPasswordSaysSoWithoutThePassword();
    void userAndPasswordLogIn();
    void killedServerAnswersAtOnceAndComesBack();
    void fullServerSaysItIsFull();
    void garbageServer_data();
    void garbageServer();
    void silentServerTimesOutOnTheClock();
    void silentAfterHandshakeTimesOutOnTheClock();
    void unixSocket();
    void leasesAndLandings();
    void heldLeaseIsRenewedUntilGivenBack();
    void leaseKeyWithoutTtlOrOfAnotherTypeGetsOne_data();
    void leaseKeyWithoutTtlOrOfAnotherTypeGetsOne();
    void entryFromAClockAnHourAheadIsLoadedAgain();
    void callbackFormsAnswerInOrderWithTheFutures();
    void callbackFormsWaitForClearAndHearClosed();
    void callbackFormsAnswerAtOnceWhileDown();
    void cacheGoneBeforeTheCallbackAnswers();
    void repliesAcrossManyReadsArriveWhole();
};

void tst_RedisTier::roundTripKeepsAges()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QCOMPARE(tier->name(), u"shared"_s);

    const TierEntry entry{"payload \0 with a zero"_ba, clock.now() - 5 * kMinute, 10 * kMinute,
                          false};
    const TierEntry negative{"not found", clock.now() - kMinute, 2 * kMinute, true};
    QVERIFY(awaitResult(tier->put(u"current/48.85,2.35"_s, entry)).ok());
    QVERIFY(awaitResult(tier->put(u"geocode/nowhere"_s, negative)).ok());
    QTRY_VERIFY(tier->isAvailable());

    // Another machine, another tier: the same entries with the same load times (ages).
    ManualClock otherClock(clock.now() + 3 * kMinute);
    auto other = makeTier(server.url(), &otherClock);
    const TierGetResult got = awaitResult(other->get(u"current/48.85,2.35"_s));
    QVERIFY2(got.ok(), qPrintable(got.error));
    QVERIFY(got.value);
    QCOMPARE(*got.value, entry);
    QCOMPARE(*awaitResult(other->get(u"geocode/nowhere"_s)).value, negative);
    const TierGetResult absent = awaitResult(other->get(u"nope"_s));
    QVERIFY(absent.ok());
    QVERIFY(!absent.value);

    TierListResult listed = awaitResult(other->list());
    QVERIFY(listed.ok());
    std::sort(listed.value.begin(), listed.value.end(),
              [](const TierRecord &a, const TierRecord &b) { return a.key < b.key; });
    QCOMPARE(listed.value, (QList<TierRecord>{{u"current/48.85,2.35"_s, entry},
                                              {u"geocode/nowhere"_s, negative}}));

    QVERIFY(awaitResult(other->remove(u"current/48.85,2.35"_s)).ok());
    QVERIFY(!awaitResult(tier->get(u"current/48.85,2.35"_s)).value); // removed everywhere
    QVERIFY(awaitResult(tier->remove(u"never-there"_s)).ok());
    QVERIFY(awaitResult(tier->clear()).ok());
    QVERIFY(awaitResult(other->list()).value.isEmpty());
}

void tst_RedisTier::pipelinedAnswersComeInOrder()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    constexpr int kCount = 2000;
    // All asked before the first answer: puts, then a get of each.
    QList<QFuture<TierDoneResult>> puts;
    QList<QFuture<TierGetResult>> gets;
    for (int i = 0; i < kCount; ++i)
        puts.append(tier->put(u"k%1"_s.arg(i), {QByteArray::number(i), clock.now(), kHour, false}));
    for (int i = 0; i < kCount; ++i)
        gets.append(tier->get(u"k%1"_s.arg(i)));
    for (int i = 0; i < kCount; ++i) {
        QVERIFY(awaitResult(puts[i]).ok());
        const TierGetResult g = awaitResult(gets[i]);
        QVERIFY2(g.ok(), qPrintable(g.error));
        QCOMPARE(g.value->value, QByteArray::number(i));
    }
    QCOMPARE(server.cli({u"DBSIZE"_s}), QByteArray::number(kCount));
}

void tst_RedisTier::clearLeavesForeignKeysAlone()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QCOMPARE(server.cli({u"SET"_s, u"someone:else"_s, u"theirs"_s}), "OK");
    QCOMPARE(server.cli({u"SET"_s, u"weatherdash:v2:later"_s, u"a later version"_s}), "OK");
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    constexpr int kCount = 1300; // more than two SCAN batches
    QList<QFuture<TierDoneResult>> puts;
    for (int i = 0; i < kCount; ++i)
        puts.append(tier->put(u"k%1"_s.arg(i), {"v", clock.now(), kHour, false}));
    for (auto &p : puts)
        QVERIFY(awaitResult(p).ok());
    QCOMPARE(awaitResult(tier->list()).value.size(), kCount);

    // Asked right after clear(), before it has finished its batches: they come after it.
    QFuture<TierDoneResult> cleared = tier->clear();
    QFuture<TierGetResult> oldOne = tier->get(u"k7"_s);
    QFuture<TierDoneResult> newOne = tier->put(u"after"_s, {"new", clock.now(), kHour, false});
    QVERIFY(awaitResult(cleared).ok());
    QVERIFY(awaitResult(oldOne).ok());
    QVERIFY(!awaitResult(oldOne).value);
    QVERIFY(awaitResult(newOne).ok());
    QCOMPARE(awaitResult(tier->get(u"after"_s)).value->value, "new");

    QCOMPARE(server.cli({u"DBSIZE"_s}), "3");
    QCOMPARE(server.cli({u"GET"_s, u"someone:else"_s}), "theirs");
    QCOMPARE(server.cli({u"GET"_s, u"weatherdash:v2:later"_s}), "a later version");
}

void tst_RedisTier::lifetimeInRedisIsTtlPlusStaleHorizon()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QCOMPARE(tier->staleHorizon(), RedisTier::kDefaultStaleHorizonMs);
    tier->setStaleHorizon(kHour);

    auto pttl = [&](const QString &key) {
        return server.cli({u"PTTL"_s, QString::fromUtf8(RedisTier::redisKey(key))}).toLongLong();
    };
    // Loaded now, 10 minutes: Redis keeps it 10 minutes + the hour.
    QVERIFY(awaitResult(tier->put(u"fresh"_s, {"f", clock.now(), 10 * kMinute, false})).ok());
    QVERIFY(pttl(u"fresh"_s) <= 70 * kMinute);
    QVERIFY(pttl(u"fresh"_s) > 70 * kMinute - 10'000);
    // Loaded 30 minutes ago with 10 minutes: 40 minutes are left of its horizon.
    QVERIFY(
        awaitResult(tier->put(u"older"_s, {"o", clock.now() - 30 * kMinute, 10 * kMinute, false}))
            .ok());
    QVERIFY(pttl(u"older"_s) <= 40 * kMinute);
    QVERIFY(pttl(u"older"_s) > 40 * kMinute - 10'000);
    // A year: capped.
    QVERIFY(awaitResult(tier->put(u"forever"_s, {"y", clock.now(), 365 * 24 * kHour, false})).ok());
    QVERIFY(pttl(u"forever"_s) <= RedisTier::kMaxLifetimeMs);
    QVERIFY(pttl(u"forever"_s) > RedisTier::kMaxLifetimeMs - 10'000);
    // Past its horizon already: not stored, and what was there is gone (it was older still).
    QVERIFY(
        awaitResult(tier->put(u"fresh"_s, {"g", clock.now() - 3 * kHour, kMinute, false})).ok());
    QCOMPARE(pttl(u"fresh"_s), qint64(-2)); // no such key
    QVERIFY(!awaitResult(tier->get(u"fresh"_s)).value);
}

void tst_RedisTier::foreignValuesUnderOurPrefixReadAsAbsent()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QString key = QString::fromUtf8(RedisTier::redisKey(u"k"_s));
    QCOMPARE(server.cli({u"SET"_s, key, u"written by hand"_s}), "OK");
    QCOMPARE(server.cli({u"RPUSH"_s, QString::fromUtf8(RedisTier::redisKey(u"list"_s)), u"x"_s}),
             "1");
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    const TierGetResult got = awaitResult(tier->get(u"k"_s));
    QVERIFY(got.ok());
    QVERIFY(!got.value);
    const TierListResult listed = awaitResult(tier->list());
    QVERIFY2(listed.ok(), qPrintable(listed.error));
    QVERIFY(listed.value.isEmpty());
    // A key of the wrong type is no entry of ours: absent, not a failing shared cache (which
    // would warn on every screen), and a put() replaces it.
    const TierGetResult wrongType = awaitResult(tier->get(u"list"_s));
    QVERIFY2(wrongType.ok(), qPrintable(wrongType.error));
    QVERIFY(!wrongType.value);
    QVERIFY(awaitResult(tier->put(u"list"_s, {"v", clock.now(), 60'000, false})).ok());
    QCOMPARE(awaitResult(tier->get(u"list"_s)).value->value, QByteArray("v"));
}

void tst_RedisTier::wrongPasswordSaysSoWithoutThePassword()
{
    REQUIRE_REDIS();
    LogCapture logs;
    RedisServer server;
    QVERIFY2(server.start({u"--requirepass"_s, u"Right-Pa55"_s}), qPrintable(server.errorString()));
    ManualClock clock;
    const QString wrongUrl = u"redis://:Wr0ng-Pa55@127.0.0.1:%1/0"_s.arg(server.port());
    auto tier = makeTier(wrongUrl, &clock);
    QSignalSpy status(tier.get(), &RedisTier::statusChanged);
    const TierDoneResult put = awaitResult(tier->put(u"k"_s, {"v", clock.now(), kHour, false}));
    QVERIFY(!put.ok());
    QVERIFY2(put.error.contains(u"refused the user or password"_s), qPrintable(put.error));
    QVERIFY(!put.error.contains(u"Wr0ng-Pa55"_s));
    QTRY_COMPARE(status.count(), 1);
    QCOMPARE(status.at(0).at(0).toBool(), false);
    QCOMPARE(status.at(0).at(1).toString(), put.error);
    QVERIFY(!tier->isAvailable());
    QCOMPARE(tier->lastError(), put.error);
    // Later requests answer at once, with the same reason.
    QFuture<TierGetResult> later = tier->get(u"k"_s);
    QVERIFY(later.isFinished());
    QCOMPARE(later.result().error, put.error);
    QVERIFY(!tier->name().contains(u"Wr0ng"_s));
    QVERIFY(!tier->address().contains(u"Wr0ng"_s));

    // No password where one is needed, and one where none is set: each says what to do.
    auto none = makeTier(server.url(), &clock);
    const TierGetResult noAuth = awaitResult(none->get(u"k"_s));
    QVERIFY2(noAuth.error.contains(u"needs a password"_s), qPrintable(noAuth.error));
    RedisServer open;
    QVERIFY2(open.start(), qPrintable(open.errorString()));
    auto extra = makeTier(u"redis://:Wr0ng-Pa55@127.0.0.1:%1"_s.arg(open.port()), &clock);
    const TierGetResult needless = awaitResult(extra->get(u"k"_s));
    QVERIFY2(needless.error.contains(u"has no password"_s), qPrintable(needless.error));
    QVERIFY(!needless.error.contains(u"Wr0ng"_s));

    // The right one works.
    auto right = makeTier(u"redis://:Right-Pa55@127.0.0.1:%1/0"_s.arg(server.port()), &clock);
    QVERIFY(awaitResult(right->put(u"k"_s, {"v", clock.now(), kHour, false})).ok());
    QCOMPARE(awaitResult(right->get(u"k"_s)).value->value, "v");

    QVERIFY(!logs.all().contains(u"Wr0ng-Pa55"_s));
    QVERIFY(!logs.all().contains(u"Right-Pa55"_s));
}

void tst_RedisTier::userAndPasswordLogIn()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start({u"--user"_s, u"alice"_s, u"on"_s, u">alice-Pw"_s, u"~*"_s, u"&*"_s,
                           u"+@all"_s, u"--requirepass"_s, u"default-Pw"_s}),
             qPrintable(server.errorString()));
    ManualClock clock;
    auto alice = makeTier(u"redis://alice:alice-Pw@127.0.0.1:%1/2"_s.arg(server.port()), &clock);
    QVERIFY(awaitResult(alice->put(u"k"_s, {"v", clock.now(), kHour, false})).ok());
    // SELECT 2 took effect: the entry is in database 2, not 0.
    QCOMPARE(server.cli({u"-n"_s, u"2"_s, u"DBSIZE"_s}, u"default-Pw"_s), "1");
    QCOMPARE(server.cli({u"-n"_s, u"0"_s, u"DBSIZE"_s}, u"default-Pw"_s), "0");
    auto mallory = makeTier(u"redis://alice:guess@127.0.0.1:%1/2"_s.arg(server.port()), &clock);
    const TierGetResult refused = awaitResult(mallory->get(u"k"_s));
    QVERIFY2(refused.error.contains(u"refused the user or password"_s), qPrintable(refused.error));
    QVERIFY(!refused.error.contains(u"guess"_s));
}

void tst_RedisTier::killedServerAnswersAtOnceAndComesBack()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QSignalSpy status(tier.get(), &RedisTier::statusChanged);
    QVERIFY(awaitResult(tier->put(u"k"_s, {"v", clock.now(), kHour, false})).ok());
    QTRY_COMPARE(status.count(), 1);
    QCOMPARE(status.at(0).at(0).toBool(), true);

    server.kill();
    // The closed connection is noticed without any timeout running out.
    const TierGetResult during = awaitResult(tier->get(u"k"_s), kQuickMs);
    QVERIFY(!during.ok());
    const QString prefix
        = u"The shared cache at 127.0.0.1:%1 is not reachable: "_s.arg(server.port());
    QVERIFY2(during.error.startsWith(prefix), qPrintable(during.error));
    QTRY_COMPARE(status.count(), 2);
    QCOMPARE(status.at(1).at(0).toBool(), false);
    // While it is down: answered at once, nothing queues.
    for (int i = 0; i < 100; ++i) {
        QFuture<TierDoneResult> put = tier->put(u"k%1"_s.arg(i), {"v", clock.now(), kHour, false});
        QVERIFY(put.isFinished());
        QVERIFY(put.result().error.startsWith(prefix));
    }

    // Back on the same port; the next attempt is due after the back-off, on the clock.
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(!tier->isAvailable());
    clock.advance(RedisConnection::kDefaultRetryDelayMs);
    QTRY_VERIFY(tier->isAvailable());
    QCOMPARE(status.last().at(0).toBool(), true);
    QVERIFY(!awaitResult(tier->get(u"k"_s)).value); // it kept nothing (no persistence)
    QVERIFY(awaitResult(tier->put(u"k"_s, {"again", clock.now(), kHour, false})).ok());
    QCOMPARE(awaitResult(tier->get(u"k"_s)).value->value, "again");

    // Down again: attempts back off (0.5 s, 1 s, 2 s…); the first one after a restart works.
    const RedisConnection *connection = tier->connection();
    server.kill();
    QTRY_VERIFY(connection->state() == RedisConnection::State::Disconnected);
    const quint64 attempts = connection->attempts();
    clock.advance(500); // refused
    QCOMPARE(connection->attempts(), attempts + 1);
    QTRY_VERIFY(connection->state() == RedisConnection::State::Disconnected);
    clock.advance(999); // not due yet: 1 s after the last
    drainEvents();
    QCOMPARE(connection->attempts(), attempts + 1);
    clock.advance(1); // refused
    QCOMPARE(connection->attempts(), attempts + 2);
    QTRY_VERIFY(connection->state() == RedisConnection::State::Disconnected);
    QVERIFY(tier->lastError().startsWith(prefix));
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    clock.advance(1000); // not due yet: 2 s after the last
    drainEvents();
    QCOMPARE(connection->attempts(), attempts + 2);
    QVERIFY(!tier->isAvailable());
    clock.advance(1000);
    QTRY_VERIFY(tier->isAvailable());
    QCOMPARE(connection->attempts(), attempts + 3);
}

void tst_RedisTier::fullServerSaysItIsFull()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start({u"--maxmemory"_s, u"1mb"_s, u"--maxmemory-policy"_s, u"noeviction"_s}),
             qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    // 1 MB, of which Redis itself takes some 900 kB: a few entries of 16 kB fill it.
    const QByteArray big(16 * 1024, 'x');
    QString error;
    int stored = 0;
    for (int i = 0; i < 200 && error.isEmpty(); ++i) {
        const TierDoneResult r
            = awaitResult(tier->put(u"big%1"_s.arg(i), {big, clock.now(), kHour, false}));
        if (r.ok())
            ++stored;
        error = r.error;
    }
    QVERIFY2(error.contains(u"is full"_s), qPrintable(error));
    QVERIFY(error.startsWith(u"The shared cache at 127.0.0.1:"_s));
    // Reads go on; the connection stays.
    QVERIFY(tier->isAvailable());
    const TierGetResult read = awaitResult(tier->get(u"big0"_s));
    QVERIFY2(read.ok(), qPrintable(read.error));
    QCOMPARE(bool(read.value), stored > 0);
    // Room made: writes work again.
    QVERIFY(awaitResult(tier->clear()).ok());
    const TierDoneResult small
        = awaitResult(tier->put(u"small"_s, {"s", clock.now(), kHour, false}));
    QVERIFY2(small.ok(), qPrintable(small.error));
}

void tst_RedisTier::garbageServer_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QByteArray>("pong"); // empty: garbage from the first byte
    QTest::newRow("a web server") << "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"_ba
                                  << QByteArray();
    QTest::newRow("binary noise") << "\x00\x01\xfe\xff\x10\x11"_ba << QByteArray();
    QTest::newRow("an array of two billion") << "*2000000000\r\n"_ba << QByteArray();
    QTest::newRow("a bad length") << "$-7\r\n"_ba << QByteArray();
    QTest::newRow("nonsense after a good PONG") << "!!!\r\n"_ba
                                                << "+PONG\r\n"_ba;
    QTest::newRow("OK instead of a value") << "+OK\r\n"_ba
                                           << "+PONG\r\n"_ba;
}

void tst_RedisTier::garbageServer()
{
    QFETCH(QByteArray, answer);
    QFETCH(QByteArray, pong);
    FakeServer fake(answer, pong);
    ManualClock clock;
    auto tier = makeTier(fake.url(), &clock);
    QSignalSpy status(tier.get(), &RedisTier::statusChanged);
    const TierGetResult got = awaitResult(tier->get(u"k"_s), kQuickMs);
    QVERIFY(!got.ok());
    QVERIFY2(got.error.contains(u"does not answer like a Redis server"_s), qPrintable(got.error));
    if (pong.isEmpty()) {
        // The handshake failed: down, and reconnecting on the clock.
        QTRY_VERIFY(!status.isEmpty());
        QCOMPARE(status.last().at(0).toBool(), false);
        QTRY_COMPARE(fake.disconnects, 1);
        clock.advance(RedisConnection::kDefaultRetryDelayMs);
        QTRY_COMPARE(fake.connections, 2);
    }
}

void tst_RedisTier::silentServerTimesOutOnTheClock()
{
    FakeServer fake({});
    ManualClock clock;
    auto tier = makeTier(fake.url(), &clock);
    QFuture<TierDoneResult> put = tier->put(u"k"_s, {"v", clock.now(), kHour, false});
    QTRY_COMPARE(fake.connections, 1);
    drainEvents();
    QVERIFY(!put.isFinished()); // nothing answers, and nothing gives up before the clock says
    clock.advance(kConnectTimeoutMs - 1);
    drainEvents();
    QVERIFY(!put.isFinished());
    clock.advance(1);
    const TierDoneResult r = awaitResult(put, kQuickMs);
    QCOMPARE(r.error, u"The shared cache at 127.0.0.1:%1 is not reachable: it did not answer "
                      "within 5 s."_s.arg(fake.port()));
    QTRY_COMPARE(fake.disconnects, 1);
}

void tst_RedisTier::silentAfterHandshakeTimesOutOnTheClock()
{
    FakeServer fake({}, "+PONG\r\n");
    ManualClock clock;
    auto tier = makeTier(fake.url(), &clock);
    QTRY_VERIFY(tier->isAvailable());
    QFuture<TierGetResult> first = tier->get(u"a"_s);
    QFuture<TierGetResult> second = tier->get(u"b"_s);
    drainEvents();
    QVERIFY(!first.isFinished());
    clock.advance(kCommandTimeoutMs - 1);
    drainEvents();
    QVERIFY(!first.isFinished());
    clock.advance(1);
    QVERIFY(awaitResult(first, kQuickMs).error.contains(u"did not answer within 3 s"_s));
    QVERIFY(!awaitResult(second, kQuickMs).ok()); // behind it on the same connection
    QVERIFY(!tier->isAvailable());
    QTRY_COMPARE(fake.disconnects, 1); // the connection was reset…
    clock.advance(RedisConnection::kSilenceMs); // (a server that went silent is left alone)
    QTRY_VERIFY(tier->isAvailable()); // …and came back by itself
    QCOMPARE(fake.connections, 2);
}

void tst_RedisTier::unixSocket()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.startUnix(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url() + u"?db=1"_s, &clock);
    QCOMPARE(tier->endpoint(), server.socketPath());
    const TierEntry entry{"over a socket", clock.now(), kHour, false};
    QVERIFY(awaitResult(tier->put(u"k"_s, entry)).ok());
    QCOMPARE(*awaitResult(tier->get(u"k"_s)).value, entry);
    QCOMPARE(server.cli({u"-n"_s, u"1"_s, u"DBSIZE"_s}), "1");
    server.kill();
    const TierGetResult down = awaitResult(tier->get(u"k"_s), kQuickMs);
    QVERIFY2(down.error.startsWith(u"The shared cache at "_s + server.socketPath()
                                   + u" is not reachable: "_s),
             qPrintable(down.error));
}

void tst_RedisTier::leasesAndLandings()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto a = makeTier(server.url(), &clock);
    auto b = makeTier(server.url(), &clock);
    b->watchLandings(true);
    QTRY_VERIFY(b->isWatchingLandings());
    QSignalSpy landed(b.get(), &RedisTier::entryLanded);
    QCOMPARE(server.cli({u"PUBSUB"_s, u"NUMSUB"_s, QString::fromUtf8(RedisTier::landedChannel())}),
             RedisTier::landedChannel() + "\n1");

    const TierResult<QByteArray> first = awaitResult(a->tryLease(u"k"_s, 30'000));
    QVERIFY2(first.ok(), qPrintable(first.error));
    QVERIFY(!first.value.isEmpty());
    const qint64 leasePttl
        = server.cli({u"PTTL"_s, QString::fromUtf8(RedisTier::leaseKey(u"k"_s))}).toLongLong();
    QVERIFY(leasePttl > 0 && leasePttl <= 30'000); // a crashed holder's lease runs out
    const TierResult<QByteArray> lost = awaitResult(b->tryLease(u"k"_s, 30'000));
    QVERIFY(lost.ok());
    QVERIFY(lost.value.isEmpty()); // someone else holds it
    QVERIFY(!awaitResult(b->releaseLease(u"k"_s, "not the token")).value);
    QVERIFY(awaitResult(b->tryLease(u"k"_s, 30'000)).value.isEmpty()); // still held

    // The holder stores the value, announces it, gives the lease back; the waiter is woken.
    QVERIFY(awaitResult(a->put(u"k"_s, {"v", clock.now(), kHour, false})).ok());
    QVERIFY(awaitResult(a->announceLanded(u"k"_s)).ok());
    QTRY_COMPARE(landed.count(), 1);
    QCOMPARE(landed.at(0).at(0).toString(), u"k"_s);
    QVERIFY(awaitResult(a->releaseLease(u"k"_s, first.value)).value);
    QVERIFY(!awaitResult(a->releaseLease(u"k"_s, first.value)).value); // only once
    QVERIFY(!awaitResult(b->tryLease(u"k"_s, 30'000)).value.isEmpty());
    // The lease keys are not entries.
    QCOMPARE(awaitResult(a->list()).value.size(), 1);
}

void tst_RedisTier::heldLeaseIsRenewedUntilGivenBack()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto a = makeTier(server.url(), &clock);
    constexpr qint64 kLease = 30'000;
    const QString lock = QString::fromUtf8(RedisTier::leaseKey(u"k"_s));
    auto pttl = [&] {
        return server.cli({u"PTTL"_s, lock}).toLongLong();
    };
    const QByteArray token = awaitResult(a->tryLease(u"k"_s, kLease)).value;
    QVERIFY(!token.isEmpty());
    QCOMPARE(a->heldLeaseCount(), 1);

    // Redis counts the lease down in real time; stand in for 25 s of it passing.
    QCOMPARE(server.cli({u"PEXPIRE"_s, lock, u"5000"_s}), "1");
    clock.advance(kLease / 3 - 1);
    drainEvents();
    QVERIFY(pttl() <= 5'000); // not due yet
    clock.advance(1); // a third of the lease: renewed, by its holder only
    QTRY_VERIFY(pttl() > 5'000);
    QVERIFY(pttl() <= kLease);
    QCOMPARE(server.cli({u"GET"_s, lock}), token);

    // Another holder's lease (ours ran out and was taken) is not extended, and ours is let go.
    QCOMPARE(server.cli({u"SET"_s, lock, u"someone-else"_s, u"PX"_s, u"4000"_s}), "OK");
    clock.advance(kLease / 3);
    QTRY_COMPARE(a->heldLeaseCount(), 0);
    QVERIFY(pttl() <= 4'000);
    QCOMPARE(server.cli({u"GET"_s, lock}), "someone-else");

    // Given back: no more renewals.
    QCOMPARE(server.cli({u"DEL"_s, lock}), "1");
    const QByteArray second = awaitResult(a->tryLease(u"k"_s, kLease)).value;
    QVERIFY(!second.isEmpty());
    QVERIFY(awaitResult(a->releaseLease(u"k"_s, second)).value);
    QCOMPARE(a->heldLeaseCount(), 0);
    QCOMPARE(server.cli({u"SET"_s, lock, QString::fromUtf8(second), u"PX"_s, u"4000"_s}), "OK");
    clock.advance(kLease);
    drainEvents();
    QVERIFY(pttl() <= 4'000);

    // A load that never ends keeps its lease for kMaxLeaseHoldMs at most.
    QCOMPARE(server.cli({u"DEL"_s, lock}), "1");
    QVERIFY(!awaitResult(a->tryLease(u"k"_s, kLease)).value.isEmpty());
    for (qint64 held = 0; held < RedisTier::kMaxLeaseHoldMs; held += kLease / 3)
        clock.advance(kLease / 3);
    QTRY_COMPARE(a->heldLeaseCount(), 0);
    QCOMPARE(server.cli({u"PEXPIRE"_s, lock, u"4000"_s}), "1");
    clock.advance(kLease);
    drainEvents();
    QVERIFY(pttl() <= 4'000);
}

void tst_RedisTier::leaseKeyWithoutTtlOrOfAnotherTypeGetsOne_data()
{
    QTest::addColumn<QStringList>("write"); // the command that leaves the key behind
    QTest::newRow("a string without TTL") << QStringList{u"SET"_s, u"%1"_s, u"by-hand"_s};
    QTest::newRow("a list") << QStringList{u"RPUSH"_s, u"%1"_s, u"x"_s};
    QTest::newRow("a hash") << QStringList{u"HSET"_s, u"%1"_s, u"f"_s, u"v"_s};
}

void tst_RedisTier::leaseKeyWithoutTtlOrOfAnotherTypeGetsOne()
{
    // Such a key made every machine wait on its city for ever.
    REQUIRE_REDIS();
    QFETCH(QStringList, write);
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    const QString lock = QString::fromUtf8(RedisTier::leaseKey(u"k"_s));
    for (QString &arg : write)
        arg = arg.arg(lock);
    server.cli(write);
    QCOMPARE(server.cli({u"PTTL"_s, lock}), "-1");
    const TierResult<QByteArray> held = awaitResult(tier->tryLease(u"k"_s, 30'000));
    QVERIFY2(held.ok(), qPrintable(held.error));
    QVERIFY(held.value.isEmpty()); // another's, for now
    const qint64 pttl = server.cli({u"PTTL"_s, lock}).toLongLong();
    QVERIFY2(pttl > 0 && pttl <= 30'000, qPrintable(QString::number(pttl))); // but not for ever
    // Giving back a token that is not in it is no error, whatever the key's type.
    const TierResult<bool> released = awaitResult(tier->releaseLease(u"k"_s, "a token"));
    QVERIFY2(released.ok(), qPrintable(released.error));
    QVERIFY(!released.value);
    // Once it runs out (Redis counts in real time: stand in for it), the lease is ours.
    server.cli({u"DEL"_s, lock});
    QVERIFY(!awaitResult(tier->tryLease(u"k"_s, 30'000)).value.isEmpty());
}

void tst_RedisTier::entryFromAClockAnHourAheadIsLoadedAgain()
{
    // Two machines on one real server; "ahead" writes with a clock an hour fast. The other
    // never shows that answer as fresh: it loads again and its answer replaces it.
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    ManualClock aheadClock;
    aheadClock.setNow(clock.now() + kHour);
    auto ahead = makeTier(server.url(), &aheadClock);
    auto here = makeTier(server.url(), &clock);
    using Cache = LayeredCache<QString>;
    const Cache::Codec codec{[](const QString &v) { return v.toUtf8(); },
                             [](const QByteArray &b) {
                                 return std::optional(QString::fromUtf8(b));
                             }};
    Cache a(codec, &aheadClock);
    Cache b(codec, &clock);
    a.setLeaseDuration(0);
    b.setLeaseDuration(0);
    a.addTier(ahead.get());
    b.addTier(here.get());
    const auto loader = [](const QString &value) {
        return [value] {
            return QtFuture::makeReadyFuture(Outcome<QString>::success(value));
        };
    };
    QCOMPARE(*awaitResult(a.get(u"k"_s, loader(u"ahead"_s), 10 * kMinute)).value, u"ahead"_s);
    QTRY_COMPARE(a.pendingTierWrites(), 0);
    const auto r = awaitResult(b.get(u"k"_s, loader(u"here"_s), 10 * kMinute));
    QCOMPARE(*r.value, u"here"_s);
    QCOMPARE(r.origin, Cache::kOriginLoader); // the provider, not the tier
    QTRY_COMPARE(b.pendingTierWrites(), 0);
    const TierGetResult stored = awaitResult(here->get(u"k"_s));
    QCOMPARE(stored.value->value, QByteArray("here"));
    QCOMPARE(stored.value->loadedAt, clock.now());
}

void tst_RedisTier::callbackFormsAnswerInOrderWithTheFutures()
{
    // readEntry/writeEntry (what the LayeredCache uses) are the same requests on the same
    // connection as get/put: one answer each, in the order asked, mixed freely with futures.
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QVERIFY(tier->answersByCallback());
    constexpr int kCount = 1000;
    QList<int> order; // i for a write of k<i>, kCount + i for its read
    QList<TierGetResult> reads(kCount);
    int writesFailed = 0;
    for (int i = 0; i < kCount; ++i) {
        tier->writeEntry(u"k%1"_s.arg(i), {QByteArray::number(i), clock.now(), kHour, false},
                         [&, i](const TierDoneResult &r) {
                             order.append(i);
                             writesFailed += r.ok() ? 0 : 1;
                         });
    }
    // A future asked between them sees the writes before it and none after.
    QFuture<TierGetResult> between = tier->get(u"k%1"_s.arg(kCount - 1));
    QFuture<TierDoneResult> overwrite = tier->put(u"k0"_s, {"new", clock.now(), kHour, false});
    for (int i = 0; i < kCount; ++i) {
        tier->readEntry(u"k%1"_s.arg(i), [&, i](const TierGetResult &r) {
            order.append(kCount + i);
            reads[i] = r;
        });
    }
    QTRY_COMPARE(order.size(), 2 * kCount);
    QList<int> expected(2 * kCount);
    std::iota(expected.begin(), expected.end(), 0);
    QCOMPARE(order, expected);
    QCOMPARE(writesFailed, 0);
    QCOMPARE(awaitResult(between).value->value, QByteArray::number(kCount - 1));
    QVERIFY(awaitResult(overwrite).ok());
    QCOMPARE(reads.at(0).value->value, "new"); // the put() future came before this read
    for (int i = 1; i < kCount; ++i) {
        QVERIFY2(reads.at(i).ok(), qPrintable(reads.at(i).error));
        QCOMPARE(reads.at(i).value->value, QByteArray::number(i));
        QCOMPARE(reads.at(i).value->loadedAt, clock.now());
    }
    // Absent, and a value of another program under our prefix: both read as nothing.
    QCOMPARE(server.cli({u"SET"_s, u"weatherdash:v1:foreign"_s, u"not ours"_s}), "OK");
    int answers = 0;
    for (const QString &key : {u"never-there"_s, u"foreign"_s}) {
        tier->readEntry(key, [&](const TierGetResult &r) {
            ++answers;
            QVERIFY(r.ok());
            QVERIFY(!r.value);
        });
    }
    QTRY_COMPARE(answers, 2);
    // Past its stale horizon: the write removes what was there.
    tier->writeEntry(u"k1"_s, {"old", clock.now() - 30LL * 24 * kHour, kHour, false},
                     [&](const TierDoneResult &r) { answers += r.ok() ? 1 : 100; });
    QTRY_COMPARE(answers, 3);
    QVERIFY(!awaitResult(tier->get(u"k1"_s)).value);
}

void tst_RedisTier::callbackFormsWaitForClearAndHearClosed()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    constexpr int kCount = 1300; // more than two SCAN batches: clear() takes several steps
    QList<QFuture<TierDoneResult>> puts;
    for (int i = 0; i < kCount; ++i)
        puts.append(tier->put(u"k%1"_s.arg(i), {"v", clock.now(), kHour, false}));
    for (auto &p : puts)
        QVERIFY(awaitResult(p).ok());

    // Asked right after clear(): they wait for it, then run in order.
    QFuture<TierDoneResult> cleared = tier->clear();
    std::optional<TierGetResult> oldOne;
    std::optional<TierDoneResult> newOne;
    std::optional<TierGetResult> readBack;
    tier->readEntry(u"k7"_s, [&](const TierGetResult &r) {
        QVERIFY(cleared.isFinished());
        oldOne = r;
    });
    tier->writeEntry(u"after"_s, {"new", clock.now(), kHour, false},
                     [&](const TierDoneResult &r) { newOne = r; });
    tier->readEntry(u"after"_s, [&](const TierGetResult &r) { readBack = r; });
    QVERIFY(!oldOne && !newOne && !readBack); // nothing answers from inside the calls
    QTRY_VERIFY(readBack.has_value());
    QVERIFY(awaitResult(cleared).ok());
    QVERIFY(oldOne->ok());
    QVERIFY(!oldOne->value);
    QVERIFY(newOne->ok());
    QCOMPARE(readBack->value->value, "new");

    // Still waiting when the tier goes: each answered once, with "closed", from the destructor.
    for (int i = 0; i < kCount; ++i)
        puts.append(tier->put(u"k%1"_s.arg(i), {"v", clock.now(), kHour, false}));
    QFuture<TierDoneResult> second = tier->clear();
    int closed = 0;
    int other = 0;
    for (int i = 0; i < 10; ++i) {
        tier->readEntry(u"k%1"_s.arg(i), [&](const TierGetResult &r) {
            (r.error.contains(u"closed"_s) ? closed : other) += 1;
        });
        tier->writeEntry(u"k%1"_s.arg(i), {"v", clock.now(), kHour, false},
                         [&](const TierDoneResult &r) {
                             (r.error.contains(u"closed"_s) ? closed : other) += 1;
                         });
    }
    tier.reset();
    QCOMPARE(closed + other, 20);
    QCOMPARE(closed, 20);
    QVERIFY(second.isFinished());
}

void tst_RedisTier::callbackFormsAnswerAtOnceWhileDown()
{
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QVERIFY(awaitResult(tier->put(u"k"_s, {"v", clock.now(), kHour, false})).ok());
    server.kill();
    QTRY_VERIFY(!tier->isAvailable());
    const QString prefix
        = u"The shared cache at 127.0.0.1:%1 is not reachable: "_s.arg(server.port());
    // As the future forms return finished futures then: the answer comes inside the call.
    std::optional<TierGetResult> read;
    tier->readEntry(u"k"_s, [&](const TierGetResult &r) { read = r; });
    QVERIFY(read.has_value());
    QVERIFY2(read->error.startsWith(prefix), qPrintable(read->error));
    std::optional<TierDoneResult> written;
    tier->writeEntry(u"k"_s, {"v", clock.now(), kHour, false},
                     [&](const TierDoneResult &r) { written = r; });
    QVERIFY(written.has_value());
    QVERIFY2(written->error.startsWith(prefix), qPrintable(written->error));
}

void tst_RedisTier::cacheGoneBeforeTheCallbackAnswers()
{
    // The LayeredCache reads and writes through the callbacks; the tier is borrowed and may
    // answer after the cache is gone: nothing of the cache may run then.
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QVERIFY(awaitResult(tier->put(u"k"_s, {"v", clock.now(), kHour, false})).ok());
    using Cache = LayeredCache<QString>;
    const Cache::Codec codec{[](const QString &v) { return v.toUtf8(); },
                             [](const QByteArray &b) {
                                 return std::optional(QString::fromUtf8(b));
                             }};
    QFuture<CacheResult<QString>> answer;
    {
        Cache cache(codec, &clock);
        cache.setLeaseDuration(0);
        cache.addTier(tier.get());
        // A hit in the tier, and a load whose write-through goes to the tier.
        const Cache::Loader loader = [] {
            return QtFuture::makeReadyFuture(Outcome<QString>::success(u"loaded"_s));
        };
        QCOMPARE(*awaitResult(cache.get(u"k"_s, loader, kHour)).value, u"v"_s);
        QCOMPARE(*awaitResult(cache.get(u"other"_s, loader, kHour)).value, u"loaded"_s);
        QTRY_COMPARE(cache.pendingTierWrites(), 0);
        QCOMPARE(cache.stats().tiers.at(0).reads, 2);
        QCOMPARE(cache.stats().tiers.at(0).writes, 1);
        QCOMPARE(cache.stats().tiers.at(0).errors, 0);
        // On the wire when the cache goes.
        answer = cache.get(u"third"_s, loader, kHour);
        QVERIFY(!answer.isFinished());
    }
    // The tier's answer arrives for a cache that is no more.
    QVERIFY(awaitResult(tier->get(u"k"_s)).ok());
    drainEvents();
    QVERIFY(awaitResult(tier->put(u"k2"_s, {"v", clock.now(), kHour, false})).ok());
}

void tst_RedisTier::repliesAcrossManyReadsArriveWhole()
{
    // The connection hands out each chunk's replies before it reads the next: replies larger
    // than a chunk and thousands of small ones in one burst must still arrive whole, in order.
    REQUIRE_REDIS();
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    auto tier = makeTier(server.url(), &clock);
    QList<QFuture<TierDoneResult>> puts;
    for (int i = 0; i < 40; ++i) {
        QByteArray big(40'000 + i * 997, char('a' + i % 26)); // 2.5 to 4 chunks each
        big[i] = '#';
        puts.append(tier->put(u"big%1"_s.arg(i), {big, clock.now(), kHour, false}));
    }
    for (auto &p : puts)
        QVERIFY(awaitResult(p).ok());
    QList<std::optional<TierGetResult>> got(3000);
    for (int round = 0; round < 3000; ++round) {
        const int i = round % 40;
        tier->readEntry(round < 40 ? u"big%1"_s.arg(i) : u"absent%1"_s.arg(round),
                        [&got, round](const TierGetResult &r) { got[round] = r; });
    }
    QTRY_VERIFY(got.at(2999).has_value());
    for (int i = 0; i < 40; ++i) {
        QVERIFY2(got.at(i)->ok(), qPrintable(got.at(i)->error));
        const QByteArray &v = got.at(i)->value->value;
        QCOMPARE(v.size(), 40'000 + i * 997);
        QCOMPARE(v.at(i), '#');
        QCOMPARE(v.count(char('a' + i % 26)), v.size() - 1);
    }
    for (int round = 40; round < 3000; ++round) {
        QVERIFY(got.at(round).has_value());
        QVERIFY(got.at(round)->ok());
        QVERIFY(!got.at(round)->value);
    }
}

QTEST_GUILESS_MAIN(tst_RedisTier)
#include "tst_redistier.moc"
