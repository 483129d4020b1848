// SPDX-License-Identifier: MIT
#include "models/forecastmodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include "showntooltip.h"
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace {
DailyForecastList days(const QDate &first, int count, double base = 10.0)
{
    DailyForecastList list;
    for (int i = 0; i < count; ++i) {
        DailyForecast day;
        day.date = first.addDays(i);
        day.minTemp = base + i;
        day.maxTemp = base + 8 + i;
        day.condition = i % 2 ? WeatherCondition::Rain : WeatherCondition::Clear;
        day.description = i % 2 ? u"Rain"_s : u"Clear sky"_s;
        list.append(day);
    }
    return list;
}

} // namespace

class tst_ForecastModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void rowsComeAndGo()
    {
        ForecastModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        const QDate today(2026, 6, 15);
        model.setForecast(days(today, 7), today);
        QCOMPARE(model.rowCount(), 7);
        model.setForecast(days(today, 5, 12.0), today);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0).data(ForecastModel::MinTextRole).toString(), u"12°"_s);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 0);
    }

    void dayNamesFollowThePlacesDate()
    {
        ForecastModel model;
        QAbstractItemModelTester tester(&model);
        const QDate today(2026, 6, 15); // a Monday
        model.setForecast(days(today, 3), today);
        QCOMPARE(model.index(0).data(ForecastModel::DayNameRole).toString(), u"Today"_s);
        QCOMPARE(model.index(1).data(ForecastModel::DayNameRole).toString(), u"Tomorrow"_s);
        QCOMPARE(model.index(2).data(ForecastModel::DayNameRole).toString(), u"Wed"_s);
        QCOMPARE(model.index(0).data(ForecastModel::IconNameRole).toString(), u"weather-clear"_s);
        QCOMPARE(model.index(1).data(ForecastModel::IconNameRole).toString(), u"weather-showers"_s);
        QCOMPARE(model.index(0).data(ForecastModel::MaxTextRole).toString(), u"18°"_s);
    }

    void temperatureText_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("known");
        QTest::addColumn<QString>("text");
        QTest::newRow("rounds up") << 21.5 << true << u"22°"_s;
        QTest::newRow("negative") << -3.4 << true << u"-3°"_s;
        QTest::newRow("no minus zero") << -0.4 << true << u"0°"_s;
        QTest::newRow("unknown") << 0.0 << false << u"—"_s;
    }
    void temperatureText()
    {
        QFETCH(double, value);
        QFETCH(bool, known);
        QFETCH(QString, text);
        QCOMPARE(
            ForecastModel::temperatureText(known ? std::optional<double>(value) : std::nullopt),
            text);
    }

    void providerDescriptionShowsAsItIs()
    {
        ForecastModel model;
        QAbstractItemModelTester tester(&model);
        const QDate today(2026, 6, 15);
        DailyForecastList list = days(today, 1);
        list[0].description = u"<b style='color:red'>Storm</b>\u202E warning"_s;
        model.setForecast(list, today);
        QCOMPARE(
            shownToolTip(model.index(0).data(Qt::ToolTipRole).toString()),
            u"Monday, June 15, 2026 — <b style='color:red'>Storm</b> warning, between 10° and 18°"_s);
        QCOMPARE(model.index(0).data(Qt::AccessibleTextRole).toString(),
                 u"Today, Monday, June 15, 2026, <b style='color:red'>Storm</b> warning, high 18°, "
                 u"low 10°, "
                 "precipitation —"_s);
    }

    // issue 23 (air): the moon of each day, in the place's days.
    void moonOfTheDay()
    {
        ForecastModel model;
        QAbstractItemModelTester tester(&model);
        // Full moon 2025-01-13 22:27 UTC (USNO): the 13th in Berlin (+1 h) and the 14th in
        // Tokyo (+9 h).
        DailyForecastList list = days(QDate(2025, 1, 12), 4);
        for (DailyForecast &d : list)
            d.utcOffsetSeconds = 3600;
        model.setForecast(list, QDate(2025, 1, 12));
        QCOMPARE(model.index(1).data(ForecastModel::MoonNameRole).toString(), u"Full moon"_s);
        QCOMPARE(model.index(1).data(ForecastModel::MoonSymbolRole).toString(), u"🌕"_s);
        QCOMPARE(model.index(2).data(ForecastModel::MoonNameRole).toString(), u"Waning gibbous"_s);
        const double phase = model.index(1).data(ForecastModel::MoonPhaseRole).toDouble();
        QVERIFY2(phase > 0.47 && phase < 0.53, qPrintable(QString::number(phase)));
        for (DailyForecast &d : list)
            d.utcOffsetSeconds = 9 * 3600;
        model.setForecast(list, QDate(2025, 1, 12));
        QCOMPARE(model.index(1).data(ForecastModel::MoonNameRole).toString(), u"Waxing gibbous"_s);
        QCOMPARE(model.index(2).data(ForecastModel::MoonNameRole).toString(), u"Full moon"_s);
    }
};

QTEST_MAIN(tst_ForecastModel)
#include "tst_forecastmodel.moc"
