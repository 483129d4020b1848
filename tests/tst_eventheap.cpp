// SPDX-License-Identifier: MIT
// EventHeap on its own (each expiry queue's next event), against a std::set.
// WEATHERDASH_SEED=<n> replays a run.
#include "cache/eventheap.h"

#include <QTest>

#include <map>
#include <random>
#include <set>

class tst_EventHeap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesAnOrderedSet();
    void tiesGoByQueueNumber();
};

void tst_EventHeap::matchesAnOrderedSet()
{
    bool ok = false;
    quint64 seed = qEnvironmentVariable("WEATHERDASH_SEED").toULongLong(&ok);
    if (!ok)
        seed = std::random_device{}();
    qInfo("seed %llu (WEATHERDASH_SEED to replay)", seed);
    std::mt19937_64 rng(seed);
    EventHeap heap;
    std::set<std::pair<qint64, quint32>> model;
    std::map<quint32, qint64> timeOf;
    for (int step = 0; step < 300'000; ++step) {
        const quint32 id = quint32(rng() % 300);
        const qint64 time = qint64(rng() % 1000);
        switch (rng() % 4) {
        case 0:
        case 1:
        case 2:
            if (timeOf.count(id))
                model.erase({timeOf[id], id});
            model.insert({time, id});
            timeOf[id] = time;
            heap.set(id, time);
            break;
        default:
            if (timeOf.count(id)) {
                model.erase({timeOf[id], id});
                timeOf.erase(id);
            }
            heap.remove(id);
        }
        const QString where = QStringLiteral("seed %1 step %2").arg(seed).arg(step);
        QVERIFY2(heap.size() == model.size(), qPrintable(where));
        if (!model.empty()) {
            QVERIFY2(heap.topTime() == model.begin()->first, qPrintable(where));
            QVERIFY2(heap.topId() == model.begin()->second, qPrintable(where));
        }
        QVERIFY2(heap.timeOf(id) == (timeOf.count(id) ? timeOf[id] : -1), qPrintable(where));
        if (step % 101 == 0)
            QVERIFY2(heap.check().isEmpty(), qPrintable(where + u": "_qs + heap.check()));
    }
}

void tst_EventHeap::tiesGoByQueueNumber()
{
    EventHeap heap;
    heap.set(7, 100);
    heap.set(3, 100);
    heap.set(5, 50);
    QCOMPARE(heap.topId(), 5u);
    heap.set(5, 200); // moves later
    QCOMPARE(heap.topId(), 3u);
    heap.remove(3);
    QCOMPARE(heap.topId(), 7u);
    QCOMPARE(heap.timeOf(3), -1);
    QCOMPARE(heap.check(), QString());
}

QTEST_GUILESS_MAIN(tst_EventHeap)
#include "tst_eventheap.moc"
