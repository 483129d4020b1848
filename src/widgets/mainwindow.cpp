// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "airqualityview.h"
#include "nowcaststrip.h"

#include "ui_mainwindow.h"

#include "aboutdialog.h"

#include "themecolors.h" // window branch

#include "alertband.h"
#include "cachestatuspanel.h"
#include "hourlychartwidget.h"
#include "models/cacheentrymodel.h"
#include "models/displaytext.h"
#include "models/placesmodel.h"
#include "placespanel.h"
#include "preferencesdialog.h"
#include "searchbar.h"
#include "trayicon.h"
#include "uselocationbutton.h"
#include "weather/alertformat.h"
#include "weather/nominatimparser.h"
#include "weather/providerfactory.h"
#include "weather/settings.h"
#include "weather/weatherprovider.h"
#include "weathercard.h"
#include "weathericons.h"

#include "cache/clock.h"

#include <QApplication>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QStyle>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMessageTimeoutMs = 10'000;
constexpr int kMinDockWidth = 280;
constexpr int kMaxDockWidth = 540;
constexpr int kMinPlacesWidth = 170;
constexpr int kMaxPlacesWidth = 280;
/** Below this window width the cache panel starts closed: the weather comes first. */
constexpr int kRoomForCacheDock = 1100;
/** The search field and card stop growing here: on a wide screen the weather stays together. */
constexpr int kMaxContentWidth = 980;
constexpr int kMinContentWidth = 360;
constexpr int kSideMargin = 16; // ui/mainwindow.ui's centralLayout margins
/** A window manager's title bar and frame, which availableGeometry() does not leave out. */
constexpr int kTitleBarAllowance = 40;

/** Location::isValid() only checks the coordinates; a default Location is "valid" at 0, 0. */
bool isUsable(const Location &location)
{
    return location.isValid() && !location.name.isEmpty();
}

bool isOffline(const WeatherError &error)
{
    return error.kind() == WeatherError::Offline || error.kind() == WeatherError::Timeout;
}
} // namespace

MainWindow::MainWindow(WeatherService *service, Settings *settings, QNetworkAccessManager *network,
                       QWidget *parent)
    : QMainWindow(parent)
    , ui(std::make_unique<Ui::MainWindow>())
    , m_service(service)
    , m_settings(settings)
    , m_network(network)
    , m_providerLabel(new QLabel(this))
    , m_book(new PlaceBook(service, settings, service->cache()->clock(), this))
    , m_places(new PlacesModel(m_book, this))
{
    ui->setupUi(this);
    ThemeColors::keepPlaceholdersReadable(this); // window branch: dark themes (issue 27)
    setWindowIcon(WeatherIcons::appIcon());
    m_providerLabel->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_providerLabel);

    QAction *toggleDock = ui->cacheDock->toggleViewAction();
    // Opened in a narrow window (Ctrl+Shift+C, View, the card's status line), the panel finds
    // its room before it shows: shown first, it had already pushed the window wider than the
    // screen or the weather into a horizontal scrollbar.
    disconnect(toggleDock, &QAction::triggered, ui->cacheDock, nullptr);
    connect(toggleDock, &QAction::triggered, this, [this](bool checked) {
        if (!checked) {
            ui->cacheDock->hide();
            return;
        }
        fitCacheDock();
        ui->cacheDock->show();
        ui->cacheDock->raise();
    });
    toggleDock->setText(tr("&Cache status")); // one name: the dock's title, the manual
    toggleDock->setShortcut(QKeySequence(u"Ctrl+Shift+C"_s));
    ui->menuView->addAction(toggleDock);
    QAction *togglePlaces = ui->placesDock->toggleViewAction();
    togglePlaces->setText(tr("&Places"));
    togglePlaces->setShortcut(QKeySequence(u"Ctrl+Shift+P"_s));
    ui->menuView->insertAction(toggleDock, togglePlaces);
    ui->placesDock->setAccessibleName(tr("Places"));
    ui->cacheDock->setAccessibleName(tr("Cache status"));
    ui->placesPanel->setModel(m_places);

    ui->weatherCard->setClock(m_service->cache()->clock());
    ui->cachePanel->setService(m_service);
    ui->cachePanel->setPlaceBook(m_book);

    // Menus
    connect(ui->actionQuit, &QAction::triggered, this, &MainWindow::quit);
    connect(ui->actionFindCity, &QAction::triggered, ui->searchBar, &SearchBar::focusSearch);
    connect(ui->actionAddPlace, &QAction::triggered, this, &MainWindow::addShownPlace);
    connect(ui->actionRefresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(ui->actionForceRefresh, &QAction::triggered, this, &MainWindow::forceRefresh);
    connect(ui->actionInvalidate, &QAction::triggered, this, &MainWindow::invalidateSelected);
    connect(ui->actionClearCache, &QAction::triggered, this, &MainWindow::clearCache);
    connect(ui->actionPreferences, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);

    // Pages
    connect(ui->searchBar, &SearchBar::suggestionsRequested, this, &MainWindow::requestSuggestions);
    connect(ui->searchBar, &SearchBar::searchSubmitted, this, &MainWindow::searchAndShow);
    connect(ui->searchBar, &SearchBar::locationChosen, this, &MainWindow::showLocation);
    connect(ui->weatherCard, &WeatherCard::cacheDetailsRequested, this,
            &MainWindow::revealShownPlaceInCache);
    connect(ui->weatherCard, &WeatherCard::retryRequested, this, &MainWindow::retry);
    connect(ui->weatherCard, &WeatherCard::addToPlacesRequested, this, &MainWindow::addShownPlace);
    connect(ui->placesPanel, &PlacesPanel::placeSelected, this, &MainWindow::showLocation);
    // Saved, removed, moved, renamed: never another place on screen.
    connect(m_book, &PlaceBook::placesChanged, this, [this] {
        if (m_showPlacesWithTheFirst && !m_book->saved().isEmpty()) {
            m_showPlacesWithTheFirst = false;
            ui->placesDock->show();
        }
        ui->weatherCard->setSaved(m_book->isSaved(m_book->shown())
                                  || m_book->shown() == m_book->here());
        ui->weatherCard->setOwnName(m_book->customLabel(m_book->shown())); // renamed
        highlightShownPlace();
        updateActions();
        updateTitle(); // a rename
    });
    connect(ui->cachePanel, &CacheStatusPanel::invalidateRequested, this,
            &MainWindow::invalidateSelected);
    connect(ui->cachePanel, &CacheStatusPanel::clearRequested, this, &MainWindow::clearCache);
    connect(ui->cachePanel, &CacheStatusPanel::refreshRequested, this, &MainWindow::refreshEntry);
    connect(ui->cachePanel, &CacheStatusPanel::resetStatisticsRequested, this,
            [this] { m_service->layers()->resetStats(); });
    connect(ui->cachePanel, &CacheStatusPanel::selectionChanged, this, &MainWindow::updateActions);

    // Settings apply without a restart; several setters in a row apply once.
    m_applySettingsTimer.setSingleShot(true);
    m_applySettingsTimer.setInterval(0);
    connect(&m_applySettingsTimer, &QTimer::timeout, this, &MainWindow::applySettings);
    connect(m_settings, &Settings::changed, &m_applySettingsTimer, qOverload<>(&QTimer::start));
    connect(m_service, &WeatherService::configChanged, this, [this] {
        updateProviderInfo();
        // Units or provider changed: the place shown needs answers under the new keys, and a
        // place that waited for the person (a rejected key) is asked again.
        m_book->session()->refreshAll();
    });
    connect(m_service, &WeatherService::storeWarning, this, &MainWindow::showTransientMessage);

    // The book keeps the weather current (expiry, back-off, resume, network back); the
    // window shows what it answers.
    connect(m_book, &PlaceBook::shownChanged, this, &MainWindow::onShownChanged);
    connect(m_book, &PlaceBook::answered, this, &MainWindow::onAnswered);
    connect(m_book, &PlaceBook::statusChanged, this, &MainWindow::onStatusChanged);
    connect(m_book, &PlaceBook::requestsFinished, this, &MainWindow::onRequestsFinished);

    // "Here": the button asks, Settings keeps the answer, the tracker (main.cpp) follows it
    // and the book says what came of it.
    m_locationButton = new UseLocationButton;
    m_locationButton->setObjectName(u"useLocationButton"_s);
    ui->weatherCard->addToEmptyPage(m_locationButton);
    connect(m_locationButton, &UseLocationButton::locationToggleRequested, m_settings,
            &Settings::setLocationEnabled);
    connect(m_book, &PlaceBook::hereChanged, this, &MainWindow::updateHere);
    connect(m_settings, &Settings::changed, this, &MainWindow::updateHere);

    // Centred and at most kMaxContentWidth wide (centralwidget's resize widens the side
    // margins); the docks take what is left.
    ui->centralwidget->installEventFilter(this);
    ui->searchBar->setMaximumWidth(kMaxContentWidth);
    ui->weatherCard->setMaximumWidth(kMaxContentWidth);
    ui->centralwidget->setMinimumWidth(kMinContentWidth);
    // The card's wide layout (details beside the temperature) asks for ~600 px; below its
    // narrow width it stacks them, so its minimum is the narrow one, not the wide one's hint.
    // Without this a 700 px screen got a window wider than itself.
    ui->weatherCard->setMinimumWidth(kMinContentWidth - 2 * kSideMargin);
    // Its recent places' buttons give up room before the weather does (they elide).
    ui->searchBar->setMinimumWidth(kMinContentWidth - 2 * kSideMargin);
    // The panel's captions and figures clip below this; it is a dock, so it closes instead.
    ui->cachePanel->setMinimumWidth(kMinDockWidth);
    ui->placesPanel->setMinimumWidth(kMinPlacesWidth - 20);

    if (!restoreGeometry(m_settings->windowGeometry())) {
        // First start: the Designer's 1180 x 720 where the screen has room for it, else the
        // screen's room (a 1024 x 600 netbook, a 700 px wide tiled half), title bar included.
        if (const QScreen *screenNow = screen()) {
            const QSize room = screenNow->availableGeometry().size();
            resize(qMin(width(), room.width()), qMin(height(), room.height() - kTitleBarAllowance));
        }
    }
    if (!restoreState(m_settings->windowState())) {
        // First start, no place saved yet: Places opens with the first one (Ctrl+D), instead
        // of a fifth of the window for one hint sentence (N39).
        if (m_book->saved().isEmpty()) {
            ui->placesDock->hide();
            m_showPlacesWithTheFirst = true;
        }
        // First start: the weather keeps the most. On a small screen the cache panel starts
        // closed (View > Cache status opens it); otherwise it gets room for the entry
        // descriptions. Once shown, when the window has its real size.
        // Before the first show: a dock hidden later leaves the window as wide as it grew.
        const QScreen *screenNow = screen();
        if (screenNow && screenNow->availableGeometry().width() < kRoomForCacheDock)
            ui->cacheDock->hide();
        QTimer::singleShot(0, this, [this] {
            const int room
                = screen() ? qMin(width(), screen()->availableGeometry().width()) : width();
            const int placesWidth = qBound(kMinPlacesWidth, room * 20 / 100, kMaxPlacesWidth);
            const int dockWidth = qBound(kMinDockWidth, room * 32 / 100, kMaxDockWidth);
            resizeDocks({ui->placesDock, ui->cacheDock}, {placesWidth, dockWidth}, Qt::Horizontal);
        });
    }

    setUpHourlyChart();
    makeScrollable();
    // The Places list is the window's navigation: the stop right before the search field
    // (Shift+Tab from it; Tab from Places goes to it), not the last one after every button of
    // the card, the chart and the cache panel. Before, not after: the recent places' buttons,
    // made anew as places are visited, go right after the field.
    setTabOrder(ui->placesPanel->view(), ui->searchBar->lineEdit());
    applySettings();
    updateProviderInfo();
    ui->searchBar->setRecentLocations(m_settings->recentLocations());
    updateActions();
    updateHere();

    // The last place comes back at once: the service answers from its cache (the disk tier
    // of the previous run), even offline.
    const Location last = m_settings->lastLocation();
    if (isUsable(last)) {
        showLocation(last);
    } else {
        ui->searchBar->focusSearch();
        m_firstCurrent = m_firstForecast = true; // nothing to wait for
    }
}

void MainWindow::noteFirstAnswer(PlaceBook::PlaceId id, WeatherKey::Kind kind)
{
    // Another place shown meanwhile (a city on the command line): its answers count.
    if (id != m_book->shown() || hasFirstAnswer())
        return;
    (kind == WeatherKey::Kind::Current ? m_firstCurrent : m_firstForecast) = true;
    if (hasFirstAnswer())
        Q_EMIT firstAnswerShown();
}

MainWindow::~MainWindow() = default;

SearchBar *MainWindow::searchBar() const
{
    return ui->searchBar;
}

WeatherCard *MainWindow::weatherCard() const
{
    return ui->weatherCard;
}

CacheStatusPanel *MainWindow::cachePanel() const
{
    return ui->cachePanel;
}

PlacesPanel *MainWindow::placesPanel() const
{
    return ui->placesPanel;
}

void MainWindow::addShownPlace()
{
    const PlaceBook::PlaceId id = m_book->shown();
    if (!id || m_book->isSaved(id))
        return;
    if (m_book->isFull()) {
        showTransientMessage(tr("The Places list is full (%n places): remove one first.", nullptr,
                                PlacesModel::kMaxPlaces));
        return;
    }
    // The book already keeps it current: the shown place simply stays.
    if (!m_book->saveShown())
        return;
    showTransientMessage(
        tr("%1 was added to your places.").arg(m_book->location(id).displayName()));
}

void MainWindow::highlightShownPlace()
{
    ui->placesPanel->setCurrentRow(m_places->rowOf(m_book->shown()));
}

void MainWindow::showRememberedAnswers(PlaceBook::PlaceId id)
{
    const Location location = m_book->location(id);
    // The chart never shows another place's hours: this one's last, or none yet.
    if (const auto hours = m_book->last<HourlyForecastList>(id, WeatherKey::Kind::Hourly))
        m_hourlyChart->showHours(location, *hours->value);
    else if (!(m_hourlyChart->location() == location))
        m_hourlyChart->clear();
    // Never another place's air or rain: this one's last answers, or nothing yet.
    onAirQuality(id);
    onNowcast(id);
    const auto current = m_book->lastCurrent(id);
    if (!current)
        return;
    // As old as it is now, not as it was when it came.
    WeatherCard *card = ui->weatherCard;
    card->clearError();
    card->showCurrent(location, *current->value, current->source, current->ageMs);
    if (current->source == AnswerSource::Stale)
        card->markOutdated(false);
    if (const auto forecast = m_book->last<DailyForecastList>(id, WeatherKey::Kind::Forecast))
        card->showForecast(location, *forecast->value);
    updateAttribution();
}

void MainWindow::updateTitle()
{
    const PlaceBook::PlaceId id = m_book->shown();
    const auto current = id ? m_book->lastCurrent(id) : std::nullopt;
    if (!current || !ui->weatherCard->hasWeather()) {
        setWindowTitle(tr("WeatherDash"));
        return;
    }
    const QString temperature
        = WeatherCard::temperatureText(current->value->temperature, current->value->units);
    // A title is one plain line.
    setWindowTitle(
        tr("%1 %2 — WeatherDash").arg(DisplayText::plain(m_book->label(id)), temperature));
}

int MainWindow::retryIntervalMs() const
{
    // Across every feed of the shown place: the book's status, not a per-feed max here.
    const qint64 delay = m_book->shown() ? m_book->status(m_book->shown()).retryDelay : 0;
    return delay > 0 ? int(delay) : -1;
}

void MainWindow::showLocation(const Location &location)
{
    if (!isUsable(location))
        return;
    ++m_searchGeneration; // a search still running is no longer wanted
    m_failedQuery.clear();
    load(location, false);
}

void MainWindow::retry()
{
    ui->weatherCard->clearError();
    const QString query = m_failedQuery; // searchAndShow() clears the member
    if (!query.isEmpty())
        searchAndShow(query);
    else
        refresh();
}

void MainWindow::refresh()
{
    if (!isUsable(m_location))
        return;
    // F5 on fresh weather costs no request and changes nothing on screen: say so (N: "F5
    // says nothing").
    const PlaceBook::PlaceId shown = m_book->shown();
    const qint64 now = m_service->cache()->clock()->now();
    if (shown && PlaceBook::sameCoordinates(m_book->location(shown), m_location)) {
        const PlaceBook::Status status = m_book->status(shown);
        if (!status.loading && status.retryDelay == 0 && status.nextUpdate > now
            && ui->weatherCard->hasWeather() && !ui->weatherCard->isErrorVisible()) {
            showTransientMessage(tr("Already up to date; next update in %1")
                                     .arg(CacheEntryModel::formatDuration(
                                         qMax<qint64>(status.nextUpdate - now, 60'000))));
        }
    }
    load(m_location, false);
}

void MainWindow::forceRefresh()
{
    if (isUsable(m_location))
        load(m_location, true);
}

void MainWindow::load(const Location &location, bool forceRefresh)
{
    m_location = location;
    updateActions();
    // The book reuses a saved place's id, else replaces the transient one; the shown place
    // asked again is refreshed (through the cache, or past it). shownChanged does the rest.
    if (!m_book->show(location, forceRefresh))
        return;
    m_location = m_book->location(m_book->shown());
}

void MainWindow::onShownChanged(PlaceBook::PlaceId id)
{
    m_location = m_book->location(id);
    ui->weatherCard->setSaved(m_book->isSaved(id) || id == m_book->here()); // Here moves
    ui->weatherCard->setOwnName(m_book->customLabel(id));
    ui->searchBar->setShownLocation(m_location);
    highlightShownPlace();
    // At once from what the book answered last; the refresh goes through the cache.
    showRememberedAnswers(id);
    // Nothing remembered: the old place's weather dims under "Loading São Paulo…" until the
    // new place's comes (issue 27, N4).
    ui->weatherCard->setLoadingPlace(m_location);
    onAlerts(id); // this place's, or none: never another place's
    updateTitle();
    updateActions(); // Add to Places, now that the place is known
    m_shownLoading = !m_book->status(id).loading; // say it, whichever it is
    onStatusChanged(id);
}

void MainWindow::onStatusChanged(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return;
    const PlaceBook::Status status = m_book->status(id);
    ui->weatherCard->setNextUpdate(status.nextUpdate, status.retryDelay > 0);
    if (status.loading == m_shownLoading)
        return; // a search's "Looking up" stays
    m_shownLoading = status.loading;
    ui->weatherCard->setBusyText(
        status.loading ? tr("Loading %1…").arg(m_book->location(id).displayName()) : QString());
}

void MainWindow::onAnswered(PlaceBook::PlaceId id, WeatherKey::Kind feed)
{
    switch (feed) {
    case WeatherKey::Kind::Current:
        onCurrent(id);
        break;
    case WeatherKey::Kind::Forecast:
        onForecast(id);
        break;
    case WeatherKey::Kind::Hourly:
        onHourly(id);
        break;
    case WeatherKey::Kind::AlertList:
        onAlerts(id);
        break;
    case WeatherKey::Kind::AirQuality:
        onAirQuality(id);
        break;
    case WeatherKey::Kind::Nowcast:
        onNowcast(id);
        break;
    default:
        break; // a feed the window does not show
    }
}

void MainWindow::onAlerts(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return;
    const Location location = m_book->location(id);
    // The place's own offset as the forecast says it, else the geocoder's.
    std::optional<int> offset = location.utcOffsetSeconds;
    if (const auto days = m_book->last<DailyForecastList>(id, WeatherKey::Kind::Forecast);
        days && !days->value->isEmpty() && days->value->constFirst().utcOffsetSeconds)
        offset = days->value->constFirst().utcOffsetSeconds;
    // A failed refresh keeps the last alerts that came (PlaceBook::liveAlerts()).
    const WeatherAlertList alerts = m_book->liveAlerts(id).value_or(WeatherAlertList());
    const Clock *clock = m_service->cache()->clock();
    ui->weatherCard->alertBand()->setAlerts(alerts,
                                            AlertFormat::placeZone(location.timezone, offset),
                                            QDateTime::fromMSecsSinceEpoch(clock->now(), Qt::UTC));
    if (m_tray)
        m_tray->setAlerts(alerts);
}

void MainWindow::onCurrent(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return; // a place in the sidebar, not on the card
    const auto latest = m_book->latest<CurrentConditions>(id, WeatherKey::Kind::Current);
    if (!latest)
        return;
    const WeatherAnswer<CurrentConditions> &answer = *latest;
    const Location location = m_book->location(id);
    WeatherCard *card = ui->weatherCard;
    if (answer.ok()) {
        card->showCurrent(location, *answer.value, answer.source, answer.ageMs);
        // Stale, or a forced refresh that failed over a still-fresh value: either way the
        // person asked for newer weather and must hear why there is none. The book retries
        // by itself.
        updateAttribution(); // this provider's data is on screen now
        if (answer.source == AnswerSource::Stale || answer.error.isError()) {
            card->showError(answer.error.message(), !WeatherSession::needsThePerson(answer.error));
            card->markOutdated(isOffline(answer.error));
        } else {
            card->clearError();
            // Recovered: an error the status bar still said goes now, not 10 s later.
            if (m_statusSaysError)
                statusBar()->clearMessage();
        }
        m_settings->setLastLocation(location);
        m_settings->addRecentLocation(location);
        ui->searchBar->setRecentLocations(m_settings->recentLocations());
        ui->weatherCard->setSaved(m_book->isSaved(id) || id == m_book->here()); // Here moves
        updateTitle();
    } else {
        const QString message = card->hasWeather() && !(card->location() == location)
                                    ? tr("Could not get the weather for %1. %2")
                                          .arg(location.displayName(), answer.error.message())
                                    : answer.error.message();
        card->showError(message, !WeatherSession::needsThePerson(answer.error));
        card->setLoadingPlace({}); // the banner names the place that failed; the card its own
        if (card->location() == location)
            card->markOutdated(isOffline(answer.error));
        // The banner says it; the status bar does not say it (or another error) a second time.
        if (m_statusSaysError)
            statusBar()->clearMessage();
    }
    noteFirstAnswer(id, WeatherKey::Kind::Current);
}

void MainWindow::onHourly(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return; // a place no longer shown
    const auto answer = m_book->latest<HourlyForecastList>(id, WeatherKey::Kind::Hourly);
    const Location location = m_book->location(id);
    if (answer && answer->ok())
        m_hourlyChart->showHours(location, *answer->value);
    else if (!(m_hourlyChart->location() == location))
        m_hourlyChart->clear(); // never another place's hours
}

void MainWindow::onAirQuality(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return;
    AirQualityView *view = ui->weatherCard->airQualityView();
    const auto answer = m_book->latest<AirQuality>(id, WeatherKey::Kind::AirQuality);
    if (!answer) {
        view->clear(); // none asked yet: no row, not a failure
    } else if (answer->ok()) {
        // A stale one says its age; a forced refresh that failed over a fresh value keeps it.
        view->showAirQuality(*answer->value,
                             answer->source == AnswerSource::Stale ? answer->ageMs : 0);
    } else {
        view->showFailure(answer->error); // what is missing, and why; the weather stays
    }
}

void MainWindow::onNowcast(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return;
    const auto answer = m_book->latest<Nowcast>(id, WeatherKey::Kind::Nowcast);
    // No room taken before there is anything to say (the start page, a place just picked).
    m_nowcastStrip->setVisible(answer.has_value());
    if (!answer)
        m_nowcastStrip->clear();
    else if (answer->ok())
        m_nowcastStrip->showNowcast(*answer->value); // read against the clock when painted
    else
        m_nowcastStrip->showFailure(answer->error);
}

void MainWindow::onForecast(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return;
    const auto answer = m_book->latest<DailyForecastList>(id, WeatherKey::Kind::Forecast);
    if (!answer)
        return;
    const Location location = m_book->location(id);
    if (answer->ok()) {
        ui->weatherCard->showForecast(location, *answer->value);
    } else if (ui->weatherCard->location() == location) {
        ui->weatherCard->showForecastUnavailable();
        // The banner may say why already (a rejected key): then not a second time here.
        if (!ui->weatherCard->isErrorVisible())
            showErrorMessage(tr("No forecast: %1").arg(answer->error.message()));
    }
    noteFirstAnswer(id, WeatherKey::Kind::Forecast);
}

void MainWindow::onRequestsFinished(PlaceBook::PlaceId id)
{
    if (id != m_book->shown())
        return;
    ui->weatherCard->setBusyText({});
    ui->weatherCard->setLoadingPlace({}); // nothing more is coming: the card says whose it is
    Q_EMIT weatherRequestsFinished();
}

void MainWindow::requestSuggestions(const QString &query)
{
    m_service->searchLocations(query).then(
        this, [this, query](const WeatherAnswer<QList<Location>> &answer) {
            ui->searchBar->setSuggestions(query, answer.ok() ? *answer.value : QList<Location>());
            if (!answer.ok() && answer.error.kind() != WeatherError::CityNotFound
                && answer.error.kind() != WeatherError::InvalidInput)
                showErrorMessage(answer.error.message());
        });
}

void MainWindow::searchAndShow(const QString &query)
{
    const int generation = ++m_searchGeneration;
    m_failedQuery.clear();
    ui->weatherCard->setBusyText(tr("Looking up %1…").arg(query));
    m_service->searchLocations(query).then(
        this, [this, generation, query](const WeatherAnswer<QList<Location>> &answer) {
            if (generation != m_searchGeneration)
                return;
            if (answer.ok() && !answer.value->isEmpty()) {
                ui->searchBar->setSuggestions(query, *answer.value);
                showLocation(answer.value->first());
                return;
            }
            const WeatherError error
                = answer.ok() ? WeatherError(WeatherError::CityNotFound, {}, query) : answer.error;
            const QString message = error.message();
            // Offline or a server hiccup: the same search may work in a moment.
            const bool retryable = !WeatherSession::needsThePerson(error);
            m_failedQuery = retryable ? query : QString();
            ui->weatherCard->setBusyText({});
            ui->weatherCard->showError(message, retryable); // the banner, not the status bar too
            Q_EMIT searchFailed(message);
        });
}

void MainWindow::invalidateSelected()
{
    const QString key = ui->cachePanel->selectedKey();
    if (key.isEmpty())
        return;
    const QString description = m_service->describeKey(key);
    m_service->invalidate(key); // memory and disk
    showTransientMessage(tr("Dropped “%1” from the cache.").arg(description));
}

void MainWindow::refreshEntry(const QString &key)
{
    const QString description = m_service->describeKey(key);
    // A feed of a place the book keeps goes through its session, so the card, the chart and
    // the Places row show the answer too; any other entry goes to the service.
    if (!m_book->refresh(key, true)) {
        showTransientMessage(
            tr("“%1” was fetched with other settings (provider, units or language); it is "
               "refreshed when those are in use again.")
                .arg(description));
        return;
    }
    showTransientMessage(tr("Asking again for “%1”…").arg(description));
}

void MainWindow::clearCache()
{
    // What is lost and what is kept, in words; the tiers named as they are set up here.
    QStringList where{tr("in memory")};
    for (const TierStats &tier : m_service->layers()->stats().tiers) {
        if (tier.name == u"disk"_s)
            where << tr("on disk");
        else if (tier.name == u"shared"_s)
            where << tr("in the shared cache, for every computer that uses it");
    }
    const QString provider = m_service->provider()->displayName();
    // open(), not exec(): no nested event loop, so answers keep arriving while it asks.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Clear the Cache?"),
                                tr("Drop every cached answer?"), QMessageBox::Cancel, this);
    box->setObjectName(u"clearCacheConfirmation"_s);
    box->setInformativeText(
        tr("Lost: every answer kept %1: the weather, forecasts and place searches. Each place's "
           "next update asks %2 again, and until then there is no older weather to show "
           "offline.")
            .arg(QLocale().createSeparatedList(where), provider)
        + u"\n\n"_s
        + tr("Kept: the weather on screen, your places and their names, your settings, and the "
             "statistics (Reset statistics clears those)."));
    QPushButton *clear = box->addButton(tr("C&lear Cache"), QMessageBox::DestructiveRole);
    clear->setObjectName(u"clearCacheButton"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, clear](QAbstractButton *button) {
        if (button == clear)
            clearCacheNow();
    });
    box->open();
}

void MainWindow::clearCacheNow()
{
    m_service->clearCache(); // memory and disk
    showTransientMessage(tr("The cache is empty."));
}

void MainWindow::showPreferences()
{
    if (m_preferences) {
        m_preferences->raise();
        m_preferences->activateWindow();
        return;
    }
    m_preferences = new PreferencesDialog(m_settings, m_network, this);
    m_preferences->setAttribute(Qt::WA_DeleteOnClose);
    m_preferences->open();
}

void MainWindow::showAbout()
{
    const WeatherProvider *provider = m_service->provider();
    auto *box = new AboutDialog(provider ? provider->attribution() : QString(), this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == ui->centralwidget && event->type() == QEvent::Resize) {
        const int side = qMax(kSideMargin, (ui->centralwidget->width() - kMaxContentWidth) / 2);
        QMargins margins = ui->centralLayout->contentsMargins();
        if (margins.left() != side || margins.right() != side) {
            margins.setLeft(side);
            margins.setRight(side);
            ui->centralLayout->setContentsMargins(margins);
        }
        // The pinned search field, centred, lines up with the card below it: the page's
        // scrollbar, when it shows, takes its width on the right. (Only the small margins: the
        // row's margins count towards the window's minimum width.)
        if (m_searchRow && centralWidget()) {
            const int scrollbar = qMax(0, centralWidget()->width() - ui->centralwidget->width());
            const QMargins row = m_searchRow->contentsMargins();
            if (row.right() != kSideMargin + scrollbar)
                m_searchRow->setContentsMargins(kSideMargin, margins.top(), kSideMargin + scrollbar,
                                                0);
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    if (!m_quitting && m_tray && m_tray->isInTray() && m_settings->keepInTray()) {
        hide(); // still in the tray
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::quit()
{
    m_quitting = true;
    close();
    // Kept in the tray, closing the window no longer ends the application.
    if (!QApplication::quitOnLastWindowClosed())
        QApplication::quit();
}

void MainWindow::setTrayIcon(TrayIcon *tray)
{
    m_tray = tray;
    // The saved places, in the person's order and names (the book's); the recent ones while
    // none is saved.
    const auto trayPlaces = [this] {
        QList<std::pair<Location, QString>> places;
        for (const PlaceBook::PlaceId id : m_book->saved()) {
            const QString own = m_book->customLabel(id);
            places.append(
                {m_book->location(id), own.isEmpty() ? m_book->location(id).displayName() : own});
        }
        if (places.isEmpty()) {
            for (const Location &l : m_settings->recentLocations())
                places.append({l, l.displayName()});
        }
        return places;
    };
    const auto markShownInTray = [this, tray, trayPlaces] {
        const PlaceBook::PlaceId shown = m_book->shown();
        const auto places = trayPlaces();
        int index = -1;
        for (int i = 0; shown && i < places.size() && index < 0; ++i) {
            if (PlaceBook::sameCoordinates(places.at(i).first, m_book->location(shown)))
                index = i;
        }
        tray->setShownPlace(index, shown != 0);
    };
    connect(m_book, &PlaceBook::shownChanged, tray, markShownInTray);
    const auto updatePlaces = [this, tray, trayPlaces, markShownInTray] {
        QStringList names;
        for (const auto &place : trayPlaces())
            names << place.second;
        tray->setPlaces(names);
        markShownInTray();
        // With an icon to come back through, a closed window is only hidden.
        QApplication::setQuitOnLastWindowClosed(!(tray->isInTray() && m_settings->keepInTray()));
    };
    updatePlaces();
    connect(m_settings, &Settings::changed, tray, updatePlaces);
    connect(m_book, &PlaceBook::placesChanged, tray, updatePlaces);
    connect(m_book, &PlaceBook::answered, tray,
            [this, tray](PlaceBook::PlaceId id, WeatherKey::Kind feed) {
                if (id != m_book->shown() || feed != WeatherKey::Kind::Current)
                    return;
                const auto answer = m_book->latest<CurrentConditions>(id, feed);
                if (answer && answer->ok())
                    tray->showWeather(m_book->location(id).name, *answer->value,
                                      answer->source == AnswerSource::Stale);
            });
    // [start] Wired after the first frame: the shown place's answer is on the card already.
    if (const PlaceBook::PlaceId shown = m_book->shown()) {
        onAlerts(shown);
        const auto answer = m_book->latest<CurrentConditions>(shown, WeatherKey::Kind::Current);
        if (answer && answer->ok())
            tray->showWeather(m_book->location(shown).name, *answer->value,
                              answer->source == AnswerSource::Stale);
    }
    connect(tray, &TrayIcon::placeChosen, this, [this, trayPlaces](int index) {
        const auto places = trayPlaces();
        if (index >= 0 && index < places.size())
            showLocation(places.at(index).first);
    });
    connect(tray, &TrayIcon::refreshRequested, this, &MainWindow::refresh);
    connect(tray, &TrayIcon::forceRefreshRequested, this, &MainWindow::forceRefresh);
    connect(tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    connect(tray, &TrayIcon::toggleWindowRequested, this, [this] {
        if (isVisible() && !isMinimized()) {
            m_settings->setWindowGeometry(saveGeometry());
            m_settings->setWindowState(saveState());
            hide();
        } else {
            setWindowState(windowState() & ~Qt::WindowMinimized);
            show();
            raise();
            activateWindow();
        }
    });
}

void MainWindow::applySettings()
{
    m_service->setConfig(m_settings->serviceConfig());
    ui->weatherCard->airQualityView()->setScale(m_settings->airQualityScale());
    updateProviderInfo();
}

void MainWindow::updateProviderInfo()
{
    const WeatherProvider *provider = m_service->provider();
    if (!provider)
        return;
    const QString unit = temperatureUnitText(m_service->config().units);
    m_providerLabel->setText(u"%1 · %2"_s.arg(provider->displayName(), unit));
    // The weather on screen keeps the credit of whoever sent it: after a switch whose first
    // answer failed (a rejected key) it is still the old provider's.
    if (!m_attributionShown || !ui->weatherCard->hasWeather())
        updateAttribution();
}

void MainWindow::updateAttribution()
{
    const WeatherProvider *provider = m_service->provider();
    if (!provider)
        return;
    m_attributionShown = true;
    const QString url = providerOrDefault(provider->id()).homepage.toString();
    // Our own link markup, so rich text; the provider's words in it are escaped.
    ui->weatherCard->setAttribution(
        u"<a href=\"%1\">%2</a>"_s.arg(url, DisplayText::html(provider->attribution())));
}

void MainWindow::updateActions()
{
    const bool hasPlace = isUsable(m_location);
    ui->actionAddPlace->setEnabled(hasPlace && m_book->shown() && !m_book->isSaved(m_book->shown())
                                   && m_book->shown() != m_book->here() && !m_book->isFull());
    ui->actionRefresh->setEnabled(hasPlace);
    ui->actionForceRefresh->setEnabled(hasPlace);
    ui->actionInvalidate->setEnabled(!ui->cachePanel->selectedKey().isEmpty());
}

void MainWindow::setUpHourlyChart()
{
    m_hourlyChart = new HourlyChartWidget(this);
    m_hourlyChart->setObjectName(u"hourlyChart"_s);
    m_hourlyChart->setClock(m_service->cache()->clock());
    ui->centralLayout->insertWidget(ui->centralLayout->indexOf(ui->weatherCard) + 1, m_hourlyChart);
    // Issue 23: the next two hours of rain right above the chart of the next 48.
    m_nowcastStrip = new NowcastStrip(this);
    m_nowcastStrip->setObjectName(u"nowcastStrip"_s);
    m_nowcastStrip->setClock(m_service->cache()->clock());
    m_nowcastStrip->hide(); // until a place's nowcast (or its failure) comes
    ui->centralLayout->insertWidget(ui->centralLayout->indexOf(m_hourlyChart), m_nowcastStrip);
    m_nowcastTick.setInterval(60'000);
    connect(&m_nowcastTick, &QTimer::timeout, m_nowcastStrip, &NowcastStrip::refresh);
    m_nowcastTick.start();
    // The chart right under the card, the room left over below both: on a tall screen a card
    // that took the spare height pushed the chart to the window's bottom edge.
    ui->centralLayout->setStretchFactor(ui->weatherCard, 0);
    ui->centralLayout->addStretch(1);
}

void MainWindow::makeScrollable()
{
    // On a laptop's 800 px the card, the coming days and the hourly chart do not all fit, nor
    // does the cache panel with its rows, summary and timeline: both scroll instead of clipping.
    const auto scrolling = [](QWidget *content) {
        auto *area = new QScrollArea;
        area->setFrameShape(QFrame::NoFrame);
        area->setWidgetResizable(true);
        area->setWidget(content);
        return area;
    };
    QWidget *content = takeCentralWidget();
    // The search field stays above what scrolls: Ctrl+L never types into a field scrolled out
    // of sight (N13).
    ui->centralLayout->removeWidget(ui->searchBar);
    QScrollArea *page = scrolling(content);
    page->setObjectName(u"pageArea"_s);
    // It scrolls down, never sideways: the docks get what the weather leaves, not the other
    // way round (a 700 px window cut the temperature to "26" behind a horizontal scrollbar).
    page->setMinimumWidth(qMax(kMinContentWidth, content->minimumSizeHint().width())
                          + style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    auto *frame = new QWidget;
    frame->setObjectName(u"pageFrame"_s);
    auto *frameLayout = new QVBoxLayout(frame);
    frameLayout->setContentsMargins(0, 0, 0, 0);
    frameLayout->setSpacing(0);
    m_searchRow = new QHBoxLayout;
    const QMargins margins = ui->centralLayout->contentsMargins();
    m_searchRow->setContentsMargins(margins.left(), margins.top(), margins.right(), 0);
    // As wide as the card (kMaxContentWidth at most), centred: the spaces either side get
    // what the field cannot take.
    m_searchRow->addStretch(1);
    m_searchRow->addWidget(ui->searchBar, 1000);
    m_searchRow->addStretch(1);
    frameLayout->addLayout(m_searchRow);
    frameLayout->addWidget(page, 1);
    setCentralWidget(frame);
    QScrollArea *panel = scrolling(ui->cacheDock->widget());
    // Tabbed with Places, the dock is as wide as the panel's narrowest form, not Places' 170 px.
    panel->setMinimumWidth(ui->cachePanel->minimumWidth()
                           + style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    ui->cacheDock->setWidget(panel);
}

void MainWindow::fitCacheDock()
{
    QDockWidget *dock = ui->cacheDock;
    if (dock->isFloating() || !tabifiedDockWidgets(dock).isEmpty())
        return;
    const int separator = style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent, nullptr, this);
    int needed
        = centralWidget()->minimumSizeHint().width() + dock->minimumSizeHint().width() + separator;
    QDockWidget *places = ui->placesDock;
    const bool placesDocked = !places->isHidden() && !places->isFloating();
    if (placesDocked && dockWidgetArea(places) != dockWidgetArea(dock))
        needed += places->minimumSizeHint().width() + separator;
    if (width() >= needed)
        return;
    if (placesDocked) {
        tabifyDockWidget(places, dock);
        dock->raise();
        return;
    }
    // No Places to share with: beside the window, over it where the screen ends.
    dock->setFloating(true);
    const QRect screenRect = screen() ? screen()->availableGeometry() : geometry();
    const int dockWidth = qMin(kMinDockWidth + 40, screenRect.width() / 2); // compact
    const QRect frame = frameGeometry();
    const int x = qBound(screenRect.left(), frame.right() + 1, screenRect.right() + 1 - dockWidth);
    dock->setGeometry(x, geometry().top(), dockWidth, height());
}

void MainWindow::showErrorMessage(const QString &message)
{
    showTransientMessage(message);
    m_statusSaysError = true;
}

void MainWindow::updateHere()
{
    const bool on = m_settings->locationEnabled();
    m_locationButton->setLocationEnabled(on);
    const PlaceBook::PlaceId here = m_book->here();
    const QString problem = on ? m_book->hereProblem() : QString();
    if (here)
        m_locationButton->setHere(m_book->location(here), NominatimParser::attribution());
    else if (on)
        m_locationButton->setProblem(problem.isEmpty() ? tr("Looking for where you are…")
                                                       : problem);
    // With a place on screen the start page is hidden: the sentence goes to the status bar.
    if (!problem.isEmpty() && problem != m_hereProblemSaid && m_book->shown())
        showTransientMessage(problem);
    m_hereProblemSaid = problem;
    // Nothing on screen yet: Here is what the person asked to see. Never in place of a pick.
    if (here && !m_book->shown())
        load(m_book->location(here), false);
}

void MainWindow::showTransientMessage(const QString &message)
{
    m_statusSaysError = false;
    // Errors quoting a server or a query, the store's warnings: one plain line.
    statusBar()->showMessage(DisplayText::plain(message), kMessageTimeoutMs);
}

void MainWindow::revealShownPlaceInCache()
{
    if (ui->cacheDock->isHidden())
        fitCacheDock(); // a narrow window tabs or floats it before it shows
    ui->cacheDock->show();
    ui->cacheDock->raise();
    ui->cachePanel->revealPlace(m_service->currentKey(ui->weatherCard->location()));
}
