// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "cache/layeredcache.h"
#include "futurewait.h"
#include "store/persistentstore.h"
#include "store/sqlitetier.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMinute = 60'000;

/** Records, from the worker, which thread ran each operation. Read after the futures. */
struct ThreadLog
{
    QMutex mutex;
    QList<QThread *> threads;
    QStringList operations;

    std::function<void(const char *)> hook()
    {
        return [this](const char *op) {
            QMutexLocker lock(&mutex);
            threads.append(QThread::currentThread());
            operations.append(QString::fromLatin1(op));
        };
    }
    int count(const QString &op)
    {
        QMutexLocker lock(&mutex);
        return int(operations.count(op));
    }
};

LayeredCache<QString>::Codec stringCodec()
{
    LayeredCache<QString>::Codec c;
    c.encode = [](const QString &v) {
        return v.toUtf8();
    };
    c.decode = [](const QByteArray &b) {
        return std::optional<QString>(QString::fromUtf8(b));
    };
    return c;
}

/**
 * A cache file of `rows` 2 KB entries with a b-tree leaf in the middle zeroed: damage that only
 * a whole-file check (PRAGMA quick_check) finds. Returns false if it could not be made.
 */
bool makeDeeplyDamagedCache(const QString &directory, int rows)
{
    {
        PersistentStore store;
        if (!store.open(directory))
            return false;
        for (int i = 0; i < rows; ++i) {
            if (!store.write(u"city-%1"_s.arg(i), QByteArray(2048, char('a' + i % 26)),
                             1'700'000'000'000, kMinute))
                return false;
        }
    }
    QFile file(directory + u'/' + PersistentStore::fileName());
    if (!file.open(QIODevice::ReadWrite))
        return false;
    QByteArray bytes = file.readAll();
    constexpr int kPage = 4096;
    QList<int> leaves;
    for (int i = 1; i < bytes.size() / kPage; ++i) {
        if (quint8(bytes.at(i * kPage)) == 0x0a) // an index b-tree leaf (WITHOUT ROWID)
            leaves.append(i);
    }
    if (leaves.size() < 3)
        return false;
    return file.seek(qint64(leaves.at(leaves.size() / 2)) * kPage)
           && file.write(QByteArray(kPage, '\0')) == kPage;
}

} // namespace

class tst_SqliteTier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void roundTrip();
    void clockSetBackLeavesEntriesOfUnknownAgeUnlisted();
    void noSqliteCallOnTheCallersThread();
    void writesAreCoalescedAndReadBackBeforeTheyLand();
    void destructorDrainsQueuedWrites();
    void destroyedAfterTheEventLoopAnswersEveryoneAtOnce();
    void negativeMarkerAndEarlierValues_data();
    void negativeMarkerAndEarlierValues();
    void valuesWrittenByTodaysStoreReadBack();
    void unusableFolderAnswersEveryCallWithWhy();
    void diskFullIsReportedOnceAndTheCacheCarriesOn();
    void warmStartThroughLayeredCacheKeepsAgesAndPurges();
    void purgeWithoutListingDropsOnlyWhatIsPastTheHorizon();
    void closedTierAnswersAtOnce();
    void wholeFileCheckWhenAskedSetsDeepDamageAside();
    void answersAreFinishedInTheCallersThread();
    void continuationsAttachedWhileTheWorkerAnswers();
};

void tst_SqliteTier::roundTrip()
{
    QTemporaryDir dir;
    SqliteTier tier(dir.path());
    QVERIFY(awaitResult(tier.opened()).ok());
    const TierEntry entry{"payload", 1'700'000'000'000, 10 * kMinute, false};
    QVERIFY(awaitResult(tier.put(u"a"_s, entry)).ok());
    QVERIFY(awaitResult(tier.put(u"b"_s, {"not found", 1'700'000'000'000, kMinute, true})).ok());
    const TierGetResult got = awaitResult(tier.get(u"a"_s));
    QVERIFY(got.ok());
    QCOMPARE(*got.value, entry);
    QVERIFY(awaitResult(tier.get(u"b"_s)).value->negative);
    const TierGetResult absent = awaitResult(tier.get(u"nope"_s));
    QVERIFY(absent.ok());
    QVERIFY(!absent.value);
    QVERIFY(awaitResult(tier.remove(u"a"_s)).ok());
    QVERIFY(!awaitResult(tier.get(u"a"_s)).value);
    const TierListResult listed = awaitResult(tier.list());
    QCOMPARE(listed.value.size(), 1);
    QCOMPARE(listed.value.at(0).key, u"b"_s);
    QVERIFY(awaitResult(tier.clear()).ok());
    QVERIFY(awaitResult(tier.list()).value.isEmpty());
}

void tst_SqliteTier::noSqliteCallOnTheCallersThread()
{
    QTemporaryDir dir;
    ThreadLog log;
    SqliteTier tier(dir.path());
    tier.setOperationHookForTesting(log.hook());
    QVERIFY(awaitResult(tier.opened()).ok());
    awaitResult(tier.put(u"a"_s, {"x", 1, kMinute, false}));
    awaitResult(tier.get(u"a"_s));
    awaitResult(tier.list());
    awaitResult(tier.remove(u"a"_s));
    awaitResult(tier.clear());
    awaitResult(tier.close());
    QVERIFY(tier.workerThread() != QThread::currentThread());
    QMutexLocker lock(&log.mutex);
    // Every operation, opening and closing included, ran on the worker (the hook was set
    // after the open request was queued, so "open" ran before it: only the rest are logged).
    QCOMPARE(log.operations, (QStringList{u"flush"_s, u"write"_s, u"get"_s, u"list"_s, u"remove"_s,
                                          u"clear"_s, u"close"_s}));
    for (QThread *t : std::as_const(log.threads))
        QCOMPARE(t, tier.workerThread());
}

void tst_SqliteTier::writesAreCoalescedAndReadBackBeforeTheyLand()
{
    QTemporaryDir dir;
    ThreadLog log;
    SqliteTier tier(dir.path());
    QVERIFY(awaitResult(tier.opened()).ok());
    tier.setOperationHookForTesting(log.hook());
    QList<QFuture<TierDoneResult>> puts;
    for (int i = 0; i < 50; ++i)
        puts.append(tier.put(u"same"_s, {QByteArray::number(i), 1000 + i, kMinute, false}));
    puts.append(tier.put(u"other"_s, {"o", 1, kMinute, false}));
    // Asked before the writes land: the answer is the last put.
    const TierGetResult early = awaitResult(tier.get(u"same"_s));
    QCOMPARE(early.value->value, QByteArray("49"));
    for (auto &f : puts)
        QVERIFY(awaitResult(f).ok());
    QCOMPARE(log.count(u"write"_s), 2); // 51 puts, two keys: two writes
    QCOMPARE(*awaitResult(tier.get(u"same"_s)).value, (TierEntry{"49", 1049, kMinute, false}));
    // A remove after a queued put wins.
    tier.put(u"gone"_s, {"g", 1, kMinute, false});
    awaitResult(tier.remove(u"gone"_s));
    QVERIFY(!awaitResult(tier.get(u"gone"_s)).value);
}

void tst_SqliteTier::destructorDrainsQueuedWrites()
{
    QTemporaryDir dir;
    {
        SqliteTier tier(dir.path());
        for (int i = 0; i < 20; ++i)
            tier.put(u"k%1"_s.arg(i), {QByteArray::number(i), 1, kMinute, false});
        // Destroyed at once: nothing was awaited.
    }
    SqliteTier again(dir.path());
    const TierListResult listed = awaitResult(again.list());
    QVERIFY(listed.ok());
    QCOMPARE(listed.value.size(), 20);
}

void tst_SqliteTier::destroyedAfterTheEventLoopAnswersEveryoneAtOnce()
{
    // main() destroys the window and its tiers after exec() has returned: no later turn of the
    // event loop will come. The last writes' answers must reach their continuations before the
    // tier is gone, not wait in the application's queue: destroying the application with them
    // still queued hung the quitting window (the continuation's context posted its
    // deleteLater() while Qt held the queue's lock). A test function runs outside any event
    // loop, as main() does after exec().
    QCOMPARE(QThread::currentThread()->loopLevel(), 0);
    QTemporaryDir dir;
    QObject context;
    int answered = 0;
    {
        SqliteTier tier(dir.path());
        for (int i = 0; i < 5; ++i)
            tier.put(u"k%1"_s.arg(i), {QByteArray::number(i), 1, kMinute, false})
                .then(&context, [&answered](const TierDoneResult &) { ++answered; });
    }
    QCOMPARE(answered, 5);
}

void tst_SqliteTier::negativeMarkerAndEarlierValues_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("negative");
    QTest::newRow("plain payload") << QByteArray("\x01\x01payload", 9) << false;
    QTest::newRow("empty value") << QByteArray() << false;
    QTest::newRow("value starting with the escape byte") << QByteArray("\xff\x01zz", 4) << false;
    QTest::newRow("lone escape byte") << QByteArray("\xff", 1) << false;
    QTest::newRow("negative") << QByteArray("why") << true;
    QTest::newRow("negative, empty") << QByteArray() << true;
}

void tst_SqliteTier::negativeMarkerAndEarlierValues()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, negative);
    const TierEntry entry{value, 5, kMinute, negative};
    TierEntry back{"junk", 5, kMinute, !negative};
    SqliteTier::decodeValue(SqliteTier::encodeValue(entry), &back);
    QCOMPARE(back, entry);
    // What earlier versions wrote (no marker, never starting with 0xff) reads back as it was.
    if (!negative && !value.startsWith('\xff'))
        QCOMPARE(SqliteTier::encodeValue(entry), value);
}

void tst_SqliteTier::valuesWrittenByTodaysStoreReadBack()
{
    QTemporaryDir dir;
    {
        PersistentStore store;
        QVERIFY(store.open(dir.path()));
        QVERIFY(
            store.write(u"open-meteo/cur/52.52,13.41/metric/en"_s, "\x01\x01old", 1234, kMinute));
        QVERIFY(store.write(u"label/52.52,13.41"_s, "Berlin, DE", 1234, kMinute));
    }
    SqliteTier tier(dir.path());
    const TierGetResult r = awaitResult(tier.get(u"open-meteo/cur/52.52,13.41/metric/en"_s));
    QCOMPARE(*r.value, (TierEntry{"\x01\x01old", 1234, kMinute, false}));
    QCOMPARE(awaitResult(tier.get(u"label/52.52,13.41"_s)).value->value, QByteArray("Berlin, DE"));
}

void tst_SqliteTier::unusableFolderAnswersEveryCallWithWhy()
{
    QTemporaryDir dir;
    // A file where the folder should be: no SQLite file can be made there, root or not.
    const QString notAFolder = dir.filePath(u"file"_s);
    QFile f(notAFolder);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    SqliteTier tier(notAFolder);
    const TierResult<QString> opened = awaitResult(tier.opened());
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error.contains(u"WeatherDash keeps"_s), qPrintable(opened.error));
    QCOMPARE(awaitResult(tier.get(u"a"_s)).error, opened.error);
    QCOMPARE(awaitResult(tier.put(u"a"_s, {"x", 1, 1, false})).error, opened.error);
    QCOMPARE(awaitResult(tier.list()).error, opened.error);
}

void tst_SqliteTier::diskFullIsReportedOnceAndTheCacheCarriesOn()
{
    QTemporaryDir dir;
    ManualClock clock;
    SqliteTier tier(dir.path());
    QVERIFY(awaitResult(tier.opened()).ok());
    QVERIFY(awaitResult(tier.setMaxPageCountForTesting(8)) > 0);
    LayeredCache<QString> cache(stringCodec(), &clock);
    cache.addTier(&tier);
    QSignalSpy status(&cache, &LayeredCacheBase::tierStatusChanged);
    const QString big(40'000, u'x');
    for (int i = 0; i < 6; ++i) {
        const QString key = u"k%1"_s.arg(i);
        const auto r = awaitResult(cache.get(
            key, [big] { return QtFuture::makeReadyFuture(Outcome<QString>::success(big)); }));
        QVERIFY(r.ok()); // the person still gets the weather
    }
    QTRY_VERIFY(cache.stats().tiers.at(0).errors >= 5);
    QCOMPARE(status.count(), 1);
    QCOMPARE(status.at(0).at(0).toString(), u"disk"_s);
    QVERIFY2(status.at(0).at(2).toString().startsWith(u"The disk is full"_s),
             qPrintable(status.at(0).at(2).toString()));
    QCOMPARE(cache.tierError(0), status.at(0).at(2).toString());
}

void tst_SqliteTier::warmStartThroughLayeredCacheKeepsAgesAndPurges()
{
    QTemporaryDir dir;
    ManualClock clock;
    const qint64 now = clock.now();
    {
        SqliteTier tier(dir.path(), &clock);
        tier.put(u"recent"_s, {"r", now - 2 * kMinute, 10 * kMinute, false});
        tier.put(u"stale"_s, {"s", now - 20 * kMinute, 10 * kMinute, false});
        tier.put(u"ancient"_s, {"a", now - 600 * kMinute, 10 * kMinute, false});
    }
    SqliteTier tier(dir.path(), &clock);
    tier.setPurgeHorizon(60 * kMinute);
    LayeredCache<QString> cache(stringCodec(), &clock);
    cache.memory().setStaleHorizon(60 * kMinute);
    cache.addTier(&tier);
    QSignalSpy done(&cache, &LayeredCacheBase::warmUpFinished);
    cache.warmUp();
    QVERIFY(done.wait());
    QCOMPARE(done.at(0).at(0).toInt(), 2);
    QCOMPARE(cache.memory().entryInfo(u"recent"_s)->ageMs, 2 * kMinute);
    QCOMPARE(cache.memory().entryInfo(u"stale"_s)->state, EntryState::Stale);
    // Too old even to show as stale: gone from the disk too.
    QVERIFY(!awaitResult(tier.get(u"ancient"_s)).value);
}

void tst_SqliteTier::purgeWithoutListingDropsOnlyWhatIsPastTheHorizon()
{
    QTemporaryDir dir;
    ManualClock clock;
    const qint64 now = clock.now();
    SqliteTier tier(dir.path(), &clock);
    tier.put(u"recent"_s, {"r", now - 2 * kMinute, 10 * kMinute, false});
    tier.put(u"stale"_s, {"s", now - 20 * kMinute, 10 * kMinute, false});
    tier.put(u"ancient"_s, {"a", now - 600 * kMinute, 10 * kMinute, false});
    // No horizon: nothing goes.
    const auto none = awaitResult(tier.purge());
    QVERIFY(none.ok());
    QCOMPARE(none.value, 0);
    QVERIFY(awaitResult(tier.get(u"ancient"_s)).value);
    tier.setPurgeHorizon(60 * kMinute);
    const auto purged = awaitResult(tier.purge());
    QVERIFY2(purged.ok(), qPrintable(purged.error));
    QCOMPARE(purged.value, 1);
    QVERIFY(!awaitResult(tier.get(u"ancient"_s)).value);
    QVERIFY(awaitResult(tier.get(u"stale"_s)).value);
    QVERIFY(awaitResult(tier.get(u"recent"_s)).value);
    QVERIFY(awaitResult(tier.close()).ok());
    QVERIFY(!awaitResult(tier.purge()).ok());
}

void tst_SqliteTier::closedTierAnswersAtOnce()
{
    QTemporaryDir dir;
    SqliteTier tier(dir.path());
    tier.put(u"a"_s, {"x", 1, kMinute, false});
    QVERIFY(awaitResult(tier.close()).ok());
    QTRY_VERIFY(tier.workerThread()->isFinished());
    const QFuture<TierGetResult> f = tier.get(u"a"_s);
    QVERIFY(f.isFinished());
    QVERIFY(!f.result().ok());
    SqliteTier again(dir.path());
    QVERIFY(awaitResult(again.get(u"a"_s)).value); // the write made it before closing
}

void tst_SqliteTier::answersAreFinishedInTheCallersThread()
{
    // A promise finished on the worker while this thread attaches .then(context, ...) crashed
    // Qt 6.4 once in CI; the worker's answers must wait for this thread's event loop.
    QTemporaryDir dir;
    SqliteTier tier(dir.path());
    QVERIFY(awaitResult(tier.opened()).ok());
    QSemaphore gets;
    tier.setOperationHookForTesting([&gets](const char *op) {
        if (qstrcmp(op, "get") == 0)
            gets.release();
    });
    const QFuture<TierDoneResult> put = tier.put(u"a"_s, {"x", 1, kMinute, false});
    tier.sendBatchForTesting();
    QFuture<TierGetResult> first = tier.get(u"b"_s);
    const QFuture<TierGetResult> second = tier.get(u"c"_s);
    // The worker starts the second get only once it has written the batch and answered the
    // first get; this thread has run no event loop since.
    QVERIFY(gets.tryAcquire(2, 10'000));
    QVERIFY(!put.isFinished());
    QVERIFY(!first.isFinished());
    QThread *continuedIn = nullptr;
    auto continued = first.then(
        this, [&continuedIn](const TierGetResult &) { continuedIn = QThread::currentThread(); });
    QTRY_VERIFY(second.isFinished());
    QVERIFY(put.isFinished() && put.result().ok());
    QVERIFY(first.isFinished() && first.result().ok());
    QTRY_VERIFY(continued.isFinished());
    QCOMPARE(continuedIn, QThread::currentThread());
}

void tst_SqliteTier::continuationsAttachedWhileTheWorkerAnswers()
{
    // The shape of the CI crash, many times over: continuations with a context attached
    // while the worker works through the queue. Each must run once, in this thread.
    QTemporaryDir dir;
    SqliteTier tier(dir.path());
    QVERIFY(awaitResult(tier.opened()).ok());
    constexpr int kRequests = 2000;
    int ran = 0;
    int elsewhere = 0;
    for (int i = 0; i < kRequests; ++i) {
        auto note = [&ran, &elsewhere] {
            ++ran;
            if (QThread::currentThread() != qApp->thread())
                ++elsewhere;
        };
        if (i % 2 == 0)
            tier.get(u"k%1"_s.arg(i % 7)).then(this, [note](const TierGetResult &) { note(); });
        else
            tier.put(u"k%1"_s.arg(i % 7), {"v", 1, kMinute, false})
                .then(this, [note](const TierDoneResult &) { note(); });
        if (i % 100 == 0)
            QThread::yieldCurrentThread(); // let the worker answer while we attach
    }
    QTRY_COMPARE(ran, kRequests);
    QCOMPARE(elsewhere, 0);
}

void tst_SqliteTier::clockSetBackLeavesEntriesOfUnknownAgeUnlisted()
{
    // Written at noon; the clock is then set back to 11:00. A warm start must not restore
    // them as "0 s old" for an hour: list() leaves them out, as it does impossible TTLs.
    QTemporaryDir dir;
    ManualClock clock;
    SqliteTier tier(dir.path(), &clock);
    QVERIFY(awaitResult(tier.opened()).ok());
    const qint64 noon = clock.now();
    QVERIFY(awaitResult(tier.put(u"noon"_s, {"v", noon, 10 * kMinute, false})).ok());
    QVERIFY(awaitResult(tier.put(u"ttl0"_s, {"v", noon, 0, false})).ok());
    QCOMPARE(awaitResult(tier.list()).value.size(), 1); // the TTL of 0 is never listed
    clock.setNow(noon - 60 * kMinute);
    QVERIFY(awaitResult(tier.put(u"eleven"_s, {"v", clock.now(), 10 * kMinute, false})).ok());
    const TierListResult listed = awaitResult(tier.list());
    QVERIFY(listed.ok());
    QCOMPARE(listed.value.size(), 1);
    QCOMPARE(listed.value.at(0).key, u"eleven"_s);
    // A read still finds it (the LayeredCache decides, and loads it again).
    QVERIFY(awaitResult(tier.get(u"noon"_s)).value);
}

/*
 * The app's disk (IntegrityCheck::WhenAsked): opened() does not wait for a read of every page;
 * the check the app asks for after its first frame sets deep damage aside and says so, and the
 * tier goes on with a new file. The default (the CLI's) still finds it at open.
 */
void tst_SqliteTier::wholeFileCheckWhenAskedSetsDeepDamageAside()
{
    QTemporaryDir atOpen;
    QVERIFY(makeDeeplyDamagedCache(atOpen.path(), 1000));
    {
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"is damaged.*quick_check|failed quick_check"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^set aside "_s));
        SqliteTier tier(atOpen.path());
        const TierResult<QString> opened = awaitResult(tier.opened());
        QVERIFY(opened.ok());
        QVERIFY2(opened.value.contains(u"set aside"_s), qPrintable(opened.value));
    }

    QTemporaryDir dir;
    QVERIFY(makeDeeplyDamagedCache(dir.path(), 1000));
    SqliteTier tier(dir.path(), nullptr, nullptr, SqliteTier::IntegrityCheck::WhenAsked);
    const TierResult<QString> opened = awaitResult(tier.opened());
    QVERIFY(opened.ok());
    QVERIFY2(opened.value.isEmpty(), qPrintable(opened.value));
    const TierGetResult first = awaitResult(tier.get(u"city-0"_s));
    QVERIFY(first.ok() && first.value);
    QCOMPARE(first.value->value, QByteArray(2048, 'a'));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"failed quick_check"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^set aside "_s));
    const TierResult<QString> checked = awaitResult(tier.checkIntegrity());
    QVERIFY(checked.ok());
    QVERIFY2(checked.value.contains(u"set aside"_s), qPrintable(checked.value));
    QCOMPARE(QDir(dir.path()).entryList({u"cache.sqlite.corrupt-*"_s}, QDir::Files).size(), 1);
    // The new file: empty of the old rows, and the tier carries on writing to it.
    QVERIFY(!awaitResult(tier.get(u"city-0"_s)).value);
    QVERIFY(awaitResult(tier.put(u"new"_s, {"x", 1'700'000'000'000, kMinute, false})).ok());
    QCOMPARE(awaitResult(tier.get(u"new"_s)).value->value, QByteArray("x"));
    const TierResult<QString> again = awaitResult(tier.checkIntegrity());
    QVERIFY(again.ok());
    QVERIFY(again.value.isEmpty()); // sound: nothing to say
}

QTEST_GUILESS_MAIN(tst_SqliteTier)
#include "tst_sqlitetier.moc"
