// SPDX-License-Identifier: MIT
#include "weather/settings.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Location place(const QString &name, double latitude, double longitude)
{
    Location l;
    l.name = name;
    l.countryCode = u"ZZ"_s;
    l.latitude = latitude;
    l.longitude = longitude;
    return l;
}

} // namespace

class tst_Settings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recentLocationsAreMostRecentFirstWithoutDuplicates()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"s.ini"_s));
        settings.addRecentLocation(place(u"Null Island"_s, 0.0, 0.0));
        settings.addRecentLocation(place(u"Berlin"_s, 52.52, 13.41));
        settings.addRecentLocation(place(u"Null Island"_s, 0.0, 0.0)); // again: moves to the front
        const QList<Location> recent = settings.recentLocations();
        QCOMPARE(recent.size(), 2);
        QCOMPARE(recent.at(0).name, u"Null Island"_s);
        QCOMPARE(recent.at(1).name, u"Berlin"_s);
    }

    void recentLocationsAreBounded()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"s.ini"_s));
        for (int i = 0; i < Settings::kMaxRecentLocations + 3; ++i)
            settings.addRecentLocation(place(u"City %1"_s.arg(i), 10.0 + i, 20.0));
        const QList<Location> recent = settings.recentLocations();
        QCOMPARE(recent.size(), Settings::kMaxRecentLocations);
        QCOMPARE(recent.first().name, u"City %1"_s.arg(Settings::kMaxRecentLocations + 2));
        // And they survive a new Settings on the same file.
        Settings again(dir.filePath(u"s.ini"_s));
        QCOMPARE(again.recentLocations().size(), Settings::kMaxRecentLocations);
    }
};

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
