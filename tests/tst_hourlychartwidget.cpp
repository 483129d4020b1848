// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "models/hourlymodel.h"
#include "widgets/hourlychartwidget.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QLocale>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QDateTime kNow(QDate(2026, 6, 15), QTime(12, 30), Qt::UTC);

/** Hours from 10:00 UTC at UTC+2 (Berlin in June): the first two are over at 12:30. */
HourlyForecastList hours(int count, int periodHours = 1)
{
    HourlyForecastList list;
    for (int i = 0; i < count; ++i) {
        HourlyForecast h;
        h.time
            = QDateTime(QDate(2026, 6, 15), QTime(10, 0), Qt::UTC).addSecs(i * 3600 * periodHours);
        h.periodHours = periodHours;
        h.utcOffsetSeconds = 7200;
        h.temperature = 15.0 + (i % 6);
        h.precipitationProbability = (i % 4) * 25.0;
        h.precipitation = (i % 4) * 0.5;
        h.description = u"Rain showers"_s;
        h.condition = WeatherCondition::Showers;
        list.append(h);
    }
    return list;
}

Location berlin()
{
    Location l;
    l.name = u"Berlin"_s;
    l.latitude = 52.52;
    l.longitude = 13.41;
    return l;
}

} // namespace

class tst_HourlyChartWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    void listFormHasEveryComingHourInThePlacesTime()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        QAbstractItemModelTester tester(chart.model());
        chart.showHours(berlin(), hours(72));
        // 10:00 and 11:00 UTC are over; 12:00 is under way; 48 hours ahead ends before 12:30+48h.
        QCOMPARE(chart.model()->rowCount(), 49);
        const QModelIndex first = chart.model()->index(0);
        QCOMPARE(first.data(HourlyModel::TimeTextRole).toString(), u"14:00"_s); // UTC+2
        QCOMPARE(first.data(Qt::AccessibleTextRole).toString(),
                 u"14:00: 17°, Rain showers, precipitation 50\u202f% · 1.0\u202fmm"_s);
        // The next day says which day it is.
        QCOMPARE(chart.model()->index(10).data(HourlyModel::TimeTextRole).toString(),
                 u"Tue 00:00"_s);
        QCOMPARE(chart.accessibleName(), u"Next 48 hours"_s);
        const QStringList lines = chart.accessibleDescription().split(u'\n');
        QCOMPARE(lines.size(), 49);
        QCOMPARE(lines.first(), first.data(Qt::AccessibleTextRole).toString());
        QVERIFY(chart.focusPolicy() & Qt::TabFocus);
    }

    void threeHourSlotsSayHowLongTheyLast()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.showHours(berlin(), hours(40, 3));
        // 10:00-13:00 UTC is under way; the last starts before 12:30 two days on: 17 slots.
        QCOMPARE(chart.model()->rowCount(), 17);
        QVERIFY2(chart.model()->index(0).data().toString().startsWith(u"12:00 for 3 hours: "_s),
                 qPrintable(chart.model()->index(0).data().toString()));
    }

    void missingValuesAreSaidAsMissing()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        HourlyForecastList list = hours(5);
        list[3].temperature.reset();
        list[3].precipitationProbability.reset();
        list[3].precipitation.reset();
        list[3].description.clear();
        chart.showHours(berlin(), list);
        QCOMPARE(chart.model()->index(1).data(Qt::AccessibleTextRole).toString(),
                 u"15:00: —, conditions unknown, precipitation —"_s);
        // And the chart paints around the gap.
        chart.resize(600, chart.sizeHint().height());
        QImage image(chart.size(), QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        chart.render(&image);
    }

    void allOverHidesTheChart()
    {
        ManualClock clock(kNow.addDays(5).toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.show();
        chart.showHours(berlin(), hours(72));
        QCOMPARE(chart.model()->rowCount(), 0);
        QVERIFY(chart.isHidden());
        QVERIFY(chart.accessibleDescription().isEmpty());
    }

    void labelsNeverOverlap_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("dipAt"); // the coldest of the coming slots
        for (int width : {240, 330, 480, 640, 1200}) {
            for (int dip : {0, 1, 5, 24, 47})
                QTest::addRow("%d px, coldest slot %d", width, dip) << width << dip;
        }
    }

    void labelsNeverOverlap()
    {
        // The lowest temperature's label used to sit on the hour labels below the plot
        // (the coldest hour is often the first one, at night).
        QFETCH(int, width);
        QFETCH(int, dipAt);
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        HourlyForecastList list = hours(50); // slots 0 and 1 are over: slot k is list[k + 2]
        list[dipAt + 2].temperature = 3.0;
        list[(dipAt + 9) % 48 + 2].temperature = 24.0;
        chart.showHours(berlin(), list);
        chart.resize(width, chart.sizeHint().height());
        const QList<HourlyChartWidget::Label> labels = chart.labels();
        QVERIFY(labels.size() >= 4); // highest, lowest and hours
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                            [](const auto &l) { return l.text.startsWith(u"3"); }));
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                            [](const auto &l) { return l.text.startsWith(u"24"); }));
        for (qsizetype i = 0; i < labels.size(); ++i) {
            QVERIFY2(chart.rect().toRectF().contains(labels[i].rect),
                     qPrintable(labels[i].text + u" is cut off"_s));
            for (qsizetype j = i + 1; j < labels.size(); ++j) {
                QVERIFY2(!labels[i].rect.intersects(labels[j].rect),
                         qPrintable(u"'%1' overlaps '%2'"_s.arg(labels[i].text, labels[j].text)));
            }
        }
    }

    void paintsWithThePalette()
    {
        // A dark palette: the temperature line is the palette's highlight, the bars its link
        // colour; none of them is a fixed colour that would vanish on a dark background.
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Highlight, QColor(0xff, 0x80, 0x00));
        dark.setColor(QPalette::Link, QColor(0x00, 0xc0, 0xff));
        chart.setPalette(dark);
        chart.showHours(berlin(), hours(72));
        chart.resize(800, chart.sizeHint().height());
        QImage image(chart.size(), QImage::Format_ARGB32);
        image.fill(dark.color(QPalette::Window));
        chart.render(&image);
        bool line = false;
        bool bar = false;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                line = line
                       || (c.red() > 0xe0 && c.green() > 0x60 && c.green() < 0xa0
                           && c.blue() < 0x30);
                bar = bar || (c.blue() > 0x80 && c.red() < 0x40 && c.green() > 0x50);
            }
        }
        QVERIFY(line);
        QVERIFY(bar);
    }
};

QTEST_MAIN(tst_HourlyChartWidget)
#include "tst_hourlychartwidget.moc"
