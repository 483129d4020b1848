// SPDX-License-Identifier: MIT
#pragma once

#include "weather/location.h"
#include "weather/placebook.h"
#include "weather/weatherservice.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class CacheStatusPanel;
class PlacesModel;
class PlacesPanel;
class HourlyChartWidget;
class NowcastStrip;
class PreferencesDialog;
class QHBoxLayout;
class QLabel;
class QNetworkAccessManager;
class SearchBar;
class Settings;
class TrayIcon;
class UseLocationButton;
class WeatherCard;

namespace Ui {
class MainWindow;
}

/**
 * The WeatherDash window: search bar and weather card in the middle, the saved places docked
 * on the left, the cache status panel on the right, menus for refreshing, the cache, settings
 * and help. The title says the shown place and its temperature ("Berlin 14 °C — WeatherDash").
 *
 * It binds widgets to a PlaceBook: the book owns the saved places, the place on screen, their
 * weather and its schedule (through a WeatherSession: refresh at expiry, retry with back-off,
 * after a resume or when the network comes back); the window forwards what the person did
 * (show, save, refresh) and shows what the book answers: the card, the chart and the title for
 * the shown place, the Places list (a PlacesModel over the book) for the saved ones. The book
 * keeps each place's last answers, so picking a place shows it at once. Searches go to the
 * WeatherService. Requests never block.
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
    PlacesPanel *placesPanel() const;
    PlacesModel *placesModel() const { return m_places; }
    /** "Use my location" on the empty start page: writes Settings::locationEnabled(). */
    UseLocationButton *locationButton() const { return m_locationButton; }

    /** The places and their weather: what the tray, the notices and the panel read. */
    PlaceBook *placeBook() const { return m_book; }
    /** What keeps the places current; wire resume and network signals to it. */
    WeatherSession *session() const { return m_book->session(); }

    /**
     * The card has the first answers for the place shown at start (its current conditions and
     * forecast, or why there are none), or there was no place to show: main() shows the
     * window then, so its first frame has the weather. firstAnswerShown() says when.
     */
    bool hasFirstAnswer() const { return m_firstCurrent && m_firstForecast; }

    /** The back-off now in effect after a failure of the shown place; -1 when none. */
    int retryIntervalMs() const;

    /**
     * Wires the tray (borrowed): its icon follows the shown place, its menu the places and
     * the actions. With Settings::keepInTray() and an icon in the tray, closing hides the
     * window; quit() really quits.
     */
    void setTrayIcon(TrayIcon *tray);

public Q_SLOTS:
    void showLocation(const Location &location);
    /** Ctrl+D, the card's button: the shown place joins the saved places. */
    void addShownPlace();
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
    /** Looks `query` up and shows the first match (the command line's city, a search). */
    void searchAndShow(const QString &query);
    /** File > Quit and the tray's Quit: closes for good, even when closing would hide. */
    void quit();
    /** Opens the cache panel on the shown place's rows (the card's status line). */
    void revealShownPlaceInCache();

Q_SIGNALS:
    /**
     * A round of requests for the shown place has been answered: the first showing, a
     * refresh, or one the session made by itself (expiry, retry).
     */
    void weatherRequestsFinished();
    /** A search typed and submitted found nothing or failed; the message is on screen. */
    void searchFailed(const QString &message);
    /** hasFirstAnswer() became true. */
    void firstAnswerShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void load(const Location &location, bool forceRefresh);
    /** Another place is on screen: its remembered answers at once, the list's highlight. */
    void onShownChanged(PlaceBook::PlaceId id);
    void onAnswered(PlaceBook::PlaceId id, WeatherKey::Kind feed);
    void onCurrent(PlaceBook::PlaceId id);
    void onForecast(PlaceBook::PlaceId id);
    void onHourly(PlaceBook::PlaceId id);
    /** The shown place's live alerts on the card's band and the tray's badge (issue 22). */
    void onAlerts(PlaceBook::PlaceId id);
    void onStatusChanged(PlaceBook::PlaceId id);
    void onRequestsFinished(PlaceBook::PlaceId id);
    /** An answer of `kind` for `id` is on screen: counts towards hasFirstAnswer(). */
    void noteFirstAnswer(PlaceBook::PlaceId id, WeatherKey::Kind kind);
    /** The Places list highlights the shown place, or nothing when it is not saved. */
    void highlightShownPlace();
    void requestSuggestions(const QString &query);
    void applySettings();
    /** showTransientMessage() for a failure: it goes as soon as the weather comes again. */
    void showErrorMessage(const QString &message);
    void updateProviderInfo();
    /** The credit under the weather: of the provider whose data is on screen. */
    void updateAttribution();
    /** "Try again": the search that failed, else the shown place. */
    void retry();
    void updateActions();
    void updateTitle();
    void showRememberedAnswers(PlaceBook::PlaceId id);
    /** The hourly chart under the card, fed by the book's hourly answers for the shown place. */
    void setUpHourlyChart();
    /** The shown place's air quality and nowcast (issue 23), from what the book answered. */
    void onAirQuality(PlaceBook::PlaceId id);
    void onNowcast(PlaceBook::PlaceId id);
    /** The central column and the cache panel scroll when the window is too low for them. */
    void makeScrollable();
    /**
     * The cache panel was opened in a window too narrow for it beside the weather: it joins
     * Places as a tab, or floats when Places is closed, and never squeezes the central column.
     */
    void fitCacheDock();
    /**
     * "Here" (issue 24): the button says what the book knows (the place, or why there is
     * none); with nothing on screen Here is shown when it comes, never in place of a pick.
     */
    void updateHere();

    std::unique_ptr<Ui::MainWindow> ui;
    WeatherService *m_service;
    Settings *m_settings;
    QNetworkAccessManager *m_network;
    QLabel *m_providerLabel;
    QPointer<PreferencesDialog> m_preferences; // open while shown, deleted on close
    PlaceBook *m_book; // a child
    PlacesModel *m_places; // a child, a view over m_book
    bool m_shownLoading = false; // what the card's busy line last said
    QTimer m_applySettingsTimer;
    Location m_location;
    int m_searchGeneration = 0;
    QPointer<TrayIcon> m_tray;
    bool m_quitting = false;
    QString m_failedQuery; // a search that failed and may work when tried again
    bool m_attributionShown = false;
    HourlyChartWidget *m_hourlyChart = nullptr; // a child, under the card
    UseLocationButton *m_locationButton = nullptr; // on the card's empty page
    QString m_hereProblemSaid; // the sentence last put in the status bar
    NowcastStrip *m_nowcastStrip = nullptr; // a child, above the chart (issue 23)
    QTimer m_nowcastTick; // the strip's minutes move on with the clock
    // The first answers for the place shown at start have been shown: hasFirstAnswer().
    bool m_firstCurrent = false;
    bool m_firstForecast = false;
    bool m_statusSaysError = false; // the status bar's message is an error: recovery clears it
    QHBoxLayout *m_searchRow = nullptr; // the pinned search field's row, above the page
    bool m_showPlacesWithTheFirst = false; // first start: Places opens with the first place
};
