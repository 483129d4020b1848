// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "ui_mainwindow.h"

#include "themecolors.h" // window branch

#include "cachestatuspanel.h"
#include "hourlychartwidget.h"
#include "models/displaytext.h"
#include "models/placesmodel.h"
#include "placespanel.h"
#include "preferencesdialog.h"
#include "searchbar.h"
#include "trayicon.h"
#include "weather/providerfactory.h"
#include "weather/settings.h"
#include "weather/weatherprovider.h"
#include "weathercard.h"
#include "weathericons.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>

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
    , m_session(new WeatherSession(service, service->cache()->clock(), this))
    , m_places(new PlacesModel(this))
{
    ui->setupUi(this);
    ThemeColors::keepPlaceholdersReadable(this); // window branch: dark themes (issue 27)
    setWindowIcon(WeatherIcons::appIcon());
    m_providerLabel->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_providerLabel);

    QAction *toggleDock = ui->cacheDock->toggleViewAction();
    toggleDock->setText(tr("&Cache Status Panel"));
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
    ui->cachePanel->setSession(m_session);

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
    connect(m_places, &PlacesModel::placesChanged, this, [this] {
        m_settings->setSavedPlaces(m_places->places());
        updateTitle(); // a rename
    });
    connect(m_places, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                onPlacesAboutToBeRemoved(first, last);
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
        m_session->refreshAll();
    });
    connect(m_service, &WeatherService::storeWarning, this, &MainWindow::showTransientMessage);

    // The session keeps the weather current (expiry, back-off, resume, network back); the
    // window shows what it answers.
    connect(m_session, &WeatherSession::currentAnswered, this, &MainWindow::onCurrent);
    connect(m_session, &WeatherSession::forecastAnswered, this, &MainWindow::onForecast);
    connect(m_session, &WeatherSession::loadingChanged, this, &MainWindow::onLoadingChanged);
    connect(m_session, &WeatherSession::requestsFinished, this, &MainWindow::onRequestsFinished);
    connect(m_session, &WeatherSession::nextUpdateChanged, this,
            [this](WeatherSession::PlaceId id, qint64 at) {
                if (id == m_placeId)
                    ui->weatherCard->setNextUpdate(at, retryIntervalMs() > 0);
            });

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
    // The panel's captions and figures clip below this; it is a dock, so it closes instead.
    ui->cachePanel->setMinimumWidth(kMinDockWidth);
    ui->placesPanel->setMinimumWidth(kMinPlacesWidth - 20);

    restoreGeometry(m_settings->windowGeometry());
    if (!restoreState(m_settings->windowState())) {
        // First start: the weather keeps the most. On a small screen the cache panel starts
        // closed (View > Cache Status Panel opens it); otherwise it gets room for the entry
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
    applySettings();
    updateProviderInfo();
    loadSavedPlaces();
    ui->searchBar->setRecentLocations(m_settings->recentLocations());
    updateActions();

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

void MainWindow::noteFirstAnswer(WeatherSession::PlaceId id, WeatherKey::Kind kind)
{
    // Another place shown meanwhile (a city on the command line): its answers count.
    if (id != m_placeId || hasFirstAnswer())
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

void MainWindow::loadSavedPlaces()
{
    // Every saved place is kept current by the session; the disk tier answers at once.
    m_places->setPlaces(m_settings->savedPlaces());
    for (int row = 0; row < m_places->rowCount(); ++row)
        m_places->setPlaceId(row, m_session->addPlace(m_places->locationAt(row)));
}

void MainWindow::addShownPlace()
{
    if (!isUsable(m_location) || !m_placeId)
        return;
    if (m_places->indexOf(m_location) >= 0)
        return;
    if (m_places->isFull()) {
        showTransientMessage(tr("The Places list is full (%n places): remove one first.", nullptr,
                                PlacesModel::kMaxPlaces));
        return;
    }
    const Location location = m_session->location(m_placeId);
    const int row = m_places->addPlace(location);
    if (row < 0)
        return;
    // The session already keeps it current: the shown place simply stays.
    m_places->setPlaceId(row, m_placeId);
    if (m_transientId == m_placeId)
        m_transientId = 0;
    const auto it = m_lastCurrent.constFind(m_placeId);
    if (it != m_lastCurrent.constEnd() && it->ok())
        m_places->setWeather(
            row, *it->value,
            WeatherCard::temperatureText(it->value->temperature, it->value->units));
    ui->placesPanel->setCurrentRow(row);
    ui->weatherCard->setSaved(true);
    updateActions();
    updateTitle();
    showTransientMessage(tr("%1 was added to your places.").arg(location.displayName()));
}

void MainWindow::onPlacesAboutToBeRemoved(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        const WeatherSession::PlaceId id
            = m_places->index(row).data(PlacesModel::PlaceIdRole).toInt();
        if (!id)
            continue;
        if (id == m_placeId) {
            // Still on screen: kept current until another place is shown.
            m_transientId = id;
            ui->weatherCard->setSaved(false);
        } else {
            forgetPlace(id);
        }
    }
    QTimer::singleShot(0, this, [this] {
        updateActions();
        updateTitle();
    });
}

void MainWindow::forgetPlace(WeatherSession::PlaceId id)
{
    m_session->removePlace(id);
    m_lastCurrent.remove(id);
    m_lastForecast.remove(id);
}

void MainWindow::showRememberedAnswers(WeatherSession::PlaceId id)
{
    const Location location = m_session->location(id);
    const auto current = m_lastCurrent.constFind(id);
    if (current == m_lastCurrent.constEnd() || !current->ok())
        return;
    // As old as it is now, not as it was when it came.
    WeatherCard *card = ui->weatherCard;
    card->clearError();
    card->showCurrent(location, *current->value, current->source, current->ageMs);
    if (current->source == AnswerSource::Stale)
        card->markOutdated(false);
    const auto forecast = m_lastForecast.constFind(id);
    if (forecast != m_lastForecast.constEnd() && forecast->ok())
        card->showForecast(location, *forecast->value);
    updateAttribution();
}

void MainWindow::updateTitle()
{
    const auto it = m_lastCurrent.constFind(m_placeId);
    if (!m_placeId || it == m_lastCurrent.constEnd() || !it->ok()
        || !ui->weatherCard->hasWeather()) {
        setWindowTitle(tr("WeatherDash"));
        return;
    }
    const int row = m_places->rowForPlaceId(m_placeId);
    const QString name
        = row >= 0 ? m_places->shortLabel(row) : m_session->location(m_placeId).name.trimmed();
    const QString temperature
        = WeatherCard::temperatureText(it->value->temperature, it->value->units);
    // A title is one plain line.
    setWindowTitle(tr("%1 %2 — WeatherDash").arg(DisplayText::plain(name), temperature));
}

int MainWindow::retryIntervalMs() const
{
    // Every feed the session keeps, as its next update does: a failed hourly forecast retries too.
    const qint64 delay = std::max({m_session->retryDelay(m_placeId, WeatherKey::Kind::Current),
                                   m_session->retryDelay(m_placeId, WeatherKey::Kind::Forecast),
                                   m_session->retryDelay(m_placeId, WeatherKey::Kind::Hourly)});
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
    if (isUsable(m_location))
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
    const int row = m_places->indexOf(location);
    WeatherSession::PlaceId id
        = row >= 0 ? m_places->index(row).data(PlacesModel::PlaceIdRole).toInt() : 0;
    if (!id && m_transientId
        && PlacesModel::sameCoordinates(m_session->location(m_transientId), location))
        id = m_transientId;
    if (id && id == m_placeId) {
        m_session->refresh(m_placeId, forceRefresh);
        return;
    }
    // Another place. One that is not saved is forgotten by the session, so its late answers
    // are dropped; saved ones stay current in the sidebar.
    if (m_transientId && m_transientId != id) {
        forgetPlace(m_transientId);
        m_transientId = 0;
    }
    const bool known = id != 0;
    if (!known) {
        id = m_session->addPlace(location);
        m_transientId = id;
    }
    m_placeId = id;
    m_location = m_session->location(id);
    ui->weatherCard->setSaved(row >= 0);
    ui->searchBar->setShownLocation(m_location);
    ui->placesPanel->setCurrentRow(row);
    // At once from what the session answered last; the refresh goes through the cache.
    showRememberedAnswers(id);
    updateTitle();
    updateActions(); // Add to Places, now that the place is known
    if (known || forceRefresh)
        m_session->refresh(id, forceRefresh);
    onLoadingChanged(m_placeId, m_session->isLoading(m_placeId)); // said before the id was ours
}

void MainWindow::onLoadingChanged(WeatherSession::PlaceId id, bool loading)
{
    if (id != m_placeId)
        return;
    ui->weatherCard->setBusyText(
        loading ? tr("Loading %1…").arg(m_session->location(id).displayName()) : QString());
}

void MainWindow::onCurrent(WeatherSession::PlaceId id, const Location &location,
                           const WeatherAnswer<CurrentConditions> &answer)
{
    const int row = m_places->rowForPlaceId(id);
    if (answer.ok()) {
        m_lastCurrent.insert(id, answer);
        const bool old = answer.source == AnswerSource::Stale || answer.error.isError();
        if (row >= 0)
            m_places->setWeather(
                row, *answer.value,
                WeatherCard::temperatureText(answer.value->temperature, answer.value->units),
                old ? answer.error.message() : QString());
    } else if (row >= 0) {
        m_places->setProblem(row, answer.error.message());
    }
    if (id != m_placeId)
        return; // a place in the sidebar, not on the card
    WeatherCard *card = ui->weatherCard;
    if (answer.ok()) {
        card->showCurrent(location, *answer.value, answer.source, answer.ageMs);
        // Stale, or a forced refresh that failed over a still-fresh value: either way the
        // person asked for newer weather and must hear why there is none. The session
        // retries by itself.
        updateAttribution(); // this provider's data is on screen now
        if (answer.source == AnswerSource::Stale || answer.error.isError()) {
            card->showError(answer.error.message(), !WeatherSession::needsThePerson(answer.error));
            card->markOutdated(isOffline(answer.error));
        } else {
            card->clearError();
        }
        m_settings->setLastLocation(location);
        m_settings->addRecentLocation(location);
        ui->searchBar->setRecentLocations(m_settings->recentLocations());
        ui->weatherCard->setSaved(row >= 0);
        updateTitle();
    } else {
        const QString message = card->hasWeather() && !(card->location() == location)
                                    ? tr("Could not get the weather for %1. %2")
                                          .arg(location.displayName(), answer.error.message())
                                    : answer.error.message();
        card->showError(message, !WeatherSession::needsThePerson(answer.error));
        if (card->location() == location)
            card->markOutdated(isOffline(answer.error));
        showTransientMessage(message);
    }
    noteFirstAnswer(id, WeatherKey::Kind::Current);
}

void MainWindow::onForecast(WeatherSession::PlaceId id, const Location &location,
                            const WeatherAnswer<DailyForecastList> &answer)
{
    if (answer.ok())
        m_lastForecast.insert(id, answer);
    if (id != m_placeId)
        return;
    if (answer.ok()) {
        ui->weatherCard->showForecast(location, *answer.value);
    } else if (ui->weatherCard->location() == location) {
        ui->weatherCard->showForecastUnavailable();
        showTransientMessage(tr("No forecast: %1").arg(answer.error.message()));
    }
    noteFirstAnswer(id, WeatherKey::Kind::Forecast);
}

void MainWindow::onRequestsFinished(WeatherSession::PlaceId id)
{
    if (id != m_placeId)
        return;
    ui->weatherCard->setBusyText({});
    Q_EMIT weatherRequestsFinished();
}

void MainWindow::requestSuggestions(const QString &query)
{
    m_service->searchLocations(query).then(
        this, [this, query](const WeatherAnswer<QList<Location>> &answer) {
            ui->searchBar->setSuggestions(query, answer.ok() ? *answer.value : QList<Location>());
            if (!answer.ok() && answer.error.kind() != WeatherError::CityNotFound
                && answer.error.kind() != WeatherError::InvalidInput)
                showTransientMessage(answer.error.message());
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
            ui->weatherCard->showError(message, retryable);
            showTransientMessage(message);
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
    const bool shown = m_placeId
                       && (key == m_service->currentKey(m_location)
                           || key == m_service->forecastKey(m_location));
    if (shown) {
        m_session->refresh(m_placeId, true); // the card shows the answer too
    } else if (!m_service->refreshKey(key)) {
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
    // open(), not exec(): no nested event loop, so answers keep arriving while it asks.
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Clear the Cache?"),
        tr("Drop every cached answer, in memory and on disk? The weather shown stays on screen; "
           "the next refresh fetches it again."),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Yes)
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
    auto *box = new QMessageBox(
        QMessageBox::NoIcon, tr("About WeatherDash"),
        tr("<h3>WeatherDash %1</h3>"
           "<p>Current weather and the coming days for any city, with a live view of the "
           "cache that keeps requests to the weather service few.</p>"
           "<p>%2</p><p>Built with Qt %3.</p>")
            .arg(QStringLiteral(WEATHERDASH_VERSION),
                 // Rich text of our own: the provider's words escaped.
                 provider ? DisplayText::html(provider->attribution()) : QString(),
                 QString::fromLatin1(qVersion())),
        QMessageBox::Ok, this);
    box->setIconPixmap(windowIcon().pixmap(64, 64));
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
    // The saved places, in the person's order and names; the recent ones while none is saved.
    const auto trayPlaces = [this] {
        QList<std::pair<Location, QString>> places;
        for (const SavedPlace &p : m_settings->savedPlaces())
            places.append({p.location, p.label.isEmpty() ? p.location.displayName() : p.label});
        if (places.isEmpty()) {
            for (const Location &l : m_settings->recentLocations())
                places.append({l, l.displayName()});
        }
        return places;
    };
    const auto updatePlaces = [this, tray, trayPlaces] {
        QStringList names;
        for (const auto &place : trayPlaces())
            names << place.second;
        tray->setPlaces(names);
        // With an icon to come back through, a closed window is only hidden.
        QApplication::setQuitOnLastWindowClosed(!(tray->isInTray() && m_settings->keepInTray()));
    };
    updatePlaces();
    connect(m_settings, &Settings::changed, tray, updatePlaces);
    connect(m_session, &WeatherSession::currentAnswered, tray,
            [this, tray](WeatherSession::PlaceId id, const Location &location,
                         const WeatherAnswer<CurrentConditions> &answer) {
                if (id == m_placeId && answer.ok())
                    tray->showWeather(location.name, *answer.value,
                                      answer.source == AnswerSource::Stale);
            });
    // [start] Wired after the first frame: the shown place's answer is on the card already.
    if (const auto it = m_lastCurrent.constFind(m_placeId);
        m_placeId && it != m_lastCurrent.constEnd() && it->ok())
        tray->showWeather(m_session->location(m_placeId).name, *it->value,
                          it->source == AnswerSource::Stale);
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
    ui->actionAddPlace->setEnabled(hasPlace && m_placeId && m_places->indexOf(m_location) < 0
                                   && !m_places->isFull());
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
    // The chart right under the card, the room left over below both: on a tall screen a card
    // that took the spare height pushed the chart to the window's bottom edge.
    ui->centralLayout->setStretchFactor(ui->weatherCard, 0);
    ui->centralLayout->addStretch(1);
    connect(m_session, &WeatherSession::hourlyAnswered, this,
            [this](WeatherSession::PlaceId id, const Location &location,
                   const WeatherAnswer<HourlyForecastList> &answer) {
                if (id != m_placeId)
                    return; // a place no longer shown
                if (answer.ok())
                    m_hourlyChart->showHours(location, *answer.value);
                else if (!(m_hourlyChart->location() == location))
                    m_hourlyChart->clear(); // never another place's hours
            });
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
    setCentralWidget(scrolling(takeCentralWidget()));
    ui->cacheDock->setWidget(scrolling(ui->cacheDock->widget()));
}

void MainWindow::showTransientMessage(const QString &message)
{
    // Errors quoting a server or a query, the store's warnings: one plain line.
    statusBar()->showMessage(DisplayText::plain(message), kMessageTimeoutMs);
}

void MainWindow::revealShownPlaceInCache()
{
    ui->cacheDock->show();
    ui->cacheDock->raise();
    ui->cachePanel->revealPlace(m_service->currentKey(ui->weatherCard->location()));
}
