// SPDX-License-Identifier: MIT
#include "widgets/alertband.h"
#include "widgets/themecolors.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QDateTime kNow(QDate(2026, 12, 7), QTime(20, 0), Qt::UTC); // a Monday

WeatherAlert alert(const QString &id, WeatherAlert::Severity severity, const QString &event)
{
    WeatherAlert a;
    a.id = id;
    a.severity = severity;
    a.event = event;
    a.headline = u"Official warning of "_s + event;
    a.onset = kNow.addSecs(-3600);
    a.expires = kNow.addSecs(6 * 3600); // 02:00 UTC: 03:00 in Berlin
    a.sender = u"Deutscher Wetterdienst"_s;
    a.description = u"Gusts up to 120 km/h <b>not bold</b> & hail."_s;
    a.instruction = u"<a href=\"http://evil\">Click</a> Stay indoors."_s;
    return a;
}

} // namespace

class tst_AlertBand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hiddenWithoutAlerts()
    {
        QWidget card; // as on the weather card: shown with it, but not while empty
        AlertBand band(&card);
        card.show();
        QVERIFY(!band.isVisible());
        band.setAlerts({alert(u"a"_s, WeatherAlert::Severity::Severe, u"Storm"_s)},
                       QTimeZone("Europe/Berlin"), kNow);
        QVERIFY(band.isVisible());
        band.setAlerts({}, QTimeZone("Europe/Berlin"), kNow);
        QVERIFY(!band.isVisible());
        QCOMPARE(band.count(), 0);
    }

    void aBandPerAlertInWordsAndPlaceTime()
    {
        AlertBand band;
        WeatherAlert coming = alert(u"b"_s, WeatherAlert::Severity::Moderate, u"Frost"_s);
        coming.onset = kNow.addSecs(2 * 3600); // 22:00 UTC: 23:00 in Berlin
        band.setAlerts({alert(u"a"_s, WeatherAlert::Severity::Extreme, u"Storm"_s), coming},
                       QTimeZone("Europe/Berlin"), kNow);
        QCOMPARE(band.count(), 2);
        QCOMPARE(band.summaryText(0),
                 u"⚠ Extreme: Storm\nuntil Tue 03:00 · Deutscher Wetterdienst"_s);
        QCOMPARE(band.summaryText(1),
                 u"⚠ Moderate: Frost\nfrom Mon 23:00 until Tue 03:00 · Deutscher Wetterdienst"_s);
        // In Tokyo's time the same alert ends at 11:00.
        band.setAlerts({alert(u"a"_s, WeatherAlert::Severity::Extreme, u"Storm"_s)},
                       QTimeZone("Asia/Tokyo"), kNow);
        QVERIFY(band.summaryText(0).contains(u"until Tue 11:00"_s));
    }

    void opensToPlainText()
    {
        AlertBand band;
        band.show();
        QSignalSpy spy(&band, &AlertBand::expandedChanged);
        band.setAlerts({alert(u"a"_s, WeatherAlert::Severity::Severe, u"Storm"_s)},
                       QTimeZone("Europe/Berlin"), kNow);
        QCOMPARE(band.detailsText(0), QString()); // closed
        band.setExpanded(0, true);
        QCOMPARE(spy.size(), 1);
        const QString details = band.detailsText(0);
        QVERIFY(details.contains(u"Gusts up to 120 km/h <b>not bold</b> & hail."_s));
        QVERIFY(details.contains(u"<a href=\"http://evil\">Click</a> Stay indoors."_s));
        // Every label shows text as text: no markup, no links.
        for (const QLabel *label : band.findChildren<QLabel *>())
            QCOMPARE(label->textFormat(), Qt::PlainText);
        // A refresh keeps the open one open.
        band.setAlerts({alert(u"a"_s, WeatherAlert::Severity::Severe, u"Storm"_s)},
                       QTimeZone("Europe/Berlin"), kNow);
        QVERIFY(band.isExpanded(0));
    }

    void coloursDifferAndTextIsReadable()
    {
        using S = WeatherAlert::Severity;
        const QList<S> all{S::Extreme, S::Severe, S::Moderate, S::Minor, S::Unknown};
        QSet<QRgb> seen;
        for (S s : all) {
            seen.insert(AlertBand::background(s).rgb());
            QVERIFY2(ThemeColors::contrastRatio(AlertBand::background(s), AlertBand::foreground(s))
                         >= 4.5,
                     qPrintable(WeatherAlert::severityToken(s)));
        }
        QCOMPARE(seen.size(), all.size());
    }
};

QTEST_MAIN(tst_AlertBand)
#include "tst_alertband.moc"
