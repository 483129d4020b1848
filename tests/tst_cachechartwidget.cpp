// SPDX-License-Identifier: MIT
#include "widgets/cachechartwidget.h"

#include <QImage>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_CacheChartWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void keepsTheLastSamples()
    {
        CacheChartWidget chart;
        chart.setMaxSamples(3);
        for (quint64 i = 1; i <= 5; ++i)
            chart.appendSample({i, 0});
        QCOMPARE(chart.samples().size(), 3);
        QCOMPARE(chart.samples().first().hits, quint64(3));
        QCOMPARE(chart.samples().last().hits, quint64(5));
        chart.setMaxSamples(1);
        QCOMPARE(chart.samples().size(), 1);
        chart.clear();
        QVERIFY(chart.samples().isEmpty());
    }

    void hiddenTimeIsOneWideSample()
    {
        CacheChartWidget chart;
        chart.setMaxSamples(10);
        chart.appendSample({60, 0, 6}); // a minute the panel was hidden, at 10 s a bar
        QCOMPARE(chart.coveredIntervals(), 6);
        for (int i = 0; i < 5; ++i)
            chart.appendSample({1, 0});
        // Eleven intervals kept: the wide one is cut at the left edge, not dropped.
        QCOMPARE(chart.samples().size(), 6);
        QCOMPARE(chart.coveredIntervals(), 10);
        // It goes once none of it is on the chart: with ten newer intervals.
        for (int i = 5; i < 9; ++i)
            chart.appendSample({1, 0});
        QCOMPARE(chart.samples().first().intervals, 6);
        chart.appendSample({1, 0});
        QCOMPARE(chart.samples().size(), 10);
        QCOMPARE(chart.samples().first().intervals, 1);
    }

    void wideSampleIsDrawnAsWideAsItsIntervals()
    {
        // The columns that show any hit colour, for one sample of `intervals` on 10 slots.
        auto hitColumns = [](int intervals) {
            CacheChartWidget chart;
            chart.resize(300, 150);
            chart.setMaxSamples(10);
            chart.appendSample({quint64(10 * intervals), 0, intervals});
            const QImage image = chart.grab().toImage();
            int columns = 0;
            for (int x = 0; x < image.width(); ++x) {
                for (int y = 40; y < image.height(); ++y) {
                    if (image.pixel(x, y) == qRgb(0x4c, 0xaf, 0x50)) {
                        ++columns;
                        break;
                    }
                }
            }
            return columns;
        };
        const int one = hitColumns(1);
        const int six = hitColumns(6);
        QVERIFY(one > 0);
        QVERIFY2(six > 5 * one, qPrintable(u"%1 vs %2"_s.arg(six).arg(one)));
    }

    void niceCeiling_data()
    {
        QTest::addColumn<quint64>("value");
        QTest::addColumn<quint64>("ceiling");
        QTest::newRow("one") << quint64(1) << quint64(1);
        QTest::newRow("three") << quint64(3) << quint64(5);
        QTest::newRow("seven") << quint64(7) << quint64(10);
        QTest::newRow("eleven") << quint64(11) << quint64(20);
        QTest::newRow("exact fifty") << quint64(50) << quint64(50);
        QTest::newRow("large") << quint64(1234) << quint64(2000);
    }
    void niceCeiling()
    {
        QFETCH(quint64, value);
        QFETCH(quint64, ceiling);
        QCOMPARE(CacheChartWidget::niceCeiling(value), ceiling);
    }

    void drawsHitsAndMisses()
    {
        CacheChartWidget chart;
        chart.resize(300, 150);
        chart.setMaxSamples(4);
        chart.appendSample({8, 2});
        chart.appendSample({4, 6});
        const QImage image = chart.grab().toImage();
        int hitPixels = 0;
        int missPixels = 0;
        for (int y = 40; y < image.height(); ++y) { // below the legend
            for (int x = 0; x < image.width(); ++x) {
                const QRgb p = image.pixel(x, y);
                hitPixels += p == qRgb(0x4c, 0xaf, 0x50);
                missPixels += p == qRgb(0xf0, 0x8a, 0x24);
            }
        }
        QVERIFY(hitPixels > 100);
        QVERIFY(missPixels > 100);

        // Nothing to show: no bars at all.
        CacheChartWidget empty;
        empty.resize(300, 150);
        const QImage blank = empty.grab().toImage();
        int bars = 0;
        for (int y = 40; y < blank.height(); ++y) {
            for (int x = 0; x < blank.width(); ++x)
                bars += blank.pixel(x, y) == qRgb(0x4c, 0xaf, 0x50);
        }
        QCOMPARE(bars, 0);
    }
};

QTEST_MAIN(tst_CacheChartWidget)
#include "tst_cachechartwidget.moc"
