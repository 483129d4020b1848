// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"
#include "weather/weatherservice.h"
#include "weather/weathersession.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class CacheStatusPanel;
class HourlyChartWidget;
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
 * It wires and displays: the pages only report what the person did, a WeatherSession keeps
 * the shown place's weather current (refresh at expiry, retry with back-off, a refresh after
 * a resume or when the network comes back), and its answers are shown here. Searches go to
 * the WeatherService. Requests never block; an answer for a place no longer shown is dropped
 * by the session.
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

    /** What keeps the shown place current; wire resume and network signals to it. */
    WeatherSession *session() const { return m_session; }

    /** The back-off now in effect after a failure of the shown place; -1 when none. */
    int retryIntervalMs() const;

public Q_SLOTS:
    void showLocation(const Location &location);
    /** F5: through the cache, so a fresh answer costs no request. */
    void refresh();
    /** Ctrl+Shift+R: fetch again now, whatever the cache holds. */
    void forceRefresh();
    void invalidateSelected();
    /** The panel's "Refresh now": `key` from the provider, past the cache. */
    void refreshEntry(const QString &key);
    /** Asks first. */
    void clearCache();
    void clearCacheNow();
    void showPreferences();
    void showAbout();
    /** A sentence in the status bar for a while (disk warnings, routine failures). */
    void showTransientMessage(const QString &message);

Q_SIGNALS:
    /**
     * A round of requests for the shown place has been answered: the first showing, a
     * refresh, or one the session made by itself (expiry, retry).
     */
    void weatherRequestsFinished();
    /** A search typed and submitted found nothing or failed; the message is on screen. */
    void searchFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void load(const Location &location, bool forceRefresh);
    void onCurrent(WeatherSession::PlaceId id, const Location &location,
                   const WeatherAnswer<CurrentConditions> &answer);
    void onForecast(WeatherSession::PlaceId id, const Location &location,
                    const WeatherAnswer<DailyForecastList> &answer);
    void onLoadingChanged(WeatherSession::PlaceId id, bool loading);
    void onRequestsFinished(WeatherSession::PlaceId id);
    void requestSuggestions(const QString &query);
    void searchAndShow(const QString &query);
    void applySettings();
    void updateProviderInfo();
    void updateActions();
    /** The hourly chart under the card, fed by the session's hourly answers for the shown place. */
    void setUpHourlyChart();

    std::unique_ptr<Ui::MainWindow> ui;
    WeatherService *m_service;
    Settings *m_settings;
    QNetworkAccessManager *m_network;
    QLabel *m_providerLabel;
    QPointer<PreferencesDialog> m_preferences; // open while shown, deleted on close
    WeatherSession *m_session; // a child
    WeatherSession::PlaceId m_placeId = 0; // the shown place; 0: none
    QTimer m_applySettingsTimer;
    Location m_location;
    int m_searchGeneration = 0;
    HourlyChartWidget *m_hourlyChart = nullptr; // a child, under the card
};
