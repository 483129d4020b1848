// SPDX-License-Identifier: MIT
// Colours made from a palette read on it: text pairs at WCAG's 4.5:1, grid lines at the 3:1
// WCAG asks of graphics, in light, dark and black themes alike.

#include "cache/clock.h"
#include "models/forecastmodel.h"
#include "widgets/forecastdelegate.h"
#include "widgets/hourlychartwidget.h"
#include "widgets/themecolors.h"

#include "textrecorder.h"

#include <QLineEdit>
#include <QPainter>
#include <QStyleOptionViewItem>
#include <QTest>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
/**
 * Palettes as themes leave them: Qt 6.4's KDE (Breeze Dark) and GNOME dark themes set
 * PlaceholderText near-black, and a dark theme may keep a dark blue link colour.
 */
QPalette theme(bool dark)
{
    QPalette p;
    if (!dark) {
        p.setColor(QPalette::Window, QColor(0xef, 0xf0, 0xf1));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf7, 0xf7));
        p.setColor(QPalette::WindowText, QColor(0x23, 0x26, 0x29));
        p.setColor(QPalette::Text, QColor(0x23, 0x26, 0x29));
        p.setColor(QPalette::PlaceholderText, QColor(0xc0, 0xc0, 0xc0));
        p.setColor(QPalette::Link, QColor(0x29, 0x80, 0xb9));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
        return p;
    }
    p.setColor(QPalette::Window, QColor(0x20, 0x23, 0x26));
    p.setColor(QPalette::Base, QColor(0x14, 0x16, 0x18));
    p.setColor(QPalette::AlternateBase, QColor(0x1d, 0x1f, 0x22));
    p.setColor(QPalette::WindowText, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::Text, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::PlaceholderText, QColor(0x31, 0x36, 0x3b));
    p.setColor(QPalette::Link, QColor(0x00, 0x00, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    return p;
}

void addThemes()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("light") << theme(false);
    QTest::newRow("dark, near-black placeholder") << theme(true);
}

/** What the eye sees of a pen with alpha over `background`. */
QColor seen(const QColor &pen, const QColor &background)
{
    return ThemeColors::mix(background, pen, pen.alphaF());
}
} // namespace

class tst_ThemeColors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contrastFormula()
    {
        QCOMPARE(qRound(ThemeColors::contrastRatio(Qt::black, Qt::white)), 21);
        QCOMPARE(ThemeColors::contrastRatio(Qt::red, Qt::red), 1.0);
        // WCAG's own example: #777 on white is just under 4.5.
        const qreal grey = ThemeColors::contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white);
        QVERIFY2(grey > 4.4 && grey < 4.5, qPrintable(QString::number(grey)));
    }

    void readableInEveryTheme_data()
    {
        QTest::addColumn<QColor>("window");
        QTest::addColumn<QColor>("text");
        QTest::newRow("light") << QColor(0xef, 0xef, 0xef) << QColor(Qt::black);
        QTest::newRow("Fusion dark") << QColor(0x35, 0x35, 0x35) << QColor(Qt::white);
        QTest::newRow("black") << QColor(Qt::black) << QColor(0xdd, 0xdd, 0xdd);
        QTest::newRow("low-contrast theme") << QColor(0x50, 0x50, 0x50) << QColor(0xa0, 0xa0, 0xa0);
    }
    void readableInEveryTheme()
    {
        QFETCH(QColor, window);
        QFETCH(QColor, text);
        QPalette p;
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::Base, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Text, text);
        const auto check = [](const QColor &a, const QColor &b, qreal least, const char *what) {
            const qreal r = ThemeColors::contrastRatio(a, b);
            QVERIFY2(r >= least,
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(what)).arg(r)));
        };
        check(ThemeColors::secondaryText(p), window, 4.5, "secondary text");
        check(ThemeColors::secondaryText(p, QPalette::Base), window, 4.5, "secondary on base");
        const ThemeColors::Pair banner = ThemeColors::warningBanner(p);
        check(banner.text, banner.background, 4.5, "banner");
        check(ThemeColors::successText(p), window, 4.5, "success");
        check(ThemeColors::failureText(p), window, 4.5, "failure");
        check(ThemeColors::gridLine(p), window, 3.0, "grid");
        // Secondary is quieter than the text, not the same colour.
        QVERIFY(ThemeColors::secondaryText(p) != ThemeColors::mix(text, text, 0));
    }

    void forecastDayTextsRead_data() { addThemes(); }
    void forecastDayTextsRead()
    {
        // The day's name, date, high, low and rain, as painted: the low used to be
        // PlaceholderText (invisible in dark themes), the rain the raw link colour.
        QFETCH(QPalette, palette);
        ForecastModel model;
        DailyForecast day;
        day.date = QDate(2026, 6, 15);
        day.maxTemp = 24.0;
        day.minTemp = 11.0;
        day.precipitationProbabilityMax = 70.0;
        day.precipitationSum = 3.5;
        day.condition = WeatherCondition::Rain;
        model.setForecast({day}, day.date);
        ForecastDelegate delegate;
        QStyleOptionViewItem option;
        option.palette = palette;
        option.rect = QRect(0, 0, 120, 160);
        option.state = QStyle::State_Enabled;
        TextRecorder recorder(option.rect.size());
        {
            QPainter painter(&recorder);
            delegate.paint(&painter, option, model.index(0, 0));
        }
        const QList<TextRecorder::Text> texts = recorder.texts();
        QVERIFY2(texts.size() >= 5, qPrintable(QString::number(texts.size())));
        const QColor fill = palette.color(QPalette::AlternateBase);
        for (const auto &t : texts) {
            const qreal ratio = ThemeColors::contrastRatio(seen(t.color, fill), fill);
            QVERIFY2(ratio >= 4.5, qPrintable(u"'%1': %2:1"_s.arg(t.text).arg(ratio)));
        }
    }

    void hourlyChartTextsRead_data() { addThemes(); }
    void hourlyChartTextsRead()
    {
        QFETCH(QPalette, palette);
        ManualClock clock(QDateTime(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch());
        HourlyChartWidget chart;
        chart.setClock(&clock);
        chart.setPalette(palette);
        HourlyForecastList hours;
        for (int i = 0; i < 48; ++i) {
            HourlyForecast h;
            h.time = QDateTime(QDate(2026, 6, 15), QTime(12, 0), Qt::UTC).addSecs(i * 3600);
            h.temperature = 10 + i % 7;
            h.precipitationProbability = i % 5 * 20;
            h.precipitation = i % 3;
            h.windSpeed = 12;
            hours << h;
        }
        Location place;
        place.name = u"Berlin"_s;
        chart.showHours(place, hours);
        chart.resize(700, chart.sizeHint().height());
        TextRecorder recorder(chart.size());
        chart.render(&recorder, {}, {}, QWidget::RenderFlags());
        const QList<TextRecorder::Text> texts = recorder.texts();
        QVERIFY(texts.size() > 30);
        const QColor window = palette.color(QPalette::Window);
        for (const auto &t : texts) {
            const qreal ratio = ThemeColors::contrastRatio(seen(t.color, window), window);
            QVERIFY2(ratio >= 4.5, qPrintable(u"'%1': %2:1"_s.arg(t.text).arg(ratio)));
        }
    }

    void placeholdersRead()
    {
        // Set up like the window and Preferences: a placeholder in every theme, and after a
        // switch from light to dark while open.
        QWidget window;
        window.setPalette(theme(false));
        auto *layout = new QVBoxLayout(&window);
        auto *redis = new QLineEdit(&window);
        redis->setPlaceholderText(u"None (e.g. redis://192.168.1.10:6379/0)"_s);
        layout->addWidget(redis);
        ThemeColors::keepPlaceholdersReadable(&window);
        const auto check = [redis](const char *when) {
            const QPalette p = redis->palette();
            const qreal ratio = ThemeColors::contrastRatio(p.color(QPalette::PlaceholderText),
                                                           p.color(QPalette::Base));
            QVERIFY2(ratio >= 4.5, qPrintable(u"%1: %2:1"_s.arg(QLatin1String(when)).arg(ratio)));
        };
        check("light");
        window.setPalette(theme(true));
        check("dark");
        // A field added later is fixed when the window is shown.
        auto *late = new QLineEdit(&window);
        late->setPlaceholderText(u"later"_s);
        layout->addWidget(late);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(ThemeColors::contrastRatio(late->palette().color(QPalette::PlaceholderText),
                                           late->palette().color(QPalette::Base))
                >= 4.5);
    }
};

QTEST_MAIN(tst_ThemeColors)
#include "tst_themecolors.moc"
