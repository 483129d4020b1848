// SPDX-License-Identifier: MIT
#include "weatherservice.h"

#include "payloadcodec.h"
#include "providerfactory.h"
#include "store/persistentstore.h"
#include "weatherkey.h"
#include "weatherlogging.h"
#include "weatherprovider.h"

#include <QPointer>
#include <QPromise>

using namespace Qt::StringLiterals;
using PayloadCodec::decode;
using PayloadCodec::encode;

namespace {

/** Outcome::origin tags: where a loaded value came from. */
enum Origin : int { OriginNetwork = 0, OriginDisk = 1 };

constexpr int kMaxSearchResults = 10;
const QString kLabelPrefix = u"label/"_s;

QString shortLabel(const Location &l)
{
    return l.countryCode.isEmpty() ? l.name : l.name + u", "_s + l.countryCode;
}

qint64 listBytes(qint64 count, qint64 elementSize)
{
    return count ? CacheCost::mallocChunk(16 + count * elementSize) : 0;
}

/** Heap a payload owns beyond sizeof(WeatherPayload), for the cache's byte budget. */
qint64 payloadHeapBytes(const WeatherPayload &payload)
{
    struct Visitor
    {
        qint64 operator()(const QList<Location> &list) const
        {
            qint64 n = listBytes(list.size(), sizeof(Location));
            for (const Location &l : list) {
                n += CacheCost::heapBytes(l.name) + CacheCost::heapBytes(l.region)
                     + CacheCost::heapBytes(l.country) + CacheCost::heapBytes(l.countryCode)
                     + CacheCost::heapBytes(l.timezone);
            }
            return n;
        }
        qint64 operator()(const CurrentConditions &c) const
        {
            // QDateTime keeps a small private block when it carries a time zone.
            return CacheCost::heapBytes(c.description) + CacheCost::mallocChunk(24);
        }
        qint64 operator()(const DailyForecastList &list) const
        {
            qint64 n = listBytes(list.size(), sizeof(DailyForecast));
            for (const DailyForecast &d : list)
                n += CacheCost::heapBytes(d.description);
            return n;
        }
    };
    return std::visit(Visitor{}, payload);
}

/** An empty list of places on disk stands for "not found" (a real answer is never empty). */
bool isNotFoundMarker(const WeatherPayload &payload)
{
    const auto *places = std::get_if<QList<Location>>(&payload);
    return places && places->isEmpty();
}

LoadError toLoadError(const WeatherError &error)
{
    return {int(error.kind()), error.message(), QVariant::fromValue(error)};
}

WeatherError toWeatherError(const LoadError &error)
{
    if (error.detail.canConvert<WeatherError>())
        return error.detail.value<WeatherError>();
    // The cache's own failures (a cancelled load): say something true and plain.
    return WeatherError(WeatherError::Offline, QString(), error.message);
}

} // namespace

WeatherService::WeatherService(QNetworkAccessManager *network, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock)
    , m_cache(clock)
{
    m_cache.setCostFunction(payloadHeapBytes);
    setConfig(m_config); // no provider yet: builds it and configures the cache
}

WeatherService::~WeatherService() = default;

void WeatherService::setStore(PersistentStore *store)
{
    m_store = store;
    warmFromStore();
    // What open() and the warm start ran into (set aside, read-only, ...), each said once.
    for (const QString &problem : m_store ? m_store->takeNewProblems() : QStringList())
        Q_EMIT storeWarning(problem);
}

void WeatherService::setConfig(const Config &requested)
{
    // The tag the provider is sent is the tag in the keys: "de&count=100" and "en" share one
    // entry, because both ask the provider for English.
    Config config = requested;
    config.language = WeatherProvider::sanitizedLanguage(requested.language);
    const bool providerChanged = config.providerId != m_config.providerId
                                 || config.apiKey != m_config.apiKey
                                 || config.endpoints != m_config.endpoints
                                 || config.timeoutMs != m_config.timeoutMs || !m_provider;
    const bool changed = providerChanged || config.units != m_config.units
                         || config.language != m_config.language
                         || config.currentTtlMs != m_config.currentTtlMs
                         || config.forecastTtlMs != m_config.forecastTtlMs
                         || config.staleHorizonMs != m_config.staleHorizonMs
                         || config.memoryLimitBytes != m_config.memoryLimitBytes;
    m_config = config;
    m_cache.setDefaultTtl(m_config.currentTtlMs);
    m_cache.setStaleHorizon(m_config.staleHorizonMs);
    m_cache.setMaxBytes(m_config.memoryLimitBytes);
    m_cache.setNegativeCaching(m_config.notFoundTtlMs, [](const LoadError &e) {
        return e.code == int(WeatherError::CityNotFound);
    });
    if (providerChanged)
        rebuildProvider();
    m_provider->setLanguage(m_config.language);
    if (changed)
        Q_EMIT configChanged();
}

void WeatherService::rebuildProvider()
{
    m_provider = makeProvider(m_config, m_network, m_clock);
}

void WeatherService::invalidate(const QString &key)
{
    m_cache.invalidate(key);
    // Also from disk, or the next request would just read it back from there.
    if (m_store)
        m_store->remove(key);
}

void WeatherService::clearCache()
{
    m_cache.clear();
    if (m_store)
        m_store->clear();
}

QString WeatherService::currentKey(const Location &location) const
{
    return WeatherKey::current(m_provider->id(), location, m_config.units, m_config.language)
        .toString();
}

QString WeatherService::forecastKey(const Location &location) const
{
    return WeatherKey::forecast(m_provider->id(), location, m_config.units, m_config.language)
        .toString();
}

QString WeatherService::searchKey(const QString &query) const
{
    return WeatherKey::search(m_provider->id(), m_config.language, query).toString();
}

WeatherError WeatherService::notFoundError(const QString &searchKey) const
{
    // searchKey(): provider/gc/language/query
    const QString query = searchKey.section(u'/', 3);
    return WeatherError(WeatherError::CityNotFound, m_provider->displayName(), query);
}

QString WeatherService::describeKey(const QString &key) const
{
    const QStringList parts = key.split(u'/');
    if (parts.size() < 3)
        return key;
    const QString &kind = parts.at(1);
    if (kind == u"gc"_s && parts.size() >= 4)
        return tr("Search “%1”").arg(parts.mid(3).join(u'/'));
    const QString place = m_labels.value(parts.at(2), parts.at(2));
    if (kind == u"cur"_s)
        return tr("%1 · current conditions").arg(place);
    if (kind == u"fc"_s)
        return tr("%1 · forecast").arg(place);
    return key;
}

void WeatherService::rememberLabel(const QString &coords, const QString &label)
{
    if (m_labels.value(coords) == label)
        return;
    m_labels.insert(coords, label);
    if (m_store)
        m_store->write(kLabelPrefix + coords, label.toUtf8(), m_clock->now(),
                       m_config.geocodingTtlMs);
}

void WeatherService::warmFromStore()
{
    if (!m_store || !m_store->isOpen())
        return;
    const qint64 now = m_clock->now();
    m_store->purge(m_config.staleHorizonMs);
    // All at once: restore() one by one walks back along an expiry queue for every deadline
    // earlier than the last, and rows come in no deadline order (100k rows took minutes).
    const QList<StoredEntry> rows = m_store->readAll();
    std::vector<WeatherCache::RestoreItem> items;
    items.reserve(size_t(rows.size()));
    for (const StoredEntry &e : rows) {
        if (e.key.startsWith(kLabelPrefix)) {
            m_labels.insert(e.key.mid(kLabelPrefix.size()), QString::fromUtf8(e.value));
            continue;
        }
        if (auto payload = decode(e.value)) {
            // A "not found" marker is answered by the loader's disk read, as a failure.
            if (isNotFoundMarker(*payload))
                continue;
            items.push_back(
                {e.key, std::move(*payload), qMin(e.loadedAt, now), e.ttlMs, OriginDisk});
        }
    }
    const qsizetype restored = m_cache.restoreMany(std::move(items));
    qCDebug(lcWeather) << "restored" << restored << "entries from" << m_store->filePath();
}

template<typename T>
QFuture<WeatherAnswer<T>>
WeatherService::fetchThroughCache(const QString &key, qint64 ttlMs, bool forceRefresh,
                                  std::function<QFuture<WeatherResult<T>>()> fetch)
{
    auto loader = [this, key, ttlMs, forceRefresh, fetch]() -> QFuture<Outcome<WeatherPayload>> {
        // The disk first: another process (the CLI, a second window) may have fetched it.
        if (!forceRefresh && m_store && m_store->isOpen()) {
            if (const auto stored = m_store->read(key);
                stored && stored->expiresAt() > m_clock->now()) {
                if (auto payload = decode(stored->value)) {
                    if (isNotFoundMarker(*payload))
                        return QtFuture::makeReadyFuture(
                            Outcome<WeatherPayload>::failure(toLoadError(notFoundError(key))));
                    Outcome<WeatherPayload> o
                        = Outcome<WeatherPayload>::success(std::move(*payload), stored->ttlMs);
                    o.loadedAt = stored->loadedAt;
                    o.origin = OriginDisk;
                    return QtFuture::makeReadyFuture(o);
                }
            }
        }
        QPointer<WeatherService> self(this);
        return fetch().then(this, [self, key, ttlMs](const WeatherResult<T> &result) {
            if (!result.ok()) {
                // "Not found" goes to disk too, for its short TTL: a script that asks for a
                // typo every minute must not reach the provider every minute.
                if (result.error.kind() == WeatherError::CityNotFound && self && self->m_store
                    && self->m_store->isOpen()) {
                    self->m_store->write(key, encode(QList<Location>()), self->m_clock->now(),
                                         self->m_config.notFoundTtlMs);
                }
                return Outcome<WeatherPayload>::failure(toLoadError(result.error));
            }
            WeatherPayload payload(*result.value);
            if (self && self->m_store && self->m_store->isOpen()
                && !self->m_store->write(key, encode(payload), self->m_clock->now(), ttlMs)) {
                // Once per kind of problem: a full disk is one sentence, not one per city.
                for (const QString &problem : self->m_store->takeNewProblems())
                    Q_EMIT self->storeWarning(problem);
            }
            return Outcome<WeatherPayload>::success(std::move(payload), ttlMs);
        });
    };
    // The cache's callback form: no QPromise per caller inside the cache, and the answer is
    // turned into the caller's type before the one promise made here is finished.
    auto promise = std::make_shared<QPromise<WeatherAnswer<T>>>();
    promise->start();
    QFuture<WeatherAnswer<T>> future = promise->future();
    auto answered = [promise](const CacheResult<WeatherPayload> &r) {
        WeatherAnswer<T> answer;
        answer.ageMs = r.ageMs;
        if (r.error.isError())
            answer.error = toWeatherError(r.error);
        if (r.value && isNotFoundMarker(*r.value) && !answer.error.isError())
            answer.error = WeatherError(WeatherError::CityNotFound);
        else if (r.value) {
            if (const T *value = std::get_if<T>(&*r.value))
                answer.value = *value;
        }
        switch (r.source) {
        case CacheSource::Hit:
        case CacheSource::NegativeHit:
            answer.source = AnswerSource::Cache;
            break;
        case CacheSource::Failed:
            answer.source = AnswerSource::Network;
            break;
        case CacheSource::Loaded:
            answer.source = r.origin == OriginDisk ? AnswerSource::Cache : AnswerSource::Network;
            break;
        case CacheSource::Stale:
            answer.source = AnswerSource::Stale;
            break;
        }
        promise->addResult(std::move(answer));
        promise->finish();
    };
    if (forceRefresh)
        m_cache.refresh(key, this, std::move(answered), std::move(loader), ttlMs);
    else
        m_cache.get(key, this, std::move(answered), std::move(loader), ttlMs);
    return future;
}

QFuture<WeatherAnswer<QList<Location>>> WeatherService::searchLocations(const QString &query,
                                                                        bool forceRefresh)
{
    QString normalized = query;
    if (const auto invalid = WeatherProvider::normalizeQuery(normalized)) {
        WeatherAnswer<QList<Location>> answer;
        answer.error = *invalid;
        return QtFuture::makeReadyFuture(answer);
    }
    QPointer<WeatherProvider> provider(m_provider.get());
    return fetchThroughCache<QList<Location>>(
        searchKey(normalized), m_config.geocodingTtlMs, forceRefresh,
        [provider, normalized]() -> QFuture<WeatherResult<QList<Location>>> {
            if (!provider)
                return QFuture<WeatherResult<QList<Location>>>();
            const QString providerName = provider->displayName();
            return provider->searchLocations(normalized, kMaxSearchResults)
                .then([normalized, providerName](const WeatherResult<QList<Location>> &r) {
                    // Nothing found is an error to the user and, cached briefly, protects
                    // the provider from a script asking for a typo every minute.
                    if (r.ok() && r.value->isEmpty())
                        return WeatherResult<QList<Location>>::failure(
                            WeatherError(WeatherError::CityNotFound, providerName, normalized));
                    return r;
                });
        });
}

QFuture<WeatherAnswer<CurrentConditions>> WeatherService::current(const Location &location,
                                                                  bool forceRefresh)
{
    rememberLabel(WeatherKey::coordinatesText(location.latitude, location.longitude),
                  shortLabel(location));
    QPointer<WeatherProvider> provider(m_provider.get());
    const Units units = m_config.units;
    return fetchThroughCache<CurrentConditions>(
        currentKey(location), m_config.currentTtlMs, forceRefresh,
        [provider, location, units]() -> QFuture<WeatherResult<CurrentConditions>> {
            if (!provider)
                return QFuture<WeatherResult<CurrentConditions>>();
            return provider->fetchCurrent(location, units);
        });
}

QFuture<WeatherAnswer<DailyForecastList>> WeatherService::forecast(const Location &location,
                                                                   bool forceRefresh)
{
    rememberLabel(WeatherKey::coordinatesText(location.latitude, location.longitude),
                  shortLabel(location));
    QPointer<WeatherProvider> provider(m_provider.get());
    const Units units = m_config.units;
    return fetchThroughCache<DailyForecastList>(
        forecastKey(location), m_config.forecastTtlMs, forceRefresh,
        [provider, location, units]() -> QFuture<WeatherResult<DailyForecastList>> {
            if (!provider)
                return QFuture<WeatherResult<DailyForecastList>>();
            return provider->fetchForecast(location, units);
        });
}
