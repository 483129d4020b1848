// SPDX-License-Identifier: MIT
// Notices through org.freedesktop.Notifications on a private session bus (a real
// dbus-daemon started here), with a small notification server that records each call; and
// the tray's bubble when there is no such service.
#include "desktop/desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/** What a server that reads the body as markup shows: the text with its entities read. */
QString shownBody(const QString &markup)
{
    QString shown = markup;
    shown.replace(u"&lt;"_s, u"<"_s).replace(u"&gt;"_s, u">"_s).replace(u"&amp;"_s, u"&"_s);
    return shown;
}

} // namespace

/** What a desktop's notification daemon offers, as far as WeatherDash uses it. */
class RecordingNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString appName, appIcon, summary, body;
        uint replacesId = 0;
        QStringList actions;
        QVariantMap hints;
        int expireTimeout = 0;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int expireTimeout)
    {
        calls.append({appName, appIcon, summary, body, replacesId, actions, hints, expireTimeout});
        return uint(41 + calls.size());
    }
};

class tst_DesktopNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void noticeReachesTheNotificationService();
    void hostileTextReachesTheServiceAsText_data();
    void hostileTextReachesTheServiceAsText();
    void withoutTheServiceTheTrayBubbleIsUsed();
    void withoutABusTheTrayBubbleIsUsed();
    void withNeitherItSaysSo();
    void quietByDefault();

private:
    QProcess m_daemon;
    QString m_address;
};

void tst_DesktopNotifier::initTestCase()
{
    // A bus of our own: the tests never reach the desktop's real notification service.
    m_daemon.setProgram(u"dbus-daemon"_s);
    m_daemon.setArguments({u"--session"_s, u"--nofork"_s, u"--print-address=1"_s});
    m_daemon.setProcessChannelMode(QProcess::SeparateChannels);
    m_daemon.start();
    QVERIFY2(m_daemon.waitForStarted(),
             "dbus-daemon not found (scripts/deps.sh installs the dbus-daemon package)");
    QTRY_VERIFY_WITH_TIMEOUT(m_daemon.canReadLine(), 10000);
    m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
    QVERIFY2(m_address.startsWith(u"unix:"_s), qPrintable(m_address));
}

void tst_DesktopNotifier::cleanupTestCase()
{
    QDBusConnection::disconnectFromBus(u"server"_s);
    QDBusConnection::disconnectFromBus(u"client"_s);
    QDBusConnection::disconnectFromBus(u"client-no-service"_s);
    m_daemon.terminate(); // the daemon this test started, by its own handle
    m_daemon.waitForFinished(5000);
}

void tst_DesktopNotifier::noticeReachesTheNotificationService()
{
    QDBusConnection server = QDBusConnection::connectToBus(m_address, u"server"_s);
    QVERIFY(server.isConnected());
    RecordingNotificationServer recorder;
    QVERIFY(server.registerObject(u"/org/freedesktop/Notifications"_s, &recorder,
                                  QDBusConnection::ExportAllSlots));
    QVERIFY(server.registerService(u"org.freedesktop.Notifications"_s));

    QDBusConnection client = QDBusConnection::connectToBus(m_address, u"client"_s);
    QVERIFY(client.isConnected());
    DesktopNotifier notifier(client);
    int bubbles = 0;
    notifier.setFallback([&bubbles](const QString &, const QString &) {
        ++bubbles;
        return true;
    });
    QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
    notifier.notify(u"Rain soon in Berlin"_s, u"Rain is expected from 13:00 (80 % chance) <b>"_s);
    QVERIFY(delivered.wait());
    QCOMPARE(delivered.at(0).at(0).toUInt(), 42u); // the server's id
    QCOMPARE(recorder.calls.size(), 1);
    const auto &call = recorder.calls.first();
    QCOMPARE(call.summary, u"Rain soon in Berlin"_s);
    // Escaped for servers with body markup: the text shows as sent.
    QCOMPARE(call.body, u"Rain is expected from 13:00 (80 % chance) &lt;b&gt;"_s);
    QCOMPARE(call.appIcon, u"io.github.weatherdash.WeatherDash"_s);
    QCOMPARE(call.hints.value(u"desktop-entry"_s).toString(),
             u"io.github.weatherdash.WeatherDash"_s);
    QCOMPARE(call.expireTimeout, -1);
    QCOMPARE(bubbles, 0);

    server.unregisterService(u"org.freedesktop.Notifications"_s);
    server.unregisterObject(u"/org/freedesktop/Notifications"_s);
}

void tst_DesktopNotifier::hostileTextReachesTheServiceAsText_data()
{
    QTest::addColumn<QString>("place"); // a provider's name, in the title and the body
    QTest::addColumn<QString>("shownPlace"); // what a person must read
    QTest::newRow("image") << u"<img src=file:///etc/passwd>"_s
                           << u"<img src=file:///etc/passwd>"_s;
    QTest::newRow("bold") << u"<b>Bold</b> Town"_s << u"<b>Bold</b> Town"_s;
    QTest::newRow("entity") << u"Fish &amp; Chips"_s << u"Fish &amp; Chips"_s;
    QTest::newRow("ampersand") << u"Tom & Jerry"_s << u"Tom & Jerry"_s;
    QTest::newRow("link") << u"<a href=\"https://evil.test\">Click</a>"_s
                          << u"<a href=\"https://evil.test\">Click</a>"_s;
    QTest::newRow("controls and bidi")
        << u"Evil\x1b]0;pwned\x07\nTown\u202E"_s << u"Evil]0;pwned Town"_s;
}

void tst_DesktopNotifier::hostileTextReachesTheServiceAsText()
{
    QFETCH(QString, place);
    QFETCH(QString, shownPlace);
    QDBusConnection server = QDBusConnection::connectToBus(m_address, u"server"_s);
    RecordingNotificationServer recorder;
    QVERIFY(server.registerObject(u"/org/freedesktop/Notifications"_s, &recorder,
                                  QDBusConnection::ExportAllSlots));
    QVERIFY(server.registerService(u"org.freedesktop.Notifications"_s));
    const auto unregister = qScopeGuard([&server] {
        server.unregisterService(u"org.freedesktop.Notifications"_s);
        server.unregisterObject(u"/org/freedesktop/Notifications"_s);
    });
    QDBusConnection client = QDBusConnection::connectToBus(m_address, u"client"_s);
    DesktopNotifier notifier(client);
    QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
    notifier.notify(u"Rain soon in "_s + place,
                    u"Rain in "_s + place + u" from 13:00 (80 % chance)."_s);
    QVERIFY(delivered.wait());
    QCOMPARE(recorder.calls.size(), 1);
    const auto &call = recorder.calls.first();
    // The summary is plain text to every server: one line, as it is.
    QCOMPARE(call.summary, u"Rain soon in "_s + shownPlace);
    // The body: no markup of the provider's gets through, and a server that reads the markup
    // shows the name as it is.
    QVERIFY2(!call.body.contains(u'<') && !call.body.contains(u'>'), qPrintable(call.body));
    QCOMPARE(shownBody(call.body), u"Rain in "_s + shownPlace + u" from 13:00 (80 % chance)."_s);
}

void tst_DesktopNotifier::withoutTheServiceTheTrayBubbleIsUsed()
{
    QDBusConnection client = QDBusConnection::connectToBus(m_address, u"client-no-service"_s);
    QVERIFY(client.isConnected());
    QVERIFY(!client.interface()->isServiceRegistered(u"org.freedesktop.Notifications"_s));
    DesktopNotifier notifier(client);
    QStringList bubbles;
    notifier.setFallback([&bubbles](const QString &title, const QString &body) {
        bubbles << title + u": "_s + body;
        return true;
    });
    QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
    notifier.notify(u"No weather updates"_s, u"Offline."_s);
    QVERIFY(delivered.wait());
    QCOMPARE(delivered.at(0).at(0).toUInt(), 0u);
    QCOMPARE(bubbles, QStringList{u"No weather updates: Offline."_s});
}

void tst_DesktopNotifier::withoutABusTheTrayBubbleIsUsed()
{
    const QDBusConnection none
        = QDBusConnection::connectToBus(u"unix:path=/nonexistent/bus"_s, u"nobus"_s);
    QVERIFY(!none.isConnected());
    DesktopNotifier notifier(none);
    int bubbles = 0;
    notifier.setFallback([&bubbles](const QString &, const QString &) {
        ++bubbles;
        return true;
    });
    QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
    notifier.notify(u"t"_s, u"b"_s);
    QCOMPARE(delivered.size(), 1);
    QCOMPARE(bubbles, 1);
    QDBusConnection::disconnectFromBus(u"nobus"_s);
}

void tst_DesktopNotifier::withNeitherItSaysSo()
{
    const QDBusConnection none
        = QDBusConnection::connectToBus(u"unix:path=/nonexistent/bus"_s, u"nobus2"_s);
    DesktopNotifier notifier(none);
    notifier.setFallback([](const QString &, const QString &) { return false; }); // no tray
    QSignalSpy failed(&notifier, &DesktopNotifier::notDelivered);
    notifier.notify(u"t"_s, u"b"_s);
    QCOMPARE(failed.size(), 1);
    QDBusConnection::disconnectFromBus(u"nobus2"_s);
}

namespace {
QStringList g_debugLines;
void recordDebug(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtDebugMsg)
        g_debugLines << QString::fromLatin1(context.category) + u": "_s + message;
}
} // namespace

/** A notice that falls back says nothing on stderr unless QT_LOGGING_RULES asks for it. */
void tst_DesktopNotifier::quietByDefault()
{
    if (qEnvironmentVariableIsSet("QT_LOGGING_RULES"))
        QSKIP("QT_LOGGING_RULES is set: the defaults are not what runs");
    g_debugLines.clear();
    const QtMessageHandler previous = qInstallMessageHandler(recordDebug);
    {
        const QDBusConnection none
            = QDBusConnection::connectToBus(u"unix:path=/nonexistent/bus"_s, u"nobus3"_s);
        DesktopNotifier notifier(none);
        notifier.setFallback([](const QString &, const QString &) { return true; });
        QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
        notifier.notify(u"t"_s, u"b"_s);
        QCOMPARE(delivered.size(), 1);
        QDBusConnection::disconnectFromBus(u"nobus3"_s);
    }
    qInstallMessageHandler(previous);
    QCOMPARE(g_debugLines, QStringList());
}

QTEST_GUILESS_MAIN(tst_DesktopNotifier)
#include "tst_desktopnotifier.moc"
