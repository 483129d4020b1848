// SPDX-License-Identifier: MIT
// The byte figure the cache reports must be the heap it really holds: measured here by asking
// the allocator itself (glibc's mallinfo2, or AddressSanitizer's allocator when it replaces
// malloc) before and after 100k weather-sized entries.
#include "cache/asynccache.h"

#include <QTest>

#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
// From the ASan runtime (gcc ships no <sanitizer/allocator_interface.h> here).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

using namespace Qt::StringLiterals;

namespace {

qint64 heapInUse()
{
#if defined(__SANITIZE_ADDRESS__)
    return qint64(__sanitizer_get_current_allocated_bytes());
#else
    const struct mallinfo2 m = mallinfo2();
    return qint64(m.uordblks + m.hblkhd); // small chunks in use + mmapped large blocks
#endif
}

} // namespace

class tst_CacheMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reportedBytesMatchTheAllocator_data()
    {
        QTest::addColumn<int>("valueBytes");
        QTest::newRow("current conditions, ~200 B") << 200;
        QTest::newRow("forecast, ~600 B") << 600;
        QTest::newRow("tiny, 16 B") << 16;
    }

    void reportedBytesMatchTheAllocator()
    {
        QFETCH(int, valueBytes);
        constexpr int kEntries = 100'000;
        ManualClock clock;
        auto cache = std::make_unique<AsyncCache<QByteArray>>(&clock);
        malloc_trim(0);
        const qint64 before = heapInUse();
        // Keys and values are made here and handed over: afterwards the cache holds the only
        // references to them, so everything above the baseline is the cache's.
        QList<QString> keys;
        QList<QByteArray> values;
        keys.reserve(kEntries);
        values.reserve(kEntries);
        for (int i = 0; i < kEntries; ++i) {
            keys << u"open-meteo/current/%1,%2/metric/en"_s.arg(52.52 + i * 1e-4, 0, 'f', 4)
                        .arg(13.41, 0, 'f', 2);
            QByteArray v(valueBytes, 'x');
            v.squeeze();
            values << v;
        }
        for (int i = 0; i < kEntries; ++i)
            cache->set(keys.at(i), values.at(i), 600'000);
        keys.clear();
        values.clear();
        keys.squeeze();
        values.squeeze();
        const qint64 measured = heapInUse() - before;
        const qint64 reported = cache->bytes();
        qInfo("%d entries of %d B: reported %lld B, allocator %lld B (%.1f%%), %.1f B/entry",
              kEntries, valueBytes, reported, measured,
              100.0 * double(reported - measured) / double(measured), double(measured) / kEntries);
        QVERIFY2(
            qAbs(reported - measured) <= measured / 5,
            qPrintable(u"reported %1 B, the allocator says %2 B"_s.arg(reported).arg(measured)));
        QCOMPARE(cache->count(), kEntries);
    }

    void memoryComesBackWhenTheCacheDrains()
    {
        ManualClock clock;
        auto cache = std::make_unique<AsyncCache<QByteArray>>(&clock);
        malloc_trim(0);
        const qint64 before = heapInUse();
        for (int i = 0; i < 100'000; ++i)
            cache->set(u"key %1"_s.arg(i), QByteArray(200, 'x'), 1000);
        QVERIFY(heapInUse() - before > 20'000'000);
        clock.advance(1000);
        QTRY_COMPARE(cache->count(), 0);
        QCOMPARE(cache->bytes(), 0);
        // The spike's chunks and table are given back, a slice at a time, not parked for a
        // refill that may never come. One chunk of entry records (1024 x ~96 B) stays.
        QTRY_VERIFY2(heapInUse() - before < 128 * 1024,
                     qPrintable(u"%1 bytes still held"_s.arg(heapInUse() - before)));
    }
};

QTEST_GUILESS_MAIN(tst_CacheMemory)
#include "tst_cachememory.moc"
