// SPDX-License-Identifier: MIT
#include "fakeweatherserver.h"
#include "futurewait.h"

#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "store/sqlitetier.h"
#include "weather/weatherservice.h"
#include "weather/weathersession.h"
#include "widgets/cachechartwidget.h"
#include "widgets/cachestatuspanel.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>

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
        // The summary, the chart and the model each keep one timer going while on screen.
        QVERIFY2(activeTimers() >= 3, qPrintable(QString::number(activeTimers())));

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
        QVERIFY(activeTimers() >= 3);
        QCOMPARE(label("hitsMissesValue"), u"1 / 2"_s); // the search and the first lookup missed
        const int row = m_panel->model()->rowOfKey(m_service->currentKey(place));
        QVERIFY(row >= 0);
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::AgeColumn).data().toString(),
                 u"3 min"_s);
    }

    void minimisedWindowStopsTheTimers()
    {
        QVERIFY(activeTimers() >= 3);
        m_window->showMinimized();
        QTRY_VERIFY(!m_panel->isLive());
        QCOMPARE(activeTimers(), 0);
        QVERIFY(!m_panel->model()->isTicking());
        m_window->showNormal();
        QTRY_VERIFY(m_panel->isLive());
        QVERIFY(activeTimers() >= 3);
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

    void chartKeepsTheTrafficOfTheHiddenTime()
    {
        auto *chart = m_panel->findChild<CacheChartWidget *>();
        QVERIFY(chart);
        m_panel->sampleChart();
        QCOMPARE(chart->samples().size(), 1);

        m_panel->hide();
        const Location place = berlin(); // one search: a miss
        QVERIFY(awaitResult(m_service->current(place)).ok()); // a miss
        QVERIFY(awaitResult(m_service->current(place)).ok()); // a hit
        m_clock->advance(CacheStatusPanel::kChartIntervalMs * 6);
        m_panel->show();

        // One sample for the minute it was hidden, six intervals wide, with all of it.
        QCOMPARE(chart->samples().size(), 2);
        const CacheChartWidget::Sample gap = chart->samples().last();
        QCOMPARE(gap.intervals, 6);
        QCOMPARE(gap.hits, quint64(1));
        QCOMPARE(gap.misses, quint64(2));

        // Back to one interval per sample.
        m_clock->advance(CacheStatusPanel::kChartIntervalMs);
        m_panel->sampleChart();
        QCOMPARE(chart->samples().last().intervals, 1);
    }

    void shortHideContinuesTheIntervalUnderWay()
    {
        auto *chart = m_panel->findChild<CacheChartWidget *>();
        m_panel->sampleChart();
        m_panel->hide();
        m_clock->advance(CacheStatusPanel::kChartIntervalMs / 2);
        m_panel->show();
        QCOMPARE(chart->samples().size(), 1); // no gap sample for half an interval
    }

    void everyFigureSaysInWordsWhatItCounts()
    {
        auto *summary = m_panel->findChild<QWidget *>(u"summaryBox"_s);
        QVERIFY(summary);
        const QList<QLabel *> labels = summary->findChildren<QLabel *>();
        QCOMPARE(labels.size(), 20); // ten figures, caption and value
        QStringList captions;
        for (const QLabel *l : labels) {
            const QString tip = l->toolTip();
            QVERIFY2(tip.size() > 20 && tip.endsWith(u'.'),
                     qPrintable(l->objectName() + u": "_s + tip));
            if (l->objectName().endsWith(u"Value"_s)) {
                const QString caption = l->objectName().chopped(5) + u"Caption"_s;
                QCOMPARE(tip, m_panel->findChild<QLabel *>(caption)->toolTip());
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
        m_panel->sampleChart();
        auto *chart = m_panel->findChild<CacheChartWidget *>();
        QCOMPARE(chart->samples().size(), 1);
        const int rows = m_panel->model()->rowCount();
        const int row = m_panel->model()->rowOfKey(m_service->currentKey(place));
        m_panel->model()->refresh();
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::HitsColumn).data().toInt(), 1);

        QSignalSpy requested(m_panel, &CacheStatusPanel::resetStatisticsRequested);
        QTest::mouseClick(button("resetStatsButton"), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(label("hitsMissesValue"), u"0 / 0"_s);
        QCOMPARE(label("hitRatioValue"), u"—"_s);
        QVERIFY(chart->samples().isEmpty());
        QVERIFY(m_panel->findChild<QGroupBox *>(u"summaryBox"_s)->title().startsWith(u"Since "_s));
        // The answers stay; only their counts start again.
        QCOMPARE(m_panel->model()->rowCount(), rows);
        QCOMPARE(m_panel->model()->index(row, CacheEntryModel::HitsColumn).data().toInt(), 0);
        QCOMPARE(label("entriesValue"), QString::number(rows));
    }

    void deleteKeyDropsTheSelectedEntry()
    {
        fillCache();
        QTableView *view = entriesView();
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
        QTableView *view = entriesView();
        m_panel->selectKey(view->model()->index(0, 0).data(CacheEntryModel::KeyRole).toString());
        const QModelIndex target = view->model()->index(2, CacheEntryModel::StateColumn);
        const QString key = target.data(CacheEntryModel::KeyRole).toString();
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
    }

    void droppedRowKeepsTheSelectionInPlace()
    {
        fillCache();
        // Acting as MainWindow does.
        connect(m_panel, &CacheStatusPanel::invalidateRequested, m_service.get(),
                &WeatherService::invalidate);
        QTableView *view = entriesView();
        const int rows = view->model()->rowCount();
        QVERIFY(rows >= 4);
        auto keyAt = [view](int row) {
            return view->model()->index(row, 0).data(CacheEntryModel::KeyRole).toString();
        };
        const QString next = keyAt(2);
        m_panel->selectKey(keyAt(1));
        QTest::mouseClick(button("invalidateButton"), Qt::LeftButton);
        QCOMPARE(view->model()->rowCount(), rows - 1);
        QCOMPARE(m_panel->selectedKey(), next); // the same place, the row that took it
        QCOMPARE(view->selectionModel()->currentIndex().row(), 1);

        // The last row gone: the new last one.
        const QString beforeLast = keyAt(rows - 3);
        m_panel->selectKey(keyAt(rows - 2));
        QTest::mouseClick(button("invalidateButton"), Qt::LeftButton);
        QCOMPARE(m_panel->selectedKey(), beforeLast);
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
        m_panel->sampleChart();
        QCOMPARE(m_panel->model()->rowCount(), 0);
        m_panel->setService(nullptr);
        QVERIFY(m_panel->isLive());
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
                 u"6 lookups, 3 requests to Open-Meteo: 3 answered without asking it."_s);
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
        WeatherSession session(m_service.get(), m_clock.get());
        m_panel->setSession(&session);
        QSignalSpy finished(&session, &WeatherSession::requestsFinished);
        session.showPlace(berlin());
        QTRY_COMPARE(finished.size(), 1);
        m_clock->advance(kMinute);
        m_panel->refreshSummary();
        QCOMPARE(label("scheduleLabel"),
                 u"Berlin, DE refreshes in 9 min; its forecast in 59 min."_s);
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

    QTableView *entriesView() const { return m_panel->findChild<QTableView *>(u"entriesView"_s); }

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
