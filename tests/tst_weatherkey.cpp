// SPDX-License-Identifier: MIT
#include "weather/location.h"
#include "weather/weatherkey.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

quint32 testSeed()
{
    bool ok = false;
    quint32 seed = qEnvironmentVariable("WEATHERDASH_TEST_SEED").toUInt(&ok);
    if (!ok)
        seed = QRandomGenerator::global()->generate();
    qInfo("seed %u (set WEATHERDASH_TEST_SEED to reproduce)", seed);
    return seed;
}

// The strings WeatherService assembled before WeatherKey existed (weatherservice.cpp): the
// disk caches of earlier versions hold exactly these.
QString legacyCoordinates(double lat, double lon)
{
    return u"%1,%2"_s.arg(lat, 0, 'f', 2).arg(lon, 0, 'f', 2);
}
QString legacyCurrent(const QString &provider, double lat, double lon, Units u, const QString &lang)
{
    return provider + u"/cur/"_s + legacyCoordinates(lat, lon) + u'/' + unitsToString(u) + u'/'
           + lang;
}
QString legacyForecast(const QString &provider, double lat, double lon, Units u,
                       const QString &lang)
{
    return provider + u"/fc/"_s + legacyCoordinates(lat, lon) + u'/' + unitsToString(u) + u'/'
           + lang;
}
QString legacySearch(const QString &provider, const QString &lang, const QString &query)
{
    return provider + u"/gc/"_s + lang + u'/' + query.toCaseFolded();
}

QString randomText(QRandomGenerator &rng, int maxLength)
{
    // Letters of several scripts, digits, the separator, spaces and punctuation.
    static const QString alphabet = u"abcXYZ019 /,.-_'’ÄÖÜäöüßẞéÉçÇøØłŁİıΣσςЖжДд東京서울القاهرة"_s;
    QString s;
    const int n = 1 + rng.bounded(maxLength);
    for (int i = 0; i < n; ++i)
        s += alphabet.at(rng.bounded(int(alphabet.size())));
    return s;
}

} // namespace

class tst_WeatherKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void todaysForms_data();
    void todaysForms();
    void rejected_data();
    void rejected();
    void factoriesRefuseWhatCannotBeAKey();
    void locationsAndKinds();
    void roundTripRandomized();
};

void tst_WeatherKey::todaysForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("coordinates");
    QTest::addColumn<QString>("query");

    QTest::newRow("current") << u"open-meteo/cur/52.52,13.41/metric/en"_s
                             << int(WeatherKey::Kind::Current) << u"open-meteo"_s
                             << u"52.52,13.41"_s << QString();
    QTest::newRow("forecast, imperial, west and south")
        << u"openweathermap/fc/-33.87,-151.21/imperial/de"_s << int(WeatherKey::Kind::Forecast)
        << u"openweathermap"_s << u"-33.87,-151.21"_s << QString();
    QTest::newRow("search") << u"open-meteo/gc/en/berlin"_s << int(WeatherKey::Kind::Search)
                            << u"open-meteo"_s << QString() << u"berlin"_s;
    QTest::newRow("search with a slash and spaces")
        << u"open-meteo/gc/en/frankfurt / oder"_s << int(WeatherKey::Kind::Search)
        << u"open-meteo"_s << QString() << u"frankfurt / oder"_s;
    QTest::newRow("label") << u"label/52.52,13.41"_s << int(WeatherKey::Kind::Label) << QString()
                           << u"52.52,13.41"_s << QString();
    QTest::newRow("negative zero, as arg() writes it")
        << u"open-meteo/cur/-0.00,0.00/metric/en"_s << int(WeatherKey::Kind::Current)
        << u"open-meteo"_s << u"-0.00,0.00"_s << QString();
}

void tst_WeatherKey::todaysForms()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, provider);
    QFETCH(QString, coordinates);
    QFETCH(QString, query);
    const WeatherKey key = WeatherKey::parse(text);
    QVERIFY(key.isValid());
    QCOMPARE(int(key.kind()), kind);
    QCOMPARE(key.provider(), provider);
    QCOMPARE(key.coordinates(), coordinates);
    QCOMPARE(key.query(), query);
    QCOMPARE(key.toString(), text);
}

void tst_WeatherKey::rejected_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("provider only") << u"open-meteo"_s;
    QTest::newRow("unknown kind") << u"open-meteo/xx/52.52,13.41/metric/en"_s;
    QTest::newRow("no language") << u"open-meteo/cur/52.52,13.41/metric"_s;
    QTest::newRow("empty language") << u"open-meteo/cur/52.52,13.41/metric/"_s;
    QTest::newRow("an extra segment (an API key must never ride along)")
        << u"openweathermap/cur/52.52,13.41/metric/en/0123456789abcdef"_s;
    QTest::newRow("three decimals") << u"open-meteo/cur/52.520,13.41/metric/en"_s;
    QTest::newRow("one decimal") << u"open-meteo/fc/52.5,13.41/metric/en"_s;
    QTest::newRow("units in capitals") << u"open-meteo/cur/52.52,13.41/Metric/en"_s;
    QTest::newRow("unknown units") << u"open-meteo/cur/52.52,13.41/kelvin/en"_s;
    QTest::newRow("search without query") << u"open-meteo/gc/en/"_s;
    QTest::newRow("search not case-folded") << u"open-meteo/gc/en/Berlin"_s;
    QTest::newRow("label without coordinates") << u"label/"_s;
    QTest::newRow("label with words") << u"label/Berlin"_s;
    QTest::newRow("empty provider") << u"/cur/52.52,13.41/metric/en"_s;
}

void tst_WeatherKey::rejected()
{
    QFETCH(QString, text);
    const WeatherKey key = WeatherKey::parse(text);
    QVERIFY(!key.isValid());
    QCOMPARE(key.toString(), QString());
}

void tst_WeatherKey::factoriesRefuseWhatCannotBeAKey()
{
    QVERIFY(!WeatherKey::current(u"open/meteo"_s, 1, 2, Units::Metric, u"en"_s).isValid());
    QVERIFY(!WeatherKey::current(u"open-meteo"_s, 1, 2, Units::Metric, QString()).isValid());
    QVERIFY(!WeatherKey::current(u"open-meteo"_s, 91, 2, Units::Metric, u"en"_s).isValid());
    QVERIFY(!WeatherKey::forecast(u"open-meteo"_s, qQNaN(), 2, Units::Metric, u"en"_s).isValid());
    QVERIFY(!WeatherKey::search(u"open-meteo"_s, u"en"_s, QString()).isValid());
    QVERIFY(!WeatherKey::label(0, 181).isValid());
}

void tst_WeatherKey::locationsAndKinds()
{
    Location berlin;
    berlin.name = u"Berlin"_s;
    berlin.latitude = 52.5244;
    berlin.longitude = 13.4105;
    const WeatherKey cur = WeatherKey::current(u"open-meteo"_s, berlin, Units::Metric, u"en"_s);
    QCOMPARE(cur.toString(), u"open-meteo/cur/52.52,13.41/metric/en"_s);
    QCOMPARE(cur.latitude(), 52.52);
    QCOMPARE(cur.longitude(), 13.41);
    QCOMPARE(cur.withKind(WeatherKey::Kind::Forecast).toString(),
             u"open-meteo/fc/52.52,13.41/metric/en"_s);
    QCOMPARE(cur.withKind(WeatherKey::Kind::Label), WeatherKey::label(berlin));
    QVERIFY(!WeatherKey::label(berlin).withKind(WeatherKey::Kind::Current).isValid());
    // The same city found twice, a few metres apart, shares its entries.
    Location again = berlin;
    again.latitude = 52.5201;
    QCOMPARE(WeatherKey::current(u"open-meteo"_s, again, Units::Metric, u"en"_s), cur);
    QCOMPARE(qHash(WeatherKey::parse(cur.toString())), qHash(cur));
}

void tst_WeatherKey::roundTripRandomized()
{
    QRandomGenerator rng(testSeed());
    const QStringList providers{u"open-meteo"_s, u"openweathermap"_s, u"x-test.provider"_s};
    const QStringList languages{u"en"_s, u"de"_s, u"pt_BR"_s, u"zh-Hans"_s};
    for (int i = 0; i < 5000; ++i) {
        const QString provider = providers.at(rng.bounded(int(providers.size())));
        const QString language = languages.at(rng.bounded(int(languages.size())));
        const double lat = rng.generateDouble() * 180.0 - 90.0;
        const double lon = rng.generateDouble() * 360.0 - 180.0;
        const Units units = rng.bounded(2) ? Units::Metric : Units::Imperial;
        WeatherKey key;
        QString legacy;
        switch (rng.bounded(4)) {
        case 0:
            key = WeatherKey::current(provider, lat, lon, units, language);
            legacy = legacyCurrent(provider, lat, lon, units, language);
            break;
        case 1:
            key = WeatherKey::forecast(provider, lat, lon, units, language);
            legacy = legacyForecast(provider, lat, lon, units, language);
            break;
        case 2: {
            const QString query = randomText(rng, 24);
            key = WeatherKey::search(provider, language, query);
            legacy = legacySearch(provider, language, query);
            break;
        }
        default:
            key = WeatherKey::label(lat, lon);
            legacy = u"label/"_s + legacyCoordinates(lat, lon);
            break;
        }
        const QByteArray where = u"case %1: %2"_s.arg(i).arg(legacy).toUtf8();
        QVERIFY2(key.isValid(), where);
        QVERIFY2(key.toString() == legacy, where); // compatible with the disk caches of today
        const WeatherKey back = WeatherKey::parse(key.toString());
        QVERIFY2(back == key, where);
        QVERIFY2(back.toString() == legacy, where);
    }
}

QTEST_GUILESS_MAIN(tst_WeatherKey)
#include "tst_weatherkey.moc"
