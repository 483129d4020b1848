// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"
#include "weather/weatherservice.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class CacheStatusPanel;
class PreferencesDialog;
class QLabel;
class QNetworkAccessManager;
class SearchBar;
class Settings;
class WeatherCard;

namespace Ui {
class MainWindow;
}

/**
 * The WeatherDash window: search bar and weather card in the middle, the cache status panel
 * docked beside them, menus for refreshing, the cache, settings and help.
 *
 * It wires the pages to the service: the pages only report what the person did; all requests
 * go through WeatherService here. Requests never block. Each place shown gets a new request
 * generation, so a late answer for a place no longer wanted is dropped.
 *
 * The service, the settings and the network manager are borrowed and must outlive the window.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(WeatherService *service, Settings *settings, QNetworkAccessManager *network,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    /** The place asked for last (its weather may still be on its way). */
    Location requestedLocation() const { return m_location; }

    SearchBar *searchBar() const;
    WeatherCard *weatherCard() const;
    CacheStatusPanel *cachePanel() const;

    /** Milliseconds until the next automatic retry after a failure; -1 when none is due. */
    int retryIntervalMs() const;

public Q_SLOTS:
    void showLocation(const Location &location);
    /** F5: through the cache, so a fresh answer costs no request. */
    void refresh();
    /** Ctrl+Shift+R: fetch again now, whatever the cache holds. */
    void forceRefresh();
    void invalidateSelected();
    /** Asks first. */
    void clearCache();
    void clearCacheNow();
    void showPreferences();
    void showAbout();
    /** A sentence in the status bar for a while (disk warnings, routine failures). */
    void showTransientMessage(const QString &message);

Q_SIGNALS:
    /** Both answers (current and forecast) for the place asked for last have arrived. */
    void weatherRequestsFinished();
    /** A search typed and submitted found nothing or failed; the message is on screen. */
    void searchFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void load(const Location &location, bool forceRefresh);
    void onCurrent(int generation, const Location &location,
                   const WeatherAnswer<CurrentConditions> &answer);
    void onForecast(int generation, const Location &location,
                    const WeatherAnswer<DailyForecastList> &answer);
    void requestFinished(int generation);
    void requestSuggestions(const QString &query);
    void searchAndShow(const QString &query);
    void applySettings();
    void updateProviderInfo();
    void updateActions();
    void onEntryExpired(const QString &key);
    void scheduleRetry();

    std::unique_ptr<Ui::MainWindow> ui;
    WeatherService *m_service;
    Settings *m_settings;
    QNetworkAccessManager *m_network;
    QLabel *m_providerLabel;
    QPointer<PreferencesDialog> m_preferences; // open while shown, deleted on close
    QTimer m_applySettingsTimer;
    QTimer m_autoRefreshTimer; // the shown place's entry expired: refresh through the cache
    QTimer m_retryTimer; // the last load failed: try again later, backing off
    Location m_location;
    int m_generation = 0;
    int m_searchGeneration = 0;
    int m_pending = 0;
};
