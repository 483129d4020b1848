// SPDX-License-Identifier: MIT
// The Places list as a view over PlaceBook: each saved place once, moved, renamed by label
// only, removed, with the weather the book last has for it; every change incremental.

#include "cache/clock.h"
#include "models/placesmodel.h"
#include "weather/settings.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
Location place(const QString &name, const QString &region, const QString &code, double lat,
               double lon)
{
    Location l;
    l.name = name;
    l.region = region;
    l.countryCode = code;
    l.latitude = lat;
    l.longitude = lon;
    return l;
}
const Location kBerlin = place(u"Berlin"_s, u"Berlin"_s, u"DE"_s, 52.52, 13.41);
const Location kParis = place(u"Paris"_s, u"Île-de-France"_s, u"FR"_s, 48.85, 2.35);
const Location kTokyo = place(u"Tokyo"_s, u"Tokyo"_s, u"JP"_s, 35.69, 139.69);
const Location kLondonGb = place(u"London"_s, u"England"_s, u"GB"_s, 51.51, -0.13);
const Location kLondonCa = place(u"London"_s, u"Ontario"_s, u"CA"_s, 42.98, -81.23);
/** Here: a position, named by the reverse lookup. */
const Location kHere = place(u"Potsdam"_s, u"Brandenburg"_s, u"DE"_s, 52.39886, 13.06566);

/** Answers at once: `now` for current conditions (or `error`), empty forecasts. */
class FakeSource final : public WeatherSource
{
public:
    QFuture<WeatherAnswer<CurrentConditions>> current(const Location &, bool) override
    {
        WeatherAnswer<CurrentConditions> a;
        if (error.isError())
            a.error = error;
        else
            a.value = now;
        return QtFuture::makeReadyFuture(a);
    }
    QFuture<WeatherAnswer<DailyForecastList>> forecast(const Location &, bool) override
    {
        WeatherAnswer<DailyForecastList> a;
        a.value = DailyForecastList{};
        return QtFuture::makeReadyFuture(a);
    }
    QFuture<WeatherAnswer<HourlyForecastList>> hourly(const Location &, bool) override
    {
        WeatherAnswer<HourlyForecastList> a;
        a.value = HourlyForecastList{};
        return QtFuture::makeReadyFuture(a);
    }
    qint64 lifetimeMs(WeatherKey::Kind) const override { return 10 * 60'000; }

    CurrentConditions now;
    WeatherError error;
};

QStringList labels(const PlacesModel &model)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i)
        out << model.index(i).data().toString();
    return out;
}
} // namespace

class tst_PlacesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
        m_book = std::make_unique<PlaceBook>(&m_source, m_settings.get(), &m_clock);
        m_model = std::make_unique<PlacesModel>(m_book.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get());
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_book.reset();
        m_settings.reset();
        m_dir.reset();
        m_source = FakeSource();
    }

    void showsEachSavedPlaceOnce()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        save({kBerlin, kParis});
        // The same coordinates with another name are the same place.
        Location alsoBerlin = kBerlin;
        alsoBerlin.name = u"Berlin-Mitte"_s;
        alsoBerlin.latitude += 0.0001;
        m_book->show(alsoBerlin);
        QVERIFY(!m_book->saveShown());
        QCOMPARE(labels(*m_model), (QStringList{u"Berlin"_s, u"Paris"_s}));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(resets.count(), 0);
        // A place only shown is not in the list.
        m_book->show(kTokyo);
        QCOMPARE(m_model->rowCount(), 2);
    }

    void twoLondonsSayWhichIsWhich()
    {
        save({kLondonGb});
        QCOMPARE(labels(*m_model), (QStringList{u"London"_s}));
        QSignalSpy data(m_model.get(), &QAbstractItemModel::dataChanged);
        save({kLondonCa});
        QCOMPARE(labels(*m_model),
                 (QStringList{u"London, England, GB"_s, u"London, Ontario, CA"_s}));
        QCOMPARE(data.count(), 1); // the first London's label, said
    }

    void holdsAtLeastTwentyAndStopsAtTheLimit()
    {
        QVERIFY(PlacesModel::kMaxPlaces >= 20);
        for (int i = 0; i < PlacesModel::kMaxPlaces; ++i)
            save({place(u"City%1"_s.arg(i), {}, u"ZZ"_s, -60.0 + i, 10.0)});
        m_book->show(kBerlin);
        QVERIFY(!m_book->saveShown());
        QCOMPARE(m_model->rowCount(), PlacesModel::kMaxPlaces);
    }

    void movesRows_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to"); // the row it goes before, as moveRows takes it
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("first to last")
            << 0 << 4 << QStringList{u"Paris"_s, u"Tokyo"_s, u"London"_s, u"Berlin"_s};
        QTest::newRow("last to first")
            << 3 << 0 << QStringList{u"London"_s, u"Berlin"_s, u"Paris"_s, u"Tokyo"_s};
        QTest::newRow("one down") << 1 << 3
                                  << QStringList{u"Berlin"_s, u"Tokyo"_s, u"Paris"_s, u"London"_s};
        QTest::newRow("one up") << 2 << 1
                                << QStringList{u"Berlin"_s, u"Tokyo"_s, u"Paris"_s, u"London"_s};
    }
    void movesRows()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(QStringList, expected);
        save({kBerlin, kParis, kTokyo, kLondonGb});
        const PlaceBook::PlaceId paris = m_model->placeIdAt(1);
        QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
        QSignalSpy changed(m_book.get(), &PlaceBook::placesChanged);
        QVERIFY(m_model->moveRow({}, from, {}, to));
        QCOMPARE(labels(*m_model), expected);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_model->locationAt(m_model->rowOf(paris)), kParis); // its id travels with it
        QCOMPARE(m_book->saved(), [this] {
            QList<PlaceBook::PlaceId> rows;
            for (int i = 0; i < m_model->rowCount(); ++i)
                rows << m_model->placeIdAt(i);
            return rows;
        }());
        // Onto itself: nothing.
        QVERIFY(!m_model->moveRow({}, 0, {}, 0));
        QVERIFY(!m_model->moveRow({}, 0, {}, 1));
        QCOMPARE(moved.count(), 1);
    }

    void renamingChangesTheLabelOnly()
    {
        save({kBerlin});
        QSignalSpy changed(m_book.get(), &PlaceBook::placesChanged);
        QVERIFY(m_model->setData(m_model->index(0), u"  Home  "_s));
        QCOMPARE(m_model->index(0).data().toString(), u"Home"_s);
        QCOMPARE(m_model->index(0).data(PlacesModel::LocationRole).value<Location>(), kBerlin);
        QCOMPARE(m_book->find(kBerlin), m_model->placeIdAt(0)); // still known by its coordinates
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_settings->savedPlaces().at(0).label, u"Home"_s);
        // An empty name, or the geocoder's own, brings the geocoder's name back.
        QVERIFY(m_model->setData(m_model->index(0), QString()));
        QCOMPARE(m_model->index(0).data().toString(), u"Berlin"_s);
        QVERIFY(m_model->index(0).data(PlacesModel::CustomLabelRole).toString().isEmpty());
        QVERIFY(m_model->setData(m_model->index(0), u"BERLIN"_s));
        QVERIFY(m_model->index(0).data(PlacesModel::CustomLabelRole).toString().isEmpty());
    }

    void showsTheBooksWeather()
    {
        m_source.now.temperature = 14.5;
        m_source.now.description = u"Light rain"_s;
        m_source.now.condition = WeatherCondition::Rain;
        save({kBerlin});
        // The one formatter and rounding of the card and the tray.
        const QString shown = temperatureText(14.5, TemperatureUnit::Celsius);
        QCOMPARE(shown, u"15\u202f°C"_s);
        QCOMPARE(m_model->index(0).data(PlacesModel::TemperatureTextRole).toString(), shown);
        QCOMPARE(m_model->index(0).data(PlacesModel::IconNameRole).toString(),
                 m_source.now.iconName());
        QCOMPARE(m_model->index(0).data(Qt::AccessibleTextRole).toString(),
                 u"Berlin, "_s + shown + u", Light rain"_s);

        // A failure: the row says why, the old weather stays.
        m_source.error = WeatherError(WeatherError::Offline, u"Open-Meteo"_s);
        QSignalSpy data(m_model.get(), &QAbstractItemModel::dataChanged);
        m_book->refresh(m_model->placeIdAt(0), true);
        QVERIFY(!data.isEmpty());
        QCOMPARE(data.at(0).at(0).toModelIndex().row(), 0);
        QVERIFY(!m_model->index(0).data(PlacesModel::ProblemRole).toString().isEmpty());
        QVERIFY(m_model->index(0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(m_model->index(0).data(PlacesModel::StaleReasonRole).toString()));
        QCOMPARE(m_model->index(0).data(PlacesModel::TemperatureTextRole).toString(), shown);
    }

    void offlineKeepsTheConditionAndSaysFromWhen()
    {
        // Issue 27: offline, five rows said "Could not reach Open-…" in place of their weather.
        // The condition stays; the row says beside it (badge, tooltip, screen reader) why it is
        // old and from when, on the reader's clock.
        const QDateTime observed = QDateTime::fromMSecsSinceEpoch(m_clock.now(), Qt::UTC);
        m_source.now.temperature = 21.0;
        m_source.now.description = u"Partly cloudy"_s;
        m_source.now.condition = WeatherCondition::PartlyCloudy;
        m_source.now.observationTime = observed;
        save({kBerlin});
        const QModelIndex row = m_model->index(0);
        QVERIFY(row.data(PlacesModel::StaleReasonRole).toString().isEmpty());

        m_source.error = WeatherError(WeatherError::Offline, u"Open-Meteo"_s);
        m_clock.advance(25 * 60'000);
        m_book->refresh(m_model->placeIdAt(0), true);
        const QString time
            = QLocale().toString(observed.toLocalTime().time(), QLocale::ShortFormat);
        const QString reason = u"Could not reach Open-Meteo — showing data from "_s + time;
        QCOMPARE(row.data(PlacesModel::StaleReasonRole).toString(), reason);
        QCOMPARE(row.data(PlacesModel::DescriptionRole).toString(), u"Partly cloudy"_s);
        QVERIFY2(
            row.data(Qt::AccessibleTextRole).toString().endsWith(u"Partly cloudy, "_s + reason),
            qPrintable(row.data(Qt::AccessibleTextRole).toString()));
        QVERIFY(row.data(Qt::ToolTipRole).toString().contains(reason));
        QVERIFY(!row.data(Qt::ToolTipRole).toString().contains(u"Check your internet"_s));

        // Another failure says what it was, briefly.
        m_source.error = WeatherError(WeatherError::ServerError, u"Open-Meteo"_s);
        m_book->refresh(m_model->placeIdAt(0), true);
        QCOMPARE(row.data(PlacesModel::StaleReasonRole).toString(),
                 u"Not updated (server error) — showing data from "_s + time);

        // Back online: no badge.
        m_source.error = WeatherError();
        m_book->refresh(m_model->placeIdAt(0), true);
        QVERIFY(row.data(PlacesModel::StaleReasonRole).toString().isEmpty());
    }

    void noWeatherYetSaysTheProblemInstead()
    {
        m_source.error = WeatherError(WeatherError::Offline, u"Open-Meteo"_s);
        save({kBerlin});
        const QModelIndex row = m_model->index(0);
        QVERIFY(row.data(PlacesModel::StaleReasonRole).toString().isEmpty());
        QCOMPARE(row.data(PlacesModel::ProblemRole).toString(),
                 u"Could not reach Open-Meteo. Check your internet connection."_s);
    }

    void removesRows()
    {
        save({kBerlin, kParis, kTokyo});
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QVERIFY(m_model->removeRow(1));
        QCOMPARE(labels(*m_model), (QStringList{u"Berlin"_s, u"Tokyo"_s}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(m_settings->savedPlaces().size(), 2);
        QVERIFY(!m_model->removeRow(5));
    }

    void settingsKeepTheListInOrder()
    {
        save({kBerlin, kParis, kTokyo});
        m_model->setData(m_model->index(2), u"Work trip"_s);
        m_model->moveRow({}, 2, {}, 0);
        const QString file = m_settings->fileName();
        m_tester.reset();
        m_model.reset();
        m_book.reset();
        m_settings = std::make_unique<Settings>(file);
        m_book = std::make_unique<PlaceBook>(&m_source, m_settings.get(), &m_clock);
        m_model = std::make_unique<PlacesModel>(m_book.get());
        QCOMPARE(labels(*m_model), (QStringList{u"Work trip"_s, u"Berlin"_s, u"Paris"_s}));
        QCOMPARE(m_model->locationAt(0), kTokyo);

        // A damaged value reads as no places, not as a crash or garbage rows.
        QSettings raw(file, QSettings::IniFormat);
        raw.setValue(u"places/saved"_s, QByteArray("\x01\x7f\xff\xff\xff garbage"));
        raw.sync();
        Settings damaged(file);
        QVERIFY(damaged.savedPlaces().isEmpty());
    }

    void hereIsTheTopRowWithItsCredit()
    {
        save({kBerlin, kParis});
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        m_book->setHere(kHere);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(labels(*m_model), (QStringList{u"Here · Potsdam"_s, u"Berlin"_s, u"Paris"_s}));
        const QModelIndex here = m_model->index(0);
        QVERIFY(here.data(PlacesModel::IsHereRole).toBool());
        QVERIFY(!m_model->index(1).data(PlacesModel::IsHereRole).toBool());
        QCOMPARE(here.data(PlacesModel::AttributionRole).toString(),
                 u"© OpenStreetMap contributors"_s);
        QVERIFY(m_model->index(1).data(PlacesModel::AttributionRole).toString().isEmpty());
        QVERIFY(here.data(Qt::ToolTipRole).toString().contains(u"OpenStreetMap"_s));
        QVERIFY(here.data(Qt::AccessibleTextRole).toString().contains(u"OpenStreetMap"_s));
        QCOMPARE(m_model->locationAt(0), kHere);
        QCOMPARE(m_model->placeIdAt(0), m_book->here());
        QCOMPARE(m_model->firstSavedRow(), 1);
        // Its weather like any row's.
        QTRY_VERIFY(!here.data(PlacesModel::TemperatureTextRole).toString().isEmpty());
        QCOMPARE(resets.count(), 0);
    }

    void hereIsNotRenamedMovedOrRemovedFromTheList()
    {
        save({kBerlin, kParis, kTokyo});
        m_book->setHere(kHere);
        const QModelIndex here = m_model->index(0);
        QVERIFY(!(m_model->flags(here) & Qt::ItemIsEditable));
        QVERIFY(!(m_model->flags(here) & Qt::ItemIsDragEnabled));
        QVERIFY(m_model->flags(m_model->index(1)) & Qt::ItemIsDragEnabled);
        QVERIFY(!m_model->setData(here, u"Home"_s));
        QVERIFY(!m_model->removeRow(0));
        QVERIFY(!m_model->moveRow({}, 0, {}, 3)); // Here down
        QVERIFY(!m_model->moveRow({}, 2, {}, 0)); // a place above Here
        QCOMPARE(labels(*m_model),
                 (QStringList{u"Here · Potsdam"_s, u"Berlin"_s, u"Paris"_s, u"Tokyo"_s}));
        // Saved places move among themselves, the book counting its own rows.
        QVERIFY(m_model->moveRow({}, 3, {}, 1)); // Tokyo first of the saved
        QCOMPARE(labels(*m_model),
                 (QStringList{u"Here · Potsdam"_s, u"Tokyo"_s, u"Berlin"_s, u"Paris"_s}));
        QVERIFY(m_model->moveRow({}, 1, {}, 4)); // and last again
        QCOMPARE(labels(*m_model),
                 (QStringList{u"Here · Potsdam"_s, u"Berlin"_s, u"Paris"_s, u"Tokyo"_s}));
        QCOMPARE(m_settings->savedPlaces().at(0).location, kBerlin);
        QVERIFY(m_model->removeRow(2)); // Paris
        QCOMPARE(labels(*m_model), (QStringList{u"Here · Potsdam"_s, u"Berlin"_s, u"Tokyo"_s}));
    }

    void hereMovingAndGoingAreIncremental()
    {
        save({kBerlin});
        m_book->setHere(kHere);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        Location farther = place(u"Werder"_s, u"Brandenburg"_s, u"DE"_s, 52.3789, 12.9357);
        m_book->setHere(farther);
        QCOMPARE(labels(*m_model), (QStringList{u"Here · Werder"_s, u"Berlin"_s}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        m_book->clearHere();
        QCOMPARE(labels(*m_model), (QStringList{u"Berlin"_s}));
        QCOMPARE(m_model->firstSavedRow(), 0);
        QCOMPARE(removed.count(), 2);
    }

private:
    void save(const QList<Location> &places)
    {
        for (const Location &l : places) {
            QVERIFY(m_book->show(l));
            QVERIFY(m_book->saveShown());
        }
    }

    ManualClock m_clock;
    FakeSource m_source;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PlaceBook> m_book;
    std::unique_ptr<PlacesModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(tst_PlacesModel)
#include "tst_placesmodel.moc"
