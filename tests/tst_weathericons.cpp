// SPDX-License-Identifier: MIT
#include "widgets/weathericons.h"

#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <QTest>

using namespace Qt::StringLiterals;

/**
 * The icons the card, the days strip, the hourly chart and the places list paint. Every
 * condition has a drawing; an unknown name gets the "?" drawing, never nothing; and one name is
 * one icon, made once: the delegates ask for an icon every time they paint a row, and each new
 * icon made from an SVG file parsed the file again (a start painted the same few drawings
 * dozens of times before its first frame).
 */
class TestWeatherIcons : public QObject
{
    Q_OBJECT

private:
    static QImage drawn(const QIcon &icon)
    {
        return icon.pixmap(QSize(32, 32)).toImage().convertToFormat(QImage::Format_ARGB32);
    }

    static bool hasInk(const QImage &image)
    {
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (qAlpha(image.pixel(x, y)) > 0)
                    return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The bundled drawings, not whatever theme this machine has.
        QIcon::setThemeName(u"no-such-theme"_s);
    }

    void everyConditionIsDrawn_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name :
             {"weather-clear", "weather-clear-night", "weather-few-clouds",
              "weather-few-clouds-night", "weather-overcast", "weather-fog",
              "weather-showers-scattered", "weather-showers", "weather-snow", "weather-storm"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void everyConditionIsDrawn()
    {
        QFETCH(QString, name);
        const QImage image = drawn(WeatherIcons::icon(name));
        QVERIFY(hasInk(image));
        // Not the "?" of an unknown condition.
        QVERIFY(image != drawn(WeatherIcons::icon(u"weather-unknown"_s)));
    }

    void unknownNameGetsTheUnknownDrawing()
    {
        const QImage image = drawn(WeatherIcons::icon(u"weather-meteor-shower"_s));
        QVERIFY(hasInk(image));
        QCOMPARE(image, drawn(WeatherIcons::bundledIcon(u"weather-unknown"_s)));
    }

    void oneNameIsOneIconMadeOnce()
    {
        // The same icon (one engine, one cache of drawn sizes), not a new parse of the file.
        QCOMPARE(WeatherIcons::icon(u"weather-snow"_s).cacheKey(),
                 WeatherIcons::icon(u"weather-snow"_s).cacheKey());
        QCOMPARE(WeatherIcons::bundledIcon(u"weather-fog"_s).cacheKey(),
                 WeatherIcons::bundledIcon(u"weather-fog"_s).cacheKey());
        QCOMPARE(WeatherIcons::appIcon().cacheKey(), WeatherIcons::appIcon().cacheKey());
        QVERIFY(WeatherIcons::icon(u"weather-snow"_s).cacheKey()
                != WeatherIcons::icon(u"weather-fog"_s).cacheKey());
        QVERIFY(!WeatherIcons::appIcon().isNull());
    }
};

QTEST_MAIN(TestWeatherIcons)
#include "tst_weathericons.moc"
