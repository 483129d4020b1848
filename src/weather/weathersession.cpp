// SPDX-License-Identifier: MIT
#include "weathersession.h"

#include "cache/clock.h"
#include "weatherlogging.h"

#include <QPointer>

#include <chrono>

namespace {
// Like the cache's expiry timer: never sleep longer than this, so a deadline passed during a
// suspend is noticed within a minute even if no jump is reported.
constexpr qint64 kMaxSleepMs = 60'000;
} // namespace

WeatherSession::WeatherSession(WeatherSource *source, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_clock(clock)
{
    Q_ASSERT(source && clock);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &WeatherSession::checkDue);
    connect(m_clock, &Clock::jumped, this, &WeatherSession::checkDue);
}

WeatherSession::~WeatherSession() = default;

WeatherSession::PlaceId WeatherSession::addPlace(const Location &location)
{
    const PlaceId id = ++m_lastId;
    m_places[id].location = location;
    for (const WeatherKey::Kind kind : kKinds)
        request(id, kind, false);
    return id;
}

WeatherSession::PlaceId WeatherSession::showPlace(const Location &location)
{
    m_places.clear();
    return addPlace(location);
}

void WeatherSession::removePlace(PlaceId id)
{
    m_places.erase(id);
    reschedule();
}

QList<WeatherSession::PlaceId> WeatherSession::places() const
{
    QList<PlaceId> ids;
    for (const auto &[id, place] : m_places)
        ids.append(id);
    return ids;
}

Location WeatherSession::location(PlaceId id) const
{
    const auto it = m_places.find(id);
    return it == m_places.end() ? Location() : it->second.location;
}

qint64 WeatherSession::nextUpdate(PlaceId id) const
{
    const auto it = m_places.find(id);
    if (it == m_places.end())
        return -1;
    qint64 earliest = -1;
    for (const WeatherKey::Kind kind : kKinds) {
        if (!isWeather(kind))
            continue; // an extra: the card's "next update" is the weather's
        const qint64 due = feed(it->second, kind).due;
        if (due >= 0 && (earliest < 0 || due < earliest))
            earliest = due;
    }
    return earliest;
}

qint64 WeatherSession::nextUpdate(PlaceId id, WeatherKey::Kind kind) const
{
    const auto it = m_places.find(id);
    if (it == m_places.end())
        return -1;
    return feed(it->second, kind).due;
}

qint64 WeatherSession::retryDelay(PlaceId id, WeatherKey::Kind kind) const
{
    const auto it = m_places.find(id);
    if (it == m_places.end())
        return 0;
    return feed(it->second, kind).retryDelay;
}

bool WeatherSession::isLoading(PlaceId id) const
{
    const auto it = m_places.find(id);
    return it != m_places.end() && it->second.inFlight();
}

void WeatherSession::refresh(PlaceId id, bool force)
{
    if (!m_places.count(id))
        return;
    for (const WeatherKey::Kind kind : kKinds)
        request(id, kind, force);
}

void WeatherSession::refresh(PlaceId id, WeatherKey::Kind kind, bool force)
{
    if (m_places.count(id) && feeds().contains(kind))
        request(id, kind, force);
}

void WeatherSession::refreshAll(bool force)
{
    for (PlaceId id : places())
        refresh(id, force);
}

void WeatherSession::setNetworkReachable(bool reachable)
{
    const bool regained = reachable && !m_reachable;
    m_reachable = reachable;
    if (!regained)
        return;
    qCDebug(lcWeather) << "network back: retrying what failed";
    const qint64 now = m_clock->now();
    for (auto &[id, place] : m_places) {
        for (Feed *f : {&place.current, &place.forecast, &place.hourly, &place.alerts,
                        &place.airQuality, &place.nowcast}) {
            if (f->retryDelay > 0 && !f->inFlight && f->due >= 0) {
                f->due = now;
                f->interval = 0;
            }
        }
    }
    checkDue();
}

bool WeatherSession::needsThePerson(const WeatherError &error)
{
    switch (error.kind()) {
    case WeatherError::CityNotFound:
    case WeatherError::ApiKeyMissing:
    case WeatherError::ApiKeyRejected:
    case WeatherError::InvalidInput:
        return true;
    default:
        return false;
    }
}

WeatherSession::Feed &WeatherSession::feed(Place &place, WeatherKey::Kind kind)
{
    switch (kind) {
    case WeatherKey::Kind::Forecast:
        return place.forecast;
    case WeatherKey::Kind::Hourly:
        return place.hourly;
    case WeatherKey::Kind::AlertList:
        return place.alerts;
    case WeatherKey::Kind::AirQuality:
        return place.airQuality;
    case WeatherKey::Kind::Nowcast:
        return place.nowcast;
    default:
        return place.current;
    }
}

const WeatherSession::Feed &WeatherSession::feed(const Place &place, WeatherKey::Kind kind)
{
    return feed(const_cast<Place &>(place), kind);
}

void WeatherSession::request(PlaceId id, WeatherKey::Kind kind, bool force)
{
    const auto it = m_places.find(id);
    if (it == m_places.end())
        return;
    if (!m_source->hasFeed(kind))
        return; // a source without alerts, air quality or a nowcast is never asked for them
    Feed &f = feed(it->second, kind);
    if (f.inFlight && !force)
        return; // the answer on its way will do
    f.inFlight = true;
    f.due = -1;
    const quint64 generation = ++f.generation;
    const Location location = it->second.location;
    announce(id);
    // A ready future runs its continuation right here: everything after this point may have
    // changed m_places.
    switch (kind) {
    case WeatherKey::Kind::Forecast:
        watch(m_source->forecast(location, force), id, kind, generation);
        break;
    case WeatherKey::Kind::Hourly:
        watch(m_source->hourly(location, force), id, kind, generation);
        break;
    case WeatherKey::Kind::AlertList:
        watch(m_source->alerts(location, force), id, kind, generation);
        break;
    case WeatherKey::Kind::AirQuality:
        watch(m_source->airQuality(location, force), id, kind, generation);
        break;
    case WeatherKey::Kind::Nowcast:
        watch(m_source->nowcast(location, force), id, kind, generation);
        break;
    default:
        watch(m_source->current(location, force), id, kind, generation);
        break;
    }
}

template<typename T>
void WeatherSession::watch(QFuture<WeatherAnswer<T>> future, PlaceId id, WeatherKey::Kind kind,
                           quint64 generation)
{
    const QPointer<WeatherSession> self(this);
    const auto cancelled = [self, id, kind, generation] {
        if (!self)
            return;
        WeatherAnswer<T> a;
        a.error = WeatherError(WeatherError::Offline);
        a.error.setDetail(tr("The weather service stopped answering."));
        self->answered(id, kind, generation, a);
    };
    // Qt 6.4 runs no continuation of a default-constructed future.
    if (future.isCanceled()) {
        QMetaObject::invokeMethod(this, cancelled, Qt::QueuedConnection);
        return;
    }
    // The source may answer after the session is gone: see ContinuationContext.
    future
        .then(m_continuations.object(),
              [keep = m_continuations.keepAlive(), self, id, kind,
               generation](const WeatherAnswer<T> &a) {
                  if (self)
                      self->answered(id, kind, generation, a);
              })
        .onCanceled(m_continuations.object(),
                    [keep = m_continuations.keepAlive(), cancelled] { cancelled(); });
}

template<typename T>
void WeatherSession::answered(PlaceId id, WeatherKey::Kind kind, quint64 generation,
                              const WeatherAnswer<T> &answer)
{
    auto it = m_places.find(id);
    if (it == m_places.end())
        return; // removed meanwhile
    Feed &f = feed(it->second, kind);
    if (generation != f.generation)
        return; // a newer request is on its way
    f.inFlight = false;
    const qint64 now = m_clock->now();
    const Location location = it->second.location;
    const bool clean = answer.ok() && !answer.error.isError();
    if (clean) {
        f.retryDelay = 0;
        const qint64 expires = now - answer.ageMs + m_source->lifetimeMs(kind);
        f.due = qMax(expires, now + kMinimumIntervalMs);
        f.interval = f.due - now;
    } else {
        failed(id, f, kind, answer.error);
    }
    if constexpr (std::is_same_v<T, DailyForecastList>)
        Q_EMIT forecastAnswered(id, location, answer);
    else if constexpr (std::is_same_v<T, HourlyForecastList>)
        Q_EMIT hourlyAnswered(id, location, answer);
    else if constexpr (std::is_same_v<T, WeatherAlertList>)
        Q_EMIT alertsAnswered(id, location, answer);
    else if constexpr (std::is_same_v<T, AirQuality>)
        Q_EMIT airQualityAnswered(id, location, answer);
    else if constexpr (std::is_same_v<T, Nowcast>)
        Q_EMIT nowcastAnswered(id, location, answer);
    else
        Q_EMIT currentAnswered(id, location, answer);
    if (!clean) {
        it = m_places.find(id); // a slot may have removed it
        if (it == m_places.end())
            return;
        Q_EMIT placeFailed(id, kind, answer.error, feed(it->second, kind).due);
    }
    it = m_places.find(id);
    // The weather's round: an extra's late answer is no second "finished".
    if (it != m_places.end() && !it->second.inFlight() && isWeather(kind))
        Q_EMIT requestsFinished(id);
    reschedule();
    announce(id);
}

void WeatherSession::failed(PlaceId id, Feed &f, WeatherKey::Kind kind, const WeatherError &error)
{
    if (needsThePerson(error)) {
        // Retrying an unknown place or a refused key only gets keys banned.
        f.retryDelay = 0;
        f.due = -1;
        qCDebug(lcWeather) << "place" << id << WeatherKey::kindToken(kind)
                           << "waits for the person:" << WeatherError::kindName(error.kind());
        return;
    }
    f.retryDelay = f.retryDelay > 0 ? qMin(f.retryDelay * 2, kLongestRetryMs) : kFirstRetryMs;
    qint64 delay = f.retryDelay;
    if (error.retryAfter() > 0)
        delay = qMax(delay, qint64(error.retryAfter()) * 1000);
    f.due = m_clock->now() + delay;
    f.interval = delay;
    qCDebug(lcWeather) << "place" << id << WeatherKey::kindToken(kind) << "retry in" << delay
                       << "ms:" << WeatherError::kindName(error.kind());
}

void WeatherSession::checkDue()
{
    if (m_checking)
        return;
    m_checking = true;
    const qint64 now = m_clock->now();
    std::vector<std::pair<PlaceId, WeatherKey::Kind>> due;
    for (auto &[id, place] : m_places) {
        for (const WeatherKey::Kind kind : kKinds) {
            Feed &f = feed(place, kind);
            if (f.inFlight || f.due < 0)
                continue;
            // The clock was set back: no deadline is further ahead than its whole interval.
            if (f.due > now + f.interval)
                f.due = now + f.interval;
            if (f.due <= now)
                due.emplace_back(id, kind);
        }
    }
    for (const auto &[id, kind] : due)
        request(id, kind, false);
    m_checking = false;
    reschedule();
    for (PlaceId id : places())
        announce(id);
}

void WeatherSession::reschedule()
{
    qint64 earliest = -1;
    for (const auto &[id, place] : m_places) {
        for (const Feed *f : {&place.current, &place.forecast, &place.hourly, &place.alerts,
                              &place.airQuality, &place.nowcast}) {
            if (!f->inFlight && f->due >= 0 && (earliest < 0 || f->due < earliest))
                earliest = f->due;
        }
    }
    if (earliest < 0) {
        m_timer.stop();
        return;
    }
    const qint64 delay = qBound<qint64>(0, earliest - m_clock->now(), kMaxSleepMs);
    m_timer.start(std::chrono::milliseconds(delay));
}

void WeatherSession::announce(PlaceId id)
{
    const auto it = m_places.find(id);
    if (it == m_places.end())
        return;
    Place &place = it->second;
    const qint64 next = nextUpdate(id);
    const bool loading = place.inFlight();
    const bool nextChanged = next != place.announcedNext;
    const bool loadingToggled = loading != place.announcedLoading;
    place.announcedNext = next;
    place.announcedLoading = loading;
    // `place` may be gone once a slot ran.
    if (nextChanged)
        Q_EMIT nextUpdateChanged(id, next);
    if (loadingToggled)
        Q_EMIT loadingChanged(id, loading);
}
