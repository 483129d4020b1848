// SPDX-License-Identifier: MIT
#include "cache/asynccache.h"
#include "fakeweatherserver.h"
#include "fakeweathersource.h"
#include "weather/alertservice.h"

#include "cache/clock.h"
#include "weather/placebook.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
using Kind = WeatherKey::Kind;

Location place(const QString &name, double lat, double lon, const QString &region = {})
{
    Location l;
    l.name = name;
    l.region = region;
    l.countryCode = u"DE"_s;
    l.latitude = lat;
    l.longitude = lon;
    return l;
}

/** Runs what is queued: cache deliveries, continuations. No time passes on any clock. */
void settle()
{
    for (int i = 0; i < 10; ++i)
        QCoreApplication::processEvents();
}

const Location kBerlin = place(u"Berlin"_s, 52.52, 13.41);
const Location kParis = place(u"Paris"_s, 48.85, 2.35);
const Location kTokyo = place(u"Tokyo"_s, 35.69, 139.69);
/** Here: a position (not a cell's centre) and one a few kilometres north. */
const Location kMunich = place(u"München"_s, 48.13743, 11.57549);
const Location kGarching = place(u"Garching"_s, 48.2489, 11.6532);

} // namespace

class tst_PlaceBook : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock = std::make_unique<ManualClock>();
        m_source = std::make_unique<FakeWeatherSource>(m_clock.get());
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
        m_book = std::make_unique<PlaceBook>(m_source.get(), m_settings.get(), m_clock.get());
    }

    void cleanup()
    {
        m_book.reset();
        m_settings.reset();
        m_source.reset();
        m_clock.reset();
        m_dir.reset();
    }

    void savedPlacesKeepThePersonsOrderAcrossStarts()
    {
        save({kBerlin, kParis, kTokyo});
        QVERIFY(m_book->move(2, 0)); // Tokyo first
        m_book->rename(m_book->saved().at(1), u"  Home  "_s);
        QCOMPARE(m_settings->savedPlaces().size(), 3);

        m_book = std::make_unique<PlaceBook>(m_source.get(), m_settings.get(), m_clock.get());
        const QList<PlaceBook::PlaceId> ids = m_book->saved();
        QCOMPARE(ids.size(), 3);
        QCOMPARE(m_book->location(ids.at(0)).name, u"Tokyo"_s);
        QCOMPARE(m_book->label(ids.at(1)), u"Home"_s);
        QCOMPARE(m_book->location(ids.at(1)).name, u"Berlin"_s);
        QCOMPARE(m_book->location(ids.at(2)).name, u"Paris"_s);
        QCOMPARE(m_book->shown(), 0); // nothing on screen until the person picks
        // Each is kept current from the start.
        settle();
        for (const PlaceBook::PlaceId id : ids)
            QVERIFY(m_book->lastCurrent(id).has_value());
    }

    void showReusesASavedPlaceAndReplacesTheTransientOne()
    {
        save({kBerlin});
        const PlaceBook::PlaceId berlin = m_book->saved().at(0);
        const PlaceBook::PlaceId paris = m_book->show(kParis);
        QVERIFY(paris && paris != berlin);
        QVERIFY(m_book->isShownTransient());
        QCOMPARE(m_book->places(), QList<PlaceBook::PlaceId>({berlin, paris}));
        // The same place found again (other name, same rounded coordinates) is the same id.
        QCOMPARE(m_book->show(place(u"Paris (city)"_s, 48.8512, 2.3498)), paris);

        const PlaceBook::PlaceId tokyo = m_book->show(kTokyo);
        QVERIFY(tokyo != paris);
        QVERIFY(!m_book->session()->places().contains(paris)); // forgotten: no more requests
        QCOMPARE(m_book->show(kBerlin), berlin); // a saved one is reused
        QVERIFY(!m_book->session()->places().contains(tokyo));
        QVERIFY(!m_book->isShownTransient());
        QCOMPARE(m_book->show(Location()), 0); // nothing usable: nothing changes
        QCOMPARE(m_book->shown(), berlin);
    }

    void onlyShowChangesThePlaceOnScreen()
    {
        save({kBerlin, kParis, kTokyo});
        const QList<PlaceBook::PlaceId> ids = m_book->saved();
        m_book->show(kParis);
        QSignalSpy shown(m_book.get(), &PlaceBook::shownChanged);
        QSignalSpy changed(m_book.get(), &PlaceBook::placesChanged);
        m_book->rename(ids.at(0), u"Home"_s);
        m_book->move(0, 2);
        m_book->remove(ids.at(2)); // Tokyo, not the one shown
        QCOMPARE(changed.count(), 3);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(m_book->shown(), ids.at(1));

        // Removing the shown place leaves it on screen, unsaved and still kept current.
        m_book->remove(ids.at(1));
        QCOMPARE(shown.count(), 0);
        QCOMPARE(m_book->shown(), ids.at(1));
        QVERIFY(m_book->isShownTransient());
        QVERIFY(m_book->session()->places().contains(ids.at(1)));
        QCOMPARE(m_book->saved(), QList<PlaceBook::PlaceId>({ids.at(0)}));
        // Saved again, it is the same place.
        QVERIFY(m_book->saveShown());
        QCOMPARE(m_book->saved(), QList<PlaceBook::PlaceId>({ids.at(0), ids.at(1)}));
        QVERIFY(!m_book->saveShown()); // saved already
        QCOMPARE(shown.count(), 0);
    }

    void removedPlaceIsForgotten()
    {
        save({kBerlin, kParis});
        const PlaceBook::PlaceId berlin = m_book->saved().at(0);
        settle();
        QVERIFY(m_book->lastCurrent(berlin));
        m_book->remove(berlin); // Paris is shown
        QVERIFY(!m_book->lastCurrent(berlin));
        QVERIFY(!m_book->session()->places().contains(berlin));
        QVERIFY(!m_settings->savedPlaces().contains(SavedPlace{kBerlin, {}}));
    }

    void lastAnswerPerPlaceAndFeed()
    {
        save({kBerlin});
        const PlaceBook::PlaceId id = m_book->saved().at(0);
        QSignalSpy answered(m_book.get(), &PlaceBook::answered);
        settle();
        // The weather's three: this source has no alerts, air quality or nowcast (and is never
        // asked for them).
        QCOMPARE(answered.count(), 3);
        QCOMPARE(PlaceBook::feeds().size(), 6);
        QVERIFY(PlaceBook::feeds().contains(Kind::AlertList));
        QVERIFY(!m_book->latest<WeatherAlertList>(id, Kind::AlertList));
        QVERIFY(!m_book->latest<AirQuality>(id, Kind::AirQuality));
        QVERIFY(!m_book->latest<Nowcast>(id, Kind::Nowcast));
        QVERIFY(!m_book->liveAlerts(id));
        for (const Kind feed : PlaceBook::feeds())
            QVERIFY(m_book->latest<CurrentConditions>(id, feed) || feed != Kind::Current);
        QVERIFY(m_book->last<HourlyForecastList>(id, Kind::Hourly)); // the chart's, at once
        QVERIFY(m_book->last<DailyForecastList>(id, Kind::Forecast));
        QCOMPARE(m_book->lastCurrent(id)->value->temperature, 21.5);

        // A failure: the latest answer says why, the last good one stays.
        m_source->errors[Kind::Current] = WeatherError(WeatherError::Offline);
        m_source->currentCache.clear();
        m_book->refresh(id, true);
        settle();
        const auto latest = m_book->latest<CurrentConditions>(id, Kind::Current);
        QVERIFY(latest && !latest->ok());
        QCOMPARE(latest->error.kind(), WeatherError::Offline);
        QVERIFY(m_book->lastCurrent(id));
    }

    void statusSpansEveryFeed_data()
    {
        QTest::addColumn<Kind>("failing");
        QTest::addColumn<WeatherError::Kind>("error");
        QTest::addColumn<bool>("retries");
        QTest::newRow("current offline") << Kind::Current << WeatherError::Offline << true;
        QTest::newRow("forecast server error")
            << Kind::Forecast << WeatherError::ServerError << true;
        QTest::newRow("hourly server error") << Kind::Hourly << WeatherError::ServerError << true;
        QTest::newRow("hourly key rejected")
            << Kind::Hourly << WeatherError::ApiKeyRejected << false;
        QTest::newRow("current unknown place")
            << Kind::Current << WeatherError::CityNotFound << false;
    }

    void statusSpansEveryFeed()
    {
        QFETCH(Kind, failing);
        QFETCH(WeatherError::Kind, error);
        QFETCH(bool, retries);
        m_source->errors[failing] = WeatherError(error);
        const PlaceBook::PlaceId id = m_book->show(kBerlin);
        QVERIFY(m_book->status(id).loading);
        QSignalSpy status(m_book.get(), &PlaceBook::statusChanged);
        settle();
        QVERIFY(!status.isEmpty());
        const PlaceBook::Status s = m_book->status(id);
        QVERIFY(!s.loading);
        QCOMPARE(s.retryDelay > 0, retries);
        QCOMPARE(s.waitsForPerson, !retries);
        QVERIFY(s.nextUpdate > m_clock->now()); // the other feeds still refresh

        // Fixed and asked again: the status clears.
        m_source->errors.clear();
        m_book->refresh(id, true);
        settle();
        QCOMPARE(m_book->status(id).retryDelay, 0);
        QVERIFY(!m_book->status(id).waitsForPerson);
    }

    void cacheKeyMapsToItsPlaceAndFeed_data()
    {
        QTest::addColumn<int>("placeIndex"); // 0: Berlin (saved), 1: Paris (shown, transient)
        QTest::addColumn<Kind>("feed");
        QTest::newRow("shown place's hourly") << 1 << Kind::Hourly;
        QTest::newRow("shown place's forecast") << 1 << Kind::Forecast;
        QTest::newRow("saved place's current") << 0 << Kind::Current;
        QTest::newRow("saved place's hourly") << 0 << Kind::Hourly;
    }

    void cacheKeyMapsToItsPlaceAndFeed()
    {
        QFETCH(int, placeIndex);
        QFETCH(Kind, feed);
        save({kBerlin});
        m_book->show(kParis);
        settle();
        const Location where = placeIndex == 0 ? kBerlin : kParis;
        const PlaceBook::PlaceId id = m_book->find(where);
        const QString key = m_source->cacheKey(feed, where);
        QCOMPARE(m_book->placeOfKey(key), std::make_pair(id, feed));

        const int before = m_source->requests(feed, where);
        QSignalSpy answered(m_book.get(), &PlaceBook::answered);
        QVERIFY(m_book->refresh(key, true));
        settle();
        QCOMPARE(m_source->requests(feed, where), before + 1); // past the cache
        QCOMPARE(answered.count(), 1); // through the session: the list, card and chart see it
        QCOMPARE(answered.at(0).at(0).value<PlaceBook::PlaceId>(), id);
        QCOMPARE(answered.at(0).at(1).value<Kind>(), feed);
        QVERIFY(m_source->keysRefreshedHere.isEmpty());
    }

    void otherKeysGoToTheSource()
    {
        save({kBerlin});
        const QString berlinNow = m_source->cacheKey(Kind::Current, kBerlin);
        const QString tokyoNow = m_source->cacheKey(Kind::Current, kTokyo);
        // A place no one keeps: the source fetches it.
        QCOMPARE(m_book->placeOfKey(tokyoNow).first, 0);
        QVERIFY(m_book->refresh(tokyoNow, true));
        QCOMPARE(m_source->keysRefreshedHere, QStringList{tokyoNow});
        // Berlin's entry under another provider is not what the session keeps now.
        m_source->provider = u"openweathermap"_s;
        QCOMPARE(m_book->placeOfKey(berlinNow).first, 0);
        QVERIFY(!m_book->refresh(berlinNow, true));
    }

    void twinsAreToldApart()
    {
        const Location london = place(u"London"_s, 51.51, -0.13, u"England"_s);
        const Location ontario = place(u"London"_s, 42.98, -81.25, u"Ontario"_s);
        save({london});
        const PlaceBook::PlaceId first = m_book->saved().at(0);
        QCOMPARE(m_book->label(first), u"London"_s);
        save({ontario});
        const PlaceBook::PlaceId second = m_book->saved().at(1);
        QVERIFY(m_book->label(first) != m_book->label(second));
        QVERIFY(m_book->label(second).contains(u"Ontario"_s));
        m_book->rename(second, u"Grandma"_s);
        QCOMPARE(m_book->label(first), u"London"_s);
        m_book->rename(second, u"london"_s); // the geocoder's name typed back: no own name
        QCOMPARE(m_book->customLabel(second), QString());
    }

    void stopsAtTheLimit()
    {
        for (int i = 0; i < PlaceBook::kMaxPlaces; ++i)
            save({place(u"P%1"_s.arg(i), 10 + i * 0.5, 10)});
        QVERIFY(m_book->isFull());
        m_book->show(kBerlin);
        QVERIFY(!m_book->saveShown());
        QCOMPARE(m_settings->savedPlaces().size(), PlaceBook::kMaxPlaces);
    }

    // --- Severe-weather alerts (issue 22): one more feed, against the fake alert server ---
    void alertsAreAFeedOfEveryPlace()
    {
        Machine m;
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(m.clock.now(), Qt::UTC);
        FakeAlertServer::Spec gale;
        gale.identifier = u"gale-1"_s;
        gale.severity = u"Severe"_s;
        gale.event = u"Gale warning"_s;
        gale.onset = now.addSecs(-3600).toOffsetFromUtc(3600);
        gale.expires = now.addSecs(3 * 3600).toOffsetFromUtc(3600);
        m.server.alerts().add(u"g1"_s, FakeAlertServer::message(gale));
        // Listed for the place's box (the server compares bounds), but its circle, 6 km around a
        // point 7.8 km south, does not hold the place: the point decides.
        FakeAlertServer::Spec elsewhere = gale;
        elsewhere.identifier = u"gale-south"_s;
        elsewhere.south = 52.40;
        elsewhere.north = 52.50;
        elsewhere.west = 13.36;
        elsewhere.east = 13.46;
        elsewhere.circleKm = 6.0;
        m.server.alerts().add(u"p1"_s, FakeAlertServer::message(elsewhere));

        const PlaceBook::PlaceId id = m.book->show(kBerlin);
        QTRY_VERIFY(m.book->latest<WeatherAlertList>(id, Kind::AlertList));
        const auto answer = *m.book->latest<WeatherAlertList>(id, Kind::AlertList);
        QVERIFY(answer.ok());
        QCOMPARE(answer.value->size(), 1);
        QCOMPARE(answer.value->first().id, u"gale-1"_s);
        QCOMPARE(answer.value->first().severity, WeatherAlert::Severity::Severe);
        QCOMPARE(m.book->liveAlerts(id)->size(), 1);
        QCOMPARE(m.server.alerts().requestCount(FakeAlertServer::Endpoint::Area), 1);
        QCOMPARE(m.server.alerts().requestCount(FakeAlertServer::Endpoint::Message), 2);
        // The cache panel's row of the list belongs to the place and its alerts feed.
        const QString listKey = AlertService::listKey(kBerlin);
        const auto owner = m.book->placeOfKey(listKey);
        QCOMPARE(owner.first, id);
        QVERIFY(owner.second == Kind::AlertList);
        QTRY_VERIFY(!m.book->status(id).loading);

        // The gale is cancelled: the next list (5 minutes on) names the cancellation, and the
        // alert goes. The messages already read are not fetched again.
        FakeAlertServer::Spec cancel = gale;
        cancel.identifier = u"gale-1-cancel"_s;
        cancel.msgType = u"Cancel"_s;
        cancel.references = {u"gale-1"_s};
        m.server.alerts().add(u"g2"_s, FakeAlertServer::message(cancel));
        m.clock.advance(AlertLifetime::kListMs + kSecond);
        QTRY_VERIFY(m.book->latest<WeatherAlertList>(id, Kind::AlertList)->value->isEmpty());
        QCOMPARE(m.server.alerts().requestCount(FakeAlertServer::Endpoint::Area), 2);
        QCOMPARE(m.server.alerts().requestCount(FakeAlertServer::Endpoint::Message), 3);
        QVERIFY(m.book->liveAlerts(id) && m.book->liveAlerts(id)->isEmpty());
    }

    void alertServerDownIsNoWeatherFailure()
    {
        Machine m;
        m.server.alerts().failWith(FakeAlertServer::Endpoint::Area, 503);
        QSignalSpy finished(m.book.get(), &PlaceBook::requestsFinished);
        const PlaceBook::PlaceId id = m.book->show(kBerlin);
        QTRY_VERIFY(m.book->latest<WeatherAlertList>(id, Kind::AlertList));
        QTRY_VERIFY(m.book->lastCurrent(id));
        QTRY_VERIFY(!finished.isEmpty());
        const auto alerts = *m.book->latest<WeatherAlertList>(id, Kind::AlertList);
        QVERIFY(!alerts.value); // unknown, never "none"
        QVERIFY(alerts.error.isError());
        QVERIFY(!m.book->liveAlerts(id));
        // The weather is fine: no back-off, nothing waits for the person, not loading.
        const PlaceBook::Status status = m.book->status(id);
        QCOMPARE(status.retryDelay, 0);
        QVERIFY(!status.waitsForPerson);
        QVERIFY(!status.loading);
        // The alerts feed itself is retried with back-off.
        QCOMPARE(m.book->session()->retryDelay(id, Kind::AlertList), WeatherSession::kFirstRetryMs);
    }

    void slowAlertServerNeverDelaysTheWeather()
    {
        Machine m;
        HttpReply silent;
        silent.behaviour = HttpReply::Behaviour::Silent;
        m.server.alerts().setReply(FakeAlertServer::Endpoint::Area, silent);
        QSignalSpy finished(m.book.get(), &PlaceBook::requestsFinished);
        const PlaceBook::PlaceId id = m.book->show(kBerlin);
        QVERIFY(finished.wait(5000)); // the alert server never answers
        QVERIFY(m.book->lastCurrent(id));
        QVERIFY(!m.book->status(id).loading);
        QVERIFY(!m.book->latest<WeatherAlertList>(id, Kind::AlertList));
    }

    // --- "Here" (issue 24) -------------------------------------------------------------------

    void hereIsListedFirstNeverSavedAndNeverTakesTheScreen()
    {
        save({kBerlin});
        const PlaceBook::PlaceId berlin = m_book->saved().at(0);
        m_book->show(kParis); // the person's pick
        const PlaceBook::PlaceId paris = m_book->shown();
        QSignalSpy shown(m_book.get(), &PlaceBook::shownChanged);
        QSignalSpy here(m_book.get(), &PlaceBook::hereChanged);
        QSignalSpy changed(m_book.get(), &PlaceBook::placesChanged);

        m_book->setHere(kMunich);
        const PlaceBook::PlaceId id = m_book->here();
        QVERIFY(id && id != berlin && id != paris);
        QCOMPARE(m_book->listed(), QList<PlaceBook::PlaceId>({id, berlin}));
        QCOMPARE(m_book->saved(), QList<PlaceBook::PlaceId>({berlin}));
        QVERIFY(!m_settings->savedPlaces().contains(SavedPlace{kMunich, {}}));
        QCOMPARE(m_settings->savedPlaces().size(), 1);
        QCOMPARE(m_book->label(id), u"München"_s);
        QCOMPARE(m_book->location(id), kMunich);
        QCOMPARE(here.count(), 1);
        QCOMPARE(changed.count(), 1);
        // Kept current like any place, and the screen stays the person's pick.
        QVERIFY(m_book->places().contains(id));
        settle();
        QVERIFY(m_book->lastCurrent(id).has_value());
        QCOMPARE(m_source->requests(Kind::Current, kMunich), 1);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(m_book->shown(), paris);
        QVERIFY(m_book->isShownTransient());
    }

    void hereMovesOnlyBeyondItsCell()
    {
        m_book->setHere(kMunich);
        const PlaceBook::PlaceId first = m_book->here();
        settle();
        QCOMPARE(m_source->requests(Kind::Current, kMunich), 1);
        QSignalSpy changed(m_book.get(), &PlaceBook::placesChanged);
        QSignalSpy here(m_book.get(), &PlaceBook::hereChanged);

        // A walk about the cell (48.14, 11.58): the same place, nothing asked, nothing said.
        Location walked = kMunich;
        walked.latitude = 48.1392;
        walked.longitude = 11.5781;
        m_book->setHere(walked);
        settle();
        QCOMPARE(m_book->here(), first);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(here.count(), 0);
        QCOMPARE(m_source->requests(Kind::Current, kMunich), 1);
        QCOMPARE(m_source->requests(Kind::Forecast, kMunich), 1);

        // Named anew in the same cell (another language): the name, still no request.
        Location renamed = walked;
        renamed.name = u"Munich"_s;
        m_book->setHere(renamed);
        settle();
        QCOMPARE(m_book->here(), first);
        QCOMPARE(m_book->label(first), u"Munich"_s);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(here.count(), 1);
        QCOMPARE(m_source->requests(Kind::Current, kMunich), 1);

        // A few kilometres north: another place, its weather asked for, the old one dropped.
        m_book->setHere(kGarching);
        const PlaceBook::PlaceId moved = m_book->here();
        QVERIFY(moved && moved != first);
        QVERIFY(!m_book->session()->places().contains(first));
        QVERIFY(!m_book->lastCurrent(first));
        QCOMPARE(m_book->listed(), QList<PlaceBook::PlaceId>({moved}));
        settle();
        QCOMPARE(m_source->requests(Kind::Current, kGarching), 1);
        QCOMPARE(m_source->requests(Kind::Hourly, kGarching), 1);
        QVERIFY(m_book->lastCurrent(moved).has_value());
        QCOMPARE(changed.count(), 2);
        // Nothing unusable moves it.
        m_book->setHere(Location());
        QCOMPARE(m_book->here(), moved);
    }

    void aShownHereFollowsThePosition()
    {
        save({kBerlin});
        m_book->setHere(kMunich);
        // The person picks Here's row: Here, not a place sharing its cell.
        const PlaceBook::PlaceId here = m_book->show(m_book->location(m_book->here()));
        QCOMPARE(here, m_book->here());
        QCOMPARE(m_book->shown(), here);
        QVERIFY(!m_book->isShownTransient());
        QVERIFY(!m_book->saveShown()); // it moves: not pinned as a saved place
        QCOMPARE(m_book->saved().size(), 1);

        QSignalSpy shown(m_book.get(), &PlaceBook::shownChanged);
        m_book->setHere(kGarching);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.at(0).at(0).value<PlaceBook::PlaceId>(), m_book->here());
        QCOMPARE(m_book->shown(), m_book->here());
        QCOMPARE(m_book->location(m_book->shown()), kGarching);
        // Another pick, and Here stays in the list, current.
        const PlaceBook::PlaceId berlin = m_book->show(kBerlin);
        QCOMPARE(berlin, m_book->saved().at(0));
        QVERIFY(m_book->session()->places().contains(m_book->here()));
    }

    void hereInASavedPlacesCellIsStillHere()
    {
        save({kBerlin});
        const PlaceBook::PlaceId berlin = m_book->saved().at(0);
        Location home = kBerlin; // at home, where "Berlin" is saved
        home.latitude += 0.001;
        m_book->setHere(home);
        QVERIFY(m_book->here() != berlin);
        QCOMPARE(m_book->show(home), m_book->here());
        QCOMPARE(m_book->show(kBerlin), berlin);
        QCOMPARE(m_book->find(home), berlin); // a search finds the saved one
    }

    void turningLocationOffRemovesHere()
    {
        m_book->setHere(kMunich);
        const PlaceBook::PlaceId first = m_book->here();
        settle();
        QSignalSpy here(m_book.get(), &PlaceBook::hereChanged);
        QSignalSpy changed(m_book.get(), &PlaceBook::placesChanged);
        m_book->clearHere();
        QCOMPARE(m_book->here(), 0);
        QVERIFY(m_book->listed().isEmpty());
        QVERIFY(!m_book->session()->places().contains(first));
        QVERIFY(!m_book->lastCurrent(first));
        QCOMPARE(here.count(), 1);
        QCOMPARE(changed.count(), 1);
        m_book->clearHere(); // off already: nothing
        QCOMPARE(here.count(), 1);

        // On screen, it stays there (only a pick changes the screen), no longer moving.
        m_book->setHere(kMunich);
        const PlaceBook::PlaceId second = m_book->show(m_book->location(m_book->here()));
        QSignalSpy shown(m_book.get(), &PlaceBook::shownChanged);
        m_book->clearHere();
        QCOMPARE(m_book->here(), 0);
        QCOMPARE(m_book->shown(), second);
        QVERIFY(m_book->isShownTransient());
        QVERIFY(m_book->session()->places().contains(second));
        QCOMPARE(shown.count(), 0);
        m_book->show(kParis); // then forgotten like any transient place
        QVERIFY(!m_book->session()->places().contains(second));
    }

    void hereProblemIsKeptUntilAPositionComes()
    {
        QSignalSpy here(m_book.get(), &PlaceBook::hereChanged);
        const QString denied = u"Your desktop did not let WeatherDash know where you are."_s;
        m_book->setHereProblem(denied);
        m_book->setHereProblem(denied); // the same: said once
        QCOMPARE(m_book->hereProblem(), denied);
        QCOMPARE(here.count(), 1);
        m_book->setHere(kMunich);
        QVERIFY(m_book->hereProblem().isEmpty());
        QCOMPARE(here.count(), 2);
        // A failure after a position keeps Here (the last place known) and says why.
        m_book->setHereProblem(denied);
        QVERIFY(m_book->here());
        QCOMPARE(m_book->hereProblem(), denied);
        m_book->clearHere();
        QVERIFY(m_book->hereProblem().isEmpty());
    }

    /**
     * Issue 23: with the real service over the fake server, every place also has air quality
     * and the nowcast; one failing never marks the place as failing, never holds its round
     * (one requestsFinished), and is retried on its own back-off.
     */
    void sideFeedsThroughTheServiceNeverHoldTheWeather()
    {
        using Endpoint = FakeWeatherServer::Endpoint;
        FakeWeatherServer server;
        QVERIFY(server.isListening());
        ManualClock clock(server.serverTime().toMSecsSinceEpoch());
        QNetworkAccessManager network;
        WeatherService service(&network, &clock);
        ServiceConfig config;
        config.endpoints = server.endpoints();
        service.setConfig(config);
        Settings settings(m_dir->filePath(u"service.ini"_s));
        PlaceBook book(&service, &settings, &clock);
        // After the alerts' feed; extras, never the weather's status.
        QCOMPARE(PlaceBook::feeds().mid(3),
                 (QList<Kind>{Kind::AlertList, Kind::AirQuality, Kind::Nowcast}));
        QVERIFY(!PlaceBook::isWeather(Kind::AirQuality) && !PlaceBook::isWeather(Kind::Nowcast));

        server.failWith(Endpoint::OpenMeteoAirQuality, 503);
        QSignalSpy finished(&book, &PlaceBook::requestsFinished);
        QList<Kind> failed;
        connect(&book, &PlaceBook::placeFailed, this,
                [&failed](PlaceBook::PlaceId, Kind feed) { failed.append(feed); });
        const FakeWeatherServer::City berlin = *server.city(u"Berlin"_s);
        const PlaceBook::PlaceId id
            = book.show(place(u"Berlin"_s, berlin.latitude, berlin.longitude));
        QVERIFY(id);
        QTRY_VERIFY(book.latest<AirQuality>(id, Kind::AirQuality)
                    && book.latest<Nowcast>(id, Kind::Nowcast) && book.lastCurrent(id)
                    && book.latest<HourlyForecastList>(id, Kind::Hourly)
                    && book.latest<DailyForecastList>(id, Kind::Forecast));
        settle();

        // The weather is all there; the air is said to be missing, and why.
        QVERIFY(book.lastCurrent(id)->ok());
        const auto air = *book.latest<AirQuality>(id, Kind::AirQuality);
        QVERIFY(!air.ok());
        QCOMPARE(air.error.kind(), WeatherError::ServerError);
        const auto nowcast = *book.latest<Nowcast>(id, Kind::Nowcast);
        QVERIFY(nowcast.ok());
        QVERIFY(nowcast.value->steps.size() >= 8);
        QCOMPARE(server.requestCount(Endpoint::OpenMeteoAirQuality), 1);
        QCOMPARE(server.requestCount(Endpoint::OpenMeteoNowcast), 1);

        // Not a failing place: no back-off in its status, not loading, one round finished.
        const PlaceBook::Status status = book.status(id);
        QCOMPARE(status.retryDelay, 0);
        QVERIFY(!status.loading);
        QVERIFY(!status.waitsForPerson);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(failed, QList<Kind>{Kind::AirQuality});

        // Its own back-off: a minute later it is asked again, and now answers.
        server.clearReply(Endpoint::OpenMeteoAirQuality);
        clock.advance(WeatherSession::kFirstRetryMs + kSecond);
        QTRY_COMPARE(server.requestCount(Endpoint::OpenMeteoAirQuality), 2);
        QTRY_VERIFY(book.latest<AirQuality>(id, Kind::AirQuality)->ok());
        QCOMPARE(book.last<AirQuality>(id, Kind::AirQuality)->value->europeanAqi.has_value(), true);
        settle();
        QCOMPARE(finished.count(), 1); // a side feed's answer is no second round
        QCOMPARE(server.requestCount(Endpoint::OpenMeteoCurrent), 1);

        // The nowcast's 15 minutes: asked again then, the weather (10 min) once more too.
        clock.advance(15 * kMinute);
        QTRY_COMPARE(server.requestCount(Endpoint::OpenMeteoNowcast), 2);

        // The cache panel's keys map back to the place and feed.
        const Location shown = book.location(id);
        QCOMPARE(book.placeOfKey(service.airQualityKey(shown)),
                 std::make_pair(id, Kind::AirQuality));
        QCOMPARE(book.placeOfKey(service.nowcastKey(shown)), std::make_pair(id, Kind::Nowcast));
    }

private:
    /** A real service and its alerts over the fake servers, a book over them. */
    struct Machine
    {
        Machine()
            : clock(QDateTime::currentMSecsSinceEpoch())
            , service(&network, &clock)
            , alerts(&network, &service, &clock)
            , settings(dir.filePath(u"settings.ini"_s))
        {
            WeatherService::Config c;
            c.endpoints = server.endpoints();
            c.timeoutMs = 3000;
            service.setConfig(c);
            alerts.provider()->setBaseUrl(server.baseUrl());
            service.setAlertService(&alerts);
            book = std::make_unique<PlaceBook>(&service, &settings, &clock);
        }
        FakeWeatherServer server;
        QTemporaryDir dir;
        QNetworkAccessManager network;
        ManualClock clock;
        WeatherService service;
        AlertService alerts;
        Settings settings;
        std::unique_ptr<PlaceBook> book;
    };

    void save(const QList<Location> &places)
    {
        for (const Location &l : places) {
            QVERIFY(m_book->show(l));
            QVERIFY(m_book->saveShown());
        }
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<FakeWeatherSource> m_source;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PlaceBook> m_book;
};

QTEST_GUILESS_MAIN(tst_PlaceBook)
#include "tst_placebook.moc"
