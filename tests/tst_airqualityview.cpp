// SPDX-License-Identifier: MIT
#include "support/testdata.h"
#include "weather/airquality.h"
#include "widgets/airqualityview.h"

#include <QLabel>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_AirQualityView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void berlinInSeason();
    void usScale();
    void noPollenRowOutsideEurope();
    void failureSaysWhatIsMissing();
    void staleAnswerSaysItsAge();

private:
    static AirQuality parsed(const QString &name)
    {
        const auto result = AirQualityParser::parse(loadTestData(name));
        if (!result.ok())
            qFatal("%s does not parse", qPrintable(name));
        return *result.value;
    }
    static bool shown(const AirQualityView &view, const QString &text)
    {
        for (const QLabel *label : view.findChildren<QLabel *>()) {
            if (label->text() == text)
                return label->isVisible();
        }
        return false;
    }
};

void tst_AirQualityView::berlinInSeason()
{
    AirQualityView view;
    view.show();
    view.showAirQuality(parsed(u"aq_current_berlin.json"_s));
    QCOMPARE(view.indexText(), u"Air quality 37 · fair (European index)"_s);
    QCOMPARE(view.driverText(), u"Mostly ozone"_s);
    QCOMPARE(view.pollenText(), u"Pollen: grass: moderate, birch: low"_s);
    QVERIFY(view.missingText().isEmpty());
    QVERIFY(shown(view, view.indexText()));
    QVERIFY(shown(view, view.pollenText()));
    QVERIFY(view.accessibleDescription().contains(u"grass: moderate"_s));
}

void tst_AirQualityView::usScale()
{
    AirQualityView view;
    view.showAirQuality(parsed(u"aq_current_berlin.json"_s));
    view.setScale(AirQuality::Scale::US);
    QCOMPARE(view.indexText(), u"Air quality 52 · moderate (US AQI)"_s);
    QCOMPARE(view.driverText(), u"Mostly PM2.5"_s);
}

void tst_AirQualityView::noPollenRowOutsideEurope()
{
    AirQualityView view;
    view.show();
    view.showAirQuality(parsed(u"aq_current_berlin.json"_s));
    view.showAirQuality(parsed(u"aq_current_new_york.json"_s));
    QCOMPARE(view.indexText(), u"Air quality 44 · moderate (European index)"_s);
    QVERIFY(view.pollenText().isEmpty()); // not "grass: none", not zeros
    for (const QLabel *label : view.findChildren<QLabel *>())
        QVERIFY2(!label->isVisible() || !label->text().contains(u"ollen"_s),
                 qPrintable(label->text()));
}

void tst_AirQualityView::failureSaysWhatIsMissing()
{
    AirQualityView view;
    view.show();
    view.showAirQuality(parsed(u"aq_current_berlin.json"_s));
    view.showFailure(WeatherError(WeatherError::ServerError, u"Open-Meteo"_s));
    QVERIFY(view.indexText().isEmpty());
    QVERIFY(view.pollenText().isEmpty());
    QVERIFY(view.missingText().startsWith(u"Air quality not available: "_s));
    QVERIFY(view.missingText().size() > u"Air quality not available: "_s.size());
    QVERIFY(shown(view, view.missingText()));
    view.clear();
    QVERIFY(view.missingText().isEmpty());
    QVERIFY(view.accessibleDescription().isEmpty());
}

void tst_AirQualityView::staleAnswerSaysItsAge()
{
    AirQualityView view;
    view.showAirQuality(parsed(u"aq_current_berlin.json"_s), 3 * 3600 * 1000);
    QVERIFY2(view.indexText().startsWith(u"Air quality 37 · fair (European index) ("_s),
             qPrintable(view.indexText()));
    QVERIFY(view.indexText().contains(u"old"_s));
}

QTEST_MAIN(tst_AirQualityView)
#include "tst_airqualityview.moc"
