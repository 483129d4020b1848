// SPDX-License-Identifier: MIT
// "Here" in the window (issue 24): HereTracker over the real window, service, disk tier and
// PlaceBook, with positions from an NMEA log the test writes and the fake server answering
// /reverse and the weather.

#include "fakeweatherserver.h"
#include "nmealog.h"

#include "cache/clock.h"
#include "models/placesmodel.h"
#include "position/heretracker.h"
#include "position/positionsource.h"
#include "store/persistentstore.h"
#include "store/sqlitetier.h"
#include "weather/placebook.h"
#include "weather/reversegeocoder.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"
#include "widgets/mainwindow.h"
#include "widgets/placespanel.h"
#include "widgets/preferencesdialog.h"
#include "widgets/uselocationbutton.h"
#include "widgets/weathercard.h"

#include <QCheckBox>
#include <QFile>
#include <QListView>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {
/** Berlin (Mitte), three fixes in its cell, and a place about 4 km north (Pankow). */
constexpr std::pair<double, double> kMitte{52.5200, 13.4120};
constexpr std::pair<double, double> kMitteAgain{52.5204, 13.4122};
constexpr std::pair<double, double> kMitteStill{52.5201, 13.4119};
constexpr std::pair<double, double> kPankow{52.5560, 13.4120};
constexpr int kWaitMs = 15'000; // a log replays a fix a second, in real time
} // namespace

class tst_HereTracker : public QObject
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
        qputenv("WEATHERDASH_NOMINATIM_URL", base);
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        qputenv("WEATHERDASH_CACHE_DIR", m_dir->filePath(u"cache"_s).toUtf8());
        qputenv("WEATHERDASH_NMEA_FILE", m_dir->filePath(u"here.nmea"_s).toUtf8());
        m_clock = std::make_unique<ManualClock>(m_server->serverTime().toMSecsSinceEpoch());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    }

    void cleanup()
    {
        quit();
        // The disk tier hands its last answers to a later turn of the event loop, as in the
        // app; run it now. Left queued until QApplication goes, finishing them there would
        // post events under Qt's own lock and hang the exit.
        QCoreApplication::sendPostedEvents();
        m_settings.reset();
        m_network.reset();
        m_clock.reset();
        m_dir.reset();
        m_server.reset();
        for (const char *name :
             {"WEATHERDASH_OPENMETEO_GEOCODING_URL", "WEATHERDASH_OPENMETEO_FORECAST_URL",
              "WEATHERDASH_NOMINATIM_URL", "WEATHERDASH_CACHE_DIR", "WEATHERDASH_NMEA_FILE"})
            qunsetenv(name);
    }

    void nothingAsksForThePositionUntilTurnedOn()
    {
        writeLog(NmeaLog::rmc({kMitte}));
        launch();
        QVERIFY(!m_tracker->isFollowing());
        QVERIFY(!m_tracker->positionSource()); // GeoClue (or the log) not even opened
        QVERIFY(!m_tracker->geocoder());
        QCOMPARE(button()->button()->text(), u"Use my location"_s);
        QVERIFY(button()->isVisibleTo(m_window.get())); // on the empty start page
        QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 0);
        QCOMPARE(m_window->placesModel()->rowCount(), 0);
        QCOMPARE(book()->here(), 0);
    }

    void theStartPageButtonShowsHereWithItsNameAndWeather()
    {
        writeLog(NmeaLog::rmc({kMitte}));
        launch();
        QTest::mouseClick(button()->button(), Qt::LeftButton);
        QVERIFY(m_settings->locationEnabled());
        QVERIFY(m_tracker->isFollowing());
        QCOMPARE(button()->button()->text(), u"Stop using my location"_s);

        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != 0, kWaitMs);
        PlacesModel *places = m_window->placesModel();
        QCOMPARE(places->rowCount(), 1);
        QCOMPARE(places->index(0).data().toString(), u"Here · Berlin"_s);
        QCOMPARE(places->index(0).data(PlacesModel::AttributionRole).toString(),
                 u"© OpenStreetMap contributors"_s);
        QVERIFY(button()->statusText().startsWith(u"Here: Berlin"_s));
        QVERIFY(button()->statusText().contains(u"© OpenStreetMap contributors"_s));
        // Nothing was on screen: Here is what the person asked to see, weather and all.
        QTRY_VERIFY(!hereTemperature().isEmpty());
        QCOMPARE(book()->shown(), book()->here());
        QTRY_VERIFY(m_window->weatherCard()->hasWeather());
        QCOMPARE(m_window->weatherCard()->location().name, u"Berlin"_s);
        // The weather is for the position, not the town's centre.
        QCOMPARE(m_window->weatherCard()->location().latitude, kMitte.first);
        QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 1);
        QVERIFY(m_server->lastRequest(Endpoint::NominatimReverse).rawTarget.contains("zoom=10"));
    }

    void hereFromPreferencesNeverTakesTheShownPlace()
    {
        writeLog(NmeaLog::rmc({kMitte}));
        launch();
        showParis();
        const PlaceBook::PlaceId paris = book()->shown();

        // Preferences ▸ Desktop ▸ Location, then OK.
        auto *dialog = new PreferencesDialog(m_settings.get(), m_network.get(), m_window.get());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        auto *check = dialog->findChild<QCheckBox *>(u"locationCheck"_s);
        QVERIFY(check);
        QVERIFY(!check->isChecked());
        check->setChecked(true);
        dialog->accept();
        QVERIFY(m_settings->locationEnabled());

        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != 0, kWaitMs);
        PlacesModel *places = m_window->placesModel();
        QCOMPARE(places->index(0).data().toString(), u"Here · Berlin"_s);
        QCOMPARE(places->index(1).data().toString(), u"Paris"_s); // Here on top
        QTRY_VERIFY(!hereTemperature().isEmpty());
        // The person's pick stays on screen, highlighted in the list.
        QCOMPARE(book()->shown(), paris);
        QCOMPARE(m_window->weatherCard()->location().name, u"Paris"_s);
        QCOMPARE(m_window->placesPanel()->view()->currentIndex().row(), 1);

        // Picked, Here is shown; saved it cannot be (it moves).
        m_window->showLocation(places->locationAt(0));
        QCOMPARE(book()->shown(), book()->here());
        QTRY_COMPARE(m_window->weatherCard()->location().name, u"Berlin"_s);
        QCOMPARE(m_window->placesPanel()->view()->currentIndex().row(), 0);
        m_window->addShownPlace();
        QCOMPARE(book()->saved().size(), 1);
    }

    void aSecondRunAtTheSameSpotAsksNoName()
    {
        writeLog(NmeaLog::rmc({kMitte}));
        m_settings->setLocationEnabled(true);
        launch();
        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != 0, kWaitMs);
        QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 1);
        QTRY_VERIFY(m_window->weatherCard()->hasWeather());
        quit(); // the disk tier keeps the name for 30 days

        m_clock->advance(2 * 24 * 60 * 60 * 1000LL); // two days on
        writeLog(NmeaLog::rmc({kMitteAgain}));
        launch();
        QVERIFY(m_tracker->isFollowing()); // on from the settings
        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != 0, kWaitMs);
        QCOMPARE(m_window->placesModel()->index(0).data().toString(), u"Here · Berlin"_s);
        QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 1);
        QCOMPARE(m_tracker->geocoder()->requestsSent(), 0);
    }

    void followsThePositionOncePerCell()
    {
        // Three fixes in one cell, then one about 4 km north, a second apart.
        writeLog(NmeaLog::rmc({kMitte, kMitteAgain, kMitteStill, kPankow}));
        launch();
        showParis();
        QSignalSpy inserted(m_window->placesModel(), &QAbstractItemModel::rowsInserted);
        QSignalSpy shown(book(), &PlaceBook::shownChanged);
        m_settings->setLocationEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != 0, kWaitMs);
        const PlaceBook::PlaceId first = book()->here();
        QTRY_VERIFY(!hereTemperature().isEmpty());
        // Nominatim's second for the next name, on the app's clock, with nothing on the wire.
        QTRY_COMPARE(m_service->provider()->requestsInFlight(), 0);
        const int weatherAsked = m_server->requestCount(Endpoint::OpenMeteoCurrent);
        m_clock->advance(1'000);

        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != first, kWaitMs);
        QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 2);
        QCOMPARE(inserted.count(), 2); // came, and moved once: not once per fix
        QCOMPARE(m_window->placesModel()->rowCount(), 2);
        QVERIFY(qAbs(book()->location(book()->here()).latitude - kPankow.first) < 1e-4);
        // The new cell's weather, asked once.
        QTRY_VERIFY(!hereTemperature().isEmpty());
        QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), weatherAsked + 1);
        QCOMPARE(shown.count(), 0); // Paris stays on screen
        QCOMPARE(m_window->weatherCard()->location().name, u"Paris"_s);
    }

    void turningOffRemovesHere()
    {
        writeLog(NmeaLog::rmc({kMitte}));
        m_settings->setLocationEnabled(true);
        launch();
        showParis();
        QTRY_VERIFY_WITH_TIMEOUT(book()->here() != 0, kWaitMs);
        QCOMPARE(m_window->placesModel()->rowCount(), 2);

        m_settings->setLocationEnabled(false);
        QCOMPARE(book()->here(), 0);
        QCOMPARE(m_window->placesModel()->rowCount(), 1);
        QCOMPARE(m_window->placesModel()->index(0).data().toString(), u"Paris"_s);
        QVERIFY(!m_tracker->isFollowing());
        QVERIFY(!m_tracker->positionSource()); // GeoClue let go
        QCOMPARE(button()->button()->text(), u"Use my location"_s);
        QVERIFY(button()->statusText().isEmpty());
        QCOMPARE(m_window->weatherCard()->location().name, u"Paris"_s);
    }

    void noPositionSaysWhy_data()
    {
        QTest::addColumn<bool>("readable");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("unreadable file")
            << false << u"The NMEA log in WEATHERDASH_NMEA_FILE cannot be read."_s;
        QTest::newRow("empty file")
            << true << u"The NMEA log in WEATHERDASH_NMEA_FILE holds no position."_s;
    }

    void noPositionSaysWhy()
    {
        QFETCH(bool, readable);
        QFETCH(QString, sentence);
        if (readable)
            writeLog({});
        else
            qputenv("WEATHERDASH_NMEA_FILE", m_dir->filePath(u"missing.nmea"_s).toUtf8());
        launch();
        QTest::mouseClick(button()->button(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(button()->statusText(), sentence, kWaitMs);
        QCOMPARE(book()->hereProblem(), sentence);
        QCOMPARE(book()->here(), 0);
        QCOMPARE(m_window->placesModel()->rowCount(), 0);
        QCOMPARE(m_server->requestCount(Endpoint::NominatimReverse), 0);
        // The rest of the app works as before.
        showParis();
        QVERIFY(m_window->weatherCard()->hasWeather());
        QCOMPARE(button()->button()->text(), u"Stop using my location"_s);
    }

private:
    void writeLog(const QByteArray &log)
    {
        QFile file(qEnvironmentVariable("WEATHERDASH_NMEA_FILE"));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(log), log.size());
    }

    /** A start of the app: the disk tier, the service, the window, then the tracker. */
    void launch()
    {
        m_store = std::make_unique<SqliteTier>(PersistentStore::defaultDirectory(), m_clock.get());
        m_service = std::make_unique<WeatherService>(m_network.get(), m_clock.get());
        m_service->setConfig(m_settings->serviceConfig());
        m_service->addTier(m_store.get());
        m_window = std::make_unique<MainWindow>(m_service.get(), m_settings.get(), m_network.get());
        m_window->resize(1100, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_tracker = std::make_unique<HereTracker>(m_window->placeBook(), m_settings.get(),
                                                  m_service.get(), m_network.get());
    }

    /** The app ends as main() ends it: the tracker, the window, then the stack. */
    void quit()
    {
        m_tracker.reset();
        m_window.reset();
        m_service.reset();
        m_store.reset();
    }

    void showParis()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::weatherRequestsFinished);
        m_window->searchAndShow(u"Paris"_s);
        QTRY_VERIFY(finished.count() >= 1);
        QCOMPARE(m_window->weatherCard()->location().name, u"Paris"_s);
        m_window->addShownPlace();
    }

    PlaceBook *book() const { return m_window->placeBook(); }
    QString hereTemperature() const
    {
        return m_window->placesModel()->index(0).data(PlacesModel::TemperatureTextRole).toString();
    }
    UseLocationButton *button() const { return m_window->locationButton(); }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SqliteTier> m_store;
    std::unique_ptr<WeatherService> m_service;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<HereTracker> m_tracker;
};

QTEST_MAIN(tst_HereTracker)
#include "tst_heretracker.moc"
