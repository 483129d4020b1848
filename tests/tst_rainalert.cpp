// SPDX-License-Identifier: MIT
// "Rain soon" for a saved place: when to say it, and saying it once per spell.
#include "desktop/rainalert.h"

#include <QScopeGuard>
#include <QTest>

#include <ctime>

using namespace Qt::StringLiterals;

namespace {

constexpr int kUnknownOffset = -1;
const QDateTime kNoon(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC);

/** Hourly points from noon: each pair is (chance %, mm); a negative value is unknown. */
QList<RainAlert::Point> series(const QList<std::pair<double, double>> &hours)
{
    QList<RainAlert::Point> points;
    for (qsizetype i = 0; i < hours.size(); ++i) {
        RainAlert::Point p;
        p.time = kNoon.addSecs(3600 * i);
        if (hours.at(i).first >= 0)
            p.probability = hours.at(i).first;
        if (hours.at(i).second >= 0)
            p.mm = hours.at(i).second;
        points << p;
    }
    return points;
}

/** The session's time zone, as TZ sets it for a desktop session. */
void setZone(const char *zone)
{
    qputenv("TZ", zone);
    tzset();
}

QDateTime at(int hour, int minute)
{
    return QDateTime(kNoon.date(), QTime(hour, minute), Qt::UTC);
}

} // namespace

class tst_RainAlert : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        setZone("UTC");
    }
    void saysWhenOnWhoseClock_data();
    void saysWhenOnWhoseClock();
    void startsWithinTheHour_data();
    void startsWithinTheHour();
    void oncePerSpell();
    void forecastMovingTheStartIsTheSameSpell();
    void alreadyRainingIsNoNews();
    void placesAreIndependent();
    void thresholdsAreSettable();
    void nowcastSaysTheQuarterHour();
};

void tst_RainAlert::startsWithinTheHour_data()
{
    QTest::addColumn<QList<RainAlert::Point>>("points");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<bool>("notice");
    const auto dryThenWet = series({{10, 0}, {80, 1.2}, {90, 3}});
    QTest::newRow("wet hour begins in 20 minutes") << dryThenWet << at(12, 40) << true;
    QTest::newRow("wet hour begins in 61 minutes") << dryThenWet << at(11, 59) << false;
    QTest::newRow("dry all day") << series({{10, 0}, {20, 0}, {5, 0}}) << at(12, 40) << false;
    QTest::newRow("likely but no amount") << series({{10, 0}, {80, 0.0}}) << at(12, 40) << false;
    QTest::newRow("amount but unlikely") << series({{10, 0}, {30, 2.0}}) << at(12, 40) << false;
    QTest::newRow("only a chance known") << series({{10, -1}, {70, -1}}) << at(12, 40) << true;
    QTest::newRow("only an amount known") << series({{-1, 0}, {-1, 0.5}}) << at(12, 40) << true;
    QTest::newRow("nothing known") << series({{-1, -1}, {-1, -1}}) << at(12, 40) << false;
    QTest::newRow("empty series") << QList<RainAlert::Point>() << at(12, 40) << false;
    QTest::newRow("wet hour in the past") << series({{90, 2}, {10, 0}}) << at(13, 30) << false;
}

void tst_RainAlert::startsWithinTheHour()
{
    QFETCH(QList<RainAlert::Point>, points);
    QFETCH(QDateTime, now);
    QFETCH(bool, notice);
    RainAlert alert;
    const auto said = alert.update(u"Berlin"_s, points, now);
    QCOMPARE(said.has_value(), notice);
    if (said) {
        QCOMPARE(said->title, u"Rain soon in Berlin"_s);
        QVERIFY2(said->body.contains(u"13:00"_s), qPrintable(said->body));
        QCOMPARE(said->startsAt, kNoon.addSecs(3600));
    }
}

void tst_RainAlert::saysWhenOnWhoseClock_data()
{
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("place");
    QTest::addColumn<int>("offset"); // kUnknownOffset: not known
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<QString>("body");
    const QLocale uk(QLocale::English, QLocale::UnitedKingdom);
    const QLocale us(QLocale::English, QLocale::UnitedStates);
    // Rain from 13:00 UTC, said at 12:05 UTC. In June Berlin is UTC+2, São Paulo UTC-3.
    QTest::newRow("Berlin, in Berlin")
        << QByteArray("Europe/Berlin") << u"Berlin"_s << 7200 << uk
        << u"Rain in Berlin in about 55 min (15:00 local time): 80 % chance, 1.2 mm."_s;
    QTest::newRow("Berlin, in Berlin, 12-hour clock")
        << QByteArray("Europe/Berlin") << u"Berlin"_s << 7200 << us
        << u"Rain in Berlin in about 55 min (%1 local time): 80 % chance, 1.2 mm."_s.arg(
               us.toString(QTime(15, 0), QLocale::ShortFormat));
    QTest::newRow("São Paulo, seen from Berlin")
        << QByteArray("Europe/Berlin") << u"São Paulo"_s << -10800 << uk
        << u"Rain in São Paulo in about 55 min (15:00 your time, 10:00 there): 80 % "
           u"chance, 1.2 mm."_s;
    QTest::newRow("offset unknown, seen from New York")
        << QByteArray("America/New_York") << u"Berlin"_s << kUnknownOffset << uk
        << u"Rain in Berlin in about 55 min (09:00 your time): 80 % chance, 1.2 mm."_s;
}

void tst_RainAlert::saysWhenOnWhoseClock()
{
    QFETCH(QByteArray, zone);
    QFETCH(QString, place);
    QFETCH(int, offset);
    QFETCH(QLocale, locale);
    QFETCH(QString, body);
    setZone(zone.constData());
    QLocale::setDefault(locale);
    const auto restore = qScopeGuard([] {
        setZone("UTC");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    });
    auto points = series({{10, 0}, {80, 1.2}, {90, 3}});
    for (auto &p : points)
        p.utcOffsetSeconds = offset == kUnknownOffset ? std::nullopt : std::optional<int>(offset);
    RainAlert alert;
    const auto said = alert.update(place, points, at(12, 5));
    QVERIFY(said);
    QCOMPARE(said->body, body);
    // Not the UTC hour, which is what it used to say.
    if (zone != "UTC")
        QVERIFY(!said->body.contains(u"13:00"_s));
}

void tst_RainAlert::oncePerSpell()
{
    RainAlert alert;
    const auto points = series({{10, 0}, {80, 1.2}, {90, 3}, {10, 0}, {10, 0}, {10, 0}, {80, 2}});
    const auto first = alert.update(u"Berlin"_s, points, at(12, 30));
    QVERIFY(first);
    QVERIFY2(first->body.contains(u"80 % chance, 1.2 mm"_s), qPrintable(first->body));
    // Every refresh during the spell: quiet.
    QVERIFY(!alert.update(u"Berlin"_s, points, at(12, 45)));
    QVERIFY(!alert.update(u"Berlin"_s, points, at(13, 10)));
    QVERIFY(!alert.update(u"Berlin"_s, points, at(14, 30)));
    // Dry from 15:00 to 18:00, more than the two-hour gap: the spell is over...
    QVERIFY(!alert.update(u"Berlin"_s, points, at(15, 0)));
    // ...and the next one, from 18:00, is news.
    const auto second = alert.update(u"Berlin"_s, points, at(17, 15));
    QVERIFY(second);
    QCOMPARE(second->startsAt, kNoon.addSecs(6 * 3600));
}

void tst_RainAlert::forecastMovingTheStartIsTheSameSpell()
{
    RainAlert alert;
    QVERIFY(alert.update(u"Berlin"_s, series({{10, 0}, {80, 1.2}}), at(12, 30)));
    // The next forecast puts it off by an hour, then it comes within the hour again: the same
    // spell, no second notice.
    const auto later = series({{10, 0}, {20, 0}, {85, 2}});
    QVERIFY(!alert.update(u"Berlin"_s, later, at(12, 50)));
    QVERIFY(!alert.update(u"Berlin"_s, later, at(13, 10)));
}

void tst_RainAlert::alreadyRainingIsNoNews()
{
    RainAlert alert;
    const auto points = series({{90, 2}, {90, 2}, {10, 0}, {10, 0}, {10, 0}, {80, 1}});
    QVERIFY(!alert.update(u"Berlin"_s, points, at(12, 10))); // started before we looked
    QVERIFY(!alert.update(u"Berlin"_s, points, at(13, 30))); // it goes on
    QVERIFY(!alert.update(u"Berlin"_s, points, at(14, 30))); // dry to 17:00: over
    QVERIFY(!alert.update(u"Berlin"_s, points, at(15, 30))); // 17:00 is more than an hour off
    QVERIFY(alert.update(u"Berlin"_s, points, at(16, 15))); // a new spell, within the hour
}

void tst_RainAlert::placesAreIndependent()
{
    RainAlert alert;
    const auto points = series({{10, 0}, {80, 1.2}});
    QVERIFY(alert.update(u"Berlin"_s, points, at(12, 30)));
    QVERIFY(alert.update(u"Paris"_s, points, at(12, 30)));
    QVERIFY(!alert.update(u"Berlin"_s, points, at(12, 40)));
    alert.forget(u"Berlin"_s);
    QVERIFY(alert.update(u"Berlin"_s, points, at(12, 45))); // watched anew
}

void tst_RainAlert::thresholdsAreSettable()
{
    RainAlert::Thresholds strict;
    strict.minProbability = 90;
    strict.minMm = 2;
    strict.lookaheadMs = 30 * 60'000;
    RainAlert alert(strict);
    QVERIFY(!alert.update(u"Berlin"_s, series({{10, 0}, {80, 3}}), at(12, 45)));
    QVERIFY(!alert.update(u"Paris"_s, series({{10, 0}, {95, 3}}), at(12, 15))); // 45 min away
    QVERIFY(alert.update(u"Rome"_s, series({{10, 0}, {95, 3}}), at(12, 45)));
}

/**
 * Issue 23: where there is a nowcast, its 15-minute steps are the series. Rain 20 minutes
 * after a quarter hour past noon is said to the quarter hour, where the hourly forecast could
 * only say "the hour from 13:00"; and a dry nowcast says nothing at all, whatever the hour's
 * chance was.
 */
void tst_RainAlert::nowcastSaysTheQuarterHour()
{
    Nowcast nowcast;
    nowcast.utcOffsetSeconds = 0;
    for (int i = 1; i <= 24; ++i) // 12:00 to 18:00, rain from 12:45 to 13:30
        nowcast.steps.append({kNoon.addSecs(i * 15 * 60), i >= 4 && i <= 6 ? 0.6 : 0.0});
    const QList<RainAlert::Point> series = RainAlert::fromNowcast(nowcast);
    QCOMPARE(series.size(), 24);
    QCOMPARE(series.first().time, kNoon); // a step starts 15 minutes before its stamp
    QCOMPARE(series.first().lengthMs, 15 * 60'000);

    RainAlert alert;
    const auto notice = alert.update(u"Berlin"_s, series, at(12, 25));
    QVERIFY(notice);
    QCOMPARE(notice->startsAt, at(12, 45));
    QCOMPARE(notice->title, u"Rain soon in Berlin"_s);
    QVERIFY2(notice->body.startsWith(u"Rain in Berlin in about 20 min ("_s),
             qPrintable(notice->body));
    QVERIFY2(notice->body.endsWith(u": 0.6 mm."_s), qPrintable(notice->body));
    // Once per spell, as with the hours.
    QVERIFY(!alert.update(u"Berlin"_s, series, at(12, 30)));

    // The 12:00 step is over by 12:20: a wet 12:00-12:15 is no rain now, and the next wet
    // one starts 25 minutes on.
    Nowcast early = nowcast;
    early.steps[0].precipitation = 0.6;
    RainAlert fresh;
    QVERIFY(fresh.update(u"Paris"_s, RainAlert::fromNowcast(early), at(12, 20)));

    // In inches, converted: 0.02 in a quarter hour is wet, 0.001 is not.
    Nowcast inches = nowcast.convertedTo(PrecipitationUnit::Inch);
    const QList<RainAlert::Point> fromInches = RainAlert::fromNowcast(inches);
    QVERIFY(qAbs(*fromInches.at(3).mm - 0.6) < 0.01);

    const Nowcast dry = [&] {
        Nowcast n = nowcast;
        for (NowcastStep &step : n.steps)
            step.precipitation = 0.0;
        return n;
    }();
    RainAlert quiet;
    QVERIFY(!quiet.update(u"Rome"_s, RainAlert::fromNowcast(dry), at(12, 25)));
}

QTEST_GUILESS_MAIN(tst_RainAlert)
#include "tst_rainalert.moc"
