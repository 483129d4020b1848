// SPDX-License-Identifier: MIT
#include "weatherstack.h"

#include "cache/clock.h"
#include "store/persistentstore.h"
#include "store/redisbudget.h"
#include "store/redistier.h"
#include "weather/settings.h"

WeatherStack::Options WeatherStack::optionsFrom(const Settings &settings, QString *sharedProblem)
{
    Options options;
    options.config = settings.serviceConfig();
    options.cacheDirectory = PersistentStore::defaultDirectory();
    if (const QString url = settings.sharedCacheUrl(); !url.isEmpty())
        options.sharedCache = sharedCacheUrl(url, settings, sharedProblem);
    options.sharedLeaseMs = settings.sharedCacheLeaseMs();
    return options;
}

std::optional<RedisUrl> WeatherStack::sharedCacheUrl(const QString &text, const Settings &settings,
                                                     QString *why)
{
    std::optional<RedisUrl> url = RedisUrl::parse(text, why);
    if (url && url->tls) {
        url->tlsCaFile = settings.sharedCacheTlsCaFile();
        url->tlsCertFile = settings.sharedCacheTlsCertFile();
        url->tlsKeyFile = settings.sharedCacheTlsKeyFile();
    }
    return url;
}

WeatherStack::WeatherStack(const Options &options, Clock *clock)
    : m_disk(options.cacheDirectory, clock, nullptr, options.integrityCheck)
    , m_service(&m_network, clock ? clock : Clock::system())
{
    m_service.setConfig(options.config);
    m_disk.setPurgeHorizon(options.config.staleHorizonMs);
    m_service.addTier(&m_disk);
    if (options.sharedCache) {
        Clock *sharedClock = clock ? clock : Clock::system();
        m_sharedTier = std::make_unique<RedisTier>(*options.sharedCache, sharedClock);
        m_sharedBudget = std::make_unique<RedisBudget>(*options.sharedCache, sharedClock);
        m_sharedTier->setStaleHorizon(options.config.staleHorizonMs);
        m_service.addTier(m_sharedTier.get());
        m_service.setSharedBudget(m_sharedBudget.get());
        m_service.layers()->setLeaseDuration(options.sharedLeaseMs);
    }
    m_service.setRequestLogStore(&m_disk);
}

WeatherStack::~WeatherStack() = default;
