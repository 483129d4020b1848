// SPDX-License-Identifier: MIT
#include "asynccachebase.h"

#include "clock.h"

#include <QHashSeed>
#include <QMetaMethod>

Q_LOGGING_CATEGORY(lcCache, "weatherdash.cache", QtWarningMsg)

namespace {
// The timer never sleeps longer than this: after a suspend the monotonic timer is late while
// the wall clock has moved on, and a minute is the longest we let an expiry go unnoticed.
constexpr qint64 kMaxSleepMs = 60'000;
} // namespace

AsyncCacheBase::AsyncCacheBase(Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_seed(size_t(QHashSeed::globalSeed()))
{
    Q_ASSERT(clock);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AsyncCacheBase::onTimer);
    connect(m_clock, &Clock::jumped, this, &AsyncCacheBase::onTimer);
}

AsyncCacheBase::~AsyncCacheBase() = default;

void AsyncCacheBase::resetStats()
{
    resetCounters();
    Q_EMIT statsReset();
}

void AsyncCacheBase::scheduleExpiry(qint64 earliestDeadline)
{
    if (earliestDeadline < 0) {
        m_timer.stop();
        m_armedFor = -1;
        return;
    }
    // Armed for the same deadline, or for "now" (that run arms the next deadline itself: a
    // later deadline must not push back a release of memory or a new stale horizon).
    if (m_timer.isActive() && (m_armedFor == earliestDeadline || m_armedFor < 0))
        return;
    const qint64 delay = qBound<qint64>(0, earliestDeadline - m_clock->now(), kMaxSleepMs);
    m_armedFor = earliestDeadline;
    m_timer.start(std::chrono::milliseconds(delay));
}

void AsyncCacheBase::scheduleExpiryNow()
{
    m_armedFor = -1;
    m_timer.start(0);
}

void AsyncCacheBase::onTimer()
{
    bool more = false;
    const qint64 next = processDue(m_clock->now(), &more);
    if (more)
        scheduleExpiryNow();
    else
        scheduleExpiry(next);
}

void AsyncCacheBase::connectNotify(const QMetaMethod &signal)
{
    // Compare the method itself: isSignalConnected() takes the connection lock, and
    // disconnectNotify() runs with it held when a receiver is destroyed (a deadlock we met).
    // The flags stay set after a disconnect: an emission nobody receives costs nanoseconds.
    if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryInserted))
        m_notifyInserted = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryUpdated))
        m_notifyUpdated = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryExpired))
        m_notifyExpired = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::entryRemoved))
        m_notifyRemoved = true;
    else if (signal == QMetaMethod::fromSignal(&AsyncCacheBase::loadStarted)
             || signal == QMetaMethod::fromSignal(&AsyncCacheBase::loadFinished))
        m_notifyLoads = true;
}

quint32 AsyncCacheBase::queueFor(qint64 ttl)
{
    const auto it = m_queueByTtl.constFind(ttl);
    if (it != m_queueByTtl.cend())
        return it.value();
    TtlQueue queue;
    queue.ttl = ttl;
    quint32 q;
    if (!m_freeQueues.empty()) {
        q = m_freeQueues.back();
        m_freeQueues.pop_back();
        m_queues[q] = queue;
    } else {
        m_queues.push_back(queue);
        q = quint32(m_queues.size() - 1);
    }
    m_queueByTtl.insert(ttl, q);
    return q;
}

void AsyncCacheBase::releaseQueue(quint32 qi)
{
    TtlQueue &q = m_queues[qi];
    Q_ASSERT(q.size == 0 && q.strays == 0);
    m_events.remove(qi);
    m_queueByTtl.remove(q.ttl);
    q.ttl = -1;
    q.walking = false;
    m_freeQueues.push_back(qi);
}

void AsyncCacheBase::scheduleDeliveries()
{
    if (m_deliveryScheduled)
        return;
    m_deliveryScheduled = true;
    QMetaObject::invokeMethod(
        this, [this] { deliver(); }, Qt::QueuedConnection);
}

QString AsyncCacheBase::checkCore() const
{
    using namespace Qt::StringLiterals;
    const auto isLive = [this](quint32 i) {
        return (headAt(i).flags & kLive) != 0;
    };
    // Slot storage: [0, m_slotsUsed) is live or on the free list; chunks cover it.
    if (size_t(m_slotsUsed) > chunkCount() * kChunkSize)
        return u"%1 slots in use but only %2 chunks"_s.arg(m_slotsUsed).arg(chunkCount());
    const size_t chunksInUse = (size_t(m_slotsUsed) + kChunkSize - 1) >> kChunkShift;
    if (!m_releasing && chunkCount() > qMax<size_t>(chunksInUse, 1))
        return u"%1 chunks held for %2 slots, and no release under way"_s.arg(chunkCount())
            .arg(m_slotsUsed);
    qint64 live = 0;
    qint64 negative = 0;
    qint64 bytes = 0;
    qint64 toReclaim = 0;
    qint64 reclaimBytes = 0;
    qint64 bitsSet = 0;
    for (const quint64 word : m_reclaim)
        bitsSet += qPopulationCount(word);
    qint64 strays = 0;
    std::vector<quint32> straysOf(m_queues.size(), 0);
    for (quint32 i = 0; i < m_slotsUsed; ++i) {
        const EntryHead &e = headAt(i);
        const bool marked = (i >> 6) < m_reclaim.size() && (m_reclaim[i >> 6] >> (i & 63)) & 1;
        if (marked != ((e.flags & kReclaim) != 0) || ((e.flags & kReclaim) && (e.flags & kLive)))
            return u"slot %1: marked to reclaim %2, its flags say %3"_s.arg(i).arg(marked).arg(
                uint(e.flags));
        if (e.flags & kReclaim) {
            ++toReclaim;
            reclaimBytes += e.charge;
        }
        if (!(e.flags & kLive))
            continue;
        ++live;
        negative += (e.flags & kNegative) != 0;
        bytes += e.charge;
        if (findKey(keyAt(i)) != i)
            return u"entry %1 (%2) cannot be found by its key"_s.arg(i).arg(keyAt(i));
        if (e.home != quint32(qHash(keyAt(i), m_seed)))
            return u"entry %1 (%2): its home is not its key's hash"_s.arg(i).arg(keyAt(i));
        if (e.queue >= m_queues.size() || m_queues[e.queue].ttl < 0)
            return u"entry %1 is filed in a queue not in use"_s.arg(i);
        if (e.flags & kStray) {
            ++strays;
            ++straysOf[e.queue];
            if (e.qPrev != kNil || e.qNext != kNil)
                return u"stray %1 is linked into a queue"_s.arg(i);
            if (m_strays.timeOf(i) != strayEventTime(e))
                return u"stray %1: event at %2, should be %3"_s.arg(i)
                    .arg(m_strays.timeOf(i))
                    .arg(strayEventTime(e));
        }
    }
    if (size_t(strays) != m_strays.size())
        return u"%1 strays, the heap of strays holds %2"_s.arg(strays).arg(m_strays.size());
    const QString strayHeap = m_strays.check();
    if (!strayHeap.isEmpty())
        return u"strays: "_s + strayHeap;
    if (live != m_count)
        return u"%1 live entries, count() says %2"_s.arg(live).arg(m_count);
    if (bytes != m_stats.bytes)
        return u"charges add up to %1 bytes, bytes() says %2"_s.arg(bytes).arg(m_stats.bytes);
    if (toReclaim != bitsSet || toReclaim != m_reclaimCount || reclaimBytes != m_reclaimBytes)
        return u"%1 slots to reclaim (%2 bits set, %3 counted), %4 bytes (%5 counted)"_s
            .arg(toReclaim)
            .arg(bitsSet)
            .arg(m_reclaimCount)
            .arg(reclaimBytes)
            .arg(m_reclaimBytes);
    quint32 freed = 0;
    for (quint32 i = m_freeHead; i != kNil; i = headAt(i).lruNext) {
        if (i >= m_slotsUsed || headAt(i).flags != 0 || ++freed > m_slotsUsed)
            return u"free list broken at slot %1"_s.arg(i);
    }
    if (qint64(freed) + live + toReclaim != qint64(m_slotsUsed))
        return u"%1 free + %2 live + %3 to reclaim slots, %4 in use: a slot leaked"_s.arg(freed)
            .arg(live)
            .arg(toReclaim)
            .arg(m_slotsUsed);
    if (m_count == 0 && !m_releasing
        && (m_table.capacity() != kInitialTableSize || chunkCount() > 1 || m_reclaimCount > 0))
        return u"empty, but the memory of a spike is still held"_s;
    // Table.
    const QString table = m_table.check(m_slotsUsed, size_t(m_count), isLive,
                                        [this](quint32 i) { return qHash(keyAt(i), m_seed); });
    if (!table.isEmpty())
        return table;
    // LRU list, both ways.
    qint64 inLru = 0;
    quint32 prev = kNil;
    for (quint32 i = m_lruHead; i != kNil; prev = i, i = headAt(i).lruNext) {
        if (i >= m_slotsUsed || !isLive(i) || headAt(i).lruPrev != prev || ++inLru > m_count)
            return u"LRU list broken at slot %1"_s.arg(i);
    }
    if (prev != m_lruTail || inLru != m_count)
        return u"LRU list holds %1 of %2 entries or its tail is wrong"_s.arg(inLru).arg(m_count);
    // Expiry queues: each entry in exactly one, in deadline order, [head, cursor) stale.
    qint64 queued = 0;
    size_t queuesInUse = 0;
    size_t queuesWithEntries = 0;
    for (quint32 qi = 0; qi < m_queues.size(); ++qi) {
        const TtlQueue &q = m_queues[qi];
        if (q.ttl < 0) {
            if (m_events.contains(qi) || q.strays != 0)
                return u"free queue %1 has an event or strays"_s.arg(qi);
            continue;
        }
        ++queuesInUse;
        queuesWithEntries += q.size > 0;
        if (q.strays != straysOf[qi])
            return u"queue %1 counts %2 strays, %3 are filed"_s.arg(qi).arg(q.strays).arg(
                straysOf[qi]);
        if (q.walking && !m_processing)
            return u"queue %1 is marked as walked, but no expiry walk is under way"_s.arg(qi);
        if (m_queueByTtl.value(q.ttl, kNil) != qi)
            return u"queue %1 (TTL %2) is not the one filed for its TTL"_s.arg(qi).arg(q.ttl);
        if (q.size == 0 && q.strays == 0)
            return u"queue %1 is empty but not released"_s.arg(qi);
        quint32 n = 0;
        quint32 before = kNil;
        bool cursorSeen = q.cursor == kNil;
        for (quint32 i = q.head; i != kNil; before = i, i = headAt(i).qNext) {
            const EntryHead &e = headAt(i);
            if (i >= m_slotsUsed || !isLive(i) || e.queue != qi || e.qPrev != before
                || ++n > q.size)
                return u"queue %1 broken at slot %2"_s.arg(qi).arg(i);
            if (before != kNil && headAt(before).deadline > e.deadline)
                return u"queue %1 out of deadline order at slot %2"_s.arg(qi).arg(i);
            if (e.deadline != loadedAt(e) + q.ttl)
                return u"entry %1: deadline is not load time + TTL"_s.arg(i);
            cursorSeen = cursorSeen || i == q.cursor;
            if (!cursorSeen && !(e.flags & kExpired))
                return u"queue %1: slot %2 before the cursor is not expired"_s.arg(qi).arg(i);
        }
        if (before != q.tail || n != q.size || !cursorSeen)
            return u"queue %1: tail, size or cursor wrong"_s.arg(qi);
        queued += n;
        qint64 next = q.cursor != kNil ? headAt(q.cursor).deadline : -1;
        if (q.head != q.cursor) {
            const qint64 gone = headAt(q.head).deadline + m_staleHorizon;
            next = next < 0 ? gone : qMin(next, gone);
        }
        if (m_events.timeOf(qi) != next)
            return u"queue %1: event at %2, should be %3"_s.arg(qi)
                .arg(m_events.timeOf(qi))
                .arg(next);
    }
    if (queued + strays != m_count)
        return u"queues hold %1 entries and the strays %2, the cache %3"_s.arg(queued)
            .arg(strays)
            .arg(m_count);
    if (size_t(m_queueByTtl.size()) != queuesInUse
        || m_freeQueues.size() + queuesInUse != m_queues.size())
        return u"queue records: %1 in use, %2 filed by TTL, %3 free of %4"_s.arg(queuesInUse)
            .arg(m_queueByTtl.size())
            .arg(m_freeQueues.size())
            .arg(m_queues.size());
    const QString events = m_events.check();
    if (!events.isEmpty())
        return events;
    if (m_events.size() != queuesWithEntries)
        return u"%1 events for %2 queues holding entries"_s.arg(m_events.size())
            .arg(queuesWithEntries);
    // The timer: armed for the earliest event (or sooner), or for a release under way.
    qint64 armedFor = -1;
    const bool armed = expiryArmed(&armedFor);
    const qint64 next = nextEventTime();
    if (!m_processing && next >= 0 && !(armed && (armedFor < 0 || armedFor <= next)))
        return u"the next expiry (at %1) has no timer"_s.arg(next);
    if (m_releasing && !(armed && armedFor < 0))
        return u"a release of memory is under way with no timer"_s;
    // Negative entries and their errors.
    if (m_errors.size() != negative)
        return u"%1 errors kept for %2 negative entries"_s.arg(m_errors.size()).arg(negative);
    for (auto it = m_errors.cbegin(); it != m_errors.cend(); ++it) {
        if (it.key() >= m_slotsUsed || !(headAt(it.key()).flags & kNegative) || !isLive(it.key()))
            return u"an error is kept for slot %1, not a negative entry"_s.arg(it.key());
    }
    return {};
}
