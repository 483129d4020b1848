// SPDX-License-Identifier: MIT
#include "fakeweatherserver.h"

#include "cache/clock.h"
#include "models/cacheentrymodel.h"
#include "models/locationsuggestionmodel.h"
#include "models/placesmodel.h"
#include "store/persistentstore.h"
#include "store/sqlitetier.h"
#include "weather/alertservice.h"
#include "weather/settings.h"
#include "weather/translations.h"
#include "weather/units.h"
#include "weather/weatherprovider.h"
#include "weather/weatherservice.h"
#include "weather/weathersession.h"
#include "widgets/aboutdialog.h"
#include "widgets/airqualityview.h"
#include "widgets/alertband.h"
#include "widgets/cachestatuspanel.h"
#include "widgets/mainwindow.h"
#include "widgets/nowcaststrip.h"
#include "widgets/placespanel.h"
#include "widgets/searchbar.h"
#include "widgets/themecolors.h"
#include "widgets/trayicon.h"
#include "widgets/weathercard.h"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCompleter>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDockWidget>
#include <QGraphicsOpacityEffect>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QWheelEvent>

#include "showntooltip.h"
#include <QTextDocument>
#include <QToolButton>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kMinute = 60'000;
using Endpoint = FakeWeatherServer::Endpoint;

QString degrees(double celsius)
{
    return QString::number(std::lround(celsius)) + u"\u202f°C"_s;
}

/** The name from the issue: a geocoder that tries to paint a warning as the city name. */
const QString kHostileName = u"<span style=\"color:red;font-size:30px\">EVIL<br>Your key expired: "
                             u"visit example.invalid</span>"_s;

/** What a button or menu item shows for `text`: "&&" is an '&', a single '&' marks a key. */
QString shownButtonText(const QString &text)
{
    QString shown;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'&' && i + 1 < text.size())
            ++i;
        shown.append(text.at(i));
    }
    return shown;
}
} // namespace

class tst_MainWindow : public QObject
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
        const QByteArray base = m_server->baseUrl().toString().toUtf8();
        qputenv("WEATHERDASH_OPENMETEO_GEOCODING_URL", base);
        qputenv("WEATHERDASH_OPENMETEO_FORECAST_URL", base);
        qputenv("WEATHERDASH_OPENWEATHERMAP_URL", base);
        qunsetenv("OPENWEATHERMAP_API_KEY");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        qputenv("WEATHERDASH_CACHE_DIR", m_dir->filePath(u"cache"_s).toUtf8());
        m_clock = std::make_unique<ManualClock>(m_server->serverTime().toMSecsSinceEpoch());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
        createWindow();
    }

    void cleanup()
    {
        m_window.reset();
        m_alerts.reset();
        m_withAlerts = false;
        m_service.reset();
        m_store.reset();
        m_settings.reset();
        m_network.reset();
        m_clock.reset();
        m_dir.reset();
        m_server.reset();
    }

    /**
     * The app makes its tray icon after the first frame, when the shown place's answer has
     * come already: wired then, the tray says that place's weather at once, not only after the
     * next answer (minutes later).
     */
    /**
     * Issue 23: the card says the air ("37 · fair", what drives it, the two strongest pollens
     * only where there is pollen), the strip above the chart says when the rain comes, and the
     * moon is among the details. Berlin at the server's 14:00 local: rain from 14:30.
     */
    void cardShowsTheAirThePollenAndTheRainAhead()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->searchAndShow(u"Berlin"_s);
        QTRY_COMPARE(finished.count(), 1);
        AirQualityView *air = m_window->weatherCard()->airQualityView();
        auto *strip = m_window->findChild<NowcastStrip *>(u"nowcastStrip"_s);
        QVERIFY(strip);
        QTRY_COMPARE(air->indexText(), u"Air quality 37 · fair (European index)"_s);
        QCOMPARE(air->driverText(), u"Mostly ozone"_s);
        QCOMPARE(air->pollenText(), u"Pollen: grass: moderate, birch: low"_s);
        QVERIFY(air->missingText().isEmpty());
        QVERIFY(air->isVisibleTo(m_window.get()));
        QTRY_COMPARE(strip->captionText(), u"Rain in 30 min"_s);
        QVERIFY(strip->isVisibleTo(m_window.get()));
        QVERIFY(!strip->bars().isEmpty());
        // The strip's minutes are the clock's: ten minutes on, the same answer says 20.
        m_clock->advance(10 * kMinute);
        QCOMPARE(strip->captionText(), u"Rain in 20 min"_s);
        // The moon among sunrise and sunset: mid-June 2026 (new moon on the 15th).
        QCOMPARE(m_window->weatherCard()->detailText(u"Moon"_s), u"🌑 New moon"_s);

        // Preferences: the US scale.
        m_settings->setAirQualityScale(AirQuality::Scale::US);
        QTRY_COMPARE(air->indexText(), u"Air quality 52 · moderate (US AQI)"_s);

        // Tokyo has no pollen data: no pollen row, never "0".
        m_window->searchAndShow(u"Tokyo"_s);
        QTRY_VERIFY(m_window->weatherCard()->location().name == u"Tokyo"_s);
        QTRY_COMPARE(air->indexText(), u"Air quality 52 · moderate (US AQI)"_s);
        QVERIFY(air->pollenText().isEmpty());
        QVERIFY(!air->findChildren<QLabel *>().isEmpty());
        for (const QLabel *label : air->findChildren<QLabel *>())
            QVERIFY2(!label->isVisibleTo(air) || !label->text().contains(u"ollen"_s),
                     qPrintable(label->text()));
    }

    /** A failing air-quality or nowcast feed says what is missing; the weather stays whole. */
    void failingAirFeedsSayWhatIsMissingAndKeepTheWeather()
    {
        m_server->failWith(Endpoint::OpenMeteoAirQuality, 503);
        m_server->failWith(Endpoint::OpenMeteoNowcast, 429, 120);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->searchAndShow(u"Berlin"_s);
        QTRY_COMPARE(finished.count(), 1);
        WeatherCard *card = m_window->weatherCard();
        QVERIFY(card->hasWeather());
        QVERIFY(!card->isErrorVisible()); // no banner: the weather did come
        QVERIFY2(!card->statusText().contains(u"retry"_s, Qt::CaseInsensitive),
                 qPrintable(card->statusText()));
        QTRY_VERIFY(
            card->airQualityView()->missingText().startsWith(u"Air quality not available: "_s));
        QVERIFY(card->airQualityView()->indexText().isEmpty());
        auto *strip = m_window->findChild<NowcastStrip *>(u"nowcastStrip"_s);
        QTRY_VERIFY2(
            strip->captionText().startsWith(u"Rain in the next two hours not available: "_s),
            qPrintable(strip->captionText()));
        QCOMPARE(finished.count(), 1);
    }

    void trayWiredAfterTheAnswerShowsTheShownPlace()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->searchAndShow(u"Berlin"_s);
        QTRY_COMPARE(finished.count(), 1);
        const FakeWeatherServer::City berlin = *m_server->city(u"Berlin"_s);

        TrayIcon tray;
        QVERIFY(!tray.toolTip().contains(u"Berlin"_s));
        m_window->setTrayIcon(&tray);
        QVERIFY2(
            tray.toolTip().contains(
                u"Berlin: "_s + temperatureText(berlin.temperatureC, TemperatureUnit::Celsius)),
            qPrintable(tray.toolTip()));
    }

    // --- Severe-weather alerts (issue 22) ---
    /** A gale over Berlin from an hour ago for `hours` more, as the fake alert server serves it. */
    FakeAlertServer::Spec gale(qint64 secondsLeft = 3 * 3600) const
    {
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock->now(), Qt::UTC);
        FakeAlertServer::Spec spec;
        spec.identifier = u"gale-1"_s;
        spec.severity = u"Severe"_s;
        spec.event = u"Gale warning"_s;
        spec.senderName = u"Test Weather Service"_s;
        spec.description = u"Gusts of 100 km/h <b>not bold</b>."_s;
        spec.onset = now.addSecs(-3600).toOffsetFromUtc(3600);
        spec.expires = now.addSecs(secondsLeft).toOffsetFromUtc(3600);
        return spec;
    }

    void alertBandBadgesAndCancellation()
    {
        m_withAlerts = true;
        m_window.reset();
        createWindow();
        m_server->alerts().add(u"g1"_s, FakeAlertServer::message(gale()));
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->searchAndShow(u"Berlin"_s);
        QTRY_COMPARE(finished.count(), 1);
        AlertBand *band = m_window->weatherCard()->alertBand();
        QTRY_COMPARE(band->count(), 1);
        QVERIFY(band->isVisibleTo(m_window.get()));
        const QString summary = band->summaryText(0);
        QVERIFY2(summary.contains(u"Severe: Gale warning"_s), qPrintable(summary)); // in words
        QVERIFY2(summary.contains(u"Test Weather Service"_s), qPrintable(summary));
        QCOMPARE(band->alerts().first().id, u"gale-1"_s);
        band->setExpanded(0, true);
        QVERIFY(band->detailsText(0).contains(u"<b>not bold</b>"_s)); // as text, never markup

        // The Places row and the tray carry a badge.
        m_window->addShownPlace();
        PlacesModel *places = m_window->placesModel();
        QCOMPARE(places->rowCount(), 1);
        QCOMPARE(places->index(0).data(PlacesModel::AlertCountRole).toInt(), 1);
        QCOMPARE(places->index(0).data(PlacesModel::AlertSeverityRole).toInt(),
                 int(WeatherAlert::Severity::Severe));
        QVERIFY(places->index(0).data(Qt::ToolTipRole).toString().contains(u"Gale warning"_s));
        TrayIcon tray;
        m_window->setTrayIcon(&tray);
        QCOMPARE(tray.alertCount(), 1);
        QVERIFY2(tray.toolTip().contains(u"Gale warning"_s), qPrintable(tray.toolTip()));

        // The office cancels it: the next list (minutes later) names the cancellation, and the
        // band, the badge and the tooltip line go. Time moves only once nothing is on the wire.
        FakeAlertServer::Spec cancel = gale();
        cancel.identifier = u"gale-1-cancel"_s;
        cancel.msgType = u"Cancel"_s;
        cancel.references = {u"gale-1"_s};
        m_server->alerts().add(u"g2"_s, FakeAlertServer::message(cancel));
        QTRY_VERIFY(!m_window->placeBook()->status(m_window->placeBook()->shown()).loading);
        m_clock->advance(AlertLifetime::kListMs + 1000);
        QTRY_COMPARE(band->count(), 0);
        QVERIFY(!band->isVisibleTo(m_window.get()));
        QCOMPARE(places->index(0).data(PlacesModel::AlertCountRole).toInt(), 0);
        QCOMPARE(tray.alertCount(), 0);
    }

    void expiredAlertGoesAndAnotherPlaceShowsNone()
    {
        m_withAlerts = true;
        m_window.reset();
        createWindow();
        m_server->alerts().add(u"g1"_s, FakeAlertServer::message(gale(2 * 60)));
        PlaceBook *book = m_window->placeBook();
        AlertBand *band = m_window->weatherCard()->alertBand();
        m_window->searchAndShow(u"Berlin"_s);
        QTRY_COMPARE(band->count(), 1);
        // London has none: never Berlin's band on London's card; back to Berlin, at once.
        m_window->searchAndShow(u"London"_s);
        QTRY_COMPARE(book->location(book->shown()).name, u"London"_s);
        QCOMPARE(band->count(), 0);
        QTRY_VERIFY(book->latest<WeatherAlertList>(book->shown(), WeatherKey::Kind::AlertList));
        QCOMPARE(band->count(), 0);
        m_window->searchAndShow(u"Berlin"_s);
        QTRY_COMPARE(book->location(book->shown()).name, u"Berlin"_s);
        QTRY_COMPARE(band->count(), 1);
        QTRY_VERIFY(!book->status(book->shown()).loading);
        // Past its expiry, at the next list: gone, though the server still lists it.
        m_clock->advance(AlertLifetime::kListMs + 1000);
        QTRY_COMPARE(band->count(), 0);
        QCOMPARE(m_server->alerts().ids(), QStringList{u"g1"_s});
    }

    void typingACityShowsItsWeather()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        QTest::keyClicks(edit, u"Berlin"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 1);

        const FakeWeatherServer::City berlin = *m_server->city(u"Berlin"_s);
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QCOMPARE(label("temperatureLabel"), degrees(berlin.temperatureC));
        QCOMPARE(label("feelsLikeLabel"), u"Feels like "_s + degrees(berlin.temperatureC - 1.5));
        QCOMPARE(label("humidityValue"), u"55 %"_s);
        QCOMPARE(label("windValue"), u"14 km/h from WSW"_s);
        QCOMPARE(label("pressureValue"), u"1,012 hPa"_s);
        QVERIFY(label("attributionLabel").contains(u"Open-Meteo"_s));
        QCOMPARE(label("statusLabel"), u"Updated just now · next update in 10 min"_s);
        auto *forecast = m_window->weatherCard()->findChild<QListView *>(u"forecastView"_s);
        QVERIFY(forecast);
        QVERIFY(forecast->model()->rowCount() >= 5);
        QCOMPARE(forecast->model()->index(0, 0).data(Qt::UserRole + 1).toString(), u"Today"_s);
        QVERIFY(!m_window->weatherCard()->isErrorVisible());

        // The place is remembered for the next start and is one click away.
        QCOMPARE(m_settings->lastLocation().name, u"Berlin"_s);
        auto *recent = m_window->searchBar()->findChild<QWidget *>(u"recentButton0"_s);
        QVERIFY(recent);
        QVERIFY(recent->isVisibleTo(m_window.get()));
    }

    void suggestionsTellTheLondonsApart()
    {
        SearchBar *bar = m_window->searchBar();
        LocationSuggestionModel *model = bar->suggestionModel();
        QAbstractItemModelTester tester(model);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        bar->lineEdit()->setFocus();

        QTest::keyClicks(bar->lineEdit(), u"Lon"_s);
        QTRY_COMPARE(model->rowCount(), 2);
        // Debounced: three letters typed, one request.
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
        QCOMPARE(model->index(0).data(LocationSuggestionModel::DetailRole).toString(),
                 u"England, United Kingdom"_s);
        QCOMPARE(model->index(1).data(LocationSuggestionModel::DetailRole).toString(),
                 u"Ontario, Canada"_s);

        QAbstractItemView *popup = bar->completer()->popup();
        QTRY_VERIFY(popup->isVisible());
        popup->setCurrentIndex(bar->completer()->completionModel()->index(1, 0));
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        QTest::keyClick(popup, Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(label("placeLabel"), u"London, Ontario, CA"_s);
        QCOMPARE(label("temperatureLabel"),
                 degrees(m_server->city(u"London"_s, u"CA"_s)->temperatureC));
        QCOMPARE(model->rowCount(), 0);
    }

    void forceRefreshFetchesEachEntryOnceAndResetsAge()
    {
        showBerlin();
        m_clock->advance(5 * kMinute);
        const QString currentKey = m_service->currentKey(berlin());
        const QString forecastKey = m_service->forecastKey(berlin());
        QCOMPARE(m_service->cache()->entryInfo(currentKey)->ageMs, 5 * kMinute);

        m_server->resetCounters();
        QSignalSpy loads(m_service->cache(), &AsyncCacheBase::loadStarted);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        action("actionForceRefresh")->trigger();
        // The panel shows them loading.
        CacheEntryModel *model = m_window->cachePanel()->model();
        QCOMPARE(model->index(model->rowOfKey(currentKey), CacheEntryModel::StateColumn)
                     .data()
                     .toString(),
                 u"loading"_s);
        QTRY_COMPARE(finished.count(), 1);

        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoForecast), 1);
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoHourly), 1);
        // Air quality and the nowcast are refreshed too, beside the weather (issue 23).
        QTRY_COMPARE(m_server->totalRequestCount(), 5);
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoAirQuality), 1);
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoNowcast), 1);
        QCOMPARE(loads.count(), 5);
        QCOMPARE(m_service->cache()->entryInfo(currentKey)->ageMs, 0);
        QCOMPARE(m_service->cache()->entryInfo(forecastKey)->ageMs, 0);
        model->refresh();
        for (const QString &key : {currentKey, forecastKey}) {
            const QModelIndex age = model->index(model->rowOfKey(key), CacheEntryModel::AgeColumn);
            QCOMPARE(age.data(CacheEntryModel::AgeMsRole).toLongLong(), 0);
            QCOMPARE(model->index(age.row(), CacheEntryModel::StateColumn).data().toString(),
                     u"fresh"_s);
        }
        QCOMPARE(label("statusLabel"), u"Updated just now · next update in 10 min"_s);
    }

    void refreshWithinTheTtlMakesNoRequest()
    {
        showBerlin();
        m_server->resetCounters();
        m_clock->advance(3 * kMinute);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        action("actionRefresh")->trigger();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(m_server->totalRequestCount(), 0);
        QCOMPARE(label("statusLabel"), u"Updated 3 min ago · from cache · next update in 7 min"_s);
    }

    void statusLineKeepsItselfCurrent()
    {
        showBerlin();
        m_window->weatherCard()->setStatusInterval(20);
        m_clock->advance(7 * kMinute);
        // The card's own timer rewrites it; no request, no user action.
        QTRY_COMPARE(label("statusLabel"), u"Updated 7 min ago · next update in 3 min"_s);
    }

    void statusLineRevealsThePlaceInTheCachePanel()
    {
        showBerlin();
        auto *dock = m_window->findChild<QDockWidget *>(u"cacheDock"_s);
        QVERIFY(dock);
        dock->hide();
        QTest::mouseClick(m_window->weatherCard()->findChild<QLabel *>(u"statusLabel"_s),
                          Qt::LeftButton);
        QVERIFY(dock->isVisible());
        QCOMPARE(m_window->cachePanel()->selectedKey(), m_service->currentKey(berlin()));
    }

    void failuresKeepThePreviousWeather_data()
    {
        QTest::addColumn<QString>("failure");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("retryOffered");
        QTest::newRow("unknown city") << u"city"_s << u"No place called “Xyzzyville”"_s
                                      << u"Updated just now · next update in 10 min"_s << false;
        QTest::newRow("rejected key") << u"key"_s << u"OpenWeatherMap rejected the API key"_s
                                      << u"Not updated — showing data from %1"_s << false;
        QTest::newRow("server gone")
            << u"offline"_s << u"Could not reach Open-Meteo"_s
            << u"Offline — showing data from %1 · retrying in 1 min"_s << true;
    }
    void failuresKeepThePreviousWeather()
    {
        QFETCH(QString, failure);
        QFETCH(QString, message);
        QFETCH(QString, status);
        showBerlin();
        const QString place = label("placeLabel");
        const QString temperature = label("temperatureLabel");
        WeatherCard *card = m_window->weatherCard();

        if (failure == u"city"_s) {
            QSignalSpy failed(m_window.get(), &MainWindow::searchFailed);
            QLineEdit *edit = m_window->searchBar()->lineEdit();
            edit->clear();
            QTest::keyClicks(edit, u"Xyzzyville"_s);
            QTest::keyClick(edit, Qt::Key_Return);
            QTRY_COMPARE(failed.count(), 1);
        } else if (failure == u"key"_s) {
            m_settings->setProviderId(u"openweathermap"_s);
            m_settings->setApiKey(u"not-the-right-key-0000"_s);
            QTRY_VERIFY(card->isErrorVisible());
            QVERIFY(!card->errorText().contains(u"not-the-right-key"_s));
        } else {
            m_server->http()->close();
            m_clock->advance(11 * kMinute);
            QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
            action("actionRefresh")->trigger();
            QTRY_COMPARE(finished.count(), 1);
        }

        QVERIFY(card->isErrorVisible());
        QVERIFY2(card->errorText().contains(message), qPrintable(card->errorText()));
        QCOMPARE(label("placeLabel"), place);
        QCOMPARE(label("temperatureLabel"), temperature);
        if (status.contains(u"%1"_s))
            status = status.arg(berlinObservedAt());
        QTRY_COMPARE(label("statusLabel"), status);
        // The banner says what went wrong; the status bar does not say it again.
        QVERIFY2(!m_window->statusBar()->currentMessage().contains(message),
                 qPrintable(m_window->statusBar()->currentMessage()));
        // "Try again" only where trying again can help.
        QFETCH(bool, retryOffered);
        QCOMPARE(card->isRetryOffered(), retryOffered);
        // Open-Meteo's weather is still on screen: it keeps Open-Meteo's credit.
        QVERIFY2(label("attributionLabel").contains(u"Open-Meteo"_s),
                 qPrintable(label("attributionLabel")));
    }

    void aFirstSearchSaysItIsLooking()
    {
        m_server->http()->pause(); // a slow network
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        QTest::keyClicks(edit, u"Berlin"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(label("emptyTitleLabel"), u"Looking up Berlin…"_s);
        auto *busy = m_window->weatherCard()->findChild<QWidget *>(u"busyBar"_s);
        QVERIFY(busy && busy->isVisibleTo(m_window.get()));
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_server->http()->resume();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QVERIFY(!busy->isVisibleTo(m_window.get()));
    }

    void tryAgainRepeatsAFailedFirstSearch()
    {
        // No city shown yet, and the geocoder has a hiccup: trying again must search again.
        m_server->failWith(Endpoint::OpenMeteoGeocoding, 503, -1, 1);
        QSignalSpy failed(m_window.get(), &MainWindow::searchFailed);
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        QTest::keyClicks(edit, u"Berlin"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(failed.count(), 1);
        WeatherCard *card = m_window->weatherCard();
        QVERIFY(card->isErrorVisible());
        QVERIFY(card->isRetryOffered());
        QVERIFY(!card->hasWeather());

        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_clock->advance(5'000); // the person reads the message; the service's back-off ends
        auto *retry = card->findChild<QPushButton *>(u"retryButton"_s);
        QVERIFY(retry);
        QVERIFY(retry->isVisible());
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QVERIFY(!card->isErrorVisible());
    }

    void enterOnTheShownPlaceShowsItAgain()
    {
        SearchBar *bar = m_window->searchBar();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        bar->lineEdit()->setFocus();
        QTest::keyClicks(bar->lineEdit(), u"Lon"_s);
        QAbstractItemView *popup = bar->completer()->popup();
        QTRY_VERIFY(popup->isVisible());
        popup->setCurrentIndex(bar->completer()->completionModel()->index(1, 0));
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        QTest::keyClick(popup, Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(bar->text(), u"London, Ontario, CA"_s);

        const int searches = m_server->requestCount(Endpoint::OpenMeteoGeocoding);
        QSignalSpy failed(m_window.get(), &MainWindow::searchFailed);
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!m_window->weatherCard()->isErrorVisible());
        QCOMPARE(label("placeLabel"), u"London, Ontario, CA"_s);
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), searches);
        QVERIFY2(!popup->isVisible(), "the list came back over the weather");
    }

    void titleSaysThePlaceAndTemperature()
    {
        QCOMPARE(m_window->windowTitle(), u"WeatherDash"_s);
        showBerlin();
        const FakeWeatherServer::City city = *m_server->city(u"Berlin"_s);
        QCOMPARE(m_window->windowTitle(),
                 u"Berlin "_s + degrees(city.temperatureC) + u" — WeatherDash"_s);
        m_settings->setUnits(Units::Imperial);
        QTRY_VERIFY2(m_window->windowTitle().contains(u"°F"_s),
                     qPrintable(m_window->windowTitle()));
        QVERIFY(m_window->windowTitle().startsWith(u"Berlin "_s));
    }

    void savedPlacesStayCurrentAndShowAtOnce()
    {
        showBerlin();
        PlacesModel *places = m_window->placesModel();
        QAbstractItemModelTester tester(places);
        auto *add = m_window->weatherCard()->findChild<QPushButton *>(u"addPlaceButton"_s);
        QVERIFY(add && add->isVisibleTo(m_window.get()));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(places->rowCount(), 1);
        QVERIFY(!add->isVisibleTo(m_window.get())); // saved now
        const FakeWeatherServer::City berlinCity = *m_server->city(u"Berlin"_s);
        QCOMPARE(places->index(0).data(PlacesModel::TemperatureTextRole).toString(),
                 degrees(berlinCity.temperatureC));
        QVERIFY(!places->index(0).data(PlacesModel::IconNameRole).toString().isEmpty());

        // A second place, from the search and Ctrl+D.
        const FakeWeatherServer::City paris = *m_server->city(u"Paris"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(paris));
        QTRY_COMPARE(finished.count(), 1);
        action("actionAddPlace")->trigger();
        QCOMPARE(places->rowCount(), 2);
        QCOMPARE(m_settings->savedPlaces().size(), 2);

        // Selecting Berlin shows it at once, from what the session answered last.
        QListView *view = m_window->placesPanel()->view();
        QSignalSpy shown(m_window.get(), &MainWindow::weatherRequestsFinished);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(places->index(0)).center());
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QCOMPARE(label("temperatureLabel"), degrees(berlinCity.temperatureC));
        QVERIFY(m_window->windowTitle().startsWith(u"Berlin "_s));
        QTRY_COMPARE(shown.count(), 1); // the refresh behind it, from the cache

        // Both are kept current, not only the one shown.
        m_server->resetCounters();
        m_clock->advance(11 * kMinute);
        QTRY_COMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 2);

        // A rename changes the label, the title, the card's heading (ux N30: the card still
        // said "Berlin, DE" under a list that said "Home"), and nothing else.
        QVERIFY(places->setData(places->index(0), u"Home"_s));
        QCOMPARE(m_window->windowTitle(),
                 u"Home "_s + degrees(berlinCity.temperatureC) + u" — WeatherDash"_s);
        QCOMPARE(label("placeLabel"), u"Home — Berlin, DE"_s);
        // Another place shown: its own heading; back: the person's name again.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(places->index(1)).center());
        QVERIFY2(label("placeLabel").startsWith(u"Paris"_s), qPrintable(label("placeLabel")));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(places->index(0)).center());
        QCOMPARE(label("placeLabel"), u"Home — Berlin, DE"_s);
        QCOMPARE(m_settings->savedPlaces().at(0).label, u"Home"_s);

        // Next start: the places come back, in their order, with their weather.
        m_window.reset();
        m_service.reset();
        m_server->resetCounters();
        createWindow();
        places = m_window->placesModel();
        QCOMPARE(places->rowCount(), 2);
        QCOMPARE(places->index(0).data().toString(), u"Home"_s);
        QTRY_COMPARE(places->index(1).data(PlacesModel::TemperatureTextRole).toString(),
                     degrees(paris.temperatureC));
    }

    void darkPaletteKeepsTheBannerReadable()
    {
        // A dark Fusion palette, as a dark desktop theme hands it to the app.
        const QPalette before = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2d, 0x2d, 0x30));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x20));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x28));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3d));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb0));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::Mid, QColor(0x24, 0x24, 0x26));
        dark.setColor(QPalette::Link, QColor(0x7a, 0xb8, 0xff));
        QApplication::setPalette(dark);
        const auto restore = qScopeGuard([&] { QApplication::setPalette(before); });

        for (const QString &name : {u"Paris"_s, u"Tokyo"_s}) {
            QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
            m_window->showLocation(toLocation(*m_server->city(name)));
            QTRY_COMPARE(finished.count(), 1);
            m_window->addShownPlace();
        }
        showBerlin();
        m_server->http()->close();
        m_clock->advance(11 * kMinute);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        action("actionRefresh")->trigger();
        QTRY_COMPARE(finished.count(), 1);
        WeatherCard *card = m_window->weatherCard();
        QVERIFY(card->isErrorVisible());

        auto *banner = card->findChild<QWidget *>(u"errorBanner"_s);
        auto *dismiss = card->findChild<QToolButton *>(u"dismissButton"_s);
        auto *message = m_window->findChild<QLabel *>(u"errorLabel"_s);
        const QColor background = banner->palette().color(QPalette::Window);
        QVERIFY2(ThemeColors::luminance(background) < 0.2, "a light banner in a dark theme");
        for (const QColor &c : {message->palette().color(QPalette::WindowText),
                                dismiss->palette().color(QPalette::ButtonText)}) {
            const qreal ratio = ThemeColors::contrastRatio(c, background);
            QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
        }

        // docs/screenshot-dark.png comes from here: WEATHERDASH_SCREENSHOT_DIR=docs.
        const QString dir = qEnvironmentVariable("WEATHERDASH_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            m_window->resize(1280, 800);
            QTRY_COMPARE(m_window->width(), 1280);
            QVERIFY(m_window->grab().save(dir + u"/screenshot-dark.png"_s));
        }
    }

    void layoutKeepsTheWeatherTogether()
    {
        showBerlin();
        m_window->resize(1920, 1080);
        QTRY_COMPARE(m_window->width(), 1920);
        auto *temperature = m_window->findChild<QLabel *>(u"temperatureLabel"_s);
        auto *details = m_window->findChild<QWidget *>(u"detailsFrame"_s);
        QTRY_VERIFY(details->isVisible());
        const int temperatureRight
            = temperature->mapTo(m_window.get(), QPoint(temperature->width(), 0)).x();
        const int detailsLeft = details->mapTo(m_window.get(), QPoint(0, 0)).x();
        // Beside the temperature, not ~900 px away at the card's far edge.
        QVERIFY2(detailsLeft - temperatureRight < 120,
                 qPrintable(QString::number(detailsLeft - temperatureRight)));
        QTRY_VERIFY(m_window->searchBar()->width() <= 980);
        QTRY_VERIFY(m_window->weatherCard()->width() <= 980);
        // Centred: as much room on its left as on its right.
        const auto unbalance = [this] {
            QWidget *central = m_window->centralWidget();
            const QRect card = m_window->weatherCard()->geometry(); // in the central widget
            return qAbs(card.left() - (central->width() - card.right() - 1));
        };
        QTRY_VERIFY2(unbalance() <= 2, qPrintable(QString::number(unbalance())));

        // A 700 px screen: with the cache panel closed the window fits, the weather stacked.
        m_window->findChild<QDockWidget *>(u"cacheDock"_s)->hide();
        m_window->resize(700, 600);
        QTRY_COMPARE(m_window->width(), 700);
        QTRY_VERIFY(m_window->weatherCard()->width() < WeatherCard::kNarrowWidth);
        QTRY_VERIFY(details->mapTo(m_window.get(), QPoint(0, 0)).y()
                    >= temperature->mapTo(m_window.get(), QPoint(0, temperature->height())).y());
    }

    void narrowWindowsKeepTheWeatherAndTheCachePanelReadable_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("placesOpen");
        QTest::newRow("700 px, Places open") << 700 << true;
        QTest::newRow("800 px, Places open") << 800 << true;
        QTest::newRow("700 px, Places closed") << 700 << false;
        QTest::newRow("800 px, Places closed") << 800 << false;
    }

    /**
     * Issue 27, N2: at 800 and 700 px, opening the cache panel (Ctrl+Shift+C or the card's
     * status line) squeezed the central column into a horizontal scrollbar (the temperature
     * cut to "26") and left the panel's rows without names and its captions clipped.
     */
    void narrowWindowsKeepTheWeatherAndTheCachePanelReadable()
    {
        QFETCH(int, width);
        QFETCH(bool, placesOpen);
        savePlaces({u"Paris"_s, u"Berlin"_s});
        auto *cacheDock = m_window->findChild<QDockWidget *>(u"cacheDock"_s);
        auto *placesDock = m_window->findChild<QDockWidget *>(u"placesDock"_s);
        cacheDock->hide();
        placesDock->setVisible(placesOpen);
        m_window->resize(width, 700);
        QTRY_COMPARE(m_window->width(), width);

        // The card's status line, as the README advertises.
        QTest::mouseClick(m_window->weatherCard()->findChild<QLabel *>(u"statusLabel"_s),
                          Qt::LeftButton);
        QTRY_VERIFY(m_window->cachePanel()->isVisible());
        QCOMPARE(m_window->cachePanel()->selectedKey(), m_service->currentKey(berlin()));
        QTest::qWait(0); // the docks' layout settles in posted events
        QCOMPARE(m_window->width(), width); // never wider than the screen it was fitted to

        // The central column gets what it needs: no sideways scrolling, the card whole.
        auto *area = m_window->findChild<QScrollArea *>(u"pageArea"_s);
        QVERIFY(area);
        QTRY_VERIFY(!area->horizontalScrollBar()->isVisible());
        QVERIFY2(area->viewport()->width() >= area->widget()->minimumSizeHint().width(),
                 qPrintable(u"%1 < %2"_s.arg(area->viewport()->width())
                                .arg(area->widget()->minimumSizeHint().width())));
        for (const char *name : {"temperatureLabel", "placeLabel", "descriptionLabel"}) {
            auto *label = m_window->weatherCard()->findChild<QLabel *>(QString::fromLatin1(name));
            QVERIFY2(label->width() >= label->minimumSizeHint().width(), name);
            QVERIFY2(area->viewport()->rect().contains(QRect(
                         label->mapTo(area->viewport(), QPoint(0, 0)), QSize(label->width(), 1))),
                     name);
        }

        // The panel: its rows have their names, its captions and buttons are whole.
        CacheStatusPanel *panel = m_window->cachePanel();
        auto *tree = panel->findChild<QTreeView *>(u"entriesView"_s);
        QVERIFY(tree->isVisible());
        int namedRows = 0;
        for (QModelIndex index = tree->indexAt(QPoint(1, 1)); index.isValid();
             index = tree->indexBelow(index)) {
            if (!index.parent().isValid())
                continue; // a place's row
            const QString name
                = index.siblingAtColumn(CacheEntryModel::EntryColumn).data().toString();
            const QRect cell
                = tree->visualRect(index.siblingAtColumn(CacheEntryModel::EntryColumn));
            QVERIFY2(cell.width() >= tree->fontMetrics().horizontalAdvance(name) + 4,
                     qPrintable(u"“%1” in %2 px"_s.arg(name).arg(cell.width())));
            QVERIFY2(cell.right() <= tree->viewport()->width(), qPrintable(name));
            ++namedRows;
        }
        QVERIFY(namedRows >= 3); // the shown place's current conditions, forecast and hours
        // Compact in a narrow dock: the shown place's rows, not Paris's too.
        QVERIFY(panel->width() < CacheStatusPanel::kCompactWidth);
        QVERIFY(panel->isCompact());
        QCOMPARE(tree->model()->rowCount(), 1);
        QVERIFY(panel->findChild<QLabel *>(u"compactHint"_s)->isVisible());
        auto *dockArea = qobject_cast<QScrollArea *>(cacheDock->widget());
        QVERIFY(dockArea);
        QVERIFY2(!dockArea->horizontalScrollBar()->isVisible(),
                 qPrintable(u"panel %1 in %2, needs %3"_s.arg(panel->width())
                                .arg(dockArea->viewport()->width())
                                .arg(panel->minimumSizeHint().width())));
        for (QLabel *label : panel->findChildren<QLabel *>()) {
            if (!label->isVisibleTo(panel) || label->wordWrap() || label->text().isEmpty())
                continue;
            QVERIFY2(label->width() >= label->minimumSizeHint().width(),
                     qPrintable(label->objectName() + u": "_s + label->text()));
        }
        for (QAbstractButton *button : panel->findChildren<QAbstractButton *>()) {
            if (!button->isVisibleTo(panel) || qobject_cast<QAbstractItemView *>(button->parent()))
                continue;
            QVERIFY2(button->width() >= button->minimumSizeHint().width(),
                     qPrintable(button->objectName()));
        }
        // The window keeps the screen's width with Ctrl+Shift+C too (closed, opened again).
        cacheDock->hide();
        cacheDock->toggleViewAction()->trigger();
        QTRY_VERIFY(cacheDock->isVisible());
        QTest::qWait(0);
        QCOMPARE(m_window->width(), width);
        QTRY_VERIFY(!area->horizontalScrollBar()->isVisible());
    }

    /**
     * Issue 27, N4: a new city on a slow network left the old city's weather on screen,
     * undimmed, under the new name in the search field for 4-8 s.
     */
    void aNewCityOnASlowNetworkDimsTheOldWeather()
    {
        showBerlin();
        WeatherCard *card = m_window->weatherCard();
        QVERIFY(!card->isDimmed());
        // A slow network: the server holds its real answers back until resume().
        m_server->http()->pause();
        const int asked = m_server->requestCount(Endpoint::OpenMeteoCurrent);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(*m_server->city(u"São Paulo"_s)));

        const QStringList dimmedParts{u"temperatureLabel"_s, u"descriptionLabel"_s,
                                      u"detailsFrame"_s, u"forecastView"_s, u"iconLabel"_s};
        const auto dimmed = [&] {
            for (const QString &name : dimmedParts) {
                auto *effect = qobject_cast<QGraphicsOpacityEffect *>(
                    card->findChild<QWidget *>(name)->graphicsEffect());
                if (!effect || !effect->isEnabled() || effect->opacity() > 0.5)
                    return false;
            }
            return true;
        };
        // While São Paulo's answer is on its way, Berlin's weather is faded and not named.
        QTRY_VERIFY(m_server->requestCount(Endpoint::OpenMeteoCurrent) > asked);
        QVERIFY(finished.isEmpty());
        QVERIFY(card->isDimmed());
        QVERIFY(dimmed());
        QCOMPARE(label("placeLabel"), u"Loading São Paulo…"_s);
        QVERIFY(!m_window->windowTitle().contains(u"Berlin"_s));
        // The place label is never faded: the one line at full strength says what comes.
        QVERIFY(!card->findChild<QLabel *>(u"placeLabel"_s)->graphicsEffect());

        m_server->http()->resume();
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(!card->isDimmed());
        QVERIFY(!dimmed());
        QCOMPARE(label("placeLabel"), u"São Paulo, BR"_s);
        QCOMPARE(label("temperatureLabel"), degrees(m_server->city(u"São Paulo"_s)->temperatureC));

        // A saved place comes back at once from what the book remembers: nothing to dim.
        m_window->addShownPlace();
        showBerlin();
        m_window->showLocation(toLocation(*m_server->city(u"São Paulo"_s)));
        QVERIFY(!card->isDimmed());
        QCOMPARE(label("placeLabel"), u"São Paulo, BR"_s);
    }

    /** A new city that fails: the old weather is its own again, with the reason in the banner. */
    void aNewCityThatFailsUndimsTheOldWeather()
    {
        showBerlin();
        m_server->failWith(Endpoint::OpenMeteoCurrent, 500);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(*m_server->city(u"Paris"_s)));
        QVERIFY(m_window->weatherCard()->isDimmed());
        QTRY_VERIFY(m_window->weatherCard()->isErrorVisible());
        QVERIFY(!m_window->weatherCard()->isDimmed());
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QVERIFY(m_window->weatherCard()->errorText().contains(u"Paris"_s));
    }

    /** Issue 27, N1: Paris started on Thursday after Berlin's strip had been scrolled. */
    void aNewPlaceStartsTheDaysStripAtToday()
    {
        m_window->findChild<QDockWidget *>(u"cacheDock"_s)->hide();
        m_window->resize(700, 600);
        QTRY_COMPARE(m_window->width(), 700);
        showBerlin();
        auto *strip = m_window->weatherCard()->findChild<QListView *>(u"forecastView"_s);
        QScrollBar *days = strip->horizontalScrollBar();
        QTRY_VERIFY(days->maximum() > 0); // 700 px: the days overflow
        days->setValue(days->maximum());

        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(*m_server->city(u"Paris"_s)));
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(label("placeLabel").startsWith(u"Paris"_s));
        QCOMPARE(days->value(), 0);
        QVERIFY(strip->indexAt(QPoint(2, strip->viewport()->height() / 2)).row() == 0);

        // Its own refresh keeps where the person scrolled to.
        days->setValue(days->maximum());
        QSignalSpy again(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->forceRefresh();
        QTRY_COMPARE(again.size(), 1);
        QCOMPARE(days->value(), days->maximum());
    }

    /** Issue 27, N17: the wheel over the strip scrolls the page unless it means the strip. */
    void theWheelOverTheDaysStripScrollsThePage()
    {
        m_window->findChild<QDockWidget *>(u"cacheDock"_s)->hide();
        m_window->resize(700, 500); // the page scrolls down, the days sideways
        QTRY_COMPARE(m_window->width(), 700);
        showBerlin();
        auto *strip = m_window->weatherCard()->findChild<QListView *>(u"forecastView"_s);
        auto *page = m_window->findChild<QScrollArea *>(u"pageArea"_s);
        QTRY_VERIFY(strip->horizontalScrollBar()->maximum() > 0);
        QTRY_VERIFY(page->verticalScrollBar()->maximum() > 0);
        const auto wheel = [strip](QPoint angle, Qt::KeyboardModifiers modifiers) {
            const QPointF at(strip->viewport()->width() / 2, strip->viewport()->height() / 2);
            QWheelEvent event(at, strip->viewport()->mapToGlobal(at), QPoint(), angle, Qt::NoButton,
                              modifiers, Qt::NoScrollPhase, false);
            QApplication::sendEvent(strip->viewport(), &event);
        };

        wheel(QPoint(0, -120), Qt::NoModifier); // down
        QCOMPARE(strip->horizontalScrollBar()->value(), 0);
        QVERIFY(page->verticalScrollBar()->value() > 0);
        QCOMPARE(page->horizontalScrollBar()->value(), 0);

        const int pageAt = page->verticalScrollBar()->value();
        wheel(QPoint(0, -120), Qt::ShiftModifier); // Shift: the strip
        QVERIFY(strip->horizontalScrollBar()->value() > 0);
        QCOMPARE(page->verticalScrollBar()->value(), pageAt);

        strip->horizontalScrollBar()->setValue(0);
        wheel(QPoint(-120, 0), Qt::NoModifier); // a sideways swipe: the strip
        QVERIFY(strip->horizontalScrollBar()->value() > 0);
        QCOMPARE(page->verticalScrollBar()->value(), pageAt);
    }

    /** Issue 27, N13: at 800 px tall the search field scrolled away and Ctrl+L typed blind. */
    void theSearchFieldStaysInViewWhenThePageScrolls()
    {
        m_window->resize(1280, 560);
        QTRY_COMPARE(m_window->height(), 560);
        showBerlin();
        auto *page = m_window->findChild<QScrollArea *>(u"pageArea"_s);
        QTRY_VERIFY(page->verticalScrollBar()->maximum() > 0);
        page->verticalScrollBar()->setValue(page->verticalScrollBar()->maximum());
        auto *field = m_window->searchBar()->findChild<QLineEdit *>();
        QVERIFY(field);
        QTRY_VERIFY(!field->visibleRegion().isEmpty());
        QCOMPARE(field->visibleRegion().boundingRect(), field->rect());
        action("actionFindCity")->trigger();
        QTRY_VERIFY(field->hasFocus());
        QCOMPARE(page->verticalScrollBar()->value(), page->verticalScrollBar()->maximum());
        // Lined up with the card under it (once the layouts the scrollbar changed have run).
        const auto misalignment = [this] {
            const int fieldLeft = m_window->searchBar()->mapTo(m_window.get(), QPoint()).x();
            const int cardLeft = m_window->weatherCard()->mapTo(m_window.get(), QPoint()).x();
            return qAbs(fieldLeft - cardLeft);
        };
        QTRY_VERIFY2(misalignment() <= 2, qPrintable(QString::number(misalignment())));
    }

    /**
     * Issue 27: the first start's window fits the screen, and the empty Places dock (N39)
     * does not take a fifth of it; it opens with the first saved place.
     */
    void theFirstStartFitsTheScreenWithoutAnEmptyPlacesDock()
    {
        m_window.reset();
        Settings fresh(m_dir->filePath(u"fresh.ini"_s));
        MainWindow window(m_service.get(), &fresh, m_network.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QRect room = window.screen()->availableGeometry();
        QVERIFY2(window.width() <= room.width() && window.height() <= room.height(),
                 qPrintable(u"%1 x %2 on %3 x %4"_s.arg(window.width())
                                .arg(window.height())
                                .arg(room.width())
                                .arg(room.height())));
        auto *places = window.findChild<QDockWidget *>(u"placesDock"_s);
        QVERIFY(!places->isVisible());
        QSignalSpy finished(&window, &MainWindow::weatherRequestsFinished);
        window.showLocation(berlin());
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(!places->isVisible());
        window.addShownPlace();
        QVERIFY(places->isVisible());
        // Closed by the person afterwards, it stays closed.
        places->close();
        window.showLocation(toLocation(*m_server->city(u"Paris"_s)));
        QTRY_COMPARE(finished.size(), 2);
        window.addShownPlace();
        QVERIFY(!places->isVisible());
    }

    /** Issue 27: F5 on fresh weather said nothing; it says it is up to date and until when. */
    void f5OnFreshWeatherSaysItIsUpToDate()
    {
        showBerlin();
        m_clock->advance(kMinute);
        const int requests = m_server->totalRequestCount();
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        QCOMPARE(m_window->statusBar()->currentMessage(),
                 u"Already up to date; next update in 9 min"_s);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(m_server->totalRequestCount(), requests); // from the cache
        // Offline, F5 is a real attempt: no "up to date" claim.
        m_server->http()->close();
        m_clock->advance(10 * kMinute);
        QTRY_VERIFY(m_window->weatherCard()->isErrorVisible());
        m_window->statusBar()->clearMessage();
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        QVERIFY(!m_window->statusBar()->currentMessage().contains(u"up to date"_s));
    }

    /** Issue 27: an error in the status bar stayed 10 s after the weather came back. */
    void theStatusBarClearsItsErrorOnRecovery()
    {
        showBerlin();
        // Paris's weather comes, its forecast does not: the status bar says so.
        m_server->failWith(Endpoint::OpenMeteoForecast, 500);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(*m_server->city(u"Paris"_s)));
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY2(m_window->statusBar()->currentMessage().startsWith(u"No forecast"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
        m_server->clearReplies();
        m_window->forceRefresh();
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(m_window->statusBar()->currentMessage(), QString()); // at once, not 10 s later
    }

    void mnemonicsAreUniqueInTheWindowAndEachMenu_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("English") << u"en-US"_s;
        QTest::newRow("German") << u"de-DE"_s;
    }

    /**
     * Issue 27: a walk over the window's menus, buttons and captions, as the Preferences test
     * does for its dialog: one Alt+key, one target (F was Find City and Force Refresh, Alt+H
     * the Help menu and the panel's "Show the last").
     */
    void mnemonicsAreUniqueInTheWindowAndEachMenu()
    {
        QFETCH(QString, language);
        Translations::install(QCoreApplication::instance(), {language});
        const auto english = qScopeGuard(
            [] { Translations::install(QCoreApplication::instance(), {u"en-US"_s}); });
        m_window.reset();
        createWindow();
        savePlaces({u"Paris"_s});
        m_window->resize(1600, 900);
        m_window->findChild<QDockWidget *>(u"cacheDock"_s)->show();
        m_window->findChild<QDockWidget *>(u"placesDock"_s)->show();

        const auto mnemonic = [](const QString &text) -> QChar {
            for (qsizetype i = 0; i + 1 < text.size(); ++i) {
                if (text.at(i) != u'&')
                    continue;
                if (text.at(i + 1) == u'&') {
                    ++i;
                    continue;
                }
                return text.at(i + 1).toLower();
            }
            return {};
        };
        // The window's own Alt+keys: the menu bar, its buttons, the captions with a buddy.
        QHash<QChar, QString> window;
        const auto claim = [&](QHash<QChar, QString> &scope, const QString &text) {
            const QChar key = mnemonic(text);
            if (key.isNull())
                return;
            QVERIFY2(!scope.contains(key),
                     qPrintable(u"Alt+%1: “%2” and “%3”"_s.arg(key, scope.value(key), text)));
            scope.insert(key, text);
        };
        for (QAction *menu : m_window->menuBar()->actions())
            claim(window, menu->text());
        for (QAbstractButton *button : m_window->findChildren<QAbstractButton *>()) {
            if (button->isVisibleTo(m_window.get()))
                claim(window, button->text());
        }
        for (QLabel *label : m_window->findChildren<QLabel *>()) {
            if (label->buddy() && label->isVisibleTo(m_window.get()))
                claim(window, label->text());
        }
        QVERIFY(window.size() >= 8);
        // Each menu's items.
        for (QAction *menuAction : m_window->menuBar()->actions()) {
            QHash<QChar, QString> menu;
            for (QAction *item : menuAction->menu()->actions())
                claim(menu, item->text());
            QVERIFY2(!menu.isEmpty(), qPrintable(menuAction->text()));
        }
    }

    /** Issue 27, N3: the Places list is the main navigation: next to the search field. */
    void placesComeEarlyInTheTabOrder()
    {
        savePlaces({u"Paris"_s, u"Tokyo"_s});
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        edit->setFocus(Qt::ShortcutFocusReason);
        QTRY_VERIFY(edit->hasFocus());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ShiftModifier);
        QTRY_COMPARE(QApplication::focusWidget(), m_window->placesPanel()->view());
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s); // passing through picks nothing
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QTRY_COMPARE(QApplication::focusWidget(), edit);
    }

    /** Issue 27: every Tab stop shows its focus; the status line is a label that did not. */
    void theStatusLineShowsItsFocus()
    {
        showBerlin();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        auto *status = m_window->weatherCard()->findChild<QLabel *>(u"statusLabel"_s);
        QVERIFY(status->focusPolicy() & Qt::TabFocus);
        m_window->searchBar()->lineEdit()->setFocus();
        QTRY_VERIFY(!status->hasFocus());
        const QImage before = status->grab().toImage();
        status->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(status->hasFocus());
        QVERIFY(status->grab().toImage() != before);
        m_window->searchBar()->lineEdit()->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(!status->hasFocus());
        QCOMPARE(status->grab().toImage(), before);
    }

    void ctrlDAddsEvenFromTheSearchField()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        edit->setFocus();
        QTest::keyClicks(edit, u"Berlin"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(edit->hasFocus());
        QTest::keyClick(edit, Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(m_window->placesModel()->rowCount(), 1);
    }

    void placesMoveAndGoByKeyboard()
    {
        const FakeWeatherServer::City paris = *m_server->city(u"Paris"_s);
        const FakeWeatherServer::City tokyo = *m_server->city(u"Tokyo"_s);
        for (const Location &l : {berlin(), toLocation(paris), toLocation(tokyo)}) {
            QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
            m_window->showLocation(l);
            QTRY_COMPARE(finished.count(), 1);
            m_window->addShownPlace();
        }
        PlacesModel *places = m_window->placesModel();
        QCOMPARE(places->rowCount(), 3);
        QListView *view = m_window->placesPanel()->view();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        view->setFocus();
        view->setCurrentIndex(places->index(0));
        QTest::keyClick(view, Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(places->index(1).data().toString(), u"Berlin"_s);
        QCOMPARE(view->currentIndex().row(), 1);
        QTest::keyClick(view, Qt::Key_Up, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(places->index(0).data().toString(), u"Berlin"_s);
        QCOMPARE(m_settings->savedPlaces().at(0).location.name, u"Berlin"_s);

        // Delete takes it off the list; the weather shown stays.
        view->setCurrentIndex(places->index(2));
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(places->rowCount(), 2);
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        QCOMPARE(m_settings->savedPlaces().size(), 2);
    }

    // Issue 21: the place on screen changes only when the person picks one.
    void tabIntoPlacesKeepsTheShownPlace()
    {
        savePlaces({u"Paris"_s, u"Tokyo"_s});
        showBerlin(); // not saved
        QListView *view = m_window->placesPanel()->view();
        view->selectionModel()->clear();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_window->searchBar()->setFocus(Qt::TabFocusReason);
        view->setFocus(Qt::TabFocusReason); // what Tab does
        QVERIFY(view->hasFocus());
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QCOMPARE(m_window->requestedLocation().name, u"Berlin"_s);
        // The arrow keys do pick.
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(label("placeLabel"), u"Paris, Île-de-France, FR"_s);
    }

    void rightClickOpensTheMenuWithoutShowingThePlace()
    {
        savePlaces({u"Paris"_s, u"Tokyo"_s});
        PlacesModel *places = m_window->placesModel();
        QListView *view = m_window->placesPanel()->view();
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        const QPoint paris = view->visualRect(places->index(0)).center();
        QTest::mouseClick(view->viewport(), Qt::RightButton, {}, paris);
        QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, paris,
                                    view->viewport()->mapToGlobal(paris));
        QApplication::sendEvent(view->viewport(), &menuEvent);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = m_window->placesPanel()->findChild<QMenu *>()) && menu->isVisible());
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        QCOMPARE(view->currentIndex().row(), 1); // the shown place stays highlighted
        // The menu acts on the row clicked: Paris moves down, Tokyo stays on screen.
        QAction *down = m_window->placesPanel()->moveDownAction();
        QVERIFY(down->isEnabled());
        menu->close();
        down->trigger();
        QCOMPARE(places->index(1).data().toString(), u"Paris"_s);
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        // A left click does show it.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(places->index(1)).center());
        QCOMPARE(label("placeLabel"), u"Paris, Île-de-France, FR"_s);
    }

    void removingTheShownPlaceLeavesNoStrayHighlight()
    {
        savePlaces({u"Paris"_s, u"Tokyo"_s, u"Berlin"_s});
        PlacesModel *places = m_window->placesModel();
        QListView *view = m_window->placesPanel()->view();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(places->index(1)).center());
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(places->rowCount(), 2);
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s); // still on screen, unsaved now
        // No row claims to be the one shown.
        QVERIFY(!view->selectionModel()->hasSelection());
        // Clicking the row that took its place shows it.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(places->index(1)).center());
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QCOMPARE(view->currentIndex().row(), 1);
    }

    void keyboardAndScreenReaderNames()
    {
        showBerlin();
        // Tab from the search field reaches the recent places next, not after everything.
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        auto *recent = m_window->searchBar()->findChild<QWidget *>(u"recentButton0"_s);
        QVERIFY(recent);
        QCOMPARE(edit->nextInFocusChain(), recent);
        // One Tab leaves the cache table instead of walking its cells.
        auto *table = m_window->cachePanel()->findChild<QTreeView *>();
        QVERIFY(table);
        QVERIFY(!table->tabKeyNavigation());
        // No two top-level mnemonics: Alt+C was both the Cache menu and the Clear button.
        QStringList menus;
        for (QAction *a : m_window->menuBar()->actions())
            menus << a->text();
        QVERIFY2(!menus.contains(u"&Cache"_s), qPrintable(menus.join(u' ')));
        for (const char *name : {"searchEdit", "forecastView", "iconLabel", "errorLabel",
                                 "dismissButton", "placesView"}) {
            auto *w = m_window->findChild<QWidget *>(QString::fromLatin1(name));
            QVERIFY2(w, name);
            QVERIFY2(!w->accessibleName().isEmpty(),
                     qPrintable(QString::fromLatin1(name) + u' '
                                + QString::fromLatin1(w->metaObject()->className())));
            QVERIFY2(w->accessibleName() != u"✕"_s, name);
        }
        QVERIFY(!m_window->weatherCard()->accessibleName().isEmpty());
        QVERIFY(!m_window->placesPanel()->accessibleName().isEmpty());
        QVERIFY(!table->accessibleName().isEmpty());
        auto *forecast = m_window->findChild<QWidget *>(u"forecastView"_s);
        QCOMPARE(forecast->focusPolicy(), Qt::NoFocus);
    }

    void failedForceRefreshSaysSoAndKeepsTheWeather()
    {
        showBerlin();
        const QString temperature = label("temperatureLabel");
        m_server->http()->close(); // offline, within the TTL
        m_clock->advance(kMinute);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        action("actionForceRefresh")->trigger();
        QTRY_COMPARE(finished.count(), 1);
        WeatherCard *card = m_window->weatherCard();
        QVERIFY2(card->isErrorVisible(), "a failed forced refresh must not look like success");
        QCOMPARE(label("temperatureLabel"), temperature);
        QTRY_COMPARE(
            label("statusLabel"),
            u"Offline — showing data from %1 · retrying in 1 min"_s.arg(berlinObservedAt()));
    }

    void weatherKeepsItselfCurrent()
    {
        showBerlin();
        using E = FakeWeatherServer::Endpoint;
        QCOMPARE(m_server->requestCount(E::OpenMeteoCurrent), 1);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_clock->advance(10 * kMinute); // current conditions expire; the forecast does not
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(m_server->requestCount(E::OpenMeteoCurrent), 2);
        QCOMPARE(m_server->requestCount(E::OpenMeteoForecast), 1);
        QCOMPARE(label("statusLabel"), u"Updated just now · next update in 10 min"_s);
        QCOMPARE(m_window->retryIntervalMs(), -1);
    }

    void failuresAreRetriedWithBackoff()
    {
        showBerlin();
        m_server->http()->close();
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_clock->advance(10 * kMinute); // expires, refetch fails, stale data stays
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(m_window->weatherCard()->isErrorVisible());
        QCOMPARE(m_window->retryIntervalMs(), 60'000);
        // Nobody presses anything: a minute later it tries again by itself, then backs off.
        m_clock->advance(60'000);
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(m_window->retryIntervalMs(), 120'000);
        QCOMPARE(m_server->requestCount(FakeWeatherServer::Endpoint::OpenMeteoCurrent), 1);
        m_clock->advance(60'000); // not yet
        QCOMPARE(finished.count(), 2);
        m_clock->advance(60'000);
        QTRY_COMPARE(finished.count(), 3);
        QCOMPARE(m_window->retryIntervalMs(), 240'000);
    }

    void refreshNowOnTheShownPlaceUpdatesTheCard()
    {
        showBerlin();
        m_window->weatherCard()->setStatusInterval(20);
        m_clock->advance(4 * kMinute);
        QTRY_COMPARE(label("statusLabel"), u"Updated 4 min ago · next update in 6 min"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        // The panel's context menu: "Refresh now" on the shown place's current conditions.
        Q_EMIT m_window->cachePanel()->refreshRequested(m_service->currentKey(berlin()));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(m_server->requestCount(FakeWeatherServer::Endpoint::OpenMeteoCurrent), 2);
        QCOMPARE(label("statusLabel"), u"Updated just now · next update in 10 min"_s);
    }

    void refreshNowReachesEveryFeedOfEveryPlace_data()
    {
        QTest::addColumn<QString>("city"); // Berlin: saved, not shown; Paris: shown
        QTest::addColumn<int>("feed");
        QTest::newRow("shown current") << u"Paris"_s << int(WeatherKey::Kind::Current);
        QTest::newRow("shown hourly") << u"Paris"_s << int(WeatherKey::Kind::Hourly);
        QTest::newRow("shown forecast") << u"Paris"_s << int(WeatherKey::Kind::Forecast);
        QTest::newRow("saved current") << u"Berlin"_s << int(WeatherKey::Kind::Current);
        QTest::newRow("saved hourly") << u"Berlin"_s << int(WeatherKey::Kind::Hourly);
    }

    void refreshNowReachesEveryFeedOfEveryPlace()
    {
        QFETCH(QString, city);
        QFETCH(int, feed);
        savePlaces({u"Berlin"_s});
        const Location paris = toLocation(*m_server->city(u"Paris"_s));
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(paris);
        QTRY_COMPARE(finished.count(), 1);
        const Location place = toLocation(*m_server->city(city));
        const auto kind = WeatherKey::Kind(feed);
        const QString key = kind == WeatherKey::Kind::Current    ? m_service->currentKey(place)
                            : kind == WeatherKey::Kind::Forecast ? m_service->forecastKey(place)
                                                                 : m_service->hourlyKey(place);
        // What the card, the chart and the Places row are drawn from: the session's answers.
        WeatherSession *session = m_window->session();
        QSignalSpy current(session, &WeatherSession::currentAnswered);
        QSignalSpy forecast(session, &WeatherSession::forecastAnswered);
        QSignalSpy hourly(session, &WeatherSession::hourlyAnswered);
        QSignalSpy &spy = kind == WeatherKey::Kind::Current    ? current
                          : kind == WeatherKey::Kind::Forecast ? forecast
                                                               : hourly;
        // The panel's context menu: "Refresh now" on that entry.
        Q_EMIT m_window->cachePanel()->refreshRequested(key);
        QTRY_COMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(1).value<Location>().name, city);
        QCOMPARE(current.count() + forecast.count() + hourly.count(), 1); // that feed only
    }

    void clearConfirmationSaysWhatIsLostAndKept()
    {
        showBerlin();
        QVERIFY(m_service->cache()->stats().entries > 0);
        m_window->clearCache();
        auto *box = m_window->findChild<QMessageBox *>(u"clearCacheConfirmation"_s);
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        const QString words = box->text() + u' ' + box->informativeText();
        for (const QString &said : {u"Lost:"_s, u"in memory"_s, u"Open-Meteo"_s, u"Kept:"_s,
                                    u"the weather on screen"_s, u"your places"_s, u"settings"_s})
            QVERIFY2(words.contains(said), qPrintable(said + u" in: "_s + words));
        // No bare Yes: the button says what it does, and Cancel is the default.
        QVERIFY(!box->button(QMessageBox::Yes));
        auto *clear = box->findChild<QPushButton *>(u"clearCacheButton"_s);
        QVERIFY(clear);
        QCOMPARE(clear->text().remove(u'&'), u"Clear Cache"_s);
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        const QPointer<QMessageBox> cancelled(box);
        box->button(QMessageBox::Cancel)->click();
        QVERIFY(m_service->cache()->stats().entries > 0); // cancelled: nothing dropped
        QTRY_VERIFY(!cancelled); // deleted on close, a turn later
        m_window->clearCache();
        box = m_window->findChild<QMessageBox *>(u"clearCacheConfirmation"_s);
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        box->findChild<QPushButton *>(u"clearCacheButton"_s)->click();
        QCOMPARE(m_service->cache()->stats().entries, 0);
    }

    void cacheStatusHasOneName()
    {
        // The menu entry, the dock's title and its accessible name: one name (issue 27, c5).
        auto *dock = m_window->findChild<QDockWidget *>(u"cacheDock"_s);
        QVERIFY(dock);
        QCOMPARE(dock->windowTitle(), u"Cache status"_s);
        QCOMPARE(dock->toggleViewAction()->text().remove(u'&'), u"Cache status"_s);
        QCOMPARE(dock->accessibleName(), u"Cache status"_s);
    }

    void aboutOpensTheAboutDialog()
    {
        m_window->showAbout();
        auto *about = m_window->findChild<AboutDialog *>();
        QVERIFY(about);
        QTRY_VERIFY(about->isVisible());
        QVERIFY(about->findChild<QLabel *>(u"aboutText"_s)->text().contains(u"Open-Meteo"_s));
        about->close();
    }

    void clearAndInvalidateNeverStopRefreshing()
    {
        showBerlin();
        using E = FakeWeatherServer::Endpoint;
        m_window->cachePanel()->selectKey(m_service->currentKey(berlin()));
        action("actionInvalidate")->trigger();
        m_window->clearCacheNow();
        m_clock->advance(2 * kMinute);
        QCOMPARE(m_server->requestCount(E::OpenMeteoCurrent), 1); // nothing asked for it yet
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_clock->advance(8 * kMinute); // when the dropped entry would have expired
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(m_server->requestCount(E::OpenMeteoCurrent), 2);
        QCOMPARE(label("statusLabel"), u"Updated just now · next update in 10 min"_s);
        m_clock->advance(10 * kMinute); // and it goes on doing so
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(m_server->requestCount(E::OpenMeteoCurrent), 3);
    }

    void unknownCityIsNotRetried()
    {
        QSignalSpy failed(m_window.get(), &MainWindow::searchFailed);
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        QTest::keyClicks(edit, u"Xyzzyville"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(m_window->retryIntervalMs(), -1);
    }

    void lateAnswerForAnOldCityIsDropped()
    {
        showBerlin();
        // Paris answers slowly; Tokyo is asked for meanwhile and must win.
        m_server->http()->pause();
        const FakeWeatherServer::City paris = *m_server->city(u"Paris"_s);
        m_window->showLocation(toLocation(paris));
        // Berlin's five feeds, Paris' five (weather, air quality, nowcast).
        QTRY_COMPARE(m_server->totalRequestCount(), 5 + 5);
        m_server->http()->resume();
        const FakeWeatherServer::City tokyo = *m_server->city(u"Tokyo"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(tokyo));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        // Give Paris' answers every chance to arrive; they must change nothing.
        QTRY_VERIFY(
            m_service->cache()->entryInfo(m_service->currentKey(toLocation(paris))).has_value()
            && m_service->cache()->entryInfo(m_service->currentKey(toLocation(paris)))->state
                   != EntryState::Loading);
        QCOMPARE(label("placeLabel"), u"Tokyo, JP"_s);
        QCOMPARE(label("temperatureLabel"), degrees(tokyo.temperatureC));
    }

    void lastCityComesBackFromDiskAtOnce()
    {
        m_window.reset();
        m_service.reset();
        m_store = std::make_unique<SqliteTier>(PersistentStore::defaultDirectory(), m_clock.get());
        createWindow();
        showBerlin();
        m_window.reset();
        m_service.reset();
        m_store.reset(); // the first run exits: its writes reach the disk
        m_store = std::make_unique<SqliteTier>(PersistentStore::defaultDirectory(), m_clock.get());

        // Next start, offline: the last city is back from the disk tier without a request.
        m_server->resetCounters();
        m_server->http()->close();
        m_clock->advance(2 * kMinute);
        createWindow();
        QTRY_COMPARE(label("temperatureLabel"), degrees(m_server->city(u"Berlin"_s)->temperatureC));
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QCOMPARE(m_server->totalRequestCount(), 0);
        QTRY_COMPARE(label("statusLabel"),
                     u"Updated 2 min ago · from cache · next update in 8 min"_s);
    }

    void firstAnswerIsOnTheCardBeforeTheWindowShows()
    {
        // A window with no place to show has nothing to wait for.
        QVERIFY(m_window->hasFirstAnswer());
        m_window.reset();
        m_service.reset();
        m_store = std::make_unique<SqliteTier>(PersistentStore::defaultDirectory(), m_clock.get());
        createWindow();
        showBerlin();
        const FakeWeatherServer::City paris = *m_server->city(u"Paris"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(toLocation(paris));
        QTRY_COMPARE(finished.count(), 1);
        m_window->addShownPlace();
        m_window->showLocation(berlin());
        QTRY_COMPARE(m_settings->lastLocation().name, u"Berlin"_s);
        QCOMPARE(m_settings->savedPlaces().size(), 1);
        m_window.reset();
        m_service.reset();
        m_store.reset(); // the first run exits: its writes reach the disk
        {
            // Thousands of other places on the disk (a CLI in a status bar).
            PersistentStore store(m_clock.get());
            QVERIFY(store.open(PersistentStore::defaultDirectory()));
            const WeatherService keys(m_network.get());
            const auto stored = store.read(keys.currentKey(berlin()));
            QVERIFY(stored);
            for (int i = 0; i < 2000; ++i) {
                Location other;
                other.latitude = 10 + (i / 100) * 0.5;
                other.longitude = 20 + (i % 100) * 0.5;
                QVERIFY(store.write(keys.currentKey(other), stored->value, m_clock->now(),
                                    10 * kMinute));
            }
        }

        // The next start as main() makes it: warm the shown and saved places, build the window,
        // show it once its card has the weather.
        m_server->resetCounters();
        m_clock->advance(kMinute);
        m_store = std::make_unique<SqliteTier>(PersistentStore::defaultDirectory(), m_clock.get());
        m_service = std::make_unique<WeatherService>(m_network.get(), m_clock.get());
        m_service->setConfig(m_settings->serviceConfig());
        m_service->addTier(m_store.get());
        QSignalSpy warmed(m_service.get(), &WeatherService::warmUpFinished);
        m_service->warmUp({m_settings->lastLocation(), m_settings->savedPlaces().at(0).location});
        m_window = std::make_unique<MainWindow>(m_service.get(), m_settings.get(), m_network.get());
        QVERIFY(!m_window->hasFirstAnswer());
        QSignalSpy first(m_window.get(), &MainWindow::firstAnswerShown);
        // main() shows the window on this signal: the card must have the weather by then.
        QString temperatureWhenAnswered;
        int forecastRowsWhenAnswered = -1;
        connect(m_window.get(), &MainWindow::firstAnswerShown, this, [&] {
            temperatureWhenAnswered = label("temperatureLabel");
            auto *days = m_window->weatherCard()->findChild<QListView *>(u"forecastView"_s);
            forecastRowsWhenAnswered = days && days->model() ? days->model()->rowCount() : -1;
        });
        QVERIFY(first.wait());
        QVERIFY(m_window->hasFirstAnswer());
        QVERIFY(forecastRowsWhenAnswered >= 5);
        QCOMPARE(temperatureWhenAnswered, degrees(m_server->city(u"Berlin"_s)->temperatureC));
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
        QVERIFY(m_window->weatherCard()->hasWeather());
        QTRY_COMPARE(warmed.size(), 1);
        // Memory holds the two places' entries, not the disk's thousands; nothing was fetched.
        // Five feeds each (issue 23: air quality and the nowcast too).
        QCOMPARE(warmed.at(0).at(0).toInt(), 10);
        QTRY_COMPARE(m_service->cache()->count(), 10);
        QCOMPARE(m_server->totalRequestCount(), 0);
        QCOMPARE(first.size(), 1);
    }

    void clearCacheEmptiesThePanel()
    {
        showBerlin();
        CacheEntryModel *model = m_window->cachePanel()->model();
        QAbstractItemModelTester tester(model);
        QVERIFY(model->rowCount() >= 2);
        m_window->cachePanel()->selectKey(m_service->currentKey(berlin()));
        QCOMPARE(m_window->cachePanel()->selectedKey(), m_service->currentKey(berlin()));
        const int before = model->rowCount();
        action("actionInvalidate")->trigger();
        QCOMPARE(model->rowCount(), before - 1);
        QCOMPARE(model->rowOfKey(m_service->currentKey(berlin())), -1);
        m_window->clearCacheNow();
        QCOMPARE(model->rowCount(), 0);
        // The weather stays on screen.
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
    }

    void hostileNamesShowAsTheyAre_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("shownName"); // as a person must read them
        QTest::addColumn<QString>("shownRegion");
        QTest::newRow("markup") << kHostileName << u"<b>Bold</b> Region"_s << u"<i>Nowhere</i>"_s
                                << kHostileName << u"<b>Bold</b> Region"_s;
        QTest::newRow("entities and ampersands")
            << u"Fish &amp; Chips & &Co"_s << u"Shire &lt;3"_s << u"Land & Sea"_s
            << u"Fish &amp; Chips & &Co"_s << u"Shire &lt;3"_s;
        QTest::newRow("bidi override and terminal sequence")
            << u"Evil\u202Etxt.exe\u001B]0;pwned\u0007"_s << u"\u202EBackwards"_s << u"Nowhere"_s
            << u"Eviltxt.exe]0;pwned"_s << u"Backwards"_s;
    }
    void hostileNamesShowAsTheyAre()
    {
        QFETCH(QString, name);
        QFETCH(QString, region);
        QFETCH(QString, country);
        QFETCH(QString, shownName);
        QFETCH(QString, shownRegion);
        FakeWeatherServer::City city = *m_server->city(u"Berlin"_s);
        city.name = name;
        city.alternateNames = {u"Evilton"_s};
        city.region = region;
        city.regionCode.clear();
        city.country = country;
        city.countryCode = u"ZZ"_s;
        city.latitude = 10.5;
        city.longitude = 20.5;
        m_server->addCity(city);
        const QString shownPlace = shownName + u", "_s + shownRegion + u", ZZ"_s;

        // The suggestions while typing.
        SearchBar *bar = m_window->searchBar();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        bar->lineEdit()->setFocus();
        QTest::keyClicks(bar->lineEdit(), u"Evilton"_s);
        QAbstractItemView *popup = bar->completer()->popup();
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(popup->model()->rowCount(), 1);
        const QModelIndex suggestion = popup->model()->index(0, 0);
        QCOMPARE(suggestion.data(Qt::DisplayRole).toString(), shownPlace);
        QCOMPARE(suggestion.data(LocationSuggestionModel::NameRole).toString(), shownName);
        QCOMPARE(suggestion.data(LocationSuggestionModel::DetailRole).toString(),
                 shownRegion + u", "_s + country);
        QVERIFY(shownToolTip(suggestion.data(Qt::ToolTipRole).toString())
                    .startsWith(shownPlace + u" ("_s));

        // Enter takes it: the card.
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 1);
        auto *place = m_window->findChild<QLabel *>(u"placeLabel"_s);
        QCOMPARE(place->textFormat(), Qt::PlainText);
        QCOMPARE(place->text(), shownPlace);
        QCOMPARE(bar->text(), shownPlace);

        // The recent-cities row.
        auto *recent = bar->findChild<QToolButton *>(u"recentButton0"_s);
        QVERIFY(recent);
        QCOMPARE(shownButtonText(recent->text()), shownName);
        QVERIFY(QKeySequence::mnemonic(recent->text()).isEmpty());
        QCOMPARE(shownToolTip(recent->toolTip()), u"Show the weather in "_s + shownPlace);

        // The cache panel's row for it.
        auto *entries = m_window->cachePanel()->findChild<QTreeView *>(u"entriesView"_s);
        QVERIFY(entries);
        const QString shownEntry = shownName + u", ZZ · current conditions"_s;
        QModelIndex row; // under its place: "<name>, ZZ — Open-Meteo, metric" ▸ current...
        for (int i = 0; i < entries->model()->rowCount(); ++i) {
            const QModelIndex place = entries->model()->index(i, CacheEntryModel::EntryColumn);
            if (!place.data().toString().startsWith(shownName + u", ZZ — "_s))
                continue;
            for (int j = 0; j < entries->model()->rowCount(place); ++j) {
                const QModelIndex index = entries->model()->index(j, 0, place);
                if (index.data().toString() == u"current conditions"_s)
                    row = index;
            }
        }
        QVERIFY2(row.isValid(), qPrintable(shownEntry));
        QVERIFY(shownToolTip(row.data(Qt::ToolTipRole).toString()).startsWith(shownEntry));
    }

    void everyLabelButTheAttributionIsPlainText()
    {
        m_window->showPreferences();
        auto *preferences = m_window->findChild<QDialog *>();
        QVERIFY(preferences);
        const QList<QLabel *> labels = m_window->findChildren<QLabel *>();
        QVERIFY(labels.size() > 30);
        for (const QLabel *l : labels) {
            const Qt::TextFormat expected
                = l->objectName() == u"attributionLabel"_s ? Qt::RichText : Qt::PlainText;
            QVERIFY2(l->textFormat() == expected, qPrintable(l->objectName()));
        }
    }

    void aQueryThatFindsNothingIsQuotedAsTyped()
    {
        QSignalSpy failed(m_window.get(), &MainWindow::searchFailed);
        QLineEdit *edit = m_window->searchBar()->lineEdit();
        QTest::keyClicks(edit, u"<b>Nowhere</b> &amp;"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(failed.count(), 1);
        auto *error = m_window->findChild<QLabel *>(u"errorLabel"_s);
        QCOMPARE(error->textFormat(), Qt::PlainText);
        QVERIFY2(error->text().contains(u"“<b>Nowhere</b> &amp;”"_s), qPrintable(error->text()));
        // Said once, in the banner; not a second time in the status bar.
        QVERIFY(!m_window->statusBar()->currentMessage().contains(u"Nowhere"_s));
    }

    void openWeatherMapDescriptionShowsAsItIs()
    {
        m_settings->setProviderId(u"openweathermap"_s);
        m_settings->setApiKey(m_server->validApiKey());
        QTRY_COMPARE(m_service->provider()->id(), u"openweathermap"_s);
        const FakeWeatherServer::City berlinCity = *m_server->city(u"Berlin"_s);
        const qint64 dt = m_server->serverTime().toSecsSinceEpoch();
        const QJsonObject body{
            {u"coord"_s,
             QJsonObject{{u"lon"_s, berlinCity.longitude}, {u"lat"_s, berlinCity.latitude}}},
            {u"weather"_s,
             QJsonArray{QJsonObject{
                 {u"id"_s, 500},
                 {u"main"_s, u"Rain"_s},
                 {u"description"_s, u"<font color=red size=7>EVIL</font> rain\u202E &amp;"_s},
                 {u"icon"_s, u"10d"_s}}}},
            {u"main"_s, QJsonObject{{u"temp"_s, 12.0},
                                    {u"feels_like"_s, 11.0},
                                    {u"pressure"_s, 1012},
                                    {u"humidity"_s, 55}}},
            {u"wind"_s, QJsonObject{{u"speed"_s, 3.0}, {u"deg"_s, 250}}},
            {u"dt"_s, dt},
            {u"sys"_s, QJsonObject{{u"country"_s, u"DE"_s},
                                   {u"sunrise"_s, dt - 3600},
                                   {u"sunset"_s, dt + 3600}}},
            {u"timezone"_s, berlinCity.utcOffsetSeconds},
            {u"name"_s, u"<b>Berlin</b>"_s},
            {u"cod"_s, 200}};
        m_server->setReply(Endpoint::OwmCurrent, HttpReply::json(200, QJsonDocument(body).toJson(
                                                                          QJsonDocument::Compact)));

        showBerlin();
        const QString shown = u"<font color=red size=7>EVIL</font> rain &amp;"_s;
        auto *description = m_window->findChild<QLabel *>(u"descriptionLabel"_s);
        QCOMPARE(description->textFormat(), Qt::PlainText);
        QCOMPARE(description->text(), shown);
        auto *icon = m_window->findChild<QLabel *>(u"iconLabel"_s);
        QCOMPARE(shownToolTip(icon->toolTip()), shown);
    }

private:
    void createWindow()
    {
        m_service = std::make_unique<WeatherService>(m_network.get(), m_clock.get());
        m_service->setConfig(m_settings->serviceConfig());
        if (m_withAlerts) { // issue 22, as main() does: before the window asks for its places
            m_alerts
                = std::make_unique<AlertService>(m_network.get(), m_service.get(), m_clock.get());
            m_alerts->provider()->setBaseUrl(m_server->baseUrl());
            m_service->setAlertService(m_alerts.get());
        }
        if (m_store) {
            m_service->addTier(m_store.get());
            m_service->warmUp();
        }
        m_window = std::make_unique<MainWindow>(m_service.get(), m_settings.get(), m_network.get());
        m_window->resize(1100, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    static Location toLocation(const FakeWeatherServer::City &city)
    {
        Location l;
        l.name = city.name;
        l.region = city.region;
        l.country = city.country;
        l.countryCode = city.countryCode;
        l.latitude = city.latitude;
        l.longitude = city.longitude;
        l.timezone = city.timezone;
        l.utcOffsetSeconds = city.utcOffsetSeconds;
        return l;
    }

    Location berlin() const { return toLocation(*m_server->city(u"Berlin"_s)); }

    /** When Berlin's weather was observed (the server's time), on the reader's clock. */
    QString berlinObservedAt() const
    {
        const QDateTime observed = m_server->serverTime().toLocalTime();
        const QString time = QLocale().toString(observed.time(), QLocale::ShortFormat);
        return observed.offsetFromUtc() == berlin().utcOffsetSeconds.value_or(0)
                   ? time
                   : time + u" your time"_s;
    }

    /** Shows and saves each city in turn; the last one stays on screen. */
    void savePlaces(const QStringList &cities)
    {
        for (const QString &name : cities) {
            QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
            m_window->showLocation(toLocation(*m_server->city(name)));
            QTRY_COMPARE(finished.count(), 1);
            m_window->addShownPlace();
        }
        QCOMPARE(m_window->placesModel()->rowCount(), cities.size());
    }

    void showBerlin()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->showLocation(berlin());
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(label("placeLabel"), u"Berlin, DE"_s);
    }

    QString label(const char *name) const
    {
        auto *l = m_window->findChild<QLabel *>(QString::fromLatin1(name));
        return l ? l->text() : u"<no label %1>"_s.arg(QString::fromLatin1(name));
    }

    QAction *action(const char *name) const
    {
        auto *a = m_window->findChild<QAction *>(QString::fromLatin1(name));
        Q_ASSERT(a);
        return a;
    }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SqliteTier> m_store;
    std::unique_ptr<WeatherService> m_service;
    std::unique_ptr<AlertService> m_alerts; // with m_withAlerts only
    bool m_withAlerts = false;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
