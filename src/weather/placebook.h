// SPDX-License-Identifier: MIT
#pragma once

#include "savedplace.h"
#include "weatheranswer.h"
#include "weathersession.h"

#include <QList>
#include <QObject>

#include <any>
#include <map>
#include <optional>

class Clock;
class Settings;

/**
 * The person's places and their weather, without widgets: the one answer to "which places".
 *
 * - The saved places, in the person's order, persisted through Settings::setSavedPlaces().
 *   A place is known by its rounded coordinates (the cache key's), never by its name.
 * - The place on screen, shown(): a saved one, or one transient place that is kept current
 *   until another is shown (then forgotten: its late answers are dropped). Only show() changes
 *   it; saving, renaming, moving and removing never do. Removing the shown place leaves it on
 *   screen, transient.
 * - The feeds of every place as data (feeds(): current conditions, the daily and the
 *   hourly forecast, then the extras: the live severe-weather alerts when the source has them
 *   (latest<WeatherAlertList>(id, AlertList), liveAlerts()), air quality and the nowcast
 *   (issue 23)), the last answer per place and feed (latest<T>(): any answer; last<T>(): the
 *   last with a value, what selecting a place shows at once), and each place's status across
 *   the weather's feeds (status()).
 * - Which place and feed a cache key belongs to: refresh(key, force).
 * - "Here" (issue 24), here(): the person's position as a place of its own, never saved, first
 *   in listed() while location is on. setHere() moves it; within one cell (the cache key's
 *   0.01°) only its name may change and nothing is asked again; another cell is another place
 *   whose feeds are asked for. It never takes the screen by itself: only show() does, and a
 *   shown Here stays shown as it moves (the person picked "where I am").
 *
 * The WeatherSession it owns schedules the requests (expiry, back-off, resume, network back).
 * The window, the Places model, the tray, the notices and the cache panel read this class.
 *
 * Ownership: the source, the settings and the clock are borrowed and must outlive the book.
 */
class PlaceBook : public QObject
{
    Q_OBJECT
public:
    using PlaceId = WeatherSession::PlaceId;
    static constexpr int kMaxPlaces = 30; // Settings::kMaxSavedPlaces

    /** A place's state across every feed. */
    struct Status
    {
        qint64 nextUpdate = -1; ///< ms since the epoch; -1: nothing planned
        qint64 retryDelay = 0; ///< the longest back-off of a failing feed; 0: none fails
        bool loading = false;
        bool waitsForPerson = false; ///< a failure only the person can fix (key, unknown place)
    };

    PlaceBook(WeatherSource *source, Settings *settings, Clock *clock, QObject *parent = nullptr);
    ~PlaceBook() override;

    /** Schedules every place's requests; wire the network and resume signals to it. */
    WeatherSession *session() const { return m_session; }

    /** The feeds each place has, in the order they are asked for (WeatherSession::feeds()). */
    static QList<WeatherKey::Kind> feeds() { return WeatherSession::feeds(); }
    /**
     * Current, Forecast or Hourly: part of status(). The extras (alerts, air quality, the
     * nowcast) are answered like the others but never part of it: a failing one is said where
     * it is shown, and never marks the place as failing.
     */
    static bool isWeather(WeatherKey::Kind feed) { return WeatherSession::isWeather(feed); }

    /** The saved places, in the person's order. */
    QList<PlaceId> saved() const;
    bool isSaved(PlaceId id) const { return rowOf(id) >= 0; }
    /** `id`'s row in saved(), -1 when not saved. */
    int rowOf(PlaceId id) const;
    bool isFull() const { return m_saved.size() >= kMaxPlaces; }
    /** The saved or shown place at `location`'s coordinates; 0 when none. */
    PlaceId find(const Location &location) const;
    /** Every place kept current: the saved ones, Here, then a transient shown one. */
    QList<PlaceId> places() const;
    /** The Places list's rows: Here first (while there is one), then the saved places. */
    QList<PlaceId> listed() const;

    /** Here's id; 0 while location is off or no position came yet. */
    PlaceId here() const { return m_here; }
    /**
     * The position is at `location` now (named by the reverse lookup). Within Here's cell the
     * name is updated and nothing is asked; in another cell Here becomes a new place and its
     * feeds are asked for (the old one's late answers are dropped). An unusable location is
     * ignored. Clears hereProblem().
     */
    void setHere(const Location &location);
    /**
     * Location turned off: Here leaves the list and is no longer kept current, unless it is on
     * screen: then it stays there as the transient place until another is shown.
     */
    void clearHere();
    /** Why there is no Here, a sentence for the person; empty when none. */
    QString hereProblem() const { return m_hereProblem; }
    void setHereProblem(const QString &sentence);

    /** The place on screen; 0 when none. */
    PlaceId shown() const { return m_shown; }
    /** True when the shown place is not saved. */
    bool isShownTransient() const { return m_shown && m_shown == m_transient; }

    Location location(PlaceId id) const;
    /** The person's own name; empty when none (or not saved). */
    QString customLabel(PlaceId id) const;
    /** The name shown: the person's own, else the short name, with region when twins. */
    QString label(PlaceId id) const;

    /**
     * Puts `location` on screen: Here's id for Here's own location (the Places row), else a
     * saved place's id is reused, else the transient place is replaced. Showing the shown place
     * again refreshes it (through the cache; `force`: past it). Returns its id; 0 for an unusable
     * location.
     */
    PlaceId show(const Location &location, bool force = false);
    /** The shown place joins the saved ones (Ctrl+D); false when none, saved already or full. */
    bool saveShown();
    /** Off the list; the shown one stays on screen, transient, until another is shown. */
    void remove(PlaceId id);
    /** An empty label, or the geocoder's name typed back, brings the geocoder's name back. */
    void rename(PlaceId id, const QString &label);
    /** Moves the saved place at row `from` to row `to`. */
    bool move(int from, int to);

    /** The weather's state; the alerts' own failures are not in it (WeatherSession). */
    Status status(PlaceId id) const;
    /**
     * The live alerts of `id` as last fetched, those expired by now left out: the badge on
     * the Places rows and the tray. A failed refresh keeps the last list that came (a warning
     * is not dropped because the server was down); nullopt when none came yet.
     */
    std::optional<WeatherAlertList> liveAlerts(PlaceId id) const;

    /** The latest answer of `feed` for `id`, with a value or not. */
    template<typename T>
    std::optional<WeatherAnswer<T>> latest(PlaceId id, WeatherKey::Kind feed) const
    {
        return answer<T>(id, feed, false);
    }
    /** The last answer with a value: what showing the place puts on screen at once. */
    template<typename T>
    std::optional<WeatherAnswer<T>> last(PlaceId id, WeatherKey::Kind feed) const
    {
        return answer<T>(id, feed, true);
    }
    /** The clock the book tells time by (borrowed): its views say "now" by it too. */
    Clock *clock() const { return m_clock; }

    std::optional<WeatherAnswer<CurrentConditions>> lastCurrent(PlaceId id) const
    {
        return last<CurrentConditions>(id, WeatherKey::Kind::Current);
    }

    /** Asks again for every feed of `id` (through the cache; `force`: past it). */
    void refresh(PlaceId id, bool force);
    /**
     * The cache panel's "Refresh now": a key of one of the places' feeds is asked again through
     * the session (so the card, the chart and the list update); any other goes to the source.
     * False when neither can (the entry was fetched with other settings).
     */
    bool refresh(const QString &cacheKey, bool force);
    /** Which place and feed `cacheKey` belongs to; {0, Invalid} when none. */
    std::pair<PlaceId, WeatherKey::Kind> placeOfKey(const QString &cacheKey) const;

    /** The same place for the cache: the same rounded coordinates. */
    static bool sameCoordinates(const Location &a, const Location &b);

Q_SIGNALS:
    /** A place was saved, removed, moved or renamed; Here came, moved or went. */
    void placesChanged();
    /** here(), its name or hereProblem() changed. */
    void hereChanged();
    /** Another place is on screen (0: none). */
    void shownChanged(PlaceBook::PlaceId id);
    /** latest(id, feed) is new. */
    void answered(PlaceBook::PlaceId id, WeatherKey::Kind feed);
    void statusChanged(PlaceBook::PlaceId id);
    /** Every request of a round for `id` answered. */
    void requestsFinished(PlaceBook::PlaceId id);
    /** A request failed; `retryAt` -1 when it waits for the person. */
    void placeFailed(PlaceBook::PlaceId id, WeatherKey::Kind feed, const WeatherError &error,
                     qint64 retryAt);

private:
    struct Entry
    {
        PlaceId id = 0;
        SavedPlace place;
    };
    struct Answers
    {
        std::any latest; // WeatherAnswer<T>
        std::any good; // WeatherAnswer<T> with a value
        bool waitsForPerson = false;
    };

    template<typename T>
    std::optional<WeatherAnswer<T>> answer(PlaceId id, WeatherKey::Kind feed, bool good) const
    {
        const auto place = m_answers.find(id);
        if (place == m_answers.end())
            return std::nullopt;
        const auto it = place->second.find(feed);
        if (it == place->second.end())
            return std::nullopt;
        const auto *value
            = std::any_cast<WeatherAnswer<T>>(good ? &it->second.good : &it->second.latest);
        return value ? std::optional<WeatherAnswer<T>>(*value) : std::nullopt;
    }
    template<typename T>
    void store(PlaceId id, WeatherKey::Kind feed, const WeatherAnswer<T> &answer);
    void forget(PlaceId id);
    void persist();
    const Entry *entry(PlaceId id) const;

    Settings *m_settings;
    WeatherSource *m_source;
    Clock *m_clock;
    WeatherSession *m_session; // a child
    QList<Entry> m_saved;
    PlaceId m_shown = 0;
    PlaceId m_transient = 0;
    PlaceId m_here = 0;
    Location m_hereLocation; // its coordinates are the position's, its name the cell's
    QString m_hereProblem;
    std::map<PlaceId, std::map<WeatherKey::Kind, Answers>> m_answers;
};
