// SPDX-License-Identifier: MIT
#include "models/locationsuggestionmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
Location place(const QString &name, const QString &region, const QString &country,
               const QString &code, double lat, double lon)
{
    Location l;
    l.name = name;
    l.region = region;
    l.country = country;
    l.countryCode = code;
    l.latitude = lat;
    l.longitude = lon;
    return l;
}

const Location kLondonGb
    = place(u"London"_s, u"England"_s, u"United Kingdom"_s, u"GB"_s, 51.5, -0.1);
const Location kLondonCa = place(u"London"_s, u"Ontario"_s, u"Canada"_s, u"CA"_s, 42.98, -81.23);
const Location kLondonUs
    = place(u"London"_s, u"Kentucky"_s, u"United States"_s, u"US"_s, 37.1, -84.1);
} // namespace

class tst_LocationSuggestionModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void rowsComeAndGoWithoutResets()
    {
        LocationSuggestionModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.setLocations(u"Lon"_s, {kLondonGb, kLondonCa});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.query(), u"Lon"_s);

        model.setLocations(u"Lond"_s, {kLondonGb, kLondonCa, kLondonUs});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(changed.count(), 0); // the first two did not change

        model.setLocations(u"London, US"_s, {kLondonUs});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.locationAt(0), kLondonUs);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 0);
    }

    void rowsSayWhichLondon_data()
    {
        QTest::addColumn<Location>("location");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QString>("detail");
        QTest::newRow("England") << kLondonGb << u"London, England, GB"_s
                                 << u"England, United Kingdom"_s;
        QTest::newRow("Ontario") << kLondonCa << u"London, Ontario, CA"_s << u"Ontario, Canada"_s;
        QTest::newRow("no region") << place(u"Monaco"_s, {}, u"Monaco"_s, u"MC"_s, 43.7, 7.4)
                                   << u"Monaco, MC"_s << u"Monaco"_s;
        QTest::newRow("region equal to the name")
            << place(u"Berlin"_s, u"Berlin"_s, u"Germany"_s, u"DE"_s, 52.5, 13.4) << u"Berlin, DE"_s
            << u"Germany"_s;
        QTest::newRow("code only")
            << place(u"Zocca"_s, {}, {}, u"IT"_s, 44.3, 10.9) << u"Zocca, IT"_s << u"IT"_s;
    }
    void rowsSayWhichLondon()
    {
        QFETCH(Location, location);
        QFETCH(QString, display);
        QFETCH(QString, detail);
        LocationSuggestionModel model;
        QAbstractItemModelTester tester(&model);
        model.setLocations(u"x"_s, {location});
        const QModelIndex index = model.index(0);
        QCOMPARE(index.data().toString(), display);
        QCOMPARE(index.data(LocationSuggestionModel::DetailRole).toString(), detail);
        QCOMPARE(index.data(LocationSuggestionModel::NameRole).toString(), location.name);
        QCOMPARE(index.data(LocationSuggestionModel::LocationRole).value<Location>(), location);
        QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());
    }

    void headerAndChildren()
    {
        LocationSuggestionModel model;
        model.setLocations(u"x"_s, {kLondonGb});
        QCOMPARE(model.rowCount(model.index(0)), 0);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Place"_s);
        QVERIFY(!model.locationAt(5).isValid() || model.locationAt(5) == Location());
    }
};

QTEST_MAIN(tst_LocationSuggestionModel)
#include "tst_locationsuggestionmodel.moc"
