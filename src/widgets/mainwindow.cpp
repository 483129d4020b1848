// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "ui_mainwindow.h"

#include "cachestatuspanel.h"
#include "hourlychartwidget.h"
#include "models/displaytext.h"
#include "preferencesdialog.h"
#include "searchbar.h"
#include "weather/settings.h"
#include "weather/weatherprovider.h"
#include "weathercard.h"
#include "weathericons.h"

#include <QCloseEvent>
#include <QLabel>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMessageTimeoutMs = 10'000;
constexpr int kMinDockWidth = 280;
constexpr int kMaxDockWidth = 540;

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
{
    ui->setupUi(this);
    setWindowIcon(WeatherIcons::appIcon());
    m_providerLabel->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_providerLabel);

    QAction *toggleDock = ui->cacheDock->toggleViewAction();
    toggleDock->setText(tr("&Cache Status Panel"));
    toggleDock->setShortcut(QKeySequence(u"Ctrl+Shift+C"_s));
    ui->menuView->addAction(toggleDock);

    ui->weatherCard->setClock(m_service->cache()->clock());
    ui->cachePanel->setService(m_service);
    ui->cachePanel->setSession(m_session);

    // Menus
    connect(ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(ui->actionFindCity, &QAction::triggered, ui->searchBar, &SearchBar::focusSearch);
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
    connect(ui->weatherCard, &WeatherCard::retryRequested, this, &MainWindow::refresh);
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

    restoreGeometry(m_settings->windowGeometry());
    if (!restoreState(m_settings->windowState())) {
        // First start: room for the entry descriptions, the card keeps the most. Once shown,
        // when the window has its real size.
        QTimer::singleShot(0, this, [this] {
            const int dockWidth = qBound(kMinDockWidth, width() * 40 / 100, kMaxDockWidth);
            resizeDocks({ui->cacheDock}, {dockWidth}, Qt::Horizontal);
        });
    }

    setUpHourlyChart();
    applySettings();
    updateProviderInfo();
    ui->searchBar->setRecentLocations(m_settings->recentLocations());
    updateActions();

    // The last place comes back at once: the service answers from its cache (the disk tier
    // of the previous run), even offline.
    const Location last = m_settings->lastLocation();
    if (isUsable(last))
        showLocation(last);
    else
        ui->searchBar->focusSearch();
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

int MainWindow::retryIntervalMs() const
{
    const qint64 delay = qMax(m_session->retryDelay(m_placeId, WeatherKey::Kind::Current),
                              m_session->retryDelay(m_placeId, WeatherKey::Kind::Forecast));
    return delay > 0 ? int(delay) : -1;
}

void MainWindow::showLocation(const Location &location)
{
    if (!isUsable(location))
        return;
    ++m_searchGeneration; // a search still running is no longer wanted
    load(location, false);
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
    if (m_placeId && m_session->location(m_placeId) == location) {
        m_session->refresh(m_placeId, forceRefresh);
        return;
    }
    // Another place: the session forgets the old one, so its late answers are dropped.
    m_placeId = m_session->showPlace(location);
    if (forceRefresh)
        m_session->refresh(m_placeId, true);
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
    if (id != m_placeId)
        return; // an answer for a place no longer shown
    WeatherCard *card = ui->weatherCard;
    if (answer.ok()) {
        card->showCurrent(location, *answer.value, answer.source, answer.ageMs);
        // Stale, or a forced refresh that failed over a still-fresh value: either way the
        // person asked for newer weather and must hear why there is none. The session
        // retries by itself.
        if (answer.source == AnswerSource::Stale || answer.error.isError()) {
            card->showError(answer.error.message());
            card->markOutdated(isOffline(answer.error));
        } else {
            card->clearError();
        }
        m_settings->setLastLocation(location);
        m_settings->addRecentLocation(location);
        ui->searchBar->setRecentLocations(m_settings->recentLocations());
    } else {
        const QString message = card->hasWeather() && !(card->location() == location)
                                    ? tr("Could not get the weather for %1. %2")
                                          .arg(location.displayName(), answer.error.message())
                                    : answer.error.message();
        card->showError(message);
        if (card->location() == location)
            card->markOutdated(isOffline(answer.error));
        showTransientMessage(message);
    }
}

void MainWindow::onForecast(WeatherSession::PlaceId id, const Location &location,
                            const WeatherAnswer<DailyForecastList> &answer)
{
    if (id != m_placeId)
        return;
    if (answer.ok()) {
        ui->weatherCard->showForecast(location, *answer.value);
    } else if (ui->weatherCard->location() == location) {
        ui->weatherCard->showForecastUnavailable();
        showTransientMessage(tr("No forecast: %1").arg(answer.error.message()));
    }
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
    ui->weatherCard->setBusyText(tr("Looking for “%1”…").arg(query));
    m_service->searchLocations(query).then(
        this, [this, generation, query](const WeatherAnswer<QList<Location>> &answer) {
            if (generation != m_searchGeneration)
                return;
            if (answer.ok() && !answer.value->isEmpty()) {
                ui->searchBar->setSuggestions(query, *answer.value);
                showLocation(answer.value->first());
                return;
            }
            const QString message
                = answer.ok() ? WeatherError(WeatherError::CityNotFound, {}, query).message()
                              : answer.error.message();
            ui->weatherCard->setBusyText({});
            ui->weatherCard->showError(message);
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    QMainWindow::closeEvent(event);
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
    const QString url = provider->id() == u"openweathermap"_s ? u"https://openweathermap.org/"_s
                                                              : u"https://open-meteo.com/"_s;
    // Our own link markup, so rich text; the provider's words in it are escaped.
    ui->weatherCard->setAttribution(
        u"<a href=\"%1\">%2</a>"_s.arg(url, DisplayText::html(provider->attribution())));
}

void MainWindow::updateActions()
{
    const bool hasPlace = isUsable(m_location);
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

void MainWindow::showTransientMessage(const QString &message)
{
    // Errors quoting a server or a query, the store's warnings: one plain line.
    statusBar()->showMessage(DisplayText::plain(message), kMessageTimeoutMs);
}
