// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "ui_mainwindow.h"

#include "cachestatuspanel.h"
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
    connect(ui->cachePanel, &CacheStatusPanel::selectionChanged, this, &MainWindow::updateActions);

    // Settings apply without a restart; several setters in a row apply once.
    m_applySettingsTimer.setSingleShot(true);
    m_applySettingsTimer.setInterval(0);
    connect(&m_applySettingsTimer, &QTimer::timeout, this, &MainWindow::applySettings);
    connect(m_settings, &Settings::changed, &m_applySettingsTimer, qOverload<>(&QTimer::start));
    connect(m_service, &WeatherService::configChanged, this, [this] {
        updateProviderInfo();
        // Units or provider changed: the place shown needs answers under the new keys.
        if (isUsable(m_location))
            load(m_location, false);
    });
    connect(m_service, &WeatherService::storeWarning, this, &MainWindow::showTransientMessage);

    // The weather keeps itself current: when the shown place's entry expires, it is
    // fetched again through the cache (only what expired costs a request). Both entries
    // expiring in one turn make one refresh.
    m_autoRefreshTimer.setSingleShot(true);
    m_autoRefreshTimer.setInterval(0);
    connect(&m_autoRefreshTimer, &QTimer::timeout, this, &MainWindow::refresh);
    connect(m_service->cache(), &AsyncCacheBase::entryExpired, this, &MainWindow::onEntryExpired);
    // After a failure (offline, server down), try again later instead of waiting for F5.
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &MainWindow::refresh);

    restoreGeometry(m_settings->windowGeometry());
    if (!restoreState(m_settings->windowState())) {
        // First start: room for the entry descriptions, the card keeps the most. Once shown,
        // when the window has its real size.
        QTimer::singleShot(0, this, [this] {
            const int dockWidth = qBound(kMinDockWidth, width() * 40 / 100, kMaxDockWidth);
            resizeDocks({ui->cacheDock}, {dockWidth}, Qt::Horizontal);
        });
    }

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
    return m_retryTimer.isActive() ? m_retryTimer.interval() : -1;
}

void MainWindow::onEntryExpired(const QString &key)
{
    if (isUsable(m_location)
        && (key == m_service->currentKey(m_location) || key == m_service->forecastKey(m_location)))
        m_autoRefreshTimer.start();
}

void MainWindow::scheduleRetry()
{
    constexpr int kFirstRetryMs = 60'000;
    constexpr int kLongestRetryMs = 15 * 60'000;
    const int next = m_retryTimer.isActive() || m_retryTimer.interval() >= kFirstRetryMs
                         ? qMin(m_retryTimer.interval() * 2, kLongestRetryMs)
                         : kFirstRetryMs;
    m_retryTimer.start(next);
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
    const int generation = ++m_generation;
    m_pending = 2;
    ui->weatherCard->setBusyText(tr("Loading %1…").arg(location.displayName()));
    updateActions();

    m_service->current(location, forceRefresh)
        .then(this, [this, generation, location](const WeatherAnswer<CurrentConditions> &answer) {
            onCurrent(generation, location, answer);
        });
    m_service->forecast(location, forceRefresh)
        .then(this, [this, generation, location](const WeatherAnswer<DailyForecastList> &answer) {
            onForecast(generation, location, answer);
        });
}

void MainWindow::onCurrent(int generation, const Location &location,
                           const WeatherAnswer<CurrentConditions> &answer)
{
    if (generation != m_generation)
        return; // an answer for a place no longer asked for
    WeatherCard *card = ui->weatherCard;
    if (answer.ok()) {
        card->showCurrent(location, *answer.value, answer.source, answer.ageMs);
        // Stale, or a forced refresh that failed over a still-fresh value: either way the
        // person asked for newer weather and must hear why there is none.
        if (answer.source == AnswerSource::Stale || answer.error.isError()) {
            card->showError(answer.error.message());
            card->markOutdated(isOffline(answer.error));
            scheduleRetry();
        } else {
            card->clearError();
            m_retryTimer.stop();
            m_retryTimer.setInterval(0);
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
        // Not for a place that does not exist or a key the provider refuses: those need
        // the person, and retrying them is what gets keys banned.
        const WeatherError::Kind kind = answer.error.kind();
        if (kind != WeatherError::CityNotFound && kind != WeatherError::ApiKeyRejected
            && kind != WeatherError::ApiKeyMissing && kind != WeatherError::InvalidInput)
            scheduleRetry();
    }
    requestFinished(generation);
}

void MainWindow::onForecast(int generation, const Location &location,
                            const WeatherAnswer<DailyForecastList> &answer)
{
    if (generation != m_generation)
        return;
    if (answer.ok()) {
        ui->weatherCard->showForecast(location, *answer.value);
    } else if (ui->weatherCard->location() == location) {
        ui->weatherCard->showForecastUnavailable();
        showTransientMessage(tr("No forecast: %1").arg(answer.error.message()));
    }
    requestFinished(generation);
}

void MainWindow::requestFinished(int generation)
{
    if (generation != m_generation || --m_pending > 0)
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

void MainWindow::showTransientMessage(const QString &message)
{
    // Errors quoting a server or a query, the store's warnings: one plain line.
    statusBar()->showMessage(DisplayText::plain(message), kMessageTimeoutMs);
}
