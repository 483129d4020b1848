// SPDX-License-Identifier: MIT
// The tray icon: the temperature legible at every tray size, the menu, and no tray at all
// (offscreen, like Xvfb without a StatusNotifier host): nothing shown, nothing said.
#include "cache/clock.h"
#include "fakeweatherserver.h"
#include "showntooltip.h"
#include "weather/settings.h"
#include "weather/weatherservice.h"
#include "widgets/mainwindow.h"
#include "widgets/trayicon.h"
#include "widgets/weathercard.h"

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/** The menu's actions by their text without mnemonics. */
QAction *action(QMenu *menu, const QString &text)
{
    for (QAction *a : menu->actions()) {
        QString shown = a->text();
        shown.replace(u"&&"_s, u"\x01"_s).remove(u'&').replace(u'\x01', u'&');
        if (shown == text)
            return a;
    }
    return nullptr;
}

} // namespace

class tst_TrayIcon : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void temperatureText_data();
    void temperatureText();
    void paintedTemperatureIsLegible_data();
    void paintedTemperatureIsLegible();
    void iconHasEverySizeAtOneAndTwoX();
    void withoutATrayNothingIsShownOrSaid();
    void menuReportsWhatWasPicked();
    void weatherSetsIconAndToolTip_data();
    void weatherSetsIconAndToolTip();
    void windowWithoutATrayClosesAsAlwaysAndFillsTheMenu();
    void hostileTextIsTextInTooltipAndMenu_data();
    void hostileTextIsTextInTooltipAndMenu();
    void hostilePlaceInTheWindowTitleTrayAndMenus();
};

void tst_TrayIcon::temperatureText_data()
{
    QTest::addColumn<double>("celsius");
    QTest::addColumn<QString>("text");
    QTest::newRow("warm") << 21.4 << u"21°"_s;
    QTest::newRow("rounds up") << 21.5 << u"22°"_s;
    QTest::newRow("below zero") << -12.6 << u"-13°"_s;
    QTest::newRow("never minus zero") << -0.3 << u"0°"_s;
    QTest::newRow("three digits") << 104.0 << u"104°"_s;
}

void tst_TrayIcon::temperatureText()
{
    QFETCH(double, celsius);
    QTEST(TrayIcon::temperatureText(celsius), "text");
    QCOMPARE(TrayIcon::temperatureText(std::nullopt), u"?"_s);
}

void tst_TrayIcon::paintedTemperatureIsLegible_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("size");
    QTest::addColumn<qreal>("dpr");
    for (const QString &text : {u"21°"_s, u"-13°"_s, u"104°"_s, u"8°"_s}) {
        for (const int size : TrayIcon::kSizes) {
            for (const qreal dpr : {1.0, 2.0}) {
                QTest::addRow("%s at %d@%gx", qPrintable(text), size, dpr) << text << size << dpr;
            }
        }
    }
}

void tst_TrayIcon::paintedTemperatureIsLegible()
{
    QFETCH(QString, text);
    QFETCH(int, size);
    QFETCH(qreal, dpr);
    const QPixmap pixmap = TrayIcon::temperaturePixmap(text, size, dpr);
    QCOMPARE(pixmap.deviceIndependentSize(), QSizeF(size, size));
    const QImage image = pixmap.toImage().convertToFormat(QImage::Format_ARGB32);
    const int side = image.width();
    QCOMPARE(side, qRound(size * dpr));

    int top = side, bottom = -1, left = side, right = -1, light = 0, dark = 0;
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 128)
                continue;
            top = std::min(top, y);
            bottom = std::max(bottom, y);
            left = std::min(left, x);
            right = std::max(right, x);
            const int luma = qGray(c.rgb());
            light += luma > 200;
            dark += luma < 80;
        }
    }
    QVERIFY2(bottom >= 0, "nothing painted");
    // Transparent around, and the glyphs inside the pixmap (nothing cut off at an edge).
    QCOMPARE(image.pixelColor(0, 0).alpha(), 0);
    QCOMPARE(image.pixelColor(side - 1, side - 1).alpha(), 0);
    QVERIFY2(top > 0 && left > 0 && bottom < side - 1 && right < side - 1,
             qPrintable(u"glyphs touch the edge: %1,%2 .. %3,%4 of %5"_s.arg(left)
                            .arg(top)
                            .arg(right)
                            .arg(bottom)
                            .arg(side)));
    // Large enough to read: the digits span most of the width or at least half the height.
    QVERIFY2(
        bottom - top + 1 >= side / 2 || right - left + 1 >= side * 3 / 4,
        qPrintable(u"glyphs %1x%2 in %3"_s.arg(right - left + 1).arg(bottom - top + 1).arg(side)));
    // Light glyphs and a dark outline: both there in quantity, so one shows on any panel.
    const int area = (bottom - top + 1) * (right - left + 1);
    QVERIFY2(light >= area / 20 && dark >= area / 20,
             qPrintable(u"light %1, dark %2 of %3"_s.arg(light).arg(dark).arg(area)));
}

void tst_TrayIcon::iconHasEverySizeAtOneAndTwoX()
{
    const QIcon icon = TrayIcon::temperatureIcon(u"21°"_s);
    const QList<QSize> sizes = icon.availableSizes();
    for (const int size : TrayIcon::kSizes) {
        QVERIFY2(sizes.contains(QSize(size, size)), qPrintable(QString::number(size)));
        QVERIFY2(sizes.contains(QSize(2 * size, 2 * size)), qPrintable(QString::number(size)));
    }
}

void tst_TrayIcon::withoutATrayNothingIsShownOrSaid()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen: what this test is about
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    TrayIcon tray;
    QVERIFY(!tray.isInTray());
    QVERIFY(!tray.findChild<QSystemTrayIcon *>());
    QVERIFY(!tray.showMessage(u"Title"_s, u"Body"_s));
    CurrentConditions c;
    c.temperature = 3;
    tray.showWeather(u"Berlin"_s, c, false); // no icon to update, and no complaint
}

void tst_TrayIcon::menuReportsWhatWasPicked()
{
    TrayIcon tray;
    tray.setPlaces({u"Berlin, DE"_s, u"Fish & Chips, GB"_s});
    QSignalSpy place(&tray, &TrayIcon::placeChosen);
    QAction *fish = action(tray.menu(), u"Fish & Chips, GB"_s);
    QVERIFY2(fish, "an & in a name is shown as an &, not eaten as a mnemonic");
    fish->trigger();
    QCOMPARE(place.size(), 1);
    QCOMPARE(place.at(0).at(0).toInt(), 1);

    const struct
    {
        QString text;
        void (TrayIcon::*signal)();
    } items[] = {{u"Refresh"_s, &TrayIcon::refreshRequested},
                 {u"Force Refresh"_s, &TrayIcon::forceRefreshRequested},
                 {u"Show/Hide Window"_s, &TrayIcon::toggleWindowRequested},
                 {u"Quit"_s, &TrayIcon::quitRequested}};
    for (const auto &item : items) {
        QSignalSpy spy(&tray, item.signal);
        QAction *a = action(tray.menu(), item.text);
        QVERIFY2(a, qPrintable(item.text));
        a->trigger();
        QCOMPARE(spy.size(), 1);
    }

    // A new list replaces the old one.
    tray.setPlaces({u"Paris, Île-de-France, FR"_s});
    QVERIFY(!action(tray.menu(), u"Berlin, DE"_s));
    QVERIFY(action(tray.menu(), u"Paris, Île-de-France, FR"_s));
}

void tst_TrayIcon::weatherSetsIconAndToolTip_data()
{
    QTest::addColumn<double>("celsius");
    QTest::addColumn<QString>("shown"); // what the card, the icon and the tooltip all say
    QTest::newRow("below the half") << 21.4 << u"21"_s;
    QTest::newRow("the half rounds up, as on the card") << 21.5 << u"22"_s;
    QTest::newRow("below zero") << -3.5 << u"-4"_s;
    QTest::newRow("never minus zero") << -0.3 << u"0"_s;
}

void tst_TrayIcon::weatherSetsIconAndToolTip()
{
    QFETCH(double, celsius);
    QFETCH(QString, shown);
    TrayIcon tray;
    const qint64 before = tray.icon().cacheKey();
    CurrentConditions c;
    c.temperature = celsius;
    c.description = u"Moderate rain"_s;
    tray.showWeather(u"Berlin"_s, c, false);
    const QString card = WeatherCard::temperatureText(celsius, c.units);
    QCOMPARE(card, shown + u"\u202f°C"_s);
    QCOMPARE(TrayIcon::temperatureText(celsius), shown + u"°"_s); // the icon's text
    QCOMPARE(shownToolTip(tray.toolTip()), u"Berlin: "_s + card + u", Moderate rain"_s);
    QVERIFY(tray.icon().cacheKey() != before);
    tray.showWeather(u"Berlin"_s, c, true);
    QCOMPARE(shownToolTip(tray.toolTip()),
             u"Berlin: "_s + card
                 + u", Moderate rain\nNot updated: the last weather WeatherDash could get."_s);
}

void tst_TrayIcon::windowWithoutATrayClosesAsAlwaysAndFillsTheMenu()
{
    FakeWeatherServer server;
    const QByteArray base = server.baseUrl().toString().toUtf8();
    qputenv("WEATHERDASH_OPENMETEO_GEOCODING_URL", base);
    qputenv("WEATHERDASH_OPENMETEO_FORECAST_URL", base);
    QTemporaryDir dir;
    ManualClock clock(server.serverTime().toMSecsSinceEpoch());
    QNetworkAccessManager network;
    Settings settings(dir.filePath(u"settings.ini"_s));
    settings.setKeepInTray(true); // asked for, but there is no tray to keep it in
    WeatherService service(&network, &clock);
    service.setConfig(settings.serviceConfig());
    MainWindow window(&service, &settings, &network);
    TrayIcon tray;
    window.setTrayIcon(&tray);
    QVERIFY(QApplication::quitOnLastWindowClosed());
    // Nothing on screen yet: nothing to refresh.
    for (QAction *a : tray.menu()->actions()) {
        if (a->text() == u"&Refresh"_s || a->text() == u"&Force Refresh"_s)
            QVERIFY(!a->isEnabled());
    }
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QSignalSpy finished(&window, &MainWindow::weatherRequestsFinished);
    window.searchAndShow(u"Berlin"_s);
    QTRY_COMPARE(finished.size(), 1);
    // The shown place's temperature in the tooltip, and the place in the menu.
    // The card, the icon and the tooltip round Berlin's 21.5 alike (issue 21: the tooltip said
    // "21.5 °C" under an icon and a card that said 22).
    QCOMPARE(server.city(u"Berlin"_s)->temperatureC, 21.5);
    const QString card = window.findChild<QLabel *>(u"temperatureLabel"_s)->text();
    QCOMPARE(card, u"22\u202f°C"_s);
    QVERIFY(shownToolTip(tray.toolTip()).startsWith(u"Berlin: "_s + card + u", "_s));
    QCOMPARE(tray.places(), QStringList{u"Berlin, DE"_s});
    // The shown place is marked in the menu; Refresh is there for it.
    const QList<QAction *> actions = tray.menu()->actions();
    QVERIFY(actions.at(0)->isCheckable() && actions.at(0)->isChecked());
    const auto refresh = std::find_if(actions.cbegin(), actions.cend(),
                                      [](QAction *a) { return a->text() == u"&Refresh"_s; });
    QVERIFY(refresh != actions.cend() && (*refresh)->isEnabled());

    QVERIFY(window.close()); // accepted: the window really closes
    QVERIFY(!window.isVisible());
}

void tst_TrayIcon::hostileTextIsTextInTooltipAndMenu_data()
{
    QTest::addColumn<QString>("place");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("shownPlace");
    QTest::addColumn<QString>("shownDescription");
    QTest::newRow("image") << u"<img src=file:///etc/passwd>"_s << u"<img src=file:///etc/passwd>"_s
                           << u"<img src=file:///etc/passwd>"_s
                           << u"<img src=file:///etc/passwd>"_s;
    QTest::newRow("bold and style")
        << u"<b>Bold</b>"_s << u"<span style='font-size:200px'>Huge</span>"_s << u"<b>Bold</b>"_s
        << u"<span style='font-size:200px'>Huge</span>"_s;
    QTest::newRow("entity") << u"Fish &amp; Chips"_s << u"&lt;rain&gt;"_s << u"Fish &amp; Chips"_s
                            << u"&lt;rain&gt;"_s;
    QTest::newRow("ampersand") << u"Tom & Jerry"_s << u"Sun & clouds"_s << u"Tom & Jerry"_s
                               << u"Sun & clouds"_s;
    QTest::newRow("controls and bidi")
        << u"Evil\u202Etxt\x1b[2J\nTown"_s << u"Clear\x1b]2;pwned\x07"_s << u"Eviltxt[2J Town"_s
        << u"Clear]2;pwned"_s;
}

void tst_TrayIcon::hostileTextIsTextInTooltipAndMenu()
{
    QFETCH(QString, place);
    QFETCH(QString, description);
    QFETCH(QString, shownPlace);
    QFETCH(QString, shownDescription);
    TrayIcon tray;
    CurrentConditions c;
    c.temperature = 21.4;
    c.description = description;
    tray.showWeather(place, c, false);
    // The tooltip is rich text to every host: what is read is the text, nothing it marks up.
    QVERIFY(Qt::mightBeRichText(tray.toolTip()));
    QCOMPARE(shownToolTip(tray.toolTip()), shownPlace + u": 21\u202f°C, "_s + shownDescription);
    QVERIFY2(!tray.toolTip().contains(u"<img"_s) && !tray.toolTip().contains(u"<b>"_s)
                 && !tray.toolTip().contains(u"<span"_s),
             qPrintable(tray.toolTip()));
    QTextDocument rendered;
    rendered.setHtml(tray.toolTip());
    QVERIFY2(!rendered.toHtml().contains(u"<img"_s), qPrintable(rendered.toHtml()));

    // The menu: the name as it is, no mnemonic taken from it.
    tray.setPlaces({place});
    QAction *a = action(tray.menu(), shownPlace);
    QVERIFY2(a, qPrintable(tray.menu()->actions().first()->text()));
    QVERIFY(QKeySequence::mnemonic(a->text()).isEmpty());
}

/** A provider's hostile place, shown by the window: its title, the tray's tooltip and menu. */
void tst_TrayIcon::hostilePlaceInTheWindowTitleTrayAndMenus()
{
    FakeWeatherServer server;
    FakeWeatherServer::City city = *server.city(u"Berlin"_s);
    city.name = u"<img src=file:///etc/passwd> Tom & Jerry <b>"_s;
    city.alternateNames = {u"Evilton"_s};
    city.region = u"&amp; Shire"_s;
    city.regionCode.clear();
    city.countryCode = u"ZZ"_s;
    city.latitude = 10.5;
    city.longitude = 20.5;
    server.addCity(city);
    const QByteArray base = server.baseUrl().toString().toUtf8();
    qputenv("WEATHERDASH_OPENMETEO_GEOCODING_URL", base);
    qputenv("WEATHERDASH_OPENMETEO_FORECAST_URL", base);
    QTemporaryDir dir;
    ManualClock clock(server.serverTime().toMSecsSinceEpoch());
    QNetworkAccessManager network;
    Settings settings(dir.filePath(u"settings.ini"_s));
    WeatherService service(&network, &clock);
    service.setConfig(settings.serviceConfig());
    MainWindow window(&service, &settings, &network);
    TrayIcon tray;
    window.setTrayIcon(&tray);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QSignalSpy finished(&window, &MainWindow::weatherRequestsFinished);
    window.searchAndShow(u"Evilton"_s);
    QTRY_COMPARE(finished.size(), 1);
    // The title is plain text: the name as it is.
    QVERIFY2(window.windowTitle().startsWith(city.name + u' '), qPrintable(window.windowTitle()));
    QVERIFY2(window.windowTitle().endsWith(u" — WeatherDash"_s), qPrintable(window.windowTitle()));
    // The tooltip shows the name; none of its markup is markup.
    QVERIFY2(shownToolTip(tray.toolTip()).startsWith(city.name + u": "_s),
             qPrintable(tray.toolTip()));
    QVERIFY2(!tray.toolTip().contains(u"<img"_s) && !tray.toolTip().contains(u"<b>"_s),
             qPrintable(tray.toolTip()));
    // The tray's places menu names it as it is; its '&' is no mnemonic.
    QTRY_COMPARE(tray.places().size(), 1);
    const QString shownPlace = tray.places().first();
    QVERIFY2(shownPlace.startsWith(city.name), qPrintable(shownPlace));
    QAction *a = action(tray.menu(), shownPlace);
    QVERIFY2(a, qPrintable(shownPlace));
    QVERIFY(QKeySequence::mnemonic(a->text()).isEmpty());
    // And every menu of the window's that names a place does the same.
    for (QMenu *menu : window.findChildren<QMenu *>()) {
        for (QAction *item : menu->actions()) {
            if (!item->text().contains(u"Jerry"_s))
                continue;
            QVERIFY2(QKeySequence::mnemonic(item->text()).isEmpty(), qPrintable(item->text()));
            QVERIFY2(item->text().contains(u"Tom && Jerry"_s), qPrintable(item->text()));
        }
    }
}

QTEST_MAIN(tst_TrayIcon)
#include "tst_trayicon.moc"
