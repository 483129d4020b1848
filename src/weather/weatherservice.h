// SPDX-License-Identifier: MIT
#pragma once

#include "cache/asynccache.h"
#include "currentconditions.h"
#include "dailyforecast.h"
#include "location.h"
#include "providerendpoints.h"
#include "units.h"
#include "weatheranswer.h"
#include "weathererror.h"
#include "weatherresult.h"

#include <QFuture>
#include <QHash>
#include <QObject>

#include <memory>
#include <optional>
#include <variant>

class PersistentStore;
class QNetworkAccessManager;
class WeatherProvider;

/** What the weather cache holds: one type per kind of entry, each with its own TTL. */
using WeatherPayload = std::variant<QList<Location>, CurrentConditions, DailyForecastList>;
using WeatherCache = AsyncCache<WeatherPayload>;

/**
 * City text -> location -> current conditions and forecast, through one AsyncCache and,
 * when given one, a PersistentStore below it.
 *
 * Entries, each with its own TTL: geocoding ("gc", 30 days; "not found" cached for a few
 * minutes), current conditions ("cur", 10 min), forecast ("fc", 60 min). Keys hold provider,
 * rounded coordinates, units and language, never the API key:
 *     open-meteo/cur/52.52,13.41/metric/en
 *
 * A miss reads the disk tier first (another process may have fetched it: the GUI and the CLI
 * share the folder), then the network. Every value fetched is written through to the disk.
 * At start the disk's entries warm the memory cache, stale ones included, so an offline start
 * still shows the last weather with its age.
 *
 * Ownership: the QNetworkAccessManager, the Clock and the store are borrowed and must outlive
 * the service; the service owns the provider and the cache.
 */
class WeatherService : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QString providerId = QStringLiteral("open-meteo"); // or "openweathermap"
        QString apiKey; // OpenWeatherMap only; never logged, never in a key
        Units units = Units::Metric;
        QString language = QStringLiteral("en");
        qint64 currentTtlMs = 10 * 60 * 1000;
        qint64 forecastTtlMs = 60 * 60 * 1000;
        qint64 geocodingTtlMs = 30LL * 24 * 60 * 60 * 1000;
        qint64 notFoundTtlMs = 5 * 60 * 1000;
        qint64 staleHorizonMs = 7LL * 24 * 60 * 60 * 1000;
        qint64 memoryLimitBytes = 64 * 1024 * 1024;
        int timeoutMs = 15'000;
        ProviderEndpoints endpoints = ProviderEndpoints::fromEnvironment();
    };

    explicit WeatherService(QNetworkAccessManager *network, Clock *clock = Clock::system(),
                            QObject *parent = nullptr);
    ~WeatherService() override;

    /** Adds the disk tier (borrowed) and warms the memory cache from it. */
    void setStore(PersistentStore *store);
    PersistentStore *store() const { return m_store; }

    /** Applies at once; a change of provider, key, units or language changes the keys. */
    void setConfig(const Config &config);
    const Config &config() const { return m_config; }

    WeatherProvider *provider() const { return m_provider.get(); }
    WeatherCache *cache() { return &m_cache; }
    const WeatherCache *cache() const { return &m_cache; }

    /** Candidates for `query`, best first ("London" -> GB, CA, US...). Empty: CityNotFound. */
    QFuture<WeatherAnswer<QList<Location>>> searchLocations(const QString &query,
                                                            bool forceRefresh = false);
    QFuture<WeatherAnswer<CurrentConditions>> current(const Location &location,
                                                      bool forceRefresh = false);
    QFuture<WeatherAnswer<DailyForecastList>> forecast(const Location &location,
                                                       bool forceRefresh = false);

    /** Drops `key` from memory and from the disk tier: the next request fetches it anew. */
    void invalidate(const QString &key);
    /** Empties memory and the disk tier. Answers already shown stay on screen. */
    void clearCache();

    /** "Berlin, DE · current conditions" for a cache key; the key itself when unknown. */
    QString describeKey(const QString &key) const;

    QString currentKey(const Location &location) const;
    QString forecastKey(const Location &location) const;
    QString searchKey(const QString &query) const;

Q_SIGNALS:
    void configChanged();
    /** The disk tier said something a person should know (damaged file set aside, disk full). */
    void storeWarning(const QString &message);

private:
    template<typename T>
    QFuture<WeatherAnswer<T>> fetchThroughCache(const QString &key, qint64 ttlMs, bool forceRefresh,
                                                std::function<QFuture<WeatherResult<T>>()> fetch);
    void rebuildProvider();
    WeatherError notFoundError(const QString &searchKey) const;
    void warmFromStore();
    void rememberLabel(const QString &coordinates, const QString &label);

    QNetworkAccessManager *m_network;
    Clock *m_clock;
    PersistentStore *m_store = nullptr;
    Config m_config;
    std::unique_ptr<WeatherProvider> m_provider;
    WeatherCache m_cache;
    QHash<QString, QString> m_labels; // "52.52,13.41" -> "Berlin, DE"
};
