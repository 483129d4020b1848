// SPDX-License-Identifier: MIT
#include "layeredcache.h"

namespace {
// Like the memory cache's expiry timer: never sleep longer than this, so a read given up on
// after a suspend is noticed within a minute even without a jump signal.
constexpr qint64 kMaxSleepMs = 60'000;
} // namespace

LayeredCacheBase::LayeredCacheBase(Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    Q_ASSERT(clock);
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, [this] { checkTimeouts(); });
    // A ManualClock moves by jumps: deadlines are checked then, so tests never wait.
    connect(m_clock, &Clock::jumped, this, [this] { checkTimeouts(); });
}

LayeredCacheBase::~LayeredCacheBase() = default;

void LayeredCacheBase::addTier(CacheTier *tier)
{
    Q_ASSERT(tier);
    TierSlot slot;
    slot.tier = tier;
    slot.stats.name = tier->name();
    const int index = int(m_tiers.size());
    m_tiers.push_back(std::move(slot));
    connect(tier, &CacheTier::entryLanded, this,
            [this, index](const QString &key) { onEntryLanded(index, key); });
    // Before the first load, so a machine that loses a lease hears the winner's landing.
    if (tier->supportsLeases())
        tier->watchLandings(true);
}

LayeredCacheBase::EntryFault LayeredCacheBase::checkEntry(const TierEntry &entry, qint64 now,
                                                          qint64 maxTtlMs)
{
    // kTierForeverMs is what "never expires" is written as; more is nobody's TTL.
    if (entry.ttlMs <= 0 || entry.ttlMs > qMin(maxTtlMs, kTierForeverMs))
        return EntryFault::BadTtl;
    if (entry.loadedAt > now && entry.loadedAt - now > kFutureToleranceMs)
        return EntryFault::FromTheFuture;
    return EntryFault::None;
}

int LayeredCacheBase::leaseTier() const
{
    for (size_t i = 0; i < m_tiers.size(); ++i) {
        if (m_tiers[i].tier->supportsLeases())
            return int(i);
    }
    return -1;
}

void LayeredCacheBase::releaseLease(int index, const QString &key, const QByteArray &token,
                                    bool announce)
{
    CacheTier *t = m_tiers.at(size_t(index)).tier;
    // Counted with the writes: a process about to exit gives its lease back first.
    ++m_pendingWrites;
    onTierAnswer(index, t->releaseLease(key, token), [this, index](const TierResult<bool> &r) {
        noteTierResult(index, TierOp::Write, r.error);
        if (--m_pendingWrites == 0)
            Q_EMIT tierWritesSettled();
    });
    if (announce)
        watchDone(index, t->announceLanded(key));
}

void LayeredCacheBase::noteTierResult(int index, TierOp op, const QString &error)
{
    TierSlot &slot = m_tiers.at(size_t(index));
    TierStats &stats = slot.stats;
    bool &kindFailing = op == TierOp::Read ? slot.readFailing : slot.writeFailing;
    kindFailing = !error.isEmpty();
    if (!error.isEmpty())
        ++stats.errors;
    const bool failing = slot.readFailing || slot.writeFailing;
    if (failing == stats.failing)
        return;
    stats.failing = failing;
    stats.lastError = error;
    if (failing) {
        qCWarning(lcCache).noquote() << "tier" << stats.name << "failing:" << error;
        Q_EMIT tierStatusChanged(stats.name, false, error);
    } else {
        qCInfo(lcCache).noquote() << "tier" << stats.name << "works again";
        Q_EMIT tierStatusChanged(stats.name, true, QString());
    }
}

void LayeredCacheBase::watchDone(int index, QFuture<TierDoneResult> future)
{
    ++m_pendingWrites;
    onTierAnswer(index, std::move(future), [this, index](const TierDoneResult &r) {
        noteTierResult(index, TierOp::Write, r.error);
        if (--m_pendingWrites == 0)
            Q_EMIT tierWritesSettled();
    });
}

void LayeredCacheBase::writeToTier(int index, const QString &key, const TierEntry &entry)
{
    CacheTier *t = m_tiers.at(size_t(index)).tier;
    if (!t->answersByCallback())
        return watchDone(index, t->put(key, entry));
    ++m_pendingWrites;
    t->writeEntry(key, entry,
                  [this, self = QPointer<LayeredCacheBase>(this), index](const TierDoneResult &r) {
                      if (!self)
                          return;
                      noteTierResult(index, TierOp::Write, r.error);
                      if (--m_pendingWrites == 0)
                          Q_EMIT tierWritesSettled();
                  });
}

void LayeredCacheBase::scheduleTimeout(qint64 deadline)
{
    if (deadline < 0) {
        m_timeoutTimer.stop();
        return;
    }
    const qint64 delay = qBound<qint64>(0, deadline - m_clock->now(), kMaxSleepMs);
    m_timeoutTimer.start(std::chrono::milliseconds(delay));
}

void LayeredCacheBase::resetStats()
{
    m_stats = LayeredCacheStats();
    for (TierSlot &slot : m_tiers) {
        TierStats fresh;
        fresh.name = slot.stats.name;
        fresh.failing = slot.stats.failing;
        fresh.lastError = slot.stats.lastError;
        slot.stats = fresh;
    }
}
