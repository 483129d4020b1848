// SPDX-License-Identifier: MIT
#include "placebook.h"

#include "cache/clock.h"
#include "settings.h"
#include "weatherkey.h"

#include <algorithm>

static_assert(PlaceBook::kMaxPlaces == Settings::kMaxSavedPlaces);

namespace {
/** Location::isValid() only checks the coordinates; a default Location is "valid" at 0, 0. */
bool isUsable(const Location &location)
{
    return location.isValid() && !location.name.trimmed().isEmpty();
}
} // namespace

PlaceBook::PlaceBook(WeatherSource *source, Settings *settings, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_source(source)
    , m_clock(clock)
    , m_session(new WeatherSession(source, clock, this))
{
    Q_ASSERT(source && settings && clock);
    connect(m_session, &WeatherSession::currentAnswered, this,
            [this](PlaceId id, const Location &, const WeatherAnswer<CurrentConditions> &a) {
                store(id, WeatherKey::Kind::Current, a);
            });
    connect(m_session, &WeatherSession::forecastAnswered, this,
            [this](PlaceId id, const Location &, const WeatherAnswer<DailyForecastList> &a) {
                store(id, WeatherKey::Kind::Forecast, a);
            });
    connect(m_session, &WeatherSession::hourlyAnswered, this,
            [this](PlaceId id, const Location &, const WeatherAnswer<HourlyForecastList> &a) {
                store(id, WeatherKey::Kind::Hourly, a);
            });
    connect(m_session, &WeatherSession::alertsAnswered, this,
            [this](PlaceId id, const Location &, const WeatherAnswer<WeatherAlertList> &a) {
                store(id, WeatherKey::Kind::AlertList, a);
            });
    connect(m_session, &WeatherSession::airQualityAnswered, this,
            [this](PlaceId id, const Location &, const WeatherAnswer<AirQuality> &a) {
                store(id, WeatherKey::Kind::AirQuality, a);
            });
    connect(m_session, &WeatherSession::nowcastAnswered, this,
            [this](PlaceId id, const Location &, const WeatherAnswer<Nowcast> &a) {
                store(id, WeatherKey::Kind::Nowcast, a);
            });
    connect(m_session, &WeatherSession::nextUpdateChanged, this,
            [this](PlaceId id) { Q_EMIT statusChanged(id); });
    connect(m_session, &WeatherSession::loadingChanged, this,
            [this](PlaceId id) { Q_EMIT statusChanged(id); });
    connect(m_session, &WeatherSession::requestsFinished, this, &PlaceBook::requestsFinished);
    connect(m_session, &WeatherSession::placeFailed, this, &PlaceBook::placeFailed);

    // Every saved place is kept current; the disk tier answers at once.
    for (const SavedPlace &place : m_settings->savedPlaces()) {
        if (m_saved.size() >= kMaxPlaces || !isUsable(place.location) || find(place.location))
            continue;
        Entry e;
        e.place = place;
        e.place.label = place.label.simplified();
        e.id = m_session->addPlace(place.location);
        m_saved.append(e);
    }
}

PlaceBook::~PlaceBook() = default;

bool PlaceBook::sameCoordinates(const Location &a, const Location &b)
{
    return WeatherKey::coordinatesText(a.latitude, a.longitude)
           == WeatherKey::coordinatesText(b.latitude, b.longitude);
}

QList<PlaceBook::PlaceId> PlaceBook::saved() const
{
    QList<PlaceId> ids;
    ids.reserve(m_saved.size());
    for (const Entry &e : m_saved)
        ids.append(e.id);
    return ids;
}

QList<PlaceBook::PlaceId> PlaceBook::places() const
{
    QList<PlaceId> ids = saved();
    if (m_here)
        ids.append(m_here);
    if (m_transient)
        ids.append(m_transient);
    return ids;
}

QList<PlaceBook::PlaceId> PlaceBook::listed() const
{
    QList<PlaceId> ids = saved();
    if (m_here)
        ids.prepend(m_here);
    return ids;
}

void PlaceBook::setHere(const Location &location)
{
    if (!isUsable(location))
        return;
    const bool problemWent = !m_hereProblem.isEmpty();
    m_hereProblem.clear();
    if (m_here && sameCoordinates(m_hereLocation, location)) {
        // The same cell: the same weather, and the same coordinates (the session asks with
        // them). A new name (another language) is shown from the answers at hand; the
        // session's schedule is not touched.
        Location named = location;
        named.latitude = m_hereLocation.latitude;
        named.longitude = m_hereLocation.longitude;
        const bool renamed = !(named == m_hereLocation);
        m_hereLocation = named;
        if (renamed) {
            Q_EMIT placesChanged();
            if (m_here == m_shown)
                m_session->refresh(m_here, false); // through the cache: the card's new name
        }
        if (renamed || problemWent)
            Q_EMIT hereChanged();
        return;
    }
    // Another cell (or the first position): a place of its own, the old one's answers gone.
    const PlaceId old = m_here;
    m_hereLocation = location;
    m_here = m_session->addPlace(location);
    if (old)
        forget(old);
    Q_EMIT placesChanged();
    Q_EMIT hereChanged();
    if (old && old == m_shown) {
        // The person picked Here: the screen follows it.
        m_shown = m_here;
        Q_EMIT shownChanged(m_here);
    }
}

void PlaceBook::clearHere()
{
    const bool problemWent = !m_hereProblem.isEmpty();
    m_hereProblem.clear();
    if (!m_here) {
        if (problemWent)
            Q_EMIT hereChanged();
        return;
    }
    const PlaceId id = m_here;
    m_here = 0;
    if (id == m_shown) {
        // Only the person's pick changes the screen: it stays, no longer moving.
        Q_ASSERT(!m_transient || m_transient == id);
        m_transient = id;
    } else {
        forget(id);
    }
    m_hereLocation = Location();
    Q_EMIT placesChanged();
    Q_EMIT hereChanged();
}

void PlaceBook::setHereProblem(const QString &sentence)
{
    if (sentence == m_hereProblem)
        return;
    m_hereProblem = sentence;
    Q_EMIT hereChanged();
}

int PlaceBook::rowOf(PlaceId id) const
{
    if (!id)
        return -1;
    for (int row = 0; row < m_saved.size(); ++row) {
        if (m_saved.at(row).id == id)
            return row;
    }
    return -1;
}

const PlaceBook::Entry *PlaceBook::entry(PlaceId id) const
{
    const int row = rowOf(id);
    return row >= 0 ? &m_saved.at(row) : nullptr;
}

PlaceBook::PlaceId PlaceBook::find(const Location &location) const
{
    for (const Entry &e : m_saved) {
        if (sameCoordinates(e.place.location, location))
            return e.id;
    }
    if (m_transient && sameCoordinates(m_session->location(m_transient), location))
        return m_transient;
    return 0;
}

Location PlaceBook::location(PlaceId id) const
{
    if (const Entry *e = entry(id))
        return e->place.location;
    if (id && id == m_here)
        return m_hereLocation;
    return m_session->location(id);
}

QString PlaceBook::customLabel(PlaceId id) const
{
    const Entry *e = entry(id);
    return e ? e->place.label : QString();
}

QString PlaceBook::label(PlaceId id) const
{
    const Entry *e = entry(id);
    if (!e)
        return location(id).name.trimmed();
    if (!e->place.label.isEmpty())
        return e->place.label;
    const Location &l = e->place.location;
    // Two Londons in the list: say which is which.
    const bool twin = std::any_of(m_saved.cbegin(), m_saved.cend(), [&](const Entry &other) {
        return other.id != id && other.place.label.isEmpty()
               && Location::sameText(other.place.location.name, l.name);
    });
    return twin ? l.displayName() : l.name.trimmed();
}

PlaceBook::PlaceId PlaceBook::show(const Location &location, bool force)
{
    if (!isUsable(location))
        return 0;
    // Here's row picked (or refreshed) is Here, even where a saved place shares its cell: it
    // moves, they don't. Its coordinates are the position's own, unlike any found place's.
    const bool isHere = m_here && location.latitude == m_hereLocation.latitude
                        && location.longitude == m_hereLocation.longitude;
    PlaceId id = isHere ? m_here : find(location);
    if (id && id == m_shown) {
        m_session->refresh(id, force);
        return id;
    }
    // Another place. One that is not saved is forgotten, so its late answers are dropped;
    // saved ones stay current in the list.
    if (m_transient && m_transient != id) {
        forget(m_transient);
        m_transient = 0;
    }
    const bool known = id != 0;
    if (!known) {
        id = m_session->addPlace(location);
        m_transient = id;
    }
    m_shown = id;
    Q_EMIT shownChanged(id);
    if (known || force)
        m_session->refresh(id, force);
    return id;
}

bool PlaceBook::saveShown()
{
    // Here moves: saving it would pin a place that is no longer here.
    if (!m_shown || isSaved(m_shown) || isFull() || m_shown == m_here)
        return false;
    Entry e;
    e.id = m_shown;
    e.place.location = m_session->location(m_shown);
    m_saved.append(e);
    m_transient = 0;
    persist();
    return true;
}

void PlaceBook::remove(PlaceId id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_saved.removeAt(row);
    if (id == m_shown)
        m_transient = id; // still on screen: kept current until another place is shown
    else
        forget(id);
    persist();
}

void PlaceBook::rename(PlaceId id, const QString &label)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    SavedPlace &place = m_saved[row].place;
    QString name = label.simplified();
    // The geocoder's name typed back is no name of one's own.
    if (Location::sameText(name, place.location.name))
        name.clear();
    if (name == place.label)
        return;
    place.label = name;
    persist();
}

bool PlaceBook::move(int from, int to)
{
    const int size = int(m_saved.size());
    if (from < 0 || from >= size || to < 0 || to >= size || from == to)
        return false;
    m_saved.move(from, to);
    persist();
    return true;
}

PlaceBook::Status PlaceBook::status(PlaceId id) const
{
    Status s;
    s.nextUpdate = m_session->nextUpdate(id);
    s.loading = m_session->isLoading(id);
    const auto answers = m_answers.find(id);
    for (const WeatherKey::Kind feed : feeds()) {
        if (!isWeather(feed))
            continue; // the alerts, air quality or the nowcast failing is no failure of the
                      // weather (the session's comment); each says so where it is shown
        s.retryDelay = std::max(s.retryDelay, m_session->retryDelay(id, feed));
        if (answers != m_answers.end()) {
            const auto it = answers->second.find(feed);
            if (it != answers->second.end() && it->second.waitsForPerson)
                s.waitsForPerson = true;
        }
    }
    return s;
}

std::optional<WeatherAlertList> PlaceBook::liveAlerts(PlaceId id) const
{
    const qint64 nowMs = m_clock->now();
    const auto answer = last<WeatherAlertList>(id, WeatherKey::Kind::AlertList);
    if (!answer)
        return std::nullopt;
    WeatherAlertList live;
    for (const WeatherAlert &alert : *answer->value) {
        if (!alert.expires.isValid() || alert.expires.toMSecsSinceEpoch() > nowMs)
            live.append(alert);
    }
    return live;
}

void PlaceBook::refresh(PlaceId id, bool force)
{
    m_session->refresh(id, force);
}

std::pair<PlaceBook::PlaceId, WeatherKey::Kind> PlaceBook::placeOfKey(const QString &cacheKey) const
{
    const WeatherKey parsed = WeatherKey::parse(cacheKey);
    if (!feeds().contains(parsed.kind()))
        return {0, WeatherKey::Kind::Invalid};
    for (const PlaceId id : places()) {
        const Location where = location(id);
        if (WeatherKey::coordinatesText(where.latitude, where.longitude) != parsed.coordinates())
            continue;
        // The place's entry under today's settings; one of another provider or units is not
        // what the session asks for.
        if (m_source->cacheKey(parsed.kind(), where) == cacheKey)
            return {id, parsed.kind()};
    }
    return {0, WeatherKey::Kind::Invalid};
}

bool PlaceBook::refresh(const QString &cacheKey, bool force)
{
    const auto [id, feed] = placeOfKey(cacheKey);
    if (id) {
        m_session->refresh(id, feed, force);
        return true;
    }
    return m_source->refreshKey(cacheKey);
}

template<typename T>
void PlaceBook::store(PlaceId id, WeatherKey::Kind feed, const WeatherAnswer<T> &answer)
{
    // The session drops the answers of a place it forgot.
    Answers &a = m_answers[id][feed];
    a.latest = answer;
    if (answer.ok())
        a.good = answer;
    const bool waits = answer.error.isError() && WeatherSession::needsThePerson(answer.error);
    const bool statusMoved = waits != a.waitsForPerson && isWeather(feed);
    a.waitsForPerson = waits;
    Q_EMIT answered(id, feed);
    if (statusMoved)
        Q_EMIT statusChanged(id);
}

void PlaceBook::forget(PlaceId id)
{
    m_session->removePlace(id);
    m_answers.erase(id);
}

void PlaceBook::persist()
{
    QList<SavedPlace> places;
    places.reserve(m_saved.size());
    for (const Entry &e : std::as_const(m_saved))
        places.append(e.place);
    m_settings->setSavedPlaces(places);
    Q_EMIT placesChanged();
}
