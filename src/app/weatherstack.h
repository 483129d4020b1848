// SPDX-License-Identifier: MIT
#pragma once

#include "cache/layeredcache.h"
#include "store/sqlitetier.h"
#include "weather/redisurl.h"
#include "weather/serviceconfig.h"
#include "weather/weatherservice.h"

#include <QNetworkAccessManager>

#include <memory>
#include <optional>

class Clock;
class RedisBudget;
class RedisTier;
class Settings;

/**
 * The weather pipeline as every front end assembles it, in one place: the network, the disk
 * tier, the machines' shared cache when one is set, and the service over them, memory first,
 * then the disk, then the shared cache (so a local answer is never slower for it), with the
 * provider's request log kept on the disk (so the app's panel counts the CLI's requests). A
 * third front end, or a third tier, is a change here and nowhere else.
 *
 * Ownership: owns everything it builds. The service is destroyed first, then the shared tier
 * and budget it borrows, then the disk, whose destructor hands the last writes to the disk,
 * then the network. The Clock (nullptr: the system clock) is borrowed and must outlive it.
 */
class WeatherStack
{
public:
    struct Options
    {
        ServiceConfig config;
        /** The disk tier's folder (PersistentStore::defaultDirectory() for the person's). */
        QString cacheDirectory;
        /** The machines' shared cache; none: this machine's tiers only. */
        std::optional<RedisUrl> sharedCache;
        /** How long one machine may hold a key it is fetching for all of them. */
        qint64 sharedLeaseMs = LayeredCacheBase::kDefaultLeaseMs;
        /** When the disk file is read whole for damage: at open (the CLI), or when asked (the
         * window, after its first frame). */
        SqliteTier::IntegrityCheck integrityCheck = SqliteTier::IntegrityCheck::AtOpen;
    };

    /**
     * The options the settings describe: their service configuration, the person's cache
     * folder, the shared cache with its TLS files and lease. A shared-cache address that does
     * not parse leaves the shared cache out and says why in `sharedProblem` (sharing is lost,
     * never the weather).
     */
    static Options optionsFrom(const Settings &settings, QString *sharedProblem = nullptr);
    /**
     * `text` as a shared-cache address, with the TLS files the settings name when it asks for
     * TLS; nullopt, with the reason in `why`, when it does not parse.
     */
    static std::optional<RedisUrl> sharedCacheUrl(const QString &text, const Settings &settings,
                                                  QString *why = nullptr);

    explicit WeatherStack(const Options &options, Clock *clock = nullptr);
    ~WeatherStack();
    WeatherStack(const WeatherStack &) = delete;
    WeatherStack &operator=(const WeatherStack &) = delete;

    WeatherService *service() { return &m_service; }
    SqliteTier *disk() { return &m_disk; }
    QNetworkAccessManager *network() { return &m_network; }
    /** The shared tier and budget; nullptr without a shared cache. */
    RedisTier *sharedTier() const { return m_sharedTier.get(); }
    RedisBudget *sharedBudget() const { return m_sharedBudget.get(); }

private:
    QNetworkAccessManager m_network;
    SqliteTier m_disk;
    std::unique_ptr<RedisTier> m_sharedTier;
    std::unique_ptr<RedisBudget> m_sharedBudget;
    WeatherService m_service;
};
