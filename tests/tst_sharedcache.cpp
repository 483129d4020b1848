// SPDX-License-Identifier: MIT
// Many machines, one shared cache: separate weatherdash-cli processes, each with its own disk
// cache folder, all pointed at one real redis-server, against the local provider stand-in
// that counts every request. Single flight across machines is what keeps the count at one.
#include "fakeweatherserver.h"
#include "redisserver.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using Endpoint = FakeWeatherServer::Endpoint;

namespace {

/**
 * How many "machines" ask at once. 20, as the issue asks: they all start within a few
 * milliseconds of each other, so most of them miss both caches and race for the lease.
 */
constexpr int kMachines = 20;
constexpr int kRunTimeoutMs = 60'000;

} // namespace

class tst_SharedCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        REQUIRE_REDIS();
        m_server = std::make_unique<FakeWeatherServer>();
        QVERIFY(m_server->isListening());
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        m_redis = std::make_unique<RedisServer>();
        QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    }
    void cleanup()
    {
        m_processes.clear(); // kills what still runs, by its own PID
        m_redis.reset();
        m_server.reset();
    }

    void manyMachinesOneRequestPerEntry();
    void holderKilledMidLoadStillLetsAnotherAnswer();

private:
    /** A CLI run on its own "machine": its own cache folder, the shared Redis. */
    QProcess *startMachine(int machine, const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const ProviderEndpoints ep = m_server->endpoints();
        env.insert(u"WEATHERDASH_OPENMETEO_GEOCODING_URL"_s, ep.openMeteoGeocoding.toString());
        env.insert(u"WEATHERDASH_OPENMETEO_FORECAST_URL"_s, ep.openMeteoForecast.toString());
        env.insert(u"WEATHERDASH_OPENWEATHERMAP_URL"_s, ep.openWeatherMap.toString());
        env.insert(u"WEATHERDASH_ALERTS_URL"_s, m_server->baseUrl().toString()); // issue 22
        env.insert(u"WEATHERDASH_CACHE_DIR"_s, m_home->filePath(u"machine%1/cache"_s.arg(machine)));
        env.insert(u"WEATHERDASH_REDIS_URL"_s, m_redis->url());
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"machine%1/config"_s.arg(machine)));
        env.insert(u"HOME"_s, m_home->filePath(u"machine%1"_s.arg(machine)));
        env.remove(u"OPENWEATHERMAP_API_KEY"_s);
        env.remove(u"QT_LOGGING_RULES"_s);
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env);
        p->start(QStringLiteral(WEATHERDASH_CLI_PATH), args);
        m_processes.push_back(std::move(p));
        return m_processes.back().get();
    }

    static bool finished(const QProcess *p) { return p->state() == QProcess::NotRunning; }

    /** The leases held in Redis right now. */
    QList<QByteArray> leaseKeys()
    {
        const QByteArray keys
            = m_redis->cli({u"--scan"_s, u"--pattern"_s, u"weatherdash:v1:lock:*"_s});
        QList<QByteArray> out;
        for (const QByteArray &key : keys.split('\n')) {
            if (!key.isEmpty())
                out.append(key);
        }
        return out;
    }

    /** How often Redis ran `command` so far (INFO commandstats). */
    int commandCalls(const QByteArray &command)
    {
        const QByteArray prefix = "cmdstat_" + command + ":calls=";
        for (const QByteArray &line : m_redis->cli({u"INFO"_s, u"commandstats"_s}).split('\n')) {
            if (line.startsWith(prefix))
                return line.mid(prefix.size()).split(',').first().toInt();
        }
        return 0;
    }

    std::unique_ptr<FakeWeatherServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<RedisServer> m_redis;
    std::vector<std::unique_ptr<QProcess>> m_processes;
};

void tst_SharedCache::manyMachinesOneRequestPerEntry()
{
    QElapsedTimer elapsed;
    elapsed.start();
    std::vector<QProcess *> machines;
    for (int i = 0; i < kMachines; ++i)
        machines.push_back(startMachine(i, {u"Berlin"_s}));
    // The server lives in this process: its event loop turns while the CLIs run.
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(machines.begin(), machines.end(), finished),
                             kRunTimeoutMs);
    qInfo("%d machines answered in %lld ms", kMachines, qint64(elapsed.elapsed()));
    for (QProcess *p : machines) {
        const QString out = QString::fromUtf8(p->readAllStandardOutput());
        const QString err = QString::fromUtf8(p->readAllStandardError());
        QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0,
                 qPrintable(out + err));
        QVERIFY2(out.contains(u"Berlin"_s), qPrintable(out + err));
    }
    // Twenty disk caches, all empty at the start: one geocoding, one current weather.
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
    // And one air quality and one nowcast (issue 23): also one request for twenty machines.
    QCOMPARE(m_server->totalRequestCount(), 4);
    QVERIFY(leaseKeys().isEmpty()); // every lease was given back
}

void tst_SharedCache::holderKilledMidLoadStillLetsAnotherAnswer()
{
    // The first geocoding request is never answered: its asker holds the lease while it waits.
    m_server->setReply(Endpoint::OpenMeteoGeocoding, HttpReply::silence(), 1);
    QProcess *holder = startMachine(0, {u"Berlin"_s});
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 1,
                              kRunTimeoutMs);
    const QList<QByteArray> leases = leaseKeys();
    QCOMPARE(leases.size(), 1);
    QCOMPARE(commandCalls("set"), 1); // the holder's SET NX; it has nothing to store yet
    QProcess *waiter = startMachine(1, {u"Berlin"_s});
    // The waiter asked for the lease too (and, the lease being held, lost).
    QTRY_VERIFY_WITH_TIMEOUT(commandCalls("set") >= 2, kRunTimeoutMs);
    // The holder dies mid-load, as a crash would: SIGKILL to its own PID, nothing given back.
    holder->kill();
    QTRY_VERIFY_WITH_TIMEOUT(finished(holder), kRunTimeoutMs);
    QCOMPARE(leaseKeys(), leases); // the dead holder's lease is still there
    QVERIFY(!finished(waiter)); // it cannot load: the lease is not its own
    // The lease runs out in Redis. Instead of 30 s of real time, make it run out now; the
    // waiter's next look (every second) finds it gone.
    QCOMPARE(m_redis->cli({u"PEXPIRE"_s, QString::fromUtf8(leases.first()), u"1"_s}), "1");
    QTRY_VERIFY_WITH_TIMEOUT(finished(waiter), kRunTimeoutMs);
    const QString out = QString::fromUtf8(waiter->readAllStandardOutput());
    const QString err = QString::fromUtf8(waiter->readAllStandardError());
    QVERIFY2(waiter->exitStatus() == QProcess::NormalExit && waiter->exitCode() == 0,
             qPrintable(out + err));
    QVERIFY2(out.contains(u"Berlin"_s), qPrintable(out + err));
    // The unanswered one and the waiter's own; the current weather once.
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoGeocoding), 2);
    QCOMPARE(m_server->requestCount(Endpoint::OpenMeteoCurrent), 1);
}

QTEST_GUILESS_MAIN(tst_SharedCache)
#include "tst_sharedcache.moc"
