// SPDX-License-Identifier: MIT
#pragma once

#include "cache/continuationcontext.h"
#include "weather/currentconditions.h"
#include "weather/hourlyforecast.h"
#include "weather/location.h"
#include "weather/statusformat.h"
#include "weather/weatheranswer.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

class CacheTier;
class Clock;
class SqliteTier;
class WeatherService;

/**
 * `weatherdash-cli --watch --format … CITY`: one status-bar line at once, and a new one
 * whenever the answer changes, for as long as the status bar keeps the process.
 *
 * Push, not poll. The watch learns of a renewal made by any WeatherDash process from the
 * cache itself: the disk tier's files (a QFileSystemWatcher, inotify: a write by the window
 * or another CLI on this computer) and, with the shared tier, its landing announcements
 * (Redis pub/sub: a load by another machine; the shared tier is read again whenever the
 * subscription is made or made again, as an announcement before it was not heard). Either
 * makes it read the place's two entries
 * (current conditions and the hours of the tooltip) from that tier, and only when one is
 * newer than what it shows, print again. Between changes it sleeps: no timer but the one
 * for the entry's own expiry (re-armed at most a minute ahead, so a clock set back is
 * noticed).
 *
 * The provider is asked only at the entry's own refresh: when what it shows has expired and
 * nobody renewed it within kGraceMs (a window that runs refreshes the entry itself at its
 * expiry, and the watch then just reads its answer), and, after a failure, with the session's
 * back-off (1, 2, 4 … 15 minutes). A failed refresh serves the old answer as stale, so the
 * line says its age ("(12 min old)"): the line changes when the answer crosses into stale.
 *
 * Each line is one update: Waybar's JSON as --format waybar prints it, a template's line, and
 * for i3blocks (`interval=persist` reads a line per update) the block as one JSON object
 * (`format=json`: full_text, short_text, color, markup).
 *
 * Time is the injected Clock's (Clock::jumped re-checks at once), so tests move time.
 *
 * Ownership: the service, the tiers and the clock are borrowed and must outlive the watch.
 */
class StatusWatch : public QObject
{
    Q_OBJECT
public:
    /** After an entry's expiry, how long another process has to renew it before we do. */
    static constexpr qint64 kGraceMs = 20'000;
    /** A burst of writes to the disk (one refresh writes several entries) is read once. */
    static constexpr int kSettleMs = 250;
    /** The timer for the next refresh is armed at most this far ahead. */
    static constexpr qint64 kLongestSleepMs = 60'000;

    StatusWatch(WeatherService *service, SqliteTier *disk, CacheTier *shared, Clock *clock,
                QString city, StatusFormat format, QObject *parent = nullptr);
    ~StatusWatch() override;

    /** Finds the city, prints its first line, then watches. */
    void start();

    /** When the watch asks for the place itself next (ms since the epoch); -1: not planned. */
    qint64 nextRefresh() const { return m_due; }
    /**
     * Nothing of the watch's is on the way: no answer, no tier read, no burst of writes to
     * settle (tests move their clock only then).
     */
    bool isIdle() const { return !m_inFlight && m_reads == 0 && !m_settle.isActive(); }
    /** The files of the disk tier being watched (for tests and --watch's debug log). */
    QStringList watchedFiles() const { return m_files.files(); }

Q_SIGNALS:
    /** A line for the status bar, without its newline. */
    void lineReady(const QString &line);
    /** Why the line is stale or missing, once per new reason (for stderr: Waybar's log). */
    void problemOccurred(const QString &message);
    /** Nothing more can come: the place is unknown, or the key is refused. */
    void finished(int exitCode);

private:
    void search();
    void ask();
    void answered(const WeatherAnswer<CurrentConditions> &current,
                  const std::optional<WeatherAnswer<HourlyForecastList>> &hours);
    void failedSearch(const WeatherError &error);
    void watchDisk();
    /** The disk changed, or the shared tier announced `key`: read the tier, renew if newer. */
    void readTier(CacheTier *tier, const QString &key);
    void checkDue();
    void arm();
    void retryLater(const WeatherError &error);
    QStringList keys() const;
    void show(const StatusInput &input);

    WeatherService *m_service;
    SqliteTier *m_disk;
    CacheTier *m_shared;
    Clock *m_clock;
    QString m_city;
    StatusFormat m_format;
    ContinuationContext m_continuations;

    std::optional<Location> m_location;
    /** The load time of each entry the line was made of (current, hourly). */
    QHash<QString, qint64> m_seen;
    QString m_lastLine;
    QString m_lastProblem;
    qint64 m_due = -1;
    qint64 m_retryDelay = 0;
    bool m_inFlight = false;
    bool m_recheck = false;
    /** The shared tier was read after the first answer (it may hold a newer one). */
    bool m_sharedRead = false;
    /** Tier reads on the way. */
    int m_reads = 0;
    QTimer m_timer;
    QTimer m_settle;
    QFileSystemWatcher m_files;
};
