// SPDX-License-Identifier: MIT
#include "weather/location.h"

#include <QDataStream>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_Location : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void displayName_data();
    void displayName();
    void validity_data();
    void validity();
    void streamRoundTrip();
    void streamRejectsUnknownVersion();
};

void tst_Location::displayName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expected");

    QTest::newRow("region equal to the name is dropped")
        << u"Berlin"_s << u"Berlin"_s << u"Germany"_s << u"DE"_s << u"Berlin, DE"_s;
    QTest::newRow("Tokyo, Tokyo") << u"Tokyo"_s << u"Tokyo"_s << u"Japan"_s << u"JP"_s
                                  << u"Tokyo, JP"_s;
    QTest::newRow("region repeats the name in another case")
        << u"Hamburg"_s << u"HAMBURG"_s << u"Germany"_s << u"DE"_s << u"Hamburg, DE"_s;
    QTest::newRow("region repeats the name without accents")
        << u"São Paulo"_s << u"Sao Paulo"_s << u"Brazil"_s << u"BR"_s << u"São Paulo, BR"_s;
    QTest::newRow("region only starting with the name stays")
        << u"York"_s << u"New York"_s << u"United States"_s << u"US"_s << u"York, New York, US"_s;
    QTest::newRow("London GB") << u"London"_s << u"England"_s << u"United Kingdom"_s << u"GB"_s
                               << u"London, England, GB"_s;
    QTest::newRow("London CA") << u"London"_s << u"Ontario"_s << u"Canada"_s << u"CA"_s
                               << u"London, Ontario, CA"_s;
    QTest::newRow("no region") << u"Zocca"_s << QString() << u"Italy"_s << u"IT"_s
                               << u"Zocca, IT"_s;
    QTest::newRow("region equal to country")
        << u"Monaco"_s << u"Monaco"_s << u"Monaco"_s << u"MC"_s << u"Monaco, MC"_s;
    QTest::newRow("no code: country name") << u"Somewhere"_s << u"North"_s << u"Testland"_s
                                           << QString() << u"Somewhere, North, Testland"_s;
    QTest::newRow("spaces trimmed") << u" Paris "_s << u" Île-de-France"_s << QString() << u"FR "_s
                                    << u"Paris, Île-de-France, FR"_s;
    QTest::newRow("only a name") << u"Nowhere"_s << QString() << QString() << QString()
                                 << u"Nowhere"_s;
}

void tst_Location::displayName()
{
    QFETCH(QString, name);
    QFETCH(QString, region);
    QFETCH(QString, country);
    QFETCH(QString, code);
    Location location;
    location.name = name;
    location.region = region;
    location.country = country;
    location.countryCode = code;
    QTEST(location.displayName(), "expected");
}

void tst_Location::validity_data()
{
    QTest::addColumn<double>("latitude");
    QTest::addColumn<double>("longitude");
    QTest::addColumn<bool>("valid");
    QTest::newRow("Berlin") << 52.52 << 13.41 << true;
    QTest::newRow("poles and antimeridian") << -90.0 << 180.0 << true;
    QTest::newRow("latitude 91") << 91.0 << 0.0 << false;
    QTest::newRow("longitude -181") << 0.0 << -181.0 << false;
    QTest::newRow("NaN") << qQNaN() << 0.0 << false;
}

void tst_Location::validity()
{
    QFETCH(double, latitude);
    QFETCH(double, longitude);
    Location location;
    location.latitude = latitude;
    location.longitude = longitude;
    QTEST(location.isValid(), "valid");
}

void tst_Location::streamRoundTrip()
{
    Location original;
    original.name = u"東京"_s;
    original.region = u"Tokyo"_s;
    original.country = u"Japan"_s;
    original.countryCode = u"JP"_s;
    original.latitude = 35.6895;
    original.longitude = 139.69171;
    original.timezone = u"Asia/Tokyo"_s;
    original.utcOffsetSeconds = 32400;

    Location withoutOffset = original;
    withoutOffset.utcOffsetSeconds.reset();

    for (const Location &value : {original, withoutOffset}) {
        QByteArray blob;
        {
            QDataStream out(&blob, QIODevice::WriteOnly);
            out << value;
        }
        QDataStream in(blob);
        Location copy;
        in >> copy;
        QCOMPARE(in.status(), QDataStream::Ok);
        QCOMPARE(copy, value);
    }
    QVERIFY(!(original == withoutOffset));
}

void tst_Location::streamRejectsUnknownVersion()
{
    QByteArray blob;
    {
        QDataStream out(&blob, QIODevice::WriteOnly);
        out << quint8(99) << u"junk"_s;
    }
    QDataStream in(blob);
    Location copy;
    copy.name = u"stale"_s;
    in >> copy;
    QCOMPARE(in.status(), QDataStream::ReadCorruptData);
    QCOMPARE(copy, Location());
}

QTEST_GUILESS_MAIN(tst_Location)
#include "tst_location.moc"
