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
    };

    using EntriesFunction = std::function<QList<CacheEntryInfo>()>;
    using InfoFunction = std::function<std::optional<CacheEntryInfo>(const QString &key)>;
    using DescribeFunction = std::function<QString(const QString &key)>;

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
            [cache](const QString &key) { return cache->entryInfo(key); });
    }
    /** Any cache: its signals, a way to list its entries and to look one up. */
    void setSource(AsyncCacheBase *cache, EntriesFunction entries, InfoFunction info);
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

    /** "45 s", "3 min", "2 h 5 min", "3 d". */
    static QString formatDuration(qint64 ms);
    /** "512 B", "3.4 KiB", "1.2 MiB". */
    static QString formatBytes(qint64 bytes);
    static QString stateText(EntryState state);

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
    DescribeFunction m_describe;
    QList<Row> m_rows;
    QTimer *m_timer; // a child, so whoever counts the wake-ups of a panel finds it
    bool m_ticking = true;
};
