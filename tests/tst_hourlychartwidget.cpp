// SPDX-License-Identifier: MIT
#include "cache/clock.h"
#include "models/hourlymodel.h"
#include "widgets/hourlychartwidget.h"
#include "widgets/themecolors.h"

#include "showntooltip.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QHelpEvent>
#include <QImage>
#include <QLineEdit>
#include <QLocale>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QTest>
#include <QToolTip>

#include <QScopeGuard>

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
        h.windSpeed = 10.0 + i % 10;
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
        QCOMPARE(
            first.data(Qt::AccessibleTextRole).toString(),
            u"14:00: 17°, Rain showers, precipitation 50\u202f% · 1.0\u202fmm, wind 12\u202fkm/h"_s);
        // The next day says which day it is.
        QCOMPARE(chart.model()->index(10).data(HourlyModel::TimeTextRole).toString(),
                 u"Tue 00:00"_s);
        QCOMPARE(chart.accessibleName(), u"Next 48 hours"_s);
        const QStringList lines = chart.accessibleDescription().split(u'\n');
        QCOMPARE(lines.size(), 49);
        QCOMPARE(lines.first(), first.data(Qt::AccessibleTextRole).toString());
        QVERIFY(chart.focusPolicy() & Qt::TabFocus);
        QCOMPARE(chart.currentSlot(), -1);
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
        list[3].windSpeed.reset();
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
        QTest::addColumn<int>("periodHours");
        for (int width : {320, 480, 700, 1000, 1920}) {
            for (int dip : {0, 1, 5, 24, 47})
                QTest::addRow("%d px, coldest slot %d", width, dip) << width << dip << 1;
            QTest::addRow("%d px, 3-hour slots", width) << width << 3 << 3;
        }
    }

    void labelsNeverOverlap()
    {
        QFETCH(int, width);
        QFETCH(int, dipAt);
        QFETCH(int, periodHours);
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        HourlyForecastList list = hours(50, periodHours);
        list[dipAt + 2].temperature = -13.0; // the widest temperature text
        list[(dipAt + 9) % 16 + 2].temperature = 24.0;
        list[2].windSpeed = 188.0; // the widest wind, in the first column beside the unit
        chart.showHours(berlin(), list);
        chart.resize(width, chart.sizeHint().height());
        const QList<HourlyChartWidget::Label> labels = chart.labels();
        QVERIFY(labels.size() >= 10);
        for (qsizetype i = 0; i < labels.size(); ++i) {
            QVERIFY2(chart.rect().toRectF().contains(labels[i].rect),
                     qPrintable(labels[i].text + u" is cut off"_s));
            for (qsizetype j = i + 1; j < labels.size(); ++j) {
                QVERIFY2(!labels[i].rect.intersects(labels[j].rect),
                         qPrintable(u"'%1' overlaps '%2'"_s.arg(labels[i].text, labels[j].text)));
            }
        }
        const auto icons = chart.icons();
        QVERIFY(!icons.isEmpty());
        for (const auto &icon : icons) {
            QVERIFY(chart.rect().toRectF().contains(icon.second));
            for (const auto &label : labels)
                QVERIFY(!label.rect.intersects(icon.second));
        }
    }

    void isAMeteogramAt700Pixels()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.showHours(berlin(), hours(72));
        chart.resize(700, chart.sizeHint().height());
        const QList<HourlyChartWidget::Label> labels = chart.labels();
        const auto texts = [&labels](HourlyChartWidget::Label::Kind kind) {
            QStringList list;
            for (const auto &label : labels) {
                if (label.kind == kind)
                    list << label.text;
            }
            return list;
        };
        using Label = HourlyChartWidget::Label;
        QCOMPARE(texts(Label::Heading), QStringList{u"Next 48 hours"_s});
        QCOMPARE(texts(Label::Legend),
                 (QStringList{u"Temperature"_s, u"Chance of precipitation"_s, u"Amount (mm)"_s}));
        // Monday 14:00 to Wednesday 14:00 in Berlin.
        QCOMPARE(texts(Label::Day), (QStringList{u"Today"_s, u"Tomorrow"_s, u"Wednesday"_s}));
        // Scales: the chance in %, the amount up to 2 mm (the most is 1.5 mm), wind in km/h.
        const QStringList scales = texts(Label::Scale);
        for (const QString &scale : {u"100\u202f%"_s, u"50\u202f%"_s, u"2\u202fmm"_s, u"km/h"_s})
            QVERIFY2(scales.contains(scale), qPrintable(scales.join(u", "_s)));

        // The first hour label is "Now", under the current time (12:30 UTC: half way through
        // the first slot), then whole hours.
        const QStringList hourTexts = texts(Label::Hour);
        QCOMPARE(hourTexts.first(), u"Now"_s);
        QVERIFY2(hourTexts.size() >= 6, qPrintable(hourTexts.join(u", "_s)));
        for (const QString &hour : hourTexts.mid(1))
            QVERIFY2(hour.endsWith(u":00"_s), qPrintable(hour));
        const auto now = std::find_if(labels.cbegin(), labels.cend(),
                                      [](const Label &l) { return l.text == u"Now"_s; });
        QVERIFY(qAbs(now->rect.center().x() - chart.slotCenter(0)) < 1.0);

        // "Tomorrow" starts at Berlin's midnight: after slot 9 (23:00), by slot 10 (00:00).
        const auto tomorrow = std::find_if(labels.cbegin(), labels.cend(),
                                           [](const Label &l) { return l.text == u"Tomorrow"_s; });
        QVERIFY(tomorrow->rect.left() > chart.slotCenter(9));
        QVERIFY(tomorrow->rect.left() < chart.slotCenter(10));

        // Temperatures, icons and wind every few hours: at most 3 h apart at 700 px, and each
        // slot written out has all three, its own values.
        const auto icons = chart.icons();
        QVERIFY(icons.size() >= 16);
        for (qsizetype i = 1; i < icons.size(); ++i)
            QVERIFY(icons[i].first - icons[i - 1].first <= 3);
        const QStringList temperatures = texts(Label::Temperature);
        const QStringList winds = texts(Label::Wind);
        QCOMPARE(temperatures.size(), icons.size());
        QCOMPARE(winds.size(), icons.size());
        for (qsizetype i = 0; i < icons.size(); ++i) {
            const QModelIndex index = chart.model()->index(icons[i].first);
            QCOMPARE(temperatures[i], index.data(HourlyModel::TemperatureTextRole).toString());
            QCOMPARE(winds[i], QString::number(index.data(HourlyModel::WindSpeedRole).toInt()));
        }
        // The first written slot is a whole 3 hours in the place's time (15:00 Berlin).
        QCOMPARE(icons.first().first, 1);
    }

    void arrowKeysReadOutOneHour()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.showHours(berlin(), hours(72));
        chart.resize(700, chart.sizeHint().height());
        QCOMPARE(chart.focusPolicy(), Qt::StrongFocus);
        QTest::keyClick(&chart, Qt::Key_Right); // nothing read yet: the first hour
        QCOMPARE(chart.currentSlot(), 0);
        QTest::keyClick(&chart, Qt::Key_Right);
        QCOMPARE(chart.currentSlot(), 1);
        // Slot 1 is 13:00 UTC, 15:00 in Berlin: hours(72)[3].
        const QString expected
            = u"15:00 · 18° · rain 75\u202f% · 1.5\u202fmm · wind 13\u202fkm/h"_s;
        QCOMPARE(chart.readoutText(), expected);
        QCOMPARE(chart.accessibleName(), u"Next 48 hours: "_s + expected);
        const auto labels = chart.labels();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [&](const auto &l) {
            return l.kind == HourlyChartWidget::Label::Readout && l.text == expected;
        }));
        // The list for screen readers stays.
        QCOMPARE(chart.accessibleDescription().split(u'\n').size(), 49);

        QTest::keyClick(&chart, Qt::Key_End);
        QCOMPARE(chart.currentSlot(), 48);
        QVERIFY2(chart.readoutText().startsWith(u"Wed 14:00 · "_s),
                 qPrintable(chart.readoutText()));
        QTest::keyClick(&chart, Qt::Key_Right); // stays on the last
        QCOMPARE(chart.currentSlot(), 48);
        QTest::keyClick(&chart, Qt::Key_PageUp);
        QCOMPARE(chart.currentSlot(), 42);
        QTest::keyClick(&chart, Qt::Key_Home);
        QCOMPARE(chart.currentSlot(), 0);
        QTest::keyClick(&chart, Qt::Key_Left); // stays on the first
        QCOMPARE(chart.currentSlot(), 0);

        // A refresh of the same place keeps the hour; another place starts with none.
        QTest::keyClick(&chart, Qt::Key_Right);
        chart.showHours(berlin(), hours(72));
        QCOMPARE(chart.currentSlot(), 1);
        Location paris = berlin();
        paris.name = u"Paris"_s;
        paris.longitude = 2.35;
        chart.showHours(paris, hours(72));
        QCOMPARE(chart.currentSlot(), -1);
        QCOMPARE(chart.accessibleName(), u"Next 48 hours"_s);
    }

    void tabbingInReadsTheFirstHourAndShowsAFrame()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        QWidget window;
        auto *search = new QLineEdit(&window);
        auto *chart = new HourlyChartWidget(&window);
        chart->setClock(&clock);
        chart->showHours(berlin(), hours(72));
        search->setGeometry(0, 0, 700, 30);
        chart->setGeometry(0, 30, 700, chart->sizeHint().height());
        window.resize(700, chart->geometry().bottom() + 1);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        search->setFocus();
        QTRY_VERIFY(search->hasFocus());
        QCOMPARE(chart->currentSlot(), -1);
        QImage before(chart->size(), QImage::Format_ARGB32);
        chart->render(&before);
        QTest::keyClick(search, Qt::Key_Tab);
        QTRY_VERIFY(chart->hasFocus());
        QCOMPARE(chart->currentSlot(), 0);
        QVERIFY(chart->readoutText().startsWith(u"14:00 · "_s));
        QImage after(chart->size(), QImage::Format_ARGB32);
        chart->render(&after);
        // The frame: the top-left corner area changes colour to the highlight.
        const QColor highlight = chart->palette().color(QPalette::Highlight);
        const auto near = [&highlight](const QColor &c) {
            return qAbs(c.red() - highlight.red()) + qAbs(c.green() - highlight.green())
                       + qAbs(c.blue() - highlight.blue())
                   < 60;
        };
        const int x = after.width() / 2;
        QVERIFY(near(after.pixelColor(x, 1)));
        QVERIFY(!near(before.pixelColor(x, 1)));
    }

    void pointingReadsOutTheHourUnderThePointer()
    {
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.showHours(berlin(), hours(72));
        chart.resize(700, chart.sizeHint().height());
        const QPointF at(chart.slotCenter(5), chart.height() / 2.0);
        QMouseEvent move(QEvent::MouseMove, at, chart.mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(&chart, &move);
        QCOMPARE(chart.currentSlot(), 5);
        QCOMPARE(chart.readoutText(), chart.model()->readout(5));
        QVERIFY(chart.readoutText().startsWith(u"19:00 · "_s));
        QCOMPARE(chart.slotAt(chart.slotCenter(5)), 5);
        QCOMPARE(chart.slotAt(0), -1); // the gutter
        // Leaving the chart (without the keyboard focus) ends the readout.
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(&chart, &leave);
        QCOMPARE(chart.currentSlot(), -1);
        QApplication::sendEvent(&chart, &move);
        QCOMPARE(chart.currentSlot(), 5);

        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QHelpEvent help(QEvent::ToolTip, at.toPoint(), chart.mapToGlobal(at.toPoint()));
        QApplication::sendEvent(&chart, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(shownToolTip(QToolTip::text()), chart.model()->readout(5));
        QToolTip::hideText();
    }

    void twelveHourLocaleAndOtherUnits()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const auto restore = qScopeGuard(
            [] { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom)); });
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        const UnitSet imperial = UnitSet::imperial();
        chart.showHours(berlin(), convertedTo(hours(72), imperial));
        chart.resize(700, chart.sizeHint().height());
        chart.setCurrentSlot(1);
        // 18 °C is 64 °F; 1.5 mm is 0.06 in; 13 km/h is 8 mph.
        const QString threePm = QLocale().toString(QTime(15, 0), QLocale::ShortFormat);
        QVERIFY(threePm.endsWith(u"PM"_s));
        QCOMPARE(chart.readoutText(),
                 threePm + u" · 64° · rain 75\u202f% · 0.06\u202fin · wind 8\u202fmph"_s);
        const auto labels = chart.labels();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const auto &l) {
            return l.kind == HourlyChartWidget::Label::Hour && l.text.endsWith(u"PM"_s);
        }));
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const auto &l) {
            return l.kind == HourlyChartWidget::Label::Legend && l.text == u"Amount (in)"_s;
        }));
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const auto &l) {
            return l.kind == HourlyChartWidget::Label::Scale && l.text == u"mph"_s;
        }));
    }

    void everyTextMeetsContrastInLightAndDark_data()
    {
        QTest::addColumn<QPalette>("palette");
        QPalette light;
        light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
        light.setColor(QPalette::WindowText, Qt::black);
        light.setColor(QPalette::PlaceholderText, QColor(0xc0, 0xc0, 0xc0));
        QTest::newRow("light") << light;
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2a, 0x2e, 0x32));
        dark.setColor(QPalette::WindowText, QColor(0xfc, 0xfc, 0xfc));
        // What Qt 6.4's KDE and GNOME themes leave: near-black on dark.
        dark.setColor(QPalette::PlaceholderText, QColor(0x30, 0x30, 0x30));
        QTest::newRow("dark, near-black placeholder") << dark;
    }

    void everyTextMeetsContrastInLightAndDark()
    {
        QFETCH(QPalette, palette);
        ManualClock clock(kNow.toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.setPalette(palette);
        chart.showHours(berlin(), hours(72));
        chart.resize(700, chart.sizeHint().height());
        const QColor window = palette.color(QPalette::Window);
        for (const auto &label : chart.labels()) {
            const qreal ratio = ThemeColors::contrastRatio(label.color, window);
            QVERIFY2(ratio >= 4.5, qPrintable(u"'%1': %2:1"_s.arg(label.text).arg(ratio)));
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
