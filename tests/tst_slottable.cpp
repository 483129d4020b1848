// SPDX-License-Identifier: MIT
// SlotTable on its own: the lookup table of AsyncCache, against a std::map, with its
// invariant check after every step. WEATHERDASH_SEED=<n> replays a run.
#include "cache/slottable.h"

#include <QTest>

#include <map>
#include <random>

class tst_SlotTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsWhatWasInsertedAndNothingErased();
    void collidingFragmentsAreTellApart();
    void checkCatchesAStaleSlot();
};

namespace {
quint64 seedFromEnv()
{
    bool ok = false;
    const quint64 seed = qEnvironmentVariable("WEATHERDASH_SEED").toULongLong(&ok);
    return ok ? seed : (std::random_device{}() | (quint64(std::random_device{}()) << 32));
}
} // namespace

void tst_SlotTable::findsWhatWasInsertedAndNothingErased()
{
    const quint64 seed = seedFromEnv();
    qInfo("seed %llu (WEATHERDASH_SEED to replay)", seed);
    std::mt19937_64 rng(seed);
    constexpr quint32 kBound = 3000;
    std::vector<size_t> hashes(kBound);
    for (auto &h : hashes)
        h = rng() & (rng() % 4 == 0 ? 0xff00000000000fffULL : ~0ULL); // many near-collisions
    std::vector<bool> live(kBound, false);
    size_t count = 0;
    SlotTable table;
    for (int step = 0; step < 200'000; ++step) {
        const quint32 idx = quint32(rng() % kBound);
        if (live[idx]) {
            table.erase(idx, hashes[idx]);
            live[idx] = false;
            --count;
        } else {
            if (table.needsRoom()) {
                table.reset(table.capacityFor(count));
                for (quint32 i = 0; i < kBound; ++i) {
                    if (live[i])
                        table.insert(i, hashes[i]);
                }
            }
            table.insert(idx, hashes[idx]);
            live[idx] = true;
            ++count;
        }
        const quint32 probe = quint32(rng() % kBound);
        const quint32 found = table.find(hashes[probe], [probe](quint32 i) { return i == probe; });
        QVERIFY2(found == (live[probe] ? probe : SlotTable::kNil),
                 qPrintable(QStringLiteral("seed %1 step %2").arg(seed).arg(step)));
        if (step % 97 == 0) {
            const QString broken = table.check(
                kBound, count, [&live](quint32 i) { return bool(live[i]); },
                [&hashes](quint32 i) { return hashes[i]; });
            QVERIFY2(
                broken.isEmpty(),
                qPrintable(QStringLiteral("seed %1 step %2: %3").arg(seed).arg(step).arg(broken)));
        }
    }
}

void tst_SlotTable::collidingFragmentsAreTellApart()
{
    // Every hash the same: one long probe run; erase from its middle keeps the rest findable.
    SlotTable table;
    for (quint32 i = 0; i < 40; ++i)
        table.insert(i, 12345);
    for (quint32 i = 0; i < 40; i += 3)
        table.erase(i, 12345);
    for (quint32 i = 0; i < 40; ++i) {
        const quint32 found = table.find(12345, [i](quint32 c) { return c == i; });
        QCOMPARE(found, i % 3 == 0 ? SlotTable::kNil : i);
    }
    QCOMPARE(table.tombstones(), 14u);
    QCOMPARE(table.live(), 26u);
}

void tst_SlotTable::checkCatchesAStaleSlot()
{
    // What clear() used to leave behind: slots naming entries that are gone.
    SlotTable table;
    for (quint32 i = 0; i < 10; ++i)
        table.insert(i, i * 0x9e3779b97f4a7c15ULL);
    const auto hashOf = [](quint32 i) {
        return size_t(i * 0x9e3779b97f4a7c15ULL);
    };
    QCOMPARE(table.check(
                 10, 10, [](quint32) { return true; }, hashOf),
             QString());
    QVERIFY(!table
                 .check(
                     0, 0, [](quint32) { return false; }, hashOf)
                 .isEmpty());
    QVERIFY(!table
                 .check(
                     10, 10, [](quint32 i) { return i != 4; }, hashOf)
                 .isEmpty());
    table.reset(SlotTable::kInitialCapacity);
    QCOMPARE(table.check(
                 0, 0, [](quint32) { return false; }, hashOf),
             QString());
}

QTEST_GUILESS_MAIN(tst_SlotTable)
#include "tst_slottable.moc"
