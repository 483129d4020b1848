// SPDX-License-Identifier: MIT
// Weather alerts as notifications on a private session bus (a real dbus-daemon started here)
// with a small notification server that records each call and can report a click.
#include "desktop/alertnotifier.h"
#include "desktop/desktopnotifier.h"

#include "cache/clock.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class AlertRecordingServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString summary, body;
        uint replacesId = 0;
        QStringList actions;
        QVariantMap hints;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &, uint replacesId, const QString &, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int)
    {
        calls.append({summary, body, replacesId, actions, hints});
        // A real server keeps the id of the notice it replaced.
        return replacesId ? replacesId : uint(100 + calls.size());
    }
};

namespace {

const QDateTime kNow(QDate(2026, 12, 7), QTime(20, 0), Qt::UTC);

WeatherAlert alert(const QString &id, WeatherAlert::Severity severity, const QString &event)
{
    WeatherAlert a;
    a.id = id;
    a.severity = severity;
    a.event = event;
    a.headline = event + u" for Berlin"_s;
    a.onset = kNow.addSecs(-600);
    a.expires = kNow.addSecs(3 * 3600);
    a.sender = u"Deutscher Wetterdienst"_s;
    a.instruction = u"Stay indoors <now> & away from trees."_s;
    return a;
}

int urgencyOf(const AlertRecordingServer::Call &call)
{
    return call.hints.value(u"urgency"_s).toInt();
}

} // namespace

class tst_AlertNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_daemon.setProgram(u"dbus-daemon"_s);
        m_daemon.setArguments({u"--session"_s, u"--nofork"_s, u"--print-address=1"_s});
        m_daemon.start();
        QVERIFY2(m_daemon.waitForStarted(), "dbus-daemon not found");
        QTRY_VERIFY_WITH_TIMEOUT(m_daemon.canReadLine(), 10000);
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        m_server = QDBusConnection::connectToBus(m_address, u"server"_s);
        QVERIFY(m_server.isConnected());
        QVERIFY(m_server.registerObject(u"/org/freedesktop/Notifications"_s, &m_recorder,
                                        QDBusConnection::ExportAllSlots));
        QVERIFY(m_server.registerService(u"org.freedesktop.Notifications"_s));
    }

    void cleanupTestCase()
    {
        QDBusConnection::disconnectFromBus(u"server"_s);
        QDBusConnection::disconnectFromBus(u"client"_s);
        m_daemon.terminate(); // the daemon this test started, by its own handle
        m_daemon.waitForFinished(5000);
    }

    void init() { m_recorder.calls.clear(); }

    void offUntilAThresholdIsChosen()
    {
        DesktopNotifier desktop(client());
        ManualClock clock(kNow.toMSecsSinceEpoch());
        AlertNotifier notifier(&desktop, &clock);
        QSignalSpy delivered(&desktop, &DesktopNotifier::delivered);
        notifier.update(u"berlin"_s, u"Berlin"_s,
                        {alert(u"a1"_s, WeatherAlert::Severity::Extreme, u"Storm"_s)},
                        QTimeZone("Europe/Berlin"));
        QVERIFY(!delivered.wait(300));
        QVERIFY(m_recorder.calls.isEmpty());
        QCOMPARE(AlertNotifier::thresholdFromSetting(QString()), std::nullopt);
        QCOMPARE(AlertNotifier::thresholdFromSetting(u"severe"_s), WeatherAlert::Severity::Severe);
        QCOMPARE(AlertNotifier::thresholdFromSetting(u"nonsense"_s), std::nullopt);
        QCOMPARE(AlertNotifier::thresholdFromSetting(u"any"_s), WeatherAlert::Severity::Unknown);
    }

    void oncePerAlertUrgencyBySeverityAndThreshold()
    {
        DesktopNotifier desktop(client());
        ManualClock clock(kNow.toMSecsSinceEpoch());
        AlertNotifier notifier(&desktop, &clock);
        notifier.setThreshold(WeatherAlert::Severity::Moderate);
        QSignalSpy delivered(&desktop, &DesktopNotifier::delivered);
        const WeatherAlertList alerts{alert(u"x"_s, WeatherAlert::Severity::Extreme, u"Storm"_s),
                                      alert(u"m"_s, WeatherAlert::Severity::Moderate, u"Wind"_s),
                                      alert(u"n"_s, WeatherAlert::Severity::Minor, u"Frost"_s)};
        notifier.update(u"berlin"_s, u"Berlin"_s, alerts, QTimeZone("Europe/Berlin"));
        QTRY_COMPARE(delivered.size(), 2);
        QCOMPARE(m_recorder.calls.size(), 2); // the minor one is below the threshold
        QCOMPARE(m_recorder.calls.at(0).summary, u"Extreme: Storm in Berlin"_s);
        QCOMPARE(urgencyOf(m_recorder.calls.at(0)), 2);
        QCOMPARE(urgencyOf(m_recorder.calls.at(1)), 1);
        // In the place's time (CET: 23:00 for 22:00 UTC), the sender, the instruction as text.
        const QString body = m_recorder.calls.at(0).body;
        QVERIFY2(body.startsWith(u"until Tue 00:00"_s), qPrintable(body));
        QVERIFY(body.contains(u"Deutscher Wetterdienst"_s));
        QVERIFY(body.contains(u"Stay indoors &lt;now&gt; &amp; away"_s));
        QVERIFY(m_recorder.calls.at(0).actions.contains(u"show"_s));
        // The next fetch lists them again: nothing new is told.
        notifier.update(u"berlin"_s, u"Berlin"_s, alerts, QTimeZone("Europe/Berlin"));
        QVERIFY(!delivered.wait(300));
        QCOMPARE(m_recorder.calls.size(), 2);
    }

    void updateReplacesTheNotice()
    {
        DesktopNotifier desktop(client());
        ManualClock clock(kNow.toMSecsSinceEpoch());
        AlertNotifier notifier(&desktop, &clock);
        notifier.setThreshold(WeatherAlert::Severity::Minor);
        QSignalSpy delivered(&desktop, &DesktopNotifier::delivered);
        notifier.update(u"berlin"_s, u"Berlin"_s,
                        {alert(u"first"_s, WeatherAlert::Severity::Severe, u"Storm"_s)}, {});
        QTRY_COMPARE(delivered.size(), 1);
        const uint shown = delivered.at(0).at(0).toUInt();
        WeatherAlert update = alert(u"second"_s, WeatherAlert::Severity::Extreme, u"Storm"_s);
        update.replaces = {u"first"_s};
        notifier.update(u"berlin"_s, u"Berlin"_s, {update}, {});
        QTRY_COMPARE(delivered.size(), 2);
        QCOMPARE(m_recorder.calls.at(1).replacesId, shown);
        QCOMPARE(m_recorder.calls.at(1).summary, u"Extreme: Storm in Berlin"_s);
    }

    void showActionAsksForThePlace()
    {
        DesktopNotifier desktop(client());
        ManualClock clock(kNow.toMSecsSinceEpoch());
        AlertNotifier notifier(&desktop, &clock);
        notifier.setThreshold(WeatherAlert::Severity::Minor);
        QSignalSpy delivered(&desktop, &DesktopNotifier::delivered);
        QSignalSpy show(&notifier, &AlertNotifier::showPlaceRequested);
        notifier.update(u"place-7"_s, u"Potsdam"_s,
                        {alert(u"p"_s, WeatherAlert::Severity::Severe, u"Storm"_s)}, {});
        QTRY_COMPARE(delivered.size(), 1);
        const uint id = delivered.at(0).at(0).toUInt();
        // The server reports the click, as a signal on the bus.
        QDBusMessage signal
            = QDBusMessage::createSignal(u"/org/freedesktop/Notifications"_s,
                                         u"org.freedesktop.Notifications"_s, u"ActionInvoked"_s);
        signal << uint(id + 1000) << u"show"_s; // another notice: not ours
        QVERIFY(m_server.send(signal));
        QDBusMessage ours
            = QDBusMessage::createSignal(u"/org/freedesktop/Notifications"_s,
                                         u"org.freedesktop.Notifications"_s, u"ActionInvoked"_s);
        ours << id << u"show"_s;
        QVERIFY(m_server.send(ours));
        QTRY_COMPARE(show.size(), 1);
        QCOMPARE(show.at(0).at(0).toString(), u"place-7"_s);
    }

    void anotherMachineToldAlready()
    {
        DesktopNotifier desktop(client());
        ManualClock clock(kNow.toMSecsSinceEpoch());
        AlertNotifier notifier(&desktop, &clock);
        notifier.setThreshold(WeatherAlert::Severity::Minor);
        QStringList asked;
        QList<qint64> ttls;
        notifier.setClaim(
            [&](const QString &id, qint64 ttl, QObject *, std::function<void(bool)> answer) {
                asked << id;
                ttls << ttl;
                answer(id == u"mine"_s); // the other machine claimed "theirs" first
            });
        QSignalSpy delivered(&desktop, &DesktopNotifier::delivered);
        notifier.update(u"berlin"_s, u"Berlin"_s,
                        {alert(u"theirs"_s, WeatherAlert::Severity::Severe, u"Storm"_s),
                         alert(u"mine"_s, WeatherAlert::Severity::Severe, u"Heat"_s)},
                        {});
        QTRY_COMPARE(delivered.size(), 1);
        QVERIFY(!delivered.wait(300));
        QCOMPARE(m_recorder.calls.size(), 1);
        QCOMPARE(m_recorder.calls.at(0).summary, u"Severe: Heat in Berlin"_s);
        QCOMPARE(asked, (QStringList{u"theirs"_s, u"mine"_s}));
        QCOMPARE(ttls.at(0), 3 * 3600 * 1000); // until the alert expires
    }

private:
    QDBusConnection client()
    {
        QDBusConnection c = QDBusConnection::connectToBus(m_address, u"client"_s);
        return c;
    }

    QProcess m_daemon;
    QString m_address;
    QDBusConnection m_server{QString()};
    AlertRecordingServer m_recorder;
};

QTEST_GUILESS_MAIN(tst_AlertNotifier)
#include "tst_alertnotifier.moc"
