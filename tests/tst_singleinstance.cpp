// SPDX-License-Identifier: MIT
// One window per user and profile: two SingleInstance objects on real local sockets, as a
// first and a second launch would be.
#include "desktop/singleinstance.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
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

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
