// SPDX-License-Identifier: MIT
// One window per user and profile: two SingleInstance objects on real local sockets, as a
// first and a second launch would be.
#include "desktop/singleinstance.h"
#include "fakeweatherserver.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

class tst_SingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        // A fresh name per test: tests never meet each other, nor a real WeatherDash.
        m_name = SingleInstance::serverName(u"/tmp/tst_singleinstance/"_s
                                            + QUuid::createUuid().toString(QUuid::WithoutBraces));
    }
    void cleanup() { QLocalServer::removeServer(m_name); }

    void namesSeparateUsersAndProfiles();
    void secondLaunchHandsItsCityToTheFirst();
    void secondLaunchWithoutCityRaises();
    void staleSocketFileIsTakenOver();
    void firstThatNeverAnswersDoesNotHoldTheSecond();
    void oversizedMessageIsDropped();
#ifdef WEATHERDASH_GUI_PATH
    void twoRealLaunches();
#endif

private:
    QString m_name;
};

void tst_SingleInstance::namesSeparateUsersAndProfiles()
{
    const QString a = SingleInstance::serverName(u"/home/u/.config/WeatherDash/WeatherDash.ini"_s);
    QCOMPARE(SingleInstance::serverName(u"/home/u/.config/WeatherDash/WeatherDash.ini"_s), a);
    QVERIFY(a != SingleInstance::serverName(u"/home/u/second.ini"_s));
    QVERIFY2(a.contains(u'-' + QString::number(::getuid()) + u'-'), qPrintable(a));
    // A relative path names the same file as its absolute form.
    const QString here = QDir::current().absoluteFilePath(u"p.ini"_s);
    QCOMPARE(SingleInstance::serverName(u"p.ini"_s), SingleInstance::serverName(here));
}

void tst_SingleInstance::secondLaunchHandsItsCityToTheFirst()
{
    SingleInstance first(m_name);
    QSignalSpy firstReady(&first, &SingleInstance::becameFirst);
    first.start({});
    QVERIFY(firstReady.wait());
    QVERIFY(first.isListening());
    QSignalSpy activated(&first, &SingleInstance::activationRequested);

    SingleInstance second(m_name);
    QSignalSpy forwarded(&second, &SingleInstance::forwarded);
    QSignalSpy secondFirst(&second, &SingleInstance::becameFirst);
    QSignalSpy unavailable(&second, &SingleInstance::unavailable);
    second.start(u"São Paulo"_s);
    QVERIFY(forwarded.wait());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), u"São Paulo"_s);
    QVERIFY(!second.isListening());
    QCOMPARE(secondFirst.size(), 0);
    QCOMPARE(unavailable.size(), 0);
}

void tst_SingleInstance::secondLaunchWithoutCityRaises()
{
    SingleInstance first(m_name);
    QSignalSpy firstReady(&first, &SingleInstance::becameFirst);
    first.start({});
    QVERIFY(firstReady.wait());
    QSignalSpy activated(&first, &SingleInstance::activationRequested);
    for (int i = 0; i < 3; ++i) {
        SingleInstance again(m_name);
        QSignalSpy forwarded(&again, &SingleInstance::forwarded);
        again.start({});
        QVERIFY(forwarded.wait());
    }
    QCOMPARE(activated.size(), 3);
    QCOMPARE(activated.at(2).at(0).toString(), QString());
}

void tst_SingleInstance::staleSocketFileIsTakenOver()
{
    // What a crashed first instance leaves: a socket file nobody listens on.
    const QString path = QDir::tempPath() + u'/' + m_name;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray native = QFile::encodeName(path);
    QVERIFY(size_t(native.size()) < sizeof(addr.sun_path));
    memcpy(addr.sun_path, native.constData(), native.size());
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
    ::close(fd);
    QVERIFY(QFile::exists(path));

    SingleInstance next(m_name);
    QSignalSpy becameFirst(&next, &SingleInstance::becameFirst);
    next.start(u"Berlin"_s);
    QVERIFY(becameFirst.wait());
    QVERIFY(next.isListening());

    // And it is reachable: a later launch reaches it.
    QSignalSpy activated(&next, &SingleInstance::activationRequested);
    SingleInstance later(m_name);
    QSignalSpy forwarded(&later, &SingleInstance::forwarded);
    later.start(u"Paris"_s);
    QVERIFY(forwarded.wait());
    QCOMPARE(activated.at(0).at(0).toString(), u"Paris"_s);
}

void tst_SingleInstance::firstThatNeverAnswersDoesNotHoldTheSecond()
{
    QLocalServer hung; // accepts, reads nothing, says nothing
    QVERIFY(hung.listen(m_name));
    SingleInstance second(m_name);
    QSignalSpy unavailable(&second, &SingleInstance::unavailable);
    QSignalSpy forwarded(&second, &SingleInstance::forwarded);
    second.start(u"Berlin"_s, 300);
    QVERIFY(unavailable.wait());
    QVERIFY(!unavailable.at(0).at(0).toString().isEmpty());
    QCOMPARE(forwarded.size(), 0);
    QVERIFY(!second.isListening());
}

void tst_SingleInstance::oversizedMessageIsDropped()
{
    SingleInstance first(m_name);
    QSignalSpy firstReady(&first, &SingleInstance::becameFirst);
    first.start({});
    QVERIFY(firstReady.wait());
    QSignalSpy activated(&first, &SingleInstance::activationRequested);
    QLocalSocket flood;
    QSignalSpy disconnected(&flood, &QLocalSocket::disconnected);
    flood.connectToServer(m_name);
    QVERIFY(flood.waitForConnected(2000)); // a test, not src/: a bounded wait is fine here
    flood.write(QByteArray(SingleInstance::kMaxMessageBytes * 2, 'x'));
    QVERIFY(disconnected.wait());
    QCOMPARE(activated.size(), 0);
}

#ifdef WEATHERDASH_GUI_PATH
/** The app itself, twice, as a person would start it (offscreen, against the local server). */
void tst_SingleInstance::twoRealLaunches()
{
    FakeWeatherServer server;
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const ProviderEndpoints ep = server.endpoints();
    env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
    env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
    env.insert(u"WEATHERDASH_CACHE_DIR"_s, home.filePath(u"cache"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const QString profile = home.filePath(u"a.ini"_s);
    const QString socketFile = QDir::tempPath() + u'/' + SingleInstance::serverName(profile);

    const auto launch = [&](const QStringList &args) {
        auto *p = new QProcess(this);
        p->setProcessEnvironment(env);
        p->start(QStringLiteral(WEATHERDASH_GUI_PATH), args);
        return p;
    };
    const auto searchedFor = [&server](const QString &name) {
        for (const RecordedRequest &r :
             server.requests(FakeWeatherServer::Endpoint::OpenMeteoGeocoding))
            for (const auto &[key, value] : r.queryItems)
                if (key == u"name"_s && value == name)
                    return true;
        return false;
    };

    QProcess *first = launch({u"--settings"_s, profile});
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socketFile), 20000);

    // The second hands "Paris" to the first, which looks it up; the second leaves at once.
    QProcess *second = launch({u"--settings"_s, profile, u"Paris"_s});
    QTRY_COMPARE_WITH_TIMEOUT(second->state(), QProcess::NotRunning, 20000);
    QCOMPARE(second->exitStatus(), QProcess::NormalExit);
    QCOMPARE(second->exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(searchedFor(u"Paris"_s), 20000);
    QCOMPARE(first->state(), QProcess::Running);

    // A crash leaves the socket file; the next launch takes it over and is reachable.
    first->kill();
    QVERIFY(first->waitForFinished(10000));
    QVERIFY(QFile::exists(socketFile));
    QProcess *third = launch({u"--settings"_s, profile});
    QSignalSpy thirdFinished(third, &QProcess::finished);
    // Listening once a connection is accepted (the stale file refuses them).
    const auto accepts = [&] {
        QLocalSocket knock;
        knock.connectToServer(SingleInstance::serverName(profile));
        return knock.waitForConnected(200); // a test, not src/: a bounded wait is fine here
    };
    QTRY_VERIFY_WITH_TIMEOUT(accepts(), 20000);
    SingleInstance probe(SingleInstance::serverName(profile));
    QSignalSpy forwarded(&probe, &SingleInstance::forwarded);
    probe.start(u"Tokyo"_s);
    QVERIFY(forwarded.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(searchedFor(u"Tokyo"_s), 20000);
    QCOMPARE(thirdFinished.size(), 0);
    third->kill();
    QVERIFY(third->waitForFinished(10000));
    QLocalServer::removeServer(SingleInstance::serverName(profile));
}
#endif

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
