// SPDX-License-Identifier: MIT
#include "weather/location.h"
#include "widgets/uselocationbutton.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_UseLocationButton : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offUntilTheOwnerSaysOn();
    void clickingAsksToTurnOffOnceOn();
    void showsHereWithItsCredit();
    void showsWhyThereIsNoHere();
    void aPlaceNameIsNeverMarkup();
};

void tst_UseLocationButton::offUntilTheOwnerSaysOn()
{
    UseLocationButton widget;
    widget.show();
    QVERIFY(!widget.isLocationEnabled());
    QCOMPARE(widget.button()->text(), u"Use my location"_s);
    QVERIFY(widget.button()->toolTip().contains(u"IP address"_s));
    QSignalSpy asked(&widget, &UseLocationButton::locationToggleRequested);
    QTest::mouseClick(widget.button(), Qt::LeftButton);
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.first().first().toBool(), true);
    // A click is a request: the button is still off until the owner turned location on.
    QVERIFY(!widget.isLocationEnabled());
    QCOMPARE(widget.button()->text(), u"Use my location"_s);
}

void tst_UseLocationButton::clickingAsksToTurnOffOnceOn()
{
    UseLocationButton widget;
    widget.setLocationEnabled(true);
    QCOMPARE(widget.button()->text(), u"Stop using my location"_s);
    QSignalSpy asked(&widget, &UseLocationButton::locationToggleRequested);
    widget.button()->click();
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.first().first().toBool(), false);
}

void tst_UseLocationButton::showsHereWithItsCredit()
{
    UseLocationButton widget;
    widget.show();
    widget.setLocationEnabled(true);
    QVERIFY(widget.statusText().isEmpty());
    Location berlin;
    berlin.name = u"Berlin"_s;
    berlin.countryCode = u"DE"_s;
    berlin.latitude = 52.52;
    berlin.longitude = 13.41;
    widget.setHere(berlin, u"© OpenStreetMap contributors"_s);
    QCOMPARE(widget.statusText(), u"Here: Berlin, DE (place name © OpenStreetMap contributors)"_s);
    QVERIFY(widget.findChild<QLabel *>()->isVisible());
    // Turned off: the line goes with it.
    widget.setLocationEnabled(false);
    QVERIFY(widget.statusText().isEmpty());
    QVERIFY(!widget.findChild<QLabel *>()->isVisible());
}

void tst_UseLocationButton::showsWhyThereIsNoHere()
{
    UseLocationButton widget;
    widget.show();
    widget.setLocationEnabled(true);
    const QString denied = u"Your desktop did not let WeatherDash know where you are."_s;
    widget.setProblem(denied);
    QCOMPARE(widget.statusText(), denied);
    QVERIFY(widget.findChild<QLabel *>()->isVisible());
    widget.setProblem(QString());
    QVERIFY(!widget.findChild<QLabel *>()->isVisible());
}

void tst_UseLocationButton::aPlaceNameIsNeverMarkup()
{
    UseLocationButton widget;
    Location evil;
    evil.name = u"<a href='x'>Evil</a><img src=x>"_s;
    widget.setHere(evil, QString());
    QCOMPARE(widget.findChild<QLabel *>()->textFormat(), Qt::PlainText);
    QVERIFY(widget.statusText().contains(u"<img src=x>"_s));
}

QTEST_MAIN(tst_UseLocationButton)
#include "tst_uselocationbutton.moc"
