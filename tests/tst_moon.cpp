// SPDX-License-Identifier: MIT
#include "weather/moon.h"

#include <QTest>

#include <cmath>

/**
 * The moon's phase against the published times of new and full moon of 2025 (UTC, to the
 * minute), from the US Naval Observatory's "Phases of the Moon" data service
 * (aa.usno.navy.mil/data/MoonPhases) and NASA GSFC's "Six Millennium Catalog of Phases of the
 * Moon" (F. Espenak, eclipse.gsfc.nasa.gov/phase/phases2001.html), which agree to the minute.
 */
class tst_Moon : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void publishedPhases_data();
    void publishedPhases();
    void illumination();
    void namesInTheCycle();
    void dayNames_data();
    void dayNames();
    void tokensAndSymbols();
};

namespace {

/** The instant near `around` when the phase crosses `target` (0 or 0.5), by bisection. */
QDateTime crossing(double target, const QDateTime &around)
{
    auto offset = [target](const QDateTime &t) {
        double d = Moon::at(t).phase - target;
        // The signed distance on the circle, in (-0.5, 0.5].
        d -= std::floor(d + 0.5);
        return d;
    };
    qint64 lo = around.toMSecsSinceEpoch() - 2LL * 86'400'000;
    qint64 hi = around.toMSecsSinceEpoch() + 2LL * 86'400'000;
    for (int i = 0; i < 60 && hi - lo > 1000; ++i) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (offset(QDateTime::fromMSecsSinceEpoch(mid, Qt::UTC)) < 0)
            lo = mid;
        else
            hi = mid;
    }
    return QDateTime::fromMSecsSinceEpoch(lo, Qt::UTC);
}

QDateTime utc(const char *text)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
    t.setTimeSpec(Qt::UTC);
    return t;
}

} // namespace

void tst_Moon::publishedPhases_data()
{
    QTest::addColumn<double>("phase");
    QTest::addColumn<QDateTime>("published");
    struct Row
    {
        const char *time;
        double phase;
    };
    const Row rows[] = {
        {"2025-01-13T22:27", 0.5}, {"2025-01-29T12:36", 0.0}, {"2025-02-12T13:53", 0.5},
        {"2025-02-28T00:45", 0.0}, {"2025-03-14T06:55", 0.5}, {"2025-03-29T10:58", 0.0},
        {"2025-04-13T00:22", 0.5}, {"2025-04-27T19:31", 0.0}, {"2025-05-12T16:56", 0.5},
        {"2025-05-27T03:02", 0.0}, {"2025-06-11T07:44", 0.5}, {"2025-06-25T10:31", 0.0},
        {"2025-07-10T20:37", 0.5}, {"2025-07-24T19:11", 0.0}, {"2025-08-09T07:55", 0.5},
        {"2025-08-23T06:06", 0.0}, {"2025-09-07T18:09", 0.5}, {"2025-09-21T19:54", 0.0},
        {"2025-10-07T03:48", 0.5}, {"2025-10-21T12:25", 0.0}, {"2025-11-05T13:19", 0.5},
        {"2025-11-20T06:47", 0.0}, {"2025-12-04T23:14", 0.5}, {"2025-12-20T01:43", 0.0},
    };
    for (const Row &row : rows) {
        QTest::addRow("%s %s", row.phase == 0.0 ? "new" : "full", row.time)
            << row.phase << utc(row.time);
    }
}

void tst_Moon::publishedPhases()
{
    QFETCH(double, phase);
    QFETCH(QDateTime, published);
    const QDateTime computed = crossing(phase, published);
    const qint64 minutesOff = qAbs(computed.secsTo(published)) / 60;
    // The issue asks for "within a few hours"; the terms kept are good to 3 minutes in 2025.
    QVERIFY2(minutesOff <= 15, qPrintable(QStringLiteral("computed %1, %2 min off")
                                              .arg(computed.toString(Qt::ISODate))
                                              .arg(minutesOff)));
    const Moon::Phase p = Moon::at(published);
    QCOMPARE(p.name, phase == 0.0 ? Moon::PhaseName::NewMoon : Moon::PhaseName::FullMoon);
}

void tst_Moon::illumination()
{
    // Full: the disc lit; new: dark; a quarter: half (2025-01-06 23:56 first quarter, USNO).
    QVERIFY(Moon::at(utc("2025-01-13T22:27")).illumination > 0.99);
    QVERIFY(Moon::at(utc("2025-01-29T12:36")).illumination < 0.01);
    const Moon::Phase quarter = Moon::at(utc("2025-01-06T23:56"));
    QVERIFY2(qAbs(quarter.illumination - 0.5) < 0.02,
             qPrintable(QString::number(quarter.illumination)));
    QVERIFY2(qAbs(quarter.phase - 0.25) < 0.005, qPrintable(QString::number(quarter.phase)));
    QCOMPARE(quarter.name, Moon::PhaseName::FirstQuarter);
}

void tst_Moon::namesInTheCycle()
{
    // A week after new moon the phase keeps growing through the eight names, in order.
    const QDateTime newMoon = utc("2025-01-29T12:36");
    double previous = -1;
    int previousName = 0;
    for (int day = 1; day < 27; ++day) { // day 28 is near new again
        const Moon::Phase p = Moon::at(newMoon.addDays(day));
        QVERIFY(p.phase > previous);
        QVERIFY(int(p.name) >= previousName);
        previous = p.phase;
        previousName = int(p.name);
    }
    QCOMPARE(Moon::at(newMoon.addDays(3)).name, Moon::PhaseName::WaxingCrescent);
    QCOMPARE(Moon::at(newMoon.addDays(11)).name, Moon::PhaseName::WaxingGibbous);
    QCOMPARE(Moon::at(newMoon.addDays(18)).name, Moon::PhaseName::WaningGibbous);
    QCOMPARE(Moon::at(newMoon.addDays(26)).name, Moon::PhaseName::WaningCrescent);
}

void tst_Moon::dayNames_data()
{
    QTest::addColumn<QDate>("date");
    QTest::addColumn<int>("utcOffsetSeconds");
    QTest::addColumn<Moon::PhaseName>("name");
    // Full moon 2025-01-13 22:27 UTC: the 13th in London, the 14th in Tokyo (+9 h).
    QTest::newRow("full moon, London") << QDate(2025, 1, 13) << 0 << Moon::PhaseName::FullMoon;
    QTest::newRow("full moon, Tokyo next day")
        << QDate(2025, 1, 14) << 9 * 3600 << Moon::PhaseName::FullMoon;
    QTest::newRow("Tokyo's 13th: waxing gibbous")
        << QDate(2025, 1, 13) << 9 * 3600 << Moon::PhaseName::WaxingGibbous;
    QTest::newRow("London's 14th: waning gibbous")
        << QDate(2025, 1, 14) << 0 << Moon::PhaseName::WaningGibbous;
    // New moon 2025-12-20 01:43 UTC: still the 19th in New York (−5 h).
    QTest::newRow("new moon, New York")
        << QDate(2025, 12, 19) << -5 * 3600 << Moon::PhaseName::NewMoon;
    QTest::newRow("new moon, Berlin") << QDate(2025, 12, 20) << 3600 << Moon::PhaseName::NewMoon;
    QTest::newRow("day after: waxing crescent")
        << QDate(2025, 12, 21) << 3600 << Moon::PhaseName::WaxingCrescent;
    // Last quarter 2025-01-21 20:31 UTC (USNO).
    QTest::newRow("last quarter") << QDate(2025, 1, 21) << 0 << Moon::PhaseName::LastQuarter;
    QTest::newRow("after last quarter")
        << QDate(2025, 1, 23) << 0 << Moon::PhaseName::WaningCrescent;
}

void tst_Moon::dayNames()
{
    QFETCH(QDate, date);
    QFETCH(int, utcOffsetSeconds);
    QFETCH(Moon::PhaseName, name);
    QCOMPARE(Moon::forDay(date, utcOffsetSeconds).name, name);
}

void tst_Moon::tokensAndSymbols()
{
    QCOMPARE(Moon::token(Moon::PhaseName::FullMoon), QStringLiteral("full_moon"));
    QCOMPARE(Moon::token(Moon::PhaseName::WaningCrescent), QStringLiteral("waning_crescent"));
    QCOMPARE(Moon::symbol(Moon::PhaseName::NewMoon), QStringLiteral("🌑"));
    QCOMPARE(Moon::symbol(Moon::PhaseName::FullMoon), QStringLiteral("🌕"));
    QCOMPARE(Moon::displayName(Moon::PhaseName::FirstQuarter), QStringLiteral("First quarter"));
}

QTEST_GUILESS_MAIN(tst_Moon)
#include "tst_moon.moc"
