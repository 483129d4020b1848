// SPDX-License-Identifier: MIT
#include "sharedcache.h"

#include "cache/clock.h"
#include "redisbudget.h"
#include "redistier.h"
#include "weather/weatherservice.h"

SharedCache::SharedCache(const RedisUrl &url, Clock *clock)
    : m_tier(std::make_unique<RedisTier>(url, clock ? clock : Clock::system()))
    , m_budget(std::make_unique<RedisBudget>(url, clock ? clock : Clock::system()))
{ }

SharedCache::~SharedCache() = default;

std::unique_ptr<SharedCache> SharedCache::attach(WeatherService *service, const RedisUrl &url,
                                                 qint64 leaseMs, Clock *clock)
{
    auto shared = std::make_unique<SharedCache>(url, clock);
    shared->attachTo(service, leaseMs);
    return shared;
}

void SharedCache::attachTo(WeatherService *service, qint64 leaseMs)
{
    m_tier->setStaleHorizon(service->config().staleHorizonMs);
    service->addTier(m_tier.get());
    service->setSharedBudget(m_budget.get());
    service->layers()->setLeaseDuration(leaseMs);
}
