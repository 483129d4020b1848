// SPDX-License-Identifier: MIT
#pragma once

#include "airquality.h"
#include "cache/asynccache.h"
#include "cache/layeredcache.h"
#include "cache/requestlogstore.h"
#include "currentconditions.h"
#include "dailyforecast.h"
#include "hourlyforecast.h"
#include "location.h"
#include "nowcast.h"
#include "providerendpoints.h"
#include "requestlog.h"
#include "serviceconfig.h"
#include "units.h"
#include "weatheralert.h"
#include "weatheranswer.h"
#include "weathererror.h"
#include "weatherprovider.h"
#include "weatherresult.h"
#include "weathersource.h"

#include <QFuture>
#include <QHash>
#include <QObject>

#include <memory>
#include <optional>
#include <variant>

class CacheTier;
class OpenMeteoProvider;
class QNetworkAccessManager;
class AlertService;
class SharedBudget;

/** What the weather cache holds: one type per kind of entry, each with its own TTL. */
using WeatherPayload
    = std::variant<QList<Location>, CurrentConditions, DailyForecastList, HourlyForecastList,
                   AlertIdList, CapMessage, AirQuality, Nowcast>; // issue 23 (air): the last two
using WeatherCache = AsyncCache<WeatherPayload>;
using WeatherLayers = LayeredCache<WeatherPayload>;

/**
 * City text -> location -> current conditions and forecast: providers and parsers behind one
 * LayeredCache (memory, then the tiers it is given, then the provider).
 *
 * Entries, each with its own TTL: geocoding ("gc", 30 days; "not found" cached for a few
 * minutes), current conditions ("cur", 10 min), daily forecast ("fc", 60 min), hourly
 * forecast ("hr", 30 min). Keys are WeatherKeys (provider, kind, rounded coordinates, units,
 * language; never the API key):
 *     open-meteo/cur/52.52,13.41/metric/en
 *
 * Units: every provider is asked in metric (°C, km/h, hPa, mm), so the units segment of a key
 * is always "metric" and neither provider's answer depends on the display units. Answers are
 * converted to Config::units on the way out: switching a unit never refetches, and the
 * entries of the other system that earlier versions wrote are simply never asked for again.
 *
 * A miss asks each tier in order (another process may have fetched it: the GUI and the CLI
 * share the disk tier), then the provider; every value fetched is written through to every
 * tier. warmUp() fills memory from the tiers, stale entries included, so an offline start
 * still shows the last weather with its age; warmUp(places) only with those places' entries. Every
 * tier call is asynchronous: the SQLite tier runs on its own thread, so a disk held by another
 * process never freezes the window.
 *
 * Ownership: the QNetworkAccessManager, the Clock and the tiers are borrowed and must outlive
 * the service; the service owns the provider and the cache.
 */
/**
 * How the person is told where an answer came from: memory or any tier (the disk, another
 * process's fetch) is "cache", the provider "network", an answer past its time "stale".
 */
template<typename V>
AnswerSource answerSourceOf(const CacheResult<V> &result)
{
    switch (result.source) {
    case CacheSource::Hit:
    case CacheSource::NegativeHit:
        return AnswerSource::Cache;
    case CacheSource::Failed:
    case CacheSource::Loaded:
        return result.origin == WeatherLayers::kOriginLoader ? AnswerSource::Network
                                                             : AnswerSource::Cache;
    case CacheSource::Stale:
        return AnswerSource::Stale;
    }
    return AnswerSource::Cache;
}

class WeatherService
    : public QObject
    , public WeatherSource
{
    Q_OBJECT
public:
    /** The service's configuration (serviceconfig.h: a value without the engine). */
    using Config = ServiceConfig;

    explicit WeatherService(QNetworkAccessManager *network, Clock *clock = Clock::system(),
                            QObject *parent = nullptr);
    ~WeatherService() override;

    /**
     * Adds a tier below memory and the tiers added before (borrowed; it must outlive the
     * service). Add every tier first, then warmUp().
     */
    void addTier(CacheTier *tier);
    /**
     * The provider budget kept with other machines (borrowed, must outlive the service;
     * nullptr: this process's alone). Every provider the service builds consults it.
     */
    void setSharedBudget(SharedBudget *budget);
    /**
     * Severe-weather alerts as one more feed of every place (issue 22), through `alerts`
     * (borrowed, or nullptr: none; it must outlive the service). It gets the service's language
     * and shared budget, now and on every change.
     */
    void setAlertService(AlertService *alerts);
    AlertService *alertService() const;
    bool hasAlerts() const override;
    QFuture<WeatherAnswer<WeatherAlertList>> alerts(const Location &location,
                                                    bool forceRefresh = false) override;
    /** Fills memory from every tier, asynchronously; warmUpFinished() says when done. */
    void warmUp();
    /**
     * Fills memory with `places`' entries only (current conditions, forecasts, their label),
     * read from the tiers by key, asynchronously; warmUpFinished() says when done. What a
     * window shows at start: memory does not grow with the tiers, and every other entry is
     * read from them when asked for.
     */
    void warmUp(const QList<Location> &places);
    /** The keys warmUp(places) reads for `place`, the label's included. */
    QStringList warmUpKeys(const Location &place) const;

    /**
     * Applies at once; a change of provider, key or language changes the keys, a change of
     * units only how the answers are converted (configChanged() either way).
     */
    void setConfig(const Config &config);
    const Config &config() const { return m_config; }

    WeatherProvider *provider() const { return m_provider.get(); }
    /** The memory tier: what the cache panel shows. */
    WeatherCache *cache() { return &m_layers.memory(); }
    const WeatherCache *cache() const { return &m_layers.memory(); }
    WeatherLayers *layers() { return &m_layers; }
    const WeatherLayers *layers() const { return &m_layers; }

    /** Candidates for `query`, best first ("London" -> GB, CA, US...). Empty: CityNotFound. */
    QFuture<WeatherAnswer<QList<Location>>> searchLocations(const QString &query,
                                                            bool forceRefresh = false);
    QFuture<WeatherAnswer<CurrentConditions>> current(const Location &location,
                                                      bool forceRefresh = false) override;
    QFuture<WeatherAnswer<DailyForecastList>> forecast(const Location &location,
                                                       bool forceRefresh = false) override;
    /** The next hours (at least 48), in the provider's steps; the caller drops those past. */
    QFuture<WeatherAnswer<HourlyForecastList>> hourly(const Location &location,
                                                      bool forceRefresh = false) override;
    // issue 23 (air): always from Open-Meteo (no key), whatever provider() is; through the
    // same cache, tiers, budget and request log as the weather. Asked for apart from the
    // weather: a failure here never holds back or hides it.
    /** Air quality and pollen now ("aq", 1 h). */
    QFuture<WeatherAnswer<AirQuality>> airQuality(const Location &location,
                                                  bool forceRefresh = false) override;
    /** Precipitation in 15-minute steps, the next hours ("nc", 15 min), in Config::units. */
    QFuture<WeatherAnswer<Nowcast>> nowcast(const Location &location,
                                            bool forceRefresh = false) override;
    /** Every feed: the weather's and, from Open-Meteo whatever the provider, the two above. */
    bool hasFeed(WeatherKey::Kind kind) const override
    {
        return WeatherSource::hasFeed(kind) || kind == WeatherKey::Kind::AirQuality
               || kind == WeatherKey::Kind::Nowcast;
    }
    QString airQualityKey(const Location &location) const;
    QString nowcastKey(const Location &location) const;

    /** The TTL of the kind of entry: what the session plans refreshes by. */
    qint64 lifetimeMs(WeatherKey::Kind kind) const override;

    /** Drops `key` from memory and every tier: the next request fetches it anew. */
    void invalidate(const QString &key);
    /** Empties memory and every tier. Answers already shown stay on screen. */
    void clearCache();
    /**
     * Fetches `key` again from the provider now (the panel's "Refresh now"). False when the
     * key was made under other settings (another provider or language, or by an earlier
     * version in imperial units): asking now
     * would fill another entry.
     */
    bool refreshKey(const QString &key) override;

    /**
     * The requests this process made to each provider (Force Refresh included), and the
     * events of the panel's timeline (requests, cache answers, expiries, failed loads).
     */
    const RequestLog &requestLog() const { return m_requestLog; }

    /**
     * Where every request is also noted, shared with the other processes (the disk tier;
     * borrowed, or nullptr). Then requestCounts() counts theirs too.
     */
    void setRequestLogStore(RequestLogStore *store) { m_requestLogStore = store; }

    /** Requests to the current provider in the last minute, hour and since local midnight. */
    struct RequestCounts
    {
        QString provider; // display name
        qint64 minute = 0;
        qint64 hour = 0;
        qint64 today = 0;
        WeatherProvider::Limits limits;
        bool everyProcess = false; // counted from the shared log, not this process alone
    };
    QFuture<RequestCounts> requestCounts() const;

    /** "Berlin, DE · current conditions" for a cache key; the key itself when unknown. */
    QString describeKey(const QString &key) const;
    /** "Berlin, DE" for "52.52,13.41" once the place was asked for; empty before. */
    QString placeLabel(const QString &coordinates) const { return m_labels.value(coordinates); }

    QString currentKey(const Location &location) const;
    QString forecastKey(const Location &location) const;
    QString hourlyKey(const Location &location) const;
    /** currentKey(), forecastKey() or hourlyKey() by `kind` (PlaceBook: key -> place, feed). */
    QString cacheKey(WeatherKey::Kind kind, const Location &location) const override;
    /** What every provider is asked in: the units segment of every key. */
    static constexpr Units kFetchUnits = Units::Metric;
    QString searchKey(const QString &query) const;

Q_SIGNALS:
    void configChanged();
    /**
     * A tier said something a person should know (the disk is full, the shared cache is
     * unreachable): once when it starts failing, not at every operation.
     */
    void storeWarning(const QString &message);
    /**
     * A request left for `providerId` at `at`: connect it to the disk tier's logRequest() so
     * every process's requests count together.
     */
    void providerRequested(const QString &providerId, qint64 at);
    /** warmUp() is done: `restored` entries went into memory. */
    void warmUpFinished(int restored);

private:
    template<typename T, typename Fetch>
    QFuture<WeatherAnswer<T>> fetchThroughCache(const QString &key, qint64 ttlMs, bool forceRefresh,
                                                Fetch fetch);
    void rebuildProvider();
    /** Its requests go through the shared budget and into the request log (and its store). */
    void countRequestsOf(WeatherProvider *provider);
    WeatherError notFoundError(const QString &searchKey) const;
    void rememberLabel(const QString &coordinates, const QString &label);
    /** provider() when it is Open-Meteo, else one of its own for the feeds only it has. */
    OpenMeteoProvider *openMeteo();

    QNetworkAccessManager *m_network;
    Clock *m_clock;
    Config m_config;
    std::unique_ptr<WeatherProvider> m_provider;
    WeatherLayers m_layers;
    QHash<QString, QString> m_labels; // "52.52,13.41" -> "Berlin, DE"
    RequestLog m_requestLog;
    RequestLogStore *m_requestLogStore = nullptr;
    SharedBudget *m_sharedBudget = nullptr;
    QPointer<AlertService> m_alerts; // borrowed (issue 22)
    std::unique_ptr<OpenMeteoProvider> m_openMeteo; // issue 23 (air), see openMeteo()
};
