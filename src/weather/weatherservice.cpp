// SPDX-License-Identifier: MIT
#include "weatherservice.h"

#include "alertservice.h"
#include "openmeteoprovider.h"
#include "payloadcodec.h"
#include "providerfactory.h"
#include "requestgate.h"
#include "weathercondition.h"
#include "weatherkey.h"
#include "weatherlogging.h"
#include "weatherprovider.h"

#include <QDateTime>
#include <QPointer>
#include <QPromise>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxSearchResults = 10;
const QString kOpenMeteoId = u"open-meteo"_s; // the air quality and nowcast provider, always
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
        qint64 operator()(const HourlyForecastList &list) const
        {
            qint64 n = listBytes(list.size(), sizeof(HourlyForecast));
            for (const HourlyForecast &h : list)
                n += CacheCost::heapBytes(h.description);
            return n;
        }
        qint64 operator()(const AlertIdList &list) const
        {
            qint64 n = listBytes(list.ids.size(), sizeof(QString));
            for (const QString &id : list.ids)
                n += CacheCost::heapBytes(id);
            return n;
        }
        qint64 operator()(const CapMessage &m) const
        {
            // The XML it was read from, and the texts and shapes read from it (about as much).
            return 2 * CacheCost::mallocChunk(m.source.size() + 24);
        }
        qint64 operator()(const AirQuality &a) const
        {
            return CacheCost::heapBytes(a.concentrationUnit) + CacheCost::heapBytes(a.pollenUnit)
                   + CacheCost::mallocChunk(24);
        }
        qint64 operator()(const Nowcast &n) const
        {
            return listBytes(n.steps.size(), sizeof(NowcastStep));
        }
    };
    return std::visit(Visitor{}, payload);
}

/**
 * An empty list of places stands for "not found": earlier versions stored that instead of a
 * negative entry, and a real answer is never empty.
 */
bool isNotFoundMarker(const WeatherPayload &payload)
{
    const auto *places = std::get_if<QList<Location>>(&payload);
    return places && places->isEmpty();
}

/**
 * An answer as the person reads it: in their units, and with Open-Meteo's condition texts
 * (kept in English in every tier, so an entry outlives a change of language) in their
 * language. Places have neither.
 */
QList<Location> forReading(const QList<Location> &places, const UnitSet &)
{
    return places;
}

CurrentConditions forReading(const CurrentConditions &conditions, const UnitSet &units)
{
    CurrentConditions shown = conditions.convertedTo(units);
    shown.description = translatedDescription(shown.description);
    return shown;
}

template<typename List>
List translatedList(List list)
{
    for (auto &item : list)
        item.description = translatedDescription(item.description);
    return list;
}

DailyForecastList forReading(const DailyForecastList &days, const UnitSet &units)
{
    return translatedList(convertedTo(days, units));
}

HourlyForecastList forReading(const HourlyForecastList &hours, const UnitSet &units)
{
    return translatedList(convertedTo(hours, units));
}

AirQuality forReading(const AirQuality &air, const UnitSet &)
{
    return air; // µg/m³ and grains/m³ everywhere: as the source gives them
}

Nowcast forReading(const Nowcast &nowcast, const UnitSet &units)
{
    return nowcast.convertedTo(units.precipitation);
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
    , m_layers({PayloadCodec::encode, PayloadCodec::decode, PayloadCodec::fitsKey}, clock)
{
    // What a tier hands back is checked like a provider's answer: a TTL this machine could
    // never have given the kind is a fault (0 and "never" included, unless configured so).
    m_layers.setTierTtlLimit([this](const QString &key) {
        const qint64 configured = lifetimeMs(WeatherKey::parse(key).kind());
        return PayloadCodec::maxTtlMs(
            key, qMax(configured <= 0 ? LayeredCacheBase::kTierForeverMs : configured,
                      m_config.notFoundTtlMs));
    });
    m_layers.memory().setCostFunction(payloadHeapBytes);
    // Only "not found" is cached as a failure; the bytes keep the place as it was typed
    // (the key holds it folded to lower case).
    m_layers.setErrorCodec({[](const LoadError &e) { return toWeatherError(e).detail().toUtf8(); },
                            [this](const QString &key, const QByteArray &bytes) {
                                WeatherError error = notFoundError(key);
                                if (!bytes.isEmpty())
                                    error.setDetail(QString::fromUtf8(bytes));
                                return toLoadError(error);
                            }});
    // Labels ("52.52,13.41" -> "Berlin, DE") live in the tiers beside the entries they name.
    m_layers.setWarmUpInterceptor([this](const TierRecord &record) {
        if (!record.key.startsWith(kLabelPrefix))
            return false;
        m_labels.insert(record.key.mid(kLabelPrefix.size()), QString::fromUtf8(record.entry.value));
        return true;
    });
    connect(&m_layers, &LayeredCacheBase::tierStatusChanged, this,
            [this](const QString &, bool ok, const QString &reason) {
                if (!ok)
                    Q_EMIT storeWarning(reason);
            });
    connect(&m_layers.memory(), &AsyncCacheBase::entryExpired, this,
            [this] { m_requestLog.recordEvent(RequestLog::Event::Kind::Expiry, m_clock->now()); });
    connect(&m_layers, &LayeredCacheBase::warmUpFinished, this, [this](int restored) {
        qCDebug(lcWeather) << "restored" << restored << "entries from the tiers";
        Q_EMIT warmUpFinished(restored);
    });
    setConfig(m_config); // no provider yet: builds it and configures the cache
}

WeatherService::~WeatherService() = default;

void WeatherService::addTier(CacheTier *tier)
{
    m_layers.addTier(tier);
}

void WeatherService::setSharedBudget(SharedBudget *budget)
{
    m_sharedBudget = budget;
    m_provider->requestGate()->setSharedBudget(budget, m_provider->id());
    if (m_alerts)
        m_alerts->setSharedBudget(budget);
    if (m_openMeteo)
        m_openMeteo->requestGate()->setSharedBudget(budget, m_openMeteo->id());
}

void WeatherService::setAlertService(AlertService *alerts)
{
    m_alerts = alerts;
    if (!m_alerts)
        return;
    m_alerts->setLanguage(m_config.language);
    m_alerts->setSharedBudget(m_sharedBudget);
}

AlertService *WeatherService::alertService() const
{
    return m_alerts.data();
}

bool WeatherService::hasAlerts() const
{
    return !m_alerts.isNull();
}

QFuture<WeatherAnswer<WeatherAlertList>> WeatherService::alerts(const Location &location,
                                                                bool forceRefresh)
{
    if (!m_alerts)
        return {};
    return m_alerts->alerts(location, forceRefresh);
}

void WeatherService::warmUp()
{
    m_layers.warmUp();
}

void WeatherService::warmUp(const QList<Location> &places)
{
    QStringList keys;
    QSet<QString> seen; // the shown place is often a saved one too
    for (const Location &place : places) {
        for (const QString &key : warmUpKeys(place)) {
            if (!seen.contains(key)) {
                seen.insert(key);
                keys.append(key);
            }
        }
    }
    m_layers.warmUp(keys);
}

QStringList WeatherService::warmUpKeys(const Location &place) const
{
    // Air quality and the nowcast too (issue 23): the card shows them at once from the disk.
    return {currentKey(place),
            forecastKey(place),
            hourlyKey(place),
            airQualityKey(place),
            nowcastKey(place),
            kLabelPrefix + WeatherKey::coordinatesText(place.latitude, place.longitude)};
}

qint64 WeatherService::lifetimeMs(WeatherKey::Kind kind) const
{
    switch (kind) {
    case WeatherKey::Kind::Current:
        return m_config.currentTtlMs;
    case WeatherKey::Kind::Forecast:
        return m_config.forecastTtlMs;
    case WeatherKey::Kind::Hourly:
        return m_config.hourlyTtlMs;
    case WeatherKey::Kind::AirQuality:
        return m_config.airQualityTtlMs;
    case WeatherKey::Kind::Nowcast:
        return m_config.nowcastTtlMs;
    case WeatherKey::Kind::Search:
    case WeatherKey::Kind::Label:
    case WeatherKey::Kind::Reverse: // "Here"'s name: a month, like a search
        return m_config.geocodingTtlMs;
    case WeatherKey::Kind::AlertList:
        return AlertLifetime::kListMs;
    case WeatherKey::Kind::AlertMessage:
        return AlertLifetime::kMaxMessageMs; // each until its expiry: this is the longest
    case WeatherKey::Kind::Invalid:
        break;
    }
    return m_config.currentTtlMs;
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
                         || config.hourlyTtlMs != m_config.hourlyTtlMs
                         || config.airQualityTtlMs != m_config.airQualityTtlMs
                         || config.nowcastTtlMs != m_config.nowcastTtlMs
                         || config.staleHorizonMs != m_config.staleHorizonMs
                         || config.memoryLimitBytes != m_config.memoryLimitBytes;
    m_config = config;
    WeatherCache &memory = m_layers.memory();
    memory.setDefaultTtl(m_config.currentTtlMs);
    memory.setStaleHorizon(m_config.staleHorizonMs);
    memory.setMaxBytes(m_config.memoryLimitBytes);
    m_layers.setNegativeCaching(m_config.notFoundTtlMs, [](const LoadError &e) {
        return e.code == int(WeatherError::CityNotFound);
    });
    if (providerChanged)
        rebuildProvider();
    m_provider->setLanguage(m_config.language);
    if (m_alerts)
        m_alerts->setLanguage(m_config.language); // the info picked from a message
    if (changed)
        Q_EMIT configChanged();
}

void WeatherService::rebuildProvider()
{
    m_openMeteo.reset(); // built again when asked for, with the new endpoints and timeout
    m_provider = makeProvider(m_config, m_network, m_clock);
    WeatherProvider *provider = m_provider.get();
    countRequestsOf(provider);
}

void WeatherService::countRequestsOf(WeatherProvider *provider)
{
    provider->requestGate()->setSharedBudget(m_sharedBudget, provider->id());
    connect(provider, &WeatherProvider::requestSent, this, [this, provider] {
        const qint64 now = m_clock->now();
        m_requestLog.record(provider->id(), now);
        if (m_requestLogStore)
            m_requestLogStore->logRequest(provider->id(), now);
        Q_EMIT providerRequested(provider->id(), now);
    });
}

void WeatherService::invalidate(const QString &key)
{
    // From every tier, or the next request would just read it back from there.
    m_layers.invalidate(key);
}

void WeatherService::clearCache()
{
    m_layers.clear();
}

QFuture<WeatherService::RequestCounts> WeatherService::requestCounts() const
{
    const qint64 now = m_clock->now();
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(now);
    const qint64 midnight = local.date().startOfDay().toMSecsSinceEpoch();
    const QList<qint64> since{now - 60'000, now - 3'600'000, midnight};
    RequestCounts mine;
    mine.provider = m_provider->displayName();
    mine.limits = m_provider->limits();
    const QString id = m_provider->id();
    mine.minute = m_requestLog.countSince(id, since[0]);
    mine.hour = m_requestLog.countSince(id, since[1]);
    mine.today = m_requestLog.countSince(id, since[2]);
    if (!m_requestLogStore)
        return QtFuture::makeReadyFuture(mine);
    return m_requestLogStore->countRequests(id, since).then([mine](const QList<qint64> &counts) {
        if (counts.size() != 3)
            return mine; // the shared log could not tell: this process's own
        RequestCounts all = mine;
        all.minute = qMax(mine.minute, counts[0]);
        all.hour = qMax(mine.hour, counts[1]);
        all.today = qMax(mine.today, counts[2]);
        all.everyProcess = true;
        return all;
    });
}

bool WeatherService::refreshKey(const QString &key)
{
    const WeatherKey parsed = WeatherKey::parse(key);
    const bool openMeteoFeed = parsed.kind() == WeatherKey::Kind::AirQuality
                               || parsed.kind() == WeatherKey::Kind::Nowcast;
    const QString provider = openMeteoFeed ? kOpenMeteoId : m_provider->id();
    if (!parsed.isValid() || parsed.provider() != provider
        || parsed.language() != m_config.language)
        return false;
    if (parsed.kind() == WeatherKey::Kind::Search) {
        searchLocations(parsed.query(), true);
        return true;
    }
    if (parsed.units() != kFetchUnits)
        return false;
    Location place;
    place.latitude = parsed.latitude();
    place.longitude = parsed.longitude();
    place.name = m_labels.value(parsed.coordinates()); // the label stays as it was
    switch (parsed.kind()) {
    case WeatherKey::Kind::Current:
        current(place, true);
        return true;
    case WeatherKey::Kind::Forecast:
        forecast(place, true);
        return true;
    case WeatherKey::Kind::Hourly:
        hourly(place, true);
        return true;
    case WeatherKey::Kind::AirQuality:
        airQuality(place, true);
        return true;
    case WeatherKey::Kind::Nowcast:
        nowcast(place, true);
        return true;
    default:
        return false;
    }
}

QString WeatherService::currentKey(const Location &location) const
{
    return WeatherKey::current(m_provider->id(), location, kFetchUnits, m_config.language)
        .toString();
}

QString WeatherService::forecastKey(const Location &location) const
{
    return WeatherKey::forecast(m_provider->id(), location, kFetchUnits, m_config.language)
        .toString();
}

QString WeatherService::hourlyKey(const Location &location) const
{
    return WeatherKey::hourly(m_provider->id(), location, kFetchUnits, m_config.language)
        .toString();
}

QString WeatherService::cacheKey(WeatherKey::Kind kind, const Location &location) const
{
    switch (kind) {
    case WeatherKey::Kind::Current:
        return currentKey(location);
    case WeatherKey::Kind::Forecast:
        return forecastKey(location);
    case WeatherKey::Kind::Hourly:
        return hourlyKey(location);
    case WeatherKey::Kind::AlertList:
        return m_alerts ? WeatherKey::alertList(location.latitude, location.longitude).toString()
                        : QString();
    case WeatherKey::Kind::AirQuality:
        return airQualityKey(location);
    case WeatherKey::Kind::Nowcast:
        return nowcastKey(location);
    default:
        return {};
    }
}

QString WeatherService::airQualityKey(const Location &location) const
{
    return WeatherKey::feed(WeatherKey::Kind::AirQuality, kOpenMeteoId, location, kFetchUnits,
                            m_config.language)
        .toString();
}

QString WeatherService::nowcastKey(const Location &location) const
{
    return WeatherKey::feed(WeatherKey::Kind::Nowcast, kOpenMeteoId, location, kFetchUnits,
                            m_config.language)
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
    if (parts.at(0) == u"alerts"_s && kind == u"al"_s)
        return tr("%1 · weather alerts").arg(m_labels.value(parts.at(2), parts.at(2)));
    if (parts.at(0) == u"alerts"_s && kind == u"cap"_s)
        return tr("Weather alert %1").arg(parts.at(2));
    if (kind == u"gc"_s && parts.size() >= 4)
        return tr("Search “%1”").arg(parts.mid(3).join(u'/'));
    const QString place = m_labels.value(parts.at(2), parts.at(2));
    if (kind == u"cur"_s)
        return tr("%1 · current conditions").arg(place);
    if (kind == u"fc"_s)
        return tr("%1 · forecast").arg(place);
    if (kind == u"hr"_s)
        return tr("%1 · hourly forecast").arg(place);
    if (kind == u"aq"_s)
        return tr("%1 · air quality").arg(place);
    if (kind == u"nc"_s)
        return tr("%1 · rain soon").arg(place);
    return key;
}

void WeatherService::rememberLabel(const QString &coords, const QString &label)
{
    if (label.isEmpty() || m_labels.value(coords) == label)
        return;
    m_labels.insert(coords, label);
    m_layers.putInTiers(kLabelPrefix + coords,
                        TierEntry{label.toUtf8(), m_clock->now(), m_config.geocodingTtlMs, false});
}

template<typename T, typename Fetch>
QFuture<WeatherAnswer<T>> WeatherService::fetchThroughCache(const QString &key, qint64 ttlMs,
                                                            bool forceRefresh, Fetch fetch)
{
    // The loader only fetches: the tiers, write-through and "not found" are the cache's.
    // The loader runs when the cache has decided to ask the provider: the timeline's request
    // mark (the counts come from the provider's requestSent, after any rate gate).
    QPointer<WeatherService> self(this);
    auto loader = [self, fetch = std::move(fetch), ttlMs,
                   forceRefresh]() -> QFuture<Outcome<WeatherPayload>> {
        if (self)
            self->m_requestLog.recordEvent(RequestLog::Event::Kind::Request, self->m_clock->now(),
                                           self->m_provider->id(), forceRefresh);
        return fetch().then([self, ttlMs](const WeatherResult<T> &result) {
            if (!result.ok()) {
                // "Not found" is an answer, not a failure.
                if (self && result.error.kind() != WeatherError::CityNotFound)
                    self->m_requestLog.recordEvent(RequestLog::Event::Kind::Error,
                                                   self->m_clock->now(), self->m_provider->id());
                return Outcome<WeatherPayload>::failure(toLoadError(result.error));
            }
            return Outcome<WeatherPayload>::success(WeatherPayload(*result.value), ttlMs);
        });
    };
    // The callback form: no QPromise per caller inside the cache, and the answer is turned
    // into the caller's type before the one promise made here is finished.
    auto promise = std::make_shared<QPromise<WeatherAnswer<T>>>();
    promise->start();
    QFuture<WeatherAnswer<T>> future = promise->future();
    auto answered = [promise, self, units = m_config.units](const CacheResult<WeatherPayload> &r) {
        if (self
            && (r.source == CacheSource::Hit || r.source == CacheSource::NegativeHit
                || r.source == CacheSource::Stale
                || (r.source == CacheSource::Loaded && r.origin != WeatherLayers::kOriginLoader)))
            self->m_requestLog.recordEvent(RequestLog::Event::Kind::Answer, self->m_clock->now());
        WeatherAnswer<T> answer;
        answer.ageMs = r.ageMs;
        if (r.error.isError())
            answer.error = toWeatherError(r.error);
        if (r.value && isNotFoundMarker(*r.value) && !answer.error.isError())
            answer.error = WeatherError(WeatherError::CityNotFound);
        else if (r.value) {
            if (const T *value = std::get_if<T>(&*r.value))
                answer.value = forReading(*value, units);
        }
        answer.source = answerSourceOf(r);
        promise->addResult(std::move(answer));
        promise->finish();
    };
    if (forceRefresh)
        m_layers.refresh(key, this, std::move(answered), std::move(loader), ttlMs);
    else
        m_layers.get(key, this, std::move(answered), std::move(loader), ttlMs);
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
    return fetchThroughCache<CurrentConditions>(
        currentKey(location), m_config.currentTtlMs, forceRefresh,
        [provider, location]() -> QFuture<WeatherResult<CurrentConditions>> {
            if (!provider)
                return QFuture<WeatherResult<CurrentConditions>>();
            return provider->fetchCurrent(location, kFetchUnits);
        });
}

QFuture<WeatherAnswer<DailyForecastList>> WeatherService::forecast(const Location &location,
                                                                   bool forceRefresh)
{
    rememberLabel(WeatherKey::coordinatesText(location.latitude, location.longitude),
                  shortLabel(location));
    QPointer<WeatherProvider> provider(m_provider.get());
    return fetchThroughCache<DailyForecastList>(
        forecastKey(location), m_config.forecastTtlMs, forceRefresh,
        [provider, location]() -> QFuture<WeatherResult<DailyForecastList>> {
            if (!provider)
                return QFuture<WeatherResult<DailyForecastList>>();
            return provider->fetchForecast(location, kFetchUnits);
        });
}

QFuture<WeatherAnswer<HourlyForecastList>> WeatherService::hourly(const Location &location,
                                                                  bool forceRefresh)
{
    rememberLabel(WeatherKey::coordinatesText(location.latitude, location.longitude),
                  shortLabel(location));
    QPointer<WeatherProvider> provider(m_provider.get());
    return fetchThroughCache<HourlyForecastList>(
        hourlyKey(location), m_config.hourlyTtlMs, forceRefresh,
        [provider, location]() -> QFuture<WeatherResult<HourlyForecastList>> {
            if (!provider)
                return QFuture<WeatherResult<HourlyForecastList>>();
            return provider->fetchHourly(location, kFetchUnits);
        });
}

// ---- issue 23 (air) ----------------------------------------------------------------------------

OpenMeteoProvider *WeatherService::openMeteo()
{
    if (auto *own = qobject_cast<OpenMeteoProvider *>(m_provider.get()))
        return own;
    if (!m_openMeteo) {
        // Another weather provider: Open-Meteo still answers these without a key, with its
        // own gate (its own limits), counted in the same log and the same shared budget.
        m_openMeteo = std::make_unique<OpenMeteoProvider>(m_network, m_clock);
        OpenMeteoProvider *provider = m_openMeteo.get();
        provider->setEndpoints(m_config.endpoints);
        provider->setTimeoutMs(m_config.timeoutMs);
        provider->setLanguage(m_config.language);
        countRequestsOf(provider);
    }
    return m_openMeteo.get();
}

QFuture<WeatherAnswer<AirQuality>> WeatherService::airQuality(const Location &location,
                                                              bool forceRefresh)
{
    rememberLabel(WeatherKey::coordinatesText(location.latitude, location.longitude),
                  shortLabel(location));
    QPointer<OpenMeteoProvider> provider(openMeteo());
    return fetchThroughCache<AirQuality>(
        airQualityKey(location), m_config.airQualityTtlMs, forceRefresh,
        [provider, location]() -> QFuture<WeatherResult<AirQuality>> {
            if (!provider)
                return QFuture<WeatherResult<AirQuality>>();
            return provider->fetchAirQuality(location);
        });
}

QFuture<WeatherAnswer<Nowcast>> WeatherService::nowcast(const Location &location, bool forceRefresh)
{
    rememberLabel(WeatherKey::coordinatesText(location.latitude, location.longitude),
                  shortLabel(location));
    QPointer<OpenMeteoProvider> provider(openMeteo());
    return fetchThroughCache<Nowcast>(nowcastKey(location), m_config.nowcastTtlMs, forceRefresh,
                                      [provider, location]() -> QFuture<WeatherResult<Nowcast>> {
                                          if (!provider)
                                              return QFuture<WeatherResult<Nowcast>>();
                                          return provider->fetchNowcast(location);
                                      });
}
