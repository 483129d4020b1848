// SPDX-License-Identifier: MIT
#include "fakeweatherserver.h"
#include "futurewait.h"
#include "showntooltip.h"

#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "store/sqlitetier.h"
#include "weather/placebook.h"
#include "weather/settings.h"
#include "weather/translations.h"
#include "weather/weatherservice.h"
#include "widgets/cachestatuspanel.h"
#include "widgets/requesttimelinewidget.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QFont>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPersistentModelIndex>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kMinute = 60'000;
} // namespace

class tst_CacheStatusPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init()
    {
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_clock = std::make_unique<ManualClock>(m_server->serverTime().toMSecsSinceEpoch());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_service = std::make_unique<WeatherService>(m_network.get(), m_clock.get());
        WeatherService::Config config;
        config.endpoints = m_server->endpoints();
        config.timeoutMs = 3000;
        m_service->setConfig(config);

        // The panel docked in a window, as MainWindow has it.
        m_window = std::make_unique<QWidget>();
        m_window->resize(520, 720);
        auto *layout = new QVBoxLayout(m_window.get());
        m_panel = new CacheStatusPanel(m_window.get());
        layout->addWidget(m_panel);
        m_tester = std::make_unique<QAbstractItemModelTester>(m_panel->model());
        m_panel->setService(m_service.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_tester.reset();
        m_window.reset();
        m_service.reset();
        m_network.reset();
        m_clock.reset();
        m_server.reset();
    }

    void timersStopWhileHiddenAndResumeWhenShown()
    {
        QVERIFY(m_panel->isLive());
        QVERIFY(m_panel->model()->isTicking());
        // The summary and the model each keep one timer going while on screen.
        QVERIFY2(activeTimers() >= 2, qPrintable(QString::number(activeTimers())));

        m_panel->hide(); // the dock closed
        QVERIFY(!m_panel->isLive());
        QVERIFY(!m_panel->model()->isTicking());
        QCOMPARE(activeTimers(), 0);

        // Meanwhile the weather is looked up, and time passes.
        const Location place = berlin();
        QVERIFY(awaitResult(m_service->current(place)).ok());
        QVERIFY(awaitResult(m_service->current(place)).ok());
        m_clock->advance(3 * kMinute);
        QCOMPARE(activeTimers(), 0);

        // Shown again: everything is current at once, without waiting for a tick.
        m_panel->show();
        QVERIFY(m_panel->isLive());
        QVERIFY(activeTimers() >= 2);
        QCOMPARE(label("hitsMissesValue"), u"1 / 2"_s); // the search and the first lookup missed
        const int row = m_panel->model()->rowOfKey(m_service->currentKey(place));
        QVERIFY(row >= 0);
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::AgeColumn).data().toString(),
                 u"3 min"_s);
    }

    void tickTouchesOnlyTheRowsOnScreen()
    {
        // Far more entries than the view shows, each with a hit since it was last read.
        constexpr int kPlaces = 300;
        QStringList keys;
        for (int i = 0; i < kPlaces; ++i) {
            Location l;
            l.name = u"Town %1"_s.arg(i);
            l.latitude = -60.0 + i * 0.4;
            l.longitude = 10.0 + i * 0.1;
            keys << m_service->currentKey(l) << m_service->forecastKey(l);
            m_service->cache()->set(keys.at(keys.size() - 2), WeatherPayload(CurrentConditions{}),
                                    10 * kMinute);
            m_service->cache()->set(keys.last(), WeatherPayload(DailyForecastList{}), 60 * kMinute);
        }
        QCOMPARE(m_panel->model()->rowCount(), 2 * kPlaces);
        for (const QString &key : std::as_const(keys))
            QVERIFY(m_service->cache()->value(key).has_value());

        const QList<int> onScreen = m_panel->visibleEntryRows();
        QVERIFY(!onScreen.isEmpty());
        QVERIFY2(onScreen.size() < 100, qPrintable(QString::number(onScreen.size())));
        auto *view = m_panel->findChild<QTreeView *>();
        QVERIFY(view);
        QAbstractItemModel *models[] = {m_panel->model(), m_panel->placeModel(), view->model()};
        std::vector<std::unique_ptr<QSignalSpy>> changed, layouts, resets;
        for (QAbstractItemModel *model : models) {
            changed.push_back(
                std::make_unique<QSignalSpy>(model, &QAbstractItemModel::dataChanged));
            layouts.push_back(
                std::make_unique<QSignalSpy>(model, &QAbstractItemModel::layoutChanged));
            resets.push_back(std::make_unique<QSignalSpy>(model, &QAbstractItemModel::modelReset));
        }

        m_clock->advance(1000); // a tick, at once (the clock says it jumped)

        // The rows on screen read their new hits; nobody else heard a thing.
        QVERIFY(!changed.front()->isEmpty());
        for (const QList<QVariant> &args : std::as_const(*changed.front())) {
            const auto topLeft = args.at(0).value<QModelIndex>();
            const auto bottomRight = args.at(1).value<QModelIndex>();
            QCOMPARE(topLeft.row(), bottomRight.row());
            QVERIFY2(onScreen.contains(topLeft.row()),
                     qPrintable(m_panel->model()->keyAt(topLeft.row())));
        }
        QVERIFY(changed.front()->size() <= onScreen.size());
        QCOMPARE(changed.at(1)->size(), changed.front()->size()); // mapped one to one
        for (std::size_t i = 0; i < std::size(models); ++i) {
            QCOMPARE(layouts.at(i)->size(), 0);
            QCOMPARE(resets.at(i)->size(), 0);
        }
        // A row out of view still has its old count: it is read when it comes into view.
        const QString below = m_panel->model()->keyAt([&onScreen] {
            for (int row = 0;; ++row) {
                if (!onScreen.contains(row))
                    return row;
            }
        }());
        const int row = m_panel->model()->rowOfKey(below);
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::HitsColumn).data().toInt(), 0);
        view->scrollToBottom();
        QVERIFY(m_panel->visibleEntryRows() != onScreen);
        for (const int shown : m_panel->visibleEntryRows())
            QCOMPARE(m_panel->model()->index(shown, CacheEntryModel::HitsColumn).data().toInt(), 1);
    }

    void minimisedWindowStopsTheTimers()
    {
        QVERIFY(activeTimers() >= 2);
        m_window->showMinimized();
        QTRY_VERIFY(!m_panel->isLive());
        QCOMPARE(activeTimers(), 0);
        QVERIFY(!m_panel->model()->isTicking());
        m_window->showNormal();
        QTRY_VERIFY(m_panel->isLive());
        QVERIFY(activeTimers() >= 2);
    }

    void neverShownPanelDoesNotTick()
    {
        CacheStatusPanel panel;
        panel.setService(m_service.get());
        QVERIFY(!panel.isLive());
        const QList<QTimer *> timers = panel.findChildren<QTimer *>();
        for (const QTimer *timer : timers)
            QVERIFY(!timer->isActive());
    }

    void timelineKeepsTheStoryOfTheHiddenTime()
    {
        auto *timeline = m_panel->findChild<RequestTimelineWidget *>();
        QVERIFY(timeline);
        m_panel->hide();
        const Location place = berlin(); // a request (the search)
        QVERIFY(awaitResult(m_service->current(place)).ok()); // a request
        QVERIFY(awaitResult(m_service->current(place)).ok()); // from memory
        m_clock->advance(3 * kMinute);
        // Hidden, the timeline is not kept up to date...
        QVERIFY(timeline->shownEvents().isEmpty());
        m_panel->show();
        // ...shown again, it tells what happened meanwhile, in words too.
        QCOMPARE(timeline->shownEvents().size(), 3);
        QCOMPARE(timeline->accessibleDescription(),
                 u"Last 10 minutes: 2 requests to Open-Meteo, 1 cache answer."_s);
        // Another span from the combo box.
        auto *span = m_panel->findChild<QComboBox *>(u"spanCombo"_s);
        span->setCurrentIndex(1);
        QCOMPARE(timeline->spanMs(), RequestTimelineWidget::kOneHourMs);
        QVERIFY(timeline->accessibleDescription().startsWith(u"Last hour: 2 requests"_s));
    }

    void everyFigureSaysInWordsWhatItCounts()
    {
        auto *summary = m_panel->findChild<QWidget *>(u"summaryBox"_s);
        QVERIFY(summary);
        const QList<QLabel *> labels = summary->findChildren<QLabel *>();
        QCOMPARE(labels.size(), 20); // ten figures, caption and value
        QStringList captions;
        for (const QLabel *l : labels) {
            const QString tip = shownToolTip(l->toolTip());
            QVERIFY2(tip.size() > 20 && tip.endsWith(u'.'),
                     qPrintable(l->objectName() + u": "_s + tip));
            if (l->objectName().endsWith(u"Value"_s)) {
                const QString caption = l->objectName().chopped(5) + u"Caption"_s;
                QCOMPARE(l->toolTip(), m_panel->findChild<QLabel *>(caption)->toolTip());
            } else {
                captions << l->text();
            }
        }
        QVERIFY2(captions.contains(u"Lookups that shared a request"_s),
                 qPrintable(captions.join(u", ")));
        for (const QString &jargon : {u"coalesced"_s, u"Evictions"_s, u"Hit ratio"_s})
            QVERIFY2(!captions.join(u' ').contains(jargon, Qt::CaseInsensitive),
                     qPrintable(jargon));
    }

    void resetStatisticsStartsTheCountsAgain()
    {
        const Location place = berlin();
        QVERIFY(awaitResult(m_service->current(place)).ok());
        QVERIFY(awaitResult(m_service->current(place)).ok());
        m_panel->refreshSummary();
        QCOMPARE(label("hitsMissesValue"), u"1 / 2"_s);
        auto *timeline = m_panel->findChild<RequestTimelineWidget *>();
        QCOMPARE(timeline->shownEvents().size(), 3);
        const int rows = m_panel->model()->rowCount();
        const int row = m_panel->model()->rowOfKey(m_service->currentKey(place));
        m_panel->model()->refresh();
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::HitsColumn).data().toInt(), 1);

        QSignalSpy requested(m_panel, &CacheStatusPanel::resetStatisticsRequested);
        QTest::mouseClick(button("resetStatsButton"), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(label("hitsMissesValue"), u"0 / 0"_s);
        QCOMPARE(label("hitRatioValue"), u"—"_s);
        QVERIFY(timeline->shownEvents().isEmpty());
        // What comes after the reset is on the timeline, even in the same millisecond.
        QVERIFY(awaitResult(m_service->current(place)).ok());
        m_panel->refreshSummary();
        QCOMPARE(timeline->shownEvents().size(), 1);
        QVERIFY(m_panel->findChild<QGroupBox *>(u"summaryBox"_s)->title().startsWith(u"Since "_s));
        // The answers stay; only their counts start again.
        QCOMPARE(m_panel->model()->rowCount(), rows);
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::HitsColumn).data().toInt(), 0);
        QCOMPARE(label("entriesValue"), QString::number(rows));
    }

    void deleteKeyDropsTheSelectedEntry()
    {
        fillCache();
        QTreeView *view = entriesView();
        const QString key = m_service->currentKey(berlin());
        m_panel->selectKey(key);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        view->setFocus();
        QSignalSpy dropped(m_panel, &CacheStatusPanel::invalidateRequested);
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.first().first().toString(), key);
    }

    void contextMenuActsOnTheRowUnderThePointer()
    {
        fillCache();
        QTreeView *view = entriesView();
        const QAbstractItemModel *m = view->model();
        QVERIFY(m->rowCount() >= 2);
        m_panel->selectKey(
            m->index(0, 0, m->index(0, 0)).data(CacheEntryModel::KeyRole).toString());
        // An entry of the second place, a child row.
        const QModelIndex target = m->index(0, CacheEntryModel::StateColumn, m->index(1, 0));
        const QString key = target.data(CacheEntryModel::KeyRole).toString();
        QVERIFY(!key.isEmpty());
        const QPoint at = view->visualRect(target).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(view->viewport(), &event);
        QCOMPARE(m_panel->selectedKey(), key); // the row under the pointer

        auto *menu = m_panel->findChild<QMenu *>(u"entryContextMenu"_s);
        QVERIFY(menu);
        QStringList texts;
        const QList<QAction *> actions = menu->actions();
        for (const QAction *a : actions) {
            if (!a->isSeparator())
                texts << a->text().remove(u'&');
        }
        QCOMPARE(texts, (QStringList{u"Refresh now"_s, u"Drop from cache"_s, u"Copy key"_s}));

        QSignalSpy refresh(m_panel, &CacheStatusPanel::refreshRequested);
        QSignalSpy dropped(m_panel, &CacheStatusPanel::invalidateRequested);
        actionNamed(actions, "refreshEntryAction")->trigger();
        QCOMPARE(refresh.count(), 1);
        QCOMPARE(refresh.first().first().toString(), key);
        actionNamed(actions, "copyKeyAction")->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), key);
        actionNamed(actions, "dropEntryAction")->trigger();
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.first().first().toString(), key);
        menu->close();

        // A place's own row names no entry: nothing to drop.
        m_panel->selectKey(key);
        view->selectionModel()->setCurrentIndex(m->index(0, 0), QItemSelectionModel::ClearAndSelect
                                                                    | QItemSelectionModel::Rows);
        QVERIFY(m_panel->selectedKey().isEmpty());
        QVERIFY(!button("invalidateButton")->isEnabled());
    }

    void droppedRowKeepsTheSelectionInPlace()
    {
        fillCache();
        // Acting as MainWindow does.
        connect(m_panel, &CacheStatusPanel::invalidateRequested, m_service.get(),
                &WeatherService::invalidate);
        QTreeView *view = entriesView();
        const QAbstractItemModel *m = view->model();
        // Berlin: its current conditions, its forecast and the search that found it.
        QPersistentModelIndex place;
        for (int i = 0; i < m->rowCount(); ++i) {
            if (m->rowCount(m->index(i, 0)) == 3)
                place = m->index(i, 0);
        }
        QVERIFY(place.isValid());
        QVERIFY2(place.data().toString().startsWith(u"Berlin, DE"_s),
                 qPrintable(place.data().toString()));
        const int places = m->rowCount();
        auto keyAt = [m, &place](int row) {
            return m->index(row, 0, place).data(CacheEntryModel::KeyRole).toString();
        };
        const QString next = keyAt(1);
        m_panel->selectKey(keyAt(0));
        QTest::mouseClick(button("invalidateButton"), Qt::LeftButton);
        QCOMPARE(m->rowCount(place), 2);
        QCOMPARE(m_panel->selectedKey(), next); // the same place, the row that took it
        QCOMPARE(view->selectionModel()->currentIndex().row(), 0);
        QCOMPARE(view->selectionModel()->currentIndex().parent(), QModelIndex(place));

        // The last row gone: the new last one.
        const QString beforeLast = keyAt(0);
        m_panel->selectKey(keyAt(1));
        QTest::mouseClick(button("invalidateButton"), Qt::LeftButton);
        QCOMPARE(m_panel->selectedKey(), beforeLast);

        // The place's last row gone: the place goes, the selection goes to the next place's.
        QTest::mouseClick(button("invalidateButton"), Qt::LeftButton);
        QCOMPARE(m->rowCount(), places - 1);
        QVERIFY(!place.isValid());
        QVERIFY(!m_panel->selectedKey().isEmpty());
        QVERIFY(view->selectionModel()->currentIndex().parent().isValid());
    }

    void rowsGroupByPlaceAndSayWhatDiffers()
    {
        fillCache();
        // Typing "Lo", "Lon" on the way to London: suggestions looked up, folded away.
        awaitResult(m_service->searchLocations(u"Lo"_s)); // "not found" is remembered too
        awaitResult(m_service->searchLocations(u"Lon"_s));
        // The same place from another provider is another answer: its title says so. (Units
        // are not part of a key: answers are converted when they are read.)
        WeatherService::Config config = m_service->config();
        config.providerId = u"openweathermap"_s;
        config.apiKey = m_server->validApiKey();
        m_service->setConfig(config);
        QVERIFY(awaitResult(m_service->current(berlin())).ok());

        QTreeView *view = entriesView();
        const QAbstractItemModel *m = view->model();
        QStringList titles;
        for (int i = 0; i < m->rowCount(); ++i)
            titles << m->index(i, 0).data().toString();
        QCOMPARE(titles, (QStringList{
                             u"Berlin, DE — Open-Meteo, °C"_s, u"Berlin, DE — OpenWeatherMap, °C"_s,
                             u"London, GB — Open-Meteo, °C"_s, u"Searches while typing (2)"_s}));
        const QModelIndex metric = m->index(0, 0);
        QStringList rows;
        for (int i = 0; i < m->rowCount(metric); ++i)
            rows << m->index(i, 0, metric).data().toString();
        QCOMPARE(rows, (QStringList{u"current conditions"_s, u"forecast"_s, u"Search “berlin”"_s}));
        // Places open, the prefixes folded.
        QVERIFY(view->isExpanded(metric));
        QVERIFY(!view->isExpanded(m->index(3, 0)));
        // Spanned once the turn of the event loop that brought the places is over.
        QTRY_VERIFY(view->isFirstColumnSpanned(0, QModelIndex()));
    }

    void expansionSurvivesRefreshes()
    {
        fillCache();
        QTreeView *view = entriesView();
        const QString key = m_service->currentKey(berlin());
        const QModelIndex place = m_panel->placeModel()->indexOfKey(key).parent();
        const auto shown = [this, view, &key] {
            const QModelIndex group = m_panel->placeModel()->indexOfKey(key).parent();
            auto *proxy = qobject_cast<QSortFilterProxyModel *>(view->model());
            return view->isExpanded(proxy->mapFromSource(group));
        };
        QVERIFY(shown());
        auto *proxy = qobject_cast<QSortFilterProxyModel *>(view->model());
        view->collapse(proxy->mapFromSource(place));
        QVERIFY(!shown());
        // Ticks, new entries, a refresh, and the place emptied and filled again.
        m_clock->advance(2 * kMinute);
        m_panel->model()->refresh();
        QVERIFY(awaitResult(m_service->current(berlin(), true)).ok());
        QVERIFY(!shown());
        const QString forecast = m_service->forecastKey(berlin());
        const QString search = m_service->searchKey(u"Berlin"_s);
        m_service->invalidate(key);
        m_service->invalidate(forecast);
        m_service->invalidate(search);
        QVERIFY(!m_panel->placeModel()->indexOfKey(key).isValid());
        QVERIFY(awaitResult(m_service->current(berlin())).ok());
        QVERIFY(!shown()); // as the person left it
    }

    void revealPlaceOpensAndSelectsItsRows()
    {
        fillCache();
        QTreeView *view = entriesView();
        auto *proxy = qobject_cast<QSortFilterProxyModel *>(view->model());
        const QString key = m_service->currentKey(berlin());
        const QModelIndex place
            = proxy->mapFromSource(m_panel->placeModel()->indexOfKey(key).parent());
        view->collapse(place);
        m_panel->selectKey(m_service->searchKey(u"London"_s));
        QVERIFY(m_panel->revealPlace(key));
        QVERIFY(view->isExpanded(place));
        QCOMPARE(m_panel->selectedKey(), key);
        QVERIFY(view->hasFocus() || !m_window->isActiveWindow());
        // A place with no rows (dropped meanwhile): nothing to reveal, said so.
        Location nowhere;
        nowhere.latitude = 1.0;
        nowhere.longitude = 2.0;
        QVERIFY(!m_panel->revealPlace(m_service->currentKey(nowhere)));
    }

    void shownPlaceIsBold()
    {
        fillCache();
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"settings.ini"_s));
        PlaceBook book(m_service.get(), &settings, m_clock.get());
        book.show(berlin());
        m_panel->setPlaceBook(&book);
        const QString key = m_service->currentKey(berlin());
        const QModelIndex place = m_panel->placeModel()->indexOfKey(key).parent();
        QVERIFY(place.data(Qt::FontRole).value<QFont>().bold());
        const QString london = m_service->searchKey(u"London"_s);
        const QModelIndex searches = m_panel->placeModel()->indexOfKey(london).parent();
        QVERIFY(!searches.data(Qt::FontRole).value<QFont>().bold());
        m_panel->setPlaceBook(nullptr);
    }

    void serviceDestroyedFirst()
    {
        fillCache();
        m_service.reset();
        // Shown again and ticking: nothing left to show, nothing read from the dead service.
        m_panel->hide();
        m_panel->show();
        m_panel->model()->refresh();
        m_panel->refreshSummary();
        QCOMPARE(m_panel->model()->rowCount(), 0);
        m_panel->setService(nullptr);
        QVERIFY(m_panel->isLive());
    }

    // Issue 21: the group titles said "metric" (the units entries are fetched in) while the
    // person saw °F.
    void groupTitlesSayThePersonsUnits()
    {
        fillCache();
        WeatherService::Config config = m_service->config();
        config.units = UnitSet::preset(Units::Imperial);
        m_service->setConfig(config);
        const QAbstractItemModel *m = entriesView()->model();
        QTRY_VERIFY(m->rowCount() > 0);
        for (int i = 0; i < m->rowCount(); ++i)
            QCOMPARE(m->index(i, 0).data().toString().section(u" — "_s, 1), u"Open-Meteo, °F"_s);
    }

    // Issue 22: an alert list has no weather provider and no units; its group said
    // "Berlin, DE — , °C".
    void alertGroupsSayTheyAreAlerts()
    {
        fillCache();
        const QString key = WeatherKey::alertList(berlin().latitude, berlin().longitude).toString();
        bool answered = false;
        m_service->layers()->get(
            key, this, [&answered](const CacheResult<WeatherPayload> &) { answered = true; },
            [] {
                return QtFuture::makeReadyFuture(
                    Outcome<WeatherPayload>::success(WeatherPayload(AlertIdList{})));
            },
            5 * 60'000);
        QTRY_VERIFY(answered);
        const QAbstractItemModel *m = entriesView()->model();
        const auto titles = [m] {
            QStringList all;
            for (int i = 0; i < m->rowCount(); ++i)
                all << m->index(i, 0).data().toString();
            return all;
        };
        QTRY_VERIFY2(titles().contains(u"Berlin, DE — weather alerts"_s),
                     qPrintable(titles().join(u" | "_s)));
        for (const QString &title : titles())
            QVERIFY2(!title.contains(u"— ,"_s), qPrintable(title));
    }

    // The headline said "3 requests to Open-Meteo" above a bar that said "2 of 600": the alert
    // server's loads were counted as the provider's requests.
    void headlineNeverCreditsOtherServersToTheProvider()
    {
        const Location place = berlin(); // a search: 1 lookup, 1 request to Open-Meteo
        QVERIFY(awaitResult(m_service->current(place)).ok()); // the same again
        const QString key = WeatherKey::alertList(place.latitude, place.longitude).toString();
        bool answered = false;
        m_service->layers()->get( // the alert server: 1 lookup, 1 request
            key, this, [&answered](const CacheResult<WeatherPayload> &) { answered = true; },
            [] {
                return QtFuture::makeReadyFuture(
                    Outcome<WeatherPayload>::success(WeatherPayload(AlertIdList{})));
            },
            5 * 60'000);
        QTRY_VERIFY(answered);
        m_panel->refreshSummary();
        auto *minute = m_panel->findChild<QProgressBar *>(u"minuteBar"_s);
        QTRY_COMPARE(minute->text(), u"2 of 600"_s); // Open-Meteo's own count
        const QString headline = label("headlineLabel");
        QCOMPARE(headline, u"3 lookups, 3 requests to servers: 0 answered from the cache."_s);
        QVERIFY2(!headline.contains(u"Open-Meteo"_s), qPrintable(headline));
    }

    // Issue 21: after a switch to OpenWeatherMap the panel credited Open-Meteo's answers to it.
    void answersAreCreditedToTheProviderThatGaveThem()
    {
        QVERIFY(awaitResult(m_service->current(berlin())).ok());
        QVERIFY(awaitResult(m_service->forecast(berlin())).ok());
        m_panel->refreshSummary();
        // "Answers: <m> from memory, <n> from Open-Meteo."
        const QString before = label("answersFromLabel");
        QVERIFY2(before.endsWith(u" from Open-Meteo."_s), qPrintable(before));
        const QString openMeteo = before.left(before.size() - 1); // without the full stop
        WeatherService::Config config = m_service->config();
        config.providerId = u"openweathermap"_s;
        config.apiKey = m_server->validApiKey();
        m_service->setConfig(config);
        m_panel->refreshSummary();
        QCOMPARE(label("answersFromLabel"), openMeteo + u", 0 from OpenWeatherMap."_s);
        const quint64 loadsBefore = m_service->layers()->stats().loaderAnswers;
        QVERIFY(awaitResult(m_service->current(berlin(), /*forceRefresh*/ true)).ok());
        const quint64 owm = m_service->layers()->stats().loaderAnswers - loadsBefore;
        QVERIFY(owm > 0);
        m_panel->refreshSummary();
        QCOMPARE(label("answersFromLabel"),
                 openMeteo + u", %1 from OpenWeatherMap."_s.arg(owm)); // Open-Meteo's unchanged
    }

    void headlineTellsRequestsSparedNotTheHitRatio()
    {
        const Location place = berlin(); // a search: one lookup, one request
        for (int i = 0; i < 4; ++i)
            QVERIFY(awaitResult(m_service->current(place)).ok()); // one request, then memory
        QVERIFY(awaitResult(m_service->current(place, /*forceRefresh*/ true)).ok());
        m_panel->refreshSummary();
        // 6 lookups, 3 requests: the search, the first current, the forced refresh.
        QCOMPARE(label("headlineLabel"),
                 u"6 lookups, 3 requests to servers: 3 answered from the cache."_s);
        QVERIFY(!m_panel->findChild<QLabel *>(u"headlineLabel"_s)->toolTip().isEmpty());
        QCOMPARE(label("answersFromLabel"), u"Answers: 3 from memory, 3 from Open-Meteo."_s);
        auto *minute = m_panel->findChild<QProgressBar *>(u"minuteBar"_s);
        QTRY_COMPARE(minute->text(), u"3 of 600"_s);
        QCOMPARE(m_panel->findChild<QProgressBar *>(u"todayBar"_s)->text(), u"3 of 10,000"_s);
        // An hour later: nothing this minute or hour, still 3 today (unless midnight passed).
        m_clock->advance(61 * kMinute);
        m_panel->refreshSummary();
        QTRY_COMPARE(minute->text(), u"0 of 600"_s);
        QCOMPARE(m_panel->findChild<QProgressBar *>(u"hourBar"_s)->text(), u"0 of 5,000"_s);
    }

    void requestsOfOtherProcessesCountToo()
    {
        QTemporaryDir dir;
        SqliteTier disk(dir.path(), m_clock.get());
        m_service->setRequestLogStore(&disk);
        // The CLI asked twice a moment ago, through the same disk.
        QVERIFY(awaitResult(disk.logRequest(u"open-meteo"_s, m_clock->now() - 1000)).ok());
        QVERIFY(awaitResult(disk.logRequest(u"open-meteo"_s, m_clock->now() - 500)).ok());
        berlin(); // and this window once
        m_panel->refreshSummary();
        auto *minute = m_panel->findChild<QProgressBar *>(u"minuteBar"_s);
        QTRY_COMPARE(minute->text(), u"3 of 600"_s);
        QVERIFY2(m_panel->findChild<QGroupBox *>(u"requestsBox"_s)
                     ->toolTip()
                     .contains(u"command-line"_s),
                 "it says whose requests it counts");
        m_service->setRequestLogStore(nullptr);
    }

    void scheduleNamesEachPlaceAndItsNextUpdates()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"settings.ini"_s));
        PlaceBook book(m_service.get(), &settings, m_clock.get());
        m_panel->setPlaceBook(&book);
        QSignalSpy finished(&book, &PlaceBook::requestsFinished);
        book.show(berlin());
        QTRY_COMPARE(finished.size(), 1);
        m_clock->advance(kMinute);
        m_panel->refreshSummary();
        QCOMPARE(label("scheduleLabel"),
                 u"Berlin, DE refreshes in 9 min; its forecast in 59 min."_s);
    }

    /**
     * Issue 27, N2: narrow (a dock tabbed with Places in a 700 px window) the panel is the
     * headline and the shown place's rows with their names; widened, everything comes back,
     * and the shown place changing changes the rows.
     */
    void narrowPanelIsCompactAndShowsTheShownPlace()
    {
        fillCache();
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"settings.ini"_s));
        PlaceBook book(m_service.get(), &settings, m_clock.get());
        book.show(berlin());
        m_panel->setPlaceBook(&book);
        auto *summary = m_panel->findChild<QWidget *>(u"summaryBox"_s);
        auto *chart = m_panel->findChild<QWidget *>(u"chartBox"_s);
        QVERIFY(!m_panel->isCompact());
        QVERIFY(summary->isVisible() && chart->isVisible());
        const int places = entriesView()->model()->rowCount();
        QVERIFY(places >= 2); // Berlin, London

        m_window->resize(300, 720);
        QTRY_VERIFY(m_panel->isCompact());
        QVERIFY(!summary->isVisible() && !chart->isVisible());
        QVERIFY(m_panel->findChild<QLabel *>(u"headlineLabel"_s)->isVisible());
        QCOMPARE(entriesView()->model()->rowCount(), 1);
        const QModelIndex group = entriesView()->model()->index(0, 0);
        QVERIFY(group.data().toString().startsWith(u"Berlin, DE"_s));
        QVERIFY(entriesView()->isExpanded(group));
        QVERIFY(entriesView()->isColumnHidden(CacheEntryModel::StateColumn));
        QVERIFY(m_panel->revealPlace(m_service->currentKey(berlin())));
        QCOMPARE(m_panel->selectedKey(), m_service->currentKey(berlin()));

        m_window->resize(700, 720);
        QTRY_VERIFY(!m_panel->isCompact());
        QVERIFY(summary->isVisible() && chart->isVisible());
        QCOMPARE(entriesView()->model()->rowCount(), places);
        m_panel->setPlaceBook(nullptr);
    }

    void scheduleIsOneLineForTheShownPlace()
    {
        // Five places kept current: the shown one's line, the four others on demand (issue
        // 27: five sentences at the top of the panel were a wall of text).
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"settings.ini"_s));
        PlaceBook book(m_service.get(), &settings, m_clock.get());
        m_panel->setPlaceBook(&book);
        QSignalSpy finished(&book, &PlaceBook::requestsFinished);
        const QStringList cities{u"London"_s, u"Paris"_s, u"Tokyo"_s, u"Sao Paulo"_s, u"Berlin"_s};
        for (const QString &city : cities) {
            const auto found = awaitResult(m_service->searchLocations(city));
            QVERIFY(found.ok() && !found.value->isEmpty());
            const int before = int(finished.size());
            book.show(found.value->first());
            QTRY_VERIFY(finished.size() > before);
            if (city != u"Berlin")
                QVERIFY(book.saveShown());
        }
        m_panel->refreshSummary();
        auto *more = m_panel->findChild<QToolButton *>(u"scheduleMoreButton"_s);
        QVERIFY(more);
        QCOMPARE(label("scheduleLabel").count(u'\n'), 0);
        QVERIFY2(label("scheduleLabel").startsWith(u"Berlin, DE refreshes in"_s),
                 qPrintable(label("scheduleLabel")));
        QVERIFY(more->isVisible());
        QCOMPARE(more->text(), u"4 other places…"_s);
        more->click();
        const QStringList lines = label("scheduleLabel").split(u'\n');
        QCOMPARE(lines.size(), 5);
        QVERIFY(lines.first().startsWith(u"Berlin, DE"_s)); // the shown place first
        for (const QString &line : lines.mid(1))
            QVERIFY2(line.contains(u" refreshes in "_s), qPrintable(line));
        QCOMPARE(more->text(), u"Hide the other places"_s);
        more->click();
        QCOMPARE(label("scheduleLabel").count(u'\n'), 0);
    }

    void headlineCountsNoLoadInFlightAsSpared()
    {
        // Three lookups whose answers are still on the wire were not "answered from the
        // cache" (issue 27, N9): they are still loading.
        const Location place = berlin(); // 1 lookup, 1 request
        HttpReply silent;
        silent.behaviour = HttpReply::Behaviour::Silent;
        using Endpoint = FakeWeatherServer::Endpoint;
        for (Endpoint e :
             {Endpoint::OpenMeteoCurrent, Endpoint::OpenMeteoForecast, Endpoint::OpenMeteoHourly})
            m_server->setReply(e, silent);
        auto first = m_service->current(place);
        auto second = m_service->forecast(place);
        auto third = m_service->hourly(place);
        QTRY_COMPARE(m_service->cache()->stats().loadsInFlight, 3);
        m_panel->refreshSummary();
        QCOMPARE(label("headlineLabel"),
                 u"4 lookups, 1 request to a server: 0 answered from the cache; 3 still "
                 u"loading."_s);
        QVERIFY(!first.isFinished() && !second.isFinished() && !third.isFinished());
    }

    void headlineSaysOneLookupNotOneLookups()
    {
        QVERIFY(awaitResult(m_service->searchLocations(u"Paris"_s)).ok());
        m_panel->refreshSummary();
        QCOMPARE(label("headlineLabel"),
                 u"1 lookup, 1 request to a server: 0 answered from the cache."_s);
        QVERIFY(awaitResult(m_service->searchLocations(u"Paris"_s)).ok());
        m_panel->refreshSummary();
        QCOMPARE(label("headlineLabel"),
                 u"2 lookups, 1 request to a server: 1 answered from the cache."_s);
    }

    void germanHeadlineTellsLookupsFromRequests()
    {
        // Issue 27: "Abfragen" and "Anfragen" are near-synonyms to a German reader. A lookup is
        // a "Zugriff" (on the cache), a request an "Anfrage" (to a server), and "answered from
        // the cache" says "aus dem Cache".
        Translations::install(QCoreApplication::instance(), {u"de-DE"_s});
        const auto english = qScopeGuard(
            [] { Translations::install(QCoreApplication::instance(), {u"en-US"_s}); });
        QVERIFY(awaitResult(m_service->searchLocations(u"Paris"_s)).ok());
        QVERIFY(awaitResult(m_service->searchLocations(u"Paris"_s)).ok());
        m_panel->refreshSummary();
        const QString headline = label("headlineLabel");
        QCOMPARE(headline,
                 u"2 Zugriffe, 1 Anfrage an einen Server: 1 aus dem Cache beantwortet."_s);
        QVERIFY(!headline.contains(u"Abfrage"_s));
    }

    void entryNamesAreNotElidedInANarrowDock_data()
    {
        QTest::addColumn<int>("width");
        QTest::newRow("320 px (a 700 px window)") << 320;
        QTest::newRow("380 px (an 800 px window)") << 380;
        QTest::newRow("520 px") << 520;
    }
    void entryNamesAreNotElidedInANarrowDock()
    {
        QFETCH(int, width);
        fillCache();
        QTreeView *view = entriesView();
        view->expandAll();
        m_window->resize(width, 720);
        QTRY_COMPARE(m_window->width(), width);
        m_panel->refreshSummary();
        const QFontMetrics metrics(view->font());
        int checked = 0;
        for (QModelIndex index = view->indexAt(QPoint(0, 0)); index.isValid();
             index = view->indexBelow(index)) {
            if (view->isFirstColumnSpanned(index.row(), index.parent()))
                continue;
            int depth = 1;
            for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
                ++depth;
            const QString text = index.data().toString();
            const int room
                = view->columnWidth(CacheEntryModel::EntryColumn) - depth * view->indentation();
            QVERIFY2(
                metrics.horizontalAdvance(text) <= room,
                qPrintable(
                    u"%1: %2 px in %3"_s.arg(text).arg(metrics.horizontalAdvance(text)).arg(room)));
            ++checked;
        }
        QVERIFY(checked >= 4);
        // The time left stays: it is what the panel is for.
        QVERIFY(!view->isColumnHidden(CacheEntryModel::TimeLeftColumn));
        // Wide again: every column is back.
        m_window->resize(900, 720);
        QTRY_COMPARE(m_window->width(), 900);
        m_panel->refreshSummary();
        for (int c = 0; c < CacheEntryModel::ColumnCount; ++c)
            QVERIFY2(!view->isColumnHidden(c), qPrintable(QString::number(c)));
    }

    void statisticTooltipsWrap()
    {
        // Rich text, which Qt wraps at a reading width; plain text was one line ~1,000 px wide.
        auto *value = m_panel->findChild<QLabel *>(u"hitsMissesValue"_s);
        QVERIFY(value);
        QVERIFY(Qt::mightBeRichText(value->toolTip()));
        QToolTip::showText(value->mapToGlobal(QPoint(2, 2)), value->toolTip(), value);
        QWidget *tip = nullptr;
        QTRY_VERIFY((tip = QApplication::activePopupWidget() ? nullptr : shownTipLabel()));
        QVERIFY2(tip->width() <= 640, qPrintable(QString::number(tip->width())));
        QVERIFY(tip->height() > 2 * tip->fontMetrics().height()); // wrapped onto lines
        QToolTip::hideText();
    }

private:
    /** Four answers from the local server: a search, Berlin's weather and forecast, London's. */
    void fillCache()
    {
        const Location place = berlin();
        QVERIFY(awaitResult(m_service->current(place)).ok());
        QVERIFY(awaitResult(m_service->forecast(place)).ok());
        const auto london = awaitResult(m_service->searchLocations(u"London"_s));
        QVERIFY(london.ok() && !london.value->isEmpty());
        QVERIFY(awaitResult(m_service->current(london.value->first())).ok());
        QVERIFY(m_panel->model()->rowCount() >= 5);
    }

    static QWidget *shownTipLabel()
    {
        const auto widgets = QApplication::topLevelWidgets();
        for (QWidget *w : widgets) {
            if (w->inherits("QTipLabel") && w->isVisible())
                return w;
        }
        return nullptr;
    }

    QTreeView *entriesView() const { return m_panel->findChild<QTreeView *>(u"entriesView"_s); }

    QPushButton *button(const char *name) const
    {
        auto *b = m_panel->findChild<QPushButton *>(QString::fromLatin1(name));
        Q_ASSERT(b);
        return b;
    }

    static QAction *actionNamed(const QList<QAction *> &actions, const char *name)
    {
        for (QAction *a : actions) {
            if (a->objectName() == QLatin1StringView(name))
                return a;
        }
        qFatal("no action %s", name);
    }

    /** The running timers of the panel and of everything it owns (its model included). */
    int activeTimers() const
    {
        int active = 0;
        const QList<QTimer *> timers = m_panel->findChildren<QTimer *>();
        for (const QTimer *timer : timers)
            active += timer->isActive();
        return active;
    }

    Location berlin()
    {
        const auto found = awaitResult(m_service->searchLocations(u"Berlin"_s));
        if (!found.ok() || found.value->isEmpty())
            return {};
        return found.value->first();
    }

    QString label(const char *name) const
    {
        auto *l = m_panel->findChild<QLabel *>(QString::fromLatin1(name));
        return l ? l->text() : u"<no label %1>"_s.arg(QString::fromLatin1(name));
    }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<WeatherService> m_service;
    std::unique_ptr<QWidget> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    CacheStatusPanel *m_panel = nullptr;
};

QTEST_MAIN(tst_CacheStatusPanel)
#include "tst_cachestatuspanel.moc"
