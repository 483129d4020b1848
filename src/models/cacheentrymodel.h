// SPDX-License-Identifier: MIT
#pragma once

#include "cache/asynccache.h"
#include "cache/cachetypes.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

/**
 * The live entries of one AsyncCache, one row per key, for the cache status panel.
 *
 * Rows follow the cache's signals (inserted, removed, cleared: incremental row inserts and
 * removals, never a reset); a single timer re-reads the entries once per tick and emits
 * dataChanged for the age and time-left columns only, plus the cells whose state, hits or size
 * really changed. The cache is borrowed and must outlive the model (or be destroyed first: the
 * model then shows nothing).
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
     * Whether the ticking columns follow the clock (the default). A view that nobody sees
     * turns it off, so the model wakes nobody up; turning it on again refreshes at once.
     * Rows still follow the cache's signals either way.
     */
    void setTicking(bool ticking);
    bool isTicking() const { return m_ticking; }

    QString keyAt(int row) const;
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
    /** Re-reads every entry: rows in step with the cache, ticking columns updated. */
    void refresh();

private:
    struct Row
    {
        CacheEntryInfo info;
        QString description;
    };

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
    QTimer *m_timer; // a child, so whoever counts the wake-ups of a panel finds it
    bool m_ticking = true;
};
