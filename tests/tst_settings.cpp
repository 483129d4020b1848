// SPDX-License-Identifier: MIT
#include "cache/layeredcache.h"
#include "weather/settings.h"

#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

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

/** The file's mode bits as the OS has them (not Qt's view of them). */
int modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

} // namespace

class tst_Settings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oldSingleUnitsSettingIsMigrated()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.ini"_s);
        {
            QSettings old(path, QSettings::IniFormat); // what an earlier version wrote
            old.setValue(u"weather/units"_s, u"imperial"_s);
        }
        Settings settings(path);
        QCOMPARE(settings.units(), UnitSet::imperial());
        QCOMPARE(settings.serviceConfig().units, UnitSet::imperial());
        // One quantity changed; the others keep the migrated choice, and survive a restart.
        UnitSet mine = settings.units();
        mine.windSpeed = WindSpeedUnit::Beaufort;
        QSignalSpy changed(&settings, &Settings::changed);
        settings.setUnits(mine);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(Settings(path).units(), mine);
        // An older version reading the file still finds its own key.
        QCOMPARE(QSettings(path, QSettings::IniFormat).value(u"weather/units"_s).toString(),
                 u"imperial"_s);
    }

    void unitOfTheWrongQuantityIsIgnored()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.ini"_s);
        {
            QSettings file(path, QSettings::IniFormat);
            file.setValue(u"units/temperature"_s, u"inhg"_s); // hand-edited nonsense
            file.setValue(u"units/windSpeed"_s, u"kn"_s);
            file.setValue(u"units/pressure"_s, u"kelvin"_s);
        }
        const UnitSet units = Settings(path).units();
        QCOMPARE(units.temperature, TemperatureUnit::Celsius);
        QCOMPARE(units.windSpeed, WindSpeedUnit::Knots);
        QCOMPARE(units.pressure, PressureUnit::Hectopascal);
        QCOMPARE(Settings(path).serviceConfig().hourlyTtlMs, ServiceConfig().hourlyTtlMs);
    }

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

    void sharedCacheLeaseFromEnvironmentOverSettingsAndBounded()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(u"s.ini"_s));
        qunsetenv("WEATHERDASH_REDIS_LEASE_MS");
        QCOMPARE(settings.sharedCacheLeaseMs(), LayeredCacheBase::kDefaultLeaseMs);
        settings.setSharedCacheLeaseMs(90'000);
        QCOMPARE(Settings(dir.filePath(u"s.ini"_s)).sharedCacheLeaseMs(), 90'000);
        settings.setSharedCacheLeaseMs(5); // a hand-edited file: a lease of 5 ms is none
        QCOMPARE(settings.sharedCacheLeaseMs(), Settings::kMinLeaseMs);
        settings.setSharedCacheLeaseMs(90'000);
        qputenv("WEATHERDASH_REDIS_LEASE_MS", "12000");
        QCOMPARE(settings.sharedCacheLeaseMs(), 12'000);
        qputenv("WEATHERDASH_REDIS_LEASE_MS", "86400000");
        QCOMPARE(settings.sharedCacheLeaseMs(), Settings::kMaxLeaseMs);
        qputenv("WEATHERDASH_REDIS_LEASE_MS", "soon"); // unreadable: the settings'
        QCOMPARE(settings.sharedCacheLeaseMs(), 90'000);
        qunsetenv("WEATHERDASH_REDIS_LEASE_MS");
    }

    void fileHoldingTheKeyIsTheOwnersAlone()
    {
        // A permissive umask, as on many desktops: the file must still be 0600.
        const mode_t previous = ::umask(022);
        const auto restore = qScopeGuard([previous] { ::umask(previous); });
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sub/s.ini"_s);
        {
            Settings settings(path);
            QVERIFY(!QFileInfo::exists(path)); // reading alone creates nothing
            settings.setApiKey(u"0123456789abcdef0123456789abcdef"_s);
            QCOMPARE(modeOf(path), 0600);
            settings.setUnits(Units::Imperial); // later writes keep it so
            QCOMPARE(modeOf(path), 0600);
        }
        QCOMPARE(modeOf(path), 0600);
        Settings again(path);
        QCOMPARE(again.storedApiKey(), u"0123456789abcdef0123456789abcdef"_s);
    }

    void existingReadableFileIsMadePrivate()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.ini"_s);
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[openweathermap]\napiKey=0123456789abcdef0123456789abcdef\n");
        }
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        QCOMPARE(modeOf(path), 0644);
        Settings settings(path);
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(settings.storedApiKey(), u"0123456789abcdef0123456789abcdef"_s);
    }

    void durationsAreClampedSoNothingOverflows_data()
    {
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<qint64>("currentTtl");
        QTest::addColumn<qint64>("staleHorizon");
        const qint64 century = Settings::kMaxDurationMs;
        QTest::newRow("qint64 max") << QByteArray("9223372036854775807") << century << century;
        QTest::newRow("just over a century")
            << QByteArray::number(century + 1) << century << century;
        QTest::newRow("too many digits is the default")
            << QByteArray("99999999999999999999999") << ServiceConfig().currentTtlMs
            << ServiceConfig().staleHorizonMs;
        QTest::newRow("negative") << QByteArray("-5") << qint64(60'000) << qint64(0);
        QTest::newRow("words is the default")
            << QByteArray("soon") << ServiceConfig().currentTtlMs << ServiceConfig().staleHorizonMs;
        QTest::newRow("an hour is kept")
            << QByteArray("3600000") << qint64(3'600'000) << qint64(3'600'000);
    }

    void durationsAreClampedSoNothingOverflows()
    {
        QFETCH(QByteArray, stored);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.ini"_s);
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[cache]\ncurrentTtlMs=" + stored + "\nforecastTtlMs=" + stored
                       + "\nstaleHorizonMs=" + stored + "\n");
        }
        Settings settings(path);
        QTEST(settings.currentTtlMs(), "currentTtl");
        QTEST(settings.staleHorizonMs(), "staleHorizon");
        const ServiceConfig config = settings.serviceConfig();
        QTEST(config.currentTtlMs, "currentTtl");
        QVERIFY(config.forecastTtlMs >= 60'000 && config.forecastTtlMs <= Settings::kMaxDurationMs);
    }

    void desktopSettingsAreOffByDefaultAndKept()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.ini"_s);
        {
            Settings settings(path);
            QCOMPARE(settings.fileName(), path);
            QVERIFY(!settings.keepInTray());
            QVERIFY(!settings.notifyOutage());
            QVERIFY(!settings.notifyRain());
            QCOMPARE(settings.outageMinutes(), Settings::kDefaultOutageMinutes);
            settings.setKeepInTray(true);
            settings.setNotifyOutage(true);
            settings.setNotifyRain(true);
            settings.setOutageMinutes(45);
        }
        Settings again(path);
        QVERIFY(again.keepInTray());
        QVERIFY(again.notifyOutage());
        QVERIFY(again.notifyRain());
        QCOMPARE(again.outageMinutes(), 45);
        again.setOutageMinutes(0); // a minute at least
        QCOMPARE(again.outageMinutes(), 1);
        {
            QSettings raw(path, QSettings::IniFormat);
            raw.setValue(u"desktop/outageMinutes"_s, u"forever"_s);
        }
        QCOMPARE(Settings(path).outageMinutes(), Settings::kDefaultOutageMinutes);
    }

    void locationIsOffUntilTurnedOn() // "Here" (issue 24)
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.ini"_s);
        {
            Settings settings(path);
            QVERIFY(!settings.locationEnabled());
            QSignalSpy changed(&settings, &Settings::changed);
            settings.setLocationEnabled(true);
            QCOMPARE(changed.count(), 1);
            settings.setLocationEnabled(true);
            QCOMPARE(changed.count(), 1);
        }
        Settings again(path);
        QVERIFY(again.locationEnabled());
        again.setLocationEnabled(false);
        QVERIFY(!Settings(path).locationEnabled());
    }
};

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
