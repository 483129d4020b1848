// SPDX-License-Identifier: MIT
#pragma once

#include "cache/asynccache.h"
#include "cache/cachetypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

/**
 * The live entries of one AsyncCache, one row per key, for the cache status panel.
 *
 * Rows follow the cache's signals (inserted, removed, cleared: incremental row inserts and
 * removals, never a reset); a key finds its row through a hash. The ticking columns (age, time
 * left, the draining bars, fresh turning stale) are computed when read, from the entry's
 * timestamps and the cache's clock, so time passing changes no stored data and sends no
 * dataChanged: the tick only says ticked(), and a view repaints what it shows. What time does
 * not tell (hits, size) is re-read for the rows a view shows (refreshRows()), or for all of them
 * by refresh(); dataChanged then names only the cells that changed. The cache is borrowed and
 * must outlive the model (or be destroyed first: the model then shows nothing).
 */
class CacheEntryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        EntryColumn,
        StateColumn,
        AgeColumn,
        TimeLeftColumn,
        HitsColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role {
        KeyRole = Qt::UserRole + 1, ///< QString, the raw cache key
        StateRole, ///< int(EntryState)
        AgeMsRole, ///< qint64, -1 while a first load is in flight
        TimeLeftMsRole, ///< qint64
        TtlMsRole, ///< qint64
        FractionLeftRole, ///< double 0..1: timeLeft / ttl, what the draining bar draws
        SortRole, ///< a value that sorts the column sensibly (numbers as numbers)
        /** qint64: how long the value is kept after it expires (0: dropped at once). */
        StaleHorizonMsRole,
        /** qint64: how much of that is left (all of it while fresh, 0 once gone). */
        StaleLeftMsRole,
        StaleFractionLeftRole, ///< double 0..1: StaleLeftMs / StaleHorizonMs
        /** bool: a remembered "not found" (negative caching), not a value. */
        RememberedFailureRole,
        /**
         * QString: the time-left cell in full words, "expired — kept 6 d 23 h as offline
         * backup"; DisplayRole is the short form ("kept 6 d 23 h") for a narrow cell. Also
         * what a screen reader reads (Qt::AccessibleTextRole).
         */
        LifeTextRole,
    };

    using EntriesFunction = std::function<QList<CacheEntryInfo>()>;
    using InfoFunction = std::function<std::optional<CacheEntryInfo>(const QString &key)>;
    using DescribeFunction = std::function<QString(const QString &key)>;
    /** The cache's stale horizon, read at every refresh (a setting may change it). */
    using HorizonFunction = std::function<qint64()>;

    static constexpr int kDefaultTickMs = 1000;

    explicit CacheEntryModel(QObject *parent = nullptr);
    ~CacheEntryModel() override;

    template<typename T>
    void setCache(AsyncCache<T> *cache)
    {
        if (!cache) {
            setSource(nullptr, {}, {});
            return;
        }
        setSource(
            cache, [cache] { return cache->entries(); },
            [cache](const QString &key) { return cache->entryInfo(key); },
            [cache] { return cache->staleHorizon(); });
    }
    /**
     * Any cache: its signals, a way to list its entries and to look one up, and its stale
     * horizon (none: expired values are not kept).
     */
    void setSource(AsyncCacheBase *cache, EntriesFunction entries, InfoFunction info,
                   HorizonFunction staleHorizon = {});
    /** Turns a key into words ("Berlin, DE · current conditions"); the key itself if unset. */
    void setDescribeFunction(DescribeFunction describe);

    void setTickInterval(int ms);
    int tickInterval() const { return m_timer->interval(); }
    /**
     * Whether the model says ticked() once per tick interval (the default). A view that nobody
     * sees turns it off, so the model wakes nobody up; turning it on again re-reads the hits
     * and sizes (refresh()) and says ticked() at once. Rows follow the cache's signals either
     * way, and the ticking columns always read the clock.
     */
    void setTicking(bool ticking);
    bool isTicking() const { return m_ticking; }

    QString keyAt(int row) const;
    /** O(1): a hash lookup. */
    int rowOfKey(const QString &key) const;
    std::optional<CacheEntryInfo> infoAt(int row) const;

    /** "45 s", "3 min", "2 h 5 min", "3 d", "6 d 23 h". */
    static QString formatDuration(qint64 ms);
    /** "512 B", "3.4 KiB", "1.2 MiB". */
    static QString formatBytes(qint64 bytes);
    static QString stateText(EntryState state);
    /** The time-left cell of `info`, short (DisplayRole) or in full words (LifeTextRole). */
    static QString lifeText(const CacheEntryInfo &info, qint64 staleHorizonMs, bool full);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    /**
     * Re-reads every entry (O(entries)): rows in step with the cache, hits and sizes updated.
     * For a change of source or of what is shown, never per tick.
     */
    void refresh();
    /** Re-reads rows `first`..`last` (hits, size, state): what a view shows, at its tick. */
    void refreshRows(int first, int last);

Q_SIGNALS:
    /**
     * Time moved (the tick, or the clock jumped): the ticking columns read differently now.
     * No dataChanged is sent for them; whoever shows them repaints the rows on screen.
     */
    void ticked();

private:
    struct Row
    {
        CacheEntryInfo info;
        QString description;
    };

    /** What time changes in a row, read against `now`. */
    struct Live
    {
        qint64 ageMs = 0;
        qint64 timeLeftMs = 0;
        EntryState state = EntryState::Fresh;
    };
    static Live liveOf(const CacheEntryInfo &info, qint64 now);
    static QString lifeTextAt(const CacheEntryInfo &info, const Live &live, qint64 staleHorizonMs,
                              bool full);
    qint64 now() const;
    void onTick();
    void onKeyTouched(const QString &key);
    void onKeyRemoved(const QString &key);
    void onCleared();
    void insertRow(const CacheEntryInfo &info);
    void removeRowAt(int row);
    void updateRow(int row, const CacheEntryInfo &info);
    std::optional<CacheEntryInfo> lookup(const QString &key) const;
    QString describe(const QString &key) const;

    QPointer<AsyncCacheBase> m_cache;
    EntriesFunction m_entries;
    InfoFunction m_info;
    HorizonFunction m_staleHorizon;
    DescribeFunction m_describe;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOfKey;
    QTimer *m_timer; // a child, so whoever counts the wake-ups of a panel finds it
    bool m_ticking = true;
};
