// SPDX-License-Identifier: MIT
#include "cachestatuspanel.h"

#include "ui_cachestatuspanel.h"

#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "models/displaytext.h"
#include "timeleftdelegate.h"
#include "weather/placebook.h"
#include "weather/weatherkey.h"
#include "weather/weatherservice.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTime>
#include <QTimer>
#include <QToolButton>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
/** Rows tall enough for the time-left bar with its words (the tree's rows are uniform). */
class RowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setHeight(qMax(size.height(), option.fontMetrics.height() + 10));
        return size;
    }
};
} // namespace

CacheStatusPanel::CacheStatusPanel(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::CacheStatusPanel>())
    , m_model(new CacheEntryModel(this))
    , m_places(new CachePlaceModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_summaryTimer(new QTimer(this))
{
    ui->setupUi(this);
    m_places->setSourceModel(m_model);
    m_proxy->setSourceModel(m_places);
    m_proxy->setSortRole(CacheEntryModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    // The compact form's filter (filterToShownPlace()): a place's group and all its rows.
    m_proxy->setFilterRole(CachePlaceModel::GroupIdRole);
    m_proxy->setAutoAcceptChildRows(true);
    // The selected row dropped: its place keeps the selection (rows sort, so the proxy's).
    // Connected before the view's selection model exists, to see the selection before that
    // model forgets it.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &parent, int first, int last) {
                const QModelIndexList rows = ui->entriesView->selectionModel()->selectedRows();
                if (rows.isEmpty())
                    return;
                // The selected row, or the group it is in, goes.
                QModelIndex selected = rows.first();
                while (selected.isValid() && selected.parent() != parent)
                    selected = selected.parent();
                if (selected.isValid() && selected.row() >= first && selected.row() <= last) {
                    m_reselectRow = first;
                    m_reselectParent = parent;
                }
            });
    ui->entriesView->setModel(m_proxy);
    // Keep the place, lose the tail: "Berlin, DE · current co…" beats "Berlin, …nditions".
    ui->entriesView->setTextElideMode(Qt::ElideRight);
    ui->entriesView->setItemDelegate(new RowDelegate(ui->entriesView));
    ui->entriesView->setIndentation(fontMetrics().height());
    ui->entriesView->setItemDelegateForColumn(CacheEntryModel::TimeLeftColumn,
                                              new TimeLeftDelegate(ui->entriesView));
    ui->entriesView->sortByColumn(CacheEntryModel::EntryColumn, Qt::AscendingOrder);
    QHeaderView *header = ui->entriesView->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(CacheEntryModel::EntryColumn, QHeaderView::Stretch);
    // Room for "not found · 4 min"; wider, the cell writes the whole sentence.
    header->setSectionResizeMode(CacheEntryModel::TimeLeftColumn, QHeaderView::Interactive);
    header->resizeSection(CacheEntryModel::TimeLeftColumn, kTimeLeftWidth);
    header->setMinimumSectionSize(40);
    // Sized to the rows on screen, not to a thousand rows at every layout.
    header->setResizeContentsPrecision(0);
    // Places open, the typing prefixes folded; what the person opened or closed stays so.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (parent.isValid()) {
                    if (first == 0 && m_proxy->rowCount(parent) == last + 1)
                        applyExpansion(parent); // a new place's first entries
                    return;
                }
                for (int row = first; row <= last; ++row)
                    applyExpansion(m_proxy->index(row, 0));
            });
    // A re-sort keeps what is open and spanned (the view holds them as persistent indexes):
    // nothing to walk through, whatever the number of places.
    const auto remember = [this](const QModelIndex &index, bool expanded) {
        if (m_applyingExpansion)
            return;
        const QString id = index.data(CachePlaceModel::GroupIdRole).toString();
        const bool byDefault = !index.data(CachePlaceModel::IsTypingGroupRole).toBool();
        if (expanded == byDefault)
            m_toggledGroups.remove(id);
        else
            m_toggledGroups.insert(id);
    };
    connect(ui->entriesView, &QTreeView::expanded, this,
            [remember](const QModelIndex &index) { remember(index, true); });
    connect(ui->entriesView, &QTreeView::collapsed, this,
            [remember](const QModelIndex &index) { remember(index, false); });

    ui->spanCombo->addItem(tr("10 minutes"), RequestTimelineWidget::kTenMinutesMs);
    ui->spanCombo->addItem(tr("hour"), RequestTimelineWidget::kOneHourMs);
    ui->spanCombo->setAccessibleName(tr("Timeline span"));
    connect(ui->spanCombo, &QComboBox::currentIndexChanged, this,
            [this] { ui->timeline->setSpanMs(ui->spanCombo->currentData().toLongLong()); });
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
        const QModelIndex parent = m_reselectParent;
        m_reselectParent = QPersistentModelIndex();
        const int count = m_proxy->rowCount(parent);
        if (row < 0)
            return;
        if (count == 0) {
            // The last entry of its place: the place goes next, and what takes its place
            // gets the selection.
            if (parent.isValid()) {
                m_reselectRow = parent.row();
                m_reselectParent = parent.parent();
            }
            return;
        }
        QModelIndex index = m_proxy->index(qMin(row, count - 1), 0, parent);
        // A neighbouring place took the place of the last of a group: its first entry.
        if (m_proxy->hasChildren(index))
            index = m_proxy->index(0, 0, index);
        ui->entriesView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &CacheStatusPanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &CacheStatusPanel::updateEmptyState);

    // A tick touches what is on screen only: the visible rows re-read their hits and size,
    // and the viewport repaints; ages, times left and bars are computed as they are painted.
    connect(m_model, &CacheEntryModel::ticked, this, &CacheStatusPanel::refreshVisibleRows);
    connect(ui->entriesView->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        if (m_live)
            refreshVisibleRows();
    });

    // Nothing ticks until the panel is shown.
    m_model->setTicking(false);
    m_summaryTimer->setInterval(kSummaryTickMs);
    connect(m_summaryTimer, &QTimer::timeout, this, &CacheStatusPanel::refreshSummary);
    updateEmptyState();
    refreshSummary();
    // The panel may be docked narrow: the summary reflows instead of forcing the window wider.
    ui->summaryBox->setMinimumWidth(200);
    ui->entriesView->setMinimumWidth(200);
    arrangeSummary(false);

    // Every figure says in words what it counts, on its value as on its caption; as rich text,
    // which Qt wraps at a reading width instead of one line across the window.
    for (const auto &[caption, value] : figures()) {
        caption->setToolTip(DisplayText::toolTip(caption->toolTip()));
        value->setToolTip(caption->toolTip());
    }
    for (QPushButton *w : {ui->clearButton, ui->invalidateButton, ui->resetStatsButton})
        w->setToolTip(DisplayText::toolTip(w->toolTip()));

    // The shown place's next update is one line; the other places' are there on demand.
    ui->scheduleMoreButton->hide();
    connect(ui->scheduleMoreButton, &QToolButton::toggled, this, [this] { refreshStory(); });
}

CacheStatusPanel::~CacheStatusPanel() = default;

QList<int> CacheStatusPanel::visibleEntryRows() const
{
    // From the row at the top of the viewport down to the first below its bottom: O(rows on
    // screen), whatever the number of entries.
    QList<int> rows;
    const QTreeView *view = ui->entriesView;
    const int bottom = view->viewport()->height();
    for (QModelIndex index = view->indexAt(QPoint(0, 0)); index.isValid();
         index = view->indexBelow(index)) {
        if (view->visualRect(index).top() >= bottom)
            break;
        const QString key = index.data(CacheEntryModel::KeyRole).toString();
        if (key.isEmpty())
            continue; // a place's row
        const int row = m_model->rowOfKey(key);
        if (row >= 0)
            rows.append(row);
    }
    return rows;
}

void CacheStatusPanel::refreshVisibleRows()
{
    for (const int row : visibleEntryRows())
        m_model->refreshRows(row, row);
    ui->entriesView->viewport()->update();
}

void CacheStatusPanel::setupActions()
{
    QTreeView *view = ui->entriesView;
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
    if (!index.isValid() || index.data(CachePlaceModel::IsGroupRole).toBool())
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
    // The events stay in the service's log (other counters may want them): the timeline
    // starts again from here.
    m_answersAtSwitch = 0; // the layers' counters start again too
    m_creditedAnswers.clear();
    if (m_service) {
        m_eventsAtReset = m_service->requestLog().eventsRecorded();
        m_timelineSeen = std::numeric_limits<quint64>::max();
    }
    ui->summaryBox->setTitle(
        tr("Since %1").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
    if (m_live)
        m_model->refresh(); // the hits column
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
    setCompact(event->size().width() < kCompactWidth);
    fitEntryColumn();
}

void CacheStatusPanel::setCompact(bool compact)
{
    if (compact == m_compact)
        return;
    m_compact = compact;
    // What a dock a third of a 700 px window wide can show whole: the headline and the shown
    // place's rows, each with its name and its time left (whose cell says the state too).
    for (QWidget *w :
         {static_cast<QWidget *>(ui->requestsBox), static_cast<QWidget *>(ui->summaryBox),
          static_cast<QWidget *>(ui->chartBox), static_cast<QWidget *>(ui->answersFromLabel),
          static_cast<QWidget *>(ui->resetStatsButton)})
        w->setVisible(!compact);
    ui->scheduleLabel->setVisible(!compact && !ui->scheduleLabel->text().isEmpty());
    ui->scheduleMoreButton->setVisible(!compact && !m_otherSchedules.isEmpty());
    ui->entriesView->setColumnHidden(CacheEntryModel::StateColumn, compact);
    ui->entriesView->setColumnHidden(CacheEntryModel::AgeColumn, compact);
    ui->summaryBox->setMinimumWidth(compact ? 0 : 200);
    if (!m_compactHint) {
        m_compactHint = new QLabel(this);
        m_compactHint->setObjectName(u"compactHint"_s);
        m_compactHint->setWordWrap(true);
        m_compactHint->setTextFormat(Qt::PlainText);
        m_compactHint->setText(
            tr("The shown place only. Widen the panel, or float it, for every place, the "
               "requests and the statistics."));
        m_compactHint->setForegroundRole(QPalette::PlaceholderText);
        ui->mainLayout->insertWidget(ui->mainLayout->indexOf(ui->entriesView) + 1, m_compactHint);
    }
    m_compactHint->setVisible(compact);
    filterToShownPlace();
}

void CacheStatusPanel::filterToShownPlace()
{
    QString groupId;
    if (m_compact && m_book && m_service && m_book->shown())
        groupId = placementOf(m_service->currentKey(m_book->location(m_book->shown()))).groupId;
    const QString pattern
        = groupId.isEmpty() ? QString() : u"^"_s + QRegularExpression::escape(groupId) + u"$"_s;
    if (m_proxy->filterRegularExpression().pattern() == pattern)
        return;
    m_proxy->setFilterRegularExpression(pattern);
    // The filter dropped and brought back rows: open and spanned as before.
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        applyExpansion(m_proxy->index(row, 0));
}

int CacheStatusPanel::entryWidthNeeded() const
{
    // The widest name on screen, at its depth in the tree; the places' titles span the row.
    const QTreeView *view = ui->entriesView;
    const QFontMetrics metrics(view->font());
    const int bottom = view->viewport()->height();
    int needed = 0;
    for (QModelIndex index = view->indexAt(QPoint(0, 0)); index.isValid();
         index = view->indexBelow(index)) {
        if (view->visualRect(index).top() >= bottom)
            break;
        if (view->isFirstColumnSpanned(index.row(), index.parent()))
            continue;
        int depth = 1;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            ++depth;
        const int padding = 2 * view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 8;
        needed = qMax(needed, depth * view->indentation()
                                  + metrics.horizontalAdvance(index.data().toString()) + padding);
    }
    return needed;
}

void CacheStatusPanel::fitEntryColumn()
{
    // The Entry column gets what the others leave; when that is less than its names need,
    // the columns that matter least make way: age, then state (the time-left bar says whether
    // an answer is fresh). Wider again, they come back.
    // The compact form hides them itself (it shows the names and the time left only).
    if (m_compact)
        return;
    QTreeView *view = ui->entriesView;
    const int needed = entryWidthNeeded();
    if (needed == 0)
        return;
    const QList<int> yielding{CacheEntryModel::AgeColumn, CacheEntryModel::StateColumn};
    for (int column : yielding)
        view->setColumnHidden(column, false);
    QHeaderView *header = view->header();
    const auto others = [&] {
        int width = 0;
        for (int c = 1; c < CacheEntryModel::ColumnCount; ++c) {
            if (!view->isColumnHidden(c))
                width += header->sectionSize(c);
        }
        return width;
    };
    for (int column : yielding) {
        if (view->viewport()->width() - others() >= needed)
            break;
        view->setColumnHidden(column, true);
    }
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
        return;
    }
    // Back on screen: the timeline reads the service's log, which kept the hidden time.
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
        return;
    }
    m_providerNames.insert(service->provider()->id(), service->provider()->displayName());
    m_model->setDescribeFunction(
        [service](const QString &key) { return service->describeKey(key); });
    m_places->setPlaceFunction([this](const QString &key) { return placementOf(key); });
    m_model->setCache(service->cache());
    connect(service, &WeatherService::configChanged, this, [this] {
        if (!m_service)
            return;
        m_providerNames.insert(m_service->provider()->id(), m_service->provider()->displayName());
        creditAnswersOnSwitch();
        m_places->regroup(); // the person's units in the group titles
    });
    m_timelineSeen = std::numeric_limits<quint64>::max(); // read the new service's log
    m_eventsAtReset = 0;
    m_answeringProvider = service->provider()->id();
    m_answersAtSwitch = 0;
    m_creditedAnswers.clear();
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
    const QModelIndex index = m_proxy->mapFromSource(m_places->indexOfKey(key));
    if (!index.isValid()) {
        ui->entriesView->clearSelection();
        return;
    }
    ui->entriesView->expand(index.parent());
    ui->entriesView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect
                                                                  | QItemSelectionModel::Rows);
}

bool CacheStatusPanel::revealPlace(const QString &key)
{
    if (m_spanPending)
        spanPlaces();
    QModelIndex group = m_proxy->mapFromSource(m_places->indexOfGroup(placementOf(key).groupId));
    if (!group.isValid())
        group = m_proxy->mapFromSource(m_places->indexOfKey(key).parent());
    if (!group.isValid())
        return false;
    ui->entriesView->expand(group);
    const QModelIndex entry = m_proxy->mapFromSource(m_places->indexOfKey(key));
    const QModelIndex target = entry.isValid() ? entry : group;
    ui->entriesView->selectionModel()->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect
                                                                   | QItemSelectionModel::Rows);
    ui->entriesView->scrollTo(group, QAbstractItemView::PositionAtTop);
    ui->entriesView->scrollTo(target);
    ui->entriesView->setFocus(Qt::OtherFocusReason);
    return true;
}

void CacheStatusPanel::applyExpansion(const QModelIndex &group)
{
    // A place's title is worth the whole width of the row. QTreeView lays out every row at
    // once to span one (setFirstColumnSpanned() runs the layout it has pending), so the
    // places that came in one turn of the event loop are spanned together, after it.
    if (!m_spanPending) {
        m_spanPending = true;
        QTimer::singleShot(0, this, &CacheStatusPanel::spanPlaces);
    }
    if (!m_proxy->hasChildren(group))
        return; // its first entries will come
    const QString id = group.data(CachePlaceModel::GroupIdRole).toString();
    const bool byDefault = !group.data(CachePlaceModel::IsTypingGroupRole).toBool();
    m_applyingExpansion = true;
    ui->entriesView->setExpanded(group, byDefault != m_toggledGroups.contains(id));
    m_applyingExpansion = false;
}

void CacheStatusPanel::spanPlaces()
{
    m_spanPending = false;
    QTreeView *view = ui->entriesView;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (!view->isFirstColumnSpanned(row, QModelIndex())) // a hash lookup
            view->setFirstColumnSpanned(row, QModelIndex(), true);
    }
}

CachePlaceModel::Placement CacheStatusPanel::placementOf(const QString &key) const
{
    CachePlaceModel::Placement p;
    const WeatherKey parsed = WeatherKey::parse(key);
    if (!parsed.isValid() || !m_service)
        return p; // a node of its own
    const QString provider = m_providerNames.value(parsed.provider(), parsed.provider());
    p.searchScope = parsed.provider() + u'/' + parsed.language();
    // Names the provider gave: shown plain, without controls, like the flat model's.
    const QString describes = DisplayText::plain(m_service->describeKey(key));
    if (parsed.kind() == WeatherKey::Kind::Search) {
        p.searchQuery = parsed.query();
        p.childTitle = describes;
        return p;
    }
    if (parsed.coordinates().isEmpty())
        return p;
    // Any kind with coordinates belongs to its place: the place, the provider and the units
    // it was asked with (and the language: another language is another answer).
    p.groupId = parsed.provider() + u'/' + parsed.coordinates() + u'/'
                + unitsToString(parsed.units()) + u'/' + parsed.language();
    p.title = DisplayText::plain(m_service->placeLabel(parsed.coordinates()));
    if (p.title.isEmpty())
        p.title = parsed.coordinates();
    // places: entries are fetched in one unit system and shown in the person's: say theirs.
    // Alerts have neither a weather provider nor units: their group says where they come from.
    if (parsed.provider().isEmpty())
        p.detail = tr("weather alerts");
    else
        p.detail = tr("%1, %2").arg(provider, temperatureUnitText(m_service->config().units));
    // "Berlin, DE · forecast" under "Berlin, DE" is "forecast".
    const QString prefix = p.title + u" · "_s;
    p.childTitle = describes.startsWith(prefix) ? describes.mid(prefix.size()) : describes;
    return p;
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
    if (isVisible())
        fitEntryColumn(); // rows come and go with the tick

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

    refreshTimeline();
    refreshStory();
}

void CacheStatusPanel::creditAnswersOnSwitch()
{
    const QString id = m_service->provider()->id();
    if (id == m_answeringProvider)
        return;
    const quint64 loads = m_service->layers()->stats().loaderAnswers;
    m_creditedAnswers[m_answeringProvider] += loads - qMin(loads, m_answersAtSwitch);
    m_answeringProvider = id;
    m_answersAtSwitch = loads;
}

void CacheStatusPanel::setPlaceBook(PlaceBook *book)
{
    if (m_book)
        disconnect(m_book, nullptr, this, nullptr);
    m_book = book;
    if (book)
        connect(book, &PlaceBook::shownChanged, this, &CacheStatusPanel::filterToShownPlace);
    refreshStory();
}

void CacheStatusPanel::refreshStory()
{
    if (!m_service)
        return;
    const QLocale locale;
    const CacheStats s = m_service->cache()->stats();
    const LayeredCacheStats layers = m_service->layers()->stats();
    const QString provider = m_service->provider()->displayName();
    // A forced refresh is a lookup too (memory counts neither hit nor miss for it).
    const quint64 lookups = s.hits + s.misses + layers.refreshes;
    const quint64 requests = layers.loaderAnswers + layers.loaderFailures;
    // What matters is not the hit ratio but how often the provider was spared. A lookup whose
    // load is still under way was answered neither way yet: it is "still loading", not spared.
    const quint64 loading = quint64(qMax<qint64>(0, s.loadsInFlight));
    const quint64 settled = requests + loading;
    const quint64 spared = lookups > settled ? lookups - settled : 0;
    // "1 lookup", "2 lookups": the source has no English translation to pick the form, so the
    // singular is its own string; both are numerus strings (%n), so a language with more forms
    // (Polish) gets them all in its .ts.
    const int n = int(qMin<quint64>(lookups, std::numeric_limits<int>::max()));
    const int r = int(qMin<quint64>(requests, std::numeric_limits<int>::max()));
    const int a = int(qMin<quint64>(spared, std::numeric_limits<int>::max()));
    const int l = int(qMin<quint64>(loading, std::numeric_limits<int>::max()));
    QString headline;
    if (lookups == 0) {
        headline = tr("No lookups yet.");
    } else {
        headline = tr("%1, %2: %3.")
                       .arg(n == 1 ? tr("%n lookup", "singular", n) : tr("%n lookups", nullptr, n),
                            // Every load, to whichever server: the weather provider's, and
                            // the alert and air-quality servers' (Open-Meteo's air API also
                            // for an OpenWeatherMap user). Naming the provider here counted
                            // the others as its requests ("7 requests to Open-Meteo" above
                            // bars that said 6).
                            r == 1 ? tr("%n request to a server", "singular", r)
                                   : tr("%n requests to servers", nullptr, r),
                            tr("%n answered from the cache", nullptr, a));
        if (loading > 0) {
            headline.chop(1); // the full stop: the sentence goes on
            headline += tr("; %n still loading.", nullptr, l);
        }
    }
    ui->headlineLabel->setText(headline);
    ui->headlineLabel->setToolTip(DisplayText::toolTip(
        tr("A lookup is every time the app or a refresh asked for weather; a request is every "
           "time a server was asked: %1 for the weather, and the air-quality and alert servers "
           "where those are shown. Lookups answered from memory, from disk or from the shared "
           "cache cost the servers nothing. The bars below count the requests to %1 against its "
           "limits.")
            .arg(provider)));

    QStringList from{tr("%1 from memory").arg(locale.toString(qulonglong(layers.memoryAnswers)))};
    for (const TierStats &t : layers.tiers) {
        const QString n = locale.toString(qulonglong(t.hits));
        from << (t.name == u"shared"_s ? tr("%1 from the shared cache").arg(n)
                 : t.name == u"disk"_s ? tr("%1 from disk").arg(n)
                                       : tr("%1 from %2").arg(n, t.name));
    }
    // places: each provider is credited with the loads it answered, not with those of the one
    // in use before a switch.
    const QString providerId = m_service->provider()->id();
    for (auto it = m_creditedAnswers.cbegin(); it != m_creditedAnswers.cend(); ++it) {
        if (it.value() > 0 && it.key() != providerId)
            from << tr("%1 from %2")
                        .arg(locale.toString(qulonglong(it.value())),
                             m_providerNames.value(it.key(), it.key()));
    }
    const quint64 sinceSwitch
        = layers.loaderAnswers - qMin(layers.loaderAnswers, m_answersAtSwitch);
    from << tr("%1 from %2")
                .arg(locale.toString(qulonglong(m_creditedAnswers.value(providerId) + sinceSwitch)),
                     provider);
    ui->answersFromLabel->setText(tr("Answers: %1.").arg(from.join(u", "_s)));

    // "Berlin refreshes in 4 min; its forecast in 51 min." for the shown place; the others'
    // behind a button, one line each, so five saved places are no wall of text.
    QString shownSchedule;
    QStringList schedule;
    // places: the book's places (saved, and the one shown), by the names the person sees.
    if (m_book) {
        const qint64 at = now();
        const auto in = [&at](qint64 due) {
            return CacheEntryModel::formatDuration(qMax<qint64>(0, due - at));
        };
        const WeatherSession *session = m_book->session();
        for (const PlaceBook::PlaceId id : m_book->places()) {
            const QString place = m_book->location(id).displayName();
            const qint64 current = session->nextUpdate(id, WeatherKey::Kind::Current);
            const qint64 forecast = session->nextUpdate(id, WeatherKey::Kind::Forecast);
            QString line;
            if (m_book->status(id).loading)
                line = tr("%1 is being updated.").arg(place);
            else if (current >= 0 && forecast >= 0)
                line = tr("%1 refreshes in %2; its forecast in %3.")
                           .arg(place, in(current), in(forecast));
            else if (current >= 0)
                line = tr("%1 refreshes in %2.").arg(place, in(current));
            else
                line = tr("%1 waits for you: press F5 to try again.").arg(place);
            if (id == m_book->shown())
                shownSchedule = line;
            else
                schedule << line;
        }
    }
    m_otherSchedules = schedule;
    const int others = int(schedule.size());
    ui->scheduleMoreButton->setVisible(!m_compact && others > 0);
    ui->scheduleMoreButton->setText(ui->scheduleMoreButton->isChecked()
                                        ? tr("Hide the other places")
                                        : (others == 1 ? tr("%n other place…", "singular", others)
                                                       : tr("%n other places…", nullptr, others)));
    if (!ui->scheduleMoreButton->isChecked())
        schedule.clear();
    if (!shownSchedule.isEmpty())
        schedule.prepend(shownSchedule);
    // The places on screen stand out in the tree.
    QSet<QString> shown;
    if (m_book) {
        for (const PlaceBook::PlaceId id : m_book->places())
            shown.insert(placementOf(m_service->currentKey(m_book->location(id))).groupId);
    }
    m_places->setHighlightedGroups(shown);
    ui->scheduleLabel->setText(schedule.join(u'\n'));
    ui->scheduleLabel->setVisible(!m_compact && !schedule.isEmpty());

    if (m_countsPending)
        return;
    m_countsPending = true;
    // Not .then(this, …): Qt 6.4 asserts (debug builds) when a continuation's context is gone
    // before its future finishes, and the disk can answer after the panel is destroyed. The
    // disk finishes its futures in this (the GUI) thread, so the guard is enough.
    const QPointer<CacheStatusPanel> self(this);
    m_service->requestCounts().then([self](const WeatherService::RequestCounts &c) {
        if (!self)
            return;
        self->m_countsPending = false;
        self->showRequestCounts(c.minute, c.hour, c.today, c.provider, c.limits.perMinute,
                                c.limits.perHour, c.limits.perDay, c.everyProcess);
    });
}

void CacheStatusPanel::showRequestCounts(qint64 minute, qint64 hour, qint64 today,
                                         const QString &provider, int perMinute, int perHour,
                                         int perDay, bool everyProcess)
{
    const QLocale locale;
    const auto show = [&locale](QProgressBar *bar, qint64 count, int limit) {
        // The text says it all (not the colour, not the length alone); a bar with no limit
        // stays empty rather than busy.
        bar->setRange(0, limit > 0 ? limit : 1);
        bar->setValue(limit > 0 ? int(qMin<qint64>(count, limit)) : 0);
        const QString text
            = limit > 0 ? tr("%1 of %2").arg(locale.toString(count), locale.toString(limit))
                        : tr("%1 (no published limit)").arg(locale.toString(count));
        bar->setFormat(text); // digits and words: nothing QProgressBar would substitute
        bar->setAccessibleName(text);
        bar->setToolTip(text);
    };
    show(ui->minuteBar, minute, perMinute);
    show(ui->hourBar, hour, perHour);
    show(ui->todayBar, today, perDay);
    ui->requestsBox->setTitle(tr("Requests to %1").arg(provider));
    ui->requestsBox->setToolTip(
        everyProcess
            ? tr("Every request WeatherDash made to %1 on this computer, the command-line tool's "
                 "included, against what its free plan allows.")
                  .arg(provider)
            : tr("The requests this window made to %1, against what its free plan allows (there "
                 "is no disk cache to count the others').")
                  .arg(provider));
}

void CacheStatusPanel::refreshTimeline()
{
    if (!m_service)
        return;
    const RequestLog &log = m_service->requestLog();
    const qint64 at = now();
    // Names as the panel saw them; a provider of an earlier setting keeps its id.
    m_providerNames.insert(m_service->provider()->id(), m_service->provider()->displayName());
    if (log.eventsRecorded() == m_timelineSeen) {
        ui->timeline->setNow(at); // repaints only when the axis moved a step
        return;
    }
    m_timelineSeen = log.eventsRecorded();
    QStringList names;
    for (const QString &id : log.providers())
        names << m_providerNames.value(id, id);
    if (names.isEmpty())
        names << m_service->provider()->displayName();
    QList<RequestLog::Event> events = log.eventsSince(at - RequestTimelineWidget::kOneHourMs);
    // Since Reset statistics: the newest events only (by count, so one in the same
    // millisecond as the reset, before or after it, falls on the right side).
    const quint64 sinceReset = log.eventsRecorded() - qMin(m_eventsAtReset, log.eventsRecorded());
    if (quint64(events.size()) > sinceReset)
        events.remove(0, events.size() - qsizetype(sinceReset));
    ui->timeline->setEvents(events, names, at);
}

void CacheStatusPanel::updateEmptyState()
{
    ui->emptyLabel->setVisible(m_model->rowCount() == 0);
}
