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
    m_tiers.push_back(std::move(slot));
}

void LayeredCacheBase::noteTierResult(int index, const QString &error)
{
    TierStats &stats = m_tiers.at(size_t(index)).stats;
    if (!error.isEmpty()) {
        ++stats.errors;
        if (!stats.failing) {
            stats.failing = true;
            stats.lastError = error;
            qCWarning(lcCache).noquote() << "tier" << stats.name << "failing:" << error;
            Q_EMIT tierStatusChanged(stats.name, false, error);
        }
        return;
    }
    if (stats.failing) {
        stats.failing = false;
        stats.lastError.clear();
        qCInfo(lcCache).noquote() << "tier" << stats.name << "works again";
        Q_EMIT tierStatusChanged(stats.name, true, QString());
    }
}

void LayeredCacheBase::watchDone(int index, QFuture<TierDoneResult> future)
{
    onTierAnswer(index, std::move(future),
                 [this, index](const TierDoneResult &r) { noteTierResult(index, r.error); });
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
