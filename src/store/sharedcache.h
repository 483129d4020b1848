// SPDX-License-Identifier: MIT
#pragma once

#include "weather/redisurl.h"

#include <memory>

class Clock;
class RedisBudget;
class RedisTier;
class WeatherService;

/**
 * The machines' shared cache as the app and the CLI set it up, in one place: a RedisTier
 * below the service's tiers (so a local answer is never slower for it), a RedisBudget its
 * providers keep their request budget and rate-limit blocks with, and the lease length of
 * single flight across machines.
 *
 *     auto shared = SharedCache::attach(&service, url, settings.sharedCacheLeaseMs());
 *
 * Ownership: owns the tier and the budget, which the service borrows: destroy the service
 * first. The Clock is borrowed and must outlive both.
 */
class SharedCache
{
public:
    SharedCache(const RedisUrl &url, Clock *clock);
    ~SharedCache();
    SharedCache(const SharedCache &) = delete;
    SharedCache &operator=(const SharedCache &) = delete;

    /** Makes one for `url` and attaches it to `service` (its tiers added already). */
    static std::unique_ptr<SharedCache> attach(WeatherService *service, const RedisUrl &url,
                                               qint64 leaseMs, Clock *clock = nullptr);

    /**
     * Adds the tier below the service's tiers (stale horizon: the service's), hands the
     * budget to its providers and sets the lease to `leaseMs`.
     */
    void attachTo(WeatherService *service, qint64 leaseMs);

    RedisTier *tier() const { return m_tier.get(); }
    RedisBudget *budget() const { return m_budget.get(); }

private:
    std::unique_ptr<RedisTier> m_tier;
    std::unique_ptr<RedisBudget> m_budget;
};
