// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "support/testdata.h"
#include "weather/nowcast.h"
#include "widgets/nowcaststrip.h"

#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_NowcastStrip : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void twoHoursOfBars();
    void captionFollowsTheClock();
    void failureIsNotADryStrip();
    void unknownStepsAreNotDry();

private:
    static Nowcast berlin()
    {
        return *NowcastParser::parse(loadTestData(u"om_minutely15_berlin.json"_s)).value;
    }
    /** 2026-08-22 hh:mm UTC (Berlin +2 h; rain 12:45..13:45 UTC in the golden body). */
    static qint64 at(int hour, int minute)
    {
        return QDateTime(QDate(2026, 8, 22), QTime(hour, minute), Qt::UTC).toMSecsSinceEpoch();
    }
};

void tst_NowcastStrip::twoHoursOfBars()
{
    ManualClock clock(at(12, 25));
    NowcastStrip strip;
    strip.setClock(&clock);
    strip.resize(400, 80);
    strip.show();
    strip.showNowcast(berlin());
    const QList<NowcastStrip::Bar> bars = strip.bars();
    QCOMPARE(bars.size(), 9); // the quarter under way and eight more
    // Left to right, no overlap, inside the widget; the strip starts at now.
    for (qsizetype i = 1; i < bars.size(); ++i)
        QVERIFY(bars.at(i).rect.left() >= bars.at(i - 1).rect.right());
    QVERIFY(bars.first().rect.left() >= 0);
    QVERIFY(bars.last().rect.right() <= strip.width());
    // Dry steps have no height; the wet ones grow with the amount (1.4 mm > 0.3 mm).
    QCOMPARE(bars.at(0).rect.height(), 0.0);
    const auto heightAt = [&bars](const QDateTime &end) {
        for (const auto &bar : bars) {
            if (bar.step.end == end)
                return bar.rect.height();
        }
        return -1.0;
    };
    const double light = heightAt(QDateTime(QDate(2026, 8, 22), QTime(13, 0), Qt::UTC));
    const double heavy = heightAt(QDateTime(QDate(2026, 8, 22), QTime(13, 30), Qt::UTC));
    QVERIFY(light > 0);
    QVERIFY(heavy > light);
    QCOMPARE(strip.captionText(), u"Rain in 20 min"_s);
    QVERIFY(strip.accessibleDescription().startsWith(u"Rain in 20 min\n14:15: 0.0 mm"_s));
    QVERIFY(!strip.grab().isNull()); // paints without trouble
}

void tst_NowcastStrip::captionFollowsTheClock()
{
    ManualClock clock(at(12, 25));
    NowcastStrip strip;
    strip.setClock(&clock);
    strip.showNowcast(berlin());
    QCOMPARE(strip.captionText(), u"Rain in 20 min"_s);
    clock.advance(45 * 60'000); // 13:10 UTC: raining, dry from 13:45
    strip.refresh();
    QCOMPARE(strip.captionText(), u"Rain stops in 35 min"_s);
    QVERIFY(strip.accessibleDescription().startsWith(u"Rain stops in 35 min"_s));
    clock.setNow(at(14, 0));
    QCOMPARE(strip.captionText(), u"No rain for the next 2 hours"_s);
    clock.setNow(at(19, 0)); // past the last step: no claim
    QCOMPARE(strip.captionText(), u"Rain in the next two hours: no data for now"_s);
    QVERIFY(strip.bars().isEmpty());
}

void tst_NowcastStrip::failureIsNotADryStrip()
{
    ManualClock clock(at(12, 25));
    NowcastStrip strip;
    strip.setClock(&clock);
    strip.showNowcast(berlin());
    strip.showFailure(WeatherError(WeatherError::RateLimited, u"Open-Meteo"_s));
    QVERIFY(strip.bars().isEmpty());
    QVERIFY(strip.captionText().startsWith(u"Rain in the next two hours not available: "_s));
    QVERIFY(!strip.captionText().contains(u"No rain"_s));
    strip.clear();
    QVERIFY(strip.captionText().isEmpty());
}

void tst_NowcastStrip::unknownStepsAreNotDry()
{
    ManualClock clock(at(12, 10));
    Nowcast n = berlin();
    for (NowcastStep &step : n.steps)
        step.precipitation = 0.0;
    n.steps[4].precipitation.reset();
    NowcastStrip strip;
    strip.setClock(&clock);
    strip.resize(400, 80);
    strip.showNowcast(n);
    // No "No rain for the next 2 hours" over a gap.
    QCOMPARE(strip.captionText(), u"Rain in the next two hours: no data for now"_s);
    QVERIFY(strip.accessibleDescription().contains(u"unknown"_s));
}

QTEST_MAIN(tst_NowcastStrip)
#include "tst_nowcaststrip.moc"
