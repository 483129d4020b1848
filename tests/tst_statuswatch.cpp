// SPDX-License-Identifier: MIT
// weatherdash-cli --watch's StatusWatch, in this process on an injected clock: two WeatherStacks
// on one cache folder stand for two processes (the watch's CLI, and a window or another CLI
// that renews the entry), against the local provider stand-in that counts every request.
#include "app/statuswatch.h"
#include "app/weatherstack.h"
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "redisserver.h"
#include "store/redisconnection.h"
#include "store/redistier.h"
#include "weather/weatherservice.h"
#include "weather/weathersession.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {
constexpr int kTimeoutMs = 20'000;
/** "Within a few seconds": the watch hears a renewal through the file system in this time. */
constexpr int kRenewalNoticedMs = 5'000;
constexpr qint64 kTtlMs = 10 * 60'000;
} // namespace

class tst_StatusWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_dir = std::make_unique<QTemporaryDir>();
        m_clock = std::make_unique<ManualClock>();
    }
    void cleanup()
    {
        m_watch.reset();
        m_lines.reset();
        m_other.reset();
        m_mine.reset();
        m_server.reset();
    }

    void firstLineAtOnce();
    void renewalByAnotherProcessPrintsAgain();
    void noRequestBeforeTheEntryExpires();
    void renewalInTheGraceSavesTheRequest();
    void staleLineWhenTheRefreshFails();
    void unknownCityEndsTheWatch();
    void anotherMachineRenewsThroughTheSharedCache();
    void renewalBeforeTheSubscriptionIsRead();

private:
    std::unique_ptr<WeatherStack> makeStack()
    {
        WeatherStack::Options options;
        options.config.endpoints = m_server->endpoints();
        options.config.currentTtlMs = kTtlMs;
        options.cacheDirectory = m_dir->path();
        return std::make_unique<WeatherStack>(options, m_clock.get());
    }

    /** The watch on its own stack, started, with its first line read. */
    void startWatch(const QString &city = u"Berlin"_s)
    {
        m_mine = makeStack();
        QString why;
        const std::optional<StatusFormat> format = StatusFormat::parse(u"%l: %t %C"_s, &why);
        QVERIFY2(format, qPrintable(why));
        m_watch = std::make_unique<StatusWatch>(m_mine->service(), m_mine->disk(), nullptr,
                                                m_clock.get(), city, *format);
        m_lines = std::make_unique<QSignalSpy>(m_watch.get(), &StatusWatch::lineReady);
        m_watch->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 1, kTimeoutMs);
    }

    QString line(qsizetype i) const { return m_lines->at(i).at(0).toString(); }

    /** Another process asks the provider for Berlin anew (a window's refresh, a CLI run). */
    void renewElsewhere(bool force)
    {
        if (!m_other)
            m_other = makeStack();
        WeatherService *service = m_other->service();
        const auto found = waitForResult(service->searchLocations(u"Berlin"_s));
        QVERIFY(found && found->ok());
        const auto current = waitForResult(service->current(found->value->constFirst(), force));
        QVERIFY(current && current->ok());
        QTRY_COMPARE_WITH_TIMEOUT(service->layers()->pendingTierWrites(), 0, kTimeoutMs);
    }

    /**
     * Waits until nothing of `stack`'s (and the watch's) is on the way: the test's clock may
     * move then only, as a Redis command on the wire would time out on it (3 s) and take the
     * shared tier down.
     */
    static void settle(WeatherStack *stack, const StatusWatch *watch = nullptr)
    {
        const auto idle = [&] {
            return stack->service()->layers()->pendingTierWrites() == 0
                   && (!stack->sharedTier()
                       || stack->sharedTier()->connection()->pendingCount() == 0)
                   && (!watch || watch->isIdle());
        };
        QTRY_VERIFY_WITH_TIMEOUT(idle(), kTimeoutMs);
    }

    int currentRequests() const { return m_server->requestCount(Endpoint::OpenMeteoCurrent); }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<WeatherStack> m_mine;
    std::unique_ptr<WeatherStack> m_other;
    std::unique_ptr<StatusWatch> m_watch;
    std::unique_ptr<QSignalSpy> m_lines;
};

void tst_StatusWatch::firstLineAtOnce()
{
    startWatch();
    QCOMPARE(line(0), u"Berlin: 22°C Partly cloudy"_s);
    QCOMPARE(currentRequests(), 1);
    // The disk's database is watched: the way another process's renewal is heard.
    QVERIFY2(!m_watch->watchedFiles().isEmpty(), "the disk tier's file is not watched");
    // The next request of its own is the entry's expiry and the grace, not sooner.
    QCOMPARE(m_watch->nextRefresh(), m_clock->now() + kTtlMs + StatusWatch::kGraceMs);
}

void tst_StatusWatch::renewalByAnotherProcessPrintsAgain()
{
    startWatch();
    m_clock->advance(3 * 60'000);
    renewElsewhere(/*force*/ true);
    QCOMPARE(currentRequests(), 2); // the other process's
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 2, kRenewalNoticedMs);
    QCOMPARE(line(1), u"Berlin: 22°C Partly cloudy"_s);
    QCOMPARE(currentRequests(), 2); // read from the disk, not asked again
    // And its schedule follows the renewed entry.
    QCOMPARE(m_watch->nextRefresh(), m_clock->now() + kTtlMs + StatusWatch::kGraceMs);

    // A second renewal: a second line, however similar.
    m_clock->advance(60'000);
    renewElsewhere(true);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 3, kRenewalNoticedMs);
    QCOMPARE(line(2), u"Berlin: 22°C Partly cloudy"_s);
}

void tst_StatusWatch::noRequestBeforeTheEntryExpires()
{
    startWatch();
    const int requests = m_server->totalRequestCount();
    // Most of the entry's life passes, in steps, as a day of a status bar would.
    for (int i = 0; i < 9; ++i) {
        m_clock->advance(60'000);
        QTest::qWait(20); // the watch's turn of the event loop, were it to ask
    }
    QCOMPARE(m_server->totalRequestCount(), requests);
    QCOMPARE(m_lines->size(), 1);
    // Expiry and grace pass: now it refreshes the entry itself, once, and says so.
    m_clock->advance(60'000 + StatusWatch::kGraceMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 2, kTimeoutMs);
    QCOMPARE(line(1), u"Berlin: 22°C Partly cloudy"_s);
    QCOMPARE(currentRequests(), 2);
}

void tst_StatusWatch::renewalInTheGraceSavesTheRequest()
{
    startWatch();
    // The entry expires; a window renews it a few seconds later, inside the grace.
    m_clock->advance(kTtlMs + 5'000);
    renewElsewhere(/*force*/ false); // expired: the other process asks the provider
    QCOMPARE(currentRequests(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 2, kRenewalNoticedMs);
    QCOMPARE(line(1), u"Berlin: 22°C Partly cloudy"_s);
    // The old deadline passes: nothing to ask, the line shows a fresh answer.
    m_clock->advance(StatusWatch::kGraceMs);
    QTest::qWait(50);
    QCOMPARE(currentRequests(), 2);
}

void tst_StatusWatch::staleLineWhenTheRefreshFails()
{
    startWatch();
    m_server->failWith(Endpoint::OpenMeteoCurrent, 503);
    m_clock->advance(kTtlMs + StatusWatch::kGraceMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 2, kTimeoutMs);
    QCOMPARE(line(1), u"Berlin: 22°C Partly cloudy (10 min old)"_s);
    // Retried after a minute (the session's back-off): still failing, an older age.
    const int asked = currentRequests();
    m_clock->advance(WeatherSession::kFirstRetryMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 3, kTimeoutMs);
    QCOMPARE(currentRequests(), asked + 1);
    QCOMPARE(line(2), u"Berlin: 22°C Partly cloudy (11 min old)"_s);
    // The provider is back: a fresh line without an age.
    m_server->clearReplies();
    m_clock->advance(2 * WeatherSession::kFirstRetryMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 4, kTimeoutMs);
    QCOMPARE(line(3), u"Berlin: 22°C Partly cloudy"_s);
}

void tst_StatusWatch::unknownCityEndsTheWatch()
{
    m_mine = makeStack();
    QString why;
    const std::optional<StatusFormat> format = StatusFormat::parse(u"waybar"_s, &why);
    QVERIFY(format);
    StatusWatch watch(m_mine->service(), m_mine->disk(), nullptr, m_clock.get(), u"Atlantis"_s,
                      *format);
    QSignalSpy lines(&watch, &StatusWatch::lineReady);
    QSignalSpy finished(&watch, &StatusWatch::finished);
    watch.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
    QCOMPARE(finished.at(0).at(0).toInt(), 0); // Waybar hides a module whose command fails
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.at(0).at(0).toString().contains(u"\"class\":\"error\""_s),
             qPrintable(lines.at(0).at(0).toString()));
}

void tst_StatusWatch::anotherMachineRenewsThroughTheSharedCache()
{
    REQUIRE_REDIS();
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    // Two machines: a disk cache each, one Redis between them.
    QTemporaryDir otherDisk;
    const auto machine = [&](const QString &dir) {
        WeatherStack::Options options;
        options.config.endpoints = m_server->endpoints();
        options.config.currentTtlMs = kTtlMs;
        options.cacheDirectory = dir;
        options.sharedCache = testRedisUrl(redis.url());
        return std::make_unique<WeatherStack>(options, m_clock.get());
    };
    m_mine = machine(m_dir->path());
    m_other = machine(otherDisk.path());
    QString why;
    const std::optional<StatusFormat> format = StatusFormat::parse(u"%l: %t %C"_s, &why);
    QVERIFY(format);
    m_watch = std::make_unique<StatusWatch>(m_mine->service(), m_mine->disk(), m_mine->sharedTier(),
                                            m_clock.get(), u"Berlin"_s, *format);
    m_lines = std::make_unique<QSignalSpy>(m_watch.get(), &StatusWatch::lineReady);
    m_watch->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 1, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_mine->sharedTier()->isWatchingLandings(), kTimeoutMs);
    settle(m_mine.get(), m_watch.get());

    // The entry expires; the other machine loads it (under the shared lease) inside the grace.
    m_clock->advance(kTtlMs + 5'000);
    renewElsewhere(/*force*/ false);
    QCOMPARE(currentRequests(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 2, kRenewalNoticedMs);
    QCOMPARE(line(1), u"Berlin: 22°C Partly cloudy"_s);
    QCOMPARE(currentRequests(), 2); // read from the shared cache
    m_watch.reset();
    m_lines.reset();
    m_other.reset();
    m_mine.reset();
}

void tst_StatusWatch::renewalBeforeTheSubscriptionIsRead()
{
    REQUIRE_REDIS();
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    WeatherStack::Options options;
    options.config.endpoints = m_server->endpoints();
    options.config.currentTtlMs = kTtlMs;
    options.cacheDirectory = m_dir->path();
    // This computer's disk has Berlin, loaded by a run without the shared tier.
    {
        WeatherStack offline(options, m_clock.get());
        const auto found = waitForResult(offline.service()->searchLocations(u"Berlin"_s));
        QVERIFY(found && found->ok());
        QVERIFY(waitForResult(offline.service()->current(found->value->constFirst())));
        QVERIFY(waitForResult(offline.service()->hourly(found->value->constFirst())));
        QTRY_COMPARE_WITH_TIMEOUT(offline.service()->layers()->pendingTierWrites(), 0, kTimeoutMs);
    }
    // Three minutes on, another machine renews it in the shared tier. Its announcement goes
    // out before the watch listens: nobody hears it.
    m_clock->advance(3 * 60'000);
    options.sharedCache = testRedisUrl(redis.url());
    QTemporaryDir otherDisk;
    WeatherStack::Options otherOptions = options;
    otherOptions.cacheDirectory = otherDisk.path();
    m_other = std::make_unique<WeatherStack>(otherOptions, m_clock.get());
    const auto found = waitForResult(m_other->service()->searchLocations(u"Berlin"_s));
    QVERIFY(found && found->ok());
    QVERIFY(waitForResult(m_other->service()->current(found->value->constFirst(), true)));
    settle(m_other.get());
    const int asked = currentRequests();
    QCOMPARE(asked, 2);

    // The watch starts with the shared tier: its first line is the disk's (fresh, nothing to
    // load, so it takes no lease), then, once subscribed, the shared tier's newer answer.
    m_mine = std::make_unique<WeatherStack>(options, m_clock.get());
    QString why;
    const std::optional<StatusFormat> format = StatusFormat::parse(u"%l: %t %C"_s, &why);
    QVERIFY(format);
    m_watch = std::make_unique<StatusWatch>(m_mine->service(), m_mine->disk(), m_mine->sharedTier(),
                                            m_clock.get(), u"Berlin"_s, *format);
    m_lines = std::make_unique<QSignalSpy>(m_watch.get(), &StatusWatch::lineReady);
    m_watch->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 2, kRenewalNoticedMs);
    QCOMPARE(line(0), u"Berlin: 22°C Partly cloudy"_s);
    QCOMPARE(line(1), u"Berlin: 22°C Partly cloudy"_s);
    QCOMPARE(currentRequests(), asked); // read, not asked
    // It listens, so the next renewal elsewhere is heard too, and it follows the renewal's
    // schedule (the other machine's load time, not the disk's).
    QVERIFY(m_mine->sharedTier()->isWatchingLandings());
    QCOMPARE(m_watch->nextRefresh(), m_clock->now() + kTtlMs + StatusWatch::kGraceMs);
    settle(m_mine.get(), m_watch.get());
    settle(m_other.get());
    m_clock->advance(60'000);
    QVERIFY(waitForResult(m_other->service()->current(found->value->constFirst(), true)));
    QTRY_COMPARE_WITH_TIMEOUT(m_lines->size(), 3, kRenewalNoticedMs);
    QCOMPARE(currentRequests(), asked + 1);
    m_watch.reset();
    m_lines.reset();
    m_other.reset();
    m_mine.reset();
}

QTEST_GUILESS_MAIN(tst_StatusWatch)
#include "tst_statuswatch.moc"
