// SPDX-License-Identifier: MIT
#include "weather/currentconditions.h"
#include "weather/units.h"

#include <QDataStream>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_Units : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void beaufortBoundaries_data();
    void beaufortBoundaries();
    void conversions_data();
    void conversions();
    void roundTripsBack();
    void presets();
    void tokens_data();
    void tokens();
    void tokenOfEachUnitParsesBack();
    void conditionsConvertEveryQuantity();
    void streamRefusesUnknownUnits();
};

void tst_Units::beaufortBoundaries_data()
{
    QTest::addColumn<double>("ms");
    QTest::addColumn<int>("force");
    // The WMO table: each force from its lower bound, the speed just below is the force before.
    const double bounds[] = {0.3, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7};
    QTest::newRow("calm 0") << 0.0 << 0;
    QTest::newRow("negative is calm") << -1.0 << 0;
    for (int f = 1; f <= 12; ++f) {
        const double bound = bounds[f - 1];
        QTest::addRow("force %d from %.1f m/s", f, bound) << bound << f;
        QTest::addRow("force %d below %.1f m/s", f - 1, bound) << bound - 0.05 << f - 1;
    }
    QTest::newRow("hurricane 60 m/s") << 60.0 << 12;
}

void tst_Units::beaufortBoundaries()
{
    QFETCH(double, ms);
    QFETCH(int, force);
    QCOMPARE(beaufortForce(ms), force);
    QCOMPARE(convertWindSpeed(ms, WindSpeedUnit::MetresPerSecond, WindSpeedUnit::Beaufort),
             double(force));
}

void tst_Units::conversions_data()
{
    QTest::addColumn<QString>("quantity");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("expected");
    const auto t = u"temperature"_s;
    QTest::newRow("0 °C = 32 °F") << t << int(TemperatureUnit::Celsius)
                                  << int(TemperatureUnit::Fahrenheit) << 0.0 << 32.0;
    QTest::newRow("-40 °F = -40 °C")
        << t << int(TemperatureUnit::Fahrenheit) << int(TemperatureUnit::Celsius) << -40.0 << -40.0;
    const auto w = u"wind"_s;
    QTest::newRow("36 km/h = 10 m/s") << w << int(WindSpeedUnit::KilometresPerHour)
                                      << int(WindSpeedUnit::MetresPerSecond) << 36.0 << 10.0;
    QTest::newRow("1.609344 km/h = 1 mph") << w << int(WindSpeedUnit::KilometresPerHour)
                                           << int(WindSpeedUnit::MilesPerHour) << 1.609344 << 1.0;
    QTest::newRow("1.852 km/h = 1 kn")
        << w << int(WindSpeedUnit::KilometresPerHour) << int(WindSpeedUnit::Knots) << 1.852 << 1.0;
    QTest::newRow("14.4 km/h = force 3") << w << int(WindSpeedUnit::KilometresPerHour)
                                         << int(WindSpeedUnit::Beaufort) << 14.4 << 3.0;
    QTest::newRow("64 kn = force 12")
        << w << int(WindSpeedUnit::Knots) << int(WindSpeedUnit::Beaufort) << 64.0 << 12.0;
    const auto p = u"pressure"_s;
    QTest::newRow("1013.25 hPa = 29.92 inHg")
        << p << int(PressureUnit::Hectopascal) << int(PressureUnit::InchOfMercury) << 1013.25
        << 29.9213;
    QTest::newRow("1013.25 hPa = 760 mmHg")
        << p << int(PressureUnit::Hectopascal) << int(PressureUnit::MillimetreOfMercury) << 1013.25
        << 760.0;
    const auto r = u"precipitation"_s;
    QTest::newRow("25.4 mm = 1 in")
        << r << int(PrecipitationUnit::Millimetre) << int(PrecipitationUnit::Inch) << 25.4 << 1.0;
}

void tst_Units::conversions()
{
    QFETCH(QString, quantity);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(double, value);
    QFETCH(double, expected);
    double got = 0;
    if (quantity == u"temperature")
        got = convertTemperature(value, TemperatureUnit(from), TemperatureUnit(to));
    else if (quantity == u"wind")
        got = convertWindSpeed(value, WindSpeedUnit(from), WindSpeedUnit(to));
    else if (quantity == u"pressure")
        got = convertPressure(value, PressureUnit(from), PressureUnit(to));
    else
        got = convertPrecipitation(value, PrecipitationUnit(from), PrecipitationUnit(to));
    QVERIFY2(qAbs(got - expected) < 1e-3, qPrintable(QString::number(got, 'g', 10)));
}

void tst_Units::roundTripsBack()
{
    for (int a = 0; a <= int(WindSpeedUnit::Knots); ++a) {
        const double there
            = convertWindSpeed(12.3, WindSpeedUnit::MetresPerSecond, WindSpeedUnit(a));
        QVERIFY(
            qAbs(convertWindSpeed(there, WindSpeedUnit(a), WindSpeedUnit::MetresPerSecond) - 12.3)
            < 1e-9);
    }
    // Beaufort back is the middle of the band: force 6 is 10.8..13.8 m/s.
    QCOMPARE(convertWindSpeed(6, WindSpeedUnit::Beaufort, WindSpeedUnit::MetresPerSecond),
             (10.8 + 13.9) / 2);
    QCOMPARE(
        convertWindSpeed(std::optional<double>(), WindSpeedUnit::Knots, WindSpeedUnit::Beaufort),
        std::nullopt);
}

void tst_Units::presets()
{
    QCOMPARE(UnitSet::preset(Units::Imperial).pressure, PressureUnit::InchOfMercury);
    QCOMPARE(UnitSet::preset(Units::Imperial).precipitation, PrecipitationUnit::Inch);
    QCOMPARE(UnitSet::metric().matchingPreset(), Units::Metric);
    QCOMPARE(UnitSet::imperial().matchingPreset(), Units::Imperial);
    UnitSet mixed = UnitSet::metric();
    mixed.windSpeed = WindSpeedUnit::Knots;
    QCOMPARE(mixed.matchingPreset(), std::nullopt);
    // What a provider answers for "imperial": °F and mph, but hPa and mm still.
    QCOMPARE(UnitSet::asked(Units::Imperial).pressure, PressureUnit::Hectopascal);
    QCOMPARE(UnitSet::asked(Units::Imperial).windSpeed, WindSpeedUnit::MilesPerHour);
}

void tst_Units::tokens_data()
{
    QTest::addColumn<QStringList>("tokens");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<UnitSet>("expected");
    UnitSet knots = UnitSet::metric();
    knots.windSpeed = WindSpeedUnit::Knots;
    UnitSet imperialHpa = UnitSet::imperial();
    imperialHpa.pressure = PressureUnit::Hectopascal;
    QTest::newRow("metric") << QStringList{u"metric"_s} << true << UnitSet::metric();
    QTest::newRow("metric then knots") << QStringList{u"metric"_s, u"kn"_s} << true << knots;
    QTest::newRow("imperial then hpa, any case")
        << QStringList{u" Imperial"_s, u"HPA "_s} << true << imperialHpa;
    QTest::newRow("a preset resets what came before")
        << QStringList{u"kn"_s, u"metric"_s} << true << UnitSet::metric();
    QTest::newRow("kelvin") << QStringList{u"kelvin"_s} << false << UnitSet::metric();
    QTest::newRow("empty") << QStringList{QString()} << false << UnitSet::metric();
}

void tst_Units::tokens()
{
    QFETCH(QStringList, tokens);
    QFETCH(bool, ok);
    QFETCH(UnitSet, expected);
    UnitSet units;
    bool all = true;
    for (const QString &token : tokens)
        all = applyUnitToken(token, units) && all;
    QCOMPARE(all, ok);
    if (ok)
        QCOMPARE(units, expected);
}

void tst_Units::tokenOfEachUnitParsesBack()
{
    for (int i = 0; i <= int(WindSpeedUnit::Beaufort); ++i)
        QCOMPARE(windSpeedUnitFromToken(unitToken(WindSpeedUnit(i))), WindSpeedUnit(i));
    for (int i = 0; i <= int(PressureUnit::MillimetreOfMercury); ++i)
        QCOMPARE(pressureUnitFromToken(unitToken(PressureUnit(i))), PressureUnit(i));
    for (int i = 0; i <= int(PrecipitationUnit::Inch); ++i)
        QCOMPARE(precipitationUnitFromToken(unitToken(PrecipitationUnit(i))), PrecipitationUnit(i));
    for (int i = 0; i <= int(TemperatureUnit::Fahrenheit); ++i)
        QCOMPARE(temperatureUnitFromToken(unitToken(TemperatureUnit(i))), TemperatureUnit(i));
    // A token of one quantity is no unit of another.
    QCOMPARE(pressureUnitFromToken(u"mph"), std::nullopt);
    QCOMPARE(temperatureUnitFromToken(u"inhg"), std::nullopt);
}

void tst_Units::conditionsConvertEveryQuantity()
{
    CurrentConditions c;
    c.temperature = 20.0;
    c.feelsLike = 10.0;
    c.windSpeed = 36.0; // km/h: 10 m/s, force 5
    c.windGusts = 72.0; // 20 m/s, force 8
    c.pressure = 1013.25;
    c.precipitation = 2.54;
    c.humidity = 50.0;
    const UnitSet target{TemperatureUnit::Fahrenheit, WindSpeedUnit::Beaufort,
                         PressureUnit::MillimetreOfMercury, PrecipitationUnit::Inch};
    const CurrentConditions shown = c.convertedTo(target);
    QCOMPARE(shown.units, target);
    QCOMPARE(shown.temperature, 68.0);
    QCOMPARE(shown.feelsLike, 50.0);
    QCOMPARE(shown.windSpeed, 5.0);
    QCOMPARE(shown.windGusts, 8.0);
    QVERIFY(qAbs(*shown.pressure - 760.0) < 1e-3);
    QVERIFY(qAbs(*shown.precipitation - 0.1) < 1e-9);
    QCOMPARE(shown.humidity, 50.0);
    QCOMPARE(c.convertedTo(c.units), c);
}

void tst_Units::streamRefusesUnknownUnits()
{
    QByteArray bytes;
    {
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out << UnitSet::imperial();
    }
    QCOMPARE(bytes.size(), 4);
    UnitSet back;
    {
        QDataStream in(bytes);
        in >> back;
        QCOMPARE(in.status(), QDataStream::Ok);
    }
    QCOMPARE(back, UnitSet::imperial());
    bytes[1] = char(5); // no wind unit 5
    QDataStream in(bytes);
    in >> back;
    QCOMPARE(in.status(), QDataStream::ReadCorruptData);
    QCOMPARE(back, UnitSet());
}

QTEST_GUILESS_MAIN(tst_Units)
#include "tst_units.moc"
