// SPDX-License-Identifier: MIT
#pragma once

#include "models/cacheplacemodel.h"

#include <QHash>
#include <QMap>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QSet>
#include <QWidget>

#include <memory>

class CacheEntryModel;
class QAction;
class QLabel;
class QSortFilterProxyModel;
class QTimer;
class QProgressBar;
class WeatherService;
class PlaceBook;

namespace Ui {
class CacheStatusPanel;
}

/**
 * What the cache holds, live: the entries grouped by place (state, age, a draining time-left
 * bar, hits, size), a headline, the requests against the provider's limits, a summary of the
 * counters with the cache's and the process's memory, and a timeline of requests and cache
 * answers over the last ten minutes or hour (from the service's RequestLog events).
 *
 * Live only while someone can see it: hidden (its dock closed or tabbed away) or with its
 * window minimised, every timer of the panel and of its model stops; shown again, it refreshes
 * at once (the event log kept the hidden time, so the timeline has it).
 *
 * It changes no cached answer itself: Drop (the button, the Delete key, the row's context
 * menu), Refresh now and Clear are reported as invalidateRequested(), refreshRequested() and
 * clearRequested() for MainWindow to act on. Reset statistics is the panel's own business: it
 * resets the memory cache's counters (AsyncCacheBase::resetStats()) and starts its timeline
 * again, and says resetStatisticsRequested() for whoever keeps other counters. The service is
 * borrowed.
 *
 * When the selected row goes (dropped, expired), the selection stays at its place: on the row
 * that took it, or on the last one.
 */
class CacheStatusPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kSummaryTickMs = 1000;
    /** Below this width the summary lists its figures in one column instead of two. */
    static constexpr int kTwoColumnWidth = 680;
    /** The time-left column's width to start with. */
    static constexpr int kTimeLeftWidth = 118;
    /** Below this width the table leaves out hits and size. */
    static constexpr int kAllColumnsWidth = 520;
    /**
     * Below this width (a narrow window's dock, tabbed with Places) the panel is compact: the
     * headline and the shown place's rows by their names and times left; the schedule, the
     * requests, the figures and the timeline come back when it is wider.
     */
    static constexpr int kCompactWidth = 340;

    explicit CacheStatusPanel(QWidget *parent = nullptr);
    ~CacheStatusPanel() override;

    void setService(WeatherService *service);
    /** The places the schedule names with their next updates, and the tree highlights (borrowed).
     */
    void setPlaceBook(PlaceBook *book);
    /** The entries, one row each (what the tree groups). */
    CacheEntryModel *model() const { return m_model; }
    /** The entries grouped by place: what the view shows, sorted. */
    CachePlaceModel *placeModel() const { return m_places; }

    /** The cache key of the selected row; empty when none. */
    QString selectedKey() const;
    void selectKey(const QString &key);
    /**
     * Opens the node of the place `key` names (any of its keys) and selects the row of
     * `key` (or the place, when that row is not there). False when the place has no rows.
     */
    bool revealPlace(const QString &key);
    /** Where the tree puts `key`: its place and settings, or its search. */
    CachePlaceModel::Placement placementOf(const QString &key) const;

    /** The compact form (see kCompactWidth). */
    bool isCompact() const { return m_compact; }

    /** Whether the panel is on screen and its timers run (see the class comment). */
    bool isLive() const { return m_live; }

    /** The rows of model() the view shows now (at most a screenful). */
    QList<int> visibleEntryRows() const;

    /** VmRSS from /proc/self/status in bytes; -1 where that cannot be read. */
    static qint64 residentMemoryBytes();

public Q_SLOTS:
    void refreshSummary();

    /** What the Reset statistics button does; MainWindow may call it from a menu too. */
    void resetStatistics();

Q_SIGNALS:
    void invalidateRequested(const QString &key);
    /** "Refresh now" on a row: fetch this entry again, whatever its time left. */
    void refreshRequested(const QString &key);
    void clearRequested();
    /** The panel reset the memory cache's counters; other counters (tiers, requests) too. */
    void resetStatisticsRequested();
    void selectionChanged(bool hasSelection);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    /** The provider changed: the loads so far are the previous one's. */
    void creditAnswersOnSwitch();
    void setupActions();
    void showContextMenu(const QPoint &pos);
    void onStatsReset();
    void setLive(bool live);
    /** The model's tick: the rows on screen re-read and repainted, nothing else. */
    void refreshVisibleRows();
    qint64 now() const;
    void updateEmptyState();
    void arrangeSummary(bool oneColumn);
    void setCompact(bool compact);
    /** Compact, the tree keeps the shown place's group only. */
    void filterToShownPlace();
    /** The headline, the places' next updates and the requests against the limits. */
    void refreshStory();
    /** The widest entry name on screen needs this much of the Entry column (0: no entries). */
    int entryWidthNeeded() const;
    /** Hides the columns that matter least while the Entry column is too narrow for its names. */
    void fitEntryColumn();
    /** The timeline from the service's event log: new events, or only the time moved. */
    void refreshTimeline();
    void showRequestCounts(qint64 minute, qint64 hour, qint64 today, const QString &provider,
                           int perMinute, int perHour, int perDay, bool everyProcess);
    /** The summary's figures: caption and value. */
    QList<std::pair<QLabel *, QLabel *>> figures() const;

    std::unique_ptr<Ui::CacheStatusPanel> ui;
    CacheEntryModel *m_model;
    CachePlaceModel *m_places;
    QSortFilterProxyModel *m_proxy;
    QPointer<WeatherService> m_service; // borrowed; gone with it if destroyed first
    QPointer<PlaceBook> m_book;
    bool m_countsPending = false; // a count of the shared request log is on its way
    QStringList m_otherSchedules; // the other places' next updates, shown on demand
    // Children, so that whoever counts the panel's wake-ups finds them.
    QTimer *m_summaryTimer;
    QAction *m_refreshAction;
    QAction *m_dropAction;
    QAction *m_copyKeyAction;
    void applyExpansion(const QModelIndex &group);
    /** Spans the places' rows not spanned yet (see applyExpansion()). */
    void spanPlaces();
    bool m_spanPending = false;

    int m_reselectRow = -1; // the selected row being removed: select what takes its place
    QPersistentModelIndex m_reselectParent;
    QSet<QString> m_toggledGroups; // opened or closed by the person, against the default
    bool m_applyingExpansion = false;
    bool m_live = false;
    quint64 m_timelineSeen = 0; // RequestLog::eventsRecorded() the timeline has
    quint64 m_eventsAtReset = 0; // RequestLog::eventsRecorded() at Reset statistics
    QHash<QString, QString> m_providerNames; // provider id -> display name, as seen
    // places: which provider answered. Loads counted before a provider switch stay credited to
    // the provider of that time (the layers count loads, not who made them).
    QString m_answeringProvider;
    quint64 m_answersAtSwitch = 0; // LayeredCacheStats::loaderAnswers at the last switch
    QMap<QString, quint64> m_creditedAnswers; // provider id -> loads answered before a switch
    int m_summaryColumns = 0;
    bool m_compact = false;
    QLabel *m_compactHint = nullptr; // a child: "Widen the panel for…", compact only
};
