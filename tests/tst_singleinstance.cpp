// SPDX-License-Identifier: MIT
// One window per user and profile: two SingleInstance objects on real local sockets, as a
// first and a second launch would be.
#include "desktop/singleinstance.h"
#include "fakeweatherserver.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <cstdio>
#include <memory>

#include <sys/socket.h>
#include <sys/stat.h>
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
        // Made by the first start(); some tests listen with a bare QLocalServer first.
        QCOMPARE(SingleInstance::checkPrivateDirectory(SingleInstance::socketDirectory(), true),
                 QString());
    }
    void cleanup() { QLocalServer::removeServer(m_name); }

    void namesSeparateUsersAndProfiles();
    void secondLaunchHandsItsCityToTheFirst();
    void secondLaunchWithoutCityRaises();
    void staleSocketFileIsTakenOver();
    void firstThatNeverAnswersDoesNotHoldTheSecond();
    void oversizedMessageIsDropped();
    void socketLivesInARuntimeFolderOfOurOwn();
    void privateFolderCheck();
    void anotherUsersFolderIsNeverUsed_data();
    void anotherUsersFolderIsNeverUsed();
    void anotherUsersListenerHearsNothing();
    void listenerDropsAnotherUsersConnection();
#ifdef WEATHERDASH_GUI_PATH
    void twoRealLaunches();
    void launchBesideAnotherUsersSocketOpensItsOwnWindow();
#endif

private:
    /** A copy of this test program that every user can run, in a folder every user can read. */
    bool prepareOtherUsers();
    /** This program in `role` (see runRole()) as user `uid`, with `env` added. */
    QProcess *asUser(uint uid, const QByteArray &role, const QProcessEnvironment &env);
    /** The socket name `uid` uses for `profile` with `env` (XDG_RUNTIME_DIR, TMPDIR). */
    QString nameOf(uint uid, const QString &profile, const QProcessEnvironment &env);

    QString m_name;
    std::unique_ptr<QTemporaryDir> m_scratch; // for the other users
    QString m_helper;
};

namespace {

/** Two unprivileged users: the kernel knows users by number, and that is all SO_PEERCRED
 *  and the folder checks look at. */
constexpr uint kUserA = 65534; // nobody
constexpr uint kUserB = 65533;

QString output(QProcess *p)
{
    return QString::fromUtf8(p->readAllStandardOutput());
}

/** What a process has printed so far, kept across reads. */
struct Transcript
{
    QProcess *process;
    QString text;
    const QString &read()
    {
        text += output(process);
        return text;
    }
    bool says(const QString &line) { return read().contains(line); }
};

QProcessEnvironment baseEnvironment(const QString &tmp)
{
    QProcessEnvironment env;
    env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
    env.insert(u"TMPDIR"_s, tmp);
    env.insert(u"HOME"_s, tmp);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    return env;
}

} // namespace

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
    const QString path = m_name;
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

void tst_SingleInstance::socketLivesInARuntimeFolderOfOurOwn()
{
    QTemporaryDir runtime;
    QVERIFY(QFile::setPermissions(runtime.path(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QByteArray before = qgetenv("XDG_RUNTIME_DIR");
    const auto restore = qScopeGuard([&before] {
        if (before.isEmpty())
            qunsetenv("XDG_RUNTIME_DIR");
        else
            qputenv("XDG_RUNTIME_DIR", before);
    });
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));
    const QString name = SingleInstance::serverName(u"/home/u/a.ini"_s);
    QCOMPARE(QFileInfo(name).absolutePath(), runtime.path());
    QVERIFY2(QFileInfo(name).fileName().startsWith(u"weatherdash-"_s + QString::number(::getuid())
                                                   + u'-'),
             qPrintable(name));

    // A runtime folder others can write to is not used: our own folder in the temp folder is.
    QVERIFY(QFile::setPermissions(runtime.path(), QFile::ReadOwner | QFile::WriteOwner
                                                      | QFile::ExeOwner | QFile::WriteOther
                                                      | QFile::ExeOther));
    const QString fallback = QDir::tempPath() + u"/weatherdash-"_s + QString::number(::getuid());
    QCOMPARE(QFileInfo(SingleInstance::serverName(u"/home/u/a.ini"_s)).absolutePath(), fallback);

    // Unset: the same.
    qunsetenv("XDG_RUNTIME_DIR");
    QCOMPARE(QFileInfo(SingleInstance::serverName(u"/home/u/a.ini"_s)).absolutePath(), fallback);
    SingleInstance first(SingleInstance::serverName(u"/home/u/a.ini"_s));
    QSignalSpy ready(&first, &SingleInstance::becameFirst);
    first.start({});
    QVERIFY(ready.wait());
    const QFileInfo folder(fallback);
    QVERIFY(folder.isDir() && !folder.isSymLink());
    QCOMPARE(folder.ownerId(), ::getuid());
    QCOMPARE(folder.permissions() & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
             QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void tst_SingleInstance::privateFolderCheck()
{
    QTemporaryDir dir;
    const QString own = dir.filePath(u"own"_s);
    // Missing: made 0700 when asked to, else said.
    QVERIFY(!SingleInstance::checkPrivateDirectory(own, false).isEmpty());
    QCOMPARE(SingleInstance::checkPrivateDirectory(own, true), QString());
    QCOMPARE(QFileInfo(own).permissions() & 0x7777, QFile::ReadOwner | QFile::WriteOwner
                                                        | QFile::ExeOwner | QFile::ReadUser
                                                        | QFile::WriteUser | QFile::ExeUser);
    // Opened to others: set back when it is ours to fix, refused when it is not.
    QVERIFY(QFile::setPermissions(own, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                           | QFile::WriteGroup | QFile::ExeGroup));
    QVERIFY2(SingleInstance::checkPrivateDirectory(own, false).contains(u"Other users can write"_s),
             qPrintable(SingleInstance::checkPrivateDirectory(own, false)));
    QCOMPARE(SingleInstance::checkPrivateDirectory(own, true), QString());
    QVERIFY(!(QFileInfo(own).permissions() & (QFile::WriteGroup | QFile::ExeGroup)));
    // A symbolic link, even to a folder of our own, is not used.
    const QString link = dir.filePath(u"link"_s);
    QVERIFY(QFile::link(own, link));
    QVERIFY2(SingleInstance::checkPrivateDirectory(link, true).contains(u"symbolic link"_s),
             qPrintable(SingleInstance::checkPrivateDirectory(link, true)));
    // A file is no folder.
    QFile file(dir.filePath(u"file"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(!SingleInstance::checkPrivateDirectory(file.fileName(), true).isEmpty());
}

bool tst_SingleInstance::prepareOtherUsers()
{
    if (::geteuid() != 0) {
        QTest::qSkip("needs root: the test runs two other users with setpriv (CI runs as root)",
                     __FILE__, __LINE__);
        return false;
    }
    if (QStandardPaths::findExecutable(u"setpriv"_s).isEmpty()) {
        QTest::qFail("setpriv not found (util-linux)", __FILE__, __LINE__);
        return false;
    }
    m_scratch = std::make_unique<QTemporaryDir>();
    const QString root = m_scratch->path();
    QFile::setPermissions(root, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                    | QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup
                                    | QFile::ExeGroup);
    // The build tree may sit in a folder other users cannot enter: run a copy.
    m_helper = root + u"/tst_singleinstance"_s;
    if (!QFile::copy(QCoreApplication::applicationFilePath(), m_helper))
        return false;
    QFile::setPermissions(m_helper,
                          QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    // A shared temporary folder, as /tmp is (sticky, everyone writes).
    QDir(root).mkdir(u"tmp"_s);
    ::chmod(QFile::encodeName(root + u"/tmp"_s).constData(), 01777);
    // User A's runtime folder, as systemd makes it.
    QDir(root).mkdir(u"runA"_s);
    const QByteArray runA = QFile::encodeName(root + u"/runA"_s);
    return ::chown(runA.constData(), kUserA, kUserA) == 0 && ::chmod(runA.constData(), 0700) == 0;
}

QProcess *tst_SingleInstance::asUser(uint uid, const QByteArray &role,
                                     const QProcessEnvironment &env)
{
    auto *p = new QProcess(this);
    QProcessEnvironment e = env;
    e.insert(u"TST_SINGLEINSTANCE_ROLE"_s, QString::fromLatin1(role));
    p->setProcessEnvironment(e);
    p->setWorkingDirectory(m_scratch->path());
    p->start(u"setpriv"_s,
             {u"--reuid=%1"_s.arg(uid), u"--regid=%1"_s.arg(uid), u"--clear-groups"_s, m_helper});
    return p;
}

QString tst_SingleInstance::nameOf(uint uid, const QString &profile, const QProcessEnvironment &env)
{
    QProcessEnvironment e = env;
    e.insert(u"TST_SI_PROFILE"_s, profile);
    QProcess *p = asUser(uid, "name", e);
    p->waitForFinished(10000);
    return output(p).trimmed();
}

void tst_SingleInstance::anotherUsersFolderIsNeverUsed_data()
{
    QTest::addColumn<bool>("symlink");
    // B makes /tmp/weatherdash-<A> first (A has no runtime folder) and listens in it.
    QTest::newRow("folder made by another user") << false;
    // B makes /tmp/weatherdash-<A> a symbolic link to a folder of B's.
    QTest::newRow("symbolic link to another user's folder") << true;
}

/** B waits in the folder A's launch would use; A's launch hands nothing over and starts. */
void tst_SingleInstance::anotherUsersFolderIsNeverUsed()
{
    QFETCH(bool, symlink);
    if (!prepareOtherUsers())
        return;
    const QString tmp = m_scratch->filePath(u"tmp"_s);
    const QProcessEnvironment env = baseEnvironment(tmp);
    const QString name = nameOf(kUserA, u"/home/a/WeatherDash.ini"_s, env);
    QCOMPARE(QFileInfo(name).absolutePath(), tmp + u"/weatherdash-"_s + QString::number(kUserA));

    QProcessEnvironment squat = env;
    squat.insert(u"TST_SI_NAME"_s, name);
    if (symlink)
        squat.insert(u"TST_SI_LINK_FROM"_s, QFileInfo(name).absolutePath());
    QProcess *b = asUser(kUserB, "squat", squat);
    Transcript heard{b, {}};
    QTRY_VERIFY2_WITH_TIMEOUT(heard.says(u"listening"_s), qPrintable(heard.text), 10000);

    QProcessEnvironment launch = env;
    launch.insert(u"TST_SI_PROFILE"_s, u"/home/a/WeatherDash.ini"_s);
    launch.insert(u"TST_SI_CITY"_s, u"Secret Town"_s);
    QProcess *a = asUser(kUserA, "second", launch);
    QVERIFY(a->waitForFinished(10000));
    const QString said = output(a);
    QCOMPARE(a->exitCode(), 1); // unavailable: it starts on its own
    QVERIFY2(said.startsWith(u"unavailable "_s), qPrintable(said));
    QVERIFY2(said.contains(symlink ? u"symbolic link"_s : u"belongs to another user (uid 65533)"_s),
             qPrintable(said));
    QVERIFY2(!heard.read().contains(u"accepted"_s), qPrintable(heard.text));
    b->kill();
    b->waitForFinished();
}

/** The folder is A's, but B's listening socket got into it: A asks the kernel and says nothing. */
void tst_SingleInstance::anotherUsersListenerHearsNothing()
{
    if (!prepareOtherUsers())
        return;
    QProcessEnvironment env = baseEnvironment(m_scratch->filePath(u"tmp"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, m_scratch->filePath(u"runA"_s));
    const QString name = nameOf(kUserA, u"/home/a/WeatherDash.ini"_s, env);
    QCOMPARE(QFileInfo(name).absolutePath(), m_scratch->filePath(u"runA"_s));

    // B listens in B's own folder; the socket file is then moved (here, by root) to A's name,
    // as a mistake or a bug elsewhere could: connecting to it reaches B.
    const QString bSocket = m_scratch->filePath(u"tmp/b/sock"_s);
    QProcessEnvironment squat = env;
    squat.insert(u"TST_SI_NAME"_s, bSocket);
    QProcess *b = asUser(kUserB, "squat", squat);
    Transcript heard{b, {}};
    QTRY_VERIFY2_WITH_TIMEOUT(heard.says(u"listening"_s), qPrintable(heard.text), 10000);
    QVERIFY(QFile::rename(bSocket, name));

    QProcessEnvironment launch = env;
    launch.insert(u"TST_SI_PROFILE"_s, u"/home/a/WeatherDash.ini"_s);
    launch.insert(u"TST_SI_CITY"_s, u"Secret Town"_s);
    QProcess *a = asUser(kUserA, "second", launch);
    QVERIFY(a->waitForFinished(10000));
    const QString said = output(a);
    QCOMPARE(a->exitCode(), 1);
    QVERIFY2(said.startsWith(u"unavailable Another user (uid 65533) listens on "_s),
             qPrintable(said));
    // B saw a connection come and go, and not one byte in it.
    QTRY_VERIFY2_WITH_TIMEOUT(heard.says(u"closed"_s), qPrintable(heard.text), 10000);
    QVERIFY2(heard.text.contains(u"accepted"_s), qPrintable(heard.text));
    QVERIFY2(!heard.text.contains(u"heard"_s), qPrintable(heard.text));
    b->kill();
    b->waitForFinished();
}

/** A listens; B gets through loosened permissions and is dropped unheard; A's own still work. */
void tst_SingleInstance::listenerDropsAnotherUsersConnection()
{
    if (!prepareOtherUsers())
        return;
    QProcessEnvironment env = baseEnvironment(m_scratch->filePath(u"tmp"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, m_scratch->filePath(u"runA"_s));
    env.insert(u"TST_SI_PROFILE"_s, u"/home/a/WeatherDash.ini"_s);
    const QString name = nameOf(kUserA, u"/home/a/WeatherDash.ini"_s, env);

    QProcess *first = asUser(kUserA, "first", env);
    Transcript a{first, {}};
    QTRY_VERIFY2_WITH_TIMEOUT(a.says(u"listening"_s), qPrintable(a.text), 10000);
    // Someone opens the folder and the socket to everyone.
    QCOMPARE(::chmod(QFile::encodeName(m_scratch->filePath(u"runA"_s)).constData(), 0711), 0);
    QCOMPARE(::chmod(QFile::encodeName(name).constData(), 0777), 0);

    QProcessEnvironment raw = env;
    raw.insert(u"TST_SI_NAME"_s, name);
    raw.insert(u"TST_SI_CITY"_s, u"Secret Town"_s);
    QProcess *b = asUser(kUserB, "raw", raw);
    QVERIFY(b->waitForFinished(10000));
    const QString bSaw = output(b);
    QVERIFY2(bSaw.contains(u"connected"_s), qPrintable(bSaw)); // the permissions let B in
    QVERIFY2(bSaw.endsWith(u"closed\n"_s) && !bSaw.contains(u"reply"_s), qPrintable(bSaw));

    // A's own next launch is heard, and B's city never was.
    QProcessEnvironment again = env;
    again.insert(u"TST_SI_CITY"_s, u"Paris"_s);
    QProcess *second = asUser(kUserA, "second", again);
    QVERIFY(second->waitForFinished(10000));
    QCOMPARE(output(second), u"forwarded\n"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(a.says(u"activated Paris"_s), qPrintable(a.text), 10000);
    QVERIFY2(!a.text.contains(u"Secret Town"_s), qPrintable(a.text));
    first->kill();
    first->waitForFinished();
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
    env.insert(u"WEATHERDASH_ALERTS_URL"_s, server.baseUrl().toString()); // issue 22
    env.insert(u"WEATHERDASH_CACHE_DIR"_s, home.filePath(u"cache"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const QString profile = home.filePath(u"a.ini"_s);
    const QString socketFile = SingleInstance::serverName(profile);

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

/**
 * The app, as root would start it, where another user made its socket folder first: it says
 * why on stderr, opens its own window and hands the city to no one.
 */
void tst_SingleInstance::launchBesideAnotherUsersSocketOpensItsOwnWindow()
{
    if (!prepareOtherUsers())
        return;
    FakeWeatherServer server;
    const QString tmp = m_scratch->filePath(u"tmp"_s);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"XDG_RUNTIME_DIR"_s);
    env.insert(u"TMPDIR"_s, tmp);
    const ProviderEndpoints ep = server.endpoints();
    env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
    env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
    env.insert(u"WEATHERDASH_ALERTS_URL"_s, server.baseUrl().toString()); // issue 22
    env.insert(u"WEATHERDASH_CACHE_DIR"_s, m_scratch->filePath(u"cache"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, m_scratch->filePath(u"config"_s));
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const QString profile = m_scratch->filePath(u"a.ini"_s);
    const QString ownFolder = tmp + u"/weatherdash-"_s + QString::number(::getuid());
    const QString name
        = ownFolder + u'/' + QFileInfo(SingleInstance::serverName(profile)).fileName();

    QProcessEnvironment squat = baseEnvironment(tmp);
    squat.insert(u"TST_SI_NAME"_s, name);
    QProcess *b = asUser(kUserB, "squat", squat);
    Transcript heard{b, {}};
    QTRY_VERIFY2_WITH_TIMEOUT(heard.says(u"listening"_s), qPrintable(heard.text), 10000);

    QProcess app;
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(WEATHERDASH_GUI_PATH), {u"--settings"_s, profile, u"Secret Town"_s});
    QString err;
    QTRY_VERIFY2_WITH_TIMEOUT((err += QString::fromUtf8(app.readAllStandardError()))
                                  .contains(u"belongs to another user (uid 65533)"_s),
                              qPrintable(err), 20000);
    // It goes on with a window of its own and looks the city up itself.
    QTRY_VERIFY_WITH_TIMEOUT(
        server.requestCount(FakeWeatherServer::Endpoint::OpenMeteoGeocoding) > 0, 20000);
    QCOMPARE(app.state(), QProcess::Running);
    QVERIFY2(!heard.read().contains(u"accepted"_s), qPrintable(heard.text));
    app.kill();
    app.waitForFinished(10000);
    b->kill();
    b->waitForFinished();
}
#endif

namespace {

void say(const QString &line)
{
    std::fputs(qUtf8Printable(line + u'\n'), stdout);
    std::fflush(stdout);
}

/**
 * This program as another user (tst_SingleInstance::asUser()): TST_SINGLEINSTANCE_ROLE says
 * what to be, TST_SI_* the rest. Each prints what happens, one line each.
 */
int runRole(const QByteArray &role)
{
    const QString profile = qEnvironmentVariable("TST_SI_PROFILE");
    const QString name = qEnvironmentVariableIsSet("TST_SI_NAME")
                             ? qEnvironmentVariable("TST_SI_NAME")
                             : SingleInstance::serverName(profile);
    const QString city = qEnvironmentVariable("TST_SI_CITY");
    if (role == "name") {
        say(name);
        return 0;
    }
    if (role == "first" || role == "second") {
        auto *instance = new SingleInstance(name, qApp);
        QObject::connect(instance, &SingleInstance::becameFirst, qApp, [role] {
            say(u"listening"_s);
            if (role == "second")
                QCoreApplication::exit(2);
        });
        QObject::connect(instance, &SingleInstance::forwarded, qApp, [] {
            say(u"forwarded"_s);
            QCoreApplication::exit(0);
        });
        QObject::connect(instance, &SingleInstance::unavailable, qApp, [](const QString &why) {
            say(u"unavailable "_s + why);
            QCoreApplication::exit(1);
        });
        QObject::connect(instance, &SingleInstance::activationRequested, qApp,
                         [](const QString &c) { say(u"activated "_s + c); });
        instance->start(role == "first" ? QString() : city);
        return QCoreApplication::exec();
    }
    if (role == "squat") {
        // Another user's listener that answers like WeatherDash: it would take the city.
        const QString folder = QFileInfo(name).absolutePath();
        const QString linkFrom = qEnvironmentVariable("TST_SI_LINK_FROM");
        const QString real = linkFrom.isEmpty() ? folder : folder + u".real"_s;
        QDir().mkpath(real);
        ::chmod(QFile::encodeName(real).constData(), 0777);
        if (!linkFrom.isEmpty() && !QFile::link(real, linkFrom))
            return 3;
        auto *server = new QLocalServer(qApp);
        server->setSocketOptions(QLocalServer::WorldAccessOption);
        const QString listenOn
            = linkFrom.isEmpty() ? name : real + u'/' + QFileInfo(name).fileName();
        if (!server->listen(listenOn)) {
            say(u"cannot listen: "_s + server->errorString());
            return 3;
        }
        QObject::connect(server, &QLocalServer::newConnection, qApp, [server] {
            while (QLocalSocket *s = server->nextPendingConnection()) {
                say(u"accepted"_s);
                QObject::connect(s, &QLocalSocket::readyRead, s, [s] {
                    say(u"heard "_s + QString::fromUtf8(s->readAll()).trimmed());
                    s->write("ok\n");
                });
                QObject::connect(s, &QLocalSocket::disconnected, s, [s] {
                    say(u"closed"_s);
                    s->deleteLater();
                });
            }
        });
        say(u"listening"_s);
        return QCoreApplication::exec();
    }
    if (role == "raw") {
        // A bare client of another user's: says a city, prints what comes back.
        auto *socket = new QLocalSocket(qApp);
        QObject::connect(socket, &QLocalSocket::connected, qApp, [socket, city] {
            say(u"connected"_s);
            socket->write(
                QJsonDocument(QJsonObject{{u"city"_s, city}}).toJson(QJsonDocument::Compact)
                + '\n');
        });
        QObject::connect(socket, &QLocalSocket::readyRead, qApp,
                         [socket] { say(u"reply "_s + QString::fromUtf8(socket->readAll())); });
        QObject::connect(socket, &QLocalSocket::disconnected, qApp, [] {
            say(u"closed"_s);
            QCoreApplication::exit(0);
        });
        QObject::connect(socket, &QLocalSocket::errorOccurred, qApp, [socket] {
            if (socket->state() == QLocalSocket::UnconnectedState) {
                say(u"closed"_s);
                QCoreApplication::exit(0);
            }
        });
        socket->connectToServer(name);
        return QCoreApplication::exec();
    }
    return 3;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const QByteArray role = qgetenv("TST_SINGLEINSTANCE_ROLE"); !role.isEmpty())
        return runRole(role);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    tst_SingleInstance tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_singleinstance.moc"
