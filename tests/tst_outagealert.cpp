// SPDX-License-Identifier: MIT
// "No weather updates": said once when refreshing has failed for the set time.
#include "cache/clock.h"
#include "desktop/outagealert.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kMinute = 60'000;
const WeatherError kOffline(WeatherError::Offline, u"Open-Meteo"_s);
} // namespace

class tst_OutageAlert : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offByDefault();
    void saidOnceAfterTheThreshold();
    void successEndsTheOutage();
    void theTimerSaysItWithoutAnotherFailure();
    void turningItOffForgets();
};

void tst_OutageAlert::offByDefault()
{
    ManualClock clock;
    OutageAlert alert(&clock);
    QSignalSpy said(&alert, &OutageAlert::outageLasted);
    alert.noteFailure(u"Berlin"_s, kOffline);
    clock.advance(120 * kMinute);
    alert.noteFailure(u"Berlin"_s, kOffline);
    QCOMPARE(said.size(), 0);
}

void tst_OutageAlert::saidOnceAfterTheThreshold()
{
    ManualClock clock;
    OutageAlert alert(&clock);
    alert.setEnabled(true);
    alert.setThresholdMs(30 * kMinute);
    QSignalSpy said(&alert, &OutageAlert::outageLasted);
    alert.noteFailure(u"Berlin"_s, kOffline);
    clock.advance(29 * kMinute);
    alert.noteFailure(u"Berlin"_s, kOffline);
    QCOMPARE(said.size(), 0);
    clock.advance(2 * kMinute); // the clock's jump checks the deadline
    QCOMPARE(said.size(), 1);
    QCOMPARE(said.at(0).at(0).toString(), u"No weather updates"_s);
    const QString body = said.at(0).at(1).toString();
    QVERIFY2(body.contains(u"Berlin"_s) && body.contains(u"31 minutes"_s)
                 && body.contains(kOffline.message()),
             qPrintable(body));
    // Failing on and on: not again.
    for (int i = 0; i < 5; ++i) {
        clock.advance(30 * kMinute);
        alert.noteFailure(u"Berlin"_s, kOffline);
    }
    QCOMPARE(said.size(), 1);
}

void tst_OutageAlert::successEndsTheOutage()
{
    ManualClock clock;
    OutageAlert alert(&clock);
    alert.setEnabled(true);
    alert.setThresholdMs(10 * kMinute);
    QSignalSpy said(&alert, &OutageAlert::outageLasted);
    alert.noteFailure(u"Berlin"_s, kOffline);
    clock.advance(9 * kMinute);
    alert.noteSuccess(); // back before the threshold: nothing to say
    clock.advance(5 * kMinute);
    alert.noteFailure(u"Berlin"_s, kOffline); // a new outage starts now
    QCOMPARE(alert.failingSince(), clock.now());
    clock.advance(9 * kMinute);
    QCOMPARE(said.size(), 0);
    clock.advance(1 * kMinute);
    QCOMPARE(said.size(), 1);
    // Over, and a later outage is said again.
    alert.noteSuccess();
    alert.noteFailure(u"Paris"_s, kOffline);
    clock.advance(10 * kMinute);
    QCOMPARE(said.size(), 2);
    QVERIFY(said.at(1).at(1).toString().contains(u"Paris"_s));
}

void tst_OutageAlert::theTimerSaysItWithoutAnotherFailure()
{
    // With the real clock, no test advance(): the timer reaches the deadline by itself.
    OutageAlert alert(Clock::system());
    alert.setEnabled(true);
    alert.setThresholdMs(50);
    QSignalSpy said(&alert, &OutageAlert::outageLasted);
    alert.noteFailure(u"Berlin"_s, kOffline);
    QVERIFY(said.wait(5000));
    QCOMPARE(said.size(), 1);
    QVERIFY(said.at(0).at(1).toString().contains(u"for a minute"_s));
}

void tst_OutageAlert::turningItOffForgets()
{
    ManualClock clock;
    OutageAlert alert(&clock);
    alert.setEnabled(true);
    alert.setThresholdMs(10 * kMinute);
    QSignalSpy said(&alert, &OutageAlert::outageLasted);
    alert.noteFailure(u"Berlin"_s, kOffline);
    alert.setEnabled(false);
    clock.advance(20 * kMinute);
    QCOMPARE(said.size(), 0);
    QCOMPARE(alert.failingSince(), -1);
}

QTEST_GUILESS_MAIN(tst_OutageAlert)
#include "tst_outagealert.moc"
