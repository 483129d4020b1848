// SPDX-License-Identifier: MIT
#include "cache/asynccache.h"
#include "cache/clock.h"
#include "models/cacheentrymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

using Cache = AsyncCache<QString>;

namespace {
constexpr qint64 kMinute = 60'000;

/** A loader the test finishes by hand. */
class ManualLoader
{
public:
    Cache::Loader loader()
    {
        return [this] {
            auto promise = std::make_shared<QPromise<Outcome<QString>>>();
            promise->start();
            m_pending.push_back(promise);
            return promise->future();
        };
    }
    void finish(const Outcome<QString> &outcome)
    {
        m_pending.back()->addResult(outcome);
        m_pending.back()->finish();
    }
    bool hasPending() const { return !m_pending.empty(); }

private:
    std::vector<std::shared_ptr<QPromise<Outcome<QString>>>> m_pending;
};
} // namespace

class tst_CacheEntryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_clock = std::make_unique<ManualClock>();
        m_cache = std::make_unique<Cache>(m_clock.get());
        m_cache->setStaleHorizon(60 * kMinute);
    }
    void cleanup()
    {
        m_cache.reset();
        m_clock.reset();
    }

    void descriptionFollowsWhatTheServiceLearns()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        QString label = u"52.52,13.41"_s; // the place's name is not known yet
        model.setDescribeFunction([&label](const QString &) { return label; });
        model.setCache(m_cache.get());
        m_cache->set(u"k"_s, u"v"_s, 10 * kMinute);
        const int row = model.rowOfKey(u"k"_s);
        QCOMPARE(model.index(row, CacheEntryModel::EntryColumn).data().toString(), label);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        label = u"Berlin, DE · current conditions"_s;
        m_cache->set(u"k"_s, u"w"_s, 10 * kMinute); // reloaded: the row updates
        QCOMPARE(model.index(row, CacheEntryModel::EntryColumn).data().toString(), label);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).value<QModelIndex>().column(),
                 int(CacheEntryModel::EntryColumn));
    }

    void rowsFollowInsertsAndRemovals()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setDescribeFunction([](const QString &key) -> QString { return u"Entry "_s + key; });
        model.setCache(m_cache.get());
        QCOMPARE(model.rowCount(), 0);

        m_cache->set(u"a"_s, u"alpha"_s, 10 * kMinute);
        m_cache->set(u"b"_s, u"beta"_s, 10 * kMinute);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 2);
        const int rowA = model.rowOfKey(u"a"_s);
        QVERIFY(rowA >= 0);
        QCOMPARE(model.index(rowA, CacheEntryModel::EntryColumn).data().toString(), u"Entry a"_s);
        QCOMPARE(model.index(rowA, CacheEntryModel::StateColumn).data().toString(), u"fresh"_s);
        QCOMPARE(model.index(rowA, 0).data(CacheEntryModel::KeyRole).toString(), u"a"_s);
        QVERIFY(model.index(rowA, CacheEntryModel::SizeColumn).data().toString() != u"—"_s);

        m_cache->invalidate(u"a"_s);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.keyAt(0), u"b"_s);

        m_cache->set(u"c"_s, u"gamma"_s);
        m_cache->clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 0);
    }

    void loadingRowAppearsAndTurnsFresh()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        ManualLoader loader;
        auto future = m_cache->get(u"k"_s, loader.loader(), 5 * kMinute);
        QTRY_VERIFY(loader.hasPending());
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, CacheEntryModel::StateColumn).data().toString(), u"loading"_s);
        QCOMPARE(model.index(0, CacheEntryModel::AgeColumn)
                     .data(CacheEntryModel::AgeMsRole)
                     .toLongLong(),
                 -1);

        loader.finish(Outcome<QString>::success(u"value"_s));
        QTRY_COMPARE(model.index(0, CacheEntryModel::StateColumn).data().toString(), u"fresh"_s);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, CacheEntryModel::TimeLeftColumn)
                     .data(CacheEntryModel::FractionLeftRole)
                     .toDouble(),
                 1.0);
    }

    void failedFirstLoadLeavesNoRow()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        ManualLoader loader;
        auto future = m_cache->get(u"k"_s, loader.loader());
        QTRY_VERIFY(loader.hasPending());
        QTRY_COMPARE(model.rowCount(), 1);
        loader.finish(Outcome<QString>::failure({500, u"boom"_s, {}}));
        QTRY_COMPARE(model.rowCount(), 0);
    }

    void ticksSendNoDataChanged()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        m_cache->set(u"a"_s, u"alpha"_s, 2 * kMinute);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy ticked(&model, &CacheEntryModel::ticked);

        // Time moves: the ticking columns read differently, and nothing is re-sent for them.
        m_clock->advance(30'000); // ManualClock::jumped -> a tick at once
        QCOMPARE(ticked.count(), 1);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(model.index(0, CacheEntryModel::AgeColumn).data().toString(), u"30 s"_s);
        QCOMPARE(model.index(0, CacheEntryModel::TimeLeftColumn).data().toString(), u"1 min"_s);
        QCOMPARE(model.index(0, 0).data(CacheEntryModel::FractionLeftRole).toDouble(), 0.75);
        QCOMPARE(model.index(0, 0).data(CacheEntryModel::AgeMsRole).toLongLong(), 30'000);

        // A hit is no time: it shows up when the row is read again, in the hits column only.
        QVERIFY(m_cache->value(u"a"_s).has_value());
        model.refreshRows(0, 0);
        QCOMPARE(changed.count(), 1);
        const auto args = changed.first();
        QCOMPARE(args.at(0).value<QModelIndex>().column(), int(CacheEntryModel::HitsColumn));
        QCOMPARE(args.at(1).value<QModelIndex>().column(), int(CacheEntryModel::HitsColumn));
        QCOMPARE(model.index(0, CacheEntryModel::HitsColumn).data().toInt(), 1);
        // Read again without a change: nothing sent.
        model.refreshRows(0, 0);
        model.refresh();
        QCOMPARE(changed.count(), 1);

        // Past its TTL the row reads stale at once, from the clock.
        m_clock->advance(2 * kMinute);
        QCOMPARE(model.index(0, CacheEntryModel::StateColumn).data().toString(), u"stale"_s);
        QCOMPARE(layouts.count(), 0);
        QCOMPARE(resets.count(), 0);
    }

    void sortValuesDoNotMoveWithTheClock()
    {
        // A sorted view re-sorts when entries change, never because a second went by.
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        m_cache->set(u"old"_s, u"v"_s, 10 * kMinute);
        m_clock->advance(kMinute);
        m_cache->set(u"new"_s, u"v"_s, 20 * kMinute);
        const auto sortValue = [&model](const QString &key, int column) {
            return model.index(model.rowOfKey(key), column).data(CacheEntryModel::SortRole);
        };
        const QVariant ageOld = sortValue(u"old"_s, CacheEntryModel::AgeColumn);
        const QVariant leftOld = sortValue(u"old"_s, CacheEntryModel::TimeLeftColumn);
        // Younger sorts first by age; the one that goes first sorts first by time left.
        QVERIFY(QVariant::compare(sortValue(u"new"_s, CacheEntryModel::AgeColumn), ageOld)
                == QPartialOrdering::Less);
        QVERIFY(QVariant::compare(leftOld, sortValue(u"new"_s, CacheEntryModel::TimeLeftColumn))
                == QPartialOrdering::Less);
        m_clock->advance(3 * kMinute);
        QCOMPARE(sortValue(u"old"_s, CacheEntryModel::AgeColumn), ageOld);
        QCOMPARE(sortValue(u"old"_s, CacheEntryModel::TimeLeftColumn), leftOld);
    }

    void refreshRowsReadsOnlyThoseRows()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        for (const QString &key : {u"a"_s, u"b"_s, u"c"_s})
            m_cache->set(key, u"v"_s, 10 * kMinute);
        for (const QString &key : {u"a"_s, u"b"_s, u"c"_s})
            QVERIFY(m_cache->value(key).has_value());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const int b = model.rowOfKey(u"b"_s);
        model.refreshRows(b, b);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), b);
        QCOMPARE(model.index(b, CacheEntryModel::HitsColumn).data().toInt(), 1);
        QCOMPARE(model.index(model.rowOfKey(u"a"_s), CacheEntryModel::HitsColumn).data().toInt(),
                 0);
        model.refreshRows(-5, 99); // out of range is clamped
        QCOMPARE(changed.count(), 3);
    }

    void expiredEntryTurnsStale()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        m_cache->set(u"a"_s, u"alpha"_s, kMinute);
        m_clock->advance(2 * kMinute);
        QTRY_COMPARE(model.index(0, CacheEntryModel::StateColumn).data().toString(), u"stale"_s);
        // Expired a minute ago, kept for an hour after it: 59 min to go as a backup.
        const QModelIndex cell = model.index(0, CacheEntryModel::TimeLeftColumn);
        QCOMPARE(cell.data().toString(), u"kept 59 min"_s);
        QCOMPARE(cell.data(CacheEntryModel::LifeTextRole).toString(),
                 u"expired — kept 59 min as offline backup"_s);
        QCOMPARE(cell.data(Qt::AccessibleTextRole).toString(),
                 cell.data(CacheEntryModel::LifeTextRole).toString());
        QCOMPARE(model.index(0, 0).data(CacheEntryModel::FractionLeftRole).toDouble(), 0.0);
        QCOMPARE(cell.data(CacheEntryModel::StaleFractionLeftRole).toDouble(), 59.0 / 60.0);
        // Past the stale horizon it goes.
        m_clock->advance(2 * 60 * kMinute);
        QTRY_COMPARE(model.rowCount(), 0);
    }

    void barTellsTheWholeLife_data()
    {
        QTest::addColumn<qint64>("horizon");
        QTest::addColumn<qint64>("elapsed");
        QTest::addColumn<QString>("shortText");
        QTest::addColumn<QString>("fullText");
        QTest::addColumn<double>("freshLeft");
        QTest::addColumn<double>("staleLeft");
        constexpr qint64 kWeek = 7 * 24 * 60 * kMinute;
        // A 10 min answer, kept a week after it expires.
        QTest::newRow("fresh, with a backup to come")
            << kWeek << 4 * kMinute << u"6 min"_s
            << u"fresh for 6 min, then kept 7 d as offline backup"_s << 0.6 << 1.0;
        QTest::newRow("fresh, nothing kept after")
            << qint64(0) << 4 * kMinute << u"6 min"_s << u"fresh for 6 min"_s << 0.6 << 0.0;
        QTest::newRow("expired, kept as backup")
            << kWeek << 70 * kMinute << u"kept 6 d 23 h"_s
            << u"expired — kept 6 d 23 h as offline backup"_s << 0.0 << 1.0 - 60.0 / (7 * 24 * 60);
    }
    void barTellsTheWholeLife()
    {
        QFETCH(qint64, horizon);
        QFETCH(qint64, elapsed);
        QFETCH(QString, shortText);
        QFETCH(QString, fullText);
        QFETCH(double, freshLeft);
        QFETCH(double, staleLeft);
        m_cache->setStaleHorizon(horizon);
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        m_cache->set(u"k"_s, u"v"_s, 10 * kMinute);
        m_clock->advance(elapsed);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex cell = model.index(0, CacheEntryModel::TimeLeftColumn);
        QCOMPARE(cell.data().toString(), shortText);
        QCOMPARE(cell.data(CacheEntryModel::LifeTextRole).toString(), fullText);
        QVERIFY(!cell.data(CacheEntryModel::RememberedFailureRole).toBool());
        QCOMPARE(cell.data(CacheEntryModel::FractionLeftRole).toDouble(), freshLeft);
        QVERIFY(qAbs(cell.data(CacheEntryModel::StaleFractionLeftRole).toDouble() - staleLeft)
                < 1e-9);
        QCOMPARE(cell.data(CacheEntryModel::StaleHorizonMsRole).toLongLong(), horizon);
        QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(fullText.mid(1)));
    }

    void rememberedNotFoundSaysSo()
    {
        m_cache->setNegativeCaching(5 * kMinute, [](const LoadError &e) { return e.code == 404; });
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        ManualLoader loader;
        auto future = m_cache->get(u"k"_s, loader.loader());
        QTRY_VERIFY(loader.hasPending());
        loader.finish(Outcome<QString>::failure({404, u"No such place"_s, {}}));
        QTRY_COMPARE(model.index(0, CacheEntryModel::StateColumn).data().toString(),
                     u"not found"_s);
        m_clock->advance(kMinute);
        const QModelIndex cell = model.index(0, CacheEntryModel::TimeLeftColumn);
        QVERIFY(cell.data(CacheEntryModel::RememberedFailureRole).toBool());
        QCOMPARE(cell.data().toString(), u"not found · 4 min"_s);
        QCOMPARE(cell.data(CacheEntryModel::LifeTextRole).toString(),
                 u"remembered as not found for 4 min"_s);
        // Never kept as a backup: it goes when its time is up.
        QCOMPARE(cell.data(CacheEntryModel::StaleHorizonMsRole).toLongLong(), 0);
        m_clock->advance(4 * kMinute);
        QTRY_COMPARE(model.rowCount(), 0);
    }

    void timerTicksWithoutClockJumps()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setTickInterval(10);
        model.setCache(m_cache.get());
        m_cache->set(u"a"_s, u"alpha"_s);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy ticked(&model, &CacheEntryModel::ticked);
        QVERIFY(ticked.wait(1000));
        QVERIFY(ticked.wait(1000));
        QCOMPARE(changed.count(), 0);
    }

    void stoppedTickingWakesNobodyAndCatchesUpAtOnce()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setTickInterval(10);
        model.setCache(m_cache.get());
        m_cache->set(u"a"_s, u"alpha"_s, 10 * kMinute);
        model.setTicking(false);
        QSignalSpy ticked(&model, &CacheEntryModel::ticked);
        m_clock->advance(2 * kMinute); // a jump, as a resumed laptop makes
        QCOMPARE(ticked.count(), 0);
        const QTimer *timer = model.findChild<QTimer *>();
        QVERIFY(timer);
        QVERIFY(!timer->isActive()); // nothing left to wake anybody up
        // Whoever reads anyway reads the time as it is.
        QCOMPARE(model.index(0, CacheEntryModel::AgeColumn).data().toString(), u"2 min"_s);
        model.setTicking(true);
        QCOMPARE(ticked.count(), 1); // at once, not at the next interval
    }

    void headersAndFormatting_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << qint64(45'000) << u"45 s"_s;
        QTest::newRow("minutes") << qint64(3 * kMinute + 5'000) << u"3 min"_s;
        QTest::newRow("whole hours") << qint64(120 * kMinute) << u"2 h"_s;
        QTest::newRow("hours and minutes") << qint64(125 * kMinute) << u"2 h 5 min"_s;
        QTest::newRow("days") << qint64(3 * 24 * 60 * kMinute) << u"3 d"_s;
        QTest::newRow("days and hours") << qint64((7 * 24 * 60 - 50) * kMinute) << u"6 d 23 h"_s;
        QTest::newRow("negative is zero") << qint64(-5) << u"0 s"_s;
    }
    void headersAndFormatting()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(CacheEntryModel::formatDuration(ms), text);
        CacheEntryModel model;
        QCOMPARE(model.headerData(CacheEntryModel::TimeLeftColumn, Qt::Horizontal).toString(),
                 u"Time left"_s);
        QCOMPARE(model.columnCount(), int(CacheEntryModel::ColumnCount));
    }

    void cacheDestroyedFirst()
    {
        CacheEntryModel model;
        QAbstractItemModelTester tester(&model);
        model.setCache(m_cache.get());
        m_cache->set(u"a"_s, u"alpha"_s);
        QCOMPARE(model.rowCount(), 1);
        model.setCache<QString>(nullptr);
        QCOMPARE(model.rowCount(), 0);

        // Really destroyed first: the next tick shows nothing (and reads no freed memory).
        model.setCache(m_cache.get());
        QCOMPARE(model.rowCount(), 1);
        m_cache.reset();
        model.refresh();
        QCOMPARE(model.rowCount(), 0);
    }

private:
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Cache> m_cache;
};

QTEST_MAIN(tst_CacheEntryModel)
#include "tst_cacheentrymodel.moc"
