// SPDX-License-Identifier: MIT
#include "cachestatuspanel.h"

#include "ui_cachestatuspanel.h"

#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "timeleftdelegate.h"
#include "weather/weatherservice.h"

#include <QAction>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLocale>
#include <QMenu>
#include <QResizeEvent>
#include <QSortFilterProxyModel>
#include <QTime>
#include <QTimer>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

CacheStatusPanel::CacheStatusPanel(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::CacheStatusPanel>())
    , m_model(new CacheEntryModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_summaryTimer(new QTimer(this))
    , m_chartTimer(new QTimer(this))
{
    ui->setupUi(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CacheEntryModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    // The selected row dropped: its place keeps the selection (rows sort, so the proxy's).
    // Connected before the view's selection model exists, to see the selection before that
    // model forgets it.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                const QModelIndexList rows = ui->entriesView->selectionModel()->selectedRows();
                if (!rows.isEmpty() && rows.first().row() >= first && rows.first().row() <= last)
                    m_reselectRow = first;
            });
    ui->entriesView->setModel(m_proxy);
    // Keep the place, lose the tail: "Berlin, DE · current co…" beats "Berlin, …nditions".
    ui->entriesView->setTextElideMode(Qt::ElideRight);
    ui->entriesView->setItemDelegateForColumn(CacheEntryModel::TimeLeftColumn,
                                              new TimeLeftDelegate(ui->entriesView));
    ui->entriesView->sortByColumn(CacheEntryModel::EntryColumn, Qt::AscendingOrder);
    QHeaderView *header = ui->entriesView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(CacheEntryModel::EntryColumn, QHeaderView::Stretch);
    // Room for "not found · 4 min"; wider, the cell writes the whole sentence.
    header->setSectionResizeMode(CacheEntryModel::TimeLeftColumn, QHeaderView::Interactive);
    header->resizeSection(CacheEntryModel::TimeLeftColumn, kTimeLeftWidth);
    header->setMinimumSectionSize(40);
    ui->entriesView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);

    ui->chart->setMaxSamples(kChartSamples);
    ui->chart->setIntervalMs(kChartIntervalMs);
    ui->chart->setLegend(tr("Found in memory"), tr("Loaded"));
    ui->chart->setAccessibleName(tr("Lookups over time: found in memory, or loaded"));
    ui->chartBox->setTitle(
        tr("Lookups per %1 s: found in memory, or loaded").arg(kChartIntervalMs / 1000));
    ui->chartBox->setToolTip(
        tr("Each bar is %1 seconds of lookups: the lower part found a fresh answer in memory, "
           "the upper part had to load it (from disk, or from the weather provider). Hatched "
           "bars are averages over a time the panel was hidden.")
            .arg(kChartIntervalMs / 1000));
    ui->invalidateButton->setEnabled(false);
    setupActions();

    connect(ui->entriesView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                const bool has = !selectedKey().isEmpty();
                ui->invalidateButton->setEnabled(has);
                m_refreshAction->setEnabled(has);
                m_dropAction->setEnabled(has);
                m_copyKeyAction->setEnabled(has);
                Q_EMIT selectionChanged(has);
            });
    connect(ui->invalidateButton, &QPushButton::clicked, m_dropAction, &QAction::trigger);
    connect(ui->clearButton, &QPushButton::clicked, this, &CacheStatusPanel::clearRequested);
    connect(ui->resetStatsButton, &QPushButton::clicked, this, &CacheStatusPanel::resetStatistics);

    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this] {
        const int row = std::exchange(m_reselectRow, -1);
        const int count = m_proxy->rowCount();
        if (row < 0 || count == 0)
            return;
        const QModelIndex index = m_proxy->index(qMin(row, count - 1), 0);
        ui->entriesView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &CacheStatusPanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &CacheStatusPanel::updateEmptyState);

    // Nothing ticks until the panel is shown.
    m_model->setTicking(false);
    m_summaryTimer->setInterval(kSummaryTickMs);
    connect(m_summaryTimer, &QTimer::timeout, this, &CacheStatusPanel::refreshSummary);
    m_chartTimer->setSingleShot(true);
    connect(m_chartTimer, &QTimer::timeout, this, &CacheStatusPanel::sampleChart);
    updateEmptyState();
    refreshSummary();
    // The panel may be docked narrow: the summary reflows instead of forcing the window wider.
    ui->summaryBox->setMinimumWidth(200);
    ui->entriesView->setMinimumWidth(200);
    arrangeSummary(false);

    // Every figure says in words what it counts, on its value as on its caption.
    for (const auto &[caption, value] : figures())
        value->setToolTip(caption->toolTip());
}

CacheStatusPanel::~CacheStatusPanel() = default;

void CacheStatusPanel::setupActions()
{
    QTableView *view = ui->entriesView;
    m_refreshAction = new QAction(tr("&Refresh now"), view);
    m_refreshAction->setObjectName(u"refreshEntryAction"_s);
    m_refreshAction->setToolTip(tr("Fetch this answer again now, whatever its time left"));
    m_dropAction = new QAction(tr("&Drop from cache"), view);
    m_dropAction->setObjectName(u"dropEntryAction"_s);
    m_dropAction->setToolTip(tr("Drop this answer, so the next lookup fetches it again"));
    m_dropAction->setShortcut(QKeySequence::Delete);
    m_copyKeyAction = new QAction(tr("&Copy key"), view);
    m_copyKeyAction->setObjectName(u"copyKeyAction"_s);
    m_copyKeyAction->setToolTip(tr("Copy the cache key of this answer to the clipboard"));
    m_copyKeyAction->setShortcut(QKeySequence::Copy);
    for (QAction *action : {m_refreshAction, m_dropAction, m_copyKeyAction}) {
        // The keys work where the table has the focus, not in the search field.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setEnabled(false);
        view->addAction(action);
    }
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        const QString key = selectedKey();
        if (!key.isEmpty())
            Q_EMIT refreshRequested(key);
    });
    connect(m_dropAction, &QAction::triggered, this, [this] {
        const QString key = selectedKey();
        if (!key.isEmpty())
            Q_EMIT invalidateRequested(key);
    });
    connect(m_copyKeyAction, &QAction::triggered, this, [this] {
        const QString key = selectedKey();
        if (!key.isEmpty())
            QGuiApplication::clipboard()->setText(key);
    });
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this, &CacheStatusPanel::showContextMenu);
}

void CacheStatusPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = ui->entriesView->indexAt(pos);
    if (!index.isValid())
        return;
    // The menu acts on the row under the pointer: it becomes the selection.
    ui->entriesView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect
                                                                  | QItemSelectionModel::Rows);
    auto *menu = new QMenu(this);
    menu->setObjectName(u"entryContextMenu"_s);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_refreshAction);
    menu->addAction(m_dropAction);
    menu->addSeparator();
    menu->addAction(m_copyKeyAction);
    menu->popup(ui->entriesView->viewport()->mapToGlobal(pos));
}

void CacheStatusPanel::resetStatistics()
{
    if (m_service)
        m_service->cache()->resetStats(); // statsReset() -> onStatsReset()
    else
        onStatsReset();
    Q_EMIT resetStatisticsRequested();
}

void CacheStatusPanel::onStatsReset()
{
    m_lastHits = 0;
    m_lastMisses = 0;
    m_lastSampleAt = now();
    ui->chart->clear();
    ui->summaryBox->setTitle(
        tr("Since %1").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
    if (m_live) {
        m_chartTimer->start(kChartIntervalMs);
        m_model->refresh(); // the hits column
    }
    refreshSummary();
}

void CacheStatusPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrangeSummary(event->size().width() < kTwoColumnWidth);
    // Narrow: the entry's name matters more than its hits and size (both are in the summary).
    const bool narrowTable = event->size().width() < kAllColumnsWidth;
    ui->entriesView->setColumnHidden(CacheEntryModel::HitsColumn, narrowTable);
    ui->entriesView->setColumnHidden(CacheEntryModel::SizeColumn, narrowTable);
}

void CacheStatusPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // A restored window shows its children again with spontaneous show events.
    setLive(!window()->isMinimized());
}

void CacheStatusPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    // Hidden, or its window minimised (a spontaneous hide: the panel is still isVisible()).
    setLive(false);
}

qint64 CacheStatusPanel::now() const
{
    return m_service ? m_service->cache()->clock()->now() : 0;
}

void CacheStatusPanel::setLive(bool live)
{
    if (live == m_live)
        return;
    m_live = live;
    m_model->setTicking(live && m_service);
    if (!live || !m_service) {
        m_summaryTimer->stop();
        m_chartTimer->stop();
        return;
    }
    // Back on screen: the hidden time becomes one sample (the counters are cumulative, so
    // nothing was lost), or the interval under way goes on where it was.
    const qint64 elapsed = qMax<qint64>(0, now() - m_lastSampleAt);
    if (elapsed >= kChartIntervalMs) {
        const CacheStats s = m_service->cache()->stats();
        CacheChartWidget::Sample gap;
        gap.hits = s.hits >= m_lastHits ? s.hits - m_lastHits : 0;
        gap.misses = s.misses >= m_lastMisses ? s.misses - m_lastMisses : 0;
        gap.intervals = int(qMin<qint64>((elapsed + kChartIntervalMs / 2) / kChartIntervalMs,
                                         std::numeric_limits<int>::max()));
        m_lastHits = s.hits;
        m_lastMisses = s.misses;
        m_lastSampleAt = now();
        ui->chart->appendSample(gap);
        m_chartTimer->start(kChartIntervalMs);
    } else {
        m_chartTimer->start(int(kChartIntervalMs - elapsed));
    }
    refreshSummary();
    m_summaryTimer->start();
}

void CacheStatusPanel::arrangeSummary(bool oneColumn)
{
    const int columns = oneColumn ? 1 : 2;
    if (columns == m_summaryColumns)
        return;
    m_summaryColumns = columns;
    const QList<std::pair<QLabel *, QLabel *>> figures = this->figures();
    QGridLayout *grid = ui->summaryLayout;
    for (const auto &[caption, value] : figures) {
        grid->removeWidget(caption);
        grid->removeWidget(value);
    }
    int i = 0;
    for (const auto &[caption, value] : figures) {
        grid->addWidget(caption, i / columns, (i % columns) * 2);
        grid->addWidget(value, i / columns, (i % columns) * 2 + 1);
        ++i;
    }
}

QList<std::pair<QLabel *, QLabel *>> CacheStatusPanel::figures() const
{
    return {
        {ui->hitRatioCaption, ui->hitRatioValue},
        {ui->hitsMissesCaption, ui->hitsMissesValue},
        {ui->inFlightCaption, ui->inFlightValue},
        {ui->coalescedCaption, ui->coalescedValue},
        {ui->expirationsCaption, ui->expirationsValue},
        {ui->evictionsCaption, ui->evictionsValue},
        {ui->entriesCaption, ui->entriesValue},
        {ui->cacheMemoryCaption, ui->cacheMemoryValue},
        {ui->processMemoryCaption, ui->processMemoryValue},
        {ui->loadTimeCaption, ui->loadTimeValue},
    };
}

void CacheStatusPanel::setService(WeatherService *service)
{
    if (m_service)
        disconnect(m_service->cache(), nullptr, this, nullptr);
    m_service = service;
    if (!service) {
        m_model->setTicking(false);
        m_model->setCache<WeatherPayload>(nullptr);
        m_summaryTimer->stop();
        m_chartTimer->stop();
        return;
    }
    m_model->setDescribeFunction(
        [service](const QString &key) { return service->describeKey(key); });
    m_model->setCache(service->cache());
    const CacheStats stats = service->cache()->stats();
    m_lastHits = stats.hits;
    m_lastMisses = stats.misses;
    m_lastSampleAt = now();
    ui->chart->clear();
    // The summary follows the cache's own events too, so a load shows up at once (on screen:
    // hidden, the next show refreshes it anyway).
    const auto refreshIfLive = [this] {
        if (m_live)
            refreshSummary();
    };
    connect(service->cache(), &AsyncCacheBase::loadStarted, this, refreshIfLive);
    connect(service->cache(), &AsyncCacheBase::loadFinished, this, refreshIfLive);
    connect(service->cache(), &AsyncCacheBase::cleared, this, refreshIfLive);
    connect(service->cache(), &AsyncCacheBase::statsReset, this, &CacheStatusPanel::onStatsReset);
    refreshSummary();
    if (m_live) {
        m_model->setTicking(true);
        m_summaryTimer->start();
        m_chartTimer->start(kChartIntervalMs);
    }
}

QString CacheStatusPanel::selectedKey() const
{
    const QModelIndexList rows = ui->entriesView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return rows.first().data(CacheEntryModel::KeyRole).toString();
}

void CacheStatusPanel::selectKey(const QString &key)
{
    const int row = m_model->rowOfKey(key);
    if (row < 0) {
        ui->entriesView->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    ui->entriesView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect
                                                         | QItemSelectionModel::Rows);
}

qint64 CacheStatusPanel::residentMemoryBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    // "VmRSS:     123456 kB". Files in /proc report a size of 0, so read, don't ask atEnd().
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith("VmRSS:"))
            continue;
        const QList<QByteArray> parts = line.mid(6).simplified().split(' ');
        bool ok = false;
        const qint64 kib = parts.value(0).toLongLong(&ok);
        return ok ? kib * 1024 : -1;
    }
    return -1;
}

void CacheStatusPanel::refreshSummary()
{
    const QLocale locale;
    const qint64 rss = residentMemoryBytes();
    ui->processMemoryValue->setText(rss >= 0 ? CacheEntryModel::formatBytes(rss) : u"—"_s);
    if (!m_service)
        return;
    const WeatherCache *cache = m_service->cache();
    const CacheStats s = cache->stats();
    const quint64 lookups = s.hits + s.misses;
    ui->hitRatioValue->setText(lookups ? locale.toString(s.hitRatio() * 100.0, 'f', 0) + u" %"_s
                                       : u"—"_s);
    ui->hitsMissesValue->setText(u"%1 / %2"_s.arg(locale.toString(qulonglong(s.hits)),
                                                  locale.toString(qulonglong(s.misses))));
    ui->inFlightValue->setText(locale.toString(s.loadsInFlight));
    ui->coalescedValue->setText(locale.toString(qulonglong(s.coalesced)));
    ui->expirationsValue->setText(locale.toString(qulonglong(s.expirations)));
    ui->evictionsValue->setText(locale.toString(qulonglong(s.evictions)));
    ui->entriesValue->setText(locale.toString(s.entries));
    const qint64 limit = cache->maxBytes();
    ui->cacheMemoryValue->setText(limit > 0 ? tr("%1 of %2")
                                                  .arg(CacheEntryModel::formatBytes(s.bytes),
                                                       CacheEntryModel::formatBytes(limit))
                                            : CacheEntryModel::formatBytes(s.bytes));
    const quint64 loads = s.loadsSucceeded + s.loadsFailed;
    ui->loadTimeValue->setText(loads ? tr("%1 / %2 ms")
                                           .arg(locale.toString(s.meanLoadTimeMs(), 'f', 0),
                                                locale.toString(s.maxLoadTimeMs))
                                     : u"—"_s);

    // The bar of the interval under way grows as requests come in.
    CacheChartWidget::Sample current;
    current.hits = s.hits >= m_lastHits ? s.hits - m_lastHits : 0;
    current.misses = s.misses >= m_lastMisses ? s.misses - m_lastMisses : 0;
    ui->chart->setCurrentSample(current);
}

void CacheStatusPanel::sampleChart()
{
    if (!m_service)
        return;
    const CacheStats s = m_service->cache()->stats();
    CacheChartWidget::Sample sample;
    sample.hits = s.hits >= m_lastHits ? s.hits - m_lastHits : 0;
    sample.misses = s.misses >= m_lastMisses ? s.misses - m_lastMisses : 0;
    m_lastHits = s.hits;
    m_lastMisses = s.misses;
    m_lastSampleAt = now();
    ui->chart->appendSample(sample);
    if (m_live)
        m_chartTimer->start(kChartIntervalMs);
}

void CacheStatusPanel::updateEmptyState()
{
    ui->emptyLabel->setVisible(m_model->rowCount() == 0);
}
