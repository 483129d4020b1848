// SPDX-License-Identifier: MIT
// Help ▸ About (issue 27, c2): the version, the licence, every data source's credit and licence
// with a link, the website and the bug tracker.
#include "widgets/aboutdialog.h"

#include <QLabel>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <QTextDocument>

using namespace Qt::StringLiterals;

class tst_AboutDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void saysWhatAPersonLooksFor()
    {
        AboutDialog dialog(u"Weather data by Open-Meteo.com"_s);
        auto *text = dialog.findChild<QLabel *>(u"aboutText"_s);
        QVERIFY(text);
        QVERIFY(text->openExternalLinks());
        QTextDocument doc;
        doc.setHtml(text->text());
        const QString plain = doc.toPlainText();
        QVERIFY2(plain.contains(u"WeatherDash "_s + QStringLiteral(WEATHERDASH_VERSION)),
                 qPrintable(plain));
        QVERIFY(plain.contains(u"MIT licence"_s));
        for (const QString &credit :
             {u"Open-Meteo.com"_s, u"CC BY 4.0"_s, u"OpenWeatherMap"_s,
              u"© OpenStreetMap contributors"_s, u"ODbL"_s,
              u"In use now: Weather data by Open-Meteo.com"_s, u"Report a problem"_s, u"Website"_s})
            QVERIFY2(plain.contains(credit), qPrintable(credit));
        QVERIFY(plain.contains(QString::fromLatin1(qVersion())));
        // Each credit and each place to go is a link.
        for (const QString &url :
             {u"https://open-meteo.com/"_s, u"https://openweathermap.org/"_s,
              u"https://www.openstreetmap.org/copyright"_s, u"https://opensource.org/license/mit"_s,
              AboutDialog::homepage(), AboutDialog::bugTracker()})
            QVERIFY2(text->text().contains(u"href=\""_s + url + u'"'), qPrintable(url));
    }

    void outsideWordsAreNotMarkup()
    {
        const QString text = AboutDialog::aboutText(u"<b>Evil</b> & co"_s);
        QVERIFY(!text.contains(u"<b>Evil</b>"_s));
        QTextDocument doc;
        doc.setHtml(text);
        QVERIFY(doc.toPlainText().contains(u"In use now: <b>Evil</b> & co"_s));
        // No provider: no "In use now" line, not an empty one.
        QVERIFY(!AboutDialog::aboutText({}).contains(u"In use now"_s));
    }
};

QTEST_MAIN(tst_AboutDialog)
#include "tst_aboutdialog.moc"
