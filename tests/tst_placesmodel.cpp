// SPDX-License-Identifier: MIT
// The saved places: added once each, moved, renamed by label only, removed, stored in the
// settings and read back, at most kMaxPlaces; every change incremental.

#include "models/placesmodel.h"
#include "weather/settings.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

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

    void addsEachPlaceOnce()
    {
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy changed(&model, &PlacesModel::placesChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.addPlace(kBerlin), 0);
        QCOMPARE(model.addPlace(kParis), 1);
        // The same coordinates with another name are the same place.
        Location alsoBerlin = kBerlin;
        alsoBerlin.name = u"Berlin-Mitte"_s;
        alsoBerlin.latitude += 0.0001;
        QCOMPARE(model.addPlace(alsoBerlin), -1);
        QCOMPARE(model.indexOf(alsoBerlin), 0);
        QCOMPARE(model.addPlace(Location()), -1);
        QCOMPARE(labels(model), (QStringList{u"Berlin"_s, u"Paris"_s}));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(resets.count(), 0);
    }

    void twoLondonsSayWhichIsWhich()
    {
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        model.addPlace(kLondonGb);
        QCOMPARE(labels(model), (QStringList{u"London"_s}));
        model.addPlace(kLondonCa);
        QCOMPARE(labels(model), (QStringList{u"London, England, GB"_s, u"London, Ontario, CA"_s}));
    }

    void holdsAtLeastTwentyAndStopsAtTheLimit()
    {
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        QVERIFY(PlacesModel::kMaxPlaces >= 20);
        for (int i = 0; i < PlacesModel::kMaxPlaces; ++i)
            QCOMPARE(model.addPlace(place(u"City%1"_s.arg(i), {}, u"ZZ"_s, -60.0 + i, 10.0)), i);
        QVERIFY(model.isFull());
        QCOMPARE(model.addPlace(kBerlin), -1);
        QCOMPARE(model.rowCount(), PlacesModel::kMaxPlaces);
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
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        for (const Location &l : {kBerlin, kParis, kTokyo, kLondonGb})
            model.addPlace(l);
        model.setPlaceId(1, 42); // Paris' session id travels with it
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy changed(&model, &PlacesModel::placesChanged);
        QVERIFY(model.moveRow({}, from, {}, to));
        QCOMPARE(labels(model), expected);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.locationAt(model.rowForPlaceId(42)), kParis);
        // Onto itself: nothing.
        QVERIFY(!model.moveRow({}, 0, {}, 0));
        QVERIFY(!model.moveRow({}, 0, {}, 1));
        QCOMPARE(moved.count(), 1);
    }

    void renamingChangesTheLabelOnly()
    {
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        model.addPlace(kBerlin);
        QSignalSpy changed(&model, &PlacesModel::placesChanged);
        QVERIFY(model.setData(model.index(0), u"  Home  "_s));
        QCOMPARE(model.index(0).data().toString(), u"Home"_s);
        QCOMPARE(model.index(0).data(PlacesModel::LocationRole).value<Location>(), kBerlin);
        QCOMPARE(model.indexOf(kBerlin), 0); // still known by its coordinates
        QCOMPARE(changed.count(), 1);
        // An empty name, or the geocoder's own, brings the geocoder's name back.
        QVERIFY(model.setData(model.index(0), QString()));
        QCOMPARE(model.index(0).data().toString(), u"Berlin"_s);
        QVERIFY(model.index(0).data(PlacesModel::CustomLabelRole).toString().isEmpty());
        QVERIFY(model.setData(model.index(0), u"BERLIN"_s));
        QVERIFY(model.index(0).data(PlacesModel::CustomLabelRole).toString().isEmpty());
    }

    void showsTheWeatherItIsGiven()
    {
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        model.addPlace(kBerlin);
        QVERIFY(model.index(0).data(PlacesModel::TemperatureTextRole).toString().isEmpty());
        CurrentConditions now;
        now.temperature = 14.2;
        now.description = u"Light rain"_s;
        now.condition = WeatherCondition::Rain;
        QSignalSpy data(&model, &QAbstractItemModel::dataChanged);
        model.setWeather(0, now, u"14 °C"_s);
        QCOMPARE(data.count(), 1);
        QCOMPARE(model.index(0).data(PlacesModel::TemperatureTextRole).toString(), u"14 °C"_s);
        QCOMPARE(model.index(0).data(PlacesModel::IconNameRole).toString(), now.iconName());
        QCOMPARE(model.index(0).data(Qt::AccessibleTextRole).toString(),
                 u"Berlin, 14 °C, Light rain"_s);
        model.setProblem(0, u"Could not reach Open-Meteo."_s);
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(u"Could not reach"_s));
        // The old weather stays.
        QCOMPARE(model.index(0).data(PlacesModel::TemperatureTextRole).toString(), u"14 °C"_s);
    }

    void removesRows()
    {
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        for (const Location &l : {kBerlin, kParis, kTokyo})
            model.addPlace(l);
        QSignalSpy changed(&model, &PlacesModel::placesChanged);
        QVERIFY(model.removeRow(1));
        QCOMPARE(labels(model), (QStringList{u"Berlin"_s, u"Tokyo"_s}));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!model.removeRow(5));
    }

    void settingsKeepTheListInOrder()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"settings.ini"_s);
        {
            Settings settings(file);
            PlacesModel model;
            QAbstractItemModelTester tester(&model);
            for (const Location &l : {kBerlin, kParis, kTokyo})
                model.addPlace(l);
            model.setData(model.index(2), u"Work trip"_s);
            model.moveRow({}, 2, {}, 0);
            settings.setSavedPlaces(model.places());
        }
        Settings settings(file);
        PlacesModel model;
        QAbstractItemModelTester tester(&model);
        model.setPlaces(settings.savedPlaces());
        QCOMPARE(labels(model), (QStringList{u"Work trip"_s, u"Berlin"_s, u"Paris"_s}));
        QCOMPARE(model.locationAt(0), kTokyo);

        // A damaged value reads as no places, not as a crash or garbage rows.
        QSettings raw(file, QSettings::IniFormat);
        raw.setValue(u"places/saved"_s, QByteArray("\x01\x7f\xff\xff\xff garbage"));
        raw.sync();
        Settings damaged(file);
        QVERIFY(damaged.savedPlaces().isEmpty());
    }
};

QTEST_MAIN(tst_PlacesModel)
#include "tst_placesmodel.moc"
