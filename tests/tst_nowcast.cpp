// SPDX-License-Identifier: MIT
#include "support/testdata.h"
#include "weather/nowcast.h"

#include <QDataStream>
#include <QTest>

using namespace Qt::StringLiterals;
using Kind = RainOutlook::Kind;

class tst_Nowcast : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesSteps();
    void badValues();
    void errors_data();
    void errors();
    void outlook_data();
    void outlook();
    void gapsAreUnknown();
    void imperialThreshold();
    void texts();
    void upcoming();
    void streamRoundTrip();
};

namespace {

Nowcast berlin()
{
    const auto result = NowcastParser::parse(loadTestData(u"om_minutely15_berlin.json"_s));
    if (!result.ok())
        qFatal("om_minutely15_berlin.json does not parse");
    return *result.value;
}

/** 2026-08-22 at hh:mm UTC (Berlin is +2 h). */
QDateTime at(int hour, int minute)
{
    return QDateTime(QDate(2026, 8, 22), QTime(hour, minute), Qt::UTC);
}

} // namespace

void tst_Nowcast::parsesSteps()
{
    const Nowcast n = berlin();
    QCOMPARE(n.steps.size(), 24);
    QCOMPARE(n.utcOffsetSeconds, 7200);
    // "2026-08-22T14:15" local ends the first step: 12:15 UTC; it covers 12:00..12:15.
    QCOMPARE(n.steps.first().end, at(12, 15));
    QCOMPARE(n.steps.first().start(), at(12, 0));
    QCOMPARE(n.steps.at(3).precipitation, 0.3);
    QCOMPARE(n.steps.last().end, at(18, 0));
}

void tst_Nowcast::badValues()
{
    const auto result = NowcastParser::parse(loadTestData(u"om_minutely15_bad_values.json"_s));
    QVERIFY(result.ok());
    const Nowcast &n = *result.value;
    QCOMPARE(n.steps.size(), 23); // the step with an unreadable time is skipped
    QCOMPARE(n.steps.at(0).precipitation, 0.0);
    QVERIFY(!n.steps.at(1).precipitation); // null
    QVERIFY(!n.steps.at(2).precipitation); // "x"
    QVERIFY(!n.steps.at(3).precipitation); // -2 mm
    QVERIFY(!n.steps.at(4).precipitation); // 5000 mm in 15 minutes
    QCOMPARE(n.steps.at(5).precipitation, 0.4);
}

void tst_Nowcast::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::newRow("error body") << loadTestData(u"om_error_400_latitude.json"_s)
                                << int(WeatherError::InvalidInput);
    QTest::newRow("no minutely_15 block")
        << loadTestData(u"om_forecast_hourly.json"_s) << int(WeatherError::BadResponse);
    QTest::newRow("time not an array")
        << testDataWithValue(u"om_minutely15_berlin.json"_s, u"minutely_15"_s, u"time"_s, 5)
        << int(WeatherError::BadResponse);
    QTest::newRow("html") << loadTestData(u"garbage.html"_s) << int(WeatherError::BadResponse);
    QTest::newRow("truncated") << loadTestData(u"truncated.json"_s)
                               << int(WeatherError::BadResponse);
}

void tst_Nowcast::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    const auto result = NowcastParser::parse(body);
    QVERIFY(!result.ok());
    QCOMPARE(int(result.error.kind()), kind);
}

void tst_Nowcast::outlook_data()
{
    // Rain (>= 0.1 mm a quarter) falls from 14:45 to 15:45 Berlin time (12:45..13:45 UTC),
    // and briefly at 19:00..19:15 (17:00 UTC); the steps end at 20:00 (18:00 UTC).
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("minutes");
    QTest::newRow("dry, rain in 35 min") << at(12, 10) << Kind::Starts << 35;
    QTest::newRow("dry, rain in 20 min") << at(12, 25) << Kind::Starts << 20;
    QTest::newRow("just before: at least 5 min") << at(12, 44) << Kind::Starts << 5;
    QTest::newRow("raining, stops in 55 min") << at(12, 50) << Kind::Stops << 55;
    QTest::newRow("raining, stops in 35 min") << at(13, 10) << Kind::Stops << 35;
    QTest::newRow("dry for two hours") << at(14, 0) << Kind::Dry << 0;
    QTest::newRow("late shower within two hours") << at(15, 30) << Kind::Starts << 90;
    QTest::newRow("steps end before the horizon") << at(17, 20) << Kind::Unknown << 0;
    QTest::newRow("before the first step") << at(11, 0) << Kind::Unknown << 0;
    QTest::newRow("after the last step") << at(19, 0) << Kind::Unknown << 0;
}

void tst_Nowcast::outlook()
{
    QFETCH(QDateTime, now);
    QFETCH(Kind, kind);
    QFETCH(int, minutes);
    const RainOutlook o = RainOutlook::from(berlin(), now);
    QCOMPARE(o.kind, kind);
    QCOMPARE(o.minutes, minutes);
}

void tst_Nowcast::gapsAreUnknown()
{
    Nowcast n = berlin();
    // All dry, but one step unknown within the two hours: no promise of a dry spell.
    for (NowcastStep &step : n.steps)
        step.precipitation = 0.0;
    QCOMPARE(RainOutlook::from(n, at(12, 10)).kind, Kind::Dry);
    n.steps[4].precipitation.reset();
    QCOMPARE(RainOutlook::from(n, at(12, 10)).kind, Kind::Unknown);
    // A wet step before the gap is still news.
    n.steps[2].precipitation = 2.0;
    QCOMPARE(RainOutlook::from(n, at(12, 10)).kind, Kind::Starts);
    // A missing step (two hours of steps with one left out) is a gap too.
    n = berlin();
    for (NowcastStep &step : n.steps)
        step.precipitation = 0.0;
    n.steps.removeAt(3);
    QCOMPARE(RainOutlook::from(n, at(12, 10)).kind, Kind::Unknown);
    // Raining throughout.
    n = berlin();
    for (NowcastStep &step : n.steps)
        step.precipitation = 1.0;
    QCOMPARE(RainOutlook::from(n, at(12, 10)).kind, Kind::Continues);
}

void tst_Nowcast::imperialThreshold()
{
    // 0.3 mm is 0.0118 in: still wet in inches; 0.05 mm (0.002 in) is not.
    Nowcast n = berlin().convertedTo(PrecipitationUnit::Inch);
    QCOMPARE(RainOutlook::from(n, at(12, 10)).minutes, 35);
    n.steps[3].precipitation = 0.002;
    QCOMPARE(RainOutlook::from(n, at(12, 10)).minutes, 50);
}

void tst_Nowcast::texts()
{
    RainOutlook o = RainOutlook::from(berlin(), at(12, 25));
    QCOMPARE(o.text(), u"Rain in 20 min"_s);
    QCOMPARE(o.noticeText(u"Berlin"_s), u"Rain in Berlin in about 20 minutes"_s);
    QVERIFY(o.startsWithin(20));
    QVERIFY(!o.startsWithin(15));
    o = RainOutlook::from(berlin(), at(13, 10));
    QCOMPARE(o.text(), u"Rain stops in 35 min"_s);
    QVERIFY(o.noticeText(u"Berlin"_s).isEmpty());
    QCOMPARE(RainOutlook::from(berlin(), at(14, 0)).text(), u"No rain for the next 2 hours"_s);
    QVERIFY(RainOutlook::from(berlin(), at(19, 0)).text().isEmpty());
}

void tst_Nowcast::upcoming()
{
    const QList<NowcastStep> steps = berlin().upcoming(at(12, 25));
    // The step under way (12:15..12:30) and the ones starting within two hours.
    QCOMPARE(steps.size(), 9);
    QCOMPARE(steps.first().end, at(12, 30));
    QCOMPARE(steps.last().start(), at(14, 15));
}

void tst_Nowcast::streamRoundTrip()
{
    const Nowcast n = berlin();
    QByteArray bytes;
    {
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out << n;
    }
    QDataStream in(bytes);
    Nowcast back;
    in >> back;
    QCOMPARE(in.status(), QDataStream::Ok);
    QVERIFY(in.atEnd());
    QVERIFY(back == n);
}

QTEST_GUILESS_MAIN(tst_Nowcast)
#include "tst_nowcast.moc"
